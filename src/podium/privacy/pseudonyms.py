"""Pseudonyms: the keyed subject ID and the pseudonymised form of a protected value.

Both are HMAC-SHA-256 under the installation's pseudonymisation key, kept in the key
store folder and never in a database (GDPR Art. 4(5): "additional information kept
separately"). Without the key a pseudonym cannot be linked back to its source.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from pathlib import Path

__all__ = ["key_fingerprint", "pseudonym_key", "subject_id", "value_pseudonym"]

_KEY_FILE = "pseudonym.key"


def pseudonym_key(key_dir: Path) -> bytes:
    """Return the installation's pseudonymisation key, creating it on first use.

    Args:
        key_dir: the key store folder; the key is `pseudonym.key` inside (32 bytes, mode 0600).
    """
    path = key_dir / _KEY_FILE
    if not path.exists():
        key_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(secrets.token_bytes(32))
    return path.read_bytes()


def key_fingerprint(key: bytes) -> str:
    """Return a fingerprint of the pseudonymisation key that reveals nothing of it."""
    return hmac.new(key, b"podium pseudonym key fingerprint", hashlib.sha256).hexdigest()


def subject_id(key: bytes, source_code: str) -> str:
    """Return the pseudonymous subject ID of a person (32 hex characters).

    A keyed hash (HMAC-SHA-256, truncated to 128 bits): stable for the same key, so
    imports are idempotent, and not reversible from the 7-digit ODF codes without the key.

    Args:
        key: the installation's pseudonymisation key (32 random bytes).
        source_code: the person's code in the source (ODF participant code).
    """
    return hmac.new(key, source_code.encode(), hashlib.sha256).hexdigest()[:32]


def value_pseudonym(key: bytes, subject: str, field: str) -> str:
    """Return the pseudonym shown instead of a protected value (`pseudonym:` + 16 hex).

    Stable per subject and field, so a support engineer outside the EU can tell two
    records apart or match them, but learns nothing of the value itself.

    Args:
        key: the installation's pseudonymisation key.
        subject: the subject ID.
        field: the field name (`full_name`, `birth_date`...).
    """
    digest = hmac.new(key, f"value|{subject}|{field}".encode(), hashlib.sha256).hexdigest()
    return f"pseudonym:{digest[:16]}"
