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


def test_bundled_schema_is_the_recorded_copy() -> None:
    import hashlib  # noqa: PLC0415

    from podium.odf.validate import SCHEMA_PATH  # noqa: PLC0415

    recorded = {
        "odf2.xsd": "855408f02a1a5ee88c6829e52861fea65df62427e1b347c2c7e5db41388bf40d",
        "odf2-structure.xsd": "d2b0702e570be5bb78ed0498937f83015ec1a586f76e4f432b1468996090af8d",
        "odf2-values.xsd": "619a8cfabd75a9206605f4826db06238ab7aa7d53102a63b2e247f7b3c0902d7",
    }
    for name, digest in recorded.items():
        assert hashlib.sha256((SCHEMA_PATH.parent / name).read_bytes()).hexdigest() == digest
