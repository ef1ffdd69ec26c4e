"""What a card prints, gathered from both planes: `CardData` for one accreditation or many.

The published fields come from the games plane (accreditation, organisation) and from the
signed credential itself (category, zones, venues, validity: the card prints exactly what
a gate checks). The holder's name and photo come from the sovereign plane and are read
only through `podium.privacy.access.read_fields`, under the operator's policy, audited
(GDPR Art. 5(1)(f), Art. 25). A card without its holder's name identifies nobody, so an
operator whom the policy does not let read the name (an operator outside the EU/EEA, a
wrong purpose) is refused before any card is issued (`check_card_access`); a photo the
policy withholds prints as the "no photo" box.
"""

from __future__ import annotations

import base64
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from podium.accreditation.access import AccessConfig
from podium.accreditation.cards import CardData
from podium.accreditation.models import Accreditation, Organisation
from podium.core.categories import DataCategory
from podium.gates import decode, from_text
from podium.people import Person, PersonRegistration
from podium.privacy.access import FieldValue, SealedField, authorize, read_fields
from podium.privacy.operators import Principal
from podium.privacy.policy import Effect
from podium.privacy.register import is_restricted
from podium.privacy.spine import Spine

__all__ = [
    "CARD_PRINT_ACTION",
    "HOLDER_READ_ACTION",
    "Holder",
    "card_data",
    "check_card_access",
    "printed_name",
    "read_holders",
]

CARD_PRINT_ACTION = "accreditation.card.print"
"""The audited action of reading a holder's name and photo to print a card."""
HOLDER_READ_ACTION = "accreditation.application.read"
"""The audited action of reading holders' names for the desk and the portal."""


@dataclass(frozen=True, slots=True)
class Holder:
    """A card holder's protected identity, as the policy lets one operator see it.

    Attributes:
        subject_id: the pseudonymous subject ID.
        name: the name as printed (`Ondřej CERNY`), a pseudonym, or None when withheld.
        effect: the policy's effect on the name (allow, pseudonymise, deny).
        reason: the policy's reason code (`eu-role-purpose`, `outside-eu`...).
        photo: the portrait's bytes when asked for and allowed, else None.

    """

    subject_id: str
    name: str | None
    effect: Effect
    reason: str
    photo: bytes | None = None


def printed_name(given_names: str | None, family_name: str | None) -> str:
    """Return a name as cards print it: given names, then the family name in capitals.

    Args:
        given_names: given name(s) as registered (`Ondřej`), or None.
        family_name: family name as registered (`Černý`), or None.
    """
    family = (family_name or "").strip().upper()
    return " ".join(part for part in ((given_names or "").strip(), family) if part)


def _sealed(subject: str, sovereign: Session, *, photo: bool) -> dict[str, SealedField]:
    registration = sovereign.get(PersonRegistration, subject)
    if registration is not None:
        names = ["family_name", "given_names", *(["photo"] if photo else [])]
        columns = PersonRegistration.__table__.c
        return {
            n: SealedField(columns[n].info["category"], getattr(registration, n)) for n in names
        }
    person = sovereign.get(Person, subject)
    if person is None:
        return {}
    return {"full_name": SealedField(DataCategory.IDENTITY, person.full_name)}


def _holder(subject: str, fields: Mapping[str, FieldValue]) -> Holder:
    name_field = fields.get("family_name") or fields.get("full_name")
    if name_field is None:
        return Holder(subject, None, Effect.DENY, "no-record")
    name = name_field.value
    if name_field.effect is Effect.ALLOW and "family_name" in fields:
        given = fields.get("given_names")
        name = printed_name(given.value if given else None, name_field.value)
    photo_field = fields.get("photo")
    photo = None
    if photo_field is not None and photo_field.effect is Effect.ALLOW and photo_field.value:
        photo = base64.b64decode(photo_field.value)  # sealed as base64 text (people)
    return Holder(subject, name, name_field.effect, name_field.reason, photo)


