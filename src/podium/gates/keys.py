"""The issuer keyring: Ed25519 keys in a folder, rotation, and the published public key set.

Layout of the keyring folder (conventionally `<key_dir>/credentials/`)::

    keyring.json              active key id, and every public key with not_before/retired_at
    private/<key id>.key      PKCS#8 PEM private key, mode 0600

A rotation makes a new active key; earlier keys keep verifying the cards they signed until
they are retired. Rotation and retirement are operator commands: one process at a time
changes a keyring (the manifest is replaced atomically, the last writer wins). A keyring
a running server opened once follows those changes: every use compares the manifest's
file stamp (`FileStamp`: inode, size, modification and change times, one `stat`) with the
one it read, and reads the manifest again when it differs, so a key rotated by
`podium accreditation rotate-keys` signs the server's next card and verifies at once. Devices
receive only `PublicKeySet` (JSON: key id -> public key, not_before, retired_at). Signed
documents (revocation lists, device packages) are canonical JSON signed by the active key:
`sign_document` / `open_document`.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import json
import os
import secrets
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)

from podium.core.clock import Clock, system_clock
from podium.core.files import FileStamp, read_stamped
from podium.gates.errors import KeyringError, SignedDocumentError
from podium.gates.payload import KEY_ID_LENGTH

__all__ = [
    "KEYRING_FOLDER",
    "FileStamp",
    "IssuerKey",
    "IssuerKeyring",
    "KeyringKeys",
    "PublicKeyEntry",
    "PublicKeySet",
    "canonical_json",
    "key_id_of",
    "open_document",
    "open_issuer_keyring",
    "read_stamped",
    "sign_document",
]

KEYRING_FOLDER = "credentials"
"""Name of the keyring's folder inside a node's key folder."""
_MANIFEST = "keyring.json"
_PRIVATE = "private"


def key_id_of(public_key: Ed25519PublicKey) -> bytes:
    """Return a key's 8-byte id: the first bytes of SHA-256 of its raw 32 bytes."""
    raw = public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).digest()[:KEY_ID_LENGTH]


