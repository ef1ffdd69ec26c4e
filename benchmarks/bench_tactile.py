"""Benchmark of the tactile stream: a frame posted to its receipt by every tablet.

Budget (issue 7): p99 under 100 ms from a frame published to its receipt by every
tactile subscriber, loopback, at 25 frames a second (the Vision Pad magnet's pace).

Run: `uv run python benchmarks/bench_tactile.py [--levels 1,100,500,1000] [--seconds 10]
[--quick]`. A `podium serve` process runs on a fresh import of the bundled Paris 2024
data with a tracking token (`results:unit:write`). For each level this process opens
that many WebSocket subscribers on `/feed/tactile/{rsc}` of the men's football final
(raw RFC 6455 clients on one event loop, so the client costs little beside the server),
then for `--seconds` POSTs one position frame every 40 ms to
`/api/tactile/{rsc}/frames` (as the operator page does) and times, from just before
each POST, the frame's receipt by every subscriber. Each frame carries a unique match
time `t`, by which receipts are matched to posts. The figure includes the HTTP request,
the throttle (a frame arriving less than 40 ms after the one before waits for the rest
of the interval), the fan-out and the WebSocket send. Printed per level: p50 and p99 of
all receipts and of the last receipt per frame, frames merged by the throttle, positions
a tablet behind skipped (it gets the newest instead), and any subscriber cut for being
slow.

Baseline, same run: the level of 1 subscriber; each level's p99 is printed as a ratio
to it.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import contextlib
import os
import re
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import httpx

from _common import Server, free_port, percentile
from podium.core.db import open_planes
from podium.core.settings import Settings
from podium.migrations import upgrade_all
from podium.paris2024 import DEFAULT_SOURCE, ImportOptions, import_paris2024
from podium.privacy.operators import create_operator, issue_token
from podium.privacy.spine import open_spine

UNIT = "FBLMTEAM11------------FNL-000100--"
BUDGET_MS = 100.0
INTERVAL_S = 0.040
_T = re.compile(rb'"t":(\d+)')


@dataclass
class Level:
    """What one level measured: post times by match time, receipts, cut subscribers."""

    posted: dict[int, float] = field(default_factory=dict)
    receipts: list[tuple[int, float]] = field(default_factory=list)
    answered: list[float] = field(default_factory=list)
    closed: int = 0


def _prepare(root: Path) -> tuple[Path, str]:
    """Import the bundled data into a fresh node; return it and a tracking token."""
    node = root / "node"
    settings = Settings(data_dir=node)
    planes = open_planes(settings)
    upgrade_all(planes.games, planes.sovereign)
    import_paris2024(planes, ImportOptions(source=DEFAULT_SOURCE, data_dir=node))
    spine = open_spine(settings)
    with planes.sovereign_session() as session:
        create_operator(
            session,
            username="bench-tracker",
            display_name="Benchmark ball tracker",
            home_country="FR",
            organisation="PARIS2024",
            roles=["results-manager"],
            purposes=[],
            known_roles=spine.pdp.roles,
            known_purposes=spine.pdp.purposes,
        )
        token = issue_token(session, "bench-tracker", ["results:unit:write"])
    spine.close()
    planes.dispose()
    return node, token


async def _handshake(port: int, path: str) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    key = base64.b64encode(os.urandom(16)).decode()
    writer.write(
        (
            f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUpgrade: websocket\r\n"
            f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n"
        ).encode()
    )
    head = await reader.readuntil(b"\r\n\r\n")
    if not head.startswith(b"HTTP/1.1 101"):
        raise RuntimeError(f"handshake refused: {head[:60]!r}")
    return reader, writer


def _masked(opcode: int, payload: bytes) -> bytes:
    mask = os.urandom(4)
    body = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
    return bytes([0x80 | opcode, 0x80 | len(payload)]) + mask + body


async def _subscriber(
    reader: asyncio.StreamReader, writer: asyncio.StreamWriter, level: Level
) -> None:
    """Read a subscriber's frames until it closes; record each frame's receipt time."""
    receipts = level.receipts
    clock = time.perf_counter
    try:
        while True:
            head = await reader.readexactly(2)
            opcode, length = head[0] & 0x0F, head[1] & 0x7F
            if length == 126:  # RFC 6455 §5.2: extended length
                length = int.from_bytes(await reader.readexactly(2), "big")
            elif length == 127:
                length = int.from_bytes(await reader.readexactly(8), "big")
            payload = await reader.readexactly(length)
            if opcode == 1:
                found = _T.search(payload)
                if found:
                    receipts.append((int(found.group(1)), clock()))
            elif opcode == 9:  # ping: answer pong
                writer.write(_masked(0xA, payload))
            elif opcode == 8:  # close (a slow subscriber is cut with 1013)
                level.closed += 1
                return
    except (asyncio.IncompleteReadError, ConnectionError):
        return


async def _publish(client: httpx.AsyncClient, token: str, seconds: float, level: Level) -> None:
    """POST one frame every 40 ms for `seconds`; each frame's `t` is unique."""
    epoch = time.perf_counter()
    headers = {"Authorization": f"Bearer {token}"}
    count = int(seconds / INTERVAL_S)
    for i in range(count):
        due = epoch + i * INTERVAL_S
        await asyncio.sleep(max(0.0, due - time.perf_counter()))
        t = 50_000_000 + i  # far beyond any node-stamped time of the run
        x = 0.5 + 0.4 * ((i % 50) / 50 - 0.5)
        started = time.perf_counter()
        level.posted[t] = started
        answer = await client.post(
            f"/api/tactile/{UNIT}/frames", json=[{"x": x, "y": 0.5, "t": t}], headers=headers
        )
        answer.raise_for_status()
        level.answered.append((time.perf_counter() - started) * 1000)
    await asyncio.sleep(0.5)  # the last frames reach every subscriber


