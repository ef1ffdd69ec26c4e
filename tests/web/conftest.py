"""Fixtures of the page tests: the real Paris 2024 Games imported once, an app over them."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from fastapi.testclient import TestClient
from playwright.sync_api import Browser, Page
from tests.web.browsing import chromium, fresh_page, live_server

from podium.core.db import Planes, open_planes
from podium.core.errors import PodiumError
from podium.core.settings import Settings
from podium.migrations import upgrade_all
from podium.paris2024 import DEFAULT_SOURCE, ImportOptions, import_paris2024
from podium.web import install_error_pages, router


@pytest.fixture(scope="session")
def planes(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Planes]:
    data_dir: Path = tmp_path_factory.mktemp("podium-web")
    opened = open_planes(Settings(data_dir=data_dir))
    upgrade_all(opened.games, opened.sovereign)
    import_paris2024(opened, ImportOptions(source=DEFAULT_SOURCE, data_dir=data_dir))
    yield opened
    opened.dispose()


async def _json_error(_request: Request, error: Exception) -> JSONResponse:
    # The JSON API answers Podium errors as JSON; pages must still answer with HTML.
    return JSONResponse({"error": getattr(error, "code", "podium_error")}, status_code=500)


def pages_app(planes: Planes) -> FastAPI:
    """Build an app serving the pages the way `podium.api.create_app` mounts them."""
    app = FastAPI()
    app.state.planes = planes
    app.include_router(router)
    app.add_exception_handler(PodiumError, _json_error)
    install_error_pages(app)
    return app


@pytest.fixture(scope="session")
def client(planes: Planes) -> Iterator[TestClient]:
    with TestClient(pages_app(planes)) as test_client:
        yield test_client


@pytest.fixture(scope="session")
def server(planes: Planes) -> Iterator[str]:
    """Serve the pages with uvicorn on a free local port, in a thread; yield the base URL."""
    with live_server(pages_app(planes)) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Debian's headless Chromium, once per test module."""
    with chromium() as launched:
        yield launched


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """A fresh page that asks for reduced motion."""
    with fresh_page(browser) as opened:
        yield opened
