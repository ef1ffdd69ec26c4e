"""Where wrapped data keys live: the `KeyStore` protocol and the default `LocalKeyStore`.

The store holds data keys only wrapped by a master key (`podium.privacy.keys.keyring`), in
a file apart from the two database planes; destroying a key leaves a tombstone, so an
erased key is never created again under the same id (GDPR Art. 17).
"""

from __future__ import annotations

import os
import sqlite3
import threading
from collections.abc import Iterable, Iterator
from contextlib import suppress
from pathlib import Path
from typing import Protocol, runtime_checkable

from podium.core.clock import Clock, system_clock
from podium.core.errors import NotFoundError
from podium.privacy.errors import KeyDestroyedError, KeyExistsError
from podium.privacy.keys.keyring import WrappedKey, _prepare_dir

__all__ = ["STORE_FILE", "KeyStore", "LocalKeyStore"]

STORE_FILE = "subject-keys.sqlite"


def _prefix_bounds(prefix: str) -> tuple[str, str]:
    # SQLite compares TEXT with memcmp on UTF-8, which preserves code point order, so
    # "every id starting with p" is the range [p, p with its last character incremented).
    return prefix, prefix[:-1] + chr(ord(prefix[-1]) + 1)


@runtime_checkable
class KeyStore(Protocol):
    """Where wrapped data keys live: the interface a KMS or Vault implementation provides.

    A destroyed key leaves a tombstone without key material, so that it can never be
    silently created again under the same id (GDPR Art. 17: erasure is final).
    """

    def get(self, key_id: str) -> WrappedKey | None:
        """Return the wrapped key; None if it was never created; KeyDestroyedError if shredded."""
        ...

    def get_many(self, key_ids: Iterable[str]) -> dict[str, WrappedKey]:
        """Return the live keys among `key_ids` (absent and destroyed ones are left out)."""
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


_IN_CHUNK = 500
"""Ids per `IN (…)` query: under SQLite's default limit of 999 bound parameters."""

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

    def get_many(self, key_ids: Iterable[str]) -> dict[str, WrappedKey]:
        """Return the live keys among `key_ids`, in a few queries instead of one per key.

        Args:
            key_ids: ids to look up; absent and destroyed ones are left out of the answer.

        Returns:
            Key id → wrapped key.

        """
        wanted = list(dict.fromkeys(key_ids))
        found: dict[str, WrappedKey] = {}
        with self._lock:
            for start in range(0, len(wanted), _IN_CHUNK):
                chunk = wanted[start : start + _IN_CHUNK]
                marks = ",".join("?" * len(chunk))
                rows = self._conn.execute(
                    "SELECT key_id, master_id, blob FROM subject_key"  # noqa: S608 - only '?' marks
                    f" WHERE blob IS NOT NULL AND key_id IN ({marks})",
                    chunk,
                ).fetchall()
                found.update((row[0], WrappedKey(row[1], bytes(row[2]))) for row in rows)
        return found

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
