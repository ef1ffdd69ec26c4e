"""Benchmark: bulk registration of N people (budget: 500,000 in <= 60 s on SQLite).

Run: `uv run python benchmarks/bench_registration.py [--people N] [--repeats R] [--no-pg]`

Generates a CSV file of N realistic people (names with accents, 20 responsible
organisations, 8 accreditation categories, passports, e-mails), then, per backend and
repeat, imports it into fresh planes (a temporary data folder; on PostgreSQL two
throwaway databases) with `podium.accreditation.import_people` as organising committee
staff: CSV parsing, per-field validation, subject IDs, data keys, sealing, blind index,
inserts in both planes, the audit log. Figures: rows per second and total seconds,
medians over the repeats.

Baseline, measured in the same run on the same backend: parsing the same CSV with the
stdlib `csv` module and inserting the same rows in clear, unvalidated, into a bare table
of text columns with one `executemany`. The ratio says what validation, pseudonyms,
encryption, key management, the second plane and the audit log cost on top.
"""

from __future__ import annotations

import csv
import io
import random
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from sqlalchemy import Column, MetaData, String, Table, create_engine, insert

from _common import base_parser, median, pg_reachable, throwaway_pg_databases
from podium.accreditation.bulk import BulkOptions, import_people, read_people_csv
from podium.accreditation.organisations import save_organisation
from podium.core.db import Planes, open_planes
from podium.core.settings import Settings
from podium.migrations import upgrade_all
from podium.people import REGISTRATION_FIELDS
from podium.privacy.operators import Principal
from podium.privacy.regions import Region
from podium.privacy.spine import open_spine

_FAMILY = (
    "Müller",
    "Dupont",
    "García",
    "Nakamura",
    "O'Brien",
    "Kowalski",
    "Silva",
    "Nguyen",
    "Okafor",
    "Johansson",
    "Rossi",
    "Łukasik",
    "Petrović",
    "Smith",
    "Kim",
    "Haddad",
)
_GIVEN = (
    "Anaïs",
    "Jean-Pierre",
    "María José",
    "Kenji",
    "Siobhán",
    "Zoë",
    "Ahmed",
    "Lars",
    "Chiara",
    "Oluwaseun",
    "Mateus",
    "Ngọc Anh",
    "Ivan",
    "Emma",
    "Ji-woo",
    "Léa",
)
_ORGS = (
    "FRA",
    "USA",
    "GER",
    "JPN",
    "BRA",
    "KEN",
    "CHN",
    "AUS",
    "ITA",
    "ESP",
    "GBR",
    "CAN",
    "NED",
    "KOR",
    "WA",
    "FIBA",
    "UCI",
    "AFP",
    "REUTERS",
    "OBS",
)
_CATEGORIES = ("A", "Aa", "Ao", "P", "IF", "E", "EP", "RT")
_FUNCTIONS = ("Athlete", "Coach", "Team official", "Photographer", "Journalist", "Technician")


def write_people_csv(path: Path, people: int, seed: int = 2024) -> None:
    """Write a registration CSV of `people` rows (organising-committee import: all columns)."""
    rng = random.Random(seed)  # noqa: S311 - test data, not secrets
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(REGISTRATION_FIELDS)
        for number in range(people):
            org = _ORGS[number % len(_ORGS)]
            writer.writerow(
                [
                    f"P{number:07d}",
                    org,
                    rng.choice(_FAMILY),
                    rng.choice(_GIVEN),
                    rng.choice("MWX"),
                    f"{rng.randint(1955, 2010)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
                    org[:3] if len(org) == 3 else "FRA",
                    "passport",
                    f"{rng.randint(10, 99)}AB{number:07d}",
                    f"{rng.randint(2027, 2035)}-06-30",
                    f"p{number}@example.org",
                    rng.choice(_FUNCTIONS),
                    rng.choice(_CATEGORIES),
                ]
            )


def _staff() -> Principal:
    return Principal(
        operator_id="bench",
        username="bench",
        display_name="Benchmark",
        roles=frozenset({"accreditation-officer"}),
        purposes=frozenset({"accreditation"}),
        region=Region.EU_EEA,
        scopes=None,
        purpose="accreditation",
        organisation="PARIS2024",
    )


