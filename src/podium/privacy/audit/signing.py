"""The Ed25519 checkpoint key (RFC 8032): the signer, its key folder and the trusted keys.

The private key is `key_dir/audit-signing.key`; every public key it ever had stays in
`key_dir/audit-public/<key_id>.pem`. The public keys live in the key folder, never in the
database, so whoever can write the database cannot forge a seal (GDPR Art. 32 integrity).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import secrets
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)

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


def _load_private(path: Path) -> Ed25519PrivateKey:
    if path.stat().st_mode & 0o077:
        raise AuditKeyError(
            f"{path} is readable by others: chmod 600 it", code="audit_key_permissions"
        )
    try:
        key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    except (ValueError, TypeError) as error:
        raise AuditKeyError(f"{path} is not a PEM private key: {error}") from None
    if not isinstance(key, Ed25519PrivateKey):
        raise AuditKeyError(f"{path} is not an Ed25519 key")
    return key


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

    Args:
        private_key: the signing key.

    """

    def __init__(self, private_key: Ed25519PrivateKey) -> None:
        """Wrap a key; use `load_or_create` or `rotate` to get one from the key folder."""
        self._key = private_key
        self.public_key = private_key.public_key()
        self.key_id = key_id_of(self.public_key)

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
        signer = cls(_load_private(path))
        _publish(key_dir, signer.public_key)
        return signer

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
        return cls(key)

    @staticmethod
    def _store(key_dir: Path, key: Ed25519PrivateKey, *, replace: bool) -> None:
        pem = key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        _write_file(key_dir / _PRIVATE_NAME, pem, 0o600, replace=replace)

    def sign(self, message: bytes) -> bytes:
        """Return the 64-byte Ed25519 signature of `message` (RFC 8032 §5.1.6)."""
        return self._key.sign(message)


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
