"""A live API node reads sealed fields after `podium keys rotate` and `audit rotate-key`.

The app and its spine are opened once, on a private copy of the imported node (these
tests rotate its keys); the rotations run through the `podium` command, as on the host.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from typer.testing import CliRunner

from podium.api import create_app
from podium.cli.main import app as cli_app
from podium.core.db import Planes, open_planes
from podium.core.settings import Settings
from podium.paris2024 import ImportReport
from podium.people import Participant
from podium.privacy.audit import AuditCheckpoint, trusted_public_keys, verify
from podium.privacy.spine import Spine, open_spine
from tests.diffusion.conftest import copy_sqlite_node
from tests.operators import TestOperator


@dataclass
class LiveNode:
    """A running API node on a private copy of the imported data."""

    settings: Settings
    planes: Planes
    spine: Spine
    client: TestClient
    dpo: dict[str, str]

    def podium(self, *args: str) -> str:
        """Run the `podium` command on this node's folder, as the operator on the host."""
        result = CliRunner().invoke(cli_app, ["--data-dir", str(self.settings.data_dir), *args])
        assert result.exit_code == 0, result.output
        return result.output

    def full_names(self, code: str) -> list[object]:
        """Export a subject through the API; return every opened `full_name` cell."""
        response = self.client.get(f"/api/subjects/{code}/export", headers=self.dpo)
        assert response.status_code == 200, response.text
        return [
            row["full_name"]
            for table in response.json()["tables"]
            for row in table["rows"]
            if "full_name" in row
        ]


@pytest.fixture
def live(
    imported: tuple[Planes, ImportReport, Path],
    operators: dict[str, TestOperator],
    tmp_path: Path,
) -> Iterator[LiveNode]:
    """The shared node's copy (its operators and their tokens with it), opened once."""
    copy_sqlite_node(imported[2], tmp_path / "node")
    settings = Settings(data_dir=tmp_path / "node", secure_cookies=False)
    planes = open_planes(settings)
    spine = open_spine(settings)
    dpo = operators["eu-dpo"]
    headers = {"Authorization": f"Bearer {dpo.token}", "X-Podium-Purpose": dpo.purpose}
    with TestClient(create_app(settings, planes, spine)) as client:
        yield LiveNode(settings, planes, spine, client, headers)
    spine.close()
    planes.dispose()


def _athletes(planes: Planes, count: int) -> list[str]:
    with planes.games_session() as games:
        query = select(Participant.code).where(Participant.role == "athlete")
        return list(games.scalars(query.order_by(Participant.code).limit(count)))


def test_the_running_api_opens_sealed_fields_after_a_master_key_rotation(
    live: LiveNode,
) -> None:
    first, second = _athletes(live.planes, 2)
    before = live.full_names(first)
    assert before
    assert all(isinstance(name, str) and name for name in before)
    out = live.podium("keys", "rotate")
    assert "subject keys re-wrapped" in out
    # The second subject's keys were never unwrapped by the running node before.
    after = live.full_names(second)
    assert after
    assert all(isinstance(name, str) and name for name in after)
    assert live.full_names(first) == before
    assert f"master key {live.spine.keys.keyring.active_id} is active" in out


def test_the_running_api_seals_checkpoints_with_the_rotated_signing_key(
    live: LiveNode,
) -> None:
    first, second = _athletes(live.planes, 2)
    live.full_names(first)
    with live.planes.sovereign_session() as session:
        old_seq = live.spine.audit.checkpoint(session)
    out = live.podium("audit", "rotate-key")
    new_kid = out.split()[4]
    live.full_names(second)  # an audited read after the rotation
    with live.planes.sovereign_session() as session:
        new_seq = live.spine.audit.checkpoint(session)
    assert old_seq is not None
    assert new_seq is not None
    assert new_seq > old_seq
    with live.planes.sovereign_session() as session:
        sealed = dict(session.execute(select(AuditCheckpoint.seq, AuditCheckpoint.key_id)).all())
        report = verify(session, trusted_public_keys(live.settings.key_store()))
    assert sealed[new_seq] == new_kid
    assert sealed[old_seq] != new_kid
    assert report.ok, report.problems
