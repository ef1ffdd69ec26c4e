"""Offline ticket gates: device packages for sessions, local anti-passback, logs and merge."""

from __future__ import annotations

import random
from datetime import timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from podium.gates import (
    DevicePackage,
    Direction,
    GateScan,
    IssuerKeyring,
    Kind,
    OfflineGate,
    Reason,
    RevocationEntry,
    RevocationList,
    ScanRecord,
    SessionWindow,
    SignedCredential,
    load_device_package,
    merge_scans,
    rotating_code,
    screen_text,
    sign,
    sign_device_package,
    ticket_secret,
)
from tests.gates.gates_factories import CODE_KEY, DOORS, athlete_card, ticket

AT = DOORS + timedelta(minutes=20)
WINDOW = SessionWindow("ATH12", DOORS, DOORS + timedelta(hours=5))


def ticket_package(
    keyring: IssuerKeyring,
    *revoked: RevocationEntry,
    card_revoked: tuple[RevocationEntry, ...] = (),
) -> bytes:
    package = DevicePackage(
        "STA",
        ("1",),
        keyring.public_key_set(),
        RevocationList(1, DOORS, card_revoked),
        DOORS,
        sessions=(WINDOW,),
        gates={"G1": "1", "G2": "1"},
        code_keys={0: CODE_KEY},
        ticket_revocations=RevocationList(4, DOORS, revoked),
    )
    return sign_device_package(package, keyring.active)


def gate_of(keyring: IssuerKeyring, device: str, *revoked: RevocationEntry) -> OfflineGate:
    data = ticket_package(keyring, *revoked)
    return OfflineGate.load(data, keyring.public_key_set(), DOORS, device=device)


def shown(signed: SignedCredential, at: object = AT) -> str:
    code = rotating_code(signed.text, ticket_secret(CODE_KEY, signed.credential), at)  # type: ignore[arg-type]
    return screen_text(signed.text, code)


@pytest.fixture
def signed(keyring: IssuerKeyring) -> SignedCredential:
    return sign(ticket(gates=()), keyring.active)


def test_a_ticket_package_round_trips(keyring: IssuerKeyring) -> None:
    entry = RevocationEntry(9, 1, "transferred", DOORS)
    package = load_device_package(ticket_package(keyring, entry), keyring.public_key_set(), DOORS)
    assert package.sessions == (WINDOW,)
    assert package.gates == {"G1": "1", "G2": "1"}
    assert package.code_keys == {0: CODE_KEY}
    assert package.ticket_revocations is not None
    assert package.ticket_revocations.entries == (entry,)
    assert package.sessions_at(AT) == {"ATH12"}
    assert package.sessions_at(DOORS - timedelta(seconds=1)) == frozenset()


def test_the_offline_gate_admits_once_then_refuses_the_second_entry(
    keyring: IssuerKeyring, signed: SignedCredential
) -> None:
    gate = gate_of(keyring, "north-1")
    first = gate.scan(shown(signed), GateScan("G1", "nonce-0001", AT))
    assert first.reason is Reason.ADMITTED
    again = gate.scan(
        shown(signed, AT + timedelta(seconds=30)),
        GateScan("G2", "nonce-0002", AT + timedelta(seconds=30)),
    )
    assert again.reason is Reason.ALREADY_INSIDE
    retry = gate.scan(shown(signed), GateScan("G1", "nonce-0001", AT))
    assert (retry.reason, retry.admitted) == (Reason.DUPLICATE_SCAN, True)
    assert [r.nonce for r in gate.log] == ["nonce-0001", "nonce-0002"]
    out_at = AT + timedelta(hours=1)
    assert gate.scan(
        shown(signed, out_at), GateScan("G2", "nonce-0003", out_at, Direction.EXIT)
    ).admitted


def test_the_rotating_code_may_be_typed_apart(
    keyring: IssuerKeyring, signed: SignedCredential
) -> None:
    gate = gate_of(keyring, "north-1")
    code = shown(signed)[:6]
    assert gate.scan(signed.text, GateScan("G1", "nonce-typed", AT, rotating_code=code)).admitted
    assert gate.scan(signed.text, GateScan("G1", "nonce-none1", AT)).reason is Reason.CODE_MISSING


