"""The tactile pages as served: the public tablet page and the staff input page.

What the browser test does not cover: the pages without JavaScript, their languages,
the canonical address, and who may open the input page.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from podium.api import create_app
from podium.core.db import Planes
from podium.core.settings import Settings
from podium.privacy.operators import find_operator
from podium.privacy.sessions import open_web_session
from podium.privacy.spine import Spine
from tests.accessibility.tactile_support import FOOTBALL_FINAL, MARATHON, Tracker, tracker
from tests.operators import TestOperator

TABLE_TENNIS = "TTEMSINGLES-----------FNL-000100--"
STAFF = f"/staff/en/tactile/{FOOTBALL_FINAL}"


@pytest.fixture(scope="module")
def app(node_settings: Settings, planes: Planes, spine: Spine) -> FastAPI:
    return create_app(node_settings, planes, spine)


@pytest.fixture(scope="module")
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app, follow_redirects=False) as test_client:
        yield test_client


@pytest.fixture(scope="module")
def operator(planes: Planes, spine: Spine) -> Tracker:
    return tracker(planes, spine)


def signed_in(cookie: str) -> dict[str, str]:
    return {"Cookie": f"podium_session={cookie}"}


@pytest.mark.parametrize(
    ("lang", "texts"),
    [
        ("en", ["Tactile stream: ", "needs JavaScript to follow the ball", "Not connected"]),
        ("fr", ["Flux tactile : ", "a besoin de JavaScript pour suivre le ballon"]),
    ],
)
def test_the_tablet_page_explains_itself_without_javascript(
    client: TestClient, lang: str, texts: list[str]
) -> None:
    page = client.get(f"/{lang}/units/{FOOTBALL_FINAL}/tactile")
    assert page.status_code == 200
    assert f'<html lang="{lang}">' in page.text
    for text in texts:
        assert text in page.text
    assert f'href="/{lang}/units/{FOOTBALL_FINAL}"' in page.text
    assert f'data-tactile-stream="/feed/tactile/{FOOTBALL_FINAL}"' in page.text
    assert 'id="tactile-ball"' in page.text


def test_the_tablet_page_draws_the_sports_playing_area(client: TestClient) -> None:
    pitch = client.get(f"/en/units/{FOOTBALL_FINAL}/tactile").text
    table = client.get(f"/en/units/{TABLE_TENNIS}/tactile").text
    assert 'data-tactile-width="1050" data-tactile-height="680"' in pitch
    assert 'data-tactile-width="1000" data-tactile-height="556"' in table
    assert 'class="tactile-net"' in table
    assert 'class="tactile-net"' not in pitch


def test_no_booking_link_when_the_session_is_not_on_sale(client: TestClient) -> None:
    page = client.get(f"/en/units/{FOOTBALL_FINAL}/tactile")
    assert page.status_code == 200
    assert 'id="tablet-booking"' not in page.text
    assert "/tickets/sessions/" not in page.text


def test_a_sport_without_a_ball_says_so(client: TestClient) -> None:
    page = client.get(f"/en/units/{MARATHON}/tactile")
    assert page.status_code == 200
    assert "This sport has no ball to follow" in page.text
    assert "tactile.js" not in page.text


def test_a_lower_case_address_moves_to_the_canonical_one(client: TestClient) -> None:
    moved = client.get(f"/fr/units/{FOOTBALL_FINAL.lower()}/tactile")
    assert moved.status_code == 308
    assert moved.headers["location"] == f"/fr/units/{FOOTBALL_FINAL}/tactile"
    assert client.get("/en/units/NOPE/tactile").status_code == 404


def test_the_input_page_asks_the_public_to_sign_in(client: TestClient) -> None:
    answer = client.get(STAFF)
    assert answer.status_code == 303
    assert answer.headers["location"].startswith("/staff/login?next=")


def test_the_input_page_is_for_staff_with_a_tracking_role(
    client: TestClient, planes: Planes, operator: Tracker, operators: dict[str, TestOperator]
) -> None:
    assert "eu-admin" in operators  # an EU administrator, without a tracking role
    with planes.sovereign_session() as session:
        admin = open_web_session(session, find_operator(session, "eu-admin"), "security")
    refused = client.get(STAFF, headers=signed_in(admin))
    assert refused.status_code == 403
    assert "results-manager or accessibility-coordinator" in refused.text
    page = client.get(STAFF, headers=signed_in(operator.cookie))
    assert page.status_code == 200
    assert page.headers["cache-control"] == "no-store"
    assert f'data-tactile-post="/api/tactile/{FOOTBALL_FINAL}/frames"' in page.text
    assert 'data-tactile-csrf=""' not in page.text
    assert 'role="application"' in page.text
    french = client.get(f"/staff/fr/tactile/{FOOTBALL_FINAL}", headers=signed_in(operator.cookie))
    assert '<html lang="fr">' in french.text
    assert "Suivre le ballon" in french.text
    assert f'href="/staff/en/tactile/{FOOTBALL_FINAL}"' in french.text


def test_the_input_page_refuses_a_unit_without_a_ball(
    client: TestClient, operator: Tracker
) -> None:
    answer = client.get(f"/staff/en/tactile/{MARATHON}", headers=signed_in(operator.cookie))
    assert answer.status_code == 404
