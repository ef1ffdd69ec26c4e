"""Fixtures of the page tests: the real Paris 2024 Games imported once, an app over them."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from fastapi.testclient import TestClient

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


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@pytest.fixture(scope="session")
def server(planes: Planes) -> Iterator[str]:
    """Serve the pages with uvicorn on a free local port, in a thread; yield the base URL."""
    port = _free_port()
    config = uvicorn.Config(pages_app(planes), host="127.0.0.1", port=port, log_level="warning")
    instance = uvicorn.Server(config)
    thread = threading.Thread(target=instance.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not instance.started:
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("uvicorn did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    instance.should_exit = True
    thread.join(timeout=10)
