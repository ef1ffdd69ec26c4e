"""AES-GCM encryption of personal fields under per-subject data keys, and crypto-shredding.

Design (GDPR Art. 32(1)(a) encryption, Art. 17 erasure, Art. 5(1)(e) storage limitation):

- **Envelope encryption.** Each personal field is sealed with AES-256-GCM under a data key;
  data keys are stored only wrapped by a master key (RFC 3394 AES key wrap), in a key
  store that lives apart from the two database planes (`podium.privacy.keys`).
- **One data key per (data subject, data category).** An erasure request destroys all of a
  subject's keys; a retention run destroys one category of a subject (say `health` 30 days
  after the Games) and leaves the rest readable.
- **Crypto-shredding.** Destroying the key makes every copy of the ciphertext unreadable:
  the live rows, but also database copies, replicas, exports and backups taken *before*
  the erasure, which cannot be reached and edited one by one. Erasure therefore reaches
  the backups without restoring and rewriting them.
- **Binding.** The associated data of each ciphertext binds the field name and the subject
  id, so a ciphertext copied to another row or column fails to open instead of showing
  one person's data as another's.
- **Nonces.** A random 96-bit nonce per seal (NIST SP 800-38D §8.2.2); a key seals at most
  a handful of fields of one subject, far below the 2^32 invocations §8.3 allows.

Token format: 1 version byte (1) + 12-byte nonce + ciphertext || 16-byte tag.

Limits. A copy of the key store taken before an erasure, together with the master key,
still decrypts the data of that time: backups of the key store must be short-lived (days,
not the years a database backup may be kept) and held apart from database backups. A
process that had the key cached keeps it up to `SubjectKeys` `cache_ttl` after a shred in
another process. Python cannot wipe a key from memory. Data the application copied out in
clear (logs, exports already sent, ODF messages) is outside this mechanism.
"""

from __future__ import annotations

import os
from datetime import date
from functools import lru_cache

from cryptography.exceptions import InvalidTag

from podium.privacy.errors import CiphertextError, KeyDestroyedError
from podium.privacy.keys import SubjectKeys

__all__ = ["NONCE_BYTES", "TAG_BYTES", "VERSION", "FieldCipher"]

VERSION = 1
"""The token format version, its first byte."""
NONCE_BYTES = 12
TAG_BYTES = 16
_HEADER = bytes([VERSION])
_AAD_LABEL = b"podium.field.v1"


@lru_cache(maxsize=4096)
def _associated_data(subject_id: str, field: str) -> bytes:
    # Length-prefixed, so no choice of names makes two (subject, field) pairs collide.
    parts = [part.encode("utf-8") for part in (subject_id, field)]
    return _AAD_LABEL + b"".join(len(p).to_bytes(4, "big") + p for p in parts)


class FieldCipher:
    """Seal and open personal fields with the data key of their subject and category.

    Args:
        keys: the data key service.

    """

    def __init__(self, keys: SubjectKeys) -> None:
        """Create the cipher; see the class docstring."""
        self.keys = keys

    def seal(self, subject_id: str, category: str, field: str, value: str | None) -> bytes | None:
        """Encrypt a field value with AES-256-GCM (NIST SP 800-38D), creating the key if needed.

        Args:
            subject_id: the data subject the value belongs to.
            category: its data category (`DataCategory` value), which selects the data key.
            field: the column it is stored in, e.g. `person.given_name`; bound to the token.
            value: the clear text; None stays None.

        Returns:
            The token (version byte + 12-byte nonce + ciphertext and tag), or None.

        Raises:
            KeyDestroyedError: the subject's key of this category was shredded (Art. 17).

        """
        if value is None:
            return None
        aead = self.keys.aead(subject_id, category, create=True)
        nonce = os.urandom(NONCE_BYTES)
        sealed = aead.encrypt(nonce, value.encode("utf-8"), _associated_data(subject_id, field))
        return _HEADER + nonce + sealed

    def open(self, subject_id: str, category: str, field: str, token: bytes | None) -> str | None:
        """Decrypt and authenticate a token made by `seal` for this subject and field.

        Args:
            subject_id: the data subject of the row the token was read from.
            category: the field's data category.
            field: the column the token was read from.
            token: the stored token; None stays None.

        Returns:
            The clear text, or None.

        Raises:
            KeyDestroyedError: the key was shredded: the data is erased (GDPR Art. 17).
            CiphertextError: code `ciphertext_invalid` for a malformed or tampered token, or
                one sealed for another subject or field; `subject_key_missing` when no key
                was ever created for this subject and category.

        """
        if token is None:
            return None
        if len(token) < 1 + NONCE_BYTES + TAG_BYTES or token[0] != VERSION:
            raise CiphertextError(
                f"{field} of {subject_id}: not a version {VERSION} token ({len(token)} bytes)"
            )
        aead = self.keys.aead(subject_id, category)
        if aead is None:
            raise CiphertextError(
                f"{field} of {subject_id}: no {category} data key exists to open it",
                code="subject_key_missing",
            )
        nonce, sealed = token[1 : 1 + NONCE_BYTES], token[1 + NONCE_BYTES :]
        try:
            clear = aead.decrypt(nonce, sealed, _associated_data(subject_id, field))
        except InvalidTag as error:
            raise CiphertextError(
                f"{field} of {subject_id}: authentication failed (tampered, or sealed for "
                "another subject, field or category)"
            ) from error
        return clear.decode("utf-8")

    def open_or_none(
        self, subject_id: str, category: str, field: str, token: bytes | None
    ) -> str | None:
        """Like `open`, but return None when the key was shredded (the data is erased).

        Raises:
            CiphertextError: as `open`.

        """
        try:
            return self.open(subject_id, category, field, token)
        except KeyDestroyedError:
            return None

    def seal_date(
        self, subject_id: str, category: str, field: str, value: date | None
    ) -> bytes | None:
        """Seal a date as ISO 8601 text (`YYYY-MM-DD`); see `seal`."""
        return self.seal(subject_id, category, field, None if value is None else value.isoformat())

    def open_date(
        self, subject_id: str, category: str, field: str, token: bytes | None
    ) -> date | None:
        """Open a token made by `seal_date`; see `open`.

        Raises:
            KeyDestroyedError: the key was shredded.
            CiphertextError: as `open`, or the clear text is not an ISO date.

        """
        text = self.open(subject_id, category, field, token)
        if text is None:
            return None
        try:
            return date.fromisoformat(text)
        except ValueError as error:
            raise CiphertextError(f"{field} of {subject_id}: not an ISO date") from error
