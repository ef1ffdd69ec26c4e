"""`podium people import|register|photo` on a real SQLite node."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from podium.accreditation import save_organisation
from podium.cli.main import app
from podium.core.db import open_planes
from podium.core.settings import Settings
from podium.migrations import upgrade_all
from tests.people.conftest import csv_text, person
from tests.people.images import PORTRAIT_JPEG, image_bytes


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "node"
    planes = open_planes(Settings(data_dir=folder))
    upgrade_all(planes.games, planes.sovereign)
    with planes.games_session() as games:
        save_organisation(games, "FRA", "Comité national olympique et sportif français", "noc")
    planes.dispose()
    return folder


def podium(data_dir: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, ["--data-dir", str(data_dir), *args])
    return result.exit_code, result.output


def test_import_prints_the_rejected_rows_and_saves_the_report(
    data_dir: Path, tmp_path: Path
) -> None:
    source = tmp_path / "fra.csv"
    rows = [person("C1", "FRA"), person("C2", "FRA", nationality="fr"), person("C3", "FRA")]
    source.write_text(csv_text(rows), encoding="utf-8")
    photos = tmp_path / "photos"
    photos.mkdir()
    (photos / "C1.jpg").write_bytes(PORTRAIT_JPEG)
    (photos / "C3.png").write_bytes(image_bytes(900, 300, "PNG"))
    saved = tmp_path / "report.json"
    status, out = podium(
        data_dir, "people", "import", str(source), "--organisation", "FRA",
        "--photos", str(photos), "--report", str(saved),
    )  # fmt: skip
    assert status == 1, out
    assert "fra.csv: 3 rows, 1 written, 0 already registered, 2 rows rejected" in out
    for word in ("nationality", "bad_format", "bad_photo"):
        assert word in out
    report = json.loads(saved.read_text(encoding="utf-8"))
    assert [(r["line"], r["code"]) for r in report["rejected"]] == [
        (3, "bad_format"),
        (4, "bad_photo"),
    ]
    status, out = podium(data_dir, "people", "import", str(source), "--organisation", "FRA")
    assert "1 written, 1 already registered, 1 rows rejected" in out  # C3 without its photo


def test_strict_import_writes_nothing(data_dir: Path, tmp_path: Path) -> None:
    source = tmp_path / "fra.csv"
    source.write_text(csv_text([person("D1", "FRA"), person("D2", "FRA", gender="")]), "utf-8")
    status, out = podium(
        data_dir, "people", "import", str(source), "--organisation", "FRA", "--strict"
    )
    assert status == 1
    assert "nothing written (strict)" in out
    status, out = podium(data_dir, "people", "import", str(source), "--organisation", "FRA")
    assert "1 written, 0 already registered, 1 rows rejected" in out


def test_register_then_photo(data_dir: Path, tmp_path: Path) -> None:
    pairs = [f"{k}={v}" for k, v in person("R1", "FRA").items()]
    status, out = podium(data_dir, "people", "register", *pairs)
    assert status == 0, out
    subject = out.split("subject ")[1].split(",")[0]
    portrait = tmp_path / "r1.jpg"
    portrait.write_bytes(PORTRAIT_JPEG)
    status, out = podium(data_dir, "people", "photo", subject, str(portrait))
    assert status == 0, out
    assert "image/jpeg" in out
    status, out = podium(data_dir, "people", "register", *pairs)
    assert status == 0  # the same person again: already registered, nothing written
    assert f"already registered: subject {subject}" in out
    status, out = podium(data_dir, "people", "register", *pairs[:-1], "category=ZZ")
    assert status == 1
    assert "[unknown_category] category" in out


def test_a_file_with_unknown_columns_ends_with_its_code(data_dir: Path, tmp_path: Path) -> None:
    source = tmp_path / "bad.csv"
    source.write_text("reference,shoe_size\nX,42\n", encoding="utf-8")
    status, out = podium(data_dir, "people", "import", str(source), "--organisation", "FRA")
    assert status == 1
    assert "[csv_columns] bad.csv, line 1" in out
