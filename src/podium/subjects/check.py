"""The catalog check: every column categorised, every category ruled, personal data sealed.

Run by `podium privacy check` and by the test suite (Fides-style: CI fails on an
untagged column, DESIGN.md "Two planes").
"""

from __future__ import annotations

from podium.core.categories import CATALOG, DataCategory, Erasure, Plane, Residency
from podium.subjects._planes import plane_metadata
from podium.subjects.locate import unlinked_personal_tables

__all__ = ["ARCHIVE_REASONS", "SEALED_CATEGORIES", "catalog_problems"]

SEALED_CATEGORIES = frozenset(
    {
        DataCategory.IDENTITY,
        DataCategory.BIRTH_DATE,
        DataCategory.CONTACT,
        DataCategory.DOCUMENT,
        DataCategory.PHOTO,
        DataCategory.HEALTH,
        DataCategory.PAYMENT,
        DataCategory.BIOGRAPHY,
        DataCategory.VETTING,
    }
)
"""Subject-data categories stored only sealed (AES-GCM per subject, Art. 32(1)(a))."""

ARCHIVE_REASONS: dict[DataCategory, str] = {
    DataCategory.COMPETITION: "not personal data",
    DataCategory.SYSTEM: "not personal data",
    DataCategory.PSEUDONYM: (
        "a pseudonym links published results to their subject; kept as long as they are"
    ),
    DataCategory.PUBLISHED_IDENTITY: (
        "published with the official results: archiving in the public interest, "
        "Art. 17(3)(d), Art. 89"
    ),
}
"""Why a category may have no retention period (kept as an archive or not personal)."""


def _rule_problems() -> list[str]:
    problems: list[str] = []
    for category in DataCategory:
        rule = CATALOG.get(category)
        if rule is None:
            problems.append(f"category {category}: no rule in the catalog")
            continue
        if not isinstance(rule.residency, Residency) or not isinstance(rule.erasure, Erasure):
            problems.append(f"category {category}: residency or erasure rule missing")
        if rule.retention_days is None and category not in ARCHIVE_REASONS:
            problems.append(f"category {category}: no retention period and no stated reason")
        if category in SEALED_CATEGORIES and rule.residency is not Residency.EU_SOVEREIGN:
            problems.append(f"category {category}: subject data must be EU-sovereign")
    return problems


def _column_problems(plane: Plane) -> list[str]:
    problems: list[str] = []
    for table in plane_metadata(plane).sorted_tables:
        for col in table.columns:
            where = f"{plane}.{table.name}.{col.name}"
            category = col.info.get("category")
            if not isinstance(category, DataCategory):
                problems.append(f"{where}: no data category")
                continue
            if plane is Plane.GAMES and CATALOG[category].residency is Residency.EU_SOVEREIGN:
                problems.append(f"{where}: {category} must stay in the sovereign plane")
            if category in SEALED_CATEGORIES and not col.info.get("sealed"):
                problems.append(f"{where}: {category} must be sealed (info['sealed'])")
    return problems


def catalog_problems() -> list[str]:
    """Return every breach of the catalog's rules in both planes; empty when all is well.

    Checks: every column of both planes has a data category; every category has
    residency, retention (or a stated reason for none), export and erasure rules; no
    EU-sovereign category in the games plane; every column of a subject-data category
    (identity, birth-date, contact, document, photo, health, payment, biography,
    vetting) is sealed; every table with personal data links its rows to subjects.

    Returns:
        One line per problem, naming plane, table and column or category.

    Source: GDPR Art. 5(1)(e), 25, 30, 32; DESIGN.md "Two planes".

    """
    problems = _rule_problems()
    for plane in Plane:
        problems += _column_problems(plane)
        problems += [f"{plane}.{p}" for p in unlinked_personal_tables(plane_metadata(plane))]
    return problems
