"""HTTP push consumers: registration, filters, queues and re-sends (ODF Foundation Principles §8).

A consumer (a broadcaster, an agency) gives an endpoint and a key; Podium POSTs it every
message of the feed log that passes its filters, in sequence order (`podium.diffusion.push`).
Its queue is no table of its own: it is the feed log after the consumer's `cursor`, so it
survives any restart and an outage of any length. A re-send (the ODF "backup site")
queues messages of the archive again, by sequence number or by the archive's search
fields (LogicalDate, DocumentCode, DocumentType, Version).

Every write here runs in the caller's transaction: commit it to accept the change. Bad
input raises before anything is written, with a stable code and the field it concerns:

    InvalidInputError   bad_consumer_name, consumer_exists, bad_endpoint, bad_api_key,
                        bad_organisation, bad_discipline, unknown_discipline,
                        bad_document_type, bad_start, nothing_to_change, no_messages_given,
                        bad_seq, too_many_messages, search_empty, bad_version,
                        bad_requested_by
    NotFoundError       consumer_not_found, message_not_found
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, fields
from datetime import date, datetime
from urllib.parse import urlsplit

from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from podium.core.errors import InvalidInputError, NotFoundError
from podium.diffusion.log import find_messages, last_seq
from podium.diffusion.models import FeedConsumer, FeedMessage, FeedResend
from podium.games import Discipline

__all__ = [
    "GAMES_WIDE",
    "MAX_RESEND",
    "ArchiveSearch",
    "ConsumerChange",
    "ConsumerSpec",
    "QueueStatus",
    "consumer_filters",
    "get_consumer",
    "list_status",
    "queue_status",
    "register_consumer",
    "remove_consumer",
    "request_archive_resend",
    "request_resend",
    "update_consumer",
]

GAMES_WIDE = "---"
"""The discipline of Games-wide messages (DT_MEDALS, ...), usable as a filter."""

MAX_RESEND = 1000
"""At most this many messages in one re-send request; a wider search must be narrowed."""

_NAME = re.compile(r"[a-z0-9][a-z0-9_-]{1,39}")
_DISCIPLINE = re.compile(r"[A-Z0-9]{3}|---")
_DOCUMENT_TYPE = re.compile(r"DT_[A-Z0-9_]{1,37}")
_API_KEY = re.compile(r"[\x21-\x7e]{1,200}")  # visible ASCII: safe in an HTTP header


@dataclass(frozen=True, slots=True)
class ConsumerSpec:
    """A consumer to register.

    Args:
        name: `^[a-z0-9][a-z0-9_-]{1,39}$`, for example `ebu`.
        endpoint: the http(s) URL every message is POSTed to (≤ 400 characters).
        api_key: sent as `X-API-KEY`: 1-200 visible ASCII characters.
        organisation: who receives (≤ 120 characters).
        disciplines: discipline codes (`ATH`, `BK3`, `---` for Games-wide); empty for all.
        document_types: `DT_...` DocumentTypes; empty for all.
        start_after: the sequence number after which delivery starts: 0 for the whole
            log, None for the newest message now (only what is sent from now on; older
            messages can be asked for with a re-send).
    """

    name: str
    endpoint: str
    api_key: str
    organisation: str = ""
    disciplines: tuple[str, ...] = ()
    document_types: tuple[str, ...] = ()
    start_after: int | None = None


@dataclass(frozen=True, slots=True)
class ConsumerChange:
    """A change to a consumer; None keeps a value (see `ConsumerSpec` for the formats).

    Changing the filters does not move the cursor: the new filters apply to every
    message after it.
    """

    endpoint: str | None = None
    api_key: str | None = None
    organisation: str | None = None
    disciplines: tuple[str, ...] | None = None
    document_types: tuple[str, ...] | None = None
    enabled: bool | None = None

    def changed(self) -> tuple[str, ...]:
        """Return the names of the fields this change sets."""
        return tuple(f.name for f in fields(self) if getattr(self, f.name) is not None)


@dataclass(frozen=True, slots=True)
class ArchiveSearch:
    """The archive's search fields (ODF "backup site"), all optional but one at least.

    LogicalDate, DocumentCode, DocumentType (`DT_RESULT`), Version (1 or more) and the
    discipline code (`ATH`) of the messages wanted.
    """

    logical_date: date | None = None
    document_code: str | None = None
    document_type: str | None = None
    version: int | None = None
    discipline: str | None = None


@dataclass(frozen=True, slots=True)
class QueueStatus:
    """A consumer's settings and queue, as shown to its administrators (never the key).

    Args:
        name, organisation, endpoint, enabled, disciplines, document_types: its settings.
        api_key_set: whether a key is registered (the key itself is never shown).
        cursor: the newest sequence number acknowledged (HTTP 200); newest_seq: the log's.
        pending: messages after the cursor that pass its filters.
        resends: re-sent messages still to deliver.
        in_flight: the sequence number being sent; attempts: failed attempts at it.
        last_error, last_attempt_at: the newest failure, and the newest attempt (UTC).
    """

    name: str
    organisation: str
    endpoint: str
    enabled: bool
    disciplines: tuple[str, ...]
    document_types: tuple[str, ...]
    api_key_set: bool
    cursor: int
    newest_seq: int
    pending: int
    resends: int
    in_flight: int | None
    attempts: int
    last_error: str | None
    last_attempt_at: datetime | None


def _fail(field: str, message: str, code: str) -> InvalidInputError:
    return InvalidInputError(f"{field}: {message}", code=code)


def _split(csv: str) -> tuple[str, ...]:
    return tuple(item for item in csv.split(",") if item)


def consumer_filters(consumer: FeedConsumer) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Return a consumer's (disciplines, document types) filters; empty means all."""
    return _split(consumer.disciplines), _split(consumer.document_types)


