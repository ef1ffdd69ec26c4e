"""Pages of the schedule: home, the schedule day by day, a unit and an event."""

from __future__ import annotations

from datetime import date
from itertools import groupby
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from podium.core.errors import NotFoundError
from podium.games import queries
from podium.games.schemas import UnitPublic
from podium.results import medallists, unit_results
from podium.web.deps import GamesSession
from podium.web.rendering import LANG_PATH, PageRoute, lang_of, render

__all__ = ["ALL_DAYS", "router"]

ALL_DAYS = "all"
"""The `day` filter value that shows every competition day."""

router = APIRouter(route_class=PageRoute, include_in_schema=False)


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
    """Render the schedule of one day (or all), filtered by discipline and venue."""
    days = queries.competition_days(session)
    shown = chosen_day(day, days)
    where = queries.ScheduleFilter(day=shown, discipline=discipline or None, venue=venue or None)
    units = queries.schedule(session, where)
    groups = [(d, list(us)) for d, us in groupby(units, key=lambda u: u.day)]
    previous, following = _neighbours(shown, days)
    kept = {k: v for k, v in (("discipline", where.discipline), ("venue", where.venue)) if v}
    lang = lang_of(request)

    def day_url(target: date) -> str:
        return f"/{lang}/schedule?{urlencode({'day': target.isoformat(), **kept})}"

    all_disciplines = queries.disciplines(session)
    context = {
        "nav": "schedule",
        "day": shown,
        "days": days,
        "previous": previous,
        "following": following,
        "day_url": day_url,
        "groups": groups,
        "discipline": where.discipline,
        "venue": where.venue,
        "disciplines": [(d.code, d.name) for d in all_disciplines],
        "discipline_names": {d.code: d.name for d in all_disciplines},
        "venues": [(v.code, v.name) for v in queries.venues(session)],
    }
    return render(request, "schedule.html", context)


def _discipline_name(session: GamesSession, code: str) -> str:
    names = {d.code: d.name for d in queries.disciplines(session)}
    return names.get(code, code)


@router.get(f"/{LANG_PATH}/units/{{rsc}}")
def unit(request: Request, session: GamesSession, rsc: str) -> HTMLResponse:
    """Render a unit with its results; the 404 page for an unknown RSC."""
    found: UnitPublic = queries.unit(session, rsc)
    context = {
        "nav": "schedule",
        "unit": found,
        "event": queries.event(session, found.event_rsc) if found.event_rsc else None,
        "discipline_name": _discipline_name(session, found.discipline_code),
        "results": unit_results(session, found.rsc),
    }
    return render(request, "unit.html", context)


@router.get(f"/{LANG_PATH}/events/{{code}}")
def event(request: Request, session: GamesSession, code: str) -> HTMLResponse:
    """Render an event with its medallists and units; the 404 page for an unknown code."""
    found = queries.event(session, code)
    discipline_name = _discipline_name(session, found.discipline_code)
    medals = [
        m
        for m in medallists(session, "OG2024", discipline=discipline_name)
        if m.event_name == found.name
    ]
    context = {
        "nav": "schedule",
        "event": found,
        "discipline_name": discipline_name,
        "medals": medals,
        "units": queries.units_of_event(session, found.rsc),
    }
    return render(request, "event.html", context)
