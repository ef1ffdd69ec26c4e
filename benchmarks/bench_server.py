"""Benchmark: `podium serve` with all Paris 2024 data: memory, and latency under load.

Run: `uv run python benchmarks/bench_server.py [--repeats N] [--quick] [--requests N]`

1. Imports Paris 2024 into a temporary data folder (SQLite planes), once.
2. Starts `podium --data-dir TMP serve --port P` (the venv's console script, so the pid
   is the serving python process itself) and, the same way, a baseline: a minimal
   FastAPI app with one constant-JSON route, served by the same `uvicorn.run` call
   (`benchmarks/_common.py serve-baseline`).
3. Memory: VmRSS and VmHWM of the serving process from `/proc/<pid>/status`, idle, after
   one request to every route, and after the load; compared with the 300 MB budget
   (DESIGN.md, "Budgets").
4. Latency: a bounded load generator (httpx, one keep-alive client per thread,
   `--concurrency` threads, `--requests` requests per route and repeat, then it stops)
   hits each route in turn, the baseline first, every repeat. Figures are medians over
   the repeats of p50/p90/p99 latency and requests per second; the ratio to the
   baseline route shows Podium's own cost over bare FastAPI + uvicorn. Client and
   servers share the machine: on 2 cores, requests/s is a floor, not a capacity.

Only 127.0.0.1 is used. Both servers are stopped at the end, also on error.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from http import HTTPStatus
from itertools import count
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import (
    REPO,
    Server,
    base_parser,
    free_port,
    median,
    percentile,
    process_memory,
)
from podium.core.db import open_planes
from podium.core.settings import Settings
from podium.migrations import upgrade_all
from podium.paris2024 import DEFAULT_SOURCE, ImportOptions, import_paris2024

BUDGET_MB = 300.0
DAY = "2024-08-04"
UNIT = "SWMM100MBA------------HEAT000100--"
EVENT = "SWMM100MBA------------------------"

LOADED_API = (
    "/api/medals",
    f"/api/schedule?day={DAY}",
    f"/api/units/{UNIT}/results",
    "/api/nocs",
)
LOADED_PAGES = ("/en/medals", f"/en/schedule?day={DAY}", f"/en/units/{UNIT}")
WARM_ONLY = (
    "/api/days",
    "/api/disciplines",
    "/api/venues",
    "/api/events",
    f"/api/events/{EVENT}",
    f"/api/events/{EVENT}/units",
    f"/api/units/{UNIT}",
    "/api/nocs/FRA",
    "/api/medals?games=PG2024",
    "/api/medallists",
    "/api/schedule",
    "/",
    "/en/",
    "/fr/medals",
    "/en/medallists",
    "/en/nocs",
    "/en/nocs/FRA",
    f"/en/events/{EVENT}",
    "/odf/",
)
"""Requested once before measuring memory, so that every lazily built cache is there."""
BASELINE_ROUTE = "/api/ping"


@dataclass
class RouteStats:
    """Load results of one route, one entry per repeat."""

    label: str
    p50: list[float] = field(default_factory=list)
    p90: list[float] = field(default_factory=list)
    p99: list[float] = field(default_factory=list)
    rps: list[float] = field(default_factory=list)
    statuses: Counter[int] = field(default_factory=Counter)
    failures: int = 0


@dataclass(frozen=True)
class Load:
    """One bounded load: how many requests, from how many clients, for at most how long."""

    requests: int
    concurrency: int
    max_seconds: float


@dataclass(frozen=True)
class Outcome:
    """What one load run saw: sorted latencies (ms), wall time (s), statuses, failures."""

    latencies: list[float]
    wall: float
    statuses: Counter[int]
    failures: int


def load(base_url: str, path: str, spec: Load) -> Outcome:
    """Send `spec.requests` GETs of `path` from `spec.concurrency` keep-alive clients.

    No request is started after `spec.max_seconds`, so a slow route cannot stretch
    the run without bound; the report then shows fewer requests than asked.
    """
    requests, concurrency = spec.requests, spec.concurrency
    tickets = count()  # next() on itertools.count is atomic under the GIL
    start = threading.Barrier(concurrency + 1)
    latencies: list[list[float]] = [[] for _ in range(concurrency)]
    statuses: list[Counter[int]] = [Counter() for _ in range(concurrency)]
    failures = [0] * concurrency

    def worker(index: int) -> None:
        with httpx.Client(base_url=base_url, timeout=60.0) as client:
            client.get(path)  # opens the connection outside the timed part
            start.wait()
            mine, seen = latencies[index], statuses[index]
            deadline = time.perf_counter() + spec.max_seconds
            while next(tickets) < requests and time.perf_counter() < deadline:
                began = time.perf_counter()
                try:
                    response = client.get(path)
                except httpx.TransportError:
                    failures[index] += 1
                    continue
                mine.append((time.perf_counter() - began) * 1000.0)
                seen[response.status_code] += 1

    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        futures = [pool.submit(worker, i) for i in range(concurrency)]
        start.wait()
        began = time.perf_counter()
        for future in futures:
            future.result()
        wall = time.perf_counter() - began
    merged = sorted(lat for per in latencies for lat in per)
    total: Counter[int] = Counter()
    for seen in statuses:
        total.update(seen)
    return Outcome(merged, wall, total, sum(failures))


def run_load(server: Server, path: str, stats: RouteStats, spec: Load) -> None:
    """Load one route once and append its figures to `stats`."""
    outcome = load(server.base_url, path, spec)
    latencies, wall = outcome.latencies, outcome.wall
    stats.p50.append(percentile(latencies, 0.50))
    stats.p90.append(percentile(latencies, 0.90))
    stats.p99.append(percentile(latencies, 0.99))
    stats.rps.append(len(latencies) / wall if wall > 0 else 0.0)
    stats.statuses.update(outcome.statuses)
    stats.failures += outcome.failures


def import_once(data_dir: Path) -> float:
    """Import Paris 2024 into SQLite planes in `data_dir`; return the seconds taken."""
    started = time.perf_counter()
    planes = open_planes(Settings(data_dir=data_dir))
    try:
        upgrade_all(planes.games, planes.sovereign)
        import_paris2024(planes, ImportOptions(source=DEFAULT_SOURCE, data_dir=data_dir))
    finally:
        planes.dispose()
    return time.perf_counter() - started


def warm(server: Server, paths: tuple[str, ...]) -> dict[str, tuple[int, int, float]]:
    """GET every path once; return path -> (status, body bytes, ms)."""
    seen = {}
    with httpx.Client(base_url=server.base_url, timeout=120.0) as client:
        todo = list(paths)
        for path in todo:  # grows while iterated: the first ODF message is added below
            began = time.perf_counter()
            response = client.get(path)
            seen[path] = (
                response.status_code,
                len(response.content),
                (time.perf_counter() - began) * 1000,
            )
            if path == "/odf/" and response.is_success and response.json():
                # One ODF message too: the listing names them, their codes are not fixed here.
                todo.append(response.json()[0]["url"])
    return seen


def print_memory(label: str, server: Server) -> float:
    """Print the serving process's memory; return its VmRSS in MB (10^6 bytes)."""
    assert server.process is not None  # noqa: S101  (started by the caller)
    mem = process_memory(server.process.pid)
    rss_mb, hwm_mb = mem.rss_mib * 1.048576, mem.hwm_mib * 1.048576
    print(
        f"  {label:34} VmRSS {rss_mb:7.1f} MB  VmHWM {hwm_mb:7.1f} MB  "
        f"(pid {mem.pid} {mem.name}; whole tree {mem.tree_rss_mib * 1.048576:.1f} MB)"
    )
    return rss_mb


