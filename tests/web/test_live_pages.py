"""Live pages in the real Chromium: a unit, the schedule and the medal table update in place.

Each test serves a private copy of the imported Paris 2024 node with its feed engine
running (uvicorn on the loopback interface), opens a page in Debian's headless Chromium,
captures results or a status in the node's database as a venue would, and watches the
page change without a reload, the polite status region say so in the page's language,
focus and scroll stay where they were, and axe find nothing. Without JavaScript the same
pages show the same data, and their Refresh link brings the change.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect
from tests.diffusion.conftest import copy_sqlite_node
from tests.diffusion.streaming import CLOSING, MARATHON, START_LIST, Node, ranked, serve
from tests.web.browsing import axe_violations, readable

from podium.core.db import Planes
from podium.core.settings import Settings
from podium.diffusion.capture import UnitUpdate
from podium.odf import GAMES_DOCUMENT_CODE
from podium.paris2024 import ImportReport

pytestmark = pytest.mark.browser


@pytest.fixture
def node(imported: tuple[Planes, ImportReport, Path], tmp_path: Path) -> Iterator[Node]:
    """A private copy of the imported node, served with its feed engine running."""
    copy_sqlite_node(imported[2], tmp_path / "node")
    with serve(Settings(data_dir=tmp_path / "node", secure_cookies=False)) as served:
        yield served


def sent(node: Node, unit: str, update: UnitUpdate) -> None:
    """Capture an update on the node and wait until the feed has sent it."""
    node.capture(unit, update)
    node.settle()


def no_axe_violations(page: Page) -> None:
    """Assert that axe-core finds nothing on the page as it is now."""
    violations = axe_violations(page)
    assert violations == [], readable(violations)


def mark_loaded(page: Page) -> None:
    """Mark the loaded document, so a reload (which would lose the mark) is caught."""
    page.evaluate("window.podiumTestMark = 'not reloaded'")


def not_reloaded(page: Page) -> bool:
    """Whether the document marked by `mark_loaded` is still the one shown."""
    return bool(page.evaluate("window.podiumTestMark === 'not reloaded'"))


def test_a_unit_page_swaps_in_new_results_and_announces_them_politely(
    node: Node, page: Page
) -> None:
    page.set_viewport_size({"width": 900, "height": 420})
    page.goto(f"{node.url}/en/units/{MARATHON}")
    status = page.locator("#live-status")
    assert (status.get_attribute("role"), status.get_attribute("aria-live")) == (
        "status",
        "polite",
    )
    assert status.inner_text() == ""
    expect(page.locator("main")).to_contain_text("No results for this unit")
    mark_loaded(page)

    sent(node, MARATHON, START_LIST)
    results = page.locator("main table.results")
    expect(results).to_contain_text("HARVEY Jack")
    at = node.sent_at("DT_RESULT", MARATHON, "en")
    expect(status).to_have_text(f"Results updated: Start list, {at}")

    # Focus on the results' scrolling region and the page scrolled: both survive the swap.
    page.locator("main .table-region").focus()
    page.evaluate("window.scrollTo(0, 120)")
    scrolled = page.evaluate("window.scrollY")
    assert scrolled > 0
    sent(node, MARATHON, ranked("UNOFFICIAL"))
    at = node.sent_at("DT_RESULT", MARATHON, "en")
    expect(status).to_have_text(f"Results updated: Unofficial, {at}")
    expect(results.locator("thead")).to_contain_text("Rank")
    assert page.evaluate("document.activeElement.matches('main .table-region')")
    assert page.evaluate("window.scrollY") == scrolled
    assert not_reloaded(page)
    # Only the short summary is live; the table is swapped, never announced.
    assert page.locator("[aria-live]").count() == 1
    assert page.evaluate("document.querySelector('table').closest('[aria-live]')") is None
    assert page.evaluate("document.getAnimations().length") == 0  # motion is reduced
    no_axe_violations(page)


def test_the_schedule_updates_a_units_status_in_french(node: Node, page: Page) -> None:
    page.goto(f"{node.url}/fr/schedule?day=2024-08-11&discipline=CER")
    row = page.get_by_role("row").filter(has_text="Closing Ceremony")
    expect(row).to_contain_text("Programmé")
    mark_loaded(page)
    sent(node, CLOSING, UnitUpdate(schedule_status="RUNNING"))
    expect(row).to_contain_text("En cours")
    at = node.sent_at("DT_SCHEDULE_UPDATE", "CER" + "-" * 31, "fr")
    expect(page.locator("#live-status")).to_have_text(f"Calendrier mis à jour : {at}")
    assert not_reloaded(page)
    no_axe_violations(page)


def test_the_medal_table_counts_a_new_gold_medal(node: Node, page: Page) -> None:
    page.goto(f"{node.url}/en/medals")
    table = page.locator("main table.medal-table")
    expect(table).not_to_contain_text("BER")
    mark_loaded(page)
    sent(node, MARATHON, START_LIST)
    sent(node, MARATHON, ranked("OFFICIAL"))
    bermuda = table.get_by_role("row").filter(has_text="BER")
    expect(bermuda).to_contain_text("Bermuda")
    assert bermuda.locator("td").all_inner_texts()[1:] == ["1", "0", "0", "1"]
    at = node.sent_at("DT_MEDALS", GAMES_DOCUMENT_CODE, "en")
    expect(page.locator("#live-status")).to_have_text(f"Medal table updated: {at}")
    assert not_reloaded(page)
    no_axe_violations(page)


def test_the_paralympic_medal_table_ignores_the_olympic_feed(node: Node, page: Page) -> None:
    page.goto(f"{node.url}/en/medals?games=PG2024")
    before = page.locator("main").inner_html()
    fetched: list[str] = []
    page.on("request", lambda request: fetched.append(request.url))
    sent(node, MARATHON, START_LIST)
    sent(node, MARATHON, ranked("OFFICIAL"))
    page.wait_for_timeout(1500)  # the DT_MEDALS frame arrives within a few hundred ms
    assert [url for url in fetched if "/medals" in url] == []
    assert page.locator("main").inner_html() == before


def test_an_update_fades_in_once_when_motion_is_allowed(node: Node, browser: Browser) -> None:
    context = browser.new_context(reduced_motion="no-preference")
    page = context.new_page()
    page.goto(f"{node.url}/en/units/{MARATHON}")
    sent(node, MARATHON, START_LIST)
    expect(page.locator("#live-status")).to_contain_text("Results updated")
    assert page.evaluate("document.getAnimations().length") >= 1
    assert page.evaluate(
        "document.getAnimations().every(a => a.effect.getTiming().iterations === 1)"
    )
    context.close()


def test_without_javascript_the_page_shows_the_same_data_and_refresh_brings_changes(
    node: Node, browser: Browser, page: Page
) -> None:
    sent(node, MARATHON, START_LIST)
    page.goto(f"{node.url}/en/units/{MARATHON}")
    context = browser.new_context(java_script_enabled=False, reduced_motion="reduce")
    plain = context.new_page()
    plain.goto(f"{node.url}/en/units/{MARATHON}")
    at = node.sent_at("DT_RESULT", MARATHON, "en")
    expect(plain.locator("#live-status")).to_have_text(f"Results updated: Start list, {at}")
    assert plain.locator("meta[http-equiv]").count() == 0

    sent(node, MARATHON, ranked("UNOFFICIAL"))
    at = node.sent_at("DT_RESULT", MARATHON, "en")
    expect(page.locator("#live-status")).to_have_text(f"Results updated: Unofficial, {at}")
    expect(plain.locator("main")).not_to_contain_text("Unofficial")
    with plain.expect_navigation():
        plain.get_by_role("link", name="Refresh", exact=True).click()
    expect(plain.locator("#live-status")).to_have_text(f"Results updated: Unofficial, {at}")
    assert plain.locator("main").inner_text() == page.locator("main").inner_text()
    context.close()
