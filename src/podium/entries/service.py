"""Writes of the sport entries domain: enter, withdraw, replace, one transaction each.

Each write runs in the caller's session and flushes: nothing is written unless the whole
step succeeds. A NOC's operator acts only for its own NOC; the organising committee's staff
(`PARIS2024`) act for any (Podium issue 5). Every refusal is an `EntryRefusedError` with a
stable code (see `podium.entries.rules.RefusalCode`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from sqlalchemy import func, select

from podium.core.clock import Clock, system_clock
from podium.core.errors import InvalidInputError, NotFoundError, PermissionDeniedError
from podium.entries.birthdates import BirthDateProvider, UnknownBirthDates
from podium.entries.config import EntryRules, load_rules
from podium.entries.errors import EntryRefusedError
from podium.entries.lookup import (
    all_events,
    athlete_info,
    candidate_of,
    event_info,
    ledger_of,
    team_event_code,
    team_row,
)
from podium.entries.models import Entry, EntryStatus
from podium.entries.rules import (
    AgeCheck,
    Candidate,
    EntryWindow,
    EventInfo,
    Ledger,
    Refusal,
    RefusalCode,
    age_check,
    entry_window,
)
from podium.games import Unit
from podium.people import Participant

if TYPE_CHECKING:
    from datetime import datetime

    from sqlalchemy.orm import Session

    from podium.privacy.operators import Principal

__all__ = [
    "ORGANISING_COMMITTEE",
    "EntryContext",
    "EntryRequest",
    "check_organisation",
    "enter",
    "first_unit_start",
    "replace",
    "withdraw",
]

ORGANISING_COMMITTEE = "PARIS2024"
"""The organisation whose staff may enter athletes of any NOC."""


@dataclass(frozen=True)
class EntryContext:
    """What every entry write needs besides the request.

    Attributes:
        rules: the Games' entry rules.
        clock: the injected clock (deadlines are decided at `clock()`).
        birth_dates: the birth-date provider of the age rule.

    """

    rules: EntryRules = field(default_factory=load_rules)
    clock: Clock = system_clock
    birth_dates: BirthDateProvider = field(default_factory=UnknownBirthDates)


@dataclass(frozen=True, slots=True)
class EntryRequest:
    """An entry to make: an athlete (`participant_code`) or a team (`team_code`) of `noc`.

    `event` is the event's ODF code or RSC; for a team it may be omitted, since the team
    code names its event (another event is refused: `team_event_mismatch`).
    """

    noc: str
    event: str | None = None
    participant_code: str | None = None
    team_code: str | None = None


def check_organisation(principal: Principal, noc: str) -> None:
    """Refuse an operator of another NOC.

    Raises:
        PermissionDeniedError: `organisation_mismatch`.

    """
    organisation = principal.organisation
    if organisation not in {ORGANISING_COMMITTEE, noc}:
        msg = f"operator of {organisation or 'no organisation'} may not act for NOC {noc}"
        raise PermissionDeniedError(msg, code="organisation_mismatch")


def first_unit_start(games: Session, event_rsc: str) -> datetime | None:
    """Return the start of the event's first unit, None if it has no unit."""
    return games.scalar(select(func.min(Unit.starts_at)).where(Unit.event_rsc == event_rsc))


def _candidate(games: Session, request: EntryRequest) -> Candidate:
    if (request.participant_code is None) == (request.team_code is None):
        msg = "an entry names exactly one of participant_code and team_code"
        raise InvalidInputError(msg, code="entry_competitor_required")
    if request.team_code is not None:
        team = team_row(games, request.team_code)
        if team is None:
            raise NotFoundError(f"no team {request.team_code[:40]!r}", code="team_not_found")
        if team.noc != request.noc:
            msg = f"team {team.code} belongs to {team.noc}, not to {request.noc}"
            raise EntryRefusedError(Refusal(RefusalCode.NOT_IN_NOC, msg))
        event = event_info(games, team_event_code(team.code, all_events(games)) or team.code)
        if request.event and request.event not in {event.code, event.rsc}:
            msg = f"team {team.code} is a team of {event.code}, not of {request.event[:34]}"
            raise InvalidInputError(msg, code="team_event_mismatch")
        return Candidate(event, request.noc, None, team.code)
    person = games.get(Participant, request.participant_code)
    if person is None or person.role != "athlete":
        what = request.participant_code or ""
        raise NotFoundError(f"no athlete {what[:20]!r}", code="participant_not_found")
    event = event_info(games, request.event or "")
    return Candidate(event, request.noc, athlete_info(person), None)


def _check_age(context: EntryContext, candidate: Candidate) -> None:
    if candidate.athlete is None:
        return
    rules = context.rules.of(candidate.event.discipline)
    birth = context.birth_dates.birth_date(candidate.athlete.code)
    if age_check(rules, context.rules.games_year, birth) is AgeCheck.INELIGIBLE:
        limits = f"{rules.min_age or 0} to {rules.max_age or 'any age'}"
        msg = (
            f"athlete {candidate.athlete.code} of {candidate.noc} is not eligible for "
            f"{candidate.event.code} ({candidate.event.name}): ages {limits} in "
            f"{context.rules.games_year}"
        )
        raise EntryRefusedError(Refusal(RefusalCode.AGE_INELIGIBLE, msg))


def _check(context: EntryContext, ledger: Ledger, candidate: Candidate) -> None:
    refusal = ledger.refusal(candidate)
    if refusal is not None:
        raise EntryRefusedError(refusal)
    _check_age(context, candidate)


