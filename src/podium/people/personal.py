"""A data subject's personal record, read through the policy enforcement point.

Every protected field of `Person` is decided, decrypted or pseudonymised, and audited
by `podium.privacy.access.read_fields`; nothing here decrypts on its own.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from podium.core.errors import NotFoundError
from podium.people.models import Participant, Person
from podium.privacy.access import FieldValue, SealedField, read_fields
from podium.privacy.operators import Principal
from podium.privacy.register import is_restricted
from podium.privacy.spine import Spine

__all__ = ["personal_record", "sealed_fields", "subject_of"]


def sealed_fields(person: Person) -> dict[str, SealedField]:
    """Return the protected fields of a person, as stored (name → category and token)."""
    return {
        col.key: SealedField(col.info["category"], getattr(person, col.key))
        for col in Person.__table__.columns
        if col.info.get("sealed")
    }


def subject_of(games: Session, code: str) -> str:
    """Return the subject ID of a participant from its ODF code.

    Raises:
        NotFoundError: no participant has this code (`participant_not_found`).
    """
    subject = games.scalar(select(Participant.subject_id).where(Participant.code == code))
    if subject is None:
        raise NotFoundError(f"no participant {code!r}", code="participant_not_found")
    return subject


def personal_record(
    spine: Spine, sovereign: Session, principal: Principal, subject: str
) -> dict[str, FieldValue]:
    """Read a subject's protected fields as the policy allows, and audit the read.

    Args:
        spine: the node's privacy services.
        sovereign: a sovereign-plane session (the audit record joins its transaction).
        principal: the operator reading, with the purpose declared.
        subject: the subject ID.

    Returns:
        Field name (`full_name`, `birth_date`) → value, effect and reason.

    Raises:
        NotFoundError: the sovereign plane holds no person for this subject
            (`person_not_found`), e.g. after an erasure.
    """
    person = sovereign.get(Person, subject)
    if person is None:
        raise NotFoundError(f"no personal record for subject {subject}", code="person_not_found")
    return read_fields(
        spine,
        sovereign,
        principal,
        action="people.person.read",
        subject=subject,
        fields=sealed_fields(person),
        restricted=is_restricted(sovereign, subject),
    )
