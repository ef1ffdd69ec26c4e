"""Pages of the medals: the medal table, the medallists, the NOCs and one NOC's medals."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from podium.core.errors import NotFoundError
from podium.games import queries
from podium.results import Competition, medal_table, medallists
from podium.web.deps import GamesSession
from podium.web.rendering import LANG_PATH, PageRoute, render

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


def _noc_names(session: GamesSession) -> dict[str, str]:
    return {n.code: n.name for n in queries.nocs(session)}


@router.get(f"/{LANG_PATH}/medals")
def medals(request: Request, session: GamesSession, games: str | None = None) -> HTMLResponse:
    """Render the medal table of the Olympic or the Paralympic Games."""
    competition = games_of(games)
    context = {
        "nav": "medals",
        "games": competition.value,
        "all_games": _ALL_GAMES,
        "table": medal_table(session, competition.value),
        "noc_names": _noc_names(session),
    }
    return render(request, "medals.html", context)


@router.get(f"/{LANG_PATH}/medallists")
def medallist_list(
    request: Request, session: GamesSession, games: str | None = None, noc: str | None = None
) -> HTMLResponse:
    """Render the medallists of a Games, of every NOC or one."""
    competition = games_of(games)
    names = _noc_names(session)
    with_medals = sorted({s.noc for s in medallists(session, competition.value)})
    context = {
        "nav": "medallists",
        "games": competition.value,
        "all_games": _ALL_GAMES,
        "noc": noc or None,
        "noc_names": names,
        "noc_options": [(code, f"{names.get(code, code)} ({code})") for code in with_medals],
        "medallists": medallists(session, competition.value, noc=noc or None),
    }
    return render(request, "medallists.html", context)


@router.get(f"/{LANG_PATH}/nocs")
def noc_list(request: Request, session: GamesSession) -> HTMLResponse:
    """Render every NOC, with links to their medals."""
    return render(request, "nocs.html", {"nav": "nocs", "nocs": queries.nocs(session)})


@router.get(f"/{LANG_PATH}/nocs/{{code}}")
def noc(request: Request, session: GamesSession, code: str) -> HTMLResponse:
    """Render an NOC with its medals at each Games; the 404 page for an unknown code."""
    found = queries.noc(session, code)
    sections = []
    for competition in Competition:
        table = medal_table(session, competition.value)
        standing = next((s for s in table if s.noc == found.code), None)
        sections.append(
            (competition.value, standing, medallists(session, competition.value, noc=found.code))
        )
    return render(request, "noc.html", {"nav": "nocs", "noc": found, "sections": sections})
