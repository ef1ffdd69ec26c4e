"""The staff pages in headless Chromium: keyboard-only sign-in, and axe-core finds no violation.

Same set-up as `test_browser.py`: Debian's `/usr/bin/chromium`, axe-core from the pinned
`axe-playwright-python` package, and a live uvicorn server, here over the whole application
(`create_app`) on the imported node whose keys the privacy spine holds.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page
from sqlalchemy import select
from tests.operators import PASSWORD, TestOperator
from tests.web.browsing import axe_violations, live_server, readable, tab_to

from podium.api import create_app
from podium.core.db import Planes
from podium.core.settings import Settings
from podium.paris2024 import ImportReport
from podium.people import Participant
from podium.privacy.spine import Spine
from podium.subjects import register_request

pytestmark = pytest.mark.browser

ATHLETE = "LYLES Noah"


@pytest.fixture(scope="session")
def planes(imported: tuple[Planes, ImportReport, Path]) -> Planes:
    """The root conftest's imported node (whose keys the spine holds), not the pages' own."""
    return imported[0]


@pytest.fixture(scope="module")
def athlete(planes: Planes) -> str:
    with planes.games_session() as session:
        code = session.scalar(select(Participant.code).where(Participant.printed_name == ATHLETE))
    assert code is not None
    return code


@pytest.fixture(scope="module")
def node(
    node_settings: Settings,
    planes: Planes,
    spine: Spine,
    operators: dict[str, TestOperator],
    athlete: str,
) -> Iterator[str]:
    """Serve the whole application with uvicorn on a free port; yield the base URL."""
    register_request(planes, spine, athlete, "access")
    app = create_app(node_settings, planes, spine)
    with live_server(app) as url:
        yield url


def _sign_in_by_keyboard(page: Page, node: str, username: str, purpose: str) -> None:
    page.goto(f"{node}/staff/login")
    tab_to(page, "e.id === 'f-username'", 15)
    page.keyboard.type(username)
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "f-password"
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "f-purpose"
    page.keyboard.type(purpose)
    assert page.evaluate("document.activeElement.value") == purpose
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Sign in"
    page.keyboard.press("Enter")
    page.wait_for_url(f"{node}/staff/")


def test_keyboard_alone_signs_in_and_opens_a_persons_page(
    page: Page, node: str, athlete: str
) -> None:
    _sign_in_by_keyboard(page, node, "eu-accreditation", "accreditation")
    assert page.get_by_role("heading", level=1).inner_text() == "Dashboard"
    tab_to(page, "e.id === 'f-code'", 40)
    page.keyboard.type(athlete)
    page.keyboard.press("Enter")
    page.wait_for_url(f"{node}/staff/people/{athlete}")
    table = page.get_by_role("table", name=f"Protected fields of {ATHLETE}")
    row = table.get_by_role("row", name="Date of birth")
    assert row.get_by_role("cell").first.inner_text().count("-") == 2  # an ISO date, shown


def test_the_focused_field_is_visibly_outlined(page: Page, node: str) -> None:
    page.goto(f"{node}/staff/login")
    tab_to(page, "e.id === 'f-username'", 15)
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline == "solid"


PAGES = {
    "dashboard": "/staff/",
    "people-search": "/staff/people",
    "people-search-error": "/staff/people?code=",
    "person": "/staff/people/{athlete}",
    "operators": "/staff/operators",
    "requests": "/staff/requests",
    "audit": "/staff/audit",
    "not-found": "/staff/people/NOPE",
}


@pytest.mark.parametrize("name", list(PAGES))
def test_staff_page_has_no_axe_violations_and_reflows(
    page: Page, node: str, athlete: str, name: str
) -> None:
    _sign_in_by_keyboard(page, node, "eu-dpo", "data-subject-rights")
    response = page.goto(node + PAGES[name].format(athlete=athlete))
    assert response is not None
    assert response.status == {"people-search-error": 422, "not-found": 404}.get(name, 200)
    violations = axe_violations(page)
    assert violations == [], f"{PAGES[name]}:\n{readable(violations)}"
    assert page.evaluate("document.documentElement.lang") == "en"
    page.set_viewport_size({"width": 320, "height": 800})
    assert not page.evaluate("document.documentElement.scrollWidth > window.innerWidth")


def test_sign_in_page_and_its_error_have_no_axe_violations(page: Page, node: str) -> None:
    page.goto(f"{node}/staff/login")
    assert axe_violations(page) == []
    page.get_by_label("Username").fill("eu-dpo")
    page.get_by_label("Password").fill("wrong password")
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in").click()
    assert page.get_by_role("alert").is_visible()
    violations = axe_violations(page)
    assert violations == [], readable(violations)
    assert page.get_by_label("Username").get_attribute("aria-invalid") == "true"


def test_operator_form_errors_and_the_refusal_page_have_no_axe_violations(
    page: Page, node: str
) -> None:
    _sign_in_by_keyboard(page, node, "eu-admin", "security")
    page.goto(f"{node}/staff/operators")
    page.get_by_label("Username", exact=True).fill("Bad Name!")
    page.get_by_label("Home country").fill("FR")
    with page.expect_navigation():
        page.get_by_role("button", name="Create the account").click()
    assert page.get_by_role("alert").is_visible()
    violations = axe_violations(page)
    assert violations == [], readable(violations)
    response = page.goto(f"{node}/staff/audit")
    assert response is not None
    assert response.status == 403
    violations = axe_violations(page)
    assert violations == [], readable(violations)
