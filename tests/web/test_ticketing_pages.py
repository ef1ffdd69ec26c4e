"""Fan ticketing pages without a browser: forms, redirects, refusals, limits, wallet, resale.

On a private copy of the imported Paris 2024 node, every session on open sale except
`ATH01`'s draw session, with the application's clock moved instead of waited on. These
are what a browser without JavaScript sees: plain forms answered by redirects.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select, update
from tests.web.ticketing_node import START, Clock, ticketing_node

from podium.core.db import Planes
from podium.paris2024 import ImportReport
from podium.ticketing import InventoryRow, TicketedSession

SESSION = "SWM01"
DRAWN = "SWM02"
PASSWORD = "a long enough password"  # noqa: S105


@dataclass
class Node:
    """The app's test client, clock and planes."""

    client: TestClient
    clock: Clock
    planes: Planes


@pytest.fixture(scope="module")
def node(
    imported: tuple[Planes, ImportReport, Path], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Node]:
    folder = tmp_path_factory.mktemp("fan-pages")
    with ticketing_node(imported[2], folder, sale_mode="open") as made:
        with made.planes.games_session() as games:
            games.execute(
                update(TicketedSession)
                .where(TicketedSession.session_code == DRAWN)
                .values(sale_mode="draw")
            )
        with TestClient(made.app, follow_redirects=False) as client:
            yield Node(client, made.clock, made.planes)


def _token(html: str) -> str:
    found = re.search(r'name="csrf" value="([^"]*)"', html)
    assert found is not None
    return found.group(1)


def _fan(node: Node, name: str = "Camille Martin") -> tuple[TestClient, str, str]:
    """Sign up a new fan in a fresh client; return it, its e-mail and its CSRF token."""
    client = TestClient(node.client.app, follow_redirects=False)
    form = client.get("/en/tickets/signup")
    email = f"fan.{secrets.token_hex(4)}@example.org"
    answer = client.post(
        "/en/tickets/signup",
        data={"full_name": name, "email": email, "password": PASSWORD, "csrf": _token(form.text)},
    )
    assert answer.status_code == 303
    assert answer.headers["location"] == "/en/tickets/account"
    return client, email, _token(client.get("/en/tickets/account").text)


def _row(node: Node, session: str, category: str = "B") -> int:
    with node.planes.games_session() as games:
        return games.scalars(
            select(InventoryRow.id).where(
                InventoryRow.session_code == session, InventoryRow.price_category == category
            )
        ).one()


def _buy(node: Node, client: TestClient, csrf: str, quantity: int = 1) -> str:
    """Hold and pay seats of the open-sale session; return the first ticket's page path."""
    held = client.post(
        "/en/tickets/cart",
        data={"session": SESSION, f"q-{_row(node, SESSION)}": str(quantity), "csrf": csrf},
    )
    assert held.headers["location"] == "/en/tickets/cart"
    order = re.search(r'name="order" value="([^"]+)"', client.get("/en/tickets/cart").text)
    assert order is not None
    paid = client.post("/en/tickets/cart/pay", data={"order": order.group(1), "csrf": csrf})
    assert paid.headers["location"] == f"/en/tickets/orders/{order.group(1)}"
    assert "Payment accepted" in client.get(paid.headers["location"]).text
    link = re.search(
        r'href="(/en/tickets/wallet/tkt_[0-9a-f]+)"', client.get("/en/tickets/wallet").text
    )
    assert link is not None
    return link.group(1)


def test_public_pages_answer_and_fan_pages_send_to_sign_in(node: Node) -> None:
    for path in (
        "/en/tickets",
        "/fr/tickets",
        f"/en/tickets/sessions/{SESSION}",
        "/en/tickets/signin",
        "/fr/tickets/signup",
        "/en/tickets/resale",
    ):
        assert node.client.get(path).status_code == 200, path
    for path in (
        "/en/tickets/account",
        "/en/tickets/wallet",
        "/en/tickets/cart",
        "/en/tickets/draw",
    ):
        answer = node.client.get(path)
        assert answer.status_code == 303
        assert answer.headers["location"] == f"/en/tickets/signin?next={path}"


def test_every_fan_form_refuses_the_public_with_401(node: Node) -> None:
    for path in (
        "signup",
        "signin",
        "signout",
        "draw",
        "cart",
        "cart/pay",
        "cart/cancel",
        "wallet/x/transfer",
        "wallet/x/resale",
        "wallet/x/withdraw",
        "resale/buy",
    ):
        assert node.client.post(f"/en/tickets/{path}", json={}).status_code == 401, path


def test_a_form_without_its_token_or_from_another_site_is_refused(node: Node) -> None:
    client, _email, csrf = _fan(node)
    assert (
        client.post("/en/tickets/cart", data={"session": SESSION, "csrf": "nope"}).status_code
        == 401
    )
    foreign = client.post(
        "/en/tickets/signout", data={"csrf": csrf}, headers={"origin": "https://evil.example"}
    )
    assert foreign.status_code == 401
    assert client.post("/en/tickets/signout", data={"csrf": csrf}).status_code == 303
    assert client.get("/en/tickets/account").status_code == 303


