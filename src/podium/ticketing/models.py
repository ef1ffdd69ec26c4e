"""Tables of the ticketing domain: inventory, draw, orders, payments, tickets; fans and holders.

Games plane (any cloud): the ticketed sessions and their inventory rows, fan accounts as
pseudonymous ids only, draws and their entries and purchase slots, orders (a cart is an
order in status `held`), payments without the provider's reference, and tickets with the
holder's account id. Sovereign plane (EU host): the fan's name, e-mail and password hash,
fan sign-in sessions, ticket holders' names and the payment references (DESIGN.md, "Two
planes"). A fan account id (`fan_` + 16 hex) is the pseudonymous subject id under which
the sovereign fields are sealed.

Other ticketing modules add their own tables in their own modules, imported by
`podium.migrations.metadata` beside this one:

- `podium.ticketing.models_tickets` (tickets helper): transfers and resale listings;
- `podium.ticketing.models_scans` (gates helper): gate devices, scans and offline merges.

They may reference `ticket.id`, `fan_account.id` and `ticketed_session.session_code`.
"""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped

from podium.core.categories import DataCategory, column
from podium.core.db import GamesBase, SovereignBase
from podium.core.types import UtcDateTime

__all__ = [
    "Draw",
    "DrawEntry",
    "FanAccount",
    "FanPersonal",
    "FanWebSession",
    "InventoryKind",
    "InventoryRow",
    "Order",
    "OrderLine",
    "OrderStatus",
    "Payment",
    "PaymentReference",
    "PaymentStatus",
    "PurchaseSlot",
    "Ticket",
    "TicketHolder",
    "TicketStatus",
    "TicketedSession",
    "WebhookEvent",
]

_C = DataCategory.COMPETITION
_SYS = DataCategory.SYSTEM
_PSEUDO = DataCategory.PSEUDONYM
_SEALED = {"sealed": True}


class InventoryKind(enum.StrEnum):
    """What one unit of an inventory row is.

    A `wheelchair` unit is a wheelchair space with its companion seat: it yields two
    tickets (`wheelchair` and `companion`). A `tablet` unit is the tactile-tablet add-on
    booked with seats of the same session; it yields no ticket.
    """

    SEAT = "seat"
    WHEELCHAIR = "wheelchair"
    TABLET = "tablet"


class OrderStatus(enum.StrEnum):
    """The statuses of an order: a cart holds seats until it expires or is paid."""

    HELD = "held"
    PENDING = "pending"
    PAID = "paid"
    EXPIRED = "expired"
    CANCELLED = "cancelled"
    REFUNDED = "refunded"


class PaymentStatus(enum.StrEnum):
    """The statuses of a payment at the provider."""

    PENDING = "pending"
    APPROVED = "approved"
    DECLINED = "declined"
    REFUNDED = "refunded"


class TicketStatus(enum.StrEnum):
    """The statuses of a ticket; only `valid` admits."""

    VALID = "valid"
    TRANSFERRED = "transferred"
    RESOLD = "resold"
    REFUNDED = "refunded"
    CANCELLED = "cancelled"


class TicketedSession(GamesBase):
    """A competition session put on sale (from `competition_session`).

    Attributes:
        session_code: the competition session's code (`ATH01`...).
        venue_code: the venue, copied from the session.
        starts_at: when the session starts, copied from the session.
        sale_mode: `draw` (only holders of a purchase slot buy) or `open`.
        on_sale: whether carts may be opened.

    """

    __tablename__ = "ticketed_session"

    session_code: Mapped[str] = column(_C, ForeignKey("competition_session.code"), primary_key=True)
    venue_code: Mapped[str | None] = column(_C, String(8), index=True)
    starts_at: Mapped[datetime] = column(_C, UtcDateTime())
    sale_mode: Mapped[str] = column(_C, String(8), default="draw")
    on_sale: Mapped[bool] = column(_C, Boolean, default=True)


