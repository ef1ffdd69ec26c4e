"""The public ODF feed under `/feed/`: live streams (SSE, WebSocket) and the archive.

Results are public, so none of these routes asks for an operator.

- `GET /feed/stream`: Server-Sent Events. Each message is an event `odf` whose id is its
  sequence number and whose data is one JSON line (`FeedFrame`); the stream opens with a
  `retry:` hint, and FastAPI's `EventSourceResponse` sends a `: ping` comment after 15 s
  of silence. A browser's `EventSource` resumes by itself with `Last-Event-ID`; any
  client may also pass `?last_event_id=` (the header wins: it is the newer position).
  The client must accept `text/event-stream` (406 otherwise: the response never ends).
- `WS /feed/ws`: the same frames, filters and `?last_event_id=`, with a
  `{"type": "keep-alive"}` frame after 15 s of silence.
- `GET /feed/messages`: the archive (the ODF "backup site"), searched by LogicalDate,
  DocumentCode, DocumentType, Version and discipline; `GET /feed/messages/{seq}`: one
  message's XML bytes exactly as sent.

A subscriber that falls too far behind is disconnected (`SlowSubscriberError`): the SSE
stream ends with a comment, the WebSocket sends `{"type": "resume", "last_event_id": n}`
and closes with 1013; both resume from their last event without gaps or repeats.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator, Callable, Coroutine
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Header, Path, Query, Request, WebSocket
from fastapi.responses import JSONResponse, Response
from fastapi.routing import APIRoute
from fastapi.sse import EventSourceResponse, ServerSentEvent
from starlette.websockets import WebSocketDisconnect, WebSocketState

from podium.api.feed_frames import (
    DOCUMENT_TYPE_PATTERN,
    EventStreamNotAcceptedError,
    FeedMessagePublic,
    StreamRequest,
    accepts_event_stream,
    frame_json,
    parse_flag,
    parse_position,
    public_message,
    stream_topic,
)
from podium.core.db import Planes
from podium.core.errors import InvalidInputError, NotFoundError
from podium.diffusion.broker import FeedBroker, SlowSubscriberError
from podium.diffusion.log import find_messages
from podium.diffusion.models import FeedMessage
from podium.web.deps import GamesSession

__all__ = ["KEEP_ALIVE_S", "RETRY_MS", "router"]

RETRY_MS = 2000
"""The reconnection delay a stream asks of `EventSource`, milliseconds."""

KEEP_ALIVE_S = 15.0
"""Seconds of silence after which a WebSocket gets a keep-alive frame (the app may set
`app.state.feed_keep_alive_s` to another value, as the tests do)."""

_KEEP_ALIVE = '{"type":"keep-alive"}'
_TRY_AGAIN_LATER = 1013  # WebSocket close code (RFC 6455 registry): resume shortly
_POLICY_VIOLATION = 1008


class FeedRoute(APIRoute):
    """A feed route: a refused `Accept` becomes a 406 in Podium's error shape."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        """Wrap the route handler so that `EventStreamNotAcceptedError` answers 406."""
        handler = super().get_route_handler()

        async def feed_handler(request: Request) -> Response:
            try:
                return await handler(request)
            except EventStreamNotAcceptedError as error:
                body = {"error": error.code, "detail": str(error)}
                return JSONResponse(body, status_code=406)

        return feed_handler


router = APIRouter(prefix="/feed", tags=["feed"], route_class=FeedRoute)


def _event_stream_accepted(accept: Annotated[str | None, Header()] = None) -> None:
    if not accepts_event_stream(accept):
        msg = "this stream never ends: ask for it with the header 'Accept: text/event-stream'"
        raise EventStreamNotAcceptedError(msg)


def _stream_request(  # noqa: PLR0913 - the stream's documented query and header fields
    request: Request,
    *,
    discipline: Annotated[
        list[str] | None, Query(description="Discipline codes (`ATH`); `---`: Games-wide.")
    ] = None,
    document_type: Annotated[
        list[str] | None, Query(description="DocumentTypes (`DT_RESULT`).")
    ] = None,
    compact: Annotated[bool, Query(description="Leave the XML out of the frames.")] = False,
    last_event_id: Annotated[
        int | None, Query(ge=0, description="Resume after this sequence number.")
    ] = None,
    last_event_id_header: Annotated[int | None, Header(alias="Last-Event-ID", ge=0)] = None,
) -> StreamRequest:
    # The position is fixed before the response starts: whatever the feed sends once the
    # client holds the response reaches it, even when it gave no id.
    broker: FeedBroker = request.app.state.diffusion.broker
    start = broker.last_seq
    planes: Planes = request.app.state.planes
    with planes.games_session() as session:
        topic = stream_topic(session, discipline or [], document_type or [])
    given = last_event_id_header if last_event_id_header is not None else last_event_id
    return StreamRequest(topic, start if given is None else given, compact)


@router.get(
    "/stream",
    response_class=EventSourceResponse,
    dependencies=[Depends(_event_stream_accepted)],
)
async def stream(
    request: Request, wanted: Annotated[StreamRequest, Depends(_stream_request)]
) -> AsyncIterator[ServerSentEvent]:
    """Stream the feed as Server-Sent Events, from `Last-Event-ID` or from now.

    Each event: `id: <seq>`, `event: odf`, `data: <FeedFrame as one JSON line>`.

    Raises:
        InvalidInputError: `unknown_discipline`, `bad_document_type`, `too_many_filters`
            (422); a malformed `last_event_id` is `invalid_request` (422).
        EventStreamNotAcceptedError: `event_stream_not_accepted` (406).

    """
    broker: FeedBroker = request.app.state.diffusion.broker
    yield ServerSentEvent(retry=RETRY_MS, comment="podium feed")
    try:
        async for event in broker.subscribe(wanted.topic, wanted.after):
            data = frame_json(event, compact=wanted.compact)
            yield ServerSentEvent(id=str(event.seq), event="odf", raw_data=data)
    except SlowSubscriberError:
        yield ServerSentEvent(comment="too slow: reconnect with Last-Event-ID to resume")


