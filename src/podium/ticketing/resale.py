"""The official resale at face value: listing a ticket, and the atomic exchange.

Paris 2024 let fans resell tickets they could not use on the official platform only, at
face value. The seller pays a fee (5 % by default) and the buyer pays one (10 % by
default), both configurable (`TicketPolicy`), each rounded to the nearest cent, halves
up (`resale_fees`, pure).

`buy_listing` is one games-plane transaction whose first statement is a write (the
buyer's account row is locked, `lock_account`), then:

1. the buyer's limits are checked (30 per account, 6 per session);
2. the listing is closed by a conditional UPDATE (`WHERE status = 'open'`): of two
   concurrent buyers, the second waits on the row (PostgreSQL) or on the write lock
   (SQLite), then changes nothing and is refused `listing_closed`;
3. the ticket is re-issued to the buyer and the seller's serial revoked (`hand_over`);
4. the buyer's payment is captured through T1's provider interface, recorded as a paid
   order and a payment (the provider's reference sealed in the sovereign plane);
5. the seller's credit (price minus fee) is recorded in the trade.

Any refusal (a declined payment included) rolls back every step: the listing stays
open, the ticket stays the seller's. The local test provider answers at once; a real
provider would authorise here and capture after the commit.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import select, update
from sqlalchemy.engine import CursorResult

from podium.core.categories import DataCategory
from podium.core.errors import InvalidInputError
from podium.privacy.audit import AuditEntry
from podium.ticketing.errors import TicketingNotFoundError
from podium.ticketing.models import (
    Order,
    OrderStatus,
    Payment,
    PaymentReference,
    PaymentStatus,
    Ticket,
    TicketedSession,
)
from podium.ticketing.models_tickets import ListingStatus, ResaleListing, ResaleTrade
from podium.ticketing.payments import PaymentProvider
from podium.ticketing.sale import lock_account
from podium.ticketing.tickets import (
    Handover,
    IssuedTicket,
    TicketDesk,
    TicketPolicy,
    TicketStateError,
    hand_over,
    open_listing_of,
)
from podium.ticketing.transfer import check_receiver_limits, held_ticket

__all__ = [
    "ResaleError",
    "ResaleFees",
    "ResaleOutcome",
    "buy_listing",
    "list_ticket",
    "open_listings",
    "resale_fees",
    "withdraw_listing",
]


class ResaleError(InvalidInputError):
    """A resale step refused.

    Codes: `listing_closed`, `resale_own_ticket`, `payment_declined`, `payment_pending`,
    `session_started`.
    """

    code = "resale_error"


@dataclass(frozen=True, slots=True)
class ResaleFees:
    """The amounts of one resale, euro cents."""

    price_cents: int
    seller_fee_cents: int
    buyer_fee_cents: int

    @property
    def buyer_pays_cents(self) -> int:
        """Price plus the buyer's fee."""
        return self.price_cents + self.buyer_fee_cents

    @property
    def seller_gets_cents(self) -> int:
        """Price minus the seller's fee."""
        return self.price_cents - self.seller_fee_cents


def _fee(price_cents: int, basis_points: int) -> int:
    return (price_cents * basis_points + 5_000) // 10_000


def resale_fees(price_cents: int, policy: TicketPolicy) -> ResaleFees:
    """Return the fees of a resale at face value, each rounded to the cent (halves up).

    Args:
        price_cents: the face value, euro cents (>= 0).
        policy: the fee rates (basis points; 5 % seller, 10 % buyer by default).

    Raises:
        InvalidInputError: `price_invalid`, a negative price.
    """
    if price_cents < 0:
        raise InvalidInputError("price must be >= 0 cents", code="price_invalid")
    return ResaleFees(
        price_cents, _fee(price_cents, policy.seller_fee_bp), _fee(price_cents, policy.buyer_fee_bp)
    )


def _changed(desk: TicketDesk, statement: Any) -> bool:
    return cast("CursorResult[Any]", desk.games.execute(statement)).rowcount == 1