def print_latency(results: list[RouteStats], baseline: RouteStats) -> None:
    """Print the medians per route and their ratio to the baseline route."""
    base_p50, base_rps = median(baseline.p50), median(baseline.rps)
    print("\nLatency under load, medians over repeats (ms); ratio = p50 / baseline p50")
    print(f"  {'route':54} {'p50':>7} {'p90':>7} {'p99':>7} {'req/s':>7} {'ratio':>7}  statuses")
    for stats in [baseline, *results]:
        p50, rps = median(stats.p50), median(stats.rps)
        codes = ", ".join(f"{code}x{n}" for code, n in sorted(stats.statuses.items()))
        if stats.failures:
            codes += f", {stats.failures} transport failures"
        print(
            f"  {stats.label:54} {p50:7.2f} {median(stats.p90):7.2f} {median(stats.p99):7.2f} "
            f"{rps:7.0f} {p50 / base_p50:6.1f}x  {codes}"
        )
    print(f"  baseline: {base_rps:.0f} req/s at p50 {base_p50:.2f} ms (bare FastAPI + uvicorn)")
    print(
        "  (statuses adding up to fewer than requests x repeats: the time cap stopped that route)"
    )


def try_wrk(servers: list[tuple[Server, str]], concurrency: int, seconds: int) -> None:
    """Run `wrk` against each route when it is installed (optional cross-check)."""
    wrk = shutil.which("wrk")
    if wrk is None:
        print("\nwrk: not installed, skipped (optional cross-check)")
        return
    print(f"\nwrk -t2 -c{concurrency} -d{seconds}s --latency (cross-check, one run each)")
    for server, path in servers:
        out = subprocess.run(
            [wrk, "-t2", f"-c{concurrency}", f"-d{seconds}s", "--latency", server.base_url + path],
            capture_output=True,
            text=True,
            check=False,
        ).stdout
        keep = [
            line.strip()
            for line in out.splitlines()
            if line.strip().startswith(("50%", "90%", "99%", "Requests/sec", "Non-2xx"))
        ]
        print(f"  {server.name} {path}: " + "; ".join(keep))


