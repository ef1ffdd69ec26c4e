from __future__ import annotations

import json
from datetime import datetime

import pytest

from podium.gates import (
    DevicePackage,
    IssuerKeyring,
    OfflineGate,
    PublicKeySet,
    Reason,
    RevocationEntry,
    RevocationList,
    SignedDocumentError,
    load_device_package,
    sign,
    sign_revocation_list,
)
from podium.gates.device import DEVICE_PACKAGE_TYPE
from podium.gates.keys import sign_document
from tests.gates.conftest import FixedClock, package_for
from tests.gates.gates_factories import DURING, T0, athlete_card, days

LATER = DURING + days(1)


def test_a_package_round_trips_and_the_gate_admits(
    keyring: IssuerKeyring, gate: OfflineGate
) -> None:
    revocations = RevocationList(3, T0, (RevocationEntry(7, None, "withdrawn", T0),))
    data = package_for(keyring, revocations, frozenset({8, 9}))
    package = load_device_package(data, keyring.public_key_set(), T0)
    assert package == DevicePackage(
        "STA", tuple("1234567"), package.keys, revocations, T0, frozenset({8, 9})
    )
    assert package.keys.to_json() == keyring.public_key_set().to_json()
    card = sign(athlete_card(), keyring.active)
    assert gate.check(card.text, "1", DURING).admitted
    assert gate.check(card.raw, "5", DURING).reason is Reason.ZONE_NOT_GRANTED


def test_the_gate_refuses_suspended_and_revoked_credentials_of_its_package(
    keyring: IssuerKeyring,
) -> None:
    revocations = RevocationList(3, T0, (RevocationEntry(7, None, "withdrawn", T0),))
    gate = OfflineGate.load(
        package_for(keyring, revocations, frozenset({8})), keyring.public_key_set(), T0
    )
    for number, reason in ((7, Reason.REVOKED), (8, Reason.SUSPENDED), (9, Reason.ADMITTED)):
        card = sign(athlete_card(number=number), keyring.active)
        assert gate.check(card.text, "2", DURING).reason is reason


def test_a_card_revoked_in_a_delta_is_refused_offline_once_the_delta_is_applied(
    keyring: IssuerKeyring,
) -> None:
    """Issue 5, done when: refused offline after the next revocation-list update."""
    full = RevocationList(1, T0, (RevocationEntry(1, 0, "lost", T0),))
    gate = OfflineGate.load(package_for(keyring, full), keyring.public_key_set(), T0)
    card = sign(athlete_card(number=555, serial=3), keyring.active)
    assert gate.check(card.text, "1", DURING).admitted

    delta = RevocationList(2, DURING, (RevocationEntry(555, 3, "stolen", DURING),), base_serial=1)
    signed_delta = sign_revocation_list(delta, keyring.active)
    assert gate.check(card.text, "1", DURING).admitted  # not applied yet: the gate cannot know
    assert gate.apply_revocations(signed_delta, DURING) == 2
    refused = gate.check(card.text, "1", DURING)
    assert (refused.reason, refused.detail) == (Reason.REVOKED, "stolen")
    assert gate.revocation_serial == 2


def test_a_reprinted_cards_old_serial_is_refused_offline(keyring: IssuerKeyring) -> None:
    gate = OfflineGate.load(package_for(keyring), keyring.public_key_set(), T0)
    delta = RevocationList(1, DURING, (RevocationEntry(555, 1, "reprinted", DURING),))
    gate.apply_revocations(sign_revocation_list(delta, keyring.active), DURING)
    old, new = (sign(athlete_card(number=555, serial=s), keyring.active) for s in (1, 2))
    assert gate.check(old.text, "1", DURING).reason is Reason.REVOKED
    assert gate.check(new.text, "1", DURING).admitted


def test_the_gate_refuses_an_older_list_a_gap_and_a_bad_signature(keyring: IssuerKeyring) -> None:
    gate = OfflineGate.load(
        package_for(keyring, RevocationList(5, T0, ())), keyring.public_key_set(), T0
    )
    entry = (RevocationEntry(555, 3, "stolen", DURING),)
    older = sign_revocation_list(RevocationList(4, T0, entry), keyring.active)
    gap = sign_revocation_list(RevocationList(8, T0, entry, base_serial=6), keyring.active)
    forged = sign_revocation_list(RevocationList(6, T0, entry, base_serial=5), keyring.active)
    forged = forged.replace(b'"stolen"', b'"lost"')
    for data, code in (
        (older, "revocation_stale"),
        (gap, "revocation_gap"),
        (forged, "document_bad_signature"),
    ):
        with pytest.raises(SignedDocumentError) as error:
            gate.apply_revocations(data, DURING)
        assert error.value.code == code
    assert gate.revocation_serial == 5


