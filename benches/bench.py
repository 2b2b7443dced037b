#!/usr/bin/env python3
"""graf's benchmark harness: graf against tantivy-cli, find and ripgrep, in the same run.

For each selected scale (1x, 4x, 16x copies of the corpus that benches/corpus.py builds) it
measures, interleaving the tools round by round so that noise on this shared machine hits them
alike, and reports medians:

  ingest   tantivy-cli `index -t T` of the same paragraphs as NDJSON, into a fresh index
           graf ingest CORPUS --index X, fresh          (target <= 0.85x tantivy-cli, no round > 0.95x)
           graf ingest again, nothing changed                            (target <= 1.3x find)
           find CORPUS -type f -printf '%s %T@\\n'  (the stat walk, floor of any re-ingest)
  query    graf query TERM --limit 10 (top 10 with snippets, whole process)
           tantivy search -q TERM (streams every hit, so TERM should be rare)
           rg -il TERM CORPUS

plus CPU time (user + system) and peak RSS of every process (GNU time's %U, %S and %M, the
last the figure `/usr/bin/time -v` prints as "Maximum resident set size") and index sizes on
disk. Ratios are taken between medians of the same run, and for the fresh ingest also within
each round. With --calibrate each round also runs tantivy-cli a second time, in turn with the
other two, and reports its ratio to the first: the same tool against itself, so the spread of
those ratios is the noise any single round's ratio carries on this machine. Results: a
markdown table on stdout (paste it into BENCHMARKS.md), and the raw samples in
target/bench/results/.

graf is optional: without a graf binary (default target/release/graf) its rows read "n/a" and
the peers are still measured. A graf command that fails is reported, not fatal.

Everything runs with a warm page cache (each tool's input is read right before each of its
timed runs); nothing here drops caches, since the machine is shared.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MiB = 1024 * 1024


# --- running and measuring ---------------------------------------------------------------------

class Sample:
    def __init__(self, seconds: float, cpu: float, maxrss_kib: int, code: int):
        self.seconds, self.cpu, self.maxrss_kib, self.code = seconds, cpu, maxrss_kib, code


TIME = "/usr/bin/time"  # GNU time (Debian package `time`)


def run(cmd: list[str], log: Path | None = None, stdout=subprocess.DEVNULL) -> Sample:
    """Runs cmd to completion under GNU time: wall time (measured here, with sub-millisecond
    resolution), CPU time (time's %U + %S: user and system seconds of the command and its
    threads) and peak RSS (time's %M, KiB: "Maximum resident set size" of `time -v`).

    Peak RSS is not taken from this Python process's own wait4(): a forked child inherits the
    parent's RSS high-water mark through exec, so every command would report at least Python's
    ~18 MiB. GNU time is a small C program, so the floor it adds is ~2 MiB."""
    err = open(log, "ab") if log else subprocess.DEVNULL
    fd, rss_file = tempfile.mkstemp(prefix="bench-rss.")
    os.close(fd)
    try:
        if log:
            err.write(("\n$ " + " ".join(cmd) + "\n").encode())
            err.flush()
        start = time.perf_counter()
        code = subprocess.call([TIME, "-f", "%U %S %M", "-o", rss_file, *cmd],
                               stdin=subprocess.DEVNULL, stdout=stdout, stderr=err)
        seconds = time.perf_counter() - start
        # On failure GNU time writes "Command exited with non-zero status N" on a line before.
        lines = Path(rss_file).read_text().splitlines()
        fields = lines[-1].split() if lines else []
        try:
            user, system, maxrss = float(fields[0]), float(fields[1]), int(fields[2])
        except (IndexError, ValueError):
            user, system, maxrss = 0.0, 0.0, 0
    finally:
        os.unlink(rss_file)
        if log:
            err.close()
    return Sample(seconds, user + system, maxrss, code)


def dir_bytes(path: Path) -> int:
    total = 0
    for dirpath, _, files in os.walk(path):
        for f in files:
            try:
                total += os.lstat(os.path.join(dirpath, f)).st_size
            except OSError:
                pass
    return total


def warm(path: Path) -> None:
    """Reads every file under path (or path itself) once, so timings start from a warm cache."""
    paths = [path] if path.is_file() else (Path(d) / f for d, _, fs in os.walk(path) for f in fs)
    for p in paths:
        with open(p, "rb") as fh:
            while fh.read(1 << 20):
                pass


class Series:
    """Samples of one measurement; failed runs are kept apart."""

    def __init__(self, name: str, cmd: list[str]):
        self.name, self.cmd = name, cmd
        self.samples: list[Sample] = []
        self.failures: list[int] = []
        self.extra: dict = {}

    def add(self, s: Sample, ok_codes=(0,)) -> bool:
        if s.code in ok_codes:
            self.samples.append(s)
            return True
        self.failures.append(s.code)
        return False

    @property
    def ok(self) -> bool:
        return bool(self.samples)

    def median(self) -> float | None:
        return statistics.median(s.seconds for s in self.samples) if self.samples else None

    def cpu_median(self) -> float | None:
        return statistics.median(s.cpu for s in self.samples) if self.samples else None

    def peak_mib(self) -> float | None:
        return max(s.maxrss_kib for s in self.samples) / 1024 if self.samples else None

    def to_json(self) -> dict:
        return {"name": self.name, "cmd": self.cmd, "failures": self.failures,
                "seconds": [round(s.seconds, 4) for s in self.samples],
                "cpu_seconds": [round(s.cpu, 2) for s in self.samples],
                "maxrss_kib": [s.maxrss_kib for s in self.samples],
                "median": self.median(), "peak_mib": self.peak_mib(), **self.extra}


# --- the benchmark -------------------------------------------------------------------------------

# Answers to `tantivy new`'s wizard for the schema of benches/corpus.py's tantivy-meta.json:
# field name, type, then stored / fast / indexed / (text:) tokenized / freqs / positions, and
# "add another field".
WIZARD_ANSWERS = "\n".join([
    "text", "Text", "Y", "N", "Y", "Y", "Y", "Y", "Y",
    "path", "Text", "Y", "N", "Y", "N", "Y",
    "paragraph", "u64", "Y", "N", "Y", "Y",
    "date", "Date", "Y", "Y", "Y", "N",
]) + "\n"


def check_schema(tantivy: str, meta: Path, work: Path) -> None:
    """Creates an index with tantivy-cli's own wizard, answering from a pipe, and checks that
    its schema is the one the benchmark copies into each fresh index."""
    wiz = work / "tantivy-new"
    if wiz.exists():
        shutil.rmtree(wiz)
    p = subprocess.run([tantivy, "new", "-i", str(wiz)], input=WIZARD_ANSWERS.encode(),
                       capture_output=True, timeout=60)
    made = wiz / "meta.json"
    if p.returncode != 0 or not made.exists():
        sys.exit(f"bench.py: `tantivy new` failed (exit {p.returncode}): {p.stderr[-500:]!r}")
    got, want = json.loads(made.read_text())["schema"], json.loads(meta.read_text())["schema"]
    if got != want:
        sys.exit(f"bench.py: tantivy new made another schema than {meta}:\n"
                 f"{json.dumps(got, indent=1)}")
    print("tantivy-cli schema: matches what `tantivy new` writes", file=sys.stderr)


def fresh_dir(path: Path) -> None:
    if path.exists():
        shutil.rmtree(path)
    path.mkdir(parents=True)


def bench_scale(n: int, args, graf: str | None, work: Path, log: Path, paragraphs: int) -> dict:
    """All measurements at scale n (n copies of the corpus, `paragraphs` in total)."""
    out, tantivy = args.out, args.tantivy
    corpus = out / ("corpus" if n == 1 else f"corpus-{n}x")
    ndjson = out / ("corpus.ndjson" if n == 1 else f"corpus-{n}x.ndjson")
    t_idx, g_idx = work / f"tantivy-{n}x", work / f"graf-{n}x"
    t_again_idx = work / f"tantivy-{n}x-again"
    threads, mem = str(args.threads), str(args.tantivy_memory)

    def tantivy_index(index: Path) -> list[str]:
        return [tantivy, "index", "-i", str(index), "-f", str(ndjson), "-t", threads, "-m", mem]

    s = {
        "tantivy_index": Series("tantivy-cli index", tantivy_index(t_idx)),
        "graf_ingest": Series("graf ingest (fresh)",
                              [graf or "graf", "ingest", str(corpus), "--index", str(g_idx)]),
        "graf_reingest": Series("graf ingest (unchanged)",
                                [graf or "graf", "ingest", str(corpus), "--index", str(g_idx)]),
        "find": Series("find stat walk", ["find", str(corpus), "-type", "f", "-printf",
                                          "%s %T@\\n"]),
    }
    if args.calibrate:
        s["tantivy_again"] = Series("tantivy-cli index, again", tantivy_index(t_again_idx))
    graf_usable = graf is not None

    def tantivy_run(key: str, index: Path) -> None:
        warm(ndjson)
        fresh_dir(index)
        shutil.copyfile(out / "tantivy-meta.json", index / "meta.json")
        if not s[key].add(run(s[key].cmd, log)):
            print(f"[{n}x] tantivy-cli index failed (exit {s[key].failures[-1]}); "
                  f"see {log}", file=sys.stderr)

    def tantivy_round() -> None:
        tantivy_run("tantivy_index", t_idx)

    def tantivy_again_round() -> None:
        tantivy_run("tantivy_again", t_again_idx)

    def graf_round() -> None:
        nonlocal graf_usable
        if not graf_usable:
            return
        warm(corpus)
        if g_idx.exists():
            shutil.rmtree(g_idx)
        if not s["graf_ingest"].add(run(s["graf_ingest"].cmd, log)):
            print(f"[{n}x] graf ingest failed (exit {s['graf_ingest'].failures[-1]}); "
                  f"see {log}", file=sys.stderr)
            graf_usable = False
        else:
            s["graf_reingest"].add(run(s["graf_reingest"].cmd, log))

    for r in range(1, args.runs + 1):
        print(f"[{n}x] ingest round {r}/{args.runs}", file=sys.stderr)
        # Each tool's input is read again right before its own run, and which tool goes first
        # alternates: a machine that reclaims page cache left idle for a while (DAMON pageout
        # of pages idle for 60 s on the benchmark machine) would otherwise give back the
        # corpus while tantivy-cli indexes the NDJSON, and graf's round would measure the disk.
        if args.calibrate:
            # Three runs a round, each first, second and last in turn.
            turns = [tantivy_round, graf_round, tantivy_again_round]
            turns = turns[(r - 1) % 3:] + turns[:(r - 1) % 3]
        else:
            turns = [tantivy_round, graf_round] if r % 2 else [graf_round, tantivy_round]
        for tool_round in turns:
            tool_round()
        s["find"].add(run(s["find"].cmd))
    if args.calibrate:
        shutil.rmtree(t_again_idx, ignore_errors=True)
    s["tantivy_index"].extra["index_bytes"] = dir_bytes(t_idx)
    if s["graf_ingest"].ok:
        s["graf_ingest"].extra["index_bytes"] = dir_bytes(g_idx)
        # Both tools must hold the same paragraphs: `graf export` prints one line per paragraph.
        got = count_lines([graf, "export", "--index", str(g_idx)])
        s["graf_ingest"].extra["paragraphs"] = got
        if got != paragraphs:
            print(f"[{n}x] WARNING: graf export gave {got} paragraphs, the NDJSON has "
                  f"{paragraphs}: the two indexes differ", file=sys.stderr)

    queries = {}
    for term in args.terms:
        q = {
            "graf": Series("graf query", [graf or "graf", "query", term, "--index", str(g_idx),
                                          "--limit", "10"]),
            "tantivy": Series("tantivy search", [tantivy, "search", "-i", str(t_idx),
                                                 "-q", term]),
            "rg": Series("rg -il", ["rg", "-il", term, str(corpus)]),
        }
        # Hit counts (one untimed run each), then warm-up, then interleaved timed rounds.
        q["tantivy"].extra["hits"] = count_lines(q["tantivy"].cmd)
        q["rg"].extra["files"] = count_lines(q["rg"].cmd)
        use_graf = graf is not None and s["graf_ingest"].ok
        if use_graf:
            q["graf"].extra["hits"] = count_lines(q["graf"].cmd[:-2] + ["--limit", "10",
                                                                        "--json"])
        for _ in range(args.warmup):
            for k, series in q.items():
                if k != "graf" or use_graf:
                    run(series.cmd)
        print(f"[{n}x] query {term!r}: {args.query_runs} rounds", file=sys.stderr)
        for _ in range(args.query_runs):
            if use_graf:
                q["graf"].add(run(q["graf"].cmd, log))
            q["tantivy"].add(run(q["tantivy"].cmd, log))
            # rg exits 1 when nothing matches; that is still a measurement.
            q["rg"].add(run(q["rg"].cmd, log), ok_codes=(0, 1))
        queries[term] = q
    return {"scale": n, "corpus": str(corpus), "ingest": s, "queries": queries}


def count_lines(cmd: list[str]) -> int | None:
    try:
        p = subprocess.run(cmd, stdin=subprocess.DEVNULL, capture_output=True, timeout=600)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return p.stdout.count(b"\n") if p.returncode in (0, 1) else None


# --- report --------------------------------------------------------------------------------------

def fmt_s(series: Series) -> str:
    if not series.ok:
        return "n/a" if not series.failures else f"failed (exit {series.failures[0]})"
    xs = [x.seconds for x in series.samples]
    med = series.median()
    if med < 1:
        return f"{med * 1000:.1f} ms ({min(xs) * 1000:.1f}–{max(xs) * 1000:.1f})"
    return f"{med:.2f} s ({min(xs):.2f}–{max(xs):.2f})"


def fmt_ratio(a: Series, b: Series, target: str) -> str:
    if not (a.ok and b.ok):
        return f"n/a (target {target})"
    return f"**{a.median() / b.median():.2f}×** (target {target})"


def fmt_rounds(a: Series, b: Series, note: str) -> str:
    """a over b within each round, in round order, and the highest; n/a unless every round of
    both succeeded (a failed round would pair the rest with the wrong partners)."""
    if not (a.ok and b.ok) or a.failures or b.failures or len(a.samples) != len(b.samples):
        return f"n/a ({note})"
    ratios = [x.seconds / y.seconds for x, y in zip(a.samples, b.samples)]
    return " ".join(f"{r:.2f}" for r in ratios) + f"; highest **{max(ratios):.2f}×** ({note})"


def fmt_cpu_ratio(a: Series, b: Series) -> str:
    if not (a.ok and b.ok) or not b.cpu_median():
        return "n/a"
    return f"{a.cpu_median() / b.cpu_median():.2f}× ({a.cpu_median():.2f} / {b.cpu_median():.2f} s)"


def fmt_mib(series: Series) -> str:
    return f"{series.peak_mib():.0f} MiB" if series.ok else "n/a"


def fmt_mb(series: Series) -> str:
    b = series.extra.get("index_bytes")
    return f"{b / 1e6:.1f} MB" if b is not None else "n/a"


def markdown(results: list[dict], stats: dict, args, env: dict) -> str:
    """One column per scale, one row per measurement; ratios in bold with their targets."""
    one = stats["1x"]
    rows: list[str] = []

    def row(label: str, cell) -> None:
        rows.append(f"| {label} | " + " | ".join(cell(r) for r in results) + " |")

    def ingest(key):
        return lambda r: r["ingest"][key]

    def query(term, key):
        return lambda r: r["queries"][term][key]

    def seconds(get):
        return lambda r: fmt_s(get(r))

    def ratio(a, b, target):
        return lambda r: fmt_ratio(a(r), b(r), target)

    def mib(*gets):
        return lambda r: " / ".join(fmt_mib(g(r)) for g in gets)

    row("corpus: files / MB of text / paragraphs",
        lambda r: f"{r['scale'] * one['files']:,} / {r['scale'] * one['bytes'] / 1e6:.0f} / "
                  f"{r['scale'] * one['paragraphs']:,}")
    tantivy_index, graf_ingest = ingest("tantivy_index"), ingest("graf_ingest")
    reingest, find = ingest("graf_reingest"), ingest("find")
    row("paragraphs in graf's index (`graf export`, must equal the above)",
        lambda r: "n/a" if graf_ingest(r).extra.get("paragraphs") is None
        else f"{graf_ingest(r).extra['paragraphs']:,}")
    row(f"tantivy-cli `index -t {args.threads} -m {args.tantivy_memory}`, fresh",
        seconds(tantivy_index))
    row("graf ingest, fresh", seconds(graf_ingest))
    row("→ graf ingest / tantivy-cli index",
        ratio(graf_ingest, tantivy_index, "≤ 0.85, stretch 0.8"))
    row("→ each round, graf ingest / tantivy-cli index",
        lambda r: fmt_rounds(graf_ingest(r), tantivy_index(r), "target: none > 0.95"))
    row("→ CPU (user + system), graf ingest / tantivy-cli index",
        lambda r: fmt_cpu_ratio(graf_ingest(r), tantivy_index(r)))
    if args.calibrate:
        again = ingest("tantivy_again")
        row("→ each round, tantivy-cli again / tantivy-cli (the noise of one round)",
            lambda r: fmt_rounds(again(r), tantivy_index(r), "the same tool: 1.00 but for noise"))
    row("graf ingest, unchanged folder", seconds(reingest))
    row("`find` stat walk", seconds(find))
    row("→ graf re-ingest / find", ratio(reingest, find, "≤ 1.3"))
    row("peak RSS: tantivy-cli index", mib(tantivy_index))
    row("peak RSS: graf ingest (target ≤ 400 MiB, flat)", mib(graf_ingest))
    row("peak RSS: graf re-ingest", mib(reingest))
    row("index size: tantivy-cli / graf",
        lambda r: f"{fmt_mb(tantivy_index(r))} / {fmt_mb(graf_ingest(r))}")
    for term in args.terms:
        g, t, rg = query(term, "graf"), query(term, "tantivy"), query(term, "rg")
        row(f"`{term}`: hits: tantivy (paragraphs) / rg (files) / graf (shown)",
            lambda r, g=g, t=t, rg=rg: " / ".join(
                "n/a" if v is None else str(v) for v in
                (t(r).extra.get("hits"), rg(r).extra.get("files"), g(r).extra.get("hits"))))
        row(f"`{term}`: graf query, top 10 with snippets", seconds(g))
        row(f"`{term}`: tantivy search (streams all hits)", seconds(t))
        row(f"`{term}`: rg -il", seconds(rg))
        row("→ graf query / tantivy search", ratio(g, t, "≤ 1.5"))
        row("→ graf query / rg -il", ratio(g, rg, "≤ 0.10"))
        row("peak RSS: graf query / tantivy search / rg", mib(g, t, rg))

    header = [
        f"Run {env['date']} on {env['cpu']} ({env['nproc']} cores, {env['ram']}), "
        f"load average {env['load_before']} before, {env['load_after']} after. "
        f"Medians of {args.runs} ingest rounds and {args.query_runs} query rounds "
        f"(after {args.warmup} warm-up runs), min–max in brackets; the tools take turns "
        "within each round.",
        "",
        "| measurement | " + " | ".join(f"{r['scale']}×" for r in results) + " |",
        "|---|" + "---|" * len(results),
    ]
    footer = ["", "Tools: " + "; ".join(f"{k}: {v}" for k, v in env["versions"].items())]
    return "\n".join(header + rows + footer) + "\n"


def tool_version(cmd: list[str]) -> str:
    try:
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=30)
        return (p.stdout or p.stderr).strip().splitlines()[0]
    except (OSError, subprocess.TimeoutExpired, IndexError):
        return "unknown"


def machine() -> dict:
    cpu = platform.processor() or "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        kb = next(int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines()
                  if line.startswith("MemTotal"))
        ram = f"{kb / MiB:.1f} GiB RAM"
    except (OSError, StopIteration):
        ram = "unknown RAM"
    return {"cpu": cpu, "nproc": os.cpu_count(), "ram": ram}


def loadavg() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "?"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--graf", default=str(ROOT / "target" / "release" / "graf"),
                    help="graf binary (default target/release/graf); missing -> peers only")
    ap.add_argument("--tantivy", default=str(ROOT / "target" / "bench" / "tools" / "bin" /
                                             "tantivy"),
                    help="tantivy-cli 0.24 binary (default target/bench/tools/bin/tantivy; "
                         "benches/install-peers.sh installs it)")
    ap.add_argument("--scales", default="1", help="comma-separated, e.g. 1,4,16 (default 1)")
    ap.add_argument("--runs", type=int, default=3, help="ingest rounds per scale (default 3)")
    ap.add_argument("--query-runs", type=int, default=10, help="query rounds (default 10)")
    ap.add_argument("--warmup", type=int, default=2, help="untimed query runs (default 2)")
    ap.add_argument("--term", dest="terms", action="append",
                    help="rare query term, repeatable (default: fentanyl)")
    ap.add_argument("--threads", type=int, default=2, help="tantivy-cli -t (default 2)")
    ap.add_argument("--tantivy-memory", type=int, default=1_000_000_000,
                    help="tantivy-cli -m, bytes split across threads (default 1000000000, "
                         "tantivy-cli's own default)")
    ap.add_argument("--calibrate", action="store_true",
                    help="run tantivy-cli twice a round and report the second run over the "
                         "first: the noise of a single round's ratio on this machine")
    ap.add_argument("--out", type=Path, default=ROOT / "target" / "bench",
                    help="corpus folder of benches/corpus.py (default target/bench)")
    args = ap.parse_args()
    args.terms = args.terms or ["fentanyl"]
    args.out = args.out.resolve()
    if args.runs < 1 or args.query_runs < 1:
        ap.error("--runs and --query-runs must be at least 1")
    try:
        scales = sorted({int(x) for x in args.scales.split(",") if x.strip()})
    except ValueError:
        ap.error(f"--scales: expected numbers like 1,4,16, got {args.scales!r}")

    missing = [t for t in ("find", "rg", TIME) if shutil.which(t) is None]
    if not os.access(args.tantivy, os.X_OK):
        missing.append(f"tantivy-cli at {args.tantivy}")
    if missing:
        sys.exit("bench.py: missing " + ", ".join(missing) +
                 " (run benches/install-peers.sh first)")
    graf = shutil.which(args.graf)  # a path, or a name on PATH
    graf = str(Path(graf).resolve()) if graf else None
    if graf is None:
        print(f"bench.py: no graf binary at {args.graf}: measuring the peers only",
              file=sys.stderr)

    # Build (or check) the corpus at every requested scale.
    subprocess.run([sys.executable, str(ROOT / "benches" / "corpus.py"), "--out", str(args.out),
                    "--scales", ",".join(map(str, scales))], check=True, stdout=sys.stderr)
    stats = json.loads((args.out / "corpus.stats.json").read_text())

    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    results_dir = args.out / "results"
    results_dir.mkdir(parents=True, exist_ok=True)
    work = args.out / "work"
    work.mkdir(parents=True, exist_ok=True)
    check_schema(args.tantivy, args.out / "tantivy-meta.json", work)
    log = results_dir / f"{stamp}.log"

    env = {"date": dt.datetime.now().strftime("%Y-%m-%d %H:%M"), **machine(),
           "load_before": loadavg(),
           "versions": {"tantivy-cli": "0.24.0 (" + tool_version([args.tantivy, "--version"])
                        + ")",
                        "rg": tool_version(["rg", "--version"]),
                        "find": tool_version(["find", "--version"]),
                        "graf": tool_version([graf, "--version"]) if graf else "not found"}}
    results = [bench_scale(n, args, graf, work, log, n * stats["1x"]["paragraphs"])
               for n in scales]
    env["load_after"] = loadavg()

    md = markdown(results, stats, args, env)
    raw = {"env": env, "args": {k: str(v) for k, v in vars(args).items()}, "corpus": stats,
           "results": [{"scale": r["scale"], "corpus": r["corpus"],
                        "ingest": {k: v.to_json() for k, v in r["ingest"].items()},
                        "queries": {t: {k: v.to_json() for k, v in q.items()}
                                    for t, q in r["queries"].items()}} for r in results]}
    (results_dir / f"{stamp}.json").write_text(json.dumps(raw, indent=2) + "\n")
    (results_dir / f"{stamp}.md").write_text(md)
    print(md)
    print(f"raw samples: {results_dir / (stamp + '.json')}; command log: {log}", file=sys.stderr)


if __name__ == "__main__":
    main()
