"""The tactile stream's pure rules: positions checked, frames merged to 25 a second."""

from __future__ import annotations

import itertools
import json
from dataclasses import replace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from podium.accessibility.tactile_play import PlayAction, from_play_by_play, match_time_ms
from podium.accessibility.tactile_rules import (
    EVENTS,
    MIN_INTERVAL_MS,
    FrameInput,
    PositionOutOfRangeError,
    TactileFrame,
    TactileInputError,
    TactileSportError,
    Throttle,
    check_frame,
    family_of,
    frame_json,
    merge,
)

RSC = "FBLMTEAM11------------FNL-000100--"


def at(t: int, x: float = 0.5, event: str | None = None) -> TactileFrame:
    return TactileFrame(rsc=RSC, seq=0, t=t, x=x, y=0.5, event=event)  # type: ignore[arg-type]


def test_sports_map_to_their_playing_area() -> None:
    assert family_of("FBL") == "pitch"
    assert family_of("bkb") == "court"
    assert family_of("TTE") == "table"


def test_a_sport_without_a_ball_is_refused_with_its_code() -> None:
    with pytest.raises(TactileSportError) as refused:
        family_of("ATH")
    assert refused.value.code == "tactile_sport_unsupported"


@given(st.floats(0, 1), st.floats(0, 1))
def test_a_position_inside_the_area_is_kept_to_a_thousandth(x: float, y: float) -> None:
    frame = check_frame(RSC, FrameInput(x=x, y=y), 0)
    assert (frame.x, frame.y) == (round(x, 3), round(y, 3))
    assert 0 <= frame.x <= 1
    assert 0 <= frame.y <= 1


@given(
    st.one_of(
        st.floats(max_value=-1e-9, allow_nan=False, allow_infinity=True),
        st.floats(min_value=1 + 1e-9, allow_nan=False, allow_infinity=True),
        st.just(float("nan")),
    )
)
def test_a_position_outside_the_area_is_an_error_naming_the_field(x: float) -> None:
    with pytest.raises(PositionOutOfRangeError) as refused:
        check_frame(RSC, FrameInput(x=x, y=0.5), 0, "frames[3]")
    assert refused.value.code == "position_out_of_range"
    assert str(refused.value).startswith("frames[3].x:")


def test_side_and_score_must_be_noc_codes() -> None:
    with pytest.raises(TactileInputError, match=r"frame\.side: 'fra'"):
        check_frame(RSC, FrameInput(x=0, y=0, side="fra"), 0)
    with pytest.raises(TactileInputError, match="3 sides given"):
        check_frame(RSC, FrameInput(x=0, y=0, score={"FRA": 1, "ESP": 0, "MAR": 2}), 0)
    with pytest.raises(TactileInputError, match="-1 is not a score"):
        check_frame(RSC, FrameInput(x=0, y=0, score={"FRA": -1}), 0)


def test_a_frame_without_time_is_stamped_by_the_node() -> None:
    assert check_frame(RSC, FrameInput(x=0, y=0), 1234).t == 1234
    assert check_frame(RSC, FrameInput(x=0, y=0, t=5), 1234).t == 5


def test_a_frame_is_one_compact_json_line_without_absent_fields() -> None:
    frame = TactileFrame(
        rsc=RSC, seq=7, t=65200, x=0.5, y=0.25, side="FRA", event="goal",
        score=(("FRA", 1), ("ESP", 0)),
    )  # fmt: skip
    line = frame_json(frame)
    assert " " not in line
    assert json.loads(line) == {
        "type": "frame", "rsc": RSC, "seq": 7, "t": 65200, "x": 0.5, "y": 0.25,
        "side": "FRA", "event": "goal", "score": [["FRA", 1], ["ESP", 0]],
    }  # fmt: skip
    assert json.loads(frame_json(replace(frame, side=None, event=None, score=None))) == {
        "type": "frame", "rsc": RSC, "seq": 7, "t": 65200, "x": 0.5, "y": 0.25,
    }  # fmt: skip


def test_the_throttle_holds_a_close_position_and_hands_over_the_latest() -> None:
    throttle = Throttle()
    assert throttle.offer(at(0, 0.1), 0) is not None
    assert throttle.offer(at(10, 0.2), 10) is None
    assert throttle.offer(at(20, 0.3), 20) is None
    assert throttle.due(39) is None
    assert throttle.due_at == MIN_INTERVAL_MS
    handed = throttle.due(40)
    assert handed is not None
    assert handed.x == 0.3
    assert throttle.due(100) is None


