"""Pure entry decisions: quotas, gender and age eligibility, the entry window.

Values in, values out, no I/O. The `Ledger` tallies entered entries so that one entry,
or 15,000 in a bulk load, is checked in constant time. Rule sources are in
`paris2024_rules.toml` (our reading of the IFs' Paris 2024 qualification systems).
"""

from __future__ import annotations

import enum
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from datetime import date, datetime

    from podium.entries.config import DisciplineRules, EntryRules

__all__ = [
    "AgeCheck",
    "AthleteInfo",
    "Candidate",
    "EntryWindow",
    "EventInfo",
    "Ledger",
    "Refusal",
    "RefusalCode",
    "age_check",
    "entry_window",
]


class RefusalCode(enum.StrEnum):
    """The stable codes of a refused entry (tests and clients assert on them)."""

    QUOTA_EVENT = "quota_event"
    QUOTA_DISCIPLINE_GENDER = "quota_discipline_gender"
    GENDER_INELIGIBLE = "gender_ineligible"
    AGE_INELIGIBLE = "age_ineligible"
    DEADLINE_PASSED = "deadline_passed"
    NOT_IN_NOC = "not_in_noc"
    DUPLICATE_ENTRY = "duplicate_entry"
    UNKNOWN_EVENT = "unknown_event"


@dataclass(frozen=True, slots=True)
class Refusal:
    """Why an entry is refused: a stable code and a sentence naming NOC, event and rule."""

    code: RefusalCode
    message: str


@dataclass(frozen=True, slots=True)
class EventInfo:
    """What the rules need of an event: ODF code, RSC, discipline, gender, team or not."""

    code: str
    rsc: str
    discipline: str
    gender: str
    name: str
    team: bool = False


@dataclass(frozen=True, slots=True)
class AthleteInfo:
    """What the rules need of an athlete: ODF participant code, NOC and gender (`M`/`W`)."""

    code: str
    noc: str | None
    gender: str


@dataclass(frozen=True, slots=True)
class Candidate:
    """An entry to check: an athlete or a team of `noc` in `event`.

    Exactly one of `athlete` and `team_code` is set.
    """

    event: EventInfo
    noc: str
    athlete: AthleteInfo | None = None
    team_code: str | None = None

    @property
    def key(self) -> tuple[str, str]:
        """The (event code, participant or team code) pair that may be entered once."""
        return (self.event.code, self.athlete.code if self.athlete else self.team_code or "")


class AgeCheck(enum.StrEnum):
    """The outcome of the age rule; `unknown` when the birth date is not known."""

    ELIGIBLE = "eligible"
    INELIGIBLE = "ineligible"
    UNKNOWN = "unknown"
    NO_LIMIT = "no_limit"


class EntryWindow(enum.StrEnum):
    """Where an instant falls: before the deadline, in late replacement, or closed."""

    OPEN = "open"
    LATE_REPLACEMENT = "late_replacement"
    CLOSED = "closed"


def age_check(rules: DisciplineRules, games_year: int, birth: date | None) -> AgeCheck:
    """Decide the age rule: age is `games_year - birth year`, as the IFs count it.

    Args:
        rules: the discipline's rules (`min_age`, `max_age`).
        games_year: the year of the Games.
        birth: the athlete's birth date, None when unknown or not disclosed.

    Returns:
        `no_limit` when the discipline has none, `unknown` without a birth date.

    """
    if rules.min_age is None and rules.max_age is None:
        return AgeCheck.NO_LIMIT
    if birth is None:
        return AgeCheck.UNKNOWN
    age = games_year - birth.year
    too_young = rules.min_age is not None and age < rules.min_age
    too_old = rules.max_age is not None and age > rules.max_age
    return AgeCheck.INELIGIBLE if too_young or too_old else AgeCheck.ELIGIBLE


def entry_window(
    rules: EntryRules, discipline: str, at: datetime, first_unit: datetime | None
) -> EntryWindow:
    """Say whether `at` is before the deadline, in the late-replacement window, or closed.

    Args:
        rules: the Games' entry rules.
        discipline: ODF discipline code.
        at: the instant of the request (aware).
        first_unit: start of the event's first unit, None if unscheduled (no late window).

    Rule: after the final sport entries deadline an athlete may only be replaced, until
    `late_replacement` before the event's first unit (our reading of the IOC's late
    athlete replacement policy for Paris 2024).

    """
    if at <= rules.of(discipline).deadline:
        return EntryWindow.OPEN
    if first_unit is not None and at <= first_unit - rules.late_replacement:
        return EntryWindow.LATE_REPLACEMENT
    return EntryWindow.CLOSED


