"""Benchmark of the online zone decision: decisions per second and p99, SQLite and PostgreSQL.

Budget: none of its own in DESIGN.md; the offline figure (bench_gate.py) is the budget of
a gate, and this says what asking the database for the live state adds.

Run: `uv run python benchmarks/bench_zone_online.py [--repeats N] [--quick] [--cards N]`.

A throwaway node per backend (SQLite files; PostgreSQL databases when reachable) gets one
organisation and N accreditations (default 5,000; `--quick` 1,000) taken through the real
lifecycle as the host: submitted, approved by vetting, printed (each card signed by the
node's issuer keyring), validated; 5 % are then revoked and 2 % suspended. The scan stream
presents every card once at Stade de France, at a random zone 1-7, as the Base45 text.

Timed, each over the whole stream, median of the repeats, one games-plane session per
decision (what one API request opens):

- *service*: `check_zone(session, text, venue, zone, at, keys=...)`: the same
  `podium.gates.decide` as offline gates, with the live state read by primary key;
- *baseline*: the bare primary-key read of (status, card_serial) that the live state
  needs, in its own session: the floor of any online decision on this database;
- *HTTP* (in-process ASGI, `fastapi.testclient`): `POST /api/zones/check` with a token
  of scope `accreditation:zone:check`, the whole web stack without a socket.

Then the latency of each service decision: median and p99. Rates are printed by wall
clock and by this thread's CPU time (a shared machine's other work shows in the wall
clock; PostgreSQL's own work runs in its server process, outside the CPU figure). Every
decision is checked against the expected one (revoked, suspended, admitted or
zone_not_granted) first.
"""

from __future__ import annotations

import random
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import insert, select

from _common import base_parser, median, percentile, pg_reachable, throwaway_pg_databases
from podium.accreditation import (
    Accreditation,
    ManualVetting,
    Opinion,
    check_zone,
    open_desk,
    print_cards,
    record_vetting,
    revoke,
    save_organisation,
    submit,
    suspend,
    validate,
)
from podium.core.db import Planes, open_planes
from podium.core.settings import Settings
from podium.migrations import upgrade_all
from podium.privacy.operators import create_operator, issue_token
from podium.privacy.spine import open_spine

AT = datetime(2024, 7, 30, 10, 0, tzinfo=UTC)
APPLIED = datetime(2024, 5, 2, tzinfo=UTC)


