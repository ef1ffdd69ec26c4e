from __future__ import annotations

from typing import Any, Literal

from alembic import context

from podium.core.types import UtcDateTime
from podium.migrations.metadata import metadata_of

config = context.config
engine = config.attributes["engine"]
target_metadata = metadata_of(config.attributes["plane"])


def render_item(type_: str, obj: Any, autogen_context: Any) -> str | Literal[False]:
    """Render Podium's own column types in generated revisions."""
    if type_ == "type" and isinstance(obj, UtcDateTime):
        autogen_context.imports.add("from podium.core.types import UtcDateTime")
        return "UtcDateTime()"
    return False


with engine.connect() as connection:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        render_item=render_item,
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()
