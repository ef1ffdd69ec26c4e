"""Tickets in the gates engine: payload, rotating code, and the ticket checks of `decide`."""

from __future__ import annotations

import stat
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from hypothesis import given
from hypothesis import strategies as st

from podium.gates import (
    CODE_STEP,
    MESSAGES,
    TICKET_CHECK_ORDER,
    TRANSFERRED,
    Credential,
    CredentialFormatError,
    Decision,
    Direction,
    IssuerKey,
    IssuerKeyring,
    Kind,
    LocalGateState,
    PublicKeySet,
    Reason,
    RevocationEntry,
    RevocationIndex,
    RevocationList,
    Scan,
    SignedCredential,
    StaticGateState,
    TicketBody,
    check_rotating,
    decide,
    decode,
    encode,
    key_id_of,
    open_ticket_code_keys,
    rotating_code,
    screen_text,
    sign,
    split_screen_text,
    ticket_secret,
)
from tests.gates.gates_factories import CODE_KEY, DOORS, athlete_card, codes, ticket

AT = DOORS + timedelta(minutes=20)


@pytest.fixture
def keys(keyring: IssuerKeyring) -> PublicKeySet:
    return keyring.public_key_set()


@pytest.fixture
def signed(keyring: IssuerKeyring) -> SignedCredential:
    return sign(ticket(), keyring.active)


def state(*entries: RevocationEntry, **kwargs: object) -> LocalGateState:
    index = RevocationIndex(RevocationList(1, DOORS, entries))
    return LocalGateState(code_keys={0: CODE_KEY}, ticket_revocations=index, **kwargs)  # type: ignore[arg-type]


def code_of(signed: SignedCredential, at: datetime) -> str:
    return rotating_code(signed.text, ticket_secret(CODE_KEY, signed.credential), at)


def scan_of(signed: SignedCredential, at: datetime = AT, **changes: object) -> Scan:
    base = Scan("STA", "", at, "G1", Direction.ENTRY, frozenset({"ATH12"}), code_of(signed, at))
    return replace(base, **changes)  # type: ignore[arg-type]


def test_a_ticket_round_trips_through_bytes_and_text(signed: SignedCredential) -> None:
    assert signed.text[0].isalpha()
    back = decode(signed.raw)
    assert back.credential == signed.credential
    assert back.credential.kind is Kind.TICKET
    assert back.credential.body.seat == "Row 3 Seat 21"


@given(
    session=codes,
    gates=st.lists(codes, max_size=6).map(tuple),
    code_key=st.integers(0, 255),
    holder=st.binary(min_size=8, max_size=8),
    label=st.text("AZaz09 .:/_-", max_size=32),
)
def test_any_ticket_body_round_trips(
    session: str, gates: tuple[str, ...], code_key: int, holder: bytes, label: str
) -> None:
    body = TicketBody(session, "STA", gates, code_key, holder, label, label)
    credential = replace(ticket(), body=body)
    assert decode(encode(credential) + bytes(64)).credential == credential


@pytest.mark.parametrize(
    ("body", "fragment"),
    [
        (TicketBody("ATH12", "STA", seat="Row 3; Seat 21"), "seat"),
        (TicketBody("ATH12", "STA", code_key=256), "code_key"),
        (TicketBody("ATH12", "STA", holder=b"short"), "holder"),
        (TicketBody("ATH 12", "STA"), "session"),
    ],
)
def test_a_ticket_with_a_bad_value_is_not_encoded(body: TicketBody, fragment: str) -> None:
    with pytest.raises(CredentialFormatError) as error:
        encode(replace(ticket(), body=body))
    assert error.value.code == "credential_invalid_value"
    assert fragment in str(error.value)


def test_a_truncated_ticket_is_malformed(signed: SignedCredential) -> None:
    for cut in (1, 5, 14):
        with pytest.raises(CredentialFormatError) as error:
            decode(signed.message[:-cut] + signed.signature)
        assert error.value.code == "malformed"


