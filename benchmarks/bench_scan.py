"""Benchmark of ticket scanning: offline decisions per core, and p99 of online scans under load.

Budget (DESIGN.md): >= 20,000 offline gate decisions (signature, revocation,
anti-passback) per second per core.

Run: `uv run python benchmarks/bench_scan.py [--repeats N] [--quick] [--tickets N]
[--devices N] [--backend sqlite|postgres|both]`.

Offline (pure, one core). A throwaway ticketing keyring signs N tickets (default 20,000)
of one session at Stade de France; 5 % of their serials are revoked as `transferred`.
Every ticket is presented once, as the wallet's screen text (six rotating digits, `*`,
the Base45 ticket) with its own nonce, at an entry gate. Timed, median of the repeats, a
fresh gate each repeat (an entry changes the gate's state):

- *offline*: `OfflineGate.scan(screen, GateScan)`: screen split, Base45, key look-up,
  Ed25519 verification, ticket body, ticket revocation, window, rotating code (HMAC
  derivation of the ticket secret, TOTP of three steps at most), venue, session, gate,
  anti-passback, the nonce's decision kept and the scan logged;
- *engine*: `decide` alone on the same scans with a `LocalGateState` (nothing recorded);
- *baseline*: bare `Ed25519PublicKey.verify` on the same tickets, already split.

Online (served node under load). A throwaway node per backend (SQLite; PostgreSQL when
reachable) holds one session starting in 30 minutes (real time: the server's clock is the
system clock), M tickets (default 4,000) issued through the ticketing keyring and
`TicketNumber` rows, and D registered devices (default 16). The node is served by uvicorn
in its own process; D threads, one httpx client and one device each, send
`POST /api/gates/scan` for their share of the tickets (entries, each with a fresh
rotating code and nonce). Reported: scans per second overall and the latency median and
p99 seen by the devices. Every answer must be `admitted` (then nothing else is timed).

Rates are given by wall clock and by the benchmark thread's CPU time (offline); on a
machine shared with other work the CPU-time rate is what one core does.
"""

from __future__ import annotations

import os
import random
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import (
    Server,
    base_parser,
    free_port,
    median,
    percentile,
    pg_reachable,
    throwaway_pg_databases,
)
from podium.gates import (
    Credential,
    DevicePackage,
    Direction,
    GateScan,
    IssuerKeyring,
    LocalGateState,
    OfflineGate,
    Reason,
    RevocationEntry,
    RevocationIndex,
    RevocationList,
    Scan,
    SessionWindow,
    SignedCredential,
    TicketBody,
    decide,
    open_issuer_keyring,
    rotating_code,
    screen_text,
    sign,
    sign_device_package,
    split_screen_text,
    ticket_secret,
)

DAY = datetime(2024, 8, 4, tzinfo=UTC)
DOORS = datetime(2024, 8, 4, 17, 0, tzinfo=UTC)
AT = datetime(2024, 8, 4, 18, 15, 7, tzinfo=UTC)
CODE_KEY = bytes(range(32))


def _ticket(number: int, rng: random.Random) -> Credential[TicketBody]:
    area = f"Lower {rng.randint(1, 40)}"
    seat = f"Row {rng.randint(1, 40)} Seat {rng.randint(1, 60)}"
    body = TicketBody("ATH12", "STA", (), 0, rng.randbytes(8), area, seat)
    return Credential(number, 1, DAY, DAY + timedelta(hours=23, minutes=59), body)


