"""Helpers of the feed stream tests: a served node, an SSE reader, WebSocket frames.

A served node is a private copy of the imported Paris 2024 node run by uvicorn on the
loopback interface with its own feed engine and broker; captures are written to its
database as a venue would, and the engine is woken as the capture API does.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import func, select
from websockets.sync.connection import Connection

from podium.api import create_app
from podium.core.db import Planes
from podium.core.settings import Settings
from podium.diffusion.capture import CompetitorResult, UnitUpdate, capture
from podium.diffusion.log import find_messages, read_after
from podium.diffusion.models import FeedMessage, FeedOutbox
from podium.odf import ResultStatus
from podium.web.i18n import Lang, language
from tests.web.browsing import live_server

NOW = datetime(2024, 8, 11, 10, 0, tzinfo=UTC)
MARATHON = "ATHMMARATHON----------FNL-000100--"
"""The men's marathon final: a medal unit the bundled results stop before."""
CLOSING = "CER-CLOSING-----------------------"
"""The closing ceremony, still SCHEDULED in the bundled data."""
EVENT_STREAM = {"Accept": "text/event-stream"}
Param = str | int | list[str]
FRAME_FIELDS = {
    "type",
    "seq",
    "competition_code",
    "document_code",
    "document_subcode",
    "document_type",
    "document_subtype",
    "version",
    "feed_flag",
    "result_status",
    "logical_date",
    "discipline",
    "invalidation",
    "sent_at",
    "href",
}
RUNNERS = [
    CompetitorResult(competitor_code="1901276", competitor_name="HARVEY Jack", noc="BER"),
    CompetitorResult(competitor_code="1550831", competitor_name="GRESHAM Zackary", noc="GRN"),
    CompetitorResult(competitor_code="1911100", competitor_name="KPADE Alexis", noc="BEN"),
]


def ranked(status: ResultStatus) -> UnitUpdate:
    """The marathon's three runners ranked, at a ResultStatus."""
    lines = [
        r.model_copy(update={"rank": i, "result": f"2:0{i}:00"}) for i, r in enumerate(RUNNERS, 1)
    ]
    return UnitUpdate(result_status=status, results=lines)


START_LIST = UnitUpdate(result_status="START_LIST", results=RUNNERS)
CEREMONY_STARTS = UnitUpdate(schedule_status="RUNNING")


@dataclass
class Node:
    """A served node: its base URL and its application (planes, feed, broker)."""

    url: str
    app: FastAPI

    @property
    def planes(self) -> Planes:
        """The node's open planes."""
        planes: Planes = self.app.state.planes
        return planes

    def capture(self, unit: str, update: UnitUpdate) -> None:
        """Capture an update as a venue would, then wake the feed engine."""
        with self.planes.games_session() as session:
            capture(session, unit, update, NOW)
        self.app.state.diffusion.captured()

    def settle(self) -> int:
        """Wait until the engine has sent every captured document; return the newest seq."""
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            with self.planes.games_session() as session:
                queued = session.scalar(select(func.count()).select_from(FeedOutbox))
                newest = session.scalar(select(func.max(FeedMessage.seq))) or 0
            if not queued:
                return newest
            time.sleep(0.05)
        pytest.fail("the feed engine did not send the captured documents within 10 s")

    def subscribed(self, count: int = 1) -> None:
        """Wait until the broker holds `count` subscriptions (a stream has subscribed)."""
        broker = self.app.state.diffusion.broker
        deadline = time.monotonic() + 5
        while len(broker.subscriptions) != count:
            if time.monotonic() > deadline:
                pytest.fail(f"{len(broker.subscriptions)} subscriptions, not {count}, after 5 s")
            time.sleep(0.02)

    def sent_after(self, seq: int) -> list[int]:
        """The sequence numbers the log holds after `seq`, in order."""
        with self.planes.games_session() as session:
            return [e.seq for e in read_after(session, seq, limit=1000)]

    def sent_at(self, document_type: str, code: str, lang: Lang) -> str:
        """When the newest message of a document was sent, as the pages print it."""
        with self.planes.games_session() as session:
            newest = find_messages(session, document_type=document_type, document_code=code)
        assert newest, f"no {document_type} {code} in the feed log"
        return language(lang).local_time(newest[0].sent_at)

    def content(self, seq: int) -> bytes:
        """A message's bytes as the log holds them."""
        with self.planes.games_session() as session:
            row = session.get(FeedMessage, seq)
            assert row is not None
            return row.content


@contextmanager
def serve(settings: Settings) -> Iterator[Node]:
    """Serve a node's application with uvicorn on a free loopback port."""
    app = create_app(settings)
    with live_server(app) as url:
        yield Node(url, app)


class EventStream:
    """Reads Server-Sent Events from an open response, one event at a time."""

    def __init__(self, response: httpx.Response) -> None:
        """Read from `response` (a streamed `text/event-stream`)."""
        self.lines = response.iter_lines()

    def event(self) -> dict[str, str]:
        """Return the next event's fields (comments under `comment`); fail at the end."""
        fields: dict[str, str] = {}
        for line in self.lines:
            if not line:
                if fields:
                    return fields
                continue
            name, _, value = line.partition(":")
            value = value.removeprefix(" ")
            key = name or "comment"
            fields[key] = f"{fields[key]}\n{value}" if key in fields else value
        raise EOFError("the stream ended")

    def message(self) -> tuple[dict[str, str], dict[str, object]]:
        """Return the next `odf` event and its parsed data, skipping comments and hints."""
        while True:
            fields = self.event()
            if "data" in fields:
                return fields, json.loads(fields["data"])

    def rest(self) -> tuple[list[int], str]:
        """Read to the end of the stream; return the event ids and the comments seen."""
        ids: list[int] = []
        comments: list[str] = []
        try:
            while True:
                fields = self.event()
                if "id" in fields:
                    ids.append(int(fields["id"]))
                comments.append(fields.get("comment", ""))
        except EOFError:
            return ids, "\n".join(comments)


@contextmanager
def open_stream(
    client: httpx.Client, headers: dict[str, str] | None = None, **params: Param
) -> Iterator[EventStream]:
    """Open `/feed/stream` and read past its retry hint (the position is then fixed)."""
    with client.stream(
        "GET", "/feed/stream", params=params, headers={**EVENT_STREAM, **(headers or {})}
    ) as response:
        assert response.status_code == 200, response.read()
        assert response.headers["content-type"].startswith("text/event-stream")
        stream = EventStream(response)
        assert stream.event() == {"comment": "podium feed", "retry": "2000"}
        yield stream


def http(node: Node) -> httpx.Client:
    """An httpx client of the node; 10 s at most for any read."""
    return httpx.Client(base_url=node.url, timeout=10)


def ws_url(node: Node, query: str = "") -> str:
    """The node's WebSocket address, with a query string."""
    return node.url.replace("http://", "ws://") + "/feed/ws" + (f"?{query}" if query else "")


def frame(socket: Connection) -> dict[str, object]:
    """The next JSON frame (10 s at most)."""
    loaded: dict[str, object] = json.loads(socket.recv(timeout=10))
    return loaded
