"""HTTP push (ODF Foundation Principles §8) against real HTTP consumers on loopback.

Each consumer is a real `http.server` in a thread that records every POST (its key, its
headers, its gunzipped body) and can be told to answer 500, to hang, or be stopped and
started again on the same port. The feed log is filled by real captures pumped by the
real engine. Tests wait for a condition with a deadline; none asserts on speed.
"""

from __future__ import annotations

import asyncio
import gzip
import os
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import NamedTuple, Self

import pytest

from podium.core.db import Planes, open_planes
from podium.core.settings import Settings
from podium.diffusion.capture import CompetitorResult, UnitUpdate
from podium.diffusion.consumers import (
    ArchiveSearch,
    ConsumerChange,
    ConsumerSpec,
    QueueStatus,
    queue_status,
    register_consumer,
    request_archive_resend,
    request_resend,
    update_consumer,
)
from podium.diffusion.engine import Listener
from podium.diffusion.log import FeedEvent
from podium.diffusion.push import PushService
from podium.migrations import upgrade_all
from tests.diffusion.live import NOW, apply, engine, real_lines, reset_unit, start_list

ATH = "ATHM100M--------------PREL000100--"
SWM = "SWMM100MBA------------HEAT000100--"
"""Two heats of the bundled data with results: each capture gives DT_RESULT + DT_PHASE_RESULT."""


class Feed:
    """Appends real messages to the feed log: captures of a unit, each pumped at once."""

    def __init__(self, planes: Planes, *listeners: Listener) -> None:
        self.planes = planes
        self.engine = engine(planes, window_ms=0)
        self.engine.listeners.extend(listeners)
        self.steps: Counter[str] = Counter()
        self.lines: dict[str, list[CompetitorResult]] = {}

    def step(self, unit: str) -> list[FeedEvent]:
        """Capture the unit's next state (start list, then ever-changing live results)."""
        n = self.steps[unit]
        self.steps[unit] += 1
        if n == 0:
            self.lines[unit] = real_lines(self.planes, unit)
            reset_unit(self.planes, unit)
            update = UnitUpdate(result_status="START_LIST", results=start_list(self.lines[unit]))
        else:
            lines = self.lines[unit]
            first = lines[0].model_copy(update={"rank": 1, "result": f"{9 + n / 1000:.3f}"})
            update = UnitUpdate(result_status="LIVE", results=[first, *lines[1:]])
        apply(self.planes, unit, update)
        events = self.engine.pump().events
        assert events, "a capture that changes results appends messages"
        return events

    def at_least(self, count: int, units: tuple[str, ...] = (ATH, SWM)) -> list[FeedEvent]:
        """Append at least `count` messages, alternating between the units."""
        events: list[FeedEvent] = []
        while len(events) < count:
            events += self.step(units[sum(self.steps.values()) % len(units)])
        return events


class Received(NamedTuple):
    """One POST as the consumer saw it, and what it answered (None: no answer)."""

    seq: int
    key: str
    headers: dict[str, str]
    raw: bytes
    body: bytes
    status: int | None


class Consumer:
    """An HTTP consumer on 127.0.0.1: `mode` is `ok` (200), `error` (500) or `hang`."""

    def __init__(self) -> None:
        self.mode = "ok"
        self.received: list[Received] = []
        self.release = threading.Event()
        self.port = 0
        self.url = ""
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None

    def record(self, raw: bytes, headers: dict[str, str], status: int | None) -> None:
        body = gzip.decompress(raw) if headers.get("content-encoding") == "gzip" else raw
        seq, key = int(headers["x-podium-sequence"]), headers["x-api-key"]
        with self._lock:
            self.received.append(Received(seq, key, headers, raw, body, status))

    def start(self) -> Consumer:
        """Listen (again on the same port after `stop`)."""
        consumer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                raw = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                headers = {name.lower(): value for name, value in self.headers.items()}
                if consumer.mode == "hang":
                    consumer.record(raw, headers, None)
                    consumer.release.wait(60)
                    self.close_connection = True
                    return
                status = 200 if consumer.mode == "ok" else 500
                consumer.record(raw, headers, status)
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, format: str, *args: object) -> None:  # noqa: A002
                del format, args

        server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        server.daemon_threads = True
        self.port = server.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}/odf/push"
        threading.Thread(target=server.serve_forever, args=(0.02,), daemon=True).start()
        self._server = server
        return self

    def stop(self) -> None:
        """Stop listening: connections are refused until `start`."""
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def attempted(self, key: str | None = None) -> list[int]:
        with self._lock:
            return [r.seq for r in self.received if key is None or r.key == key]

    def acknowledged(self, key: str | None = None) -> list[Received]:
        with self._lock:
            return [r for r in self.received if r.status == 200 and (key is None or r.key == key)]


