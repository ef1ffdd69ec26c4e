"""Pure facts of the Games that every face shares."""

from __future__ import annotations

from zoneinfo import ZoneInfo

__all__ = ["GAMES_TIME_ZONE"]

GAMES_TIME_ZONE = ZoneInfo("Europe/Paris")
"""The Paris 2024 Games' local time: competition days, schedule times and ODF `Date`,
`Time` and `LogicalDate` are local to it (ODF Foundation Principles, header dates)."""
