"""The public pages: schedule, results and medals in English and French, server-rendered.

Every page lives under its language (`/en/...`, `/fr/...`) and offers the other language's
version of itself; `/` redirects to `/en/`. Missing objects render a 404 page, and
`install_error_pages` gives any other address a person may type (`/de/`) the same page.
"""

from __future__ import annotations

from importlib import resources

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, PlainTextResponse, RedirectResponse, Response

from podium.web import (
    accessibility_pages,
    accreditation_pages,
    entries_pages,
    medal_pages,
    scanner_pages,
    schedule_pages,
    staff_pages,
    statement_pages,
    tactile_pages,
    ticketing_pages,
    unit_pages,
)
from podium.web.error_pages import install_error_pages
from podium.web.i18n import LANGS
from podium.web.rendering import LANG_PATH, not_found

__all__ = ["install_error_pages", "router"]

router = APIRouter(include_in_schema=False)
router.include_router(schedule_pages.router)
router.include_router(unit_pages.router)
router.include_router(medal_pages.router)
router.include_router(staff_pages.router)
router.include_router(accreditation_pages.router)
router.include_router(entries_pages.router)
router.include_router(accessibility_pages.router)
router.include_router(tactile_pages.router)
router.include_router(ticketing_pages.router)
router.include_router(scanner_pages.router)
router.include_router(statement_pages.router)

_ASSETS = {
    "podium.css": "text/css; charset=utf-8",
    "accreditation.css": "text/css; charset=utf-8",
    "icon.svg": "image/svg+xml",
    "live.js": "text/javascript; charset=utf-8",
    "describe.js": "text/javascript; charset=utf-8",
    "tactile.js": "text/javascript; charset=utf-8",
    "tactile_input.js": "text/javascript; charset=utf-8",
    "ticketing.js": "text/javascript; charset=utf-8",
    "ticketing.css": "text/css; charset=utf-8",
    "scanner.js": "text/javascript; charset=utf-8",
}
_ROBOTS = "User-agent: *\nAllow: /\n"


@router.get("/")
def root() -> RedirectResponse:
    """Send a visitor to the home page in the default language."""
    return RedirectResponse(f"/{LANGS[0]}/", status_code=307)


@router.get("/assets/{name}")
def asset(name: str) -> Response:
    """Serve a static file of the pages (style sheet, icon, live script); 404 for any other."""
    media_type = _ASSETS.get(name)
    if media_type is None:
        return Response(status_code=404)
    content = (resources.files("podium.web") / "static" / name).read_bytes()
    headers = {"Cache-Control": "public, max-age=3600"}
    return Response(content, media_type=media_type, headers=headers)


@router.get("/robots.txt")
def robots() -> PlainTextResponse:
    """Let every crawler read every page: the pages hold only what the Games publish."""
    return PlainTextResponse(_ROBOTS, headers={"Cache-Control": "public, max-age=86400"})


@router.get("/favicon.ico")
def favicon() -> Response:
    """Answer the browsers' blind request for an icon: the pages link `icon.svg` instead."""
    return Response(status_code=204, headers={"Cache-Control": "public, max-age=86400"})


@router.get(f"/{LANG_PATH}/{{rest:path}}")
def unknown_page(request: Request) -> HTMLResponse:
    """Render the 404 page for any other address under a language."""
    return not_found(request)
