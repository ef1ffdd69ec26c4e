"""Ticket credentials: issuing nominative tickets, re-issuing, handing over, revoking.

A paid order's ticket rows (`podium.ticketing.service.create_ticket_rows`, status
`valid`, serial 0) get their credential here: `issue_tickets` gives each ticket a
32-bit number (`TicketNumber`, the credential id), signs serial 1 with the ticketing
issuer keyring (Ed25519, `podium.gates` ticket kind, a key folder apart from
accreditation's: `<key folder>/tickets/`) and seals the holder's name in the sovereign
plane (`TicketHolder`, under the holding account's id). The credential carries no
personal data: session, venue, area, seat, the code key generation and an 8-byte
opaque holder reference (HMAC of the account id under the pseudonymisation key).

A ticket row is the place; it keeps its id and number when it changes hands. A re-issue
or a change of holder (`hand_over`, used by transfer and resale) signs the next serial
and revokes the previous one in the same transaction (`TicketRevocation`, reason
`transferred` for a change of holder, so a gate answers `transferred`; `reissued`
otherwise, answered `revoked`). The change of holder is one conditional UPDATE on the
ticket row (`WHERE holder = seller AND serial = n AND status = valid`): of two racing
changes, exactly one changes a row, so a ticket is never held by two accounts or by none.

Who calls: the payment faces (API, pages, webhook) call `issue_tickets` on a settled
order, after or inside T1's settlement transaction; it is idempotent (tickets already
signed are left as they are). `ticket_view` (`podium.ticketing.rotating`) also signs a
ticket that was never signed, so no paid ticket stays without a credential.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import insert, select, update
from sqlalchemy.engine import CursorResult
from sqlalchemy.orm import Session

from podium.core.categories import DataCategory
from podium.core.clock import Clock, system_clock
from podium.core.db import Planes
from podium.core.errors import InvalidInputError
from podium.gates import (
    TRANSFERRED,
    Credential,
    IssuerKeyring,
    RevocationEntry,
    TicketBody,
    TicketCodeKeys,
    open_issuer_keyring,
    open_ticket_code_keys,
    sign,
)
from podium.privacy.audit import AuditEntry
from podium.privacy.spine import Spine
from podium.ticketing.errors import TicketingNotFoundError
from podium.ticketing.models import (
    FanPersonal,
    OrderLine,
    Ticket,
    TicketedSession,
    TicketHolder,
    TicketStatus,
)
from podium.ticketing.models_tickets import (
    ListingStatus,
    ResaleListing,
    TicketIssue,
    TicketNumber,
    TicketRevocation,
    TicketTransfer,
)
from podium.ticketing.rules import DEFAULT_RULES, TicketingRules

__all__ = [
    "HOLDER_FIELD",
    "TICKET_KEYRING_FOLDER",
    "Handover",
    "IssuedTicket",
    "TicketDesk",
    "TicketOffice",
    "TicketPolicy",
    "TicketStateError",
    "hand_over",
    "holder_reference",
    "issue_tickets",
    "open_listing_of",
    "open_ticket_office",
    "reissue_ticket",
    "revoke_tickets",
    "ticket_desk",
    "ticket_number",
    "ticket_revocation_entries",
]

TICKET_KEYRING_FOLDER = "tickets"
"""The ticketing issuer keyring's folder inside the node's key folder."""
HOLDER_FIELD = "ticket_holder.holder_name"
"""The field name a holder's name is sealed under (subject: the holding account)."""
_HOLDER_CONTEXT = b"podium.ticket-holder.v1|"


class TicketStateError(InvalidInputError):
    """A ticket step its state forbids (`ticket_state`, `ticket_listed`, `ticket_changed`)."""

    code = "ticket_state"


@dataclass(frozen=True, slots=True)
class TicketPolicy:
    """The configurable rules of tickets, transfers and resale (defaults: Paris 2024's).

    Attributes:
        code_window: the rotating code shows from this long before the session starts
            (Paris 2024: the QR code appeared in the app hours before the session).
        admit_before: the credential is valid from this long before the session starts.
        admit_after: ... until this long after it starts.
        seller_fee_bp: resale fee kept from the seller, basis points (500 = 5 %).
        buyer_fee_bp: resale fee added for the buyer, basis points (1000 = 10 %).
        rules: the account limits a receiver or buyer must respect (30 / 6).

    """

    code_window: timedelta = timedelta(hours=3)
    admit_before: timedelta = timedelta(hours=4)
    admit_after: timedelta = timedelta(hours=12)
    seller_fee_bp: int = 500
    buyer_fee_bp: int = 1000
    rules: TicketingRules = field(default=DEFAULT_RULES)


