"""The preliminary schedule (`schedules_preliminary.csv`), matched to the final units.

Its times are UTC (`2024-08-03T08:35:00Z`) where `schedules.csv` writes Paris local time
(`2024-08-03T10:35:00+02:00`): both are read as aware instants, so a slot matches the
unit that starts at the same instant at the same venue. Comparing wall-clock text
instead would match almost nothing. The venue code is in `venue_code`, or in
`venue_code_other` when the first is empty.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from pathlib import Path
from typing import Any

from podium.paris2024.csvsource import BadRowError, CsvSource, Quarantine, Row, read_rows

__all__ = ["load_preliminary_slots"]

_COLUMNS = (
    "date_start_utc",
    "date_end_utc",
    "estimated",
    "estimated_start",
    "medal",
    "venue_code",
    "venue_code_other",
    "description",
    "sport_code",
)


def _slot(row: Row, units: dict[tuple[str, str | None, datetime], str]) -> dict[str, Any]:
    start = row.timestamp("date_start_utc")
    if start is None:
        raise row.fault("date_start_utc", "slot without a start time", "missing_value")
    discipline = row.required("sport_code")
    venue = row.text("venue_code") or row.text("venue_code_other") or None
    return {
        "key": "",
        "discipline_code": discipline,
        "venue_code": venue,
        "starts_at": start,
        "ends_at": row.timestamp("date_end_utc"),
        "estimated": row.text("estimated") == "True" or row.text("estimated_start") == "True",
        "medal": row.integer("medal") or 0,
        "description": row.text("description") or row.text("discription_other") or discipline,
        "unit_rsc": units.get((discipline, venue, start)),
    }


def load_preliminary_slots(
    root: Path, quarantine: Quarantine, units: dict[str, dict[str, Any]]
) -> list[dict[str, Any]]:
    """Read the preliminary schedule and match each slot to a unit of the final schedule.

    Args:
        root: the Paris 2024 data folder.
        quarantine: collects bad rows (or raises in strict mode).
        units: the final schedule's unit rows by RSC (aware `starts_at`).

    Returns:
        `preliminary_slot` rows.

    Raises:
        BadRowError: in strict mode, on the first bad row.
    """
    by_instant: dict[tuple[str, str | None, datetime], str] = {}
    for unit in sorted(units.values(), key=lambda u: u["rsc"]):
        by_instant.setdefault(
            (unit["discipline_code"], unit["venue_code"], unit["starts_at"]), unit["rsc"]
        )
    seen: dict[str, int] = defaultdict(int)
    slots = []
    source = CsvSource(root, "schedules_preliminary.csv", _COLUMNS)
    for row in read_rows(source, quarantine):
        try:
            slot = _slot(row, by_instant)
        except BadRowError as fault:
            quarantine.reject(fault)
            continue
        base = f"{slot['discipline_code']}|{slot['venue_code']}|{slot['starts_at']:%Y%m%dT%H%M}"
        seen[base] += 1
        slot["key"] = f"{base}|{seen[base]}"
        slots.append(slot)
    return slots
