"""The data key service: per-(data subject, data category) keys, cached, shreddable.

Key ids are `subject_id/category`; `SubjectKeys` creates, fetches, shreds and rewraps
them over a `KeyStore` and a master keyring source, and `open_subject_keys` opens the
node's own, following its master key file (`MasterKeyFile`) so a rotation counts at once.
"""

from __future__ import annotations

import os
import threading
from collections import OrderedDict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Literal, overload

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from podium.core.clock import Clock, system_clock
from podium.core.errors import InvalidInputError
from podium.privacy.errors import KeyDestroyedError, KeyExistsError
from podium.privacy.keys.keyring import (
    MASTER_KEY_ENV,
    MasterKeyFile,
    MasterKeyring,
    MasterKeySource,
    WrappedKey,
)
from podium.privacy.keys.store import KeyStore, LocalKeyStore

__all__ = ["SubjectKeys", "key_id", "open_subject_keys"]

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
        keyring: the master keys that wrap them: a fixed `MasterKeyring`, or a
            `MasterKeyFile` asked at each use, so a rotation by another process counts
            at once. A wrapped key is always read from the store before the keyring, and a
            rotation writes the keyring before it rewraps, so its master key is known.
        cache_size: how many unwrapped keys to keep in memory.
        cache_ttl: how long one stays cached.
        clock: the clock of the cache.

    """

    def __init__(
        self,
        store: KeyStore,
        keyring: MasterKeySource,
        *,
        cache_size: int = 4096,
        cache_ttl: timedelta = timedelta(seconds=60),
        clock: Clock = system_clock,
    ) -> None:
        """Create the service; see the class docstring."""
        self.store = store
        self._source = keyring
        self._cache_size, self._cache_ttl, self._clock = cache_size, cache_ttl, clock
        self._cache: OrderedDict[str, _Cached] = OrderedDict()
        self._lock = threading.Lock()
        self._generation = 0  # bumped by every shred, so a racing fetch does not re-cache

    @property
    def keyring(self) -> MasterKeyring:
        """The master keyring in use now (the key file's current one when following it)."""
        return self._source.current()

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

    def warm(self, pairs: Iterable[tuple[str, str]]) -> int:
        """Load many live data keys into the cache with one store look-up per 500 keys.

        For bulk work (an import re-reading thousands of sealed fields): one `get` per key
        would be one key-store query each. Warm at most `cache_size` keys at a time, or the
        first ones are evicted before they are used. Absent and shredded keys are skipped
        (`data_key` still raises for a shredded one).

        Args:
            pairs: (subject ID, category) of the keys about to be used.

        Returns:
            How many keys were loaded into the cache.

        """
        now = self._clock()
        with self._lock:
            generation = self._generation
            wanted = [
                kid
                for kid in (key_id(s, c) for s, c in pairs)
                if (hit := self._cache.get(kid)) is None or hit.expires <= now
            ]
        found = self.store.get_many(wanted)
        ring = self._source.current()  # after the store: see the class docstring
        loaded = {kid: ring.unwrap(wrapped) for kid, wrapped in found.items()}
        with self._lock:
            if generation != self._generation:
                return 0  # a shred ran meanwhile: let each key be fetched on its own
            for kid, key in loaded.items():
                self._cache[kid] = _Cached(key, AESGCM(key), now + self._cache_ttl)
                self._cache.move_to_end(kid)
            while len(self._cache) > self._cache_size:
                self._cache.popitem(last=False)
        return len(loaded)

    @property
    def cache_size(self) -> int:
        """How many unwrapped keys the cache holds at most."""
        return self._cache_size

    def _fetch(self, kid: str, *, create: bool) -> bytes | None:
        wrapped = self.store.get(kid)
        if wrapped is not None:
            return self._source.current().unwrap(wrapped)
        if not create:
            return None
        key = AESGCM.generate_key(bit_length=256)
        try:
            self.store.create(kid, self._source.current().wrap(key))
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

        A service following its key file keeps following it when the file holds `keyring`
        (`rotate_master_key` wrote it there first); otherwise it uses `keyring` from now on.

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
        if self._source.current() != keyring:
            self._source = keyring
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
        ring = self._source.current()
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

    With `PODIUM_MASTER_KEY` set the keyring is fixed (the operator restarts after changing
    the variable); otherwise it follows `<key_dir>/master.keys` (`MasterKeyFile`), so a
    `podium keys rotate` on the host counts at once in a running server.

    Args:
        key_dir: the key store folder (`Settings.key_store()`).
        environ: the environment (for `PODIUM_MASTER_KEY`); `os.environ` when None.

    Returns:
        The service over a `LocalKeyStore`.

    Raises:
        MasterKeyError: the master keyring is unusable.

    """
    env = os.environ if environ is None else environ
    keyring: MasterKeySource = (
        MasterKeyring.load(key_dir, env) if MASTER_KEY_ENV in env else MasterKeyFile(key_dir)
    )
    return SubjectKeys(LocalKeyStore(key_dir), keyring)
