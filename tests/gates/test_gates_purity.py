from __future__ import annotations

import subprocess
import sys

FORBIDDEN = (
    "sqlalchemy",
    "alembic",
    "podium.core.db",
    "podium.privacy",
    "podium.games",
    "podium.people",
    "podium.accreditation",
    "podium.api",
    "podium.web",
)


def test_importing_gates_loads_no_database_layer_and_no_other_domain() -> None:
    code = (
        "import sys, podium.gates\n"
        f"bad = sorted(m for m in sys.modules if m.startswith({FORBIDDEN!r}))\n"
        "print(','.join(bad))\n"
    )
    output = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.strip()
    assert output == ""
