# Copyright 2026 Podium contributors. Licensed under the Apache License 2.0.
import subprocess
import sys

FORBIDDEN = (
    "sqlalchemy",
    "alembic",
    "podium.core.db",
    "podium.games",
    "podium.people",
    "podium.results",
    "podium.api",
    "podium.web",
    "podium.cli",
    "podium.paris2024",
)


def test_importing_odf_loads_no_database_layer_and_no_other_domain() -> None:
    code = (
        "import sys, podium.odf\n"
        f"bad = sorted(m for m in sys.modules if m.startswith({FORBIDDEN!r}))\n"
        "print(','.join(bad))\n"
    )
    output = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.strip()
    assert output == ""