def test_an_event_passes_at_once_and_replaces_the_waiting_position() -> None:
    throttle = Throttle()
    throttle.offer(at(0), 0)
    throttle.offer(at(5, 0.2), 5)
    assert throttle.offer(at(6, 0.9, "goal"), 6) is not None
    assert throttle.due_at is None


timed = st.lists(
    st.tuples(st.integers(0, 200), st.floats(0, 1), st.sampled_from([None, None, None, *EVENTS])),
    min_size=1,
    max_size=60,
)


def _frames(steps: list[tuple[int, float, str | None]]) -> list[TactileFrame]:
    frames, t = [], 0
    for gap, x, event in steps:
        t += gap
        frames.append(at(t, x, event))
    return frames


@given(timed)
def test_merging_keeps_every_event_and_the_latest_position_in_order(
    steps: list[tuple[int, float, str | None]],
) -> None:
    frames = _frames(steps)
    merged = merge(frames)
    assert [f for f in merged if f.event] == [f for f in frames if f.event]
    assert merged[-1] == frames[-1]
    assert all(f in frames for f in merged)
    assert [frames.index(f) for f in merged] == sorted(frames.index(f) for f in merged)


@given(timed)
def test_the_throttle_sends_a_position_40_ms_after_the_frame_before_at_least(
    steps: list[tuple[int, float, str | None]],
) -> None:
    throttle, sends = Throttle(), []
    for frame in _frames(steps):
        if (due_at := throttle.due_at) is not None and frame.t >= due_at:
            sends.append((due_at, throttle.due(due_at)))
        if (passed := throttle.offer(frame, frame.t)) is not None:
            sends.append((frame.t, passed))
    for (before, _), (when, frame) in itertools.pairwise(sends):
        assert frame is not None
        if frame.event is None:
            assert when - before >= MIN_INTERVAL_MS


def test_play_by_play_becomes_frames_with_events_possession_and_score() -> None:
    actions = [
        PlayAction(time="00:00", action="kick-off", x=0.5, y=0.5, side="FRA"),
        PlayAction(time="00:00.010", action="pass", x=0.52, y=0.5),
        PlayAction(time="00:00.020", action="pass", x=0.55, y=0.45),
        PlayAction(time=12.5, action="interception", x=0.6, y=0.4, side="ESP"),
        PlayAction(time="00:13", action="goal", x=0.01, y=0.5),
        PlayAction(time="00:40", action="goal", x=0.99, y=0.52, side="FRA"),
    ]
    frames = from_play_by_play(RSC, actions)
    assert [(f.t, f.event, f.side) for f in frames] == [
        (0, "period_start", "FRA"),
        (20, None, "FRA"),  # the two passes within 40 ms: the latest is kept
        (12500, "possession", "ESP"),
        (13000, "goal", "ESP"),
        (40000, "goal", "FRA"),
    ]
    assert frames[3].score == (("ESP", 1),)
    assert frames[4].score == (("ESP", 1), ("FRA", 1))


def test_play_by_play_errors_name_the_action() -> None:
    with pytest.raises(TactileInputError, match=r"actions\[1\]\.action: unknown action 'dunk'"):
        from_play_by_play(
            RSC,
            [
                PlayAction(time=0, action="pass", x=0.5, y=0.5),
                PlayAction(time=1, action="dunk", x=0.5, y=0.5),
            ],
        )
    with pytest.raises(TactileInputError, match=r"actions\[1\]\.time: 2\.0 is earlier"):
        from_play_by_play(
            RSC,
            [
                PlayAction(time=3, action="pass", x=0.5, y=0.5),
                PlayAction(time=2, action="pass", x=0.5, y=0.5),
            ],
        )
    with pytest.raises(PositionOutOfRangeError, match=r"actions\[0\]\.y: 1\.5"):
        from_play_by_play(RSC, [PlayAction(time=0, action="pass", x=0.5, y=1.5)])


def test_match_times_read_seconds_or_the_clock() -> None:
    assert match_time_ms("45:00", "t") == 2_700_000
    assert match_time_ms("1:02.5", "t") == 62_500
    assert match_time_ms(0.04, "t") == 40
    with pytest.raises(TactileInputError, match="not a match time"):
        match_time_ms("1h", "t")
    with pytest.raises(TactileInputError, match="within a day"):
        match_time_ms(-1, "t")
