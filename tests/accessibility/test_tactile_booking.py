"""The tablet page links to the booking of a tactile tablet (the ticketing's tablet add-on).

On a private copy of the imported node with the ticketing inventory loaded: the page of
a unit whose session is on sale links to that session's page, at its tablet add-on, and
says how many tablets are left; a tablet sold shows on the next visit. (Without tickets
on sale the page has no booking link: `test_tactile_pages`.)
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from lxml import html

from podium.core.db import Planes
from podium.games import queries
from podium.paris2024 import ImportReport
from podium.ticketing import InventoryRow, session_availability
from tests.accessibility.tactile_support import FOOTBALL_FINAL
from tests.web.ticketing_node import ticketing_node


@pytest.fixture(scope="module")
def on_sale(
    imported: tuple[Planes, ImportReport, Path], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[TestClient, Planes]]:
    """A test client over a private copy of the imported node, with tickets on sale."""
    folder = tmp_path_factory.mktemp("tablet-booking")
    with (
        ticketing_node(imported[2], folder) as made,
        TestClient(made.app, follow_redirects=False) as client,
    ):
        yield client, made.planes


def _booking(client: TestClient, lang: str) -> html.HtmlElement | None:
    page = client.get(f"/{lang}/units/{FOOTBALL_FINAL}/tactile")
    assert page.status_code == 200
    found = html.fromstring(page.text).xpath("//p[@id='tablet-booking']")
    return found[0] if found else None


def _tablets_left(planes: Planes, session_code: str) -> int:
    with planes.games_session() as games:
        rows = session_availability(games, session_code)
    return sum(r.available for r in rows if r.kind == "tablet")


@pytest.mark.parametrize(
    ("lang", "words"),
    [("en", "Book a tactile tablet for this session"), ("fr", "Réserver une tablette tactile")],
)
def test_the_tablet_page_links_to_the_sessions_tablet_add_on(
    on_sale: tuple[TestClient, Planes], lang: str, words: str
) -> None:
    client, planes = on_sale
    with planes.games_session() as games:
        session_code = queries.unit(games, FOOTBALL_FINAL).session_code
    assert session_code is not None
    left = _tablets_left(planes, session_code)
    assert left > 0
    booking = _booking(client, lang)
    assert booking is not None
    link = booking.xpath(".//a")[0]
    assert link.get("href") == f"/{lang}/tickets/sessions/{session_code}#tablets"
    assert words in link.text_content()
    assert booking.text_content().rstrip(")").endswith(f": {left}")
    target = client.get(link.get("href").split("#")[0])
    assert target.status_code == 200
    assert html.fromstring(target.text).xpath("//h2[@id='tablets']")


def test_the_tablets_left_follow_the_inventory(on_sale: tuple[TestClient, Planes]) -> None:
    client, planes = on_sale
    with planes.games_session() as games:
        session_code = queries.unit(games, FOOTBALL_FINAL).session_code
        row = games.query(InventoryRow).filter_by(session_code=session_code, kind="tablet").one()
        row.sold += 1
    booking = _booking(client, "en")
    assert booking is not None
    assert (
        booking.text_content()
        .rstrip(")")
        .endswith(f": {_tablets_left(planes, session_code or '')}")
    )
