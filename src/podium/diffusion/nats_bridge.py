"""NATS JetStream scale-out: a primary node publishes its feed log, edge nodes serve it.

`NatsPublisher` (primary) follows the feed log like a persistent consumer from the
`FeedCursor` `nats` (the newest sequence JetStream acknowledged), one message at a time,
each after the previous ack, so the stream holds the feed in sequence order. Subject:
`podium.feed.<FeedFlag>.<discipline>.<DocumentType>`; headers: the ODF key, `Podium-Seq`
and `Nats-Msg-Id` = `<CompetitionCode>-<FeedFlag>-<seq>`, so a message published again
after a crash between its ack and the cursor commit is dropped by the stream. `NatsEdge`
(edge) reads the stream with an ordered consumer and delivers each rebuilt `FeedEvent` to
the node's broker on the loop, skipping sequences already delivered; `EdgeIndex` serves
resumes without a database. Both reconnect with backoff after any failure and restart
from their position: nothing is lost or reordered. The stream `PODIUM_FEED` takes
`podium.feed.>`, `PODIUM_FEED_T1` takes `podium.feed_t1.>` (so streams never overlap).
One primary (one feed log) publishes to a stream; a new feed log needs a new stream.

Rule sources: DESIGN.md ("feed fan-out"); NATS JetStream docs (`Nats-Msg-Id` de-duplication).
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
import time
from array import array
from bisect import bisect_right
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import cast

import nats
import structlog
from nats.aio.client import Client
from nats.aio.msg import Msg
from nats.js import JetStreamContext
from nats.js.api import ConsumerConfig, DeliverPolicy, StorageType, StreamConfig, StreamInfo
from nats.js.errors import NotFoundError

from podium.core.db import Planes
from podium.core.settings import Settings
from podium.diffusion.broker import FeedBroker
from podium.diffusion.log import FeedEvent, last_seq, read_after
from podium.diffusion.models import FeedCursor
from podium.odf import FeedFlag, MessageKey

__all__ = [
    "CURSOR",
    "BacklogUnavailableError",
    "EdgeIndex",
    "NatsEdge",
    "NatsOptions",
    "NatsPublisher",
    "ensure_stream",
    "event_of",
    "headers_of",
    "subject_of",
]

_log = structlog.get_logger(__name__)

CURSOR = "nats"
"""The `FeedCursor` holding the newest sequence number JetStream acknowledged."""

_PAGE = 500  # feed-log messages read per query, and per cursor commit
_RETRY_MAX_S = 5.0  # longest pause between reconnection attempts
_CHECK_QUIET_S = 10.0  # an edge checks its consumer after this long without messages


class BacklogUnavailableError(ConnectionError):
    """An edge node cannot read old messages now: it is not connected to NATS."""


@dataclass(frozen=True, slots=True)
class NatsOptions:
    """How a node reaches the feed's stream, and the stream's limits when it creates it.

    Args:
        url: the NATS server, `nats://127.0.0.1:4222`.
        stream: the JetStream stream name.
        max_age_s: seconds a message stays in the stream (30 days: Games and corrections).
        max_bytes: bytes the stream may hold before the oldest messages go (20 GiB).
        duplicate_window_s: seconds a `Nats-Msg-Id` is remembered (15 minutes).
        replicas: stream replicas (1 on one server; 3 in a production cluster).
        poll_s: seconds between looks at the feed log or the connection when idle.
        retry_s: first pause after a failure, seconds; it doubles up to 5 s.

    """

    url: str
    stream: str = "PODIUM_FEED"
    max_age_s: float = 30 * 86_400.0
    max_bytes: int = 20 * 2**30
    duplicate_window_s: float = 900.0
    replicas: int = 1
    poll_s: float = 0.5
    retry_s: float = 0.2

    @classmethod
    def of(cls, settings: Settings) -> NatsOptions:
        """Return the options of a node's settings (`nats_url`, `nats_stream`).

        Raises:
            ValueError: when `nats_url` is not set.

        """
        if settings.nats_url is None:
            raise ValueError("nats_url is not set: this node has no NATS bridge")
        return cls(url=settings.nats_url, stream=settings.nats_stream)

    @property
    def subject_root(self) -> str:
        """The subjects' common prefix: `podium.feed` for the stream `PODIUM_FEED`."""
        return "podium." + self.stream.lower().removeprefix("podium_")


def subject_of(root: str, event: FeedEvent) -> str:
    """Return an event's subject, `<root>.<FeedFlag>.<discipline>.<DocumentType>`."""
    return f"{root}.{event.key.feed_flag}.{event.discipline}.{event.document_type}"