def _lock_ticket(desk: TicketDesk, ticket_id: str, account_id: str) -> None:
    """Lock the holder's ticket row (a no-op UPDATE) so two listings of it run in turn."""
    _changed(
        desk,
        update(Ticket)
        .where(Ticket.id == ticket_id, Ticket.holder_account_id == account_id)
        .values(credential_serial=Ticket.credential_serial)
        .execution_options(synchronize_session=False),
    )


def list_ticket(desk: TicketDesk, ticket_id: str, account_id: str) -> ResaleListing:
    """Offer a held ticket on the resale at its face value.

    Raises:
        TicketingNotFoundError: `ticket_not_found` (also another account's ticket).
        TicketStateError: `ticket_state`, `ticket_listed` (already listed).
        ResaleError: `session_started`.
    """
    _lock_ticket(desk, ticket_id, account_id)
    ticket = held_ticket(desk, ticket_id, account_id)
    if open_listing_of(desk.games, ticket_id) is not None:
        raise TicketStateError(f"ticket {ticket_id} is already listed", code="ticket_listed")
    ticketed = desk.games.get(TicketedSession, ticket.session_code)
    if ticketed is None or ticketed.starts_at <= desk.now:
        raise ResaleError(f"session {ticket.session_code} has started", code="session_started")
    fees = resale_fees(ticket.price_cents, desk.office.policy)
    listing = ResaleListing(
        id=f"lst_{secrets.token_hex(8)}",
        ticket_id=ticket_id,
        seller_account_id=account_id,
        session_code=ticket.session_code,
        serial=ticket.credential_serial,
        price_cents=fees.price_cents,
        seller_fee_cents=fees.seller_fee_cents,
        buyer_fee_cents=fees.buyer_fee_cents,
        status=ListingStatus.OPEN.value,
        listed_at=desk.now,
    )
    desk.games.add(listing)
    desk.games.flush()
    return listing


def withdraw_listing(desk: TicketDesk, listing_id: str, account_id: str) -> None:
    """Take an open listing off the resale (the seller keeps the ticket).

    Raises:
        TicketingNotFoundError: `listing_not_found` (also another seller's listing).
        ResaleError: `listing_closed`, already sold or withdrawn.
    """
    # The write comes first (see buy_listing); the reads after it only explain a refusal.
    if _close(desk, listing_id, ListingStatus.WITHDRAWN, seller=account_id):
        return
    listing = desk.games.get(ResaleListing, listing_id)
    if listing is None or listing.seller_account_id != account_id:
        raise TicketingNotFoundError(f"no listing {listing_id}", code="listing_not_found")
    raise ResaleError(f"listing {listing_id} is closed", code="listing_closed")


def _close(desk: TicketDesk, listing_id: str, to: ListingStatus, seller: str | None = None) -> bool:
    statement = update(ResaleListing).where(
        ResaleListing.id == listing_id, ResaleListing.status == ListingStatus.OPEN.value
    )
    if seller is not None:
        statement = statement.where(ResaleListing.seller_account_id == seller)
    return _changed(
        desk,
        statement.values(status=to.value, closed_at=desk.now).execution_options(
            synchronize_session=False
        ),
    )


def open_listings(desk: TicketDesk, session_code: str | None = None) -> list[ResaleListing]:
    """Return the open listings, of one session or all, oldest first."""
    query = select(ResaleListing).where(ResaleListing.status == ListingStatus.OPEN.value)
    if session_code is not None:
        query = query.where(ResaleListing.session_code == session_code)
    return list(desk.games.scalars(query.order_by(ResaleListing.listed_at, ResaleListing.id)))


@dataclass(frozen=True, slots=True)
class ResaleOutcome:
    """A completed exchange: the buyer's new ticket, the payment, the amounts."""

    listing_id: str
    ticket: IssuedTicket
    order_id: str
    payment_id: str
    buyer_paid_cents: int
    seller_credit_cents: int


