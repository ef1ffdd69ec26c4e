"""The replay of a past Games through results capture: its script, rewind and position.

`podium replay paris2024` is the demo and the load test of the live feed: it rewinds the
node's results and medals, then plays every unit again through `capture`, as a venue's
results manager would, on a virtual clock (`podium.diffusion.replay_steps` runs it).

The script, per unit in schedule order (starts_at, RSC), at Games time:

    start - 15 min   START_LIST + GETTING_READY, the competitors in start order, no results
    start            LIVE + RUNNING
    middle           LIVE, the first half of the start list with their results (no ranks)
    end              UNOFFICIAL + FINISHED, every line as the source has it
    end + 2 min      OFFICIAL, with the medals decided in the unit (`UnitUpdate.medals`)

A unit without results goes GETTING_READY, RUNNING, FINISHED at those times; a cancelled
unit becomes CANCELLED at its start; any other keeps SCHEDULED (the closing ceremony). A
unit with no end, or one not after its start, lasts `DEFAULT_DURATION`. Steps are sorted
by Games time across all units.

Medals are given explicitly (the real ones, never allocated from ranks), each in the
medal unit (`Unit.medal` > 0) of its event where the medallist has a result line: the
one the source names, else another (a bronze preferably in the bronze-medal unit).
Capture awards medals only to competitors with a line in the unit, so a medal whose
deciding unit has no results (the late finals of 10-11 August) is listed as unawarded,
with the reason, and skipped.

Progress is the `FeedCursor` `replay:paris2024`: a step's capture and the position commit
in one transaction, so `--resume` continues exactly after the last committed step. The
feed log is never rewound: replayed messages continue each document's Versions.
"""

from __future__ import annotations

import hashlib
import math
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any, Literal, cast

from sqlalchemy import CursorResult, Executable, delete, update
from sqlalchemy.orm import Session

from podium.diffusion.capture import CapturedMedal, CompetitorResult, UnitUpdate
from podium.diffusion.models import FeedCursor
from podium.games import Unit
from podium.results import MedalRecord, UnitResult

__all__ = [
    "DEFAULT_DURATION",
    "REPLAY_CURSOR",
    "ReplayScript",
    "ReplayStep",
    "Rewound",
    "ScriptRows",
    "ScriptSlice",
    "UnawardedMedal",
    "build_script",
    "record_position",
    "replay_position",
    "rewind",
]

REPLAY_CURSOR = "replay:paris2024"
"""The `FeedCursor` holding the number of replay steps committed."""

LEAD = timedelta(minutes=15)
OFFICIAL_AFTER = timedelta(minutes=2)
DEFAULT_DURATION = timedelta(minutes=30)
"""How long a unit lasts when the source gives no end, or an end not after its start."""

_CHUNK = 500  # bound parameters per IN list, well under SQLite's and PostgreSQL's limits

StepKind = Literal["start_list", "start", "intermediate", "finish", "official", "cancel"]


@dataclass(frozen=True, slots=True)
class ScriptRows:
    """The rows a script is built from, as the import writes them.

    Args:
        units: `unit` table rows (`starts_at`, `ends_at` aware).
        results: `unit_result` table rows, each unit's in source order.
        medals: Olympic `medal` table rows.
        events: event RSC by the medal rows' `event_key` (`Discipline/Event`).

    """

    units: Sequence[Mapping[str, Any]]
    results: Sequence[Mapping[str, Any]]
    medals: Sequence[Mapping[str, Any]]
    events: Mapping[str, str]


@dataclass(frozen=True, slots=True)
class ScriptSlice:
    """Which units a replay plays; the default is every unit.

    Args:
        first_day: the first competition day (`Unit.day`, Paris time), or None.
        last_day: the last competition day, inclusive, or None.
        disciplines: discipline codes (`ATH`), or empty for all.

    """

    first_day: date | None = None
    last_day: date | None = None
    disciplines: frozenset[str] = frozenset()

    def holds(self, unit: Mapping[str, Any]) -> bool:
        """Say whether a `unit` row is in the slice."""
        day: date = unit["day"]
        return (
            (self.first_day is None or day >= self.first_day)
            and (self.last_day is None or day <= self.last_day)
            and (not self.disciplines or unit["discipline_code"] in self.disciplines)
        )


