#!/usr/bin/env bash
# The README's first command: set up, import the bundled Paris 2024 data, then replay the
# Games live: pages and SSE at http://127.0.0.1:8000/ and an HTTP push consumer receiving
# every ODF message into var/received/. When the replay ends, Podium keeps serving.
set -euo pipefail
source "$(dirname "$0")/_bootstrap.sh"
PODIUM_WITH_BROWSER=0 source "$(dirname "$0")/_system_packages.sh"
DATA_DIR="${PODIUM_DATA_DIR:-var}"
PORT="${PODIUM_PORT:-8000}"
RECEIVER_PORT="${PODIUM_RECEIVER_PORT:-9000}"
SPEED="${PODIUM_REPLAY_SPEED:-600}"   # Games seconds per second: a competition day in 2.4 min
"$UV" sync --frozen --no-dev --inexact   # --inexact: keep the test tools if scripts/test.sh installed them
PODIUM=(.venv/bin/podium --data-dir "$DATA_DIR")
"${PODIUM[@]}" import paris2024
# Games management and ticketing on the same real data (each idempotent): the participants'
# accreditation applications, the NOCs' sport entries, the sessions on sale.
"${PODIUM[@]}" accreditation load-paris2024
"${PODIUM[@]}" entries load-paris2024
"${PODIUM[@]}" ticketing load-paris2024

# The reference push consumer (`podium receive`), as a broadcaster's endpoint would be.
.venv/bin/podium receive --port "$RECEIVER_PORT" --out "$DATA_DIR/received" --api-key demo-key &
RECEIVER=$!
trap 'kill $RECEIVER 2>/dev/null || true' EXIT
if ! "${PODIUM[@]}" feed consumer list 2>/dev/null | grep -q '\bdemo\b'; then
    "${PODIUM[@]}" feed consumer add demo --endpoint "http://127.0.0.1:$RECEIVER_PORT/odf" \
        --api-key demo-key --organisation "Demo broadcaster" --start-after 0
fi

echo "Replaying Paris 2024 at ${SPEED}x: http://127.0.0.1:$PORT/ (live pages, /feed/stream, /docs);"
echo "the push consumer writes every ODF message to $DATA_DIR/received/. Ctrl-C stops;"
echo "'.venv/bin/podium --data-dir $DATA_DIR replay paris2024 --resume' continues."
"${PODIUM[@]}" replay paris2024 --speed "$SPEED" --port "$PORT" --yes
echo "Replay done: $(ls "$DATA_DIR/received" | wc -l) messages received by the push consumer."
"${PODIUM[@]}" serve --port "$PORT"
