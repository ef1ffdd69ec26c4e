"""Pure rules of the tactile stream (Vision Pad style): frames, play-by-play, merging.

A blind or partially sighted fan follows a match on a tactile tablet whose magnet follows
the ball (Paris 2024, Vision Pad). Podium sends the tablet *frames*: where the ball is,
normalised to the playing area, who has it, and the key events of play.

Coordinates (`x`, `y` in 0..1), one convention for every sport family, as a spectator
in the main stand sees the field of play (the broadcast's main camera side):

- `x` runs along the length, 0 at the left end, 1 at the right end:
  pitch (football, hockey, rugby sevens): goal line to goal line;
  court (basketball, handball, volleyball, tennis, badminton, water polo): end line to
  end line; table (table tennis): end line to end line, the net at 0.5.
- `y` runs across, 0 at the far side (touchline, sideline, table edge), 1 at the near
  side, the main stand's; so (0, 0) is the far left corner, as on a screen or an SVG.

The ball off the playing area (a throw-in, a ball in the stands) is tracked at the
nearest point of its edge: a value outside 0..1 is an error, never clamped in silence.

Rate: at most `MAX_FRAMES_PER_S` (25) frames a second per unit. The tablet's magnet is
moved by a motor under the surface and a hand cannot feel faster changes; more frames
would queue behind the magnet and add delay. So positions closer than 40 ms are merged,
the latest kept (`Throttle`, `merge`); a frame with a key event is never merged away.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Literal, get_args

from pydantic import BaseModel, ConfigDict, Field

from podium.core.errors import InvalidInputError

__all__ = [
    "EVENTS",
    "FAMILIES",
    "MAX_FRAMES_PER_S",
    "MAX_TIME_MS",
    "MIN_INTERVAL_MS",
    "Family",
    "FrameInput",
    "KeyEvent",
    "PositionOutOfRangeError",
    "Score",
    "TactileFrame",
    "TactileInputError",
    "TactileSportError",
    "Throttle",
    "check_frame",
    "family_of",
    "frame_json",
    "merge",
    "renumber",
]

KeyEvent = Literal[
    "goal", "point", "serve", "possession", "shot", "foul", "period_start", "period_end"
]
"""A key event of play, announced on the tablet and felt as a vibration pattern."""
EVENTS: tuple[KeyEvent, ...] = get_args(KeyEvent)

Family = Literal["pitch", "court", "table"]
"""The shape of a playing area, which the tablet draws."""

FAMILIES: Mapping[str, Family] = {
    "FBL": "pitch",
    "HOC": "pitch",
    "RU7": "pitch",
    "BKB": "court",
    "BK3": "court",
    "HBL": "court",
    "VVO": "court",
    "VBV": "court",
    "WPO": "court",
    "TEN": "court",
    "BDM": "court",
    "TTE": "table",
}
"""The disciplines with a ball the tablet follows (ODF discipline codes), by family."""

MAX_FRAMES_PER_S = 25
"""Frames a second per unit at most: the tablet magnet's pace (and a broadcast's 25 fps)."""
MIN_INTERVAL_MS = 1000 // MAX_FRAMES_PER_S
"""Milliseconds between two frames of a unit at least (40), unless the later has an event."""
MAX_TIME_MS = 24 * 3600 * 1000
"""The largest match time a frame may carry: a day, in milliseconds."""
MAX_SCORE = 999

_SIDE = re.compile(r"^[A-Z]{3}$")

Score = tuple[tuple[str, int], ...]
"""A score, side by side in the order shown: `(("FRA", 3), ("ESP", 5))`."""


class TactileInputError(InvalidInputError):
    """A frame or play-by-play action that cannot be sent; the message says where."""

    code = "tactile_input_invalid"


class PositionOutOfRangeError(TactileInputError):
    """A ball position outside the playing area (x or y outside 0..1)."""

    code = "position_out_of_range"


class TactileSportError(TactileInputError):
    """A unit whose sport has no ball for the tablet to follow (athletics, swimming...)."""

    code = "tactile_sport_unsupported"


class FrameInput(BaseModel):
    """One frame as a source sends it (operator page, API client); checked by `check_frame`.

    Attributes:
        x, y: the ball's position, each 0..1 (see the module's convention).
        t: match time in milliseconds since the unit started, or None to let the node
            stamp it (milliseconds since the unit's stream opened).
        side: the NOC in possession (`FRA`), or None when nobody has the ball.
        event: a key event at this position, or None.
        score: the score after this frame, NOC → points, in the order shown (2 sides).

    """

    model_config = ConfigDict(extra="forbid")

    x: float
    y: float
    t: int | None = Field(default=None, ge=0, le=MAX_TIME_MS)
    side: str | None = None
    event: KeyEvent | None = None
    score: dict[str, int] | None = None


@dataclass(frozen=True, slots=True)
class TactileFrame:
    """A checked frame of one unit's tactile stream.

    Attributes:
        rsc: the unit's RSC.
        seq: the frame's number in the unit's stream (1, 2, ...; 0 before it is sent).
        t: match time, milliseconds.
        x, y: the ball's position, 0..1, rounded to 1/1000 (1 mm on a 1 m tablet).
        side: the NOC in possession, or None.
        event: the key event, or None.
        score: the score, or None when the source gave none.

    """

    rsc: str
    seq: int
    t: int
    x: float
    y: float
    side: str | None = None
    event: KeyEvent | None = None
    score: Score | None = None


def family_of(discipline: str) -> Family:
    """Return the playing-area family of a discipline (`FBL` → `pitch`).

    Raises:
        TactileSportError: `tactile_sport_unsupported` for a sport without a tracked ball.

    """
    family = FAMILIES.get(discipline.upper())
    if family is None:
        msg = f"discipline {discipline[:3]!r} has no ball for a tactile tablet to follow"
        raise TactileSportError(msg)
    return family


def _coordinate(name: str, value: float, where: str) -> float:
    if not math.isfinite(value) or not 0.0 <= value <= 1.0:
        msg = (
            f"{where}.{name}: {value!r} is outside the playing area"
            " (0 to 1; track a ball off the area at the nearest point of its edge)"
        )
        raise PositionOutOfRangeError(msg)
    return round(value, 3)


def _side(value: str, where: str) -> str:
    if not _SIDE.fullmatch(value):
        msg = f"{where}: {value[:12]!r} is not a NOC code (three capital letters, FRA)"
        raise TactileInputError(msg)
    return value


def _score(score: Mapping[str, int], where: str) -> Score:
    if len(score) > 2:
        raise TactileInputError(f"{where}: {len(score)} sides given, at most 2")
    for noc, points in score.items():
        _side(noc, f"{where}.{noc[:12]}")
        if not 0 <= points <= MAX_SCORE:
            raise TactileInputError(f"{where}.{noc}: {points} is not a score (0 to {MAX_SCORE})")
    return tuple(score.items())


def check_frame(rsc: str, given: FrameInput, t: int, where: str = "frame") -> TactileFrame:
    """Check a source's frame and return it, not yet numbered (`seq` 0).

    Args:
        rsc: the unit's RSC.
        given: the frame as sent.
        t: the match time to use when the frame gives none, milliseconds.
        where: how to name the frame in an error (`frames[3]`).

    Raises:
        PositionOutOfRangeError: `position_out_of_range` for x or y outside 0..1.
        TactileInputError: `tactile_input_invalid` for a malformed side or score.

    """
    return TactileFrame(
        rsc=rsc,
        seq=0,
        t=given.t if given.t is not None else t,
        x=_coordinate("x", given.x, where),
        y=_coordinate("y", given.y, where),
        side=_side(given.side, f"{where}.side") if given.side is not None else None,
        event=given.event,
        score=_score(given.score, f"{where}.score") if given.score is not None else None,
    )


def frame_json(frame: TactileFrame) -> str:
    """Return a frame as one compact line of JSON; absent fields are left out.

    `{"type":"frame","rsc":"...","seq":7,"t":65200,"x":0.5,"y":0.25,"side":"FRA",
    "event":"goal","score":[["FRA",1],["ESP",0]]}`
    """
    parts = [
        '{"type":"frame"',
        f'"rsc":"{frame.rsc}"',
        f'"seq":{frame.seq}',
        f'"t":{frame.t}',
        f'"x":{frame.x:g}',
        f'"y":{frame.y:g}',
    ]
    if frame.side is not None:
        parts.append(f'"side":"{frame.side}"')
    if frame.event is not None:
        parts.append(f'"event":"{frame.event}"')
    if frame.score is not None:
        pairs = ",".join(f'["{noc}",{points}]' for noc, points in frame.score)
        parts.append(f'"score":[{pairs}]')
    return ",".join(parts) + "}"


class Throttle:
    """Holds one unit's frames to at most 25 a second, keeping the latest position.

    A frame with a key event passes at once (it replaces any waiting position: it is
    newer). A position less than `interval_ms` after the last frame passed waits, and a
    newer one replaces it; `due` hands it over once the interval has run out.

    Args:
        interval_ms: the least time between two frames, milliseconds.

    """

    def __init__(self, interval_ms: int = MIN_INTERVAL_MS) -> None:
        """Start with nothing passed and nothing waiting."""
        self.interval_ms = interval_ms
        self.last_passed: float | None = None
        self.waiting: TactileFrame | None = None

    @property
    def due_at(self) -> float | None:
        """When the waiting frame may pass (milliseconds), or None when none waits."""
        if self.waiting is None or self.last_passed is None:
            return None
        return self.last_passed + self.interval_ms

    def offer(self, frame: TactileFrame, now_ms: float) -> TactileFrame | None:
        """Offer a frame at `now_ms`; return it when it passes now, else None (it waits)."""
        if frame.event is not None or self._free(now_ms):
            self.waiting = None
            self.last_passed = now_ms
            return frame
        self.waiting = frame
        return None

    def due(self, now_ms: float) -> TactileFrame | None:
        """Return the waiting frame if its time has come (it then counts as passed)."""
        waiting = self.waiting
        if waiting is None or not self._free(now_ms):
            return None
        self.waiting = None
        self.last_passed = now_ms
        return waiting

    def _free(self, now_ms: float) -> bool:
        return self.last_passed is None or now_ms - self.last_passed >= self.interval_ms


def merge(frames: Iterable[TactileFrame], interval_ms: int = MIN_INTERVAL_MS) -> list[TactileFrame]:
    """Return timed frames (by `t`) merged to at most one per `interval_ms`, events kept.

    The frames are passed through a `Throttle` on their own match time, as if they
    arrived live; a position still waiting at the end is sent at its due time (`t` kept).

    Args:
        frames: frames in match-time order (`t` not decreasing).
        interval_ms: the least time between two position frames, milliseconds.

    """
    throttle = Throttle(interval_ms)
    out: list[TactileFrame] = []
    for frame in frames:
        if (due_at := throttle.due_at) is not None and frame.t >= due_at:
            out.append(_passed(throttle.due(due_at)))
        passed = throttle.offer(frame, frame.t)
        if passed is not None:
            out.append(passed)
    if (due_at := throttle.due_at) is not None:
        out.append(_passed(throttle.due(due_at)))
    return out


def _passed(frame: TactileFrame | None) -> TactileFrame:
    assert frame is not None  # noqa: S101 - `due` at `due_at` always hands the frame over
    return frame


def renumber(frames: Sequence[TactileFrame], after: int) -> list[TactileFrame]:
    """Return frames numbered after sequence number `after` (after + 1, after + 2, ...)."""
    return [replace(frame, seq=after + i) for i, frame in enumerate(frames, 1)]
