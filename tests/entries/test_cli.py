"""`podium entries load-paris2024 | check | odf` on a private copy of the imported node."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from podium.cli.main import app
from podium.core.db import Planes
from podium.odf import validate_message
from podium.paris2024 import ImportReport
from tests.diffusion.conftest import copy_sqlite_node

runner = CliRunner()


def run(node: Path, *args: str) -> tuple[int, str]:
    result = runner.invoke(app, ["--data-dir", str(node), "entries", *args])
    return result.exit_code, result.output


def test_load_check_and_write_odf(
    imported: tuple[Planes, ImportReport, Path], tmp_path: Path
) -> None:
    node = tmp_path / "node"
    copy_sqlite_node(imported[2], node)
    code, output = run(node, "load-paris2024")
    assert code == 0, output
    assert "15873 entered, 0 unchanged, 1 refused" in output
    assert "[gender_ineligible]" in output
    code, output = run(node, "load-paris2024")
    assert "0 entered, 15873 unchanged" in output
    code, output = run(node, "check", "--with-ages")
    assert code == 0, output
    assert "checked 15873 entries: 0 break a rule" in output
    assert "unknown 0" in output
    target = tmp_path / "entries.xml"
    code, output = run(node, "odf", "DT_ENTRIES", "JUDM60KG", "--out", str(target))
    assert code == 0, output
    assert validate_message(target.read_bytes()) == []
    code, output = run(node, "odf", "DT_NOPE", "JUD", "--out", str(target))
    assert code == 1
    assert "[odf_document_type_unknown]" in output
