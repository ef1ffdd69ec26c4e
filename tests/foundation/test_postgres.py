"""The same import, queries and medal checks against PostgreSQL, one database per plane."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import make_url

from podium.core.db import Planes, open_planes
from podium.core.settings import Settings
from podium.games import Unit
from podium.games import queries as games
from podium.migrations import upgrade_all
from podium.paris2024 import DEFAULT_SOURCE, ImportOptions, ImportReport, import_paris2024
from podium.results import UnitResult, unit_results
from tests.conftest import POSTGRES_URL, require_service
from tests.foundation.medal_checks import assert_official_tables

pytestmark = pytest.mark.postgres


@pytest.fixture(scope="module")
def pg_imported(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[Planes, ImportReport, Path]]:
    """Two fresh PostgreSQL databases (games, sovereign) with Paris 2024 imported."""
    require_service("PostgreSQL", POSTGRES_URL, 5432)
    admin = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    names = {plane: f"podium_test_{plane}_{os.getpid()}" for plane in ("games", "sovereign")}
    with admin.connect() as conn:
        for name in names.values():
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    base = make_url(POSTGRES_URL)
    data_dir = tmp_path_factory.mktemp("pg-node")
    settings = Settings(
        data_dir=data_dir,
        games_db_url=base.set(database=names["games"]).render_as_string(hide_password=False),
        sovereign_db_url=base.set(database=names["sovereign"]).render_as_string(
            hide_password=False
        ),
    )
    planes = open_planes(settings)
    upgrade_all(planes.games, planes.sovereign)
    report = import_paris2024(planes, ImportOptions(source=DEFAULT_SOURCE, data_dir=data_dir))
    yield planes, report, data_dir
    planes.dispose()
    with admin.connect() as conn:
        for name in names.values():
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def test_postgres_import_loads_every_result_row(
    pg_imported: tuple[Planes, ImportReport, Path],
) -> None:
    planes, report, _ = pg_imported
    assert planes.games.dialect.name == "postgresql"
    with planes.games_session() as session:
        assert session.scalar(select(func.count()).select_from(UnitResult)) == 19195
        assert session.scalar(select(func.count()).select_from(Unit)) == next(
            t.inserted for t in report.tables if t.table == "unit"
        )
    assert report.quarantined == []
    assert sum(n["code"] == "training_skipped" for n in report.notices) == 15


def test_postgres_medal_tables_equal_the_official_tables(
    pg_imported: tuple[Planes, ImportReport, Path],
) -> None:
    with pg_imported[0].games_session() as session:
        assert_official_tables(session)


def test_postgres_queries_match_sqlite(
    pg_imported: tuple[Planes, ImportReport, Path], planes: Planes
) -> None:
    where = games.ScheduleFilter(day=None, discipline="SWM", venue=None)
    unit = "SWMM100MBA------------HEAT000100--"
    with pg_imported[0].games_session() as pg, planes.games_session() as lite:
        assert games.schedule(pg, where) == games.schedule(lite, where)
        assert unit_results(pg, unit) == unit_results(lite, unit)
        assert games.competition_days(pg) == games.competition_days(lite)


def test_postgres_second_import_changes_nothing(
    pg_imported: tuple[Planes, ImportReport, Path],
) -> None:
    planes, _, data_dir = pg_imported
    again = import_paris2024(planes, ImportOptions(source=DEFAULT_SOURCE, data_dir=data_dir))
    assert again.changed == 0
