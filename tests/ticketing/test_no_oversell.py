"""No oversell, ever: random sequences of steps, and many concurrent buyers of one session.

Both run on SQLite and on PostgreSQL. After every step (property test) and at the end of
the concurrent run: `sold + held <= capacity` on every row, `sold` equals the units of
paid orders, `held` equals the units of open orders, and every accepted payment has its
tickets.
"""

from __future__ import annotations

import contextlib
import itertools
import random
import secrets
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from podium.ticketing import (
    CartItem,
    FanAccount,
    InventoryRow,
    LimitExceededError,
    Order,
    OrderLine,
    OrderStateError,
    SoldOutError,
    Ticket,
    TicketingNotFoundError,
    cancel_order,
    expire_holds,
    open_cart,
    oversold_rows,
    pay_order,
    payments_without_tickets,
    refund_order,
)
from podium.ticketing.sale import SaleContext
from tests.ticketing.conftest import Shop

_SESSIONS = itertools.count(1)


def _accounts(shop: Shop, count: int) -> list[str]:
    ids = [f"fan_{secrets.token_hex(8)}" for _ in range(count)]
    with shop.planes.games_session() as games:
        games.add_all(FanAccount(id=i, created_at=shop.clock(), lock_version=0) for i in ids)
    return ids


def _assert_invariant(shop: Shop, inventory_id: int) -> None:
    with shop.planes.games_session() as games:
        assert oversold_rows(games) == []
        assert payments_without_tickets(games) == []
        row = games.get_one(InventoryRow, inventory_id)
        open_units = games.scalar(
            select(func.coalesce(func.sum(OrderLine.quantity), 0))
            .join(Order, Order.id == OrderLine.order_id)
            .where(OrderLine.inventory_id == inventory_id, Order.status.in_(["held", "pending"]))
        )
        assert row.held == open_units
        assert row.sold + row.held <= row.capacity
        valid = games.scalar(
            select(func.count())
            .select_from(Ticket)
            .where(Ticket.inventory_id == inventory_id, Ticket.status == "valid")
        )
        assert valid == row.sold


_STEP = st.tuples(
    st.sampled_from(["hold", "pay", "cancel", "expire", "refund", "late_pay"]),
    st.integers(0, 5),
    st.integers(1, 3),
)


@settings(
    max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(steps=st.lists(_STEP, min_size=1, max_size=25))
def test_random_steps_keep_sold_plus_held_within_capacity(
    shop: Shop, steps: list[tuple[str, int, int]]
) -> None:
    with shop.planes.games_session() as games:
        sessions = sorted(games.scalars(select(InventoryRow.session_code).distinct()))
    row = shop.row(sessions[next(_SESSIONS) % len(sessions)], "A")
    shop.set_capacity(row.id, 5)
    accounts, orders = _accounts(shop, 3), []
    for op, pick, quantity in steps:
        account = accounts[pick % 3]
        with contextlib.suppress(
            SoldOutError, LimitExceededError, OrderStateError, TicketingNotFoundError
        ):
            _step(shop, op, account, orders, (pick, (row.id, quantity)))
        _assert_invariant(shop, row.id)


def _step(
    shop: Shop,
    op: str,
    account: str,
    orders: list[tuple[str, str]],
    choice: tuple[int, tuple[int, int]],
) -> None:
    pick, item = choice
    if op == "hold":
        orders.append((shop.hold(account, item).id, account))
        return
    if op == "expire":
        shop.clock.now += timedelta(minutes=10 * (pick + 1))
        with shop.planes.games_session() as games:
            expire_holds(games, shop.clock())
        return
    if not orders:
        return
    order_id, owner = orders[pick % len(orders)]
    if op == "late_pay":
        _late_payment(shop, order_id, owner)
        return
    with shop.planes.games_session() as games, shop.planes.sovereign_session() as sov:
        checkout = shop.checkout(games, sov)
        if op == "pay":
            pay_order(checkout, order_id, owner)
        elif op == "cancel":
            cancel_order(games, order_id, owner, shop.clock())
        else:
            refund_order(checkout, order_id, owner)


def _late_payment(shop: Shop, order_id: str, owner: str) -> None:
    """A delayed payment approved after its hold ended (taken again, or refunded).

    Each step in its own transactions, as the fan's click, the sweep and the webhook are.
    """
    from podium.ticketing import settle_payment  # noqa: PLC0415

    shop.provider.behaviour = "delay"
    try:
        result = shop.pay(order_id, owner)
    finally:
        shop.provider.behaviour = "approve"
    with shop.planes.games_session() as games:
        expire_holds(games, shop.clock() + shop.rules.payment_window)
    with shop.planes.games_session() as games, shop.planes.sovereign_session() as sov:
        settle_payment(shop.checkout(games, sov), result.payment_id)


def _buyer(shop: Shop, account: str, seed: int, inventory_id: int) -> int:
    rnd, paid = random.Random(seed), 0  # noqa: S311 - reproducible buyers, not a secret
    for _ in range(8):
        try:
            with shop.planes.games_session() as games:
                order = open_cart(
                    games,
                    account,
                    [CartItem(inventory_id, rnd.randint(1, 2))],
                    SaleContext(shop.clock(), shop.rules),
                )
        except (SoldOutError, LimitExceededError):
            continue
        if rnd.random() < 0.2:
            with shop.planes.games_session() as games:
                cancel_order(games, order.id, account, shop.clock())
        elif rnd.random() < 0.9:
            paid += len(shop.pay(order.id, account).ticket_ids)
    return paid


def test_fifty_concurrent_buyers_never_oversell_one_session(shop: Shop) -> None:
    row = shop.row("SWM01", "C")
    shop.set_capacity(row.id, 120)
    accounts = _accounts(shop, 50)
    with ThreadPoolExecutor(max_workers=50) as pool:
        tickets = sum(
            pool.map(lambda n: _buyer(shop, accounts[n], n, row.id), range(len(accounts)))
        )
    _assert_invariant(shop, row.id)
    capacity, held, sold = shop.counters(row.id)
    assert sold == tickets
    assert sold + held <= capacity
    shop.clock.now += shop.rules.payment_window
    with shop.planes.games_session() as games:
        expire_holds(games, shop.clock())
    assert shop.counters(row.id)[1] == 0
    _assert_invariant(shop, row.id)
