"""The public feed over the network: SSE, WebSocket and the archive, on a real server.

Every test serves a private copy of the imported Paris 2024 node with uvicorn on the
loopback interface (the node's own feed engine and broker running in it), captures
results in its database as a venue would, and reads what the routes send with httpx or
the `websockets` client.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import connect

from podium.core.settings import Settings
from podium.diffusion.capture import UnitUpdate
from tests.diffusion.streaming import (
    CEREMONY_STARTS,
    CLOSING,
    EVENT_STREAM,
    FRAME_FIELDS,
    MARATHON,
    START_LIST,
    Node,
    Param,
    frame,
    http,
    open_stream,
    ranked,
    serve,
    ws_url,
)


@pytest.fixture
def node(sqlite_settings: Settings) -> Iterator[Node]:
    """A served private SQLite node."""
    with serve(sqlite_settings) as served:
        yield served


def test_a_captured_result_reaches_the_stream_with_its_id_and_exact_xml(
    live_settings: Settings,
) -> None:
    with serve(live_settings) as node, http(node) as client, open_stream(client) as stream:
        node.capture(MARATHON, START_LIST)
        fields, data = stream.message()
        seq = int(fields["id"])
        assert fields["event"] == "odf"
        assert set(data) == FRAME_FIELDS | {"xml"}
        assert data["seq"] == seq
        assert data["type"] == "odf"
        assert data["document_type"] == "DT_RESULT"
        assert data["document_code"] == MARATHON
        assert data["discipline"] == "ATH"
        assert data["result_status"] == "START_LIST"
        assert data["version"] == 1
        assert data["competition_code"] == "OG2024"
        assert data["invalidation"] is False
        assert data["href"] == f"/feed/messages/{seq}"
        assert isinstance(data["xml"], str)
        assert data["xml"].encode() == node.content(seq)
        raw = client.get(f"/feed/messages/{seq}")
        assert raw.headers["content-type"] == "application/xml"
        assert raw.content == node.content(seq)


def test_compact_frames_leave_the_xml_out(node: Node) -> None:
    with http(node) as client, open_stream(client, compact=1) as stream:
        node.capture(MARATHON, START_LIST)
        _fields, data = stream.message()
        assert set(data) == FRAME_FIELDS


def test_filters_pass_only_the_wanted_disciplines_and_document_types(node: Node) -> None:
    with (
        http(node) as client,
        open_stream(client, document_type="DT_PHASE_RESULT") as phases,
        open_stream(client, discipline=["CER", "SWM"]) as ceremonies,
        open_stream(client, discipline="ath", document_type=["dt_result"]) as lower_case,
    ):
        node.capture(MARATHON, START_LIST)
        node.settle()
        node.capture(MARATHON, ranked("UNOFFICIAL"))
        node.settle()
        node.capture(CLOSING, CEREMONY_STARTS)
        _fields, phase = phases.message()
        assert (phase["document_type"], phase["result_status"]) == ("DT_PHASE_RESULT", "UNOFFICIAL")
        _fields, ceremony = ceremonies.message()
        assert (ceremony["document_type"], ceremony["discipline"]) == ("DT_SCHEDULE_UPDATE", "CER")
        statuses = [lower_case.message()[1]["result_status"] for _ in range(2)]
        assert statuses == ["START_LIST", "UNOFFICIAL"]


def test_resuming_with_last_event_id_gives_exactly_the_missed_messages_in_order(
    node: Node,
) -> None:
    with http(node) as client:
        with open_stream(client) as stream:
            node.capture(MARATHON, START_LIST)
            seen = int(stream.message()[0]["id"])
        node.capture(MARATHON, ranked("UNOFFICIAL"))
        node.settle()
        node.capture(MARATHON, ranked("OFFICIAL"))
        node.settle()
        node.capture(CLOSING, CEREMONY_STARTS)
        newest = node.settle()
        missed = node.sent_after(seen)
        assert len(missed) >= 5
        assert missed[-1] == newest
        # The header is what EventSource sends on reconnecting; it wins over the address.
        with open_stream(client, headers={"Last-Event-ID": str(seen)}, last_event_id=0) as again:
            got = [int(again.message()[0]["id"]) for _ in missed]
            assert got == missed
            node.capture(CLOSING, UnitUpdate(schedule_status="FINISHED"))
            _fields, marker = again.message()
            assert marker["seq"] == newest + 1
            assert str(marker["document_code"]).startswith("CER")


def test_a_client_may_resume_from_the_address_alone(node: Node) -> None:
    node.capture(MARATHON, START_LIST)
    first = node.settle()
    node.capture(CLOSING, CEREMONY_STARTS)
    newest = node.settle()
    with http(node) as client, open_stream(client, last_event_id=first) as stream:
        assert int(stream.message()[0]["id"]) == newest


def test_a_slow_subscriber_is_cut_off_and_resumes_without_a_gap(node: Node) -> None:
    node.capture(MARATHON, START_LIST)
    node.settle()
    node.capture(MARATHON, ranked("UNOFFICIAL"))
    seen = node.settle()
    # A queue of two: the OFFICIAL pass (result, phase result, medals) overflows it.
    node.app.state.diffusion.broker.queue_size = 2
    with http(node) as client:
        with open_stream(client, last_event_id=seen) as stream:
            node.subscribed()
            node.capture(MARATHON, ranked("OFFICIAL"))
            before, comments = stream.rest()
        assert "reconnect with Last-Event-ID" in comments
        missed = node.sent_after(seen)
        assert len(before) < len(missed)
        assert before == missed[: len(before)]
        node.app.state.diffusion.broker.queue_size = 2000
        resume = str(before[-1] if before else seen)
        with open_stream(client, headers={"Last-Event-ID": resume}) as again:
            after = [int(again.message()[0]["id"]) for _ in missed[len(before) :]]
    assert before + after == missed


def test_a_closed_stream_releases_its_subscription(node: Node) -> None:
    broker = node.app.state.diffusion.broker
    with http(node) as client:
        with open_stream(client):
            node.subscribed(1)
        node.subscribed(0)
    assert not broker.subscriptions


@pytest.mark.parametrize("accept", [None, "*/*", "text/*", "text/event-stream;q=0"])
def test_the_endless_stream_is_served_only_to_clients_that_ask_for_it(
    node: Node, accept: str | None
) -> None:
    headers = {"Accept": accept} if accept else {}
    with http(node) as client:
        response = client.get("/feed/stream", headers=headers)
    assert response.status_code == 406
    assert response.json()["error"] == "event_stream_not_accepted"


@pytest.mark.parametrize(
    ("params", "headers", "code", "where"),
    [
        ({"discipline": "XYZ"}, {}, "unknown_discipline", None),
        ({"discipline": "ATHL"}, {}, "unknown_discipline", None),
        ({"document_type": "RESULT"}, {}, "bad_document_type", None),
        ({"document_type": ["DT_RESULT"] * 101}, {}, "too_many_filters", None),
        ({"last_event_id": "-1"}, {}, "invalid_request", "query.last_event_id"),
        ({"last_event_id": "ten"}, {}, "invalid_request", "query.last_event_id"),
        ({}, {"Last-Event-ID": "x1"}, "invalid_request", "header.Last-Event-ID"),
        ({"compact": "perhaps"}, {}, "invalid_request", "query.compact"),
    ],
)
def test_bad_stream_requests_are_refused_with_422_and_a_code(
    node: Node, params: dict[str, Param], headers: dict[str, str], code: str, where: str | None
) -> None:
    with http(node) as client:
        response = client.get("/feed/stream", params=params, headers={**EVENT_STREAM, **headers})
    assert response.status_code == 422
    body = response.json()
    assert body["error"] == code
    if where is not None:
        assert [d["where"] for d in body["detail"]] == [where]


def test_archive_search_finds_messages_and_links_their_exact_bytes(node: Node) -> None:
    node.capture(MARATHON, START_LIST)
    node.settle()
    node.capture(MARATHON, ranked("UNOFFICIAL"))
    node.settle()
    node.capture(MARATHON, ranked("OFFICIAL"))
    node.settle()
    with http(node) as client:
        found = client.get("/feed/messages", params={"document_code": MARATHON}).json()
        assert [m["version"] for m in found] == [3, 2, 1]
        assert [m["result_status"] for m in found] == ["OFFICIAL", "UNOFFICIAL", "START_LIST"]
        assert set(found[0]) == FRAME_FIELDS - {"type"}
        for entry in found:
            raw = client.get(entry["href"])
            assert raw.status_code == 200
            assert raw.headers["content-type"] == "application/xml"
            assert raw.content == node.content(entry["seq"])
        second = client.get(
            "/feed/messages", params={"document_code": MARATHON, "version": 2}
        ).json()
        assert [m["seq"] for m in second] == [found[1]["seq"]]
        medals = client.get("/feed/messages", params={"document_type": "DT_MEDALS"}).json()
        assert [m["discipline"] for m in medals] == ["---"]
        by_day = client.get(
            "/feed/messages",
            params={"logical_date": found[0]["logical_date"], "discipline": "ATH", "limit": 1},
        ).json()
        assert len(by_day) == 1
        assert by_day[0]["discipline"] == "ATH"
        assert client.get("/feed/messages", params={"discipline": "SWM"}).json() == []


@pytest.mark.parametrize(
    ("params", "where"),
    [
        ({"limit": 1001}, "query.limit"),
        ({"limit": 0}, "query.limit"),
        ({"version": 0}, "query.version"),
        ({"document_type": "result"}, "query.document_type"),
        ({"logical_date": "2024-13-01"}, "query.logical_date"),
        ({"document_code": "X" * 35}, "query.document_code"),
        ({"discipline": "ATHL"}, "query.discipline"),
    ],
)
def test_bad_archive_searches_are_refused_with_422_naming_the_field(
    node: Node, params: dict[str, Param], where: str
) -> None:
    with http(node) as client:
        response = client.get("/feed/messages", params=params)
    assert response.status_code == 422
    assert response.json()["error"] == "invalid_request"
    assert [d["where"] for d in response.json()["detail"]] == [where]


def test_an_unknown_message_is_a_404_with_its_code_and_a_bad_number_a_422(node: Node) -> None:
    with http(node) as client:
        missing = client.get("/feed/messages/999999")
        assert missing.status_code == 404
        assert missing.json()["error"] == "feed_message_not_found"
        for bad in ("0", "abc", "-3"):
            response = client.get(f"/feed/messages/{bad}")
            assert response.status_code == 422, bad
            assert response.json()["error"] == "invalid_request"


def test_the_websocket_sends_the_streams_frames(node: Node) -> None:
    with connect(ws_url(node)) as socket:
        node.capture(MARATHON, START_LIST)
        full = frame(socket)
    seq = full["seq"]
    assert isinstance(seq, int)
    assert set(full) == FRAME_FIELDS | {"xml"}
    assert isinstance(full["xml"], str)
    assert full["xml"].encode() == node.content(seq)
    with (
        http(node) as client,
        open_stream(client, last_event_id=seq - 1) as stream,
        connect(ws_url(node, f"last_event_id={seq - 1}")) as socket,
    ):
        assert json.loads(stream.message()[0]["data"]) == full == frame(socket)


def test_the_websocket_filters_and_resumes_without_gaps_or_repeats(node: Node) -> None:
    with connect(ws_url(node, "compact=1&document_type=DT_RESULT")) as socket:
        node.capture(MARATHON, START_LIST)
        first = frame(socket)
        assert "xml" not in first
        assert first["document_type"] == "DT_RESULT"
    seen = first["seq"]
    assert isinstance(seen, int)
    node.capture(MARATHON, ranked("UNOFFICIAL"))
    node.settle()
    node.capture(CLOSING, CEREMONY_STARTS)
    newest = node.settle()
    missed = node.sent_after(seen)
    with connect(ws_url(node, f"last_event_id={seen}")) as socket:
        assert [frame(socket)["seq"] for _ in missed] == missed
        node.capture(CLOSING, UnitUpdate(schedule_status="FINISHED"))
        assert frame(socket)["seq"] == newest + 1


def test_an_idle_websocket_gets_keep_alive_frames(node: Node) -> None:
    node.app.state.feed_keep_alive_s = 0.3
    with connect(ws_url(node)) as socket:
        node.subscribed(1)
        assert frame(socket) == {"type": "keep-alive"}
        assert frame(socket) == {"type": "keep-alive"}
    node.subscribed(0)  # a closed socket leaves the broker


def test_a_slow_websocket_is_told_where_to_resume_and_closed(node: Node) -> None:
    node.capture(MARATHON, START_LIST)
    node.settle()
    node.capture(MARATHON, ranked("UNOFFICIAL"))
    seen = node.settle()
    node.app.state.diffusion.broker.queue_size = 2
    with connect(ws_url(node, f"last_event_id={seen}")) as socket:
        node.subscribed()
        node.capture(MARATHON, ranked("OFFICIAL"))
        before: list[object] = []
        while (got := frame(socket))["type"] == "odf":
            before.append(got["seq"])
        assert got == {"type": "resume", "last_event_id": before[-1] if before else seen}
        with pytest.raises(ConnectionClosed) as closed:
            socket.recv(timeout=10)
    assert closed.value.rcvd is not None
    assert (closed.value.rcvd.code, closed.value.rcvd.reason) == (1013, "slow_subscriber")
    missed = node.sent_after(seen)
    node.app.state.diffusion.broker.queue_size = 2000
    with connect(ws_url(node, f"last_event_id={got['last_event_id']}")) as socket:
        after = [frame(socket)["seq"] for _ in missed[len(before) :]]
    assert before + after == missed


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ("discipline=XYZ", "unknown_discipline"),
        ("document_type=RESULT", "bad_document_type"),
        ("last_event_id=-1", "bad_last_event_id"),
        ("compact=perhaps", "bad_flag"),
    ],
)
def test_a_bad_websocket_query_gets_an_error_frame_and_1008(
    node: Node, query: str, code: str
) -> None:
    with connect(ws_url(node, query)) as socket:
        error = frame(socket)
        assert error["type"] == "error"
        assert error["error"] == code
        with pytest.raises(ConnectionClosed) as closed:
            socket.recv(timeout=10)
    assert closed.value.rcvd is not None
    assert (closed.value.rcvd.code, closed.value.rcvd.reason) == (1008, code)
