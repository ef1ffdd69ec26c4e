"""Fixtures of the accreditation tests: a private imported node, on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

from podium.accreditation import Desk, open_desk
from podium.core.db import Planes
from podium.core.settings import Settings
from podium.privacy.spine import open_spine
from tests.diffusion.conftest import live_planes, live_settings, pg_template, sqlite_settings

__all__ = ["Clock", "live_planes", "live_settings", "pg_template", "sqlite_settings"]

APPLIED_AT = datetime(2024, 5, 2, 9, 0, tzinfo=UTC)


class Clock:
    """A settable clock for the desk (the statutory timer is tested by moving it)."""

    def __init__(self, now: datetime = APPLIED_AT) -> None:
        """Start at `now`."""
        self.now = now

    def __call__(self) -> datetime:
        """Return the current test time."""
        return self.now


@pytest.fixture
def clock() -> Clock:
    """The desk's clock, starting on 2 May 2024 (three months before the Games)."""
    return Clock()


@pytest.fixture
def desk(live_settings: Settings, live_planes: Planes, clock: Clock) -> Iterator[Desk]:
    """A desk on a private imported node (SQLite, then PostgreSQL)."""
    spine = open_spine(live_settings)
    yield open_desk(live_settings, live_planes, spine, clock=clock)
    spine.close()


@pytest.fixture
def sqlite_desk(sqlite_settings: Settings, clock: Clock) -> Iterator[Desk]:
    """A desk on a private imported SQLite node (for tests of one backend)."""
    from podium.core.db import open_planes  # noqa: PLC0415
    from podium.migrations import upgrade_all  # noqa: PLC0415

    planes = open_planes(sqlite_settings)
    upgrade_all(planes.games, planes.sovereign)
    spine = open_spine(sqlite_settings)
    yield open_desk(sqlite_settings, planes, spine, clock=clock)
    spine.close()
    planes.dispose()
