"""The web application: JSON API, ODF messages and public pages on one node."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse

from podium import __version__
from podium.api.accessibility_routes import router as accessibility_router
from podium.api.accreditation_routes import router as accreditation_router
from podium.api.capture_routes import router as capture_router
from podium.api.entries_routes import router as entries_router
from podium.api.feed_admin_routes import router as feed_admin_router
from podium.api.feed_routes import router as feed_router
from podium.api.gate_routes import router as gate_router
from podium.api.people_routes import router as people_router
from podium.api.privacy_routes import router as privacy_router
from podium.api.routes import router as api_router
from podium.api.subject_routes import router as subject_router
from podium.api.tactile_routes import router as tactile_router
from podium.api.ticket_routes import router as ticket_router
from podium.api.ticketing_routes import router as ticketing_router
from podium.core.db import Planes, open_planes
from podium.core.errors import (
    AuthenticationError,
    InvalidInputError,
    NotFoundError,
    PermissionDeniedError,
    PodiumError,
)
from podium.core.settings import Settings
from podium.diffusion.node import DiffusionNode
from podium.privacy.spine import Spine, open_spine
from podium.web.auth import StaffSignInRequiredError

__all__ = ["create_app"]


def create_app(
    settings: Settings | None = None,
    planes: Planes | None = None,
    spine: Spine | None = None,
    diffusion: DiffusionNode | None = None,
) -> FastAPI:
    """Build the application over migrated, imported planes.

    Args:
        settings: the node's settings (read from the environment when None).
        planes: already open planes (tests pass theirs); opened from settings when None.
        spine: the privacy services (policy, keys, audit); opened from settings when None,
            so that an invalid policy file stops the node at start.
        diffusion: the feed machinery (engine, broker, delivery services); made from the
            settings when None. It starts and stops with the application.

    """
    settings = settings or Settings()
    owned = planes is None
    owned_spine = spine is None

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.planes = planes or open_planes(settings)
        app.state.spine = spine or open_spine(settings)
        app.state.settings = settings
        app.state.diffusion = diffusion or DiffusionNode(app.state.planes, settings)
        await app.state.diffusion.start()
        yield
        await app.state.diffusion.stop()
        if owned:
            app.state.planes.dispose()
        if owned_spine:
            app.state.spine.close()

    app = FastAPI(
        title="Podium",
        version=__version__,
        description="Schedule, results, medals and ODF messages of the Games.",
        lifespan=lifespan,
    )
    app.include_router(api_router)
    app.include_router(privacy_router)
    app.include_router(subject_router)
    app.include_router(capture_router)
    app.include_router(feed_router)
    app.include_router(feed_admin_router)
    app.include_router(people_router)
    app.include_router(accreditation_router)
    app.include_router(entries_router)
    app.include_router(accessibility_router)
    app.include_router(tactile_router)
    app.include_router(ticketing_router)
    app.include_router(ticket_router)
    app.include_router(gate_router)
    _mount_optional(app)
    app.add_exception_handler(StaffSignInRequiredError, _sign_in)
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


_STATUS: tuple[tuple[type[PodiumError], int], ...] = (
    (NotFoundError, 404),
    (InvalidInputError, 422),
    (AuthenticationError, 401),
    (PermissionDeniedError, 403),
)


async def _podium_error(_request: Request, error: Exception) -> JSONResponse:
    status = next((s for kind, s in _STATUS if isinstance(error, kind)), 500)
    code = getattr(error, "code", "podium_error")
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
    return JSONResponse({"error": code, "detail": str(error)}, status_code=status, headers=headers)


async def _sign_in(request: Request, _error: Exception) -> RedirectResponse:
    """Send a visitor of a staff page who is not signed in to the sign-in page."""
    target = quote(request.url.path + (f"?{request.url.query}" if request.url.query else ""))
    return RedirectResponse(f"/staff/login?next={target}", status_code=303)


async def _invalid_request(_request: Request, error: Exception) -> JSONResponse:
    """Answer a request whose parameters break the API's types in Podium's error shape."""
    problems = error.errors() if isinstance(error, RequestValidationError) else []
    detail = [
        {"where": ".".join(str(p) for p in e.get("loc", ())), "problem": e.get("msg", "")}
        for e in problems
    ]
    return JSONResponse({"error": "invalid_request", "detail": detail}, status_code=422)
