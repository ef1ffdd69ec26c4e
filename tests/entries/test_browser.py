"""The staff entries pages in headless Chromium: keyboard-only entering, and no axe violation."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page
from sqlalchemy import select

from podium.core.db import Planes
from podium.entries import Entry, EntryStatus
from podium.paris2024 import ImportReport
from podium.people import Participant
from tests.entries.node import EntriesNode, entries_node
from tests.operators import PASSWORD
from tests.web.browsing import axe_violations, chromium, fresh_page, live_server, readable, tab_to

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def node(
    imported: tuple[Planes, ImportReport, Path], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[EntriesNode]:
    with entries_node(imported[2], tmp_path_factory.mktemp("entries-browser")) as made:
        yield made


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with chromium() as launched:
        yield launched


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    with fresh_page(browser) as opened:
        yield opened


@pytest.fixture(scope="module")
def url(node: EntriesNode) -> Iterator[str]:
    with live_server(node.app) as base:
        yield base


@pytest.fixture(scope="module")
def sprinter(node: EntriesNode) -> str:
    """A French man entered in the 200 m but not in the 100 m (FRA has room in the 100 m)."""
    with node.planes.games_session() as games:
        in_100 = set(
            games.scalars(
                select(Entry.participant_code).where(
                    Entry.event_code == "ATHM100M", Entry.status == EntryStatus.ENTERED
                )
            )
        )
        candidates = games.scalars(
            select(Participant.code).where(
                Participant.noc == "FRA",
                Participant.gender == "M",
                Participant.events.contains("ATHM200M"),
            )
        )
        return next(code for code in candidates if code not in in_100)


def _sign_in(page: Page, url: str) -> None:
    page.goto(f"{url}/staff/login")
    tab_to(page, "e.id === 'f-username'", 40)
    page.keyboard.type("fra-entries")
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(f"{url}/staff/")


def test_keyboard_alone_enters_an_athlete_and_reads_a_refusal(
    page: Page, url: str, sprinter: str
) -> None:
    _sign_in(page, url)
    page.goto(f"{url}/staff/entries?event=ATHM100M")
    tab_to(page, "e.id === 'f-event'", 400)
    assert page.evaluate("document.activeElement.value") == "ATHM100M"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "f-participant_code"
    page.keyboard.type(sprinter)
    page.keyboard.press("Enter")
    page.wait_for_url("**done=entered*")
    assert page.get_by_role("status").inner_text() == "The entry was made."
    tab_to(page, "e.id === 'f-participant_code'", 400)
    page.keyboard.type(sprinter)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    alert = page.get_by_role("alert")
    assert "(duplicate_entry)" in alert.inner_text()
    violations = axe_violations(page)
    assert violations == [], readable(violations)


PAGES = {
    "usage": "/staff/entries",
    "event": "/staff/entries?event=JUDM60KG",
    "french": "/staff/fr/entries?event=JUDM60KG",
    "unknown-event": "/staff/entries?event=NOPE",
    "start-list": "/staff/entries/start-list?event=JUDM60KG",
}


@pytest.mark.parametrize("name", list(PAGES))
def test_entries_page_has_no_axe_violations_and_reflows(page: Page, url: str, name: str) -> None:
    _sign_in(page, url)
    response = page.goto(url + PAGES[name])
    assert response is not None
    assert response.status == (422 if name == "unknown-event" else 200)
    violations = axe_violations(page)
    assert violations == [], f"{PAGES[name]}:\n{readable(violations)}"
    assert page.evaluate("document.documentElement.lang") == ("fr" if name == "french" else "en")
    page.set_viewport_size({"width": 320, "height": 800})
    assert not page.evaluate("document.documentElement.scrollWidth > window.innerWidth")