@dataclass(frozen=True)
class TicketOffice:
    """The long-lived services of ticket issuing: privacy, keys, policy, clock.

    Attributes:
        spine: the node's privacy services (cipher, pseudonymisation key, audit).
        keyring: the ticketing issuer keyring (Ed25519).
        code_keys: the ticket code keys of the rotating codes (`podium.gates`).
        policy: windows, fees and limits.
        clock: the injected clock.

    """

    spine: Spine
    keyring: IssuerKeyring
    code_keys: TicketCodeKeys
    policy: TicketPolicy = field(default_factory=TicketPolicy)
    clock: Clock = system_clock


@dataclass(frozen=True)
class TicketDesk:
    """One step's handles: both planes' sessions (the caller commits), the office, the time."""

    games: Session
    sovereign: Session
    office: TicketOffice
    now: datetime


def open_ticket_office(
    spine: Spine, *, policy: TicketPolicy | None = None, clock: Clock = system_clock
) -> TicketOffice:
    """Open the ticket office of a node: its issuer keyring and code keys (made on first use).

    Args:
        spine: the node's privacy services; `spine.key_dir` is the key folder.
        policy: windows, fees and limits (Paris 2024's by default).
        clock: the clock of every step.

    Raises:
        KeyringError: a keyring is corrupt or readable by others.
    """
    return TicketOffice(
        spine=spine,
        keyring=open_issuer_keyring(spine.key_dir / TICKET_KEYRING_FOLDER, clock),
        code_keys=open_ticket_code_keys(spine.key_dir),
        policy=policy or TicketPolicy(),
        clock=clock,
    )


@contextmanager
def ticket_desk(planes: Planes, office: TicketOffice) -> Iterator[TicketDesk]:
    """Open both planes in one step; the sovereign plane commits first, then the games plane.

    The games plane holds the truth (who holds which serial); a holder's name whose
    account no longer matches the ticket's is never shown (`podium.ticketing.rotating`).
    """
    with planes.games_session() as games, planes.sovereign_session() as sovereign:
        yield TicketDesk(games, sovereign, office, office.clock())


@dataclass(frozen=True, slots=True)
class IssuedTicket:
    """A ticket with its signed credential."""

    ticket_id: str
    number: int
    serial: int
    credential: str


def holder_reference(key: bytes, account_id: str) -> bytes:
    """Return the 8-byte opaque holder reference a credential carries (no personal data)."""
    return hmac.digest(key, _HOLDER_CONTEXT + account_id.encode(), hashlib.sha256)[:8]


def ticket_number(games: Session, ticket_id: str) -> int:
    """Return a ticket's number (its credential id), giving it one on first use."""
    number = games.scalar(select(TicketNumber.number).where(TicketNumber.ticket_id == ticket_id))
    if number is None:
        row = TicketNumber(ticket_id=ticket_id)
        games.add(row)
        games.flush()
        number = row.number
    return int(number)


def _credential(desk: TicketDesk, ticket: Ticket, number: int, serial: int, account: str) -> str:
    ticketed = desk.games.get(TicketedSession, ticket.session_code)
    if ticketed is None or not ticketed.venue_code:
        raise TicketingNotFoundError(
            f"session {ticket.session_code} is not ticketed at a venue",
            code="session_not_ticketed",
        )
    policy, codes = desk.office.policy, desk.office.code_keys
    start = ticketed.starts_at.replace(microsecond=0)
    body = TicketBody(
        session=ticket.session_code,
        venue=ticketed.venue_code,
        code_key=codes.active,
        holder=holder_reference(desk.office.spine.pseudonym_key, account),
        area=ticket.area_code,
        seat=ticket.seat,
    )
    credential = Credential(
        number, serial, start - policy.admit_before, start + policy.admit_after, body
    )
    return sign(credential, desk.office.keyring.active).text


def _record_issue(desk: TicketDesk, ticket_id: str, serial: int, account: str, why: str) -> None:
    desk.games.add(
        TicketIssue(
            ticket_id=ticket_id, serial=serial, account_id=account, reason=why, issued_at=desk.now
        )
    )


def _account_name(desk: TicketDesk, account: str) -> str | None:
    row = desk.sovereign.get(FanPersonal, account)
    if row is None:
        return None
    return desk.office.spine.cipher.open_or_none(
        account, DataCategory.IDENTITY.value, "fan_personal.full_name", row.full_name
    )


