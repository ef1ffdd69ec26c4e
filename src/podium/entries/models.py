"""Tables of the sport entries domain (games plane).

An entry is published competition data (the NOC, the event, the participant's ODF code):
no birth date or other personal data is stored here. Age eligibility reads the birth date
from the sovereign plane when it decides, and keeps only the outcome in memory.
"""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped

from podium.core.categories import DataCategory, column
from podium.core.db import GamesBase
from podium.core.types import UtcDateTime

__all__ = ["Entry", "EntryStatus"]

_C = DataCategory.COMPETITION


class EntryStatus(enum.StrEnum):
    """The statuses of a sport entry: entered, then replaced or withdrawn."""

    ENTERED = "entered"
    REPLACED = "replaced"
    WITHDRAWN = "withdrawn"


class Entry(GamesBase):
    """One NOC's entry of an athlete or a team in an event.

    Attributes:
        id: entry number.
        event_rsc: the event-level RSC.
        event_code: the event's ODF code (`ATHM100M`), kept for reads by code.
        noc: the entering NOC.
        participant_code: the athlete's ODF code (None for a team entry).
        team_code: the team's ODF code (None for an athlete entry).
        status: an `EntryStatus` value.
        entered_at: when the entry was made.
        by: the operator who made it (operator id), or `paris2024-import`.
        changed_at: when it was withdrawn or replaced.
        changed_by: who withdrew or replaced it.
        reason: why it was withdrawn or replaced (late replacement: the medical reason...).
        replaced_by: the entry that replaced this one.
        replaces: the entry this one replaced (a late athlete replacement).

    """

    __tablename__ = "sport_entry"
    __table_args__ = (Index("ix_sport_entry_event_noc", "event_rsc", "noc"),)

    id: Mapped[int] = column(_C, Integer, primary_key=True, autoincrement=True)
    event_rsc: Mapped[str] = column(_C, ForeignKey("event.rsc"))
    event_code: Mapped[str] = column(_C, String(22), index=True)
    noc: Mapped[str] = column(_C, ForeignKey("noc.code"), index=True)
    participant_code: Mapped[str | None] = column(
        _C, String(20), index=True, info={"subject_link": "participant"}
    )
    team_code: Mapped[str | None] = column(_C, String(40), info={"subject_link": "team"})
    status: Mapped[str] = column(_C, String(12), index=True)
    entered_at: Mapped[datetime] = column(_C, UtcDateTime())
    by: Mapped[str] = column(DataCategory.PSEUDONYM, String(32))
    changed_at: Mapped[datetime | None] = column(_C, UtcDateTime())
    changed_by: Mapped[str | None] = column(DataCategory.PSEUDONYM, String(32))
    reason: Mapped[str | None] = column(_C, String(200))
    replaced_by: Mapped[int | None] = column(_C, Integer)
    replaces: Mapped[int | None] = column(_C, Integer)
