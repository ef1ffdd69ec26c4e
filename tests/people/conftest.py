"""Fixtures of people registration: a fresh, empty node per backend, organisations, operators.

The node (SQLite, then PostgreSQL) is made once per module and backend: migrated, with the
organising committee (`PARIS2024`, kind `ocog`) and no people. Each test takes its own
organisation (`org`) so that counts, quotas and searches never see another test's people.
"""

from __future__ import annotations

import csv
import io
import itertools
import os
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from podium.accreditation import save_organisation
from podium.core.db import Planes, open_planes
from podium.core.settings import Settings
from podium.migrations import upgrade_all
from podium.people import REGISTRATION_FIELDS
from podium.privacy.operators import Principal
from podium.privacy.regions import Region
from podium.privacy.spine import Spine, open_spine
from tests.conftest import POSTGRES_URL, require_service

NOW = datetime(2024, 5, 2, 9, 30, tzinfo=UTC)
"""The registrations' time: before the Paris 2024 Games."""
_COUNTER = itertools.count(1)


def clock() -> datetime:
    """The injected clock of the registrations."""
    return NOW


@dataclass
class Node:
    """A migrated, empty node: settings, planes and privacy services."""

    settings: Settings
    planes: Planes
    spine: Spine
    backend: str


def _pg_settings(data_dir: Path) -> Iterator[Settings]:
    require_service("PostgreSQL", POSTGRES_URL, 5432)
    tag = f"{os.getpid()}_{uuid.uuid4().hex[:8]}"
    names = (f"podium_people_games_{tag}", f"podium_people_sov_{tag}")
    admin = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        for name in names:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    urls = [
        make_url(POSTGRES_URL).set(database=n).render_as_string(hide_password=False) for n in names
    ]
    try:
        yield Settings(
            data_dir=data_dir,
            games_db_url=urls[0],
            sovereign_db_url=urls[1],
            secure_cookies=False,
        )
    finally:
        with admin.connect() as connection:
            for name in names:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def node(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Node]:
    """A fresh node on SQLite, then on PostgreSQL, with the organising committee."""
    data_dir = tmp_path_factory.mktemp(f"people-{request.param}")
    settings_iter: Iterator[Settings] = (
        iter([Settings(data_dir=data_dir, secure_cookies=False)])
        if request.param == "sqlite"
        else _pg_settings(data_dir)
    )
    settings = next(settings_iter)
    planes = open_planes(settings)
    upgrade_all(planes.games, planes.sovereign)
    with planes.games_session() as games:
        save_organisation(games, "PARIS2024", "Paris 2024 Organising Committee", "ocog")
    spine = open_spine(settings)
    yield Node(settings, planes, spine, request.param)
    spine.close()
    planes.dispose()
    for _ in settings_iter:  # runs the PostgreSQL clean-up
        pass


@pytest.fixture
def org(node: Node) -> str:
    """A fresh responsible organisation (kind `noc`) for this test only."""
    code = f"T{next(_COUNTER):03d}{uuid.uuid4().hex[:4].upper()}"
    with node.planes.games_session() as games:
        save_organisation(games, code, f"Test NOC {code}", "noc")
    return code


def principal(
    organisation: str, *, region: Region = Region.EU_EEA, name: str = "registrar"
) -> Principal:
    """An organisation's registrar (role `organisation-registrar`, purpose accreditation)."""
    return Principal(
        operator_id=f"op-{name}"[:16],
        username=name,
        display_name=name,
        roles=frozenset({"organisation-registrar"}),
        purposes=frozenset({"accreditation"}),
        region=region,
        scopes=frozenset({"people:registration:write"}),
        purpose="accreditation",
        organisation=organisation,
    )


def person(reference: str, organisation: str, **changes: str) -> dict[str, str]:
    """A valid registration row, with `changes` applied."""
    row = {
        "reference": reference,
        "organisation": organisation,
        "family_name": "Müller",
        "given_names": "Anaïs",
        "gender": "W",
        "birth_date": "1998-04-12",
        "nationality": "FRA",
        "document_type": "passport",
        "document_number": "19AB12345",
        "document_expiry": "2030-06-30",
        "email": "anais@example.org",
        "function": "Athlete",
        "category": "A",
    }
    row.update(changes)
    return row


def csv_text(rows: Sequence[dict[str, str]], columns: Sequence[str] = REGISTRATION_FIELDS) -> str:
    """Write rows as a registration CSV file (header row first)."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(columns), lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({c: row.get(c, "") for c in columns})
    return out.getvalue()
