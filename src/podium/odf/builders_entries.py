# Copyright 2026 Podium contributors. Licensed under the Apache License 2.0.
"""Builders of DT_PARTIC_TEAMS (the teams of a discipline) and DT_ENTRIES (an event's entries).

Each takes a `MessageHeader` and a payload and returns UTF-8 XML bytes with a declaration,
valid against the bundled SYOG2026 schema (the tests prove it). The structure follows the
SYOG2026 samples `BK3_DT_PARTIC_TEAMS.xml` and `BK3_DT_ENTRIES_BK3WTEAM3.xml`, without
`BirthDate`: birth dates live in the sovereign plane (DESIGN.md, two planes).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from podium.odf._xml import build_root, reports_bad_text, serialise, sub

if TYPE_CHECKING:
    from lxml import etree

    from podium.odf.model import MessageHeader
    from podium.odf.model_entries import EntryAthlete, EntryList, TeamList

__all__ = ["build_entries", "build_partic_teams"]


@reports_bad_text
def build_partic_teams(header: MessageHeader, teams: TeamList) -> bytes:
    """Build a DT_PARTIC_TEAMS message: the teams of one discipline and their events.

    The SYOG2026 `teamType` has no athlete composition (only teams of teams): a team's
    members are published in DT_ENTRIES (`Entry Type="T"` / `Composition`) and each
    member's events in DT_PARTIC.

    Args:
        header: DocumentType `DT_PARTIC_TEAMS`, DocumentCode the discipline RSC.
        teams: the discipline and its teams.

    Raises:
        InvalidOdfValueError: header/payload mismatch, missing `gen`/`codes`, bad text.

    Rule source: schema `teamType`, `registeredDisciplineType`.

    """
    root, competition = build_root(header, "DT_PARTIC_TEAMS", teams.discipline)
    for team in teams.teams:
        element = sub(
            competition,
            "Team",
            {
                "Code": team.code,
                "Status": team.status,
                "Organisation": team.organisation,
                "Name": team.name,
                "ShortName": team.name,
                "TVTeamName": team.name,
                "Gender": team.gender,
                "TeamType": team.team_type,
            },
        )
        discipline = sub(element, "Discipline", {"Code": str(team.discipline)})
        for event in team.events:
            sub(discipline, "DisciplineEntry", {"Type": "EVENT", "Code": str(event)})
    return serialise(root)


def _write_athlete(composition: etree._Element, athlete: EntryAthlete) -> None:
    element = sub(composition, "Athlete", {"Code": athlete.code, "Order": str(athlete.order)})
    attrs = {}
    if athlete.given_name:
        attrs["GivenName"] = athlete.given_name
    attrs.update(
        FamilyName=athlete.family_name, Gender=athlete.gender, Organisation=athlete.organisation
    )
    sub(element, "Description", attrs)


@reports_bad_text
def build_entries(header: MessageHeader, entries: EntryList) -> bytes:
    """Build a DT_ENTRIES message: the entries of one event, athletes or teams.

    Args:
        header: DocumentType `DT_ENTRIES`, DocumentCode the event RSC.
        entries: the event and its entries, in `SortOrder`.

    Raises:
        InvalidOdfValueError: header/payload mismatch, missing `gen`/`codes`, bad text.

    Rule source: schema `EntriesEntry`, `compositionResultsType`, `athleteDescriptionType`.

    """
    root, competition = build_root(header, "DT_ENTRIES", entries.event)
    for line in entries.entries:
        element = sub(
            competition,
            "Entry",
            {
                "Code": line.code,
                "Type": line.competitor_type,
                "Organisation": line.organisation,
                "SortOrder": str(line.sort_order),
            },
        )
        if line.team_name is not None:
            sub(element, "Description", {"TeamName": line.team_name})
        if line.athletes:
            composition = sub(element, "Composition")
            for athlete in line.athletes:
                _write_athlete(composition, athlete)
    return serialise(root)
