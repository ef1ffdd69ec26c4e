"""The two database planes: one engine, metadata and migration tree each.

The sovereign plane (identity, birth dates, documents, photos, audit) lives with a
trusted EU host; the games plane (competition, results, medals, feed) may live in any
cloud (DESIGN.md, "Two planes"). They are two databases: nothing joins across them in
SQL, and people are linked across them only by a pseudonymous subject ID.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine, MetaData, create_engine, event
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker

from podium.core.categories import Plane
from podium.core.settings import Settings

__all__ = ["GamesBase", "Planes", "SovereignBase", "open_planes"]

_NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class GamesBase(DeclarativeBase):
    """Declarative base of the games plane (competition data, any cloud)."""

    metadata = MetaData(naming_convention=_NAMING, info={"plane": Plane.GAMES})


class SovereignBase(DeclarativeBase):
    """Declarative base of the sovereign plane (personal data, EU host only)."""

    metadata = MetaData(naming_convention=_NAMING, info={"plane": Plane.SOVEREIGN})


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def make_engine(url: str) -> Engine:
    """Create an engine for one plane, with SQLite's foreign keys and WAL switched on.

    Args:
        url: SQLAlchemy URL (`sqlite:///path` or `postgresql+psycopg://...`).

    Returns:
        The engine.

    """
    engine = create_engine(url, future=True)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine


@dataclass(frozen=True)
class Planes:
    """The open engines and session factories of both planes.

    Attributes:
        games: engine of the games plane.
        sovereign: engine of the sovereign plane.

    """

    games: Engine
    sovereign: Engine

    @contextmanager
    def games_session(self) -> Iterator[Session]:
        """Open a games-plane session in one transaction, committed on success."""
        with sessionmaker(self.games, expire_on_commit=False).begin() as session:
            yield session

    @contextmanager
    def sovereign_session(self) -> Iterator[Session]:
        """Open a sovereign-plane session in one transaction, committed on success."""
        with sessionmaker(self.sovereign, expire_on_commit=False).begin() as session:
            yield session

    def dispose(self) -> None:
        """Close every pooled connection of both engines."""
        self.games.dispose()
        self.sovereign.dispose()


def open_planes(settings: Settings) -> Planes:
    """Open both planes from the settings, creating the data folder for SQLite.

    Args:
        settings: the node's settings (database URLs or the data folder).

    Returns:
        The two engines.

    """
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    return Planes(
        games=make_engine(settings.games_url()),
        sovereign=make_engine(settings.sovereign_url()),
    )
