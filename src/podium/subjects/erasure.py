"""Erasure of a data subject (GDPR Art. 17), category by category, with legal holds.

For every row found for the subject (`locate`) the catalog's `Erasure` rule of each
column's category decides: `erase` data is deleted (the whole row when nothing of it is
held, else the non-held columns are emptied) and the subject's data keys are destroyed
(crypto-shredding: every database copy and backup becomes unreadable, `privacy.fields`);
`keep-published` data (official results, names as published) is kept under the
archiving exemption of Art. 17(3)(d); `keep-legal-obligation` records (audit log, request
register, holds) are kept under Art. 17(3)(b) and (e) and hold pseudonyms only; a
category under an active legal hold is kept with the hold's reason.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Column, Table, delete, tuple_, update
from sqlalchemy.orm import Session

from podium.core.categories import CATALOG, DataCategory, Erasure
from podium.core.clock import Clock, system_clock
from podium.core.db import Planes
from podium.privacy.access import record_write
from podium.privacy.register import status_of
from podium.privacy.spine import Spine
from podium.subjects._planes import both_metadata
from podium.subjects.locate import FoundRows, SubjectRef, find_rows, resolve_subject
from podium.subjects.rights import active_holds, held_categories

__all__ = ["ErasureItem", "ErasureOutcome", "erase_subject"]

_KEEP_REASON = {
    Erasure.KEEP_PUBLISHED: "published: archiving in the public interest and statistics, "
    "Art. 17(3)(d)",
    Erasure.KEEP_LEGAL_OBLIGATION: "accountability record holding pseudonyms only, "
    "Art. 17(3)(b), (e)",
    Erasure.NOT_PERSONAL: "not personal data",
}


@dataclass(frozen=True, slots=True)
class ErasureItem:
    """What an erasure did to one category of one table.

    Attributes:
        plane: `games` or `sovereign`.
        table: the table.
        category: the data category.
        action: `erased` (deleted or emptied now), `kept`, or `gone` (nothing left).
        rows: rows concerned.
        reason: why it was kept, or how it was erased.

    """

    plane: str
    table: str
    category: str
    action: str
    rows: int
    reason: str


@dataclass
class ErasureOutcome:
    """The result of an erasure request.

    Attributes:
        subject_id: the subject.
        changed: whether anything was deleted, emptied or shredded now.
        already_erased: the subject had been erased before and nothing was left to erase.
        complete: nothing erasable was kept by a legal hold (the subject is marked erased).
        rows_deleted: rows deleted.
        values_emptied: column values set to NULL in rows kept for a hold.
        keys_destroyed: data keys destroyed.
        items: per table and category, what happened and why.

    """

    subject_id: str
    changed: bool = False
    already_erased: bool = False
    complete: bool = True
    rows_deleted: int = 0
    values_emptied: int = 0
    keys_destroyed: int = 0
    items: list[ErasureItem] = field(default_factory=list)

    def summary(self) -> str:
        """Return one line saying what happened."""
        if self.already_erased:
            return f"subject {self.subject_id} was already erased: nothing changed"
        kept = sorted({i.category for i in self.items if i.action == "kept"})
        return (
            f"subject {self.subject_id}: {self.rows_deleted} rows deleted, "
            f"{self.values_emptied} values emptied, {self.keys_destroyed} keys destroyed; "
            f"kept: {', '.join(kept) or 'nothing'}"
            + ("" if self.complete else " (legal hold: erasure incomplete)")
        )


def _key_condition(table: Table, rows: tuple[dict[str, Any], ...]) -> Any:
    keys = list(table.primary_key.columns)
    if len(keys) == 1:
        return keys[0].in_([row[keys[0].name] for row in rows])
    return tuple_(*keys).in_([tuple(row[k.name] for k in keys) for row in rows])


def _non_null(col: Column[Any], rows: tuple[dict[str, Any], ...]) -> int:
    return sum(row[col.name] is not None for row in rows)


def _erase_table(
    session: Session, found: FoundRows, held: dict[DataCategory, str], outcome: ErasureOutcome
) -> bool:
    """Erase one table's rows of the subject; return whether a held row was kept."""
    table, rows, plane = found.table, found.rows, found.plane.value
    by_category: dict[DataCategory, list[Column[Any]]] = {}
    for col in table.columns:
        by_category.setdefault(col.info["category"], []).append(col)
    erasable = {c: cols for c, cols in by_category.items() if CATALOG[c].erasure is Erasure.ERASE}
    to_erase = {c: cols for c, cols in erasable.items() if c not in held}
    kept_for_hold = bool(set(erasable) & set(held))
    accountability = any(CATALOG[c].erasure is Erasure.KEEP_LEGAL_OBLIGATION for c in by_category)
    for category in sorted(by_category):
        rule = CATALOG[category]
        if not rule.personal:
            continue
        if category in held and rule.erasure is Erasure.ERASE:
            outcome.items.append(
                ErasureItem(plane, table.name, category, "kept", len(rows), held[category])
            )
        elif rule.erasure is not Erasure.ERASE and (erasable == {} or kept_for_hold):
            # A pseudonym is kept for the same reason as the record it identifies: in an
            # audit or request record that is accountability, not publication.
            keep = (
                Erasure.KEEP_LEGAL_OBLIGATION
                if category is DataCategory.PSEUDONYM and accountability
                else rule.erasure
            )
            outcome.items.append(
                ErasureItem(plane, table.name, category, "kept", len(rows), _KEEP_REASON[keep])
            )
    if not to_erase:
        return kept_for_hold
    if not kept_for_hold:
        session.execute(delete(table).where(_key_condition(table, rows)))
        outcome.rows_deleted += len(rows)
        how = "row deleted"
    else:
        cols = [c for cols in to_erase.values() for c in cols if c.nullable]
        outcome.values_emptied += sum(_non_null(c, rows) for c in cols)
        session.execute(
            update(table).where(_key_condition(table, rows)).values({c.name: None for c in cols})
        )
        how = "value emptied; the row is kept for a legal hold"
    for category in sorted(to_erase):
        outcome.items.append(ErasureItem(plane, table.name, category, "erased", len(rows), how))
    return kept_for_hold


