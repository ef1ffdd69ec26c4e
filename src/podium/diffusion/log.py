"""The feed log: append a message with its version, read it back by sequence or by key.

Versioning follows the ODF header rules: a document (six key fields) gets Version 1, 2,
3... as its content changes; the same content again produces no new version; an
invalidation is a new version whose message has no `Competition` (ODF Foundation
Principles, message header and invalidation). Every message also gets a Podium-wide
sequence number, the order consumers receive it in.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import bindparam, func, insert, select, update
from sqlalchemy.orm import Session

from podium.diffusion.models import FeedKeyState, FeedMessage
from podium.odf import MessageHeader, MessageKey

__all__ = [
    "Appended",
    "FeedEvent",
    "KeyState",
    "append_message",
    "append_messages",
    "content_digest",
    "document_key",
    "find_messages",
    "key_states",
    "last_seq",
    "read_after",
]

_VOLATILE = re.compile(rb'\s(?:Version|Date|Time|LogicalDate)="[^"]*"')
_BODY_START = re.compile(rb"<OdfBody\b[^>]*>")


def content_digest(content: bytes) -> str:
    """Return the SHA-256 of a message with its `Version`, `Date`, `Time` and `LogicalDate` blanked.

    Two messages with equal digests say the same thing; only when they were made and
    which version they are differ.

    Args:
        content: the message's XML bytes.
    """
    match = _BODY_START.search(content)
    if match is None:
        return hashlib.sha256(content).hexdigest()
    head = _VOLATILE.sub(b"", match.group(0))
    digest = hashlib.sha256(content[: match.start()])
    digest.update(head)
    digest.update(content[match.end() :])
    return digest.hexdigest()


def document_key(header: MessageHeader | MessageKey) -> str:
    """Return the six key fields (all but Version) of a header, joined by `|`."""
    return "|".join(
        (
            header.competition_code,
            header.document_code,
            header.document_subcode or "",
            header.document_type,
            getattr(header, "document_subtype", None) or "",
            header.feed_flag,
        )
    )


@dataclass(frozen=True, slots=True)
class FeedEvent:
    """One message of the feed log, as consumers receive it.

    Args:
        seq: the Podium-wide sequence number (SSE event id, consumer position).
        key: the seven-field ODF key (Version included).
        discipline: `ATH`, ..., or `---` for Games-wide messages.
        result_status: the header's ResultStatus or None.
        logical_date: the header's LogicalDate.
        invalidation: True when the message invalidates its document.
        content: the XML bytes.
        sent_at: when it was appended (UTC).

    """

    seq: int
    key: MessageKey
    discipline: str
    result_status: str | None
    logical_date: date
    invalidation: bool
    content: bytes
    sent_at: datetime

    @property
    def document_type(self) -> str:
        """The message's DocumentType."""
        return self.key.document_type

    @property
    def document_code(self) -> str:
        """The message's DocumentCode."""
        return self.key.document_code

    @property
    def version(self) -> int:
        """The message's Version."""
        return self.key.version

    @classmethod
    def of(cls, row: FeedMessage) -> FeedEvent:
        """Return the event of a feed-log row."""
        return cls(
            seq=row.seq,
            key=MessageKey(
                row.competition_code,
                row.document_code,
                row.document_subcode or None,
                row.document_type,
                row.document_subtype or None,
                row.feed_flag,  # type: ignore[arg-type]
                row.version,
            ),
            discipline=row.discipline,
            result_status=row.result_status,
            logical_date=row.logical_date,
            invalidation=row.invalidation,
            content=row.content,
            sent_at=row.sent_at,
        )


@dataclass(frozen=True, slots=True)
class Appended:
    """A built message to append: its header (with its Version), bytes and kind.

    Args:
        header: the message header.
        content: the XML bytes.
        invalidation: True for an invalidation message.

    """

    header: MessageHeader
    content: bytes
    invalidation: bool = False


