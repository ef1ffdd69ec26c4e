"""Benchmark: export and erasure of one Paris 2024 athlete, on SQLite and PostgreSQL.

Run: `uv run python benchmarks/bench_subject.py [--repeats N] [--quick] [--no-pg]`

After a full Paris 2024 import into fresh planes, the athlete is the medallist with team
memberships and the most result rows (the largest realistic footprint in the data). Timed:
`export_subject` (walk both planes' tables by link column, decrypt, read audit records,
append the export's audit record), `write_export` (JSON + HTML), and `erase_subject` (on a
fresh import each repeat: delete, crypto-shred, mark, audit). Figures are medians.

Baseline, same run: the same rows read with plain SELECTs on the link columns of every
table, no decryption, no audit record, no rendering. Ratio = Podium / baseline.

Accreditation and tickets do not exist yet (later issues): an athlete's footprint here is
participant, team memberships, teams, results, medals, the sealed person and audit records.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from sqlalchemy import func, or_, select

from _common import base_parser, median, pg_reachable, throwaway_pg_databases
from podium.core.db import Planes, open_planes
from podium.core.settings import Settings
from podium.migrations import upgrade_all
from podium.paris2024 import DEFAULT_SOURCE, ImportOptions, import_paris2024
from podium.people import Participant, TeamMember
from podium.privacy.spine import open_spine
from podium.results import MedalRecord, UnitResult
from podium.subjects import erase_subject, export_subject, write_export
from podium.subjects._planes import both_metadata
from podium.subjects.locate import link_columns, resolve_subject

NOTE = "accreditation and tickets do not exist yet (later issues): not part of the footprint"


def medallist(planes: Planes) -> str:
    """Return the medallist with team memberships and the most result rows."""
    with planes.games_session() as games:
        counts = (
            select(UnitResult.competitor_code, func.count().label("n"))
            .group_by(UnitResult.competitor_code)
            .subquery()
        )
        code = games.scalar(
            select(Participant.code)
            .join(counts, counts.c.competitor_code == Participant.code)
            .where(
                Participant.code.in_(select(MedalRecord.competitor_code)),
                Participant.code.in_(select(TeamMember.participant_code)),
            )
            .order_by(counts.c.n.desc(), Participant.code)
            .limit(1)
        )
    if code is None:
        raise SystemExit("no medallist with a team and results: was the import complete?")
    return code


def plain_select(planes: Planes, code: str) -> int:
    """The baseline: read the subject's rows of every table with plain SELECTs."""
    metas = both_metadata()
    ref = resolve_subject(planes, code, metas)
    rows = 0
    for meta, engine in zip(metas, (planes.games, planes.sovereign), strict=True):
        with engine.connect() as conn:
            for table in meta.sorted_tables:
                conds = [
                    c.in_(ref.values(link)) for c, link in link_columns(table) if ref.values(link)
                ]
                if conds:
                    rows += len(conn.execute(select(table).where(or_(*conds))).all())
    return rows


@contextmanager
def fresh_node(backend: str, repeat: int) -> Iterator[tuple[Planes, Settings]]:
    """Yield imported planes in a temporary folder (and throwaway PostgreSQL databases)."""
    with tempfile.TemporaryDirectory(prefix="podium-bench-subject-") as tmp:
        data_dir = Path(tmp)
        if backend == "sqlite":
            with imported(Settings(data_dir=data_dir)) as node:
                yield node
            return
        stem = f"podium_bench_subject_{{}}_{os.getpid()}_{repeat}"
        with throwaway_pg_databases(stem.format("games"), stem.format("sovereign")) as urls:
            settings = Settings(data_dir=data_dir, games_db_url=urls[0], sovereign_db_url=urls[1])
            with imported(settings) as node:
                yield node


@contextmanager
def imported(settings: Settings) -> Iterator[tuple[Planes, Settings]]:
    """Yield migrated planes with the Paris 2024 data imported, disposed afterwards."""
    planes = open_planes(settings)
    try:
        upgrade_all(planes.games, planes.sovereign)
        import_paris2024(planes, ImportOptions(source=DEFAULT_SOURCE, data_dir=settings.data_dir))
        yield planes, settings
    finally:
        planes.dispose()


def run_backend(backend: str, repeats: int) -> dict[str, list[float]]:
    """Time export, rendering, baseline and erasure on fresh imports of one backend."""
    times: dict[str, list[float]] = {"baseline": [], "export": [], "write": [], "erase": []}
    footprint = ""
    for repeat in range(repeats):
        with fresh_node(backend, repeat) as (planes, settings):
            spine = open_spine(settings)
            try:
                code = medallist(planes)
                started = time.perf_counter()
                rows = plain_select(planes, code)
                times["baseline"].append(time.perf_counter() - started)
                started = time.perf_counter()
                export = export_subject(planes, spine, code, settings=settings)
                times["export"].append(time.perf_counter() - started)
                started = time.perf_counter()
                write_export(export, settings.data_dir / "export")
                times["write"].append(time.perf_counter() - started)
                started = time.perf_counter()
                outcome = erase_subject(planes, spine, code, "system", "DSR-000001")
                times["erase"].append(time.perf_counter() - started)
                tables = ", ".join(f"{t.table} {len(t.rows)}" for t in export.tables)
                footprint = (
                    f"athlete {code}: {export.row_count()} rows ({tables}); baseline read {rows}"
                )
                if not outcome.complete:
                    raise SystemExit(f"erasure incomplete: {outcome.summary()}")
            finally:
                spine.close()
        print(f"  {backend:10} repeat {repeat + 1}/{repeats} done", flush=True)
    print(f"  {backend}: {footprint}")
    return times


def main() -> int:
    """Run the benchmark; return the exit status."""
    parser = base_parser(__doc__.splitlines()[0], repeats=3)
    parser.add_argument("--no-pg", action="store_true", help="measure SQLite only")
    args = parser.parse_args()
    repeats = 1 if args.quick else max(1, args.repeats)
    print(
        f"Subject export and erasure benchmark, {repeats} repeat(s); python "
        f"{sys.version.split()[0]}, {os.cpu_count()} CPUs"
    )
    print(f"  note: {NOTE}")
    backends = ["sqlite"]
    unreachable = "skipped (--no-pg)" if args.no_pg else pg_reachable()
    if unreachable is None:
        backends.append("postgresql")
    else:
        print(f"  PostgreSQL at 127.0.0.1:5432 not measured: {unreachable}")
    results = {b: run_backend(b, repeats) for b in backends}
    print("\nMedians (milliseconds); ratio = time / baseline (plain SELECTs of the same rows)")
    print(
        f"  {'backend':10} {'baseline':>9} {'export':>9} {'ratio':>7} {'html+json':>10} "
        f"{'erase':>9} {'ratio':>7}"
    )
    for backend, t in results.items():
        base = median(t["baseline"]) * 1e3
        export, write, erase = (median(t[k]) * 1e3 for k in ("export", "write", "erase"))
        print(
            f"  {backend:10} {base:9.1f} {export:9.1f} {export / base:6.1f}x {write:10.1f} "
            f"{erase:9.1f} {erase / base:6.1f}x"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
