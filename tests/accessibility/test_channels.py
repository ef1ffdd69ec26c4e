"""The description channels of a served node: JSON history, SSE stream, resume, audio.

The men's 100 m final is replayed on the node step by step, each step sent by the node's
own feed engine before the next, as a venue would capture it.
"""

from __future__ import annotations

import io
import wave

import httpx

from podium.accessibility import DescriptionService
from podium.core.settings import Settings
from tests.accessibility.described import FINAL, replay_on
from tests.diffusion.streaming import EVENT_STREAM, EventStream, http, serve

KINDS = ["status", "start", "standings", "leader_change", "result", "status", "medal"]


def read_descriptions(stream: EventStream, count: int) -> list[dict[str, object]]:
    """Read `count` description events; return their data with the event id checked."""
    found = []
    for _ in range(count):
        fields, data = stream.message()
        assert fields["event"] == "description"
        assert fields["id"] == data["id"]
        found.append(data)
    return found


def open_descriptions(
    client: httpx.Client, headers: dict[str, str] | None = None, **params: str
) -> httpx.Response:
    """Open a description stream; the caller closes the response."""
    request = client.build_request("GET", "/feed/descriptions", params=params)
    request.headers.update({**EVENT_STREAM, **(headers or {})})
    return client.send(request, stream=True)


def test_a_unit_channel_streams_history_and_audio_of_the_final(live_settings: Settings) -> None:
    with serve(live_settings) as node, http(node) as client:
        assert client.get(f"/api/units/{FINAL}/descriptions").json() == []
        response = open_descriptions(client, unit=FINAL, lang="fr")
        try:
            assert response.status_code == 200
            stream = EventStream(response)
            assert stream.event() == {"comment": "podium descriptions", "retry": "2000"}
            replay_on(node)
            live = read_descriptions(stream, len(KINDS))
        finally:
            response.close()
        assert [d["kind"] for d in live] == KINDS
        assert {d["lang"] for d in live} == {"fr"}
        result = live[4]
        assert "Noah Lyles, États-Unis s'impose en 9,79 secondes" in str(result["text"])
        history = client.get(f"/api/units/{FINAL}/descriptions").json()
        assert [h["id"] for h in history] == [d["id"] for d in live]
        assert "Noah Lyles, United States wins in 9.79 seconds" in history[4]["text_en"]
        venue = history[0]["venue"]
        in_venue = client.get(f"/api/venues/{venue}/descriptions").json()
        assert [h["id"] for h in in_venue] == [d["id"] for d in live]
        # Resume after the result: the rest comes from the channel's history.
        response = open_descriptions(client, {"Last-Event-ID": str(result["id"])}, unit=FINAL)
        try:
            stream = EventStream(response)
            stream.event()
            rest = read_descriptions(stream, 2)
        finally:
            response.close()
        assert [d["kind"] for d in rest] == ["status", "medal"]
        assert str(rest[1]["text"]).startswith("Medals, Men's 100m: gold, Noah Lyles")
        assert_audio(client, str(result["audio"]))
        assert_playlist(client, str(result["audio"]))


def assert_audio(client: httpx.Client, href: str) -> None:
    """The audio link answers a playable WAV; an unknown description is a 404."""
    response = client.get(href)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "audio/wav"
    with wave.open(io.BytesIO(response.content)) as audio:
        assert audio.getnchannels() == 1
        assert audio.getnframes() > audio.getframerate()  # more than a second
    missing = client.get(f"/api/units/{FINAL}/descriptions/999999/0.en.wav")
    assert missing.status_code == 404
    assert missing.json()["error"] == "description_not_found"


def assert_playlist(client: httpx.Client, href: str) -> None:
    """The playlist lists the channel's latest audio files."""
    response = client.get("/feed/descriptions/playlist.m3u", params={"unit": FINAL, "lang": "fr"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("audio/x-mpegurl")
    lines = response.text.splitlines()
    assert lines[0] == "#EXTM3U"
    assert href in lines


def test_a_node_without_speech_says_so_and_still_describes(live_settings: Settings) -> None:
    with serve(live_settings) as node, http(node) as client:
        state = node.app.state
        state.descriptions = DescriptionService(state.diffusion.broker, state.planes, None)
        assert client.get(f"/api/units/{FINAL}/descriptions").json() == []
        replay_on(node)
        history = client.get(f"/api/units/{FINAL}/descriptions").json()
        assert [h["kind"] for h in history] == KINDS
        response = client.get(history[4]["audio_en"])
        assert response.status_code == 503
        assert response.json()["error"] == "speech_unavailable"
        assert client.get("/feed/descriptions", params={"unit": FINAL}).status_code == 406
        both = client.get("/feed/descriptions", params={}, headers=EVENT_STREAM)
        assert both.status_code == 422
        assert client.get("/api/units/NOPE/descriptions").json()["error"] == "unit_not_found"
