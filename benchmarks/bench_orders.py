"""Benchmark of ticket orders under contention on ONE session: orders/s, zero oversell.

Budget (DESIGN.md): >= 2,000 orders per second on PostgreSQL, one session, zero oversell
(pretix documents about 500 orders per minute per event).

Run: `uv run python benchmarks/bench_orders.py [--repeats N] [--quick] [--buyers N]
[--orders N]`.

A throwaway node per backend (SQLite files; PostgreSQL databases when reachable) gets one
real Paris 2024 session (SWM01, swimming heats, Paris La Defense Arena, 27 July 2024) with
the bundled venue plan; one of its inventory rows gets a capacity of 90 % of the orders
tried, so the last buyers find it sold out. N buyers (threads, default 16), each its own
fan account (limits raised so that only capacity refuses), run orders of one ticket until
the row is sold out: each order is the real flow, `open_cart` (hold, one games-plane
transaction) then `pay_order` with the `LocalTestProvider` approving at once (payment
row, sealed provider reference and its audit record in the sovereign plane, held units
turned sold, ticket row created: one transaction per plane). Timed: accepted orders per
second by wall clock, median of the repeats.

Baseline in the same run, same threads and database: the bare single-row conditional
UPDATE (`UPDATE ticket_inventory SET held = held + 1 WHERE ... sold + held + 1 <=
capacity`, then the same minus one) in its own transaction, on the session's category B
row (which has room): the floor of any order that keeps the invariant on one row. At the
end of each run: `sold <= capacity`, `sold` equals the accepted payments, and no row
breaks the invariant and no accepted payment lacks its tickets (`oversold_rows`,
`payments_without_tickets`), or the benchmark fails.
"""

from __future__ import annotations

import functools
import secrets
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TypeVar

from sqlalchemy import update
from sqlalchemy.exc import OperationalError

from _common import base_parser, median, pg_reachable, throwaway_pg_databases
from podium.core.db import Planes, open_planes
from podium.core.settings import Settings
from podium.games import CompetitionSession, Discipline, Venue
from podium.migrations import upgrade_all
from podium.privacy.spine import Spine, open_spine
from podium.ticketing import (
    CartItem,
    Checkout,
    FanAccount,
    InventoryRow,
    LocalTestProvider,
    SaleContext,
    SoldOutError,
    TicketingRules,
    load_inventory,
    load_venue_plans,
    open_cart,
    oversold_rows,
    pay_order,
    payments_without_tickets,
)

NOW = datetime(2024, 6, 1, 10, 0, tzinfo=UTC)
RULES = TicketingRules(account_limit=10**6, session_limit=10**6)


def _node(planes: Planes, buyers: int, capacity: int) -> tuple[int, int, list[str]]:
    """Create the session, its inventory and the buyers' accounts.

    Returns:
        The id of the row sold, of the baseline's row (category B), and the accounts.
    """
    upgrade_all(planes.games, planes.sovereign)
    with planes.games_session() as games:
        games.add(Discipline(code="SWM", name="Swimming", sport_code="AQU"))
        games.add(Venue(code="DEF", name="Paris La Defense Arena"))
        games.flush()
        games.add(
            CompetitionSession(
                code="SWM01",
                discipline_code="SWM",
                venue_code="DEF",
                day=date(2024, 7, 27),
                starts_at=datetime(2024, 7, 27, 9, tzinfo=UTC),
                ends_at=datetime(2024, 7, 27, 11, tzinfo=UTC),
                session_type="MOR",
            )
        )
        games.flush()
        load_inventory(games, {"DEF": load_venue_plans()["DEF"]}, sale_mode="open")
        row = games.query(InventoryRow).filter_by(session_code="SWM01", price_category="C").one()
        row.capacity = capacity
        accounts = [f"fan_{secrets.token_hex(8)}" for _ in range(buyers)]
        games.add_all(FanAccount(id=a, created_at=NOW, lock_version=0) for a in accounts)
        base = games.query(InventoryRow).filter_by(session_code="SWM01", price_category="B").one()
        return row.id, base.id, accounts


def _reset(planes: Planes, row_id: int, capacity: int) -> None:
    with planes.games_session() as games:
        games.execute(
            update(InventoryRow).where(InventoryRow.id == row_id).values(capacity=capacity)
        )


_T = TypeVar("_T")
RETRIES: list[int] = []
"""Transactions run again after SQLite's busy timeout (5 s) ran out (appended per retry)."""


def _retrying(step: Callable[[], _T]) -> _T:
    """Run a transaction again when SQLite's busy timeout ran out (it rolled back whole)."""
    for _ in range(20):
        try:
            return step()
        except OperationalError as error:
            if "locked" not in str(error):
                raise
            RETRIES.append(1)
    return step()


