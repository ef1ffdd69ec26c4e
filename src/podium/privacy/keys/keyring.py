"""The master keyring: master keys from `PODIUM_MASTER_KEY` or `<key_dir>/master.keys`.

Master keys wrap the data keys with AES key wrap (RFC 3394, NIST SP 800-38F "KW"); the
keyring holds one active key that wraps and older ones still accepted for unwrapping, so a
rotation (`rotate_master_key`, then `SubjectKeys.rewrap_all`, then `retire_master_key`)
never makes a wrapped key unreadable (NIST SP 800-57 Part 1 §5.3).

A running node follows the file: `MasterKeyFile` compares the file's `FileStamp` on every
use and reads it again when a rotation (another process, `podium keys rotate`) replaced it.
The rotation writes the new keyring, holding the old keys too, before it rewraps a single
data key, so a node that reads a wrapped key from the store and then the keyring always
finds its master key, even when the rotation stopped half-way.
"""

from __future__ import annotations

import base64
import binascii
import json
import os
import re
from collections.abc import Iterator, Mapping
from contextlib import suppress
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Protocol

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.keywrap import (
    InvalidUnwrap,
    aes_key_unwrap,
    aes_key_wrap,
)

from podium.core.files import FileStamp, read_stamped
from podium.privacy.errors import KeyDestroyedError, MasterKeyError

if TYPE_CHECKING:
    from podium.privacy.keys.store import KeyStore

__all__ = [
    "KEY_BYTES",
    "MASTER_KEY_ENV",
    "MASTER_KEY_FILE",
    "MasterKeyFile",
    "MasterKeySource",
    "MasterKeyring",
    "WrappedKey",
    "retire_master_key",
    "rotate_master_key",
]

KEY_BYTES = 32
"""Length of master and data keys: AES-256."""
MASTER_KEY_ENV = "PODIUM_MASTER_KEY"
MASTER_KEY_FILE = "master.keys"

_MASTER_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")


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

    def current(self) -> MasterKeyring:
        """Return this keyring: a fixed keyring is its own `MasterKeySource`."""
        return self

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
    return _read_key_file_stamped(key_dir, create=create)[0]


def _read_key_file_stamped(key_dir: Path, *, create: bool) -> tuple[MasterKeyring, FileStamp]:
    """Read (or, with `create`, first create) the key file: the keyring and its stamp.

    Raises:
        MasterKeyError: the file is missing (without `create`), too permissive or malformed.
    """
    path = key_dir / MASTER_KEY_FILE
    if create and not path.exists():
        _prepare_dir(key_dir)
        first = MasterKeyring(active_id="m1", keys={"m1": AESGCM.generate_key(bit_length=256)})
        with suppress(FileExistsError):  # another process created it first: read theirs
            _write_key_file(path, first, exclusive=True)
    try:
        mode = path.stat().st_mode & 0o777
        if mode & 0o077:
            raise MasterKeyError(f"master key file {path} has mode {mode:04o}; it must be 0600")
        raw, stamp = read_stamped(path)
    except FileNotFoundError:
        raise MasterKeyError(f"master key file {path} does not exist") from None
    except OSError as error:
        raise MasterKeyError(f"master key file {path} cannot be read: {error}") from None
    try:
        data = json.loads(raw.decode("utf-8"))
        active, encoded = data["active"], data["keys"]
    except (ValueError, KeyError, TypeError) as error:
        raise MasterKeyError(f"master key file {path}: not the expected JSON ({error})") from error
    if not isinstance(active, str) or not isinstance(encoded, dict):
        raise MasterKeyError(f"master key file {path}: 'active' must be a string, 'keys' an object")
    keys = {
        str(mid): _decode_key(str(text), f"{path}, key {mid!r}") for mid, text in encoded.items()
    }
    return MasterKeyring(active_id=active, keys=keys), stamp


class MasterKeySource(Protocol):
    """Where `SubjectKeys` takes its master keyring from at each use.

    A `MasterKeyring` is a fixed source (`PODIUM_MASTER_KEY`, tests); a `MasterKeyFile`
    follows `<key_dir>/master.keys` as rotations replace it.
    """

    def current(self) -> MasterKeyring:
        """Return the master keyring to wrap and unwrap with now."""
        ...


class MasterKeyFile:
    """The master keyring of `<key_dir>/master.keys`, read again whenever the file changes.

    Every `current()` compares the file's `FileStamp` (one `stat`) with the one read, so a
    server opened once wraps new data keys under a master key rotated by another process
    and unwraps the keys that rotation rewrapped, at once and without a restart. The keys a
    rotation keeps (the older master keys) stay readable; a key `retire_master_key` removed
    is gone from memory at the next use too.

    Args:
        key_dir: the key store folder; the file is created on first use (see
            `MasterKeyring.load`).

    Raises:
        MasterKeyError: (when opened, and on any use after the file changed) the file is
            missing, readable by group or others, or malformed.

    """

    def __init__(self, key_dir: Path) -> None:
        """Read (creating if needed) the key file; see the class docstring."""
        self.path = key_dir / MASTER_KEY_FILE
        self._key_dir = key_dir
        self._loaded = _read_key_file_stamped(key_dir, create=True)

    def current(self) -> MasterKeyring:
        """Return the keyring the file holds now, read again if the file changed."""
        ring, stamp = self._loaded
        if FileStamp.at(self.path) != stamp:
            # One assignment: a thread using the keyring meanwhile sees one version whole.
            self._loaded = _read_key_file_stamped(self._key_dir, create=False)
            ring = self._loaded[0]
        return ring


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
