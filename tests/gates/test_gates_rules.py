from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from hypothesis import given, settings
from hypothesis import strategies as st

from podium.gates import (
    CHECK_ORDER,
    MESSAGES,
    REPRINTED,
    TICKET_CHECK_ORDER,
    AccreditationBody,
    Decision,
    IssuerKey,
    IssuerKeyring,
    PublicKeyEntry,
    PublicKeySet,
    Reason,
    RevocationEntry,
    RevocationIndex,
    RevocationList,
    Scan,
    SignedCredential,
    StaticGateState,
    VenueGrant,
    b45encode,
    decide,
    key_id_of,
    sign,
)
from tests.gates.gates_factories import DURING, T0, T_END, athlete_card

AT_STADIUM = Scan("STA", "1", DURING)


def revoked(*entries: RevocationEntry) -> StaticGateState:
    return StaticGateState(RevocationIndex(RevocationList(1, T0, entries)))


@pytest.fixture
def card(keyring: IssuerKeyring) -> SignedCredential:
    return sign(athlete_card(venues=(VenueGrant("STA"), VenueGrant("BCY", ("5",)))), keyring.active)


@pytest.fixture
def keys(keyring: IssuerKeyring) -> PublicKeySet:
    return keyring.public_key_set()


def test_a_valid_card_is_admitted_from_text_and_from_bytes(
    card: SignedCredential, keys: PublicKeySet
) -> None:
    for form in (card.text, card.raw):
        decision = decide(form, AT_STADIUM, keys, StaticGateState())
        assert decision == Decision(True, Reason.ADMITTED, 123_456, 1, card.credential.kind)
    assert decide(card.raw, Scan("BCY", "5", DURING), keys, StaticGateState()).admitted


def test_validity_window_is_inclusive_at_both_ends(
    card: SignedCredential, keys: PublicKeySet
) -> None:
    state = StaticGateState()
    assert decide(card.raw, Scan("STA", "1", T0), keys, state).admitted
    assert decide(card.raw, Scan("STA", "1", T_END), keys, state).admitted


def _reason(card: bytes | str, scan: Scan, keys: PublicKeySet, state: StaticGateState) -> Reason:
    decision = decide(card, scan, keys, state)
    assert decision.admitted is (decision.reason is Reason.ADMITTED)
    return decision.reason


def test_every_refusal_reason_is_reachable(
    card: SignedCredential, keys: PublicKeySet, keyring: IssuerKeyring
) -> None:
    plain = StaticGateState()
    tampered = bytearray(card.raw)
    tampered[-1] ^= 1
    unsigned_body = card.message[:24] + b"\x00"
    garbage_raw = unsigned_body + keyring.active.sign(unsigned_body)
    seen = {
        Reason.MALFORMED: _reason("hello world", AT_STADIUM, keys, plain),
        Reason.UNKNOWN_VERSION: _reason(b"\x09" + card.raw[1:], AT_STADIUM, keys, plain),
        Reason.UNKNOWN_KEY: _reason(card.raw, AT_STADIUM, PublicKeySet(), plain),
        Reason.BAD_SIGNATURE: _reason(bytes(tampered), AT_STADIUM, keys, plain),
        Reason.REVOKED: _reason(
            card.raw, AT_STADIUM, keys, revoked(RevocationEntry(123_456, 1, "lost", T0))
        ),
        Reason.SUSPENDED: _reason(
            card.raw, AT_STADIUM, keys, StaticGateState(suspended=frozenset({123_456}))
        ),
        Reason.NOT_YET_VALID: _reason(
            card.raw, replace(AT_STADIUM, at=T0 - timedelta(seconds=1)), keys, plain
        ),
        Reason.EXPIRED: _reason(
            card.raw, replace(AT_STADIUM, at=T_END + timedelta(seconds=1)), keys, plain
        ),
        Reason.WRONG_VENUE: _reason(card.raw, Scan("AQC", "1", DURING), keys, plain),
        Reason.ZONE_NOT_GRANTED: _reason(card.raw, Scan("BCY", "1", DURING), keys, plain),
    }
    assert all(reason == expected for expected, reason in seen.items())
    assert set(seen) == set(CHECK_ORDER)
    every = set(CHECK_ORDER) | set(TICKET_CHECK_ORDER) | {Reason.DUPLICATE_SCAN}
    assert every == set(Reason) - {Reason.ADMITTED}  # tickets: tests/gates/test_gates_tickets.py
    assert _reason(garbage_raw, AT_STADIUM, keys, plain) is Reason.MALFORMED  # signed, bad body
    assert decide(garbage_raw, AT_STADIUM, keys, plain).detail


