"""Benchmark of live delivery: a result's capture to its receipt by every subscriber.

Budget (DESIGN.md): p99 <= 50 ms from a result entered to its receipt by 1,000 live
subscribers, loopback (Atos quoted 350 ms to commentators at Paris 2024).

Run: `uv run python benchmarks/bench_live.py [--samples N] [--levels 1,100,1000]
[--consumers 50] [--quick]`. A `podium serve` process runs on a private copy of the
imported Paris 2024 node with 50 HTTP push consumers registered (`DT_RESULT` only) that
point at a receiver in this process. For each level it opens that many Server-Sent-Events
subscribers (`/feed/stream?document_type=DT_RESULT&compact=1`), then N times: POSTs a
changed result list for a unit (`/api/units/{rsc}/live`, as a timing system would) and
times, from just before the POST, the receipt of that unit's new `DT_RESULT` by every
SSE subscriber and every push consumer. The figure includes the HTTP request, the capture
transaction and its commit, the engine pass, and the delivery: it is from *entered*, so it
bounds commit-to-receipt from above. Printed: p50 and p99 per level, for SSE and push.

Baseline, same run: bare NATS (core, the server on 127.0.0.1:4222): one publisher, one
subscriber connection with as many subscriptions as the level has subscribers, time from
publish to the last copy received. Printed with the ratio Podium p99 / NATS p99.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gzip
import json
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import httpx
from sqlalchemy import func, select

from _common import Server, free_port, percentile
from podium.core.db import open_planes
from podium.core.settings import Settings
from podium.diffusion.models import FeedConsumer
from podium.migrations import upgrade_all
from podium.paris2024 import DEFAULT_SOURCE, ImportOptions, import_paris2024
from podium.privacy.operators import create_operator, issue_token
from podium.privacy.spine import open_spine
from podium.results import UnitResult

NATS_URL = "nats://127.0.0.1:4222"


class Receipts:
    """Receipt times (perf_counter) of each unit's DT_RESULT, per receiver."""

    def __init__(self) -> None:
        """Start empty."""
        self.times: dict[str, dict[str, float]] = defaultdict(dict)
        self.changed = asyncio.Event()

    def got(self, unit: str, receiver: str) -> None:
        """Record a receipt now (the first one per receiver and unit counts)."""
        self.times[unit].setdefault(receiver, time.perf_counter())
        self.changed.set()


async def _read_chunked_events(reader: asyncio.StreamReader) -> Any:
    """Yield the SSE events of a chunked HTTP/1.1 response body, as dicts of fields."""
    buffer = b""
    while True:
        size_line = await reader.readline()
        if not size_line:
            return
        size = int(size_line.strip() or b"0", 16)
        if size == 0:
            return
        buffer += await reader.readexactly(size)
        await reader.readexactly(2)
        while b"\n\n" in buffer:
            raw, buffer = buffer.split(b"\n\n", 1)
            fields: dict[str, str] = {}
            for line in raw.decode().splitlines():
                name, _, value = line.partition(":")
                fields[name] = value.strip()
            yield fields


async def _sse_client(port: int, name: str, receipts: Receipts, ready: asyncio.Event) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(
        b"GET /feed/stream?document_type=DT_RESULT&compact=1 HTTP/1.1\r\n"
        b"Host: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n"
    )
    await writer.drain()
    while (await reader.readline()) not in (b"\r\n", b""):
        pass  # response headers
    ready.set()
    try:
        async for event in _read_chunked_events(reader):
            if "data" in event:
                receipts.got(json.loads(event["data"])["document_code"], name)
    finally:
        writer.close()


