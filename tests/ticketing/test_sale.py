"""Carts, orders, payments and refunds on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from podium.core.errors import InvalidInputError
from podium.ticketing import (
    LimitExceededError,
    OrderStateError,
    SoldOutError,
    Ticket,
    cancel_order,
    expire_holds,
    oversold_rows,
    payments_without_tickets,
    refund_order,
)
from tests.ticketing.conftest import Shop


def _tickets(shop: Shop, account: str) -> list[Ticket]:
    with shop.planes.games_session() as games:
        return list(games.scalars(select(Ticket).where(Ticket.holder_account_id == account)))


def test_paid_order_sells_its_units_and_creates_its_tickets(shop: Shop) -> None:
    fan, row = shop.fan(), shop.row(category="B")
    order = shop.hold(fan, (row.id, 3))
    assert shop.counters(row.id)[1:] == (3, 0)
    result = shop.pay(order.id, fan)
    assert result.outcome == "approved"
    assert len(result.ticket_ids) == 3
    assert shop.counters(row.id)[1:] == (0, 3)
    tickets = _tickets(shop, fan)
    assert {t.status for t in tickets} == {"valid"}
    assert sorted(t.seat for t in tickets) == [f"LOWER-{n:04d}" for n in (1, 2, 3)]
    assert {t.price_cents for t in tickets} == {row.price_cents}


def test_cart_beyond_what_is_left_is_refused_and_holds_nothing(shop: Shop) -> None:
    row = shop.row(category="A")
    shop.set_capacity(row.id, 4)
    first, second = shop.fan("Ada One"), shop.fan("Bea Two")
    shop.hold(first, (row.id, 3))
    with pytest.raises(SoldOutError) as refused:
        shop.hold(second, (row.id, 2))
    assert refused.value.code == "sold_out"
    assert shop.counters(row.id) == (4, 3, 0)


def test_expired_hold_gives_its_units_back_and_cannot_be_paid(shop: Shop) -> None:
    fan, row = shop.fan(), shop.row()
    order = shop.hold(fan, (row.id, 2))
    shop.clock.now += shop.rules.hold + timedelta(seconds=1)
    with pytest.raises(OrderStateError) as late:
        shop.pay(order.id, fan)
    assert late.value.code == "hold_expired"
    with shop.planes.games_session() as games:
        assert expire_holds(games, shop.clock()) == 1
        assert expire_holds(games, shop.clock()) == 0
    assert shop.counters(row.id)[1:] == (0, 0)


def test_six_per_session_and_thirty_per_account(shop: Shop) -> None:
    fan, row = shop.fan(), shop.row()
    shop.pay(shop.hold(fan, (row.id, 4)).id, fan)
    with pytest.raises(LimitExceededError) as session_limit:
        shop.hold(fan, (row.id, 3))
    assert session_limit.value.code == "session_limit"
    shop.hold(fan, (row.id, 2))
    for code in ("SWM02", "SWM03", "SWM04", "SWM05"):
        shop.hold(fan, (shop.row(code).id, 6))
    with pytest.raises(LimitExceededError) as account_limit:
        shop.hold(fan, (shop.row("SWM06").id, 1))
    assert account_limit.value.code == "account_limit"


def test_wheelchair_place_yields_place_and_companion_seat_and_counts_two(shop: Shop) -> None:
    fan, place = shop.fan(), shop.row(category="W")
    result = shop.pay(shop.hold(fan, (place.id, 1)).id, fan)
    kinds = sorted((t.kind, t.seat) for t in _tickets(shop, fan))
    assert kinds == [("companion", "WC-0001C"), ("wheelchair", "WC-0001")]
    assert len(result.ticket_ids) == 2
    with pytest.raises(LimitExceededError):
        shop.hold(fan, (place.id, 3))


def test_tablet_is_booked_only_with_seats_of_its_session(shop: Shop) -> None:
    fan, tablet, seats = shop.fan(), shop.row(category="T"), shop.row(category="D")
    with pytest.raises(InvalidInputError) as alone:
        shop.hold(fan, (tablet.id, 1))
    assert alone.value.code == "tablet_alone"
    result = shop.pay(shop.hold(fan, (seats.id, 1), (tablet.id, 1)).id, fan)
    assert len(result.ticket_ids) == 1
    assert shop.counters(tablet.id)[1:] == (0, 1)


def test_cancelled_cart_gives_units_back_and_cannot_be_cancelled_twice(shop: Shop) -> None:
    fan, row = shop.fan(), shop.row()
    order = shop.hold(fan, (row.id, 2))
    with shop.planes.games_session() as games:
        cancel_order(games, order.id, fan, shop.clock())
    assert shop.counters(row.id)[1:] == (0, 0)
    with pytest.raises(OrderStateError), shop.planes.games_session() as games:
        cancel_order(games, order.id, fan, shop.clock())


def test_refund_gives_places_back_and_refunds_tickets_at_the_provider(shop: Shop) -> None:
    fan, row = shop.fan(), shop.row()
    order = shop.hold(fan, (row.id, 2))
    shop.pay(order.id, fan)
    with shop.planes.games_session() as games, shop.planes.sovereign_session() as sov:
        refund_order(shop.checkout(games, sov), order.id, fan)
    assert shop.counters(row.id)[1:] == (0, 0)
    assert {t.status for t in _tickets(shop, fan)} == {"refunded"}
    assert len(shop.provider.refunds) == 1
    with shop.planes.games_session() as games:
        assert oversold_rows(games) == []
        assert payments_without_tickets(games) == []


def test_declined_payment_leaves_a_cart_that_can_be_paid_again(shop: Shop) -> None:
    fan, row = shop.fan(), shop.row()
    order = shop.hold(fan, (row.id, 1))
    shop.provider.behaviour = "decline"
    assert shop.pay(order.id, fan).outcome == "declined"
    shop.provider.behaviour = "approve"
    assert shop.pay(order.id, fan).outcome == "approved"
    with shop.planes.games_session() as games:
        assert games.scalar(select(func.count()).select_from(Ticket)) == 1


def test_payment_reference_is_sealed_in_the_sovereign_plane(shop: Shop) -> None:
    from podium.ticketing import PaymentReference  # noqa: PLC0415

    fan, row = shop.fan(), shop.row()
    result = shop.pay(shop.hold(fan, (row.id, 1)).id, fan)
    with shop.planes.sovereign_session() as sov:
        stored = sov.get_one(PaymentReference, result.payment_id)
        assert stored.reference is not None
        assert b"ltp_" not in stored.reference
