"""Tables of ticket credentials, transfers and resale (games plane, no personal data).

A ticket row (`podium.ticketing.models.Ticket`) is the place: it keeps its id for ever,
and its holder and credential serial change when it changes hands. These tables add:

- `TicketNumber`: the ticket's 32-bit number, the credential id its signed credential
  carries (`podium.gates` credentials hold a 4-byte number, not the `tkt_` id);
- `TicketIssue`: every credential serial ever signed for a ticket, to which account,
  why (`sale`, `reissue`, `transfer`, `resale`);
- `TicketRevocation` and `TicketRevocationList`: the revocation list of ticket serials
  (a serial replaced by a transfer or a resale is revoked with reason `transferred`),
  numbered by the published list that first carried each entry, as for accreditation;
- `TicketTransfer`: each change of holder (transfer or resale);
- `ResaleListing` and `ResaleTrade`: the official resale at face value.

Accounts appear only as their pseudonymous ids (`fan_...`).
"""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped

from podium.core.categories import DataCategory, column
from podium.core.db import GamesBase
from podium.core.types import UtcDateTime

__all__ = [
    "ListingStatus",
    "ResaleListing",
    "ResaleTrade",
    "TicketIssue",
    "TicketNumber",
    "TicketRevocation",
    "TicketRevocationList",
    "TicketTransfer",
]

_C = DataCategory.COMPETITION
_SYS = DataCategory.SYSTEM
_PSEUDO = DataCategory.PSEUDONYM


class ListingStatus(enum.StrEnum):
    """The statuses of a resale listing."""

    OPEN = "open"
    SOLD = "sold"
    WITHDRAWN = "withdrawn"


class TicketNumber(GamesBase):
    """The number of a ticket: the credential id of its signed credential (32 bits)."""

    __tablename__ = "ticket_number"

    number: Mapped[int] = column(_SYS, Integer, primary_key=True, autoincrement=True)
    ticket_id: Mapped[str] = column(_SYS, ForeignKey("ticket.id"), unique=True)


class TicketIssue(GamesBase):
    """One signed credential serial of a ticket: to which account, when, why."""

    __tablename__ = "ticket_issue"
    __table_args__ = (UniqueConstraint("ticket_id", "serial"),)

    id: Mapped[int] = column(_SYS, Integer, primary_key=True, autoincrement=True)
    ticket_id: Mapped[str] = column(_SYS, ForeignKey("ticket.id"), index=True)
    serial: Mapped[int] = column(_C, Integer)
    account_id: Mapped[str] = column(_PSEUDO, ForeignKey("fan_account.id"), index=True)
    reason: Mapped[str] = column(_C, String(12))
    issued_at: Mapped[datetime] = column(_SYS, UtcDateTime())


class TicketRevocation(GamesBase):
    """A revoked ticket serial: an entry of the signed ticket revocation list.

    Attributes:
        id: entry number, in the order of revocation.
        ticket_number: the ticket's number (credential id).
        serial: the revoked serial.
        reason: `transferred` (a transfer or resale replaced it; gates answer
            `transferred`) or another reason code (gates answer `revoked`).
        revoked_at: when.
        list_serial: the first published list carrying it; None until published.

    """

    __tablename__ = "ticket_revocation"
    __table_args__ = (UniqueConstraint("ticket_number", "serial"),)

    id: Mapped[int] = column(_SYS, Integer, primary_key=True, autoincrement=True)
    ticket_number: Mapped[int] = column(_C, Integer, index=True)
    serial: Mapped[int] = column(_C, Integer)
    reason: Mapped[str] = column(_C, String(40))
    revoked_at: Mapped[datetime] = column(_C, UtcDateTime())
    list_serial: Mapped[int | None] = column(_SYS, Integer, index=True)


