"""A fan goes from draw registration to entering the venue, in headless Chromium.

Against a live server on the imported Paris 2024 data: the fan signs up, registers for a
session's draw, staff runs the draw (service functions), the fan sees the win and buys
inside the purchase slot (local test payment), finds the ticket in the wallet with its
rotating code once inside the window (the application's clock is moved, never slept on),
and the gate admits that code once (`admitted`) then refuses it (`already_inside`).
Every fan page on the way is checked by axe-core in English and French, and reflows at
320 CSS pixels and with text at 200 %.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Page
from sqlalchemy import select
from tests.operators import PASSWORD
from tests.web.browsing import axe_violations, live_server, readable, staff_sign_in
from tests.web.ticketing_node import START, Clock, ticketing_node

from podium.core.db import Planes
from podium.paris2024 import ImportReport
from podium.privacy.operators import create_operator
from podium.ticketing import (
    InventoryRow,
    TicketedSession,
    commitment_of,
    open_draw,
    run_draw,
)
from podium.ticketing.devices import register_device

pytestmark = pytest.mark.browser

SESSION = "SWM01"
"""A real Paris 2024 session (swimming heats, Paris La Defense Arena), sold by draw."""
GATE_STAFF = "fan-journey-gate"
FAN_PASSWORD = "a long enough password"  # noqa: S105


@dataclass
class Node:
    """A live server over the imported node, its clock and the planes."""

    url: str
    clock: Clock
    planes: Planes


@pytest.fixture(scope="module")
def node(
    imported: tuple[Planes, ImportReport, Path], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Node]:
    """A private copy of the imported node (sessions sold by draw), gate staff, a live server."""
    with ticketing_node(imported[2], tmp_path_factory.mktemp("fan-journey")) as made:
        with made.planes.sovereign_session() as session:
            create_operator(
                session,
                username=GATE_STAFF,
                display_name="Gate agent",
                home_country="FR",
                organisation="PARIS2024",
                roles=("gate-staff",),
                purposes=("access-control",),
                known_roles=made.spine.pdp.roles,
                known_purposes=made.spine.pdp.purposes,
                password=PASSWORD,
            )
        with live_server(made.app) as url:
            yield Node(url, made.clock, made.planes)


def _axe_clean(page: Page, node: Node, path: str) -> None:
    """Check a page in English and French: axe-core, 320 CSS pixels, text at 200 %."""
    for lang in ("en", "fr"):
        page.goto(f"{node.url}/{lang}/{path}")
        violations = axe_violations(page)
        assert violations == [], f"/{lang}/{path}\n{readable(violations)}"
        page.set_viewport_size({"width": 320, "height": 800})
        assert not page.evaluate("document.documentElement.scrollWidth > window.innerWidth"), path
        page.set_viewport_size({"width": 640, "height": 900})
        page.evaluate("document.documentElement.style.fontSize = '200%'")
        assert not page.evaluate("document.documentElement.scrollWidth > window.innerWidth"), path
        page.set_viewport_size({"width": 1280, "height": 800})


@dataclass
class Journey:
    """What the steps of the journey share: the node, the fan's page, the draw."""

    node: Node
    page: Page
    seed: str
    draw_id: int
    starts: datetime
    venue: str
    row_b: int
    email: str = ""

    @property
    def base(self) -> str:
        """The English fan pages' base URL."""
        return f"{self.node.url}/en/tickets"


def _journey(node: Node, page: Page) -> Journey:
    seed = secrets.token_hex(32)
    with node.planes.games_session() as games:
        window = (START - timedelta(hours=1), START + timedelta(days=1))
        draw_id = open_draw(games, "Paris 2024 draw", window, commitment_of(seed)).id
        ticketed = games.get_one(TicketedSession, SESSION)
        row_b = games.scalars(
            select(InventoryRow.id).where(
                InventoryRow.session_code == SESSION, InventoryRow.price_category == "B"
            )
        ).one()
        return Journey(
            node, page, seed, draw_id, ticketed.starts_at, str(ticketed.venue_code), row_b
        )


