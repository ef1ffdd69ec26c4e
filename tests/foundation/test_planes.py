"""The two planes: every column declares a data category, and personal data stays sovereign."""

from __future__ import annotations

import pytest
from sqlalchemy import Column, MetaData, String, Table

from podium.core.categories import CATALOG, DataCategory, Plane, Residency
from podium.migrations.metadata import metadata_of


def _columns(metadata: MetaData) -> list[Column[object]]:
    return [column for table in metadata.tables.values() for column in table.columns]


def residency_violations(metadata: MetaData) -> list[str]:
    """Return `table.column` of every column whose category may not live in this plane."""
    plane = metadata.info["plane"]
    bad = []
    for table in metadata.tables.values():
        for column in table.columns:
            category = column.info.get("category")
            if category is None:
                bad.append(f"{table.name}.{column.name}: no data category")
            elif plane is Plane.GAMES and CATALOG[category].residency is Residency.EU_SOVEREIGN:
                bad.append(
                    f"{table.name}.{column.name}: {category} must stay in the sovereign plane"
                )
    return bad


@pytest.mark.parametrize("plane", list(Plane))
def test_every_column_of_both_planes_declares_an_allowed_category(plane: Plane) -> None:
    assert residency_violations(metadata_of(plane)) == []


def test_every_category_has_residency_retention_and_erasure_rules() -> None:
    assert set(CATALOG) == set(DataCategory)


@pytest.mark.parametrize(
    "category",
    [c for c in DataCategory if CATALOG[c].residency is Residency.EU_SOVEREIGN],
)
def test_a_personal_category_declared_in_the_games_plane_is_caught(category: DataCategory) -> None:
    metadata = MetaData(info={"plane": Plane.GAMES})
    Table("leaky", metadata, Column("value", String, info={"category": category}))
    assert residency_violations(metadata) == [
        f"leaky.value: {category} must stay in the sovereign plane"
    ]


def test_a_column_without_category_is_caught() -> None:
    metadata = MetaData(info={"plane": Plane.SOVEREIGN})
    Table("untagged", metadata, Column("value", String))
    assert residency_violations(metadata) == ["untagged.value: no data category"]


def test_birth_dates_live_only_in_the_sovereign_plane() -> None:
    games = {c.name for c in _columns(metadata_of(Plane.GAMES))}
    sovereign = {c.name for c in _columns(metadata_of(Plane.SOVEREIGN))}
    assert "birth_date" in sovereign
    assert "birth_date" not in games


def test_planes_link_people_only_by_subject_id() -> None:
    games = metadata_of(Plane.GAMES).tables["participant"]
    sovereign = metadata_of(Plane.SOVEREIGN).tables["person"]
    identifying = {c.name for c in sovereign.columns if c.primary_key or c.unique}
    assert identifying == {"subject_id"}
    assert "code" not in sovereign.columns  # the published ODF code stays on the games side
    assert games.c.subject_id.info["category"] is DataCategory.PSEUDONYM
    assert sovereign.c.subject_id.info["category"] is DataCategory.PSEUDONYM