def _offline_stream(
    keyring: IssuerKeyring, count: int
) -> tuple[list[SignedCredential], list[str], RevocationList]:
    rng = random.Random(2024)  # noqa: S311  (a reproducible stream, not a secret)
    tickets = [sign(_ticket(500_000 + n, rng), keyring.active) for n in range(count)]
    screens = [
        screen_text(t.text, rotating_code(t.text, ticket_secret(CODE_KEY, t.credential), AT))
        for t in tickets
    ]
    revoked = rng.sample(tickets, count // 20)
    entries = tuple(
        RevocationEntry(t.credential.credential_id, 1, "transferred", DOORS) for t in revoked
    )
    return tickets, screens, RevocationList(2, DOORS, entries)


def _offline(keyring: IssuerKeyring, count: int, repeats: int) -> dict[str, float]:
    tickets, screens, revocations = _offline_stream(keyring, count)
    keys = keyring.public_key_set()
    package = DevicePackage(
        "STA",
        ("1",),
        keys,
        RevocationList(1, DOORS, ()),
        DOORS,
        sessions=(SessionWindow("ATH12", DOORS, DOORS + timedelta(hours=6)),),
        gates={"G1": "1"},
        code_keys={0: CODE_KEY},
        ticket_revocations=revocations,
    )
    data = sign_device_package(package, keyring.active)
    requests = [GateScan("G1", f"nonce-{n:08d}", AT) for n in range(count)]
    transferred = {e.credential_id for e in revocations.entries}
    expected = [
        Reason.TRANSFERRED if t.credential.credential_id in transferred else Reason.ADMITTED
        for t in tickets
    ]
    check = OfflineGate.load(data, keys, DOORS)
    if [check.scan(s, r).reason for s, r in zip(screens, requests, strict=True)] != expected:
        raise RuntimeError("an offline decision differs from the expected one: nothing timed")
    split = [split_screen_text(s) for s in screens]
    scans = [Scan("STA", "1", AT, "G1", Direction.ENTRY, frozenset({"ATH12"}), c) for _, c in split]
    texts = [t for t, _ in split]
    public_key = keys[keyring.active.key_id].public_key
    pairs = [(t.signature, t.message) for t in tickets]
    samples: dict[str, list[float]] = {}

    def timed(name: str, run: Callable[[], None]) -> None:
        wall, cpu = time.perf_counter(), time.thread_time()
        run()
        cpu, wall = time.thread_time() - cpu, time.perf_counter() - wall
        samples.setdefault(name, []).append(count / wall)
        samples.setdefault(name + "_cpu", []).append(count / cpu)

    for _ in range(repeats):
        gate = OfflineGate.load(data, keys, DOORS)

        def offline(gate: OfflineGate = gate) -> None:
            scan = gate.scan
            for screen, request in zip(screens, requests, strict=True):
                scan(screen, request)

        state = LocalGateState(
            code_keys={0: CODE_KEY}, ticket_revocations=RevocationIndex(revocations)
        )

        def engine(state: LocalGateState = state) -> None:
            for text, scan in zip(texts, scans, strict=True):
                decide(text, scan, keys, state)

        def verify() -> None:
            check_signature = public_key.verify
            for signature, message in pairs:
                check_signature(signature, message)

        timed("verify", verify)
        timed("offline", offline)
        timed("engine", engine)
    return {name: median(values) for name, values in samples.items()}


def _populate(
    settings: object, tickets: int, devices: int, starts: datetime
) -> tuple[list[str], list[str], str]:
    """Migrate a node, add one session and its tickets, devices and a device token."""
    from sqlalchemy import insert  # noqa: PLC0415

    from podium.core.db import open_planes  # noqa: PLC0415
    from podium.games.models import CompetitionSession, Discipline, Venue  # noqa: PLC0415
    from podium.migrations import upgrade_all  # noqa: PLC0415
    from podium.privacy.operators import create_operator, issue_token  # noqa: PLC0415
    from podium.privacy.spine import open_spine  # noqa: PLC0415
    from podium.ticketing.devices import register_device  # noqa: PLC0415
    from podium.ticketing.models import FanAccount, InventoryRow, Ticket, TicketedSession  # noqa: PLC0415
    from podium.ticketing.models_tickets import TicketNumber  # noqa: PLC0415
    from podium.ticketing.tickets import open_ticket_office  # noqa: PLC0415

    planes = open_planes(settings)  # type: ignore[arg-type]
    upgrade_all(planes.games, planes.sovereign)
    spine = open_spine(settings)  # type: ignore[arg-type]
    office = open_ticket_office(spine)
    rng = random.Random(9)  # noqa: S311
    starts = starts.replace(microsecond=0)
    with planes.games_session() as games:
        games.execute(insert(Discipline).values(code="ATH", name="Athletics", sport_code="ATH"))
        games.execute(insert(Venue).values(code="STA", name="Stade de France"))
        games.execute(
            insert(CompetitionSession).values(
                code="ATH12",
                discipline_code="ATH",
                venue_code="STA",
                day=starts.date(),
                starts_at=starts,
                ends_at=starts + timedelta(hours=3),
                session_type="EVE",
            )
        )
        games.execute(
            insert(TicketedSession).values(
                session_code="ATH12",
                venue_code="STA",
                starts_at=starts,
                sale_mode="open",
                on_sale=True,
            )
        )
        games.execute(
            insert(FanAccount).values(id="fan_0000000000000001", created_at=starts, lock_version=0)
        )
        inventory = games.execute(
            insert(InventoryRow)
            .values(
                session_code="ATH12",
                area_code="L1",
                area_name="Lower 1",
                price_category="A",
                kind="seat",
                price_cents=8500,
                capacity=tickets,
                held=0,
                sold=tickets,
                seat_serial=tickets,
            )
            .returning(InventoryRow.id)
        ).scalar_one()
        texts = []
        for n in range(tickets):
            ticket_id = f"tkt_{n:016x}"
            body = TicketBody(
                "ATH12", "STA", (), office.code_keys.active, rng.randbytes(8), "L1", f"L1-{n:04d}"
            )
            credential = Credential(
                n + 1, 1, starts - timedelta(hours=4), starts + timedelta(hours=12), body
            )
            text = sign(credential, office.keyring.active).text
            texts.append(text)
            games.execute(
                insert(Ticket).values(
                    id=ticket_id,
                    session_code="ATH12",
                    inventory_id=inventory,
                    area_code="L1",
                    seat=f"L1-{n:04d}",
                    kind="seat",
                    price_cents=8500,
                    holder_account_id="fan_0000000000000001",
                    status="valid",
                    credential_serial=1,
                    credential=text,
                    issued_at=starts,
                )
            )
            games.execute(insert(TicketNumber).values(number=n + 1, ticket_id=ticket_id))
        ids = [
            register_device(games, "STA", {"G1": "1"}, f"lane {d}", starts).id
            for d in range(devices)
        ]
    with planes.sovereign_session() as session:
        create_operator(
            session,
            username="gate-device",
            display_name="gate device",
            home_country="FR",
            organisation="PARIS2024",
            roles=(),
            purposes=(),
            known_roles=spine.pdp.roles,
            known_purposes=spine.pdp.purposes,
            password="a long enough password 1",  # noqa: S106 - a throwaway node
        )
        token = issue_token(session, "gate-device", ["gates:device:scan"], name="bench")
    secrets = {g: office.code_keys[g] for g in office.code_keys}
    _CODE_KEYS.update(secrets)
    spine.close()
    planes.dispose()
    return texts, ids, token


_CODE_KEYS: dict[int, bytes] = {}


def _load(base_url: str, texts: list[str], devices: list[str], token: str) -> dict[str, float]:
    """D threads, one device and one client each, scan their share of the tickets."""
    import httpx  # noqa: PLC0415

    from podium.gates import decode, from_text  # noqa: PLC0415

    headers = {"Authorization": f"Bearer {token}"}
    latencies: list[float] = []
    reasons: list[str] = []
    lock = threading.Lock()
    barrier = threading.Barrier(len(devices))

    def device_run(index: int, device: str) -> None:
        mine = texts[index :: len(devices)]
        local, seen = [], []
        with httpx.Client(base_url=base_url, headers=headers, timeout=30.0) as client:
            barrier.wait()
            for n, text in enumerate(mine):
                credential = decode(from_text(text)).credential
                secret = ticket_secret(_CODE_KEYS[credential.body.code_key], credential)
                now = datetime.now(UTC)
                body = {
                    "device": device,
                    "code": screen_text(text, rotating_code(text, secret, now)),
                    "gate": "G1",
                    "nonce": f"{device}-{n:06d}",
                }
                start = time.perf_counter()
                answer = client.post("/api/gates/scan", json=body)
                local.append((time.perf_counter() - start) * 1000)
                seen.append(answer.json().get("reason", answer.text[:80]))
        with lock:
            latencies.extend(local)
            reasons.extend(seen)

    threads = [threading.Thread(target=device_run, args=(i, d)) for i, d in enumerate(devices)]
    wall = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - wall
    wrong = [r for r in reasons if r != "admitted"]
    if wrong:
        raise RuntimeError(f"{len(wrong)} scans not admitted, e.g. {wrong[:3]}")
    latencies.sort()
    return {
        "rate": len(latencies) / wall,
        "p50": percentile(latencies, 0.5),
        "p99": percentile(latencies, 0.99),
        "scans": len(latencies),
    }


def _online(label: str, env: dict[str, str], tickets: int, devices: int, folder: Path) -> str:
    from podium.core.settings import Settings  # noqa: PLC0415

    settings = Settings(
        data_dir=Path(env["PODIUM_DATA_DIR"]),
        games_db_url=env.get("PODIUM_GAMES_DB_URL"),
        sovereign_db_url=env.get("PODIUM_SOVEREIGN_DB_URL"),
    )
    starts = datetime.now(UTC) + timedelta(minutes=30)
    texts, ids, token = _populate(settings, tickets, devices, starts)
    port = free_port()
    argv = [
        sys.executable,
        "-m",
        "uvicorn",
        "--factory",
        "podium.api:create_app",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--log-level",
        "warning",
    ]
    server = Server(f"podium ({label})", argv, port, folder / f"server-{label}.log", env)
    try:
        server.start("/robots.txt")
        figures = _load(server.base_url, texts, ids, token)
    finally:
        server.stop()
    return (
        f"  {label:<10} {figures['scans']:>6,.0f} scans by {devices} devices: "
        f"{figures['rate']:>6,.0f} scans/s; latency median {figures['p50']:.1f} ms, "
        f"p99 {figures['p99']:.1f} ms"
    )


def _print_offline(rates: dict[str, float], count: int, repeats: int) -> None:
    verify = rates["verify_cpu"]
    print(
        f"Offline ticket decisions, {count:,} tickets (5 % transferred away), median of {repeats};"
    )
    print(
        "decisions per second on one core (ratio = Podium / bare verify, CPU time); "
        f"load {os.getloadavg()[0]:.2f}"
    )
    for name, label in (
        ("offline", "offline OfflineGate.scan"),
        ("engine", "engine decide (LocalGateState)"),
        ("verify", "baseline Ed25519PublicKey.verify"),
    ):
        wall, cpu = rates[name], rates[name + "_cpu"]
        ratio = f"ratio {cpu / verify:5.2f}" if name != "verify" else ""
        print(f"  {label:<34} wall {wall:>8,.0f} /s  cpu {cpu:>8,.0f} /s  {ratio}")
    budget = "meets" if rates["offline_cpu"] >= 20_000 else "is below"
    print(f"offline CPU rate {budget} the 20,000/s budget (bare verify here: {verify:,.0f}/s)")


def _postgres(tmp: Path, count: int, devices: int) -> str:
    reason = pg_reachable()
    if reason is not None:
        return f"  PostgreSQL not measured: {reason}"
    pid = os.getpid()
    names = (f"podium_bench_scan_games_{pid}", f"podium_bench_scan_sov_{pid}")
    with throwaway_pg_databases(*names) as (games_url, sovereign_url):
        env = {
            "PODIUM_DATA_DIR": str(tmp / "pg-node"),
            "PODIUM_GAMES_DB_URL": games_url,
            "PODIUM_SOVEREIGN_DB_URL": sovereign_url,
        }
        return _online("PostgreSQL", env, count, devices, tmp)


def main() -> int:
    """Run the offline and online parts and print their figures."""
    parser = base_parser(__doc__.splitlines()[0], repeats=5)
    parser.add_argument("--tickets", type=int, default=20_000, help="offline tickets (20,000)")
    parser.add_argument("--online-tickets", type=int, default=4_000, help="online (4,000)")
    parser.add_argument("--devices", type=int, default=16, help="concurrent devices (16)")
    parser.add_argument("--backend", choices=("sqlite", "postgres", "both"), default="both")
    args = parser.parse_args()
    repeats = 1 if args.quick else args.repeats
    count = 2_000 if args.quick else args.tickets
    online_count = 500 if args.quick else args.online_tickets
    with tempfile.TemporaryDirectory(prefix="podium-bench-scan-") as folder:
        tmp = Path(folder)
        keyring = open_issuer_keyring(tmp / "tickets")
        _print_offline(_offline(keyring, count, repeats), count, repeats)
        print("Online scans under load (POST /api/gates/scan, served by uvicorn, one process):")
        if args.backend in {"sqlite", "both"}:
            env = {"PODIUM_DATA_DIR": str(tmp / "sqlite-node")}
            print(_online("SQLite", env, online_count, args.devices, tmp))
        if args.backend in {"postgres", "both"}:
            print(_postgres(tmp, online_count, args.devices))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