class InventoryRow(GamesBase):
    """What one (session, seating area, price category) has to sell, and its counters.

    The invariant `sold + held <= capacity` is kept by conditional UPDATEs
    (`podium.ticketing.inventory`) and checked again by the database (CHECK constraint).

    Attributes:
        id: row number.
        session_code: the ticketed session.
        area_code: seating area (`LOWER-N`, `WC-1`, `TABLET`), from the venue data file.
        area_name: the area's name as shown to fans.
        price_category: `A`..`E` for seats, `W` for accessible places, `T` for tablets.
        kind: an `InventoryKind` value.
        price_cents: price of one unit in euro cents (tablets: 0).
        capacity: units for sale.
        held: units held by carts and orders awaiting payment.
        sold: units paid for.
        seat_serial: last place number handed out in this row (monotonic).

    """

    __tablename__ = "ticket_inventory"
    __table_args__ = (
        UniqueConstraint("session_code", "area_code", "price_category"),
        CheckConstraint("held >= 0 AND sold >= 0 AND sold + held <= capacity", name="counters"),
    )

    id: Mapped[int] = column(_SYS, Integer, primary_key=True, autoincrement=True)
    session_code: Mapped[str] = column(_C, ForeignKey("ticketed_session.session_code"), index=True)
    area_code: Mapped[str] = column(_C, String(16))
    area_name: Mapped[str] = column(_C, String(80))
    price_category: Mapped[str] = column(_C, String(2))
    kind: Mapped[str] = column(_C, String(12))
    price_cents: Mapped[int] = column(_C, Integer)
    capacity: Mapped[int] = column(_C, Integer)
    held: Mapped[int] = column(_C, Integer, default=0)
    sold: Mapped[int] = column(_C, Integer, default=0)
    seat_serial: Mapped[int] = column(_C, Integer, default=0)


class FanAccount(GamesBase):
    """A fan's account as the games plane knows it: a pseudonymous id only.

    Attributes:
        id: `fan_` + 16 hex; the subject id of the fan's sovereign record.
        created_at: when the account was created.
        disabled_at: when it was closed.
        lock_version: bumped by every order write of the account, so concurrent writes
            of one account run one after the other (account limits, `podium.ticketing.sale`).

    """

    __tablename__ = "fan_account"

    id: Mapped[str] = column(_PSEUDO, String(20), primary_key=True)
    created_at: Mapped[datetime] = column(_SYS, UtcDateTime())
    disabled_at: Mapped[datetime | None] = column(_SYS, UtcDateTime())
    lock_version: Mapped[int] = column(_SYS, Integer, default=0)


class Draw(GamesBase):
    """A ticket draw: registration window, seed commitment, revealed seed, purchase slots.

    Attributes:
        id: draw number.
        name: title (`Make it Happen draw, phase 1`).
        registration_opens_at: entries accepted from this instant ...
        registration_closes_at: ... until this one (excluded).
        seed_commitment: SHA-256 of the seed, hex, published when the draw is opened.
        seed: the seed, hex, revealed when the draw is run; None before.
        drawn_at: when the draw was run.
        slot_hours: length of a winner's purchase slot in hours (48 by default).
        capacity: JSON object, session code → seats left when the draw ran (published
            with the seed, so the allocation can be recomputed).

    """

    __tablename__ = "ticket_draw"

    id: Mapped[int] = column(_SYS, Integer, primary_key=True, autoincrement=True)
    name: Mapped[str] = column(_C, String(120))
    registration_opens_at: Mapped[datetime] = column(_C, UtcDateTime())
    registration_closes_at: Mapped[datetime] = column(_C, UtcDateTime())
    seed_commitment: Mapped[str] = column(_C, String(64))
    seed: Mapped[str | None] = column(_C, String(64))
    drawn_at: Mapped[datetime | None] = column(_C, UtcDateTime())
    slot_hours: Mapped[int] = column(_C, Integer, default=48)
    capacity: Mapped[str | None] = column(_C, Text)


class DrawEntry(GamesBase):
    """An account's entry in a draw for one session, with the quantity wanted.

    Attributes:
        id: 16 random hex characters; the draw orders entries by a hash of the seed
            and this id (`podium.ticketing.rules.draw_order`).
        rank: position in the drawn order (1 first), None before the draw.
        won: whether the entry won (its quantity fits the session's capacity in order).

    """

    __tablename__ = "ticket_draw_entry"
    __table_args__ = (UniqueConstraint("draw_id", "account_id", "session_code"),)

    id: Mapped[str] = column(_SYS, String(16), primary_key=True)
    draw_id: Mapped[int] = column(_SYS, ForeignKey("ticket_draw.id"), index=True)
    account_id: Mapped[str] = column(_PSEUDO, ForeignKey("fan_account.id"), index=True)
    session_code: Mapped[str] = column(_C, ForeignKey("ticketed_session.session_code"))
    quantity: Mapped[int] = column(_C, Integer)
    created_at: Mapped[datetime] = column(_SYS, UtcDateTime())
    rank: Mapped[int | None] = column(_C, Integer)
    won: Mapped[bool] = column(_C, Boolean, default=False)


