"""The medal tables served from the imported database equal the official ones."""

from __future__ import annotations

from podium.core.db import Planes
from podium.results import medallists
from tests.foundation.medal_checks import assert_official_tables


def test_medal_tables_from_sqlite_equal_the_official_tables(planes: Planes) -> None:
    with planes.games_session() as session:
        assert_official_tables(session)


def test_ain_medals_are_listed_among_medallists_but_not_in_the_table(planes: Planes) -> None:
    with planes.games_session() as session:
        ain = medallists(session, "OG2024", noc="AIN")
    assert sorted(m.medal for m in ain) == ["BRONZE", "GOLD", "SILVER", "SILVER", "SILVER"]


def test_the_indonesian_bronze_with_medal_code_zero_counts(planes: Planes) -> None:
    with planes.games_session() as session:
        ina = medallists(session, "OG2024", noc="INA")
    assert sorted(m.medal for m in ina) == ["BRONZE", "GOLD", "GOLD"]