@pytest.fixture
def consumers() -> Iterator[Callable[[], Consumer]]:
    """Make loopback consumers; all are released and stopped at the end."""
    made: list[Consumer] = []

    def make() -> Consumer:
        made.append(Consumer().start())
        return made[-1]

    yield make
    for consumer in made:
        consumer.release.set()
        consumer.stop()


class Running:
    """A `PushService` run in a thread with its own event loop, stopped by `stop()`."""

    def __init__(self, service: PushService) -> None:
        self.service = service
        self._ready = threading.Event()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stop: asyncio.Event | None = None
        self._thread = threading.Thread(target=lambda: asyncio.run(self._main()), daemon=True)

    async def _main(self) -> None:
        self._loop, self._stop = asyncio.get_running_loop(), asyncio.Event()
        self._ready.set()
        await self.service.run(self._stop)

    def __enter__(self) -> Self:
        self._thread.start()
        assert self._ready.wait(10)
        return self

    def __exit__(self, *_: object) -> None:
        self.stop()

    def stop(self) -> None:
        if self._loop is not None and self._stop is not None and self._thread.is_alive():
            self._loop.call_soon_threadsafe(self._stop.set)
        self._thread.join(30)
        assert not self._thread.is_alive(), "the push service did not stop"


def quick(settings: Settings, *, timeout: float = 0.5) -> Settings:
    return settings.model_copy(update={"push_retry_seconds": 0.05, "push_timeout_seconds": timeout})


def push(planes: Planes, settings: Settings, poll_seconds: float = 0.2) -> Running:
    return Running(PushService(planes, quick(settings), poll_seconds=poll_seconds))


def eventually(condition: Callable[[], bool], what: str, seconds: float = 90) -> None:
    """Wait until `condition()` holds; fail naming `what` after `seconds`."""
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"not within {seconds} s: {what}")
        time.sleep(0.02)


Codes = tuple[str, ...]


def add(planes: Planes, name: str, url: str, disciplines: Codes = (), types: Codes = ()) -> None:
    """Register a consumer whose key is `key-<name>`."""
    with planes.games_session() as session:
        register_consumer(session, ConsumerSpec(name, url, f"key-{name}", "", disciplines, types))


def status(planes: Planes, name: str) -> QueueStatus:
    with planes.games_session() as session:
        return queue_status(session, name)


def caught_up(planes: Planes, name: str, seq: int) -> Callable[[], bool]:
    return lambda: status(planes, name).cursor >= seq


def seqs(events: list[FeedEvent]) -> list[int]:
    return [e.seq for e in events]


def test_a_message_goes_as_its_log_bytes_gzipped_with_the_key_and_its_odf_headers(
    live_settings: Settings, live_planes: Planes, consumers: Callable[[], Consumer]
) -> None:
    consumer = consumers()
    add(live_planes, "ebu", consumer.url)
    events = Feed(live_planes).step(ATH)
    with push(live_planes, live_settings):
        eventually(caught_up(live_planes, "ebu", events[-1].seq), "ebu acknowledged everything")
    assert consumer.attempted() == seqs(events)
    for got, event in zip(consumer.acknowledged(), events, strict=True):
        assert got.raw[:2] == b"\x1f\x8b"  # a gzip stream
        assert got.body == event.content
        assert got.key == "key-ebu"
        assert got.headers["content-type"] == "application/xml; charset=utf-8"
        assert got.headers["content-encoding"] == "gzip"
        assert got.headers["x-odf-documenttype"] == event.document_type
        assert got.headers["x-odf-documentcode"] == event.document_code
        assert got.headers["x-odf-version"] == str(event.version)
        assert "x-podium-resend" not in got.headers
        assert "x-podium-possible-duplicate" not in got.headers
    after = status(live_planes, "ebu")
    assert (after.in_flight, after.attempts, after.last_error, after.pending) == (None, 0, None, 0)