class TicketRevocationList(GamesBase):
    """One published ticket revocation list (its serial number, time and size)."""

    __tablename__ = "ticket_revocation_list"

    serial: Mapped[int] = column(_SYS, Integer, primary_key=True, autoincrement=False)
    published_at: Mapped[datetime] = column(_SYS, UtcDateTime())
    entries: Mapped[int] = column(_SYS, Integer)


class TicketTransfer(GamesBase):
    """A change of holder: `transfer` (a gift) or `resale` (an exchange on the resale)."""

    __tablename__ = "ticket_transfer"

    id: Mapped[int] = column(_SYS, Integer, primary_key=True, autoincrement=True)
    ticket_id: Mapped[str] = column(_SYS, ForeignKey("ticket.id"), index=True)
    kind: Mapped[str] = column(_C, String(12))
    from_account_id: Mapped[str] = column(_PSEUDO, ForeignKey("fan_account.id"), index=True)
    to_account_id: Mapped[str] = column(_PSEUDO, ForeignKey("fan_account.id"), index=True)
    from_serial: Mapped[int] = column(_C, Integer)
    to_serial: Mapped[int] = column(_C, Integer)
    at: Mapped[datetime] = column(_SYS, UtcDateTime())


class ResaleListing(GamesBase):
    """A ticket offered on the official resale, at face value.

    Attributes:
        id: `lst_` + 16 hex.
        ticket_id: the ticket offered.
        seller_account_id: the holder who listed it.
        serial: the ticket's serial when listed (the sale re-issues from it).
        price_cents: face value, euro cents (what the seller's ticket cost).
        seller_fee_cents: the fee kept from the seller.
        buyer_fee_cents: the fee added for the buyer.
        status: a `ListingStatus` value.
        listed_at: when it was listed.
        closed_at: when it was sold or withdrawn.

    """

    __tablename__ = "ticket_resale_listing"

    id: Mapped[str] = column(_SYS, String(20), primary_key=True)
    ticket_id: Mapped[str] = column(_SYS, ForeignKey("ticket.id"), index=True)
    seller_account_id: Mapped[str] = column(_PSEUDO, ForeignKey("fan_account.id"), index=True)
    session_code: Mapped[str] = column(_C, String(12), index=True)
    serial: Mapped[int] = column(_C, Integer)
    price_cents: Mapped[int] = column(_C, Integer)
    seller_fee_cents: Mapped[int] = column(_C, Integer)
    buyer_fee_cents: Mapped[int] = column(_C, Integer)
    status: Mapped[str] = column(_C, String(12), index=True)
    listed_at: Mapped[datetime] = column(_SYS, UtcDateTime())
    closed_at: Mapped[datetime | None] = column(_SYS, UtcDateTime())


class ResaleTrade(GamesBase):
    """The exchange of a listing: the buyer's payment and the seller's credit.

    Attributes:
        listing_id: the listing sold (unique: a listing sells once).
        buyer_account_id: the buyer.
        order_id: the buyer's order (status paid) carrying the payment.
        payment_id: the buyer's captured payment.
        buyer_paid_cents: price plus buyer fee.
        seller_credit_cents: price minus seller fee, owed to the seller.
        at: when the exchange happened.

    """

    __tablename__ = "ticket_resale_trade"

    id: Mapped[int] = column(_SYS, Integer, primary_key=True, autoincrement=True)
    listing_id: Mapped[str] = column(_SYS, ForeignKey("ticket_resale_listing.id"), unique=True)
    buyer_account_id: Mapped[str] = column(_PSEUDO, ForeignKey("fan_account.id"), index=True)
    order_id: Mapped[str] = column(_SYS, ForeignKey("ticket_order.id"))
    payment_id: Mapped[str] = column(_SYS, ForeignKey("ticket_payment.id"))
    buyer_paid_cents: Mapped[int] = column(_C, Integer)
    seller_credit_cents: Mapped[int] = column(_C, Integer)
    at: Mapped[datetime] = column(_SYS, UtcDateTime())
