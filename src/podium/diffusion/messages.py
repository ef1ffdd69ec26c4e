"""Build the ODF messages of the Games from the games plane.

The pure builders of `podium.odf` take models; this module reads the database through
the domains' queries and fills those models: `DT_SCHEDULE` per discipline, `DT_RESULT`
per unit with results, `DT_MEDALLISTS` per event, `DT_MEDALS` for the Games and
`DT_PARTIC` per discipline (ODF Foundation Principles, message catalogue).
"""

from __future__ import annotations

from collections.abc import Iterator

from sqlalchemy import select
from sqlalchemy.orm import Session

from podium.diffusion.feed import OdfMessageFile, feed_context
from podium.diffusion.results_messages import (
    event_rscs,
    medallist_messages,
    medals_messages,
    record_marks,
    result_messages,
)
from podium.diffusion.schedule_messages import partic_messages, schedule_messages
from podium.games import Unit
from podium.odf import (
    GAMES_DOCUMENT_CODE,
    FeedContext,
    Rsc,
)
from podium.people import Participant as ParticipantRow
from podium.results import MedalRecord
from podium.results import UnitResult as ResultRow

__all__ = [
    "OdfMessageFile",
    "build_message",
    "feed_context",
    "iter_messages",
    "message_index",
    "record_marks",
]


def iter_messages(session: Session, context: FeedContext) -> Iterator[OdfMessageFile]:
    """Yield every ODF message of the Games, in the end-of-day order of a full refresh.

    Args:
        session: a games-plane session.
        context: the feed's context (CompetitionCode, Source, clock).
    """
    yield from schedule_messages(session, context)
    yield from result_messages(session, context)
    yield from medallist_messages(session, context)
    yield from medals_messages(session, context)
    yield from partic_messages(session, context)


_BUILDERS = {
    "DT_SCHEDULE": schedule_messages,
    "DT_RESULT": result_messages,
    "DT_MEDALLISTS": medallist_messages,
    "DT_MEDALS": medals_messages,
    "DT_PARTIC": partic_messages,
}
"""The message types Podium publishes, each with the function that builds them."""


def build_message(
    session: Session, context: FeedContext, document_type: str, document_code: str
) -> OdfMessageFile | None:
    """Build one message by DocumentType and DocumentCode, or None when there is none.

    Args:
        session: a games-plane session.
        context: the feed's context.
        document_type: `DT_SCHEDULE`, `DT_RESULT`, `DT_MEDALLISTS`, `DT_MEDALS` or `DT_PARTIC`.
        document_code: the 34-character DocumentCode (discipline, unit, event or Games).
    """
    builder = _BUILDERS.get(document_type)
    if builder is None or len(document_code) != 34:
        return None
    return next(
        (m for m in builder(session, context, document_code) if m.document_code == document_code),
        None,
    )


def message_index(session: Session) -> list[tuple[str, str]]:
    """List every message Podium publishes as (DocumentType, DocumentCode), without building.

    Args:
        session: a games-plane session.
    """
    disciplines = sorted(set(session.scalars(select(Unit.discipline_code))))
    units = sorted(set(session.scalars(select(ResultRow.unit_rsc))))
    keys = set(
        session.scalars(select(MedalRecord.event_key).where(MedalRecord.competition == "OG2024"))
    )
    events = sorted({event for key, event in event_rscs(session).items() if key in keys})
    entered = session.scalars(
        select(ParticipantRow.disciplines).where(
            ParticipantRow.role == "athlete", ParticipantRow.noc.is_not(None)
        )
    )
    partic = sorted({d for text in entered if text for d in text.split(",")})
    return (
        [("DT_SCHEDULE", Rsc.build(d)) for d in disciplines]
        + [("DT_RESULT", u) for u in units]
        + [("DT_MEDALLISTS", e) for e in events]
        + [("DT_MEDALS", GAMES_DOCUMENT_CODE)]
        + [("DT_PARTIC", Rsc.build(d)) for d in partic]
    )
