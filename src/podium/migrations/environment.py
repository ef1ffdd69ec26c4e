"""The body of both planes' Alembic `env.py`: migrate the engine handed in the config."""

from __future__ import annotations

from typing import Any, Literal

from alembic import context

from podium.core.types import UtcDateTime
from podium.migrations.metadata import metadata_of

__all__ = ["run_migrations"]


def render_item(type_: str, obj: Any, autogen_context: Any) -> str | Literal[False]:
    """Render Podium's own column types in generated revisions."""
    if type_ == "type" and isinstance(obj, UtcDateTime):
        autogen_context.imports.add("from podium.core.types import UtcDateTime")
        return "UtcDateTime()"
    return False


def run_migrations() -> None:
    """Run the migrations of the plane named in the Alembic config, on its engine.

    The engine and plane come from `podium.migrations.alembic_config`; SQLite gets batch
    mode so that column changes work there too.
    """
    config = context.config
    engine = config.attributes["engine"]
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=metadata_of(config.attributes["plane"]),
            render_as_batch=connection.dialect.name == "sqlite",
            render_item=render_item,
            compare_type=True,
        )
        with context.begin_transaction():
            context.run_migrations()
