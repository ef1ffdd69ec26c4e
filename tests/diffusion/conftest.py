"""Fixtures of the live feed: a private copy of the imported node, on SQLite or PostgreSQL.

Captures change results and medals, so every test gets its own copy of the imported
Paris 2024 node: a SQLite backup of the session's import, or a PostgreSQL database
cloned from a template imported once per session.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from podium.core.db import Planes, open_planes
from podium.core.settings import Settings
from podium.migrations import upgrade_all
from podium.paris2024 import DEFAULT_SOURCE, ImportOptions, ImportReport, import_paris2024
from tests.conftest import POSTGRES_URL, require_service

BACKENDS = ["sqlite", "postgres"]


def copy_sqlite_node(source: Path, target: Path) -> None:
    """Copy a SQLite node's two databases (consistent online backups) and its key store."""
    target.mkdir(parents=True, exist_ok=True)
    for name in ("games.sqlite", "sovereign.sqlite"):
        with sqlite3.connect(source / name) as src, sqlite3.connect(target / name) as dst:
            src.backup(dst)
    shutil.copytree(source / "keys", target / "keys")


def _url(database: str) -> str:
    return make_url(POSTGRES_URL).set(database=database).render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def pg_template(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str, Path]]:
    """PostgreSQL template databases (games, sovereign) with Paris 2024 imported once."""
    require_service("PostgreSQL", POSTGRES_URL, 5432)
    tag = f"{os.getpid()}_{uuid.uuid4().hex[:6]}"
    games, sovereign = f"podium_tpl_games_{tag}", f"podium_tpl_sov_{tag}"
    admin = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        for name in (games, sovereign):
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    data_dir = tmp_path_factory.mktemp("pg-template")
    settings = Settings(
        data_dir=data_dir, games_db_url=_url(games), sovereign_db_url=_url(sovereign)
    )
    planes = open_planes(settings)
    upgrade_all(planes.games, planes.sovereign)
    import_paris2024(planes, ImportOptions(source=DEFAULT_SOURCE, data_dir=data_dir))
    planes.dispose()
    yield games, sovereign, data_dir
    with admin.connect() as connection:
        for name in (games, sovereign):
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def _pg_node(template: tuple[str, str, Path], target: Path) -> Iterator[Settings]:
    games_tpl, sovereign_tpl, data_dir = template
    tag = uuid.uuid4().hex[:10]
    games, sovereign = f"podium_t_games_{tag}", f"podium_t_sov_{tag}"
    admin = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{games}" TEMPLATE "{games_tpl}"'))
        connection.execute(text(f'CREATE DATABASE "{sovereign}" TEMPLATE "{sovereign_tpl}"'))
    target.mkdir(parents=True, exist_ok=True)
    shutil.copytree(data_dir / "keys", target / "keys")
    try:
        yield Settings(
            data_dir=target,
            games_db_url=_url(games),
            sovereign_db_url=_url(sovereign),
            secure_cookies=False,
        )
    finally:
        with admin.connect() as connection:
            for name in (games, sovereign):
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(params=BACKENDS)
def live_settings(
    request: pytest.FixtureRequest,
    imported: tuple[Planes, ImportReport, Path],
    tmp_path: Path,
) -> Iterator[Settings]:
    """Settings of a private, imported node: SQLite, then PostgreSQL (parametrised)."""
    if request.param == "sqlite":
        copy_sqlite_node(imported[2], tmp_path / "node")
        yield Settings(data_dir=tmp_path / "node", secure_cookies=False)
        return
    template = request.getfixturevalue("pg_template")
    yield from _pg_node(template, tmp_path / "node")


@pytest.fixture
def sqlite_settings(imported: tuple[Planes, ImportReport, Path], tmp_path: Path) -> Settings:
    """Settings of a private, imported SQLite node (for tests that need one backend)."""
    copy_sqlite_node(imported[2], tmp_path / "node")
    return Settings(data_dir=tmp_path / "node", secure_cookies=False)


@pytest.fixture
def live_planes(live_settings: Settings) -> Iterator[Planes]:
    """The open planes of `live_settings`, migrated."""
    planes = open_planes(live_settings)
    upgrade_all(planes.games, planes.sovereign)
    yield planes
    planes.dispose()
