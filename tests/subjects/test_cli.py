"""The `podium subject|request|retention|privacy` commands on a real node."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from podium.cli.main import app
from tests.subjects.conftest import Node, medallist


def podium(node: Node, *args: str) -> tuple[int, str]:
    node.spine.close()
    node.planes.dispose()
    result = CliRunner().invoke(app, ["--data-dir", str(node.settings.data_dir), *args])
    return result.exit_code, result.output


def test_request_export_erase_and_list_from_the_command_line(node: Node, tmp_path: Path) -> None:
    code = medallist(node.planes)
    status, out = podium(node, "request", "register", code, "--kind", "erasure")
    assert status == 0, out
    assert "DSR-000001 erasure, due on" in out
    status, out = podium(node, "subject", "export", code, "--out", str(tmp_path))
    assert status == 0, out
    assert len(list(tmp_path.glob("subject-*.html"))) == 1
    status, out = podium(node, "request", "complete", "DSR-000001", "--run")
    assert status == 0, out
    assert "completed" in out
    status, out = podium(node, "subject", "erase", code)
    assert status == 0, out
    assert "already erased" in out
    status, out = podium(node, "request", "list", "--open")
    assert "0 requests" in out
    status, out = podium(node, "retention", "run", "--dry-run")
    assert status == 0, out
    assert "would change" in out


def test_bad_input_ends_with_one_coded_line(node: Node) -> None:
    status, out = podium(node, "subject", "rectify", "0000000", "--field", "x", "--value", "y")
    assert status == 1
    assert "[rectification_invalid]" in out
    status, out = podium(node, "request", "extend", "DSR-999999", "--reason", "busy")
    assert status == 1
    assert "[request_not_found]" in out


def test_privacy_check_and_ropa(node: Node, tmp_path: Path) -> None:
    status, out = podium(node, "privacy", "check")
    assert status == 0, out
    target = tmp_path / "ropa.json"
    status, out = podium(node, "privacy", "ropa", "--format", "json", "--out", str(target))
    assert status == 0, out
    assert '"categories"' in target.read_text()