def _gender_refusal(candidate: Candidate, other_used: int, other_places: int) -> Refusal | None:
    athlete, event = candidate.athlete, candidate.event
    if athlete is None or event.gender not in {"M", "W"} or athlete.gender == event.gender:
        return None
    if other_used < other_places:
        return None
    return Refusal(
        RefusalCode.GENDER_INELIGIBLE,
        f"{event.code} ({event.name}) is a {'men' if event.gender == 'M' else 'women'}'s event: "
        f"athlete {athlete.code} of {candidate.noc} ({athlete.gender}) is not eligible",
    )


@dataclass
class Ledger:
    """A tally of entered entries, to check new ones against the quotas.

    Attributes:
        rules: the Games' entry rules.
        athletes: (NOC, event code) → athletes entered.
        teams: (NOC, event code) → teams entered.
        by_gender: (NOC, discipline, gender) → participant codes entered in the discipline
            (an athlete counts once however many events they enter).
        other_gender: (NOC, event code) → athletes of the other gender entered.
        keys: (event code, participant or team code) of every entered entry.

    """

    rules: EntryRules
    athletes: Counter[tuple[str, str]] = field(default_factory=Counter)
    teams: Counter[tuple[str, str]] = field(default_factory=Counter)
    by_gender: defaultdict[tuple[str, str, str], Counter[str]] = field(
        default_factory=lambda: defaultdict(Counter)
    )
    other_gender: Counter[tuple[str, str]] = field(default_factory=Counter)
    keys: set[tuple[str, str]] = field(default_factory=set)

    def refusal(self, candidate: Candidate) -> Refusal | None:
        """Return why `candidate` breaks a rule, or None when it may be entered.

        Checks, in order: `not_in_noc`, `duplicate_entry`, `gender_ineligible`,
        `quota_event`, `quota_discipline_gender`. Age and deadline need a birth date and
        a clock: see `age_check` and `entry_window`.
        """
        event, noc, athlete = candidate.event, candidate.noc, candidate.athlete
        if athlete is not None and athlete.noc != noc:
            return Refusal(
                RefusalCode.NOT_IN_NOC,
                f"athlete {athlete.code} belongs to {athlete.noc}, not to {noc}",
            )
        if candidate.key in self.keys:
            what = athlete.code if athlete else candidate.team_code
            return Refusal(
                RefusalCode.DUPLICATE_ENTRY, f"{what} is already entered in {event.code}"
            )
        rules = self.rules.of(event.discipline)
        other = rules.other_gender.get(event.code, 0)
        gender = _gender_refusal(candidate, self.other_gender[noc, event.code], other)
        if gender is not None:
            return gender
        return self._quota_refusal(candidate, rules)

    def _quota_refusal(self, candidate: Candidate, rules: DisciplineRules) -> Refusal | None:
        event, noc, athlete = candidate.event, candidate.noc, candidate.athlete
        if athlete is None:
            quota, used, what = rules.team_quota(event.code), self.teams[noc, event.code], "teams"
        else:
            quota, used = rules.event_quota(event.code), self.athletes[noc, event.code]
            what = "athletes"
        if used >= quota:
            return Refusal(
                RefusalCode.QUOTA_EVENT,
                f"{noc} has already entered {used} {what} in {event.code} ({event.name}): "
                f"the quota is {quota} per NOC in this event",
            )
        if athlete is None or athlete.gender not in rules.per_gender:
            return None
        entered = self.by_gender[noc, event.discipline, athlete.gender]
        limit = rules.per_gender[athlete.gender]
        if athlete.code not in entered and len(entered) >= limit:
            return Refusal(
                RefusalCode.QUOTA_DISCIPLINE_GENDER,
                f"{noc} has already entered {len(entered)} {athlete.gender} athletes in "
                f"{event.discipline}, event {event.code} ({event.name}): the quota is "
                f"{limit} per NOC per gender in this discipline",
            )
        return None

    def add(self, candidate: Candidate) -> None:
        """Count `candidate` as entered."""
        self._count(candidate, 1)
        self.keys.add(candidate.key)

    def remove(self, candidate: Candidate) -> None:
        """Stop counting `candidate` (withdrawn or replaced)."""
        self._count(candidate, -1)
        self.keys.discard(candidate.key)

    def _count(self, candidate: Candidate, step: int) -> None:
        event, noc, athlete = candidate.event, candidate.noc, candidate.athlete
        if athlete is None:
            self.teams[noc, event.code] += step
            return
        self.athletes[noc, event.code] += step
        if event.gender in {"M", "W"} and athlete.gender != event.gender:
            self.other_gender[noc, event.code] += step
        entered = self.by_gender[noc, event.discipline, athlete.gender]
        entered[athlete.code] += step
        if entered[athlete.code] <= 0:
            del entered[athlete.code]
