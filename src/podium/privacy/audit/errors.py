"""Errors of the audit log, each with a stable `code`."""

from __future__ import annotations

from podium.core.errors import ConfigurationError, InvalidInputError, PodiumError

__all__ = ["AuditEntryError", "AuditIntegrityError", "AuditKeyError"]


class AuditEntryError(InvalidInputError):
    """An audit entry breaks the record format (action, field names, lengths, time)."""

    code = "audit_entry_invalid"


class AuditKeyError(ConfigurationError):
    """The checkpoint key folder is missing, unreadable or holds a wrong key."""

    code = "audit_key_invalid"


class AuditIntegrityError(PodiumError):
    """The chain's state forbids appending (its head row is gone while records remain)."""

    code = "audit_head_missing"
