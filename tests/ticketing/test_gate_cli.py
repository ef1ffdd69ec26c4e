"""`podium gate`: devices, packages, uploads and the merge, end to end on a SQLite node."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from podium.cli.main import app
from podium.core.db import Planes
from podium.gates import Direction, Kind, Reason, ScanRecord
from podium.paris2024 import ImportReport
from tests.diffusion.conftest import copy_sqlite_node
from tests.gates.gates_factories import DOORS

runner = CliRunner()


def _run(node: Path, *args: str) -> str:
    result = runner.invoke(app, ["--data-dir", str(node), "gate", *args])
    assert result.exit_code == 0, result.output
    return result.output


def _log(path: Path, device: str, nonce: str, minutes: int) -> None:
    record = ScanRecord(
        nonce,
        device,
        DOORS.replace(minute=minutes),
        "G1",
        Direction.ENTRY,
        Reason.ADMITTED,
        True,
        42,
        1,
        Kind.TICKET,
    )
    path.write_text(json.dumps([record.to_json()]))


def test_the_gate_commands_register_package_upload_and_merge(
    imported: tuple[Planes, ImportReport, Path], tmp_path: Path
) -> None:
    node = tmp_path / "node"
    copy_sqlite_node(imported[2], node)
    north = _run(node, "register", "STA", "--gate", "G1=1", "--label", "North 1").split()[0]
    south = _run(node, "register", "STA", "--gate", "G1=1", "--label", "South 1").split()[0]
    package = tmp_path / "north.json"
    _run(node, "package", north, "--out", str(package))
    body = json.loads(package.read_bytes())["body"]
    assert (body["venue"], body["gates"]) == ("STA", {"G1": "1"})
    assert "ticket_code_keys" in body
    assert package.stat().st_mode & 0o077 == 0
    _log(tmp_path / "n.json", north, "nonce-north-1", 10)
    _log(tmp_path / "s.json", south, "nonce-south-1", 12)
    assert "no double entry" in _run(node, "upload", north, str(tmp_path / "n.json"))
    assert "ticket 42" in _run(node, "upload", south, str(tmp_path / "s.json"))
    assert "already stored 1" in _run(node, "upload", south, str(tmp_path / "s.json"))
    assert f"{north} at 17:10:00, then {south}" in _run(node, "double-entries")
    _run(node, "disable", north)
    refused = runner.invoke(app, ["--data-dir", str(node), "gate", "package", north, "--out", "x"])
    assert refused.exit_code == 1
    assert "[device_disabled]" in refused.output
