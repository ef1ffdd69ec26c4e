"""Benchmark of the feed engine: ODF messages built and appended per second, one core.

Budget (DESIGN.md): >= 20,000 messages built and published per second on one core.

Run: `uv run python benchmarks/bench_feed.py [--repeats N] [--quick]`. On a temporary
SQLite node with the bundled Paris 2024 data imported once, each repeat copies the node,
queues the `DT_RESULT` of every unit with results (about 3,800 documents) in the outbox,
and times one engine pass: read the units' results, build each message, digest it, give
it its Version and sequence number and insert it into the feed log, in one transaction.
Printed: the median rate of the whole pass, and of its parts, next to two same-run
baselines:

- *insert only*: the same message bytes inserted into an empty copy of the feed-log
  table with one multi-row `INSERT` (what the log costs with nothing to build);
- *build only, from models*: `podium.odf.build_result` on the same messages already
  held as models (no database at all).

The ratio of the pass to the baselines says where the time goes.
"""

from __future__ import annotations

import shutil
import sqlite3
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from sqlalchemy import select

from _common import base_parser, median
from podium.core.db import open_planes
from podium.core.settings import Settings
from podium.diffusion.engine import FeedEngine
from podium.diffusion.feed import feed_context
from podium.diffusion.outbox import FeedItem, mark_changed
from podium.diffusion.results_messages import result_messages
from podium.migrations import upgrade_all
from podium.odf import UnitResult, build_result, parse_message
from podium.paris2024 import DEFAULT_SOURCE, ImportOptions, import_paris2024
from podium.results import UnitResult as ResultRow


def _copy(source: Path, target: Path) -> None:
    target.mkdir(parents=True)
    for name in ("games.sqlite", "sovereign.sqlite"):
        with sqlite3.connect(source / name) as src, sqlite3.connect(target / name) as dst:
            src.backup(dst)
    shutil.copytree(source / "keys", target / "keys")


def _engine_pass(node: Path) -> tuple[int, float, list[bytes]]:
    """Queue every unit's DT_RESULT and time one engine pass; return count, s, contents."""
    planes = open_planes(Settings(data_dir=node))
    try:
        with planes.games_session() as session:
            units = sorted(set(session.scalars(select(ResultRow.unit_rsc))))
            mark_changed(session, [FeedItem("DT_RESULT", u) for u in units], datetime.now(UTC))
        engine = FeedEngine(planes, feed_context(), window_ms=0)
        started = time.perf_counter()
        result = engine.pump(limit=len(units))
        elapsed = time.perf_counter() - started
    finally:
        planes.dispose()
    return len(result.events), elapsed, [e.content for e in result.events]


def _insert_only(contents: list[bytes], folder: Path) -> float:
    """Time one multi-row insert of the same bytes into a bare feed-log-shaped table."""
    path = folder / "insert-only.sqlite"
    with sqlite3.connect(path) as connection:
        connection.execute("PRAGMA journal_mode=WAL")
        connection.execute(
            "CREATE TABLE feed_message (seq INTEGER PRIMARY KEY, document_code TEXT,"
            " version INTEGER, content BLOB)"
        )
        rows = [(i + 1, f"{i:034d}", 1, c) for i, c in enumerate(contents)]
        started = time.perf_counter()
        connection.executemany("INSERT INTO feed_message VALUES (?, ?, ?, ?)", rows)
        connection.commit()
        elapsed = time.perf_counter() - started
    path.unlink()
    return elapsed


def _models(node: Path) -> list[tuple[object, UnitResult]]:
    """The same DT_RESULTs as (header, payload) models, built once from the database."""
    planes = open_planes(Settings(data_dir=node))
    try:
        with planes.games_session() as session:
            messages = list(result_messages(session, feed_context()))
    finally:
        planes.dispose()
    models = []
    for message in messages:
        parsed = parse_message(message.content)
        if not isinstance(parsed.payload, UnitResult):
            continue
        models.append((parsed.header, parsed.payload))
    return models


def _build_only(models: list[tuple[object, UnitResult]]) -> float:
    started = time.perf_counter()
    for header, payload in models:
        build_result(header, payload)  # type: ignore[arg-type]
    return time.perf_counter() - started


def main() -> int:
    """Run the benchmark; print medians and ratios; exit 0."""
    parser = base_parser(__doc__.splitlines()[0], repeats=5)
    args = parser.parse_args()
    repeats = 1 if args.quick else args.repeats
    with tempfile.TemporaryDirectory(prefix="podium-bench-feed-") as tmp:
        root = Path(tmp)
        imported = root / "imported"
        planes = open_planes(Settings(data_dir=imported))
        upgrade_all(planes.games, planes.sovereign)
        import_paris2024(planes, ImportOptions(source=DEFAULT_SOURCE, data_dir=imported))
        planes.dispose()
        models = _models(imported)
        passes, inserts, builds = [], [], []
        count = 0
        for repeat in range(repeats):
            node = root / f"node-{repeat}"
            _copy(imported, node)
            count, elapsed, contents = _engine_pass(node)
            passes.append(count / elapsed)
            inserts.append(count / _insert_only(contents, root))
            builds.append(len(models) / _build_only(models))
            shutil.rmtree(node)
    engine_rate, insert_rate, build_rate = median(passes), median(inserts), median(builds)
    print(f"feed engine pass, {count} DT_RESULT messages (median of {repeats}):")
    print(f"  built from the database and appended: {engine_rate:10,.0f} messages/s")
    print(
        f"  baseline, insert only (bare table):   {insert_rate:10,.0f} messages/s"
        f"   engine/insert = {engine_rate / insert_rate:.3f}"
    )
    print(
        f"  baseline, build only (from models):   {build_rate:10,.0f} messages/s"
        f"   engine/build  = {engine_rate / build_rate:.3f}"
    )
    budget = 20_000
    print(f"  budget {budget:,}/s: {'met' if engine_rate >= budget else 'NOT met'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
