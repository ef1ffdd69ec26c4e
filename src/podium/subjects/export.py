"""The subject access export: everything Podium holds on one data subject (Art. 15, 20).

`export_subject` walks both planes (`locate`), opens the sealed fields with the spine's
cipher (a shredded key shows as erased), adds the subject's status, requests and the
audit records about them (who accessed what, when, why, with which decision), and the
information Art. 15(1) requires (purposes and lawful bases, categories, recipients,
retention, rights, source). `podium.subjects.render.write_export` writes it as JSON
(machine-readable, for portability, Art. 20) and as an accessible HTML document.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import Column, select
from sqlalchemy.orm import Session

from podium.core.categories import CATALOG, DataCategory
from podium.core.clock import Clock, system_clock
from podium.core.db import Planes
from podium.core.settings import Settings
from podium.privacy.access import record_write
from podium.privacy.audit import records_about
from podium.privacy.errors import CiphertextError, KeyDestroyedError
from podium.privacy.operators import Operator
from podium.privacy.register import SubjectStatus
from podium.privacy.spine import Spine
from podium.subjects._planes import both_metadata
from podium.subjects.information import (
    RIGHTS,
    SOURCES,
    controller_of,
    expiry_of,
    purposes_of,
    recipients_of,
    retention_of,
)
from podium.subjects.locate import FoundRows, SubjectRef, find_rows, resolve_subject
from podium.subjects.models import SubjectRequest

__all__ = ["ERASED", "WITHHELD", "ExportedTable", "SubjectExport", "export_subject"]

ERASED: dict[str, Any] = {"erased": True}
"""The value of a sealed field whose key was destroyed (crypto-shredded, Art. 17)."""
WITHHELD: dict[str, Any] = {"withheld": "secret, never exported"}
"""The value of a credential (password or token hash): never exported (Art. 15(4), 32)."""

Json = Any


@dataclass(frozen=True, slots=True)
class ExportedTable:
    """The rows of one table that belong to the subject, ready for JSON.

    Attributes:
        plane: `games` or `sovereign`.
        table: the table name.
        columns: (column name, data category) pairs, in table order.
        rows: the rows, column name → value (sealed values opened; `ERASED`, `WITHHELD`).

    """

    plane: str
    table: str
    columns: tuple[tuple[str, str], ...]
    rows: tuple[dict[str, Json], ...]


@dataclass(frozen=True)
class SubjectExport:
    """Everything Podium holds on one data subject, and what Art. 15(1) says to tell them.

    Attributes:
        subject_id: the pseudonymous subject ID.
        participant_codes: the subject's ODF participant codes.
        generated_at: when the export was made (UTC, ISO 8601).
        status: restriction and erasure (`SubjectStatus`), or empty values.
        requests: the subject's data-subject requests.
        accesses: the audit records about the subject (Art. 15(1)(c)).
        tables: every row of both planes found for the subject.
        information: purposes, lawful bases, categories, recipients, retention, rights,
            source and transfers (Art. 15(1)(a)-(h), 15(2)).

    """

    subject_id: str
    participant_codes: tuple[str, ...]
    generated_at: str
    status: dict[str, Json]
    requests: list[dict[str, Json]]
    accesses: list[dict[str, Json]]
    tables: list[ExportedTable]
    information: dict[str, Json] = field(default_factory=dict)

    def to_json(self) -> dict[str, Json]:
        """Return the export as plain JSON-ready data (the portable format, Art. 20)."""
        data = asdict(self)
        data["format"] = "podium.subject-export.v1"
        return data

    def row_count(self) -> int:
        """Return the number of rows exported, over every table."""
        return sum(len(t.rows) for t in self.tables)


def _plain(value: Any) -> Json:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, bytes):
        return value.hex()
    return value


def _cell(spine: Spine, subject: str, col: Column[Any], value: Any) -> Json:
    if value is None:
        return None
    category: DataCategory = col.info["category"]
    if col.info.get("sealed"):
        try:
            return spine.cipher.open(subject, category.value, col.name, value)
        except KeyDestroyedError:
            return ERASED
        except CiphertextError as error:
            return {"unreadable": error.code}
    rule = CATALOG[category]
    if rule.personal and not rule.exported:
        return WITHHELD
    return _plain(value)


def _export_table(spine: Spine, ref: SubjectRef, found: FoundRows) -> ExportedTable:
    cols = list(found.table.columns)
    return ExportedTable(
        plane=found.plane.value,
        table=found.table.name,
        columns=tuple((c.name, str(c.info["category"])) for c in cols),
        rows=tuple(
            {c.name: _cell(spine, ref.subject_id, c, row[c.name]) for c in cols}
            for row in found.rows
        ),
    )


def _status(session: Session, subject: str) -> dict[str, Json]:
    status = session.get(SubjectStatus, subject)
    names = ("restricted_at", "restriction_reason", "erased_at", "erasure_request")
    return {name: _plain(getattr(status, name)) if status else None for name in names}


def _requests(session: Session, subject: str) -> list[dict[str, Json]]:
    query = select(SubjectRequest).where(SubjectRequest.subject_id == subject)
    return [
        {c.name: _plain(getattr(r, c.key)) for c in SubjectRequest.__table__.columns}
        for r in session.scalars(query.order_by(SubjectRequest.id))
    ]


def _accesses(session: Session, subject: str) -> list[dict[str, Json]]:
    operators = {o.id: o for o in session.scalars(select(Operator))}
    out: list[dict[str, Json]] = []
    for record in records_about(session, subject):
        who = operators.get(record.operator)
        out.append(
            {
                "at": _plain(record.at),
                "operator": record.operator,
                "operator_roles": who.roles if who else None,
                "operator_region": who.region.value if who else None,
                "action": record.action,
                "fields": record.fields,
                "purpose": record.purpose,
                "decision": record.decision,
                "reason": record.reason,
            }
        )
    return out


def _information(spine: Spine, settings: Settings, ref: SubjectRef) -> dict[str, Json]:
    policy = spine.pdp.policy
    overrides = settings.retention_days
    return {
        "controller": controller_of(settings),
        "purposes": [asdict(p) for p in purposes_of(policy)],
        "categories": [
            {
                "category": c.value,
                "personal": CATALOG[c].personal,
                "residency": CATALOG[c].residency.value,
                "retention_days_after_games": retention_of(c, overrides),
                "kept_until": _plain(expiry_of(c, overrides, settings.games_end)),
                "on_erasure": CATALOG[c].erasure.value,
            }
            for c in DataCategory
            if CATALOG[c].personal
        ],
        "recipients": [asdict(r) for r in recipients_of(policy)],
        "rights": list(RIGHTS),
        "source": SOURCES["participant"] if ref.participant_codes else SOURCES["operator"],
        "transfers_outside_eu": "none: no EU-sovereign data is disclosed in clear outside "
        "the EU/EEA (the access policy refuses to load a rule that would allow it)",
        "automated_decisions": "none (Art. 22)",
    }


def export_subject(  # noqa: PLR0913 - the subject, who asks and why, and the node's settings
    planes: Planes,
    spine: Spine,
    subject_or_code: str,
    *,
    operator: str = "system",
    purpose: str = "data-subject-rights",
    settings: Settings | None = None,
    clock: Clock = system_clock,
) -> SubjectExport:
    """Export everything Podium holds on a data subject, from both planes, and audit it.

    Args:
        planes: both planes (migrated).
        spine: the node's privacy services (cipher for sealed fields, policy, audit log).
        subject_or_code: an ODF participant code or a subject ID.
        operator: the operator account id answering the request, or `system`.
        purpose: the purpose recorded in the audit log.
        settings: the node's settings (retention overrides, end of the Games); defaults.
        clock: gives the export's time.

    Returns:
        The export; its own audit record (`subjects.subject.export`) is among `accesses`.

    Raises:
        SubjectNotFoundError: no participant code or subject ID matches.

    Source: GDPR Art. 15(1)-(3) (access), Art. 20 (portability).

    """
    games_meta, sovereign_meta = both_metadata()
    ref = resolve_subject(planes, subject_or_code, (games_meta, sovereign_meta))
    with planes.games_session() as games, planes.sovereign_session() as sovereign:
        record_write(
            spine,
            sovereign,
            operator=operator,
            action="subjects.subject.export",
            subject=ref.subject_id,
            fields=(),
            purpose=purpose,
            decision="export",
        )
        sovereign.flush()
        found = find_rows(games, games_meta, ref) + find_rows(sovereign, sovereign_meta, ref)
        return SubjectExport(
            subject_id=ref.subject_id,
            participant_codes=ref.participant_codes,
            generated_at=clock().isoformat(),
            status=_status(sovereign, ref.subject_id),
            requests=_requests(sovereign, ref.subject_id),
            accesses=_accesses(sovereign, ref.subject_id),
            tables=[_export_table(spine, ref, f) for f in found],
            information=_information(spine, settings or Settings(), ref),
        )