def test_transferred_away_and_screenshotted_tickets_are_refused_offline(
    keyring: IssuerKeyring, signed: SignedCredential
) -> None:
    moved = gate_of(keyring, "north-1", RevocationEntry(500_001, 1, "transferred", DOORS))
    assert moved.scan(shown(signed), GateScan("G1", "nonce-moved", AT)).reason is Reason.TRANSFERRED
    gate = gate_of(keyring, "north-2")
    later = AT + timedelta(minutes=2)
    assert (
        gate.scan(shown(signed), GateScan("G1", "nonce-shot1", later)).reason is Reason.CODE_STALE
    )
    early = DOORS - timedelta(minutes=5)
    assert (
        gate.scan(shown(signed, early), GateScan("G1", "nonce-early", early)).reason
        is Reason.WRONG_SESSION
    )


def test_a_revoked_card_number_does_not_revoke_the_ticket_of_the_same_number(
    keyring: IssuerKeyring, signed: SignedCredential
) -> None:
    card_entry = RevocationEntry(500_001, None, "lost", DOORS)
    data = ticket_package(keyring, card_revoked=(card_entry,))
    gate = OfflineGate.load(data, keyring.public_key_set(), DOORS)
    assert gate.scan(shown(signed), GateScan("G1", "nonce-0001", AT)).admitted
    card = sign(athlete_card(500_001), keyring.active)
    assert gate.check(card.text, "1", AT).reason is Reason.REVOKED


def test_a_card_scanned_at_a_ticket_gate_uses_the_gate_zone(keyring: IssuerKeyring) -> None:
    gate = gate_of(keyring, "north-1")
    card = sign(athlete_card(), keyring.active)
    assert gate.scan(card.text, GateScan("G1", "nonce-card1", AT)).admitted
    assert gate.scan(card.text, GateScan("G9", "nonce-card2", AT)).reason is Reason.ZONE_NOT_GRANTED


def test_the_merge_reports_every_ticket_that_entered_through_two_devices(
    keyring: IssuerKeyring, signed: SignedCredential
) -> None:
    north, south = gate_of(keyring, "north-1"), gate_of(keyring, "south-1")
    other = sign(ticket(500_002, gates=()), keyring.active)
    assert north.scan(shown(signed), GateScan("G1", "nonce-n-001", AT)).admitted
    later = AT + timedelta(minutes=3)
    assert south.scan(shown(signed, later), GateScan("G2", "nonce-s-001", later)).admitted
    assert north.scan(shown(other), GateScan("G1", "nonce-n-002", AT)).admitted
    out = AT + timedelta(minutes=1)
    assert north.scan(
        shown(other, out), GateScan("G1", "nonce-n-003", out, Direction.EXIT)
    ).admitted
    assert south.scan(shown(other, later), GateScan("G2", "nonce-s-002", later)).admitted
    uploads = [ScanRecord.from_json(r.to_json()) for r in (*north.log, *south.log, *north.log)]
    doubles = merge_scans(uploads)
    assert [(d.credential_id, d.first.device, d.second.device) for d in doubles] == [
        (500_001, "north-1", "south-1")
    ]


def test_a_scan_record_with_a_bad_field_is_refused() -> None:
    with pytest.raises(ValueError, match="nonce"):
        ScanRecord.from_json({"nonce": "x", "device": "d", "at": 0, "gate": "G1"})
    with pytest.raises(ValueError, match="scan 3"):
        ScanRecord.from_json({"nonce": "nonce-0001"}, "scan 3")


@st.composite
def scan_logs(draw: st.DrawFn) -> list[ScanRecord]:
    """Draw admitted entries and exits of a few tickets on a few devices, minute by minute."""
    devices = st.sampled_from(("north-1", "south-1", "east-1"))
    return [
        ScanRecord(
            f"nonce-{n:06d}",
            draw(devices),
            DOORS + timedelta(minutes=n),
            "G1",
            draw(st.sampled_from(tuple(Direction))),
            Reason.ADMITTED,
            True,
            draw(st.integers(1, 4)),
            1,
            Kind.TICKET,
        )
        for n in range(draw(st.integers(0, 30)))
    ]


@given(scan_logs(), st.randoms(use_true_random=False))
def test_the_merge_ignores_upload_order_and_never_blames_one_device(
    records: list[ScanRecord], rng: random.Random
) -> None:
    shuffled = records * 2  # an upload sent twice counts once
    rng.shuffle(shuffled)
    doubles = merge_scans(shuffled)
    assert doubles == merge_scans(records)
    assert all(d.first.device != d.second.device for d in doubles)
    assert all(d.second.direction is Direction.ENTRY for d in doubles)