def servers(data_dir: Path, podium_bin: Path) -> tuple[Server, Server]:
    """Return the Podium server over `data_dir` and the baseline server, not started."""
    port, base_port = free_port(), free_port()
    podium = Server(
        "podium",
        [str(podium_bin), "--data-dir", str(data_dir), "serve", "--port", str(port)],
        port=port,
        log=data_dir / "podium-serve.log",
    )
    common = str(REPO / "benchmarks" / "_common.py")
    baseline = Server(
        "baseline",
        [sys.executable, common, "serve-baseline", "--port", str(base_port)],
        port=base_port,
        log=data_dir / "baseline-serve.log",
    )
    return podium, baseline


def measure_memory(podium: Server, baseline: Server) -> tuple[float, list[str]]:
    """Warm every route once, printing memory around it; return VmRSS and the routes to load."""
    print("\nServer memory (serving python process; budget 300 MB RSS)")
    print_memory("idle, after start", podium)
    warmed = warm(podium, LOADED_API + LOADED_PAGES + WARM_ONLY)
    rss_warm = print_memory("after one request to every route", podium)
    print_memory("baseline app, idle", baseline)

    print("\nWarm-up: one request per route (status, body size, time)")
    for path, (status, size, ms) in warmed.items():
        print(f"  {path:54} {status}  {size:9d} B  {ms:8.1f} ms")
    missing_pages = [p for p in LOADED_PAGES if warmed[p][0] == HTTPStatus.NOT_FOUND]
    if missing_pages:
        print(f"  pages not there yet (404), not loaded: {', '.join(missing_pages)}")
    return rss_warm, [p for p in LOADED_API + LOADED_PAGES if p not in missing_pages]


def measure_latency(
    podium: Server, baseline: Server, routes: list[str], spec: Load, repeats: int
) -> None:
    """Load the baseline route, then each Podium route, `repeats` times; print the medians."""
    base_stats = RouteStats(f"baseline {BASELINE_ROUTE}")
    stats = {path: RouteStats(path) for path in routes}
    print(f"\nLoad: {len(routes) + 1} routes x {spec.requests} requests x {repeats} repeat(s)")
    for repeat in range(repeats):
        began = time.perf_counter()
        run_load(baseline, BASELINE_ROUTE, base_stats, spec)
        for path in routes:
            run_load(podium, path, stats[path], spec)
        took = time.perf_counter() - began
        print(f"  repeat {repeat + 1}/{repeats} done in {took:.1f} s", flush=True)
    print_latency(list(stats.values()), base_stats)


def main() -> int:
    """Run the benchmark; return the exit status."""
    parser = base_parser(__doc__.splitlines()[0], repeats=3)
    parser.add_argument("--requests", type=int, help="per route and repeat (default 200, quick 60)")
    parser.add_argument("--concurrency", type=int, default=8, help="concurrent clients (default 8)")
    parser.add_argument(
        "--max-seconds", type=float, default=10.0, help="cap per route and repeat (s)"
    )
    args = parser.parse_args()
    repeats = 1 if args.quick else max(1, args.repeats)
    spec = Load(args.requests or (60 if args.quick else 200), args.concurrency, args.max_seconds)
    podium_bin = Path(sys.executable).parent / "podium"
    if not podium_bin.exists():
        print(f"no podium console script next to {sys.executable}: run through `uv run`")
        return 2

    print(
        f"Podium server benchmark: {repeats} repeat(s), {spec.requests} requests per route", end=""
    )
    print(f", {spec.concurrency} clients, at most {spec.max_seconds:.0f} s per route and repeat")
    with tempfile.TemporaryDirectory(prefix="podium-bench-serve-") as tmp:
        data_dir = Path(tmp)
        print(f"  import of Paris 2024 into {data_dir}: {import_once(data_dir):.1f} s")
        podium, baseline = servers(data_dir, podium_bin)
        with podium, baseline:
            try:
                took = podium.start("/api/nocs")
            except RuntimeError as error:
                print(f"  podium serve FAILED to start, nothing measured on it:\n{error}")
                return 1
            print(f"  podium   answers after {took:.1f} s on {podium.base_url}")
            took = baseline.start(BASELINE_ROUTE)
            print(f"  baseline answers after {took:.1f} s on {baseline.base_url}")

            rss_warm, routes = measure_memory(podium, baseline)
            measure_latency(podium, baseline, routes, spec, repeats)

            print("\nServer memory after the load")
            rss_after = print_memory("podium, after load", podium)
            verdict = "within" if max(rss_warm, rss_after) <= BUDGET_MB else "OVER"
            print(f"  VmRSS after warm-up {rss_warm:.1f} MB, after load {rss_after:.1f} MB", end="")
            print(f": {verdict} the {BUDGET_MB:.0f} MB budget")

            targets = [(baseline, BASELINE_ROUTE)] + [(podium, p) for p in routes]
            try_wrk(targets, spec.concurrency, 3 if args.quick else 5)
    return 0


if __name__ == "__main__":
    sys.exit(main())
