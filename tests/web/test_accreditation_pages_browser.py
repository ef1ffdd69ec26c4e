"""The accreditation desk and portal in headless Chromium: axe-core, keyboard, no JavaScript.

Same set-up as `test_staff_browser.py`: Debian's `/usr/bin/chromium`, axe-core from the
pinned `axe-playwright-python` package, and the whole application under uvicorn on the
imported node. Every page, in English and in French, with its error states, has no axe
violation and reflows at 320 CSS pixels; a desk officer goes from the search to a printed
card with the keyboard alone; the forms work with JavaScript switched off.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page
from tests.operators import PASSWORD
from tests.web.browsing import axe_violations, live_server, readable, staff_sign_in, tab_to
from tests.web.test_accreditation_pages_support import (
    AccreditationWorld,
    build_world,
    principal_of,
    status_of,
)

from podium.accreditation import open_desk, submit
from podium.api import create_app
from podium.core.db import Planes, open_planes
from podium.core.settings import Settings
from podium.migrations import upgrade_all
from podium.paris2024 import DEFAULT_SOURCE, ImportOptions, import_paris2024
from podium.privacy.spine import Spine, open_spine

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def private_node(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[Settings, Planes, Spine]]:
    """A node of its own, freshly imported: the route tests move the shared node's
    accreditations through their steps, which would change the pages checked here."""
    target = tmp_path_factory.mktemp("accreditation-browser") / "node"
    settings = Settings(data_dir=target, secure_cookies=False)
    planes = open_planes(settings)
    upgrade_all(planes.games, planes.sovereign)
    import_paris2024(planes, ImportOptions(source=DEFAULT_SOURCE, data_dir=target))
    spine = open_spine(settings)
    yield settings, planes, spine
    spine.close()
    planes.dispose()


@pytest.fixture(scope="module")
def node_settings(private_node: tuple[Settings, Planes, Spine]) -> Settings:
    return private_node[0]


@pytest.fixture(scope="module")
def planes(private_node: tuple[Settings, Planes, Spine]) -> Planes:
    return private_node[1]


@pytest.fixture(scope="module")
def spine(private_node: tuple[Settings, Planes, Spine]) -> Spine:
    return private_node[2]


@pytest.fixture(scope="module")
def world(planes: Planes, spine: Spine) -> AccreditationWorld:
    return build_world(planes, spine)


@pytest.fixture(scope="module")
def node(
    node_settings: Settings, planes: Planes, spine: Spine, world: AccreditationWorld
) -> Iterator[str]:
    """Serve the whole application with uvicorn on a free port; yield the base URL."""
    desk = open_desk(node_settings, planes, spine)
    submit(desk, principal_of(planes, "eu-desk"), [world.numbers["FR-004"]])
    with live_server(create_app(node_settings, planes, spine)) as url:
        yield url


def _sign_in(page: Page, node: str, username: str) -> None:
    staff_sign_in(page, node, username, PASSWORD, "accreditation")


@pytest.fixture(scope="module")
def signed_in(browser: Browser, node: str) -> dict[str, Any]:
    """One sign-in per account for the whole module: its cookies, to open contexts with."""
    states = {}
    for username in ("eu-desk", "pdma-registrar"):
        context = browser.new_context()
        _sign_in(context.new_page(), node, username)
        states[username] = context.storage_state()
        context.close()
    return states


def _assert_accessible(page: Page, lang: str, what: str) -> None:
    violations = axe_violations(page)
    assert violations == [], f"{what}:\n{readable(violations)}"
    assert page.evaluate("document.documentElement.lang") == lang
    page.set_viewport_size({"width": 320, "height": 800})
    assert not page.evaluate("document.documentElement.scrollWidth > window.innerWidth"), what
    page.set_viewport_size({"width": 1280, "height": 800})


PAGES = {
    "desk": ("eu-desk", "/accreditation", 200),
    "desk-search": ("eu-desk", "/accreditation?q=cerny", 200),
    "desk-search-error": ("eu-desk", "/accreditation?q=", 422),
    "desk-list": ("eu-desk", "/accreditation?organisation=PDMA", 200),
    "accreditation": ("eu-desk", "/accreditation/{number}", 200),
    "not-found": ("eu-desk", "/accreditation/999999999", 404),
    "portal": ("pdma-registrar", "/portal", 200),
    "refused": ("pdma-registrar", "/accreditation/{number}", 403),
}


@pytest.mark.parametrize("lang", ["en", "fr"])
@pytest.mark.parametrize("name", list(PAGES))
def test_page_has_no_axe_violations_and_reflows(  # noqa: PLR0913 - fixtures and parameters
    browser: Browser,
    node: str,
    *,
    signed_in: dict[str, Any],
    world: AccreditationWorld,
    name: str,
    lang: str,
) -> None:
    username, path, status = PAGES[name]
    context = browser.new_context(reduced_motion="reduce", storage_state=signed_in[username])
    page = context.new_page()
    prefix = "/staff" if lang == "en" else "/staff/fr"
    response = page.goto(node + prefix + path.format(number=world.numbers["CZ-001"]))
    assert response is not None
    assert response.status == status
    _assert_accessible(page, lang, f"{name} ({lang})")
    context.close()


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_form_errors_and_the_import_report_have_no_axe_violations(  # noqa: PLR0913 - fixtures
    browser: Browser,
    node: str,
    *,
    signed_in: dict[str, Any],
    world: AccreditationWorld,
    lang: str,
    tmp_path: Path,
) -> None:
    context = browser.new_context(reduced_motion="reduce", storage_state=signed_in["eu-desk"])
    page = context.new_page()
    prefix = "/staff" if lang == "en" else "/staff/fr"
    page.goto(f"{node}{prefix}/accreditation/{world.numbers['GR-003']}")
    with page.expect_navigation():
        page.locator("#step-refuse button").click()
    assert page.get_by_role("alert").is_visible()
    _assert_accessible(page, lang, f"refusal without a reason ({lang})")
    context.close()
    context = browser.new_context(
        reduced_motion="reduce", storage_state=signed_in["pdma-registrar"]
    )
    page = context.new_page()
    page.goto(f"{node}{prefix}/portal")
    page.locator("#f-reference").fill("BAD REF")
    page.locator("#f-nationality").fill("france")
    with page.expect_navigation():
        page.locator(
            "#register button[type=submit], form[action$='/portal/register'] button"
        ).first.click()
    assert page.get_by_role("alert").is_visible()
    assert page.locator("#f-nationality").get_attribute("aria-invalid") == "true"
    _assert_accessible(page, lang, f"registration errors ({lang})")
    csv = tmp_path / "people.csv"
    csv.write_text("reference,family_name,gender\nX-1,Test,Q\n", encoding="utf-8")
    page.locator("#f-people").set_input_files(str(csv))
    with page.expect_navigation():
        page.locator("form[action$='/portal/import'] button").click()
    _assert_accessible(page, lang, f"import refused ({lang})")
    context.close()


def test_keyboard_alone_searches_opens_approves_and_prints_a_card(
    browser: Browser,
    node: str,
    signed_in: dict[str, Any],
    world: AccreditationWorld,
    planes: Planes,
) -> None:
    number = world.numbers["FR-004"]
    context = browser.new_context(
        reduced_motion="reduce", accept_downloads=True, storage_state=signed_in["eu-desk"]
    )
    page = context.new_page()
    page.goto(f"{node}/staff/accreditation")
    tab_to(page, "e.id === 'f-q'")
    page.keyboard.type("LEFEVRE")
    page.keyboard.press("Enter")
    page.wait_for_url("**/staff/accreditation?q=LEFEVRE")
    assert page.get_by_role("table").get_by_text("Zoé LEFÈVRE").is_visible()
    tab_to(page, f"e.getAttribute('href') === '/staff/accreditation/{number}'")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/staff/accreditation/{number}")
    tab_to(page, "e.tagName === 'BUTTON' && e.textContent === 'Approve'")
    assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") == "solid"
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/staff/accreditation/{number}?done=approve")
    assert "Approved." in page.get_by_role("status").inner_text()
    tab_to(page, "e.tagName === 'BUTTON' && e.textContent === 'Print the card'")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/staff/accreditation/{number}?done=print")
    assert "Card printed." in page.get_by_role("status").inner_text()
    tab_to(page, "(e.getAttribute('href') || '').endsWith('/card.pdf')")
    with page.expect_download() as download:
        page.keyboard.press("Enter")
    pdf = Path(download.value.path()).read_bytes()
    assert pdf.startswith(b"%PDF-")
    assert status_of(planes, number) == "printed"
    context.close()


def test_the_desk_works_with_javascript_switched_off(
    browser: Browser, node: str, world: AccreditationWorld, planes: Planes
) -> None:
    number = world.numbers["DE-005"]
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    _sign_in(page, node, "eu-desk")  # the sign-in form, too, works without JavaScript
    page.goto(f"{node}/staff/fr/accreditation/{number}")
    page.get_by_label("Motif du refus").fill("document illisible")
    with page.expect_navigation():
        page.locator("#step-refuse button").click()
    page.wait_for_url(f"**/staff/fr/accreditation/{number}?done=refuse")
    assert "Refusée." in page.get_by_role("status").inner_text()
    assert status_of(planes, number) == "refused"
    context.close()


def test_text_zoomed_to_200_percent_still_fits(
    browser: Browser, node: str, signed_in: dict[str, Any], world: AccreditationWorld
) -> None:
    context = browser.new_context(
        viewport={"width": 640, "height": 900}, storage_state=signed_in["eu-desk"]
    )
    page = context.new_page()
    for path in ("/staff/accreditation", f"/staff/accreditation/{world.numbers['CZ-001']}"):
        page.goto(node + path)
        page.evaluate("document.documentElement.style.fontSize = '200%'")
        assert not page.evaluate("document.documentElement.scrollWidth > window.innerWidth"), path
    context.close()