def _check_name(name: str) -> str:
    if not _NAME.fullmatch(name):
        message = f"{name!r} must be 2-40 of a-z, 0-9, '-', '_', not starting with '-' or '_'"
        raise _fail("name", message, "bad_consumer_name")
    return name


def _endpoint_problem(endpoint: str) -> str | None:
    try:
        url = urlsplit(endpoint)
        port = url.port  # raises ValueError for a port out of range
    except ValueError as error:
        return f"is not a URL ({error})"
    problems = {
        "is not an http:// or https:// URL with a host and a port other than 0": (
            url.scheme not in {"http", "https"} or not url.hostname or port == 0
        ),
        "carries credentials; give the key with api_key instead": url.username is not None,
        "has a fragment, white space or control characters": bool(url.fragment)
        or any(c.isspace() or not c.isprintable() for c in endpoint),
        "is longer than 400 characters": len(endpoint) > 400,
    }
    return next((problem for problem, found in problems.items() if found), None)


def _check_endpoint(endpoint: str) -> str:
    problem = _endpoint_problem(endpoint)
    if problem is not None:
        raise _fail("endpoint", f"{endpoint!r} {problem}", "bad_endpoint")
    return endpoint


def _check_api_key(api_key: str) -> str:
    if not _API_KEY.fullmatch(api_key):
        message = "must be 1-200 visible ASCII characters (no spaces): it is sent as X-API-KEY"
        raise _fail("api_key", message, "bad_api_key")
    return api_key


def _check_organisation(organisation: str) -> str:
    organisation = organisation.strip()
    if len(organisation) > 120 or any(not c.isprintable() for c in organisation):
        raise _fail("organisation", "must be at most 120 printable characters", "bad_organisation")
    return organisation


def _codes(field: str, codes: Sequence[str], pattern: re.Pattern[str], what: str) -> list[str]:
    """Return the codes upper-cased, each once, or refuse the first malformed one."""
    wanted: list[str] = []
    for index, raw in enumerate(codes):
        code = raw.strip().upper()
        if not pattern.fullmatch(code):
            code_name = "bad_discipline" if field == "disciplines" else "bad_document_type"
            raise _fail(f"{field}[{index}]", f"{raw!r} is not {what}", code_name)
        if code not in wanted:
            wanted.append(code)
    return wanted


def _check_disciplines(session: Session, codes: Sequence[str]) -> str:
    wanted = _codes("disciplines", codes, _DISCIPLINE, "a discipline code (ATH, BK3, ---)")
    known = set(session.scalars(select(Discipline.code).where(Discipline.code.in_(wanted))))
    for index, code in enumerate(c.strip().upper() for c in codes):
        if code != GAMES_WIDE and code not in known:
            message = f"{code!r} is not a discipline of the Games on this node"
            raise _fail(f"disciplines[{index}]", message, "unknown_discipline")
    return ",".join(wanted)


def _check_document_types(codes: Sequence[str]) -> str:
    what = "a DocumentType (DT_RESULT, DT_SCHEDULE_UPDATE, ...)"
    return ",".join(_codes("document_types", codes, _DOCUMENT_TYPE, what))


def get_consumer(session: Session, name: str) -> FeedConsumer:
    """Return a consumer by name.

    Raises:
        NotFoundError: `consumer_not_found`.
    """
    consumer = session.get(FeedConsumer, name)
    if consumer is None:
        raise NotFoundError(f"consumer {name!r}: no such consumer", code="consumer_not_found")
    return consumer