def headers_of(event: FeedEvent) -> dict[str, str]:
    """Return an event's NATS headers (an absent subcode, subtype or status is empty)."""
    key = event.key
    return {
        "Nats-Msg-Id": f"{key.competition_code}-{key.feed_flag}-{event.seq}",
        "Podium-Seq": str(event.seq),
        "ODF-CompetitionCode": key.competition_code,
        "ODF-DocumentCode": key.document_code,
        "ODF-DocumentSubcode": key.document_subcode or "",
        "ODF-DocumentType": key.document_type,
        "ODF-DocumentSubtype": key.document_subtype or "",
        "ODF-FeedFlag": key.feed_flag,
        "ODF-Version": str(key.version),
        "ODF-ResultStatus": event.result_status or "",
        "ODF-LogicalDate": event.logical_date.isoformat(),
        "Podium-Invalidation": "true" if event.invalidation else "false",
        "Podium-Discipline": event.discipline,
        "Podium-Sent-At": event.sent_at.isoformat(),
    }


def event_of(headers: Mapping[str, str], content: bytes) -> FeedEvent:
    """Rebuild the feed event of a stream message from its headers and payload.

    Args:
        headers: the message's NATS headers (`headers_of`).
        content: the payload, the ODF XML bytes.

    Raises:
        ValueError: when a header is missing or malformed (not a Podium feed message).

    """
    try:
        key = MessageKey(
            headers["ODF-CompetitionCode"],
            headers["ODF-DocumentCode"],
            headers["ODF-DocumentSubcode"] or None,
            headers["ODF-DocumentType"],
            headers["ODF-DocumentSubtype"] or None,
            cast("FeedFlag", headers["ODF-FeedFlag"]),
            int(headers["ODF-Version"]),
        )
        return FeedEvent(
            seq=int(headers["Podium-Seq"]),
            key=key,
            discipline=headers["Podium-Discipline"],
            result_status=headers["ODF-ResultStatus"] or None,
            logical_date=date.fromisoformat(headers["ODF-LogicalDate"]),
            invalidation=headers["Podium-Invalidation"] == "true",
            content=content,
            sent_at=datetime.fromisoformat(headers["Podium-Sent-At"]),
        )
    except KeyError as missing:
        raise ValueError(f"not a Podium feed message: header {missing} is missing") from None


async def ensure_stream(js: JetStreamContext, options: NatsOptions) -> StreamInfo:
    """Return the feed's stream, creating it when missing (an existing one is kept as is).

    Args:
        js: a JetStream context.
        options: the stream's name and limits (file storage, direct reads allowed).

    Raises:
        nats.errors.Error: what the server answers (unreachable, subjects taken).
    """
    try:
        return await js.stream_info(options.stream)
    except NotFoundError:
        config = StreamConfig(
            name=options.stream,
            subjects=[f"{options.subject_root}.>"],
            storage=StorageType.FILE,
            max_age=options.max_age_s,
            max_bytes=options.max_bytes,
            duplicate_window=options.duplicate_window_s,
            num_replicas=options.replicas,
            allow_direct=True,
        )
        return await js.add_stream(config)


async def _client_error(error: Exception) -> None:
    _log.debug("nats client error", error=repr(error))


async def _pause(stop: asyncio.Event, seconds: float, wake: asyncio.Event | None = None) -> None:
    """Wait `seconds`, or less when `stop` (or `wake`) is set."""
    waiters = [asyncio.ensure_future(e.wait()) for e in (stop, wake) if e is not None]
    await asyncio.wait(waiters, timeout=seconds, return_when=asyncio.FIRST_COMPLETED)
    for waiter in waiters:
        waiter.cancel()


Session = Callable[[Client, asyncio.Event], Awaitable[None]]


async def _keep_connected(
    stop: asyncio.Event, options: NatsOptions, name: str, session: Session
) -> None:
    """Run `session` on a fresh connection until `stop`, reconnecting with backoff.

    nats-py's own reconnection is off: any failure ends the session, and the next one
    starts again from the service's position (cursor or stream sequence).
    """
    delay = options.retry_s
    while not stop.is_set():
        try:
            client = await nats.connect(
                options.url,
                name=name,
                allow_reconnect=False,
                max_reconnect_attempts=1,  # with reconnect_time_wait=0: two quick tries
                reconnect_time_wait=0,
                connect_timeout=2,
                ping_interval=5,
                error_cb=_client_error,
            )
        except Exception as error:  # noqa: BLE001 - NATS down: retry, never stop the node
            _log.warning("nats unreachable; retrying", service=name, error=repr(error))
        else:
            delay = options.retry_s
            try:
                await session(client, stop)
            except Exception as error:  # noqa: BLE001 - any failure restarts from the position
                _log.warning("nats session ended; reconnecting", service=name, error=repr(error))
            finally:
                with contextlib.suppress(Exception):
                    await client.close()
        if not stop.is_set():
            await _pause(stop, delay)
            delay = min(delay * 2, _RETRY_MAX_S)


