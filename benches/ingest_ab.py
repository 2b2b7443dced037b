#!/usr/bin/env python3
"""Fresh ingests of one scale of the benchmark corpus by several graf binaries, taking turns with
tantivy-cli within each round, to compare builds on a noisy machine: each binary's time is
divided by tantivy-cli's time in the same round, and the medians of those ratios compared.

    python3 benches/ingest_ab.py --tantivy tantivy --out target/bench --scale 1 --rounds 8 \
        graf-before graf-after

The corpus and tantivy-cli's schema are benches/bench.py's (run it once first). Prints each round,
then per binary: median wall time, median user and system CPU, median ratio and every round's."""
import argparse
import os
import resource
import shutil
import statistics
import subprocess
import tempfile
import time
from pathlib import Path


def run(cmd: list[str]) -> tuple[float, float, float]:
    """Wall, user and system seconds of one run, which must succeed."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, after.ru_utime - before.ru_utime, after.ru_stime - before.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("grafs", nargs="+", help="graf binaries to compare")
    parser.add_argument("--tantivy", default="target/bench/tools/bin/tantivy")
    parser.add_argument("--out", type=Path, default=Path("target/bench"), help="bench.py's --out")
    parser.add_argument("--scale", type=int, default=1)
    parser.add_argument("--rounds", type=int, default=8)
    args = parser.parse_args()
    name = "corpus" if args.scale == 1 else f"corpus-{args.scale}x"
    corpus, ndjson = args.out / name, args.out / f"{name}.ndjson"
    # Warm the page cache, as bench.py does.
    subprocess.run(["cat", str(ndjson)], stdout=subprocess.DEVNULL, check=True)
    subprocess.run(f"find '{corpus}' -type f -print0 | xargs -0 cat > /dev/null", shell=True, check=True)
    times: dict[str, list[tuple[float, float, float]]] = {"tantivy-cli": []}
    times.update({graf: [] for graf in args.grafs})
    with tempfile.TemporaryDirectory(dir=args.out) as work:
        tantivy_index, graf_index = Path(work) / "tantivy", Path(work) / "graf"
        for r in range(1, args.rounds + 1):
            shutil.rmtree(tantivy_index, ignore_errors=True)
            tantivy_index.mkdir()
            shutil.copyfile(args.out / "tantivy-meta.json", tantivy_index / "meta.json")
            times["tantivy-cli"].append(run([args.tantivy, "index", "-i", str(tantivy_index), "-f", str(ndjson),
                                             "-t", "2", "-m", "1000000000"]))
            for graf in args.grafs:
                shutil.rmtree(graf_index, ignore_errors=True)
                times[graf].append(run([graf, "ingest", str(corpus), "--index", str(graf_index)]))
            print(f"round {r}: " + "  ".join(f"{os.path.basename(k)} {v[-1][0]:.2f} s" for k, v in times.items()),
                  flush=True)
    for label, runs in times.items():
        ratios = [wall / tantivy[0] for (wall, _, _), tantivy in zip(runs, times["tantivy-cli"])]
        print(f"{os.path.basename(label):14} wall {statistics.median(w for w, _, _ in runs):.3f} s  "
              f"user {statistics.median(u for _, u, _ in runs):.2f} s  sys {statistics.median(s for _, _, s in runs):.2f} s  "
              f"ratio {statistics.median(ratios):.3f}  rounds " + " ".join(f"{x:.2f}" for x in ratios))


if __name__ == "__main__":
    main()
