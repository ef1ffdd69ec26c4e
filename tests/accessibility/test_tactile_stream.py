"""The tactile stream over the application: operators post frames, tablets receive them.

The WebSocket `/feed/tactile/{rsc}` is public and read-only; posting needs an operator
allowed to track the unit's ball. The application runs over the imported
Paris 2024 node, served by uvicorn on the loopback interface (httpx for posts, the
`websockets` client for the stream); the hub is fresh for every test.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Iterator

import httpx
import pytest
from fastapi import FastAPI
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import ClientConnection, connect

from podium.accessibility.tactile import TactileHub, TactileSlowSubscriberError
from podium.accessibility.tactile_rules import FrameInput, TactileFrame
from podium.api import create_app
from podium.core.db import Planes
from podium.core.settings import Settings
from podium.privacy.operators import find_operator
from podium.privacy.sessions import open_web_session, session_principal
from podium.privacy.spine import Spine
from tests.accessibility.tactile_support import FOOTBALL_FINAL, MARATHON, Tracker, tracker
from tests.operators import TestOperator
from tests.web.browsing import live_server

FRAMES = f"/api/tactile/{FOOTBALL_FINAL}/frames"
STREAM = f"/feed/tactile/{FOOTBALL_FINAL}"


@pytest.fixture(scope="module")
def app(node_settings: Settings, planes: Planes, spine: Spine) -> FastAPI:
    return create_app(node_settings, planes, spine)


@pytest.fixture(scope="module")
def server(app: FastAPI) -> Iterator[str]:
    with live_server(app) as url:
        yield url


@pytest.fixture(scope="module")
def client(server: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server, timeout=10) as http:
        yield http


class Tablets:
    """Opens tactile streams on the served node, returning once the hub has the tablet.

    The WebSocket handshake ends before the server subscribes the socket to the unit's
    channel; a frame posted in between would reach the tablet only as "the newest frame"
    of a new subscriber, so the tests wait for the subscription itself.
    """

    def __init__(self, server: str, app: FastAPI) -> None:
        self.base = server.replace("http://", "ws://")
        self.app = app

    def websocket_connect(self, path: str) -> ClientConnection:
        rsc = path.split("?", 1)[0].rsplit("/", 1)[-1]
        channel = self.app.state.tactile_hub.channel(rsc)
        before = len(channel.subscribers)
        socket = connect(self.base + path, open_timeout=10)
        deadline = time.monotonic() + 10
        while len(channel.subscribers) <= before and time.monotonic() < deadline:
            time.sleep(0.005)
        return socket


@pytest.fixture(scope="module")
def tablets(server: str, app: FastAPI) -> Tablets:
    return Tablets(server, app)


@pytest.fixture(autouse=True)
def fresh_hub(app: FastAPI) -> TactileHub:
    hub = TactileHub()
    app.state.tactile_hub = hub
    return hub


@pytest.fixture(scope="module")
def operator(planes: Planes, spine: Spine) -> Tracker:
    return tracker(planes, spine)


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def receive(socket: ClientConnection) -> dict[str, object]:
    loaded: dict[str, object] = json.loads(socket.recv(timeout=10))
    return loaded


def post(
    client: httpx.Client, token: str, frames: list[dict[str, object]], url: str = FRAMES
) -> httpx.Response:
    return client.post(url, json=frames, headers=bearer(token))


def test_a_posted_frame_reaches_a_subscribed_tablet(
    tablets: Tablets, client: httpx.Client, operator: Tracker
) -> None:
    with tablets.websocket_connect(STREAM) as socket:
        answer = post(client, operator.results_token, [{"x": 0.25, "y": 0.75, "side": "FRA"}])
        assert answer.status_code == 200, answer.text
        assert answer.json() == {"sent": [1], "last_seq": 1}
        frame = receive(socket)
    assert frame["type"] == "frame"
    assert (frame["seq"], frame["x"], frame["y"], frame["side"]) == (1, 0.25, 0.75, "FRA")
    assert frame["rsc"] == FOOTBALL_FINAL
    assert isinstance(frame["t"], int)


def test_close_positions_are_merged_and_the_latest_follows(
    tablets: Tablets, client: httpx.Client, operator: Tracker
) -> None:
    with tablets.websocket_connect(STREAM) as socket:
        frames = [{"x": 0.1, "y": 0.5}, {"x": 0.2, "y": 0.5}, {"x": 0.3, "y": 0.5}]
        assert post(client, operator.results_token, frames).json()["sent"] == [1]
        assert receive(socket)["x"] == 0.1
        held = receive(socket)  # sent when the 40 ms interval has run out
    assert (held["seq"], held["x"]) == (2, 0.3)


def test_an_event_is_never_merged_away(
    tablets: Tablets, client: httpx.Client, operator: Tracker
) -> None:
    frames = [
        {"x": 0.5, "y": 0.5},
        {"x": 0.9, "y": 0.5, "event": "shot", "side": "FRA"},
        {"x": 0.99, "y": 0.5, "event": "goal", "side": "FRA", "score": {"FRA": 1, "ESP": 0}},
    ]
    with tablets.websocket_connect(STREAM) as socket:
        assert post(client, operator.results_token, frames).json()["sent"] == [1, 2, 3]
        live = [receive(socket)]
        while live[-1].get("event") != "goal":
            live.append(receive(socket))
    # Live, a position superseded in the same instant may be skipped; never an event.
    assert [f.get("event") for f in live if f.get("event")] == ["shot", "goal"]
    assert live[-1]["score"] == [["FRA", 1], ["ESP", 0]]
    with tablets.websocket_connect(f"{STREAM}?after=0") as socket:
        kept = [receive(socket) for _ in range(3)]
    assert [f.get("event") for f in kept] == [None, "shot", "goal"]


def test_a_tablet_resumes_after_its_last_frame_and_a_new_one_gets_the_newest(
    tablets: Tablets, client: httpx.Client, operator: Tracker
) -> None:
    events = [{"x": i / 10, "y": 0.5, "event": "foul"} for i in range(5)]
    assert post(client, operator.results_token, events).json()["last_seq"] == 5
    with tablets.websocket_connect(f"{STREAM}?after=3") as socket:
        assert [receive(socket)["seq"] for _ in range(2)] == [4, 5]
        post(client, operator.results_token, [{"x": 1, "y": 1, "event": "serve"}])
        assert receive(socket)["seq"] == 6
    with tablets.websocket_connect(STREAM) as socket:
        newest = receive(socket)
        assert (newest["seq"], newest["event"]) == (6, "serve")


def test_a_resume_from_beyond_the_kept_frames_says_there_is_a_gap(
    tablets: Tablets, app: FastAPI, client: httpx.Client, operator: Tracker
) -> None:
    app.state.tactile_hub = TactileHub(memory=3)
    events = [{"x": 0.5, "y": 0.5, "event": "point"} for _ in range(6)]
    post(client, operator.results_token, events)
    with tablets.websocket_connect(f"{STREAM}?after=1") as socket:
        assert receive(socket) == {"type": "gap", "after": 1, "resumed": 4}
        assert [receive(socket)["seq"] for _ in range(3)] == [4, 5, 6]


def test_a_silent_stream_sends_keep_alive_frames(
    tablets: Tablets, app: FastAPI, client: httpx.Client
) -> None:
    app.state.tactile_keep_alive_s = 0.05
    try:
        with tablets.websocket_connect(STREAM) as socket:
            assert receive(socket) == {"type": "keep-alive"}
    finally:
        del app.state.tactile_keep_alive_s


@pytest.mark.parametrize(
    ("query", "code"),
    [
        (f"/feed/tactile/{MARATHON}", "tactile_sport_unsupported"),
        ("/feed/tactile/NOPE", "unit_not_found"),
        (f"{STREAM}?after=-1", "bad_last_event_id"),
    ],
)
def test_a_bad_stream_request_gets_an_error_frame_and_1008(
    tablets: Tablets, client: httpx.Client, query: str, code: str
) -> None:
    with tablets.websocket_connect(query) as socket:
        assert receive(socket)["error"] == code
        with pytest.raises(ConnectionClosed) as closed:
            socket.recv(timeout=10)
    assert closed.value.rcvd is not None
    assert closed.value.rcvd.code == 1008


def test_a_slow_subscriber_is_cut_and_told_to_resume() -> None:
    async def scenario() -> None:
        hub = TactileHub(queue_size=2)
        stream = hub.subscribe(FOOTBALL_FINAL)
        waiting = asyncio.ensure_future(anext(stream))
        await asyncio.sleep(0)
        for i in range(5):
            hub.publish(FOOTBALL_FINAL, [FrameInput(x=0.1, y=0.1, event="foul", t=i)])
        assert json.loads(await waiting)["seq"] == 1
        with pytest.raises(TactileSlowSubscriberError):
            await anext(stream)

    asyncio.run(scenario())


def test_a_tablet_behind_gets_every_event_and_only_the_newest_position() -> None:
    async def scenario() -> list[dict[str, object]]:
        hub = TactileHub()
        stream = hub.subscribe(FOOTBALL_FINAL)
        first = asyncio.ensure_future(anext(stream))
        await asyncio.sleep(0)
        kinds = [None, None, "shot", None, None]
        frames = [
            TactileFrame(rsc=FOOTBALL_FINAL, seq=0, t=i, x=i / 10, y=0.5, event=kind)  # type: ignore[arg-type]
            for i, kind in enumerate(kinds)
        ]
        hub.publish_timed(FOOTBALL_FINAL, frames)
        return [json.loads(await first), json.loads(await anext(stream))]

    received = asyncio.run(scenario())
    assert [(f["seq"], f.get("event")) for f in received] == [(3, "shot"), (5, None)]


def test_posting_needs_an_operator(client: httpx.Client) -> None:
    answer = client.post(FRAMES, json=[{"x": 0.5, "y": 0.5}])
    assert answer.status_code == 401


def test_posting_needs_the_results_scope_of_the_discipline(
    client: httpx.Client, operator: Tracker
) -> None:
    refused = post(client, operator.unrelated_token, [{"x": 0.5, "y": 0.5}])
    assert (refused.status_code, refused.json()["error"]) == (403, "tactile_permission_missing")
    assert post(client, operator.football_token, [{"x": 0.5, "y": 0.5}]).status_code == 200


def test_a_staff_session_posts_with_its_csrf_token_and_a_tracking_role(
    client: httpx.Client, planes: Planes, operator: Tracker, operators: dict[str, TestOperator]
) -> None:
    with planes.sovereign_session() as session:
        csrf = session_principal(session, operator.cookie).csrf_token
        admin = open_web_session(session, find_operator(session, "eu-admin"), "security")
        admin_csrf = session_principal(session, admin).csrf_token
    assert csrf is not None
    assert admin_csrf is not None
    cookie = {"Cookie": f"podium_session={operator.cookie}"}
    frame = [{"x": 0.5, "y": 0.5}]
    refused = client.post(FRAMES, json=frame, headers=cookie)
    assert (refused.status_code, refused.json()["error"]) == (403, "csrf_refused")
    accepted = client.post(FRAMES, json=frame, headers={**cookie, "X-CSRF-Token": csrf})
    assert accepted.status_code == 200, accepted.text
    not_tracker = client.post(
        FRAMES,
        json=frame,
        headers={"Cookie": f"podium_session={admin}", "X-CSRF-Token": admin_csrf},
    )
    assert (not_tracker.status_code, not_tracker.json()["error"]) == (
        403,
        "tactile_permission_missing",
    )
    assert "eu-admin" in operators


def test_a_position_off_the_area_is_refused_and_nothing_is_sent(
    app: FastAPI, client: httpx.Client, operator: Tracker
) -> None:
    frames = [{"x": 0.5, "y": 0.5}, {"x": 1.2, "y": 0.5}]
    refused = post(client, operator.results_token, frames)
    assert refused.status_code == 422
    body = refused.json()
    assert body["error"] == "position_out_of_range"
    assert body["detail"].startswith("frames[1].x: 1.2 is outside the playing area")
    assert app.state.tactile_hub.channel(FOOTBALL_FINAL).last_seq == 0


@pytest.mark.parametrize(
    ("rsc", "status", "code"),
    [(MARATHON, 422, "tactile_sport_unsupported"), ("X" * 34, 404, "unit_not_found")],
)
def test_only_units_with_a_ball_take_frames(
    client: httpx.Client, operator: Tracker, rsc: str, status: int, code: str
) -> None:
    answer = post(client, operator.results_token, [{"x": 0, "y": 0}], f"/api/tactile/{rsc}/frames")
    assert (answer.status_code, answer.json()["error"]) == (status, code)


def test_play_by_play_is_converted_and_streamed(
    tablets: Tablets, client: httpx.Client, operator: Tracker
) -> None:
    actions = [
        {"time": "00:00", "action": "kick-off", "x": 0.5, "y": 0.5, "side": "FRA"},
        {"time": "00:00.02", "action": "pass", "x": 0.6, "y": 0.5},
        {"time": "00:00.03", "action": "pass", "x": 0.7, "y": 0.5},
        {"time": 11.0, "action": "goal", "x": 0.99, "y": 0.5},
    ]
    url = f"/api/tactile/{FOOTBALL_FINAL}/play-by-play"
    answer = post(client, operator.results_token, actions, url)
    assert answer.json() == {"sent": [1, 2, 3], "last_seq": 3}, answer.text
    with tablets.websocket_connect(f"{STREAM}?after=0") as socket:
        received = [receive(socket) for _ in range(3)]
    assert [(f["t"], f.get("event"), f["x"]) for f in received] == [
        (0, "period_start", 0.5),
        (30, None, 0.7),  # the latest of the two passes within 40 ms
        (11000, "goal", 0.99),
    ]
    assert received[2]["score"] == [["FRA", 1]]
    bad = post(client, operator.results_token, [{**actions[0], "action": "dunk"}], url)
    assert (bad.status_code, bad.json()["error"]) == (422, "tactile_input_invalid")
