"""The base of Podium's exception tree.

    PodiumError               every error Podium raises on purpose; carries a stable `code`
    ├── InvalidInputError     input that breaks a rule (a field, a code, a row)
    ├── NotFoundError         a looked-up object does not exist
    ├── ConfigurationError    the node is set up wrong
    ├── AuthenticationError   no valid operator credentials (HTTP 401)
    └── PermissionDeniedError the operator may not do this (HTTP 403)

Domains subclass these in their own `errors.py`; the `code` is stable and tests assert on it.
"""

from __future__ import annotations

__all__ = [
    "AuthenticationError",
    "ConfigurationError",
    "InvalidInputError",
    "NotFoundError",
    "PermissionDeniedError",
    "PodiumError",
]


class PodiumError(Exception):
    """An error with a stable machine-readable code.

    Args:
        message: what went wrong and where, for a person.
        code: stable identifier such as `rsc_wrong_length`, for programs and tests.

    """

    code: str = "podium_error"

    def __init__(self, message: str, *, code: str | None = None) -> None:
        """Create the error; see the class docstring for the arguments."""
        super().__init__(message)
        if code is not None:
            self.code = code


class InvalidInputError(PodiumError):
    """Input that breaks a rule: a field, a code, a row of a file."""

    code = "invalid_input"


class NotFoundError(PodiumError):
    """A looked-up object does not exist."""

    code = "not_found"


class ConfigurationError(PodiumError):
    """The node is configured wrong (a database URL, a missing folder, a bad key)."""

    code = "configuration"


class AuthenticationError(PodiumError):
    """No valid credentials: no token or session, or an unknown, expired or revoked one."""

    code = "not_authenticated"


class PermissionDeniedError(PodiumError):
    """An authenticated operator may not do this (missing scope, role or purpose)."""

    code = "forbidden"
