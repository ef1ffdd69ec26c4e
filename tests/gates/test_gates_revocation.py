from __future__ import annotations

import json

import pytest

from podium.gates import (
    IssuerKeyring,
    RevocationEntry,
    RevocationIndex,
    RevocationList,
    SignedDocumentError,
    open_revocation_list,
    sign_revocation_list,
)
from tests.gates.gates_factories import DURING, T0, days

LOST = RevocationEntry(1001, 1, "lost", T0 + days(1))
WITHDRAWN = RevocationEntry(1002, None, "withdrawn", T0 + days(2))
STOLEN = RevocationEntry(1003, 4, "stolen", T0 + days(3))


def test_a_signed_list_round_trips(keyring: IssuerKeyring) -> None:
    full = RevocationList(3, T0 + days(3), (LOST, WITHDRAWN))
    data = sign_revocation_list(full, keyring.active)
    assert open_revocation_list(data, keyring.public_key_set(), DURING) == full


def test_lookup_distinguishes_one_serial_from_every_serial() -> None:
    index = RevocationIndex(RevocationList(1, T0, (LOST, WITHDRAWN)))
    assert index.lookup(1001, 1) == LOST
    assert index.lookup(1001, 2) is None
    assert index.lookup(1002, 0) == index.lookup(1002, 9) == WITHDRAWN
    assert index.lookup(9999, 1) is None
    assert len(index) == 2
    assert index.to_list() == RevocationList(1, T0, (WITHDRAWN, LOST))


def test_a_delta_adds_to_the_index_without_touching_the_original() -> None:
    base = RevocationIndex(RevocationList(1, T0, (LOST,)))
    newer = base.applied(RevocationList(2, T0 + days(3), (STOLEN,), base_serial=1))
    assert (base.serial, newer.serial) == (1, 2)
    assert base.lookup(1003, 4) is None
    assert newer.lookup(1003, 4) == STOLEN
    assert newer.lookup(1001, 1) == LOST


def test_a_delta_based_before_the_index_serial_applies() -> None:
    index = RevocationIndex(RevocationList(5, T0, (LOST,)))
    assert index.applied(RevocationList(6, T0, (STOLEN,), base_serial=3)).serial == 6


def test_a_newer_full_list_replaces_the_index() -> None:
    index = RevocationIndex(RevocationList(1, T0, (LOST,)))
    replaced = index.applied(RevocationList(4, T0, (STOLEN,)))
    assert replaced.lookup(1001, 1) is None
    assert replaced.lookup(1003, 4) == STOLEN


@pytest.mark.parametrize(
    ("revocations", "code"),
    [
        (RevocationList(2, T0, (STOLEN,), base_serial=1), "revocation_stale"),
        (RevocationList(1, T0, (STOLEN,)), "revocation_stale"),
        (RevocationList(5, T0, (STOLEN,), base_serial=3), "revocation_gap"),
    ],
)
def test_an_older_list_or_a_gap_is_refused(revocations: RevocationList, code: str) -> None:
    index = RevocationIndex(RevocationList(2, T0, (LOST,)))
    with pytest.raises(SignedDocumentError) as error:
        index.applied(revocations)
    assert error.value.code == code


def test_an_index_is_built_only_from_a_full_list() -> None:
    with pytest.raises(SignedDocumentError) as error:
        RevocationIndex(RevocationList(2, T0, (LOST,), base_serial=1))
    assert error.value.code == "revocation_gap"


def test_a_list_signed_by_an_unknown_key_or_altered_is_refused(
    keyring: IssuerKeyring, tmp_path: object
) -> None:
    data = sign_revocation_list(RevocationList(1, T0, (LOST,)), keyring.active)
    keys = keyring.public_key_set()
    old = keyring.active.key_id
    keyring.rotate()
    keyring.retire(old, T0)
    cases = [
        (data, keys, "document_bad_signature", b'"lost"', b'"lest"'),
        (data, keyring.public_key_set(), "document_unknown_key", b"", b""),
    ]
    for document, key_set, code, old_bytes, new_bytes in cases:
        altered = document.replace(old_bytes, new_bytes) if old_bytes else document
        with pytest.raises(SignedDocumentError) as error:
            open_revocation_list(altered, key_set, DURING)
        assert error.value.code == code


@pytest.mark.parametrize(
    "body",
    [
        {"serial": 1, "base_serial": 0, "issued_at": 0, "entries": [[1, 1, "Lost!", 0]]},
        {"serial": 1, "base_serial": 0, "issued_at": 0, "entries": [[1, 70000, "lost", 0]]},
        {"serial": 1, "base_serial": 0, "issued_at": 0, "entries": [[1, 1, "lost"]]},
        {"serial": 1, "base_serial": 0, "issued_at": 0, "entries": [[True, 1, "lost", 0]]},
        {"serial": 2, "base_serial": 2, "issued_at": 0, "entries": []},
        {"serial": "1", "base_serial": 0, "issued_at": 0, "entries": []},
        {"serial": 1, "base_serial": 0, "issued_at": 0},
    ],
)
def test_a_malformed_list_body_is_refused(keyring: IssuerKeyring, body: dict[str, object]) -> None:
    from podium.gates.keys import sign_document  # noqa: PLC0415
    from podium.gates.revocation import REVOCATION_LIST_TYPE  # noqa: PLC0415

    data = sign_document(REVOCATION_LIST_TYPE, body, keyring.active)
    with pytest.raises(SignedDocumentError) as error:
        open_revocation_list(data, keyring.public_key_set(), DURING)
    assert error.value.code == "document_malformed"
    assert json.loads(data)["body"] == body
