"""Issuing tickets after payment, the ticket page and its rotating code (SQLite, PostgreSQL)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from podium.core.categories import DataCategory
from podium.core.errors import NotFoundError
from podium.gates import CODE_STEP, Kind, decode, from_text
from podium.privacy.audit.chain import records_about
from podium.privacy.operators import Principal
from podium.privacy.regions import Region
from podium.ticketing.models import TicketHolder
from podium.ticketing.rotating import ticket_view, wallet
from podium.ticketing.tickets import (
    HOLDER_FIELD,
    issue_tickets,
    reissue_ticket,
    ticket_revocation_entries,
)
from tests.ticketing.conftest import SESSION, Shop
from tests.ticketing.ticket_support import box_of


def test_paid_order_gets_one_signed_nominative_ticket_per_seat(shop: Shop) -> None:
    box = box_of(shop)
    fan = shop.fan("Léa Dupont")
    row = shop.row(category="B")
    order = shop.hold(fan, (row.id, 2))
    shop.pay(order.id, fan)
    with box.desk() as desk:
        ids = [t.ticket_id for t in issue_tickets(desk, order.id)]
        named = issue_tickets(desk, order.id, {ids[0]: "Someone Else"})
    issued = {t.ticket_id: t for t in named}
    assert sorted(issued) == sorted(ids)
    numbers = {t.number for t in named}
    assert len(numbers) == 2
    for ticket in named:
        assert ticket.serial == 1
        credential = decode(from_text(ticket.credential)).credential
        assert credential.kind is Kind.TICKET
        assert credential.credential_id == ticket.number
        assert credential.body.session == SESSION
        assert credential.body.seat.startswith(credential.body.area)
        assert fan.encode() not in from_text(ticket.credential)
    with shop.planes.sovereign_session() as sovereign:
        holders = list(sovereign.scalars(select(TicketHolder)))
        names = {
            h.ticket_id: shop.spine.cipher.open(
                h.account_id, DataCategory.IDENTITY.value, HOLDER_FIELD, h.holder_name
            )
            for h in holders
            if h.ticket_id in issued
        }
    # Issuing again changes nothing: the first call named both after the buyer.
    assert set(names.values()) == {"Léa Dupont"}


def test_rotating_code_shows_only_inside_the_window_and_changes_every_15_seconds(
    shop: Shop,
) -> None:
    box = box_of(shop)
    fan = shop.fan()
    ticket = box.buy(fan)[0]
    starts = box.starts_at()
    shop.clock.now = starts - timedelta(hours=3, seconds=1)
    with box.desk() as desk:
        early = ticket_view(desk, ticket.ticket_id, account_id=fan)
    assert early.code.state == "not_yet"
    assert early.code.code is None
    assert early.code.qr_text is None
    assert early.code.shows_from == starts - timedelta(hours=3)
    assert early.holder_name == "Camille Martin"
    assert early.seat
    assert early.venue_name
    shop.clock.now = starts - timedelta(hours=1)
    shop.clock.now -= timedelta(seconds=shop.clock.now.second % CODE_STEP)
    codes = []
    for step in range(3):
        with box.desk() as desk:
            view = ticket_view(desk, ticket.ticket_id, account_id=fan)
        assert view.code.state == "live"
        assert view.code.seconds_left == CODE_STEP
        assert view.code.qr_text == f"{view.code.code}*{ticket.credential}"
        codes.append(view.code.code)
        shop.clock.now += timedelta(seconds=CODE_STEP)
        del step
    assert len(set(codes)) == 3
    shop.clock.now += timedelta(seconds=4)
    with box.desk() as desk:
        assert ticket_view(desk, ticket.ticket_id, account_id=fan).code.seconds_left == 11


def test_live_code_admits_at_the_gate_and_its_screenshot_goes_stale(shop: Shop) -> None:
    box = box_of(shop)
    fan = shop.fan()
    ticket = box.buy(fan)[0]
    shop.clock.now = box.starts_at() - timedelta(minutes=30)
    with box.desk() as desk:
        view = ticket_view(desk, ticket.ticket_id, account_id=fan)
    assert view.code.qr_text is not None
    venue = view.venue_code or ""
    assert box.scan(view.code.qr_text, shop.clock.now, venue).reason == "admitted"
    later = shop.clock.now + timedelta(seconds=3 * CODE_STEP)
    assert box.scan(view.code.qr_text, later, venue).reason == "code_stale"
    assert box.scan(ticket.credential, shop.clock.now, venue).reason == "code_missing"


def test_another_fan_never_sees_a_ticket_and_the_wallet_lists_own_tickets(shop: Shop) -> None:
    box = box_of(shop)
    owner, other = shop.fan("Ada Owner"), shop.fan("Bob Other")
    tickets = box.buy(owner, 2)
    with box.desk() as desk:
        assert [v.ticket_id for v in wallet(desk, owner)] == sorted(
            (t.ticket_id for t in tickets),
            key=lambda i: next(v.seat for v in wallet(desk, owner) if v.ticket_id == i),
        )
        assert wallet(desk, other) == []
    with pytest.raises(NotFoundError) as hidden, box.desk() as desk:
        ticket_view(desk, tickets[0].ticket_id, account_id=other)
    assert hidden.value.code == "ticket_not_found"


def test_reissue_increments_the_serial_and_the_old_code_is_revoked(shop: Shop) -> None:
    box = box_of(shop)
    fan = shop.fan()
    old = box.buy(fan)[0]
    with box.desk() as desk:
        new = reissue_ticket(desk, old.ticket_id, fan)
        entries = ticket_revocation_entries(desk.games)
    assert (new.number, new.serial) == (old.number, 2)
    assert (old.number, 1, "reissued") in {
        (e.credential_id, e.card_serial, e.reason) for e in entries
    }
    shop.clock.now = box.starts_at() - timedelta(minutes=10)
    with box.desk() as desk:
        view = ticket_view(desk, old.ticket_id, account_id=fan)
    from podium.gates import rotating_code, screen_text  # noqa: PLC0415
    from podium.ticketing.rotating import ticket_secret_of  # noqa: PLC0415

    stale = screen_text(
        old.credential,
        rotating_code(old.credential, ticket_secret_of(box.office, old.credential), shop.clock.now),
    )
    venue = view.venue_code or ""
    assert box.scan(stale, shop.clock.now, venue).reason == "revoked"
    assert view.code.qr_text is not None
    assert box.scan(view.code.qr_text, shop.clock.now, venue).reason == "admitted"


def _agent(region: Region) -> Principal:
    return Principal(
        operator_id=f"op-{region.value}",
        username=f"agent-{region.value}",
        display_name="Ticketing agent",
        roles=frozenset({"ticketing-agent"}),
        purposes=frozenset({"ticketing"}),
        region=region,
        scopes=None,
        purpose="ticketing",
    )


def test_staff_read_the_holder_through_the_policy_and_the_read_is_audited(shop: Shop) -> None:
    box = box_of(shop)
    fan = shop.fan("Léa Dupont")
    ticket = box.buy(fan)[0]
    with box.desk() as desk:
        eu = ticket_view(desk, ticket.ticket_id, principal=_agent(Region.EU_EEA))
        abroad = ticket_view(desk, ticket.ticket_id, principal=_agent(Region.THIRD_COUNTRY))
    assert eu.holder_name == "Léa Dupont"
    assert abroad.holder_name != "Léa Dupont"
    with shop.planes.sovereign_session() as sovereign:
        reads = [r for r in records_about(sovereign, fan) if r.action == "ticketing.holder.read"]
    assert {(r.operator, r.decision) for r in reads} >= {("op-eu-eea", "allow")}
    assert len(reads) == 2
