"""Carts and orders: holding units for a limited time, account limits, expiry, cancellation.

A cart is an order in status `held`: its units are held (the inventory row's `held`
counter) until `expires_at`. Every step of an order is a conditional UPDATE of its status
(`WHERE status IN (...)`), so each step happens once even when a fan's click, a webhook
and the expiry sweep race. The counters move only by the conditional UPDATEs of
`podium.ticketing.inventory` (see its docstring for why that never oversells, on SQLite
and on PostgreSQL under READ COMMITTED).

Account limits (30 tickets per account, 6 per session by default) are counted after the
account's row is locked by an UPDATE of its `lock_version` (row lock on PostgreSQL, the
write lock on SQLite): two carts of one account are then counted one after the other,
and under READ COMMITTED the count that follows the lock sees the other's committed
order. Wheelchair places count two tickets (the place and its companion seat); tablets
none.
"""

from __future__ import annotations

import secrets
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, cast

from sqlalchemy import case, func, select, update
from sqlalchemy.engine import CursorResult
from sqlalchemy.orm import Session

from podium.core.errors import InvalidInputError
from podium.ticketing.errors import (
    DrawError,
    OrderStateError,
    SoldOutError,
    TicketingNotFoundError,
)
from podium.ticketing.inventory import release_held, rows_by_id, take_held
from podium.ticketing.models import (
    DrawEntry,
    FanAccount,
    InventoryKind,
    InventoryRow,
    Order,
    OrderLine,
    OrderStatus,
    PurchaseSlot,
    Ticket,
    TicketedSession,
    TicketStatus,
)
from podium.ticketing.rules import DEFAULT_RULES, TicketingRules, check_limits

__all__ = [
    "OPEN_STATUSES",
    "CartItem",
    "SaleContext",
    "account_tickets",
    "cancel_order",
    "expire_holds",
    "lock_account",
    "open_cart",
    "set_order_status",
    "tickets_per_unit",
]

OPEN_STATUSES = (OrderStatus.HELD.value, OrderStatus.PENDING.value)
"""Statuses in which an order's units are held."""


@dataclass(frozen=True, slots=True)
class CartItem:
    """Units of one inventory row wanted in a cart."""

    inventory_id: int
    quantity: int


@dataclass(frozen=True, slots=True)
class SaleContext:
    """The time and rules of a sale step.

    Attributes:
        now: the time of the step (injected clock).
        rules: limits and durations (`TicketingRules`, Paris 2024's by default).

    """

    now: datetime
    rules: TicketingRules = field(default=DEFAULT_RULES)


def tickets_per_unit(kind: str) -> int:
    """Tickets one unit of an inventory kind yields (wheelchair place: 2; tablet: 0)."""
    return {InventoryKind.WHEELCHAIR.value: 2, InventoryKind.TABLET.value: 0}.get(kind, 1)


def _changed(games: Session, statement: Any) -> bool:
    return cast("CursorResult[Any]", games.execute(statement)).rowcount == 1


def lock_account(games: Session, account_id: str) -> None:
    """Lock a fan account's row for the rest of the transaction (see the module docstring).

    Raises:
        TicketingNotFoundError: no open account with this id (`account_not_found`).
    """
    locked = _changed(
        games,
        update(FanAccount)
        .where(FanAccount.id == account_id, FanAccount.disabled_at.is_(None))
        .values(lock_version=FanAccount.lock_version + 1)
        .execution_options(synchronize_session=False),
    )
    if not locked:
        raise TicketingNotFoundError(f"no fan account {account_id}", code="account_not_found")