def _set_holder(desk: TicketDesk, ticket_id: str, account: str, name: str | None) -> None:
    """Seal the holder's name under the holding account (the fan's name by default)."""
    name = (name or "").strip() or _account_name(desk, account)
    sealed = (
        desk.office.spine.cipher.seal(account, DataCategory.IDENTITY.value, HOLDER_FIELD, name)
        if name
        else None
    )
    row = desk.sovereign.get(TicketHolder, ticket_id)
    if row is None:
        desk.sovereign.add(
            TicketHolder(
                ticket_id=ticket_id, account_id=account, holder_name=sealed, updated_at=desk.now
            )
        )
    else:
        row.account_id, row.holder_name, row.updated_at = account, sealed, desk.now
    desk.sovereign.flush()
    desk.office.spine.audit.append(
        desk.sovereign,
        [
            AuditEntry(
                operator=account,
                action="ticketing.holder.write",
                subject=account,
                fields=("holder_name",),
                purpose="ticketing",
                decision="write",
                reason=ticket_id,
            )
        ],
        at=desk.now,
    )


def issue_tickets(
    desk: TicketDesk, order_id: str, holders: Mapping[str, str] | None = None
) -> tuple[IssuedTicket, ...]:
    """Sign serial 1 of every unsigned ticket of a paid order and record its holder.

    Idempotent: tickets already signed are returned as they are.

    Args:
        desk: both planes (the caller commits), the office, the time.
        order_id: the paid order (`PaymentResult.order_id`).
        holders: ticket id -> the name of the person who will attend (nominative
            tickets); a ticket not named takes the buying fan's own name.

    Returns:
        Every valid ticket of the order with its credential, in ticket id order.

    Raises:
        TicketingNotFoundError: `session_not_ticketed` (a session without a venue).
    """
    tickets = desk.games.scalars(
        select(Ticket)
        .join(OrderLine, OrderLine.id == Ticket.order_line_id)
        .where(OrderLine.order_id == order_id, Ticket.status == TicketStatus.VALID.value)
        .order_by(Ticket.id)
    ).all()
    issued = []
    for ticket in tickets:
        number = ticket_number(desk.games, ticket.id)
        if ticket.credential_serial == 0 or ticket.credential is None:
            text = _credential(desk, ticket, number, 1, ticket.holder_account_id)
            ticket.credential_serial, ticket.credential = 1, text
            _record_issue(desk, ticket.id, 1, ticket.holder_account_id, "sale")
            _set_holder(desk, ticket.id, ticket.holder_account_id, (holders or {}).get(ticket.id))
        issued.append(IssuedTicket(ticket.id, number, ticket.credential_serial, ticket.credential))
    desk.games.flush()
    return tuple(issued)


def _revoke(games: Session, number: int, serial: int, reason: str, at: datetime) -> None:
    games.execute(
        insert(TicketRevocation),
        [{"ticket_number": number, "serial": serial, "reason": reason, "revoked_at": at}],
    )


@dataclass(frozen=True, slots=True)
class Handover:
    """A change of holder: which ticket, from whom, at which serial, to whom, why."""

    ticket_id: str
    from_account: str
    serial: int
    to_account: str
    kind: str
    holder_name: str | None = None


def _changed(games: Session, statement: Any) -> bool:
    return cast("CursorResult[Any]", games.execute(statement)).rowcount == 1


def hand_over(desk: TicketDesk, handover: Handover) -> IssuedTicket:
    """Re-issue a ticket to a new holder and revoke its previous serial (`transferred`).

    The caller has checked the receiver's limits. One conditional UPDATE moves the
    ticket; when another step moved it first, nothing is written.

    Raises:
        TicketStateError: `ticket_changed`, the ticket is no longer valid, held by
            `from_account`, at `serial`.
    """
    ticket = desk.games.get(Ticket, handover.ticket_id)
    if ticket is None:
        raise TicketingNotFoundError(f"no ticket {handover.ticket_id}", code="ticket_not_found")
    number = ticket_number(desk.games, ticket.id)
    new_serial = handover.serial + 1
    text = _credential(desk, ticket, number, new_serial, handover.to_account)
    moved = _changed(
        desk.games,
        update(Ticket)
        .where(
            Ticket.id == ticket.id,
            Ticket.holder_account_id == handover.from_account,
            Ticket.credential_serial == handover.serial,
            Ticket.status == TicketStatus.VALID.value,
        )
        .values(
            holder_account_id=handover.to_account, credential_serial=new_serial, credential=text
        )
        .execution_options(synchronize_session=False),
    )
    if not moved:
        raise TicketStateError(
            f"ticket {ticket.id} changed meanwhile: not held at serial {handover.serial}",
            code="ticket_changed",
        )
    _revoke(desk.games, number, handover.serial, TRANSFERRED, desk.now)
    _record_issue(desk, ticket.id, new_serial, handover.to_account, handover.kind)
    desk.games.add(
        TicketTransfer(
            ticket_id=ticket.id,
            kind=handover.kind,
            from_account_id=handover.from_account,
            to_account_id=handover.to_account,
            from_serial=handover.serial,
            to_serial=new_serial,
            at=desk.now,
        )
    )
    desk.games.flush()
    desk.games.refresh(ticket)
    _set_holder(desk, ticket.id, handover.to_account, handover.holder_name)
    return IssuedTicket(ticket.id, number, new_serial, text)