def register_consumer(session: Session, spec: ConsumerSpec) -> FeedConsumer:
    """Register a consumer, enabled, with its cursor at `spec.start_after`.

    Args:
        session: a games-plane session (commit it to register).
        spec: the consumer (see `ConsumerSpec` for each field's format).

    Raises:
        InvalidInputError: `bad_consumer_name`, `consumer_exists`, `bad_endpoint`,
            `bad_api_key`, `bad_organisation`, `bad_discipline`, `unknown_discipline`,
            `bad_document_type`, `bad_start` (negative or after the newest message).

    Rule source: ODF Foundation Principles §8 (HTTP push, one key per consumer).
    """
    name = _check_name(spec.name)
    if session.get(FeedConsumer, name) is not None:
        raise _fail("name", f"a consumer {name!r} is already registered", "consumer_exists")
    row = FeedConsumer(
        name=name,
        organisation=_check_organisation(spec.organisation),
        endpoint=_check_endpoint(spec.endpoint),
        api_key=_check_api_key(spec.api_key),
        disciplines=_check_disciplines(session, spec.disciplines),
        document_types=_check_document_types(spec.document_types),
        enabled=True,
        attempts=0,
    )
    newest = last_seq(session)
    start = newest if spec.start_after is None else spec.start_after
    if not 0 <= start <= newest:
        message = f"{start} is not a position of the feed log (0 to {newest})"
        raise _fail("start_after", message, "bad_start")
    row.cursor = start
    session.add(row)
    try:
        session.flush()
    except IntegrityError as error:  # registered meanwhile by another transaction
        message = f"a consumer {name!r} is already registered"
        raise _fail("name", message, "consumer_exists") from error
    return row


def update_consumer(session: Session, name: str, change: ConsumerChange) -> FeedConsumer:
    """Change a consumer's endpoint, key, organisation, filters or enabled state.

    Args:
        session: a games-plane session (commit it to apply the change).
        name: the consumer's name.
        change: the fields to set (None keeps a value).

    Raises:
        NotFoundError: `consumer_not_found`.
        InvalidInputError: `nothing_to_change`, or a format code of `register_consumer`.
    """
    consumer = get_consumer(session, name)
    if not change.changed():
        raise _fail("body", "give at least one field to change", "nothing_to_change")
    if change.endpoint is not None:
        consumer.endpoint = _check_endpoint(change.endpoint)
    if change.api_key is not None:
        consumer.api_key = _check_api_key(change.api_key)
    if change.organisation is not None:
        consumer.organisation = _check_organisation(change.organisation)
    if change.disciplines is not None:
        consumer.disciplines = _check_disciplines(session, change.disciplines)
    if change.document_types is not None:
        consumer.document_types = _check_document_types(change.document_types)
    if change.enabled is not None:
        consumer.enabled = change.enabled
    session.flush()
    return consumer


def remove_consumer(session: Session, name: str) -> None:
    """Remove a consumer and its pending re-sends (the feed log itself is untouched).

    Raises:
        NotFoundError: `consumer_not_found`.
    """
    consumer = get_consumer(session, name)
    session.execute(delete(FeedResend).where(FeedResend.consumer == name))
    session.delete(consumer)
    session.flush()


def _status(session: Session, consumer: FeedConsumer, newest: int) -> QueueStatus:
    disciplines, document_types = consumer_filters(consumer)
    query = select(func.count()).select_from(FeedMessage).where(FeedMessage.seq > consumer.cursor)
    if disciplines:
        query = query.where(FeedMessage.discipline.in_(disciplines))
    if document_types:
        query = query.where(FeedMessage.document_type.in_(document_types))
    resends = select(func.count()).select_from(FeedResend)
    return QueueStatus(
        name=consumer.name,
        organisation=consumer.organisation,
        endpoint=consumer.endpoint,
        enabled=consumer.enabled,
        disciplines=disciplines,
        document_types=document_types,
        api_key_set=bool(consumer.api_key),
        cursor=consumer.cursor,
        newest_seq=newest,
        pending=session.scalar(query) or 0,
        resends=session.scalar(resends.where(FeedResend.consumer == consumer.name)) or 0,
        in_flight=consumer.in_flight,
        attempts=consumer.attempts,
        last_error=consumer.last_error,
        last_attempt_at=consumer.last_attempt_at,
    )


def queue_status(session: Session, name: str) -> QueueStatus:
    """Return a consumer's settings (without its key) and its queue.

    Raises:
        NotFoundError: `consumer_not_found`.
    """
    return _status(session, get_consumer(session, name), last_seq(session))


def list_status(session: Session) -> list[QueueStatus]:
    """Return every consumer's settings and queue, by name."""
    newest = last_seq(session)
    consumers = session.scalars(select(FeedConsumer).order_by(FeedConsumer.name))
    return [_status(session, consumer, newest) for consumer in consumers]


