"""The register of data-subject requests and their deadlines (GDPR Art. 12(3)).

A request is answered "without undue delay and in any event within one month of
receipt", extendable "by two further months where necessary", the subject being told
why. A month is counted as Regulation (EEC, Euratom) No 1182/71 Art. 3(2)(c) says: the
period ends on the same date of the next month, or on its last day when that month has
no such date (31 January → 28 or 29 February); `dateutil.relativedelta` does exactly that.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from dateutil.relativedelta import relativedelta
from sqlalchemy import select
from sqlalchemy.orm import Session

from podium.core.clock import Clock, system_clock
from podium.core.db import Planes
from podium.privacy.access import record_write
from podium.privacy.spine import Spine
from podium.subjects.errors import RequestNotFoundError, RequestStateError
from podium.subjects.models import SubjectRequest
from podium.subjects.rights import resolve

__all__ = [
    "KINDS",
    "RequestView",
    "close_request",
    "due_date",
    "extend_request",
    "extended_date",
    "list_requests",
    "register_request",
    "request_kind",
]

KINDS = ("access", "rectification", "erasure", "restriction", "portability", "objection")
"""The kinds of request (Art. 15, 16, 17, 18, 20, 21)."""
OPEN, COMPLETED, REFUSED = "open", "completed", "refused"
_PURPOSE = "data-subject-rights"


def due_date(received: date) -> date:
    """Return the answer's deadline: one month after receipt (Art. 12(3), 1182/71 Art. 3).

    Args:
        received: the day the request was received.

    Returns:
        The same date next month, or that month's last day when it has no such date.

    """
    return received + relativedelta(months=1)


def extended_date(received: date) -> date:
    """Return the deadline extended by two further months (three months after receipt)."""
    return received + relativedelta(months=3)


@dataclass(frozen=True, slots=True)
class RequestView:
    """A request with its deadline computed against a given day.

    Attributes:
        id: `DSR-000001`.
        subject_id: the subject's pseudonym.
        kind: the kind of request.
        status: open, completed or refused.
        received_on: the day it was received.
        deadline: `extended_to` if extended, else `due_on`.
        extended: whether the deadline was extended.
        days_left: days from the given day to the deadline (negative when past).
        overdue: open and past its deadline.
        outcome: what was done, once closed.

    """

    id: str
    subject_id: str
    kind: str
    status: str
    received_on: date
    deadline: date
    extended: bool
    days_left: int
    overdue: bool
    outcome: str | None

    @classmethod
    def of(cls, request: SubjectRequest, today: date) -> RequestView:
        """Build the view of a stored request as seen on `today`."""
        deadline = request.extended_to or request.due_on
        return cls(
            id=request.id,
            subject_id=request.subject_id,
            kind=request.kind,
            status=request.status,
            received_on=request.received_at.date(),
            deadline=deadline,
            extended=request.extended_to is not None,
            days_left=(deadline - today).days,
            overdue=request.status == OPEN and today > deadline,
            outcome=request.outcome,
        )


def _next_id(session: Session) -> str:
    ids = session.scalars(select(SubjectRequest.id)).all()
    number = max((int(i.removeprefix("DSR-")) for i in ids), default=0) + 1
    return f"DSR-{number:06d}"


def _audit(spine: Spine, session: Session, request: SubjectRequest, step: str, who: str) -> None:
    record_write(
        spine,
        session,
        operator=who,
        action=f"subjects.request.{step}",
        subject=request.subject_id,
        fields=(),
        purpose=_PURPOSE,
        decision=step,
        reason=f"{request.id} {request.kind}",
    )


def register_request(  # noqa: PLR0913 - the subject, the kind, who, when
    planes: Planes,
    spine: Spine,
    subject: str,
    kind: str,
    *,
    operator: str = "system",
    clock: Clock = system_clock,
) -> RequestView:
    """Register a data-subject request and set its deadline.

    Args:
        planes: both planes.
        spine: the node's privacy services.
        subject: subject ID or ODF participant code.
        kind: one of `KINDS`.
        operator: who registers it.
        clock: the time of receipt.

    Returns:
        The request, with `due_on` one month after receipt.

    Raises:
        RequestStateError: unknown kind (`request_kind_unknown`).
        SubjectNotFoundError: unknown subject.

    Source: GDPR Art. 12(3); Regulation 1182/71 Art. 3(2)(c).

    """
    if kind not in KINDS:
        raise RequestStateError(
            f"kind: {kind!r} is not one of {', '.join(KINDS)}", code="request_kind_unknown"
        )
    sid = resolve(planes, subject)
    now: datetime = clock()
    with planes.sovereign_session() as session:
        request = SubjectRequest(
            id=_next_id(session),
            subject_id=sid,
            kind=kind,
            received_at=now,
            due_on=due_date(now.date()),
            status=OPEN,
        )
        session.add(request)
        session.flush()
        _audit(spine, session, request, "register", operator)
        return RequestView.of(request, now.date())


def _open_request(session: Session, request_id: str) -> SubjectRequest:
    request = session.get(SubjectRequest, request_id)
    if request is None:
        raise RequestNotFoundError(f"no data-subject request {request_id!r}")
    if request.status != OPEN:
        raise RequestStateError(f"request {request_id} is already {request.status}")
    return request


def extend_request(  # noqa: PLR0913 - the request, why, who, when
    planes: Planes,
    spine: Spine,
    request_id: str,
    reason: str,
    *,
    operator: str = "system",
    clock: Clock = system_clock,
) -> RequestView:
    """Extend an open request's deadline by two further months, once, with a reason.

    Args:
        planes: both planes.
        spine: the node's privacy services.
        request_id: `DSR-000001`.
        reason: why (complexity, number of requests); told to the subject.
        operator: who extends it.
        clock: today, for the returned view.

    Returns:
        The request with `extended_to` three months after receipt.

    Raises:
        RequestNotFoundError: unknown id.
        RequestStateError: closed (`request_not_open`), already extended
            (`request_extended`), or no reason (`reason_invalid`).

    Source: GDPR Art. 12(3), second and third sentences.

    """
    if not reason.strip():
        raise RequestStateError("reason: an extension needs a reason", code="reason_invalid")
    with planes.sovereign_session() as session:
        request = _open_request(session, request_id)
        if request.extended_to is not None:
            raise RequestStateError(
                f"request {request_id} was already extended to {request.extended_to}",
                code="request_extended",
            )
        request.extended_to = extended_date(request.received_at.date())
        request.extension_reason = reason.strip()
        _audit(spine, session, request, "extend", operator)
        return RequestView.of(request, clock().date())


def close_request(  # noqa: PLR0913 - the request, how it ended, who, when
    planes: Planes,
    spine: Spine,
    request_id: str,
    outcome: str,
    *,
    refused: bool = False,
    operator: str = "system",
    clock: Clock = system_clock,
) -> RequestView:
    """Close an open request as completed (or refused, with the reason as outcome).

    Args:
        planes: both planes.
        spine: the node's privacy services.
        request_id: `DSR-000001`.
        outcome: what was done, or why it was refused (Art. 12(4)); no personal data.
        refused: close it as refused.
        operator: who closes it.
        clock: the time of closing.

    Returns:
        The closed request.

    Raises:
        RequestNotFoundError: unknown id.
        RequestStateError: already closed (`request_not_open`).

    Source: GDPR Art. 12(3), (4).

    """
    now = clock()
    with planes.sovereign_session() as session:
        request = _open_request(session, request_id)
        request.status = REFUSED if refused else COMPLETED
        request.completed_at = now
        request.outcome = outcome
        request.handled_by = operator
        _audit(spine, session, request, "refuse" if refused else "complete", operator)
        return RequestView.of(request, now.date())


def request_kind(planes: Planes, request_id: str) -> tuple[str, str]:
    """Return the subject ID and kind of an open request.

    Raises:
        RequestNotFoundError: unknown id.
        RequestStateError: already closed.

    """
    with planes.sovereign_session() as session:
        request = _open_request(session, request_id)
        return request.subject_id, request.kind


def list_requests(planes: Planes, today: date, *, open_only: bool = False) -> list[RequestView]:
    """List requests with their deadlines as seen on `today`, oldest first.

    Args:
        planes: both planes.
        today: the day `days_left` and `overdue` are computed against (inject the clock).
        open_only: only the open ones.

    Returns:
        The requests.

    Source: GDPR Art. 12(3), Art. 5(2) accountability.

    """
    query = select(SubjectRequest).order_by(SubjectRequest.id)
    if open_only:
        query = query.where(SubjectRequest.status == OPEN)
    with planes.sovereign_session() as session:
        return [RequestView.of(r, today) for r in session.scalars(query)]
