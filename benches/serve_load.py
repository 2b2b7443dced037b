#!/usr/bin/env python3
"""Load on `graf serve` beside tantivy-cli 0.24's `tantivy serve`, in the same run, on loopback.

Both servers answer the same query over the benchmark corpus under `wrk` with 16 connections for
10 s, taking turns within each round (never both loaded at once):

  tantivy serve   GET /api?q=oil+prices&nhits=10          (hits with their stored fields)
  graf serve      GET /api/search?q=oil+prices&limit=10   (hits with fields *and* snippets)

Targets (issue 14): graf's requests/s >= 1.0x tantivy-cli's, p99 <= 50 ms, no errors, graf
serve's peak RSS <= 200 MiB. The results go to BENCHMARKS.md by hand, with the machine.

Indexes are built the way benches/bench.py builds them: tantivy-cli `index` of the corpus's
NDJSON into a fresh folder holding tantivy-meta.json, and `graf ingest` of the corpus folder.
They are kept under --work and reused when present (pass --fresh to rebuild).

Traffic goes to 127.0.0.1 only; each wrk run is bounded by its duration, and both servers are
stopped at the end, whatever happens.

  python3 benches/serve_load.py                       # defaults below
  python3 benches/serve_load.py --duration 10 --connections 16 --rounds 3

Needs: wrk (apt-get install wrk), a release graf (cargo build --release), tantivy-cli 0.24
(benches/install-peers.sh, or --tantivy PATH).
"""

import argparse
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"
QUERY = "oil prices"


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def wait_listening(port: int, proc: subprocess.Popen, timeout: float = 120.0) -> None:
    start = time.monotonic()
    while time.monotonic() - start < timeout:
        if proc.poll() is not None:
            sys.exit(f"serve_load.py: the server exited with {proc.returncode} before listening")
        try:
            with socket.create_connection((HOST, port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    sys.exit(f"serve_load.py: nothing listened on {HOST}:{port} within {timeout} s")


def peak_rss_kib(pid: int) -> int:
    """VmHWM: the process's peak resident set so far."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return 0


def cpu_seconds(pid: int) -> float:
    """User plus system CPU time the process has used so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def build_indexes(args, work: Path) -> tuple[Path, Path]:
    t_idx, g_idx = work / "tantivy", work / "graf"
    if args.fresh:
        for folder in (t_idx, g_idx):
            shutil.rmtree(folder, ignore_errors=True)
    if not (t_idx / "meta.json").exists() or json.loads((t_idx / "meta.json").read_text())["segments"] == []:
        shutil.rmtree(t_idx, ignore_errors=True)
        t_idx.mkdir(parents=True)
        shutil.copyfile(args.tantivy_meta, t_idx / "meta.json")
        print(f"building the tantivy-cli index in {t_idx} ...", file=sys.stderr)
        subprocess.run([args.tantivy, "index", "-i", str(t_idx), "-f", str(args.ndjson), "-t", "2",
                        "-m", "1000000000"], check=True, stdout=subprocess.DEVNULL)
    if not (g_idx / "meta.json").exists():
        print(f"building the graf index in {g_idx} ...", file=sys.stderr)
        subprocess.run([args.graf, "ingest", str(args.corpus), "--index", str(g_idx)], check=True,
                       stdout=subprocess.DEVNULL)
    return t_idx, g_idx


def parse_wrk(out: str) -> dict:
    def number_with_unit(text: str) -> float:
        """wrk's latencies: 812.00us, 3.21ms, 1.02s -> milliseconds."""
        m = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text)
        value, unit = float(m.group(1)), m.group(2)
        return value * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[unit]

    result = {"rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
              "requests": int(re.search(r"(\d+) requests in", out).group(1)),
              "non_2xx": 0, "socket_errors": 0}
    for pct in ("50", "75", "90", "99"):
        m = re.search(rf"^\s+{pct}(?:\.000)?%\s+(\S+)", out, re.M)
        result[f"p{pct}_ms"] = number_with_unit(m.group(1))
    if m := re.search(r"Non-2xx or 3xx responses: (\d+)", out):
        result["non_2xx"] = int(m.group(1))
    if m := re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out):
        result["socket_errors"] = sum(int(g) for g in m.groups())
    return result


