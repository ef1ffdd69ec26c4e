"""The tactile stream's API (Vision Pad style): positions and key events of a unit.

- `WS /feed/tactile/{rsc}`: public and read-only, like the rest of `/feed/`. Each frame
  is one compact JSON line (`tactile_rules.frame_json`): `{"type":"frame","rsc":...,
  "seq":7,"t":65200,"x":0.5,"y":0.25,"side":"FRA","event":"goal","score":[["FRA",1],
  ["ESP",0]]}`. Without `?after=` the stream opens with the unit's newest frame; with
  `?after=<seq>` it resumes with the kept frames after it (a `{"type":"gap",...}` line
  first when some are gone). After 15 s of silence: `{"type":"keep-alive"}`. A tablet
  too slow to keep up gets `{"type":"resume","after":n}` and close code 1013; a bad
  query or unit gets `{"type":"error","error":<code>,"detail":...}` and close code 1008.
- `POST /api/tactile/{rsc}/frames`: a source's frames (a JSON list of `FrameInput`, at
  most 100), merged to 25 a second per unit; answers the sequence numbers sent now.
- `POST /api/tactile/{rsc}/play-by-play`: a play-by-play list (`tactile_play`),
  converted, merged on match time and sent at once.

Both posts need an operator allowed to track the unit (`tactile.may_track`: a token with
`results:unit:write` or `results:<discipline>:write`, or a staff session with a tracking
role); a staff session (the operator page) also sends its CSRF token in `X-CSRF-Token`.
"""

from __future__ import annotations

import asyncio
import contextlib
import secrets
from typing import Annotated, Any

from fastapi import APIRouter, Body, Path, Request, WebSocket
from pydantic import BaseModel
from starlette.websockets import WebSocketDisconnect, WebSocketState

from podium.accessibility import tactile, tactile_play, tactile_rules
from podium.api.feed_frames import parse_position
from podium.api.feed_routes import KEEP_ALIVE_S, OneWaySocket
from podium.core.db import Planes
from podium.core.errors import InvalidInputError, NotFoundError, PermissionDeniedError
from podium.games import queries
from podium.privacy.operators import Principal
from podium.web.auth import CurrentOperator

__all__ = ["CSRF_HEADER", "MAX_ACTIONS", "MAX_FRAMES", "TactilePublished", "router"]

router = APIRouter(tags=["tactile stream"])

CSRF_HEADER = "X-CSRF-Token"
"""The header in which a staff session's page sends its CSRF token with each post."""
MAX_FRAMES = 100
"""Frames in one post at most (four seconds of a unit at 25 a second)."""
MAX_ACTIONS = 20_000
"""Play-by-play actions in one post at most (a whole match, densely tracked)."""

_KEEP_ALIVE = '{"type":"keep-alive"}'
_TRY_AGAIN_LATER = 1013
_POLICY_VIOLATION = 1008

UnitCode = Annotated[str, Path(min_length=34, max_length=34, description="The unit's RSC")]


class TactilePublished(BaseModel):
    """What a post of frames did.

    Attributes:
        sent: the sequence numbers of the frames sent now, oldest first; the others were
            merged (the latest of them follows within 40 ms).
        last_seq: the unit's newest sequence number.

    """

    sent: list[int]
    last_seq: int


def _read_discipline(planes: Planes, rsc: str) -> str:
    with planes.games_session() as session:
        unit = queries.unit(session, rsc)
    tactile_rules.family_of(unit.discipline_code)
    return unit.discipline_code


async def _discipline(state: Any, rsc: str) -> str:
    """Return the discipline of a unit whose ball a tablet can follow (read once per unit).

    Raises:
        NotFoundError: `unit_not_found` (404).
        TactileSportError: `tactile_sport_unsupported` (422).

    """
    known = tactile.hub_of(state).disciplines
    found = known.get(rsc)
    if found is None:
        found = await asyncio.to_thread(_read_discipline, state.planes, rsc)
        known[rsc] = found
    return found


class CsrfRefusedError(PermissionDeniedError):
    """A staff session's post without the session's CSRF token."""

    code = "csrf_refused"


async def _tracker(request: Request, principal: Principal, rsc: str) -> tactile.TactileHub:
    if principal.scopes is None:
        expected = principal.csrf_token or ""
        given = request.headers.get(CSRF_HEADER, "")
        if not expected or not secrets.compare_digest(given.encode(), expected.encode()):
            raise CsrfRefusedError(f"a staff session's post needs its CSRF token in {CSRF_HEADER}")
    discipline = await _discipline(request.app.state, rsc)
    if not tactile.may_track(principal, discipline):
        raise PermissionDeniedError(
            f"operator {principal.username!r} may not track the ball of discipline {discipline}",
            code="tactile_permission_missing",
        )
    return tactile.hub_of(request.app.state)


