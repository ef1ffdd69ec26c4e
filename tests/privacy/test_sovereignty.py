"""No protected value ever reaches an operator outside the EU/EEA, from any route.

DESIGN.md ("Two planes"); the issue's acceptance test. The same check runs on SQLite
(the imported test node) and on PostgreSQL (two real databases).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, select, text
from sqlalchemy.engine import make_url

from podium.api import create_app
from podium.core.db import Planes, open_planes
from podium.core.settings import Settings
from podium.migrations import upgrade_all
from podium.paris2024 import DEFAULT_SOURCE, ImportOptions, ImportReport, import_paris2024
from podium.privacy.audit import AuditRecord
from podium.privacy.spine import Spine, open_spine
from tests.conftest import POSTGRES_URL, require_service
from tests.diffusion.conftest import copy_sqlite_node
from tests.operators import TestOperator, create_test_operators
from tests.privacy.sovereignty import (
    SENTINEL_BIRTH,
    SENTINEL_NAME,
    Sentinel,
    concrete_paths,
    leaks,
    plant_sentinel,
    run_sovereignty_check,
)


def _check(
    settings: Settings, planes: Planes, spine: Spine, operators: dict[str, TestOperator]
) -> None:
    sentinel = plant_sentinel(planes, spine)
    app = create_app(settings, planes, spine)
    calls, found = run_sovereignty_check(app, planes, spine, operators, sentinel)
    assert found == []
    assert calls > 500  # every route, as the public and as each non-EU operator per purpose
    _eu_operators_see_the_values(app, operators, sentinel)
    _outsiders_reads_are_audited(planes, sentinel)


def _eu_operators_see_the_values(
    app: object, operators: dict[str, TestOperator], sentinel: Sentinel
) -> None:
    with TestClient(app) as client:  # type: ignore[arg-type]
        for name in ("eu-accreditation", "eu-dpo"):
            operator = operators[name]
            response = client.get(
                f"/api/people/{sentinel.code}/personal",
                headers={
                    "Authorization": f"Bearer {operator.token}",
                    "X-Podium-Purpose": operator.purpose,
                },
            )
            assert response.status_code == 200, response.text
            fields = response.json()["fields"]
            assert fields["full_name"] == {
                "value": SENTINEL_NAME,
                "effect": "allow",
                "reason": "eu-role-purpose",
            }
            assert fields["birth_date"]["value"] == SENTINEL_BIRTH
            assert leaks(response.text)


def _outsiders_reads_are_audited(planes: Planes, sentinel: Sentinel) -> None:
    with planes.sovereign_session() as session:
        decisions = set(
            session.execute(
                select(AuditRecord.decision, AuditRecord.reason).where(
                    AuditRecord.subject == sentinel.subject_id,
                    AuditRecord.action == "people.person.read",
                )
            )
        )
    assert ("allow", "eu-role-purpose") in decisions
    assert any(d == "deny" for d, _ in decisions)
    assert any(d == "pseudonymise" for d, _ in decisions)


@pytest.fixture
def private_node(
    imported: tuple[Planes, ImportReport, Path],
    tmp_path: Path,
    operators: dict[str, TestOperator],
) -> Iterator[tuple[Settings, Planes, Spine]]:
    """A private copy of the imported SQLite node, with the test operators already on it.

    The check calls every route, writes included, as operators holding every role: on the
    shared node those writes (an inventory loaded, an entry made) would change what later
    tests start from. The copy is made after `operators` exist on the shared node, so the
    same accounts and tokens work on it.
    """
    copy_sqlite_node(imported[2], tmp_path / "node")
    settings = Settings(data_dir=tmp_path / "node", secure_cookies=False)
    planes = open_planes(settings)
    spine = open_spine(settings)
    yield settings, planes, spine
    spine.close()
    planes.dispose()


def test_no_route_gives_a_protected_value_outside_the_eu_on_sqlite(
    private_node: tuple[Settings, Planes, Spine], operators: dict[str, TestOperator]
) -> None:
    settings, planes, spine = private_node
    _check(settings, planes, spine, operators)


@pytest.fixture(scope="module")
def pg_node(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Settings, Planes]]:
    """A Paris 2024 node on two fresh PostgreSQL databases."""
    require_service("PostgreSQL", POSTGRES_URL, 5432)
    admin = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    names = {p: f"podium_sov_{p}_{os.getpid()}" for p in ("games", "sovereign")}
    with admin.connect() as conn:
        for name in names.values():
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    base = make_url(POSTGRES_URL)
    data_dir: Path = tmp_path_factory.mktemp("pg-sovereignty")
    settings = Settings(
        data_dir=data_dir,
        secure_cookies=False,
        games_db_url=base.set(database=names["games"]).render_as_string(hide_password=False),
        sovereign_db_url=base.set(database=names["sovereign"]).render_as_string(
            hide_password=False
        ),
    )
    planes = open_planes(settings)
    upgrade_all(planes.games, planes.sovereign)
    import_paris2024(planes, ImportOptions(source=DEFAULT_SOURCE, data_dir=data_dir))
    yield settings, planes
    planes.dispose()
    with admin.connect() as conn:
        for name in names.values():
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.mark.postgres
def test_no_route_gives_a_protected_value_outside_the_eu_on_postgres(
    pg_node: tuple[Settings, Planes],
) -> None:
    settings, planes = pg_node
    spine = open_spine(settings)
    try:
        _check(settings, planes, spine, create_test_operators(planes, spine))
    finally:
        spine.close()


PUBLIC = re.compile(
    r"^/(|robots\.txt|favicon\.ico|assets/.*|openapi\.json|docs.*|redoc"
    r"|odf/.*|feed/.*"
    r"|api/(schedule|days|units|disciplines|venues|events|nocs|medals|medallists)(/.*)?"
    r"|api/ticketing/(sessions|draw)(/.*)?"
    r"|(en|fr)/.*"
    r"|staff/login)$"
)
"""What the public may see: published Games data, the ODF feed and its archive, the pages,
the sessions on sale with their availability and the published draws, the sign-in form."""


def test_every_route_outside_the_public_list_needs_an_operator(
    private_node: tuple[Settings, Planes, Spine],
) -> None:
    node_settings, planes, spine = private_node
    app = create_app(node_settings, planes, spine)
    samples = {
        name: values[:1]
        for name, values in {
            "code": ["FRA"],
            "rsc": ["ATHMMARATHON----------FNL-000100--"],
            "username": ["x"],
            "subject": ["x"],
            "name": ["podium.css"],
            "rest": ["x"],
            "document_type": ["DT_SCHEDULE"],
            "document_code": ["OG2024"],
            "lang": ["en"],
            "seq": ["1"],
            "device": ["gdv_0000000000000000"],
            "ticket": ["tkt_0000000000000000"],
        }.items()
    }
    guarded, public = [], []
    with TestClient(app, follow_redirects=False) as client:
        for method, path in concrete_paths(app, samples):
            response = client.request(method, path, json={} if method != "GET" else None)
            location = response.headers.get("location", "")
            needs_operator = response.status_code == 401 or location.startswith("/staff/login")
            if PUBLIC.match(path) and method == "GET":
                assert not needs_operator, f"{method} {path} is public and must stay public"
                public.append(path)
            else:
                assert needs_operator, (
                    f"{method} {path} answered {response.status_code} to the public"
                )
                guarded.append(path)
    assert "/api/people/FRA/personal" in guarded
    assert "/en/medals" in public
