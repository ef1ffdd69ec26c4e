"""Tables of the accreditation domain: organisations, quotas, accreditations, their history.

All of these live in the games plane (DESIGN.md: "accreditation decisions" are games-plane
data): a data subject appears only by the pseudonymous `subject_id`. The name, birth date,
document and photo stay in the sovereign plane (`podium.people`), and so do vetting
outcomes.
"""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped

from podium.core.categories import DataCategory, column
from podium.core.db import GamesBase
from podium.core.types import UtcDateTime

__all__ = [
    "Accreditation",
    "AccreditationStatus",
    "AccreditationStep",
    "Organisation",
    "OrganisationQuota",
]

_C = DataCategory.COMPETITION
_SYS = DataCategory.SYSTEM
_PSEUDO = DataCategory.PSEUDONYM


class AccreditationStatus(enum.StrEnum):
    """The statuses of the accreditation lifecycle.

    Applied → in vetting → approved or refused → printed → validated at collection →
    suspended or revoked (Podium issue 5, after the Olympic Management System's flow).
    """

    APPLIED = "applied"
    IN_VETTING = "in_vetting"
    APPROVED = "approved"
    REFUSED = "refused"
    PRINTED = "printed"
    VALIDATED = "validated"
    SUSPENDED = "suspended"
    REVOKED = "revoked"


class Organisation(GamesBase):
    """A responsible organisation: it registers its people and answers for them.

    Attributes:
        code: short code: a NOC (`FRA`), a federation (`WA`, `FIBA`), a media
            organisation (`AFP`), the organising committee's workforce (`PARIS2024`).
        name: full name.
        kind: `noc`, `if`, `media`, `workforce`, `ocog`, `partner` or `other`.

    """

    __tablename__ = "organisation"

    code: Mapped[str] = column(_C, String(12), primary_key=True)
    name: Mapped[str] = column(_C, String(160))
    kind: Mapped[str] = column(_C, String(12))


class OrganisationQuota(GamesBase):
    """How many accreditations of one category an organisation may hold.

    Refused and revoked accreditations do not count against the quota.
    """

    __tablename__ = "organisation_quota"

    organisation_code: Mapped[str] = column(_C, ForeignKey("organisation.code"), primary_key=True)
    category: Mapped[str] = column(_C, String(8), primary_key=True)
    quota: Mapped[int] = column(_C, Integer)


class Accreditation(GamesBase):
    """One data subject's accreditation: its category, its status and its card.

    Attributes:
        id: accreditation number (also the credential's identifier on the card).
        subject_id: pseudonymous subject ID (the person lives in the sovereign plane).
        organisation_code: the responsible organisation.
        category: accreditation category code (`A`, `Aa`, `E`, `RT`, ...), see the
            access configuration.
        function: the person's function (`Athlete`, `Coach`, `Photographer`, ...).
        status: an `AccreditationStatus` value.
        reason: why the current status was set (refusal, suspension or revocation reason).
        participant_code: the ODF participant code when the person competes or coaches.
        applied_at: when the application was made.
        updated_at: when the status last changed.
        vetting_due_at: when the vetting authority's answer is due (statutory timer).
        valid_from: first instant the card admits.
        valid_until: last instant the card admits.
        card_serial: how many times a card was printed (a re-print gets a new serial and the
            old card's credential is revoked).

    """

    __tablename__ = "accreditation"

    id: Mapped[int] = column(_C, Integer, primary_key=True, autoincrement=True)
    subject_id: Mapped[str] = column(_PSEUDO, String(32), unique=True)
    organisation_code: Mapped[str] = column(_C, ForeignKey("organisation.code"), index=True)
    category: Mapped[str] = column(_C, String(8), index=True)
    function: Mapped[str | None] = column(_C, String(60))
    status: Mapped[str] = column(_C, String(12), index=True)
    reason: Mapped[str | None] = column(_C, String(200))
    participant_code: Mapped[str | None] = column(
        _C, String(20), index=True, info={"subject_link": "participant"}
    )
    applied_at: Mapped[datetime] = column(_C, UtcDateTime())
    updated_at: Mapped[datetime] = column(_C, UtcDateTime())
    vetting_due_at: Mapped[datetime | None] = column(_C, UtcDateTime())
    valid_from: Mapped[datetime | None] = column(_C, UtcDateTime())
    valid_until: Mapped[datetime | None] = column(_C, UtcDateTime())
    card_serial: Mapped[int] = column(_C, Integer, default=0)


class AccreditationStep(GamesBase):
    """One step of an accreditation's history (who moved it, when, from what, to what, why).

    The audit log (sovereign plane) holds the tamper-evident record; this table lets the
    desk show the history without reading the audit log.
    """

    __tablename__ = "accreditation_step"

    id: Mapped[int] = column(_SYS, Integer, primary_key=True, autoincrement=True)
    accreditation_id: Mapped[int] = column(
        _C, ForeignKey("accreditation.id", ondelete="CASCADE"), index=True
    )
    at: Mapped[datetime] = column(_C, UtcDateTime())
    from_status: Mapped[str | None] = column(_C, String(12))
    to_status: Mapped[str] = column(_C, String(12))
    reason: Mapped[str | None] = column(_C, String(200))
    by: Mapped[str] = column(_PSEUDO, String(16))