def canonical_json(value: object) -> bytes:
    """Return the bytes that get signed: sorted keys, no spaces, UTF-8."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def _iso(value: datetime | None) -> str | None:
    return None if value is None else value.astimezone(UTC).isoformat()


def _parse_time(value: object, where: str) -> datetime | None:
    if value is None:
        return None
    try:
        parsed = datetime.fromisoformat(str(value))
    except ValueError:
        raise KeyringError(f"{where}: {value!r} is not an ISO 8601 time") from None
    if parsed.tzinfo is None:
        raise KeyringError(f"{where}: {value!r} has no UTC offset")
    return parsed


@dataclass(frozen=True, slots=True)
class IssuerKey:
    """A private signing key of the keyring.

    Attributes:
        key_id: 8-byte key id (on every card it signs).
        private_key: the Ed25519 private key.

    """

    key_id: bytes
    private_key: Ed25519PrivateKey

    @property
    def kid(self) -> str:
        """Return the key id as 16 hex digits."""
        return self.key_id.hex()

    def sign(self, message: bytes) -> bytes:
        """Return the 64-byte Ed25519 signature of `message` (RFC 8032 §5.1.6)."""
        return self.private_key.sign(message)


@dataclass(frozen=True, slots=True)
class PublicKeyEntry:
    """One published public key.

    Attributes:
        key_id: 8-byte key id.
        public_key: the Ed25519 public key, built once.
        not_before: when the key was made (informative: devices' clocks drift).
        retired_at: from this instant the key verifies nothing, or None.

    """

    key_id: bytes
    public_key: Ed25519PublicKey
    not_before: datetime
    retired_at: datetime | None = None

    def to_json(self) -> dict[str, Any]:
        """Return the entry as published: raw key in base64url, times in ISO 8601."""
        raw = self.public_key.public_bytes(
            serialization.Encoding.Raw, serialization.PublicFormat.Raw
        )
        return {
            "public_key": base64.urlsafe_b64encode(raw).decode(),
            "not_before": _iso(self.not_before),
            "retired_at": _iso(self.retired_at),
        }


class PublicKeySet(Mapping[bytes, PublicKeyEntry]):
    """The issuer's published public keys by key id, as a device holds them.

    Args:
        entries: the keys; a later entry with the same id replaces an earlier one.

    """

    def __init__(self, entries: tuple[PublicKeyEntry, ...] | list[PublicKeyEntry] = ()) -> None:
        """Index the keys by id; see the class docstring."""
        self._entries = {entry.key_id: entry for entry in entries}
        # Hot path: key id -> (key, retired_at in seconds or +inf), no datetime per scan.
        self._live = {
            entry.key_id: (
                entry.public_key,
                float("inf") if entry.retired_at is None else entry.retired_at.timestamp(),
            )
            for entry in entries
        }

    def __getitem__(self, key_id: bytes) -> PublicKeyEntry:
        """Return the entry of `key_id`."""
        return self._entries[key_id]

    def __iter__(self) -> Iterator[bytes]:
        """Iterate over the key ids."""
        return iter(self._entries)

    def __len__(self) -> int:
        """Return the number of keys, retired ones included."""
        return len(self._entries)

    def verifier(self, key_id: bytes, at: float) -> Ed25519PublicKey | None:
        """Return the key of `key_id` at `at` (UTC seconds); None if unknown or retired then."""
        found = self._live.get(key_id)
        if found is None or at >= found[1]:
            return None
        return found[0]

    def to_json(self) -> dict[str, Any]:
        """Return the published form: `{kid hex: {public_key, not_before, retired_at}}`."""
        return {key_id.hex(): entry.to_json() for key_id, entry in sorted(self._entries.items())}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> PublicKeySet:
        """Load a published key set, checking that each id is its key's id.

        Raises:
            KeyringError: `keyring_corrupt`, naming the key id: a bad key, a bad time, or an
                id that is not the key's own (a planted key must not pass for a trusted one).

        """
        entries = []
        for kid, item in data.items():
            if not isinstance(item, Mapping):
                raise KeyringError(f"public key {kid!r} is not an object")
            try:
                raw = base64.urlsafe_b64decode(item["public_key"])
                key = Ed25519PublicKey.from_public_bytes(raw)
            except (KeyError, TypeError, ValueError):
                raise KeyringError(f"public key {kid!r} is not a raw Ed25519 key") from None
            if key_id_of(key).hex() != kid:
                raise KeyringError(f"public key listed as {kid!r} has id {key_id_of(key).hex()}")
            not_before = _parse_time(item.get("not_before"), f"key {kid} not_before")
            if not_before is None:
                raise KeyringError(f"public key {kid!r} has no not_before")
            retired = _parse_time(item.get("retired_at"), f"key {kid} retired_at")
            entries.append(PublicKeyEntry(key_id_of(key), key, not_before, retired))
        return cls(entries)


def _write_file(path: Path, data: bytes, mode: int) -> None:
    """Write `data` to `path` atomically (temporary file, fsync, rename)."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        temporary.chmod(mode)
        temporary.replace(path)
    finally:
        temporary.unlink(missing_ok=True)


@dataclass(frozen=True, slots=True)
class _Loaded:
    """One version of a keyring's manifest, as read: its stamp, active key, public keys."""

    stamp: FileStamp
    active: IssuerKey
    public: PublicKeySet


class IssuerKeyring:
    """The credential issuer's keys in a folder: one active signer, older keys until retired.

    Use `open_issuer_keyring` to get one. Every use (`active`, `public_key_set`, `rotate`,
    `retire`) first checks the manifest's `FileStamp` and reads it again when another
    process (or another `IssuerKeyring` on the same folder) changed it.

    Args:
        folder: the keyring folder.
        clock: the clock that dates new and retired keys.

    Raises:
        KeyringError: (on any use) the manifest became unreadable or names a missing,
            foreign or exposed private key.

    """

    def __init__(self, folder: Path, clock: Clock = system_clock) -> None:
        """Read the keyring's manifest; see `open_issuer_keyring`."""
        self.folder, self._clock = folder, clock
        self._loaded = self._read()

    def _read(self) -> _Loaded:
        path = self.folder / _MANIFEST
        try:
            data, stamp = read_stamped(path)
            manifest = json.loads(data)
            active_kid = str(manifest["active"])
            public = PublicKeySet.from_json(manifest["keys"])
        except (OSError, ValueError, KeyError, TypeError, AttributeError) as error:
            raise KeyringError(f"{path} is unreadable: {error}") from None
        return _Loaded(stamp, self._load_private(active_kid), public)

    def _current(self) -> _Loaded:
        """Return the manifest's current version, read again if its file changed."""
        loaded = self._loaded
        if FileStamp.at(self.folder / _MANIFEST) != loaded.stamp:
            # One assignment: a thread using the keyring meanwhile sees one version whole.
            loaded = self._loaded = self._read()
        return loaded

    def _load_private(self, kid: str) -> IssuerKey:
        path = self.folder / _PRIVATE / f"{kid}.key"
        try:
            if path.stat().st_mode & 0o077:
                raise KeyringError(
                    f"{path} is readable by others: chmod 600 it", code="keyring_permissions"
                )
            key = serialization.load_pem_private_key(path.read_bytes(), password=None)
        except (OSError, ValueError, TypeError) as error:
            raise KeyringError(f"{path} is not a PEM private key: {error}") from None
        if not isinstance(key, Ed25519PrivateKey) or key_id_of(key.public_key()).hex() != kid:
            raise KeyringError(f"{path} is not the Ed25519 key {kid}")
        return IssuerKey(bytes.fromhex(kid), key)

    def _save(self, active: str, keys: PublicKeySet) -> None:
        manifest = {"active": active, "keys": keys.to_json()}
        _write_file(self.folder / _MANIFEST, json.dumps(manifest, indent=2).encode(), 0o644)
        self._loaded = self._read()

    @property
    def active(self) -> IssuerKey:
        """Return the key that signs new cards, revocation lists and device packages."""
        return self._current().active

    def public_key_set(self) -> PublicKeySet:
        """Return every public key of the keyring, retired ones with their retirement time."""
        return self._current().public

    def rotate(self) -> IssuerKey:
        """Make a new active key; earlier keys keep verifying until `retire`.

        Returns:
            The new active key.

        """
        key = Ed25519PrivateKey.generate()
        kid = key_id_of(key.public_key())
        pem = key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        _write_file(self.folder / _PRIVATE / f"{kid.hex()}.key", pem, 0o600)
        entry = PublicKeyEntry(kid, key.public_key(), self._clock())
        self._save(kid.hex(), PublicKeySet([*self._current().public.values(), entry]))
        return self._loaded.active

    def retire(self, key_id: bytes, at: datetime | None = None) -> None:
        """Retire a key: from `at` (default now) cards it signed are refused `unknown_key`.

        Raises:
            KeyringError: `keyring_unknown_key` for a key not in the keyring;
                `keyring_active_key` for the active key (rotate first).

        """
        current = self._current()
        entry = current.public.get(key_id)
        if entry is None:
            raise KeyringError(
                f"no key {key_id.hex()} in {self.folder}", code="keyring_unknown_key"
            )
        if key_id == current.active.key_id:
            raise KeyringError(
                f"key {key_id.hex()} is the active key: rotate first", code="keyring_active_key"
            )
        retired = PublicKeyEntry(
            entry.key_id, entry.public_key, entry.not_before, at or self._clock()
        )
        self._save(current.active.kid, PublicKeySet([*current.public.values(), retired]))


class KeyringKeys:
    """The public keys of some keyrings, as they are at each look-up (a `KeySource`).

    For a server that verifies what several issuers sign (tickets and cards at one gate):
    each look-up asks every keyring's current key set, so a key rotated in any of them
    verifies at once, where a `PublicKeySet` built once would keep the keys of its day.

    Args:
        keyrings: the issuers' keyrings, asked in this order.

    """

    def __init__(self, *keyrings: IssuerKeyring) -> None:
        """Hold the keyrings; see the class docstring."""
        self._keyrings = keyrings

    def verifier(self, key_id: bytes, at: float) -> Ed25519PublicKey | None:
        """Return the key of `key_id` valid at `at` (UTC seconds) in any keyring, or None."""
        for keyring in self._keyrings:
            key = keyring.public_key_set().verifier(key_id, at)
            if key is not None:
                return key
        return None


def open_issuer_keyring(folder: Path, clock: Clock = system_clock) -> IssuerKeyring:
    """Open the keyring in `folder`, creating it with a first active key if it has none.

    Args:
        folder: the keyring folder, conventionally `Settings().key_store() / KEYRING_FOLDER`.
        clock: dates new and retired keys.

    Raises:
        KeyringError: the manifest is corrupt (`keyring_corrupt`), or the active private key
            is readable by group or others (`keyring_permissions`).

    """
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    if not (folder / _MANIFEST).exists():
        with contextlib.suppress(FileExistsError):
            _first_key(folder, clock)
    return IssuerKeyring(folder, clock)


def _first_key(folder: Path, clock: Clock) -> None:
    key = Ed25519PrivateKey.generate()
    kid = key_id_of(key.public_key()).hex()
    pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    _write_file(folder / _PRIVATE / f"{kid}.key", pem, 0o600)
    entry = PublicKeyEntry(bytes.fromhex(kid), key.public_key(), clock())
    manifest = json.dumps({"active": kid, "keys": PublicKeySet([entry]).to_json()}, indent=2)
    # Exclusive create: when two processes open a new keyring, the first manifest wins.
    descriptor = os.open(folder / _MANIFEST, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    with os.fdopen(descriptor, "w") as handle:
        handle.write(manifest)


def sign_document(document_type: str, body: Mapping[str, Any], signer: IssuerKey) -> bytes:
    """Return a signed JSON document: `{type, kid, body, signature}`.

    The signature (Ed25519, base64url) covers `canonical_json({"type": ..., "body": ...})`,
    so a document of one type never passes for another.
    """
    signature = signer.sign(canonical_json({"type": document_type, "body": body}))
    envelope = {
        "type": document_type,
        "kid": signer.kid,
        "body": body,
        "signature": base64.urlsafe_b64encode(signature).decode(),
    }
    return canonical_json(envelope)


def open_document(
    data: bytes, document_type: str, keys: PublicKeySet, at: datetime
) -> dict[str, Any]:
    """Verify a signed JSON document and return its body.

    Args:
        data: the document's bytes (`sign_document`).
        document_type: the type expected (`revocation-list`, `device-package`).
        keys: the trusted public keys.
        at: now; a key retired at or before it verifies nothing.

    Raises:
        SignedDocumentError: `document_malformed`, `document_unknown_key` or
            `document_bad_signature`.

    """
    try:
        envelope = json.loads(data)
        body, kid = envelope["body"], bytes.fromhex(envelope["kid"])
        signature = base64.urlsafe_b64decode(envelope["signature"])
        kind = envelope["type"]
    except (ValueError, KeyError, TypeError) as error:
        raise SignedDocumentError(f"not a signed {document_type}: {error}") from None
    if kind != document_type or not isinstance(body, dict):
        raise SignedDocumentError(f"document of type {kind!r}, not {document_type!r}")
    key = keys.verifier(kid, at.timestamp())
    if key is None:
        raise SignedDocumentError(
            f"{document_type} signed by unknown or retired key {kid.hex()}",
            code="document_unknown_key",
        )
    try:
        key.verify(signature, canonical_json({"type": kind, "body": body}))
    except InvalidSignature:
        raise SignedDocumentError(
            f"{document_type} signature does not verify", code="document_bad_signature"
        ) from None
    return body
