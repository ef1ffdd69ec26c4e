"""Two diffusion nodes serve one feed through the real NATS JetStream server.

Node A is a primary on a private copy of the imported Paris 2024 node: its engine writes
the feed log and its `NatsPublisher` publishes it. Node B is an edge with an empty,
migrated data folder: its `NatsEdge` feeds its broker from the stream. Each node is a
real application under uvicorn on its own port; each test has its own stream, deleted
at the end. Waiting is bounded by deadlines, never asserted on speed.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import threading
import time
import uuid
from collections import deque
from collections.abc import AsyncIterator, Callable, Coroutine, Iterator
from concurrent.futures import Future
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, TypeVar
from urllib.parse import urlparse

import httpx
import nats
import pytest

from podium.api import create_app
from podium.core.db import Planes, open_planes
from podium.core.settings import Settings
from podium.diffusion.broker import FeedBroker, Topic
from podium.diffusion.capture import UnitUpdate
from podium.diffusion.log import FeedEvent, last_seq, read_after
from podium.diffusion.models import FeedCursor, FeedOutbox
from podium.diffusion.nats_bridge import (
    CURSOR,
    BacklogUnavailableError,
    NatsOptions,
    headers_of,
    subject_of,
)
from podium.diffusion.node import DiffusionNode
from podium.migrations import upgrade_all
from tests.conftest import NATS_URL, require_service
from tests.diffusion.live import WALK, apply, engine, real_lines, reset_unit, start_list
from tests.web.browsing import free_port, live_server

pytestmark = pytest.mark.nats

DEADLINE_S = 30.0

T = TypeVar("T")


def wait_for(condition: Callable[[], bool], what: str, deadline_s: float = DEADLINE_S) -> None:
    """Poll `condition` until it holds; fail saying `what` did not happen in time."""
    end = time.monotonic() + deadline_s
    while not condition():
        if time.monotonic() > end:
            pytest.fail(f"{what}: not within {deadline_s:.0f} s")
        time.sleep(0.05)


def run_nats(work: Callable[[Any], Coroutine[Any, Any, T]]) -> T:
    """Run `work(client)` on a fresh connection to the test server."""

    async def main() -> T:
        client = await nats.connect(NATS_URL, connect_timeout=3)
        try:
            return await work(client)
        finally:
            await client.close()

    return asyncio.run(main())


Stored = tuple[str, dict[str, str], bytes]  # subject, headers, payload


def stream_contents(stream: str) -> list[Stored]:
    """Return every message of a stream, oldest first."""

    async def read(client: Any) -> list[Stored]:
        js = client.jetstream()
        state = (await js.stream_info(stream)).state
        found = []
        for seq in range(state.first_seq, state.last_seq + 1):
            raw = await js.get_msg(stream, seq=seq)
            found.append((raw.subject, raw.headers or {}, raw.data or b""))
        return found

    return run_nats(read)


@pytest.fixture
def stream() -> Iterator[str]:
    """A stream name of this test alone; the stream is deleted at the end."""
    require_service("NATS JetStream", NATS_URL, 4222)
    name = f"PODIUM_FEED_TEST_{uuid.uuid4().hex[:12].upper()}"
    yield name

    async def delete(client: Any) -> None:
        with contextlib.suppress(nats.js.errors.NotFoundError):
            await client.jetstream().delete_stream(name)

    run_nats(delete)


def settings_of(
    data_dir: Path, stream: str, *, role: Literal["primary", "edge"], url: str = NATS_URL
) -> Settings:
    """Settings of a node of the test feed (no burst window: each capture sends at once)."""
    return Settings(
        data_dir=data_dir,
        secure_cookies=False,
        feed_role=role,
        feed_window_ms=0,
        nats_url=url,
        nats_stream=stream,
    )


@dataclass
class Feed:
    """The two nodes' planes and settings (the servers start and stop within a test)."""

    primary: Settings
    primary_planes: Planes
    edge: Settings
    edge_planes: Planes


@pytest.fixture
def feed(sqlite_settings: Settings, stream: str, tmp_path: Path) -> Iterator[Feed]:
    """A primary on a copy of the imported node and an edge on an empty, migrated one."""
    primary = settings_of(sqlite_settings.data_dir, stream, role="primary")
    edge = settings_of(tmp_path / "edge", stream, role="edge")
    primary_planes, edge_planes = open_planes(primary), open_planes(edge)
    upgrade_all(edge_planes.games, edge_planes.sovereign)
    yield Feed(primary, primary_planes, edge, edge_planes)
    primary_planes.dispose()
    edge_planes.dispose()


