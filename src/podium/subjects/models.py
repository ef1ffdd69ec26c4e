"""Tables of the data-subject rights service (sovereign plane): legal holds and requests.

Both hold pseudonyms only and are accountability records (GDPR Art. 5(2)): category
`audit`, kept under Art. 17(3)(b) and (e) when the subject's data is erased.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, Integer, String, Text
from sqlalchemy.orm import Mapped

from podium.core.categories import DataCategory, column
from podium.core.db import SovereignBase
from podium.core.types import UtcDateTime

__all__ = ["LegalHold", "SubjectRequest"]

_A = DataCategory.AUDIT
_SYS = DataCategory.SYSTEM
_PSEUDONYM = DataCategory.PSEUDONYM


class LegalHold(SovereignBase):
    """A legal hold: some of a subject's data must be kept despite an erasure request.

    Attributes:
        id: sequential hold number.
        subject_id: the subject's pseudonym.
        categories: data categories held, space-separated, or `all`.
        reason: the claim or obligation (GDPR Art. 17(3)(b), (e)); no personal data.
        placed_by: operator account id, or `system`.
        placed_at: when the hold was placed.
        lifted_at: when it was lifted; None while active.

    """

    __tablename__ = "legal_hold"

    id: Mapped[int] = column(_SYS, Integer, primary_key=True, autoincrement=True)
    subject_id: Mapped[str] = column(_PSEUDONYM, String(64), index=True)
    categories: Mapped[str] = column(_A, String(400))
    reason: Mapped[str] = column(_A, Text)
    placed_by: Mapped[str] = column(_A, String(64))
    placed_at: Mapped[datetime] = column(_A, UtcDateTime)
    lifted_at: Mapped[datetime | None] = column(_A, UtcDateTime)


class SubjectRequest(SovereignBase):
    """A data-subject request and its deadline (GDPR Art. 12(3)).

    Attributes:
        id: `DSR-000001`, sequential.
        subject_id: the subject's pseudonym.
        kind: access, rectification, erasure, restriction, portability or objection.
        received_at: when the request was received.
        due_on: received date plus one month (Regulation 1182/71 Art. 3(2)(c)).
        extended_to: the deadline after an extension by two further months, if any.
        extension_reason: why the request needed the extension (told to the subject).
        status: open, completed or refused.
        completed_at: when it was closed.
        outcome: what was done, in words; no personal data.
        handled_by: operator account id that closed it, or `system`.

    """

    __tablename__ = "subject_request"

    id: Mapped[str] = column(_SYS, String(12), primary_key=True)
    subject_id: Mapped[str] = column(_PSEUDONYM, String(64), index=True)
    kind: Mapped[str] = column(_A, String(16))
    received_at: Mapped[datetime] = column(_A, UtcDateTime)
    due_on: Mapped[date] = column(_A, Date)
    extended_to: Mapped[date | None] = column(_A, Date)
    extension_reason: Mapped[str | None] = column(_A, Text)
    status: Mapped[str] = column(_A, String(12))
    completed_at: Mapped[datetime | None] = column(_A, UtcDateTime)
    outcome: Mapped[str | None] = column(_A, Text)
    handled_by: Mapped[str | None] = column(_A, String(64))
