"""What the API accepts and returns about operators and the audit log."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

__all__ = ["AuditProblemPublic", "AuditVerificationPublic", "OperatorCreate", "OperatorPublic"]


class OperatorPublic(BaseModel):
    """An operator account as shown to an administrator (never a secret or hash).

    Attributes:
        id: account id (the audit log's operator reference).
        username: sign-in name.
        display_name: name shown on staff pages.
        home_country: ISO 3166-1 alpha-2 code.
        region: `eu-eea`, `adequacy` or `third-country`.
        organisation: employer.
        roles: policy roles.
        purposes: purposes the operator may declare.
        disabled_at: when the account was disabled, if it was.

    """

    id: str
    username: str
    display_name: str
    home_country: str
    region: str
    organisation: str
    roles: list[str]
    purposes: list[str]
    disabled_at: datetime | None


class OperatorCreate(BaseModel):
    """A new operator account.

    Attributes:
        username: sign-in name (lower case, 2–63 characters).
        display_name: name shown on staff pages.
        home_country: ISO 3166-1 alpha-2 code of the home country.
        organisation: employer.
        roles: policy roles.
        purposes: purposes the operator may declare.
        password: at least 12 characters; omit for an API-only account.

    """

    username: str = Field(min_length=2, max_length=63)
    display_name: str = Field(max_length=160)
    home_country: str = Field(min_length=2, max_length=2)
    organisation: str = Field(max_length=80)
    roles: list[str]
    purposes: list[str]
    password: str | None = Field(default=None, min_length=12, max_length=200)


class AuditProblemPublic(BaseModel):
    """One problem `podium audit verify` found: the record and what is wrong with it."""

    seq: int
    kind: str
    detail: str


class AuditVerificationPublic(BaseModel):
    """The outcome of verifying the audit chain."""

    ok: bool
    records: int
    checkpoints: int
    problems: list[AuditProblemPublic]