def _sign_up_and_enter_the_draw(j: Journey) -> None:
    page = j.page
    page.goto(f"{j.base}/signup")
    page.get_by_label("Full name").fill("Camille Martin")
    j.email = f"camille.{secrets.token_hex(4)}@example.org"
    page.get_by_label("E-mail address").fill(j.email)
    page.get_by_label("Password").fill(FAN_PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Create the account").click()
    assert page.get_by_role("heading", name="My account").is_visible()
    _axe_clean(page, j.node, "tickets/account")
    page.goto(f"{j.base}/sessions/{SESSION}")
    page.get_by_label("Tickets wanted").fill("2")
    with page.expect_navigation():
        page.get_by_role("button", name="Register for the draw").click()
    assert "Your registration is recorded" in page.inner_text("main")
    _axe_clean(page, j.node, f"tickets/sessions/{SESSION}")
    _axe_clean(page, j.node, "tickets/draw")


def _see_the_win_and_buy(j: Journey) -> None:
    page = j.page
    page.goto(f"{j.base}/draw")
    with page.expect_navigation():
        page.get_by_role("link", name=f"Draw {j.draw_id}").click()
    assert page.locator("#won").is_visible()
    assert j.seed in page.inner_text("main")
    _axe_clean(page, j.node, f"tickets/draws/{j.draw_id}")
    page.goto(f"{j.base}/draws/{j.draw_id}")
    with page.expect_navigation():
        page.get_by_role("link", name="Buy now").click()
    page.locator(f"#q-{j.row_b}").fill("2")
    with page.expect_navigation():
        page.get_by_role("button", name="Hold these places").click()
    assert page.get_by_role("heading", name="Cart").is_visible()
    _axe_clean(page, j.node, "tickets/cart")
    page.goto(f"{j.base}/cart")
    with page.expect_navigation():
        page.get_by_role("button", name="Pay").click()
    assert page.locator("#confirmed").is_visible()


def _open_the_ticket(j: Journey) -> str:
    page = j.page
    with page.expect_navigation():
        page.get_by_role("link", name="My tickets").first.click()
    _axe_clean(page, j.node, "tickets/wallet")
    page.goto(f"{j.base}/wallet")
    with page.expect_navigation():
        page.locator("ul.tickets a").first.click()
    assert "Your code appears 3 hours before the session" in page.inner_text("main")
    ticket_path = page.url.split("/en/", 1)[1]
    _axe_clean(page, j.node, ticket_path)
    return ticket_path


def _code_inside_the_window(j: Journey, ticket_path: str) -> str:
    page = j.page
    j.node.clock.now = j.starts - timedelta(hours=1)
    page.goto(f"{j.node.url}/en/{ticket_path}")
    # Weeks later the fan session has ended: the fan signs in and comes back to the ticket.
    page.get_by_label("E-mail address").fill(j.email)
    page.get_by_label("Password").fill(FAN_PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in").last.click()
    assert page.url.endswith(ticket_path)
    assert page.locator("#code-digits").is_visible()
    assert page.locator("svg.ticket-qr").is_visible()
    _axe_clean(page, j.node, ticket_path)
    return page.locator("#qr-text").text_content() or ""


def _staff_scan(page: Page, node: Node, shown: str) -> str:
    """Scan a code on T3's scanner page as gate staff; return the page's main text."""
    page.goto(f"{node.url}/staff/scanner")
    page.locator("#code").fill(shown)
    with page.expect_navigation():
        page.get_by_role("button", name="Check").click()
    return page.locator("main").inner_text()


def _at_the_gate(j: Journey, shown: str) -> tuple[str, str]:
    with j.node.planes.games_session() as games:
        register_device(games, j.venue, {"G1": "1"}, "North lane 1", j.node.clock())
    browser = j.page.context.browser
    assert browser is not None
    staff = browser.new_context(reduced_motion="reduce")
    gate = staff.new_page()
    staff_sign_in(gate, j.node.url, GATE_STAFF, PASSWORD, "access-control")
    first, second = _staff_scan(gate, j.node, shown), _staff_scan(gate, j.node, shown)
    staff.close()
    return first, second


def test_a_fan_goes_from_draw_registration_to_entering_the_venue(node: Node, page: Page) -> None:
    journey = _journey(node, page)
    _sign_up_and_enter_the_draw(journey)
    node.clock.now = START + timedelta(days=2)
    with node.planes.games_session() as games:
        assert run_draw(games, journey.draw_id, journey.seed, node.clock()).winners >= 1
    _see_the_win_and_buy(journey)
    shown = _code_inside_the_window(journey, _open_the_ticket(journey))
    first, second = _at_the_gate(journey, shown)
    assert "ADMITTED" in first, first
    assert "already_inside" in second, second


def test_public_fan_pages_have_no_axe_violation(node: Node, page: Page) -> None:
    for path in ("tickets", "tickets/signin", "tickets/signup", "tickets/resale"):
        _axe_clean(page, node, path)
