"""Errors of the privacy spine, each with a stable `code` that tests and callers assert on.

PodiumError
├── KeyDestroyedError     subject_key_destroyed: the data key was crypto-shredded
├── InvalidInputError
│   ├── CiphertextError   ciphertext_invalid: tampered, malformed or bound elsewhere
│   └── KeyExistsError    subject_key_exists: a data key of that id already exists
└── ConfigurationError
    └── MasterKeyError    master_key_invalid: bad PODIUM_MASTER_KEY or master.keys
"""

from __future__ import annotations

from podium.core.errors import ConfigurationError, InvalidInputError, PodiumError

__all__ = ["CiphertextError", "KeyDestroyedError", "KeyExistsError", "MasterKeyError"]


class KeyDestroyedError(PodiumError):
    """The data key was destroyed (crypto-shredded, GDPR Art. 17): the data is gone for good.

    The message names the key id (`subject/category`) so an operator knows which data
    subject and which category were erased.
    """

    code = "subject_key_destroyed"


class CiphertextError(InvalidInputError):
    """A ciphertext failed to open: wrong format, tampered, or bound to another field/subject.

    Code `ciphertext_invalid`; `subject_key_missing` when no data key was ever created for
    the subject and category the ciphertext claims (a key store from another node).
    """

    code = "ciphertext_invalid"


class KeyExistsError(InvalidInputError):
    """A data key was created under an id that already holds a live key."""

    code = "subject_key_exists"


class MasterKeyError(ConfigurationError):
    """The master keyring is unusable; the message names the variable or file and the fault."""

    code = "master_key_invalid"
