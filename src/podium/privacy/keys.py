"""Per-subject data keys, wrapped by a master key, kept in a key store apart from the data.

Envelope encryption (see `podium.privacy.fields` for the whole design): every (data subject,
data category) pair has its own random 256-bit data key; the key store holds it only
wrapped by a master key; destroying the wrapped key crypto-shreds every copy of the data
encrypted with it (GDPR Art. 17 erasure, Art. 32 security of processing).

    MasterKeyring   the master keys (PODIUM_MASTER_KEY, or `<key_dir>/master.keys`)
    KeyStore        where wrapped data keys live (protocol: a KMS or Vault would fit)
    LocalKeyStore   the default store, `<key_dir>/subject-keys.sqlite`
    SubjectKeys     the service: data_key, shred, rewrap_all, create_many

Wrapping uses AES key wrap (RFC 3394, NIST SP 800-38F "KW") rather than AES-GCM: it was
made for wrapping keys, needs no nonce (so there is no nonce budget per master key to
track across 36,000 wraps and every rotation), and it carries its own integrity check,
so a wrong master key or a damaged blob is detected on unwrap.
"""

from __future__ import annotations

import base64
import binascii
import json
import os
import re
import sqlite3
import threading
from collections import OrderedDict
from collections.abc import Iterable, Iterator, Mapping
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from types import MappingProxyType
from typing import Literal, Protocol, overload, runtime_checkable

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.keywrap import (
    InvalidUnwrap,
    aes_key_unwrap,
    aes_key_wrap,
)

from podium.core.clock import Clock, system_clock
from podium.core.errors import InvalidInputError, NotFoundError
from podium.privacy.errors import KeyDestroyedError, KeyExistsError, MasterKeyError

__all__ = [
    "KEY_BYTES",
    "MASTER_KEY_ENV",
    "MASTER_KEY_FILE",
    "STORE_FILE",
    "KeyStore",
    "LocalKeyStore",
    "MasterKeyring",
    "SubjectKeys",
    "WrappedKey",
    "key_id",
    "open_subject_keys",
    "retire_master_key",
    "rotate_master_key",
]

KEY_BYTES = 32
"""Length of master and data keys: AES-256."""
MASTER_KEY_ENV = "PODIUM_MASTER_KEY"
MASTER_KEY_FILE = "master.keys"
STORE_FILE = "subject-keys.sqlite"

_MASTER_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")
_FORBIDDEN_IN_ID = ("/", "\x00")


def key_id(subject_id: str, category: str) -> str:
    """Return the data key id `subject_id/category`.

    Args:
        subject_id: the data subject's id; neither empty nor containing `/` or NUL.
        category: the data category (`podium.core.categories.DataCategory` value), same rule.

    Returns:
        The key id, unambiguous because neither part may contain the separator.

    Raises:
        InvalidInputError: code `subject_key_id_invalid` for an empty part or a separator.

    """
    for name, part in (("subject id", subject_id), ("category", category)):
        if not part or any(bad in part for bad in _FORBIDDEN_IN_ID):
            raise InvalidInputError(
                f"{name} {part!r} must be non-empty and contain no '/' or NUL",
                code="subject_key_id_invalid",
            )
    return f"{subject_id}/{category}"


def _prefix_bounds(prefix: str) -> tuple[str, str]:
    # SQLite compares TEXT with memcmp on UTF-8, which preserves code point order, so
    # "every id starting with p" is the range [p, p with its last character incremented).
    return prefix, prefix[:-1] + chr(ord(prefix[-1]) + 1)


# --- master keys ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class WrappedKey:
    """A data key wrapped by a master key (RFC 3394 AES key wrap).

    Attributes:
        master_id: id of the master key that wrapped it.
        blob: the wrapped key, 40 bytes for a 32-byte data key (RFC 3394 §2.2.1).

    """

    master_id: str
    blob: bytes


