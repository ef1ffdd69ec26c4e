# Copyright 2026 Podium contributors. Licensed under the Apache License 2.0.
"""Which ResultStatus and ScheduleStatus may follow which: ODF Foundation Principles §6.13.

The two tables below are our reading of §6.13, written as data so that tests and pages can
list them. A status may always be re-issued unchanged (a new Version of the same document),
except a unit's `CANCELLED`, which only `RESCHEDULED` may follow.

ResultStatus of one document (DT_RESULT, DT_PHASE_RESULT, DT_RANKING, ...), each status
also followed by itself:

    (none)                      ─► START_LIST
    START_LIST                  ─► LIVE | INTERMEDIATE | PARTIAL | UNCONFIRMED | UNOFFICIAL |
                                   OFFICIAL
    LIVE, INTERMEDIATE, PARTIAL ─► LIVE | INTERMEDIATE | PARTIAL | UNCONFIRMED | UNOFFICIAL |
                                   OFFICIAL
    UNCONFIRMED                 ─► UNOFFICIAL | OFFICIAL | LIVE
    UNOFFICIAL                  ─► OFFICIAL | PROTESTED | LIVE
    PROTESTED                   ─► UNOFFICIAL | OFFICIAL | PROVISIONAL
    PROVISIONAL                 ─► OFFICIAL | PROTESTED
    OFFICIAL                    ─► PROTESTED | OFFICIAL (a correction, which must carry a
                                   `Note`: see `requires_note`)

Where we are stricter than §6.13 reads:

- a document's first message must be `START_LIST` (documents that never have a start list,
  such as DT_RANKING or DT_MEDALLISTS, should not have their first message checked);
- nothing goes back to `START_LIST` once `LIVE` or later;
- after `OFFICIAL` only a corrected `OFFICIAL` or `PROTESTED` may be sent (never
  `UNOFFICIAL` or `LIVE` again), and `PROTESTED` is reached only from `UNOFFICIAL`,
  `PROVISIONAL` or `OFFICIAL`;
- `PARTIAL` is treated as `INTERMEDIATE`: it may follow and precede the same statuses, and
  the two may follow each other.

ScheduleStatus of one unit, each status also followed by itself except `CANCELLED` (a
unit's times, venue or names may change while its status does not):

    (none)                   ─► SCHEDULED | UNSCHEDULED | GETTING_READY | RUNNING | DELAYED |
                                POSTPONED | CANCELLED | RESCHEDULED
    SCHEDULED                ─► GETTING_READY | RUNNING | DELAYED | POSTPONED | CANCELLED |
                                RESCHEDULED
    UNSCHEDULED, RESCHEDULED ─► SCHEDULED | GETTING_READY | RUNNING | DELAYED | POSTPONED |
                                CANCELLED | RESCHEDULED
    GETTING_READY            ─► RUNNING | DELAYED | POSTPONED | CANCELLED | INTERRUPTED
    RUNNING                  ─► FINISHED | INTERRUPTED | SCHEDULED_BREAK
    SCHEDULED_BREAK          ─► RUNNING | INTERRUPTED | FINISHED
    INTERRUPTED              ─► RUNNING | POSTPONED | CANCELLED | FINISHED
    DELAYED                  ─► GETTING_READY | RUNNING | POSTPONED | CANCELLED | RESCHEDULED
    POSTPONED                ─► RESCHEDULED | SCHEDULED | CANCELLED
    FINISHED                 ─► (nothing but FINISHED again, a no-op re-issue)
    CANCELLED                ─► RESCHEDULED only

Where we are stricter than §6.13 reads:

- a unit is never first published as `FINISHED`, `INTERRUPTED` or `SCHEDULED_BREAK`;
- nothing goes back to `UNSCHEDULED`, and `SCHEDULED` is reached again only from
  `UNSCHEDULED`, `RESCHEDULED` or `POSTPONED`;
- `FINISHED` is final and `CANCELLED` can only be `RESCHEDULED`; a running unit that stops
  goes through `INTERRUPTED`, never straight to `DELAYED`, `POSTPONED` or `CANCELLED`.
"""

from __future__ import annotations

from types import MappingProxyType
from typing import TYPE_CHECKING, Final

