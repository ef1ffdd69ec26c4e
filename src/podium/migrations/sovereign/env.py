from __future__ import annotations

from alembic import context

from podium.migrations.metadata import metadata_of

config = context.config
engine = config.attributes["engine"]
target_metadata = metadata_of(config.attributes["plane"])

with engine.connect() as connection:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()
