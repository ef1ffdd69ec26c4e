"""Reads of ticketing: sessions on sale, availability, a fan's orders and tickets, checks."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from podium.games import CompetitionSession
from podium.ticketing.errors import TicketingNotFoundError
from podium.ticketing.models import (
    InventoryRow,
    Order,
    OrderLine,
    Payment,
    PaymentStatus,
    Ticket,
    TicketedSession,
    TicketStatus,
)

__all__ = [
    "Availability",
    "SessionSummary",
    "account_orders",
    "account_ticket_rows",
    "oversold_rows",
    "payments_without_tickets",
    "session_availability",
    "ticketed_sessions",
]


@dataclass(frozen=True, slots=True)
class Availability:
    """One inventory row as the public sees it: price and units left."""

    inventory_id: int
    area_code: str
    area_name: str
    price_category: str
    kind: str
    price_cents: int
    capacity: int
    available: int


@dataclass(frozen=True, slots=True)
class SessionSummary:
    """A ticketed session with its discipline, venue, start and units left."""

    session_code: str
    discipline_code: str
    venue_code: str | None
    starts_at: datetime
    sale_mode: str
    on_sale: bool
    available: int


def ticketed_sessions(
    games: Session, day: date | None = None, venue: str | None = None
) -> list[SessionSummary]:
    """List ticketed sessions (optionally of one day or venue), by start time."""
    left = func.sum(InventoryRow.capacity - InventoryRow.sold - InventoryRow.held)
    query = (
        select(TicketedSession, CompetitionSession.discipline_code, CompetitionSession.day, left)
        .join(CompetitionSession, CompetitionSession.code == TicketedSession.session_code)
        .join(InventoryRow, InventoryRow.session_code == TicketedSession.session_code)
        .where(InventoryRow.kind != "tablet")
        .group_by(
            TicketedSession.session_code, CompetitionSession.discipline_code, CompetitionSession.day
        )
        .order_by(TicketedSession.starts_at, TicketedSession.session_code)
    )
    if day is not None:
        query = query.where(CompetitionSession.day == day)
    if venue is not None:
        query = query.where(TicketedSession.venue_code == venue)
    return [
        SessionSummary(
            t.session_code,
            discipline,
            t.venue_code,
            t.starts_at,
            t.sale_mode,
            t.on_sale,
            int(n or 0),
        )
        for t, discipline, _day, n in games.execute(query).all()
    ]


def session_availability(games: Session, session_code: str) -> list[Availability]:
    """Return a session's inventory rows with units left (public information).

    Raises:
        TicketingNotFoundError: the session is not ticketed (`session_not_ticketed`).
    """
    rows = list(
        games.scalars(
            select(InventoryRow)
            .where(InventoryRow.session_code == session_code)
            .order_by(InventoryRow.id)
        )
    )
    if not rows:
        raise TicketingNotFoundError(
            f"session {session_code} is not on sale", code="session_not_ticketed"
        )
    return [
        Availability(
            r.id,
            r.area_code,
            r.area_name,
            r.price_category,
            r.kind,
            r.price_cents,
            r.capacity,
            r.capacity - r.sold - r.held,
        )
        for r in rows
    ]


def account_orders(games: Session, account_id: str) -> list[Order]:
    """Return a fan account's orders, newest first."""
    return list(
        games.scalars(
            select(Order).where(Order.account_id == account_id).order_by(Order.created_at.desc())
        )
    )


def account_ticket_rows(games: Session, account_id: str) -> list[Ticket]:
    """Return the valid tickets an account holds, by session start and seat."""
    return list(
        games.scalars(
            select(Ticket)
            .join(TicketedSession, TicketedSession.session_code == Ticket.session_code)
            .where(
                Ticket.holder_account_id == account_id, Ticket.status == TicketStatus.VALID.value
            )
            .order_by(TicketedSession.starts_at, Ticket.seat)
        )
    )


def oversold_rows(games: Session) -> list[int]:
    """Return ids of inventory rows that break the no-oversell invariant (always empty).

    A row breaks it when `sold + held > capacity`, a counter is negative, or `sold`
    differs from the units of its paid orders.
    """
    broken = set(
        games.scalars(
            select(InventoryRow.id).where(
                (InventoryRow.sold + InventoryRow.held > InventoryRow.capacity)
                | (InventoryRow.held < 0)
                | (InventoryRow.sold < 0)
            )
        )
    )
    paid = dict(
        games.execute(
            select(OrderLine.inventory_id, func.sum(OrderLine.quantity))
            .join(Order, Order.id == OrderLine.order_id)
            .where(Order.status == "paid")
            .group_by(OrderLine.inventory_id)
        ).all()
    )
    for row_id, sold in games.execute(select(InventoryRow.id, InventoryRow.sold)).all():
        if int(paid.get(row_id, 0)) != sold:
            broken.add(row_id)
    return sorted(broken)


def payments_without_tickets(games: Session) -> list[str]:
    """Return ids of approved payments whose order has no valid ticket (always empty).

    A ticket re-issued by a transfer keeps its `order_line_id`, so it still counts.
    """
    with_tickets = (
        select(OrderLine.order_id)
        .join(Ticket, Ticket.order_line_id == OrderLine.id)
        .where(Ticket.status == TicketStatus.VALID.value)
    )
    return list(
        games.scalars(
            select(Payment.id).where(
                Payment.status == PaymentStatus.APPROVED.value,
                Payment.order_id.not_in(with_tickets),
            )
        )
    )
