"""The sport entry rules as data: quotas, age limits and deadlines per discipline.

The bundled `paris2024_rules.toml` is our reading of the International Federations'
Paris 2024 qualification systems (IOC, "Paris 2024 Qualification System", one chapter per
sport), checked against the real Paris 2024 entries. Another Games loads its own file.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from podium.core.errors import ConfigurationError

if TYPE_CHECKING:
    from collections.abc import Mapping

__all__ = ["PARIS2024_RULES", "DisciplineRules", "EntryRules", "load_rules"]

PARIS2024_RULES = Path(__file__).with_name("paris2024_rules.toml")
"""The bundled rules of the Paris 2024 Olympic Games."""

_EMPTY: Mapping[str, int] = MappingProxyType({})


@dataclass(frozen=True, slots=True)
class DisciplineRules:
    """The entry rules of one discipline (see the keys documented in the TOML file).

    Attributes:
        per_event: athletes per NOC per event, unless `events` overrides it.
        events: event code → athletes per NOC in that event.
        teams_per_event: teams (crews, pairs) per NOC per team event.
        team_events: event code → teams per NOC in that event.
        per_gender: participant gender (`M`, `W`) → athletes per NOC in the discipline;
            a gender missing has no discipline-wide quota.
        other_gender: event code → places open to the other gender (a rowing coxswain).
        min_age, max_age: age in the year of the Games, None for no limit.
        deadline: the final sport entries deadline (aware UTC).

    """

    per_event: int
    teams_per_event: int
    deadline: datetime
    events: Mapping[str, int] = field(default_factory=dict)
    team_events: Mapping[str, int] = field(default_factory=dict)
    per_gender: Mapping[str, int] = field(default_factory=dict)
    other_gender: Mapping[str, int] = field(default_factory=dict)
    min_age: int | None = None
    max_age: int | None = None

    def event_quota(self, event_code: str) -> int:
        """Return how many athletes one NOC may enter in `event_code`."""
        return self.events.get(event_code, self.per_event)

    def team_quota(self, event_code: str) -> int:
        """Return how many teams one NOC may enter in `event_code`."""
        return self.team_events.get(event_code, self.teams_per_event)


@dataclass(frozen=True, slots=True)
class EntryRules:
    """The entry rules of a Games.

    Attributes:
        games_year: the year of the Games; ages are `games_year - birth year`.
        late_replacement: how long before an event's first unit a late athlete
            replacement closes.
        default: the rules of a discipline the file does not name.
        disciplines: discipline code → its rules.

    """

    games_year: int
    late_replacement: timedelta
    default: DisciplineRules
    disciplines: Mapping[str, DisciplineRules] = field(default_factory=dict)

    def of(self, discipline: str) -> DisciplineRules:
        """Return the rules of `discipline` (the default rules when it has none)."""
        return self.disciplines.get(discipline, self.default)


def _counts(table: Any, where: str) -> Mapping[str, int]:
    if table is None:
        return _EMPTY
    if not isinstance(table, dict) or not all(
        isinstance(v, int) and v >= 0 for v in table.values()
    ):
        msg = f"{where}: expected a table of non-negative integers"
        raise ConfigurationError(msg, code="entry_rules_invalid")
    return MappingProxyType({str(k): int(v) for k, v in table.items()})


def _instant(text: Any, where: str) -> datetime:
    try:
        value = datetime.fromisoformat(str(text))
    except ValueError as exc:
        msg = f"{where}: {text!r} is not an ISO 8601 date-time"
        raise ConfigurationError(msg, code="entry_rules_invalid") from exc
    if value.tzinfo is None:
        msg = f"{where}: {text!r} has no time zone"
        raise ConfigurationError(msg, code="entry_rules_invalid")
    return value.astimezone(UTC)


def _discipline(raw: dict[str, Any], base: dict[str, Any], where: str) -> DisciplineRules:
    merged = {**base, **raw}
    try:
        return DisciplineRules(
            per_event=int(merged["per_event"]),
            teams_per_event=int(merged.get("teams_per_event", 1)),
            deadline=_instant(merged["deadline"], f"{where}.deadline"),
            events=_counts(raw.get("events"), f"{where}.events"),
            team_events=_counts(raw.get("team_events"), f"{where}.team_events"),
            per_gender=_counts(raw.get("per_gender"), f"{where}.per_gender"),
            other_gender=_counts(raw.get("other_gender"), f"{where}.other_gender"),
            min_age=raw.get("min_age"),
            max_age=raw.get("max_age"),
        )
    except (KeyError, TypeError, ValueError) as exc:
        msg = f"{where}: missing or bad value ({exc})"
        raise ConfigurationError(msg, code="entry_rules_invalid") from exc


def load_rules(path: Path = PARIS2024_RULES) -> EntryRules:
    """Read entry rules from a TOML file.

    Args:
        path: the rules file; the bundled Paris 2024 rules by default.

    Raises:
        ConfigurationError: unreadable file or a bad value (`entry_rules_invalid`); the
            message names the file and the key.

    """
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        msg = f"{path}: cannot read entry rules ({exc})"
        raise ConfigurationError(msg, code="entry_rules_invalid") from exc
    base = dict(raw.get("default", {}))
    default = _discipline({}, base, f"{path.name}: default")
    disciplines = {
        code: _discipline(table, base, f"{path.name}: discipline.{code}")
        for code, table in raw.get("discipline", {}).items()
    }
    return EntryRules(
        games_year=int(raw.get("games_year", default.deadline.year)),
        late_replacement=timedelta(hours=float(raw.get("late_replacement_hours", 2))),
        default=default,
        disciplines=MappingProxyType(disciplines),
    )
