"""Games master data from the Paris 2024 files: disciplines, events, venues, units.

What the source makes hard, and how it is met:

* `schedules.csv` has no unit code: the RSC is rebuilt from the event code (looked up
  by discipline and event name in `olympics-in-numbers/events.csv`) and the tail of the
  result URL (`.../men-s-100m/fnl-000100--` → phase `FNL-`, unit `000100--`).
* Some schedule rows are phases (`prel--------`): their units are the RSC codes met
  in `results/`, which inherit the phase's times.
* Cancelled units have no URL: their phase code is taken from a sibling row of the same
  phase, and the unit number is Podium's, recorded as a notice.
* Ceremonies have empty fields and no end time; they get a `CER` code.
* Venue names differ between `venues.csv` and `schedules.csv`: codes come from
  `schedules.csv` and `venues.csv` only enriches them, matched by name tokens.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from podium.games import GAMES_TIME_ZONE
from podium.odf import Rsc
from podium.paris2024.csvsource import BadRowError, CsvSource, Quarantine, Row, read_rows

__all__ = ["PARIS", "MasterData", "ResultUnit", "load_master_data"]

PARIS = GAMES_TIME_ZONE
"""The Games' time zone: competition days are local days."""


@dataclass(frozen=True, slots=True)
class ResultUnit:
    """A unit met in `results/`, with what the results file says of it."""

    rsc: str
    name: str
    phase_name: str
    starts_at: datetime
    venue_name: str


@dataclass
class MasterData:
    """Rows for the games master data tables, as column dictionaries.

    Attributes:
        disciplines, nocs, venues, locations, events, phases, sessions, units: the rows,
            each a mapping of column name to value, keyed by primary key.

    """

    disciplines: dict[str, dict[str, Any]] = field(default_factory=dict)
    venues: dict[str, dict[str, Any]] = field(default_factory=dict)
    locations: dict[str, dict[str, Any]] = field(default_factory=dict)
    events: dict[str, dict[str, Any]] = field(default_factory=dict)
    phases: dict[str, dict[str, Any]] = field(default_factory=dict)
    sessions: dict[str, dict[str, Any]] = field(default_factory=dict)
    units: dict[str, dict[str, Any]] = field(default_factory=dict)


def _event_codes(
    root: Path, data: MasterData, quarantine: Quarantine
) -> dict[tuple[str, str], str]:
    disciplines = CsvSource(
        root, "olympics-in-numbers/disciplines.csv", ("discipline_id", "discipline_name")
    )
    for row in read_rows(disciplines, quarantine):
        code = row.required("discipline_id")
        data.disciplines[code] = {"code": code, "name": row.required("discipline_name")}
    lookup: dict[tuple[str, str], str] = {}
    events = CsvSource(
        root, "olympics-in-numbers/events.csv", ("event_id", "event_name", "discipline_id")
    )
    for row in read_rows(events, quarantine):
        code, discipline = row.required("event_id"), row.required("discipline_id")
        rsc = Rsc.build(discipline, code[3], code[4:])
        data.events[rsc] = {
            "rsc": rsc,
            "code": code,
            "discipline_code": discipline,
            "gender": code[3],
            "name": row.required("event_name"),
            "event_type": None,
        }
        lookup[discipline, row.required("event_name")] = rsc
    return lookup


_SCHEDULE_COLUMNS = (
    "start_date",
    "end_date",
    "day",
    "status",
    "discipline",
    "discipline_code",
    "event",
    "event_medal",
    "phase",
    "gender",
    "event_type",
    "venue",
    "venue_code",
    "location_description",
    "location_code",
    "url",
)


def _plain(name: str) -> str:
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return " ".join(re.findall(r"[a-z0-9]+", ascii_name.lower()))


_VENUE_NAMES = {
    "CDM": "Champ de Mars Arena",
    "CPL": "Porte de La Chapelle Arena",
    "CTX": "Chateauroux Shooting Centre",
    "LBO": "Le Bourget Sport Climbing Venue",
    "LC1": "La Concorde",
    "LC2": "La Concorde",
    "LC3": "La Concorde",
    "LC4": "La Concorde",
    "LGN": "Golf National",
    "RGA": "Stade Roland-Garros",
    "SP1": "South Paris Arena",
    "SP4": "South Paris Arena",
    "SP6": "South Paris Arena",
    "VE1": "Saint-Quentin-en-Yvelines Velodrome",
    "VE2": "Saint-Quentin-en-Yvelines BMX Stadium",
    "VN1": "Vaires-sur-Marne Nautical Stadium",
    "VN2": "Vaires-sur-Marne Nautical Stadium",
}
"""The `venues.csv` name of each schedule venue whose name differs between the files.

The files share no venue code, and the names differ too much for a fuzzy match to be
safe (`National Velodrome` shares a word with `Le Golf National`): this table, checked
by hand against both files, says which is which. Other venues match by name.
"""


