"""Alembic migration trees, one per plane, and the functions that run them."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine

from podium.core.categories import Plane

__all__ = ["alembic_config", "upgrade_all", "upgrade_plane"]

_HERE = Path(__file__).resolve().parent


def alembic_config(plane: Plane, engine: Engine) -> Config:
    """Return the Alembic configuration of one plane's migration tree.

    Args:
        plane: which tree (`games` or `sovereign`).
        engine: the engine to migrate; handed to `env.py` through the attributes.
    """
    config = Config()
    config.set_main_option("script_location", str(_HERE / plane.value))
    config.attributes["engine"] = engine
    config.attributes["plane"] = plane
    return config


def upgrade_plane(plane: Plane, engine: Engine, revision: str = "head") -> None:
    """Migrate one plane's database to `revision` (default: the newest)."""
    command.upgrade(alembic_config(plane, engine), revision)


def upgrade_all(games: Engine, sovereign: Engine) -> None:
    """Migrate both planes to their newest revision."""
    upgrade_plane(Plane.GAMES, games)
    upgrade_plane(Plane.SOVEREIGN, sovereign)
