# Copyright 2026 Podium contributors. Licensed under the Apache License 2.0.
"""Typed, frozen inputs of the ODF builders and outputs of the parser.

Every class maps to one element of the IOC ODF2 schema (`xsd/odf2-structure.xsd`); the
docstrings name it. Values are plain: text, ints, `Rsc`, aware datetimes. Nothing here reads a
clock or a database: `header.FeedContext` stamps `MessageHeader` from an injected clock.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal, NamedTuple

from podium.odf.errors import InvalidOdfValueError

if TYPE_CHECKING:
    import datetime as dt

    from podium.odf.codes import Rsc

__all__ = [
    "RESULT_STATUSES",
    "SCHEDULE_STATUSES",
    "CompetitorType",
    "ExtendedInfo",
    "FeedFlag",
    "Gender",
    "LocalName",
    "MedalCode",
    "MessageHeader",
    "MessageKey",
    "ResultStatus",
    "Schedule",
    "ScheduleSession",
    "ScheduleStatus",
    "ScheduleUnit",
]

FeedFlag = Literal["P", "T"]
"""`P` production, `T` test (schema `feedFlagType`)."""

ResultStatus = Literal[
    "START_LIST",
    "LIVE",
    "INTERMEDIATE",
    "PARTIAL",
    "UNCONFIRMED",
    "UNOFFICIAL",
    "OFFICIAL",
    "PROTESTED",
    "PROVISIONAL",
]
"""Header `ResultStatus` (schema `resultStatusType`)."""

RESULT_STATUSES: frozenset[str] = frozenset(ResultStatus.__args__)  # type: ignore[attr-defined]

ScheduleStatus = Literal[
    "CANCELLED",
    "DELAYED",
    "FINISHED",
    "GETTING_READY",
    "INTERRUPTED",
    "POSTPONED",
    "RESCHEDULED",
    "RUNNING",
    "SCHEDULED",
    "SCHEDULED_BREAK",
    "UNSCHEDULED",
]
"""Unit `ScheduleStatus` and session `SessionStatus` (schema `scheduleStatusType`)."""

SCHEDULE_STATUSES: frozenset[str] = frozenset(ScheduleStatus.__args__)  # type: ignore[attr-defined]

Gender = Literal["M", "F", "X"]
"""A person's gender code (schema `genderCodeType`)."""

CompetitorType = Literal["A", "T", "H"]
"""Athlete, team or horse (schema `competitorTypeType`)."""

MedalCode = Literal["ME_GOLD", "ME_SILVER", "ME_BRONZE"]
"""A medal (schema `simpleMedalType`)."""


class MessageKey(NamedTuple):
    """The seven header fields that identify one ODF message.

    The first six name the document whose versions succeed one another; `version` tells the
    successive messages of that document apart. `FeedFlag` is in the key because production
    and test feeds are versioned separately; `ResultStatus`, `Date`, `Time`, `LogicalDate`,
    `Source` and `Language` describe a message and are not part of the key.

    Rule source: ODF Foundation Principles, message header (our reading; see SOURCES.md).
    """

    competition_code: str
    document_code: str
    document_subcode: str | None
    document_type: str
    document_subtype: str | None
    feed_flag: FeedFlag
    version: int


def _check_choice(field: str, value: str | None, allowed: frozenset[str]) -> None:
    if value is not None and value not in allowed:
        msg = f"{field} must be one of {sorted(allowed)}, got {value!r}"
        raise InvalidOdfValueError(msg, code="odf_bad_value")


@dataclass(frozen=True, slots=True)
class MessageHeader:
    """The `OdfBody` attributes, plus `Competition@Gen/@Codes/@Sport` carried with them.

    Args:
        competition_code: `CompetitionCode`, for example `OG2024`.
        document_code: `DocumentCode`, usually a 34-character RSC.
        document_type: `DocumentType`, for example `DT_RESULT`.
        version: `Version`, 1 or more, rising for each new message of the same document.
        feed_flag: `FeedFlag`, `P` or `T`.
        date: `Date`, the local date the message was generated.
        time: `Time`, the local time it was generated; written as hhmmssfff.
        logical_date: `LogicalDate`, the competition day (cut-off 03:00 local).
        source: `Source`, the system that produced the message, for example `OMS`.
        document_subcode: `DocumentSubcode` or None.
        document_subtype: `DocumentSubtype` or None (for example `SYNC`).
        result_status: `ResultStatus` or None.
        language: `Language` (3 characters) or None.
        gen: `Competition@Gen`, the general code-set version (required by SYOG2026).
        codes: `Competition@Codes`, the sport code-set version (required by SYOG2026).
        sport: `Competition@Sport` or None.

    Raises:
        InvalidOdfValueError: `odf_bad_value` for an unknown flag or status, or a version < 1.

    Rule source: ODF Foundation Principles, message header; schema `odf2.xsd` `bodyType`.

    """

    competition_code: str
    document_code: str
    document_type: str
    version: int
    feed_flag: FeedFlag
    date: dt.date
    time: dt.time
    logical_date: dt.date
    source: str
    document_subcode: str | None = None
    document_subtype: str | None = None
    result_status: ResultStatus | None = None
    language: str | None = None
    gen: str | None = None
    codes: str | None = None
    sport: str | None = None

    def __post_init__(self) -> None:
        """Check the values the schema constrains."""
        _check_choice("FeedFlag", self.feed_flag, frozenset(("P", "T")))
        _check_choice("ResultStatus", self.result_status, RESULT_STATUSES)
        if self.version < 1:
            msg = f"Version must be 1 or more, got {self.version}"
            raise InvalidOdfValueError(msg, code="odf_bad_value")

    @property
    def key(self) -> MessageKey:
        """The seven-field message key; see `MessageKey`."""
        return MessageKey(
            self.competition_code,
            self.document_code,
            self.document_subcode,
            self.document_type,
            self.document_subtype,
            self.feed_flag,
            self.version,
        )