def _queue(
    session: Session, name: str, seqs: Sequence[int], requested_by: str, now: datetime
) -> list[int]:
    if not 0 < len(requested_by) <= 80:
        raise _fail("requested_by", "must be 1-80 characters", "bad_requested_by")
    ordered = sorted(set(seqs))
    waiting = set(session.scalars(select(FeedResend.seq).where(FeedResend.consumer == name)))
    session.add_all(  # a message already waiting to go again is queued once
        FeedResend(consumer=name, seq=seq, requested_at=now, requested_by=requested_by)
        for seq in ordered
        if seq not in waiting
    )
    session.flush()
    return ordered


def request_resend(
    session: Session, name: str, seqs: Sequence[int], requested_by: str, now: datetime
) -> list[int]:
    """Queue messages of the feed log, by sequence number, to send again to a consumer.

    Re-sent messages go before the consumer's next new message, oldest first, each
    marked `X-Podium-Resend: true`; they go whatever the consumer's filters (an operator
    asked for them) and do not move its cursor.

    Args:
        session: a games-plane session (commit it to queue them).
        name: the consumer's name.
        seqs: sequence numbers (repeats count once; at most `MAX_RESEND`).
        requested_by: who asked (operator account id or `system`, ≤ 80 characters).
        now: when (aware UTC).

    Returns:
        The sequence numbers queued, ascending (one already waiting is not queued twice).

    Raises:
        NotFoundError: `consumer_not_found`; `message_not_found` naming the missing ones.
        InvalidInputError: `no_messages_given`, `bad_seq`, `too_many_messages`,
            `bad_requested_by`.

    Rule source: ODF Foundation Principles §8 (re-send from the archive).
    """
    get_consumer(session, name)
    if not seqs:
        raise _fail("seqs", "give at least one sequence number", "no_messages_given")
    bad = [seq for seq in seqs if seq < 1]
    if bad:
        raise _fail("seqs", f"{bad[0]} is not a sequence number (1 or more)", "bad_seq")
    wanted = set(seqs)
    if len(wanted) > MAX_RESEND:
        message = f"{len(wanted)} messages; at most {MAX_RESEND} a request"
        raise _fail("seqs", message, "too_many_messages")
    found = set(session.scalars(select(FeedMessage.seq).where(FeedMessage.seq.in_(wanted))))
    missing = sorted(wanted - found)
    if missing:
        listed = ", ".join(str(seq) for seq in missing[:10]) + (" ..." if missing[10:] else "")
        raise NotFoundError(f"seqs: {listed} not in the feed log", code="message_not_found")
    return _queue(session, name, sorted(wanted), requested_by, now)


def _check_search(search: ArchiveSearch) -> ArchiveSearch:
    if all(getattr(search, f.name) is None for f in fields(search)):
        message = "give logical_date, document_code, document_type, version or discipline"
        raise _fail("search", message, "search_empty")
    if search.document_type is not None and not _DOCUMENT_TYPE.fullmatch(search.document_type):
        message = f"{search.document_type!r} is not a DocumentType"
        raise _fail("document_type", message, "bad_document_type")
    if search.discipline is not None and not _DISCIPLINE.fullmatch(search.discipline):
        message = f"{search.discipline!r} is not a discipline code"
        raise _fail("discipline", message, "bad_discipline")
    if search.version is not None and search.version < 1:
        raise _fail("version", f"{search.version} is not a Version (1 or more)", "bad_version")
    return search


def request_archive_resend(
    session: Session, name: str, search: ArchiveSearch, requested_by: str, now: datetime
) -> list[int]:
    """Queue every message matching an archive search to send again to a consumer.

    Args:
        session: a games-plane session (commit it to queue them).
        name: the consumer's name.
        search: LogicalDate, DocumentCode, DocumentType, Version, discipline (any given).
        requested_by: who asked (operator account id or `system`).
        now: when (aware UTC).

    Returns:
        The sequence numbers queued, ascending.

    Raises:
        NotFoundError: `consumer_not_found`; `message_not_found` when nothing matches.
        InvalidInputError: `search_empty`, `bad_document_type`, `bad_discipline`,
            `bad_version`, `too_many_messages` (narrow the search), `bad_requested_by`.

    Rule source: ODF Foundation Principles §8 (the archive's search fields).
    """
    get_consumer(session, name)
    search = _check_search(search)
    events = find_messages(
        session,
        logical_date=search.logical_date,
        document_code=search.document_code,
        document_type=search.document_type,
        version=search.version,
        discipline=search.discipline,
        limit=MAX_RESEND + 1,
    )
    if not events:
        raise NotFoundError("search: no message of the feed log matches", code="message_not_found")
    if len(events) > MAX_RESEND:
        message = f"more than {MAX_RESEND} messages match; narrow the search"
        raise _fail("search", message, "too_many_messages")
    return _queue(session, name, [event.seq for event in events], requested_by, now)