async def _push_receiver(receipts: Receipts) -> tuple[asyncio.Server, int]:
    """A minimal HTTP/1.1 server acknowledging every push with 200 (keep-alive)."""

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        with contextlib.suppress(
            ConnectionError, asyncio.IncompleteReadError, asyncio.CancelledError
        ):
            while True:
                request = await reader.readuntil(b"\r\n\r\n")
                head = request.decode("latin-1").split("\r\n")
                path = head[0].split()[1]
                headers = {k.lower(): v.strip() for k, _, v in (h.partition(":") for h in head[1:])}
                body = await reader.readexactly(int(headers.get("content-length", "0")))
                unit = headers.get("x-odf-documentcode")
                if unit is None:
                    unit = _document_code(gzip.decompress(body))
                receipts.got(unit, path)
                writer.write(b"HTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\n")
                await writer.drain()
        writer.close()

    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    return server, server.sockets[0].getsockname()[1]


def _document_code(xml: bytes) -> str:
    start = xml.index(b'DocumentCode="') + len(b'DocumentCode="')
    return xml[start : xml.index(b'"', start)].decode()


async def _nats_baseline(subscribers: int, samples: int) -> list[float]:
    import nats  # noqa: PLC0415

    publisher = await nats.connect(NATS_URL)
    listener = await nats.connect(NATS_URL, pending_size=256 * 1024 * 1024)
    counts: dict[bytes, int] = defaultdict(int)
    done: dict[bytes, float] = {}

    async def on_message(message: Any) -> None:
        counts[message.data] += 1
        if counts[message.data] == subscribers:
            done[message.data] = time.perf_counter()

    for _ in range(subscribers):
        await listener.subscribe("podium.bench.latency", cb=on_message)
    await listener.flush()
    latencies = []
    payload = b"x" * 2000
    for sample in range(samples):
        key = f"{sample:08d}".encode() + payload
        started = time.perf_counter()
        await publisher.publish("podium.bench.latency", key)
        await publisher.flush()
        deadline = time.perf_counter() + 10
        while key not in done and time.perf_counter() < deadline:  # noqa: ASYNC110 - polls a dict
            await asyncio.sleep(0.0005)
        if key in done:
            latencies.append((done[key] - started) * 1000)
        await asyncio.sleep(0.01)
    await publisher.close()
    await listener.close()
    return latencies


def _prepare(root: Path, consumers: int, receiver_port: int) -> tuple[Path, str, list[str]]:
    """Import the bundled data once, then make the node: a token, consumers, test units."""
    node = root / "node"
    settings = Settings(data_dir=node)
    planes = open_planes(settings)
    upgrade_all(planes.games, planes.sovereign)
    import_paris2024(planes, ImportOptions(source=DEFAULT_SOURCE, data_dir=node))
    spine = open_spine(settings)
    with planes.sovereign_session() as session:
        create_operator(
            session,
            username="bench-timing",
            display_name="Benchmark timing system",
            home_country="FR",
            organisation="PARIS2024",
            roles=["results-manager"],
            purposes=["operations"] if "operations" in spine.pdp.purposes else [],
            known_roles=spine.pdp.roles,
            known_purposes=spine.pdp.purposes,
        )
        token = issue_token(session, "bench-timing", ["results:unit:write"])
    spine.close()
    with planes.games_session() as session:
        for number in range(consumers):
            session.add(
                FeedConsumer(
                    name=f"bench-{number:02d}",
                    organisation="Benchmark consumer",
                    endpoint=f"http://127.0.0.1:{receiver_port}/c{number:02d}",
                    api_key=f"key-{number:02d}",
                    disciplines="",
                    document_types="DT_RESULT",
                    cursor=0,
                    enabled=True,
                    attempts=0,
                )
            )
        counts = (
            select(UnitResult.unit_rsc)
            .group_by(UnitResult.unit_rsc)
            .having(func.count() >= 4)
            .order_by(UnitResult.unit_rsc)
        )
        units = list(session.scalars(counts))
    planes.dispose()
    return node, token, units


