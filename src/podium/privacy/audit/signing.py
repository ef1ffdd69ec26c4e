"""The Ed25519 checkpoint key (RFC 8032): the signer, its key folder and the trusted keys.

The private key is `key_dir/audit-signing.key`; every public key it ever had stays in
`key_dir/audit-public/<key_id>.pem`. The public keys live in the key folder, never in the
database, so whoever can write the database cannot forge a seal (GDPR Art. 32 integrity).
A signer loaded from the folder follows its key file: every use compares the file's
`FileStamp` and reads the key again when `podium audit rotate-key` (another process)
replaced it, so a running server seals its next checkpoint with the new key at once. The
rotation publishes the new public key before it replaces the private one, so every
checkpoint a server seals has its public key in the folder for `verify`.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)

from podium.core.files import FileStamp, read_stamped
from podium.privacy.audit.errors import AuditKeyError

__all__ = ["CheckpointSigner", "key_id_of", "trusted_public_keys"]

_PRIVATE_NAME = "audit-signing.key"
_PUBLIC_DIR = "audit-public"


def key_id_of(public_key: Ed25519PublicKey) -> str:
    """Return a key's id: the first 16 hex digits of SHA-256 of its raw 32 bytes."""
    raw = public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()[:16]


def _write_file(path: Path, data: bytes, mode: int, *, replace: bool) -> None:
    """Write `data` to `path` atomically; without `replace`, keep a file another wrote first."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        temporary.chmod(mode)
        if replace:
            temporary.replace(path)
        else:
            # Another process may have created the key first: everyone then uses that one.
            with contextlib.suppress(FileExistsError):
                os.link(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)


def _load_private(path: Path) -> tuple[Ed25519PrivateKey, FileStamp]:
    """Read the private key file: the key and the stamp of the version read.

    Raises:
        AuditKeyError: the file is missing, readable by others or not an Ed25519 PEM key.
    """
    try:
        if path.stat().st_mode & 0o077:
            raise AuditKeyError(
                f"{path} is readable by others: chmod 600 it", code="audit_key_permissions"
            )
        data, stamp = read_stamped(path)
    except OSError as error:
        raise AuditKeyError(f"{path} cannot be read: {error}") from None
    try:
        key = serialization.load_pem_private_key(data, password=None)
    except (ValueError, TypeError) as error:
        raise AuditKeyError(f"{path} is not a PEM private key: {error}") from None
    if not isinstance(key, Ed25519PrivateKey):
        raise AuditKeyError(f"{path} is not an Ed25519 key")
    return key, stamp


@dataclass(frozen=True, slots=True)
class _Loaded:
    """One version of the signing key: the file's stamp (None: held in memory) and the key."""

    stamp: FileStamp | None
    key: Ed25519PrivateKey
    public_key: Ed25519PublicKey
    key_id: str

    @classmethod
    def of(cls, key: Ed25519PrivateKey, stamp: FileStamp | None) -> _Loaded:
        public_key = key.public_key()
        return cls(stamp, key, public_key, key_id_of(public_key))


def _publish(key_dir: Path, public_key: Ed25519PublicKey) -> None:
    path = key_dir / _PUBLIC_DIR / f"{key_id_of(public_key)}.pem"
    if not path.exists():
        pem = public_key.public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )
        _write_file(path, pem, 0o644, replace=True)


