"""Benchmark of live descriptions: an ODF message to its description, its audio, and subscribers.

Budget (issue 7): p99 under 100 ms from a result to its description received by the
description subscribers, loopback.

Run: `uv run python benchmarks/bench_describe.py [--samples N] [--levels 100,500,1000]
[--quick]`. A private copy of the imported Paris 2024 node is made once.

1. In process, message to description and to audio. The men's 100 m final is replayed
   through capture and the feed engine; its five DT_RESULT messages and its DT_MEDALLISTS
   are then published again on a `FeedBroker` (new sequence numbers, the start list first,
   so every round says the same seven sentences) and a `DescriptionService` describes them.
   Timed per message: publication on the broker to its descriptions ready, and to the WAV
   of its first description ready in English (espeak-ng, cache emptied each round).
   Baselines, same run: `parse_message` of the same bytes alone (what describing adds to
   reading the message), and a bare `espeak-ng --stdout` of the same sentence.
2. Subscribers. `podium serve` on the node; N clients hold `/feed/descriptions?venue=V`
   (the venue with the most units) on loopback; N times a timing system POSTs a unit's
   results (`/api/units/{rsc}/live`, a new unit each time: its first message is
   described) and the time from before the POST to the sentence's receipt by every client
   is taken. Baseline, same run and same N: clients of the raw feed
   (`/feed/stream?document_type=DT_RESULT&compact=1`) for the same kind of POST. Both
   figures include the HTTP request, the capture and the feed engine's pass: they bound
   message-to-text from above.
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import json
import shutil
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import httpx
from sqlalchemy import func, select
from tests.accessibility.described import final_script, replay_final

from _common import Server, free_port, percentile
from podium.accessibility import Description, DescriptionService, SpeechEngine
from podium.core.db import Planes, open_planes
from podium.core.settings import Settings
from podium.diffusion.broker import FeedBroker
from podium.diffusion.log import FeedEvent
from podium.games import Unit
from podium.migrations import upgrade_all
from podium.odf import parse_message
from podium.paris2024 import DEFAULT_SOURCE, ImportOptions, import_paris2024
from podium.privacy.operators import create_operator, issue_token
from podium.privacy.spine import open_spine
from podium.results import UnitResult

_SLOW_MS = 500


def _line(label: str, values: list[float]) -> str:
    ordered = sorted(values)
    if not ordered:
        return f"  {label:<44} no samples"
    p50, p99 = percentile(ordered, 0.5), percentile(ordered, 0.99)
    return f"  {label:<44} p50 {p50:8.2f} ms   p99 {p99:8.2f} ms   ({len(ordered)})"


def _prepare(node: Path) -> tuple[str, list[FeedEvent]]:
    """Import the data, replay the 100 m final, make a capture token; return it and the feed."""
    settings = Settings(data_dir=node)
    planes = open_planes(settings)
    upgrade_all(planes.games, planes.sovereign)
    import_paris2024(planes, ImportOptions(source=DEFAULT_SOURCE, data_dir=node))
    events = [
        e
        for e in replay_final(planes, final_script())
        if e.document_type in {"DT_RESULT", "DT_MEDALLISTS"}
    ]
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
    planes.dispose()
    return token, events


async def _one_message(
    service: DescriptionService,
    event: FeedEvent,
    spoken: dict[str, float],
    figures: dict[str, list[float]],
) -> None:
    """Publish one message; time its description, its first WAV and both baselines."""
    started = time.perf_counter()
    service.broker.deliver([event])
    while event.seq not in service.timings and time.perf_counter() - started < 5:  # noqa: ASYNC110 - polls a dict
        await asyncio.sleep(0)
    timing = service.timings.get(event.seq)
    if timing is None:
        return  # this message said nothing new
    figures["described"].append((timing.described - started) * 1000)
    first = f"{event.seq}-0/en"
    while first not in spoken and time.perf_counter() - started < 30:  # noqa: ASYNC110 - polls a dict
        await asyncio.sleep(0.001)
    if first in spoken:
        figures["audio"].append((spoken[first] - started) * 1000)
    t0 = time.perf_counter()
    parse_message(event.content)
    figures["parse"].append((time.perf_counter() - t0) * 1000)
    sentence = service.find(f"{event.seq}-0")
    if sentence is not None and service.speech is not None:
        t0 = time.perf_counter()
        await service.speech.synthesise(sentence.text_en, "en")
        figures["bare"].append((time.perf_counter() - t0) * 1000)
    # Let the background speech finish before the next message is timed.
    while not service._speaking.empty():  # noqa: SLF001, ASYNC110 - polls the queue
        await asyncio.sleep(0.01)


async def _in_process(planes: Planes, events: list[FeedEvent], rounds: int, tmp: Path) -> None:
    broker = FeedBroker(lambda _after, _limit: [])
    broker.bind(asyncio.get_running_loop(), 0)
    speech = SpeechEngine(tmp / "speech")
    service = DescriptionService(broker, planes, speech)
    spoken: dict[str, float] = {}

    def heard(description: Description, lang: str) -> None:
        spoken.setdefault(f"{description.id}/{lang}", time.perf_counter())

    service.on_spoken.append(heard)
    service.start()
    await service.ready.wait()
    figures: dict[str, list[float]] = defaultdict(list)
    seq = 0
    for _ in range(rounds):
        shutil.rmtree(tmp / "speech", ignore_errors=True)
        for event in events:
            seq += 1
            await _one_message(service, dataclasses.replace(event, seq=seq), spoken, figures)
    await service.stop()
    described, audio = figures["described"], figures["audio"]
    parse_only, bare = figures["parse"], figures["bare"]
    print(f"In process, {rounds} rounds of the 100 m final's {len(events)} messages:")
    print(_line("published -> descriptions ready", described))
    print(_line("baseline: parse_message alone", parse_only))
    print(_line("published -> first WAV ready (en)", audio))
    print(_line("baseline: bare espeak-ng, same sentence", bare))
    if audio and bare:
        ratio = percentile(sorted(audio), 0.5) / percentile(sorted(bare), 0.5)
        print(f"  audio p50 / bare espeak-ng p50 = {ratio:.2f}")


def _venue_units(planes: Planes) -> tuple[str, list[str]]:
    with planes.games_session() as session:
        ranked = (
            select(UnitResult.unit_rsc)
            .group_by(UnitResult.unit_rsc)
            .having(func.count() >= 4)
            .subquery()
        )
        rows = session.execute(
            select(Unit.venue_code, Unit.rsc).where(Unit.rsc.in_(select(ranked.c.unit_rsc)))
        ).all()
    by_venue: dict[str, list[str]] = defaultdict(list)
    for venue, rsc in rows:
        if venue and rsc != "ATHM100M--------------FNL-000100--":
            by_venue[venue].append(rsc)
    venue = max(by_venue, key=lambda v: len(by_venue[v]))
    return venue, sorted(by_venue[venue])


async def _client(  # noqa: PLR0913, PLR0917 - one client's whole set-up
    port: int, path: str, key: str, seen: dict[str, dict[int, float]], ready: asyncio.Event, me: int
) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(
        f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n".encode()
    )
    await writer.drain()
    while (await reader.readline()) not in (b"\r\n", b""):
        pass
    ready.set()
    try:
        while True:
            size = int((await reader.readline()).strip() or b"0", 16)
            if size == 0:
                return
            chunk = await reader.readexactly(size)
            await reader.readexactly(2)
            for line in chunk.decode().splitlines():
                if line.startswith("data:"):
                    unit = json.loads(line[5:])[key]
                    seen[unit].setdefault(me, time.perf_counter())
    finally:
        writer.close()


async def _level(  # noqa: PLR0913, PLR0917 - the level's whole set-up
    port: int, token: str, units: list[str], path: str, key: str, clients: int
) -> list[float]:
    seen: dict[str, dict[int, float]] = defaultdict(dict)
    ready = [asyncio.Event() for _ in range(clients)]
    tasks = [
        asyncio.create_task(_client(port, path, key, seen, ready[i], i)) for i in range(clients)
    ]
    await asyncio.wait_for(asyncio.gather(*(r.wait() for r in ready)), timeout=120)
    await asyncio.sleep(1.0)
    latencies: list[float] = []
    headers = {"Authorization": f"Bearer {token}"}
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=30) as client:
        for unit in units:
            lines = (await client.get(f"/api/units/{unit}/results")).json()
            for line in lines:
                line.pop("records", None)
            started = time.perf_counter()
            response = await client.post(
                f"/api/units/{unit}/live", json={"results": lines[:-1]}, headers=headers
            )
            response.raise_for_status()
            deadline = time.perf_counter() + 20
            while len(seen[unit]) < clients and time.perf_counter() < deadline:  # noqa: ASYNC110 - polls a dict
                await asyncio.sleep(0.002)
            late = [(at - started) * 1000 for at in seen[unit].values()]
            latencies += late
            if late and max(late) > _SLOW_MS:
                print(f"    slow sample: {unit} first {min(late):.0f} ms, last {max(late):.0f} ms")
            if len(seen[unit]) < clients:
                print(f"    {clients - len(seen[unit])} clients missed {unit} within 20 s")
            await asyncio.sleep(0.3)
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    return latencies


async def _subscribers(  # noqa: PLR0913 - the run's whole set-up
    node: Path, root: Path, token: str, levels: list[int], samples: int, *, speech: bool
) -> None:
    """Time N description clients against N raw feed clients; each run uses fresh units."""
    planes = open_planes(Settings(data_dir=node))
    venue, units = _venue_units(planes)
    planes.dispose()
    port = free_port()
    argv = [
        str(Path(sys.executable).parent / "podium"),
        "--data-dir",
        str(node),
        "serve",
        "--port",
        str(port),
    ]
    env = {"PODIUM_DATA_DIR": str(node)}
    if not speech:  # espeak-ng out of reach: the node describes in text only
        env["PATH"] = str(Path(sys.executable).parent)
    with Server("podium", argv, port, root / "serve.log", env) as server:
        server.start("/api/days")
        url = f"http://127.0.0.1:{port}/api/venues/{venue}/descriptions"
        await asyncio.to_thread(httpx.get, url, timeout=60)  # starts the description service
        # A unit is described once per node: the text-only run takes units the other did not.
        offset = 0 if speech else len(levels) * samples * 2
        for level in levels:
            chosen, offset = units[offset : offset + samples], offset + samples
            text = await _level(
                port, token, chosen, f"/feed/descriptions?venue={venue}&lang=en", "unit", level
            )
            raw_units, offset = units[offset : offset + samples], offset + samples
            raw = await _level(
                port,
                token,
                raw_units,
                "/feed/stream?document_type=DT_RESULT&compact=1",
                "document_code",
                level,
            )
            print(f"{level} description subscribers on venue {venue}, {len(chosen)} results:")
            print(_line("entered -> description received", text))
            print(_line("baseline: entered -> raw DT_RESULT received", raw))
            p99 = percentile(sorted(text), 0.99)
            if raw:
                print(
                    f"  description p99 / raw feed p99 = {p99 / percentile(sorted(raw), 0.99):.2f}"
                )
            print(
                f"  budget p99 < 100 ms to text: {'met' if p99 < 100 else 'NOT met'} ({p99:.1f} ms)"
            )


async def _run(args: argparse.Namespace) -> int:
    with tempfile.TemporaryDirectory(prefix="podium-bench-describe-") as tmp:
        root = Path(tmp)
        node = root / "node"
        token, events = _prepare(node)
        planes = open_planes(Settings(data_dir=node))
        try:
            await _in_process(planes, events, args.rounds, root)
        finally:
            planes.dispose()
        levels = [int(v) for v in args.levels.split(",")]
        if not args.no_speech:
            await _subscribers(node, root, token, levels, args.samples, speech=True)
        print("Same, the server without espeak-ng (text only, no speech beside it):")
        await _subscribers(node, root, token, levels, args.samples, speech=False)
    return 0


def main() -> int:
    """Run the benchmark and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=20, help="results per level (default 20)")
    parser.add_argument("--rounds", type=int, default=10, help="in-process rounds (default 10)")
    parser.add_argument("--levels", default="100,500,1000", help="description subscriber counts")
    parser.add_argument(
        "--no-speech", action="store_true", help="subscribers only against a text-only server"
    )
    parser.add_argument("--quick", action="store_true", help="3 rounds, 5 results, 100 clients")
    args = parser.parse_args()
    if args.quick:
        args.samples, args.rounds, args.levels = 5, 3, "100"
    return asyncio.run(_run(args))


if __name__ == "__main__":
    sys.exit(main())
