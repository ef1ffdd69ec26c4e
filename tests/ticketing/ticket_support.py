"""Helpers of the ticket, transfer and resale tests: a ticket office on T1's shop, a gate.

The gate state is the smallest `TicketGateState` over the games plane's ticket revocation
list (what a device package carries), so the tests ask the real `podium.gates.decide`.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select

from podium.gates import (
    Decision,
    Direction,
    RevocationIndex,
    RevocationList,
    Scan,
    decide,
    split_screen_text,
)
from podium.ticketing.models import Ticket, TicketedSession
from podium.ticketing.tickets import (
    IssuedTicket,
    TicketDesk,
    TicketOffice,
    issue_tickets,
    open_ticket_office,
    ticket_desk,
    ticket_revocation_entries,
)
from tests.ticketing.conftest import SESSION, Shop

__all__ = ["Box", "GateState", "box_of", "scan_at"]


@dataclass
class GateState:
    """Revocations from the database, the code keys, nobody inside yet."""

    revocations: RevocationIndex
    code_keys: dict[int, bytes]
    inside: set[int] = field(default_factory=set)

    def revocation(self, credential_id: int, card_serial: int) -> str | None:
        """Return the reason this ticket serial was revoked, or None."""
        entry = self.revocations.lookup(credential_id, card_serial)
        return None if entry is None else entry.reason

    ticket_revocation = revocation

    def is_suspended(self, credential_id: int) -> bool:  # noqa: ARG002
        """Nothing is suspended here."""
        return False

    def current_serial(self, credential_id: int) -> int | None:  # noqa: ARG002
        """Offline: unknown (replaced serials arrive as revocations)."""
        return None

    current_ticket_serial = current_serial

    def code_key(self, generation: int) -> bytes | None:
        """Return the ticket code key of a generation."""
        return self.code_keys.get(generation)

    def is_inside(self, credential_id: int) -> bool:
        """Return True when the ticket entered."""
        return credential_id in self.inside


@dataclass
class Box:
    """T1's shop with a ticket office on the shop's clock."""

    shop: Shop
    office: TicketOffice

    @contextmanager
    def desk(self) -> Iterator[TicketDesk]:
        """Both planes in one step at the clock's time (committed on success)."""
        with ticket_desk(self.shop.planes, self.office) as desk:
            yield desk

    def buy(self, account: str, quantity: int = 1, category: str = "B") -> list[IssuedTicket]:
        """Buy and pay `quantity` seats of the test session, and issue their tickets."""
        row = self.shop.row(category=category)
        order = self.shop.hold(account, (row.id, quantity))
        assert self.shop.pay(order.id, account).outcome == "approved"
        with self.desk() as desk:
            return list(issue_tickets(desk, order.id))

    def starts_at(self, session: str = SESSION) -> datetime:
        """Return the session's start."""
        with self.shop.planes.games_session() as games:
            return games.get_one(TicketedSession, session).starts_at

    def holders(self) -> dict[str, str]:
        """Return ticket id -> holding account of every ticket."""
        with self.shop.planes.games_session() as games:
            return dict(games.execute(select(Ticket.id, Ticket.holder_account_id)).all())

    def gate(self) -> GateState:
        """A gate's state from the revocation list as it stands."""
        with self.shop.planes.games_session() as games:
            entries = ticket_revocation_entries(games)
        at = self.shop.clock().replace(microsecond=0)
        index = RevocationIndex(RevocationList(1, at, entries))
        return GateState(index, dict(self.office.code_keys))

    def scan(self, qr_text: str, at: datetime, venue: str) -> Decision:
        """Scan what a wallet's QR code holds at the session's gate."""
        text, code = split_screen_text(qr_text)
        return decide(
            text, scan_at(at, venue, code), self.office.keyring.public_key_set(), self.gate()
        )


def scan_at(at: datetime, venue: str, code: str | None, session: str = SESSION) -> Scan:
    """An entry scan at a gate of `venue` admitting the test session."""
    return Scan(
        venue=venue,
        zone="",
        at=at,
        gate="G1",
        direction=Direction.ENTRY,
        sessions=frozenset({session}),
        rotating_code=code,
    )


def box_of(shop: Shop) -> Box:
    """Open a ticket office on the shop's node and clock."""
    return Box(shop, open_ticket_office(shop.spine, clock=shop.clock))
