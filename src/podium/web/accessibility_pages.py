"""Pages of the live descriptions: a unit's and a venue's channel, read aloud.

`/{lang}/units/{rsc}/described` and `/{lang}/venues/{code}/described` list the latest
descriptions in the page's language (newest last) and, with JavaScript
(`/assets/describe.js`), add new ones as they come from `/feed/descriptions`, announce
the newest through a polite live region (one announcement per burst, never the list) and
play the audio on request (a toggle button). Without JavaScript the list, a link to each
sentence's audio and a Refresh link remain. Nothing moves: there is no animation to
reduce.

Rule sources: WCAG 2.2 4.1.3 Status Messages (the live region), 2.2.2 Pause, Stop, Hide
and 1.4.2 Audio Control (audio starts only when asked, and stops with the same button).
"""

from __future__ import annotations

import asyncio
import contextlib

from fastapi import APIRouter, Request, Response

from podium.accessibility import Channel, Description, DescriptionService, descriptions_of
from podium.core.errors import NotFoundError
from podium.games import queries
from podium.web.deps import GamesSession
from podium.web.rendering import LANG_PATH, PageRoute, lang_of, render

__all__ = ["SHOWN", "router"]

router = APIRouter(route_class=PageRoute, include_in_schema=False)

SHOWN = 50
"""How many of a channel's latest descriptions a page lists."""

_READY_S = 10.0


async def _service(request: Request) -> DescriptionService:
    service = descriptions_of(request.app.state)
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(service.ready.wait(), timeout=_READY_S)
    return service


def _audio(description: Description, lang: str) -> str:
    seq, _, index = description.id.partition("-")
    return f"/api/units/{description.unit}/descriptions/{seq}/{index}.{lang}.wav"


def _page(
    request: Request, name: str, query: str, found: list[Description], unit: str | None = None
) -> Response:
    lang = lang_of(request)
    sentences = [(d.id, d.text(lang), _audio(d, lang)) for d in found[-SHOWN:]]
    context = {
        "name": name,
        "sentences": sentences,
        "stream": f"/feed/descriptions?{query}&lang={lang}",
        "last_id": sentences[-1][0] if sentences else "",
        "refresh": request.url.path,
        # A unit's channel links back to the unit's results, as its tactile page does.
        "results": f"/{lang}/units/{unit}" if unit else None,
    }
    return render(request, "accessibility/described.html", context)


@router.get(f"/{LANG_PATH}/units/{{rsc}}/described", response_model=None)
async def unit_described(request: Request, rsc: str) -> Response:
    """Render a unit's live descriptions; the 404 page for an unknown RSC."""
    service = await _service(request)
    info = service.units.get(rsc)
    if info is None:
        raise NotFoundError(f"no unit {rsc}", code="unit_not_found")
    page = _page(request, info.name, f"unit={rsc}", service.channel(Channel(unit=rsc)), rsc)
    page.headers["Cache-Control"] = "no-store"
    return page


@router.get(f"/{LANG_PATH}/venues/{{code}}/described", response_model=None)
async def venue_described(request: Request, session: GamesSession, code: str) -> Response:
    """Render a venue's live descriptions (every unit played there); 404 for an unknown code."""
    venue = next((v for v in queries.venues(session) if v.code == code), None)
    if venue is None:
        raise NotFoundError(f"no venue {code}", code="venue_not_found")
    service = await _service(request)
    page = _page(request, venue.name, f"venue={code}", service.channel(Channel(venue=code)))
    page.headers["Cache-Control"] = "no-store"
    return page
