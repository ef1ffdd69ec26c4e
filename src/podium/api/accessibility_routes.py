"""Live descriptions over HTTP: each unit's and venue's channel, its stream and its audio.

Descriptions are made from published results only, so every route is public.

- `GET /api/units/{rsc}/descriptions`, `GET /api/venues/{code}/descriptions`: a channel's
  history, oldest first (`DescriptionPublic`, both languages, audio links).
- `GET /api/units/{rsc}/descriptions/{seq}/{n}.{lang}.wav`: one description spoken
  (espeak-ng; synthesised on first request, then cached); 503 `speech_unavailable` when
  the node has no speech engine: the text still works.
- `GET /feed/descriptions?unit=RSC|venue=CODE&lang=en|fr`: Server-Sent Events, one event
  `description` per sentence, id = the description id (`<seq>-<n>`), resumable with
  `Last-Event-ID` (or `?last_event_id=`); 406 unless the client accepts
  `text/event-stream`, as `/feed/stream`.
- `GET /feed/descriptions/playlist.m3u`: an M3U playlist of the channel's latest audio
  files, for audio players that follow one.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import re
from collections.abc import AsyncIterator
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Header, Path, Query, Request
from fastapi.responses import FileResponse, JSONResponse, Response
from fastapi.sse import EventSourceResponse, ServerSentEvent
from pydantic import BaseModel

from podium.accessibility import (
    Channel,
    Description,
    DescriptionService,
    SpeechUnavailableError,
    descriptions_of,
)
from podium.api.feed_frames import EventStreamNotAcceptedError, accepts_event_stream
from podium.api.feed_routes import RETRY_MS, FeedRoute
from podium.core.errors import InvalidInputError, NotFoundError
from podium.diffusion.broker import SlowSubscriberError

__all__ = ["DescriptionPublic", "description_frame", "public_description", "router"]

Lang = Literal["en", "fr"]
_ID = r"^\d+-\d+$"
_AUDIO_NAME = re.compile(r"^(\d+)\.(en|fr)\.wav$")
_READY_S = 10.0


class DescriptionPublic(BaseModel):
    """One description as the API gives it.

    Attributes:
        id: `<seq>-<n>`, the source message's feed sequence number and the place among
            the descriptions it produced.
        unit: the unit's RSC.
        venue: the venue's code, or None.
        seq: the source ODF message's feed sequence number (`/feed/messages/{seq}`).
        kind: start, standings, leader_change, result, record, medal or status.
        text_en: the English sentence.
        text_fr: the French sentence.
        audio_en: where the English audio is (`audio/wav`).
        audio_fr: where the French audio is.

    """

    id: str
    unit: str
    venue: str | None
    seq: int
    kind: str
    text_en: str
    text_fr: str
    audio_en: str
    audio_fr: str


def _audio(description: Description, lang: Lang) -> str:
    seq, _, index = description.id.partition("-")
    return f"/api/units/{description.unit}/descriptions/{seq}/{index}.{lang}.wav"


def public_description(description: Description) -> DescriptionPublic:
    """Return the API shape of a description."""
    return DescriptionPublic(
        id=description.id,
        unit=description.unit,
        venue=description.venue,
        seq=description.seq,
        kind=description.kind,
        text_en=description.text_en,
        text_fr=description.text_fr,
        audio_en=_audio(description, "en"),
        audio_fr=_audio(description, "fr"),
    )


def description_frame(description: Description, lang: Lang) -> str:
    """Return the JSON data of a stream event: one language's sentence and audio."""
    frame = {
        "id": description.id,
        "unit": description.unit,
        "venue": description.venue,
        "seq": description.seq,
        "kind": description.kind,
        "lang": lang,
        "text": description.text(lang),
        "audio": _audio(description, lang),
    }
    return json.dumps(frame, ensure_ascii=False, separators=(",", ":"))


async def _service(request: Request) -> DescriptionService:
    service = descriptions_of(request.app.state)
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(service.ready.wait(), timeout=_READY_S)
    return service


Service = Annotated[DescriptionService, Depends(_service)]

router = APIRouter(tags=["accessibility"])
_feed = APIRouter(prefix="/feed", tags=["accessibility"], route_class=FeedRoute)


def _known_unit(service: DescriptionService, rsc: str) -> None:
    if rsc not in service.units:
        raise NotFoundError(f"no unit {rsc}", code="unit_not_found")


@router.get("/api/units/{rsc}/descriptions")
async def unit_descriptions(service: Service, rsc: str) -> list[DescriptionPublic]:
    """Return a unit's descriptions, oldest first.

    Raises:
        NotFoundError: `unit_not_found` (404).

    """
    _known_unit(service, rsc)
    return [public_description(d) for d in service.channel(Channel(unit=rsc))]


