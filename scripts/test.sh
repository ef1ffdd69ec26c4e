#!/usr/bin/env bash
# The README's second command: install the test dependencies and run every test.
# PostgreSQL and NATS tests run against the real servers; without them they are skipped
# with the reason on a developer's machine, and fail under CI (CI=true).
source "$(dirname "$0")/_bootstrap.sh"
source "$(dirname "$0")/_system_packages.sh"
"$UV" sync --frozen
"$UV" run --frozen ruff check src tests benchmarks
"$UV" run --frozen mypy
"$UV" run --frozen lint-imports
"$UV" run --frozen podium privacy check   # the data-category catalog (issue 3, part 8)
exec "$UV" run --frozen pytest "$@"