async def _warm_up(port: int, token: str) -> None:
    """Post a few frames first, so the first timed ones find the server warm."""
    headers = {"Authorization": f"Bearer {token}"}
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=10) as client:
        for _ in range(10):
            await client.post(
                f"/api/tactile/{UNIT}/frames", json=[{"x": 0.5, "y": 0.5}], headers=headers
            )
            await asyncio.sleep(INTERVAL_S)


async def _level(port: int, token: str, count: int, seconds: float) -> Level:
    level = Level()
    sockets = []
    for start in range(0, count, 100):  # connect in batches, as tablets arrive
        batch = [
            _handshake(port, f"/feed/tactile/{UNIT}") for _ in range(start, min(count, start + 100))
        ]
        sockets += await asyncio.gather(*batch)
    readers = [asyncio.create_task(_subscriber(r, w, level)) for r, w in sockets]
    await asyncio.sleep(0.5)
    level.receipts.clear()  # the newest frame each tablet gets on connecting
    await _warm_up(port, token)
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=10) as client:
        await _publish(client, token, seconds, level)
    for _reader, writer in sockets:
        writer.close()
    for task in readers:
        task.cancel()
    await asyncio.gather(*readers, return_exceptions=True)
    return level


def _report(count: int, level: Level, baseline_p99: float | None) -> float:
    latencies = sorted(
        (at - level.posted[t]) * 1000 for t, at in level.receipts if t in level.posted
    )
    last: dict[int, float] = {}
    for t, at in level.receipts:
        if t in level.posted:
            last[t] = max(last.get(t, 0.0), (at - level.posted[t]) * 1000)
    worst = sorted(last.values())
    merged = len(level.posted) - len(last)
    skipped = len(last) * count - len(latencies)
    p50, p99 = percentile(latencies, 0.5), percentile(latencies, 0.99)
    ratio = f"   x{p99 / baseline_p99:5.1f} of baseline p99" if baseline_p99 else ""
    verdict = "within" if p99 <= BUDGET_MS else "OVER"
    print(
        f"  {count:>5} subscribers  all receipts p50 {p50:6.1f} ms  p99 {p99:6.1f} ms"
        f"  ({len(latencies)} receipts, {verdict} the {BUDGET_MS:.0f} ms budget){ratio}"
    )
    print(
        f"  {'':>5}              last receipt per frame p50 {percentile(worst, 0.5):6.1f} ms"
        f"  p99 {percentile(worst, 0.99):6.1f} ms; frames posted {len(level.posted)},"
        f" merged by the throttle {merged}; receipts skipped by a tablet behind {skipped};"
        f" subscribers cut {level.closed}"
    )
    answered = sorted(level.answered)
    print(
        f"  {'':>5}              POST answered p50 {percentile(answered, 0.5):6.1f} ms"
        f"  p99 {percentile(answered, 0.99):6.1f} ms (request, auth, throttle, fan-out)"
    )
    return p99


async def _run(args: argparse.Namespace) -> int:
    levels = [int(v) for v in args.levels.split(",")]
    with tempfile.TemporaryDirectory(prefix="podium-bench-tactile-") as tmp:
        root = Path(tmp)
        print("importing the bundled Paris 2024 data into a fresh node ...")
        node, token = _prepare(root)
        port = free_port()
        argv = [
            str(Path(sys.executable).parent / "podium"),
            "--data-dir",
            str(node),
            "serve",
            "--port",
            str(port),
        ]
        with Server(
            "podium", argv, port, root / "serve.log", {"PODIUM_DATA_DIR": str(node)}
        ) as server:
            server.start("/api/days")
            print(
                f"tactile stream, {1 / INTERVAL_S:.0f} frames/s for {args.seconds:g} s per level,"
                f" loopback (budget p99 <= {BUDGET_MS:.0f} ms):"
            )
            baseline: float | None = None
            for count in levels:
                level = await _level(port, token, count, args.seconds)
                p99 = _report(count, level, baseline)
                baseline = baseline if baseline is not None else p99
    return 0


def main() -> int:
    """Parse the options and run the levels."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--levels", default="1,100,500,1000", help="subscriber counts; the first is the baseline"
    )
    parser.add_argument("--seconds", type=float, default=10.0, help="seconds of frames per level")
    parser.add_argument("--quick", action="store_true", help="levels 1,100 for 3 s: a smoke run")
    args = parser.parse_args()
    if args.quick:
        args.levels, args.seconds = "1,100", 3.0
    with contextlib.suppress(KeyboardInterrupt):
        return asyncio.run(_run(args))
    return 1


if __name__ == "__main__":
    sys.exit(main())