@dataclass
class Node:
    """A running node: its diffusion machinery and its address."""

    diffusion: DiffusionNode
    url: str

    @property
    def broker(self) -> FeedBroker:
        """The node's broker."""
        return self.diffusion.broker

    def submit(self, work: Coroutine[Any, Any, T]) -> Future[T]:
        """Run a coroutine on the server's loop (the broker's)."""
        assert self.broker._loop is not None
        return asyncio.run_coroutine_threadsafe(work, self.broker._loop)


@contextlib.contextmanager
def serve(settings: Settings, planes: Planes, memory: int | None = None) -> Iterator[Node]:
    """Run a node's application under uvicorn; `memory` shrinks its broker's memory."""
    diffusion = DiffusionNode(planes, settings)
    if memory is not None:
        diffusion.broker.recent = deque(maxlen=memory)
    app = create_app(settings, planes, diffusion=diffusion)
    with live_server(app) as url:
        yield Node(diffusion, url)


def feed_log(planes: Planes) -> list[FeedEvent]:
    """Return a node's whole feed log, in sequence order."""
    with planes.games_session() as session:
        return read_after(session, 0, limit=100_000)


def published(stream: str) -> list[int]:
    """Return the Podium sequence numbers in a stream, in stream order."""
    return [int(headers["Podium-Seq"]) for _, headers, _ in stream_contents(stream)]


def settled(planes: Planes) -> int:
    """Wait until the primary's outbox is empty; return its newest sequence number."""

    def empty() -> bool:
        with planes.games_session() as session:
            return session.query(FeedOutbox).count() == 0

    wait_for(empty, "the primary's engine sending its outbox")
    with planes.games_session() as session:
        return last_seq(session)


def cursor(planes: Planes) -> int:
    """Return the publisher's `nats` cursor."""
    with planes.games_session() as session:
        row = session.get(FeedCursor, CURSOR)
        return row.position if row else 0


def set_cursor(planes: Planes, position: int) -> None:
    """Move the publisher's cursor, as a crash before its commit would leave it."""
    with planes.games_session() as session:
        session.merge(FeedCursor(name=CURSOR, position=position))


def steps(planes: Planes) -> list[UnitUpdate]:
    """The walk final's updates, from its start list to OFFICIAL."""
    lines = real_lines(planes, WALK)
    return [
        UnitUpdate(
            result_status="START_LIST", schedule_status="GETTING_READY", results=start_list(lines)
        ),
        UnitUpdate(result_status="LIVE", schedule_status="RUNNING"),
        UnitUpdate(result_status="UNOFFICIAL", schedule_status="FINISHED", results=lines),
        UnitUpdate(result_status="OFFICIAL"),
    ]


def capture_on(node: Node, planes: Planes, updates: list[UnitUpdate]) -> int:
    """Capture updates on the primary, each sent before the next; return the newest seq."""
    newest = 0
    for update in updates:
        apply(planes, WALK, update)
        node.diffusion.captured()
        newest = settled(planes)
    return newest


def reached(edge: Node, seq: int) -> Callable[[], bool]:
    """Whether the edge's broker has delivered up to `seq`."""
    return lambda: edge.broker.last_seq >= seq


async def take(broker: FeedBroker, after: int | None, count: int) -> list[FeedEvent]:
    """Take `count` events from a new subscription to all messages."""
    taken: list[FeedEvent] = []
    async with asyncio.timeout(DEADLINE_S):
        events: AsyncIterator[FeedEvent] = broker.subscribe(Topic(), after)
        async with contextlib.aclosing(events):  # type: ignore[type-var]
            async for event in events:
                taken.append(event)
                if len(taken) == count:
                    break
    return taken


def test_a_capture_on_the_primary_reaches_the_edge_with_the_same_bytes_and_seq(
    feed: Feed,
) -> None:
    require_service("NATS JetStream", NATS_URL, 4222)
    reset_unit(feed.primary_planes, WALK)
    updates = steps(feed.primary_planes)
    with (
        serve(feed.edge, feed.edge_planes) as edge,  # first: it waits for the stream
        serve(feed.primary, feed.primary_planes) as primary,
    ):
        listening = edge.submit(take(edge.broker, None, 1))
        wait_for(lambda: len(edge.broker.subscriptions) == 1, "a live subscriber on the edge")
        newest = capture_on(primary, feed.primary_planes, updates[:1])
        [first] = listening.result(DEADLINE_S)
        newest = capture_on(primary, feed.primary_planes, updates[1:])
        wait_for(reached(edge, newest), f"the edge delivering up to seq {newest}")
        sent = feed_log(feed.primary_planes)
        assert first == sent[0]
        assert list(edge.broker.recent) == sent  # every field: seq, key, bytes, dates
        assert {e.document_type for e in sent} >= {"DT_RESULT", "DT_SCHEDULE_UPDATE"}
        wait_for(lambda: cursor(feed.primary_planes) == newest, "the cursor committed")
    stored = stream_contents(feed.primary.nats_stream)
    root = NatsOptions.of(feed.primary).subject_root
    assert [int(h["Podium-Seq"]) for _, h, _ in stored] == [e.seq for e in sent]
    for (subject, headers, data), event in zip(stored, sent, strict=True):
        assert data == event.content
        assert headers["Nats-Msg-Id"] == f"OG2024-P-{event.seq}"
        assert {k: headers[k] for k in headers_of(event)} == headers_of(event)
        assert subject == subject_of(root, event)
    assert stored[0][0] == f"{root}.P.ATH.DT_SCHEDULE_UPDATE"