def _enrich_venues(root: Path, data: MasterData, quarantine: Quarantine) -> None:
    """Give each venue code of `schedules.csv` its `venues.csv` row (page, opening dates).

    Raises:
        SourceFileError: `venues.csv` is missing or lacks a column.
    """
    columns = ("venue", "date_start", "date_end", "url")
    rows = list(read_rows(CsvSource(root, "venues.csv", columns), quarantine))
    by_name = {_plain(r.text("venue")): i for i, r in enumerate(rows)}
    used: set[int] = set()
    for code, venue in data.venues.items():
        index = by_name.get(_plain(_VENUE_NAMES.get(code, venue["name"])))
        if index is None:
            continue
        used.add(index)
        row = rows[index]
        venue.update(
            url=row.text("url") or None,
            opens_at=row.timestamp("date_start"),
            closes_at=row.timestamp("date_end"),
        )
    for index, row in enumerate(rows):
        if index not in used:
            quarantine.notice(row.fault("venue", "no venue code in schedules.csv", "venue_unused"))


def _tail(url: str) -> str:
    return url.rstrip("/").rsplit("/", 1)[-1].upper()


def _ceremony(row: Row, data: MasterData) -> None:
    # The discipline column names the ceremony ("Opening Ceremony"); the URLs differ.
    kind = row.required("discipline").split()[0].upper()
    rsc = Rsc.build("CER", "", kind)  # as the official schedule codes them: CER-OPENING---
    data.disciplines.setdefault("CER", {"code": "CER", "name": "Ceremonies"})
    start = row.timestamp("start_date")
    if start is None:
        raise row.fault("start_date", "ceremony without a start time", "missing_value")
    data.units[rsc] = _unit_row(rsc, row, None, row.required("discipline"), start)


def _unit_row(
    rsc: str, row: Row, event_rsc: str | None, name: str, start: datetime
) -> dict[str, Any]:
    return {
        "rsc": rsc,
        "discipline_code": rsc[:3],
        "event_rsc": event_rsc,
        "phase_rsc": Rsc(rsc).phase if event_rsc else None,
        "name": name,
        "name_fr": None,
        "day": row.day("day") or start.date(),
        "starts_at": start,
        "ends_at": row.timestamp("end_date"),
        "status": row.required("status"),
        "medal": row.integer("event_medal") or 0,
        "venue_code": row.text("venue_code") or None,
        "location_code": row.text("location_code") or None,
        "session_code": None,
        "source_url": row.text("url") or None,
        "order": 0,
    }


@dataclass
class _ScheduleState:
    root: Path
    data: MasterData
    quarantine: Quarantine
    events: dict[tuple[str, str], str]
    results_units: dict[str, ResultUnit]
    phase_codes: dict[tuple[str, str], str] = field(default_factory=dict)
    cancelled: list[Row] = field(default_factory=list)
    phase_rows: defaultdict[Rsc, list[tuple[datetime, Row]]] = field(
        default_factory=lambda: defaultdict(list)
    )


