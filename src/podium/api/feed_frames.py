"""What the public feed routes send and accept: frames, archive entries, stream filters.

One JSON shape serves the SSE stream, the WebSocket and the archive search, so a client
can switch transport without re-learning the fields. A frame is the message's seven-field
ODF key (ODF Foundation Principles, message header) with Podium's sequence number, the
header's `ResultStatus` and `LogicalDate`, and the XML itself unless the client asked for
`compact` frames (it can fetch the bytes from `href`).

Filters are checked before a stream opens, so a typo is a clear 422 rather than a stream
that stays silent forever: a discipline must be one of the Games' (or `---` for Games-wide
messages such as DT_MEDALS), a DocumentType must look like one (`DT_...`).
"""

from __future__ import annotations

import re
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel
from sqlalchemy.orm import Session

from podium.core.errors import InvalidInputError, PodiumError
from podium.diffusion.broker import Topic
from podium.diffusion.log import FeedEvent
from podium.games import queries

__all__ = [
    "DOCUMENT_TYPE_PATTERN",
    "GAMES_WIDE",
    "MAX_FILTERS",
    "EventStreamNotAcceptedError",
    "FeedFrame",
    "FeedMessagePublic",
    "StreamRequest",
    "accepts_event_stream",
    "frame_json",
    "message_href",
    "parse_flag",
    "parse_position",
    "public_message",
    "stream_topic",
]

GAMES_WIDE = "---"
"""The discipline of Games-wide messages (their DocumentCode has no discipline part)."""

DOCUMENT_TYPE_PATTERN = r"^DT_[A-Z0-9_]{1,37}$"
"""What a DocumentType looks like (`DT_RESULT`, `DT_SCHEDULE_UPDATE`); 40 characters at most."""

MAX_FILTERS = 100
"""At most this many `discipline` and this many `document_type` values per stream."""

_DOCUMENT_TYPE = re.compile(DOCUMENT_TYPE_PATTERN)
_TRUE = frozenset({"1", "true", "yes", "on"})
_FALSE = frozenset({"0", "false", "no", "off"})


class EventStreamNotAcceptedError(PodiumError):
    """A request for the endless event stream that does not accept `text/event-stream`.

    The stream never ends, so it is served only to clients that ask for it by name
    (`EventSource` does); a plain GET from a link checker or a crawler gets a 406 at once
    instead of a response that never finishes.
    """

    code = "event_stream_not_accepted"


class FeedMessagePublic(BaseModel):
    """One message of the feed log without its bytes: the archive's entry.

    Attributes:
        seq: Podium's sequence number (the SSE event id, the resume position).
        competition_code, document_code, document_subcode, document_type,
        document_subtype, feed_flag, version: the seven-field ODF key.
        result_status: the header's ResultStatus, or None.
        logical_date: the header's LogicalDate (03:00 cut-off, Paris time).
        discipline: `ATH`, ..., or `---` for Games-wide messages.
        invalidation: True when the message withdraws its document.
        sent_at: when the feed appended it (UTC).
        href: where the XML bytes are, exactly as sent.

    """

    seq: int
    competition_code: str
    document_code: str
    document_subcode: str | None
    document_type: str
    document_subtype: str | None
    version: int
    feed_flag: str
    result_status: str | None
    logical_date: date
    discipline: str
    invalidation: bool
    sent_at: datetime
    href: str


class FeedFrame(FeedMessagePublic):
    """One message as the live streams send it: the archive entry, a type, and the XML.

    Attributes:
        type: always `odf` (a WebSocket also sends `keep-alive`, `resume` and `error`).
        xml: the message's bytes as UTF-8 text; left out of compact frames.

    """

    type: Literal["odf"] = "odf"
    xml: str | None = None


def message_href(seq: int) -> str:
    """Return the address of a message's XML bytes (`GET /feed/messages/{seq}`)."""
    return f"/feed/messages/{seq}"


def public_message(event: FeedEvent) -> FeedMessagePublic:
    """Return the archive entry of a feed event."""
    key = event.key
    return FeedMessagePublic(
        seq=event.seq,
        competition_code=key.competition_code,
        document_code=key.document_code,
        document_subcode=key.document_subcode,
        document_type=key.document_type,
        document_subtype=key.document_subtype,
        version=key.version,
        feed_flag=key.feed_flag,
        result_status=event.result_status,
        logical_date=event.logical_date,
        discipline=event.discipline,
        invalidation=event.invalidation,
        sent_at=event.sent_at,
        href=message_href(event.seq),
    )


_FRAMES: OrderedDict[tuple[object, ...], str] = OrderedDict()
_FRAMES_KEPT = 4096


