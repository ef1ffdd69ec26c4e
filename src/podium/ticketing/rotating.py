"""The ticket page and wallet: what a ticket shows, and when its rotating code appears.

The rotating code (`podium.gates.codes`: RFC 6238, 15-second step, six digits) shows only
from `TicketPolicy.code_window` before the session (3 hours by default, as Paris 2024's
app showed the QR code only hours before the session); before that the wallet shows the
ticket without anything to scan (`not_yet`). Inside the window the page receives the
static signed text, the current code, the text the QR code holds (`code*ticket`), the
seconds until the code changes, and the ticket's own code secret (base32, RFC 4648) so
the app can keep computing codes offline. A listed ticket (on resale) and a ticket no
longer valid show no code.

Holder's name: the fan sees their own ticket's holder name; a member of staff reads it
through the privacy policy (`podium.privacy.access.read_fields`, audited
`ticketing.holder.read`). A holder row left behind by a change of holder whose sovereign
write did not land is never shown: the name is shown only when the holder row's account is
the ticket's current holder.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from podium.core.categories import DataCategory
from podium.games import Venue
from podium.gates import (
    CODE_STEP,
    decode,
    from_text,
    rotating_code,
    screen_text,
    ticket_secret,
)
from podium.privacy.access import SealedField, read_fields
from podium.privacy.operators import Principal
from podium.ticketing.errors import TicketingNotFoundError
from podium.ticketing.models import (
    InventoryRow,
    OrderLine,
    Ticket,
    TicketedSession,
    TicketHolder,
    TicketStatus,
)
from podium.ticketing.tickets import (
    HOLDER_FIELD,
    TicketDesk,
    TicketOffice,
    issue_tickets,
    open_listing_of,
    ticket_number,
)

__all__ = ["CodeState", "TicketView", "code_state", "ticket_secret_of", "ticket_view", "wallet"]


@dataclass(frozen=True, slots=True)
class CodeState:
    """What the ticket's screen shows at one instant.

    Attributes:
        state: `not_yet` (before the window), `live`, `listed` (on resale), `ended`
            (after the credential's validity), `void` (not valid: refunded, cancelled).
        shows_from: when the code starts showing.
        ticket_text: the static signed text (`live` only).
        code: the current six-digit code (`live` only).
        qr_text: what the QR code holds, `code*ticket` (`live` only).
        seconds_left: seconds until the code changes, 1 to 15 (`live` only).
        secret: the ticket's code secret, base32 (`live` only; the app's own codes).

    """

    state: str
    shows_from: datetime
    ticket_text: str | None = None
    code: str | None = None
    qr_text: str | None = None
    seconds_left: int | None = None
    secret: str | None = None


def ticket_secret_of(office: TicketOffice, credential_text: str) -> bytes:
    """Return a ticket's rotating-code secret from its signed text and the code keys."""
    credential = decode(from_text(credential_text)).credential
    return ticket_secret(office.code_keys[credential.body.code_key], credential)


def code_state(
    office: TicketOffice, ticket: Ticket, starts_at: datetime, now: datetime, *, listed: bool
) -> CodeState:
    """Decide what a ticket's screen shows at `now` (see the module docstring).

    Args:
        office: the ticket office (code keys, window).
        ticket: the ticket, with its credential.
        starts_at: the session's start.
        now: the time (injected clock).
        listed: whether the ticket is listed on the resale.
    """
    shows_from = starts_at - office.policy.code_window
    if ticket.status != TicketStatus.VALID.value or ticket.credential is None:
        return CodeState("void", shows_from)
    if listed:
        return CodeState("listed", shows_from)
    if now < shows_from:
        return CodeState("not_yet", shows_from)
    credential = decode(from_text(ticket.credential)).credential
    if now > credential.valid_until:
        return CodeState("ended", shows_from)
    secret = ticket_secret_of(office, ticket.credential)
    code = rotating_code(ticket.credential, secret, now)
    return CodeState(
        "live",
        shows_from,
        ticket.credential,
        code,
        screen_text(ticket.credential, code),
        CODE_STEP - int(now.timestamp()) % CODE_STEP,
        base64.b32encode(secret).decode("ascii"),
    )


