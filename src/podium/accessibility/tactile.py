"""The tactile stream's hub: one channel per unit, bounded history, bounded fan-out.

Sources (the operator page, an API client, a play-by-play import) publish frames of a
unit; every tablet subscribed to the unit gets them as compact JSON lines, encoded once
and shared. Like the feed's broker (`podium.diffusion.broker`), each subscriber has a
bounded queue and one that falls too far behind is cut (`TactileSlowSubscriberError`)
rather than allowed to hold memory; it resumes from its last frame. A subscriber a few
frames behind skips the positions a newer frame supersedes (never an event), so a tablet
catches up on where the ball is now instead of replaying where it was.

Frames live in memory only: a ball position is worth something for about a second, so
nothing is written to a database. A channel keeps its last `memory` frames (a minute at
25 a second) for subscribers that resume (`after`); one that resumes from further back
gets a `gap` line first, then what is kept. A subscriber without a position gets the
newest frame at once, so a tablet shows the ball as soon as it connects. After a restart
the numbering starts again; a position beyond the newest counts as no position.

Everything here runs on the server's event loop (the routes are `async`).
"""

from __future__ import annotations

import asyncio
import time
from collections import deque
from collections.abc import AsyncIterator, Callable, Sequence
from dataclasses import replace
from typing import Any

from podium.accessibility.tactile_rules import (
    MIN_INTERVAL_MS,
    FrameInput,
    TactileFrame,
    Throttle,
    check_frame,
    frame_json,
)
from podium.privacy.operators import Principal

__all__ = [
    "TRACKING_ROLES",
    "TactileChannel",
    "TactileHub",
    "TactileSlowSubscriberError",
    "gap_json",
    "hub_of",
    "may_track",
]

TRACKING_ROLES = frozenset({"results-manager", "accessibility-coordinator"})
"""The roles of a signed-in member of staff who may track the ball of a unit."""

Line = tuple[int, str, bool]
"""A sent frame: its sequence number, its JSON line, and whether it carries a key event."""


class TactileSlowSubscriberError(Exception):
    """A tablet fell further behind than its queue holds; it must resume with `after`."""


def gap_json(after: int, resumed: int) -> str:
    """Return the line that tells a resuming subscriber frames after `after` are gone."""
    return f'{{"type":"gap","after":{after},"resumed":{resumed}}}'


class _Subscriber:
    def __init__(self, size: int) -> None:
        self.queue: asyncio.Queue[Line | None] = asyncio.Queue(size)
        self.overflowed = False

    def offer(self, line: Line) -> None:
        if self.overflowed:
            return
        try:
            self.queue.put_nowait(line)
        except asyncio.QueueFull:
            self.overflowed = True
            self.queue = asyncio.Queue(1)
            self.queue.put_nowait(None)


class TactileChannel:
    """One unit's stream: numbering, throttle, recent frames and subscribers.

    Args:
        rsc: the unit's RSC.
        opened_ms: when the channel opened (the hub's clock, milliseconds); a frame
            without a match time is stamped with the time since then.
        memory: how many recent frames are kept for resuming subscribers.
        interval_ms: the least time between two frames (`tactile_rules.Throttle`).

    """

    def __init__(self, rsc: str, opened_ms: float, memory: int, interval_ms: int) -> None:
        """Create an empty channel."""
        self.rsc = rsc
        self.opened_ms = opened_ms
        self.recent: deque[Line] = deque(maxlen=memory)
        self.last_seq = 0
        self.subscribers: set[_Subscriber] = set()
        self.throttle = Throttle(interval_ms)
        self.timer: asyncio.TimerHandle | None = None

    def send(self, frame: TactileFrame) -> int:
        """Give a frame its number, keep it, hand it to every subscriber; return the number."""
        self.last_seq += 1
        numbered = replace(frame, seq=self.last_seq)
        line = (self.last_seq, frame_json(numbered), frame.event is not None)
        self.recent.append(line)
        for subscriber in self.subscribers:
            subscriber.offer(line)
        return self.last_seq

    def since(self, after: int | None) -> list[str]:
        """Return the lines a subscriber resuming after `after` gets before live ones."""
        if not self.recent:
            return []
        if after is None or after > self.last_seq:
            return [self.recent[-1][1]]
        kept = [text for seq, text, _event in self.recent if seq > after]
        first = self.recent[0][0]
        if first > after + 1:
            return [gap_json(after, first), *kept]
        return kept


