"""Inventory: venue seating plans, ticketed sessions, and the counters that never oversell.

Every change of an inventory row's `held` and `sold` counters is ONE conditional UPDATE
whose WHERE clause re-checks the invariant, `UPDATE ... SET held = held + :n WHERE id = :id
AND sold + held + :n <= capacity`, and succeeds only if it changed a row. Why this is safe:

- **PostgreSQL, READ COMMITTED.** An UPDATE locks the row it changes. A second UPDATE of
  the same row waits for the first transaction to end, then re-evaluates its WHERE clause
  against the newest committed version of the row (PostgreSQL documentation, "Transaction
  Isolation", 13.2.1: the "EvalPlanQual" recheck), not against the snapshot it started
  with. Two buyers of the last seat are therefore serialised on the row, and the second
  sees `held` already raised and changes nothing. No read-modify-write happens in Python.
- **SQLite.** One writer at a time: the first UPDATE of a transaction takes the database's
  write lock (the other writers wait on the busy timeout) and the statement is atomic, so
  the WHERE clause sees every committed change.
- **Both.** The table's CHECK constraint (`sold + held <= capacity`, counters >= 0) makes
  the database refuse any write that would break the invariant, whatever the code path.

Rows of one order are changed in ascending id order, so two orders never wait on each
other's rows in opposite orders (no deadlock on PostgreSQL).
"""

from __future__ import annotations

import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

from sqlalchemy import Table, insert, select, update
from sqlalchemy.engine import CursorResult
from sqlalchemy.orm import Session

from podium.games import CompetitionSession
from podium.ticketing.errors import VenueDataError
from podium.ticketing.models import InventoryKind, InventoryRow, TicketedSession
from podium.ticketing.rules import wheelchair_places

__all__ = [
    "VENUE_DATA",
    "AreaPlan",
    "LoadReport",
    "VenuePlan",
    "confirm_units",
    "load_inventory",
    "load_venue_plans",
    "release_held",
    "release_sold",
    "rows_by_id",
    "take_held",
    "take_seat_numbers",
    "take_sold",
]

VENUE_DATA = Path(__file__).parent / "data" / "venues.toml"
"""The bundled seating plans of the Paris 2024 venues."""

_CATEGORIES = frozenset("ABCDE")


@dataclass(frozen=True, slots=True)
class AreaPlan:
    """One inventory row of a venue's plan: an area at one price category."""

    area_code: str
    area_name: str
    price_category: str
    kind: InventoryKind
    price_cents: int
    capacity: int


@dataclass(frozen=True, slots=True)
class VenuePlan:
    """A venue's seating plan: its name, capacity and inventory rows for each session."""

    code: str
    name: str
    capacity: int
    areas: tuple[AreaPlan, ...]


def _fail(path: Path, where: str, message: str) -> VenueDataError:
    return VenueDataError(f"{path}: {where}: {message}")


def _int(path: Path, where: str, value: object, low: int) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < low:
        raise _fail(path, where, f"must be an integer >= {low}, got {value!r}")
    return value


def _layout_areas(path: Path, layout: str, spec: Any, seats: int) -> list[AreaPlan]:
    areas, prices = spec.get("areas"), spec.get("prices")
    if not isinstance(areas, list) or not isinstance(prices, dict) or not areas:
        raise _fail(path, f"layouts.{layout}", "needs `areas` (list) and `prices` (table)")
    if sum(_int(path, f"layouts.{layout}.share", a.get("share"), 1) for a in areas) != 100:
        raise _fail(path, f"layouts.{layout}.areas", "shares must sum to 100")
    plans: list[AreaPlan] = []
    given = 0
    for n, area in enumerate(areas):
        category = area.get("category")
        if category not in _CATEGORIES or category not in prices:
            raise _fail(path, f"layouts.{layout}.areas[{n}]", f"unknown category {category!r}")
        count = seats - given if n == len(areas) - 1 else seats * area["share"] // 100
        given += count
        price = _int(path, f"layouts.{layout}.prices.{category}", prices[category], 0)
        plans.append(
            AreaPlan(
                str(area["code"]), str(area["name"]), category, InventoryKind.SEAT, price, count
            )
        )
    return plans


def load_venue_plans(path: Path = VENUE_DATA) -> dict[str, VenuePlan]:
    """Read and validate the venue seating file.

    Wheelchair places (each with its companion seat) are counted by
    `rules.wheelchair_places` and taken out of the seats (a place and its companion seat
    replace two seats); the tablet add-on row has the venue's `tablets` count.

    Args:
        path: the TOML file (default: the bundled Paris 2024 plans).

    Returns:
        Venue code → plan.

    Raises:
        VenueDataError: the file is unreadable or a value is wrong (says file and field).
    """
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise _fail(path, "file", str(exc)) from exc
    layouts, venues = data.get("layouts", {}), data.get("venues", {})
    plans: dict[str, VenuePlan] = {}
    for code, venue in venues.items():
        where = f"venues.{code}"
        capacity = _int(path, f"{where}.capacity", venue.get("capacity"), 100)
        layout = venue.get("layout")
        if layout not in layouts:
            raise _fail(path, f"{where}.layout", f"unknown layout {layout!r}")
        places = wheelchair_places(capacity)
        areas = _layout_areas(path, layout, layouts[layout], capacity - 2 * places)
        price_w = _int(path, f"layouts.{layout}.prices.W", layouts[layout]["prices"].get("W"), 0)
        tablets = _int(path, f"{where}.tablets", venue.get("tablets"), 0)
        areas.append(
            AreaPlan("WC", "Wheelchair places", "W", InventoryKind.WHEELCHAIR, price_w, places)
        )
        areas.append(AreaPlan("TABLET", "Tactile tablet", "T", InventoryKind.TABLET, 0, tablets))
        plans[code] = VenuePlan(code, str(venue.get("name", code)), capacity, tuple(areas))
    return plans


