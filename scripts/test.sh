#!/usr/bin/env bash
# The README's second command: install the test dependencies and run every test.
# PostgreSQL and NATS tests run against the real servers; without them they are skipped
# with the reason on a developer's machine, and fail under CI (CI=true).
source "$(dirname "$0")/_bootstrap.sh"
if ! command -v chromium >/dev/null 2>&1; then
    if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
        echo "Installing Debian's chromium for the browser tests ..."
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-dejavu-core >/dev/null
    else
        echo "chromium is missing and cannot be installed here (needs root and apt-get):"
        echo "the browser tests will fail. Install Debian's chromium package."
    fi
fi
"$UV" sync --frozen
"$UV" run --frozen ruff check src tests benchmarks
"$UV" run --frozen mypy
"$UV" run --frozen lint-imports
"$UV" run --frozen podium privacy check   # the data-category catalog (issue 3, part 8)
exec "$UV" run --frozen pytest "$@"
