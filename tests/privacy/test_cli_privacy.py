"""`podium operator …` and `podium keys rotate` on a real node folder."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select
from typer.testing import CliRunner

from podium.cli.main import app
from podium.core.db import open_planes
from podium.core.settings import Settings
from podium.privacy.audit import AuditRecord
from podium.privacy.spine import open_spine

runner = CliRunner()


def _run(node: Path, *args: str) -> tuple[int, str]:
    result = runner.invoke(app, ["--data-dir", str(node), *args])
    return result.exit_code, result.output


def test_operator_lifecycle_from_the_command_line(tmp_path: Path) -> None:
    code, out = _run(
        tmp_path,
        "operator",
        "create",
        "marie",
        "--name",
        "Marie Curie",
        "--country",
        "FR",
        "--organisation",
        "PARIS2024",
        "--role",
        "accreditation-officer",
        "--purpose",
        "accreditation",
        "--password",
        "a long enough password",
    )
    assert code == 0, out
    assert "region eu-eea" in out
    code, out = _run(
        tmp_path,
        "operator",
        "create",
        "bob",
        "--name",
        "Bob",
        "--country",
        "US",
        "--organisation",
        "CLOUD",
        "--role",
        "support-engineer",
        "--purpose",
        "operations",
        "--api-only",
    )
    assert code == 0, out
    assert "region adequacy" in out
    code, out = _run(tmp_path, "operator", "list")
    assert code == 0
    assert "marie" in out
    assert "bob" in out
    code, out = _run(tmp_path, "operator", "token", "bob", "--scope", "people:person:read")
    assert code == 0, out
    assert out.strip().splitlines()[-1].startswith("pdm_")
    code, out = _run(tmp_path, "operator", "disable", "bob")
    assert code == 0
    assert "disabled bob" in out
    code, out = _run(tmp_path, "operator", "token", "bob", "--scope", "people:person:read")
    assert code == 1
    assert "operator_disabled" in out
    planes = open_planes(Settings(data_dir=tmp_path))
    with planes.sovereign_session() as session:
        actions = list(session.scalars(select(AuditRecord.action).order_by(AuditRecord.seq)))
    planes.dispose()
    assert actions == [
        "privacy.operator.create",
        "privacy.operator.create",
        "privacy.token.issue",
        "privacy.operator.disable",
    ]


def test_operator_create_refuses_bad_input_with_its_code(tmp_path: Path) -> None:
    code, out = _run(
        tmp_path,
        "operator",
        "create",
        "x1",
        "--name",
        "X",
        "--country",
        "XX",
        "--organisation",
        "O",
        "--role",
        "admin",
        "--purpose",
        "security",
        "--api-only",
    )
    assert code == 1
    assert "[country_unknown]" in out
    code, out = _run(
        tmp_path,
        "operator",
        "create",
        "x2",
        "--name",
        "X",
        "--country",
        "FR",
        "--organisation",
        "O",
        "--role",
        "king",
        "--purpose",
        "security",
        "--api-only",
    )
    assert code == 1
    assert "[roles_unknown]" in out


def test_keys_rotate_rewraps_every_subject_key(tmp_path: Path) -> None:
    spine = open_spine(Settings(data_dir=tmp_path))
    sealed = spine.cipher.seal("subject-1", "identity", "full_name", "Ada Lovelace")
    spine.keys.create_many([("subject-2", "identity"), ("subject-2", "birth-date")])
    spine.close()
    code, out = _run(tmp_path, "keys", "rotate")
    assert code == 0, out
    assert "3 subject keys re-wrapped" in out
    reopened = open_spine(Settings(data_dir=tmp_path))
    try:
        assert reopened.keys.keyring.active_id in out
        assert reopened.cipher.open("subject-1", "identity", "full_name", sealed) == "Ada Lovelace"
    finally:
        reopened.close()