@dataclass(frozen=True, slots=True)
class ReplayStep:
    """One capture of the script.

    Args:
        at: the Games time it happens (aware, UTC).
        unit_rsc: the unit's RSC.
        kind: `start_list`, `start`, `intermediate`, `finish`, `official` or `cancel`.
        update: what `capture` receives.

    """

    at: datetime
    unit_rsc: str
    kind: StepKind
    update: UnitUpdate


@dataclass(frozen=True, slots=True)
class UnawardedMedal:
    """A medal of the source that capture cannot award in the replay.

    Args:
        key: the `medal` row's key.
        unit_rsc: the deciding unit, when one is known.
        reason: `medallist_not_in_unit` (no line in the deciding unit), `not_a_medal_unit`
            (the source names a unit deciding no medal), `no_medal_unit` (none in the event).

    """

    key: str
    unit_rsc: str | None
    reason: str


@dataclass(frozen=True, slots=True)
class ReplayScript:
    """Every step of a replay, and what its rewind resets.

    Args:
        steps: the captures, in Games-time order.
        units: the RSCs of the units replayed (their results and statuses are rewound).
        medal_keys: the `medal` rows rewound: awarded again by the steps, or unawarded.
        unawarded: the medals the steps cannot award, with the reason.

    """

    steps: tuple[ReplayStep, ...]
    units: tuple[str, ...]
    medal_keys: tuple[str, ...]
    unawarded: tuple[UnawardedMedal, ...]

    def digest(self) -> str:
        """Return a SHA-256 of the steps: `--resume` refuses a script that changed."""
        sha = hashlib.sha256()
        for step in self.steps:
            line = f"{step.at.isoformat()}|{step.unit_rsc}|{step.kind}|"
            sha.update(line.encode() + step.update.model_dump_json().encode() + b"\n")
        return sha.hexdigest()


def _utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC)


def _times(unit: Mapping[str, Any]) -> tuple[datetime, datetime]:
    start, end = _utc(unit["starts_at"]), unit["ends_at"]
    ends = _utc(end) if end is not None else start
    return start, ends if ends > start else start + DEFAULT_DURATION


_LINE_FIELDS = frozenset(CompetitorResult.model_fields)
_START_FIELDS = ("competitor_code", "competitor_type", "competitor_name", "noc")
_READY: dict[str, Any] = {"result_status": "START_LIST", "schedule_status": "GETTING_READY"}
_FINISHED: dict[str, Any] = {"result_status": "UNOFFICIAL", "schedule_status": "FINISHED"}


def _line(row: Mapping[str, Any], fields: Iterable[str]) -> CompetitorResult:
    return CompetitorResult(**{name: row[name] for name in fields if name in _LINE_FIELDS})