def frame_json(event: FeedEvent, *, compact: bool) -> str:
    """Return an event's frame as one line of JSON, with its XML unless `compact`.

    Podium builds every message in UTF-8, so the text decodes back to the exact bytes.
    A frame is encoded once and shared by every subscriber (a thousand live pages get
    the same line): the newest frames are kept, keyed by sequence number, ODF key and send time.
    """
    cache_key = (event.seq, event.key, event.sent_at, len(event.content), compact)
    cached = _FRAMES.get(cache_key)
    if cached is not None:
        return cached
    entry = public_message(event).model_dump()
    if compact:
        frame = FeedFrame(**entry).model_dump_json(exclude={"xml"})
    else:
        frame = FeedFrame(**entry, xml=event.content.decode("utf-8")).model_dump_json()
    _FRAMES[cache_key] = frame
    if len(_FRAMES) > _FRAMES_KEPT:
        _FRAMES.popitem(last=False)
    return frame


@dataclass(frozen=True, slots=True)
class StreamRequest:
    """A checked request for a live stream.

    Args:
        topic: the disciplines and DocumentTypes wanted (empty: all).
        after: the last sequence number the client saw (`Last-Event-ID`), or the feed's
            newest when the client connected without one (new messages only).
        compact: True to leave the XML out of the frames.

    """

    topic: Topic
    after: int
    compact: bool


_DISCIPLINE = re.compile(r"[A-Z0-9]{3}")


def _known_disciplines(session: Session) -> frozenset[str]:
    return frozenset(d.code for d in queries.disciplines(session)) | {GAMES_WIDE}


def stream_topic(
    session: Session, disciplines: Sequence[str], document_types: Sequence[str]
) -> Topic:
    """Check a stream's filters and return its topic; codes may be given in lower case.

    Args:
        session: a games-plane session (the Games' disciplines are read from it).
        disciplines: discipline codes (`ATH`), or `---` for Games-wide messages.
        document_types: DocumentTypes (`DT_RESULT`).

    Raises:
        InvalidInputError: `too_many_filters` (more than `MAX_FILTERS` of either),
            `unknown_discipline`, `bad_document_type`; the message names the value.

    """
    for name, values in (("discipline", disciplines), ("document_type", document_types)):
        if len(values) > MAX_FILTERS:
            msg = f"{name}: {len(values)} values given, at most {MAX_FILTERS}"
            raise InvalidInputError(msg, code="too_many_filters")
    wanted = [d.strip().upper() for d in disciplines]
    known = _known_disciplines(session) if wanted else frozenset()
    # An edge node (fed from NATS) holds no Games data: there, any well-formed code goes.
    edge = known == {GAMES_WIDE}
    for i, code in enumerate(wanted):
        if code not in known and not (edge and _DISCIPLINE.fullmatch(code)):
            msg = (
                f"discipline[{i}]: {code[:12]!r} is not a discipline of the Games"
                f" (nor {GAMES_WIDE!r}, the Games-wide messages)"
            )
            raise InvalidInputError(msg, code="unknown_discipline")
    types = [t.strip().upper() for t in document_types]
    for i, kind in enumerate(types):
        if not _DOCUMENT_TYPE.fullmatch(kind):
            msg = f"document_type[{i}]: {kind[:44]!r} is not a DocumentType such as DT_RESULT"
            raise InvalidInputError(msg, code="bad_document_type")
    return Topic(frozenset(wanted), frozenset(types))


def parse_flag(name: str, value: str | None) -> bool:
    """Read a yes/no query value (`1`, `true`, `yes`, `on` or their opposites); absent is no.

    Raises:
        InvalidInputError: `bad_flag` for any other value.

    """
    if value is None:
        return False
    if value.strip().lower() in _TRUE:
        return True
    if value.strip().lower() in _FALSE:
        return False
    msg = f"{name}: {value[:12]!r} is not a yes/no value (1, true, 0, false)"
    raise InvalidInputError(msg, code="bad_flag")


def parse_position(name: str, value: str | None) -> int | None:
    """Read a sequence number a client resumes from (`Last-Event-ID`); absent is None.

    Raises:
        InvalidInputError: `bad_last_event_id` for anything but a whole number >= 0.

    """
    if value is None or not value.strip():
        return None
    text = value.strip()
    if not text.isascii() or not text.isdigit() or len(text) > 18:
        msg = f"{name}: {value[:20]!r} is not a sequence number (a whole number, 0 or more)"
        raise InvalidInputError(msg, code="bad_last_event_id")
    return int(text)


def accepts_event_stream(accept: str | None) -> bool:
    """Whether an `Accept` header names `text/event-stream` with a quality above 0.

    Wildcards (`*/*`, `text/*`) do not count: the stream never ends (see
    `EventStreamNotAcceptedError`). Rule source: RFC 9110 §12.5.1 (media ranges, `q`).
    """
    return any(_accepted(part) for part in (accept or "").split(","))


def _accepted(media_range: str) -> bool:
    media, *params = (p.strip() for p in media_range.split(";"))
    if media.lower() != "text/event-stream":
        return False
    return all(_quality(p) > 0 for p in params if p.lower().startswith("q="))


def _quality(param: str) -> float:
    try:
        return float(param[2:])
    except ValueError:
        return 0.0
