"""What the ticketing page tests share: a private node with tickets on sale, its app clock.

Each fan-page module (and the tactile booking test) works on its own copy of the
session's imported node, so that what it sells and signs up stays its own.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from fastapi import FastAPI
from tests.diffusion.conftest import copy_sqlite_node

from podium.api import create_app
from podium.core.db import Planes, open_planes
from podium.core.settings import Settings
from podium.migrations import upgrade_all
from podium.privacy.spine import Spine, open_spine
from podium.ticketing import load_inventory, load_venue_plans

START = datetime(2024, 5, 2, 9, 0, tzinfo=UTC)
"""The test time the application's clock starts at: during the sale, before the Games."""


class Clock:
    """The application's settable clock (`app.state.clock`)."""

    def __init__(self, now: datetime = START) -> None:
        """Start at `now`."""
        self.now = now

    def __call__(self) -> datetime:
        """Return the current test time."""
        return self.now


@dataclass
class TicketingNode:
    """A private node with the bundled venue plans on sale, and its application."""

    settings: Settings
    planes: Planes
    spine: Spine
    app: FastAPI
    clock: Clock


@contextmanager
def ticketing_node(source: Path, folder: Path, sale_mode: str = "draw") -> Iterator[TicketingNode]:
    """Copy the imported node at `source` into `folder`, put its sessions on sale, open it.

    Args:
        source: the imported node's data folder (`imported[2]`).
        folder: an empty folder for the copy.
        sale_mode: how every session is sold, `draw` or `open`.
    """
    copy_sqlite_node(source, folder)
    settings = Settings(data_dir=folder, secure_cookies=False)
    planes = open_planes(settings)
    upgrade_all(planes.games, planes.sovereign)
    with planes.games_session() as games:
        load_inventory(games, load_venue_plans(), sale_mode=sale_mode)
    spine = open_spine(settings)
    clock = Clock()
    app = create_app(settings, planes, spine)
    app.state.clock = clock
    try:
        yield TicketingNode(settings, planes, spine, app, clock)
    finally:
        spine.close()
        planes.dispose()