def _capture(desk: TicketDesk, provider: PaymentProvider, buyer: str, amount: int) -> Payment:
    order = Order(
        id=f"ord_{secrets.token_hex(8)}",
        account_id=buyer,
        status=OrderStatus.PAID.value,
        total_cents=amount,
        created_at=desk.now,
        expires_at=desk.now,
        paid_at=desk.now,
    )
    payment = Payment(
        id=f"pay_{secrets.token_hex(8)}",
        order_id=order.id,
        provider=provider.name,
        amount_cents=amount,
        status=PaymentStatus.APPROVED.value,
        created_at=desk.now,
        updated_at=desk.now,
    )
    desk.games.add(order)
    desk.games.flush()
    desk.games.add(payment)
    desk.games.flush()
    answer = provider.charge(payment.id, amount)
    if answer.outcome != "approved":
        if answer.outcome == "pending":
            provider.refund(answer.reference, amount)
        raise ResaleError(
            f"the payment was not captured ({answer.outcome})", code=f"payment_{answer.outcome}"
        )
    _keep_reference(desk, payment, buyer, provider.name, answer.reference)
    return payment


def _keep_reference(
    desk: TicketDesk, payment: Payment, buyer: str, provider: str, reference: str
) -> None:
    spine = desk.office.spine
    sealed = spine.cipher.seal(
        buyer, DataCategory.PAYMENT.value, "ticket_payment_reference.reference", reference
    )
    desk.sovereign.add(
        PaymentReference(
            payment_id=payment.id,
            account_id=buyer,
            provider=provider,
            reference=sealed,
            created_at=desk.now,
        )
    )
    desk.sovereign.flush()
    spine.audit.append(
        desk.sovereign,
        [
            AuditEntry(
                operator=buyer,
                action="ticketing.payment.create",
                subject=buyer,
                fields=("reference",),
                purpose="ticketing",
                decision="write",
                reason=payment.id,
            )
        ],
        at=desk.now,
    )


def buy_listing(
    desk: TicketDesk, listing_id: str, buyer: str, provider: PaymentProvider
) -> ResaleOutcome:
    """Buy a listed ticket: the atomic exchange of the module docstring.

    Args:
        desk: both planes (the caller commits, `ticket_desk`), the office, the time.
        listing_id: the listing.
        buyer: the buying fan account.
        provider: the payment provider (T1's interface).

    Raises:
        TicketingNotFoundError: `listing_not_found`, `account_not_found`.
        ResaleError: `listing_closed`, `resale_own_ticket`, `payment_declined`,
            `payment_pending`.
        LimitExceededError: `account_limit`, `session_limit` of the buyer.
        TicketStateError: `ticket_changed` (the ticket moved since it was listed).
    """
    lock_account(desk.games, buyer)
    listing = desk.games.get(ResaleListing, listing_id)
    if listing is None:
        raise TicketingNotFoundError(f"no listing {listing_id}", code="listing_not_found")
    if listing.seller_account_id == buyer:
        raise ResaleError("this is your own ticket", code="resale_own_ticket")
    check_receiver_limits(desk, buyer, listing.session_code, locked=True)
    if not _close(desk, listing_id, ListingStatus.SOLD):
        raise ResaleError(f"listing {listing_id} is no longer for sale", code="listing_closed")
    ticket = hand_over(
        desk,
        Handover(listing.ticket_id, listing.seller_account_id, listing.serial, buyer, "resale"),
    )
    fees = ResaleFees(listing.price_cents, listing.seller_fee_cents, listing.buyer_fee_cents)
    payment = _capture(desk, provider, buyer, fees.buyer_pays_cents)
    desk.games.add(
        ResaleTrade(
            listing_id=listing_id,
            buyer_account_id=buyer,
            order_id=payment.order_id,
            payment_id=payment.id,
            buyer_paid_cents=fees.buyer_pays_cents,
            seller_credit_cents=fees.seller_gets_cents,
            at=desk.now,
        )
    )
    desk.games.flush()
    return ResaleOutcome(
        listing_id,
        ticket,
        payment.order_id,
        payment.id,
        fees.buyer_pays_cents,
        fees.seller_gets_cents,
    )
