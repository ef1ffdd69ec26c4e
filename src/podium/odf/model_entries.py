# Copyright 2026 Podium contributors. Licensed under the Apache License 2.0.
"""Typed, frozen payloads of DT_PARTIC_TEAMS and DT_ENTRIES (see `model`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from podium.odf.codes import Rsc
    from podium.odf.model import CompetitorType, Gender

__all__ = ["EntryAthlete", "EntryLine", "EntryList", "ParticipantTeam", "TeamList"]


@dataclass(frozen=True, slots=True)
class ParticipantTeam:
    """A team of DT_PARTIC_TEAMS (`Team`, schema `teamType`).

    Args:
        code: `Code`, the ODF team code (`BK3MTEAM3---FRA01`).
        organisation: `Organisation`, the NOC code.
        name: `Name` and `ShortName` and `TVTeamName`.
        gender: `Gender`, `M`, `W`, `X` or `O`.
        discipline: `Discipline@Code`, the discipline-level RSC.
        events: the event RSCs entered, as `DisciplineEntry Type="EVENT" Code=<RSC>`.
        status: `Status` (`CNF`, confirmed, as in the samples).
        team_type: `TeamType` (`ORG`: a team of one organisation).

    """

    code: str
    organisation: str
    name: str
    gender: str
    discipline: Rsc
    events: tuple[Rsc, ...] = ()
    status: str = "CNF"
    team_type: str = "ORG"


@dataclass(frozen=True, slots=True)
class TeamList:
    """The DT_PARTIC_TEAMS payload of one discipline (DocumentCode the discipline RSC)."""

    discipline: Rsc
    teams: tuple[ParticipantTeam, ...]


@dataclass(frozen=True, slots=True)
class EntryAthlete:
    """An athlete in an entry's `Composition` (published identity only, no birth date).

    Args:
        code: `Code`, the ODF participant code.
        family_name: `Description@FamilyName`.
        given_name: `Description@GivenName` or None.
        gender: `Description@Gender`, `M` or `F`.
        organisation: `Description@Organisation`, the NOC.
        order: `Order` in the composition, from 1.

    """

    code: str
    family_name: str
    given_name: str | None
    gender: Gender
    organisation: str
    order: int


@dataclass(frozen=True, slots=True)
class EntryLine:
    """One `Entry` of DT_ENTRIES (schema `EntriesEntry`).

    Args:
        code: `Code`: the athlete's or the team's ODF code.
        competitor_type: `Type`, `A` (athlete) or `T` (team).
        organisation: `Organisation`, the NOC.
        sort_order: `SortOrder`, from 1.
        team_name: `Description@TeamName` (teams only).
        athletes: the `Composition`: the athlete, or the team's members.

    """

    code: str
    competitor_type: CompetitorType
    organisation: str
    sort_order: int
    team_name: str | None = None
    athletes: tuple[EntryAthlete, ...] = ()


@dataclass(frozen=True, slots=True)
class EntryList:
    """The DT_ENTRIES payload of one event (DocumentCode the event RSC)."""

    event: Rsc
    entries: tuple[EntryLine, ...]
