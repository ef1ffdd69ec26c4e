"""Paying, settling, refunding: every accepted payment gets its tickets, in one transaction.

`pay_order` moves a cart to `pending` (its units stay held for the payment window), asks
the provider, keeps the provider's reference sealed in the sovereign plane, and settles at
once when the provider answers at once. `settle_payment` (also reached by the webhook)
turns the held units into sold ones and creates the tickets in the same games-plane
transaction; a payment accepted after its hold ended takes the units again if they are
left (conditional UPDATE) and is refunded otherwise, so an accepted payment never stands
without its tickets. Each step is a conditional status UPDATE and happens once, however
often a webhook is delivered.

Tickets: `create_ticket_rows` writes the rows (status valid, `credential_serial` 0, no
credential). The tickets module (`podium.ticketing.tickets`) signs their credentials
and records holders' names; it is called by the face (API, pages) after the commit, or
by `issue_tickets(...)` on the ticket ids `PaymentResult.ticket_ids` returns.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from podium.core.categories import DataCategory
from podium.privacy.audit import AuditEntry
from podium.privacy.spine import Spine
from podium.ticketing.errors import OrderStateError, TicketingNotFoundError
from podium.ticketing.inventory import (
    confirm_units,
    release_sold,
    take_seat_numbers,
    take_sold,
)
from podium.ticketing.models import (
    InventoryKind,
    InventoryRow,
    Order,
    OrderLine,
    OrderStatus,
    Payment,
    PaymentReference,
    PaymentStatus,
    Ticket,
    TicketStatus,
    WebhookEvent,
)
from podium.ticketing.payments import PaymentProvider, WebhookEventIn
from podium.ticketing.rules import DEFAULT_RULES, TicketingRules
from podium.ticketing.sale import OPEN_STATUSES, set_order_status
from podium.ticketing.tickets import revoke_tickets

__all__ = [
    "Checkout",
    "PaymentResult",
    "apply_webhook",
    "create_ticket_rows",
    "decline_payment",
    "pay_order",
    "refund_order",
    "settle_payment",
]


@dataclass(frozen=True, slots=True)
class Checkout:
    """Everything a payment step needs: both planes' sessions, privacy, provider, time.

    Attributes:
        games: games-plane session (the caller commits).
        sovereign: sovereign-plane session (the caller commits; audit joins it).
        spine: the node's privacy services (seals the payment reference, audits).
        provider: the payment provider.
        now: the time of the step.
        rules: durations (payment window).

    """

    games: Session
    sovereign: Session
    spine: Spine
    provider: PaymentProvider
    now: datetime
    rules: TicketingRules = DEFAULT_RULES


@dataclass(frozen=True, slots=True)
class PaymentResult:
    """Where a payment stands: `approved` (with its tickets), `pending`, `declined`, `refunded`."""

    payment_id: str
    order_id: str
    outcome: str
    ticket_ids: tuple[str, ...] = ()


def _order_of(games: Session, order_id: str, account_id: str | None) -> Order:
    order = games.get(Order, order_id)
    if order is None or (account_id is not None and order.account_id != account_id):
        raise TicketingNotFoundError(f"no order {order_id}", code="order_not_found")
    return order


def pay_order(ck: Checkout, order_id: str, account_id: str) -> PaymentResult:
    """Pay a cart: hold it for the payment window, charge, and settle if answered at once.

    Raises:
        TicketingNotFoundError: `order_not_found` (also another account's order).
        OrderStateError: `hold_expired` (the cart's hold ended) or `order_state`.
    """
    order = _order_of(ck.games, order_id, account_id)
    if order.status == OrderStatus.HELD.value and order.expires_at <= ck.now:
        raise OrderStateError(f"the hold of order {order_id} has ended", code="hold_expired")
    window = ck.now + ck.rules.payment_window
    moved = set_order_status(
        ck.games, order_id, [OrderStatus.HELD.value], OrderStatus.PENDING, expires_at=window
    )
    if not moved or order.expires_at <= ck.now:
        raise OrderStateError(f"order {order_id} is {order.status}, not a cart")
    payment = Payment(
        id=f"pay_{secrets.token_hex(8)}",
        order_id=order_id,
        provider=ck.provider.name,
        amount_cents=order.total_cents,
        status=PaymentStatus.PENDING.value,
        created_at=ck.now,
        updated_at=ck.now,
    )
    ck.games.add(payment)
    ck.games.flush()
    answer = ck.provider.charge(payment.id, order.total_cents)
    _keep_reference(ck, payment.id, account_id, answer.reference)
    if answer.outcome == "approved":
        return settle_payment(ck, payment.id)
    if answer.outcome == "declined":
        return decline_payment(ck, payment.id)
    return PaymentResult(payment.id, order_id, "pending")


def _keep_reference(ck: Checkout, payment_id: str, account_id: str, reference: str) -> None:
    sealed = ck.spine.cipher.seal(
        account_id, DataCategory.PAYMENT.value, "ticket_payment_reference.reference", reference
    )
    ck.sovereign.add(
        PaymentReference(
            payment_id=payment_id,
            account_id=account_id,
            provider=ck.provider.name,
            reference=sealed,
            created_at=ck.now,
        )
    )
    ck.sovereign.flush()
    ck.spine.audit.append(
        ck.sovereign,
        [
            AuditEntry(
                operator="system",
                action="ticketing.payment.create",
                subject=account_id,
                fields=("reference",),
                purpose="ticketing",
                decision="write",
                reason=payment_id,
            )
        ],
        at=ck.now,
    )


def _set_payment(
    games: Session, payment_id: str, frm: str, to: PaymentStatus, now: datetime
) -> bool:
    result = games.execute(
        update(Payment)
        .where(Payment.id == payment_id, Payment.status == frm)
        .values(status=to.value, updated_at=now)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1  # type: ignore[attr-defined,no-any-return]


def _payment(games: Session, payment_id: str) -> Payment:
    payment = games.get(Payment, payment_id)
    if payment is None:
        raise TicketingNotFoundError(f"no payment {payment_id}", code="payment_not_found")
    return payment


def _lines(games: Session, order_id: str) -> list[tuple[OrderLine, InventoryRow]]:
    return [
        (line, row)
        for line, row in games.execute(
            select(OrderLine, InventoryRow)
            .join(InventoryRow, InventoryRow.id == OrderLine.inventory_id)
            .where(OrderLine.order_id == order_id)
            .order_by(OrderLine.inventory_id)
        ).all()
    ]


def _retake(games: Session, lines: list[tuple[OrderLine, InventoryRow]]) -> bool:
    taken: list[OrderLine] = []
    for line, _row in lines:
        if not take_sold(games, line.inventory_id, line.quantity):
            for done in taken:
                release_sold(games, done.inventory_id, done.quantity)
            return False
        taken.append(line)
    return True


def settle_payment(ck: Checkout, payment_id: str) -> PaymentResult:
    """Accept a payment: sell the order's units and create its tickets (idempotent).

    A payment already settled or declined is answered with its state and nothing changes.
    A payment accepted after the order's hold ended takes the units again if left, and
    is refunded through the provider otherwise (outcome `refunded`).
    """
    payment = _payment(ck.games, payment_id)
    if not _set_payment(
        ck.games, payment_id, PaymentStatus.PENDING.value, PaymentStatus.APPROVED, ck.now
    ):
        ck.games.refresh(payment)
        return PaymentResult(
            payment_id, payment.order_id, payment.status, _order_tickets(ck.games, payment.order_id)
        )
    order = _order_of(ck.games, payment.order_id, None)
    lines = _lines(ck.games, order.id)
    if set_order_status(ck.games, order.id, OPEN_STATUSES, OrderStatus.PAID, paid_at=ck.now):
        for line, _row in lines:
            confirm_units(ck.games, line.inventory_id, line.quantity)
    elif not (
        _retake(ck.games, lines)
        and set_order_status(
            ck.games,
            order.id,
            [OrderStatus.EXPIRED.value, OrderStatus.CANCELLED.value],
            OrderStatus.PAID,
            paid_at=ck.now,
            closed_at=None,
        )
    ):
        _set_payment(
            ck.games, payment_id, PaymentStatus.APPROVED.value, PaymentStatus.REFUNDED, ck.now
        )
        _refund_at_provider(ck, payment)
        return PaymentResult(payment_id, order.id, PaymentStatus.REFUNDED.value)
    tickets = create_ticket_rows(ck.games, order.account_id, lines, ck.now)
    return PaymentResult(payment_id, order.id, PaymentStatus.APPROVED.value, tickets)


def decline_payment(ck: Checkout, payment_id: str) -> PaymentResult:
    """Record a declined payment; the order goes back to a cart until its window ends."""
    payment = _payment(ck.games, payment_id)
    if _set_payment(
        ck.games, payment_id, PaymentStatus.PENDING.value, PaymentStatus.DECLINED, ck.now
    ):
        set_order_status(ck.games, payment.order_id, [OrderStatus.PENDING.value], OrderStatus.HELD)
        return PaymentResult(payment_id, payment.order_id, PaymentStatus.DECLINED.value)
    ck.games.refresh(payment)
    return PaymentResult(payment_id, payment.order_id, payment.status)


def create_ticket_rows(
    games: Session, account_id: str, lines: list[tuple[OrderLine, InventoryRow]], now: datetime
) -> tuple[str, ...]:
    """Create the tickets of paid order lines (a wheelchair place: place and companion seat).

    Returns:
        The new ticket ids, in line order.
    """
    rows: list[dict[str, object]] = []
    for line, inventory in lines:
        per_unit = {InventoryKind.SEAT.value: ("",), InventoryKind.WHEELCHAIR.value: ("", "C")}
        suffixes = per_unit.get(inventory.kind, ())
        if not suffixes:
            continue
        first = take_seat_numbers(games, inventory.id, line.quantity)
        for number in range(first, first + line.quantity):
            for suffix in suffixes:
                kind = "companion" if suffix else inventory.kind
                rows.append(
                    {
                        "id": f"tkt_{secrets.token_hex(8)}",
                        "order_line_id": line.id,
                        "session_code": line.session_code,
                        "inventory_id": inventory.id,
                        "area_code": inventory.area_code,
                        "seat": f"{inventory.area_code}-{number:04d}{suffix}",
                        "kind": kind,
                        "price_cents": 0 if suffix else line.unit_price_cents,
                        "holder_account_id": account_id,
                        "status": TicketStatus.VALID.value,
                        "credential_serial": 0,
                        "credential": None,
                        "issued_at": now,
                    }
                )
    if rows:
        games.execute(insert(Ticket), rows)
    return tuple(str(row["id"]) for row in rows)


def _order_tickets(games: Session, order_id: str) -> tuple[str, ...]:
    return tuple(
        games.scalars(
            select(Ticket.id)
            .join(OrderLine, OrderLine.id == Ticket.order_line_id)
            .where(OrderLine.order_id == order_id)
            .order_by(Ticket.id)
        )
    )


def _refund_at_provider(ck: Checkout, payment: Payment) -> None:
    row = ck.sovereign.get(PaymentReference, payment.id)
    if row is None:
        return
    reference = ck.spine.cipher.open_or_none(
        row.account_id,
        DataCategory.PAYMENT.value,
        "ticket_payment_reference.reference",
        row.reference,
    )
    if reference is not None:
        ck.provider.refund(reference, payment.amount_cents)


def refund_order(ck: Checkout, order_id: str, account_id: str | None) -> PaymentResult:
    """Refund a paid order: its valid tickets are refunded and their places go back on sale.

    The valid tickets of the order (also those transferred since: a re-issued ticket keeps
    its order line) are refunded and their signed credentials revoked
    (`podium.ticketing.tickets.revoke_tickets`, reason `refunded`).

    Raises:
        TicketingNotFoundError: `order_not_found`.
        OrderStateError: `order_state`, the order is not paid.
    """
    order = _order_of(ck.games, order_id, account_id)
    if not set_order_status(
        ck.games, order_id, [OrderStatus.PAID.value], OrderStatus.REFUNDED, closed_at=ck.now
    ):
        raise OrderStateError(f"order {order_id} is {order.status}; only a paid order is refunded")
    for line, _row in _lines(ck.games, order_id):
        release_sold(ck.games, line.inventory_id, line.quantity)
    of_order = select(OrderLine.id).where(OrderLine.order_id == order_id)
    valid = list(
        ck.games.scalars(
            select(Ticket.id).where(
                Ticket.order_line_id.in_(of_order), Ticket.status == TicketStatus.VALID.value
            )
        )
    )
    revoke_tickets(ck.games, valid, "refunded", ck.now)
    ck.games.execute(
        update(Ticket)
        .where(Ticket.id.in_(valid))
        .values(status=TicketStatus.REFUNDED.value)
        .execution_options(synchronize_session=False)
    )
    payment = ck.games.scalar(
        select(Payment).where(
            Payment.order_id == order_id, Payment.status == PaymentStatus.APPROVED.value
        )
    )
    if payment is None:
        return PaymentResult("", order_id, PaymentStatus.REFUNDED.value)
    _set_payment(ck.games, payment.id, PaymentStatus.APPROVED.value, PaymentStatus.REFUNDED, ck.now)
    _refund_at_provider(ck, payment)
    return PaymentResult(payment.id, order_id, PaymentStatus.REFUNDED.value)


def apply_webhook(ck: Checkout, event: WebhookEventIn) -> PaymentResult:
    """Apply a verified webhook event once; a repeated event id changes nothing.

    Raises:
        TicketingNotFoundError: `payment_not_found`.
    """
    payment = _payment(ck.games, event.payment_id)
    seen = ck.games.get(WebhookEvent, event.event_id)
    if seen is not None:
        return PaymentResult(
            payment.id, payment.order_id, payment.status, _order_tickets(ck.games, payment.order_id)
        )
    ck.games.add(
        WebhookEvent(
            event_id=event.event_id,
            payment_id=payment.id,
            outcome=event.outcome,
            received_at=ck.now,
        )
    )
    ck.games.flush()
    if event.outcome == "approved":
        return settle_payment(ck, payment.id)
    if event.outcome == "declined":
        return decline_payment(ck, payment.id)
    if payment.status == PaymentStatus.APPROVED.value:
        return refund_order(ck, payment.order_id, None)
    return PaymentResult(payment.id, payment.order_id, payment.status)
