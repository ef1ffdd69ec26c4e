"""Benchmark: the full Paris 2024 import into fresh SQLite and fresh PostgreSQL planes.

Run: `uv run python benchmarks/bench_import.py [--repeats N] [--quick] [--no-pg]`

For each backend and each repeat: fresh planes (a temporary data folder; for PostgreSQL
two throwaway databases on 127.0.0.1:5432, dropped at the end), migrations (timed apart),
then the import (the "first run"), then the same import again (the "second run": it must
write nothing). Figures are medians over the repeats.

Baseline, measured in the same run: reading and parsing the very CSV files the importer
reads with the stdlib `csv` module and nothing else. The ratio import / baseline says
what everything past plain parsing costs: validation, repairs, RSC rebuilding, the
diff against the tables and the database writes.
"""

from __future__ import annotations

import csv
import os
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import base_parser, median, pg_reachable, throwaway_pg_databases
from podium.core.db import open_planes
from podium.core.settings import Settings
from podium.migrations import upgrade_all
from podium.paris2024 import DEFAULT_SOURCE, ImportOptions, ImportReport, import_paris2024

# The files `import_paris2024` reads (src/podium/paris2024/{people,schedule,results,medals}.py).
_FIXED_FILES = (
    "nocs.csv",
    "olympics-in-numbers/countries.csv",
    "olympics-in-numbers/disciplines.csv",
    "olympics-in-numbers/events.csv",
    "olympics-in-numbers/athletes.csv",
    "venues.csv",
    "schedules.csv",
    "coaches.csv",
    "technical_officials.csv",
    "teams.csv",
    "medals.csv",
    "paralympics/medals.csv",
)


def imported_files(root: Path) -> list[Path]:
    """Return the CSV files the importer reads, in a stable order."""
    return [root / name for name in _FIXED_FILES] + sorted((root / "results").glob("*.csv"))


def parse_only(files: list[Path]) -> int:
    """Read and parse every file with `csv.DictReader`, as `read_rows` does; return the rows."""
    rows = 0
    for path in files:
        with path.open(newline="", encoding="utf-8") as handle:
            for _row in csv.DictReader(handle):
                rows += 1
    return rows


@dataclass
class Runs:
    """The timings of one backend over the repeats, in seconds."""

    backend: str
    migrate: list[float] = field(default_factory=list)
    first: list[float] = field(default_factory=list)
    second: list[float] = field(default_factory=list)
    reports: list[ImportReport] = field(default_factory=list)
    second_changed: list[int] = field(default_factory=list)
    writing: list[float] = field(default_factory=list)
    """Seconds of the first import spent in its "writing" stage (both planes' transactions)."""


class StageClock:
    """A `step` callback for `import_paris2024` that remembers when each stage began."""

    def __init__(self) -> None:
        """Start with no stage seen."""
        self.marks: dict[str, float] = {}

    def __call__(self, name: str) -> None:
        """Note the start of stage `name`."""
        self.marks[name] = time.perf_counter()


Urls = Callable[[int], AbstractContextManager[tuple[str | None, str | None]]]
"""Given the repeat number, the games and sovereign URLs (None: SQLite in the data folder)."""


@contextmanager
def sqlite_urls(_repeat: int) -> Iterator[tuple[str | None, str | None]]:
    """Yield no URLs: the planes default to SQLite files in the data folder."""
    yield None, None


@contextmanager
def postgres_urls(repeat: int) -> Iterator[tuple[str | None, str | None]]:
    """Yield the URLs of two fresh PostgreSQL databases, dropped afterwards."""
    stem = f"podium_bench_{{}}_{os.getpid()}_{repeat}"
    with throwaway_pg_databases(stem.format("games"), stem.format("sovereign")) as (
        games,
        sovereign,
    ):
        yield games, sovereign


