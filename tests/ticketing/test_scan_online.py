"""Online scanning on SQLite and PostgreSQL: decisions, anti-passback, nonces, races, uploads."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta

import pytest

from podium.gates import (
    Direction,
    GateScan,
    OfflineGate,
    Reason,
    decode,
    from_text,
    rotating_code,
    screen_text,
    ticket_secret,
)
from podium.ticketing.devices import (
    DeviceError,
    DeviceNotFoundError,
    PackageKeys,
    build_device_package,
    disable_device,
    register_device,
)
from podium.ticketing.models import TicketedSession
from podium.ticketing.scanning import (
    ScanContext,
    ScanRequest,
    double_entries,
    record_uploads,
    scan_online,
)
from podium.ticketing.tickets import Handover, hand_over
from tests.ticketing.conftest import SESSION, Shop
from tests.ticketing.ticket_support import Box, box_of

GATES = {"G1": "1", "G2": "1"}


class Gates:
    """A ticket bought on T1's shop, issued by T2's office, and two registered devices."""

    def __init__(self, shop: Shop) -> None:
        self.box: Box = box_of(shop)
        self.planes = shop.planes
        self.fan = shop.fan()
        self.ticket = self.box.buy(self.fan)[0]
        with shop.planes.games_session() as games:
            self.venue = str(games.get_one(TicketedSession, SESSION).venue_code)
            now = shop.clock()
            self.north = register_device(games, self.venue, GATES, "North 1", now).id
            self.south = register_device(games, self.venue, GATES, "South 1", now).id
        self.at = self.box.starts_at() - timedelta(minutes=30)
        office = self.box.office
        self.context = ScanContext(office.keyring.public_key_set(), dict(office.code_keys))
        self.nonces = 0

    def shown(self, text: str, at: datetime) -> str:
        credential = decode(from_text(text)).credential
        key = self.box.office.code_keys[credential.body.code_key]
        return screen_text(text, rotating_code(text, ticket_secret(key, credential), at))

    def request(self, device: str, code: str, at: datetime, **changes: object) -> ScanRequest:
        self.nonces += 1
        values: dict[str, object] = {
            "device": device,
            "code": code,
            "gate": "G1",
            "direction": Direction.ENTRY,
            "nonce": f"nonce-{self.nonces:04d}-{device[-6:]}",
            "at": at,
        }
        values.update(changes)
        return ScanRequest(**values)  # type: ignore[arg-type]

    def scan(self, device: str, code: str, at: datetime, **changes: object) -> Reason:
        return scan_online(
            self.planes, self.request(device, code, at, **changes), self.context
        ).reason


@pytest.fixture
def gates(shop: Shop) -> Gates:
    return Gates(shop)


def test_an_online_entry_is_admitted_once_and_a_retry_gets_the_first_decision(gates: Gates) -> None:
    at, text = gates.at, gates.ticket.credential
    request = gates.request(gates.north, gates.shown(text, at), at)
    first = scan_online(gates.planes, request, gates.context)
    assert first.reason is Reason.ADMITTED
    retry = scan_online(gates.planes, request, gates.context)
    assert (retry.reason, retry.admitted, retry.detail) == (Reason.DUPLICATE_SCAN, True, "admitted")
    later = at + timedelta(minutes=1)
    assert gates.scan(gates.south, gates.shown(text, later), later) is Reason.ALREADY_INSIDE
    out = at + timedelta(minutes=2)
    assert (
        gates.scan(gates.south, gates.shown(text, out), out, direction=Direction.EXIT)
        is Reason.ADMITTED
    )
    assert (
        gates.scan(gates.south, gates.shown(text, out), out, direction=Direction.EXIT)
        is Reason.NOT_INSIDE
    )


def test_stale_missing_forged_and_transferred_tickets_are_refused_online(
    gates: Gates, shop: Shop
) -> None:
    at, text = gates.at, gates.ticket.credential
    shot = gates.shown(text, at - timedelta(minutes=5))
    assert gates.scan(gates.north, shot, at) is Reason.CODE_STALE
    assert gates.scan(gates.north, text, at) is Reason.CODE_MISSING
    altered = text[:40] + ("A" if text[40] != "A" else "B") + text[41:]
    assert gates.scan(gates.north, gates.shown(text, at)[:7] + altered, at) in {
        Reason.BAD_SIGNATURE,
        Reason.MALFORMED,
    }
    receiver = shop.fan("Alex Dupont")
    with gates.box.desk() as desk:
        handover = Handover(gates.ticket.ticket_id, gates.fan, 1, receiver, "transfer")
        new = hand_over(desk, handover)
    assert gates.scan(gates.north, gates.shown(text, at), at) is Reason.TRANSFERRED
    assert gates.scan(gates.north, gates.shown(new.credential, at), at) is Reason.ADMITTED


def test_unknown_gates_and_disabled_devices_are_refused(gates: Gates) -> None:
    at, shown = gates.at, gates.shown(gates.ticket.credential, gates.at)
    with pytest.raises(DeviceError) as error:
        gates.scan(gates.north, shown, at, gate="G9")
    assert error.value.code == "device_gate_unknown"
    with gates.planes.games_session() as games:
        disable_device(games, gates.south, at)
    with pytest.raises(DeviceError) as error:
        gates.scan(gates.south, shown, at)
    assert error.value.code == "device_disabled"
    with pytest.raises(DeviceNotFoundError):
        gates.scan("gdv_0000000000000000", shown, at)


def test_two_devices_racing_on_one_ticket_make_exactly_one_entry(gates: Gates) -> None:
    at, text = gates.at, gates.ticket.credential
    shown = gates.shown(text, at)
    requests = [gates.request(gates.north if n % 2 else gates.south, shown, at) for n in range(8)]
    barrier = threading.Barrier(len(requests))
    reasons: list[Reason] = []

    def run(request: ScanRequest) -> None:
        barrier.wait()
        reasons.append(scan_online(gates.planes, request, gates.context).reason)

    threads = [threading.Thread(target=run, args=(r,)) for r in requests]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(reasons) == sorted([Reason.ADMITTED] + [Reason.ALREADY_INSIDE] * 7)


def test_uploads_of_two_offline_devices_report_the_double_entry(gates: Gates) -> None:
    keys = PackageKeys(gates.box.office.keyring, gates.box.office.code_keys)
    trusted = gates.box.office.keyring.public_key_set()
    offline = {}
    for device in (gates.north, gates.south):
        with gates.planes.games_session() as games:
            data = build_device_package(games, device, keys, gates.at - timedelta(hours=1))
        offline[device] = OfflineGate.load(data, trusted, gates.at, device=device)
    at, text = gates.at, gates.ticket.credential
    assert (
        offline[gates.north].scan(gates.shown(text, at), GateScan("G1", "off-n-0001", at)).admitted
    )
    later = at + timedelta(minutes=4)
    assert (
        offline[gates.south]
        .scan(gates.shown(text, later), GateScan("G2", "off-s-0001", later))
        .admitted
    )
    report = record_uploads(gates.planes, gates.north, offline[gates.north].log, later)
    assert (report.stored, report.duplicates, report.double_entries) == (1, 0, [])
    report = record_uploads(gates.planes, gates.south, offline[gates.south].log, later)
    assert [(d.credential_id, d.first.device, d.second.device) for d in report.double_entries] == [
        (gates.ticket.number, gates.north, gates.south)
    ]
    again = record_uploads(gates.planes, gates.south, offline[gates.south].log, later)
    assert (again.stored, again.duplicates) == (0, 1)
    assert len(double_entries(gates.planes)) == 1
    with pytest.raises(DeviceError) as error:
        record_uploads(gates.planes, gates.north, offline[gates.south].log, later)
    assert error.value.code == "device_upload_mismatch"


def _offline_gates(gates: Gates) -> dict[str, OfflineGate]:
    keys = PackageKeys(gates.box.office.keyring, gates.box.office.code_keys)
    trusted = gates.box.office.keyring.public_key_set()
    offline = {}
    for device in (gates.north, gates.south):
        with gates.planes.games_session() as games:
            data = build_device_package(games, device, keys, gates.at - timedelta(hours=1))
        offline[device] = OfflineGate.load(data, trusted, gates.at, device=device)
    return offline


def _offline_scan(
    gates: Gates, gate: OfflineGate, minutes: int, direction: Direction = Direction.ENTRY
) -> None:
    at = gates.at + timedelta(minutes=minutes)
    nonce = f"off-{gate.device[-6:]}-{minutes:04d}-{direction.value}"
    shown = gates.shown(gates.ticket.credential, at)
    assert gate.scan(shown, GateScan("G1", nonce, at, direction)).admitted


def test_an_uploaded_offline_entry_puts_the_ticket_inside_for_online_gates(gates: Gates) -> None:
    north = _offline_gates(gates)[gates.north]
    _offline_scan(gates, north, 0)
    record_uploads(gates.planes, gates.north, north.log, gates.at + timedelta(minutes=1))
    later = gates.at + timedelta(minutes=2)
    text = gates.ticket.credential
    assert gates.scan(gates.south, gates.shown(text, later), later) is Reason.ALREADY_INSIDE
    out = gates.at + timedelta(minutes=3)
    exit_ = gates.scan(gates.south, gates.shown(text, out), out, direction=Direction.EXIT)
    assert exit_ is Reason.ADMITTED


def test_presence_follows_the_newest_scan_time_whatever_the_upload_order(gates: Gates) -> None:
    offline = _offline_gates(gates)
    north, south = offline[gates.north], offline[gates.south]
    _offline_scan(gates, south, 0)
    _offline_scan(gates, south, 5, Direction.EXIT)
    _offline_scan(gates, north, 10)
    record_uploads(gates.planes, gates.north, north.log, gates.at + timedelta(minutes=12))
    # South's exit (minute 5) is older than north's entry (minute 10): the ticket stays inside.
    report = record_uploads(gates.planes, gates.south, south.log, gates.at + timedelta(minutes=12))
    assert (report.stored, report.double_entries) == (2, [])
    text, at = gates.ticket.credential, gates.at + timedelta(minutes=13)
    assert gates.scan(gates.south, gates.shown(text, at), at) is Reason.ALREADY_INSIDE
    # A newer exit uploaded later does take it out.
    _offline_scan(gates, north, 20, Direction.EXIT)
    record_uploads(gates.planes, gates.north, north.log, gates.at + timedelta(minutes=21))
    at = gates.at + timedelta(minutes=22)
    assert gates.scan(gates.south, gates.shown(text, at), at) is Reason.ADMITTED


def test_an_online_scan_moves_the_ticket_even_when_its_device_clock_is_behind(
    gates: Gates,
) -> None:
    north = _offline_gates(gates)[gates.north]
    _offline_scan(gates, north, 0)
    _offline_scan(gates, north, 20, Direction.EXIT)
    record_uploads(gates.planes, gates.north, north.log, gates.at + timedelta(minutes=21))
    text, behind = gates.ticket.credential, gates.at + timedelta(minutes=15)
    assert gates.scan(gates.south, gates.shown(text, behind), behind) is Reason.ADMITTED
    at = gates.at + timedelta(minutes=16)
    assert gates.scan(gates.south, gates.shown(text, at), at) is Reason.ALREADY_INSIDE