class OneWaySocket:
    """One WebSocket's sending side: one frame at a time, keep-alive after silence.

    Shared by the feed's and the tactile stream's sockets; what a client sends is ignored.

    Args:
        websocket: the accepted socket.
        keep_alive_s: seconds of silence after which `keep_alive_frame` is sent.
        keep_alive_frame: the keep-alive text frame.

    """

    def __init__(
        self, websocket: WebSocket, keep_alive_s: float, keep_alive_frame: str = _KEEP_ALIVE
    ) -> None:
        """Hold the socket; nothing is sent yet."""
        self.websocket = websocket
        self.keep_alive_s = keep_alive_s
        self.keep_alive_frame = keep_alive_frame
        self.lock = asyncio.Lock()
        self.last_sent = time.monotonic()

    async def send(self, frame: str) -> None:
        """Send one text frame (frames never interleave)."""
        async with self.lock:
            await self.websocket.send_text(frame)
            self.last_sent = time.monotonic()

    async def keep_alive(self) -> None:
        """Send the keep-alive frame after each `keep_alive_s` of silence, until cancelled."""
        while True:
            idle = time.monotonic() - self.last_sent
            if idle >= self.keep_alive_s:
                await self.send(self.keep_alive_frame)
            else:
                await asyncio.sleep(self.keep_alive_s - idle)

    async def until_closed(self) -> None:
        """Return when the client disconnects."""
        while (await self.websocket.receive())["type"] != "websocket.disconnect":
            pass  # what a client sends is ignored; the stream is one-way


class _Socket(OneWaySocket):
    """A feed WebSocket: the broker's frames for one topic."""

    async def forward(self, broker: FeedBroker, wanted: StreamRequest) -> None:
        seen = wanted.after
        try:
            async for event in broker.subscribe(wanted.topic, seen):
                await self.send(frame_json(event, compact=wanted.compact))
                seen = event.seq
        except SlowSubscriberError:
            await self.send(f'{{"type":"resume","last_event_id":{seen}}}')
            await self.websocket.close(_TRY_AGAIN_LATER, "slow_subscriber")


def _socket_request(planes: Planes, websocket: WebSocket, start: int) -> StreamRequest:
    query = websocket.query_params
    compact = parse_flag("compact", query.get("compact"))
    given = parse_position("last_event_id", query.get("last_event_id"))
    with planes.games_session() as session:
        topic = stream_topic(session, query.getlist("discipline"), query.getlist("document_type"))
    return StreamRequest(topic, start if given is None else given, compact)


@router.websocket("/ws")
async def socket(websocket: WebSocket) -> None:
    """Stream the feed over a WebSocket: the SSE stream's frames, filters and resume.

    Query: `discipline`, `document_type` (repeatable), `compact`, `last_event_id`. A bad
    query gets `{"type": "error", "error": <code>, "detail": ...}` and close code 1008.
    """
    broker: FeedBroker = websocket.app.state.diffusion.broker
    start = broker.last_seq  # before the handshake ends: see `_stream_request`
    await websocket.accept()
    try:
        wanted = await asyncio.to_thread(
            _socket_request, websocket.app.state.planes, websocket, start
        )
    except InvalidInputError as error:
        await websocket.send_json({"type": "error", "error": error.code, "detail": str(error)})
        await websocket.close(_POLICY_VIOLATION, error.code)
        return
    interval = float(getattr(websocket.app.state, "feed_keep_alive_s", KEEP_ALIVE_S))
    sender = _Socket(websocket, interval)
    tasks = {
        asyncio.create_task(sender.forward(broker, wanted)),
        asyncio.create_task(sender.keep_alive()),
        asyncio.create_task(sender.until_closed()),
    }
    try:
        await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        if websocket.application_state == WebSocketState.CONNECTED:
            with contextlib.suppress(WebSocketDisconnect, RuntimeError, OSError):
                await websocket.close()


@router.get("/messages")
def archive(  # noqa: PLR0913 - the archive's search fields (ODF "backup site")
    session: GamesSession,
    *,
    logical_date: date | None = None,
    document_code: Annotated[str | None, Query(min_length=1, max_length=34)] = None,
    document_type: Annotated[str | None, Query(pattern=DOCUMENT_TYPE_PATTERN)] = None,
    version: Annotated[int | None, Query(ge=1)] = None,
    discipline: Annotated[str | None, Query(min_length=3, max_length=3)] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 200,
) -> list[FeedMessagePublic]:
    """Search the feed log, newest first; each entry links to its XML (`href`).

    Raises:
        RequestValidationError: `invalid_request` (422) for a value out of its range.

    """
    found = find_messages(
        session,
        logical_date=logical_date,
        document_code=document_code,
        document_type=document_type,
        version=version,
        discipline=discipline,
        limit=limit,
    )
    return [public_message(event) for event in found]


@router.get("/messages/{seq}", response_class=Response)
def message(session: GamesSession, seq: Annotated[int, Path(ge=1)]) -> Response:
    """Return one message's XML bytes exactly as the feed sent them (`application/xml`).

    Raises:
        NotFoundError: `feed_message_not_found` (404).

    """
    row = session.get(FeedMessage, seq)
    if row is None:
        raise NotFoundError(f"no message {seq} in the feed log", code="feed_message_not_found")
    # A sequence number names one message for ever: the log is append-only.
    headers = {"Cache-Control": "public, max-age=31536000, immutable"}
    return Response(row.content, media_type="application/xml", headers=headers)