@dataclass(slots=True)
class KeyState:
    """A document's newest version as the feed last sent it (a `feed_key` row, unmapped).

    Args:
        key: the six key fields joined by `|`.
        version: the newest Version sent.
        digest: `content_digest` of the newest content.
        sent_at_ms: wall-clock ms of the newest send.
        invalidated: whether the newest message invalidated the document.
        stored: whether the row exists in the database yet.

    """

    key: str
    version: int
    digest: str
    sent_at_ms: int
    invalidated: bool
    stored: bool = True


def key_states(session: Session, keys: Iterable[str]) -> dict[str, KeyState]:
    """Return the newest-version state of each document key that has one.

    Read with plain rows, not mapped objects: a pass of the engine reads thousands.

    Args:
        session: a games-plane session.
        keys: document keys (`document_key`).
    """
    wanted = list(keys)
    table = FeedKeyState.__table__
    states: dict[str, KeyState] = {}
    for start in range(0, len(wanted), 500):
        query = select(table).where(table.c.key.in_(wanted[start : start + 500]))
        for row in session.execute(query):
            states[row.key] = KeyState(
                row.key, row.version, row.digest, row.sent_at_ms, row.invalidated
            )
    return states


def _save_states(session: Session, states: Iterable[KeyState]) -> None:
    """Write changed key states: new ones in one insert, known ones in one executemany."""
    new: list[dict[str, object]] = []
    known: list[dict[str, object]] = []
    for state in states:
        values = {
            "key": state.key,
            "version": state.version,
            "digest": state.digest,
            "sent_at_ms": state.sent_at_ms,
            "invalidated": state.invalidated,
        }
        (known if state.stored else new).append(values)
        state.stored = True
    if new:
        session.execute(insert(FeedKeyState), new)
    if known:
        statement = (
            update(FeedKeyState)
            .where(FeedKeyState.key == bindparam("k"))
            .values(
                version=bindparam("version"),
                digest=bindparam("digest"),
                sent_at_ms=bindparam("sent_at_ms"),
                invalidated=bindparam("invalidated"),
            )
        )
        session.connection().execute(statement, [{**v, "k": v["key"]} for v in known])


def append_messages(
    session: Session,
    messages: Sequence[Appended],
    states: dict[str, KeyState],
    *,
    sent_at: datetime,
    sent_at_ms: int,
) -> list[FeedEvent]:
    """Append built messages to the log in one multi-row insert; skip unchanged ones.

    A message whose content equals its document's newest version (`content_digest`)
    is not appended: identical content produces no new version. The caller's
    transaction commits the append.

    Args:
        session: a games-plane session.
        messages: the messages, in send order; each header carries the document's next
            Version.
        states: the documents' states by key (`key_states`); updated in place.
        sent_at: the append time (aware).
        sent_at_ms: the same instant in wall-clock milliseconds, for the burst window.

    Returns:
        The appended events, with their sequence numbers, in send order.

    Raises:
        ValueError: when a header's Version is not its document's next version.

    """
    rows: list[dict[str, object]] = []
    changed: list[KeyState] = []
    for message in messages:
        header = message.header
        key = document_key(header)
        state = states.get(key)
        digest = content_digest(message.content)
        if (
            state is not None
            and state.digest == digest
            and state.invalidated == message.invalidation
        ):
            continue
        expected = state.version + 1 if state else 1
        if header.version != expected:
            msg = f"{key}: Version {header.version} given, the next version is {expected}"
            raise ValueError(msg)
        rows.append(
            {
                "competition_code": header.competition_code,
                "document_code": header.document_code,
                "document_subcode": header.document_subcode or "",
                "document_type": header.document_type,
                "document_subtype": "",
                "feed_flag": header.feed_flag,
                "version": header.version,
                "discipline": header.document_code[:3],
                "result_status": header.result_status,
                "logical_date": header.logical_date,
                "invalidation": message.invalidation,
                "content": message.content,
                "sent_at": sent_at,
            }
        )
        if state is None:
            state = KeyState(key, 0, "", 0, invalidated=False, stored=False)
            states[key] = state
        changed.append(state)
        state.version = header.version
        state.digest = digest
        state.sent_at_ms = sent_at_ms
        state.invalidated = message.invalidation
    if not rows:
        return []
    # Sequence numbers are given here, not by the database: one engine writes a feed at a
    # time (PostgreSQL advisory lock, SQLite's single writer), and a plain multi-row
    # insert is many times faster than one INSERT ... RETURNING per row.
    first = last_seq(session) + 1
    seqs = list(range(first, first + len(rows)))
    for seq, row in zip(seqs, rows, strict=True):
        row["seq"] = seq
    session.execute(insert(FeedMessage), rows)
    _save_states(session, changed)
    return [
        FeedEvent(
            seq=seq,
            key=MessageKey(
                str(row["competition_code"]),
                str(row["document_code"]),
                str(row["document_subcode"]) or None,
                str(row["document_type"]),
                None,
                row["feed_flag"],  # type: ignore[arg-type]
                int(row["version"]),  # type: ignore[call-overload]
            ),
            discipline=str(row["discipline"]),
            result_status=row["result_status"],  # type: ignore[arg-type]
            logical_date=row["logical_date"],  # type: ignore[arg-type]
            invalidation=bool(row["invalidation"]),
            content=row["content"],  # type: ignore[arg-type]
            sent_at=sent_at,
        )
        for seq, row in zip(seqs, rows, strict=True)
    ]


