"""Tables of the accreditation domain: organisations, quotas, accreditations, their history.

All of these live in the games plane (DESIGN.md: "accreditation decisions" are games-plane
data): a data subject appears only by the pseudonymous `subject_id`. The name, birth date,
document and photo stay in the sovereign plane (`podium.people`), and so do vetting
outcomes.
"""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, Integer, LargeBinary, String
from sqlalchemy.orm import Mapped

from podium.core.categories import DataCategory, column
from podium.core.db import GamesBase, SovereignBase
from podium.core.types import UtcDateTime

__all__ = [
    "Accreditation",
    "AccreditationStatus",
    "AccreditationStep",
    "CredentialRevocation",
    "Organisation",
    "OrganisationQuota",
    "RevocationList",
    "VettingCase",
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
        appealed_at: when a refusal was appealed (a refusal may be appealed once).
        credential: the current card's signed credential as Base45 text (no personal
            data: number, serial, validity and grants), None before printing.

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
    appealed_at: Mapped[datetime | None] = column(_C, UtcDateTime())
    credential: Mapped[str | None] = column(_C, String(600))


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


class CredentialRevocation(GamesBase):
    """A revoked card serial: an entry of the signed revocation list gates load.

    Attributes:
        id: entry number, in the order of revocation.
        credential_id: the accreditation number printed on the card.
        card_serial: the revoked card's serial (a re-print revokes only the old serial).
        reason: why (`revoked`, `reprinted`, the operator's reason).
        revoked_at: when.
        list_serial: serial number of the first published revocation list carrying the
            entry; None until the next publication (a delta holds the entries of one list).

    """

    __tablename__ = "credential_revocation"

    id: Mapped[int] = column(_SYS, Integer, primary_key=True, autoincrement=True)
    credential_id: Mapped[int] = column(_C, Integer, index=True)
    card_serial: Mapped[int] = column(_C, Integer)
    reason: Mapped[str] = column(_C, String(200))
    revoked_at: Mapped[datetime] = column(_C, UtcDateTime())
    list_serial: Mapped[int | None] = column(_SYS, Integer, index=True)


class RevocationList(GamesBase):
    """One published revocation list (its serial number, time and size)."""

    __tablename__ = "revocation_list"

    serial: Mapped[int] = column(_SYS, Integer, primary_key=True, autoincrement=False)
    published_at: Mapped[datetime] = column(_SYS, UtcDateTime())
    entries: Mapped[int] = column(_SYS, Integer)


class VettingCase(SovereignBase):
    """A screening request to the vetting authority and its answer (sovereign plane).

    The opinion (`favourable` or `unfavourable`, with the authority's note) is vetting
    data: sealed with the subject's vetting key (`podium.privacy.fields`). The games
    plane learns only the decision (approved or refused).

    Attributes:
        id: case number.
        subject_id: pseudonymous subject ID.
        accreditation_id: the accreditation screened.
        opened_at: when the case was sent.
        due_at: when the answer is due (opened + the statutory period, calendar months).
        closed_at: when it was answered or timed out.
        state: `open`, `answered` or `timeout` (no answer in time counts as a refusal).
        opinion: the sealed opinion, None while open or after a timeout.
        decided_by: the vetting officer's account id, or `system`.

    """

    __tablename__ = "vetting_case"

    id: Mapped[int] = column(_SYS, Integer, primary_key=True, autoincrement=True)
    subject_id: Mapped[str] = column(_PSEUDO, String(32), index=True)
    accreditation_id: Mapped[int] = column(_SYS, Integer, index=True)
    opened_at: Mapped[datetime] = column(_SYS, UtcDateTime())
    due_at: Mapped[datetime] = column(_SYS, UtcDateTime(), index=True)
    closed_at: Mapped[datetime | None] = column(_SYS, UtcDateTime())
    state: Mapped[str] = column(_SYS, String(12), index=True)
    opinion: Mapped[bytes | None] = column(DataCategory.VETTING, LargeBinary, info={"sealed": True})
    decided_by: Mapped[str | None] = column(_PSEUDO, String(16))
