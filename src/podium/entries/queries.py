"""Reads of the sport entries domain: entries, quota usage, start lists."""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import func, select

from podium.entries.lookup import event_info
from podium.entries.models import Entry, EntryStatus
from podium.entries.schemas import EntryPublic, QuotaUsage, StartLine, StartList
from podium.games import Event, Phase, Unit
from podium.people import Participant, Team

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from podium.entries.config import EntryRules

__all__ = ["EntryFilter", "entries", "quota_usage", "start_list", "start_order_key"]


@dataclass(frozen=True, slots=True)
class EntryFilter:
    """Which entries to list: of one event (ODF code or RSC) and/or one NOC.

    Only entered entries unless `all_statuses` (withdrawn and replaced ones too).
    """

    event: str | None = None
    noc: str | None = None
    all_statuses: bool = False


def entries(games: Session, where: EntryFilter) -> list[EntryPublic]:
    """Return the entries that match `where`, by event then NOC then entry number.

    Raises:
        EntryRefusedError: `unknown_event` when the filter names no event.

    """
    query = (
        select(Entry, Participant.printed_name, Team.name)
        .outerjoin(Participant, Participant.code == Entry.participant_code)
        .outerjoin(Team, Team.code == Entry.team_code)
        .order_by(Entry.event_code, Entry.noc, Entry.id)
    )
    if where.event is not None:
        query = query.where(Entry.event_rsc == event_info(games, where.event).rsc)
    if where.noc is not None:
        query = query.where(Entry.noc == where.noc)
    if not where.all_statuses:
        query = query.where(Entry.status == EntryStatus.ENTERED)
    return [
        EntryPublic.model_validate(entry).model_copy(update={"name": person or team})
        for entry, person, team in games.execute(query)
    ]


def quota_usage(games: Session, rules: EntryRules, noc: str) -> list[QuotaUsage]:
    """Return, per event the NOC has entered, the places used and the quota.

    Athlete places count athletes; team events count teams against the team quota.
    """
    rows = games.execute(
        select(Entry.event_code, Entry.team_code.is_not(None), func.count())
        .where(Entry.noc == noc, Entry.status == EntryStatus.ENTERED)
        .group_by(Entry.event_code, Entry.team_code.is_not(None))
    ).all()
    used: Counter[tuple[str, bool]] = Counter({(code, bool(t)): n for code, t, n in rows})
    names = dict(games.execute(select(Event.code, Event.name)).all())
    usage = []
    for (code, teams), count in sorted(used.items()):
        discipline = rules.of(code[:3])
        quota = discipline.team_quota(code) if teams else discipline.event_quota(code)
        usage.append(
            QuotaUsage(
                event_code=code,
                event_name=names.get(code, code),
                discipline=code[:3],
                entered=count,
                quota=quota,
                teams=teams,
            )
        )
    return usage


def start_order_key(event_rsc: str, competitor: str) -> str:
    """Return the sort key of a competitor in a start list: SHA-256 of `RSC|code`.

    Podium's games plane holds no seeding ranking, so the start order is a deterministic
    draw seeded by the event's RSC: the same entries give the same start list on every
    node and on every run, and no NOC can predict its place from its codes alone.
    """
    return hashlib.sha256(f"{event_rsc}|{competitor}".encode()).hexdigest()


def _first_phase(games: Session, event_rsc: str) -> Phase | None:
    first = (
        select(Unit.phase_rsc)
        .where(Unit.event_rsc == event_rsc, Unit.phase_rsc.is_not(None))
        .order_by(Unit.starts_at, Unit.rsc)
        .limit(1)
    )
    code = games.scalar(first)
    return games.get(Phase, code) if code is not None else None


def start_list(games: Session, event: str) -> StartList:
    """Return the start list of an event's first phase, made from its entered entries.

    Team events list the teams, other events the athletes. The order is the draw of
    `start_order_key`. The first phase is the phase of the event's earliest unit.

    Raises:
        EntryRefusedError: `unknown_event`.

    """
    info = event_info(games, event)
    team = games.scalar(
        select(func.count())
        .select_from(Entry)
        .where(Entry.event_rsc == info.rsc, Entry.team_code.is_not(None))
    )
    listed = [
        e for e in entries(games, EntryFilter(info.rsc)) if (e.team_code is not None) == bool(team)
    ]
    listed.sort(key=lambda e: start_order_key(info.rsc, e.team_code or e.participant_code or ""))
    phase = _first_phase(games, info.rsc)
    lines = [
        StartLine(
            order=n,
            code=e.team_code or e.participant_code or "",
            name=e.name or "",
            noc=e.noc,
        )
        for n, e in enumerate(listed, 1)
    ]
    return StartList(
        event_code=info.code,
        event_name=info.name,
        phase_rsc=phase.rsc if phase else None,
        phase_name=phase.name if phase else None,
        lines=lines,
    )