class Server:
    """A server under test: started, checked, loaded by wrk in rounds, stopped."""

    def __init__(self, name: str, cmd: list[str], port: int, path: str):
        self.name, self.cmd, self.url = name, cmd, f"http://{HOST}:{port}{path}"
        self.port, self.rounds, self.proc = port, [], None

    def start(self) -> None:
        print(f"{self.name}: {' '.join(self.cmd)}", file=sys.stderr)
        self.proc = subprocess.Popen(self.cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_listening(self.port, self.proc)
        with urllib.request.urlopen(self.url, timeout=30) as response:
            body = json.loads(response.read())
        self.hits = body.get("hits", [])
        if not self.hits:
            sys.exit(f"serve_load.py: {self.name} answered no hits for {self.url}: {str(body)[:300]}")
        self.snippets = all(hit.get("snippet") for hit in self.hits)

    def load(self, args) -> None:
        cpu_before = cpu_seconds(self.proc.pid)
        wrk = subprocess.run(["wrk", "-t", str(args.wrk_threads), "-c", str(args.connections),
                              "-d", f"{args.duration}s", "--latency", "--timeout", "10s", self.url],
                             check=True, capture_output=True, text=True)
        result = parse_wrk(wrk.stdout)
        # CPU time per request: what the server itself spent, whatever else runs on the machine.
        result["cpu_ms_per_request"] = (cpu_seconds(self.proc.pid) - cpu_before) * 1000 / result["requests"]
        print(f"  {self.name} round {len(self.rounds) + 1}: {result['rps']:.0f} req/s, "
              f"p99 {result['p99_ms']:.1f} ms, errors {result['non_2xx'] + result['socket_errors']}, "
              f"{result['cpu_ms_per_request']:.3f} CPU ms/request", file=sys.stderr)
        self.rounds.append(result)

    def stop(self) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        self.peak_rss_mib = peak_rss_kib(self.proc.pid) / 1024
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


def machine() -> str:
    model = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                  if line.startswith("model name")), "unknown CPU")
    mem_kib = int(next(line.split()[1] for line in Path("/proc/meminfo").read_text().splitlines()
                       if line.startswith("MemTotal:")))
    return f"{model}, {os.cpu_count()} cores, {mem_kib / 1024 / 1024:.1f} GiB RAM"