def _decode_key(text: str, where: str) -> bytes:
    try:
        key = base64.urlsafe_b64decode(text.strip() + "=" * (-len(text.strip()) % 4))
    except (binascii.Error, ValueError) as error:
        raise MasterKeyError(f"{where}: not base64url ({error})") from error
    if len(key) != KEY_BYTES:
        raise MasterKeyError(f"{where}: decodes to {len(key)} bytes, a master key has 32")
    return key


def _encode_key(key: bytes) -> str:
    return base64.urlsafe_b64encode(key).decode("ascii").rstrip("=")


@dataclass(frozen=True, slots=True)
class MasterKeyring:
    """The master keys: one active key that wraps, older ones still accepted for unwrapping.

    Attributes:
        active_id: id of the key used by `wrap`; must be a key of `keys`.
        keys: master id → 32-byte AES key; kept out of `repr`.

    Raises:
        MasterKeyError: the active id is missing, an id is malformed or a key is not 32 bytes.

    """

    active_id: str
    keys: Mapping[str, bytes] = field(repr=False)

    def __post_init__(self) -> None:
        """Check the keys and freeze the mapping."""
        for master_id, key in self.keys.items():
            if not _MASTER_ID.fullmatch(master_id):
                raise MasterKeyError(f"master key id {master_id!r} must match {_MASTER_ID.pattern}")
            if len(key) != KEY_BYTES:
                raise MasterKeyError(f"master key {master_id!r} has {len(key)} bytes, not 32")
        if self.active_id not in self.keys:
            raise MasterKeyError(f"active master key {self.active_id!r} is not in the keyring")
        object.__setattr__(self, "keys", MappingProxyType(dict(self.keys)))

    @classmethod
    def load(cls, key_dir: Path, environ: Mapping[str, str] | None = None) -> MasterKeyring:
        """Load the keyring from `PODIUM_MASTER_KEY`, else from `<key_dir>/master.keys`.

        The variable reads `id:base64url[,id:base64url...]`, the first key being active. The
        file is JSON `{"active": id, "keys": {id: base64url}}`; it is created on first use
        with one fresh random key, mode 0600, in a folder created with mode 0700.

        Args:
            key_dir: the key store folder (`Settings.key_store()`).
            environ: the environment to read; `os.environ` when None.

        Returns:
            The keyring.

        Raises:
            MasterKeyError: the variable or the file is malformed, or the file is readable
                by group or others (the master key protects every data key, GDPR Art. 32).

        """
        env = os.environ if environ is None else environ
        if MASTER_KEY_ENV in env:
            return cls._from_env(env[MASTER_KEY_ENV])
        return _read_key_file(key_dir, create=True)

    @classmethod
    def _from_env(cls, value: str) -> MasterKeyring:
        where = f"environment variable {MASTER_KEY_ENV}"
        if not value.strip():
            raise MasterKeyError(f"{where} is set but empty; unset it to use the key file")
        keys: dict[str, bytes] = {}
        for position, item in enumerate(value.split(","), start=1):
            master_id, colon, encoded = item.strip().partition(":")
            if not colon or not _MASTER_ID.fullmatch(master_id):
                raise MasterKeyError(
                    f"{where}, item {position}: expected id:base64url with an id of "
                    f"letters, digits, '.', '_' or '-'"
                )
            if master_id in keys:
                raise MasterKeyError(f"{where}, item {position}: id {master_id!r} repeated")
            keys[master_id] = _decode_key(encoded, f"{where}, key {master_id!r}")
        return cls(active_id=next(iter(keys)), keys=keys)

    def wrap(self, dek: bytes) -> WrappedKey:
        """Wrap a data key with the active master key (RFC 3394 AES key wrap).

        Args:
            dek: the data key, 32 bytes.

        Returns:
            The wrapped key, tagged with the active master id.

        """
        return WrappedKey(self.active_id, aes_key_wrap(self.keys[self.active_id], dek))

    def unwrap(self, wrapped: WrappedKey) -> bytes:
        """Unwrap a data key with the master key that wrapped it (RFC 3394 integrity check).

        Args:
            wrapped: the wrapped key.

        Returns:
            The 32-byte data key.

        Raises:
            MasterKeyError: the master id is not in the keyring (retired, or another node's
                keyring), or the blob fails the RFC 3394 integrity check under that key.

        """
        master = self.keys.get(wrapped.master_id)
        if master is None:
            raise MasterKeyError(
                f"master key {wrapped.master_id!r} is not in the keyring "
                f"(known: {', '.join(sorted(self.keys))})"
            )
        try:
            return aes_key_unwrap(master, wrapped.blob)
        except InvalidUnwrap as error:
            raise MasterKeyError(
                f"a data key fails to unwrap under master key {wrapped.master_id!r}: "
                "wrong master key material or a damaged key store"
            ) from error


