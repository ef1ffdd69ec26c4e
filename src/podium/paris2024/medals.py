"""Medal rows from Kaggle `medals.csv` (Olympic) and `paralympics/medals.csv`.

The conversion rules (medal read from `medal_type`, since one real bronze has
`medal_code` 0.0) are in `podium.paris2024.medal_sources`; this module reads the files
with their line numbers and turns each award into a `medal` table row.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from podium.paris2024.csvsource import CsvSource, Quarantine, Row, read_rows
from podium.paris2024.medal_sources import MedalSourceError, award_from_medals_row
from podium.results.medals import Competition

__all__ = ["MEDAL_FILES", "link_medal_units", "load_medal_rows"]

_MEDAL_COLUMNS = (
    "medal_type",
    "medal_date",
    "name",
    "discipline",
    "event",
    "code",
    "country_code",
    "country",
    "country_long",
)

MEDAL_FILES = (("medals.csv", Competition.OG2024), ("paralympics/medals.csv", Competition.PG2024))
"""Each medal file and the Games it belongs to."""


def _delegation(row: Row, nocs: dict[str, dict[str, Any]], quarantine: Quarantine) -> None:
    """Add a delegation that `nocs.csv` lacks (the Paralympic NPA, RPT) from the medal row."""
    code = row.required("country_code")
    if code in nocs:
        return
    name = row.text("country") or code
    nocs[code] = {
        "code": code,
        "name": name,
        "long_name": row.text("country_long") or name,
        "kind": "special",
        "continent": None,
    }
    reason = f"delegation {code} ({nocs[code]['long_name']}) is not in nocs.csv: added"
    quarantine.notice(row.fault("country_code", reason, "delegation_added"))


def load_medal_rows(
    root: Path, quarantine: Quarantine, nocs: dict[str, dict[str, Any]]
) -> list[dict[str, Any]]:
    """Read every medal of both Games as `medal` table rows.

    Args:
        root: the Paris 2024 data folder.
        quarantine: collects bad rows (or raises in strict mode).
        nocs: the NOC rows by code; delegations met only in the medal files are added.

    Raises:
        BadRowError: in strict mode, on the first bad row.

    """
    rows: dict[str, dict[str, Any]] = {}
    for name, competition in MEDAL_FILES:
        for row in read_rows(CsvSource(root, name, _MEDAL_COLUMNS), quarantine):
            try:
                award = award_from_medals_row(row.values, competition)
            except (MedalSourceError, KeyError, ValueError) as error:
                quarantine.reject(row.fault("medal_type", str(error), "bad_medal"))
                continue
            key = f"{award.competition}|{award.event_key}|{award.medal}|{award.participant_code}"
            if key in rows:
                quarantine.reject(row.fault("code", f"medal {key} listed twice", "duplicate"))
                continue
            _delegation(row, nocs, quarantine)
            rows[key] = {
                "key": key,
                "competition": str(award.competition),
                "event_key": award.event_key,
                "event_name": row.required("event"),
                "discipline": award.discipline,
                "medal": str(award.medal),
                "noc": award.noc,
                "competitor_code": award.participant_code,
                "competitor_name": award.participant_name,
                "awarded_on": award.date,
                "unit_rsc": None,
                "url_tail": row.text("url_event").rstrip("/").rsplit("/", 1)[-1].upper(),
            }
    return list(rows.values())


def link_medal_units(
    medals: list[dict[str, Any]],
    events: dict[str, dict[str, Any]],
    disciplines: dict[str, dict[str, Any]],
    units: dict[str, dict[str, Any]],
) -> None:
    """Set each Olympic medal's `unit_rsc` from its URL tail (`fnl-000100--`), in place.

    The event is found by discipline and event name, as the medal files name them; the
    unit is kept only when the schedule has it.

    Args:
        medals: `medal` rows from `load_medal_rows`, with their `url_tail`; it is removed.
        events: event rows by RSC.
        disciplines: discipline rows by code.
        units: unit rows by RSC.
    """
    names = {d["code"]: d["name"] for d in disciplines.values()}
    by_name = {f"{names.get(e['discipline_code'])}/{e['name']}": rsc for rsc, e in events.items()}
    for medal in medals:
        tail = medal.pop("url_tail")
        event = by_name.get(medal["event_key"])
        if event is not None and len(tail) == 12 and event[:22] + tail in units:
            medal["unit_rsc"] = event[:22] + tail