def _start_list(rows: Sequence[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    """Order the lines by start order where it is a number (RED/BLUE keep source order)."""
    orders = [(r["start_order"] or "", r["sort_order"], r) for r in rows]
    orders.sort(key=lambda o: (int(o[0]) if o[0].isdigit() else 1_000_000, o[1]))
    return [row for _, _, row in orders]


def _unit_steps(
    unit: Mapping[str, Any], rows: Sequence[Mapping[str, Any]], medals: list[CapturedMedal] | None
) -> list[ReplayStep]:
    rsc: str = unit["rsc"]
    start, end = _times(unit)
    if unit["status"] == "CANCELLED":
        return [ReplayStep(start, rsc, "cancel", UnitUpdate(schedule_status="CANCELLED"))]
    if not rows:
        if unit["status"] != "FINISHED":
            return []  # kept SCHEDULED, as the source has it
        return [
            ReplayStep(
                start - LEAD, rsc, "start_list", UnitUpdate(schedule_status="GETTING_READY")
            ),
            ReplayStep(start, rsc, "start", UnitUpdate(schedule_status="RUNNING")),
            ReplayStep(end, rsc, "finish", UnitUpdate(schedule_status="FINISHED")),
        ]
    ordered = _start_list(rows)
    entry = (*_START_FIELDS, "start_order", "bib")
    half = math.ceil(len(ordered) / 2)
    live = [
        _line(row, (*entry, "result", "result_type", "irm") if i < half else entry)
        for i, row in enumerate(ordered)
    ]
    entries = [_line(row, entry) for row in ordered]
    final = [_line(row, _LINE_FIELDS) for row in rows]
    plan: list[tuple[datetime, StepKind, UnitUpdate]] = [
        (start - LEAD, "start_list", UnitUpdate(**_READY, results=entries)),
        (start, "start", UnitUpdate(result_status="LIVE", schedule_status="RUNNING")),
        (start + (end - start) / 2, "intermediate", UnitUpdate(result_status="LIVE", results=live)),
        (end, "finish", UnitUpdate(**_FINISHED, results=final)),
        (end + OFFICIAL_AFTER, "official", UnitUpdate(result_status="OFFICIAL", medals=medals)),
    ]
    return [ReplayStep(at, rsc, kind, update) for at, kind, update in plan]


@dataclass
class _Games:
    units: dict[str, Mapping[str, Any]]
    by_event: dict[str, list[Mapping[str, Any]]] = field(default_factory=lambda: defaultdict(list))
    lines: dict[str, list[Mapping[str, Any]]] = field(default_factory=lambda: defaultdict(list))
    codes: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))

    def medal_units(self, event: str) -> list[Mapping[str, Any]]:
        units = (u for u in self.by_event.get(event, ()) if u["medal"] > 0)
        return sorted(units, key=lambda u: (_utc(u["starts_at"]), u["rsc"]))


def _games(rows: ScriptRows) -> _Games:
    games = _Games({u["rsc"]: u for u in rows.units})
    for unit in games.units.values():
        if unit["event_rsc"]:
            games.by_event[unit["event_rsc"]].append(unit)
    for row in rows.results:
        games.lines[row["unit_rsc"]].append(row)
        games.codes[row["unit_rsc"]].add(row["competitor_code"])
    return games


def _decide(games: _Games, medal: Mapping[str, Any], event: str) -> tuple[str | None, str | None]:
    """Return the medal's deciding unit, and why it cannot be awarded there (None: it can).

    Gold and silver need a gold-medal unit (`Unit.medal` 1); a bronze may be in either kind.
    """
    code, named, bronze = medal["competitor_code"], medal["unit_rsc"], medal["medal"] == "BRONZE"
    units = [u for u in games.medal_units(event) if u["medal"] == 1 or bronze]
    rscs = [u["rsc"] for u in units]
    if named in rscs and code in games.codes[named]:
        return named, None
    holding = [u for u in units if code in games.codes[u["rsc"]]]
    if holding:  # a bronze preferably where bronzes are decided
        best = max(holding, key=lambda u: (u["medal"] == 3, _utc(u["starts_at"]), u["rsc"]))
        return best["rsc"], None
    if named is not None and named not in rscs and named in games.units:
        return named, "not_a_medal_unit"
    if rscs:
        return (named if named in rscs else rscs[-1]), "medallist_not_in_unit"
    return named, "no_medal_unit"


def _medals(
    rows: ScriptRows, games: _Games, chosen: set[str]
) -> tuple[dict[str, list[CapturedMedal]], list[str], list[UnawardedMedal]]:
    """Return the medals awarded per unit, the medal keys rewound, and the unawarded."""
    awarded: dict[str, list[CapturedMedal]] = defaultdict(list)
    keys: list[str] = []
    unawarded: list[UnawardedMedal] = []
    for medal in rows.medals:
        event = rows.events.get(medal["event_key"])
        if event is None:
            continue  # in no event of the schedule: not in the feed, left as imported
        decider, reason = _decide(games, medal, event)
        if decider is None or decider not in chosen:
            continue  # decided outside the slice: left as imported
        keys.append(medal["key"])
        if reason is None:
            given = {"competitor_code": medal["competitor_code"], "medal": medal["medal"]}
            awarded[decider].append(CapturedMedal.model_validate(given))
        else:
            unawarded.append(UnawardedMedal(medal["key"], decider, reason))
    return awarded, sorted(keys), sorted(unawarded, key=lambda m: m.key)