def _prepare_dir(key_dir: Path) -> None:
    key_dir.mkdir(mode=0o700, parents=True, exist_ok=True)


def _read_key_file(key_dir: Path, *, create: bool) -> MasterKeyring:
    path = key_dir / MASTER_KEY_FILE
    if create and not path.exists():
        _prepare_dir(key_dir)
        first = MasterKeyring(active_id="m1", keys={"m1": AESGCM.generate_key(bit_length=256)})
        try:
            _write_key_file(path, first, exclusive=True)
        except FileExistsError:
            pass  # another process created it first: read theirs
        else:
            return first
    if not path.exists():
        raise MasterKeyError(f"master key file {path} does not exist")
    mode = path.stat().st_mode & 0o777
    if mode & 0o077:
        raise MasterKeyError(f"master key file {path} has mode {mode:04o}; it must be 0600")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        active, encoded = data["active"], data["keys"]
    except (ValueError, KeyError, TypeError) as error:
        raise MasterKeyError(f"master key file {path}: not the expected JSON ({error})") from error
    if not isinstance(active, str) or not isinstance(encoded, dict):
        raise MasterKeyError(f"master key file {path}: 'active' must be a string, 'keys' an object")
    keys = {
        str(mid): _decode_key(str(text), f"{path}, key {mid!r}") for mid, text in encoded.items()
    }
    return MasterKeyring(active_id=active, keys=keys)