from podium.odf.errors import InvalidOdfValueError, InvalidTransitionError
from podium.odf.model import RESULT_STATUSES, SCHEDULE_STATUSES, ResultStatus, ScheduleStatus

if TYPE_CHECKING:
    from collections.abc import Iterable

__all__ = [
    "RESULT_TRANSITIONS",
    "SCHEDULE_TRANSITIONS",
    "check_result_transition",
    "check_schedule_transition",
    "requires_note",
]

_RESULT_ORDER: Final[tuple[str, ...]] = ResultStatus.__args__  # type: ignore[attr-defined]
_SCHEDULE_ORDER: Final = (
    "UNSCHEDULED",
    "SCHEDULED",
    "RESCHEDULED",
    "DELAYED",
    "POSTPONED",
    "GETTING_READY",
    "RUNNING",
    "SCHEDULED_BREAK",
    "INTERRUPTED",
    "FINISHED",
    "CANCELLED",
)

_RUNNING_RESULTS: frozenset[ResultStatus] = frozenset(
    ("LIVE", "INTERMEDIATE", "PARTIAL", "UNCONFIRMED", "UNOFFICIAL", "OFFICIAL")
)

_RESULT_NEXT: dict[ResultStatus | None, frozenset[ResultStatus]] = {
    None: frozenset(("START_LIST",)),
    "START_LIST": _RUNNING_RESULTS | {"START_LIST"},
    "LIVE": _RUNNING_RESULTS,
    "INTERMEDIATE": _RUNNING_RESULTS,
    "PARTIAL": _RUNNING_RESULTS,
    "UNCONFIRMED": frozenset(("UNCONFIRMED", "UNOFFICIAL", "OFFICIAL", "LIVE")),
    "UNOFFICIAL": frozenset(("UNOFFICIAL", "OFFICIAL", "PROTESTED", "LIVE")),
    "PROTESTED": frozenset(("PROTESTED", "UNOFFICIAL", "OFFICIAL", "PROVISIONAL")),
    "PROVISIONAL": frozenset(("PROVISIONAL", "OFFICIAL", "PROTESTED")),
    "OFFICIAL": frozenset(("OFFICIAL", "PROTESTED")),
}
RESULT_TRANSITIONS: Final = MappingProxyType(_RESULT_NEXT)
"""The ResultStatus values that may follow each one (None: no message sent yet), §6.13."""

_AFTER_PLANNED: frozenset[ScheduleStatus] = frozenset(
    ("GETTING_READY", "RUNNING", "DELAYED", "POSTPONED", "CANCELLED", "RESCHEDULED")
)

_SCHEDULE_NEXT: dict[ScheduleStatus | None, frozenset[ScheduleStatus]] = {
    None: _AFTER_PLANNED | {"SCHEDULED", "UNSCHEDULED"},
    "SCHEDULED": _AFTER_PLANNED | {"SCHEDULED"},
    "UNSCHEDULED": _AFTER_PLANNED | {"SCHEDULED", "UNSCHEDULED"},
    "RESCHEDULED": _AFTER_PLANNED | {"SCHEDULED"},
    "GETTING_READY": frozenset(
        ("GETTING_READY", "RUNNING", "DELAYED", "POSTPONED", "CANCELLED", "INTERRUPTED")
    ),
    "RUNNING": frozenset(("RUNNING", "FINISHED", "INTERRUPTED", "SCHEDULED_BREAK")),
    "SCHEDULED_BREAK": frozenset(("SCHEDULED_BREAK", "RUNNING", "INTERRUPTED", "FINISHED")),
    "INTERRUPTED": frozenset(("INTERRUPTED", "RUNNING", "POSTPONED", "CANCELLED", "FINISHED")),
    "DELAYED": frozenset(
        ("DELAYED", "GETTING_READY", "RUNNING", "POSTPONED", "CANCELLED", "RESCHEDULED")
    ),
    "POSTPONED": frozenset(("POSTPONED", "RESCHEDULED", "SCHEDULED", "CANCELLED")),
    "FINISHED": frozenset(("FINISHED",)),
    "CANCELLED": frozenset(("RESCHEDULED",)),
}
SCHEDULE_TRANSITIONS: Final = MappingProxyType(_SCHEDULE_NEXT)
"""The ScheduleStatus values that may follow each one (None: unit not yet published), §6.13."""


