"""The JSON API under `/api/`: schedule, units, events, NOCs, medals and medallists."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from fastapi import APIRouter, Query

from podium.games import queries as games
from podium.games.schemas import (
    DisciplinePublic,
    EventPublic,
    NocPublic,
    UnitPublic,
    VenuePublic,
)
from podium.results import (
    MedallistPublic,
    MedalStandingPublic,
    ResultPublic,
    medal_table,
    medallists,
    unit_results,
)
from podium.web.deps import GamesSession

__all__ = ["router"]

router = APIRouter(prefix="/api")

Games = Literal["OG2024", "PG2024"]


@router.get("/schedule")
def get_schedule(
    session: GamesSession,
    day: date | None = None,
    discipline: Annotated[str | None, Query(max_length=3)] = None,
    venue: Annotated[str | None, Query(max_length=8)] = None,
) -> list[UnitPublic]:
    """Return the units of the schedule, filtered by day, discipline and venue, in start order."""
    return games.schedule(session, games.ScheduleFilter(day, discipline, venue))


@router.get("/days")
def get_days(session: GamesSession) -> list[date]:
    """Return the competition days."""
    return games.competition_days(session)


@router.get("/units/{rsc}")
def get_unit(session: GamesSession, rsc: str) -> UnitPublic:
    """One unit by RSC."""
    return games.unit(session, rsc)


@router.get("/units/{rsc}/results")
def get_unit_results(session: GamesSession, rsc: str) -> list[ResultPublic]:
    """Return the results of a unit in the published order."""
    games.unit(session, rsc)
    return unit_results(session, rsc)


@router.get("/disciplines")
def get_disciplines(session: GamesSession) -> list[DisciplinePublic]:
    """Every discipline."""
    return games.disciplines(session)


@router.get("/venues")
def get_venues(session: GamesSession) -> list[VenuePublic]:
    """Every venue."""
    return games.venues(session)


@router.get("/events")
def get_events(session: GamesSession, discipline: str | None = None) -> list[EventPublic]:
    """Return the events, of one discipline or all."""
    return games.events_of_discipline(session, discipline)


@router.get("/events/{rsc}")
def get_event(session: GamesSession, rsc: str) -> EventPublic:
    """One event by event-level RSC or ODF event code."""
    return games.event(session, rsc)


@router.get("/events/{rsc}/units")
def get_event_units(session: GamesSession, rsc: str) -> list[UnitPublic]:
    """Return the units of an event in start order."""
    return games.units_of_event(session, games.event(session, rsc).rsc)


@router.get("/nocs")
def get_nocs(session: GamesSession) -> list[NocPublic]:
    """Every NOC: current, historical and special delegations."""
    return games.nocs(session)


@router.get("/nocs/{code}")
def get_noc(session: GamesSession, code: str) -> NocPublic:
    """One NOC."""
    return games.noc(session, code)


@router.get("/medals")
def get_medal_table(session: GamesSession, games: Games = "OG2024") -> list[MedalStandingPublic]:
    """Return the medal table, gold then silver then bronze (`games`: OG2024 or PG2024)."""
    return medal_table(session, games)


@router.get("/medallists")
def get_medallists(
    session: GamesSession,
    games: Games = "OG2024",
    noc: str | None = None,
    discipline: str | None = None,
) -> list[MedallistPublic]:
    """Return the medals awarded, filtered by NOC and discipline."""
    return medallists(session, games, noc=noc, discipline=discipline)
