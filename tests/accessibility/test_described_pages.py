"""The live description pages in the real Chromium, in English and French, and without JavaScript.

A served copy of the imported node replays the men's 100 m final while the page is open:
each description is added to the list, the newest is announced by the one polite status
region, the audio toggle is a keyboard-operable button whose WAV Chromium can decode,
and axe-core finds nothing.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import select

from podium.core.settings import Settings
from podium.games import Unit
from tests.accessibility.described import FINAL, replay_on
from tests.diffusion.streaming import Node, serve
from tests.web.browsing import axe_violations, chromium, fresh_page, readable

pytestmark = pytest.mark.browser


def no_axe_violations(page: Page) -> None:
    """Assert that axe-core finds nothing on the page as it is now."""
    violations = axe_violations(page)
    assert violations == [], readable(violations)


def test_the_described_page_announces_and_speaks_the_final(sqlite_settings: Settings) -> None:
    with serve(sqlite_settings) as node, chromium() as browser, fresh_page(browser) as page:
        page.goto(f"{node.url}/en/units/{FINAL}/described")
        expect(page.get_by_role("heading", level=1)).to_have_text(
            "Live description: Men's 100m Final"
        )
        status = page.locator("#describe-status")
        assert (status.get_attribute("role"), status.get_attribute("aria-live")) == (
            "status",
            "polite",
        )
        expect(page.locator("#describe-empty")).to_be_visible()
        no_axe_violations(page)

        replay_on(node)
        items = page.locator("#descriptions li")
        expect(items).to_have_count(7)
        expect(items.nth(4)).to_contain_text("Noah Lyles, United States wins in 9.79 seconds")
        # One announcement for the burst at the end: the medals, not the whole list.
        expect(status).to_have_text(re.compile(r"^Medals, Men's 100m: gold, Noah Lyles"))
        assert page.locator("[aria-live]").count() == 1
        assert page.evaluate("document.getAnimations().length") == 0
        expect(page.locator("#describe-empty")).to_have_count(0)

        button = page.get_by_role("button", name="Speak new descriptions")
        expect(button).to_have_attribute("aria-pressed", "false")
        button.focus()
        page.keyboard.press("Enter")
        expect(button).to_have_attribute("aria-pressed", "true")
        player = page.locator("#describe-player")
        expect(player).to_have_attribute("src", re.compile(r"/descriptions/\d+/0\.en\.wav$"))
        # Chromium decodes the WAV: it knows how long the sentence lasts.
        page.wait_for_function("document.getElementById('describe-player').duration > 1")
        page.keyboard.press("Space")
        expect(button).to_have_attribute("aria-pressed", "false")
        assert page.evaluate("document.getElementById('describe-player').paused")
        no_axe_violations(page)
        french(node, page)
        without_javascript(node, browser)


def french(node: Node, page: Page) -> None:
    """The French page lists the same descriptions in French, decimal comma and all."""
    page.goto(f"{node.url}/fr/units/{FINAL}/described")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Description en direct")
    items = page.locator("#descriptions li")
    expect(items).to_have_count(7)
    expect(items.nth(4)).to_contain_text("Noah Lyles, États-Unis s'impose en 9,79 secondes")
    expect(
        page.get_by_role("button", name="Lire les nouvelles descriptions à voix haute")
    ).to_be_visible()
    no_axe_violations(page)
    with node.planes.games_session() as session:
        venue = session.scalar(select(Unit.venue_code).where(Unit.rsc == FINAL))
    page.goto(f"{node.url}/fr/venues/{venue}/described")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Stade de France")
    expect(page.locator("#descriptions li").nth(4)).to_contain_text("9,79 secondes")
    no_axe_violations(page)


def without_javascript(node: Node, browser: Browser) -> None:
    """Without JavaScript: the list, each sentence's audio link, Refresh; no audio button."""
    context = browser.new_context(java_script_enabled=False, reduced_motion="reduce")
    plain = context.new_page()
    plain.goto(f"{node.url}/en/units/{FINAL}/described")
    expect(plain.locator("#descriptions li")).to_have_count(7)
    expect(plain.get_by_role("button")).to_have_count(0)
    listen = plain.locator("#descriptions li a").first
    assert re.search(r"/0\.en\.wav$", listen.get_attribute("href") or "")
    expect(plain.get_by_role("link", name="Refresh", exact=True)).to_have_attribute(
        "href", f"/en/units/{FINAL}/described"
    )
    context.close()