@dataclass(frozen=True, slots=True)
class LocalName:
    """A text in one language: `ItemName`, `SessionName` (`Language`, `Value`).

    Args:
        language: ODF language code, for example `ENG` or `FRA`.
        value: the text.

    """

    language: str
    value: str


@dataclass(frozen=True, slots=True)
class ExtendedInfo:
    """One `ExtendedInfo` of a message's `ExtendedInfos` (schema `extendedDataType`).

    Args:
        type: `Type`, for example `CS`.
        code: `Code`, for example `VERSION`.
        value: `Value` or None.
        pos: `Pos` or None.

    """

    type: str
    code: str
    value: str | None = None
    pos: str | None = None


def _require_aware(field: str, moment: dt.datetime | None) -> None:
    if moment is not None and moment.utcoffset() is None:
        msg = f"{field} must be an aware datetime, got naive {moment.isoformat()}"
        raise InvalidOdfValueError(msg, code="odf_naive_datetime")


def _require_names(owner: str, names: tuple[LocalName, ...]) -> None:
    if not names:
        msg = f"{owner} needs at least one name (the schema requires one)"
        raise InvalidOdfValueError(msg, code="odf_missing_name")


@dataclass(frozen=True, slots=True)
class ScheduleSession:
    """A competition session of a DT_SCHEDULE (`Session`, schema `SessionType`).

    Args:
        code: `SessionCode`, for example `BMX01`.
        start: `StartDate`, aware datetime.
        end: `EndDate`, aware datetime.
        venue: `Venue` code, for example `VE2`.
        venue_name: `VenueName`.
        names: `SessionName` per language; at least one.
        status: `SessionStatus` or None.
        session_type: `SessionType` (`MOR`, `AFT`, `EVE`, `ALL`, ...) or None.
        medal: `Medal`, the number of medal events in the session, or None.
        leadin: `Leadin` as sent (minutes:seconds text) or None.

    Raises:
        InvalidOdfValueError: `odf_naive_datetime`, `odf_missing_name`, `odf_bad_value`.

    """

    code: str
    start: dt.datetime
    end: dt.datetime
    venue: str
    venue_name: str
    names: tuple[LocalName, ...]
    status: ScheduleStatus | None = None
    session_type: str | None = None
    medal: int | None = None
    leadin: str | None = None

    def __post_init__(self) -> None:
        """Check the values the schema constrains."""
        _require_aware("Session StartDate", self.start)
        _require_aware("Session EndDate", self.end)
        _require_names(f"Session {self.code}", self.names)
        _check_choice("SessionStatus", self.status, SCHEDULE_STATUSES)


@dataclass(frozen=True, slots=True)
class ScheduleUnit:
    """A unit of a DT_SCHEDULE (`Unit`, schema `scheduleUnitType`).

    Args:
        code: `Code`, the unit's RSC.
        phase_type: `PhaseType` code as sent (`1`, `3`, ...).
        status: `ScheduleStatus`.
        names: `ItemName` per language (ENG, FRA, ...); at least one.
        start: `StartDate` (aware) or None for an unscheduled unit.
        end: `EndDate` (aware) or None.
        venue: `Venue` code or None.
        location: `Location` code or None.
        venue_name: `VenueDescription@VenueName` or None (then no `VenueDescription`).
        location_name: `VenueDescription@LocationName` or None; needs `venue_name`.
        session_code: `SessionCode` or None.
        medal: `Medal`, 0 to 3, or None.
        order: `Order` or None.

    Raises:
        InvalidOdfValueError: `odf_naive_datetime`, `odf_missing_name`, `odf_bad_value`.

    """

    code: Rsc
    phase_type: str
    status: ScheduleStatus
    names: tuple[LocalName, ...]
    start: dt.datetime | None = None
    end: dt.datetime | None = None
    venue: str | None = None
    location: str | None = None
    venue_name: str | None = None
    location_name: str | None = None
    session_code: str | None = None
    medal: int | None = None
    order: int | None = None

    def __post_init__(self) -> None:
        """Check the values the schema constrains."""
        _require_aware("Unit StartDate", self.start)
        _require_aware("Unit EndDate", self.end)
        _require_names(f"Unit {self.code}", self.names)
        _check_choice("ScheduleStatus", self.status, SCHEDULE_STATUSES)
        if self.location_name is not None and self.venue_name is None:
            msg = f"Unit {self.code}: a location name needs a venue name (VenueDescription)"
            raise InvalidOdfValueError(msg, code="odf_bad_value")
        if self.medal is not None and not 0 <= self.medal <= 3:
            msg = f"Unit Medal must be 0 to 3, got {self.medal}"
            raise InvalidOdfValueError(msg, code="odf_bad_value")


@dataclass(frozen=True, slots=True)
class Schedule:
    """The DT_SCHEDULE payload of one discipline.

    Args:
        discipline: the discipline-level RSC, also the message's DocumentCode.
        units: the units, in message order.
        sessions: the sessions, in message order.
        extended_infos: the competition-level `ExtendedInfos` entries (kept on round trip).

    """

    discipline: Rsc
    units: tuple[ScheduleUnit, ...]
    sessions: tuple[ScheduleSession, ...] = ()
    extended_infos: tuple[ExtendedInfo, ...] = ()