def _schedule_row(state: _ScheduleState, row: Row) -> None:
    data = state.data
    if row.text("discipline_code") == "CER":
        _ceremony(row, data)
        return
    _remember_venue(row, data)
    discipline, event_name = row.required("discipline_code"), row.required("event")
    url = row.text("url")
    if not url:
        if row.text("status") == "CANCELLED":
            state.cancelled.append(row)
            return
        if "training" in row.text("phase").lower():
            # Official training is scheduled but is no competition unit: it has no RSC.
            reason = "training slot, not a competition unit: not imported"
            state.quarantine.notice(row.fault("phase", reason, "training_skipped"))
            return
        raise row.fault("url", "no result URL, so no unit code", "no_unit_code")
    tail = _tail(url)
    if len(tail) != 12:
        raise row.fault("url", f"URL tail {tail!r} is not a 12-character phase+unit", "bad_url")
    event_rsc = state.events.get((discipline, event_name))
    gender = row.required("gender")
    if event_rsc is None:
        state.quarantine.notice(
            row.fault("event", f"event {event_name!r} unknown: gender-level code", "no_event")
        )
        rsc = Rsc.build(discipline, gender, "", tail[:4].rstrip("-"), tail[4:].rstrip("-"))
    else:
        rsc = Rsc(event_rsc[:22] + tail)
        data.events[event_rsc]["event_type"] = row.text("event_type") or None
    state.phase_codes[discipline, row.required("phase")] = Rsc(rsc).phase
    start = row.timestamp("start_date")
    if start is None:
        raise row.fault("start_date", "unit without a start time", "missing_value")
    name = row.required("phase")
    if Rsc(rsc).is_phase_level and event_rsc is not None:
        _phase_units(state, row, Rsc(rsc), start)
        return
    data.units[rsc] = _unit_row(rsc, row, event_rsc, name, start)
    if event_rsc is not None:
        data.phases.setdefault(Rsc(rsc).phase, _phase_row(Rsc(rsc), event_rsc, name))


def _phase_row(rsc: Rsc, event_rsc: str, name: str) -> dict[str, Any]:
    return {"rsc": rsc.phase, "event_rsc": event_rsc, "name": name}


def _phase_units(state: _ScheduleState, row: Row, phase: Rsc, start: datetime) -> None:
    """Remember a phase-level schedule row; its units are laid out once all rows are read."""
    state.data.phases.setdefault(phase, _phase_row(phase, phase.event, row.required("phase")))
    state.phase_rows[phase].append((start, row))


def _row_for(rows: list[tuple[datetime, Row]], finished: datetime) -> int:
    """Return the index of the last row that started before the unit's results came out."""
    started = [i for i, (start, _) in enumerate(rows) if start <= finished]
    return started[-1] if started else 0


def _expand_phases(state: _ScheduleState) -> None:
    """Lay out the units of the phases that the schedule gives as phase-level rows.

    A phase may have one row (all heats in one session) or several (golf rounds, rowing
    finals A, B, C...). Each unit met in the results goes to the last row that started
    before its results were published; a row that receives no unit (a round after the
    results snapshot) becomes a unit of its own, numbered after the phase's last unit as
    ODF numbers them (`FNL-000400--`), with a notice.
    """
    for phase, rows in state.phase_rows.items():
        rows.sort(key=lambda item: item[0])
        members = sorted(c for c in state.results_units if c.startswith(phase[:26]))
        used: set[int] = set()
        for code in members:
            index = _row_for(rows, state.results_units[code].starts_at)
            used.add(index)
            start, row = rows[index]
            name = state.results_units[code].name
            state.data.units[code] = _unit_row(code, row, phase.event, name, start)
        numbers = [int(c[26:30]) for c in members if c[26:30].isdigit()]
        after = max(numbers, default=0)
        for index, (start, row) in enumerate(rows):
            if index in used:
                continue
            after += 1
            code = Rsc(phase[:26] + f"{after:04d}00--")
            name = row.required("phase")
            state.data.units[code] = _unit_row(code, row, phase.event, name, start)
            reason = f"phase-level row without a unit in the results: code {code} assigned"
            state.quarantine.notice(row.fault("url", reason, "code_assigned"))


def _remember_venue(row: Row, data: MasterData) -> None:
    code = row.required("venue_code")
    data.venues.setdefault(
        code,
        {"code": code, "name": row.required("venue"), "url": None},
    )
    location = row.text("location_code")
    if location:
        data.locations.setdefault(
            location,
            {
                "code": location,
                "venue_code": code,
                "description": row.text("location_description") or location,
            },
        )


