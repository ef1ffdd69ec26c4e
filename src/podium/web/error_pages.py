"""The HTML 404 page for addresses no route serves, outside the machine interfaces.

Starlette answers an address that matches no route by raising `HTTPException(404)`, which
FastAPI turns into `{"detail": "Not Found"}`. A person who types `/de/` or follows an old
link should get the 404 page instead; programs reading the JSON API, the ODF messages or
the OpenAPI documents keep their JSON errors.
"""

from __future__ import annotations

from fastapi import FastAPI, Request, Response
from fastapi.exception_handlers import http_exception_handler
from starlette.exceptions import HTTPException

from podium.web.rendering import not_found

__all__ = ["MACHINE_PATHS", "install_error_pages", "is_page_path"]

MACHINE_PATHS = frozenset({"api", "odf", "docs", "redoc", "openapi.json"})
"""First path segments of the addresses read by programs: their errors stay JSON."""


def is_page_path(path: str) -> bool:
    """Return whether an address is one a person reads (so its 404 is the HTML page).

    Args:
        path: the request path, as in `/de/medals` or `/api/units/X`.

    """
    first = path.lstrip("/").split("/", 1)[0]
    return first not in MACHINE_PATHS


async def _http_error(request: Request, error: Exception) -> Response:
    if (
        isinstance(error, HTTPException)
        and error.status_code == 404
        and is_page_path(request.url.path)
    ):
        return not_found(request)
    if not isinstance(error, HTTPException):
        raise error
    return await http_exception_handler(request, error)


def install_error_pages(app: FastAPI) -> None:
    """Answer a 404 outside the machine interfaces with the HTML page, in English.

    Every other HTTP error, and any 404 under `MACHINE_PATHS`, keeps FastAPI's JSON answer.

    Args:
        app: the application serving the pages (`podium.api.create_app` calls this).

    """
    app.add_exception_handler(HTTPException, _http_error)
