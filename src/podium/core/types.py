"""Column types shared by both planes."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import DateTime, Dialect
from sqlalchemy.types import TypeDecorator

__all__ = ["UtcDateTime"]


class UtcDateTime(TypeDecorator[datetime]):
    """An aware timestamp stored in UTC on every backend.

    SQLite keeps no offset, so a `+02:00` local time would be stored as its wall-clock
    value and read back wrong; PostgreSQL's `timestamptz` converts. Converting to UTC on
    the way in and marking UTC on the way out gives both backends one behaviour.

    Raises:
        ValueError: when given a naive datetime (its instant is unknown).

    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        """Convert an aware datetime to UTC before storing it."""
        del dialect
        if value is None:
            return None
        if value.tzinfo is None:
            msg = f"naive datetime {value.isoformat()} has no UTC offset"
            raise ValueError(msg)
        return value.astimezone(UTC)

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        """Return the stored timestamp as an aware UTC datetime."""
        del dialect
        if value is None:
            return None
        stamp: datetime = value
        return stamp.replace(tzinfo=UTC) if stamp.tzinfo is None else stamp.astimezone(UTC)
