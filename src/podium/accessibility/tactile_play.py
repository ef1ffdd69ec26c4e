"""Play-by-play input of the tactile stream: a list of actions becomes tactile frames.

The format, a JSON list of actions in match order (`PlayAction`):

```json
[
  {"time": "00:00", "action": "kick-off", "x": 0.5, "y": 0.5, "side": "FRA"},
  {"time": "11:58.4", "action": "pass", "x": 0.71, "y": 0.42, "side": "FRA"},
  {"time": 719.0, "action": "goal", "x": 0.99, "y": 0.5, "side": "FRA"},
  {"time": "45:00", "action": "half-time", "x": 0.5, "y": 0.5}
]
```

- `time`: match time since the unit started, seconds (`719.0`) or `MM:SS[.f]`.
- `action`: one of `ACTIONS`, which maps it to a key event or to a plain position.
- `x`, `y`: the ball, 0..1 (`podium.accessibility.tactile_rules` gives the convention).
- `side` (optional): the NOC in possession; it holds until another action names one.
- `score` (optional): the score after the action, NOC → points; else a `goal` or a
  `point` adds `points` (default 1) to its side's running score.

The frames are then merged to at most 25 a second (`tactile_rules.merge`), events kept.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from pydantic import BaseModel, ConfigDict, Field

from podium.accessibility.tactile_rules import (
    MAX_TIME_MS,
    FrameInput,
    KeyEvent,
    TactileFrame,
    TactileInputError,
    check_frame,
    merge,
)

__all__ = ["ACTIONS", "PlayAction", "from_play_by_play", "match_time_ms"]

ACTIONS: Mapping[str, KeyEvent | None] = {
    "move": None,
    "pass": None,
    "dribble": None,
    "carry": None,
    "rally": None,
    "return": None,
    "kick-off": "period_start",
    "period-start": "period_start",
    "half-time": "period_end",
    "period-end": "period_end",
    "full-time": "period_end",
    "goal": "goal",
    "point": "point",
    "try": "point",
    "basket": "point",
    "serve": "serve",
    "shot": "shot",
    "foul": "foul",
    "penalty": "foul",
    "turnover": "possession",
    "interception": "possession",
    "steal": "possession",
    "possession": "possession",
}
"""Play-by-play actions and the key event each is sent as (None: a position only)."""

_CLOCK = re.compile(r"^(\d{1,4}):([0-5]\d)(?:\.(\d{1,3}))?$")
_SCORING: frozenset[KeyEvent | None] = frozenset({"goal", "point"})


class PlayAction(BaseModel):
    """One play-by-play action (see the module's format)."""

    model_config = ConfigDict(extra="forbid")

    time: float | str
    action: str
    x: float
    y: float
    side: str | None = None
    score: dict[str, int] | None = None
    points: int = Field(default=1, ge=1, le=9)


def match_time_ms(value: float | str, where: str) -> int:
    """Return a play-by-play time as milliseconds: seconds (`719.5`) or `MM:SS[.f]`.

    Raises:
        TactileInputError: `tactile_input_invalid` for another shape or a negative time.

    """
    if isinstance(value, str):
        found = _CLOCK.fullmatch(value.strip())
        if found is None:
            msg = f"{where}: {value[:16]!r} is not a match time (seconds, or MM:SS.f)"
            raise TactileInputError(msg)
        minutes, seconds, fraction = found.groups()
        millis = int((fraction or "0").ljust(3, "0"))
        ms = (int(minutes) * 60 + int(seconds)) * 1000 + millis
    else:
        ms = round(value * 1000)
    if not 0 <= ms <= MAX_TIME_MS:
        raise TactileInputError(f"{where}: {value!r} is not a match time within a day")
    return ms


def _event(action: str, where: str) -> KeyEvent | None:
    key = action.strip().lower()
    if key not in ACTIONS:
        known = ", ".join(sorted(ACTIONS))
        raise TactileInputError(f"{where}: unknown action {action[:20]!r} (known: {known})")
    return ACTIONS[key]


def _scored(
    running: dict[str, int], given: PlayAction, event: KeyEvent | None, side: str | None
) -> dict[str, int] | None:
    if given.score is not None:
        running.clear()
        running.update(given.score)
    elif event in _SCORING and side is not None:
        running[side] = running.get(side, 0) + given.points
    return dict(running) if running else None


def from_play_by_play(rsc: str, actions: Sequence[PlayAction]) -> list[TactileFrame]:
    """Convert play-by-play actions into a unit's frames, merged to 25 a second.

    Args:
        rsc: the unit's RSC.
        actions: the actions, in match order.

    Returns:
        The frames, not yet numbered (`seq` 0), in match-time order.

    Raises:
        TactileInputError: `tactile_input_invalid` for an unknown action, a bad time,
            an action earlier than the one before it, a malformed side or score;
            `position_out_of_range` for x or y outside 0..1. The message names the
            action (`actions[12].x`).

    """
    frames: list[TactileFrame] = []
    side: str | None = None
    running: dict[str, int] = {}
    last_t = 0
    for i, action in enumerate(actions):
        where = f"actions[{i}]"
        t = match_time_ms(action.time, f"{where}.time")
        if t < last_t:
            msg = f"{where}.time: {action.time!r} is earlier than the action before it"
            raise TactileInputError(msg)
        last_t = t
        event = _event(action.action, f"{where}.action")
        side = action.side if action.side is not None else side
        score = _scored(running, action, event, side)
        given = FrameInput(x=action.x, y=action.y, t=t, side=side, event=event, score=score)
        frames.append(check_frame(rsc, given, t, where))
    return merge(frames)
