"""Games master data tables (games plane), keyed by ODF codes.

Disciplines, NOCs, venues and locations, events, phases, units and competition
sessions. Codes follow the ODF Foundation Principles (§10.3 for the RSC) and the
ODF common codes (NOC, discipline, venue).
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped

from podium.core.categories import DataCategory, column
from podium.core.db import GamesBase
from podium.core.types import UtcDateTime

__all__ = [
    "CompetitionSession",
    "Discipline",
    "Event",
    "Location",
    "Noc",
    "Phase",
    "PreliminarySlot",
    "Unit",
    "Venue",
]

_C = DataCategory.COMPETITION


class Discipline(GamesBase):
    """A discipline (ODF three-letter code, e.g. `ATH`, `SWM`; `CER` for ceremonies)."""

    __tablename__ = "discipline"

    code: Mapped[str] = column(_C, String(3), primary_key=True)
    name: Mapped[str] = column(_C, String(80))
    sport_code: Mapped[str | None] = column(_C, String(3))


class Noc(GamesBase):
    """A National Olympic Committee or a special delegation code.

    `kind` is `current` for an NOC of today, `historical` for a former one (URS, GDR,
    AHO, ...) and `special` for delegations that are not NOCs (AIN, EOR, IOA, ...).
    """

    __tablename__ = "noc"

    code: Mapped[str] = column(_C, String(3), primary_key=True)
    name: Mapped[str] = column(_C, String(120))
    long_name: Mapped[str] = column(_C, String(160))
    kind: Mapped[str] = column(_C, String(12))
    continent: Mapped[str | None] = column(_C, String(3))


class Venue(GamesBase):
    """A competition venue (ODF venue code, e.g. `STA` for Stade de France)."""

    __tablename__ = "venue"

    code: Mapped[str] = column(_C, String(8), primary_key=True)
    name: Mapped[str] = column(_C, String(120))
    url: Mapped[str | None] = column(_C, String(200))
    opens_at: Mapped[datetime | None] = column(_C, UtcDateTime())
    closes_at: Mapped[datetime | None] = column(_C, UtcDateTime())


class Location(GamesBase):
    """A location inside a venue (a field of play, a track, a pool, a long-jump pit)."""

    __tablename__ = "location"

    code: Mapped[str] = column(_C, String(8), primary_key=True)
    venue_code: Mapped[str] = column(_C, ForeignKey("venue.code"))
    description: Mapped[str] = column(_C, String(160))


class Event(GamesBase):
    """A medal event; `rsc` is the event-level 34-character RSC."""

    __tablename__ = "event"

    rsc: Mapped[str] = column(_C, String(34), primary_key=True)
    code: Mapped[str] = column(_C, String(22), unique=True)
    discipline_code: Mapped[str] = column(_C, ForeignKey("discipline.code"), index=True)
    gender: Mapped[str] = column(_C, String(1))
    name: Mapped[str] = column(_C, String(120))
    event_type: Mapped[str | None] = column(_C, String(8))


class Phase(GamesBase):
    """A phase of an event (heats, semi-finals, final, pool A...)."""

    __tablename__ = "phase"

    rsc: Mapped[str] = column(_C, String(34), primary_key=True)
    event_rsc: Mapped[str] = column(_C, ForeignKey("event.rsc"), index=True)
    name: Mapped[str] = column(_C, String(120))


class CompetitionSession(GamesBase):
    """A competition session: a block of units at one venue (ODF `SessionCode`, e.g. `ATH05`)."""

    __tablename__ = "competition_session"

    code: Mapped[str] = column(_C, String(12), primary_key=True)
    discipline_code: Mapped[str] = column(_C, ForeignKey("discipline.code"), index=True)
    venue_code: Mapped[str | None] = column(_C, ForeignKey("venue.code"))
    day: Mapped[date] = column(_C, Date)
    starts_at: Mapped[datetime] = column(_C, UtcDateTime())
    ends_at: Mapped[datetime] = column(_C, UtcDateTime())
    session_type: Mapped[str] = column(_C, String(3))


class Unit(GamesBase):
    """A unit: the smallest scheduled part of a competition (a heat, a match, a bout).

    `rsc` is the unit's 34-character RSC. `status` is the ODF ScheduleStatus and
    `result_status` the ResultStatus of its newest results, None when results capture
    has not touched it (imported results are OFFICIAL); `note` is the `Note` of the newest
    correction after OFFICIAL (ODF Foundation Principles §6.13). Ceremonies are units of
    discipline `CER` whose RSC Podium composes, since the source has none.
    """

    __tablename__ = "unit"
    __table_args__ = (Index("ix_unit_day_start", "day", "starts_at"),)

    rsc: Mapped[str] = column(_C, String(34), primary_key=True)
    discipline_code: Mapped[str] = column(_C, ForeignKey("discipline.code"), index=True)
    event_rsc: Mapped[str | None] = column(_C, ForeignKey("event.rsc"), index=True)
    phase_rsc: Mapped[str | None] = column(_C, ForeignKey("phase.rsc"))
    name: Mapped[str] = column(_C, String(160))
    name_fr: Mapped[str | None] = column(_C, String(160))
    day: Mapped[date] = column(_C, Date)
    starts_at: Mapped[datetime] = column(_C, UtcDateTime())
    ends_at: Mapped[datetime | None] = column(_C, UtcDateTime())
    status: Mapped[str] = column(_C, String(16))
    result_status: Mapped[str | None] = column(_C, String(16))
    note: Mapped[str | None] = column(_C, String(400))
    medal: Mapped[int] = column(_C, Integer, default=0)
    venue_code: Mapped[str | None] = column(_C, ForeignKey("venue.code"), index=True)
    location_code: Mapped[str | None] = column(_C, ForeignKey("location.code"))
    session_code: Mapped[str | None] = column(_C, ForeignKey("competition_session.code"))
    source_url: Mapped[str | None] = column(_C, String(200))
    order: Mapped[int] = column(_C, Integer, default=0)


class PreliminarySlot(GamesBase):
    """A slot of the preliminary schedule published before the Games (times in UTC).

    Attributes:
        key: `discipline|venue|start|n`, stable across imports.
        discipline_code: the sport's discipline code as the preliminary schedule gives it.
        venue_code: ODF venue code.
        starts_at, ends_at: the planned slot (aware; the source writes UTC with `Z`).
        estimated: the start time was an estimate.
        medal: 0 for none, 1 for a gold medal slot, 3 for a bronze medal slot.
        description: the slot's text (venue or match name).
        unit_rsc: the unit of the final schedule that starts at the same instant at the
            same venue, when there is one.
    """

    __tablename__ = "preliminary_slot"

    key: Mapped[str] = column(_C, String(80), primary_key=True)
    discipline_code: Mapped[str] = column(_C, String(3), index=True)
    venue_code: Mapped[str | None] = column(_C, String(8))
    starts_at: Mapped[datetime] = column(_C, UtcDateTime())
    ends_at: Mapped[datetime | None] = column(_C, UtcDateTime())
    estimated: Mapped[bool] = column(_C, Boolean)
    medal: Mapped[int] = column(_C, Integer)
    description: Mapped[str] = column(_C, String(200))
    unit_rsc: Mapped[str | None] = column(_C, ForeignKey("unit.rsc"), index=True)
