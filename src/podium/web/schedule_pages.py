"""Pages of the schedule: home and the schedule day by day.

The schedule of every day at once, unfiltered, would list every unit of the Games (well
over a megabyte of HTML); it shows one line per day instead, each with its number of
units and a link to that day. A discipline or venue filter gives the full listing.

A day's units are grouped by discipline, each group under its own heading, so that a
screen reader can jump from discipline to discipline instead of through some 200 links.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from itertools import groupby
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from podium.core.errors import NotFoundError
from podium.games import queries
from podium.games.schemas import UnitPublic
from podium.web import live
from podium.web.deps import GamesSession
from podium.web.rendering import LANG_PATH, PageRoute, lang_of, render

__all__ = [
    "ALL_DAYS",
    "DayGroup",
    "DaySummary",
    "DisciplineGroup",
    "chosen_day",
    "day_summaries",
    "group_units",
    "router",
]

ALL_DAYS = "all"
"""The `day` filter value that shows every competition day."""

router = APIRouter(route_class=PageRoute, include_in_schema=False)


@dataclass(frozen=True, slots=True)
class DaySummary:
    """One competition day of the all-days schedule: its units and its medal units."""

    day: date
    units: int
    medal_units: int


@dataclass(frozen=True, slots=True)
class DisciplineGroup:
    """The units of one discipline on one day, in start order."""

    code: str
    name: str
    units: list[UnitPublic]


@dataclass(frozen=True, slots=True)
class DayGroup:
    """The units of one day, by discipline in the order of their names."""

    day: date
    disciplines: list[DisciplineGroup]


def group_units(units: Iterable[UnitPublic], discipline_names: Mapping[str, str]) -> list[DayGroup]:
    """Group units by day, then by discipline; units keep their order within a discipline.

    Args:
        units: units of the schedule, in day order.
        discipline_names: the name of each discipline, by code (a missing one is its code).

    """
    groups = []
    for day, of_day in groupby(units, key=lambda u: u.day):
        by_discipline: dict[str, list[UnitPublic]] = {}
        for unit in of_day:
            by_discipline.setdefault(unit.discipline_code, []).append(unit)
        named = [
            DisciplineGroup(code, discipline_names.get(code, code), found)
            for code, found in by_discipline.items()
        ]
        groups.append(DayGroup(day, sorted(named, key=lambda g: (g.name, g.code))))
    return groups


def day_summaries(units: Iterable[UnitPublic]) -> list[DaySummary]:
    """Count the units and the medal units of each day, in day order.

    Args:
        units: units of the schedule, in any order.

    """
    per_day: Counter[date] = Counter()
    medal_units: Counter[date] = Counter()
    for u in units:
        per_day[u.day] += 1
        medal_units[u.day] += u.medal > 0
    return [DaySummary(day, per_day[day], medal_units[day]) for day in sorted(per_day)]


@router.get(f"/{LANG_PATH}/")
def home(request: Request, session: GamesSession) -> HTMLResponse:
    """Render the home page: links to every section and to each competition day."""
    return render(request, "home.html", {"nav": "home", "days": queries.competition_days(session)})


def chosen_day(value: str | None, days: list[date]) -> date | None:
    """Return the day a schedule shows: the first day by default, None for all days.

    Args:
        value: the `day` query value: missing or empty, `all`, or an ISO date.
        days: the competition days, in order.

    Raises:
        NotFoundError: `day_not_found` for a value that is not a competition day.

    """
    if value == ALL_DAYS:
        return None
    if not value:
        return days[0] if days else None
    try:
        day = date.fromisoformat(value)
    except ValueError:
        raise NotFoundError(f"no day {value!r}", code="day_not_found") from None
    if day not in days:
        raise NotFoundError(f"no competition on {value}", code="day_not_found")
    return day


def _neighbours(day: date | None, days: list[date]) -> tuple[date | None, date | None]:
    if day is None:
        return None, None
    index = days.index(day)
    previous = days[index - 1] if index > 0 else None
    following = days[index + 1] if index + 1 < len(days) else None
    return previous, following


@router.get(f"/{LANG_PATH}/schedule")
def schedule(
    request: Request,
    session: GamesSession,
    day: str | None = None,
    discipline: str | None = None,
    venue: str | None = None,
) -> HTMLResponse:
    """Render the schedule of one day (or all), filtered by discipline and venue; live."""
    after = live.feed_position(session)
    days = queries.competition_days(session)
    shown = chosen_day(day, days)
    where = queries.ScheduleFilter(
        day=shown,
        discipline=discipline.upper() if discipline else None,
        venue=venue.upper() if venue else None,
    )
    units = queries.schedule(session, where)
    summary = shown is None and not where.discipline and not where.venue
    all_disciplines = queries.disciplines(session)
    discipline_names = {d.code: d.name for d in all_disciplines}
    groups = [] if summary else group_units(units, discipline_names)
    previous, following = _neighbours(shown, days)
    kept = {k: v for k, v in (("discipline", where.discipline), ("venue", where.venue)) if v}
    lang = lang_of(request)

    def day_url(target: date) -> str:
        return f"/{lang}/schedule?{urlencode({'day': target.isoformat(), **kept})}"

    context = {
        "nav": "schedule",
        "day": shown,
        "days": days,
        "previous": previous,
        "following": following,
        "day_url": day_url,
        "groups": groups,
        "summaries": day_summaries(units) if summary else [],
        "discipline": where.discipline,
        "venue": where.venue,
        "disciplines": [(d.code, d.name) for d in all_disciplines],
        "venues": [(v.code, v.name) for v in queries.venues(session)],
        "live": live.schedule_feed(session, after, live.shown(groups), live.page_url(request)),
    }
    return render(request, "schedule.html", context)
