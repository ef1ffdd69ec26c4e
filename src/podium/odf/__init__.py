# Copyright 2026 Podium contributors. Licensed under the Apache License 2.0.
"""Pure IOC Olympic Data Feed (ODF): codes, models, builders, parser, validation, file names.

Never touches a database or another Podium domain (enforced by import-linter).

    Rsc, RscLevel                       34-character Results System Code (§10.3)
    FeedContext.stamp -> MessageHeader  header dated from an injected clock
    build_schedule / build_result / build_medallists / build_medals / build_partic -> bytes
    build_schedule_update / build_phase_result / build_ranking / build_invalidation -> bytes
    check_result_transition / check_schedule_transition, requires_note  status lifecycle (§6.13)
    parse_message / parse_file -> OdfMessage(header, payload)
    validate_message / validate_file -> list[OdfValidationError]
    message_filename(header, content) -> str (§8.4)

Errors (all with a stable `code`): InvalidRscError, InvalidOdfValueError, OdfReadError,
InvalidTransitionError, OdfSchemaError; see `podium.odf.errors`.
"""

from podium.odf.builders import (
    build_medallists,
    build_medals,
    build_partic,
    build_result,
    build_schedule,
)
from podium.odf.builders_entries import build_entries, build_partic_teams
from podium.odf.builders_live import (
    build_invalidation,
    build_phase_result,
    build_ranking,
    build_schedule_update,
)
from podium.odf.codes import RSC_LENGTH, Rsc, RscLevel
from podium.odf.errors import (
    InvalidOdfValueError,
    InvalidRscError,
    InvalidTransitionError,
    OdfReadError,
    OdfSchemaError,
)
from podium.odf.filenames import FILENAME_PATTERN, content_suffix, message_filename
from podium.odf.header import GAMES_DOCUMENT_CODE, FeedContext
from podium.odf.model import (
    SCHEDULE_STATUSES,
    CompetitorType,
    ExtendedInfo,
    FeedFlag,
    Gender,
    LocalName,
    MedalCode,
    MessageHeader,
    MessageKey,
    ResultStatus,
    Schedule,
    ScheduleSession,
    ScheduleStatus,
    ScheduleUnit,
)
from podium.odf.model_entries import EntryAthlete, EntryLine, EntryList, ParticipantTeam, TeamList
from podium.odf.model_live import EventRanking, PhaseResult, ScheduleUpdate
from podium.odf.model_partic import Participant, ParticipantList
from podium.odf.model_results import (
    Athlete,
    Competitor,
    EventMedallists,
    MedalAward,
    MedalLine,
    MedalStandings,
    RecordMark,
    ResultLine,
    UnitResult,
)
from podium.odf.parser import OdfMessage, Payload, parse_file, parse_message
from podium.odf.status import (
    RESULT_TRANSITIONS,
    SCHEDULE_TRANSITIONS,
    check_result_transition,
    check_schedule_transition,
    requires_note,
)
from podium.odf.timing import logical_date, odf_time, parse_odf_time
from podium.odf.validate import OdfValidationError, validate_file, validate_message

__all__ = [
    "FILENAME_PATTERN",
    "GAMES_DOCUMENT_CODE",
    "RESULT_TRANSITIONS",
    "RSC_LENGTH",
    "SCHEDULE_STATUSES",
    "SCHEDULE_TRANSITIONS",
    "Athlete",
    "Competitor",
    "CompetitorType",
    "EntryAthlete",
    "EntryLine",
    "EntryList",
    "EventMedallists",
    "EventRanking",
    "ExtendedInfo",
    "FeedContext",
    "FeedFlag",
    "Gender",
    "InvalidOdfValueError",
    "InvalidRscError",
    "InvalidTransitionError",
    "LocalName",
    "MedalAward",
    "MedalCode",
    "MedalLine",
    "MedalStandings",
    "MessageHeader",
    "MessageKey",
    "OdfMessage",
    "OdfReadError",
    "OdfSchemaError",
    "OdfValidationError",
    "Participant",
    "ParticipantList",
    "ParticipantTeam",
    "Payload",
    "PhaseResult",
    "RecordMark",
    "ResultLine",
    "ResultStatus",
    "Rsc",
    "RscLevel",
    "Schedule",
    "ScheduleSession",
    "ScheduleStatus",
    "ScheduleUnit",
    "ScheduleUpdate",
    "TeamList",
    "UnitResult",
    "build_entries",
    "build_invalidation",
    "build_medallists",
    "build_medals",
    "build_partic",
    "build_partic_teams",
    "build_phase_result",
    "build_ranking",
    "build_result",
    "build_schedule",
    "build_schedule_update",
    "check_result_transition",
    "check_schedule_transition",
    "content_suffix",
    "logical_date",
    "message_filename",
    "odf_time",
    "parse_file",
    "parse_message",
    "parse_odf_time",
    "requires_note",
    "validate_file",
    "validate_message",
]
