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
from dataclasses import dataclass, field
from datetime import UTC, datetime

import structlog
from sqlalchemy import text
from sqlalchemy.orm import Session

from podium.core.db import Planes
from podium.diffusion.feed import OdfMessageFile
from podium.diffusion.log import FeedEvent, append_message, next_version
from podium.diffusion.models import FeedKeyState, FeedOutbox
from podium.diffusion.outbox import pending
from podium.odf import FeedContext, build_invalidation

__all__ = ["Builder", "FeedEngine", "Listener", "PumpResult", "wall_ms"]

_log = structlog.get_logger(__name__)

Builder = Callable[[Session, FeedContext, str, str, tuple[str, ...], int], OdfMessageFile | None]
"""Builds the current state of one document: (session, context, DocumentType,
DocumentCode, units, Version) → the message, or None when the document has no content."""

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
        build: the document builder (`podium.diffusion.live_messages.build_document`).
        window_ms: the burst window of §4.4, milliseconds.
        clock_ms: the wall clock for the window, milliseconds (inject in tests).

    """

    def __init__(
        self,
        planes: Planes,
        context: FeedContext,
        build: Builder,
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

    def _doc_key(self, document_type: str, document_code: str) -> str:
        ctx = self.context
        return f"{ctx.competition_code}|{document_code}||{document_type}||{ctx.feed_flag}"

    def pump(self) -> PumpResult:
        """Send every queued batch whose window is over; return what was appended.

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
            batches: dict[int, list[FeedOutbox]] = defaultdict(list)
            for row in rows:
                batches[row.batch].append(row)
            for items in batches.values():
                due = self._due(session, items)
                if due > now_ms:
                    result.held += len(items)
                    result.next_due_ms = min(result.next_due_ms or due, due)
                    continue
                for row in items:
                    event = self._send(session, row, now_ms)
                    if event is not None:
                        result.events.append(event)
                    session.delete(row)
        if result.events:
            for listener in self.listeners:
                listener(result.events)
        return result

    def _due(self, session: Session, items: list[FeedOutbox]) -> int:
        due = 0
        for row in items:
            state = session.get(FeedKeyState, self._doc_key(row.document_type, row.document_code))
            if state is not None:
                due = max(due, state.sent_at_ms + self.window_ms)
        return due

    def _send(self, session: Session, row: FeedOutbox, now_ms: int) -> FeedEvent | None:
        key = self._doc_key(row.document_type, row.document_code)
        version, state = next_version(session, key)
        units = tuple(u for u in row.units.split(",") if u)
        built = self.build(
            session, self.context, row.document_type, row.document_code, units, version
        )
        sent_at = datetime.fromtimestamp(now_ms / 1000, UTC)
        if built is not None and built.header is not None:
            return append_message(
                session, built.header, built.content, sent_at=sent_at, sent_at_ms=now_ms
            )
        if state is None or state.invalidated:
            return None  # never sent, or already invalidated: nothing to withdraw
        header = self.context.stamp(row.document_type, row.document_code, version)
        return append_message(
            session,
            header,
            build_invalidation(header),
            sent_at=sent_at,
            sent_at_ms=now_ms,
            invalidation=True,
        )

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
                    result = await asyncio.to_thread(self.pump)
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
