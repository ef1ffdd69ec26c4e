"""In-process fan-out of the feed to live subscribers (SSE, WebSocket, live pages).

The zero-set-up broker of DESIGN.md: the engine publishes each committed pass; every
subscriber has a bounded queue. A subscriber resumes from a sequence number
(`Last-Event-ID`): what is still in the broker's memory comes from there, anything older
from the feed log, then the live messages, in order and without gaps or repeats. A
subscriber too slow to keep up is disconnected rather than allowed to hold memory; it
resumes from its last event like any other.

Why hand-written: an asyncio fan-out of a few lines over the feed log is Podium's own
craft; the scale-out path is NATS JetStream (`podium.diffusion.nats_bridge`).
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import AsyncIterator, Callable, Sequence
from dataclasses import dataclass

from podium.diffusion.log import FeedEvent

__all__ = ["Backlog", "FeedBroker", "SlowSubscriberError", "Subscription", "Topic"]

Backlog = Callable[[int, int], list[FeedEvent]]
"""Reads the feed log: (after seq, limit) → events, oldest first (runs in a thread)."""


class SlowSubscriberError(Exception):
    """A subscriber fell further behind than its queue holds; it must resume."""


@dataclass(frozen=True, slots=True)
class Topic:
    """What a subscriber wants: discipline codes and DocumentTypes (empty: all).

    Args:
        disciplines: `ATH`, `SWM`, ... (`---` for Games-wide messages).
        document_types: `DT_RESULT`, ...

    """

    disciplines: frozenset[str] = frozenset()
    document_types: frozenset[str] = frozenset()

    def matches(self, event: FeedEvent) -> bool:
        """Whether the event is one the subscriber wants."""
        return (not self.disciplines or event.discipline in self.disciplines) and (
            not self.document_types or event.document_type in self.document_types
        )


class Subscription:
    """One subscriber's queue; iterate it for events (see `FeedBroker.subscribe`)."""

    def __init__(self, topic: Topic, size: int) -> None:
        """Create an empty queue of `size` events."""
        self.topic = topic
        self.queue: asyncio.Queue[FeedEvent | None] = asyncio.Queue(size)
        self.overflowed = False

    def offer(self, event: FeedEvent) -> None:
        """Queue an event, or mark the subscription overflowed when the queue is full."""
        if self.overflowed or not self.topic.matches(event):
            return
        try:
            self.queue.put_nowait(event)
        except asyncio.QueueFull:
            self.overflowed = True
            self.queue = asyncio.Queue(1)
            self.queue.put_nowait(None)


class FeedBroker:
    """Fans the feed out to subscribers on one event loop.

    Args:
        backlog: reads older messages from the feed log.
        memory: how many recent messages are kept for resuming subscribers.
        queue_size: each subscriber's queue, in messages.

    """

    def __init__(self, backlog: Backlog, memory: int = 5000, queue_size: int = 2000) -> None:
        """Create a broker bound to the running loop when it is first used."""
        self.backlog = backlog
        self.recent: deque[FeedEvent] = deque(maxlen=memory)
        self.queue_size = queue_size
        self.subscriptions: set[Subscription] = set()
        self.last_seq = 0
        self._loop: asyncio.AbstractEventLoop | None = None

    def bind(self, loop: asyncio.AbstractEventLoop, last_seq: int) -> None:
        """Bind the broker to the server's loop, starting after sequence `last_seq`."""
        self._loop = loop
        self.last_seq = max(self.last_seq, last_seq)

    def publish(self, events: Sequence[FeedEvent]) -> None:
        """Hand committed events to the subscribers (thread-safe; any thread)."""
        if self._loop is None:
            return
        self._loop.call_soon_threadsafe(self.deliver, list(events))

    def deliver(self, events: Sequence[FeedEvent]) -> None:
        """Deliver events on the loop's thread, skipping any already delivered."""
        for event in events:
            if event.seq <= self.last_seq:
                continue
            self.last_seq = event.seq
            self.recent.append(event)
            for subscription in self.subscriptions:
                subscription.offer(event)

    async def _older(self, after: int, upto: int, topic: Topic) -> AsyncIterator[FeedEvent]:
        """Yield the events in (after, upto], from memory where it reaches, else the log."""
        position = after
        while position < upto:
            if self.recent and self.recent[0].seq <= position + 1:
                for event in list(self.recent):
                    if position < event.seq <= upto:
                        position = event.seq
                        if topic.matches(event):
                            yield event
                return
            page = await asyncio.to_thread(self.backlog, position, 500)
            page = [e for e in page if e.seq <= upto]
            if not page:
                return
            for event in page:
                position = event.seq
                if topic.matches(event):
                    yield event

    async def subscribe(self, topic: Topic, after: int | None = None) -> AsyncIterator[FeedEvent]:
        """Yield the events after sequence `after` (None: only new ones), then live ones.

        Args:
            topic: the disciplines and DocumentTypes wanted.
            after: the last sequence number the subscriber saw (`Last-Event-ID`).

        Raises:
            SlowSubscriberError: when the subscriber's queue overflowed; reconnect with
                the last event id to resume.

        """
        subscription = Subscription(topic, self.queue_size)
        self.subscriptions.add(subscription)
        try:
            upto = self.last_seq
            seen = upto if after is None else after
            if after is not None and after < upto:
                async for event in self._older(after, upto, topic):
                    yield event
                seen = upto
            while True:
                live = await subscription.queue.get()
                if live is None:
                    raise SlowSubscriberError
                if live.seq > seen:
                    seen = live.seq
                    yield live
        finally:
            self.subscriptions.discard(subscription)
