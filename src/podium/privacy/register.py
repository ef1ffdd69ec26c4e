"""The register of data subjects' standing: restriction of processing and erasure.

Kept by subject ID in the sovereign plane, apart from any domain's tables, so that
every domain (people, accreditation, tickets) reads one answer: a restricted subject's
data is only stored (GDPR Art. 18(2)), and an erased subject is never re-created by a
later import (Art. 17; the tombstone holds the pseudonym only).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String, select
from sqlalchemy.orm import Mapped, Session

from podium.core.categories import DataCategory, column
from podium.core.db import SovereignBase
from podium.core.types import UtcDateTime

__all__ = ["SubjectStatus", "erased_subjects", "is_restricted", "status_of"]

_A = DataCategory.AUDIT


class SubjectStatus(SovereignBase):
    """Restriction and erasure of one data subject.

    Attributes:
        subject_id: the subject's pseudonym.
        restricted_at: when processing was restricted (Art. 18); None when not restricted.
        restriction_reason: the ground of Art. 18(1) invoked (`accuracy-contested`…).
        erased_at: when the subject's data was erased (Art. 17); None when not erased.
        erasure_request: the request that erased it.

    """

    __tablename__ = "subject_status"

    subject_id: Mapped[str] = column(DataCategory.PSEUDONYM, String(64), primary_key=True)
    restricted_at: Mapped[datetime | None] = column(_A, UtcDateTime)
    restriction_reason: Mapped[str | None] = column(_A, String(200))
    erased_at: Mapped[datetime | None] = column(_A, UtcDateTime)
    erasure_request: Mapped[str | None] = column(_A, String(40))


def status_of(session: Session, subject_id: str) -> SubjectStatus:
    """Return the subject's status row, adding an empty one if there is none yet."""
    status = session.get(SubjectStatus, subject_id)
    if status is None:
        status = SubjectStatus(subject_id=subject_id)
        session.add(status)
    return status


def is_restricted(session: Session, subject_id: str) -> bool:
    """Whether the subject has obtained restriction of processing (Art. 18)."""
    status = session.get(SubjectStatus, subject_id)
    return status is not None and status.restricted_at is not None


def erased_subjects(session: Session) -> set[str]:
    """Return the subject IDs whose data was erased (never to be re-imported)."""
    return set(
        session.scalars(
            select(SubjectStatus.subject_id).where(SubjectStatus.erased_at.is_not(None))
        )
    )
