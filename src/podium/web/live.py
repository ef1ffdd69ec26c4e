"""Live pages: what a page listens to on the feed, and what its status region says.

A unit page, the schedule and the medal table are rendered on the server as always, and
carry a live bar (`live.html`): a polite status region with a one-line summary of the
newest change ("Results updated: Unofficial, 14:32"), a plain Refresh link, and the
attributes `static/live.js` reads. The script opens an `EventSource` on `/feed/stream`,
filtered to the disciplines and DocumentTypes the page shows and starting at the feed
position the page was read at, so no change between rendering and connecting is missed;
on a relevant message it fetches the page again and replaces, in place, each element
after the bar in `<main>` that changed (a discipline's table, the results), keeping
focus and scroll; the page's structure stays exactly the server's. Without JavaScript
the page is the same, and Refresh reloads it.

Read the position before anything else on the page (`feed_position`): on PostgreSQL each
statement sees the newest commits, so a message committed after that read is sent to the
script, and anything it describes that the page already shows only costs a second fetch.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Literal
from urllib.parse import urlencode

from fastapi import Request
from sqlalchemy import select
from sqlalchemy.orm import Session

from podium.diffusion.log import FeedEvent, find_messages, last_seq
from podium.diffusion.models import FeedMessage
from podium.games.schemas import UnitPublic
from podium.odf import GAMES_DOCUMENT_CODE, Rsc

if TYPE_CHECKING:
    from podium.web.schedule_pages import DayGroup

__all__ = [
    "STREAM_PATH",
    "LiveFeed",
    "feed_position",
    "medals_feed",
    "page_url",
    "schedule_feed",
    "shown",
    "unit_feed",
]

STREAM_PATH = "/feed/stream"
"""The public SSE stream (`podium.api.feed_routes`)."""

ANY = "*"
"""A document code that matches every document of its DocumentType."""

LiveKind = Literal["results", "schedule", "medals"]


@dataclass(frozen=True, slots=True)
class LiveFeed:
    """What a live page listens to and what its status region says.

    Attributes:
        kind: which summary the page gives (`results`, `schedule`, `medals`).
        after: the feed's newest sequence number when the page was read.
        documents: the messages that change the page, as `DocumentType:DocumentCode`
            (`*` for any code of that type).
        disciplines: the stream's discipline filter (empty: every discipline).
        competition: the CompetitionCode the page shows (empty: any).
        refresh: the page's own address, for the Refresh link and the script's fetch.
        updated_at: when the newest message about the page's content was sent, or None.
        result_status: that message's ResultStatus (unit pages).
        withdrawn: True when that message invalidated the results (unit pages).

    """

    kind: LiveKind
    after: int
    documents: tuple[str, ...]
    disciplines: tuple[str, ...]
    competition: str
    refresh: str
    updated_at: datetime | None = None
    result_status: str | None = None
    withdrawn: bool = False

    @property
    def stream(self) -> str:
        """Return the page's stream address: compact frames, its filters, its position."""
        types = sorted({document.split(":", 1)[0] for document in self.documents})
        query = [
            ("compact", "1"),
            *(("document_type", t) for t in types),
            *(("discipline", d) for d in self.disciplines),
            ("last_event_id", str(self.after)),
        ]
        return f"{STREAM_PATH}?{urlencode(query)}"


def feed_position(session: Session) -> int:
    """Return the feed's newest sequence number (0 before the first message)."""
    return last_seq(session)


def page_url(request: Request) -> str:
    """Return the address of the page being served, query string kept."""
    query = f"?{request.url.query}" if request.url.query else ""
    return f"{request.url.path}{query}"


def _newest(session: Session, document_type: str, document_code: str) -> FeedEvent | None:
    found = find_messages(
        session, document_type=document_type, document_code=document_code, limit=1
    )
    return found[0] if found else None


def unit_feed(session: Session, after: int, unit: UnitPublic, refresh: str) -> LiveFeed:
    """Return the live feed of a unit page: its results, its schedule, its medallists.

    Args:
        session: a games-plane session.
        after: `feed_position`, read before the page's data.
        unit: the unit shown.
        refresh: the page's address (`page_url`).

    """
    documents = [
        f"DT_RESULT:{unit.rsc}",
        f"DT_SCHEDULE_UPDATE:{Rsc.build(unit.discipline_code)}",
    ]
    if unit.event_rsc:
        documents.append(f"DT_MEDALLISTS:{unit.event_rsc}")
    newest = _newest(session, "DT_RESULT", unit.rsc)
    return LiveFeed(
        kind="results",
        after=after,
        documents=tuple(documents),
        disciplines=(unit.discipline_code,),
        competition="",
        refresh=refresh,
        updated_at=newest.sent_at if newest else None,
        result_status=newest.result_status if newest else None,
        withdrawn=newest.invalidation if newest else False,
    )


def shown(groups: Iterable[DayGroup]) -> tuple[str, ...]:
    """Return the discipline codes a schedule lists, in order, each once (empty: none)."""
    return tuple(dict.fromkeys(d.code for g in groups for d in g.disciplines))


def schedule_feed(
    session: Session, after: int, disciplines: Sequence[str], refresh: str
) -> LiveFeed:
    """Return the live feed of the schedule: its disciplines' schedule updates.

    Args:
        session: a games-plane session.
        after: `feed_position`, read before the page's data.
        disciplines: the disciplines the page lists (`shown`); empty for a page that
            lists no unit (the days' summary), which follows every discipline.
        refresh: the page's address (`page_url`).

    """
    query = select(FeedMessage).where(FeedMessage.document_type == "DT_SCHEDULE_UPDATE")
    if disciplines:
        query = query.where(FeedMessage.discipline.in_(disciplines))
    row = session.scalars(query.order_by(FeedMessage.seq.desc()).limit(1)).first()
    newest = FeedEvent.of(row) if row else None
    return LiveFeed(
        kind="schedule",
        after=after,
        documents=(f"DT_SCHEDULE_UPDATE:{ANY}",),
        disciplines=tuple(disciplines),
        competition="",
        refresh=refresh,
        updated_at=newest.sent_at if newest else None,
    )


def medals_feed(session: Session, after: int, competition: str, refresh: str) -> LiveFeed:
    """Return the live feed of a medal table: the Games' medal standings (DT_MEDALS).

    Args:
        session: a games-plane session.
        after: `feed_position`, read before the page's data.
        competition: the Games shown (`OG2024`); messages of another Games are ignored.
        refresh: the page's address (`page_url`).

    """
    newest = _newest(session, "DT_MEDALS", GAMES_DOCUMENT_CODE)
    ours = newest is not None and newest.key.competition_code == competition
    return LiveFeed(
        kind="medals",
        after=after,
        documents=(f"DT_MEDALS:{GAMES_DOCUMENT_CODE}",),
        disciplines=(),
        competition=competition,
        refresh=refresh,
        updated_at=newest.sent_at if newest and ours else None,
    )