def _populate(
    settings: Settings, planes: Planes, cards: int
) -> tuple[list[tuple[str, str, str]], str]:
    """Accredit `cards` people; return the scan stream (text, zone, expected) and a token."""
    upgrade_all(planes.games, planes.sovereign)
    spine = open_spine(settings)
    desk = open_desk(settings, planes, spine, clock=lambda: APPLIED)
    with planes.games_session() as games:
        save_organisation(games, "PARIS2024", "Paris 2024", "ocog")
        save_organisation(games, "FRA", "France", "noc")
        games.execute(
            insert(Accreditation),
            [
                {
                    "subject_id": f"bench{n:08d}",
                    "organisation_code": "FRA",
                    "category": "A" if n % 3 else "E",
                    "status": "applied",
                    "applied_at": APPLIED,
                    "updated_at": APPLIED,
                    "card_serial": 0,
                }
                for n in range(cards)
            ],
        )
        ids = list(games.scalars(select(Accreditation.id).order_by(Accreditation.id)))
    submit(desk, None, ids)
    vetting = ManualVetting()
    for number in ids:
        vetting.decide(number, Opinion.FAVOURABLE)
    record_vetting(desk, None, vetting)
    print_cards(desk, None, ids)
    validate(desk, None, ids)
    rng = random.Random(2024)  # noqa: S311 - a reproducible sample, not a secret
    chosen = rng.sample(ids, len(ids) * 7 // 100)
    revoked, suspended = set(chosen[: len(ids) * 5 // 100]), set(chosen[len(ids) * 5 // 100 :])
    revoke(desk, None, sorted(revoked), "bench")
    suspend(desk, None, sorted(suspended), "bench")
    with planes.games_session() as games:
        rows = games.execute(
            select(Accreditation.id, Accreditation.category, Accreditation.credential)
        ).all()
    stream = []
    for number, category, text in rows:
        zone = str(rng.randint(1, 7))
        granted = {"A": {"1", "2", "3"}, "E": {"4"}}[category]
        expected = (
            "revoked"
            if number in revoked
            else "suspended"
            if number in suspended
            else "admitted"
            if zone in granted
            else "zone_not_granted"
        )
        stream.append((text, zone, expected))
    with planes.sovereign_session() as session:
        create_operator(
            session,
            username="bench-gate",
            display_name="Gate",
            home_country="FR",
            organisation="PARIS2024",
            roles=(),
            purposes=(),
            known_roles=spine.pdp.roles,
            known_purposes=spine.pdp.purposes,
        )
        token = issue_token(session, "bench-gate", ["accreditation:zone:check"], name="bench")
    spine.close()
    return stream, token


def _timed(calls: Callable[[], None], repeats: int) -> tuple[float, float]:
    """Return the median wall time and the median CPU time of this thread."""
    walls, cpus = [], []
    for _ in range(repeats):
        start, cpu = time.perf_counter(), time.thread_time()
        calls()
        walls.append(time.perf_counter() - start)
        cpus.append(time.thread_time() - cpu)
    return median(walls), median(cpus)


def _measure(label: str, settings: Settings, cards: int, repeats: int) -> None:
    planes = open_planes(settings)
    stream, token = _populate(settings, planes, cards)
    spine = open_spine(settings)
    desk = open_desk(settings, planes, spine)
    keys = desk.keyring.public_key_set()
    numbers = [
        int(n)
        for n in planes.games.connect().exec_driver_sql("SELECT id FROM accreditation").scalars()
    ]

    def service_one(text: str, zone: str) -> str:
        with planes.games_session() as games:
            return check_zone(games, text, "STA", zone, AT, keys=keys).reason

    wrong = [(z, e, r) for t, z, e in stream if (r := service_one(t, z)) != e]
    if wrong:
        raise SystemExit(f"{label}: unexpected decisions {wrong[:3]}")

    def service() -> None:
        for text, zone, _ in stream:
            service_one(text, zone)

    def baseline() -> None:
        for number in numbers:
            with planes.games_session() as games:
                games.execute(
                    select(Accreditation.status, Accreditation.card_serial).where(
                        Accreditation.id == number
                    )
                ).first()

    n = len(stream)
    t_service, t_base = _timed(service, repeats), _timed(baseline, repeats)
    latencies = []
    for text, zone, _ in stream:
        start = time.perf_counter_ns()
        service_one(text, zone)
        latencies.append((time.perf_counter_ns() - start) / 1e6)
    latencies.sort()
    print(f"{label}: {n} cards, median of {repeats}")
    print(
        f"  service  check_zone        {n / t_service[0]:9,.0f}/s wall, "
        f"{n / t_service[1]:9,.0f}/s CPU of this thread"
    )
    print(f"  baseline primary-key read  {n / t_base[0]:9,.0f}/s wall, {n / t_base[1]:9,.0f}/s CPU")
    print(
        f"  service / baseline: wall {t_service[0] / t_base[0]:.2f}, "
        f"CPU {t_service[1] / t_base[1]:.2f}"
    )
    print(
        f"  service latency: median {median(latencies):.3f} ms, "
        f"p99 {percentile(latencies, 0.99):.3f} ms"
    )
    _http(settings, planes, spine, stream[: min(n, 2000)], token)
    spine.close()
    planes.dispose()


def _http(
    settings: Settings,
    planes: Planes,
    spine: object,
    stream: list[tuple[str, str, str]],
    token: str,
) -> None:
    from fastapi.testclient import TestClient  # noqa: PLC0415

    from podium.api import create_app  # noqa: PLC0415

    headers = {"Authorization": f"Bearer {token}"}
    with TestClient(create_app(settings, planes, spine)) as client:  # type: ignore[arg-type]
        latencies = []
        start = time.perf_counter()
        for text, zone, expected in stream:
            begin = time.perf_counter_ns()
            answer = client.post(
                "/api/zones/check",
                json={"code": text, "venue": "STA", "zone": zone, "at": AT.isoformat()},
                headers=headers,
            ).json()
            latencies.append((time.perf_counter_ns() - begin) / 1e6)
            if answer["reason"] != expected:
                raise SystemExit(f"HTTP: {answer} instead of {expected}")
        total = time.perf_counter() - start
    latencies.sort()
    print(
        f"  HTTP POST /api/zones/check (in-process ASGI, {len(stream)} scans): "
        f"{len(stream) / total:,.0f}/s, median {median(latencies):.2f} ms, "
        f"p99 {percentile(latencies, 0.99):.2f} ms"
    )


@contextmanager
def _sqlite() -> Iterator[Settings]:
    with tempfile.TemporaryDirectory(prefix="bench-zone-") as folder:
        yield Settings(data_dir=Path(folder))


def main() -> None:
    """Measure SQLite, then PostgreSQL when it is reachable."""
    parser = base_parser(__doc__.splitlines()[0], repeats=3)
    parser.add_argument("--cards", type=int, default=5000)
    args = parser.parse_args()
    cards = 1000 if args.quick else args.cards
    repeats = 1 if args.quick else args.repeats
    with _sqlite() as settings:
        _measure("SQLite", settings, cards, repeats)
    reason = pg_reachable()
    if reason is not None:
        print(f"PostgreSQL not measured: {reason}")
        return
    with _sqlite() as base, throwaway_pg_databases("bench_zone_games", "bench_zone_sov") as urls:
        settings = Settings(data_dir=base.data_dir, games_db_url=urls[0], sovereign_db_url=urls[1])
        _measure("PostgreSQL", settings, cards, repeats)


if __name__ == "__main__":
    main()