def read_holders(  # noqa: PLR0913 - the inputs of one audited read
    spine: Spine,
    sovereign: Session,
    principal: Principal,
    subjects: Iterable[str],
    *,
    action: str = HOLDER_READ_ACTION,
    photo: bool = False,
) -> dict[str, Holder]:
    """Read holders' names (and photos) as the policy lets `principal` see them, audited.

    Args:
        spine: the node's privacy services.
        sovereign: a sovereign-plane session; the audit records join its transaction.
        principal: the operator reading, with the declared purpose.
        subjects: subject IDs.
        action: the audited action.
        photo: whether to read the portrait too (only to print a card).

    Returns:
        Subject ID → holder; a subject without any personal record has name None.
    """
    holders: dict[str, Holder] = {}
    for subject in dict.fromkeys(subjects):
        fields = _sealed(subject, sovereign, photo=photo)
        if not fields:
            holders[subject] = Holder(subject, None, Effect.DENY, "no-record")
            continue
        values = read_fields(
            spine,
            sovereign,
            principal,
            action=action,
            subject=subject,
            fields=fields,
            restricted=is_restricted(sovereign, subject),
        )
        holders[subject] = _holder(subject, values)
    return holders


def check_card_access(spine: Spine, sovereign: Session, principal: Principal) -> None:
    """Refuse, before any card is issued, an operator who may not read holders' names.

    The decision is audited either way (`authorize`: a refusal in its own transaction).

    Raises:
        PermissionDeniedError: code `policy_denied` (the reason names the rule, e.g.
            `outside-eu` for an operator whose home is outside the EU/EEA).
    """
    authorize(spine, sovereign, principal, category=DataCategory.IDENTITY, action=CARD_PRINT_ACTION)


def card_data(  # noqa: PLR0913 - both planes, the operator and what to print
    spine: Spine,
    games: Session,
    sovereign: Session,
    principal: Principal,
    *,
    printed: Sequence[tuple[int, str]],
    access: AccessConfig,
) -> list[CardData]:
    """Gather what the cards of freshly printed accreditations show, in the given order.

    Args:
        spine: the node's privacy services.
        games: a games-plane session (accreditations, organisations).
        sovereign: a sovereign-plane session (names, photos; the audit records join it).
        principal: the operator printing, with the declared purpose.
        printed: (accreditation number, credential text) for each card, as the lifecycle's
            print step returned them.
        access: the access configuration (the category's names).

    Returns:
        One `CardData` per printed accreditation.

    Raises:
        CredentialFormatError: a credential text is not a Podium credential.
    """
    numbers = [number for number, _text in printed]
    rows = {
        a.id: a for a in games.scalars(select(Accreditation).where(Accreditation.id.in_(numbers)))
    }
    codes = {row.organisation_code for row in rows.values()}
    query = select(Organisation.code, Organisation.name).where(Organisation.code.in_(codes))
    names: dict[str, str] = dict(games.execute(query).all())
    holders = read_holders(
        spine,
        sovereign,
        principal,
        (rows[n].subject_id for n in numbers),
        action=CARD_PRINT_ACTION,
        photo=True,
    )
    cards = []
    for number, text in printed:
        row = rows[number]
        credential = decode(from_text(text)).credential
        category = access.category_of(credential.body.category)
        holder = holders[row.subject_id]
        cards.append(
            CardData(
                accreditation_number=number,
                card_serial=credential.card_serial,
                name=holder.name if holder.effect is Effect.ALLOW and holder.name else "-",
                organisation_code=row.organisation_code,
                organisation_name=names.get(row.organisation_code, row.organisation_code),
                category_code=category.code,
                category_name=category.en
                if category.en == category.fr
                else f"{category.en} / {category.fr}",
                zones=credential.body.zones,
                venues=tuple(grant.venue for grant in credential.body.venues),
                valid_until=credential.valid_until,
                credential=text,
                photo=holder.photo,
                function=row.function,
            )
        )
    return cards
