"""The web application: JSON API, ODF messages and public pages on one node."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from podium import __version__
from podium.api.routes import router as api_router
from podium.core.db import Planes, open_planes
from podium.core.errors import InvalidInputError, NotFoundError, PodiumError
from podium.core.settings import Settings

__all__ = ["create_app"]


def create_app(settings: Settings | None = None, planes: Planes | None = None) -> FastAPI:
    """Build the application over migrated, imported planes.

    Args:
        settings: the node's settings (read from the environment when None).
        planes: already open planes (tests pass theirs); opened from settings when None.

    """
    settings = settings or Settings()
    owned = planes is None

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.planes = planes or open_planes(settings)
        app.state.settings = settings
        yield
        if owned:
            app.state.planes.dispose()

    app = FastAPI(
        title="Podium",
        version=__version__,
        description="Schedule, results, medals and ODF messages of the Games.",
        lifespan=lifespan,
    )
    app.include_router(api_router)
    _mount_optional(app)
    app.add_exception_handler(PodiumError, _podium_error)
    app.add_exception_handler(RequestValidationError, _invalid_request)
    return app


def _mount_optional(app: FastAPI) -> None:
    from podium.api.odf_routes import router as odf_router  # noqa: PLC0415
    from podium.web import install_error_pages  # noqa: PLC0415
    from podium.web import router as web_router  # noqa: PLC0415

    app.include_router(odf_router)
    app.include_router(web_router)
    install_error_pages(app)


async def _podium_error(_request: Request, error: Exception) -> JSONResponse:
    status = (
        404
        if isinstance(error, NotFoundError)
        else 422
        if isinstance(error, InvalidInputError)
        else 500
    )
    code = getattr(error, "code", "podium_error")
    return JSONResponse({"error": code, "detail": str(error)}, status_code=status)


async def _invalid_request(_request: Request, error: Exception) -> JSONResponse:
    """Answer a request whose parameters break the API's types in Podium's error shape."""
    problems = error.errors() if isinstance(error, RequestValidationError) else []
    detail = [
        {"where": ".".join(str(p) for p in e.get("loc", ())), "problem": e.get("msg", "")}
        for e in problems
    ]
    return JSONResponse({"error": "invalid_request", "detail": detail}, status_code=422)
