# Copyright 2026 Podium contributors. Licensed under the Apache License 2.0.
"""Errors raised by the ODF package, each with a stable `code`.

InvalidInputError (podium.core.errors)
├── InvalidRscError        a Results System Code breaks ODF Foundation Principles §10.3
│                          codes: rsc_wrong_length, rsc_bad_character, rsc_part_too_long,
│                          rsc_not_a_string
├── InvalidOdfValueError   a model value the schema would refuse (time, flag, status, ...)
│                          codes: odf_bad_time, odf_naive_datetime, odf_bad_value,
│                          odf_missing_competition_attributes, odf_wrong_rsc_level,
│                          odf_rsc_outside_document, odf_empty_update,
│                          odf_missing_result_status, odf_invalidation_of_first_version
├── OdfReadError           a message that cannot be read or is not well-formed XML
│                          codes: odf_unreadable, odf_ill_formed, odf_not_odf
└── InvalidTransitionError a ResultStatus or ScheduleStatus change §6.13 does not allow
                           codes: result_status_transition, schedule_status_transition
ConfigurationError (podium.core.errors)
└── OdfSchemaError         the bundled XSD is missing or does not compile (odf_schema)
"""

from __future__ import annotations

from podium.core.errors import ConfigurationError, InvalidInputError

__all__ = [
    "InvalidOdfValueError",
    "InvalidRscError",
    "InvalidTransitionError",
    "OdfReadError",
    "OdfSchemaError",
]


class InvalidRscError(InvalidInputError):
    """A Results System Code that breaks ODF Foundation Principles §10.3."""

    code = "rsc_invalid"


class InvalidOdfValueError(InvalidInputError):
    """A value that would produce a message the ODF schema refuses."""

    code = "odf_bad_value"


class OdfReadError(InvalidInputError):
    """A message that cannot be read, is not well-formed XML, or is not an ODF message.

    Args:
        message: what went wrong, naming the file (or `<bytes>`) and the line.
        code: `odf_unreadable`, `odf_ill_formed` or `odf_not_odf`.
        line: 1-based line of the problem, or None when unknown.

    """

    code = "odf_ill_formed"

    def __init__(self, message: str, *, code: str | None = None, line: int | None = None) -> None:
        """Create the error; see the class docstring for the arguments."""
        super().__init__(message, code=code)
        self.line = line


class InvalidTransitionError(InvalidInputError):
    """A status change the ODF lifecycle does not allow (see `podium.odf.status`).

    Args:
        message: names the current and the new status and lists the allowed next ones.
        code: `result_status_transition` or `schedule_status_transition`.
        current: the status of the last message sent, or None when none was sent.
        new: the status refused.
        allowed: the statuses that may follow `current`, in lifecycle order.

    Rule source: ODF Foundation Principles §6.13 (our reading; see `podium.odf.status`).

    """

    code = "result_status_transition"

    def __init__(
        self,
        message: str,
        *,
        code: str | None = None,
        current: str | None = None,
        new: str = "",
        allowed: tuple[str, ...] = (),
    ) -> None:
        """Create the error; see the class docstring for the arguments."""
        super().__init__(message, code=code)
        self.current = current
        self.new = new
        self.allowed = allowed


class OdfSchemaError(ConfigurationError):
    """The bundled ODF XSD is missing or does not compile."""

    code = "odf_schema"
