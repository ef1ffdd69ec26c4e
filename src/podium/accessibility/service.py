"""The description channels: the feed turned into descriptions, per unit and per venue.

A `DescriptionService` subscribes to the node's feed broker (DT_RESULT and DT_MEDALLISTS),
describes each message (`podium.accessibility.describer`), keeps a bounded history per
unit and per venue, fans new descriptions out to its subscribers (the SSE stream, the
pages) and has each one spoken in English and French in the background.

It starts with the first use (`descriptions_of`), not with the node: it then reads the
last `backfill` messages of the feed log first, so a listener who opens a unit's channel
late still hears its standings and result, and the describer knows each unit's leader.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections import defaultdict, deque
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import structlog
from sqlalchemy import select

from podium.accessibility.describer import Describer, Description, UnitInfo
from podium.accessibility.nocs import NocNames, spoken_noc_names
from podium.accessibility.speech import SpeechEngine, SpeechUnavailableError
from podium.accessibility.spoken import SPEECH_LANGS, SpeechLang
from podium.core.db import Planes
from podium.diffusion.broker import FeedBroker, SlowSubscriberError, Topic
from podium.diffusion.log import FeedEvent
from podium.games import Event, Noc, Unit
from podium.odf import OdfReadError, parse_message

__all__ = ["Channel", "DescriptionService", "Timing", "descriptions_of", "games_names"]

_log = structlog.get_logger(__name__)

_TOPIC = Topic(document_types=frozenset({"DT_RESULT", "DT_MEDALLISTS"}))
_SPEECH_QUEUE = 500
_TIMINGS = 5000


@dataclass(frozen=True, slots=True)
class Channel:
    """Which descriptions a subscriber wants: one unit's, one venue's, or all (both None)."""

    unit: str | None = None
    venue: str | None = None

    def holds(self, description: Description) -> bool:
        """Whether the description belongs to the channel."""
        return (self.unit is None or description.unit == self.unit) and (
            self.venue is None or description.venue == self.venue
        )


@dataclass(slots=True)
class Timing:
    """When a message was received and its descriptions and audio were ready (monotonic s)."""

    received: float
    described: float
    spoken: dict[str, float] = field(default_factory=dict)


def games_names(planes: Planes) -> tuple[NocNames, dict[str, UnitInfo]]:
    """Read the NOCs' spoken names and every unit's names and venue from the games plane."""
    with planes.games_session() as session:
        nocs = spoken_noc_names(session.execute(select(Noc.code, Noc.name, Noc.long_name)).all())
        rows = session.execute(
            select(Unit.rsc, Unit.name, Event.name, Unit.venue_code).outerjoin(
                Event, Event.rsc == Unit.event_rsc
            )
        ).all()
    return nocs, {rsc: UnitInfo(rsc, name, event, venue) for rsc, name, event, venue in rows}


def _key(description_id: str) -> tuple[int, int]:
    seq, _, index = description_id.partition("-")
    return int(seq), int(index or 0)


class DescriptionService:
    """Describes the feed live, keeps the channels' history, speaks each description.

    Args:
        broker: the node's feed broker.
        planes: the database planes (names of units and NOCs).
        speech: the speech engine, or None for text only.
        history: descriptions kept per unit and per venue.
        backfill: feed messages read again from the log at start.

    """

    def __init__(
        self,
        broker: FeedBroker,
        planes: Planes,
        speech: SpeechEngine | None,
        *,
        history: int = 200,
        backfill: int = 2000,
    ) -> None:
        """Assemble the service; `start` runs it on the current loop."""
        self.broker = broker
        self.planes = planes
        self.speech = speech
        self.history = history
        self.backfill = backfill
        self.recent: deque[Description] = deque(maxlen=5000)
        self.by_unit: dict[str, deque[Description]] = defaultdict(self._bounded)
        self.by_venue: dict[str, deque[Description]] = defaultdict(self._bounded)
        self.timings: dict[int, Timing] = {}
        self.listeners: set[asyncio.Queue[Description | None]] = set()
        self.describer: Describer | None = None
        self.units: dict[str, UnitInfo] = {}
        self.ready = asyncio.Event()
        self._speaking: asyncio.Queue[Description] = asyncio.Queue(_SPEECH_QUEUE)
        self._tasks: list[asyncio.Task[None]] = []
        self.on_spoken: list[Callable[[Description, str], None]] = []

    def _bounded(self) -> deque[Description]:
        return deque(maxlen=self.history)

    def start(self) -> None:
        """Run the service on the running loop (once)."""
        if not self._tasks:
            self._tasks.append(asyncio.create_task(self.run()))
            if self.speech is not None:
                self._tasks.append(asyncio.create_task(self._speak_all()))

    async def stop(self) -> None:
        """Cancel the service's tasks and wait for them to end."""
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        self._tasks.clear()

    async def run(self) -> None:
        """Describe the last `backfill` messages of the log, then the live feed, until cancelled."""
        nocs, self.units = await asyncio.to_thread(games_names, self.planes)
        self.describer = Describer(nocs, self.units.get)
        upto = self.broker.last_seq
        after = max(0, upto - self.backfill)
        while after < upto:
            page = await asyncio.to_thread(self.broker.backlog, after, 500)
            page = [event for event in page if event.seq <= upto]
            if not page:
                break
            for event in page:
                if _TOPIC.matches(event):
                    self.ingest(event, speak=False)
            after = page[-1].seq
        self.ready.set()
        after = max(after, upto)
        while True:
            try:
                async for event in self.broker.subscribe(_TOPIC, after):
                    self.ingest(event)
                    after = event.seq
            except SlowSubscriberError:
                continue  # resume from the last message described

    def ingest(self, event: FeedEvent, *, speak: bool = True) -> list[Description]:
        """Describe one feed message, store and fan out its descriptions; return them.

        Args:
            event: a feed message.
            speak: queue the descriptions for speech (the backfill is spoken on demand).

        """
        received = time.perf_counter()
        if self.describer is None or event.invalidation:
            return []
        try:
            message = parse_message(event.content, name=f"feed message {event.seq}")
        except OdfReadError:
            _log.warning("describe.unreadable", seq=event.seq)
            return []
        found = self.describer.describe(event.seq, message)
        for description in found:
            self.recent.append(description)
            self.by_unit[description.unit].append(description)
            if description.venue:
                self.by_venue[description.venue].append(description)
            for listener in list(self.listeners):
                self._offer(listener, description)
            if speak and self.speech is not None:
                with contextlib.suppress(asyncio.QueueFull):
                    self._speaking.put_nowait(description)
        if found:
            self.timings[event.seq] = Timing(received, time.perf_counter())
            if len(self.timings) > _TIMINGS:
                del self.timings[next(iter(self.timings))]
        return found

    def _offer(self, listener: asyncio.Queue[Description | None], item: Description) -> None:
        try:
            listener.put_nowait(item)
        except asyncio.QueueFull:
            self.listeners.discard(listener)
            with contextlib.suppress(asyncio.QueueEmpty):
                listener.get_nowait()
            listener.put_nowait(None)

    def channel(self, channel: Channel) -> list[Description]:
        """Return a channel's history, oldest first."""
        if channel.unit is not None:
            return [d for d in self.by_unit.get(channel.unit, ()) if channel.holds(d)]
        if channel.venue is not None:
            return list(self.by_venue.get(channel.venue, ()))
        return list(self.recent)

    def find(self, description_id: str) -> Description | None:
        """Return a description still held by id, or None."""
        return next((d for d in reversed(self.recent) if d.id == description_id), None)

    async def subscribe(
        self, channel: Channel, after: str | None = None, queue_size: int = 500
    ) -> AsyncIterator[Description]:
        """Yield the channel's descriptions after id `after` (None: only new ones), then live.

        Raises:
            SlowSubscriberError: the subscriber fell `queue_size` descriptions behind.

        """
        listener: asyncio.Queue[Description | None] = asyncio.Queue(queue_size)
        self.listeners.add(listener)
        try:
            seen = (0, -1)
            if after is not None:
                seen = _key(after)
                for old in self.channel(channel):
                    if _key(old.id) > seen:
                        seen = _key(old.id)
                        yield old
            while True:
                item = await listener.get()
                if item is None:
                    raise SlowSubscriberError
                if channel.holds(item) and _key(item.id) > seen:
                    seen = _key(item.id)
                    yield item
        finally:
            self.listeners.discard(listener)

    async def audio(self, description: Description, lang: SpeechLang) -> Path:
        """Return the WAV file of a description in `lang` (`en` or `fr`).

        Raises:
            SpeechUnavailableError: `speech_unavailable` without a speech engine.

        """
        if self.speech is None or lang not in SPEECH_LANGS:
            raise SpeechUnavailableError("this node has no speech engine")
        path = await self.speech.audio(description.id, lang, description.text(lang))
        timing = self.timings.get(description.seq)
        if timing is not None:
            timing.spoken.setdefault(f"{description.id}/{lang}", time.perf_counter())
        for callback in self.on_spoken:
            callback(description, lang)
        return path

    async def _speak_all(self) -> None:
        while True:
            description = await self._speaking.get()
            for lang in SPEECH_LANGS:
                try:
                    await self.audio(description, lang)
                except SpeechUnavailableError as error:
                    _log.warning("describe.speech_failed", id=description.id, error=str(error))


def descriptions_of(state: Any) -> DescriptionService:
    """Return the application's description service, started on first use.

    A service already on the state (a test's, one without speech) is started as it is.

    Args:
        state: the application's `state`, with `diffusion` (its broker), `planes` and
            `settings` (`data_dir`: speech files go under `<data_dir>/speech`).

    """
    service: DescriptionService | None = getattr(state, "descriptions", None)
    if service is None:
        speech = SpeechEngine(Path(state.settings.data_dir) / "speech")
        service = DescriptionService(
            state.diffusion.broker, state.planes, speech if speech.executable else None
        )
        state.descriptions = service
    service.start()
    return service