@dataclass(frozen=True, slots=True)
class TicketView:
    """The data of a ticket page (fan or staff)."""

    ticket_id: str
    number: int
    serial: int
    session_code: str
    starts_at: datetime
    venue_code: str | None
    venue_name: str | None
    area_code: str
    area_name: str
    seat: str
    kind: str
    price_cents: int
    status: str
    holder_name: str | None
    listing_id: str | None
    code: CodeState


def _holder_name(desk: TicketDesk, ticket: Ticket, principal: Principal | None) -> str | None:
    row = desk.sovereign.get(TicketHolder, ticket.id)
    if row is None or row.account_id != ticket.holder_account_id:
        return None
    if principal is None:
        return desk.office.spine.cipher.open_or_none(
            row.account_id, DataCategory.IDENTITY.value, HOLDER_FIELD, row.holder_name
        )
    values = read_fields(
        desk.office.spine,
        desk.sovereign,
        principal,
        action="ticketing.holder.read",
        subject=row.account_id,
        fields={HOLDER_FIELD: SealedField(DataCategory.IDENTITY, row.holder_name)},
    )
    return values[HOLDER_FIELD].value


def _view(desk: TicketDesk, ticket: Ticket, principal: Principal | None) -> TicketView:
    unsigned = ticket.credential is None and ticket.status == TicketStatus.VALID.value
    if unsigned and ticket.order_line_id is not None:
        line = desk.games.get(OrderLine, ticket.order_line_id)
        if line is not None:
            issue_tickets(desk, line.order_id)
            desk.games.refresh(ticket)
    ticketed = desk.games.get(TicketedSession, ticket.session_code)
    if ticketed is None:
        raise TicketingNotFoundError(
            f"session {ticket.session_code} is not ticketed", code="session_not_ticketed"
        )
    venue = desk.games.get(Venue, ticketed.venue_code) if ticketed.venue_code else None
    area = desk.games.get(InventoryRow, ticket.inventory_id)
    listing = open_listing_of(desk.games, ticket.id)
    return TicketView(
        ticket_id=ticket.id,
        number=ticket_number(desk.games, ticket.id),
        serial=ticket.credential_serial,
        session_code=ticket.session_code,
        starts_at=ticketed.starts_at,
        venue_code=ticketed.venue_code,
        venue_name=venue.name if venue else None,
        area_code=ticket.area_code,
        area_name=area.area_name if area else ticket.area_code,
        seat=ticket.seat,
        kind=ticket.kind,
        price_cents=ticket.price_cents,
        status=ticket.status,
        holder_name=_holder_name(desk, ticket, principal),
        listing_id=listing,
        code=code_state(desk.office, ticket, ticketed.starts_at, desk.now, listed=bool(listing)),
    )


def ticket_view(
    desk: TicketDesk,
    ticket_id: str,
    *,
    account_id: str | None = None,
    principal: Principal | None = None,
) -> TicketView:
    """Return a ticket page's data, for its holder (`account_id`) or staff (`principal`).

    Raises:
        TicketingNotFoundError: `ticket_not_found`, also for another account's ticket
            (a fan never learns that someone else's ticket exists).
    """
    ticket = desk.games.get(Ticket, ticket_id)
    if ticket is None or (principal is None and ticket.holder_account_id != account_id):
        raise TicketingNotFoundError(f"no ticket {ticket_id}", code="ticket_not_found")
    return _view(desk, ticket, principal)


def wallet(desk: TicketDesk, account_id: str) -> list[TicketView]:
    """Return the valid tickets an account holds, by session start then seat."""
    tickets = desk.games.scalars(
        select(Ticket)
        .join(TicketedSession, TicketedSession.session_code == Ticket.session_code)
        .where(Ticket.holder_account_id == account_id, Ticket.status == TicketStatus.VALID.value)
        .order_by(TicketedSession.starts_at, Ticket.seat)
    ).all()
    return [_view(desk, ticket, None) for ticket in tickets]
