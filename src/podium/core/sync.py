"""Make a table hold exactly a given set of rows, touching only what differs.

Imports use this to be idempotent: a second run of the same import finds every row
unchanged and writes nothing. The caller owns the transaction.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Table, and_, bindparam, delete, insert, select, tuple_, update
from sqlalchemy.orm import Session

__all__ = ["SyncCount", "sync_table"]

_CHUNK = 2000


@dataclass(frozen=True, slots=True)
class SyncCount:
    """What a sync did to one table: rows inserted, updated, deleted and unchanged."""

    table: str
    inserted: int
    updated: int
    deleted: int
    unchanged: int

    @property
    def changed(self) -> int:
        """Return the number of rows written (inserted, updated or deleted)."""
        return self.inserted + self.updated + self.deleted


def _chunks(rows: Sequence[Any]) -> Iterable[Sequence[Any]]:
    for start in range(0, len(rows), _CHUNK):
        yield rows[start : start + _CHUNK]


def sync_table(
    session: Session, table: Table, rows: Iterable[Mapping[str, Any]], *, prune: bool = True
) -> SyncCount:
    """Insert new rows, update changed ones and (with `prune`) delete the others.

    Args:
        session: an open session; the caller commits or rolls back.
        table: the table to synchronise; rows are matched on its primary key.
        rows: the wanted rows, each a mapping of every column name to its value.
        prune: delete the rows of the table that are not wanted.

    Returns:
        The counts of what was written.

    """
    keys = [c.name for c in table.primary_key.columns]
    columns = [c.name for c in table.columns]
    existing = {
        tuple(r[k] for k in keys): dict(r) for r in session.execute(select(table)).mappings()
    }
    inserts: list[dict[str, Any]] = []
    updates: list[dict[str, Any]] = []
    wanted: set[tuple[Any, ...]] = set()
    for row in rows:
        full = {c: row.get(c) for c in columns}
        key = tuple(full[k] for k in keys)
        wanted.add(key)
        old = existing.get(key)
        if old is None:
            inserts.append(full)
        elif old != full:
            updates.append(full)
    stale = [k for k in existing if k not in wanted] if prune else []
    _write(session, table, _Changes(keys, inserts, updates, stale))
    unchanged = len(wanted) - len(inserts) - len(updates)
    return SyncCount(table.name, len(inserts), len(updates), len(stale), unchanged)


@dataclass(frozen=True, slots=True)
class _Changes:
    keys: list[str]
    inserts: list[dict[str, Any]]
    updates: list[dict[str, Any]]
    stale: list[tuple[Any, ...]]


def _write(session: Session, table: Table, changes: _Changes) -> None:
    keys, inserts, updates, stale = changes.keys, changes.inserts, changes.updates, changes.stale
    pk = [table.c[k] for k in keys]
    for chunk in _chunks(stale):
        session.execute(delete(table).where(tuple_(*pk).in_(list(chunk))))
    for chunk in _chunks(inserts):
        session.execute(insert(table), list(chunk))
    if updates:
        renamed = [{f"pk_{k}": v for k, v in row.items()} for row in updates]
        statement = (
            update(table)
            .where(and_(*(table.c[k] == bindparam(f"pk_{k}") for k in keys)))
            .values(
                {c.name: bindparam(f"pk_{c.name}") for c in table.columns if c.name not in keys}
            )
        )
        for chunk in _chunks(renamed):
            session.connection().execute(statement, list(chunk))
