"""Errors of the gates package, each with a stable `code`.

InvalidInputError (podium.core.errors)
├── CredentialFormatError  a credential that cannot be read or built
│                          codes: malformed, unknown_version, credential_invalid_value
└── SignedDocumentError    a signed revocation list or device package refused
                           codes: document_malformed, document_unknown_key,
                           document_bad_signature, revocation_stale, revocation_gap,
                           package_stale, package_venue
ConfigurationError (podium.core.errors)
└── KeyringError           the issuer key folder is unusable
                           codes: keyring_permissions, keyring_corrupt, keyring_unknown_key
"""

from __future__ import annotations

from podium.core.errors import ConfigurationError, InvalidInputError

__all__ = ["CredentialFormatError", "KeyringError", "SignedDocumentError"]


class CredentialFormatError(InvalidInputError):
    """A credential's bytes or text cannot be read, or its values cannot be encoded.

    Args:
        message: what is wrong and where (byte offset or character position).
        code: `malformed`, `unknown_version` or `credential_invalid_value`.

    """

    code = "malformed"


class SignedDocumentError(InvalidInputError):
    """A signed revocation list or device package that a gate must refuse.

    Args:
        message: what is wrong (serials, key id, field).
        code: see the module docstring.

    """

    code = "document_malformed"


class KeyringError(ConfigurationError):
    """The issuer keyring folder is missing, unreadable, corrupt or too open."""

    code = "keyring_corrupt"
