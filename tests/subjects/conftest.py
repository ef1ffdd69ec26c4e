"""Fixtures of the data-subject tests: a fresh Paris 2024 node each, since they write."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import func, select

from podium.core.db import Planes, open_planes
from podium.core.settings import Settings
from podium.migrations import upgrade_all
from podium.paris2024 import DEFAULT_SOURCE, ImportOptions, import_paris2024
from podium.people import Participant, TeamMember
from podium.privacy.spine import Spine, open_spine
from podium.results import MedalRecord, UnitResult


@dataclass
class Node:
    """A node with the real data imported, its privacy services and settings."""

    planes: Planes
    spine: Spine
    settings: Settings

    def reimport(self) -> int:
        report = import_paris2024(
            self.planes,
            ImportOptions(source=DEFAULT_SOURCE, data_dir=self.settings.data_dir),
            spine=self.spine,
        )
        return report.changed


@pytest.fixture(scope="session")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data folder with Paris 2024 imported once, closed, to be copied by each test."""
    data_dir = tmp_path_factory.mktemp("subjects-template")
    settings = Settings(data_dir=data_dir)
    planes = open_planes(settings)
    upgrade_all(planes.games, planes.sovereign)
    import_paris2024(planes, ImportOptions(source=DEFAULT_SOURCE, data_dir=data_dir))
    for engine in (planes.games, planes.sovereign):
        with engine.connect() as connection:
            connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    planes.dispose()
    return data_dir


@pytest.fixture
def node(template: Path, tmp_path: Path) -> Iterator[Node]:
    """A fresh copy of the imported node (both SQLite files and the key store): writable."""
    data_dir = tmp_path / "node"
    shutil.copytree(template, data_dir)
    settings = Settings(data_dir=data_dir)
    planes = open_planes(settings)
    spine = open_spine(settings)
    yield Node(planes, spine, settings)
    spine.close()
    planes.dispose()


def medallist(planes: Planes) -> str:
    """Return the code of the medallist with team memberships and the most result rows."""
    with planes.games_session() as games:
        results = (
            select(UnitResult.competitor_code, func.count().label("n"))
            .group_by(UnitResult.competitor_code)
            .subquery()
        )
        query = (
            select(Participant.code)
            .join(results, results.c.competitor_code == Participant.code)
            .where(
                Participant.code.in_(select(MedalRecord.competitor_code)),
                Participant.code.in_(select(TeamMember.participant_code)),
            )
            .order_by(results.c.n.desc(), Participant.code)
            .limit(1)
        )
        code = games.scalar(query)
    assert code is not None
    return code