class TactileHub:
    """The tactile channels of a node, one per unit, made on first use.

    Args:
        clock: a monotonic clock in seconds (`time.monotonic`); injected in tests.
        memory: frames kept per channel for resuming subscribers.
        queue_size: each subscriber's queue, in frames (10 s at 25 a second).
        interval_ms: the least time between two frames of a unit.

    """

    def __init__(
        self,
        clock: Callable[[], float] = time.monotonic,
        memory: int = 1500,
        queue_size: int = 250,
        interval_ms: int = MIN_INTERVAL_MS,
    ) -> None:
        """Create a hub with no channel."""
        self.clock = clock
        self.memory = memory
        self.queue_size = queue_size
        self.interval_ms = interval_ms
        self.channels: dict[str, TactileChannel] = {}
        self.disciplines: dict[str, str] = {}
        """The discipline of each unit already checked (a unit's never changes)."""

    def _now_ms(self) -> float:
        return self.clock() * 1000.0

    def channel(self, rsc: str) -> TactileChannel:
        """Return a unit's channel, made empty on first use."""
        found = self.channels.get(rsc)
        if found is None:
            found = TactileChannel(rsc, self._now_ms(), self.memory, self.interval_ms)
            self.channels[rsc] = found
        return found

    def publish(self, rsc: str, given: Sequence[FrameInput]) -> list[int]:
        """Check and publish a source's frames of a unit, at most 25 a second.

        Args:
            rsc: the unit's RSC (already known to be a unit with a tracked ball).
            given: the frames, oldest first.

        Returns:
            The sequence numbers of the frames sent now; the others were merged, the
            latest of them sent when the interval runs out.

        Raises:
            PositionOutOfRangeError, TactileInputError: from `check_frame`, for the
                first bad frame (`frames[i]`); nothing of the batch is published then.

        """
        channel = self.channel(rsc)
        now = self._now_ms()
        stamp = round(now - channel.opened_ms)
        checked = [check_frame(rsc, g, stamp, f"frames[{i}]") for i, g in enumerate(given)]
        sent = []
        for frame in checked:
            passed = channel.throttle.offer(frame, now)
            if passed is not None:
                sent.append(channel.send(passed))
        self._schedule(channel)
        return sent

    def publish_timed(self, rsc: str, frames: Sequence[TactileFrame]) -> list[int]:
        """Publish frames already merged on match time (a play-by-play import) at once."""
        channel = self.channel(rsc)
        return [channel.send(frame) for frame in frames]

    def _schedule(self, channel: TactileChannel) -> None:
        due_at = channel.throttle.due_at
        if due_at is None or channel.timer is not None:
            return
        delay = max(0.0, (due_at - self._now_ms()) / 1000.0)
        channel.timer = asyncio.get_running_loop().call_later(delay, self._flush, channel)

    def _flush(self, channel: TactileChannel) -> None:
        channel.timer = None
        waiting = channel.throttle.due(self._now_ms())
        if waiting is not None:
            channel.send(waiting)
        self._schedule(channel)

    async def subscribe(self, rsc: str, after: int | None = None) -> AsyncIterator[str]:
        """Yield a unit's frames as JSON lines: the kept ones after `after`, then live.

        Args:
            rsc: the unit's RSC.
            after: the last sequence number the subscriber saw, or None for the newest
                frame and then live ones.

        Raises:
            TactileSlowSubscriberError: the subscriber's queue overflowed; resume with
                the last sequence number seen.

        """
        channel = self.channel(rsc)
        subscriber = _Subscriber(self.queue_size)
        channel.subscribers.add(subscriber)
        try:
            seen = channel.last_seq
            for line in channel.since(after):
                yield line
            while True:
                lines = await _waiting(subscriber)
                for live in _conflated([line for line in lines if line is not None]):
                    if live[0] > seen:
                        seen = live[0]
                        yield live[1]
                if None in lines:
                    raise TactileSlowSubscriberError
        finally:
            channel.subscribers.discard(subscriber)


async def _waiting(subscriber: _Subscriber) -> list[Line | None]:
    """Wait for a subscriber's next line; return it with every line queued behind it.

    None among them: the queue overflowed and the subscriber must resume.
    """
    lines = [await subscriber.queue.get()]
    while not subscriber.queue.empty():
        lines.append(subscriber.queue.get_nowait())
    return lines


def _conflated(lines: list[Line]) -> list[Line]:
    """Drop the positions a newer line of the batch supersedes; keep every event.

    A subscriber that fell behind gets the key events and the newest position only: the
    magnet goes where the ball is, not where it was (each line carries a position).
    """
    last = len(lines) - 1
    return [line for i, line in enumerate(lines) if line[2] or i == last]


def hub_of(state: Any) -> TactileHub:
    """Return the node's tactile hub, kept on the application's state, made on first use."""
    hub = getattr(state, "tactile_hub", None)
    if not isinstance(hub, TactileHub):
        hub = TactileHub()
        state.tactile_hub = hub
    return hub


def may_track(principal: Principal, discipline: str) -> bool:
    """Whether an operator may publish a unit's tactile frames (track its ball).

    The ball's position is match data, entered at the venue like results: an API token
    needs `results:unit:write` or the discipline's `results:<discipline>:write`
    (`podium.api.capture_routes`); a staff session needs a role of `TRACKING_ROLES`.

    Args:
        principal: the authenticated operator (token or staff session).
        discipline: the unit's ODF discipline code (`FBL`).

    """
    if principal.scopes is None:
        return bool(TRACKING_ROLES & principal.roles)
    return principal.allows("results:unit:write") or principal.allows(
        f"results:{discipline.lower()}:write"
    )
