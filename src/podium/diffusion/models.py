"""The feed log and its delivery state (games plane).

The feed log is append-only: every ODF message Podium ever sent, with its seven-field key,
its Podium-wide sequence number and its bytes. The outbox holds what results capture has
changed and the feed has not yet sent (the transactional-outbox pattern: a capture writes
its results and the outbox rows in one transaction, so no accepted change can be lost
between the database and the feed). Consumers' positions are rows too, so every queue
survives a restart.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped

from podium.core.categories import DataCategory, column
from podium.core.db import GamesBase
from podium.core.types import UtcDateTime

__all__ = ["FeedConsumer", "FeedCursor", "FeedKeyState", "FeedMessage", "FeedOutbox", "FeedResend"]

_C = DataCategory.COMPETITION
_S = DataCategory.SYSTEM


class FeedMessage(GamesBase):
    """One message of the feed log, as sent (ODF Foundation Principles, message header).

    Attributes:
        seq: Podium-wide sequence number, 1, 2, 3... in the order messages were sent; the
            SSE event id and every consumer's position.
        competition_code, document_code, document_subcode, document_type,
        document_subtype, feed_flag, version: the seven-field key (`MessageKey`); an
            absent subcode or subtype is stored as the empty string.
        discipline: the first three characters of the DocumentCode (`ATH`), or `---` for
            Games-wide messages; consumers filter on it.
        result_status: the header's `ResultStatus`, or None.
        logical_date: the header's `LogicalDate` (archive search).
        invalidation: True for an invalidation (the header with no `Competition`).
        content: the XML bytes exactly as delivered.
        sent_at: when the feed appended it (UTC).

    """

    __tablename__ = "feed_message"
    __table_args__ = (
        UniqueConstraint(
            "competition_code",
            "document_code",
            "document_subcode",
            "document_type",
            "document_subtype",
            "feed_flag",
            "version",
            name="uq_feed_message_key",
        ),
        Index("ix_feed_message_archive", "logical_date", "document_type", "document_code"),
    )

    seq: Mapped[int] = column(_C, Integer, primary_key=True, autoincrement=True)
    competition_code: Mapped[str] = column(_C, String(20))
    document_code: Mapped[str] = column(_C, String(34))
    document_subcode: Mapped[str] = column(_C, String(34), default="")
    document_type: Mapped[str] = column(_C, String(40))
    document_subtype: Mapped[str] = column(_C, String(40), default="")
    feed_flag: Mapped[str] = column(_C, String(1))
    version: Mapped[int] = column(_C, Integer)
    discipline: Mapped[str] = column(_C, String(3), index=True)
    result_status: Mapped[str | None] = column(_C, String(16))
    logical_date: Mapped[date] = column(_C, Date)
    invalidation: Mapped[bool] = column(_C, Boolean, default=False)
    content: Mapped[bytes] = column(_C, LargeBinary)
    sent_at: Mapped[datetime] = column(_C, UtcDateTime())


class FeedKeyState(GamesBase):
    """The newest version sent of one document (six key fields, without Version).

    Attributes:
        key: the six key fields joined by `|`.
        version: the newest Version sent.
        digest: SHA-256 of the newest content with `Version`, `Date`, `Time` and
            `LogicalDate` blanked: identical content produces no new version.
        sent_at_ms: wall-clock milliseconds since the epoch of the newest send, for the
            burst window (§4.4).
        invalidated: True when the newest message invalidated the document.

    """

    __tablename__ = "feed_key"

    key: Mapped[str] = column(_C, String(200), primary_key=True)
    version: Mapped[int] = column(_C, Integer)
    digest: Mapped[str] = column(_C, String(64))
    sent_at_ms: Mapped[int] = column(_C, BigInteger)
    invalidated: Mapped[bool] = column(_C, Boolean, default=False)


class FeedOutbox(GamesBase):
    """A document that results capture changed and the feed has not yet sent.

    One row per document: a later change to the same document updates the row, which is
    how bursts merge (§4.4: the last state of each window is what is sent).

    Attributes:
        key: `DocumentType|DocumentCode`.
        document_type: `DT_RESULT`, `DT_SCHEDULE_UPDATE`, ...
        document_code: the 34-character DocumentCode.
        batch: the capture that last changed it; a batch is sent together, in rank order.
        rank: position in the end-of-unit order of §9.1.1 (0 schedule update ... 5 ranking).
        units: for `DT_SCHEDULE_UPDATE`, the changed units' RSCs, comma-separated.
        changed_at: when capture last changed it (UTC).

    """

    __tablename__ = "feed_outbox"

    key: Mapped[str] = column(_C, String(80), primary_key=True)
    document_type: Mapped[str] = column(_C, String(40))
    document_code: Mapped[str] = column(_C, String(34))
    batch: Mapped[int] = column(_C, Integer, index=True)
    rank: Mapped[int] = column(_C, Integer)
    units: Mapped[str] = column(_C, Text, default="")
    changed_at: Mapped[datetime] = column(_C, UtcDateTime())


class FeedConsumer(GamesBase):
    """An HTTP push consumer (ODF Foundation Principles §8): a broadcaster, an agency.

    Attributes:
        name: short unique name, for example `ebu`.
        organisation: who receives, for example `European Broadcasting Union`.
        endpoint: the URL every message is POSTed to.
        api_key: the consumer's key, sent as `X-API-KEY` (a system credential of the
            consumer's organisation, not personal data).
        disciplines: discipline codes to receive, comma-separated; empty for all.
        document_types: DocumentTypes to receive, comma-separated; empty for all.
        cursor: the sequence number of the newest message acknowledged (HTTP 200).
        in_flight: the sequence number being sent, or None; a message in flight when the
            sender stopped is re-sent marked as a possible duplicate.
        enabled: False stops delivery; the queue keeps growing.
        attempts: failed attempts at the current message.
        last_error: what the newest failure was, or None.
        last_attempt_at: when the newest attempt was made.

    """

    __tablename__ = "feed_consumer"

    name: Mapped[str] = column(_S, String(40), primary_key=True)
    organisation: Mapped[str] = column(_S, String(120))
    endpoint: Mapped[str] = column(_S, String(400))
    api_key: Mapped[str] = column(_S, String(200))
    disciplines: Mapped[str] = column(_S, String(400), default="")
    document_types: Mapped[str] = column(_S, String(400), default="")
    cursor: Mapped[int] = column(_S, Integer, default=0)
    in_flight: Mapped[int | None] = column(_S, Integer)
    enabled: Mapped[bool] = column(_S, Boolean, default=True)
    attempts: Mapped[int] = column(_S, Integer, default=0)
    last_error: Mapped[str | None] = column(_S, String(400))
    last_attempt_at: Mapped[datetime | None] = column(_S, UtcDateTime())


class FeedCursor(GamesBase):
    """A named position in the feed log or in a replay (NATS bridge, replay progress).

    Attributes:
        name: for example `nats` or `replay:paris2024`.
        position: the newest sequence number (or replay step) done.

    """

    __tablename__ = "feed_cursor"

    name: Mapped[str] = column(_S, String(80), primary_key=True)
    position: Mapped[int] = column(_S, Integer, default=0)


class FeedResend(GamesBase):
    """A message of the archive to send again to one consumer (the ODF "backup site").

    Attributes:
        id: request number.
        consumer: the consumer's name.
        seq: the feed-log message to send again.
        requested_at: when it was asked for (UTC).
        requested_by: who asked (operator username or `system`).

    """

    __tablename__ = "feed_resend"

    id: Mapped[int] = column(_S, Integer, primary_key=True, autoincrement=True)
    consumer: Mapped[str] = column(_S, String(40), index=True)
    seq: Mapped[int] = column(_S, Integer)
    requested_at: Mapped[datetime] = column(_S, UtcDateTime())
    requested_by: Mapped[str] = column(_S, String(80))
