"""The scanner page in headless Chromium: keyboard only, axe-core clean in EN and FR, no JS."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page
from tests.diffusion.conftest import copy_sqlite_node
from tests.operators import PASSWORD
from tests.ticketing.conftest import Clock
from tests.web.browsing import axe_violations, chromium, live_server, readable, staff_sign_in
from tests.web.test_scanner_support import GATE_STAFF, ScannerWorld, build_scanner_world

from podium.api import create_app
from podium.core.db import Planes
from podium.paris2024 import ImportReport

pytestmark = pytest.mark.browser


@pytest.fixture
def world(imported: tuple[Planes, ImportReport, Path], tmp_path: Path) -> ScannerWorld:
    copy_sqlite_node(imported[2], tmp_path / "node")
    return build_scanner_world(tmp_path / "node", Clock())


@pytest.fixture
def node(world: ScannerWorld) -> Iterator[str]:
    app = create_app(world.settings, world.shop.planes, world.shop.spine)
    app.state.clock = world.shop.clock
    with live_server(app) as url:
        yield url


@pytest.fixture
def browser() -> Iterator[Browser]:
    with chromium() as launched:
        yield launched


def sign_in(page: Page, node: str) -> None:
    staff_sign_in(page, node, GATE_STAFF, PASSWORD, "access-control")


def keyboard_scan(page: Page, code: str) -> None:
    """Fill the code and send the form with the keyboard alone (Tab to the button, Enter)."""
    page.locator("#code").focus()
    page.keyboard.insert_text(code)
    page.keyboard.press("Tab")  # the rotating code field
    page.keyboard.press("Tab")  # the Check button
    focused = page.evaluate("document.activeElement.textContent.trim()")
    assert focused in {"Check", "Contrôler"}
    with page.expect_navigation():
        page.keyboard.press("Enter")


def test_gate_staff_scan_with_the_keyboard_and_the_page_is_axe_clean(
    browser: Browser, node: str, world: ScannerWorld
) -> None:
    context = browser.new_context(reduced_motion="reduce")
    page = context.new_page()
    sign_in(page, node)
    page.goto(f"{node}/staff/scanner")
    assert page.locator("#camera").is_hidden()  # headless Chromium has no BarcodeDetector
    assert axe_violations(page) == [], readable(axe_violations(page))
    keyboard_scan(page, world.shown(world.shop.clock()))
    assert page.get_by_role("status").inner_text().startswith("✓")
    assert "ADMITTED" in page.get_by_role("status").inner_text()
    assert axe_violations(page) == [], readable(axe_violations(page))
    page.goto(f"{node}/staff/fr/scanner")
    keyboard_scan(page, world.shown(world.shop.clock()))
    alert = page.get_by_role("alert").inner_text()
    assert "ACCÈS REFUSÉ" in alert
    assert "already_inside" in alert
    assert axe_violations(page) == [], readable(axe_violations(page))
    context.close()


def test_the_scanner_works_without_javascript(
    browser: Browser, node: str, world: ScannerWorld
) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    sign_in(page, node)
    page.goto(f"{node}/staff/scanner")
    page.locator("#code").fill(world.ticket_text)
    with page.expect_navigation():
        page.get_by_role("button", name="Check").click()
    assert "code_missing" in page.get_by_role("alert").inner_text()
    context.close()
