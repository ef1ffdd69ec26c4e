"""`podium ticketing`: loading the inventory twice, a draw from seed to verification, check."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from podium.cli.main import app
from podium.core.db import Planes
from podium.paris2024 import ImportReport
from tests.diffusion.conftest import copy_sqlite_node

runner = CliRunner()


def _run(node: Path, *args: str) -> tuple[int, str]:
    result = runner.invoke(app, ["--data-dir", str(node), "ticketing", *args])
    return result.exit_code, " ".join(result.output.split())


def test_load_is_idempotent_and_a_draw_runs_and_verifies(
    imported: tuple[Planes, ImportReport, Path], tmp_path: Path
) -> None:
    node = tmp_path / "node"
    copy_sqlite_node(imported[2], node)
    code, first = _run(node, "load-paris2024")
    assert code == 0
    assert "ticketing: 790 sessions" in first
    code, second = _run(node, "load-paris2024")
    assert "0 sessions and 0 inventory rows added" in second
    code, listed = _run(node, "sessions", "--venue", "STA")
    assert code == 0
    assert "STA" in listed
    code, seed_out = _run(node, "seed")
    _, seed, _, commitment = seed_out.split()
    code, draw_id = _run(
        node,
        "open-draw",
        "phase 1",
        "2024-01-01T00:00:00+00:00",
        "2024-01-02T00:00:00+00:00",
        commitment,
    )
    assert code == 0
    code, wrong = _run(node, "run-draw", draw_id.strip(), "00" * 32)
    assert code == 1
    assert "seed_commitment_mismatch" in wrong
    assert _run(node, "run-draw", draw_id.strip(), seed)[0] == 0
    code, verified = _run(node, "verify-draw", draw_id.strip())
    assert code == 0
    assert "verified" in verified
    assert _run(node, "check")[0] == 0
