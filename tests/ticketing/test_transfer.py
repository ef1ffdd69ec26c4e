"""Transfer to another fan account: re-issued with a new serial, the old code refused."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from sqlalchemy import select

from podium.core.errors import InvalidInputError, NotFoundError
from podium.gates import rotating_code, screen_text
from podium.ticketing.models import FanPersonal
from podium.ticketing.models_tickets import TicketTransfer
from podium.ticketing.resale import list_ticket
from podium.ticketing.rotating import ticket_secret_of, ticket_view
from podium.ticketing.transfer import TransferRequest, transfer_ticket
from tests.ticketing.conftest import Shop
from tests.ticketing.ticket_support import Box, box_of


def _email(box: Box, account: str) -> str:
    with box.shop.planes.sovereign_session() as sovereign:
        row = sovereign.get_one(FanPersonal, account)
        email = box.shop.spine.cipher.open(account, "contact", "fan_personal.email", row.email)
    assert email is not None
    return email


def test_transfer_reissues_to_the_receiver_and_the_old_code_is_refused_transferred(
    shop: Shop,
) -> None:
    box = box_of(shop)
    giver, receiver = shop.fan("Ada Giver"), shop.fan("Zoé Receiver")
    old = box.buy(giver)[0]
    shop.clock.now = box.starts_at() - timedelta(hours=1)
    with box.desk() as desk:
        before = ticket_view(desk, old.ticket_id, account_id=giver)
        new = transfer_ticket(desk, TransferRequest(old.ticket_id, giver, _email(box, receiver)))
    assert (new.number, new.serial) == (old.number, 2)
    assert box.holders()[old.ticket_id] == receiver
    with box.desk() as desk:
        after = ticket_view(desk, old.ticket_id, account_id=receiver)
        with pytest.raises(NotFoundError):
            ticket_view(desk, old.ticket_id, account_id=giver)
        moves = list(desk.games.scalars(select(TicketTransfer)))
    assert [(m.from_account_id, m.to_account_id, m.kind) for m in moves] == [
        (giver, receiver, "transfer")
    ]
    assert after.holder_name == "Zoé Receiver"
    venue = after.venue_code or ""
    assert before.code.qr_text is not None
    assert after.code.qr_text is not None
    # The giver's screen, kept alive: fresh codes of the old serial are refused.
    secret = ticket_secret_of(box.office, old.credential)
    replay = screen_text(old.credential, rotating_code(old.credential, secret, shop.clock.now))
    assert box.scan(replay, shop.clock.now, venue).reason == "transferred"
    assert box.scan(after.code.qr_text, shop.clock.now, venue).reason == "admitted"


def test_transfer_respects_the_receivers_session_limit(shop: Shop) -> None:
    box = box_of(shop)
    giver, receiver = shop.fan("Ada Giver"), shop.fan("Full Receiver")
    ticket = box.buy(giver)[0]
    box.buy(receiver, 6)
    with pytest.raises(InvalidInputError) as refused, box.desk() as desk:
        transfer_ticket(desk, TransferRequest(ticket.ticket_id, giver, _email(box, receiver)))
    assert refused.value.code == "session_limit"
    assert box.holders()[ticket.ticket_id] == giver


def test_transfer_refusals_have_their_codes(shop: Shop) -> None:
    box = box_of(shop)
    giver, other = shop.fan("Ada Giver"), shop.fan("Bob Other")
    ticket = box.buy(giver)[0]
    cases = [
        (TransferRequest(ticket.ticket_id, giver, "nobody@example.org"), "receiver_not_found"),
        (TransferRequest(ticket.ticket_id, giver, _email(box, giver)), "transfer_to_self"),
        (TransferRequest(ticket.ticket_id, other, _email(box, giver)), "ticket_not_found"),
    ]
    for request, code in cases:
        with pytest.raises((InvalidInputError, NotFoundError)) as refused, box.desk() as desk:
            transfer_ticket(desk, request)
        assert refused.value.code == code
    with box.desk() as desk:
        list_ticket(desk, ticket.ticket_id, giver)
    with pytest.raises(InvalidInputError) as listed, box.desk() as desk:
        transfer_ticket(desk, TransferRequest(ticket.ticket_id, giver, _email(box, other)))
    assert listed.value.code == "ticket_listed"
    assert box.holders()[ticket.ticket_id] == giver


def test_concurrent_transfers_to_one_receiver_never_pass_its_session_limit(shop: Shop) -> None:
    box = box_of(shop)
    receiver = shop.fan("Near Full")
    box.buy(receiver, 4)
    givers = [shop.fan(f"Giver {n}") for n in range(4)]
    tickets = {g: box.buy(g)[0].ticket_id for g in givers}
    email = _email(box, receiver)
    start = threading.Barrier(len(givers))
    outcomes: dict[str, str] = {}

    def give(giver: str) -> None:
        start.wait()
        try:
            with box.desk() as desk:
                transfer_ticket(desk, TransferRequest(tickets[giver], giver, email))
            outcomes[giver] = "given"
        except InvalidInputError as refused:
            outcomes[giver] = refused.code

    threads = [threading.Thread(target=give, args=(g,)) for g in givers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes.values()) == ["given", "given", "session_limit", "session_limit"]
    held = box.holders()
    assert sum(1 for a in held.values() if a == receiver) == 6
    assert all(held[t] == g for g, t in tickets.items() if outcomes[g] == "session_limit")
