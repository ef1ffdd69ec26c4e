"""Print the Alembic operations that would bring a plane's migrations up to its models.

Usage: `.venv/bin/python scripts/migration_diff.py games|sovereign` (a development aid:
paste the output into the plane's newest migration and review it by hand).
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from alembic.autogenerate import produce_migrations, render_python_code
from alembic.migration import MigrationContext
from sqlalchemy import create_engine

from podium.core.categories import Plane
from podium.migrations import upgrade_plane
from podium.migrations.metadata import metadata_of


def main(plane_name: str) -> None:
    """Upgrade a scratch SQLite database to head and print the difference to the models."""
    plane = Plane(plane_name)
    with tempfile.TemporaryDirectory() as folder:
        engine = create_engine(f"sqlite:///{Path(folder) / 'plane.db'}")
        upgrade_plane(plane, engine)
        with engine.connect() as connection:
            context = MigrationContext.configure(connection)
            script = produce_migrations(context, metadata_of(plane))
            sys.stdout.write(render_python_code(script.upgrade_ops) + "\n")
            sys.stdout.write(render_python_code(script.downgrade_ops) + "\n")
        engine.dispose()


if __name__ == "__main__":
    main(sys.argv[1])
