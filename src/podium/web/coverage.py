"""How far the bundled results go: the last competition day the data set has results for.

The bundled Paris 2024 results stop before the end of the Games; a finished unit after the
last day with results has none because the source has none, which the unit page says.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from podium.games import Unit
from podium.results import UnitResult

__all__ = ["DayCoverage", "day_coverage", "last_day_with_results", "results_end"]

_FINISHED = "FINISHED"


@dataclass(frozen=True, slots=True)
class DayCoverage:
    """The finished units of one competition day, with and without published results."""

    with_results: int
    without_results: int


def last_day_with_results(days: Mapping[date, DayCoverage]) -> date | None:
    """Return the last day whose finished units mostly have results; None if no day has.

    The latest unit with results alone does not do: a source that knows a unit only from
    its event's final page dates it on the final's day (the Paris 2024 women's golf rounds
    1-3 are dated 10 August, where nothing else has results), which would push the end of
    the data set one day too far. A day counts when at least half its finished units have
    results.

    Args:
        days: per competition day, its finished units with and without results.

    """
    covered = [d for d, c in days.items() if c.with_results and c.with_results >= c.without_results]
    return max(covered, default=None)


def day_coverage(session: Session) -> dict[date, DayCoverage]:
    """Count, per competition day, the finished units with and without results."""
    has_results = (
        select(UnitResult.unit_rsc).where(UnitResult.unit_rsc == Unit.rsc).exists().correlate(Unit)
    )
    query = (
        select(Unit.day, has_results, func.count())
        .where(Unit.status == _FINISHED)
        .group_by(Unit.day, has_results)
    )
    counts: dict[date, dict[bool, int]] = {}
    for day, published, count in session.execute(query):
        counts.setdefault(day, {})[bool(published)] = count
    return {
        day: DayCoverage(with_results=c.get(True, 0), without_results=c.get(False, 0))
        for day, c in counts.items()
    }


def results_end(session: Session) -> date | None:
    """Return the last competition day the bundled results cover (None without results)."""
    return last_day_with_results(day_coverage(session))
