"""Pages of a unit, with its results, and of an event, with its medallists and units.

Addresses carry ODF codes; one typed in lower case (`/en/events/swmm100mba`) redirects to
the upper-case address, which is the only one an ODF code can mean.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial

from fastapi import APIRouter, Request, Response
from sqlalchemy.orm import Session

from podium.accessibility import TACTILE_FAMILIES
from podium.games import queries
from podium.games.schemas import EventPublic, UnitPublic
from podium.results import MedallistPublic, ResultPublic, medallists, unit_results
from podium.web import live
from podium.web.coverage import results_end
from podium.web.deps import GamesSession
from podium.web.names import noc_names, printed_medallists
from podium.web.rendering import LANG_PATH, PageRoute, exact_or_upper, lang_of, moved_to, render

__all__ = ["OPTIONAL_COLUMNS", "event_medallists", "router", "shown_columns"]

router = APIRouter(route_class=PageRoute, include_in_schema=False)

OPTIONAL_COLUMNS = ("rank", "result", "diff", "irm", "qualification_mark")
"""Result columns shown only when some row of the unit has a value in them."""

_FINISHED = "FINISHED"


def shown_columns(results: Iterable[ResultPublic]) -> frozenset[str]:
    """Return the optional result columns that have a value in at least one row.

    A column empty in every row would make a screen reader announce an empty cell on
    every line, so the page leaves it out.

    Args:
        results: the results of one unit.

    """
    rows = list(results)
    return frozenset(
        name for name in OPTIONAL_COLUMNS if any(getattr(r, name) not in {None, ""} for r in rows)
    )


def _discipline_name(session: Session, code: str) -> str:
    names = {d.code: d.name for d in queries.disciplines(session)}
    return names.get(code, code)


def event_medallists(
    session: Session, event: EventPublic, discipline_name: str
) -> list[MedallistPublic]:
    """Return the Olympic medallists of an event, names in the printed form.

    The medal files name events by discipline and event name, not by RSC.
    """
    found = medallists(session, "OG2024", discipline=discipline_name)
    return printed_medallists(session, (m for m in found if m.event_name == event.name))


def _unit_medals(
    session: Session, unit: UnitPublic, event: EventPublic | None, discipline_name: str
) -> dict[str, str]:
    """Map each medallist of a medal unit's event to the medal (`GOLD`...)."""
    if not unit.medal or event is None:
        return {}
    found = event_medallists(session, event, discipline_name)
    return {m.competitor_code: m.medal for m in found if m.competitor_code}


@router.get(f"/{LANG_PATH}/units/{{rsc}}", response_model=None)
def unit(request: Request, session: GamesSession, rsc: str) -> Response:
    """Render a unit with its results, live; the 404 page for an unknown RSC."""
    after = live.feed_position(session)
    found, moved = exact_or_upper(partial(queries.unit, session), rsc)
    if moved:
        return moved_to(request, f"/{lang_of(request)}/units/{found.rsc}")
    event = queries.event(session, found.event_rsc) if found.event_rsc else None
    discipline_name = _discipline_name(session, found.discipline_code)
    results = unit_results(session, found.rsc)
    end = results_end(session) if not results and found.status == _FINISHED else None
    context = {
        "nav": "schedule",
        "unit": found,
        "event": event,
        "discipline_name": discipline_name,
        "results": results,
        "columns": shown_columns(results),
        "medals": _unit_medals(session, found, event, discipline_name) if results else {},
        "results_end": end if end is not None and found.day > end else None,
        "noc_names": noc_names(session) if results else {},
        "live": live.unit_feed(session, after, found, live.page_url(request)),
        "tactile": found.discipline_code.upper() in TACTILE_FAMILIES,
    }
    return render(request, "unit.html", context)


@router.get(f"/{LANG_PATH}/events/{{code}}", response_model=None)
def event(request: Request, session: GamesSession, code: str) -> Response:
    """Render an event with its medallists and units; the 404 page for an unknown code."""
    found, moved = exact_or_upper(partial(queries.event, session), code)
    if moved:
        return moved_to(request, f"/{lang_of(request)}/events/{code.upper()}")
    discipline_name = _discipline_name(session, found.discipline_code)
    context = {
        "nav": "schedule",
        "event": found,
        "discipline_name": discipline_name,
        "medals": event_medallists(session, found, discipline_name),
        "units": queries.units_of_event(session, found.rsc),
        "noc_names": noc_names(session),
    }
    return render(request, "event.html", context)