def _buyer(planes: Planes, spine: Spine, account: str, row_id: int) -> int:
    provider, accepted = LocalTestProvider(), 0

    def hold() -> str:
        with planes.games_session() as games:
            return open_cart(games, account, [CartItem(row_id, 1)], SaleContext(NOW, RULES)).id

    def pay(order_id: str) -> bool:
        with planes.games_session() as games, planes.sovereign_session() as sovereign:
            checkout = Checkout(games, sovereign, spine, provider, NOW, RULES)
            return pay_order(checkout, order_id, account).outcome == "approved"

    while True:
        try:
            order_id = _retrying(hold)
        except SoldOutError:
            return accepted
        accepted += _retrying(functools.partial(pay, order_id))


def _orders_run(
    planes: Planes, spine: Spine, row_id: int, accounts: list[str]
) -> tuple[float, int]:
    start = time.perf_counter()
    with ThreadPoolExecutor(len(accounts)) as pool:
        accepted = sum(pool.map(lambda a: _buyer(planes, spine, a, row_id), accounts))
    return time.perf_counter() - start, accepted


def _baseline_run(planes: Planes, row_id: int, threads: int, updates: int) -> float:
    row = InventoryRow

    def worker(count: int) -> None:
        for n in range(count):
            fits = row.sold + row.held + 1 <= row.capacity if n % 2 == 0 else row.held >= 1
            with planes.games_session() as games:
                games.execute(
                    update(row)
                    .where(row.id == row_id, fits)
                    .values(held=row.held + (1 if n % 2 == 0 else -1))
                    .execution_options(synchronize_session=False)
                )

    start = time.perf_counter()
    with ThreadPoolExecutor(threads) as pool:
        list(pool.map(worker, [updates // threads] * threads))
    return time.perf_counter() - start


def _check(planes: Planes, row_id: int, capacity: int, accepted: int) -> None:
    with planes.games_session() as games:
        row = games.get_one(InventoryRow, row_id)
        problems = [
            *(["oversold"] if row.sold > row.capacity or row.capacity != capacity else []),
            *([f"sold {row.sold} != accepted {accepted}"] if row.sold != accepted else []),
            *(
                [f"rows breaking the invariant {oversold_rows(games)}"]
                if oversold_rows(games)
                else []
            ),
            *(
                [f"payments without tickets {payments_without_tickets(games)}"]
                if payments_without_tickets(games)
                else []
            ),
        ]
    if problems:
        raise SystemExit("; ".join(problems))


def _bench(name: str, settings: Settings, args: object) -> None:
    buyers, orders, repeats = args.buyers, args.orders, args.repeats  # type: ignore[attr-defined]
    planes = open_planes(settings)
    spine = open_spine(settings)
    capacity = orders * 9 // 10
    row_id, base_id, accounts = _node(planes, buyers, capacity)
    rates, base_rates = [], []
    RETRIES.clear()
    for repeat in range(repeats):
        _reset(planes, row_id, capacity * (repeat + 1))
        seconds, accepted = _orders_run(planes, spine, row_id, accounts)
        _check(planes, row_id, capacity * (repeat + 1), capacity * (repeat + 1))
        rates.append(capacity / seconds)
        base_rates.append(orders / _baseline_run(planes, base_id, buyers, orders))
        del accepted
    order_rate, base_rate = median(rates), median(base_rates)
    print(
        f"{name}: {buyers} buyers, {capacity} orders/run: {order_rate:,.0f} orders/s "
        f"(runs {', '.join(f'{r:,.0f}' for r in rates)}); baseline conditional UPDATE "
        f"{base_rate:,.0f}/s; ratio {base_rate / order_rate:.1f}; oversold 0, payments "
        f"without tickets 0; busy-timeout retries {len(RETRIES)}"
    )
    spine.close()
    planes.dispose()


def main() -> None:
    """Run on SQLite, then on PostgreSQL when reachable."""
    parser = base_parser("Ticket orders per second under contention on one session.", 3)
    parser.add_argument("--buyers", type=int, default=16, help="concurrent buyers (threads)")
    parser.add_argument("--orders", type=int, default=2000, help="orders tried per run")
    args = parser.parse_args()
    if args.quick:
        args.repeats, args.orders = 1, 400
    with tempfile.TemporaryDirectory() as folder:
        _bench("SQLite", Settings(data_dir=Path(folder)), args)
    reason = pg_reachable()
    if reason is not None:
        print(f"PostgreSQL not measured: {reason}")
        return
    tag = secrets.token_hex(3)
    with (
        throwaway_pg_databases(f"bench_orders_g_{tag}", f"bench_orders_s_{tag}") as urls,
        tempfile.TemporaryDirectory() as folder,
    ):
        settings = Settings(data_dir=Path(folder), games_db_url=urls[0], sovereign_db_url=urls[1])
        _bench("PostgreSQL", settings, args)


if __name__ == "__main__":
    main()
