"""A diffusion node: the feed engine, the in-process broker and the delivery services.

A `primary` node owns a feed: its engine turns the outbox into messages, its broker
fans them out to live subscribers, its push service delivers them to HTTP consumers, and
(with `PODIUM_NATS_URL`) its NATS bridge publishes them to JetStream for the other nodes.
An `edge` node has no engine: its broker is fed from JetStream, so several machines can
serve live subscribers from one feed (DESIGN.md, "feed fan-out").
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Sequence
from typing import Protocol

import structlog

from podium.core.db import Planes
from podium.core.settings import Settings
from podium.diffusion.broker import FeedBroker
from podium.diffusion.engine import FeedEngine
from podium.diffusion.feed import feed_context
from podium.diffusion.live_messages import build_documents
from podium.diffusion.log import FeedEvent, last_seq, read_after
from podium.diffusion.nats_bridge import NatsEdge, NatsOptions, NatsPublisher
from podium.diffusion.push import PushService

__all__ = ["DiffusionNode", "Service"]

_log = structlog.get_logger(__name__)


class Service(Protocol):
    """A delivery service run by the node until `stop` is set."""

    async def run(self, stop: asyncio.Event) -> None:
        """Run until `stop` is set."""

    def wake(self, events: Sequence[FeedEvent]) -> None:
        """Take note of newly appended messages (called from any thread)."""


class DiffusionNode:
    """The node's feed machinery, started and stopped with the web application.

    Args:
        planes: the database planes.
        settings: the node's settings (`feed_role`, `feed_window_ms`, `nats_url`, ...).
        engine: the feed engine to use (the replay passes one with its virtual clock);
            a primary node makes one when None.

    """

    def __init__(
        self, planes: Planes, settings: Settings, engine: FeedEngine | None = None
    ) -> None:
        """Assemble the node; nothing runs until `start`."""
        self.planes = planes
        self.settings = settings
        self.broker = FeedBroker(self._backlog)
        self.engine: FeedEngine | None = None
        self.services: list[Service] = []
        if settings.feed_role == "primary":
            self.engine = engine or FeedEngine(
                planes,
                feed_context(source=settings.source),
                build_documents,
                window_ms=settings.feed_window_ms,
            )
            self.engine.listeners.append(self.broker.publish)
            self.engine.listeners.append(self._wake_services)
            self.add_service(PushService(planes, settings))
        # NATS JetStream scale-out (podium.diffusion.nats_bridge): a primary publishes its
        # feed log; an edge is fed from the stream and serves resumes from its index.
        if settings.nats_url is not None:
            options = NatsOptions.of(settings)
            if settings.feed_role == "primary":
                self.add_service(NatsPublisher(planes, options))
            else:
                edge = NatsEdge(self.broker, options)
                self.broker.backlog = edge.index.read
                self.add_service(edge)
        # end of the NATS bridge wiring
        self._stop = asyncio.Event()
        self._tasks: list[asyncio.Task[None]] = []

    def _backlog(self, after: int, limit: int) -> list[FeedEvent]:
        with self.planes.games_session() as session:
            return read_after(session, after, limit=limit)

    def _wake_services(self, events: Sequence[FeedEvent]) -> None:
        for service in self.services:
            service.wake(events)

    def add_service(self, service: Service) -> None:
        """Run a delivery service with the node (call before `start`)."""
        self.services.append(service)

    async def start(self) -> None:
        """Bind the broker to the running loop and start the engine and the services."""
        with self.planes.games_session() as session:
            newest = last_seq(session)
        self.broker.bind(asyncio.get_running_loop(), newest)
        if self.engine is not None:
            self._tasks.append(asyncio.create_task(self.engine.run(self._stop)))
        self._tasks.extend(asyncio.create_task(s.run(self._stop)) for s in self.services)

    def captured(self) -> None:
        """Pump the engine now that a capture committed, rather than at the next poll."""
        if self.engine is not None:
            self.engine.wake()

    async def stop(self) -> None:
        """Stop the engine and the services, waiting for them to finish their step."""
        self._stop.set()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await asyncio.wait_for(task, timeout=10)
        self._tasks.clear()