def reissue_ticket(desk: TicketDesk, ticket_id: str, account_id: str | None) -> IssuedTicket:
    """Sign the next serial of a ticket for the same holder and revoke the old one.

    For a fan whose credential leaked (a shared screenshot, a lost phone): the old
    serial is revoked with reason `reissued` (gates answer `revoked`).

    Args:
        desk: both planes, the office, the time.
        ticket_id: the ticket.
        account_id: the holder asking, or None for ticketing staff.

    Raises:
        TicketingNotFoundError: `ticket_not_found` (also another account's ticket).
        TicketStateError: `ticket_state` (not valid), `ticket_changed` (raced).
    """
    ticket = desk.games.get(Ticket, ticket_id)
    if ticket is None or (account_id is not None and ticket.holder_account_id != account_id):
        raise TicketingNotFoundError(f"no ticket {ticket_id}", code="ticket_not_found")
    if ticket.status != TicketStatus.VALID.value or ticket.credential_serial == 0:
        raise TicketStateError(f"ticket {ticket_id} is {ticket.status} or was never issued")
    number, serial = ticket_number(desk.games, ticket_id), ticket.credential_serial
    text = _credential(desk, ticket, number, serial + 1, ticket.holder_account_id)
    if not _changed(
        desk.games,
        update(Ticket)
        .where(Ticket.id == ticket_id, Ticket.credential_serial == serial)
        .values(credential_serial=serial + 1, credential=text)
        .execution_options(synchronize_session=False),
    ):
        raise TicketStateError(f"ticket {ticket_id} changed meanwhile", code="ticket_changed")
    _revoke(desk.games, number, serial, "reissued", desk.now)
    _record_issue(desk, ticket_id, serial + 1, ticket.holder_account_id, "reissue")
    desk.games.flush()
    desk.games.refresh(ticket)
    return IssuedTicket(ticket_id, number, serial + 1, text)


def revoke_tickets(games: Session, ticket_ids: list[str], reason: str, at: datetime) -> int:
    """Revoke the current serial of tickets (a refund, a cancellation); return how many.

    Tickets never signed (serial 0) have nothing to revoke. `refund_order` of
    `podium.ticketing.service` should call it with reason `refunded`.
    """
    rows = games.execute(
        select(TicketNumber.number, Ticket.credential_serial)
        .join(Ticket, Ticket.id == TicketNumber.ticket_id)
        .where(Ticket.id.in_(ticket_ids), Ticket.credential_serial > 0)
    ).all()
    for number, serial in rows:
        _revoke(games, int(number), int(serial), reason, at)
    return len(rows)


def open_listing_of(games: Session, ticket_id: str) -> str | None:
    """Return the id of a ticket's open resale listing, or None."""
    return games.scalar(
        select(ResaleListing.id).where(
            ResaleListing.ticket_id == ticket_id, ResaleListing.status == ListingStatus.OPEN.value
        )
    )


def ticket_revocation_entries(games: Session, after: int = 0) -> tuple[RevocationEntry, ...]:
    """Return the ticket revocation list's entries published after list `after` (0: all).

    Unpublished entries (`list_serial` None) are included when `after` is 0, so an online
    gate and a fresh device package see every revocation made so far.
    """
    query = select(TicketRevocation).order_by(TicketRevocation.id)
    if after:
        query = query.where(TicketRevocation.list_serial > after)
    return tuple(
        RevocationEntry(r.ticket_number, r.serial, r.reason, r.revoked_at.replace(microsecond=0))
        for r in games.scalars(query)
    )
