"""The `podium` command refuses bad input with a one-line reason, never a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from podium.cli.main import app
from podium.core.db import Planes
from podium.paris2024 import ImportReport

runner = CliRunner()


def test_medals_rejects_an_unknown_games_code(tmp_path: Path) -> None:
    result = runner.invoke(app, ["--data-dir", str(tmp_path), "medals", "--games", "XX"])
    assert result.exit_code == 2
    assert "XX" in result.output


def test_medals_on_an_empty_data_folder_says_to_import_first(tmp_path: Path) -> None:
    result = runner.invoke(app, ["--data-dir", str(tmp_path), "medals"])
    assert result.exit_code == 1
    assert "import paris2024" in result.output


def test_import_of_a_missing_folder_is_refused_before_any_database_is_made(
    tmp_path: Path,
) -> None:
    node = tmp_path / "node"
    result = runner.invoke(app, ["--data-dir", str(node), "import", "paris2024", "/nonexistent"])
    assert result.exit_code == 1
    assert "/nonexistent is not a folder" in result.output
    assert not node.exists()


def test_an_unusable_database_url_gives_one_line_not_a_traceback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PODIUM_GAMES_DB_URL", "garbage")
    result = runner.invoke(app, ["--data-dir", str(tmp_path), "medals"])
    assert result.exit_code == 2
    assert "cannot open the databases" in result.output
    assert "Traceback" not in result.output


def test_export_refuses_a_file_and_an_earlier_export_unless_replaced(
    imported: tuple[Planes, ImportReport, Path], tmp_path: Path
) -> None:
    data_dir = str(imported[2])
    afile = tmp_path / "file.txt"
    afile.write_text("x", encoding="utf-8")
    assert runner.invoke(app, ["--data-dir", data_dir, "odf", "export", str(afile)]).exit_code == 1
    out = tmp_path / "odf"
    assert runner.invoke(app, ["--data-dir", data_dir, "odf", "export", str(out)]).exit_code == 0
    again = runner.invoke(app, ["--data-dir", data_dir, "odf", "export", str(out)])
    assert again.exit_code == 1
    assert "--replace" in again.output
    replaced = runner.invoke(app, ["--data-dir", data_dir, "odf", "export", str(out), "--replace"])
    assert replaced.exit_code == 0
    assert len(list(out.iterdir())) == 4519


def test_validate_reports_unreadable_files_by_name(tmp_path: Path) -> None:
    empty = tmp_path / "empty.xml"
    empty.write_bytes(b"")
    result = runner.invoke(app, ["odf", "validate", str(empty), str(tmp_path / "missing.xml")])
    assert result.exit_code == 1
    assert "empty.xml" in result.output
    assert "missing.xml" in result.output
    assert "2 of 2 files are not valid ODF" in result.output
