"""Pages of the tactile stream: the reference tablet page and the operator input page.

- `/{lang}/units/{rsc}/tactile` (public): the ball drawn large on a high-contrast field
  (SVG), moved by the unit's tactile stream (`/assets/tactile.js` on
  `WS /feed/tactile/{rsc}`); key events and the score are announced in a polite live
  region (never each position) and felt as vibration patterns where the device has
  `navigator.vibrate` and the fan leaves it on. Without JavaScript the page says what it
  needs and links to the unit's results page.
- `/staff/{lang}/tactile/{rsc}` (signed-in staff allowed to track, `tactile.may_track`):
  a playing area where the pointer, or the arrow keys (Shift: larger steps), move the
  ball, and keys or buttons send key events (`/assets/tactile_input.js`, posting to
  `POST /api/tactile/{rsc}/frames` with the session's CSRF token).

The tablet page links to the booking of a tactile tablet: the tablet add-on of the
ticketing (`/{lang}/tickets/sessions/{code}#tablets`, booked with the seats), with the
tablets left for the unit's session, when that session is on sale.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from fastapi import APIRouter, Request, Response
from sqlalchemy.orm import Session

from podium.accessibility import tactile, tactile_rules
from podium.games import queries
from podium.games.schemas import UnitPublic
from podium.results import unit_results
from podium.ticketing import TicketingNotFoundError, session_availability
from podium.web.auth import CurrentOperator
from podium.web.deps import GamesSession
from podium.web.i18n import LANGS, other_lang
from podium.web.rendering import LANG_PATH, PageRoute, exact_or_upper, lang_of, moved_to, render
from podium.web.staff_support import StaffRoute, error_page

__all__ = ["FIELDS", "VIBRATIONS", "router", "staff_router"]

FIELDS: dict[tactile_rules.Family, tuple[int, int]] = {
    "pitch": (1050, 680),
    "court": (1000, 540),
    "table": (1000, 556),
}
"""The drawn playing area per family, SVG units (1050 × 680: a 105 m × 68 m pitch)."""

VIBRATIONS: dict[tactile_rules.KeyEvent, list[int]] = {
    "goal": [400, 100, 400, 100, 400],
    "point": [200, 100, 200],
    "serve": [100],
    "possession": [60, 60, 60],
    "shot": [250],
    "foul": [100, 50, 100, 50, 100],
    "period_start": [600],
    "period_end": [600, 200, 600],
}
"""Vibration patterns per key event (milliseconds on, off, on...: `navigator.vibrate`);
each differs in rhythm, not only in length, so a hand tells them apart."""

_STAFF_HEADERS = {
    "Cache-Control": "no-store",
    "Content-Security-Policy": "frame-ancestors 'none'",
    "Referrer-Policy": "same-origin",
}

router = APIRouter(include_in_schema=False, route_class=PageRoute)
staff_router = APIRouter(include_in_schema=False, route_class=StaffRoute)


def _tracked_unit(session: Session, rsc: str) -> tuple[UnitPublic, bool]:
    found, moved = exact_or_upper(partial(queries.unit, session), rsc)
    return found, moved


def _family(unit: UnitPublic) -> tactile_rules.Family | None:
    try:
        return tactile_rules.family_of(unit.discipline_code)
    except tactile_rules.TactileSportError:
        return None


def _sides(session: Session, rsc: str) -> list[str]:
    """Return the NOCs of a unit's two sides as its results list them, else empty."""
    nocs = list(dict.fromkeys(r.noc for r in unit_results(session, rsc) if r.noc))
    return nocs[:2] if len(nocs) >= 2 else []


def _tablet_booking(session: Session, found: UnitPublic) -> dict[str, Any] | None:
    """Return the unit's session code and the tactile tablets left, if the session is on sale.

    None when the unit has no session, the session is not ticketed, or it offers no tablet
    add-on (a venue without tablets).
    """
    if found.session_code is None:
        return None
    try:
        rows = session_availability(session, found.session_code)
    except TicketingNotFoundError:
        return None
    tablets = [r for r in rows if r.kind == "tablet"]
    if not tablets:
        return None
    return {"session": found.session_code, "left": sum(r.available for r in tablets)}


def _field(family: tactile_rules.Family) -> dict[str, Any]:
    width, height = FIELDS[family]
    return {"family": family, "width": width, "height": height}


@router.get(f"/{LANG_PATH}/units/{{rsc}}/tactile", response_model=None)
def tablet(request: Request, session: GamesSession, rsc: str) -> Response:
    """Render a unit's reference tablet page; the 404 page for an unknown RSC.

    A unit of a sport without a tracked ball gets the page too, saying so.
    """
    found, moved = _tracked_unit(session, rsc)
    if moved:
        return moved_to(request, f"/{lang_of(request)}/units/{found.rsc}/tactile")
    family = _family(found)
    context = {
        "nav": "schedule",
        "unit": found,
        "field": _field(family) if family else None,
        "stream": f"/feed/tactile/{found.rsc}",
        "vibrations": VIBRATIONS,
        "booking": _tablet_booking(session, found),
    }
    return render(request, "tactile/tablet.html", context)


@staff_router.get(f"/staff/{LANG_PATH}/tactile/{{rsc}}", response_model=None)
def operator_page(
    request: Request, session: GamesSession, principal: CurrentOperator, rsc: str
) -> Response:
    """Render the operator input page of a unit (staff allowed to track its ball).

    A member of staff without a tracking role gets the 403 page; an unknown unit, or
    one of a sport without a tracked ball, the 404 page.
    """
    found = queries.unit(session, rsc.upper())
    family = _family(found)
    if family is None:
        return error_page(request, principal, 404, "This unit's sport has no ball to track.")
    if not tactile.may_track(principal, found.discipline_code):
        message = "Tracking the ball needs the results-manager or accessibility-coordinator role."
        return error_page(request, principal, 403, message)
    lang = lang_of(request)
    context = {
        "principal": principal,
        "unit": found,
        "field": _field(family),
        "sides": _sides(session, found.rsc) or ["", ""],
        "post": f"/api/tactile/{found.rsc}/frames",
        "tablet": f"/{lang}/units/{found.rsc}/tactile",
        "switch": f"/staff/{other_lang(lang)}/tactile/{found.rsc}",
        "langs": LANGS,
    }
    response = render(request, "tactile/operator.html", context)
    response.headers.update(_STAFF_HEADERS)
    return response


router.include_router(staff_router)
