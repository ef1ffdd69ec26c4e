"""HTTP push of the feed to its consumers (ODF Foundation Principles §8).

Each enabled consumer has its own asyncio task, strictly sequential: first the re-sends
asked for it (`FeedResend`, oldest request first), then the next message of the feed log
after its `cursor` that passes its filters. Before a POST the message's sequence number
is committed as `in_flight`; an HTTP 200 is the acknowledgement, and in one transaction
moves the cursor (or deletes the re-send) and clears `in_flight`, `attempts` and
`last_error`. Anything else (another status, a timeout, a refused connection) is recorded
on the consumer and the SAME message is tried again after `push_retry_seconds`: order is
never broken, and one consumer that is down, slow or failing never delays another.

The queue is the cursor plus the append-only log, so after a restart or an outage of any
length the whole backlog is delivered, in order. Between a consumer's 200 and our commit
a stop cannot be told apart from a lost answer, so a message found `in_flight` when a
sender starts is sent marked `X-Podium-Possible-Duplicate: true` (like FIX's
PossDupFlag), as is a retry after an attempt whose answer never came (read timeout,
dropped connection): consumers de-duplicate on `X-Podium-Sequence`.

One push sender runs per feed (the primary node, or `podium feed push`): two senders over
one database would each deliver every message.

Why httpx: an async HTTP client with per-request timeouts and connection pooling is a
library's job (httpx is already a runtime dependency); the sequencing is Podium's.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import gzip
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, TypeVar

import httpx
import structlog
from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from podium.core.clock import Clock, system_clock
from podium.core.db import Planes
from podium.core.settings import Settings
from podium.diffusion.consumers import consumer_filters
from podium.diffusion.log import FeedEvent, read_after
from podium.diffusion.models import FeedConsumer, FeedMessage, FeedResend
from podium.diffusion.sender_lock import SenderLock

_T = TypeVar("_T")

__all__ = [
    "POSSIBLE_DUPLICATE_HEADER",
    "RESEND_HEADER",
    "PushJob",
    "PushService",
    "push_body",
    "push_headers",
]

_log = structlog.get_logger(__name__)

POSSIBLE_DUPLICATE_HEADER = "X-Podium-Possible-Duplicate"
RESEND_HEADER = "X-Podium-Resend"
_STOP_GRACE_S = 2.0
"""How long a stopping service lets a POST under way finish before abandoning it."""

_UNCERTAIN = (httpx.ReadTimeout, httpx.ReadError, httpx.RemoteProtocolError, httpx.CloseError)
"""Failures after the request was sent: the consumer may have taken the message."""


def push_body(content: bytes) -> bytes:
    """Return the gzipped body of a push (`Content-Encoding: gzip`), reproducible (mtime 0).

    Args:
        content: the message's XML bytes, exactly as in the feed log.
    """
    return gzip.compress(content, mtime=0)


def push_headers(
    event: FeedEvent, api_key: str, *, resend: bool = False, possible_duplicate: bool = False
) -> dict[str, str]:
    """Return the headers of one push.

    Args:
        event: the message pushed.
        api_key: the consumer's key, sent as `X-API-KEY`.
        resend: True for a message of the archive sent again (`X-Podium-Resend: true`).
        possible_duplicate: True when the consumer may already have it
            (`X-Podium-Possible-Duplicate: true`).

    Rule source: ODF Foundation Principles §8 (gzipped XML, `X-API-KEY`); the
    `X-ODF-*` and `X-Podium-*` headers are informative, for routing and de-duplication.
    """
    headers = {
        "Content-Type": "application/xml; charset=utf-8",
        "Content-Encoding": "gzip",
        "X-API-KEY": api_key,
        "X-Podium-Sequence": str(event.seq),
        "X-ODF-DocumentType": event.document_type,
        "X-ODF-DocumentCode": event.document_code,
        "X-ODF-Version": str(event.version),
    }
    if resend:
        headers[RESEND_HEADER] = "true"
    if possible_duplicate:
        headers[POSSIBLE_DUPLICATE_HEADER] = "true"
    return headers


@dataclass(frozen=True, slots=True)
class PushJob:
    """One message to POST to one consumer.

    Args:
        consumer: the consumer's name.
        endpoint: its URL, as registered when the job was claimed.
        api_key: its key.
        event: the message.
        resend_id: the `FeedResend` row it fulfils, or None for the consumer's next message.

    """

    consumer: str
    endpoint: str
    api_key: str
    event: FeedEvent
    resend_id: int | None = None


@dataclass(frozen=True, slots=True)
class _Claim:
    job: PushJob | None
    in_flight_before: int | None
    active: bool  # False: the consumer was removed or disabled


@dataclass(frozen=True, slots=True)
class _Outcome:
    acknowledged: bool
    error: str = ""
    uncertain: bool = False  # the consumer may have taken it although we saw no 200


@dataclass(slots=True)
class _Worker:
    name: str
    wake: asyncio.Event = field(default_factory=asyncio.Event)
    quit: asyncio.Event = field(default_factory=asyncio.Event)
    suspects: set[int] = field(default_factory=set)  # seqs the consumer may already have
    failures: int = 0  # failed attempts in a row
    task: asyncio.Task[None] | None = None


async def _wait_any(*events: asyncio.Event, seconds: float) -> None:
    waiters = [asyncio.ensure_future(event.wait()) for event in events]
    try:
        await asyncio.wait(waiters, timeout=seconds, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for waiter in waiters:
            waiter.cancel()


class PushService:
    """Delivers the feed to every enabled HTTP push consumer (a `Service` of the node).

    Args:
        planes: the database planes (the games plane holds the log and the consumers).
        settings: `push_retry_seconds` (wait before retrying an unacknowledged message)
            and `push_timeout_seconds` (the whole of one attempt).
        clock: the time of `last_attempt_at` (inject in tests).
        transport: an httpx transport (None: the network).
        poll_seconds: how often consumers are re-read and idle queues re-checked, for
            consumers and messages written by other processes.

    Rule source: ODF Foundation Principles §8 (HTTP push, acknowledgement by HTTP 200,
    retry of the same message, order kept per consumer).
    """

    def __init__(
        self,
        planes: Planes,
        settings: Settings,
        *,
        clock: Clock = system_clock,
        transport: httpx.AsyncBaseTransport | None = None,
        poll_seconds: float = 1.0,
    ) -> None:
        """Prepare the service; nothing runs until `run`."""
        self.planes = planes
        self.retry_seconds = settings.push_retry_seconds
        self.timeout_seconds = settings.push_timeout_seconds
        self.poll_seconds = poll_seconds
        self._clock = clock
        self._transport = transport
        self._loop: asyncio.AbstractEventLoop | None = None
        self._rescan: asyncio.Event | None = None
        self._workers: dict[str, _Worker] = {}
        self._lock = SenderLock(planes, settings, "push")
        # Its own threads for the consumers' database steps, so that fifty consumers
        # never hold up the feed engine or the subscribers' backlog reads.
        self._executor = ThreadPoolExecutor(max_workers=4, thread_name_prefix="push")

    async def _db(self, function: Callable[..., _T], *args: Any) -> _T:
        """Run a blocking database step on the push service's own threads."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor, functools.partial(function, *args))

    def wake(self, events: Sequence[FeedEvent]) -> None:
        """Wake every consumer's task: the log has grown (thread-safe; any thread).

        Args:
            events: the messages just committed (each task re-reads its own queue).
        """
        del events
        loop = self._loop
        if loop is None:
            return
        with contextlib.suppress(RuntimeError):  # the loop closed since: nothing to wake
            loop.call_soon_threadsafe(self._wake_all)

    def _wake_all(self) -> None:
        if self._rescan is not None:
            self._rescan.set()
        for worker in self._workers.values():
            worker.wake.set()

    async def run(self, stop: asyncio.Event) -> None:
        """Deliver until `stop` is set, starting and stopping consumers' tasks as they change.

        Args:
            stop: set it to stop; a POST under way gets a short grace, then is abandoned
                (its message stays `in_flight` and goes again, marked, at the next start).
        """
        self._loop = asyncio.get_running_loop()
        self._rescan = asyncio.Event()
        # One sender per feed: wait while another process pushes it (see SenderLock).
        while not await self._db(self._lock.acquire):
            _log.warning("push: another process is pushing this feed; waiting to take over")
            await _wait_any(stop, seconds=2.0)
            if stop.is_set():
                return
        client = httpx.AsyncClient(
            transport=self._transport,
            timeout=self.timeout_seconds,
            limits=httpx.Limits(max_connections=None, max_keepalive_connections=20),
        )
        try:
            while not stop.is_set():
                self._rescan.clear()
                try:
                    enabled = await self._db(self._enabled)
                except Exception:  # noqa: BLE001 - a database hiccup must not stop delivery
                    _log.exception("push: cannot read the consumers; keeping the running ones")
                    enabled = set(self._workers)
                self._reconcile(enabled, client, stop)
                await _wait_any(stop, self._rescan, seconds=self.poll_seconds)
        finally:
            await self._stop_workers()
            await client.aclose()
            self._lock.release()
            self._loop = None
            self._rescan = None

    def _enabled(self) -> set[str]:
        with self.planes.games_session() as session:
            query = select(FeedConsumer.name).where(FeedConsumer.enabled.is_(True))
            return set(session.scalars(query))

    def _reconcile(self, enabled: set[str], client: httpx.AsyncClient, stop: asyncio.Event) -> None:
        for name, worker in list(self._workers.items()):
            if worker.task is not None and worker.task.done():
                del self._workers[name]
                failure = None if worker.task.cancelled() else worker.task.exception()
                if failure is not None:  # restarted below when still enabled
                    _log.error("push: consumer task failed", consumer=name, exc_info=failure)
            elif name not in enabled:
                worker.quit.set()  # disabled or removed: it stops after its current step
        for name in sorted(enabled - self._workers.keys()):
            worker = _Worker(name)
            worker.task = asyncio.create_task(
                self._serve(worker, client, stop), name=f"push:{name}"
            )
            self._workers[name] = worker
            _log.info("push: consumer started", consumer=name)

    async def _stop_workers(self) -> None:
        tasks = [w.task for w in self._workers.values() if w.task is not None]
        for worker in self._workers.values():
            worker.quit.set()
        if tasks:
            _, late = await asyncio.wait(tasks, timeout=_STOP_GRACE_S)
            for task in late:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
        self._workers.clear()

    async def _serve(self, worker: _Worker, client: httpx.AsyncClient, stop: asyncio.Event) -> None:
        """One consumer's loop: claim the next message, POST it, acknowledge or retry."""
        first = True
        while not (stop.is_set() or worker.quit.is_set()):
            worker.wake.clear()
            try:
                claim = await self._db(self._claim, worker.name)
            except Exception:  # noqa: BLE001 - the database may come back; keep the order
                _log.exception("push: cannot read the queue", consumer=worker.name)
                await _wait_any(worker.quit, stop, seconds=self.retry_seconds)
                continue
            if first and claim.in_flight_before is not None:
                worker.suspects.add(claim.in_flight_before)  # the last sender stopped mid-send
            first = False
            if not claim.active:
                return
            if claim.job is None:
                await _wait_any(worker.wake, worker.quit, stop, seconds=self.poll_seconds)
                continue
            if not await self._attempt(claim.job, client, worker):
                await _wait_any(worker.quit, stop, seconds=self.retry_seconds)

    async def _attempt(self, job: PushJob, client: httpx.AsyncClient, worker: _Worker) -> bool:
        """POST one job and record the outcome; return whether it was acknowledged."""
        seq = job.event.seq
        outcome = await self._post(client, job, possible_duplicate=seq in worker.suspects)
        at = self._clock()
        if outcome.acknowledged:
            try:
                await self._db(self._acknowledge, job, at)
            except Exception:  # noqa: BLE001 - unrecorded: it goes again, marked
                _log.exception("push: cannot record the acknowledgement", consumer=job.consumer)
                worker.suspects.add(seq)
                return False
            worker.suspects.discard(seq)
            if worker.failures:
                _log.info("push: acknowledged again", consumer=job.consumer, seq=seq)
            worker.failures = 0
            return True
        if outcome.uncertain:
            worker.suspects.add(seq)
        worker.failures += 1
        _log.warning("push: not acknowledged", consumer=job.consumer, seq=seq, error=outcome.error)
        try:
            await self._db(self._record_failure, job, outcome.error, at)
        except Exception:  # noqa: BLE001 - the retry matters more than the record
            _log.exception("push: cannot record the failure", consumer=job.consumer)
        return False

    async def _post(
        self, client: httpx.AsyncClient, job: PushJob, *, possible_duplicate: bool
    ) -> _Outcome:
        headers = push_headers(
            job.event,
            job.api_key,
            resend=job.resend_id is not None,
            possible_duplicate=possible_duplicate,
        )
        try:
            async with asyncio.timeout(self.timeout_seconds):
                response = await client.post(
                    job.endpoint, content=push_body(job.event.content), headers=headers
                )
        except TimeoutError:
            return _Outcome(
                acknowledged=False,
                error=f"no answer within {self.timeout_seconds:g} s",
                uncertain=True,
            )
        except (httpx.HTTPError, httpx.InvalidURL) as error:
            what = f"{type(error).__name__}: {error}".strip().rstrip(":")
            return _Outcome(acknowledged=False, error=what, uncertain=isinstance(error, _UNCERTAIN))
        if response.status_code == 200:
            return _Outcome(acknowledged=True)
        return _Outcome(
            acknowledged=False, error=f"HTTP {response.status_code} (only 200 acknowledges)"
        )

    def _claim(self, name: str) -> _Claim:
        """Pick a consumer's next message and commit it as `in_flight` (one transaction)."""
        with self.planes.games_session() as session:
            consumer = session.get(FeedConsumer, name)
            if consumer is None or not consumer.enabled:
                return _Claim(None, None, active=False)
            before = consumer.in_flight
            event, resend_id = _next_message(session, consumer)
            seq = None if event is None else event.seq
            if consumer.in_flight != seq:
                consumer.in_flight = seq
            if event is None:
                return _Claim(None, before, active=True)
            job = PushJob(name, consumer.endpoint, consumer.api_key, event, resend_id)
            return _Claim(job, before, active=True)

    def _acknowledge(self, job: PushJob, at: datetime) -> None:
        """Record an HTTP 200: move the cursor or drop the re-send, clear the failure."""
        values: dict[str, object] = {
            "in_flight": None,
            "attempts": 0,
            "last_error": None,
            "last_attempt_at": at,
        }
        with self.planes.games_session() as session:
            if job.resend_id is None:
                values["cursor"] = job.event.seq
            else:
                session.execute(delete(FeedResend).where(FeedResend.id == job.resend_id))
            session.execute(
                update(FeedConsumer).where(FeedConsumer.name == job.consumer).values(values)
            )

    def _record_failure(self, job: PushJob, error: str, at: datetime) -> None:
        with self.planes.games_session() as session:
            session.execute(
                update(FeedConsumer)
                .where(FeedConsumer.name == job.consumer)
                .values(
                    attempts=FeedConsumer.attempts + 1, last_error=error[:400], last_attempt_at=at
                )
            )


def _next_message(session: Session, consumer: FeedConsumer) -> tuple[FeedEvent | None, int | None]:
    """Return a consumer's next message: its oldest re-send, else the next one after its cursor."""
    resends = session.scalars(
        select(FeedResend).where(FeedResend.consumer == consumer.name).order_by(FeedResend.id)
    ).all()
    for resend in resends:
        row = session.get(FeedMessage, resend.seq)
        if row is not None:
            return FeedEvent.of(row), resend.id
        session.delete(resend)  # the log is append-only: this cannot happen, but never loop
    disciplines, document_types = consumer_filters(consumer)
    events = read_after(
        session, consumer.cursor, limit=1, disciplines=disciplines, document_types=document_types
    )
    return (events[0], None) if events else (None, None)
