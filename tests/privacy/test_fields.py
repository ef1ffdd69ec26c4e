"""AES-GCM field encryption and crypto-shredding, on a real key store in tmp_path."""

from __future__ import annotations

import base64
import os
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from podium.privacy.errors import CiphertextError, KeyDestroyedError, MasterKeyError
from podium.privacy.fields import NONCE_BYTES, TAG_BYTES, VERSION, FieldCipher
from podium.privacy.keys import (
    MASTER_KEY_ENV,
    MasterKeyring,
    SubjectKeys,
    open_subject_keys,
    retire_master_key,
    rotate_master_key,
)

NAME = "Léon Marchand-Ørsted 李"


@pytest.fixture
def key_dir(tmp_path: Path) -> Path:
    return tmp_path / "keys"


@pytest.fixture
def keys(key_dir: Path) -> Iterator[SubjectKeys]:
    service = open_subject_keys(key_dir, environ={})
    yield service
    service.close()


@pytest.fixture
def cipher(keys: SubjectKeys) -> FieldCipher:
    return FieldCipher(keys)


def test_round_trip(cipher: FieldCipher) -> None:
    token = cipher.seal("s1", "identity", "person.given_name", NAME)
    assert token is not None
    assert token[0] == VERSION
    assert len(token) == 1 + NONCE_BYTES + len(NAME.encode()) + TAG_BYTES
    assert NAME.encode() not in token
    assert cipher.open("s1", "identity", "person.given_name", token) == NAME


def test_none_stays_none_and_creates_no_key(cipher: FieldCipher) -> None:
    assert cipher.seal("s1", "identity", "person.given_name", None) is None
    assert cipher.open("s1", "identity", "person.given_name", None) is None
    assert cipher.keys.data_key("s1", "identity") is None


def test_two_seals_of_one_value_differ(cipher: FieldCipher) -> None:
    first = cipher.seal("s1", "identity", "person.given_name", NAME)
    second = cipher.seal("s1", "identity", "person.given_name", NAME)
    assert first != second  # a fresh random nonce each time (NIST SP 800-38D §8.2.2)


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(max_size=200), subject=st.sampled_from(["s1", "s2", "s3"]))
def test_any_text_round_trips(cipher: FieldCipher, text: str, subject: str) -> None:
    token = cipher.seal(subject, "contact", "person.email", text)
    assert cipher.open(subject, "contact", "person.email", token) == text


@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(position=st.integers(min_value=0), flip=st.integers(min_value=1, max_value=255))
def test_any_tampered_byte_is_refused(cipher: FieldCipher, position: int, flip: int) -> None:
    token = cipher.seal("s1", "identity", "person.family_name", NAME)
    assert token is not None
    damaged = bytearray(token)
    damaged[position % len(token)] ^= flip
    with pytest.raises(CiphertextError) as caught:
        cipher.open("s1", "identity", "person.family_name", bytes(damaged))
    assert caught.value.code == "ciphertext_invalid"


@pytest.mark.parametrize(
    ("subject", "category", "field"),
    [
        ("s2", "identity", "person.family_name"),  # copied to another person's row
        ("s1", "identity", "person.given_name"),  # copied to another column
        ("s1", "contact", "person.family_name"),  # opened under another category's key
    ],
)
def test_ciphertext_moved_elsewhere_is_refused(
    cipher: FieldCipher, subject: str, category: str, field: str
) -> None:
    cipher.seal("s2", "identity", "person.family_name", "other")
    cipher.seal("s1", "contact", "person.email", "x@example.org")
    token = cipher.seal("s1", "identity", "person.family_name", NAME)
    with pytest.raises(CiphertextError) as caught:
        cipher.open(subject, category, field, token)
    assert caught.value.code == "ciphertext_invalid"


def test_malformed_tokens_are_refused(cipher: FieldCipher) -> None:
    token = cipher.seal("s1", "identity", "person.given_name", NAME)
    assert token is not None
    for bad in (b"", token[:20], bytes([2]) + token[1:]):
        with pytest.raises(CiphertextError):
            cipher.open("s1", "identity", "person.given_name", bad)


def test_token_for_a_subject_without_a_key_is_refused(cipher: FieldCipher) -> None:
    token = cipher.seal("s1", "identity", "person.given_name", NAME)
    with pytest.raises(CiphertextError) as caught:
        cipher.open("s9", "identity", "person.given_name", token)
    assert caught.value.code == "subject_key_missing"


def test_shredding_one_category_leaves_the_other_readable(cipher: FieldCipher) -> None:
    name = cipher.seal("s1", "identity", "person.given_name", NAME)
    diagnosis = cipher.seal("s1", "health", "medical.note", "asthma")
    cipher.keys.shred("s1", ["health"])
    assert cipher.open("s1", "identity", "person.given_name", name) == NAME
    with pytest.raises(KeyDestroyedError):
        cipher.open("s1", "health", "medical.note", diagnosis)
    with pytest.raises(KeyDestroyedError):
        cipher.seal("s1", "health", "medical.note", "again")