@router.post("/api/tactile/{rsc}/frames")
async def post_frames(
    rsc: UnitCode,
    frames: Annotated[list[tactile_rules.FrameInput], Body(min_length=1, max_length=MAX_FRAMES)],
    principal: CurrentOperator,
    request: Request,
) -> TactilePublished:
    """Publish a source's frames of a unit to its tablets, at most 25 a second.

    Raises:
        AuthenticationError: no operator (401).
        PermissionDeniedError: `tactile_permission_missing`, `csrf_refused` (403).
        NotFoundError: `unit_not_found` (404).
        InvalidInputError: `position_out_of_range` (x or y outside 0..1),
            `tactile_input_invalid`, `tactile_sport_unsupported` (422); nothing is sent.

    """
    hub = await _tracker(request, principal, rsc)
    sent = hub.publish(rsc, frames)
    return TactilePublished(sent=sent, last_seq=hub.channel(rsc).last_seq)


@router.post("/api/tactile/{rsc}/play-by-play")
async def post_play_by_play(
    rsc: UnitCode,
    actions: Annotated[list[tactile_play.PlayAction], Body(min_length=1, max_length=MAX_ACTIONS)],
    principal: CurrentOperator,
    request: Request,
) -> TactilePublished:
    """Convert play-by-play actions (`tactile_play` format) and publish their frames.

    Raises:
        AuthenticationError: no operator (401).
        PermissionDeniedError: `tactile_permission_missing`, `csrf_refused` (403).
        NotFoundError: `unit_not_found` (404).
        InvalidInputError: `tactile_input_invalid` (unknown action, bad or decreasing
            time...), `position_out_of_range`, `tactile_sport_unsupported` (422).

    """
    hub = await _tracker(request, principal, rsc)
    frames = tactile_play.from_play_by_play(rsc, actions)
    sent = hub.publish_timed(rsc, frames)
    return TactilePublished(sent=sent, last_seq=hub.channel(rsc).last_seq)


class _Sender(OneWaySocket):
    """One tablet's socket: one line at a time, keep-alive after silence."""

    def __init__(self, websocket: WebSocket, keep_alive_s: float) -> None:
        """Hold the socket, with the tactile stream's keep-alive line."""
        super().__init__(websocket, keep_alive_s, _KEEP_ALIVE)

    async def forward(self, hub: tactile.TactileHub, rsc: str, after: int | None) -> None:
        seen = after or 0
        try:
            async for line in hub.subscribe(rsc, after):
                await self.send(line)
                seen = _seq_of(line, seen)
        except tactile.TactileSlowSubscriberError:
            await self.send(f'{{"type":"resume","after":{seen}}}')
            await self.websocket.close(_TRY_AGAIN_LATER, "slow_subscriber")


def _seq_of(line: str, seen: int) -> int:
    marker = '"seq":'
    start = line.find(marker)
    if start < 0:
        return seen
    start += len(marker)
    end = line.index(",", start)
    return int(line[start:end])


async def _checked_after(websocket: WebSocket, rsc: str) -> int | None:
    after = parse_position("after", websocket.query_params.get("after"))
    await _discipline(websocket.app.state, rsc)
    return after


@router.websocket("/feed/tactile/{rsc}")
async def tactile_socket(websocket: WebSocket, rsc: str) -> None:
    """Stream a unit's tactile frames to a tablet (public, read-only).

    Query: `after` (the last sequence number seen). A bad `after`, an unknown unit or a
    sport without a tracked ball gets an error line and close code 1008.
    """
    await websocket.accept()
    try:
        after = await _checked_after(websocket, rsc)
    except (InvalidInputError, NotFoundError) as error:
        await websocket.send_json({"type": "error", "error": error.code, "detail": str(error)})
        await websocket.close(_POLICY_VIOLATION, error.code)
        return
    interval = float(getattr(websocket.app.state, "tactile_keep_alive_s", KEEP_ALIVE_S))
    sender = _Sender(websocket, interval)
    hub = tactile.hub_of(websocket.app.state)
    tasks = {
        asyncio.create_task(sender.forward(hub, rsc, after)),
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