def test_a_tampered_package_or_one_signed_by_an_untrusted_key_is_refused(
    keyring: IssuerKeyring, tmp_path: object
) -> None:
    data = package_for(keyring, suspended=frozenset({8}))
    with pytest.raises(SignedDocumentError) as error:
        load_device_package(data.replace(b"[8]", b"[]"), keyring.public_key_set(), T0)
    assert error.value.code == "document_bad_signature"
    with pytest.raises(SignedDocumentError) as error:
        load_device_package(data, PublicKeySet(), T0)
    assert error.value.code == "document_unknown_key"


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("venue", "S T A"),
        ("zones", ["1", 2]),
        ("suspended", ["8"]),
        ("issued_at", "2024-07-18"),
        ("keys", {"00": {}}),
        ("revocations", {"serial": 2, "base_serial": 1, "issued_at": 0, "entries": []}),
    ],
)
def test_a_malformed_package_is_refused(keyring: IssuerKeyring, field: str, value: object) -> None:
    body = json.loads(package_for(keyring))["body"]
    body[field] = value
    data = sign_document(DEVICE_PACKAGE_TYPE, body, keyring.active)
    with pytest.raises(SignedDocumentError) as error:
        load_device_package(data, keyring.public_key_set(), T0)
    assert error.value.code == "document_malformed"


def test_a_key_rotation_reaches_the_gate_through_a_package_it_trusts(
    keyring: IssuerKeyring, clock: FixedClock
) -> None:
    gate = OfflineGate.load(package_for(keyring), keyring.public_key_set(), T0)
    signer_before = keyring.active
    clock.now = T0 + days(1)
    keyring.rotate()
    new_card = sign(athlete_card(), keyring.active)
    assert gate.check(new_card.text, "1", DURING).reason is Reason.UNKNOWN_KEY

    # The new package is signed by the new key, which the gate does not know yet: refused.
    with pytest.raises(SignedDocumentError) as error:
        gate.update_package(package_for(keyring, issued_at=T0 + days(1)), DURING)
    assert error.value.code == "document_unknown_key"
    # The issuer hands it over signed with the key the gate trusts.
    from podium.gates import sign_device_package  # noqa: PLC0415

    package = load_device_package(
        package_for(keyring, issued_at=T0 + days(1)), keyring.public_key_set(), T0
    )
    gate.update_package(sign_device_package(package, signer_before), DURING)
    assert gate.check(new_card.text, "1", DURING).admitted


def test_a_package_update_keeps_the_newer_revocations_and_refuses_stale_or_foreign_packages(
    keyring: IssuerKeyring,
) -> None:
    gate = OfflineGate.load(package_for(keyring), keyring.public_key_set(), T0)
    delta = RevocationList(4, DURING, (RevocationEntry(555, 3, "stolen", DURING),))
    gate.apply_revocations(sign_revocation_list(delta, keyring.active), DURING)
    gate.update_package(
        package_for(keyring, RevocationList(2, T0, ()), issued_at=T0 + days(1)), DURING
    )
    assert gate.revocation_serial == 4
    assert gate.package.issued_at == T0 + days(1)
    card = sign(athlete_card(number=555, serial=3), keyring.active)
    assert gate.check(card.text, "1", LATER).reason is Reason.REVOKED

    with pytest.raises(SignedDocumentError) as error:
        gate.update_package(package_for(keyring, issued_at=T0 + days(1)), DURING)
    assert error.value.code == "package_stale"
    body = json.loads(package_for(keyring, issued_at=T0 + days(2)))["body"]
    body["venue"] = "BCY"
    with pytest.raises(SignedDocumentError) as error:
        gate.update_package(sign_document(DEVICE_PACKAGE_TYPE, body, keyring.active), DURING)
    assert error.value.code == "package_venue"


def test_a_gate_that_keeps_verified_cards_decides_exactly_like_one_that_does_not(
    keyring: IssuerKeyring, clock: FixedClock
) -> None:
    cards = [sign(athlete_card(number=n), keyring.active) for n in (1, 2, 3)]
    old_key = keyring.active.key_id
    clock.now = T0 + days(1)
    keyring.rotate()
    keyring.retire(old_key, LATER)
    data = package_for(keyring)
    plain = OfflineGate.load(data, keyring.public_key_set(), T0)
    cached = OfflineGate.load(data, keyring.public_key_set(), T0, verified_cache=2)
    tampered = cards[0].text[:-3] + "000"
    delta = RevocationList(1, DURING, (RevocationEntry(2, None, "withdrawn", DURING),))
    script: list[tuple[str, str, object]] = [
        *((card.text, "1", DURING) for card in cards * 2),  # the cache evicts (size 2)
        (tampered, "1", DURING),
        (cards[0].text, "7", DURING),
        ("revoke", "", None),
        *((card.text, "1", DURING) for card in cards),
        (cards[0].text, "1", LATER),  # its key is retired by then
    ]
    answers: list[tuple[Reason, Reason]] = []
    for text, zone, at in script:
        if text == "revoke":
            for gate in (plain, cached):
                gate.apply_revocations(sign_revocation_list(delta, keyring.active), DURING)
            continue
        assert isinstance(at, datetime)
        answers.append((plain.check(text, zone, at).reason, cached.check(text, zone, at).reason))
    assert all(left is right for left, right in answers)
    assert [left for left, _ in answers] == [
        *[Reason.ADMITTED] * 6,
        Reason.BAD_SIGNATURE,
        Reason.ZONE_NOT_GRANTED,
        Reason.ADMITTED,
        Reason.REVOKED,
        Reason.ADMITTED,
        Reason.UNKNOWN_KEY,
    ]