def test_every_reason_has_an_english_and_a_french_message() -> None:
    for reason in Reason:
        assert set(MESSAGES[reason]) == {"en", "fr"}
        assert reason.message("fr") != reason.message("en")
    assert Reason.REVOKED.message("fr").startswith("Carte révoquée")
    assert Reason.EXPIRED.message("de") == "Card expired."


def test_revoked_outranks_suspended_and_expired(card: SignedCredential, keys: PublicKeySet) -> None:
    state = StaticGateState(
        RevocationIndex(RevocationList(1, T0, (RevocationEntry(123_456, None, "withdrawn", T0),))),
        frozenset({123_456}),
    )
    decision = decide(card.raw, Scan("AQC", "9", T_END + timedelta(days=9)), keys, state)
    assert (decision.reason, decision.detail) == (Reason.REVOKED, "withdrawn")


def test_suspended_outranks_the_validity_window(card: SignedCredential, keys: PublicKeySet) -> None:
    state = StaticGateState(suspended=frozenset({123_456}))
    assert decide(card.raw, Scan("STA", "1", T_END + timedelta(days=1)), keys, state).reason is (
        Reason.SUSPENDED
    )


def test_revoking_every_serial_refuses_any_card_of_the_credential(
    keyring: IssuerKeyring, keys: PublicKeySet
) -> None:
    state = revoked(RevocationEntry(123_456, None, "withdrawn", T0))
    for serial in (0, 1, 7):
        card = sign(athlete_card(serial=serial), keyring.active)
        assert decide(card.raw, AT_STADIUM, keys, state).reason is Reason.REVOKED
    other = sign(athlete_card(number=123_457), keyring.active)
    assert decide(other.raw, AT_STADIUM, keys, state).admitted


def test_online_a_reprinted_cards_old_serial_is_refused(
    keyring: IssuerKeyring, keys: PublicKeySet
) -> None:
    online = StaticGateState(current_serials={123_456: 2})
    old, new = (sign(athlete_card(serial=s), keyring.active) for s in (1, 2))
    refused = decide(old.raw, AT_STADIUM, keys, online)
    assert (refused.reason, refused.detail, refused.card_serial) == (Reason.REVOKED, REPRINTED, 1)
    assert decide(new.raw, AT_STADIUM, keys, online).admitted


def test_offline_a_reprinted_cards_old_serial_is_refused_by_its_revocation_entry(
    keyring: IssuerKeyring, keys: PublicKeySet
) -> None:
    offline = revoked(RevocationEntry(123_456, 1, REPRINTED, T0))
    old, new = (sign(athlete_card(serial=s), keyring.active) for s in (1, 2))
    assert decide(old.raw, AT_STADIUM, keys, offline).detail == REPRINTED
    assert decide(new.raw, AT_STADIUM, keys, offline).admitted


def test_a_card_without_venue_list_opens_every_venue(
    keyring: IssuerKeyring, keys: PublicKeySet
) -> None:
    card = sign(athlete_card(), keyring.active)
    for venue in ("STA", "BCY", "OLV"):
        assert decide(card.raw, Scan(venue, "R", DURING), keys, StaticGateState()).admitted