def _write_key_file(path: Path, ring: MasterKeyring, *, exclusive: bool) -> None:
    text = json.dumps(
        {"active": ring.active_id, "keys": {i: _encode_key(k) for i, k in ring.keys.items()}},
        indent=2,
    )
    target = path if exclusive else path.with_name(path.name + ".new")
    flags = os.O_WRONLY | os.O_CREAT | (os.O_EXCL if exclusive else os.O_TRUNC)
    # Created 0600 from the start: never a moment where the key is readable by others.
    descriptor = os.open(target, flags, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write(text + "\n")
        handle.flush()
        os.fsync(handle.fileno())
    if not exclusive:
        target.replace(path)  # atomic: a reader sees the old keyring or the new one


def rotate_master_key(key_dir: Path) -> MasterKeyring:
    """Add a fresh active master key to `<key_dir>/master.keys`, keeping the older ones.

    Existing wrapped keys still open (their master key stays in the file); call
    `SubjectKeys.rewrap_all` with the returned keyring, then `retire_master_key`. Rotation
    works on the file only: with `PODIUM_MASTER_KEY`, the operator prepends a new
    `id:base64url` item to the variable instead (NIST SP 800-57 Part 1 §5.3, cryptoperiods).

    Args:
        key_dir: the key store folder.

    Returns:
        The new keyring, active key first.

    Raises:
        MasterKeyError: the key file is malformed or too permissive.

    """
    ring = _read_key_file(key_dir, create=True)
    number = len(ring.keys) + 1
    while f"m{number}" in ring.keys:
        number += 1
    new_id = f"m{number}"
    keys = {new_id: AESGCM.generate_key(bit_length=256), **ring.keys}
    rotated = MasterKeyring(active_id=new_id, keys=keys)
    _write_key_file(key_dir / MASTER_KEY_FILE, rotated, exclusive=False)
    return rotated


def retire_master_key(key_dir: Path, master_id: str, store: KeyStore) -> MasterKeyring:
    """Remove an old master key from `<key_dir>/master.keys` once no live data key needs it.

    Args:
        key_dir: the key store folder.
        master_id: the master key to remove; not the active one.
        store: the key store, checked for live keys still wrapped by `master_id`.

    Returns:
        The keyring without `master_id`.

    Raises:
        MasterKeyError: `master_id` is active, unknown, or still wraps live data keys (run
            `SubjectKeys.rewrap_all` first).

    """
    ring = _read_key_file(key_dir, create=False)
    if master_id == ring.active_id or master_id not in ring.keys:
        raise MasterKeyError(f"master key {master_id!r} is active or not in {key_dir}")
    still = sum(1 for w in _live_wrapped(store) if w.master_id == master_id)
    if still:
        raise MasterKeyError(f"master key {master_id!r} still wraps {still} live data keys")
    keys = {i: k for i, k in ring.keys.items() if i != master_id}
    retired = MasterKeyring(active_id=ring.active_id, keys=keys)
    _write_key_file(key_dir / MASTER_KEY_FILE, retired, exclusive=False)
    return retired


def _live_wrapped(store: KeyStore) -> Iterator[WrappedKey]:
    for live_id in store.ids():
        try:
            wrapped = store.get(live_id)
        except KeyDestroyedError:
            continue  # shredded since the listing
        if wrapped is not None:
            yield wrapped


# --- the key store ----------------------------------------------------------------


@runtime_checkable
class KeyStore(Protocol):
    """Where wrapped data keys live: the interface a KMS or Vault implementation provides.

    A destroyed key leaves a tombstone without key material, so that it can never be
    silently created again under the same id (GDPR Art. 17: erasure is final).
    """

    def get(self, key_id: str) -> WrappedKey | None:
        """Return the wrapped key; None if it was never created; KeyDestroyedError if shredded."""
        ...

    def is_destroyed(self, key_id: str) -> bool:
        """Return whether the key has a tombstone."""
        ...

    def create(self, key_id: str, wrapped: WrappedKey) -> None:
        """Store a new key; KeyExistsError if live, KeyDestroyedError if destroyed."""
        ...

    def create_many(self, items: Iterable[tuple[str, WrappedKey]]) -> int:
        """Store the absent keys in one transaction, skip live ones, return how many were new.

        Raises KeyDestroyedError, writing nothing, if any id has a tombstone.
        """
        ...

    def replace(self, key_id: str, wrapped: WrappedKey) -> None:
        """Replace a live key's wrapping (rotation); KeyDestroyedError / NotFoundError else."""
        ...

    def replace_many(self, items: Iterable[tuple[str, WrappedKey]]) -> int:
        """Replace live keys' wrappings in one transaction, skip others, return the count."""
        ...

    def destroy(self, key_ids: Iterable[str]) -> int:
        """Tombstone every id given (idempotent); return how many live keys were destroyed."""
        ...

    def ids(self, prefix: str = "") -> Iterator[str]:
        """Yield the ids of live keys starting with `prefix`, in order."""
        ...

    def close(self) -> None:
        """Release the store's resources."""
        ...


_SCHEMA = """
CREATE TABLE IF NOT EXISTS subject_key (
    key_id       TEXT PRIMARY KEY,
    master_id    TEXT,
    blob         BLOB,
    created_at   TEXT NOT NULL,
    destroyed_at TEXT,
    CHECK ((blob IS NULL) = (destroyed_at IS NOT NULL)),
    CHECK ((blob IS NULL) = (master_id IS NULL))
) WITHOUT ROWID
"""


class LocalKeyStore:
    """The default key store: one SQLite file, `<key_dir>/subject-keys.sqlite`.

    It is not one of Podium's two database planes and lives apart from them, so that a copy
    or backup of a plane never contains key material. `PRAGMA secure_delete=ON` makes SQLite
    overwrite freed cell content with zeros, so a destroyed wrapped key does not linger in
    the file's free space; the rollback journal (not WAL) is used because a WAL file keeps
    old page images, the wrapped key among them, until it is checkpointed and reused, while
    the rollback journal is deleted at each commit (GDPR Art. 17, Art. 32). Copies made
    below SQLite (file-system snapshots, SSD wear levelling) are out of its reach.

    One connection guarded by a lock: safe across the threads of a web server; other
    processes coordinate through SQLite's file locks.

    Args:
        key_dir: the key store folder, created with mode 0700; the file is created 0600.
        clock: the clock stamping `created_at` and `destroyed_at`.

    """

    def __init__(self, key_dir: Path, *, clock: Clock = system_clock) -> None:
        """Open (creating if needed) the key store; see the class docstring."""
        _prepare_dir(key_dir)
        self.path = key_dir / STORE_FILE
        if not self.path.exists():
            # SQLite would create the file with the umask's mode; journals copy its mode.
            with suppress(FileExistsError):
                os.close(os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
        self._clock = clock
        self._lock = threading.Lock()
        self._conn = sqlite3.connect(
            self.path, isolation_level=None, check_same_thread=False, timeout=30.0
        )
        self._conn.execute("PRAGMA secure_delete=ON")
        self._conn.execute("PRAGMA journal_mode=DELETE")
        self._conn.execute("PRAGMA synchronous=FULL")
        with self._lock:
            self._conn.execute(_SCHEMA)

    def _now(self) -> str:
        return self._clock().isoformat()

    def get(self, key_id: str) -> WrappedKey | None:
        """Return the wrapped key, or None if it was never created.

        Raises:
            KeyDestroyedError: the key was destroyed (GDPR Art. 17).

        """
        with self._lock:
            row = self._conn.execute(
                "SELECT master_id, blob, destroyed_at FROM subject_key WHERE key_id = ?",
                (key_id,),
            ).fetchone()
        if row is None:
            return None
        if row[1] is None:
            raise KeyDestroyedError(f"data key {key_id} was destroyed at {row[2]}")
        return WrappedKey(row[0], bytes(row[1]))

    def is_destroyed(self, key_id: str) -> bool:
        """Return whether the key has a tombstone."""
        with self._lock:
            row = self._conn.execute(
                "SELECT 1 FROM subject_key WHERE key_id = ? AND blob IS NULL", (key_id,)
            ).fetchone()
        return row is not None

    def create(self, key_id: str, wrapped: WrappedKey) -> None:
        """Store a new wrapped key.

        Raises:
            KeyExistsError: a live key has that id.
            KeyDestroyedError: the id has a tombstone; erasure is final (GDPR Art. 17).

        """
        with self._lock:
            try:
                self._conn.execute(
                    "INSERT INTO subject_key (key_id, master_id, blob, created_at) "
                    "VALUES (?, ?, ?, ?)",
                    (key_id, wrapped.master_id, wrapped.blob, self._now()),
                )
            except sqlite3.IntegrityError:
                refused = True
            else:
                refused = False
        if refused:
            if self.is_destroyed(key_id):
                raise KeyDestroyedError(f"data key {key_id} was destroyed; it cannot be created")
            raise KeyExistsError(f"data key {key_id} already exists")

    def create_many(self, items: Iterable[tuple[str, WrappedKey]]) -> int:
        """Store the absent keys in one transaction; skip live ones.

        Returns:
            How many keys were created.

        Raises:
            KeyDestroyedError: an id has a tombstone; nothing is written.

        """
        now = self._now()
        rows = [(kid, w.master_id, w.blob, now) for kid, w in items]
        with self._lock, self._transaction() as conn:
            tombstones = {r[0] for r in conn.execute(_TOMBSTONES)}
            refused = [row[0] for row in rows if row[0] in tombstones]
            if refused:
                raise KeyDestroyedError(
                    f"{len(refused)} data keys were destroyed and cannot be created, "
                    f"first {refused[0]}"
                )
            before = conn.total_changes
            conn.executemany(
                "INSERT OR IGNORE INTO subject_key (key_id, master_id, blob, created_at) "
                "VALUES (?, ?, ?, ?)",
                rows,
            )
            return conn.total_changes - before

    def replace(self, key_id: str, wrapped: WrappedKey) -> None:
        """Replace a live key's wrapping (master key rotation, NIST SP 800-57 §5.3).

        Raises:
            KeyDestroyedError: the key was destroyed; a tombstone is never revived.
            NotFoundError: code `subject_key_not_found`, the key was never created.

        """
        if self.replace_many([(key_id, wrapped)]) == 1:
            return
        if self.is_destroyed(key_id):
            raise KeyDestroyedError(f"data key {key_id} was destroyed; it cannot be replaced")
        raise NotFoundError(f"data key {key_id} does not exist", code="subject_key_not_found")

    def replace_many(self, items: Iterable[tuple[str, WrappedKey]]) -> int:
        """Replace live keys' wrappings in one transaction; skip destroyed or absent ids.

        Returns:
            How many keys were replaced.

        """
        rows = [(w.master_id, w.blob, kid) for kid, w in items]
        with self._lock, self._transaction() as conn:
            before = conn.total_changes
            conn.executemany(
                "UPDATE subject_key SET master_id = ?, blob = ? "
                "WHERE key_id = ? AND blob IS NOT NULL",
                rows,
            )
            return conn.total_changes - before

    def destroy(self, key_ids: Iterable[str]) -> int:
        """Destroy keys, leaving tombstones (also for ids never created); idempotent.

        With secure_delete on, the freed wrapped key is overwritten in the file (GDPR Art. 17).

        Args:
            key_ids: the ids to destroy.

        Returns:
            How many live keys were destroyed.

        """
        now = self._now()
        ids = list(dict.fromkeys(key_ids))
        with self._lock, self._transaction() as conn:
            before = conn.total_changes
            conn.executemany(
                "UPDATE subject_key SET master_id = NULL, blob = NULL, destroyed_at = ? "
                "WHERE key_id = ? AND blob IS NOT NULL",
                [(now, kid) for kid in ids],
            )
            destroyed = conn.total_changes - before
            conn.executemany(
                "INSERT OR IGNORE INTO subject_key (key_id, created_at, destroyed_at) "
                "VALUES (?, ?, ?)",
                [(kid, now, now) for kid in ids],
            )
            return destroyed

    def ids(self, prefix: str = "") -> Iterator[str]:
        """Yield the ids of live keys starting with `prefix`, in id order."""
        query = "SELECT key_id FROM subject_key WHERE blob IS NOT NULL"
        args: tuple[str, ...] = ()
        if prefix:
            query += " AND key_id >= ? AND key_id < ?"
            args = _prefix_bounds(prefix)
        with self._lock:
            found = [row[0] for row in self._conn.execute(query + " ORDER BY key_id", args)]
        return iter(found)

    def close(self) -> None:
        """Close the connection."""
        with self._lock:
            self._conn.close()

    def _transaction(self) -> _Transaction:
        return _Transaction(self._conn)


_TOMBSTONES = "SELECT key_id FROM subject_key WHERE blob IS NULL"


class _Transaction:
    """`BEGIN IMMEDIATE` ... `COMMIT`, or `ROLLBACK` on an exception."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    def __enter__(self) -> sqlite3.Connection:
        self.conn.execute("BEGIN IMMEDIATE")
        return self.conn

    def __exit__(self, kind: type[BaseException] | None, *_rest: object) -> None:
        self.conn.execute("ROLLBACK" if kind is not None else "COMMIT")


# --- the service ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Cached:
    key: bytes
    aead: AESGCM
    expires: datetime


class SubjectKeys:
    """Per-(data subject, data category) data keys: create, fetch, shred, rotate.

    Key ids are `subject_id/category`, so a retention run shreds one category of a subject
    and an erasure shreds all of them (GDPR Art. 17, Art. 5(1)(e) storage limitation).
    Unwrapped keys are cached in a bounded LRU for `cache_ttl`; a shred evicts this
    process's cache at once, while other processes sharing the store stop using the key
    at the latest `cache_ttl` later.

    Args:
        store: where the wrapped keys live.
        keyring: the master keys that wrap them.
        cache_size: how many unwrapped keys to keep in memory.
        cache_ttl: how long one stays cached.
        clock: the clock of the cache.

    """

    def __init__(
        self,
        store: KeyStore,
        keyring: MasterKeyring,
        *,
        cache_size: int = 4096,
        cache_ttl: timedelta = timedelta(seconds=60),
        clock: Clock = system_clock,
    ) -> None:
        """Create the service; see the class docstring."""
        self.store = store
        self._keyring = keyring
        self._cache_size, self._cache_ttl, self._clock = cache_size, cache_ttl, clock
        self._cache: OrderedDict[str, _Cached] = OrderedDict()
        self._lock = threading.Lock()
        self._generation = 0  # bumped by every shred, so a racing fetch does not re-cache

    @property
    def keyring(self) -> MasterKeyring:
        """The master keyring in use (replaced by `rewrap_all`)."""
        return self._keyring

    @overload
    def data_key(self, subject_id: str, category: str, *, create: Literal[True]) -> bytes: ...
    @overload
    def data_key(self, subject_id: str, category: str, *, create: bool = False) -> bytes | None: ...
    def data_key(self, subject_id: str, category: str, *, create: bool = False) -> bytes | None:
        """Return the unwrapped 32-byte data key of a subject's category.

        Args:
            subject_id: the data subject's id.
            category: the data category (`DataCategory` value).
            create: generate and store a key when none exists.

        Returns:
            The key, or None when none exists and `create` is false.

        Raises:
            KeyDestroyedError: the key was shredded (GDPR Art. 17), whatever `create`.
            MasterKeyError: the key's master key is not in the keyring.
            InvalidInputError: code `subject_key_id_invalid`, a malformed id.

        """
        entry = self._entry(subject_id, category, create=create)
        return None if entry is None else entry.key

    @overload
    def aead(self, subject_id: str, category: str, *, create: Literal[True]) -> AESGCM: ...
    @overload
    def aead(self, subject_id: str, category: str, *, create: bool = False) -> AESGCM | None: ...
    def aead(self, subject_id: str, category: str, *, create: bool = False) -> AESGCM | None:
        """Return an AES-GCM cipher of the data key, cached with it (as `data_key`).

        Building `AESGCM` costs about as much as one small encryption, so `FieldCipher`
        takes it from here rather than from the bare key.

        Raises:
            KeyDestroyedError: the key was shredded, whatever `create`.

        """
        entry = self._entry(subject_id, category, create=create)
        return None if entry is None else entry.aead

    def _entry(self, subject_id: str, category: str, *, create: bool) -> _Cached | None:
        # Validated only on a miss: a cached id has exactly one '/', between two non-empty
        # parts, so the one pair that joins into it is the valid pair that created it.
        kid = f"{subject_id}/{category}"
        now = self._clock()
        with self._lock:
            cached = self._cache.get(kid)
            if cached is not None and cached.expires > now:
                self._cache.move_to_end(kid)
                return cached
            generation = self._generation
        kid = key_id(subject_id, category)
        key = self._fetch(kid, create=create)
        if key is None:
            return None
        entry = _Cached(key, AESGCM(key), now + self._cache_ttl)
        with self._lock:
            if generation == self._generation:
                self._cache[kid] = entry
                self._cache.move_to_end(kid)
                while len(self._cache) > self._cache_size:
                    self._cache.popitem(last=False)
        return entry

    def _fetch(self, kid: str, *, create: bool) -> bytes | None:
        wrapped = self.store.get(kid)
        if wrapped is not None:
            return self._keyring.unwrap(wrapped)
        if not create:
            return None
        key = AESGCM.generate_key(bit_length=256)
        try:
            self.store.create(kid, self._keyring.wrap(key))
        except KeyExistsError:
            return self._fetch(kid, create=False)  # another thread or process won the race
        return key

    def shred(self, subject_id: str, categories: Iterable[str] | None = None) -> int:
        """Destroy a subject's data keys: crypto-shredding (GDPR Art. 17, Art. 5(1)(e)).

        Args:
            subject_id: the data subject's id.
            categories: the categories to shred (each leaves a tombstone, even if never
                created, so it is not created again); None shreds every live key of the
                subject.

        Returns:
            How many live keys were destroyed.

        """
        if categories is None:
            kids = list(self.store.ids(prefix=key_id(subject_id, "x")[:-1]))
        else:
            kids = [key_id(subject_id, category) for category in categories]
        with self._lock:
            self._generation += 1
            for kid in kids:
                self._cache.pop(kid, None)
        destroyed = self.store.destroy(kids)
        with self._lock:
            self._generation += 1
            for kid in kids:  # a fetch may have cached one between the eviction and destroy
                self._cache.pop(kid, None)
        return destroyed

    def shred_many(self, pairs: Iterable[tuple[str, str]]) -> int:
        """Destroy many (subject, category) data keys in one key-store transaction.

        What a retention run needs: one category's keys of thousands of subjects at once
        (GDPR Art. 5(1)(e)); one `shred` per subject would be one transaction each.

        Args:
            pairs: (subject ID, category) of each key to destroy.

        Returns:
            How many live keys were destroyed.

        """
        kids = [key_id(subject, category) for subject, category in pairs]
        if not kids:
            return 0
        with self._lock:
            self._generation += 1
            for kid in kids:
                self._cache.pop(kid, None)
        destroyed = self.store.destroy(kids)
        with self._lock:
            self._generation += 1
            for kid in kids:
                self._cache.pop(kid, None)
        return destroyed

    def is_shredded(self, subject_id: str, category: str) -> bool:
        """Return whether the subject's key of this category was destroyed."""
        return self.store.is_destroyed(key_id(subject_id, category))

    def rewrap_all(self, keyring: MasterKeyring) -> int:
        """Rewrap every live key under `keyring`'s active master key, then use `keyring`.

        Args:
            keyring: the rotated keyring; it must still hold the old master keys.

        Returns:
            How many keys were rewrapped (those already under the active key are skipped).

        Raises:
            MasterKeyError: a live key's master key is not in `keyring`.

        """
        pending: list[tuple[str, WrappedKey]] = []
        for live_id in self.store.ids():
            try:
                wrapped = self.store.get(live_id)
            except KeyDestroyedError:
                continue  # shredded since the listing
            if wrapped is not None and wrapped.master_id != keyring.active_id:
                pending.append((live_id, keyring.wrap(keyring.unwrap(wrapped))))
        count = self.store.replace_many(pending)
        self._keyring = keyring
        return count

    def create_many(self, pairs: Iterable[tuple[str, str]]) -> None:
        """Create the data keys of many (subject, category) pairs in one transaction.

        Pairs that already have a live key are skipped, so an importer can run twice.

        Args:
            pairs: (subject_id, category) pairs, e.g. 12,000 subjects × 3 categories.

        Raises:
            KeyDestroyedError: a pair was shredded; nothing is written.
            InvalidInputError: code `subject_key_id_invalid`, a malformed id.

        """
        kids = dict.fromkeys(key_id(subject, category) for subject, category in pairs)
        ring = self._keyring
        self.store.create_many(
            (kid, ring.wrap(AESGCM.generate_key(bit_length=256))) for kid in kids
        )

    def subjects(self) -> set[str]:
        """Return the ids of the subjects holding at least one live data key."""
        return {kid.rpartition("/")[0] for kid in self.store.ids()}

    def close(self) -> None:
        """Drop the cached keys and close the store."""
        with self._lock:
            self._cache.clear()
        self.store.close()


def open_subject_keys(key_dir: Path, environ: Mapping[str, str] | None = None) -> SubjectKeys:
    """Open the node's data keys: the master keyring and the local key store of `key_dir`.

    Args:
        key_dir: the key store folder (`Settings.key_store()`).
        environ: the environment (for `PODIUM_MASTER_KEY`); `os.environ` when None.

    Returns:
        The service over a `LocalKeyStore`.

    Raises:
        MasterKeyError: the master keyring is unusable.

    """
    keyring = MasterKeyring.load(key_dir, environ)
    return SubjectKeys(LocalKeyStore(key_dir), keyring)