def account_tickets(games: Session, account_id: str, now: datetime) -> dict[str, int]:
    """Return session code → tickets the account holds or has in open, unexpired orders."""
    totals: dict[str, int] = defaultdict(int)
    held = games.execute(
        select(Ticket.session_code, func.count())
        .where(Ticket.holder_account_id == account_id, Ticket.status == TicketStatus.VALID.value)
        .group_by(Ticket.session_code)
    )
    per_unit = case(
        (InventoryRow.kind == InventoryKind.WHEELCHAIR.value, 2),
        (InventoryRow.kind == InventoryKind.TABLET.value, 0),
        else_=1,
    )
    ordered = games.execute(
        select(OrderLine.session_code, func.sum(OrderLine.quantity * per_unit))
        .join(Order, Order.id == OrderLine.order_id)
        .join(InventoryRow, InventoryRow.id == OrderLine.inventory_id)
        .where(
            Order.account_id == account_id,
            Order.status.in_(OPEN_STATUSES),
            Order.expires_at > now,
        )
        .group_by(OrderLine.session_code)
    )
    for session, count in [*held, *ordered]:
        totals[session] += int(count or 0)
    return dict(totals)


def _merge(items: Iterable[CartItem]) -> dict[int, int]:
    merged: dict[int, int] = defaultdict(int)
    for item in items:
        if item.quantity <= 0:
            raise InvalidInputError(
                f"quantity of inventory row {item.inventory_id} must be >= 1",
                code="quantity_invalid",
            )
        merged[item.inventory_id] += item.quantity
    if not merged:
        raise InvalidInputError("a cart needs at least one item", code="cart_empty")
    return dict(merged)


def _check_slot(games: Session, account_id: str, session: str, wanted: int, now: datetime) -> None:
    quantity = games.scalar(
        select(func.max(DrawEntry.quantity))
        .join(
            PurchaseSlot,
            (PurchaseSlot.draw_id == DrawEntry.draw_id)
            & (PurchaseSlot.account_id == DrawEntry.account_id),
        )
        .where(
            DrawEntry.account_id == account_id,
            DrawEntry.session_code == session,
            DrawEntry.won.is_(True),
            PurchaseSlot.opens_at <= now,
            PurchaseSlot.closes_at > now,
        )
    )
    if quantity is None or wanted > quantity:
        raise DrawError(
            f"session {session}: sold by draw; this account has no open purchase slot "
            f"for {wanted} ticket(s)",
            code="no_purchase_slot",
        )


def _check_cart(
    games: Session,
    account_id: str,
    rows: dict[int, InventoryRow],
    wanted: dict[int, int],
    ctx: SaleContext,
) -> None:
    per_session: dict[str, int] = defaultdict(int)
    seats_in: set[str] = set()
    for inventory_id, quantity in wanted.items():
        row = rows[inventory_id]
        per_session[row.session_code] += quantity * tickets_per_unit(row.kind)
        if row.kind != InventoryKind.TABLET.value:
            seats_in.add(row.session_code)
    for inventory_id in wanted:
        if rows[inventory_id].kind == InventoryKind.TABLET.value and (
            rows[inventory_id].session_code not in seats_in
        ):
            raise InvalidInputError(
                "a tactile tablet is booked with seats of the same session", code="tablet_alone"
            )
    sessions = {
        s.session_code: s
        for s in games.scalars(
            select(TicketedSession).where(TicketedSession.session_code.in_(per_session))
        )
    }
    current = account_tickets(games, account_id, ctx.now)
    for code, count in per_session.items():
        ticketed = sessions[code]
        if not ticketed.on_sale:
            raise OrderStateError(f"session {code} is not on sale", code="not_on_sale")
        if ticketed.sale_mode == "draw":
            _check_slot(games, account_id, code, current.get(code, 0) + count, ctx.now)
        check_limits(ctx.rules, sum(current.values()), current.get(code, 0), count)
        current[code] = current.get(code, 0) + count


