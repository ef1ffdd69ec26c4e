from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from podium.gates import (
    IssuerKey,
    IssuerKeyring,
    KeyringError,
    KeyringKeys,
    PublicKeySet,
    Reason,
    Scan,
    SignedDocumentError,
    StaticGateState,
    decide,
    open_issuer_keyring,
    sign,
)
from podium.gates.keys import open_document, sign_document
from tests.gates.conftest import FixedClock
from tests.gates.gates_factories import DURING, T0, athlete_card, days

AT_STADIUM = Scan("STA", "1", DURING)


def test_a_new_keyring_has_one_private_key_readable_only_by_its_owner(
    keyring: IssuerKeyring,
) -> None:
    private = list((keyring.folder / "private").iterdir())
    assert [p.name for p in private] == [f"{keyring.active.kid}.key"]
    assert stat.S_IMODE(private[0].stat().st_mode) == 0o600
    assert list(keyring.public_key_set()) == [keyring.active.key_id]
    entry = keyring.public_key_set()[keyring.active.key_id]
    assert (entry.not_before, entry.retired_at) == (T0, None)


def test_reopening_a_keyring_keeps_its_active_key(keyring: IssuerKeyring) -> None:
    again = open_issuer_keyring(keyring.folder)
    assert again.active.key_id == keyring.active.key_id
    assert again.active.sign(b"x") == keyring.active.sign(b"x")  # Ed25519 is deterministic


def test_a_keyring_opened_earlier_follows_a_rotation_and_retirement_made_elsewhere(
    keyring: IssuerKeyring, clock: FixedClock
) -> None:
    running = open_issuer_keyring(keyring.folder, clock)  # a server's, opened at start
    old_key = running.active.key_id
    keys = KeyringKeys(running)
    new_key = keyring.rotate()  # the host's command, another keyring on the same folder
    assert running.active.key_id == new_key.key_id
    assert set(running.public_key_set()) == {old_key, new_key.key_id}
    new_card = sign(athlete_card(serial=2), running.active)
    assert decide(new_card.raw, AT_STADIUM, keys, StaticGateState()).admitted
    keyring.retire(old_key, DURING - days(1))
    old_card = sign(athlete_card(), _key(keyring.folder, old_key))
    refused = decide(old_card.raw, AT_STADIUM, keys, StaticGateState())
    assert refused.reason is Reason.UNKNOWN_KEY


def _key(folder: Path, key_id: bytes) -> IssuerKey:
    pem = (folder / "private" / f"{key_id.hex()}.key").read_bytes()
    private = serialization.load_pem_private_key(pem, password=None)
    assert isinstance(private, Ed25519PrivateKey)
    return IssuerKey(key_id, private)


def test_rotation_keeps_old_cards_valid_until_their_key_is_retired(
    keyring: IssuerKeyring, clock: FixedClock
) -> None:
    old_card = sign(athlete_card(), keyring.active)
    old_key = keyring.active.key_id
    clock.now = T0 + days(2)
    new_key = keyring.rotate()
    new_card = sign(athlete_card(serial=2), keyring.active)
    assert keyring.active == new_key
    assert new_key.key_id != old_key
    assert new_card.credential.key_id == new_key.key_id
    keys = keyring.public_key_set()
    for card in (old_card, new_card):
        assert decide(card.raw, AT_STADIUM, keys, StaticGateState()).admitted

    keyring.retire(old_key, DURING + days(1))
    keys = open_issuer_keyring(keyring.folder).public_key_set()
    assert keys[old_key].retired_at == DURING + days(1)
    assert decide(old_card.raw, AT_STADIUM, keys, StaticGateState()).admitted
    later = Scan("STA", "1", DURING + days(1))
    refused = decide(old_card.raw, later, keys, StaticGateState())
    assert (refused.reason, refused.detail) == (Reason.UNKNOWN_KEY, old_key.hex())
    assert decide(new_card.raw, later, keys, StaticGateState()).admitted


def test_retiring_defaults_to_now_and_refuses_the_active_or_an_unknown_key(
    keyring: IssuerKeyring, clock: FixedClock
) -> None:
    with pytest.raises(KeyringError) as error:
        keyring.retire(keyring.active.key_id)
    assert error.value.code == "keyring_active_key"
    with pytest.raises(KeyringError) as error:
        keyring.retire(bytes(8))
    assert error.value.code == "keyring_unknown_key"
    old = keyring.active.key_id
    keyring.rotate()
    clock.now = DURING
    keyring.retire(old)
    assert keyring.public_key_set()[old].retired_at == DURING


def test_published_key_set_round_trips_through_json(keyring: IssuerKeyring) -> None:
    keyring.rotate()
    published = json.loads(json.dumps(keyring.public_key_set().to_json()))
    assert set(published) == {key_id.hex() for key_id in keyring.public_key_set()}
    assert set(next(iter(published.values()))) == {"public_key", "not_before", "retired_at"}
    loaded = PublicKeySet.from_json(published)
    assert loaded.to_json() == published
    card = sign(athlete_card(), keyring.active)
    assert decide(card.raw, AT_STADIUM, loaded, StaticGateState()).admitted


def test_a_key_listed_under_another_id_is_refused(keyring: IssuerKeyring) -> None:
    published = keyring.public_key_set().to_json()
    planted = {"00" * 8: next(iter(published.values()))}
    with pytest.raises(KeyringError, match="has id"):
        PublicKeySet.from_json(planted)
    with pytest.raises(KeyringError, match="not a raw Ed25519 key"):
        PublicKeySet.from_json({"00" * 8: {"public_key": "AAAA", "not_before": None}})
    with pytest.raises(KeyringError, match="not an object"):
        PublicKeySet.from_json({"00" * 8: "key"})
    kid, entry = next(iter(published.items()))
    with pytest.raises(KeyringError, match="no not_before"):
        PublicKeySet.from_json({kid: {**entry, "not_before": None}})
    with pytest.raises(KeyringError, match="no UTC offset"):
        PublicKeySet.from_json({kid: {**entry, "retired_at": "2024-08-01T00:00:00"}})


def test_a_private_key_readable_by_others_is_refused(keyring: IssuerKeyring) -> None:
    (keyring.folder / "private" / f"{keyring.active.kid}.key").chmod(0o644)
    with pytest.raises(KeyringError) as error:
        open_issuer_keyring(keyring.folder)
    assert error.value.code == "keyring_permissions"


def test_a_corrupt_manifest_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "credentials"
    folder.mkdir()
    (folder / "keyring.json").write_text("{not json")
    with pytest.raises(KeyringError) as error:
        open_issuer_keyring(folder)
    assert error.value.code == "keyring_corrupt"


def test_signed_documents_verify_only_with_their_type_and_a_live_key(
    keyring: IssuerKeyring,
) -> None:
    keys = keyring.public_key_set()
    data = sign_document("a", {"n": 1}, keyring.active)
    assert open_document(data, "a", keys, DURING) == {"n": 1}
    cases = [
        (data, "b", keys, "document_malformed"),
        (data, "a", PublicKeySet(), "document_unknown_key"),
        (data.replace(b'"n":1', b'"n":2'), "a", keys, "document_bad_signature"),
        (b"[]", "a", keys, "document_malformed"),
    ]
    for document, kind, key_set, code in cases:
        with pytest.raises(SignedDocumentError) as error:
            open_document(document, kind, key_set, DURING)
        assert error.value.code == code
