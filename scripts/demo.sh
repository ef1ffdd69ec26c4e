#!/usr/bin/env bash
# The README's first command: set up, import the bundled Paris 2024 data, serve Podium.
source "$(dirname "$0")/_bootstrap.sh"
DATA_DIR="${PODIUM_DATA_DIR:-var}"
"$UV" sync --frozen --no-dev --inexact   # --inexact: keep the test tools if scripts/test.sh installed them
"$UV" run --frozen --no-dev podium --data-dir "$DATA_DIR" import paris2024
echo "Podium is starting at http://127.0.0.1:${PODIUM_PORT:-8000}/ (API docs at /docs, ODF at /odf/)"
echo "Staff pages (/staff/) need an operator: in another terminal, for example"
echo "  .venv/bin/podium --data-dir $DATA_DIR operator create dpo --name 'Data protection officer' \\"
echo "      --country FR --organisation PARIS2024 --role dpo --purpose data-subject-rights --purpose security"
exec "$UV" run --frozen --no-dev podium --data-dir "$DATA_DIR" serve --port "${PODIUM_PORT:-8000}"
