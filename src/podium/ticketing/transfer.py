"""Transfer of a ticket to another fan account, found by e-mail address.

The receiver is found through the blind index of the e-mail address
(`podium.ticketing.accounts.email_index`): the games plane never sees the address. In one
games-plane transaction the receiver's account row is locked (`lock_account`, so two
transfers to one account are counted one after the other), the receiver's limits are
checked (30 tickets per account, 6 per session by default, Paris 2024's rules), and the
ticket is re-issued to the receiver with a new serial while the old serial is revoked
with reason `transferred` (`podium.ticketing.tickets.hand_over`): a code scanned from the
previous holder's screen is refused `transferred` by the gates.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from podium.core.errors import InvalidInputError
from podium.ticketing.accounts import email_index
from podium.ticketing.errors import TicketingNotFoundError
from podium.ticketing.models import FanPersonal, Ticket, TicketStatus
from podium.ticketing.rules import check_limits
from podium.ticketing.sale import account_tickets, lock_account
from podium.ticketing.tickets import (
    Handover,
    IssuedTicket,
    TicketDesk,
    TicketStateError,
    hand_over,
    open_listing_of,
)

__all__ = [
    "TransferRequest",
    "check_receiver_limits",
    "find_account_by_email",
    "held_ticket",
    "transfer_ticket",
]


@dataclass(frozen=True, slots=True)
class TransferRequest:
    """A holder's request to give a ticket to another fan.

    Attributes:
        ticket_id: the ticket.
        from_account: the holder asking.
        to_email: the receiver's e-mail address (their Podium fan account).
        holder_name: the name of who will attend; the receiver's own name when None.

    """

    ticket_id: str
    from_account: str
    to_email: str
    holder_name: str | None = None


def find_account_by_email(desk: TicketDesk, email: str) -> str:
    """Return the fan account id of an e-mail address (blind-index lookup).

    Raises:
        TicketingNotFoundError: `receiver_not_found`, no account uses this address.
    """
    index = email_index(desk.office.spine.pseudonym_key, email)
    account = desk.sovereign.scalar(
        select(FanPersonal.account_id).where(FanPersonal.email_index == index)
    )
    if account is None:
        raise TicketingNotFoundError(
            "to_email: no fan account uses this address", code="receiver_not_found"
        )
    return str(account)


def check_receiver_limits(
    desk: TicketDesk, account_id: str, session_code: str, *, locked: bool = False
) -> None:
    """Lock the receiver's account and check one more ticket of a session fits its limits.

    Args:
        desk: both planes, the office (limits), the time.
        account_id: the receiver.
        session_code: the ticket's session.
        locked: the caller already locked the account (`lock_account`).

    Raises:
        TicketingNotFoundError: `account_not_found` (closed or unknown account).
        LimitExceededError: `account_limit`, `session_limit`.
    """
    if not locked:
        lock_account(desk.games, account_id)
    held = account_tickets(desk.games, account_id, desk.now)
    check_limits(desk.office.policy.rules, sum(held.values()), held.get(session_code, 0), wanted=1)


def held_ticket(desk: TicketDesk, ticket_id: str, account_id: str) -> Ticket:
    """Return a valid ticket the account holds.

    Raises:
        TicketingNotFoundError: `ticket_not_found` (also another account's ticket).
        TicketStateError: `ticket_state` (not valid or never issued).
    """
    ticket = desk.games.get(Ticket, ticket_id)
    if ticket is None or ticket.holder_account_id != account_id:
        raise TicketingNotFoundError(f"no ticket {ticket_id}", code="ticket_not_found")
    if ticket.status != TicketStatus.VALID.value or ticket.credential_serial == 0:
        raise TicketStateError(f"ticket {ticket_id} is {ticket.status} or not issued yet")
    return ticket


def transfer_ticket(desk: TicketDesk, request: TransferRequest) -> IssuedTicket:
    """Give a ticket to another fan account: re-issue to them, revoke the old serial.

    Args:
        desk: both planes (the caller commits, `ticket_desk`), the office, the time.
        request: ticket, holder, receiver's e-mail address, optional attendee's name.

    Returns:
        The ticket's new credential (new serial), now the receiver's.

    Raises:
        TicketingNotFoundError: `ticket_not_found`, `receiver_not_found`,
            `account_not_found`.
        InvalidInputError: `transfer_to_self`.
        TicketStateError: `ticket_state`, `ticket_listed` (withdraw the resale listing
            first), `ticket_changed` (another step moved it meanwhile).
        LimitExceededError: `account_limit`, `session_limit` of the receiver.
    """
    receiver = find_account_by_email(desk, request.to_email)
    if receiver == request.from_account:
        raise InvalidInputError("to_email: that is your own account", code="transfer_to_self")
    # A write starts the transaction (see sale.py): the receiver's row is locked first.
    lock_account(desk.games, receiver)
    ticket = held_ticket(desk, request.ticket_id, request.from_account)
    check_receiver_limits(desk, receiver, ticket.session_code, locked=True)
    if open_listing_of(desk.games, ticket.id) is not None:
        raise TicketStateError(
            f"ticket {ticket.id} is listed on the resale: withdraw it first", code="ticket_listed"
        )
    return hand_over(
        desk,
        Handover(
            ticket.id,
            request.from_account,
            ticket.credential_serial,
            receiver,
            "transfer",
            request.holder_name,
        ),
    )
