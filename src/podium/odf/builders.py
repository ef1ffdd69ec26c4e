# Copyright 2026 Podium contributors. Licensed under the Apache License 2.0.
"""Builders of DT_SCHEDULE, DT_MEDALS and DT_PARTIC, with DT_RESULT and DT_MEDALLISTS.

DT_RESULT and DT_MEDALLISTS live in `builders_results` and are re-exported here.

Each builder takes a `MessageHeader` and a payload and returns UTF-8 XML bytes with a
declaration. They never validate (that is `validate.validate_message`, for tests and audits),
but every output is valid against the bundled SYOG2026 schema; the tests prove it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from podium.odf._xml import build_root, reports_bad_text, serialise, sub, write_extended_infos
from podium.odf.builders_results import build_medallists, build_result
from podium.odf.header import GAMES_DOCUMENT_CODE

if TYPE_CHECKING:
    from lxml import etree

    from podium.odf.model import LocalName, MessageHeader, Schedule, ScheduleSession, ScheduleUnit
    from podium.odf.model_partic import Participant, ParticipantList
    from podium.odf.model_results import MedalLine, MedalStandings

__all__ = ["build_medallists", "build_medals", "build_partic", "build_result", "build_schedule"]


def _write_names(parent: etree._Element, tag: str, names: tuple[LocalName, ...]) -> None:
    for name in names:
        sub(parent, tag, {"Language": name.language, "Value": name.value})


def _write_session(competition: etree._Element, session: ScheduleSession) -> None:
    attrs = {
        "SessionCode": session.code,
        "StartDate": session.start.isoformat(),
        "EndDate": session.end.isoformat(),
    }
    if session.medal is not None:
        attrs["Medal"] = str(session.medal)
    attrs["Venue"] = session.venue
    attrs["VenueName"] = session.venue_name
    if session.status is not None:
        attrs["SessionStatus"] = session.status
    if session.session_type is not None:
        attrs["SessionType"] = session.session_type
    if session.leadin is not None:
        attrs["Leadin"] = session.leadin
    _write_names(sub(competition, "Session", attrs), "SessionName", session.names)


def _unit_attributes(unit: ScheduleUnit) -> dict[str, str]:
    attrs = {"Code": str(unit.code), "PhaseType": unit.phase_type, "ScheduleStatus": unit.status}
    if unit.start is not None:
        attrs["StartDate"] = unit.start.isoformat()
    if unit.end is not None:
        attrs["EndDate"] = unit.end.isoformat()
    if unit.order is not None:
        attrs["Order"] = str(unit.order)
    if unit.medal is not None:
        attrs["Medal"] = str(unit.medal)
    optional = (
        ("Venue", unit.venue),
        ("Location", unit.location),
        ("SessionCode", unit.session_code),
    )
    attrs.update((key, value) for key, value in optional if value is not None)
    return attrs


def _write_unit(competition: etree._Element, unit: ScheduleUnit) -> None:
    element = sub(competition, "Unit", _unit_attributes(unit))
    _write_names(element, "ItemName", unit.names)
    if unit.venue_name is not None:
        venue = {"VenueName": unit.venue_name}
        if unit.location_name is not None:
            venue["LocationName"] = unit.location_name
        sub(element, "VenueDescription", venue)


@reports_bad_text
def build_schedule(header: MessageHeader, schedule: Schedule) -> bytes:
    """Build a DT_SCHEDULE message: the sessions and units of one discipline.

    Args:
        header: DocumentType `DT_SCHEDULE`, DocumentCode the discipline RSC (padded to 34).
        schedule: the discipline's sessions, units and competition-level extended infos.

    Returns:
        UTF-8 XML with a declaration; it validates against the bundled SYOG2026 schema.

    Raises:
        InvalidOdfValueError: header/payload mismatch, missing `gen`/`codes`, bad text.

    Rule source: schema `competitionType`, `SessionType`, `scheduleUnitType`.

    """
    root, competition = build_root(header, "DT_SCHEDULE", schedule.discipline)
    write_extended_infos(competition, schedule.extended_infos)
    for session in schedule.sessions:
        _write_session(competition, session)
    for unit in schedule.units:
        _write_unit(competition, unit)
    return serialise(root)


def _medal_number(parent: etree._Element, gold: int, silver: int, bronze: int) -> None:
    sub(
        parent,
        "MedalNumber",
        {
            "Type": "TOT",
            "Gold": str(gold),
            "Silver": str(silver),
            "Bronze": str(bronze),
            "Total": str(gold + silver + bronze),
        },
    )


def _write_medal_line(table: etree._Element, line: MedalLine) -> None:
    attrs = {
        "Rank": str(line.rank),
        "RankTotal": str(line.rank_total),
        "SortRank": str(line.sort_rank),
        "SortRankTotal": str(line.sort_rank_total),
    }
    if line.rank_equal:
        attrs["RankEqual"] = "Y"
    if line.rank_total_equal:
        attrs["RankTotalEqual"] = "Y"
    attrs["Organisation"] = line.organisation
    element = sub(table, "MedalLine", attrs)
    sub(element, "Description", {"OrganisationName": line.organisation_name})
    _medal_number(element, line.gold, line.silver, line.bronze)


@reports_bad_text
def build_medals(header: MessageHeader, standings: MedalStandings) -> bytes:
    """Build a DT_MEDALS message: the medal table of the whole Games.

    `MedalSummary` holds one `MedalNumber Type="TOT"` adding up every line; each line holds
    one `MedalNumber Type="TOT"` (per-gender breakdowns are not written).

    Args:
        header: DocumentType `DT_MEDALS`, DocumentCode `GAMES_DOCUMENT_CODE` (34 dashes).
        standings: the table, lines in `SortRank` order.

    Returns:
        UTF-8 XML with a declaration; it validates against the bundled SYOG2026 schema.

    Raises:
        InvalidOdfValueError: header/payload mismatch, missing `gen`/`codes`, bad text.

    Rule source: schema `medalStandingsType`, `medalLineType`.

    """
    root, competition = build_root(header, "DT_MEDALS", GAMES_DOCUMENT_CODE)
    element = sub(
        competition,
        "MedalStandings",
        {
            "DateTime": standings.as_of.isoformat(),
            "LastEvent": str(standings.last_event),
            "TotalEvents": str(standings.total_events),
            "FinishedEvents": str(standings.finished_events),
        },
    )
    lines = standings.lines
    _medal_number(
        sub(element, "MedalSummary"),
        sum(line.gold for line in lines),
        sum(line.silver for line in lines),
        sum(line.bronze for line in lines),
    )
    table = sub(element, "MedalsTable")
    for line in lines:
        _write_medal_line(table, line)
    return serialise(root)


def _participant_attributes(person: Participant) -> dict[str, str]:
    attrs = {"Code": person.code, "Parent": person.parent or person.code, "Status": person.status}
    if person.given_name is not None:
        attrs["GivenName"] = person.given_name
    attrs.update(
        FamilyName=person.family_name,
        PrintName=person.print_name,
        PrintInitialName=person.print_initial_name,
        TVName=person.tv_name,
        TVInitialName=person.tv_initial_name,
        TVFamilyName=person.tv_family_name,
        Gender=person.gender,
        Organisation=person.organisation,
    )
    if person.main_function_id is not None:
        attrs["MainFunctionId"] = person.main_function_id
    return attrs


@reports_bad_text
def build_partic(header: MessageHeader, participants: ParticipantList) -> bytes:
    """Build a DT_PARTIC message: the participants of one discipline.

    Entered events are written as `DisciplineEntry Type="EVENT" Code=<event RSC>` under the
    participant's `Discipline` (the SYOG2026 schema has no `RegisteredEvent`).

    Args:
        header: DocumentType `DT_PARTIC`, DocumentCode the discipline RSC.
        participants: the discipline and its participants.

    Returns:
        UTF-8 XML with a declaration; it validates against the bundled SYOG2026 schema.

    Raises:
        InvalidOdfValueError: header/payload mismatch, missing `gen`/`codes`, bad text.

    Rule source: schema `participantType`, `registeredDisciplineType`.

    """
    root, competition = build_root(header, "DT_PARTIC", participants.discipline)
    for person in participants.participants:
        element = sub(competition, "Participant", _participant_attributes(person))
        discipline = sub(element, "Discipline", {"Code": str(person.discipline)})
        for event in person.events:
            sub(discipline, "DisciplineEntry", {"Type": "EVENT", "Code": str(event)})
    return serialise(root)
