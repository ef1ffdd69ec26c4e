"""Rectification (Art. 16), restriction (Art. 18) and legal holds on a data subject.

Each function is one sovereign-plane transaction that also appends its audit record,
so a change that is not audited cannot happen (Art. 5(2)).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from podium.core.categories import DataCategory
from podium.core.clock import Clock, system_clock
from podium.core.db import Planes
from podium.core.errors import InvalidInputError
from podium.people import Person
from podium.privacy.access import record_write
from podium.privacy.errors import KeyDestroyedError
from podium.privacy.register import SubjectStatus, status_of
from podium.privacy.spine import Spine
from podium.subjects._planes import both_metadata
from podium.subjects.errors import (
    HoldNotFoundError,
    RectificationError,
    SubjectErasedError,
    SubjectNotFoundError,
)
from podium.subjects.locate import resolve_subject
from podium.subjects.models import LegalHold

__all__ = [
    "ALL_CATEGORIES",
    "active_holds",
    "held_categories",
    "lift_hold",
    "lift_restriction",
    "place_hold",
    "rectify",
    "resolve",
    "restrict",
]

ALL_CATEGORIES = "all"
"""The `categories` value of a hold on every category of the subject's data."""
_PURPOSE = "data-subject-rights"
_MAX_NAME = 200


def resolve(planes: Planes, subject_or_code: str) -> str:
    """Return the subject ID of a participant code or subject ID.

    Raises:
        SubjectNotFoundError: no participant code or subject ID matches.

    """
    return resolve_subject(planes, subject_or_code, both_metadata()).subject_id


def _require_not_erased(session: Session, subject: str) -> None:
    status = session.get(SubjectStatus, subject)
    if status is not None and status.erased_at is not None:
        raise SubjectErasedError(
            f"subject {subject} was erased on {status.erased_at:%Y-%m-%d}: nothing to change"
        )


def _sealed_columns() -> dict[str, DataCategory]:
    return {
        col.name: col.info["category"] for col in Person.__table__.columns if col.info.get("sealed")
    }


def _checked_value(name: str, value: str) -> str:
    text = value.strip()
    if name == "birth_date":
        try:
            return date.fromisoformat(text).isoformat()
        except ValueError:
            raise RectificationError(
                f"birth_date: {value!r} is not a date as YYYY-MM-DD", code="birth_date_invalid"
            ) from None
    if not text or len(text) > _MAX_NAME:
        raise RectificationError(
            f"{name}: a value of 1-{_MAX_NAME} characters is required", code=f"{name}_invalid"
        )
    return text


def rectify(  # noqa: PLR0913 - the subject, the changes, who and for which request
    planes: Planes,
    spine: Spine,
    subject: str,
    changes: Mapping[str, str],
    operator: str,
    *,
    request_id: str | None = None,
) -> list[str]:
    """Correct a subject's protected fields and re-seal them, audited.

    Args:
        planes: both planes.
        spine: the node's privacy services.
        subject: subject ID or ODF participant code.
        changes: field name (`full_name`, `birth_date` as `YYYY-MM-DD`) → new value.
        operator: operator account id, or `system`.
        request_id: the data-subject request it fulfils (`DSR-000001`), if any.

    Returns:
        The names of the fields rewritten, sorted.

    Raises:
        SubjectNotFoundError: unknown subject, or no personal record (`person_not_found`).
        SubjectErasedError: the subject was erased, or the field's key was shredded.
        RectificationError: unknown field (`rectification_invalid`), malformed value
            (`birth_date_invalid`, `full_name_invalid`).

    Source: GDPR Art. 16 (rectification), Art. 5(1)(d) (accuracy).

    """
    sealed = _sealed_columns()
    unknown = sorted(set(changes) - set(sealed))
    if unknown or not changes:
        raise RectificationError(
            f"fields {', '.join(unknown) or '(none)'}: only {', '.join(sorted(sealed))} "
            "can be rectified"
        )
    values = {name: _checked_value(name, value) for name, value in changes.items()}
    sid = resolve(planes, subject)
    with planes.sovereign_session() as session:
        _require_not_erased(session, sid)
        person = session.get(Person, sid)
        if person is None:
            raise SubjectNotFoundError(
                f"no personal record for subject {sid}", code="person_not_found"
            )
        for name, value in values.items():
            try:
                token = spine.cipher.seal(sid, sealed[name].value, name, value)
            except KeyDestroyedError:
                raise SubjectErasedError(
                    f"{name} of subject {sid} was erased (its key was destroyed)"
                ) from None
            setattr(person, name, token)
        record_write(
            spine,
            session,
            operator=operator,
            action="subjects.person.rectify",
            subject=sid,
            fields=tuple(f"person.{n}" for n in values),
            purpose=_PURPOSE,
            reason=request_id,
        )
    return sorted(values)


def restrict(  # noqa: PLR0913 - the subject, the ground, who, when
    planes: Planes,
    spine: Spine,
    subject: str,
    reason: str,
    operator: str,
    *,
    clock: Clock = system_clock,
) -> str:
    """Restrict processing of a subject's data (GDPR Art. 18).

    While restricted, the policy denies every purpose but the exempt ones
    (`restriction_exempt_purposes`: the subject's own requests, legal claims).

    Args:
        planes: both planes.
        spine: the node's privacy services.
        subject: subject ID or ODF participant code.
        reason: the ground of Art. 18(1) (`accuracy-contested`, `unlawful`…), ≤ 200
            characters, no personal data.
        operator: operator account id, or `system`.
        clock: the time recorded.

    Returns:
        The subject ID.

    Raises:
        SubjectNotFoundError: unknown subject.
        SubjectErasedError: the subject was erased.
        InvalidInputError: empty or over-long reason (`reason_invalid`).

    Source: GDPR Art. 18(1), (2).

    """
    text = reason.strip()
    if not text or len(text) > _MAX_NAME:
        raise InvalidInputError("reason: 1-200 characters required", code="reason_invalid")
    sid = resolve(planes, subject)
    with planes.sovereign_session() as session:
        _require_not_erased(session, sid)
        status = status_of(session, sid)
        status.restricted_at = clock()
        status.restriction_reason = text
        record_write(
            spine,
            session,
            operator=operator,
            action="subjects.subject.restrict",
            subject=sid,
            fields=(),
            purpose=_PURPOSE,
            decision="restrict",
            reason=text,
        )
    return sid