def _erase_plane(
    session: Session, found: list[FoundRows], held: dict[DataCategory, str], outcome: ErasureOutcome
) -> bool:
    kept = False
    for item in reversed(found):  # children before the rows they reference
        kept = _erase_table(session, item, held, outcome) or kept
    return kept


def _shred(spine: Spine, subject: str, held: dict[DataCategory, str]) -> int:
    erasable = [c.value for c in DataCategory if CATALOG[c].erasure is Erasure.ERASE]
    destroyed = spine.keys.shred(subject, [c for c in erasable if DataCategory(c) not in held])
    if not held:
        destroyed += spine.keys.shred(subject)
    return destroyed


def erase_subject(  # noqa: PLR0913 - the subject, who, for which request, and when
    planes: Planes,
    spine: Spine,
    subject: str,
    operator: str,
    request_id: str | None = None,
    *,
    clock: Clock = system_clock,
) -> ErasureOutcome:
    """Erase a data subject's personal data in both planes, keeping what the law keeps.

    One transaction per plane; the data keys are destroyed before the sovereign commit,
    so a failure leaves the data unreadable rather than readable. Idempotent: a second
    erasure finds nothing to change, writes nothing and says so (`already_erased`).

    Args:
        planes: both planes.
        spine: the node's privacy services (key store, audit log).
        subject: subject ID or ODF participant code.
        operator: operator account id, or `system`.
        request_id: the data-subject request it fulfils (`DSR-000001`), if any.
        clock: the time recorded as `SubjectStatus.erased_at`.

    Returns:
        What was erased and what was kept, with reasons. The subject is marked erased
        (`SubjectStatus.erased_at`, so an import never re-creates it) unless a legal hold
        kept part of its sovereign rows; lifting the hold and erasing again completes it.

    Raises:
        SubjectNotFoundError: no participant code or subject ID matches.

    Source: GDPR Art. 17(1), (3)(b), (d), (e); Art. 5(1)(e); Art. 32 (crypto-shredding).

    """
    games_meta, sovereign_meta = both_metadata()
    ref: SubjectRef = resolve_subject(planes, subject, (games_meta, sovereign_meta))
    outcome = ErasureOutcome(ref.subject_id)
    with planes.games_session() as games, planes.sovereign_session() as sovereign:
        held = held_categories(active_holds(sovereign, ref.subject_id))
        kept = _erase_plane(games, find_rows(games, games_meta, ref), held, outcome)
        kept = (
            _erase_plane(sovereign, find_rows(sovereign, sovereign_meta, ref), held, outcome)
            or kept
        )
        outcome.keys_destroyed = _shred(spine, ref.subject_id, held)
        outcome.complete = not kept
        status = status_of(sovereign, ref.subject_id)
        newly_marked = outcome.complete and status.erased_at is None
        outcome.changed = bool(
            outcome.rows_deleted or outcome.values_emptied or outcome.keys_destroyed or newly_marked
        )
        if not outcome.changed:
            outcome.already_erased = status.erased_at is not None
            return outcome
        if newly_marked:
            status.erased_at = clock()
            status.erasure_request = request_id
        record_write(
            spine,
            sovereign,
            operator=operator,
            action="subjects.subject.erase",
            subject=ref.subject_id,
            fields=tuple(
                sorted(
                    {
                        f"{i.table}.{i.category}".replace("-", "_")
                        for i in outcome.items
                        if i.action == "erased"
                    }
                )
            ),
            purpose="data-subject-rights",
            decision="erase",
            reason=request_id,
        )
    return outcome
