"""Public shapes of games master data (what the API and pages may show)."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, ConfigDict

__all__ = [
    "DisciplinePublic",
    "EventPublic",
    "NocPublic",
    "ScheduleDay",
    "UnitPublic",
    "VenuePublic",
]


class _Public(BaseModel):
    model_config = ConfigDict(from_attributes=True, frozen=True)


class DisciplinePublic(_Public):
    """A discipline: ODF code and name."""

    code: str
    name: str


class VenuePublic(_Public):
    """A venue: ODF code, name and official page."""

    code: str
    name: str
    url: str | None = None


class NocPublic(_Public):
    """An NOC: code, names, kind (current, historical, special) and continent."""

    code: str
    name: str
    long_name: str
    kind: str
    continent: str | None = None


class UnitPublic(_Public):
    """A unit in the schedule: RSC, names, times (aware, UTC), status, venue, medal flag.

    `medal` is 0 for none, 1 for a gold medal unit, 3 for a bronze medal unit.
    """

    rsc: str
    discipline_code: str
    event_rsc: str | None
    phase_rsc: str | None
    name: str
    day: date
    starts_at: datetime
    ends_at: datetime | None
    status: str
    medal: int
    venue_code: str | None
    venue_name: str | None = None
    location_code: str | None
    session_code: str | None


class EventPublic(_Public):
    """An event: event-level RSC, ODF event code, discipline, gender and name."""

    rsc: str
    code: str
    discipline_code: str
    gender: str
    name: str
    event_type: str | None = None


class ScheduleDay(_Public):
    """One competition day of the schedule, with its units in start order."""

    day: date
    units: list[UnitPublic]