def _deadline_refusal(
    context: EntryContext, event: EventInfo, window: EntryWindow, *, late_ok: bool
) -> None:
    if window is EntryWindow.OPEN or (late_ok and window is EntryWindow.LATE_REPLACEMENT):
        return
    deadline = context.rules.of(event.discipline).deadline.isoformat()
    msg = f"the entry deadline of {event.code} ({event.name}) passed on {deadline}"
    if window is EntryWindow.LATE_REPLACEMENT:
        msg += ": only a late replacement of an entered athlete, with a reason, is possible"
    raise EntryRefusedError(Refusal(RefusalCode.DEADLINE_PASSED, msg))


def enter(
    games: Session, context: EntryContext, principal: Principal, request: EntryRequest
) -> Entry:
    """Enter an athlete or a team in an event, within the quotas and before the deadline.

    Args:
        games: a games-plane session; the entry is flushed; the caller commits.
        context: rules, clock and birth-date provider.
        principal: the operator entering (its organisation must be the NOC or PARIS2024).
        request: what to enter.

    Raises:
        PermissionDeniedError: `organisation_mismatch`.
        EntryRefusedError: any `RefusalCode`.
        NotFoundError: `participant_not_found`, `team_not_found`.

    """
    check_organisation(principal, request.noc)
    candidate = _candidate(games, request)
    now = context.clock()
    window = entry_window(
        context.rules, candidate.event.discipline, now, first_unit_start(games, candidate.event.rsc)
    )
    _deadline_refusal(context, candidate.event, window, late_ok=False)
    ledger = ledger_of(games, context.rules, request.noc, candidate.event.discipline)
    _check(context, ledger, candidate)
    entry = Entry(
        event_rsc=candidate.event.rsc,
        event_code=candidate.event.code,
        noc=request.noc,
        participant_code=request.participant_code,
        team_code=request.team_code,
        status=EntryStatus.ENTERED,
        entered_at=now,
        by=principal.operator_id,
    )
    games.add(entry)
    games.flush()
    return entry


def _entered(games: Session, entry_id: int, principal: Principal) -> Entry:
    entry = games.get(Entry, entry_id)
    if entry is None:
        raise NotFoundError(f"no entry {entry_id}", code="entry_not_found")
    check_organisation(principal, entry.noc)
    if entry.status != EntryStatus.ENTERED:
        msg = f"entry {entry_id} is {entry.status}, not entered"
        raise InvalidInputError(msg, code="entry_not_entered")
    return entry


def withdraw(
    games: Session, context: EntryContext, principal: Principal, entry_id: int, reason: str
) -> Entry:
    """Withdraw an entry (its place is freed for the quota).

    Raises:
        NotFoundError: `entry_not_found`.
        InvalidInputError: `entry_not_entered` (already withdrawn or replaced).
        PermissionDeniedError: `organisation_mismatch`.

    """
    entry = _entered(games, entry_id, principal)
    entry.status = EntryStatus.WITHDRAWN
    entry.changed_at = context.clock()
    entry.changed_by = principal.operator_id
    entry.reason = reason.strip()[:200] or None
    games.flush()
    return entry


def replace(  # noqa: PLR0913 - the inputs of one late replacement
    games: Session,
    context: EntryContext,
    principal: Principal,
    entry_id: int,
    *,
    participant_code: str,
    reason: str,
) -> Entry:
    """Replace an entered athlete by another of the same NOC in the same event.

    Before the deadline a reason is optional; after it, the replacement is a late athlete
    replacement: a reason is required, and it closes `late_replacement` before the event's
    first unit (our reading of the IOC's late athlete replacement policy).

    Returns:
        The new entry; the old one is `replaced`, linked both ways.

    Raises:
        EntryRefusedError: `deadline_passed` and the rules' codes for the new athlete.
        InvalidInputError: `replacement_reason_required`, `entry_not_entered`.
        NotFoundError, PermissionDeniedError: as `enter` and `withdraw`.

    """
    old = _entered(games, entry_id, principal)
    event = event_info(games, old.event_rsc)
    now = context.clock()
    window = entry_window(context.rules, event.discipline, now, first_unit_start(games, event.rsc))
    _deadline_refusal(context, event, window, late_ok=True)
    if window is EntryWindow.LATE_REPLACEMENT and not reason.strip():
        msg = "a late athlete replacement needs a reason (injury, illness...)"
        raise InvalidInputError(msg, code="replacement_reason_required")
    if participant_code == old.participant_code:
        msg = f"{participant_code} is already entered in {old.event_code}: nobody to replace"
        raise EntryRefusedError(Refusal(RefusalCode.DUPLICATE_ENTRY, msg))
    candidate = _candidate(
        games, EntryRequest(old.noc, old.event_code, participant_code=participant_code)
    )
    ledger = ledger_of(games, context.rules, old.noc, event.discipline)
    outgoing = games.get(Participant, old.participant_code or "")
    ledger.remove(candidate_of(old, event, athlete_info(outgoing) if outgoing else None))
    _check(context, ledger, candidate)
    new = Entry(
        event_rsc=event.rsc,
        event_code=event.code,
        noc=old.noc,
        participant_code=participant_code,
        status=EntryStatus.ENTERED,
        entered_at=now,
        by=principal.operator_id,
        replaces=old.id,
        reason=reason.strip()[:200] or None,
    )
    games.add(new)
    games.flush()
    old.status = EntryStatus.REPLACED
    old.changed_at, old.changed_by, old.replaced_by = now, principal.operator_id, new.id
    old.reason = new.reason
    games.flush()
    return new