class PurchaseSlot(GamesBase):
    """A draw winner's purchase slot: the window in which the account may buy."""

    __tablename__ = "ticket_purchase_slot"
    __table_args__ = (UniqueConstraint("draw_id", "account_id"),)

    id: Mapped[int] = column(_SYS, Integer, primary_key=True, autoincrement=True)
    draw_id: Mapped[int] = column(_SYS, ForeignKey("ticket_draw.id"), index=True)
    account_id: Mapped[str] = column(_PSEUDO, ForeignKey("fan_account.id"), index=True)
    opens_at: Mapped[datetime] = column(_C, UtcDateTime())
    closes_at: Mapped[datetime] = column(_C, UtcDateTime())


class Order(GamesBase):
    """An order; while `held` it is the fan's cart and its units are held until `expires_at`.

    Attributes:
        id: `ord_` + 16 hex.
        account_id: the buying account.
        status: an `OrderStatus` value.
        total_cents: amount due in euro cents.
        created_at: when the cart was opened.
        expires_at: when the hold ends (cart) or the payment window closes (pending).
        paid_at: when the payment was accepted.
        closed_at: when it was expired, cancelled or refunded.

    """

    __tablename__ = "ticket_order"

    id: Mapped[str] = column(_SYS, String(20), primary_key=True)
    account_id: Mapped[str] = column(_PSEUDO, ForeignKey("fan_account.id"), index=True)
    status: Mapped[str] = column(_C, String(12), index=True)
    total_cents: Mapped[int] = column(_C, Integer)
    created_at: Mapped[datetime] = column(_SYS, UtcDateTime())
    expires_at: Mapped[datetime] = column(_SYS, UtcDateTime(), index=True)
    paid_at: Mapped[datetime | None] = column(_SYS, UtcDateTime())
    closed_at: Mapped[datetime | None] = column(_SYS, UtcDateTime())


class OrderLine(GamesBase):
    """One line of an order: units of one inventory row at its price."""

    __tablename__ = "ticket_order_line"

    id: Mapped[int] = column(_SYS, Integer, primary_key=True, autoincrement=True)
    order_id: Mapped[str] = column(
        _SYS, ForeignKey("ticket_order.id", ondelete="CASCADE"), index=True
    )
    inventory_id: Mapped[int] = column(_SYS, ForeignKey("ticket_inventory.id"), index=True)
    session_code: Mapped[str] = column(_C, String(12), index=True)
    quantity: Mapped[int] = column(_C, Integer)
    unit_price_cents: Mapped[int] = column(_C, Integer)


class Payment(GamesBase):
    """A payment of an order; the provider's reference lives in the sovereign plane.

    Attributes:
        id: `pay_` + 16 hex (what the provider is told as our reference).
        order_id: the order paid.
        provider: the provider's name (`local-test`).
        amount_cents: amount in euro cents.
        status: a `PaymentStatus` value.

    """

    __tablename__ = "ticket_payment"

    id: Mapped[str] = column(_SYS, String(20), primary_key=True)
    order_id: Mapped[str] = column(_SYS, ForeignKey("ticket_order.id"), index=True)
    provider: Mapped[str] = column(_SYS, String(24))
    amount_cents: Mapped[int] = column(_C, Integer)
    status: Mapped[str] = column(_C, String(12))
    created_at: Mapped[datetime] = column(_SYS, UtcDateTime())
    updated_at: Mapped[datetime] = column(_SYS, UtcDateTime())


class WebhookEvent(GamesBase):
    """A provider webhook event already applied (webhooks are idempotent by event id)."""

    __tablename__ = "ticket_webhook_event"

    event_id: Mapped[str] = column(_SYS, String(64), primary_key=True)
    payment_id: Mapped[str] = column(_SYS, String(20), index=True)
    outcome: Mapped[str] = column(_SYS, String(12))
    received_at: Mapped[datetime] = column(_SYS, UtcDateTime())


