from podium.migrations.environment import run_migrations

run_migrations()