def open_cart(
    games: Session, account_id: str, items: Sequence[CartItem], ctx: SaleContext
) -> Order:
    """Hold units for an account until `ctx.now + ctx.rules.hold` (a cart).

    Args:
        games: a games-plane session (the caller commits; a refusal leaves nothing held
            once the caller rolls back, which `with planes.games_session()` does).
        account_id: the buying fan account.
        items: inventory rows and quantities.
        ctx: time and rules.

    Returns:
        The order in status `held`, with its lines.

    Raises:
        TicketingNotFoundError: `account_not_found`, `inventory_not_found`.
        InvalidInputError: `quantity_invalid`, `cart_empty`, `tablet_alone`.
        LimitExceededError: `account_limit`, `session_limit`.
        DrawError: `no_purchase_slot` for a session sold by draw.
        OrderStateError: `not_on_sale`.
        SoldOutError: `sold_out`, not enough units left in a row.
    """
    wanted = _merge(items)
    lock_account(games, account_id)
    rows = rows_by_id(games, list(wanted))
    for inventory_id in wanted:
        if inventory_id not in rows:
            raise TicketingNotFoundError(
                f"no inventory row {inventory_id}", code="inventory_not_found"
            )
    _check_cart(games, account_id, rows, wanted, ctx)
    for inventory_id in sorted(wanted):
        if not take_held(games, inventory_id, wanted[inventory_id]):
            row = rows[inventory_id]
            raise SoldOutError(
                f"{row.session_code} {row.area_code} {row.price_category}: fewer than "
                f"{wanted[inventory_id]} left"
            )
    order = Order(
        id=f"ord_{secrets.token_hex(8)}",
        account_id=account_id,
        status=OrderStatus.HELD.value,
        total_cents=sum(rows[i].price_cents * q for i, q in wanted.items()),
        created_at=ctx.now,
        expires_at=ctx.now + ctx.rules.hold,
    )
    games.add(order)
    games.flush()
    games.add_all(
        OrderLine(
            order_id=order.id,
            inventory_id=i,
            session_code=rows[i].session_code,
            quantity=q,
            unit_price_cents=rows[i].price_cents,
        )
        for i, q in sorted(wanted.items())
    )
    games.flush()
    return order


def set_order_status(
    games: Session,
    order_id: str,
    from_statuses: Sequence[str],
    to: OrderStatus,
    **values: object,
) -> bool:
    """Move an order to `to` if its status is one of `from_statuses`; False if it was not."""
    return _changed(
        games,
        update(Order)
        .where(Order.id == order_id, Order.status.in_(from_statuses))
        .values(status=to.value, **values)
        .execution_options(synchronize_session=False),
    )


def _release_lines(games: Session, order_id: str) -> None:
    lines = games.execute(
        select(OrderLine.inventory_id, OrderLine.quantity)
        .where(OrderLine.order_id == order_id)
        .order_by(OrderLine.inventory_id)
    ).all()
    for inventory_id, quantity in lines:
        release_held(games, inventory_id, quantity)


def expire_holds(games: Session, now: datetime, limit: int = 1000) -> int:
    """Expire carts and unpaid orders whose hold ended, giving their units back.

    Args:
        games: a games-plane session (the caller commits).
        now: the time of the sweep.
        limit: at most this many orders per call (keeps the transaction short).

    Returns:
        How many orders were expired.
    """
    due = games.scalars(
        select(Order.id)
        .where(Order.status.in_(OPEN_STATUSES), Order.expires_at <= now)
        .order_by(Order.expires_at)
        .limit(limit)
    ).all()
    expired = 0
    for order_id in due:
        if set_order_status(games, order_id, OPEN_STATUSES, OrderStatus.EXPIRED, closed_at=now):
            _release_lines(games, order_id)
            expired += 1
    return expired


def cancel_order(games: Session, order_id: str, account_id: str | None, now: datetime) -> None:
    """Cancel a cart or an unpaid order and give its units back.

    Args:
        games: a games-plane session (the caller commits).
        order_id: the order.
        account_id: the fan cancelling (must own it), or None for ticketing staff.
        now: the time of the cancellation.

    Raises:
        TicketingNotFoundError: `order_not_found` (also another account's order).
        OrderStateError: `order_state`, the order is paid or closed (refund a paid order).
    """
    order = games.get(Order, order_id)
    if order is None or (account_id is not None and order.account_id != account_id):
        raise TicketingNotFoundError(f"no order {order_id}", code="order_not_found")
    if not set_order_status(games, order_id, OPEN_STATUSES, OrderStatus.CANCELLED, closed_at=now):
        raise OrderStateError(
            f"order {order_id} is {order.status}; only a cart or an unpaid order is cancelled"
        )
    _release_lines(games, order_id)
