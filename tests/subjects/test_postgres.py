"""Export and erasure on PostgreSQL, one database per plane, as in production."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from podium.core.db import open_planes
from podium.core.settings import Settings
from podium.migrations import upgrade_all
from podium.paris2024 import DEFAULT_SOURCE, ImportOptions, import_paris2024
from podium.people import Person
from podium.privacy.errors import KeyDestroyedError
from podium.privacy.spine import open_spine
from podium.subjects import erase_subject, export_subject
from tests.conftest import POSTGRES_URL, require_service
from tests.subjects.conftest import Node, medallist

pytestmark = pytest.mark.postgres


@pytest.fixture
def pg_node(tmp_path: Path) -> Iterator[Node]:
    """Two throwaway PostgreSQL databases with Paris 2024 imported, dropped afterwards."""
    require_service("PostgreSQL", POSTGRES_URL, 5432)
    admin = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    names = {p: f"podium_subjects_{p}_{os.getpid()}" for p in ("games", "sovereign")}
    with admin.connect() as conn:
        for name in names.values():
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    base = make_url(POSTGRES_URL)
    url = {p: base.set(database=n).render_as_string(hide_password=False) for p, n in names.items()}
    settings = Settings(
        data_dir=tmp_path, games_db_url=url["games"], sovereign_db_url=url["sovereign"]
    )
    planes = open_planes(settings)
    upgrade_all(planes.games, planes.sovereign)
    import_paris2024(planes, ImportOptions(source=DEFAULT_SOURCE, data_dir=tmp_path))
    spine = open_spine(settings)
    try:
        yield Node(planes, spine, settings)
    finally:
        spine.close()
        planes.dispose()
        with admin.connect() as conn:
            for name in names.values():
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def test_postgres_export_then_erasure_of_a_medallist(pg_node: Node) -> None:
    node = pg_node
    code = medallist(node.planes)
    export = export_subject(node.planes, node.spine, code)
    tables = {t.table: len(t.rows) for t in export.tables}
    assert tables["person"] == 1
    assert tables["unit_result"] > 5
    with node.planes.sovereign_session() as sov:
        person = sov.get(Person, export.subject_id)
        assert person is not None
        token = person.full_name
    outcome = erase_subject(node.planes, node.spine, code, "system", "DSR-000001")
    assert outcome.complete
    assert outcome.rows_deleted == 1
    with pytest.raises(KeyDestroyedError):
        node.spine.cipher.open(export.subject_id, "identity", "full_name", token)
    assert erase_subject(node.planes, node.spine, code, "system").already_erased
    after = export_subject(node.planes, node.spine, code)
    assert "person" not in {t.table for t in after.tables}
    assert {t.table: len(t.rows) for t in after.tables}["unit_result"] == tables["unit_result"]
    assert node.reimport() == 0