def test_each_consumer_receives_exactly_its_filtered_messages_in_sequence_order(
    live_settings: Settings, live_planes: Planes, consumers: Callable[[], Consumer]
) -> None:
    consumer = consumers()  # one server; consumers are told apart by their key
    add(live_planes, "athletics", consumer.url, ("ATH",))
    add(live_planes, "results", consumer.url, (), ("DT_RESULT",))
    add(live_planes, "swim-phase", consumer.url, ("SWM",), ("DT_PHASE_RESULT",))
    add(live_planes, "everything", consumer.url)
    events = Feed(live_planes).at_least(12)
    want = {
        "athletics": [e.seq for e in events if e.discipline == "ATH"],
        "results": [e.seq for e in events if e.document_type == "DT_RESULT"],
        "swim-phase": [
            e.seq for e in events if e.discipline == "SWM" and e.document_type == "DT_PHASE_RESULT"
        ],
        "everything": seqs(events),
    }
    with push(live_planes, live_settings):
        for name, wanted in want.items():
            eventually(caught_up(live_planes, name, wanted[-1]), f"{name} caught up")
    for name, wanted in want.items():
        assert [r.seq for r in consumer.acknowledged(f"key-{name}")] == wanted, name
        assert status(live_planes, name).pending == 0


def test_a_consumer_down_for_a_long_stretch_gets_the_whole_backlog_once_in_order(
    live_settings: Settings, live_planes: Planes, consumers: Callable[[], Consumer]
) -> None:
    consumer = consumers()
    add(live_planes, "agency", consumer.url)
    feed = Feed(live_planes)
    with push(live_planes, live_settings):
        before = feed.step(ATH)
        eventually(caught_up(live_planes, "agency", before[-1].seq), "first messages delivered")
        consumer.stop()
        backlog = feed.at_least(200)
        eventually(
            lambda: "ConnectError" in (status(live_planes, "agency").last_error or ""),
            "the refused connection is recorded",
        )
        down = status(live_planes, "agency")
        assert down.cursor == before[-1].seq
        assert down.pending == len(backlog)
        assert down.in_flight == backlog[0].seq
        consumer.start()  # back, on the same port
        eventually(caught_up(live_planes, "agency", backlog[-1].seq), "the backlog delivered")
    delivered = [r.seq for r in consumer.acknowledged()]
    assert delivered == seqs(before + backlog)  # whole, in order, each once
    assert status(live_planes, "agency").attempts == 0


def test_a_failing_or_hanging_consumer_never_holds_up_another_and_retries_the_same_message(
    live_settings: Settings, live_planes: Planes, consumers: Callable[[], Consumer]
) -> None:
    healthy, failing, hanging = consumers(), consumers(), consumers()
    failing.mode, hanging.mode = "error", "hang"
    for name, consumer in (("healthy", healthy), ("failing", failing), ("hanging", hanging)):
        add(live_planes, name, consumer.url)
    start = status(live_planes, "failing").cursor
    events = Feed(live_planes).at_least(30)
    first, last = events[0].seq, events[-1].seq
    with push(live_planes, live_settings):
        eventually(caught_up(live_planes, "healthy", last), "the healthy consumer has everything")
        eventually(lambda: len(failing.attempted()) >= 3, "the failing consumer is retried")
        eventually(lambda: len(hanging.attempted()) >= 2, "the hanging consumer is retried")
        assert set(failing.attempted()) == {first}  # the same message, again and again
        assert set(hanging.attempted()) == {first}
        stuck = status(live_planes, "failing")
        assert (stuck.cursor, stuck.in_flight) == (start, first)
        assert stuck.attempts >= 1
        assert (stuck.last_error or "").startswith("HTTP 500")
        assert status(live_planes, "hanging").last_error
        failing.mode, hanging.mode = "ok", "ok"
        hanging.release.set()
        for name in ("failing", "hanging"):
            eventually(caught_up(live_planes, name, last), f"{name} caught up once answering")
    for consumer in (healthy, failing, hanging):
        assert [r.seq for r in consumer.acknowledged()] == seqs(events)
    # A retry after an attempt that got no answer may be a duplicate; after a 500 it is not.
    assert hanging.acknowledged()[0].headers.get("x-podium-possible-duplicate") == "true"
    assert "x-podium-possible-duplicate" not in failing.acknowledged()[0].headers


