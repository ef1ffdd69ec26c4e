"""Fan pages of the ticketing: sessions on sale and a session's price categories.

- `GET /{lang}/tickets`: the ticketed sessions of the real Paris 2024 schedule, one day at a
  time (`?day=`), with the units left; how each is sold (open sale or draw).
- `GET /{lang}/tickets/sessions/{code}`: a session: its units (links to the results and,
  for sports with a tracked ball, the tactile tablet page), the price categories with
  units left, the accessible places (wheelchair with a companion seat) and the tactile
  tablet add-on; the form to hold units (open sale, or a draw winner inside their purchase
  slot) and the form to enter an open draw.

The other fan pages are in `ticketing_account` (sign-up, sign-in, account),
`ticketing_buying` (draw, cart, checkout) and `ticketing_wallet` (tickets, transfer,
resale); their routers are included here. Shared helpers: `ticketing_support`.
"""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter, Request, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from podium.accessibility import tactile_rules
from podium.games import Unit, queries
from podium.ticketing import (
    DEFAULT_RULES,
    Draw,
    session_availability,
    ticketed_sessions,
)
from podium.web import ticketing_account, ticketing_buying, ticketing_wallet
from podium.web.i18n import language
from podium.web.rendering import LANG_PATH, PageRoute, lang_of
from podium.web.ticketing_support import fan_page, now_of, planes_of, signed_in_fan

__all__ = ["router"]

router = APIRouter(include_in_schema=False, route_class=PageRoute)


def _names(games: Session) -> dict[str, dict[str, str]]:
    """Return the published names of disciplines and venues by code."""
    return {
        "disciplines": {d.code: d.name for d in queries.disciplines(games)},
        "venues": {v.code: v.name for v in queries.venues(games)},
    }


def _day(value: str | None, days: list[date]) -> date | None:
    try:
        chosen = date.fromisoformat(value) if value else None
    except ValueError:
        chosen = None
    if chosen in days:
        return chosen
    return days[0] if days else None


@router.get(f"/{LANG_PATH}/tickets", response_model=None)
def sessions(request: Request, day: str | None = None) -> Response:
    """Render the ticketed sessions of one day (the first day by default)."""
    lang = language(lang_of(request))
    with planes_of(request).games_session() as games:
        every = ticketed_sessions(games)
        names = _names(games)
    days = sorted({lang.local_day(s.starts_at) for s in every})
    chosen = _day(day, days)
    shown = [s for s in every if lang.local_day(s.starts_at) == chosen]
    context = {"sessions": shown, "days": days, "day": chosen, **names}
    return fan_page(request, "sessions.html", context, fan=signed_in_fan(request))


def _units(games: Session, code: str) -> list[dict[str, object]]:
    rows = games.execute(
        select(Unit.rsc, Unit.name, Unit.discipline_code, Unit.starts_at)
        .where(Unit.session_code == code)
        .order_by(Unit.starts_at, Unit.rsc)
    ).all()
    return [
        {
            "rsc": rsc,
            "name": name,
            "starts_at": starts,
            "tactile": discipline.upper() in tactile_rules.FAMILIES,
        }
        for rsc, name, discipline, starts in rows
    ]


@router.get(f"/{LANG_PATH}/tickets/sessions/{{code}}", response_model=None)
def session_page(request: Request, code: str, error: str | None = None) -> Response:
    """Render a session's price categories, accessible places, tablet add-on and forms."""
    now = now_of(request)
    with planes_of(request).games_session() as games:
        rows = session_availability(games, code)
        summary = next(s for s in ticketed_sessions(games) if s.session_code == code)
        units = _units(games, code)
        names = _names(games)
        draws = [
            d
            for d in games.scalars(select(Draw).where(Draw.seed.is_(None)))
            if d.registration_opens_at <= now < d.registration_closes_at
        ]
        games.expunge_all()
    context = {
        "session": summary,
        "seats": [r for r in rows if r.kind == "seat"],
        "accessible": [r for r in rows if r.kind not in {"seat", "tablet"}],
        "tablets": [r for r in rows if r.kind == "tablet"],
        "units": units,
        "draws": draws,
        "error": error,
        "session_limit": DEFAULT_RULES.session_limit,
        **names,
    }
    return fan_page(request, "session.html", context, fan=signed_in_fan(request))


router.include_router(ticketing_account.router)
router.include_router(ticketing_buying.router)
router.include_router(ticketing_wallet.router)
