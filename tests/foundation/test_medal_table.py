"""The medal tables served from the imported database equal the official ones."""

from __future__ import annotations

from pathlib import Path

from podium.core.db import Planes
from podium.games import queries as games
from podium.paris2024 import ImportReport
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


def test_paralympic_delegations_missing_from_nocs_csv_are_added(
    imported: tuple[Planes, ImportReport, Path],
) -> None:
    planes, report, _ = imported
    with planes.games_session() as session:
        npa = games.noc(session, "NPA")
        rpt = games.noc(session, "RPT")
    assert (npa.long_name, npa.kind) == ("Neutral Paralympic Athletes", "special")
    assert rpt.long_name == "Refugee Paralympic Team"
    added = [n for n in report.notices if n["code"] == "delegation_added"]
    assert [n["file"] for n in added] == ["paralympics/medals.csv"] * 2


def test_ain_gets_its_long_name(planes: Planes) -> None:
    with planes.games_session() as session:
        ain = games.noc(session, "AIN")
    assert (ain.long_name, ain.kind) == ("Individual Neutral Athletes", "special")
