"""The records of processing activities (GDPR Art. 30(1)), generated, never hand-written.

Everything comes from what the node enforces: the catalog (categories, residency,
retention, erasure), the access policy (purposes, lawful bases, roles as recipients and
the regions they receive data in), the planes' tables and columns, and the settings'
retention overrides. Rendered as Markdown for the DPO and JSON for tools.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from podium.core.categories import CATALOG, DataCategory, Plane
from podium.core.settings import Settings
from podium.privacy.policy import Policy
from podium.subjects._planes import plane_metadata
from podium.subjects.check import ARCHIVE_REASONS
from podium.subjects.information import (
    SECURITY_MEASURES,
    PurposeInfo,
    Recipient,
    controller_of,
    expiry_of,
    purposes_of,
    recipients_of,
    retention_of,
)

__all__ = ["DATA_SUBJECTS", "CategoryRecord", "Ropa", "records_of_processing", "ropa_markdown"]

DATA_SUBJECTS: tuple[str, ...] = (
    "athletes (Olympic and Paralympic)",
    "coaches",
    "technical officials",
    "operators: organising committee staff and partners' engineers",
    "ticket buyers and holders (when ticketing is added)",
)
"""Categories of data subjects (Art. 30(1)(c))."""
TRANSFERS = (
    "None. EU-sovereign categories stay in the sovereign plane on an EU host, and the "
    "access policy refuses to load any rule that allows them in clear to an operator in "
    "an adequacy or third country (Chapter V); such operators get pseudonyms or a denial."
)


@dataclass(frozen=True, slots=True)
class CategoryRecord:
    """One data category in the records.

    Attributes:
        category: the category.
        personal: whether it is personal data.
        residency: where it may be stored.
        retention_days: days kept after the Games (override applied), or None.
        kept_until: the resulting last day, ISO date, or None.
        retention_note: why there is no period, when there is none.
        erasure: what an erasure request does to it.
        exported: whether an access export includes it.
        columns: `plane.table.column` of every column of the category.

    """

    category: str
    personal: bool
    residency: str
    retention_days: int | None
    kept_until: str | None
    retention_note: str | None
    erasure: str
    exported: bool
    columns: tuple[str, ...]


@dataclass(frozen=True)
class Ropa:
    """The records of processing of one node (Art. 30(1)(a)-(g)).

    Attributes:
        controller: the controller (the organising committee running the node).
        purposes: purposes with lawful bases (b).
        data_subjects: categories of data subjects (c).
        categories: categories of personal data, where, how long (c), (f).
        recipients: roles receiving data and their regions (d).
        transfers: transfers to third countries (e).
        security: technical and organisational measures (g), Art. 32.

    """

    controller: str
    purposes: list[PurposeInfo]
    data_subjects: tuple[str, ...]
    categories: list[CategoryRecord]
    recipients: list[Recipient]
    transfers: str
    security: tuple[str, ...]

    def to_json(self) -> dict[str, Any]:
        """Return the records as JSON-ready data."""
        return asdict(self)


def _columns() -> dict[DataCategory, list[str]]:
    found: dict[DataCategory, list[str]] = {c: [] for c in DataCategory}
    for plane in Plane:
        for table in plane_metadata(plane).sorted_tables:
            for col in table.columns:
                found[col.info["category"]].append(f"{plane}.{table.name}.{col.name}")
    return found


def records_of_processing(policy: Policy, settings: Settings) -> Ropa:
    """Build the records of processing from the catalog, the policy and the settings.

    Args:
        policy: the node's access policy.
        settings: the node's settings (retention overrides, end of the Games).

    Returns:
        The records.

    Source: GDPR Art. 30(1), Art. 32; Art. 44-49 (transfers).

    """
    columns = _columns()
    overrides = settings.retention_days
    categories = [
        CategoryRecord(
            category=c.value,
            personal=CATALOG[c].personal,
            residency=CATALOG[c].residency.value,
            retention_days=retention_of(c, overrides),
            kept_until=(
                e.isoformat() if (e := expiry_of(c, overrides, settings.games_end)) else None
            ),
            retention_note=ARCHIVE_REASONS.get(c),
            erasure=CATALOG[c].erasure.value,
            exported=CATALOG[c].exported,
            columns=tuple(columns[c]),
        )
        for c in DataCategory
    ]
    return Ropa(
        controller=controller_of(settings),
        purposes=purposes_of(policy),
        data_subjects=DATA_SUBJECTS,
        categories=categories,
        recipients=recipients_of(policy),
        transfers=TRANSFERS,
        security=SECURITY_MEASURES,
    )


def _cell(value: object) -> str:
    if value is None:
        return "—"
    if isinstance(value, tuple | list):
        return ", ".join(str(v) for v in value) or "—"
    return str(value).replace("|", "\\|")


def _md_table(headers: tuple[str, ...], rows: list[tuple[object, ...]]) -> list[str]:
    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    lines += ["| " + " | ".join(_cell(v) for v in row) + " |" for row in rows]
    return [*lines, ""]


def ropa_markdown(ropa: Ropa) -> str:
    """Render the records of processing as Markdown (one section per Art. 30(1) point).

    Args:
        ropa: the records.

    Returns:
        The Markdown text.

    """
    out = ["# Records of processing activities (GDPR Art. 30(1))", ""]
    out += [f"Controller: {ropa.controller}.", ""]
    out += ["## Purposes and lawful bases (Art. 30(1)(b))", ""]
    out += _md_table(
        ("purpose", "description", "lawful basis"),
        [(p.name, p.description, p.lawful_basis) for p in ropa.purposes],
    )
    out += ["## Categories of data subjects (Art. 30(1)(c))", ""]
    out += [f"- {s}" for s in ropa.data_subjects] + [""]
    out += ["## Categories of personal data, storage and time limits (Art. 30(1)(c), (f))", ""]
    out += _md_table(
        (
            "category",
            "personal",
            "residency",
            "days after the Games",
            "kept until",
            "erasure",
            "exported",
            "columns",
        ),
        [
            (
                c.category,
                "yes" if c.personal else "no",
                c.residency,
                c.retention_days if c.retention_days is not None else c.retention_note,
                c.kept_until,
                c.erasure,
                "yes" if c.exported else "no",
                c.columns,
            )
            for c in ropa.categories
        ],
    )
    out += ["## Recipients (Art. 30(1)(d))", ""]
    out += _md_table(
        ("role", "who", "regions", "categories in clear (regions)", "pseudonymised"),
        [
            (r.role, r.description, r.regions, r.categories, r.pseudonymised)
            for r in ropa.recipients
        ],
    )
    out += ["## Transfers to third countries (Art. 30(1)(e))", "", ropa.transfers, ""]
    out += ["## Security measures (Art. 30(1)(g), Art. 32)", ""]
    out += [f"- {m}" for m in ropa.security]
    return "\n".join(out) + "\n"
