"""Resale at face value: fees in cents, the atomic exchange, concurrent buyers, invariants."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from podium.core.errors import PodiumError
from podium.ticketing.models import Payment, Ticket, TicketHolder
from podium.ticketing.models_tickets import (
    ListingStatus,
    ResaleListing,
    ResaleTrade,
    TicketIssue,
    TicketNumber,
    TicketRevocation,
)
from podium.ticketing.payments import LocalTestProvider
from podium.ticketing.resale import (
    ResaleError,
    buy_listing,
    list_ticket,
    open_listings,
    resale_fees,
    withdraw_listing,
)
from podium.ticketing.rotating import ticket_view
from podium.ticketing.tickets import TicketPolicy
from podium.ticketing.transfer import TransferRequest, transfer_ticket
from tests.ticketing.conftest import Shop
from tests.ticketing.ticket_support import Box, box_of


@pytest.mark.parametrize(
    ("price", "seller_fee", "buyer_fee"),
    [(8500, 425, 850), (2400, 120, 240), (1, 0, 0), (5, 0, 1), (10, 1, 1), (99_999, 5000, 10_000),
     (0, 0, 0), (1050, 53, 105)],
)  # fmt: skip
def test_resale_fees_are_exact_in_cents_rounded_half_up(
    price: int, seller_fee: int, buyer_fee: int
) -> None:
    fees = resale_fees(price, TicketPolicy())
    assert (fees.seller_fee_cents, fees.buyer_fee_cents) == (seller_fee, buyer_fee)
    assert fees.buyer_pays_cents == price + buyer_fee
    assert fees.seller_gets_cents == price - seller_fee


@given(st.integers(0, 10_000_000), st.integers(0, 10_000), st.integers(0, 10_000))
def test_resale_fees_never_lose_a_cent(price: int, seller_bp: int, buyer_bp: int) -> None:
    fees = resale_fees(price, TicketPolicy(seller_fee_bp=seller_bp, buyer_fee_bp=buyer_bp))
    assert abs(fees.seller_fee_cents * 10_000 - price * seller_bp) <= 5_000
    assert abs(fees.buyer_fee_cents * 10_000 - price * buyer_bp) <= 5_000
    assert fees.buyer_pays_cents - fees.seller_gets_cents == (
        fees.seller_fee_cents + fees.buyer_fee_cents
    )


def test_buying_a_listing_moves_the_ticket_pays_and_credits_the_seller(shop: Shop) -> None:
    box = box_of(shop)
    seller, buyer = shop.fan("Sam Seller"), shop.fan("Bea Buyer")
    ticket = box.buy(seller)[0]
    with box.desk() as desk:
        listing = list_ticket(desk, ticket.ticket_id, seller)
        assert [x.id for x in open_listings(desk)] == [listing.id]
        outcome = buy_listing(desk, listing.id, buyer, shop.provider)
    price = listing.price_cents
    assert outcome.buyer_paid_cents == price + round(price * 0.10)
    assert outcome.seller_credit_cents == price - round(price * 0.05)
    assert (outcome.ticket.number, outcome.ticket.serial) == (ticket.number, 2)
    assert box.holders()[ticket.ticket_id] == buyer
    with box.desk() as desk:
        assert desk.games.get_one(ResaleListing, listing.id).status == "sold"
        payment = desk.games.get_one(Payment, outcome.payment_id)
        assert (payment.status, payment.amount_cents) == ("approved", outcome.buyer_paid_cents)
        assert ticket_view(desk, ticket.ticket_id, account_id=buyer).holder_name == "Bea Buyer"
        revoked = desk.games.scalars(select(TicketRevocation.reason)).all()
    assert revoked == ["transferred"]


def test_declined_payment_leaves_the_listing_open_and_the_ticket_with_the_seller(
    shop: Shop,
) -> None:
    box = box_of(shop)
    seller, buyer = shop.fan("Sam Seller"), shop.fan("Bea Buyer")
    ticket = box.buy(seller)[0]
    with box.desk() as desk:
        listing = list_ticket(desk, ticket.ticket_id, seller)
    with pytest.raises(ResaleError) as declined, box.desk() as desk:
        buy_listing(desk, listing.id, buyer, LocalTestProvider("decline"))
    assert declined.value.code == "payment_declined"
    assert box.holders()[ticket.ticket_id] == seller
    with box.desk() as desk:
        assert desk.games.get_one(ResaleListing, listing.id).status == "open"
        assert desk.games.scalars(select(TicketRevocation)).all() == []
        withdraw_listing(desk, listing.id, seller)
    with pytest.raises(ResaleError) as closed, box.desk() as desk:
        buy_listing(desk, listing.id, buyer, shop.provider)
    assert closed.value.code == "listing_closed"


def test_concurrent_buyers_of_one_listing_exactly_one_wins(shop: Shop) -> None:
    box = box_of(shop)
    seller = shop.fan("Sam Seller")
    buyers = [shop.fan(f"Buyer {n}") for n in range(6)]
    ticket = box.buy(seller)[0]
    with box.desk() as desk:
        listing = list_ticket(desk, ticket.ticket_id, seller)
    start = threading.Barrier(len(buyers))
    outcomes: dict[str, str] = {}

    def attempt(buyer: str) -> None:
        start.wait()
        try:
            with box.desk() as desk:
                buy_listing(desk, listing.id, buyer, shop.provider)
            outcomes[buyer] = "won"
        except ResaleError as refused:
            outcomes[buyer] = refused.code

    threads = [threading.Thread(target=attempt, args=(b,)) for b in buyers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes.values()) == ["listing_closed"] * 5 + ["won"]
    winner = next(b for b, o in outcomes.items() if o == "won")
    assert box.holders()[ticket.ticket_id] == winner
    with box.desk() as desk:
        trades = desk.games.scalars(select(ResaleTrade)).all()
        paid = desk.games.scalars(select(Payment.order_id).where(Payment.provider == "local-test"))
    assert [t.buyer_account_id for t in trades] == [winner]
    assert trades[0].order_id in set(paid)


def _check_invariants(box: Box, tickets: list[str], accounts: set[str]) -> None:
    """Every ticket has exactly one holder; only its current serial is unrevoked."""
    with box.desk() as desk:
        for ticket in desk.games.scalars(select(Ticket).where(Ticket.id.in_(tickets))):
            assert ticket.holder_account_id in accounts
            number = desk.games.scalar(
                select(TicketNumber.number).where(TicketNumber.ticket_id == ticket.id)
            )
            revoked = set(
                desk.games.scalars(
                    select(TicketRevocation.serial).where(TicketRevocation.ticket_number == number)
                )
            )
            assert revoked == set(range(1, ticket.credential_serial))
            issue = desk.games.scalars(
                select(TicketIssue).where(
                    TicketIssue.ticket_id == ticket.id,
                    TicketIssue.serial == ticket.credential_serial,
                )
            ).one()
            assert issue.account_id == ticket.holder_account_id
            holder = desk.sovereign.get_one(TicketHolder, ticket.id)
            assert holder.account_id == ticket.holder_account_id
            listings = desk.games.scalars(
                select(ResaleListing).where(
                    ResaleListing.ticket_id == ticket.id,
                    ResaleListing.status == ListingStatus.OPEN.value,
                )
            ).all()
            assert len(listings) <= 1
            assert all(x.seller_account_id == ticket.holder_account_id for x in listings)


_STEP = st.tuples(
    st.sampled_from(["transfer", "list", "withdraw", "buy"]),
    st.integers(0, 1),
    st.integers(0, 2),
)


@settings(
    max_examples=6,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=st.lists(_STEP, min_size=1, max_size=8))
def test_random_transfers_and_resales_never_leave_a_ticket_with_two_holders_or_none(
    shop: Shop, steps: list[tuple[str, int, int]]
) -> None:
    from tests.ticketing.test_transfer import _email  # noqa: PLC0415

    box = box_of(shop)
    fans = [shop.fan(f"Fan {n}") for n in range(3)]
    tickets = [t.ticket_id for t in box.buy(fans[0], 2)]
    shop.clock.now += timedelta(seconds=1)
    for action, which, who in steps:
        ticket_id, fan = tickets[which], fans[who]
        holder = box.holders()[ticket_id]
        try:
            with box.desk() as desk:
                if action == "transfer":
                    transfer_ticket(desk, TransferRequest(ticket_id, holder, _email(box, fan)))
                elif action == "list":
                    list_ticket(desk, ticket_id, holder)
                else:
                    listing = desk.games.scalar(
                        select(ResaleListing.id).where(
                            ResaleListing.ticket_id == ticket_id,
                            ResaleListing.status == ListingStatus.OPEN.value,
                        )
                    )
                    if listing is not None and action == "withdraw":
                        withdraw_listing(desk, listing, holder)
                    elif listing is not None:
                        buy_listing(desk, listing, fan, shop.provider)
        except PodiumError:
            pass
        _check_invariants(box, tickets, set(fans))


def test_a_listed_ticket_shows_no_code_until_the_listing_is_withdrawn(shop: Shop) -> None:
    box = box_of(shop)
    seller = shop.fan("Sam Seller")
    ticket = box.buy(seller)[0]
    with box.desk() as desk:
        listing = list_ticket(desk, ticket.ticket_id, seller)
    shop.clock.now = box.starts_at() - timedelta(hours=1)
    with box.desk() as desk:
        listed = ticket_view(desk, ticket.ticket_id, account_id=seller)
        withdraw_listing(desk, listing.id, seller)
    assert (listed.code.state, listed.code.code, listed.listing_id) == ("listed", None, listing.id)
    with box.desk() as desk:
        assert ticket_view(desk, ticket.ticket_id, account_id=seller).code.state == "live"
    shop.clock.now = box.starts_at()
    with pytest.raises(ResaleError) as late, box.desk() as desk:
        list_ticket(desk, ticket.ticket_id, seller)
    assert late.value.code == "session_started"
