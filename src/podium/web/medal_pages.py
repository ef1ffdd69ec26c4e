"""Pages of the medals: the medal table, the medallists, the NOCs and one NOC's medals.

The Olympic Games have National Olympic Committees (NOC), the Paralympic Games National
Paralympic Committees (NPC); the templates name them by the Games shown (`committee`).
"""

from __future__ import annotations

from functools import partial

from fastapi import APIRouter, Request, Response
from fastapi.responses import HTMLResponse

from podium.core.errors import NotFoundError
from podium.games import queries
from podium.results import Competition, medal_table, medallists
from podium.web import live
from podium.web.deps import GamesSession
from podium.web.names import noc_names, printed_medallists
from podium.web.rendering import LANG_PATH, PageRoute, exact_or_upper, lang_of, moved_to, render

__all__ = ["games_of", "router"]

router = APIRouter(route_class=PageRoute, include_in_schema=False)

_ALL_GAMES = [c.value for c in Competition]


def games_of(value: str | None) -> Competition:
    """Return the Games a page shows: the Olympic Games by default.

    Args:
        value: the `games` query value (`OG2024`, `PG2024`), or None.

    Raises:
        NotFoundError: `games_not_found` for any other value.

    """
    if not value:
        return Competition.OG2024
    try:
        return Competition(value)
    except ValueError:
        raise NotFoundError(f"no Games {value!r}", code="games_not_found") from None


def _option(code: str, name: str) -> tuple[str, str]:
    return code, name if name == code else f"{name} ({code})"


@router.get(f"/{LANG_PATH}/medals")
def medals(request: Request, session: GamesSession, games: str | None = None) -> HTMLResponse:
    """Render the medal table of the Olympic or the Paralympic Games, live."""
    after = live.feed_position(session)
    competition = games_of(games)
    context = {
        "nav": "medals",
        "games": competition.value,
        "all_games": _ALL_GAMES,
        "table": medal_table(session, competition.value),
        "noc_names": noc_names(session),
        "live": live.medals_feed(session, after, competition.value, live.page_url(request)),
    }
    return render(request, "medals.html", context)


@router.get(f"/{LANG_PATH}/medallists")
def medallist_list(
    request: Request, session: GamesSession, games: str | None = None, noc: str | None = None
) -> HTMLResponse:
    """Render the medallists of a Games, of every NOC or one."""
    competition = games_of(games)
    names = noc_names(session)
    chosen = noc.upper() if noc else None
    with_medals = sorted({s.noc for s in medallists(session, competition.value)})
    context = {
        "nav": "medallists",
        "games": competition.value,
        "all_games": _ALL_GAMES,
        "noc": chosen,
        "noc_names": names,
        "noc_options": [_option(code, names.get(code, code)) for code in with_medals],
        "medallists": printed_medallists(
            session, medallists(session, competition.value, noc=chosen)
        ),
    }
    return render(request, "medallists.html", context)


@router.get(f"/{LANG_PATH}/nocs")
def noc_list(request: Request, session: GamesSession) -> HTMLResponse:
    """Render every NOC, with links to their medals."""
    return render(request, "nocs.html", {"nav": "nocs", "nocs": queries.nocs(session)})


@router.get(f"/{LANG_PATH}/nocs/{{code}}", response_model=None)
def noc(request: Request, session: GamesSession, code: str) -> Response:
    """Render an NOC with its medals at each Games; the 404 page for an unknown code.

    A code typed in lower case (`usa`) redirects to the upper-case address.
    """
    found, moved = exact_or_upper(partial(queries.noc, session), code)
    if moved:
        return moved_to(request, f"/{lang_of(request)}/nocs/{found.code}")
    sections = []
    for competition in Competition:
        table = medal_table(session, competition.value)
        standing = next((s for s in table if s.noc == found.code), None)
        won = medallists(session, competition.value, noc=found.code)
        sections.append((competition.value, standing, printed_medallists(session, won)))
    context = {"nav": "nocs", "noc": found, "sections": sections, "noc_names": noc_names(session)}
    return render(request, "noc.html", context)