class NatsPublisher:
    """Publishes the feed log to JetStream in sequence order (a primary node's service).

    Args:
        planes: the database planes (the games plane holds the feed log and the cursor).
        options: the server, the stream and its limits.

    """

    def __init__(self, planes: Planes, options: NatsOptions) -> None:
        """Create the publisher (`cursor`: the newest sequence acknowledged)."""
        self.planes = planes
        self.options = options
        self.cursor = 0
        self._loop: asyncio.AbstractEventLoop | None = None
        self._wakeup = asyncio.Event()

    def wake(self, events: Sequence[FeedEvent]) -> None:
        """Publish now that the engine committed `events` (thread-safe; any thread)."""
        del events  # the feed log, not the call, says what to publish
        if (loop := self._loop) is not None:
            with contextlib.suppress(RuntimeError):  # the loop closed meanwhile
                loop.call_soon_threadsafe(self._wakeup.set)

    async def run(self, stop: asyncio.Event) -> None:
        """Publish until `stop` is set, reconnecting with backoff while NATS is down."""
        self._loop = asyncio.get_running_loop()
        try:
            await _keep_connected(stop, self.options, "podium-publisher", self._session)
        finally:
            self._loop = None

    async def _session(self, client: Client, stop: asyncio.Event) -> None:
        js = client.jetstream()
        info = await ensure_stream(js, self.options)
        self.cursor = await self._start_position(js, info)
        while not stop.is_set():
            self._wakeup.clear()
            await self._drain(js, stop)
            await _pause(stop, self.options.poll_s, self._wakeup)

    async def _start_position(self, js: JetStreamContext, info: StreamInfo) -> int:
        """Return the cursor, checked against the stream."""
        # A new stream gets the whole log; a cursor behind the stream's newest message (a
        # crash before the commit, beyond the duplicate window) moves up to it.
        cursor, newest = await asyncio.to_thread(self._positions)
        start = cursor
        if info.state.last_seq == 0:
            start = 0
        elif info.state.messages > 0:
            with contextlib.suppress(NotFoundError, ValueError):
                raw = await js.get_msg(self.options.stream, seq=info.state.last_seq)
                stored = int((raw.headers or {}).get("Podium-Seq", "0"))
                start = max(cursor, min(newest, stored))
        if start != cursor:
            _log.info("nats cursor moved to the stream", cursor=cursor, start=start)
            await asyncio.to_thread(self._save, start)
        return start

    async def _drain(self, js: JetStreamContext, stop: asyncio.Event) -> None:
        """Publish every message after the cursor, one page per cursor commit."""
        root, stream = self.options.subject_root, self.options.stream
        while not stop.is_set():
            events = await asyncio.to_thread(self._read, self.cursor)
            if not events:
                return
            done = self.cursor
            try:
                for event in events:
                    subject = subject_of(root, event)
                    headers = headers_of(event)
                    await js.publish(subject, event.content, headers=headers, stream=stream)
                    self.cursor = event.seq
            finally:
                if self.cursor != done:
                    await asyncio.to_thread(self._save, self.cursor)

    def _positions(self) -> tuple[int, int]:
        with self.planes.games_session() as session:
            row = session.get(FeedCursor, CURSOR)
            return (row.position if row else 0), last_seq(session)

    def _read(self, after: int) -> list[FeedEvent]:
        with self.planes.games_session() as session:
            return read_after(session, after, limit=_PAGE)

    def _save(self, position: int) -> None:
        with self.planes.games_session() as session:
            session.merge(FeedCursor(name=CURSOR, position=position))


