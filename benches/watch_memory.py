#!/usr/bin/env python3
"""Memory of `graf watch` over a long run of changes: does it stay flat?

Starts `graf watch --json` on a fresh folder, then changes the folder in rounds: each round
creates, rewrites or deletes files picked at random from a fixed set of names (spread over
folders, some of which come and go), waits for the watcher to commit, and samples the watcher's
VmRSS from /proc. At the end it stops the watcher with SIGTERM (which must exit 0), checks the
index with `graf check` (which must say sound and in step), and prints the start, peak and end
RSS, VmHWM, the commits and the changes made, as a markdown table for BENCHMARKS.md.

    cargo build --release
    python3 benches/watch_memory.py                  # 100,000 changes
    python3 benches/watch_memory.py --changes 5000   # a quick look

Linux only (/proc). Everything it writes is under --work (default target/bench/watch), removed
first.
"""

import argparse
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import threading
import time


def rss_kib(pid, field="VmRSS"):
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    raise RuntimeError(f"no {field} for {pid}")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--graf", default="target/release/graf")
    parser.add_argument("--changes", type=int, default=100_000, help="file changes in all (default 100000)")
    parser.add_argument("--round", type=int, default=1000, help="changes per round (default 1000)")
    parser.add_argument("--names", type=int, default=2000, help="distinct file names (default 2000)")
    parser.add_argument("--settle", default="0.5", help="graf watch --settle (default 0.5)")
    parser.add_argument("--work", default="target/bench/watch")
    parser.add_argument("--seed", type=int, default=17)
    args = parser.parse_args()

    rng = random.Random(args.seed)
    shutil.rmtree(args.work, ignore_errors=True)
    folder = os.path.join(args.work, "articles")
    index = os.path.join(args.work, "index")
    os.makedirs(folder)
    watcher = subprocess.Popen(
        [args.graf, "watch", folder, "--index", index, "--json", "--settle", args.settle],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    commits = []
    committed = threading.Condition()

    def read_commits():
        for line in watcher.stdout:
            with committed:
                commits.append(json.loads(line))
                committed.notify_all()

    threading.Thread(target=read_commits, daemon=True).start()

    def wait_for_commits(count, timeout=120):
        with committed:
            if not committed.wait_for(lambda: len(commits) >= count, timeout):
                sys.exit(f"no commit within {timeout} s ({len(commits)} so far)")

    wait_for_commits(1)
    start_rss = rss_kib(watcher.pid)
    start_anon = rss_kib(watcher.pid, "RssAnon")
    samples = [start_rss]
    sampling = True

    def sample():
        # Five times a second, commits and all, until the changes are done.
        while sampling:
            samples.append(rss_kib(watcher.pid))
            time.sleep(0.2)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    exists = set()
    made = {"create": 0, "rewrite": 0, "delete": 0}
    done = 0
    rounds = 0
    started = time.monotonic()
    while done < args.changes:
        before = len(commits)
        for _ in range(min(args.round, args.changes - done)):
            name = rng.randrange(args.names)
            # Forty folders; the files of a folder all gone leave it empty, and a later create
            # makes it anew when it was removed.
            path = os.path.join(folder, f"d{name % 40:02d}", f"{name}.txt")
            if name in exists and rng.random() < 0.5:
                os.remove(path)
                exists.discard(name)
                made["delete"] += 1
            else:
                made["rewrite" if name in exists else "create"] += 1
                os.makedirs(os.path.dirname(path), exist_ok=True)
                with open(path, "w") as file:
                    words = " ".join(rng.choice(WORDS) for _ in range(rng.randrange(5, 60)))
                    file.write(f" date 2020-01-{1 + name % 28:02d} Story {name}.\n\n{words}.\n")
                exists.add(name)
            done += 1
        # Now and then a folder goes, files and all: deletions by the hundred, watches removed.
        if rng.random() < 0.1:
            gone = rng.randrange(40)
            shutil.rmtree(os.path.join(folder, f"d{gone:02d}"), ignore_errors=True)
            exists = {name for name in exists if name % 40 != gone}
        rounds += 1
        wait_for_commits(before + 1)
    sampling = False
    sampler.join()
    seconds = time.monotonic() - started
    # Until the last commit has everything (a round's late files may wait to settle).
    time.sleep(float(args.settle) * 3 + 1)
    end_rss = rss_kib(watcher.pid)
    end_anon = rss_kib(watcher.pid, "RssAnon")
    peak = rss_kib(watcher.pid, "VmHWM")
    watcher.send_signal(signal.SIGTERM)
    code = watcher.wait(timeout=120)
    check = subprocess.run([args.graf, "check", "--index", index, folder], capture_output=True, text=True)
    print(f"graf watch: {code} (0 expected); graf check: {check.returncode} (0 expected) {check.stderr.strip()}")
    later = len(commits) - 1
    print()
    print(
        "| changes | create / rewrite / delete | rounds | commits | start RSS (anon) "
        "| peak RSS (sampled) | VmHWM | end RSS (anon) | s |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    print(
        f"| {done:,} | {made['create']:,} / {made['rewrite']:,} / {made['delete']:,} | {rounds} | {later} "
        f"| {start_rss / 1024:.1f} ({start_anon / 1024:.1f}) MiB | {max(samples) / 1024:.1f} MiB "
        f"| {peak / 1024:.1f} MiB | {end_rss / 1024:.1f} ({end_anon / 1024:.1f}) MiB | {seconds:.0f} |"
    )
    # Four quarters (and what is left over, a few samples, as a fifth).
    quarter = max(1, len(samples) // 4)
    print()
    print("RSS by quarter of the run (MiB, median of its samples): " + ", ".join(
        f"{sorted(part)[len(part) // 2] / 1024:.1f}"
        for part in (samples[i:i + quarter] for i in range(0, len(samples), quarter))
        if part
    ))
    if code != 0 or check.returncode != 0:
        sys.exit(1)


WORDS = (
    "minister said border wall trade talks police court market shares fell rose bank rates "
    "election vote council budget strike union fire storm flood drug fentanyl heroin cocaine "
    "oil gas prices quarter profit loss company chief executive government spokesman report"
).split()


if __name__ == "__main__":
    main()
