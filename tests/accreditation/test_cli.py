"""`podium accreditation`: the desk's commands on the host, end to end on a SQLite node."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from podium.cli.main import app
from podium.core.db import Planes
from podium.paris2024 import ImportReport
from tests.diffusion.conftest import copy_sqlite_node

runner = CliRunner()


def _run(node: Path, *args: str) -> str:
    result = runner.invoke(app, ["--data-dir", str(node), "accreditation", *args])
    assert result.exit_code == 0, result.output
    return result.output


def test_the_desk_commands_take_the_population_to_cards_and_gates(
    imported: tuple[Planes, ImportReport, Path], tmp_path: Path
) -> None:
    node = tmp_path / "node"
    copy_sqlite_node(imported[2], node)
    assert "applications" in _run(node, "load-paris2024")
    assert "0 applications" in _run(node, "load-paris2024")
    _run(node, "submit", "1", "2", "3")
    assert "3 approved" in _run(node, "approve", "--all")
    assert "3 cards printed" in _run(node, "print", "--all")
    assert "1 revoked" in _run(node, "revoke", "2", "--reason", "fraud")
    out = tmp_path / "list.json"
    assert "1 new entries" in _run(node, "publish-revocations", "--out", str(out))
    assert json.loads(out.read_bytes())["body"]["entries"][0][0] == 2
    package = tmp_path / "sta.json"
    _run(node, "device-package", "sta", "--out", str(package))
    assert json.loads(package.read_bytes())["body"]["venue"] == "STA"
    assert "new active signing key" in _run(node, "rotate-keys")
    assert "0 applications refused" in _run(node, "expire-vetting")
    refused = runner.invoke(
        app, ["--data-dir", str(node), "accreditation", "refuse", "1", "-r", "late"]
    )
    assert refused.exit_code == 1
    assert "[accreditation_transition]" in refused.output