def lift_restriction(planes: Planes, spine: Spine, subject: str, operator: str) -> bool:
    """Lift a subject's restriction of processing (the subject is told first, Art. 18(3)).

    Args:
        planes: both planes.
        spine: the node's privacy services.
        subject: subject ID or ODF participant code.
        operator: operator account id, or `system`.

    Returns:
        Whether a restriction was lifted (False: none was in place; nothing written).

    Raises:
        SubjectNotFoundError: unknown subject.

    Source: GDPR Art. 18(3).

    """
    sid = resolve(planes, subject)
    with planes.sovereign_session() as session:
        status = session.get(SubjectStatus, sid)
        if status is None or status.restricted_at is None:
            return False
        status.restricted_at = None
        status.restriction_reason = None
        record_write(
            spine,
            session,
            operator=operator,
            action="subjects.subject.lift",
            subject=sid,
            fields=(),
            purpose=_PURPOSE,
            decision="lift",
        )
    return True


def _categories_text(categories: Iterable[str] | None) -> str:
    names = sorted(set(categories or ()))
    if not names or names == [ALL_CATEGORIES]:
        return ALL_CATEGORIES
    known = {c.value for c in DataCategory}
    unknown = [n for n in names if n not in known]
    if unknown:
        raise InvalidInputError(
            f"category: unknown {', '.join(unknown)} (known: {', '.join(sorted(known))})",
            code="category_unknown",
        )
    return " ".join(names)


def place_hold(  # noqa: PLR0913 - the subject, what, why, who, when
    planes: Planes,
    spine: Spine,
    subject: str,
    reason: str,
    operator: str,
    *,
    categories: Iterable[str] | None = None,
    clock: Clock = system_clock,
) -> int:
    """Place a legal hold: the held categories survive an erasure until it is lifted.

    Args:
        planes: both planes.
        spine: the node's privacy services.
        subject: subject ID or ODF participant code.
        reason: the claim or obligation, no personal data.
        operator: operator account id, or `system`.
        categories: `DataCategory` values held; None or `all` holds everything.
        clock: the time recorded.

    Returns:
        The hold's id.

    Raises:
        SubjectNotFoundError: unknown subject.
        InvalidInputError: unknown category (`category_unknown`), empty reason
            (`reason_invalid`).

    Source: GDPR Art. 17(3)(b) legal obligation, (e) legal claims.

    """
    text = reason.strip()
    if not text:
        raise InvalidInputError("reason: a reason is required", code="reason_invalid")
    held = _categories_text(categories)
    sid = resolve(planes, subject)
    with planes.sovereign_session() as session:
        hold = LegalHold(
            subject_id=sid, categories=held, reason=text, placed_by=operator, placed_at=clock()
        )
        session.add(hold)
        session.flush()
        record_write(
            spine,
            session,
            operator=operator,
            action="subjects.hold.place",
            subject=sid,
            fields=(),
            purpose="legal-claims",
            decision="hold",
            reason=f"hold {hold.id}: {held}",
        )
        return hold.id


def lift_hold(
    planes: Planes, spine: Spine, hold_id: int, operator: str, *, clock: Clock = system_clock
) -> str:
    """Lift an active legal hold; a later erasure then erases what it kept.

    Args:
        planes: both planes.
        spine: the node's privacy services.
        hold_id: the hold's id.
        operator: operator account id, or `system`.
        clock: the time recorded.

    Returns:
        The subject ID the hold was on.

    Raises:
        HoldNotFoundError: no active hold has this id.

    Source: GDPR Art. 17(3)(e).

    """
    with planes.sovereign_session() as session:
        hold = session.get(LegalHold, hold_id)
        if hold is None or hold.lifted_at is not None:
            raise HoldNotFoundError(f"no active legal hold {hold_id}")
        hold.lifted_at = clock()
        record_write(
            spine,
            session,
            operator=operator,
            action="subjects.hold.lift",
            subject=hold.subject_id,
            fields=(),
            purpose="legal-claims",
            decision="lift",
            reason=f"hold {hold_id}",
        )
        return hold.subject_id


def active_holds(session: Session, subject: str) -> list[LegalHold]:
    """Return the subject's active legal holds, oldest first."""
    query = (
        select(LegalHold)
        .where(LegalHold.subject_id == subject, LegalHold.lifted_at.is_(None))
        .order_by(LegalHold.id)
    )
    return list(session.scalars(query))


def held_categories(holds: Iterable[LegalHold]) -> dict[DataCategory, str]:
    """Return each held category with the reason of the (first) hold keeping it."""
    held: dict[DataCategory, str] = {}
    for hold in holds:
        names = (
            [c.value for c in DataCategory]
            if hold.categories == ALL_CATEGORIES
            else hold.categories.split()
        )
        for name in names:
            held.setdefault(DataCategory(name), f"legal hold {hold.id}: {hold.reason}")
    return held
