"""Retention: personal data is kept no longer than its category's period (Art. 5(1)(e)).

Each personal category whose erasure rule is `erase` has a period in days after the
Games (`Settings.games_end`): the catalog's, or `Settings.retention_days`'s override.
Once it has passed:

- sealed columns of the category are emptied and every subject's data key of that
  category is destroyed (`keys.shred(subject, [category])`), so backups go too;
- plain columns of the category are nulled, or their rows deleted when not nullable;
- operator accounts (categories `operator`, `credential`) that were disabled are deleted
  with their tokens and sessions; active staff accounts stay while in use.

Audit records and the request register (`audit`, kept by legal obligation) are not
pruned here: deleting records would break the hash chain (a later issue may archive
them). A dry run reports what would change; a second real run changes nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime

from sqlalchemy import Column, Table, delete, func, select, update
from sqlalchemy.orm import Session

from podium.core.categories import CATALOG, DataCategory, Erasure, Plane
from podium.core.db import Planes
from podium.core.settings import Settings
from podium.privacy.access import record_write
from podium.privacy.operators import ApiToken, Operator
from podium.privacy.sessions import WebSession
from podium.privacy.spine import Spine
from podium.subjects._planes import plane_metadata
from podium.subjects.information import expiry_of

__all__ = ["DEFAULT_GAMES_END", "RetentionItem", "retention_plan", "run_retention"]

DEFAULT_GAMES_END: date = Settings.model_fields["games_end"].default
"""The default end of the Games (Paris 2024 Paralympics, 8 September 2024)."""
_ACCOUNTS = frozenset({DataCategory.OPERATOR, DataCategory.CREDENTIAL})
KEY_STORE = "key-store"


@dataclass(frozen=True, slots=True)
class RetentionItem:
    """One thing a retention run erases (or would erase).

    Attributes:
        category: the data category.
        table: the table, or `key-store` for data keys.
        column: the column, or `*` for whole rows and keys.
        action: `empty-sealed`, `shred-keys`, `null`, `delete-rows`,
            `delete-disabled-accounts`.
        count: values, keys or rows concerned (changed, after a real run).
        expires_on: the last day the data may be kept.
        expired: whether that day has passed.

    """

    category: str
    table: str
    column: str
    action: str
    count: int
    expires_on: date
    expired: bool


def _retained_categories() -> list[DataCategory]:
    return [c for c in DataCategory if CATALOG[c].personal and CATALOG[c].erasure is Erasure.ERASE]


def _live_keys(spine: Spine, category: DataCategory) -> list[str]:
    suffix = f"/{category.value}"
    return [kid for kid in spine.keys.store.ids() if kid.endswith(suffix)]


def _count(session: Session, table: Table, col: Column[object] | None = None) -> int:
    query = select(func.count()).select_from(table)
    if col is not None:
        query = query.where(col.is_not(None))
    return session.scalar(query) or 0


def _disabled_operators(session: Session) -> list[str]:
    return list(session.scalars(select(Operator.id).where(Operator.disabled_at.is_not(None))))


def _items(
    session: Session, spine: Spine, category: DataCategory, expires: date, now: datetime
) -> list[RetentionItem]:
    expired = now.date() > expires

    def item(table: str, column: str, action: str, count: int) -> RetentionItem:
        return RetentionItem(category.value, table, column, action, count, expires, expired)

    if category in _ACCOUNTS:
        if category is DataCategory.CREDENTIAL:
            return []
        count = len(_disabled_operators(session))
        return [item(Operator.__tablename__, "*", "delete-disabled-accounts", count)]
    items: list[RetentionItem] = []
    for table in plane_metadata(Plane.SOVEREIGN).sorted_tables:
        for col in table.columns:
            if col.info.get("category") is not category:
                continue
            if col.info.get("sealed"):
                items.append(
                    item(table.name, col.name, "empty-sealed", _count(session, table, col))
                )
            elif col.nullable:
                items.append(item(table.name, col.name, "null", _count(session, table, col)))
            else:
                items.append(item(table.name, "*", "delete-rows", _count(session, table)))
    if any(i.action == "empty-sealed" for i in items):
        items.append(item(KEY_STORE, "*", "shred-keys", len(_live_keys(spine, category))))
    return items


def retention_plan(
    planes: Planes,
    spine: Spine,
    now: datetime,
    overrides: Mapping[str, int],
    *,
    games_end: date = DEFAULT_GAMES_END,
) -> list[RetentionItem]:
    """Say, per category, table and column, what retention erases and whether it is due.

    Args:
        planes: both planes.
        spine: the node's privacy services (the key store is counted too).
        now: the current time (inject the clock).
        overrides: `Settings.retention_days` (category value → days after the Games).
        games_end: `Settings.games_end`.

    Returns:
        One item per (category, table, column) holding data of a category with a period.

    Source: GDPR Art. 5(1)(e) storage limitation, Art. 17(1)(a).

    """
    items: list[RetentionItem] = []
    with planes.sovereign_session() as session:
        for category in _retained_categories():
            expires = expiry_of(category, overrides, games_end)
            if expires is None:
                continue
            items += _items(session, spine, category, expires, now)
    return items


def _apply(session: Session, spine: Spine, item: RetentionItem) -> int:
    """Erase what one due item covers; return how much changed."""
    category = DataCategory(item.category)
    if item.action == "shred-keys":
        return spine.keys.shred_many(
            (kid.rpartition("/")[0], category.value) for kid in _live_keys(spine, category)
        )
    if item.action == "delete-disabled-accounts":
        ids = _disabled_operators(session)
        if ids:
            for child in (ApiToken, WebSession):
                session.execute(delete(child).where(child.operator_id.in_(ids)))
            session.execute(delete(Operator).where(Operator.id.in_(ids)))
        return len(ids)
    table = plane_metadata(Plane.SOVEREIGN).tables[item.table]
    if item.action == "delete-rows":
        return session.execute(delete(table)).rowcount  # type: ignore[attr-defined, no-any-return]
    col = table.c[item.column]
    result = session.execute(update(table).where(col.is_not(None)).values({col.name: None}))
    return result.rowcount  # type: ignore[attr-defined, no-any-return]


def run_retention(  # noqa: PLR0913 - the node, the clock, the periods, and the mode
    planes: Planes,
    spine: Spine,
    now: datetime,
    overrides: Mapping[str, int],
    *,
    games_end: date = DEFAULT_GAMES_END,
    dry_run: bool = False,
    operator: str = "system",
) -> list[RetentionItem]:
    """Erase the personal data whose retention period has passed, and audit it.

    Args:
        planes: both planes.
        spine: the node's privacy services.
        now: the current time (inject the clock).
        overrides: `Settings.retention_days`.
        games_end: `Settings.games_end`.
        dry_run: report only; change nothing.
        operator: who runs it, `system` for the scheduled job.

    Returns:
        The due items; after a real run `count` is what changed (all zero on a rerun).

    Source: GDPR Art. 5(1)(e), Art. 17(1)(a); Art. 32 (crypto-shredding reaches backups).

    """
    plan = retention_plan(planes, spine, now, overrides, games_end=games_end)
    due = [i for i in plan if i.expired]
    if dry_run:
        return due
    done: list[RetentionItem] = []
    with planes.sovereign_session() as session:
        for item in due:
            changed = _apply(session, spine, item) if item.count else 0
            done.append(replace(item, count=changed))
            if changed:
                record_write(
                    spine,
                    session,
                    operator=operator,
                    action="subjects.retention.erase",
                    subject=None,
                    fields=(f"{item.table}.{item.column}".replace("-", "_").replace("*", "all"),),
                    purpose="retention",
                    decision="erase",
                    reason=f"{item.category} {item.action} {changed} (until {item.expires_on})",
                )
    return done
