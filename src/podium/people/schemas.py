"""What the API returns about a data subject's personal record."""

from __future__ import annotations

from pydantic import BaseModel

__all__ = ["PersonalFieldPublic", "PersonalRecordPublic"]


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