def test_a_resume_on_the_edge_returns_exactly_the_missed_events_in_order(feed: Feed) -> None:
    require_service("NATS JetStream", NATS_URL, 4222)
    reset_unit(feed.primary_planes, WALK)
    updates = steps(feed.primary_planes)
    # The edge's broker remembers two messages: older ones come from the edge index,
    # read back from the stream, since an edge has no feed log of its own.
    with (
        serve(feed.primary, feed.primary_planes) as primary,
        serve(feed.edge, feed.edge_planes, memory=2) as edge,
    ):
        newest = capture_on(primary, feed.primary_planes, updates)
        wait_for(reached(edge, newest), f"the edge delivering up to seq {newest}")
        sent = feed_log(feed.primary_planes)
        assert len(sent) > 6
        for seen in (0, 3, len(sent) - 3):
            after = sent[seen - 1].seq if seen else 0
            assert edge.submit(take(edge.broker, after, len(sent) - seen)).result() == sent[seen:]
        assert edge.broker.backlog(sent[1].seq, 3) == sent[2:5]  # from a worker thread
        assert edge.broker.backlog(newest, 500) == []


def test_a_restarted_publisher_publishes_nothing_twice(feed: Feed) -> None:
    require_service("NATS JetStream", NATS_URL, 4222)
    reset_unit(feed.primary_planes, WALK)
    updates = steps(feed.primary_planes)
    stream = feed.primary.nats_stream
    with serve(feed.primary, feed.primary_planes) as primary:
        newest = capture_on(primary, feed.primary_planes, updates)
        wait_for(lambda: cursor(feed.primary_planes) == newest, "the cursor committed")
    before = stream_contents(stream)
    set_cursor(feed.primary_planes, 2)  # a crash after the acks, before the commit
    with serve(feed.primary, feed.primary_planes):
        wait_for(lambda: cursor(feed.primary_planes) == newest, "the cursor caught up")
    assert stream_contents(stream) == before

    first = feed_log(feed.primary_planes)[0]
    root = NatsOptions.of(feed.primary).subject_root

    async def publish_again(client: Any) -> bool | None:
        ack = await client.jetstream().publish(
            subject_of(root, first), first.content, headers=headers_of(first)
        )
        return ack.duplicate  # type: ignore[no-any-return]

    assert run_nats(publish_again) is True  # inside the window, the stream drops it
    assert stream_contents(stream) == before


def test_messages_appended_while_the_publisher_was_stopped_are_published_in_order(
    feed: Feed,
) -> None:
    require_service("NATS JetStream", NATS_URL, 4222)
    reset_unit(feed.primary_planes, WALK)
    updates = steps(feed.primary_planes)
    with serve(feed.edge, feed.edge_planes) as edge:
        with serve(feed.primary, feed.primary_planes) as primary:
            newest = capture_on(primary, feed.primary_planes, updates[:1])
            wait_for(reached(edge, newest), "the first capture on the edge")
        stopped_at = cursor(feed.primary_planes)
        writer = engine(feed.primary_planes, window_ms=0)  # the primary's engine, unserved
        for update in updates[1:]:
            apply(feed.primary_planes, WALK, update)
            writer.pump()
        sent = feed_log(feed.primary_planes)
        assert sent[-1].seq > stopped_at == newest
        assert edge.broker.last_seq == stopped_at
        with serve(feed.primary, feed.primary_planes):
            wait_for(reached(edge, sent[-1].seq), "the messages written while stopped")
        assert list(edge.broker.recent) == sent
    assert published(feed.primary.nats_stream) == [e.seq for e in sent]