def build_script(rows: ScriptRows, where: ScriptSlice | None = None) -> ReplayScript:
    """Build the replay of the units in `where`, deterministically from the rows.

    Args:
        rows: the source's units, results, Olympic medals and events.
        where: the slice to replay; every unit when None.

    Returns:
        The script; see the module docstring for its steps and medal rules.

    """
    where = where or ScriptSlice()
    games = _games(rows)
    chosen = {rsc for rsc, unit in games.units.items() if where.holds(unit)}
    awarded, keys, unawarded = _medals(rows, games, chosen)
    order = sorted(chosen, key=lambda rsc: (_utc(games.units[rsc]["starts_at"]), rsc))
    steps: list[tuple[tuple[datetime, int], ReplayStep]] = []
    for position, rsc in enumerate(order):
        unit = games.units[rsc]
        medals = sorted(awarded[rsc], key=lambda m: m.competitor_code) if unit["medal"] else None
        steps.extend(
            ((step.at, position), step)
            for step in _unit_steps(unit, games.lines.get(rsc, []), medals)
        )
    steps.sort(key=lambda pair: pair[0])
    return ReplayScript(
        steps=tuple(step for _, step in steps),
        units=tuple(order),
        medal_keys=tuple(keys),
        unawarded=tuple(unawarded),
    )


def _chunks(values: Sequence[str]) -> Iterable[Sequence[str]]:
    return (values[i : i + _CHUNK] for i in range(0, len(values), _CHUNK))


def _count(session: Session, statement: Executable) -> int:
    return cast("CursorResult[Any]", session.execute(statement)).rowcount


@dataclass(frozen=True, slots=True)
class Rewound:
    """What a rewind reset: units set SCHEDULED, result lines and medal rows deleted."""

    units: int
    results: int
    medals: int


def rewind(session: Session, script: ReplayScript) -> Rewound:
    """Put the script's units back before the Games, in the caller's transaction.

    Deletes the units' result lines and the script's medal rows, sets each unit SCHEDULED
    with no ResultStatus (a cancelled one too: it may become CANCELLED again) and the
    replay's position to 0. The feed log and its document states are kept.

    Args:
        session: a games-plane session; commit it to rewind.
        script: the replay's script.

    Returns:
        The counts reset.

    Rule source: ODF Foundation Principles §6.13, as `podium.odf.status` reads it.

    """
    results = medals = units = 0
    for chunk in _chunks(script.units):
        results += _count(session, delete(UnitResult).where(UnitResult.unit_rsc.in_(chunk)))
        reset = update(Unit).values(status="SCHEDULED", result_status=None)
        units += _count(session, reset.where(Unit.rsc.in_(chunk)))
    for chunk in _chunks(script.medal_keys):
        medals += _count(session, delete(MedalRecord).where(MedalRecord.key.in_(chunk)))
    record_position(session, 0)
    return Rewound(units=units, results=results, medals=medals)


def replay_position(session: Session) -> int | None:
    """Return the number of replay steps committed, or None when no replay rewound the node."""
    cursor = session.get(FeedCursor, REPLAY_CURSOR)
    return None if cursor is None else cursor.position


def record_position(session: Session, position: int) -> None:
    """Record `position` replay steps committed, in the caller's transaction."""
    cursor = session.get(FeedCursor, REPLAY_CURSOR) or FeedCursor(name=REPLAY_CURSOR)
    cursor.position = position
    session.add(cursor)
    session.flush()
