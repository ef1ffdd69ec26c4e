"""Reads of games master data: the schedule, units, events, NOCs, venues."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TypeVar

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from podium.core.errors import NotFoundError
from podium.games.models import Discipline, Event, Noc, Unit, Venue
from podium.games.schemas import (
    DisciplinePublic,
    EventPublic,
    NocPublic,
    UnitPublic,
    VenuePublic,
)

__all__ = [
    "ScheduleFilter",
    "competition_days",
    "disciplines",
    "event",
    "events_of_discipline",
    "noc",
    "nocs",
    "schedule",
    "unit",
    "units_of_event",
    "venues",
]


@dataclass(frozen=True, slots=True)
class ScheduleFilter:
    """Which units of the schedule to show.

    Attributes:
        day: the competition day (local, Paris time); None for all days.
        discipline: an ODF discipline code, or None for all.
        venue: an ODF venue code, or None for all.

    """

    day: date | None = None
    discipline: str | None = None
    venue: str | None = None


def _unit_public(unit: Unit, venue_names: dict[str, str]) -> UnitPublic:
    public = UnitPublic.model_validate(unit)
    return public.model_copy(update={"venue_name": venue_names.get(unit.venue_code or "")})


def _venue_names(session: Session) -> dict[str, str]:
    return dict(session.execute(select(Venue.code, Venue.name)).all())


_Row = TypeVar("_Row")


def _units(session: Session, query: Select[Unit]) -> list[UnitPublic]:
    names = _venue_names(session)
    return [_unit_public(u, names) for u in session.scalars(query)]


def _found(row: _Row | None, what: str, key: str) -> _Row:
    """Return `row`, or raise `<what>_not_found` quoting at most 40 characters of the key."""
    if row is None:
        raise NotFoundError(f"no {what} {key[:40]!r}", code=f"{what.lower()}_not_found")
    return row


def competition_days(session: Session) -> list[date]:
    """Return every day that has at least one unit, in order."""
    return list(session.scalars(select(Unit.day).distinct().order_by(Unit.day)))


def schedule(session: Session, where: ScheduleFilter) -> list[UnitPublic]:
    """Return the units matching the filter, in start order.

    Args:
        session: a games-plane session.
        where: day, discipline and venue filters.

    """
    query = select(Unit).order_by(Unit.starts_at, Unit.rsc)
    if where.day is not None:
        query = query.where(Unit.day == where.day)
    if where.discipline:
        query = query.where(Unit.discipline_code == where.discipline)
    if where.venue:
        query = query.where(Unit.venue_code == where.venue)
    return _units(session, query)


def unit(session: Session, rsc: str) -> UnitPublic:
    """Return one unit by its RSC.

    Raises:
        NotFoundError: `unit_not_found`.

    """
    found = _found(session.get(Unit, rsc), "unit", rsc)
    return _unit_public(found, _venue_names(session))


def event(session: Session, rsc: str) -> EventPublic:
    """Return one event by its event-level RSC or its ODF event code.

    Raises:
        NotFoundError: `event_not_found`.

    """
    found = session.get(Event, rsc) or session.scalar(select(Event).where(Event.code == rsc))
    return EventPublic.model_validate(_found(found, "event", rsc))


def events_of_discipline(session: Session, discipline: str | None = None) -> list[EventPublic]:
    """Return the events, of one discipline or all, ordered by discipline and name."""
    query = select(Event).order_by(Event.discipline_code, Event.name)
    if discipline:
        query = query.where(Event.discipline_code == discipline)
    return [EventPublic.model_validate(e) for e in session.scalars(query)]


def units_of_event(session: Session, event_rsc: str) -> list[UnitPublic]:
    """Return the units of an event in start order."""
    query = select(Unit).where(Unit.event_rsc == event_rsc).order_by(Unit.starts_at, Unit.rsc)
    return _units(session, query)


def noc(session: Session, code: str) -> NocPublic:
    """Return one NOC by code.

    Raises:
        NotFoundError: `noc_not_found`.

    """
    return NocPublic.model_validate(_found(session.get(Noc, code), "NOC", code))


def nocs(session: Session) -> list[NocPublic]:
    """Return every NOC, current, historical and special, by code."""
    return [NocPublic.model_validate(n) for n in session.scalars(select(Noc).order_by(Noc.code))]


def disciplines(session: Session) -> list[DisciplinePublic]:
    """Return every discipline by name."""
    query = select(Discipline).order_by(Discipline.name)
    return [DisciplinePublic.model_validate(d) for d in session.scalars(query)]


def venues(session: Session) -> list[VenuePublic]:
    """Return every venue by name."""
    query = select(Venue).order_by(Venue.name)
    return [VenuePublic.model_validate(v) for v in session.scalars(query)]
