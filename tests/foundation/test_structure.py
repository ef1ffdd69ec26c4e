"""Structure checks: migrations match the models, and domains use each other's surface only."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, inspect

from podium.core.categories import Plane
from podium.migrations import upgrade_plane
from podium.migrations.metadata import metadata_of

SRC = Path(__file__).resolve().parents[2] / "src" / "podium"
DOMAINS = {
    "games",
    "people",
    "results",
    "odf",
    "paris2024",
    "subjects",
    "gates",
    "accreditation",
    "entries",
    "accessibility",
    "ticketing",
}


@pytest.mark.parametrize("plane", list(Plane))
def test_migrations_create_exactly_the_models(plane: Plane, tmp_path: Path) -> None:
    engine = create_engine(f"sqlite:///{tmp_path / 'db.sqlite'}")
    upgrade_plane(plane, engine)
    with engine.connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection), metadata_of(plane))
    assert diff == []
    assert set(inspect(engine).get_table_names()) - {"alembic_version"} == set(
        metadata_of(plane).tables
    )


def _cross_domain_imports() -> list[str]:
    bad = []
    for path in SRC.rglob("*.py"):
        owner = path.relative_to(SRC).parts[0]
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.ImportFrom)
                and node.module
                and node.module.startswith("podium.")
            ):
                parts = node.module.split(".")
                target = parts[1]
                if (
                    target in DOMAINS
                    and target != owner
                    and len(parts) > 2
                    and parts[2] not in {"queries", "schemas", "medals"}
                ):
                    bad.append(f"{path.relative_to(SRC)} imports {node.module}")
    return bad


def test_domains_import_only_each_others_public_surface() -> None:
    allowed = {
        # The migration tree registers every domain's tables on purpose.
        "migrations/metadata.py imports podium.games.models",
        "migrations/metadata.py imports podium.people.models",
        "migrations/metadata.py imports podium.results.models",
    }
    assert sorted(set(_cross_domain_imports()) - allowed) == []


@pytest.mark.parametrize("plane", list(Plane))
def test_migrations_downgrade_to_nothing_and_upgrade_again(plane: Plane, tmp_path: Path) -> None:
    from alembic import command  # noqa: PLC0415

    from podium.migrations import alembic_config  # noqa: PLC0415

    engine = create_engine(f"sqlite:///{tmp_path / 'db.sqlite'}")
    upgrade_plane(plane, engine)
    command.downgrade(alembic_config(plane, engine), "base")
    assert set(inspect(engine).get_table_names()) == {"alembic_version"}
    upgrade_plane(plane, engine)
    assert set(inspect(engine).get_table_names()) - {"alembic_version"} == set(
        metadata_of(plane).tables
    )