def run_import(planes: Planes, settings: Settings, csv_path: Path) -> tuple[float, float, int]:
    """Migrate, add the organisations, then time the import; return (wall s, CPU s, written).

    The CPU time of this process is printed beside the wall time: on a machine shared
    with other work it is the figure that says what the import costs.
    """
    upgrade_all(planes.games, planes.sovereign)
    with planes.games_session() as games:
        for code in (*_ORGS, "PARIS2024"):
            save_organisation(games, code, code, "ocog" if code == "PARIS2024" else "other")
    spine = open_spine(settings)
    try:
        started, cpu = time.perf_counter(), time.process_time()
        rows = read_people_csv(csv_path.read_bytes(), csv_path.name)
        report = import_people(
            planes, spine, _staff(), rows, BulkOptions("PARIS2024", source=csv_path.name)
        )
        elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    finally:
        spine.close()
    if report.rejected:
        first = report.rejected[0]
        raise SystemExit(f"benchmark rows rejected: {len(report.rejected)}, first {first}")
    return elapsed, cpu, report.written


def run_baseline(url: str, csv_path: Path) -> float:
    """Parse the CSV with `csv` and insert the rows in clear into a bare table; seconds."""
    engine = create_engine(url)
    table = Table(
        "bare_registration",
        MetaData(),
        *(Column(name, String(254)) for name in REGISTRATION_FIELDS),
    )
    table.metadata.create_all(engine)
    started = time.perf_counter()
    rows = list(csv.DictReader(io.StringIO(csv_path.read_text(encoding="utf-8"))))
    with engine.begin() as conn:
        conn.execute(insert(table), rows)
    elapsed = time.perf_counter() - started
    engine.dispose()
    return elapsed


@contextmanager
def _sqlite_node() -> Iterator[tuple[Planes, Settings, str]]:
    with tempfile.TemporaryDirectory(prefix="podium-bench-reg-") as folder:
        settings = Settings(data_dir=Path(folder))
        planes = open_planes(settings)
        try:
            yield planes, settings, f"sqlite:///{folder}/baseline.sqlite"
        finally:
            planes.dispose()


@contextmanager
def _pg_node() -> Iterator[tuple[Planes, Settings, str]]:
    with (
        tempfile.TemporaryDirectory(prefix="podium-bench-reg-pg-") as folder,
        throwaway_pg_databases("bench_reg_games", "bench_reg_sov", "bench_reg_base") as urls,
    ):
        settings = Settings(data_dir=Path(folder), games_db_url=urls[0], sovereign_db_url=urls[1])
        planes = open_planes(settings)
        try:
            yield planes, settings, urls[2]
        finally:
            planes.dispose()


def main() -> None:
    """Generate the CSV, run the import and the baseline per backend, print the figures."""
    parser = base_parser(__doc__.splitlines()[0], repeats=1)
    parser.add_argument("--people", type=int, default=500_000, help="rows (default 500,000)")
    parser.add_argument("--no-pg", action="store_true", help="SQLite only")
    args = parser.parse_args()
    people = 20_000 if args.quick else args.people
    backends = [("sqlite", _sqlite_node)]
    if not args.no_pg:
        problem = pg_reachable()
        if problem is None:
            backends.append(("postgresql", _pg_node))
        else:
            print(f"PostgreSQL skipped: {problem}")
    with tempfile.TemporaryDirectory(prefix="podium-bench-csv-") as folder:
        csv_path = Path(folder) / "people.csv"
        write_people_csv(csv_path, people)
        print(f"{people:,} people, CSV {csv_path.stat().st_size / 1e6:.1f} MB")
        for name, node in backends:
            imports, cpus, baselines = [], [], []
            for _ in range(1 if args.quick else args.repeats):
                with node() as (planes, settings, baseline_url):
                    seconds, cpu, written = run_import(planes, settings, csv_path)
                    imports.append(seconds)
                    cpus.append(cpu)
                    baselines.append(run_baseline(baseline_url, csv_path))
                if written != people:
                    raise SystemExit(f"{written} of {people} people written")
            imp, base = median(imports), median(baselines)
            print(
                f"{name:10} import {imp:7.1f} s (CPU {median(cpus):6.1f} s) "
                f"{people / imp:9,.0f} rows/s   baseline {base:6.1f} s "
                f"{people / base:9,.0f} rows/s   ratio {imp / base:5.1f}",
                flush=True,
            )


if __name__ == "__main__":
    main()