def load() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def median(values: list[float]) -> float:
    values = sorted(values)
    return values[len(values) // 2]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--graf", default=str(ROOT / "target" / "release" / "graf"))
    ap.add_argument("--tantivy", default=shutil.which("tantivy") or "/work/tools/bin/tantivy")
    ap.add_argument("--corpus", type=Path, default=Path("/work/benchdata/corpus"))
    ap.add_argument("--ndjson", type=Path, default=Path("/work/benchdata/corpus.ndjson"))
    ap.add_argument("--tantivy-meta", type=Path, default=Path("/work/benchdata/tantivy-meta.json"))
    ap.add_argument("--work", type=Path, default=ROOT / "target" / "bench" / "serve")
    ap.add_argument("--fresh", action="store_true", help="rebuild both indexes")
    ap.add_argument("--duration", type=int, default=10, help="seconds per wrk run (default 10)")
    ap.add_argument("--connections", type=int, default=16, help="wrk -c (default 16)")
    ap.add_argument("--wrk-threads", type=int, default=2, help="wrk -t (default 2)")
    ap.add_argument("--rounds", type=int, default=3, help="wrk runs per server (default 3)")
    ap.add_argument("--json", type=Path, help="also write the results here")
    args = ap.parse_args()
    for tool in ("wrk",):
        if not shutil.which(tool):
            sys.exit(f"serve_load.py: {tool} is missing (apt-get install {tool})")
    for binary in (args.graf, args.tantivy):
        if not os.access(binary, os.X_OK):
            sys.exit(f"serve_load.py: {binary} is missing")
    args.work.mkdir(parents=True, exist_ok=True)
    t_idx, g_idx = build_indexes(args, args.work)

    load_before = load()
    q = urllib.parse.quote_plus(QUERY)
    t_port, g_port = free_port(), free_port()
    servers = [
        Server("tantivy-cli serve", [args.tantivy, "serve", "-i", str(t_idx), "--host", HOST, "--port",
                                     str(t_port)], t_port, f"/api?q={q}&nhits=10"),
        Server("graf serve", [args.graf, "serve", "--index", str(g_idx), "--listen", f"{HOST}:{g_port}"],
               g_port, f"/api/search?q={q}&limit=10"),
    ]
    try:
        for server in servers:
            server.start()
        # The servers take turns within each round, so that both meet the same load from others.
        for _ in range(args.rounds):
            for server in servers:
                server.load(args)
    finally:
        for server in servers:
            server.stop()
    tantivy, graf = ({"name": s.name, "url": s.url, "hits": len(s.hits), "snippets": s.snippets,
                      "rounds": s.rounds, "peak_rss_mib": s.peak_rss_mib} for s in servers)

    def summary(s: dict) -> dict:
        rounds = s["rounds"]
        return {"rps": median([r["rps"] for r in rounds]),
                "p50_ms": median([r["p50_ms"] for r in rounds]),
                "p99_ms": max(r["p99_ms"] for r in rounds),
                "errors": sum(r["non_2xx"] + r["socket_errors"] for r in rounds),
                "requests": sum(r["requests"] for r in rounds),
                "cpu_ms": median([r["cpu_ms_per_request"] for r in rounds]),
                "peak_rss_mib": s["peak_rss_mib"], "snippets": s["snippets"], "hits": s["hits"]}

    t, g = summary(tantivy), summary(graf)
    ratio = g["rps"] / t["rps"]
    print(f"\n{time.strftime('%Y-%m-%d %H:%M')} on {machine()}; load average {load_before} before, "
          f"{load()} after. wrk -t{args.wrk_threads} -c{args.connections} -d{args.duration}s, "
          f"{args.rounds} rounds per server, query {QUERY!r}.\n")
    print("| | tantivy-cli 0.24 `serve` | graf serve | target |")
    print("|---|---:|---:|---|")
    print(f"| requests/s (median of rounds) | {t['rps']:.0f} | {g['rps']:.0f} | graf ≥ 1.0× tantivy-cli: "
          f"{ratio:.2f}× {'met' if ratio >= 1.0 else 'NOT met'} |")
    print(f"| server CPU time per request (median of rounds) | {t['cpu_ms']:.3f} ms | {g['cpu_ms']:.3f} ms | "
          f"graf / tantivy-cli: {g['cpu_ms'] / t['cpu_ms']:.2f}× |")
    print(f"| p50 latency | {t['p50_ms']:.2f} ms | {g['p50_ms']:.2f} ms | |")
    print(f"| p99 latency (worst round) | {t['p99_ms']:.2f} ms | {g['p99_ms']:.2f} ms | ≤ 50 ms: "
          f"{'met' if g['p99_ms'] <= 50 else 'NOT met'} |")
    print(f"| errors (non-2xx + socket) of requests | {t['errors']} of {t['requests']} | {g['errors']} of "
          f"{g['requests']} | none: {'met' if g['errors'] == 0 else 'NOT met'} |")
    print(f"| server peak RSS | {t['peak_rss_mib']:.0f} MiB | {g['peak_rss_mib']:.0f} MiB | ≤ 200 MiB: "
          f"{'met' if g['peak_rss_mib'] <= 200 else 'NOT met'} |")
    print(f"| hits per answer / snippets | {t['hits']} / {'yes' if t['snippets'] else 'no'} | {g['hits']} / "
          f"{'yes' if g['snippets'] else 'no'} | |")
    if args.json:
        args.json.write_text(json.dumps({"tantivy": tantivy, "graf": graf}, indent=2))


if __name__ == "__main__":
    main()
