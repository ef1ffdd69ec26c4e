"""Public shapes of the sport entries domain (what the API and pages may show).

An entry shows only published data: NOC, event, the participant's ODF code and name as
printed on results, or the team's code and name.
"""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict

__all__ = [
    "EntryCreate",
    "EntryPublic",
    "EntryReplace",
    "EntryWithdraw",
    "QuotaUsage",
    "StartLine",
    "StartList",
]


class _Public(BaseModel):
    model_config = ConfigDict(from_attributes=True, frozen=True)


class EntryPublic(_Public):
    """An entry as published: who, for which NOC, in which event, and its status."""

    id: int
    event_code: str
    event_rsc: str
    noc: str
    participant_code: str | None = None
    team_code: str | None = None
    name: str | None = None
    status: str
    entered_at: datetime
    reason: str | None = None
    replaced_by: int | None = None
    replaces: int | None = None


class QuotaUsage(_Public):
    """How many places one NOC uses in one event, against its quota."""

    event_code: str
    event_name: str
    discipline: str
    entered: int
    quota: int
    teams: bool = False


class StartLine(_Public):
    """One line of a start list: start order, competitor code, name and NOC."""

    order: int
    code: str
    name: str
    noc: str


class StartList(_Public):
    """The start list of an event's first phase, made from its entries."""

    event_code: str
    event_name: str
    phase_rsc: str | None
    phase_name: str | None
    lines: list[StartLine]


class EntryCreate(BaseModel):
    """An entry to make (API body): the NOC, the event, an athlete or a team."""

    noc: str
    event: str | None = None
    participant_code: str | None = None
    team_code: str | None = None


class EntryWithdraw(BaseModel):
    """A withdrawal (API body): the reason."""

    reason: str = ""


class EntryReplace(BaseModel):
    """A replacement (API body): the incoming athlete and the reason (required when late)."""

    participant_code: str
    reason: str = ""
