"""NOCs, participants and teams from the Paris 2024 files, split across the two planes.

Published identity (name as printed, NOC, gender, accreditation function) goes to the
games plane; the legal name and the birth date go to the sovereign plane only, under a
keyed pseudonymous subject ID (GDPR Art. 4(5), Art. 25).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from podium.paris2024.csvsource import BadRowError, CsvSource, Quarantine, Row, read_rows
from podium.privacy.pseudonyms import subject_id

__all__ = ["PeopleData", "load_nocs", "load_people", "subject_id"]

_DELEGATION_NAMES = {"AIN": "Individual Neutral Athletes"}
"""Long names of delegations that `nocs.csv` names only by their code (IOC usage)."""

_SPECIAL_DELEGATIONS = {"AIN", "EOR", "IOA", "ROT", "IOP", "NPA", "RPC"}
_GENDERS = {"male": "M", "female": "W", "m": "M", "w": "W", "f": "W", "x": "X", "o": "O"}


@dataclass
class PeopleData:
    """Rows for the participant, team and person tables, keyed by primary key."""

    nocs: dict[str, dict[str, Any]] = field(default_factory=dict)
    participants: dict[str, dict[str, Any]] = field(default_factory=dict)
    persons: dict[str, dict[str, Any]] = field(default_factory=dict)
    teams: dict[str, dict[str, Any]] = field(default_factory=dict)
    members: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)


def load_nocs(root: Path, data: PeopleData, quarantine: Quarantine) -> None:
    """Read the NOCs (current, historical and special delegations such as AIN and EOR).

    Raises:
        SourceFileError: a file is missing or lacks a column.
        BadRowError: in strict mode, on the first malformed row.
    """
    countries = CsvSource(root, "olympics-in-numbers/countries.csv", ("country_id", "continent"))
    continents = {
        row.required("country_id"): row.text("continent") or None
        for row in read_rows(countries, quarantine)
    }
    nocs = CsvSource(root, "nocs.csv", ("code", "country", "country_long", "note"))
    for row in read_rows(nocs, quarantine):
        code = row.required("code")
        note = row.text("note")
        kind = (
            "special"
            if code in _SPECIAL_DELEGATIONS
            else "historical"
            if note == "H"
            else "current"
        )
        long_name = row.text("country_long") or row.required("country")
        if long_name == code and code in _DELEGATION_NAMES:
            long_name = _DELEGATION_NAMES[code]
            reason = f"{code} has no long name: {long_name!r} used"
            quarantine.notice(row.fault("country_long", reason, "name_supplied"))
        data.nocs[code] = {
            "code": code,
            "name": row.required("country"),
            "long_name": long_name,
            "kind": kind,
            "continent": continents.get(code),
        }


def _gender(row: Row, column: str) -> str:
    value = _GENDERS.get(row.required(column).lower())
    if value is None:
        raise row.fault(column, f"unknown gender {row.text(column)!r}", "bad_gender")
    return value


@dataclass(frozen=True, slots=True)
class _Person:
    code: str
    printed_name: str
    tv_name: str | None
    noc: str
    gender: str
    role: str
    function: str | None
    disciplines: str | None
    events: str | None


def _add(data: PeopleData, key: bytes, person: _Person, row: Row) -> None:
    if person.noc not in data.nocs and person.role != "official":
        raise row.fault("country", f"NOC {person.noc!r} is not in nocs.csv", "unknown_noc")
    if person.code in data.participants:
        raise row.fault("code", f"participant {person.code} already imported", "duplicate")
    sid = subject_id(key, person.code)
    data.participants[person.code] = {
        "code": person.code,
        "subject_id": sid,
        "printed_name": person.printed_name,
        "tv_name": person.tv_name,
        "noc": person.noc if person.noc in data.nocs else None,
        "organisation": person.noc,
        "gender": person.gender,
        "role": person.role,
        "function": person.function,
        "disciplines": person.disciplines,
        "events": person.events,
    }
    birth = row.day("dob") if "dob" in row.values else row.day("birth_date")
    data.persons[sid] = {
        "subject_id": sid,
        "full_name": person.printed_name,
        "birth_date": birth,
        "organisation": person.noc,
        "function": person.function,
    }


def _athlete(row: Row) -> _Person:
    return _Person(
        code=row.required("athlete_id"),
        printed_name=row.required("name"),
        tv_name=row.text("tvName") or None,
        noc=row.required("country_id"),
        gender=_gender(row, "gender"),
        role="athlete",
        function=row.text("role") or "Athlete",
        disciplines=",".join(row.text_list("disciplineList")) or None,
        events=",".join(row.text_list("eventList")) or None,
    )


def _coach(row: Row) -> _Person:
    return _Person(
        code=row.required("code"),
        printed_name=row.required("name"),
        tv_name=None,
        noc=row.required("country_code"),
        gender=_gender(row, "gender"),
        role="coach",
        function=row.text("function") or None,
        disciplines=row.text("disciplines") or None,
        events=row.text("events") or None,
    )


def _official(row: Row) -> _Person:
    return _Person(
        code=row.required("code"),
        printed_name=row.required("name"),
        tv_name=None,
        noc=row.required("organisation_code"),
        gender=_gender(row, "gender"),
        role="official",
        function=row.text("function") or None,
        disciplines=",".join(row.text_list("disciplines")) or None,
        events=None,
    )


_SOURCES = (
    (
        "olympics-in-numbers/athletes.csv",
        ("athlete_id", "name", "tvName", "dob", "gender", "role", "country_id", "eventList"),
        _athlete,
    ),
    (
        "coaches.csv",
        ("code", "name", "gender", "function", "country_code", "disciplines", "events"),
        _coach,
    ),
    (
        "technical_officials.csv",
        ("code", "name", "gender", "function", "organisation_code", "disciplines"),
        _official,
    ),
)
_TEAM_COLUMNS = ("code", "current", "team", "team_gender", "country_code", "disciplines_code")


def load_people(root: Path, data: PeopleData, quarantine: Quarantine, key: bytes) -> None:
    """Read athletes, coaches, technical officials and teams.

    Args:
        root: the Paris 2024 data folder.
        data: receives the rows; its NOCs must be loaded first.
        quarantine: collects bad rows (or raises in strict mode).
        key: the pseudonymisation key for subject IDs.

    Raises:
        BadRowError: in strict mode, on the first bad row.

    """
    for name, columns, parse in _SOURCES:
        for row in read_rows(CsvSource(root, name, columns), quarantine):
            try:
                _add(data, key, parse(row), row)
            except BadRowError as fault:
                quarantine.reject(fault)
    teams = CsvSource(root, "teams.csv", (*_TEAM_COLUMNS, "events", "athletes_codes"))
    for row in read_rows(teams, quarantine):
        try:
            _team(data, row)
        except BadRowError as fault:
            quarantine.reject(fault)


def _team(data: PeopleData, row: Row) -> None:
    code = row.required("code")
    noc = row.required("country_code")
    if noc not in data.nocs:
        raise row.fault("country_code", f"NOC {noc!r} is not in nocs.csv", "unknown_noc")
    members = row.text_list("athletes_codes")
    data.teams[code] = {
        "code": code,
        "name": row.required("team"),
        "noc": noc,
        "gender": row.required("team_gender"),
        "discipline_code": row.required("disciplines_code"),
        "event_name": row.text("events") or None,
        "current": row.required("current") == "True",
    }
    for member in members:
        data.members[code, member] = {"team_code": code, "participant_code": member}
