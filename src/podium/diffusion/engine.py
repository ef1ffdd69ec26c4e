"""The feed engine: turn the outbox into versioned messages in the feed log, then fan out.

One pass (`FeedEngine.pump`) reads the queued documents, builds each from the committed
state, appends it with its next Version and sequence number, removes it from the outbox
and commits, all in one transaction; only then are the new messages handed to the
listeners (the in-process broker, the NATS bridge, the push workers' wake-up). A crash
at any point leaves either the queued row or the appended message, never neither.

Burst merging (ODF Foundation Principles §4.4): a document is sent at most once every
`window_ms` (250 ms). The first change is sent at once; changes inside the window update
the queued row, and the state at the window's end is what is sent. A capture's documents
form a batch, sent together in the end-of-unit order of §9.1.1 once every one of them is
out of its window.

Why hand-written: this is Podium's own craft (ODF versioning and pacing); the outbox
pattern itself needs no library beyond SQLAlchemy.
"""

from __future__ import annotations

import asyncio
import time
import zlib
from collections import defaultdict
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime

import structlog
from sqlalchemy import bindparam, delete, text
from sqlalchemy.orm import Session

from podium.core.db import Planes
from podium.diffusion.feed import OdfMessageFile
from podium.diffusion.live_messages import DocumentRequest, build_documents
from podium.diffusion.log import Appended, FeedEvent, KeyState, append_messages, key_states
from podium.diffusion.models import FeedOutbox
from podium.diffusion.outbox import pending
from podium.odf import FeedContext, build_invalidation

__all__ = ["Builder", "FeedEngine", "Listener", "PumpResult", "wall_ms"]

_log = structlog.get_logger(__name__)

Builder = Callable[[Session, FeedContext, Sequence[DocumentRequest]], list[OdfMessageFile | None]]
"""Builds the current state of documents, in request order: each message, or None when
its document has no content (`podium.diffusion.live_messages.build_documents`)."""

Listener = Callable[[Sequence[FeedEvent]], None]
"""Called with the messages of each committed pass, in sequence order (any thread)."""


def wall_ms() -> int:
    """Return the wall clock in milliseconds since the epoch."""
    return time.time_ns() // 1_000_000


@dataclass(slots=True)
class PumpResult:
    """What one pass did.

    Args:
        events: the messages appended, in sequence order.
        held: documents still queued because their window is open.
        next_due_ms: wall-clock ms when the earliest held batch may go, or None.

    """

    events: list[FeedEvent] = field(default_factory=list)
    held: int = 0
    next_due_ms: int | None = None


def _pg_lock(session: Session, context: FeedContext) -> None:
    """Serialise passes of several engines over one PostgreSQL feed (one writer at a time)."""
    if session.get_bind().dialect.name == "postgresql":
        key = zlib.crc32(f"podium-feed:{context.competition_code}".encode())
        session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": key})


