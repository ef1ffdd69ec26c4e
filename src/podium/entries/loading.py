"""Bulk entries: the real Paris 2024 entries, and a re-check of every entry against the rules.

The source of the Paris 2024 entries is each athlete's event list (olympics.com, via
`data/paris2024/olympics-in-numbers/athletes.csv`) and every current team of `teams.csv`,
as `podium.paris2024` imported them into `Participant.events` and `Team`.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from sqlalchemy import insert, select

from podium.entries.lookup import all_events, athlete_info, ledger_of, team_event_code
from podium.entries.models import Entry, EntryStatus
from podium.entries.rules import (
    AgeCheck,
    Candidate,
    EventInfo,
    Ledger,
    Refusal,
    RefusalCode,
    age_check,
)
from podium.games import Event
from podium.people import Participant, Team

if TYPE_CHECKING:
    from collections.abc import Iterator

    from sqlalchemy.orm import Session

    from podium.entries.config import EntryRules
    from podium.entries.service import EntryContext

__all__ = [
    "IMPORT_OPERATOR",
    "CheckReport",
    "LoadReport",
    "RefusedEntry",
    "check_entries",
    "load_paris2024_entries",
]

IMPORT_OPERATOR = "paris2024-import"
"""The `by` of entries loaded from the Paris 2024 data."""


@dataclass(frozen=True, slots=True)
class RefusedEntry:
    """An entry of the source (or of the table) that breaks a rule."""

    noc: str
    event: str
    competitor: str
    code: str
    message: str


@dataclass
class LoadReport:
    """What a load did.

    Attributes:
        entered: entries written.
        unchanged: entries already there (the load is idempotent).
        refused: source entries that break a rule, with the refusal.
        discipline_level: codes of the source that name no event (`GARM`: a gymnast of
            the men's artistic team; `SWMMRELAY`: a relay-only swimmer) → athletes.

    """

    entered: int = 0
    unchanged: int = 0
    refused: list[RefusedEntry] = field(default_factory=list)
    discipline_level: Counter[str] = field(default_factory=Counter)


@dataclass
class CheckReport:
    """The outcome of re-checking every entered entry against the rules.

    Attributes:
        checked: entries checked.
        refused: entries that break a rule today (quotas changed, wrong gender...).
        age_unknown: athlete entries of an age-limited discipline whose birth date is
            unknown to the checking operator (reported, never refused).
        age_checked: athlete entries whose age was checked and found eligible.

    """

    checked: int = 0
    refused: list[RefusedEntry] = field(default_factory=list)
    age_unknown: int = 0
    age_checked: int = 0


def _source_candidates(
    games: Session, events: dict[str, EventInfo], report: LoadReport
) -> Iterator[Candidate]:
    athletes = select(Participant).where(Participant.role == "athlete").order_by(Participant.code)
    for person in games.scalars(athletes):
        if person.noc is None:
            continue
        for code in (person.events or "").split(","):
            if code in events:
                yield Candidate(events[code], person.noc, athlete_info(person))
            elif code:
                report.discipline_level[code] += 1
    for team in games.scalars(select(Team).where(Team.current).order_by(Team.code)):
        event = team_event_code(team.code, events)
        if event is not None:
            yield Candidate(events[event], team.noc, None, team.code)


def _refused(candidate: Candidate, refusal: Refusal) -> RefusedEntry:
    competitor = candidate.athlete.code if candidate.athlete else candidate.team_code or ""
    return RefusedEntry(
        candidate.noc, candidate.event.code, competitor, refusal.code.value, refusal.message
    )


def load_paris2024_entries(games: Session, context: EntryContext) -> LoadReport:
    """Enter every athlete and team of the imported Paris 2024 data; idempotent, one transaction.

    Each source entry is checked against the rules as if entered at its discipline's
    deadline (the final entries); an entry that breaks a rule is not written and is
    reported with its refusal.

    Args:
        games: a games-plane session with Paris 2024 imported.
        context: rules and birth-date provider (the clock is not used: entries are dated
            at the deadline).

    """
    report = LoadReport()
    events = all_events(games)
    ledger = ledger_of(games, context.rules)
    rows: list[dict[str, object]] = []
    for candidate in _source_candidates(games, events, report):
        if candidate.key in ledger.keys:
            report.unchanged += 1
            continue
        refusal = ledger.refusal(candidate) or _age_refusal(context, candidate)
        if refusal is not None:
            report.refused.append(_refused(candidate, refusal))
            continue
        ledger.add(candidate)
        rows.append(_row(context.rules, candidate))
    if rows:
        games.execute(insert(Entry), rows)
    games.flush()
    report.entered = len(rows)
    return report


def _row(rules: EntryRules, candidate: Candidate) -> dict[str, object]:
    return {
        "event_rsc": candidate.event.rsc,
        "event_code": candidate.event.code,
        "noc": candidate.noc,
        "participant_code": candidate.athlete.code if candidate.athlete else None,
        "team_code": candidate.team_code,
        "status": EntryStatus.ENTERED.value,
        "entered_at": rules.of(candidate.event.discipline).deadline,
        "by": IMPORT_OPERATOR,
    }


def _age(context: EntryContext, candidate: Candidate) -> AgeCheck:
    if candidate.athlete is None:
        return AgeCheck.NO_LIMIT
    rules = context.rules.of(candidate.event.discipline)
    if rules.min_age is None and rules.max_age is None:
        return AgeCheck.NO_LIMIT
    birth = context.birth_dates.birth_date(candidate.athlete.code)
    return age_check(rules, context.rules.games_year, birth)


def _age_refusal(context: EntryContext, candidate: Candidate) -> Refusal | None:
    if _age(context, candidate) is not AgeCheck.INELIGIBLE:
        return None
    athlete = candidate.athlete.code if candidate.athlete else ""
    message = (
        f"athlete {athlete} of {candidate.noc} is outside the age limits of {candidate.event.code}"
    )
    return Refusal(RefusalCode.AGE_INELIGIBLE, message)


def check_entries(games: Session, context: EntryContext) -> CheckReport:
    """Re-check every entered entry against the rules, in the order they were made.

    Each entry is checked against a ledger of the entries made before it, so a quota that
    was lowered shows the entries beyond it. Nothing is written.
    """
    report = CheckReport()
    events = {e.rsc: e for e in all_events(games).values()}
    ledger = Ledger(context.rules)
    query = (
        select(Entry, Participant)
        .join(Event, Event.rsc == Entry.event_rsc)
        .outerjoin(Participant, Participant.code == Entry.participant_code)
        .where(Entry.status == EntryStatus.ENTERED)
        .order_by(Entry.entered_at, Entry.id)
    )
    for entry, person in games.execute(query):
        report.checked += 1
        athlete = athlete_info(person) if person is not None else None
        candidate = Candidate(events[entry.event_rsc], entry.noc, athlete, entry.team_code)
        refusal = ledger.refusal(candidate)
        age = _age(context, candidate)
        report.age_unknown += age is AgeCheck.UNKNOWN
        report.age_checked += age is AgeCheck.ELIGIBLE
        if refusal is None and age is AgeCheck.INELIGIBLE:
            refusal = _age_refusal(context, candidate)
        if refusal is not None:
            report.refused.append(_refused(candidate, refusal))
        ledger.add(candidate)
    return report