class EdgeIndex:
    """Where each message an edge node has seen sits in the stream: its backlog.

    Memory trade-off: two 64-bit integers per message (Podium and stream sequence), so a
    million messages cost 16 MB whatever their size, where keeping them whole would cost
    the feed's size (gigabytes over the Games) on every edge. The broker's own memory
    keeps the newest messages whole; an older resume reads each message back from the
    stream (`STREAM.MSG.GET`, 64 in flight), which needs the connection: without it
    `read` raises `BacklogUnavailableError` and the subscriber resumes later. Messages
    the stream's age or size limit removed are no longer served.

    Args:
        stream: the stream name.
        timeout_s: seconds one `read` may take.

    """

    def __init__(self, stream: str, *, timeout_s: float = 30.0) -> None:
        """Create an empty index; `NatsEdge` sets `loop` and `js` while connected."""
        self.stream = stream
        self.timeout_s = timeout_s
        self.loop: asyncio.AbstractEventLoop | None = None
        self.js: JetStreamContext | None = None
        self._seqs = array("q")
        self._stream_seqs = array("q")
        self._lock = threading.Lock()

    def add(self, seq: int, stream_seq: int) -> bool:
        """Index a message by Podium and stream sequence; False when `seq` is not new."""
        with self._lock:
            if self._seqs and seq <= self._seqs[-1]:
                return False
            self._seqs.append(seq)
            self._stream_seqs.append(stream_seq)
            return True

    def clear(self) -> None:
        """Forget every position (the stream was recreated)."""
        with self._lock:
            self._seqs, self._stream_seqs = array("q"), array("q")

    def read(self, after: int, limit: int) -> list[FeedEvent]:
        """Return up to `limit` messages after Podium sequence `after`, oldest first.

        The broker's `Backlog`: it waits on the loop, so call it from a worker thread.

        Args:
            after: the newest sequence number already seen.
            limit: at most this many messages.

        Raises:
            BacklogUnavailableError: the node is not connected to NATS, or the connection
                failed during the read.
            TimeoutError: the stream did not answer within `timeout_s`.

        """
        with self._lock:
            start = bisect_right(self._seqs, after)
            wanted = self._stream_seqs[start : start + limit].tolist()
        if not wanted:
            return []
        loop, js = self.loop, self.js
        if loop is None or js is None:
            raise BacklogUnavailableError(f"not connected to NATS: cannot read after {after}")
        future = asyncio.run_coroutine_threadsafe(self._fetch(js, wanted), loop)
        try:
            return future.result(timeout=self.timeout_s)
        except nats.errors.Error as error:
            raise BacklogUnavailableError(f"NATS failed reading after {after}") from error

    async def _fetch(self, js: JetStreamContext, stream_seqs: list[int]) -> list[FeedEvent]:
        gate = asyncio.Semaphore(64)

        async def one(stream_seq: int) -> FeedEvent | None:
            async with gate:
                try:
                    raw = await js.get_msg(self.stream, seq=stream_seq)
                except NotFoundError:
                    return None  # removed by the stream's age or size limit
            return event_of(raw.headers or {}, raw.data or b"")

        found = await asyncio.gather(*(one(s) for s in stream_seqs))
        return [event for event in found if event is not None]


class NatsEdge:
    """Feeds an edge node's broker from the stream (an edge node's service).

    Args:
        broker: the node's broker; events are delivered on its loop, in sequence order.
        options: the server and the stream.

    """

    def __init__(self, broker: FeedBroker, options: NatsOptions) -> None:
        """Create the service and its empty index (`stream_seq`: newest read)."""
        self.broker = broker
        self.options = options
        self.index = EdgeIndex(options.stream)
        self.stream_seq = 0

    def wake(self, events: Sequence[FeedEvent]) -> None:
        """Do nothing: an edge node's feed comes from JetStream, not from an engine."""
        del events

    async def run(self, stop: asyncio.Event) -> None:
        """Deliver the stream's messages until `stop` is set, reconnecting after outages."""
        await _keep_connected(stop, self.options, "podium-edge", self._session)

    async def _session(self, client: Client, stop: asyncio.Event) -> None:
        js = client.jetstream()
        info = await js.stream_info(self.options.stream)  # NotFoundError: retried later
        if info.state.last_seq < self.stream_seq:
            _log.warning("nats stream was recreated; reading it again", stream=self.index.stream)
            self.stream_seq = 0
            self.index.clear()
        start = ConsumerConfig(
            deliver_policy=DeliverPolicy.BY_START_SEQUENCE, opt_start_seq=self.stream_seq + 1
        )
        subject = f"{self.options.subject_root}.>"
        sub = await js.subscribe(
            subject, stream=self.options.stream, ordered_consumer=True, config=start
        )
        self.index.loop, self.index.js = asyncio.get_running_loop(), js
        quiet_since = time.monotonic()
        try:
            while not stop.is_set():
                if client.is_closed:
                    raise nats.errors.ConnectionClosedError
                try:
                    message = await sub.next_msg(timeout=self.options.poll_s)
                except nats.errors.TimeoutError:
                    if time.monotonic() - quiet_since > _CHECK_QUIET_S:
                        await sub.consumer_info()  # NotFoundError: stream or consumer gone
                        quiet_since = time.monotonic()
                    continue
                quiet_since = time.monotonic()
                self._take(message)
        finally:
            self.index.js = None
            with contextlib.suppress(Exception):
                await sub.unsubscribe()

    def _take(self, message: Msg) -> None:
        """Index one stream message and deliver it, unless its sequence was delivered."""
        self.stream_seq = message.metadata.sequence.stream
        try:
            event = event_of(message.headers or {}, message.data)
        except ValueError as error:
            _log.warning("skipped a stream message", stream_seq=self.stream_seq, error=str(error))
            return
        if self.index.add(event.seq, self.stream_seq):
            self.broker.deliver([event])