class FeedEngine:
    """Builds and appends queued documents; one engine writes a feed at a time.

    Args:
        planes: the database planes (the games plane holds the outbox and the log).
        context: the feed's context (CompetitionCode, FeedFlag, the clock dating headers).
        build: the document builder (`podium.diffusion.live_messages.build_documents`).
        window_ms: the burst window of §4.4, milliseconds.
        clock_ms: the wall clock for the window, milliseconds (inject in tests).

    """

    def __init__(
        self,
        planes: Planes,
        context: FeedContext,
        build: Builder = build_documents,
        *,
        window_ms: int = 250,
        clock_ms: Callable[[], int] = wall_ms,
    ) -> None:
        """Create an engine; nothing runs until `pump` or `run`."""
        self.planes = planes
        self.context = context
        self.build = build
        self.window_ms = window_ms
        self.clock_ms = clock_ms
        self.listeners: list[Listener] = []
        self._wake: asyncio.Event | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="feed-engine")

    def _doc_key(self, document_type: str, document_code: str) -> str:
        ctx = self.context
        return f"{ctx.competition_code}|{document_code}||{document_type}||{ctx.feed_flag}"

    def pump(self, limit: int = 5000) -> PumpResult:
        """Send the queued batches whose window is over; return what was appended.

        Everything of one pass is read, built and written in bulk: the key states in one
        query, the `DT_RESULT`s in four, the messages in one multi-row insert.

        Args:
            limit: at most this many documents per pass (one transaction); the rest wait
                for the next pass.

        Raises:
            Exception: whatever building or the database raises; the pass is rolled back
                and the outbox keeps every row.

        """
        result = PumpResult()
        with self.planes.games_session() as session:
            _pg_lock(session, self.context)
            rows = pending(session)
            if not rows:
                return result
            now_ms = self.clock_ms()
            states = self._states(session, rows)
            chosen = self._ready(rows, states, now_ms, limit, result)
            if chosen:
                result.events = self._send(session, chosen, states, now_ms)
                # Delete only the rows as they were read: a capture that queued the
                # same document again meanwhile (new batch) keeps its row for the next pass.
                session.connection().execute(
                    delete(FeedOutbox).where(
                        FeedOutbox.key == bindparam("k"), FeedOutbox.batch == bindparam("b")
                    ),
                    [{"k": row.key, "b": row.batch} for row in chosen],
                )
                for row in chosen:
                    session.expunge(row)
        if result.events:
            for listener in self.listeners:
                listener(result.events)
        return result

    def _states(self, session: Session, rows: list[FeedOutbox]) -> dict[str, KeyState]:
        return key_states(session, [self._doc_key(r.document_type, r.document_code) for r in rows])

    def _ready(
        self,
        rows: list[FeedOutbox],
        states: dict[str, KeyState],
        now_ms: int,
        limit: int,
        result: PumpResult,
    ) -> list[FeedOutbox]:
        """Return the rows of the batches out of their window, in send order."""
        batches: dict[int, list[FeedOutbox]] = defaultdict(list)
        for row in rows:
            batches[row.batch].append(row)
        chosen: list[FeedOutbox] = []
        for items in batches.values():
            due = max(
                (
                    state.sent_at_ms + self.window_ms
                    for row in items
                    if (state := states.get(self._doc_key(row.document_type, row.document_code)))
                ),
                default=0,
            )
            full = bool(chosen) and len(chosen) + len(items) > limit
            if due > now_ms or full:
                result.held += len(items)
                if due > now_ms:
                    result.next_due_ms = min(result.next_due_ms or due, due)
                else:
                    result.next_due_ms = now_ms
                continue
            chosen.extend(items)
        return chosen

    def _send(
        self,
        session: Session,
        rows: list[FeedOutbox],
        states: dict[str, KeyState],
        now_ms: int,
    ) -> list[FeedEvent]:
        requests = []
        for row in rows:
            state = states.get(self._doc_key(row.document_type, row.document_code))
            units = tuple(u for u in row.units.split(",") if u)
            version = state.version + 1 if state else 1
            requests.append(DocumentRequest(row.document_type, row.document_code, units, version))
        built = self.build(session, self.context, requests)
        sent_at = datetime.fromtimestamp(now_ms / 1000, UTC)
        messages: list[Appended] = []
        for request, message in zip(requests, built, strict=True):
            key = self._doc_key(request.document_type, request.document_code)
            state = states.get(key)
            if message is not None and message.header is not None:
                messages.append(Appended(message.header, message.content, invalidation=False))
            elif state is not None and not state.invalidated:
                header = self.context.stamp(
                    request.document_type, request.document_code, request.version
                )
                messages.append(Appended(header, build_invalidation(header), invalidation=True))
        return append_messages(session, messages, states, sent_at=sent_at, sent_at_ms=now_ms)

    def wake(self) -> None:
        """Ask a running `run` loop for a pass now (thread-safe; a no-op when not running)."""
        if self._loop is not None and self._wake is not None:
            self._loop.call_soon_threadsafe(self._wake.set)

    async def run(self, stop: asyncio.Event, poll_s: float = 0.2) -> None:
        """Pump until `stop` is set: at each `wake`, when a window ends, and every `poll_s`.

        Polling picks up captures written by other processes (the `podium result` command).
        A failing pass is logged and retried at the next poll; the outbox keeps its rows.

        Args:
            stop: set it to end the loop.
            poll_s: seconds between passes when nothing wakes the engine.
        """
        self._loop = asyncio.get_running_loop()
        self._wake = asyncio.Event()
        try:
            while not stop.is_set():
                self._wake.clear()
                timeout = poll_s
                try:
                    # The engine's own thread: it never queues behind the delivery
                    # services' database work in the loop's default executor.
                    result = await self._loop.run_in_executor(self._executor, self.pump)
                except Exception:  # noqa: BLE001 - a bad pass must not stop the feed
                    _log.exception("feed pass failed; retrying")
                else:
                    if result.next_due_ms is not None:
                        timeout = min(
                            poll_s, max(0.0, (result.next_due_ms - self.clock_ms()) / 1000)
                        )
                waiter = asyncio.ensure_future(self._wake.wait())
                stopper = asyncio.ensure_future(stop.wait())
                await asyncio.wait(
                    {waiter, stopper}, timeout=timeout, return_when=asyncio.FIRST_COMPLETED
                )
                waiter.cancel()
                stopper.cancel()
        finally:
            self._loop = None
            self._wake = None
