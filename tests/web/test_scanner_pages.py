"""The scanner page without a browser: sign-in, roles, CSRF, decisions in EN and FR."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from tests.diffusion.conftest import copy_sqlite_node
from tests.operators import PASSWORD
from tests.ticketing.conftest import Clock
from tests.web.test_scanner_support import (
    BOX_OFFICE,
    GATE_STAFF,
    OTHER_STAFF,
    STAFF,
    ScannerWorld,
    build_scanner_world,
)

from podium.api import create_app
from podium.core.db import Planes
from podium.paris2024 import ImportReport
from podium.privacy.operators import Principal
from podium.privacy.regions import Region
from podium.ticketing import ticket_view

CSRF = re.compile(r'name="csrf" value="([^"]+)"')
NONCE = re.compile(r'name="nonce" value="([^"]+)"')


@pytest.fixture
def world(imported: tuple[Planes, ImportReport, Path], tmp_path: Path) -> ScannerWorld:
    copy_sqlite_node(imported[2], tmp_path / "node")
    return build_scanner_world(tmp_path / "node", Clock())


@pytest.fixture
def client(world: ScannerWorld) -> Iterator[TestClient]:
    app = create_app(world.settings, world.shop.planes, world.shop.spine)
    with TestClient(app, follow_redirects=False) as client:
        app.state.clock = world.shop.clock
        yield client


def sign_in(client: TestClient, username: str) -> None:
    data = {"username": username, "password": PASSWORD, "purpose": STAFF[username][1]}
    assert client.post("/staff/login", data=data).status_code == 303


def post_scan(
    client: TestClient, world: ScannerWorld, code: str, path: str = "/staff/scanner", **extra: str
) -> str:
    form = client.get(path).text
    data = {
        "csrf": CSRF.search(form).group(1),  # type: ignore[union-attr]
        "nonce": NONCE.search(form).group(1),  # type: ignore[union-attr]
        "lane": world.lane,
        "direction": "entry",
        "code": code,
    } | extra
    response = client.post(path, data=data)
    assert response.status_code in {200, 422}, response.text
    return str(response.text)


@pytest.mark.parametrize("username", [OTHER_STAFF, BOX_OFFICE])
def test_the_scanner_needs_a_sign_in_and_the_gate_staff_role(
    client: TestClient, world: ScannerWorld, username: str
) -> None:
    assert client.get("/staff/scanner").headers["location"].startswith("/staff/login")
    sign_in(client, username)
    assert client.get("/staff/scanner").status_code == 403
    body = {"device": world.lane.split("|")[0], "code": "x", "gate": "G1", "nonce": "nonce-0001"}
    refused = client.post("/api/gates/scan", json=body)
    assert (refused.status_code, refused.json()["error"]) == (403, "role_missing")


def test_a_gate_staff_session_sees_no_orders_nor_holders(
    client: TestClient, world: ScannerWorld
) -> None:
    sign_in(client, GATE_STAFF)
    account = world.box.shop.fan("Léa Dupont")
    orders = client.get("/api/ticketing/staff/orders", params={"account": account})
    assert (orders.status_code, orders.json()["error"]) == (403, "role_missing")
    doubles = client.get("/api/gates/double-entries")
    assert (doubles.status_code, doubles.json()["error"]) == (403, "role_missing")
    package = client.get(f"/api/gates/devices/{world.lane.split('|')[0]}/package")
    assert package.status_code == 403  # it holds the ticket code keys
    ticket = world.box.buy(account)[0]
    with world.box.desk() as desk:
        seen = {
            username: ticket_view(desk, ticket.ticket_id, principal=_principal(username))
            for username in (GATE_STAFF, BOX_OFFICE)
        }
    assert (seen[GATE_STAFF].holder_name, seen[BOX_OFFICE].holder_name) == (None, "Léa Dupont")


def _principal(username: str) -> Principal:
    roles, purpose = STAFF[username]
    return Principal(
        operator_id=f"op-{username}",
        username=username,
        display_name=username,
        roles=frozenset(roles),
        purposes=frozenset({purpose}),
        region=Region.EU_EEA,
        scopes=None,
        purpose=purpose,
    )


def test_gate_staff_admit_a_ticket_then_see_the_second_entry_refused(
    client: TestClient, world: ScannerWorld
) -> None:
    sign_in(client, GATE_STAFF)
    page = client.get("/staff/scanner")
    assert page.status_code == 200
    assert 'id="camera" hidden' in page.text
    admitted = post_scan(client, world, world.shown(world.shop.clock()))
    assert 'class="decision decision-ok"' in admitted
    assert "ADMITTED" in admitted
    refused = post_scan(client, world, world.shown(world.shop.clock()))
    assert 'role="alert"' in refused
    assert "already_inside" in refused


def test_a_screenshot_and_a_missing_code_are_refused_in_french(
    client: TestClient, world: ScannerWorld
) -> None:
    sign_in(client, GATE_STAFF)
    clock = world.shop.clock
    stale = post_scan(
        client, world, world.shown(clock.now - timedelta(minutes=5)), "/staff/fr/scanner"
    )
    assert "ACCÈS REFUSÉ" in stale
    assert "code_stale" in stale
    missing = post_scan(client, world, world.ticket_text, "/staff/fr/scanner")
    assert "Code tournant absent" in missing


def test_a_form_without_its_csrf_token_is_refused(client: TestClient, world: ScannerWorld) -> None:
    sign_in(client, GATE_STAFF)
    data = {"lane": world.lane, "code": "x", "nonce": "nonce-0001"}
    assert client.post("/staff/scanner", data=data).status_code == 403


def test_an_unknown_lane_is_reported_on_the_page(client: TestClient, world: ScannerWorld) -> None:
    sign_in(client, GATE_STAFF)
    text = post_scan(client, world, world.ticket_text, lane="gdv_0000000000000000|G1")
    assert "Not sent" in text


def test_the_scanner_reads_the_application_clock_set_after_it_opened(
    client: TestClient, world: ScannerWorld
) -> None:
    sign_in(client, GATE_STAFF)
    assert client.get("/staff/scanner").status_code == 200  # the gate services are open
    later = Clock(world.shop.clock.now + timedelta(minutes=10))
    client.app.state.clock = later  # type: ignore[attr-defined]
    admitted = post_scan(client, world, world.shown(later.now))
    assert "ADMITTED" in admitted, admitted