async def _level(  # noqa: PLR0913, PLR0917 - the level's whole set-up
    port: int,
    token: str,
    units: list[str],
    subscribers: int,
    samples: int,
    consumers: int,
    receipts: Receipts,
) -> tuple[list[float], list[float]]:
    ready = [asyncio.Event() for _ in range(subscribers)]
    tasks = [
        asyncio.create_task(_sse_client(port, f"sse{i}", receipts, ready[i]))
        for i in range(subscribers)
    ]
    await asyncio.wait_for(asyncio.gather(*(r.wait() for r in ready)), timeout=120)
    await asyncio.sleep(1.0)
    sse, push = [], []
    headers = {"Authorization": f"Bearer {token}"}
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=30) as client:
        for sample in range(samples):
            unit = units[sample]
            lines = (await client.get(f"/api/units/{unit}/results")).json()
            for line in lines:
                line.pop("records", None)
            lines[0]["result"] = f"bench-{sample}"
            started = time.perf_counter()
            response = await client.post(
                f"/api/units/{unit}/live", json={"results": lines}, headers=headers
            )
            response.raise_for_status()
            deadline = time.perf_counter() + 20
            wanted = subscribers + consumers
            while len(receipts.times[unit]) < wanted and time.perf_counter() < deadline:
                receipts.changed.clear()
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(receipts.changed.wait(), timeout=1)
            for receiver, at in receipts.times[unit].items():
                (sse if receiver.startswith("sse") else push).append((at - started) * 1000)
            missing = wanted - len(receipts.times[unit])
            if missing:
                print(f"    sample {sample}: {missing} receivers missed {unit} within 20 s")
            await asyncio.sleep(0.3)
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    return sse, push


def _line(label: str, values: list[float]) -> str:
    ordered = sorted(values)
    if not ordered:
        return f"  {label:<34} no receipts"
    p50, p99 = percentile(ordered, 0.5), percentile(ordered, 0.99)
    return f"  {label:<34} p50 {p50:7.1f} ms   p99 {p99:7.1f} ms   ({len(ordered)} receipts)"


async def _run(args: argparse.Namespace) -> int:
    levels = [int(v) for v in args.levels.split(",")]
    receipts = Receipts()
    receiver, receiver_port = await _push_receiver(receipts)
    with tempfile.TemporaryDirectory(prefix="podium-bench-live-") as tmp:
        root = Path(tmp)
        node, token, units = _prepare(root, args.consumers, receiver_port)
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
            await asyncio.sleep(2.0)  # the push workers catch up on the (empty) queues
            offset = 0
            for level in levels:
                chosen = units[offset : offset + args.samples]
                offset += args.samples
                sse, push = await _level(
                    port, token, chosen, level, args.samples, args.consumers, receipts
                )
                baseline = await _nats_baseline(level, args.samples)
                print(
                    f"{level} SSE subscribers + {args.consumers} HTTP push consumers,"
                    f" {args.samples} results:"
                )
                print(_line("Podium, entered -> SSE receipt", sse))
                print(_line("Podium, entered -> push receipt", push))
                print(_line(f"baseline, bare NATS to {level} subs", baseline))
                nats_p99 = percentile(sorted(baseline), 0.99)
                if sse and nats_p99 > 0:
                    ratio = percentile(sorted(sse), 0.99) / nats_p99
                    print(f"  SSE p99 / NATS p99 = {ratio:.1f}")
                if level == 1000:
                    p99 = percentile(sorted(sse), 0.99)
                    verdict = "met" if p99 <= 50 else "NOT met"
                    print(f"  budget p99 <= 50 ms at 1,000: {verdict} ({p99:.1f} ms)")
    receiver.close()
    return 0


def main() -> int:
    """Run the benchmark and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=30, help="results per level (default 30)")
    parser.add_argument("--levels", default="1,100,1000", help="SSE subscriber counts")
    parser.add_argument("--consumers", type=int, default=50, help="HTTP push consumers")
    parser.add_argument("--quick", action="store_true", help="5 results per level")
    args = parser.parse_args()
    if args.quick:
        args.samples = 5
    return asyncio.run(_run(args))


if __name__ == "__main__":
    sys.exit(main())