def test_a_new_service_continues_from_the_cursor_with_no_duplicate(
    live_settings: Settings, live_planes: Planes, consumers: Callable[[], Consumer]
) -> None:
    consumer = consumers()
    add(live_planes, "ebu", consumer.url)
    feed = Feed(live_planes)
    with push(live_planes, live_settings):
        first = feed.at_least(6)
        eventually(caught_up(live_planes, "ebu", first[-1].seq), "first run delivered")
    while_stopped = feed.at_least(6)
    with push(live_planes, live_settings):  # a new instance over the same database
        later = feed.at_least(4)
        eventually(caught_up(live_planes, "ebu", later[-1].seq), "second run delivered")
    got = consumer.acknowledged()
    assert [r.seq for r in got] == seqs(first + while_stopped + later)
    assert consumer.attempted() == [r.seq for r in got]  # nothing was sent twice
    assert not any("x-podium-possible-duplicate" in r.headers for r in got)


def test_a_message_in_flight_when_the_sender_stopped_goes_again_marked_possible_duplicate(
    live_settings: Settings, live_planes: Planes, consumers: Callable[[], Consumer]
) -> None:
    consumer = consumers()
    consumer.mode = "hang"
    add(live_planes, "ebu", consumer.url)
    start = status(live_planes, "ebu").cursor
    events = Feed(live_planes).step(ATH)
    slow = Running(PushService(live_planes, quick(live_settings, timeout=60)))
    with slow:
        eventually(lambda: consumer.attempted() == [events[0].seq], "the POST is under way")
        assert status(live_planes, "ebu").in_flight == events[0].seq
    stopped = status(live_planes, "ebu")
    assert (stopped.in_flight, stopped.cursor) == (events[0].seq, start)
    consumer.mode = "ok"
    consumer.release.set()
    with push(live_planes, live_settings):
        eventually(caught_up(live_planes, "ebu", events[-1].seq), "delivered after the restart")
    got = consumer.acknowledged()
    assert [r.seq for r in got] == seqs(events)
    assert got[0].headers.get("x-podium-possible-duplicate") == "true"
    assert all("x-podium-possible-duplicate" not in r.headers for r in got[1:])
    assert status(live_planes, "ebu").in_flight is None


def test_resends_by_sequence_and_by_archive_search_go_marked_and_keep_the_cursor(
    live_settings: Settings, live_planes: Planes, consumers: Callable[[], Consumer]
) -> None:
    consumer = consumers()
    add(live_planes, "ebu", consumer.url, (), ("DT_RESULT",))
    events = Feed(live_planes).at_least(8)
    results = [e for e in events if e.document_type == "DT_RESULT"]
    phase = next(e for e in events if e.document_type == "DT_PHASE_RESULT")
    with push(live_planes, live_settings) as running:
        eventually(caught_up(live_planes, "ebu", results[-1].seq), "caught up")
        cursor = status(live_planes, "ebu").cursor
        with live_planes.games_session() as session:
            by_seq = request_resend(session, "ebu", [results[1].seq, phase.seq], "tester", NOW)
        running.service.wake([])  # from this thread: the service's wake is thread-safe
        eventually(lambda: status(live_planes, "ebu").resends == 0, "re-sent by sequence")
        day = results[0].logical_date
        search = ArchiveSearch(
            logical_date=day, document_code=ATH, document_type="DT_RESULT", version=1
        )
        with live_planes.games_session() as session:
            by_search = request_archive_resend(session, "ebu", search, "tester", NOW)
        eventually(lambda: status(live_planes, "ebu").resends == 0, "re-sent by search")
        assert status(live_planes, "ebu").cursor == cursor
    assert by_seq == sorted([results[1].seq, phase.seq])  # even outside its filters: asked for
    [original] = [e for e in results if e.document_code == ATH and e.version == 1]
    assert by_search == [original.seq]
    resent = [r for r in consumer.acknowledged() if r.headers.get("x-podium-resend") == "true"]
    assert [r.seq for r in resent] == by_seq + by_search
    content = {e.seq: e.content for e in events}
    assert all(r.body == content[r.seq] for r in resent)