class Ticket(GamesBase):
    """A ticket: one place of a session, held by an account (the holder's name is sovereign).

    Attributes:
        id: `tkt_` + 16 hex.
        order_line_id: the order line it was sold on (None for a re-issued ticket's
            origin kept elsewhere by the transfer tables).
        session_code: the session it admits to.
        inventory_id: the inventory row its place belongs to.
        area_code: seating area.
        seat: place label within the area (`LOWER-N-0042`, `WC-1-0003C`).
        kind: `seat`, `wheelchair` or `companion`.
        price_cents: face value in euro cents.
        holder_account_id: the account holding it.
        status: a `TicketStatus` value.
        credential_serial: serial of the current signed credential (0: none issued yet).
        credential: the current signed credential (set by `podium.ticketing.tickets`).
        issued_at: when it was created.

    """

    __tablename__ = "ticket"

    id: Mapped[str] = column(_SYS, String(20), primary_key=True)
    order_line_id: Mapped[int | None] = column(_SYS, ForeignKey("ticket_order_line.id"), index=True)
    session_code: Mapped[str] = column(_C, String(12), index=True)
    inventory_id: Mapped[int] = column(_SYS, ForeignKey("ticket_inventory.id"))
    area_code: Mapped[str] = column(_C, String(16))
    seat: Mapped[str] = column(_C, String(32))
    kind: Mapped[str] = column(_C, String(12))
    price_cents: Mapped[int] = column(_C, Integer)
    holder_account_id: Mapped[str] = column(_PSEUDO, ForeignKey("fan_account.id"), index=True)
    status: Mapped[str] = column(_C, String(12), index=True)
    credential_serial: Mapped[int] = column(_C, Integer, default=0)
    credential: Mapped[str | None] = column(_C, String(600))
    issued_at: Mapped[datetime] = column(_SYS, UtcDateTime())


class FanPersonal(SovereignBase):
    """A fan's personal data (sovereign plane), sealed under the fan account id.

    Attributes:
        account_id: the fan account id (games plane), the subject id.
        full_name: name (sealed, identity).
        email: e-mail address (sealed, contact).
        email_index: blind index of the normalised e-mail address for sign-in lookup
            (HMAC under the pseudonymisation key, `podium.ticketing.accounts`).
        password_hash: Argon2id hash (RFC 9106).
        created_at: when the account was created.

    """

    __tablename__ = "fan_personal"

    account_id: Mapped[str] = column(_PSEUDO, String(20), primary_key=True)
    full_name: Mapped[bytes | None] = column(DataCategory.IDENTITY, LargeBinary, info=_SEALED)
    email: Mapped[bytes | None] = column(DataCategory.CONTACT, LargeBinary, info=_SEALED)
    email_index: Mapped[str] = column(_PSEUDO, String(32), unique=True)
    password_hash: Mapped[str] = column(DataCategory.CREDENTIAL, String(200))
    created_at: Mapped[datetime] = column(_SYS, UtcDateTime())


class FanWebSession(SovereignBase):
    """A fan's sign-in session; the cookie value is kept only as a SHA-256 hash."""

    __tablename__ = "fan_web_session"

    id_hash: Mapped[str] = column(DataCategory.CREDENTIAL, String(64), primary_key=True)
    account_id: Mapped[str] = column(
        _PSEUDO, ForeignKey("fan_personal.account_id", ondelete="CASCADE"), index=True
    )
    csrf_token: Mapped[str] = column(DataCategory.CREDENTIAL, String(64))
    created_at: Mapped[datetime] = column(_SYS, UtcDateTime())
    expires_at: Mapped[datetime] = column(_SYS, UtcDateTime())


class TicketHolder(SovereignBase):
    """The name on a nominative ticket (sealed under the holding account's id)."""

    __tablename__ = "ticket_holder"

    ticket_id: Mapped[str] = column(_SYS, String(20), primary_key=True)
    account_id: Mapped[str] = column(_PSEUDO, String(20), index=True)
    holder_name: Mapped[bytes | None] = column(DataCategory.IDENTITY, LargeBinary, info=_SEALED)
    updated_at: Mapped[datetime] = column(_SYS, UtcDateTime())


class PaymentReference(SovereignBase):
    """The payment provider's reference of a payment (sealed, category payment)."""

    __tablename__ = "ticket_payment_reference"

    payment_id: Mapped[str] = column(_SYS, String(20), primary_key=True)
    account_id: Mapped[str] = column(_PSEUDO, String(20), index=True)
    provider: Mapped[str] = column(_SYS, String(24))
    reference: Mapped[bytes | None] = column(DataCategory.PAYMENT, LargeBinary, info=_SEALED)
    created_at: Mapped[datetime] = column(_SYS, UtcDateTime())
