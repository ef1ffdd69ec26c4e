"""Fan pages in headless Chromium: keyboard alone, JavaScript off, the cart's countdown.

On a private copy of the imported node with every session on open sale; the application's
clock is moved, never slept on.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page
from sqlalchemy import select
from tests.web.browsing import live_server
from tests.web.ticketing_node import START, Clock, ticketing_node

from podium.core.db import Planes
from podium.paris2024 import ImportReport
from podium.ticketing import (
    InventoryRow,
    Order,
    TicketedSession,
)

pytestmark = pytest.mark.browser

SESSION = "SWM01"
PASSWORD = "a long enough password"  # noqa: S105


@dataclass
class Node:
    """A live server, its clock and planes."""

    url: str
    clock: Clock
    planes: Planes


@pytest.fixture(scope="module")
def node(
    imported: tuple[Planes, ImportReport, Path], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Node]:
    folder = tmp_path_factory.mktemp("fan-browser")
    with (
        ticketing_node(imported[2], folder, sale_mode="open") as made,
        live_server(made.app) as url,
    ):
        yield Node(url, made.clock, made.planes)


def _buy_one_and_open_it(page: Page, node: Node) -> str:
    """Hold one place of SESSION, pay, open the ticket from the wallet; return its address."""
    page.goto(f"{node.url}/en/tickets/sessions/{SESSION}")
    page.locator(f"#q-{_row(node)}").fill("1")
    with page.expect_navigation():
        page.get_by_role("button", name="Hold these places").click()
    with page.expect_navigation():
        page.get_by_role("button", name="Pay").click()
    page.goto(f"{node.url}/en/tickets/wallet")
    with page.expect_navigation():
        page.locator("ul.tickets a").first.click()
    return page.url


def _sign_in_back_to(page: Page, ticket: str, email: str) -> None:
    """Come back to a ticket after the fan session ended: sign in on its page."""
    page.goto(ticket)
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in").last.click()
    page.wait_for_url(ticket)


def _row(node: Node) -> int:
    with node.planes.games_session() as games:
        return games.scalars(
            select(InventoryRow.id).where(
                InventoryRow.session_code == SESSION, InventoryRow.price_category == "B"
            )
        ).one()


def _tab_to(page: Page, name: str, limit: int = 80) -> None:
    """Press Tab until the focused element's accessible text is `name`; check its outline."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        text = page.evaluate("(document.activeElement.textContent || '').trim()")
        if text == name:
            style = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
            assert style != "none", f"{name} has no visible focus"
            return
    pytest.fail(f"{name} not reached in {limit} Tab presses")


def _sign_up_with_the_keyboard(page: Page, node: Node) -> str:
    """Sign a new fan up with the keyboard alone; return the e-mail address."""
    email = f"alex.{secrets.token_hex(4)}@example.org"
    page.goto(f"{node.url}/en/tickets/signup")
    page.locator("#f-full_name").focus()
    page.keyboard.insert_text("Alex Moreau")
    page.keyboard.press("Tab")
    page.keyboard.insert_text(email)
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")  # the hint is text, the next stop is the password
    if page.evaluate("document.activeElement.id") != "f-password":
        page.locator("#f-password").focus()
    page.keyboard.insert_text(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(f"{node.url}/en/tickets/account")
    return email


def test_a_fan_buys_with_the_keyboard_alone(browser: Browser, node: Node) -> None:
    context = browser.new_context(reduced_motion="reduce")
    page = context.new_page()
    _sign_up_with_the_keyboard(page, node)
    page.goto(f"{node.url}/en/tickets/sessions/{SESSION}")
    page.locator(f"#q-{_row(node)}").focus()
    page.keyboard.press("Control+a")
    page.keyboard.insert_text("1")
    _tab_to(page, "Hold these places")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{node.url}/en/tickets/cart")
    _tab_to(page, page.get_by_role("button", name="Pay").inner_text().strip())
    page.keyboard.press("Enter")
    page.wait_for_url(f"{node.url}/en/tickets/orders/**")
    assert page.locator("#confirmed").is_visible()
    context.close()


def test_the_ticket_page_works_without_javascript(browser: Browser, node: Node) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    email = _sign_up_with_the_keyboard(page, node)
    ticket = _buy_one_and_open_it(page, node)
    assert "Your code appears 3 hours before the session" in page.inner_text("main")
    with node.planes.games_session() as games:
        starts = games.get_one(TicketedSession, SESSION).starts_at
    node.clock.now = starts - timedelta(hours=1)
    try:
        # The fan session ended while the clock moved: sign in on the way back to the ticket.
        _sign_in_back_to(page, ticket, email)
        first = page.locator("#code-digits").inner_text()
        node.clock.now += timedelta(seconds=15)
        with page.expect_navigation():
            page.get_by_role("link", name="Refresh the code").click()
        assert page.locator("#code-digits").inner_text() != first
        assert page.locator("svg.ticket-qr").is_visible()
    finally:
        node.clock.now = START
    context.close()


def test_the_cart_announces_its_last_minute_once(browser: Browser, node: Node) -> None:
    context = browser.new_context(reduced_motion="reduce")
    page = context.new_page()
    _sign_up_with_the_keyboard(page, node)
    page.goto(f"{node.url}/en/tickets/sessions/{SESSION}")
    page.locator(f"#q-{_row(node)}").fill("1")
    with page.expect_navigation():
        page.get_by_role("button", name="Hold these places").click()
    with node.planes.games_session() as games:
        expires = games.scalars(
            select(Order.expires_at).where(Order.status == "held").order_by(Order.created_at.desc())
        ).first()
    assert expires is not None
    node.clock.now = expires - timedelta(seconds=50)
    try:
        page.reload()
        status = page.locator(".countdown-alert")
        assert status.get_attribute("role") == "status"
        assert status.text_content() == "1 minute left to pay."
        assert page.locator(".countdown").get_attribute("aria-hidden") == "true"
    finally:
        node.clock.now = START
    context.close()


def test_the_script_replaces_the_code_when_its_step_ends(browser: Browser, node: Node) -> None:
    context = browser.new_context(reduced_motion="reduce")
    page = context.new_page()
    email = _sign_up_with_the_keyboard(page, node)
    ticket = _buy_one_and_open_it(page, node)
    with node.planes.games_session() as games:
        starts = games.get_one(TicketedSession, SESSION).starts_at
    # One second before a 15-second step ends, so the script fetches the code after 1 s.
    inside = starts - timedelta(hours=1)
    node.clock.now = inside - timedelta(seconds=int(inside.timestamp()) % 15 + 1)
    try:
        _sign_in_back_to(page, ticket, email)
        first = page.locator("#code-digits").inner_text()
        assert page.locator("#ticket-code").get_attribute("data-seconds") == "1"
        node.clock.now += timedelta(seconds=1)
        page.wait_for_function(
            "first => document.getElementById('code-digits').textContent !== first", arg=first
        )
        assert page.url == ticket  # swapped in place, not reloaded
    finally:
        node.clock.now = START
    context.close()
