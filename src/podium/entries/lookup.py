"""Shared reads of the entries domain: events, athletes and teams as the rules see them."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import or_, select

from podium.entries.errors import EntryRefusedError
from podium.entries.models import Entry, EntryStatus
from podium.entries.rules import (
    AthleteInfo,
    Candidate,
    EventInfo,
    Ledger,
    Refusal,
    RefusalCode,
)
from podium.games import Event
from podium.people import Participant, Team

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from podium.entries.config import EntryRules

__all__ = [
    "all_events",
    "athlete_info",
    "candidate_of",
    "event_info",
    "ledger_of",
    "team_event_code",
    "team_row",
]

_TEAM_EVENT_TYPES = ("TEAM", "HTEAM", "COUP", "HCOUP")


def _info(event: Event) -> EventInfo:
    return EventInfo(
        code=event.code,
        rsc=event.rsc,
        discipline=event.discipline_code,
        gender=event.gender,
        name=event.name,
        team=(event.event_type or "") in _TEAM_EVENT_TYPES,
    )


def all_events(games: Session) -> dict[str, EventInfo]:
    """Return every event by ODF code."""
    return {e.code: _info(e) for e in games.scalars(select(Event))}


def event_info(games: Session, code: str) -> EventInfo:
    """Return the event with ODF code or RSC `code`.

    Raises:
        EntryRefusedError: no such event (`unknown_event`).

    """
    event = games.scalar(select(Event).where(or_(Event.code == code, Event.rsc == code)))
    if event is None:
        refusal = Refusal(RefusalCode.UNKNOWN_EVENT, f"no event {code[:40]!r} at these Games")
        raise EntryRefusedError(refusal)
    return _info(event)


def athlete_info(participant: Participant) -> AthleteInfo:
    """Return what the rules need of a participant row."""
    return AthleteInfo(participant.code, participant.noc, participant.gender)


def team_event_code(team_code: str, events: dict[str, EventInfo]) -> str | None:
    """Return the event code of an ODF team code (`ATHM4X100M--AUS01` → `ATHM4X100M`).

    The team code is the event code padded with `-` to 12 characters, the NOC and a
    two-digit number. The Paris 2024 source codes the artistic swimming team `SWAW...`
    where the event is open (`SWAO...`); the open event is tried second.
    """
    code = team_code[:-5].rstrip("-")
    if code in events:
        return code
    opened = code[:3] + "O" + code[4:]
    return opened if opened in events else None


def candidate_of(entry: Entry, event: EventInfo, athlete: AthleteInfo | None) -> Candidate:
    """Return the rules' view of a stored entry."""
    return Candidate(event, entry.noc, athlete, entry.team_code)


def ledger_of(
    games: Session, rules: EntryRules, noc: str | None = None, discipline: str | None = None
) -> Ledger:
    """Return a ledger of the entered entries (of one NOC and discipline, or all).

    Args:
        games: a games-plane session.
        rules: the Games' entry rules.
        noc: only this NOC's entries, or None for all.
        discipline: only this discipline's events, or None for all.

    """
    query = (
        select(Entry, Event, Participant)
        .join(Event, Event.rsc == Entry.event_rsc)
        .outerjoin(Participant, Participant.code == Entry.participant_code)
        .where(Entry.status == EntryStatus.ENTERED)
        .order_by(Entry.id)
    )
    if noc is not None:
        query = query.where(Entry.noc == noc)
    if discipline is not None:
        query = query.where(Event.discipline_code == discipline)
    ledger = Ledger(rules)
    for entry, event, participant in games.execute(query):
        athlete = athlete_info(participant) if participant is not None else None
        ledger.add(candidate_of(entry, _info(event), athlete))
    return ledger


def team_row(games: Session, code: str) -> Team | None:
    """Return the team with ODF code `code`, or None."""
    return games.get(Team, code)