@dataclass(frozen=True, slots=True)
class LoadReport:
    """What `load_inventory` did."""

    sessions_added: int
    rows_added: int
    sessions_without_plan: int


def load_inventory(
    games: Session, plans: dict[str, VenuePlan], *, sale_mode: str = "draw"
) -> LoadReport:
    """Put every competition session of a planned venue on sale (idempotent, bulk).

    Sessions already ticketed are left as they are, so a re-run adds only new sessions.

    Args:
        games: a games-plane session (the caller commits).
        plans: venue code → plan (`load_venue_plans`).
        sale_mode: `draw` (only purchase-slot holders buy) or `open`.

    Returns:
        Counts of sessions and inventory rows added, and of sessions with no venue plan.
    """
    known = set(games.scalars(select(TicketedSession.session_code)))
    sessions = games.execute(
        select(
            CompetitionSession.code, CompetitionSession.venue_code, CompetitionSession.starts_at
        ).order_by(CompetitionSession.code)
    ).all()
    new_sessions: list[dict[str, object]] = []
    rows: list[dict[str, object]] = []
    missing = 0
    for code, venue, starts_at in sessions:
        if code in known:
            continue
        plan = plans.get(venue or "")
        if plan is None:
            missing += 1
            continue
        new_sessions.append(
            {
                "session_code": code,
                "venue_code": venue,
                "starts_at": starts_at,
                "sale_mode": sale_mode,
                "on_sale": True,
            }
        )
        rows.extend(
            {
                "session_code": code,
                "area_code": a.area_code,
                "area_name": a.area_name,
                "price_category": a.price_category,
                "kind": a.kind.value,
                "price_cents": a.price_cents,
                "capacity": a.capacity,
                "held": 0,
                "sold": 0,
                "seat_serial": 0,
            }
            for a in plan.areas
        )
    if new_sessions:
        games.execute(insert(cast("Table", TicketedSession.__table__)), new_sessions)
        games.execute(insert(cast("Table", InventoryRow.__table__)), rows)
    return LoadReport(len(new_sessions), len(rows), missing)


def _changed(games: Session, statement: Any) -> bool:
    result = cast("CursorResult[Any]", games.execute(statement))
    return result.rowcount == 1


_ROW = InventoryRow


def take_held(games: Session, inventory_id: int, units: int) -> bool:
    """Hold `units` of a row if they are left; False (and nothing changed) if not."""
    return _changed(
        games,
        update(_ROW)
        .where(_ROW.id == inventory_id, _ROW.sold + _ROW.held + units <= _ROW.capacity)
        .values(held=_ROW.held + units)
        .execution_options(synchronize_session=False),
    )


def release_held(games: Session, inventory_id: int, units: int) -> bool:
    """Give back `units` held (an expired or cancelled cart)."""
    return _changed(
        games,
        update(_ROW)
        .where(_ROW.id == inventory_id, _ROW.held >= units)
        .values(held=_ROW.held - units)
        .execution_options(synchronize_session=False),
    )


def confirm_units(games: Session, inventory_id: int, units: int) -> bool:
    """Turn `units` held into sold (a payment accepted)."""
    return _changed(
        games,
        update(_ROW)
        .where(_ROW.id == inventory_id, _ROW.held >= units)
        .values(held=_ROW.held - units, sold=_ROW.sold + units)
        .execution_options(synchronize_session=False),
    )


def take_sold(games: Session, inventory_id: int, units: int) -> bool:
    """Sell `units` straight away if they are left (a payment accepted after its hold ended)."""
    return _changed(
        games,
        update(_ROW)
        .where(_ROW.id == inventory_id, _ROW.sold + _ROW.held + units <= _ROW.capacity)
        .values(sold=_ROW.sold + units)
        .execution_options(synchronize_session=False),
    )


def release_sold(games: Session, inventory_id: int, units: int) -> bool:
    """Give back `units` sold (a refund)."""
    return _changed(
        games,
        update(_ROW)
        .where(_ROW.id == inventory_id, _ROW.sold >= units)
        .values(sold=_ROW.sold - units)
        .execution_options(synchronize_session=False),
    )


def take_seat_numbers(games: Session, inventory_id: int, count: int) -> int:
    """Reserve `count` place numbers of a row and return the first (numbers never reused)."""
    last = games.execute(
        update(_ROW)
        .where(_ROW.id == inventory_id)
        .values(seat_serial=_ROW.seat_serial + count)
        .returning(_ROW.seat_serial)
        .execution_options(synchronize_session=False)
    ).scalar_one()
    return int(last) - count + 1


def rows_by_id(games: Session, ids: Sequence[int]) -> dict[int, InventoryRow]:
    """Return inventory rows by id (for prices, kinds and sessions; not for counters)."""
    return {
        row.id: row for row in games.scalars(select(InventoryRow).where(InventoryRow.id.in_(ids)))
    }