def test_sign_up_errors_are_shown_next_to_their_field(node: Node) -> None:
    client = TestClient(node.client.app, follow_redirects=False)
    csrf = _token(client.get("/en/tickets/signup").text)
    short = client.post(
        "/en/tickets/signup",
        data={"full_name": "A", "email": "a@example.org", "password": "short", "csrf": csrf},
    )
    assert short.status_code == 422
    assert 'href="#f-password"' in short.text
    assert 'aria-invalid="true"' in short.text


def test_sign_in_with_a_wrong_password_says_so_and_a_right_one_goes_back(node: Node) -> None:
    _client, email, _csrf = _fan(node)
    client = TestClient(node.client.app, follow_redirects=False)
    csrf = _token(client.get("/en/tickets/signin").text)
    wrong = client.post(
        "/en/tickets/signin", data={"email": email, "password": "x" * 12, "csrf": csrf}
    )
    assert wrong.status_code == 401
    assert "Wrong e-mail address or password" in wrong.text
    right = client.post(
        "/en/tickets/signin",
        data={"email": email, "password": PASSWORD, "csrf": csrf, "next": "/en/tickets/wallet"},
    )
    assert right.headers["location"] == "/en/tickets/wallet"
    evil = client.post(
        "/en/tickets/signin",
        data={"email": email, "password": PASSWORD, "csrf": csrf, "next": "//evil.example/"},
    )
    assert evil.headers["location"] == "/en/tickets/account"


def test_a_session_by_draw_cannot_be_bought_without_a_purchase_slot(node: Node) -> None:
    client, _email, csrf = _fan(node)
    held = client.post(
        "/en/tickets/cart", data={"session": DRAWN, f"q-{_row(node, DRAWN)}": "2", "csrf": csrf}
    )
    assert held.headers["location"].endswith("?error=no_purchase_slot#choose")
    page = client.get(held.headers["location"].split("#")[0])
    assert "only inside your purchase slot" in page.text


def test_the_session_page_shows_accessible_places_and_the_tablet_add_on(node: Node) -> None:
    page = node.client.get(f"/fr/tickets/sessions/{SESSION}").text
    assert "Emplacements pour fauteuil roulant" in page
    assert "Tablettes tactiles" in page


def test_bought_tickets_count_against_the_limits_and_show_their_code_in_the_window(
    node: Node,
) -> None:
    client, email, csrf = _fan(node)
    ticket = _buy(node, client, csrf, quantity=2)
    assert "2 of 30 for the Games" in client.get("/en/tickets/account").text
    before = client.get(ticket).text
    assert "Your code appears 3 hours before the session" in before
    assert "code-digits" not in before
    with node.planes.games_session() as games:
        starts = games.get_one(TicketedSession, SESSION).starts_at
    node.clock.now = starts - timedelta(hours=2)
    try:
        client_later = _signed_in_again(node, client, email)
        inside = client_later.get(ticket).text
        assert 'id="code-digits"' in inside
        assert "Refresh the code" in inside
        assert 'class="ticket-qr"' in inside
        part = client_later.get(f"{ticket}/code").text
        assert part.lstrip().startswith('<div id="ticket-code"')
    finally:
        node.clock.now = START


def _signed_in_again(node: Node, client: TestClient, email: str) -> TestClient:
    """The fan session ended while the clock moved: sign in again in the same client."""
    assert client.get("/en/tickets/account").status_code == 303
    csrf = _token(client.get("/en/tickets/signin").text)
    answer = client.post(
        "/en/tickets/signin", data={"email": email, "password": PASSWORD, "csrf": csrf}
    )
    assert answer.status_code == 303
    return client


def test_a_ticket_given_to_another_fan_leaves_the_wallet(node: Node) -> None:
    client, _email, csrf = _fan(node)
    friend, friend_email, _friend_csrf = _fan(node, "Jo Durand")
    ticket = _buy(node, client, csrf)
    given = client.post(f"{ticket}/transfer", data={"email": friend_email, "csrf": csrf})
    assert given.headers["location"] == "/en/tickets/wallet?done=transferred"
    assert "tkt_" not in client.get("/en/tickets/wallet").text
    assert "tkt_" in friend.get("/en/tickets/wallet").text


def test_a_ticket_on_resale_hides_its_code_and_another_fan_buys_it(node: Node) -> None:
    client, _email, csrf = _fan(node)
    buyer, _buyer_email, buyer_csrf = _fan(node, "Sam Leroy")
    ticket = _buy(node, client, csrf)
    page = client.get(ticket).text
    assert "You receive" in page
    listed = client.post(f"{ticket}/resale", data={"csrf": csrf})
    assert listed.headers["location"].endswith("?done=listed")
    assert "Withdraw from resale" in client.get(ticket).text
    market = buyer.get("/en/tickets/resale").text
    listing = re.findall(r'name="listing" value="([^"]+)"', market)
    assert listing
    bought = buyer.post("/en/tickets/resale/buy", data={"listing": listing[-1], "csrf": buyer_csrf})
    assert bought.headers["location"] == "/en/tickets/wallet?done=bought"
    assert "tkt_" in buyer.get("/en/tickets/wallet").text
