"""What the API returns about a data subject's personal record."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

__all__ = [
    "REGISTRATION_FIELDS",
    "PersonalFieldPublic",
    "PersonalRecordPublic",
    "RegistrationIn",
]


class PersonalFieldPublic(BaseModel):
    """One protected field as the policy lets this operator see it.

    Attributes:
        value: the value (effect `allow`), a `pseudonym:…` string (`pseudonymise`) or null.
        effect: `allow`, `pseudonymise` or `deny`.
        reason: the policy's reason code.

    """

    value: str | None
    effect: str
    reason: str


class PersonalRecordPublic(BaseModel):
    """A participant's personal record: published identity plus protected fields.

    Attributes:
        code: ODF participant code.
        subject_id: the pseudonymous subject ID.
        organisation: responsible organisation, as published.
        function: accreditation function, as published.
        restricted: whether processing is restricted (GDPR Art. 18).
        fields: protected field name → what this operator may see.

    """

    code: str
    subject_id: str
    organisation: str | None
    function: str | None
    restricted: bool
    fields: dict[str, PersonalFieldPublic]


class RegistrationIn(BaseModel):
    """One person and their accreditation application, as a responsible organisation sends it.

    Every field is checked on its own, so a rejection names the field (CSV: the column).

    Attributes:
        reference: the organisation's own reference for the person (unique within it);
            the subject ID is the keyed pseudonym of `ORGANISATION:reference`.
        organisation: the responsible organisation's code (`FRA`, `WA`, `AFP`, `PARIS2024`).
        family_name: family name as on the travel document.
        given_names: given name(s); None for a person with a single name.
        gender: `M`, `W` or `X`.
        birth_date: date of birth.
        nationality: ISO 3166-1 alpha-3 country code or NOC code (`FRA`, `GER`).
        document_type: `passport`, `id-card` or `travel-document`.
        document_number: 5 to 20 letters, digits or `<` (ICAO Doc 9303 machine-readable zone).
        document_expiry: the document's expiry date.
        email: contact address, optional.
        function: the person's function (`Athlete`, `Coach`, `Photographer`...).
        category: the accreditation category applied for (`A`, `E`, `RT`...).

    """

    model_config = ConfigDict(str_strip_whitespace=True, extra="forbid", frozen=True)

    reference: str = Field(min_length=1, max_length=40, pattern=r"^[A-Za-z0-9._/-]+$")
    organisation: str = Field(min_length=2, max_length=12, pattern=r"^[A-Z0-9]+$")
    family_name: str = Field(min_length=1, max_length=80)
    given_names: str | None = Field(default=None, max_length=120)
    gender: Literal["M", "W", "X"]
    birth_date: date
    nationality: str = Field(pattern=r"^[A-Z]{3}$")
    document_type: Literal["passport", "id-card", "travel-document"]
    document_number: str = Field(pattern=r"^[A-Z0-9<]{5,20}$")
    document_expiry: date
    email: str | None = Field(default=None, max_length=254, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
    function: str = Field(min_length=1, max_length=60)
    category: str = Field(min_length=1, max_length=8)


REGISTRATION_FIELDS = tuple(RegistrationIn.model_fields)
"""The fields of a registration, in order: the columns of a bulk CSV file."""