def run_backend(backend: str, urls: Urls, repeats: int) -> Runs:
    """Import `repeats` times into fresh planes of one backend, twice each time."""
    runs = Runs(backend)
    for repeat in range(repeats):
        with (
            tempfile.TemporaryDirectory(prefix="podium-bench-") as tmp,
            urls(repeat) as (games, sov),
        ):
            data_dir = Path(tmp)
            planes = open_planes(
                Settings(data_dir=data_dir, games_db_url=games, sovereign_db_url=sov)
            )
            try:
                started = time.perf_counter()
                upgrade_all(planes.games, planes.sovereign)
                runs.migrate.append(time.perf_counter() - started)
                options = ImportOptions(source=DEFAULT_SOURCE, data_dir=data_dir)
                stages = StageClock()
                started = time.perf_counter()
                report = import_paris2024(planes, options, stages)
                ended = time.perf_counter()
                runs.first.append(ended - started)
                runs.writing.append(ended - stages.marks.get("writing", ended))
                runs.reports.append(report)
                started = time.perf_counter()
                again = import_paris2024(planes, options)
                runs.second.append(time.perf_counter() - started)
                runs.second_changed.append(again.changed)
            finally:
                planes.dispose()
        print(
            f"  {backend:10} repeat {repeat + 1}/{repeats}: migrate {runs.migrate[-1]:6.2f} s, "
            f"first import {runs.first[-1]:6.2f} s (writing {runs.writing[-1]:5.2f} s), "
            f"second import {runs.second[-1]:6.2f} s",
            flush=True,
        )
    return runs


def print_tables(report: ImportReport) -> None:
    """Print the rows written per table by one first import."""
    print(f"\nRows written by a first import into empty planes ({report.source}):")
    print(f"  {'table':22} {'inserted':>9}")
    for count in report.tables:
        print(f"  {count.table:22} {count.inserted:9d}")
    total = sum(c.inserted for c in report.tables)
    print(f"  {'total':22} {total:9d}")
    print(f"  quarantined rows: {len(report.quarantined)}, repaired rows: {len(report.notices)}")


def print_summary(baseline: float, source_rows: int, results: list[Runs]) -> None:
    """Print the medians and their ratio to the parse-only baseline."""
    print("\nMedians (seconds); ratio = time / baseline")
    print(f"  baseline: csv.DictReader over the same files: {baseline:.3f} s ({source_rows} rows)")
    columns = ("runs", 4), ("migrate", 8), ("first", 8), ("ratio", 7), ("second", 8), ("ratio", 7)
    print(f"  {'backend':10} " + " ".join(f"{name:>{width}}" for name, width in columns))
    for r in results:
        first, second = median(r.first), median(r.second)
        print(
            f"  {r.backend:10} {len(r.first):4d} {median(r.migrate):8.2f} {first:8.2f} "
            f"{first / baseline:6.1f}x {second:8.2f} {second / baseline:6.1f}x"
        )
    print("  first run split (medians): reading and checking every row | writing both planes")
    for r in results:
        writing = median(r.writing)
        collect = median(r.first) - writing
        print(f"  {r.backend:10} {collect:8.2f} s | {writing:.2f} s")
    for r in results:
        written = r.reports[0].changed if r.reports else 0
        rows_per_s = written / median(r.first) if r.first else 0.0
        idempotent = "yes" if all(c == 0 for c in r.second_changed) else f"NO {r.second_changed}"
        print(
            f"  {r.backend}: {written} rows written by the first run ({rows_per_s:,.0f} rows/s); "
            f"second run wrote nothing: {idempotent}"
        )


def main() -> int:
    """Run the benchmark; return the exit status."""
    parser = base_parser(__doc__.splitlines()[0], repeats=5)
    parser.add_argument("--no-pg", action="store_true", help="measure SQLite only")
    args = parser.parse_args()
    repeats = 1 if args.quick else max(1, args.repeats)
    files = imported_files(DEFAULT_SOURCE)
    size_mb = sum(f.stat().st_size for f in files) / 1e6
    print(f"Paris 2024 import benchmark: {len(files)} CSV files, {size_mb:.1f} MB", end="")
    print(f", {repeats} repeat(s)")
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs")

    baseline_times, source_rows = [], 0
    for _ in range(max(5, repeats)):
        started = time.perf_counter()
        source_rows = parse_only(files)
        baseline_times.append(time.perf_counter() - started)
    baseline = median(baseline_times)
    print(f"  baseline   parse only: median {baseline:.3f} s over {len(baseline_times)} runs")

    results = [run_backend("sqlite", sqlite_urls, repeats)]
    unreachable = "skipped (--no-pg)" if args.no_pg else pg_reachable()
    if unreachable is None:
        results.append(run_backend("postgresql", postgres_urls, repeats))
    else:
        print(f"  PostgreSQL at 127.0.0.1:5432 not measured: {unreachable}")

    print_tables(results[0].reports[0])
    print_summary(baseline, source_rows, results)
    return 0 if all(c == 0 for r in results for c in r.second_changed) else 1


if __name__ == "__main__":
    sys.exit(main())
