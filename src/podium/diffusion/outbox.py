"""The outbox: what a results capture changed, written in the capture's own transaction.

Results capture never builds or sends a message itself. In the transaction that stores a
result it marks the documents that result changes (the unit's `DT_RESULT`, the
discipline's `DT_SCHEDULE_UPDATE`, the event's `DT_MEDALLISTS`...). The feed engine reads
the outbox, builds each document from the committed state and appends it to the feed log.
So a change is either stored and queued for the feed, or neither; and a burst of changes
to one document leaves one row, the newest state, to send when its window opens (§4.4).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Final

from sqlalchemy import case, func, select, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from podium.diffusion.models import FeedOutbox

__all__ = ["END_OF_UNIT_ORDER", "FeedItem", "mark_changed", "pending"]

END_OF_UNIT_ORDER: Final = {
    "DT_SCHEDULE_UPDATE": 0,
    "DT_SCHEDULE": 0,
    "DT_RESULT": 1,
    "DT_PHASE_RESULT": 2,
    "DT_MEDALLISTS": 3,
    "DT_MEDALS": 4,
    "DT_RANKING": 5,
}
"""The order in which a unit's messages are sent when it ends (ODF Foundation Principles
§9.1.1): schedule update, results, phase results, medallists, medals, ranking."""


@dataclass(frozen=True, slots=True)
class FeedItem:
    """One document a capture changed.

    Args:
        document_type: a DocumentType of `END_OF_UNIT_ORDER`.
        document_code: its 34-character DocumentCode.
        units: for `DT_SCHEDULE_UPDATE`, the RSCs of the units whose schedule changed.

    Raises:
        ValueError: for a DocumentType the feed does not publish live.

    """

    document_type: str
    document_code: str
    units: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        """Check the DocumentType."""
        if self.document_type not in END_OF_UNIT_ORDER:
            msg = f"document_type {self.document_type!r} is not one the feed sends live"
            raise ValueError(msg)

    @property
    def key(self) -> str:
        """The outbox key, `DocumentType|DocumentCode`."""
        return f"{self.document_type}|{self.document_code}"


def mark_changed(session: Session, items: Sequence[FeedItem], now: datetime) -> int:
    """Queue documents for the feed, as one batch, in the caller's transaction.

    A document already queued moves into the new batch, and so does the rest of its old
    batch: the end-of-unit order of §9.1.1 holds across merged bursts.

    Args:
        session: a games-plane session (the capture's transaction).
        items: the changed documents, any order.
        now: the capture time (aware).

    Returns:
        The batch number.

    """
    batch = (session.scalar(select(func.max(FeedOutbox.batch))) or 0) + 1
    keys = [item.key for item in items]
    older = set(session.scalars(select(FeedOutbox.batch).where(FeedOutbox.key.in_(keys))))
    if older:
        session.execute(
            update(FeedOutbox)
            .where(FeedOutbox.batch.in_(older))
            .values(batch=batch)
            .execution_options(synchronize_session=False)
        )
    # An upsert, never read-modify-write: the engine may send and delete a row at any
    # moment, and two captures may queue the same document at once. Units are appended
    # in SQL (a repeat is harmless: they are read as a set).
    dialect = session.get_bind().dialect.name
    upsert = postgresql_insert if dialect == "postgresql" else sqlite_insert
    for item in items:
        statement = upsert(FeedOutbox).values(
            key=item.key,
            document_type=item.document_type,
            document_code=item.document_code,
            batch=batch,
            rank=END_OF_UNIT_ORDER[item.document_type],
            units=",".join(item.units),
            changed_at=now,
        )
        units = FeedOutbox.units
        merged = case(
            (units == "", statement.excluded.units),
            (statement.excluded.units == "", units),
            else_=units + "," + statement.excluded.units,
        )
        session.execute(
            statement.on_conflict_do_update(
                index_elements=[FeedOutbox.key],
                set_={
                    "batch": statement.excluded.batch,
                    "changed_at": statement.excluded.changed_at,
                    "units": merged,
                },
            )
        )
    return batch


def pending(session: Session) -> list[FeedOutbox]:
    """Return every queued document, by batch then end-of-unit rank."""
    query = select(FeedOutbox).order_by(FeedOutbox.batch, FeedOutbox.rank, FeedOutbox.key)
    return list(session.scalars(query))