def test_shredding_a_subject_erases_every_field(cipher: FieldCipher) -> None:
    name = cipher.seal("s1", "identity", "person.given_name", NAME)
    born = cipher.seal_date("s1", "birth-date", "person.birth_date", date(2002, 5, 28))
    other = cipher.seal("s2", "identity", "person.given_name", "Summer")
    assert cipher.keys.shred("s1") == 2
    with pytest.raises(KeyDestroyedError) as caught:
        cipher.open("s1", "identity", "person.given_name", name)
    assert caught.value.code == "subject_key_destroyed"
    assert cipher.open_or_none("s1", "identity", "person.given_name", name) is None
    assert cipher.open_or_none("s1", "birth-date", "person.birth_date", born) is None
    assert cipher.open("s2", "identity", "person.given_name", other) == "Summer"


def test_open_or_none_still_refuses_a_tampered_token(cipher: FieldCipher) -> None:
    token = cipher.seal("s1", "identity", "person.given_name", NAME)
    assert token is not None
    with pytest.raises(CiphertextError):
        cipher.open_or_none("s1", "identity", "person.given_name", token[:-1] + b"\x00")


def test_dates_round_trip(cipher: FieldCipher) -> None:
    token = cipher.seal_date("s1", "birth-date", "person.birth_date", date(2002, 5, 28))
    assert cipher.open_date("s1", "birth-date", "person.birth_date", token) == date(2002, 5, 28)
    assert cipher.seal_date("s1", "birth-date", "person.birth_date", None) is None
    assert cipher.open_date("s1", "birth-date", "person.birth_date", None) is None
    text = cipher.seal("s1", "birth-date", "person.birth_date", "not a date")
    with pytest.raises(CiphertextError):
        cipher.open_date("s1", "birth-date", "person.birth_date", text)


def test_a_database_backup_taken_before_erasure_cannot_be_read_after_it(
    key_dir: Path, tmp_path: Path
) -> None:
    keys = open_subject_keys(key_dir, environ={})
    cipher = FieldCipher(keys)
    backup = {
        (subject, field): cipher.seal(subject, "identity", field, f"{subject}:{field}")
        for subject in ("s1", "s2")
        for field in ("person.given_name", "person.family_name")
    }
    # The backup of the database holds only tokens; keep a byte copy of it on disk too.
    copy = tmp_path / "backup.bin"
    copy.write_bytes(b"".join(t for t in backup.values() if t is not None))
    keys.shred("s1")
    keys.close()

    later = FieldCipher(open_subject_keys(key_dir, environ={}))  # a new process
    for (subject, field), token in backup.items():
        if subject == "s1":
            assert later.open_or_none(subject, "identity", field, token) is None
        else:
            assert later.open(subject, "identity", field, token) == f"{subject}:{field}"
    later.keys.close()


def test_data_survives_master_key_rotation_and_retirement(key_dir: Path) -> None:
    keys = open_subject_keys(key_dir, environ={})
    token = FieldCipher(keys).seal("s1", "identity", "person.given_name", NAME)
    old_id = keys.keyring.active_id
    keys.rewrap_all(rotate_master_key(key_dir))
    retire_master_key(key_dir, old_id, keys.store)
    keys.close()

    reopened = open_subject_keys(key_dir, environ={})
    assert old_id not in reopened.keyring.keys
    assert FieldCipher(reopened).open("s1", "identity", "person.given_name", token) == NAME
    reopened.close()


def _env(*items: tuple[str, bytes]) -> dict[str, str]:
    return {
        MASTER_KEY_ENV: ",".join(f"{i}:{base64.urlsafe_b64encode(k).decode()}" for i, k in items)
    }


def test_environment_keyring_rotation_by_prepending_a_key(tmp_path: Path) -> None:
    old, new = os.urandom(32), os.urandom(32)
    with pytest.raises(MasterKeyError, match=MASTER_KEY_ENV):  # hex, not base64url
        open_subject_keys(tmp_path / "k", {MASTER_KEY_ENV: "k1:" + old.hex()})

    keys = open_subject_keys(tmp_path / "k", _env(("k1", old)))
    token = FieldCipher(keys).seal("s1", "contact", "person.email", "a@b.c")
    assert keys.rewrap_all(MasterKeyring.load(tmp_path / "k", _env(("k2", new), ("k1", old)))) == 1
    keys.close()

    only_new = open_subject_keys(tmp_path / "k", _env(("k2", new)))
    assert FieldCipher(only_new).open("s1", "contact", "person.email", token) == "a@b.c"
    only_new.close()