class CheckpointSigner:
    """The Ed25519 key (RFC 8032) that signs checkpoints, kept in the node's key folder.

    The private key is `key_dir/audit-signing.key` (PKCS#8 PEM, mode 0600); every public
    key it ever had stays in `key_dir/audit-public/<key_id>.pem`, where `verify` finds it.
    A signer from `load_or_create` or `rotate` follows that file: every use compares its
    `FileStamp` and reads the key again when another process rotated it.

    Args:
        private_key: the signing key.
        path: the file it was read from, or None (held in memory: never read again).
        stamp: the file's stamp when the key was read from it.

    Raises:
        AuditKeyError: (on use, after the file changed) the new file is unreadable,
            readable by others (`audit_key_permissions`) or not an Ed25519 PEM key.

    """

    def __init__(
        self,
        private_key: Ed25519PrivateKey,
        path: Path | None = None,
        stamp: FileStamp | None = None,
    ) -> None:
        """Wrap a key; use `load_or_create` or `rotate` to get one from the key folder."""
        self.path = path
        self._loaded = _Loaded.of(private_key, stamp if path is not None else None)

    def _current(self) -> _Loaded:
        """Return the key's current version, read again if its file changed."""
        loaded = self._loaded
        if self.path is not None and FileStamp.at(self.path) != loaded.stamp:
            # One assignment: a thread signing meanwhile sees one version whole.
            loaded = self._loaded = _Loaded.of(*_load_private(self.path))
        return loaded

    def current(self) -> CheckpointSigner:
        """Return a signer fixed on the key in use now: its `key_id` and `sign` agree.

        A checkpoint names the key that signs it; taking both from one version keeps a
        rotation between the two from sealing a checkpoint under the wrong key id.
        """
        return CheckpointSigner(self._current().key)

    @property
    def public_key(self) -> Ed25519PublicKey:
        """Return the public key of the key in use now."""
        return self._current().public_key

    @property
    def key_id(self) -> str:
        """Return the id of the key in use now (`key_id_of`)."""
        return self._current().key_id

    @classmethod
    def load_or_create(cls, key_dir: Path) -> CheckpointSigner:
        """Load the folder's signing key, creating it (and its public key file) if missing.

        Args:
            key_dir: the node's key folder (`Settings().key_store()`).

        Returns:
            The signer.

        Raises:
            AuditKeyError: the key file is readable by group or others
                (`audit_key_permissions`), or is not an Ed25519 PEM key.

        """
        path = key_dir / _PRIVATE_NAME
        if not path.exists():
            cls._store(key_dir, Ed25519PrivateKey.generate(), replace=False)
        key, stamp = _load_private(path)
        _publish(key_dir, key.public_key())
        return cls(key, path, stamp)

    @classmethod
    def rotate(cls, key_dir: Path) -> CheckpointSigner:
        """Replace the folder's signing key by a new one; old public keys stay for `verify`.

        Args:
            key_dir: the node's key folder.

        Returns:
            The signer of the new key.

        """
        key = Ed25519PrivateKey.generate()
        _publish(key_dir, key.public_key())  # first: a checkpoint must never lack its key
        cls._store(key_dir, key, replace=True)
        path = key_dir / _PRIVATE_NAME
        stored, stamp = _load_private(path)
        return cls(stored, path, stamp)

    @staticmethod
    def _store(key_dir: Path, key: Ed25519PrivateKey, *, replace: bool) -> None:
        pem = key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        _write_file(key_dir / _PRIVATE_NAME, pem, 0o600, replace=replace)

    def sign(self, message: bytes) -> bytes:
        """Return the 64-byte Ed25519 signature (RFC 8032 §5.1.6) by the key in use now."""
        return self._current().key.sign(message)


def trusted_public_keys(key_dir: Path) -> dict[str, Ed25519PublicKey]:
    """Return every checkpoint public key of the key folder, by key id.

    Args:
        key_dir: the node's key folder; keys are read from `key_dir/audit-public/*.pem`.

    Returns:
        `{key_id: key}`; empty when the folder has none.

    Raises:
        AuditKeyError: a file is not an Ed25519 public key, or its name is not its key id
            (`audit_key_mismatch`): a planted key must not pass for a trusted one.

    """
    keys: dict[str, Ed25519PublicKey] = {}
    for path in sorted((key_dir / _PUBLIC_DIR).glob("*.pem")):
        try:
            key = serialization.load_pem_public_key(path.read_bytes())
        except ValueError as error:
            raise AuditKeyError(f"{path} is not a PEM public key: {error}") from None
        if not isinstance(key, Ed25519PublicKey):
            raise AuditKeyError(f"{path} is not an Ed25519 public key")
        if key_id_of(key) != path.stem:
            raise AuditKeyError(
                f"{path} holds key {key_id_of(key)}, not {path.stem}", code="audit_key_mismatch"
            )
        keys[path.stem] = key
    return keys