def append_message(  # noqa: PLR0913 - a header, its bytes and how it was sent
    session: Session,
    header: MessageHeader,
    content: bytes,
    *,
    sent_at: datetime,
    sent_at_ms: int,
    invalidation: bool = False,
) -> FeedEvent | None:
    """Append one built message (see `append_messages`), or None when unchanged.

    Raises:
        ValueError: when the header's Version is not the document's next version.

    """
    states = key_states(session, [document_key(header)])
    events = append_messages(
        session,
        [Appended(header, content, invalidation)],
        states,
        sent_at=sent_at,
        sent_at_ms=sent_at_ms,
    )
    return events[0] if events else None


def read_after(
    session: Session,
    after: int,
    *,
    limit: int = 500,
    disciplines: Sequence[str] = (),
    document_types: Sequence[str] = (),
) -> list[FeedEvent]:
    """Return the messages after sequence number `after`, oldest first.

    Args:
        session: a games-plane session.
        after: the newest sequence number already seen (0 for the start).
        limit: at most this many.
        disciplines: only these discipline codes (empty: all).
        document_types: only these DocumentTypes (empty: all).
    """
    query = select(FeedMessage).where(FeedMessage.seq > after)
    if disciplines:
        query = query.where(FeedMessage.discipline.in_(disciplines))
    if document_types:
        query = query.where(FeedMessage.document_type.in_(document_types))
    rows = session.scalars(query.order_by(FeedMessage.seq).limit(limit))
    return [FeedEvent.of(row) for row in rows]


def find_messages(  # noqa: PLR0913 - the archive's search fields (ODF "backup site")
    session: Session,
    *,
    logical_date: date | None = None,
    document_code: str | None = None,
    document_type: str | None = None,
    version: int | None = None,
    discipline: str | None = None,
    limit: int = 200,
) -> list[FeedEvent]:
    """Search the archive by LogicalDate, DocumentCode, DocumentType and Version.

    Args:
        session: a games-plane session.
        logical_date: the messages' LogicalDate, or None for any.
        document_code: a DocumentCode, or None.
        document_type: a DocumentType, or None.
        version: a Version, or None.
        discipline: a discipline code, or None.
        limit: at most this many, newest first.
    """
    query = select(FeedMessage)
    if logical_date is not None:
        query = query.where(FeedMessage.logical_date == logical_date)
    if document_code is not None:
        query = query.where(FeedMessage.document_code == document_code)
    if document_type is not None:
        query = query.where(FeedMessage.document_type == document_type)
    if version is not None:
        query = query.where(FeedMessage.version == version)
    if discipline is not None:
        query = query.where(FeedMessage.discipline == discipline)
    rows = session.scalars(query.order_by(FeedMessage.seq.desc()).limit(limit))
    return [FeedEvent.of(row) for row in rows]


def last_seq(session: Session) -> int:
    """Return the newest sequence number in the log, 0 when it is empty."""
    return session.scalar(select(func.max(FeedMessage.seq))) or 0