def test_the_rotating_code_changes_every_15_seconds_and_tolerates_one_step(
    signed: SignedCredential,
) -> None:
    secret = ticket_secret(CODE_KEY, signed.credential)
    step_start = datetime.fromtimestamp(AT.timestamp() // CODE_STEP * CODE_STEP, UTC)
    code = rotating_code(signed.text, secret, step_start)
    assert len(code) == 6
    assert code.isdigit()
    assert rotating_code(signed.text, secret, step_start + timedelta(seconds=14)) == code
    assert rotating_code(signed.text, secret, step_start + timedelta(seconds=15)) != code
    for seconds in (-15, 0, 14, 29):
        assert check_rotating(secret, code, step_start + timedelta(seconds=seconds))
    for seconds in (-16, 30, 45, 3600):
        assert not check_rotating(secret, code, step_start + timedelta(seconds=seconds))
    assert not check_rotating(secret, "12345", step_start)
    assert not check_rotating(secret, "abcdef", step_start)


def test_a_new_serial_has_a_new_secret(signed: SignedCredential) -> None:
    reissued = replace(signed.credential, card_serial=2)
    assert ticket_secret(CODE_KEY, reissued) != ticket_secret(CODE_KEY, signed.credential)
    with pytest.raises(ValueError, match="16 bytes"):
        ticket_secret(b"short", reissued)


def test_a_rotating_code_is_only_made_for_a_ticket(keyring: IssuerKeyring) -> None:
    card = sign(athlete_card(), keyring.active)
    with pytest.raises(CredentialFormatError):
        rotating_code(card.text, CODE_KEY, AT)


def test_the_screen_text_splits_back_and_a_card_text_stays_whole(
    signed: SignedCredential, keyring: IssuerKeyring
) -> None:
    shown = screen_text(signed.text, "123456")
    assert split_screen_text(shown) == (signed.text, "123456")
    assert split_screen_text(f"  {shown}\n") == (signed.text, "123456")
    card = sign(athlete_card(), keyring.active).text
    assert split_screen_text(card) == (card, None)


def test_a_live_ticket_at_its_gate_is_admitted(
    signed: SignedCredential, keys: PublicKeySet
) -> None:
    decision = decide(signed.text, scan_of(signed), keys, state())
    assert decision == Decision(True, Reason.ADMITTED, 500_001, 1, Kind.TICKET)


def test_forged_and_altered_tickets_are_refused(
    signed: SignedCredential, keys: PublicKeySet
) -> None:
    forger = Ed25519PrivateKey.generate()
    forged = sign(ticket(), IssuerKey(key_id_of(forger.public_key()), forger))
    assert decide(forged.text, scan_of(signed), keys, state()).reason is Reason.UNKNOWN_KEY
    same_id = sign(ticket(), IssuerKey(signed.credential.key_id, forger))
    assert decide(same_id.raw, scan_of(signed), keys, state()).reason is Reason.BAD_SIGNATURE
    altered = bytearray(signed.raw)
    altered[12] ^= 1  # another ticket number
    assert decide(bytes(altered), scan_of(signed), keys, state()).reason is Reason.BAD_SIGNATURE


def test_revoked_and_transferred_away_tickets_are_refused_with_their_codes(
    signed: SignedCredential, keys: PublicKeySet
) -> None:
    lost = state(RevocationEntry(500_001, 1, "cancelled", DOORS))
    decision = decide(signed.text, scan_of(signed), keys, lost)
    assert (decision.reason, decision.detail) == (Reason.REVOKED, "cancelled")
    moved = state(RevocationEntry(500_001, 1, TRANSFERRED, DOORS))
    assert decide(signed.text, scan_of(signed), keys, moved).reason is Reason.TRANSFERRED

    class Online(LocalGateState):
        def current_ticket_serial(self, credential_id: int) -> int | None:
            return 2 if credential_id == 500_001 else None

    online = Online(code_keys={0: CODE_KEY})
    assert decide(signed.text, scan_of(signed), keys, online).reason is Reason.TRANSFERRED


def test_a_screenshot_stops_working_after_its_window(
    signed: SignedCredential, keys: PublicKeySet
) -> None:
    shot = code_of(signed, AT)
    for later, reason in ((10, Reason.ADMITTED), (45, Reason.CODE_STALE), (600, Reason.CODE_STALE)):
        at = AT + timedelta(seconds=later)
        scan = scan_of(signed, at, rotating_code=shot)
        assert decide(signed.text, scan, keys, state()).reason is reason
    missing = scan_of(signed, rotating_code=None)
    assert decide(signed.text, missing, keys, state()).reason is Reason.CODE_MISSING
    no_key = LocalGateState()
    assert decide(signed.text, scan_of(signed), keys, no_key).reason is Reason.UNKNOWN_KEY


def test_session_gate_venue_and_window_are_checked(
    signed: SignedCredential, keys: PublicKeySet
) -> None:
    cases = {
        Reason.WRONG_SESSION: scan_of(signed, sessions=frozenset({"ATH13"})),
        Reason.WRONG_GATE: scan_of(signed, gate="G7"),
        Reason.WRONG_VENUE: scan_of(signed, venue="BCY"),
        Reason.EXPIRED: scan_of(signed, AT + timedelta(days=1)),
        Reason.NOT_YET_VALID: scan_of(signed, AT - timedelta(days=1)),
    }
    for reason, scan in cases.items():
        assert decide(signed.text, scan, keys, state()).reason is reason
    exit_elsewhere = scan_of(signed, gate="G7", direction=Direction.EXIT)
    assert decide(signed.text, exit_elsewhere, keys, state(inside={500_001})).admitted


def test_a_ticket_naming_no_gate_enters_by_any_gate(
    keyring: IssuerKeyring, keys: PublicKeySet
) -> None:
    signed = sign(ticket(gates=()), keyring.active)
    assert decide(signed.text, scan_of(signed, gate="G7"), keys, state()).admitted


def test_anti_passback_refuses_a_second_entry_and_an_exit_without_entry(
    signed: SignedCredential, keys: PublicKeySet
) -> None:
    local = state()
    first = scan_of(signed, nonce="nonce-0001")
    assert local.record(first, decide(signed.text, first, keys, local))
    again = scan_of(signed, AT + timedelta(seconds=5), nonce="nonce-0002")
    assert decide(signed.text, again, keys, local).reason is Reason.ALREADY_INSIDE
    out = scan_of(signed, AT + timedelta(minutes=30), direction=Direction.EXIT, nonce="n-exit-01")
    assert local.record(out, decide(signed.text, out, keys, local))
    assert decide(signed.text, out, keys, state()).reason is Reason.NOT_INSIDE
    back = scan_of(signed, AT + timedelta(minutes=40), nonce="nonce-0003")
    assert decide(signed.text, back, keys, local).admitted


def test_the_same_nonce_gets_the_first_decision_back(
    signed: SignedCredential, keys: PublicKeySet
) -> None:
    local = state()
    first = scan_of(signed, nonce="nonce-retry")
    decision = decide(signed.text, first, keys, local)
    local.record(first, decision)
    retry = decide(signed.text, first, keys, local)
    assert retry.reason is Reason.DUPLICATE_SCAN
    assert retry.admitted
    assert retry.detail == "admitted"
    assert retry.message("fr").endswith("Accès autorisé.")
    assert not local.record(first, retry)
    assert retry.replayed() is retry


def test_a_card_only_gate_refuses_tickets(signed: SignedCredential, keys: PublicKeySet) -> None:
    decision = decide(signed.text, scan_of(signed), keys, StaticGateState())
    assert decision.reason is Reason.WRONG_GATE


def test_every_ticket_reason_has_messages_and_a_place_in_the_order() -> None:
    assert len(set(TICKET_CHECK_ORDER)) == len(TICKET_CHECK_ORDER)
    for reason in (*TICKET_CHECK_ORDER, Reason.DUPLICATE_SCAN):
        assert MESSAGES[reason]["en"]
        assert MESSAGES[reason]["fr"]
        assert reason.message("fr") != reason.message("en")


def test_ticket_code_keys_are_created_private_and_rotate(tmp_path: Path) -> None:
    keys = open_ticket_code_keys(tmp_path)
    assert keys.active == 0
    assert len(keys.active_key) == 32
    assert stat.S_IMODE(keys.path.stat().st_mode) == 0o600  # type: ignore[union-attr]
    assert keys.rotate() == 1
    again = open_ticket_code_keys(tmp_path)
    assert (again.active, again[0], again[1]) == (1, keys[0], keys[1])
    assert again.subset({1}) == {1: keys[1]}


def test_ticket_code_keys_opened_earlier_follow_a_rotation_made_elsewhere(tmp_path: Path) -> None:
    running = open_ticket_code_keys(tmp_path)  # a server's, opened at start
    first = running.active_key
    assert open_ticket_code_keys(tmp_path).rotate() == 1  # the host, another process
    assert (running.active, running[0], len(running)) == (1, first, 2)
    assert running.active_key == open_ticket_code_keys(tmp_path)[1]


def test_a_ticket_credential_is_typed_by_its_body() -> None:
    card: Credential[TicketBody] = ticket()
    assert card.kind is Kind.TICKET