def _known(field: str, value: str | None, allowed: frozenset[str]) -> None:
    if value is not None and value not in allowed:
        msg = f"{field} must be one of {sorted(allowed)}, got {value!r}"
        raise InvalidOdfValueError(msg, code="odf_bad_value")


def _in_order(statuses: Iterable[str], order: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(sorted(statuses, key=order.index))


def _refuse(
    field: str, current: str | None, new: str, allowed: tuple[str, ...], code: str
) -> InvalidTransitionError:
    after = "as the first message" if current is None else f"after {current}"
    msg = (
        f"{field} {new} may not be sent {after}; allowed {after}: {', '.join(allowed)} "
        "(ODF Foundation Principles §6.13, our reading)"
    )
    return InvalidTransitionError(msg, code=code, current=current, new=new, allowed=allowed)


def check_result_transition(current: ResultStatus | None, new: ResultStatus) -> None:
    """Refuse a document's next ResultStatus unless it may follow the last one sent.

    Args:
        current: the ResultStatus of the last message sent for this document (same
            DocumentType, DocumentCode and FeedFlag), or None when none was sent.
        new: the ResultStatus of the message about to be sent.

    Raises:
        InvalidTransitionError: `result_status_transition`; the message names `current` and
            `new` and lists the statuses allowed after `current` (also on the error as
            `.current`, `.new`, `.allowed`).
        InvalidOdfValueError: `odf_bad_value` when either is not a ResultStatus at all.

    Rule source: ODF Foundation Principles §6.13; see the module docstring for where this
    reading is stricter.

    """
    _known("ResultStatus", current, RESULT_STATUSES)
    _known("ResultStatus", new, RESULT_STATUSES)
    allowed = RESULT_TRANSITIONS[current]
    if new not in allowed:
        order = _in_order(allowed, _RESULT_ORDER)
        raise _refuse("ResultStatus", current, new, order, "result_status_transition")


def check_schedule_transition(current: ScheduleStatus | None, new: ScheduleStatus) -> None:
    """Refuse a unit's next ScheduleStatus unless it may follow the last one published.

    Args:
        current: the unit's ScheduleStatus in the last DT_SCHEDULE or DT_SCHEDULE_UPDATE
            sent, or None when the unit was never published.
        new: the ScheduleStatus about to be sent.

    Raises:
        InvalidTransitionError: `schedule_status_transition`; the message names `current`
            and `new` and lists the statuses allowed after `current` (also on the error as
            `.current`, `.new`, `.allowed`).
        InvalidOdfValueError: `odf_bad_value` when either is not a ScheduleStatus at all.

    Rule source: ODF Foundation Principles §6.13; see the module docstring for where this
    reading is stricter.

    """
    _known("ScheduleStatus", current, SCHEDULE_STATUSES)
    _known("ScheduleStatus", new, SCHEDULE_STATUSES)
    allowed = SCHEDULE_TRANSITIONS[current]
    if new not in allowed:
        order = _in_order(allowed, _SCHEDULE_ORDER)
        raise _refuse("ScheduleStatus", current, new, order, "schedule_status_transition")


def requires_note(current: ResultStatus | None, new: ResultStatus) -> bool:
    """Say whether the next message must carry an `OdfBody/Note` explaining it.

    Any message after an `OFFICIAL` one is a correction (a corrected `OFFICIAL`, or
    `PROTESTED`), whatever its own status, so it must say why in a `Note`.

    Args:
        current: the ResultStatus of the last message sent for this document, or None.
        new: the ResultStatus about to be sent; it does not change the answer today, and is
            taken so that callers ask about the transition, not about one status.

    Returns:
        True when `current` is `OFFICIAL`.

    Raises:
        InvalidOdfValueError: `odf_bad_value` when either is not a ResultStatus at all.

    Rule source: ODF Foundation Principles §6.13 (corrections after OFFICIAL).

    """
    _known("ResultStatus", current, RESULT_STATUSES)
    _known("ResultStatus", new, RESULT_STATUSES)
    return current == "OFFICIAL"