def test_a_caught_up_consumer_is_woken_by_the_commit_and_new_consumers_are_picked_up(
    live_settings: Settings, live_planes: Planes, consumers: Callable[[], Consumer]
) -> None:
    consumer, late = consumers(), consumers()
    add(live_planes, "ebu", consumer.url)
    # The fallback poll is a minute away: only the engine's wake-up can deliver in time.
    service = PushService(live_planes, quick(live_settings), poll_seconds=60)
    feed = Feed(live_planes, service.wake)
    with Running(service):
        eventually(lambda: bool(service._workers), "the consumer's task started", 30)
        sent = feed.step(ATH)
        eventually(caught_up(live_planes, "ebu", sent[-1].seq), "woken by the commit", 30)
        add(live_planes, "late", late.url)
        more = feed.step(SWM)
        eventually(caught_up(live_planes, "late", more[-1].seq), "the new consumer served", 30)
    assert [r.seq for r in consumer.acknowledged()] == seqs(sent + more)
    assert [r.seq for r in late.acknowledged()] == seqs(more)


def test_a_disabled_consumer_gets_nothing_until_enabled_then_its_whole_queue(
    live_settings: Settings, live_planes: Planes, consumers: Callable[[], Consumer]
) -> None:
    consumer = consumers()
    add(live_planes, "witness", consumer.url)
    add(live_planes, "paused", consumer.url)
    with live_planes.games_session() as session:
        update_consumer(session, "paused", ConsumerChange(enabled=False))
    feed = Feed(live_planes)
    with push(live_planes, live_settings, poll_seconds=0.05):
        events = feed.at_least(6)
        eventually(caught_up(live_planes, "witness", events[-1].seq), "the witness is served")
        time.sleep(1)  # twenty polls: ample time for a wrongly running task to send
        assert consumer.attempted("key-paused") == []
        assert status(live_planes, "paused").pending == len(events)
        with live_planes.games_session() as session:
            update_consumer(session, "paused", ConsumerChange(enabled=True))
        eventually(caught_up(live_planes, "paused", events[-1].seq), "served once enabled")
    assert [r.seq for r in consumer.acknowledged("key-paused")] == seqs(events)


def test_podium_feed_push_delivers_until_interrupted(
    sqlite_settings: Settings, consumers: Callable[[], Consumer]
) -> None:
    consumer = consumers()
    planes = open_planes(sqlite_settings)
    upgrade_all(planes.games, planes.sovereign)
    try:
        add(planes, "cli", consumer.url)
        events = Feed(planes).at_least(4)
        podium = Path(sys.executable).parent / "podium"
        sender = subprocess.Popen(
            [podium, "--data-dir", sqlite_settings.data_dir, "feed", "push"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            env={**os.environ, "PODIUM_PUSH_RETRY_SECONDS": "0.05"},
        )
        try:
            eventually(caught_up(planes, "cli", events[-1].seq), "pushed by `podium feed push`")
        finally:
            sender.send_signal(signal.SIGINT)
            _, stderr = sender.communicate(timeout=60)
        assert sender.returncode == 0, stderr
        assert "push stopped" in stderr
    finally:
        planes.dispose()
    assert [r.seq for r in consumer.acknowledged()] == seqs(events)
    assert {r.key for r in consumer.received} == {"key-cli"}