def _cancelled_units(state: _ScheduleState) -> None:
    """Give the cancelled rows without URL a code: sibling phase code, next unit number."""
    used: dict[str, int] = defaultdict(int)
    for code in state.data.units:
        used[code[:26]] = max(used[code[:26]], int(code[26:32]) if code[26:32].isdigit() else 0)
    for row in state.cancelled:
        discipline, event_name = row.required("discipline_code"), row.required("event")
        event_rsc = state.events.get((discipline, event_name))
        if event_rsc is None:
            state.quarantine.reject(row.fault("event", "unknown event", "no_event"))
            continue
        phase = state.phase_codes.get((discipline, row.required("phase")))
        phase = phase or Rsc(event_rsc[:22] + "CNCL")
        used[phase[:26]] += 100
        rsc = Rsc(phase[:26] + f"{used[phase[:26]]:06d}--")
        start = row.timestamp("start_date")
        if start is None:
            state.quarantine.reject(row.fault("start_date", "no start time", "missing_value"))
            continue
        state.data.units[rsc] = _unit_row(rsc, row, event_rsc, row.required("phase"), start)
        state.data.phases.setdefault(rsc.phase, _phase_row(rsc, event_rsc, row.required("phase")))
        state.quarantine.notice(
            row.fault("url", f"cancelled unit without URL: code {rsc} assigned", "code_assigned")
        )


def load_master_data(
    root: Path, quarantine: Quarantine, results_units: dict[str, ResultUnit]
) -> MasterData:
    """Read disciplines, events, venues, locations, phases and units from the source files.

    Args:
        root: the Paris 2024 data folder.
        quarantine: collects bad rows (or raises in strict mode).
        results_units: the units met in `results/`, by RSC, to expand phase-level rows.

    Returns:
        The master data rows, ready to be written.

    Raises:
        BadRowError: in strict mode, on the first bad row.

    """
    data = MasterData()
    events = _event_codes(root, data, quarantine)
    state = _ScheduleState(root, data, quarantine, events, results_units)
    for row in read_rows(CsvSource(root, "schedules.csv", _SCHEDULE_COLUMNS), quarantine):
        try:
            _schedule_row(state, row)
        except BadRowError as fault:
            quarantine.reject(fault)
    _expand_phases(state)
    _cancelled_units(state)
    _orphan_result_units(state)
    _enrich_venues(root, data, quarantine)
    _number_sessions(data)
    return data


def _orphan_result_units(state: _ScheduleState) -> None:
    """Add units known only from the results (no schedule row), timed by the result."""
    for code, unit in state.results_units.items():
        if code in state.data.units:
            continue
        rsc = Rsc(code)
        event_rsc = rsc.event if rsc.event in state.data.events else None
        if event_rsc and not rsc.is_event_level:
            state.data.phases.setdefault(rsc.phase, _phase_row(rsc, event_rsc, unit.phase_name))
        state.data.units[code] = {
            "rsc": code,
            "discipline_code": code[:3],
            "event_rsc": event_rsc,
            "phase_rsc": rsc.phase if event_rsc and not rsc.is_event_level else None,
            "name": unit.name,
            "name_fr": None,
            "day": unit.starts_at.astimezone(PARIS).date(),  # the local competition day
            "starts_at": unit.starts_at,
            "ends_at": None,
            "status": "FINISHED",
            "medal": 0,
            "venue_code": None,
            "location_code": None,
            "session_code": None,
            "source_url": None,
            "order": 0,
        }


def _period(start: datetime) -> str:
    hour = start.hour
    return "MOR" if hour < 12 else "AFT" if hour < 17 else "EVE"


def _number_sessions(data: MasterData) -> None:
    """Group units into competition sessions: discipline, venue, day and part of day.

    The source has no session codes; Podium numbers them per discipline in time order
    (`ATH01`, `ATH02`, ...), as ODF session codes are.
    """
    groups: dict[tuple[str, str | None, Any, str], list[dict[str, Any]]] = defaultdict(list)
    for unit in data.units.values():
        key = (unit["discipline_code"], unit["venue_code"], unit["day"], _period(unit["starts_at"]))
        groups[key].append(unit)
    counters: dict[str, int] = defaultdict(int)
    ordered = sorted(groups.items(), key=lambda kv: min(u["starts_at"] for u in kv[1]))
    for (discipline, venue, day, period), units in ordered:
        counters[discipline] += 1
        code = f"{discipline}{counters[discipline]:02d}"
        ends = [u["ends_at"] or u["starts_at"] for u in units]
        data.sessions[code] = {
            "code": code,
            "discipline_code": discipline,
            "venue_code": venue,
            "day": day,
            "starts_at": min(u["starts_at"] for u in units),
            "ends_at": max(ends),
            "session_type": period,
        }
        for order, unit in enumerate(sorted(units, key=lambda u: (u["starts_at"], u["rsc"]))):
            unit["session_code"], unit["order"] = code, order
