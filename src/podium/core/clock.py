"""An injectable clock: code takes a `Clock` instead of calling `datetime.now`."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

__all__ = ["Clock", "system_clock"]

Clock = Callable[[], datetime]
"""A function returning the current time as an aware UTC datetime."""


def system_clock() -> datetime:
    """Return the current time in UTC from the system clock."""
    return datetime.now(UTC)
