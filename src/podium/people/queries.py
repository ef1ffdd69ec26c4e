"""Reads of registered people: search by family name through the blind index.

Every protected value returned went through `podium.privacy.access.read_fields`: decided
by the policy, opened or pseudonymised, and audited (one record per decision and person).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from podium.people.models import Person, PersonRegistration
from podium.people.registration import name_index
from podium.privacy.access import FieldValue, SealedField, read_fields
from podium.privacy.operators import Principal
from podium.privacy.register import is_restricted
from podium.privacy.spine import Spine

__all__ = ["SEARCH_LIMIT", "PersonFound", "search_people"]

SEARCH_LIMIT = 50
"""Most people a search returns."""

_SHOWN = ("family_name", "given_names", "document_type", "document_number", "document_expiry")


@dataclass(frozen=True, slots=True)
class PersonFound:
    """One registered person as a search shows them to this operator.

    Attributes:
        subject_id: the pseudonymous subject ID.
        organisation: the responsible organisation.
        function: the person's function.
        category: the accreditation category applied for.
        gender: `M`, `W` or `X`.
        nationality: ISO 3166-1 alpha-3 or NOC code.
        has_photo: whether a portrait was uploaded.
        fields: protected field → value as the policy lets this operator see it.

    """

    subject_id: str
    organisation: str
    function: str | None
    category: str
    gender: str
    nationality: str
    has_photo: bool
    fields: dict[str, FieldValue]


def search_people(
    session: Session,
    spine: Spine,
    principal: Principal,
    text: str,
    organisation: str | None = None,
) -> list[PersonFound]:
    """Find registered people by family name (exact match after folding accents and case).

    Args:
        session: a sovereign-plane session; the audit records join its transaction.
        spine: the node's privacy services.
        principal: the operator searching, with the declared purpose.
        text: a family name; `muller` finds `Müller` (see `name_index`).
        organisation: only this organisation's people, if given (the caller restricts an
            organisation's operator to its own).

    Returns:
        At most `SEARCH_LIMIT` people, ordered by subject ID; names, birth date and
        document as the policy allows (`read_fields`, action `people.person.search`).

    """
    query = select(PersonRegistration, Person.birth_date).join(
        Person, Person.subject_id == PersonRegistration.subject_id
    )
    query = query.where(PersonRegistration.name_index == name_index(spine.pseudonym_key, text))
    if organisation is not None:
        query = query.where(PersonRegistration.organisation == organisation)
    found: list[PersonFound] = []
    for registration, birth in session.execute(
        query.order_by(PersonRegistration.subject_id).limit(SEARCH_LIMIT)
    ):
        fields = {
            name: SealedField(
                PersonRegistration.__table__.c[name].info["category"],
                getattr(registration, name),
            )
            for name in _SHOWN
        }
        fields["birth_date"] = SealedField(Person.__table__.c.birth_date.info["category"], birth)
        sid = registration.subject_id
        values = read_fields(
            spine,
            session,
            principal,
            action="people.person.search",
            subject=sid,
            fields=fields,
            restricted=is_restricted(session, sid),
        )
        found.append(
            PersonFound(
                subject_id=sid,
                organisation=registration.organisation,
                function=registration.function,
                category=registration.category,
                gender=registration.gender,
                nationality=registration.nationality,
                has_photo=registration.photo is not None,
                fields=values,
            )
        )
    return found
