"""The data-category catalog: every column of both planes declares one.

A category says whether data is personal, where it may reside, how long it is kept and
what a data subject's export and erasure requests do to it. The catalog is Podium's
record of processing in code form (GDPR Art. 30) and the base of the residency check
(DESIGN.md, "Two planes"): a personal category may only be declared in the sovereign
plane. The rules were written by hand because they are Podium's own policy, not a
library concern.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import MappedColumn, mapped_column

__all__ = [
    "CATALOG",
    "CategoryRule",
    "DataCategory",
    "Erasure",
    "Plane",
    "Residency",
    "column",
]


class Plane(enum.StrEnum):
    """The two data planes of DESIGN.md."""

    SOVEREIGN = "sovereign"
    GAMES = "games"


class Residency(enum.StrEnum):
    """Where data of a category may be stored."""

    EU_SOVEREIGN = "eu-sovereign"  # the trusted EU host only (sovereign plane)
    ANY = "any"  # any cloud (games plane or sovereign plane)


class Erasure(enum.StrEnum):
    """What an erasure request (GDPR Art. 17) does to data of a category."""

    ERASE = "erase"  # destroyed (crypto-shredded where encrypted)
    KEEP_PUBLISHED = "keep-published"  # official results: archiving exemption, Art. 17(3)(d)
    NOT_PERSONAL = "not-personal"  # nothing to erase
    # Accountability records (audit log, data-subject requests) kept for compliance with a
    # legal obligation and for legal claims, Art. 17(3)(b) and (e); they hold pseudonyms only.
    KEEP_LEGAL_OBLIGATION = "keep-legal-obligation"


class DataCategory(enum.StrEnum):
    """The category of a column's data (Fides-style taxonomy, Podium's own names)."""

    COMPETITION = "competition"
    SYSTEM = "system"
    PSEUDONYM = "pseudonym"
    PUBLISHED_IDENTITY = "published-identity"
    IDENTITY = "identity"
    BIRTH_DATE = "birth-date"
    CONTACT = "contact"
    DOCUMENT = "document"
    PHOTO = "photo"
    HEALTH = "health"
    PAYMENT = "payment"
    BIOGRAPHY = "biography"
    VETTING = "vetting"
    OPERATOR = "operator"
    CREDENTIAL = "credential"
    AUDIT = "audit"


@dataclass(frozen=True, slots=True)
class CategoryRule:
    """The residency, retention and export/erasure rules of one data category.

    Attributes:
        personal: whether the data relates to an identified or identifiable person (Art. 4(1)).
        residency: where it may be stored.
        retention_days: how long after the Games it is kept; None keeps it as an archive.
        exported: whether a subject access export (Art. 15, Art. 20) includes it.
        erasure: what an erasure request does to it.

    """

    personal: bool
    residency: Residency
    retention_days: int | None
    exported: bool
    erasure: Erasure


def _rule(residency: Residency, retention_days: int | None, erasure: Erasure) -> CategoryRule:
    personal = erasure is not Erasure.NOT_PERSONAL
    exported = personal and erasure is not Erasure.NOT_PERSONAL
    return CategoryRule(
        personal=personal,
        residency=residency,
        retention_days=retention_days,
        exported=exported,
        erasure=erasure,
    )


_EU, _ANY = Residency.EU_SOVEREIGN, Residency.ANY

CATALOG: dict[DataCategory, CategoryRule] = {
    DataCategory.COMPETITION: _rule(_ANY, None, Erasure.NOT_PERSONAL),
    DataCategory.SYSTEM: _rule(_ANY, None, Erasure.NOT_PERSONAL),
    # A pseudonym is personal data (recital 26) but carries no identity by itself.
    DataCategory.PSEUDONYM: _rule(_ANY, None, Erasure.KEEP_PUBLISHED),
    # Name as printed on results, NOC and gender: published by the Games, kept as archive
    # under the exemption of Art. 17(3)(d).
    DataCategory.PUBLISHED_IDENTITY: _rule(_ANY, None, Erasure.KEEP_PUBLISHED),
    DataCategory.IDENTITY: _rule(_EU, 365, Erasure.ERASE),
    DataCategory.BIRTH_DATE: _rule(_EU, 365, Erasure.ERASE),
    DataCategory.CONTACT: _rule(_EU, 365, Erasure.ERASE),
    DataCategory.DOCUMENT: _rule(_EU, 90, Erasure.ERASE),
    DataCategory.PHOTO: _rule(_EU, 365, Erasure.ERASE),
    DataCategory.HEALTH: _rule(_EU, 30, Erasure.ERASE),
    DataCategory.PAYMENT: _rule(_EU, 3650, Erasure.ERASE),
    DataCategory.BIOGRAPHY: _rule(_EU, 365, Erasure.ERASE),
    DataCategory.VETTING: _rule(_EU, 180, Erasure.ERASE),
    # Staff accounts (name, home country, employer): erased when the account is deleted.
    DataCategory.OPERATOR: _rule(_EU, 365, Erasure.ERASE),
    # Password and token hashes: secrets of an operator account, never exported.
    DataCategory.CREDENTIAL: CategoryRule(
        personal=True, residency=_EU, retention_days=365, exported=False, erasure=Erasure.ERASE
    ),
    # The audit trail and the register of data-subject requests: accountability (Art. 5(2)).
    DataCategory.AUDIT: _rule(_EU, 3650, Erasure.KEEP_LEGAL_OBLIGATION),
}
"""The rules of every category. A test checks that each category has one."""


def column(category: DataCategory, *args: Any, **kwargs: Any) -> MappedColumn[Any]:
    """Declare a mapped column with its data category.

    Args:
        category: the column's data category, stored in `Column.info["category"]`.
        *args: passed to `sqlalchemy.orm.mapped_column`.
        **kwargs: passed to `sqlalchemy.orm.mapped_column`.

    Returns:
        The mapped column, tagged so the residency check can read it.

    """
    info = dict(kwargs.pop("info", {}) or {})
    info["category"] = category
    return mapped_column(*args, info=info, **kwargs)