class Outage:
    """A TCP relay to the NATS server that a test cuts and restores: a NATS outage."""

    def __init__(self) -> None:
        """Start relaying on a free local port."""
        target = urlparse(NATS_URL)
        self.target = (target.hostname or "127.0.0.1", target.port or 4222)
        self.port = free_port()
        self.url = f"nats://127.0.0.1:{self.port}"
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()
        self.server: asyncio.Server | None = None
        self.writers: set[asyncio.StreamWriter] = set()
        self.restore()

    async def _pipe(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        with contextlib.suppress(OSError):
            while data := await reader.read(65536):
                writer.write(data)
                await writer.drain()
        writer.close()

    async def _relay(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.writers.add(writer)
        try:
            up_reader, up_writer = await asyncio.open_connection(*self.target)
        except OSError:
            writer.close()
            return
        self.writers.add(up_writer)
        await asyncio.gather(self._pipe(reader, up_writer), self._pipe(up_reader, writer))

    async def _close(self) -> None:
        if self.server is not None:
            self.server.close()
            self.server = None
        for writer in self.writers:
            writer.transport.abort()
        self.writers.clear()

    def cut(self) -> None:
        """Refuse new connections and drop the open ones."""
        asyncio.run_coroutine_threadsafe(self._close(), self.loop).result(10)

    def restore(self) -> None:
        """Accept connections again."""
        opening = asyncio.start_server(self._relay, "127.0.0.1", self.port)
        self.server = asyncio.run_coroutine_threadsafe(opening, self.loop).result(10)

    def stop(self) -> None:
        """Cut and stop the relay's loop."""
        self.cut()
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(10)


def backlog_refused(edge: Node) -> bool:
    """Whether the edge refuses to read its backlog (rather than answer with a gap)."""
    try:
        edge.broker.backlog(0, 10)
    except BacklogUnavailableError:
        return True
    return False


def test_both_nodes_carry_on_after_a_nats_outage(feed: Feed) -> None:
    require_service("NATS JetStream", NATS_URL, 4222)
    reset_unit(feed.primary_planes, WALK)
    updates = steps(feed.primary_planes)
    outage = Outage()
    stream = feed.primary.nats_stream
    primary_settings = settings_of(feed.primary.data_dir, stream, role="primary", url=outage.url)
    edge_settings = settings_of(feed.edge.data_dir, stream, role="edge", url=outage.url)
    try:
        with (
            serve(primary_settings, feed.primary_planes) as primary,
            serve(edge_settings, feed.edge_planes, memory=2) as edge,
        ):
            newest = capture_on(primary, feed.primary_planes, updates[:2])
            wait_for(reached(edge, newest), "the edge before the outage")
            outage.cut()
            wait_for(lambda: backlog_refused(edge), "the edge refusing resumes without NATS")
            during = capture_on(primary, feed.primary_planes, updates[2:])
            assert edge.broker.last_seq == newest < during
            outage.restore()
            wait_for(reached(edge, during), "the edge after the outage")
            sent = feed_log(feed.primary_planes)
            assert edge.submit(take(edge.broker, 0, len(sent))).result() == sent
    finally:
        outage.stop()
    assert published(stream) == [e.seq for e in sent]


def sse_events(lines: Iterator[str], count: int) -> list[dict[str, str]]:
    """Read `count` events with an id from an SSE response's lines (field name → value)."""
    events: list[dict[str, str]] = []
    fields: dict[str, str] = {}
    for line in lines:
        if line:
            name, _, value = line.partition(":")
            fields[name] = value.removeprefix(" ")
            continue
        if "id" in fields:
            events.append(fields)
            if len(events) == count:
                break
        fields = {}
    return events


def test_the_edge_serves_sse_and_resumes_from_last_event_id(feed: Feed) -> None:
    require_service("NATS JetStream", NATS_URL, 4222)
    reset_unit(feed.primary_planes, WALK)
    updates = steps(feed.primary_planes)
    accept = {"Accept": "text/event-stream"}
    with (
        serve(feed.primary, feed.primary_planes) as primary,
        serve(feed.edge, feed.edge_planes) as edge,
        httpx.Client(base_url=edge.url, timeout=DEADLINE_S) as client,
    ):
        with client.stream("GET", "/feed/stream", headers=accept) as live:
            assert live.status_code == 200
            lines = live.iter_lines()
            next(lines)  # the retry hint: the stream's position is fixed
            capture_on(primary, feed.primary_planes, updates[:2])
            sent = feed_log(feed.primary_planes)
            received = sse_events(lines, len(sent))
        assert [int(e["id"]) for e in received] == [e.seq for e in sent] != []
        assert {e["event"] for e in received} == {"odf"}
        assert [json.loads(e["data"])["xml"] for e in received] == [
            e.content.decode() for e in sent
        ]
        newest = capture_on(primary, feed.primary_planes, updates[2:])
        wait_for(reached(edge, newest), "the edge delivering the missed messages")
        missed = feed_log(feed.primary_planes)[len(sent) :]
        resume = {**accept, "Last-Event-ID": str(sent[-1].seq)}
        with client.stream("GET", "/feed/stream", headers=resume) as again:
            resumed = sse_events(again.iter_lines(), len(missed))
        assert [int(e["id"]) for e in resumed] == [e.seq for e in missed]
        assert [json.loads(e["data"])["xml"] for e in resumed] == [
            e.content.decode() for e in missed
        ]
