"""Fixtures of the entries tests: a private imported node on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from podium.core.db import Planes
from podium.entries import EntryContext, load_paris2024_entries, load_rules
from podium.privacy.operators import Principal
from podium.privacy.regions import Region
from tests.diffusion.conftest import live_planes, live_settings, pg_template

__all__ = ["live_planes", "live_settings", "pg_template"]

RULES = load_rules()
BEFORE_DEADLINE = datetime(2024, 7, 1, 10, 0, tzinfo=UTC)


def principal(organisation: str = "PARIS2024", *, roles: tuple[str, ...] = ()) -> Principal:
    """An operator of `organisation` (a web session: every scope)."""
    return Principal(
        operator_id=f"op-{organisation.lower()}",
        username=f"staff-{organisation.lower()}",
        display_name=f"Staff {organisation}",
        roles=frozenset(roles),
        purposes=frozenset(),
        region=Region.EU_EEA,
        scopes=None,
        organisation=organisation,
    )


class FixedBirthDates:
    """A birth-date provider over a dict (the real one reads the sovereign plane)."""

    def __init__(self, known: dict[str, date]) -> None:
        self.known = known

    def birth_date(self, participant_code: str) -> date | None:
        return self.known.get(participant_code)


def context_at(moment: datetime, births: dict[str, date] | None = None) -> EntryContext:
    """An entry context whose clock stands at `moment`."""
    return EntryContext(RULES, lambda: moment, FixedBirthDates(births or {}))


@pytest.fixture
def loaded(live_planes: Planes) -> Planes:
    """A private node, SQLite then PostgreSQL, with the real Paris 2024 entries loaded."""
    with live_planes.games_session() as games:
        load_paris2024_entries(games, context_at(BEFORE_DEADLINE))
    return live_planes