def test_an_override_can_grant_a_zone_the_card_lacks(
    keyring: IssuerKeyring, keys: PublicKeySet
) -> None:
    body = AccreditationBody("Pf", ("1",), (VenueGrant("STA", ("1", "6")), VenueGrant("BCY")))
    card = sign(replace(athlete_card(), body=body), keyring.active)
    assert decide(card.raw, Scan("STA", "6", DURING), keys, StaticGateState()).admitted
    assert decide(card.raw, Scan("BCY", "6", DURING), keys, StaticGateState()).reason is (
        Reason.ZONE_NOT_GRANTED
    )


def _expected_for_altered_byte(offset: int) -> Reason:
    if offset == 0:
        return Reason.UNKNOWN_VERSION
    if 2 <= offset < 10:  # the key id
        return Reason.UNKNOWN_KEY
    return Reason.BAD_SIGNATURE


def test_altering_any_byte_gives_a_deterministic_refusal(
    card: SignedCredential, keys: PublicKeySet
) -> None:
    for offset in range(len(card.raw)):
        for value in (0x00, 0x5A, 0xFF):
            altered = bytearray(card.raw)
            if altered[offset] == value:
                continue
            altered[offset] = value
            decision = decide(bytes(altered), AT_STADIUM, keys, StaticGateState())
            assert decision.reason is _expected_for_altered_byte(offset), offset


def test_truncated_or_extended_cards_are_refused(
    card: SignedCredential, keys: PublicKeySet
) -> None:
    for size in range(len(card.raw)):
        assert not decide(card.raw[:size], AT_STADIUM, keys, StaticGateState()).admitted
    assert decide(card.raw + b"\x00", AT_STADIUM, keys, StaticGateState()).reason is (
        Reason.BAD_SIGNATURE
    )
    assert decide(b"", AT_STADIUM, keys, StaticGateState()).reason is Reason.MALFORMED
    assert decide("", AT_STADIUM, keys, StaticGateState()).reason is Reason.MALFORMED


_KEY = Ed25519PrivateKey.generate()
_SIGNER = IssuerKey(key_id_of(_KEY.public_key()), _KEY)
_KEYS = PublicKeySet([PublicKeyEntry(_SIGNER.key_id, _KEY.public_key(), T0)])


@settings(max_examples=300)
@given(
    bit=st.integers(min_value=0),
    text_index=st.integers(min_value=0),
    char=st.sampled_from("0A $%:"),
)
def test_no_single_bit_flip_or_character_change_admits(
    bit: int, text_index: int, char: str
) -> None:
    keys = _KEYS
    card = sign(athlete_card(), _SIGNER)
    flipped = bytearray(card.raw)
    flipped[(bit // 8) % len(flipped)] ^= 1 << (bit % 8)
    assert not decide(bytes(flipped), AT_STADIUM, keys, StaticGateState()).admitted
    text = card.text
    index = text_index % len(text)
    if text[index] != char:
        changed = text[:index] + char + text[index + 1 :]
        assert not decide(changed, AT_STADIUM, keys, StaticGateState()).admitted
    assert decide(b45encode(card.raw), AT_STADIUM, keys, StaticGateState()).admitted


@settings(max_examples=300)
@given(st.binary(max_size=200) | st.text(max_size=200))
def test_any_input_gets_a_refusal_never_an_exception(card: bytes | str) -> None:
    decision = decide(card, AT_STADIUM, _KEYS, StaticGateState())
    assert not decision.admitted


@settings(max_examples=300)
@given(st.binary(max_size=120))
def test_a_signed_but_arbitrary_body_is_malformed_or_decided(body: bytes) -> None:
    header = sign(athlete_card(), _SIGNER).message[:24]
    message = header + body
    decision = decide(message + _SIGNER.sign(message), AT_STADIUM, _KEYS, StaticGateState())
    assert decision.reason in {Reason.MALFORMED, Reason.ADMITTED, Reason.ZONE_NOT_GRANTED} | {
        Reason.WRONG_VENUE
    }
