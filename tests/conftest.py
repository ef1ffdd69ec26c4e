"""Shared fixtures: an imported Paris 2024 node on SQLite, and the real services.

PostgreSQL and NATS are real servers (DESIGN.md). When one is unreachable, its tests
are skipped with the reason on a developer's machine, and FAIL under CI (`CI=true`),
where both must run.
"""

from __future__ import annotations

import os
import socket
import tempfile
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlparse

import pytest

from podium.core.db import Planes, open_planes
from podium.core.settings import Settings
from podium.migrations import upgrade_all
from podium.paris2024 import DEFAULT_SOURCE, ImportOptions, ImportReport, import_paris2024
from podium.privacy.spine import Spine, open_spine
from tests.operators import TestOperator, create_test_operators

POSTGRES_URL = os.environ.get(
    "PODIUM_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)
NATS_URL = os.environ.get("PODIUM_TEST_NATS_URL", "nats://127.0.0.1:4222")
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
pytest_plugins = ["tests.accessibility_audit"]  # the audit the accessibility statement reads


def pytest_configure(config: pytest.Config) -> None:
    """Point any `Settings()` a test builds without a data folder at a throwaway one.

    Without this, such a test would create `var/keys` (master key, subject keys, audit
    signing key) inside the checkout, which the demo would then silently reuse.
    """
    del config
    if "PODIUM_DATA_DIR" not in os.environ:
        os.environ["PODIUM_DATA_DIR"] = tempfile.mkdtemp(prefix="podium-tests-")


def _reachable(url: str, default_port: int) -> bool:
    parsed = urlparse(url.replace("+psycopg", ""))
    try:
        with socket.create_connection(
            (parsed.hostname or "127.0.0.1", parsed.port or default_port), 2
        ):
            return True
    except OSError:
        return False


def require_service(name: str, url: str, port: int) -> None:
    """Skip (developer machine) or fail (CI) when a service is unreachable."""
    if _reachable(url, port):
        return
    message = f"{name} is not reachable at {url}: its tests did not run"
    if IN_CI:
        pytest.fail(message + " (CI must run them)", pytrace=False)
    pytest.skip(message)


@pytest.fixture(scope="session")
def imported(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[Planes, ImportReport, Path]]:
    """A SQLite node with the bundled Paris 2024 data imported once per test session."""
    data_dir = tmp_path_factory.mktemp("node")
    planes = open_planes(Settings(data_dir=data_dir))
    upgrade_all(planes.games, planes.sovereign)
    report = import_paris2024(planes, ImportOptions(source=DEFAULT_SOURCE, data_dir=data_dir))
    yield planes, report, data_dir
    planes.dispose()


@pytest.fixture(scope="session")
def planes(imported: tuple[Planes, ImportReport, Path]) -> Planes:
    """The imported SQLite planes."""
    return imported[0]


@pytest.fixture(scope="session")
def node_settings(imported: tuple[Planes, ImportReport, Path]) -> Settings:
    """Settings of the imported node (plain-HTTP test client: cookies not `Secure`)."""
    return Settings(data_dir=imported[2], secure_cookies=False)


@pytest.fixture(scope="session")
def spine(node_settings: Settings) -> Iterator[Spine]:
    """The imported node's privacy services (policy, keys, cipher, audit log)."""
    opened = open_spine(node_settings)
    yield opened
    opened.close()


@pytest.fixture(scope="session")
def operators(planes: Planes, spine: Spine) -> dict[str, TestOperator]:
    """The test operators of `tests/operators.py`, created once on the imported node."""
    return create_test_operators(planes, spine)


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Say plainly, at the end, which service-backed tests did not run and why."""
    skipped = terminalreporter.stats.get("skipped", [])
    reasons = sorted(
        {
            str(report.longrepr[2]).removeprefix("Skipped: ")
            for report in skipped
            if isinstance(report.longrepr, tuple) and "not reachable" in str(report.longrepr[2])
        }
    )
    if reasons:
        terminalreporter.section("tests that did not run")
        for reason in reasons:
            terminalreporter.write_line(reason)
