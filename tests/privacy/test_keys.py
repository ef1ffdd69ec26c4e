"""Master keyring, key store and per-subject data keys, on real files in tmp_path."""

from __future__ import annotations

import base64
import json
import os
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from podium.core.errors import InvalidInputError, NotFoundError
from podium.privacy.errors import KeyDestroyedError, KeyExistsError, MasterKeyError
from podium.privacy.keys import (
    MASTER_KEY_ENV,
    MASTER_KEY_FILE,
    STORE_FILE,
    KeyStore,
    LocalKeyStore,
    MasterKeyring,
    SubjectKeys,
    WrappedKey,
    open_subject_keys,
    retire_master_key,
    rotate_master_key,
)


def _b64(key: bytes) -> str:
    return base64.urlsafe_b64encode(key).decode().rstrip("=")


@pytest.fixture
def key_dir(tmp_path: Path) -> Path:
    return tmp_path / "keys"


@pytest.fixture
def keys(key_dir: Path) -> Iterator[SubjectKeys]:
    service = open_subject_keys(key_dir, environ={})
    yield service
    service.close()


class FakeClock:
    def __init__(self) -> None:
        self.now = datetime(2024, 8, 11, 12, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


# --- master keyring ---------------------------------------------------------------


def test_environment_keyring_makes_the_first_key_active(key_dir: Path) -> None:
    new, old = os.urandom(32), os.urandom(32)
    ring = MasterKeyring.load(key_dir, {MASTER_KEY_ENV: f"k2:{_b64(new)}, k1:{_b64(old)}="})
    assert ring.active_id == "k2"
    assert dict(ring.keys) == {"k2": new, "k1": old}
    assert not key_dir.exists()  # the environment wins: no key file is written


@pytest.mark.parametrize(
    "value",
    [
        "",
        "   ",
        "no-colon-here",
        "k1:***not-base64***",
        f"k1:{_b64(b'short')}",
        f"bad id:{_b64(bytes(32))}",
        f"k1:{_b64(bytes(32))},k1:{_b64(bytes(32))}",
        f"k1:{_b64(bytes(32))},",
    ],
)
def test_bad_environment_keyring_names_the_variable(key_dir: Path, value: str) -> None:
    with pytest.raises(MasterKeyError) as caught:
        MasterKeyring.load(key_dir, {MASTER_KEY_ENV: value})
    assert caught.value.code == "master_key_invalid"
    assert MASTER_KEY_ENV in str(caught.value)


def test_key_file_is_created_once_with_mode_0600_in_a_0700_folder(key_dir: Path) -> None:
    first = MasterKeyring.load(key_dir, {})
    path = key_dir / MASTER_KEY_FILE
    assert path.stat().st_mode & 0o777 == 0o600
    assert key_dir.stat().st_mode & 0o777 == 0o700
    assert MasterKeyring.load(key_dir, {}) == first
    assert len(first.keys[first.active_id]) == 32


def test_key_file_readable_by_others_is_refused(key_dir: Path) -> None:
    MasterKeyring.load(key_dir, {})
    (key_dir / MASTER_KEY_FILE).chmod(0o644)
    with pytest.raises(MasterKeyError, match="0644"):
        MasterKeyring.load(key_dir, {})


def test_malformed_key_file_is_refused_with_its_name(key_dir: Path) -> None:
    key_dir.mkdir(mode=0o700)
    path = key_dir / MASTER_KEY_FILE
    path.write_text(json.dumps({"active": "m1", "keys": {"m1": "AAAA"}}))
    path.chmod(0o600)
    with pytest.raises(MasterKeyError, match=MASTER_KEY_FILE):
        MasterKeyring.load(key_dir, {})
    path.write_text("not json")
    with pytest.raises(MasterKeyError, match=MASTER_KEY_FILE):
        MasterKeyring.load(key_dir, {})


def test_keyring_repr_shows_no_key_material() -> None:
    key = os.urandom(32)
    ring = MasterKeyring(active_id="m1", keys={"m1": key})
    assert key.hex() not in repr(ring)
    assert repr(key) not in repr(ring)


def test_keyring_refuses_an_active_id_it_does_not_hold() -> None:
    with pytest.raises(MasterKeyError):
        MasterKeyring(active_id="m2", keys={"m1": bytes(32)})


def test_unwrap_with_an_unknown_master_id_is_refused() -> None:
    ring = MasterKeyring(active_id="m1", keys={"m1": os.urandom(32)})
    dek = os.urandom(32)
    wrapped = ring.wrap(dek)
    assert len(wrapped.blob) == 40  # RFC 3394: n+1 64-bit blocks
    assert ring.unwrap(wrapped) == dek
    with pytest.raises(MasterKeyError, match="m9"):
        ring.unwrap(WrappedKey("m9", wrapped.blob))
    other = MasterKeyring(active_id="m1", keys={"m1": os.urandom(32)})
    with pytest.raises(MasterKeyError):
        other.unwrap(wrapped)  # the RFC 3394 integrity check catches the wrong key


# --- key store --------------------------------------------------------------------


def test_local_store_is_a_key_store_with_secure_delete_and_a_rollback_journal(
    key_dir: Path,
) -> None:
    store = LocalKeyStore(key_dir)
    assert isinstance(store, KeyStore)
    assert (key_dir / STORE_FILE).stat().st_mode & 0o777 == 0o600
    assert store._conn.execute("PRAGMA secure_delete").fetchone() == (1,)
    assert store._conn.execute("PRAGMA journal_mode").fetchone() == ("delete",)
    store.close()


def test_create_after_destroy_is_refused(key_dir: Path) -> None:
    store = LocalKeyStore(key_dir)
    wrapped = WrappedKey("m1", os.urandom(40))
    store.create("s1/identity", wrapped)
    with pytest.raises(KeyExistsError) as exists:
        store.create("s1/identity", wrapped)
    assert exists.value.code == "subject_key_exists"
    store.destroy(["s1/identity"])
    with pytest.raises(KeyDestroyedError) as destroyed:
        store.create("s1/identity", wrapped)
    assert destroyed.value.code == "subject_key_destroyed"
    with pytest.raises(KeyDestroyedError, match="s1/identity"):
        store.get("s1/identity")
    store.close()


def test_destroy_is_idempotent_and_counts_live_keys_only(key_dir: Path) -> None:
    store = LocalKeyStore(key_dir)
    store.create("s1/identity", WrappedKey("m1", os.urandom(40)))
    assert store.destroy(["s1/identity", "s1/health"]) == 1
    assert store.destroy(["s1/identity", "s1/health"]) == 0
    assert store.is_destroyed("s1/health")  # tombstoned though never created
    assert list(store.ids()) == []
    store.close()


def test_replace_never_revives_a_destroyed_key(key_dir: Path) -> None:
    store = LocalKeyStore(key_dir)
    store.create("s1/identity", WrappedKey("m1", os.urandom(40)))
    store.destroy(["s1/identity"])
    with pytest.raises(KeyDestroyedError):
        store.replace("s1/identity", WrappedKey("m2", os.urandom(40)))
    with pytest.raises(NotFoundError) as missing:
        store.replace("s2/identity", WrappedKey("m2", os.urandom(40)))
    assert missing.value.code == "subject_key_not_found"
    assert store.replace_many([("s1/identity", WrappedKey("m2", os.urandom(40)))]) == 0
    assert store.is_destroyed("s1/identity")
    store.close()


def test_ids_with_a_prefix_list_one_subject_only(key_dir: Path) -> None:
    store = LocalKeyStore(key_dir)
    for kid in ("s1/a", "s1/b", "s10/a", "s1-x/a", "s2/a"):
        store.create(kid, WrappedKey("m1", os.urandom(40)))
    assert list(store.ids("s1/")) == ["s1/a", "s1/b"]
    assert len(list(store.ids())) == 5
    store.close()


# --- subject keys -----------------------------------------------------------------


def test_data_key_is_created_on_demand_and_stable(keys: SubjectKeys) -> None:
    assert keys.data_key("s1", "identity") is None
    key = keys.data_key("s1", "identity", create=True)
    assert len(key) == 32
    assert keys.data_key("s1", "identity") == key
    assert keys.subjects() == {"s1"}


def test_malformed_ids_are_refused(keys: SubjectKeys) -> None:
    for subject, category in (("", "identity"), ("a/b", "identity"), ("s1", "")):
        with pytest.raises(InvalidInputError) as caught:
            keys.data_key(subject, category, create=True)
        assert caught.value.code == "subject_key_id_invalid"


def test_shredding_one_category_leaves_the_others(keys: SubjectKeys) -> None:
    identity = keys.data_key("s1", "identity", create=True)
    keys.data_key("s1", "health", create=True)
    assert keys.shred("s1", ["health"]) == 1
    assert keys.is_shredded("s1", "health")
    assert not keys.is_shredded("s1", "identity")
    assert keys.data_key("s1", "identity") == identity
    with pytest.raises(KeyDestroyedError, match="s1/health"):
        keys.data_key("s1", "health", create=True)


def test_shredding_a_subject_destroys_all_its_keys_and_no_other(keys: SubjectKeys) -> None:
    for subject in ("s1", "s10", "s2"):
        for category in ("identity", "contact", "health"):
            keys.data_key(subject, category, create=True)
    assert keys.shred("s1") == 3
    assert keys.shred("s1") == 0
    assert keys.subjects() == {"s10", "s2"}
    for category in ("identity", "contact", "health"):
        with pytest.raises(KeyDestroyedError):
            keys.data_key("s1", category)


def test_shredded_key_is_gone_from_a_reopened_store_and_from_the_file_bytes(
    key_dir: Path,
) -> None:
    keys = open_subject_keys(key_dir, environ={})
    keys.create_many((f"s{n}", "identity") for n in range(500))
    wrapped = keys.store.get("s7/identity")
    assert wrapped is not None
    path = key_dir / STORE_FILE
    assert wrapped.blob in path.read_bytes()
    keys.shred("s7")
    keys.close()

    reopened = open_subject_keys(key_dir, environ={})
    with pytest.raises(KeyDestroyedError):
        reopened.data_key("s7", "identity")
    assert reopened.data_key("s8", "identity") is not None
    reopened.close()
    # secure_delete overwrote the freed cell; the rollback journal was deleted at commit.
    assert wrapped.blob not in path.read_bytes()
    assert sorted(p.name for p in key_dir.iterdir()) == [MASTER_KEY_FILE, STORE_FILE]


def test_another_process_stops_using_a_shredded_key_after_the_cache_ttl(
    key_dir: Path,
) -> None:
    clock = FakeClock()
    ring = MasterKeyring.load(key_dir, {})
    worker_a = SubjectKeys(LocalKeyStore(key_dir), ring, clock=clock)
    worker_b = SubjectKeys(LocalKeyStore(key_dir), ring, clock=clock)
    key = worker_a.data_key("s1", "health", create=True)
    assert worker_b.data_key("s1", "health") == key
    worker_a.shred("s1")
    with pytest.raises(KeyDestroyedError):
        worker_a.data_key("s1", "health")
    assert worker_b.data_key("s1", "health") == key  # still cached in the other worker
    clock.now += timedelta(seconds=61)
    with pytest.raises(KeyDestroyedError):
        worker_b.data_key("s1", "health")
    worker_a.close()
    worker_b.close()


def test_cache_is_bounded(key_dir: Path) -> None:
    keys = SubjectKeys(LocalKeyStore(key_dir), MasterKeyring.load(key_dir, {}), cache_size=2)
    for n in range(5):
        keys.data_key(f"s{n}", "identity", create=True)
    assert list(keys._cache) == ["s3/identity", "s4/identity"]
    keys.close()


def test_threads_creating_the_same_key_agree(keys: SubjectKeys) -> None:
    found: list[bytes] = []
    barrier = threading.Barrier(8)

    def work() -> None:
        barrier.wait()
        found.append(keys.data_key("s1", "identity", create=True))

    threads = [threading.Thread(target=work) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(found) == 8
    assert len(set(found)) == 1


def test_create_many_of_ten_thousand_pairs_is_idempotent(keys: SubjectKeys) -> None:
    pairs = [(f"p{n:05d}", c) for n in range(5_000) for c in ("identity", "contact")]
    keys.create_many(pairs)
    assert len(list(keys.store.ids())) == 10_000
    assert len(keys.subjects()) == 5_000
    before = keys.data_key("p00042", "contact")
    keys.create_many(pairs)  # a second import run changes nothing
    assert keys.data_key("p00042", "contact") == before
    assert len(list(keys.store.ids())) == 10_000


def test_shred_many_destroys_one_category_of_many_subjects_at_once(keys: SubjectKeys) -> None:
    keys.create_many([(f"p{n}", c) for n in range(1_000) for c in ("identity", "health")])
    health = keys.data_key("p7", "health")
    assert health is not None
    assert keys.shred_many((f"p{n}", "health") for n in range(1_000)) == 1_000
    assert keys.shred_many((f"p{n}", "health") for n in range(1_000)) == 0  # idempotent
    with pytest.raises(KeyDestroyedError):
        keys.data_key("p7", "health")  # also evicted from this process's cache
    assert keys.data_key("p7", "identity") is not None
    assert len(list(keys.store.ids())) == 1_000


def test_warm_loads_live_keys_in_bulk_and_skips_shredded_and_absent_ones(
    keys: SubjectKeys,
) -> None:
    keys.create_many([(f"w{n}", "identity") for n in range(1_200)])
    expected = keys.data_key("w5", "identity")
    keys.shred("w7")
    found = keys.store.get_many([f"w{n}/identity" for n in range(1_300)])
    assert len(found) == 1_199  # 1,200 created, one shredded, 100 never created
    assert "w7/identity" not in found
    fresh = SubjectKeys(keys.store, keys.keyring)
    assert fresh.warm((f"w{n}", "identity") for n in range(1_300)) == 1_199
    assert fresh.data_key("w5", "identity") == expected
    with pytest.raises(KeyDestroyedError):
        fresh.data_key("w7", "identity")
    assert fresh.data_key("w1250", "identity") is None


def test_create_many_refuses_a_shredded_pair_and_writes_nothing(keys: SubjectKeys) -> None:
    keys.data_key("s1", "identity", create=True)
    keys.shred("s1")
    with pytest.raises(KeyDestroyedError, match="s1/identity"):
        keys.create_many([("s2", "identity"), ("s1", "identity")])
    assert keys.data_key("s2", "identity") is None


def test_rotation_rewraps_every_key_and_the_old_master_key_can_be_retired(
    key_dir: Path,
) -> None:
    keys = open_subject_keys(key_dir, environ={})
    keys.create_many((f"s{n}", "identity") for n in range(50))
    key = keys.data_key("s3", "identity")
    old_id = keys.keyring.active_id
    keys.shred("s4")

    rotated = rotate_master_key(key_dir)
    assert rotated.active_id != old_id
    assert set(rotated.keys) == {old_id, rotated.active_id}
    with pytest.raises(MasterKeyError, match="still wraps 49"):
        retire_master_key(key_dir, old_id, keys.store)
    assert keys.rewrap_all(rotated) == 49
    assert keys.rewrap_all(rotated) == 0
    retired = retire_master_key(key_dir, old_id, keys.store)
    assert set(retired.keys) == {rotated.active_id}
    keys.close()

    reopened = open_subject_keys(key_dir, environ={})
    assert set(reopened.keyring.keys) == {rotated.active_id}
    assert reopened.data_key("s3", "identity") == key
    assert reopened.is_shredded("s4", "identity")
    reopened.close()


def test_the_active_master_key_cannot_be_retired(key_dir: Path) -> None:
    keys = open_subject_keys(key_dir, environ={})
    with pytest.raises(MasterKeyError):
        retire_master_key(key_dir, keys.keyring.active_id, keys.store)
    keys.close()