@router.get("/api/venues/{code}/descriptions")
async def venue_descriptions(service: Service, code: str) -> list[DescriptionPublic]:
    """Return a venue's descriptions (every unit played there), oldest first."""
    return [public_description(d) for d in service.channel(Channel(venue=code))]


@router.get(
    "/api/units/{rsc}/descriptions/{seq}/{name}",
    response_class=FileResponse,
    responses={200: {"content": {"audio/wav": {}}}, 503: {"description": "speech_unavailable"}},
)
async def description_audio(
    service: Service,
    rsc: str,
    seq: Annotated[int, Path(ge=1)],
    name: Annotated[str, Path(pattern=_AUDIO_NAME.pattern)],
) -> Response:
    """Return a description spoken as a WAV file, `<n>.<lang>.wav` (made on first request).

    The description is the `n`-th (from 0) made from feed message `seq`, its id `<seq>-<n>`.

    Raises:
        NotFoundError: `description_not_found` (404) when the channel no longer holds it.

    """
    index, lang = _audio_name(name)
    description_id = f"{seq}-{index}"
    found = service.find(description_id)
    if found is None or found.unit != rsc:
        msg = f"no description {description_id} of unit {rsc}"
        raise NotFoundError(msg, code="description_not_found")
    try:
        path = await service.audio(found, lang)
    except SpeechUnavailableError as error:
        return JSONResponse({"error": error.code, "detail": str(error)}, status_code=503)
    # A description id names one sentence for ever: the feed log is append-only.
    headers = {"Cache-Control": "public, max-age=86400, immutable"}
    return FileResponse(path, media_type="audio/wav", headers=headers)


def _audio_name(name: str) -> tuple[int, Lang]:
    match = _AUDIO_NAME.match(name)
    if match is None:  # the path pattern already refused it
        raise NotFoundError(f"no audio {name}", code="description_not_found")
    return int(match.group(1)), "en" if match.group(2) == "en" else "fr"


def _channel(unit: str | None = None, venue: str | None = None) -> Channel:
    if (unit is None) == (venue is None):
        msg = "name one channel: ?unit=RSC or ?venue=CODE"
        raise InvalidInputError(msg, code="bad_description_channel")
    return Channel(unit=unit, venue=venue)


def _event_stream_accepted(accept: Annotated[str | None, Header()] = None) -> None:
    if not accepts_event_stream(accept):
        msg = "this stream never ends: ask for it with the header 'Accept: text/event-stream'"
        raise EventStreamNotAcceptedError(msg)


@_feed.get(
    "/descriptions",
    response_class=EventSourceResponse,
    dependencies=[Depends(_event_stream_accepted)],
)
async def description_stream(
    service: Service,
    channel: Annotated[Channel, Depends(_channel)],
    lang: Lang = "en",
    last_event_id: Annotated[str | None, Query(pattern=_ID)] = None,
    last_event_id_header: Annotated[str | None, Header(alias="Last-Event-ID", pattern=_ID)] = None,
) -> AsyncIterator[ServerSentEvent]:
    """Stream a unit's or a venue's descriptions in one language, from `Last-Event-ID` or now.

    Each event: `id: <seq>-<n>`, `event: description`, `data: {"id", "unit", "venue", "seq",
    "kind", "lang", "text", "audio"}`.

    Raises:
        InvalidInputError: `bad_description_channel` (422) unless exactly one of `unit`,
            `venue` is given; a malformed id is `invalid_request` (422).
        EventStreamNotAcceptedError: `event_stream_not_accepted` (406).

    """
    after = last_event_id_header if last_event_id_header is not None else last_event_id
    yield ServerSentEvent(retry=RETRY_MS, comment="podium descriptions")
    try:
        async for description in service.subscribe(channel, after):
            data = description_frame(description, lang)
            yield ServerSentEvent(id=description.id, event="description", raw_data=data)
    except SlowSubscriberError:
        yield ServerSentEvent(comment="too slow: reconnect with Last-Event-ID to resume")


@_feed.get("/descriptions/playlist.m3u", response_class=Response)
async def description_playlist(
    service: Service,
    channel: Annotated[Channel, Depends(_channel)],
    lang: Lang = "en",
    limit: Annotated[int, Query(ge=1, le=200)] = 20,
) -> Response:
    """Return an M3U playlist of the channel's latest audio files, oldest first.

    Raises:
        InvalidInputError: `bad_description_channel` (422).

    """
    found = service.channel(channel)[-limit:]
    lines = ["#EXTM3U"]
    for description in found:
        lines += [f"#EXTINF:-1,{description.text(lang)}", _audio(description, lang)]
    body = "\n".join(lines) + "\n"
    return Response(body, media_type="audio/x-mpegurl", headers={"Cache-Control": "no-store"})


router.include_router(_feed)
