"""Benchmark: loading and re-checking the real Paris 2024 sport entries (15,873 entries).

Run: `uv run python benchmarks/bench_entries.py [--repeats R] [--quick]`

Imports the bundled Paris 2024 data once into a throwaway SQLite node, then per repeat:
deletes the entries and times `load_paris2024_entries` (reads every athlete's event list
and every team, checks each entry against the quotas, gender rules and duplicates through
the `Ledger`, inserts in one transaction), then `check_entries` (re-checks every entry in
the order it was made). Figures: entries per second, medians over the repeats.

Baseline, measured in the same run: inserting the same 15,873 rows into the same table
with one `executemany`, no rules. The ratio says what reading the sources and the rules
cost on top of the insert.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from sqlalchemy import delete, insert, select

from _common import base_parser, median
from podium.core.db import open_planes
from podium.core.settings import Settings
from podium.entries import Entry, EntryContext, check_entries, load_paris2024_entries
from podium.migrations import upgrade_all
from podium.paris2024 import DEFAULT_SOURCE, ImportOptions, import_paris2024


def main() -> None:
    """Run the benchmark and print the medians and the ratio to the baseline."""
    args = base_parser(__doc__.splitlines()[0], repeats=5).parse_args()
    repeats = 1 if args.quick else args.repeats
    with tempfile.TemporaryDirectory() as folder:
        planes = open_planes(Settings(data_dir=Path(folder)))
        upgrade_all(planes.games, planes.sovereign)
        import_paris2024(planes, ImportOptions(source=DEFAULT_SOURCE, data_dir=Path(folder)))
        context = EntryContext()
        loads, checks, baselines = [], [], []
        count = 0
        for _ in range(repeats):
            with planes.games_session() as games:
                games.execute(delete(Entry))
            start = time.perf_counter()
            with planes.games_session() as games:
                count = load_paris2024_entries(games, context).entered
            loads.append(time.perf_counter() - start)
            start = time.perf_counter()
            with planes.games_session() as games:
                check_entries(games, context)
            checks.append(time.perf_counter() - start)
            with planes.games_session() as games:
                rows = [dict(m) for m in games.execute(select(Entry.__table__)).mappings()]
                games.execute(delete(Entry))
            start = time.perf_counter()
            with planes.games_session() as games:
                games.execute(insert(Entry), rows)
            baselines.append(time.perf_counter() - start)
        planes.dispose()
    load, check, base = median(loads), median(checks), median(baselines)
    print(f"entries: {count}, repeats: {repeats}")
    print(f"load_paris2024_entries: {load:.3f} s median, {count / load:,.0f} entries/s")
    print(f"check_entries:          {check:.3f} s median, {count / check:,.0f} entries/s")
    print(f"baseline bare insert:   {base:.3f} s median, {count / base:,.0f} rows/s")
    print(f"ratio load / baseline:  {load / base:.1f}")


if __name__ == "__main__":
    main()
