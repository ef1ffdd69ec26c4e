"""The gate device API on a served node: devices, online scans, packages, uploads, merge."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient

from podium.accreditation import open_desk
from podium.api import create_app
from podium.gates import (
    AccreditationBody,
    Credential,
    GateScan,
    OfflineGate,
    decode,
    from_text,
    rotating_code,
    screen_text,
    sign,
    ticket_secret,
)
from podium.privacy.operators import create_operator, issue_token
from podium.ticketing import open_ticket_office
from podium.ticketing.models import TicketedSession
from tests.operators import PASSWORD
from tests.ticketing.conftest import SESSION, Shop
from tests.ticketing.ticket_support import Box, box_of

ACCOUNTS = {
    "gate-manager": ["gates:device:manage"],
    "gate-device": ["gates:device:scan"],
}


class Api:
    """A served node with a sold ticket and the two accounts' tokens."""

    def __init__(self, shop: Shop, client: TestClient, tokens: dict[str, str]) -> None:
        self.shop, self.client, self.tokens = shop, client, tokens
        self.box: Box = box_of(shop)
        self.ticket = self.box.buy(shop.fan())[0]
        with shop.planes.games_session() as games:
            self.venue = str(games.get_one(TicketedSession, SESSION).venue_code)
        self.at = self.box.starts_at() - timedelta(minutes=20)

    def auth(self, username: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[username]}"}

    def shown(self, at: datetime) -> str:
        text = self.ticket.credential
        credential = decode(from_text(text)).credential
        key = self.box.office.code_keys[credential.body.code_key]
        return screen_text(text, rotating_code(text, ticket_secret(key, credential), at))

    def device(self, label: str = "North 1") -> str:
        body = {"venue": self.venue, "gates": {"G1": "1", "G2": "1"}, "label": label}
        response = self.client.post(
            "/api/gates/devices", json=body, headers=self.auth("gate-manager")
        )
        assert response.status_code == 201, response.text
        return str(response.json()["id"])

    def scan(self, device: str, code: str, nonce: str, **extra: object) -> dict[str, object]:
        body = {
            "device": device,
            "code": code,
            "gate": "G1",
            "nonce": nonce,
            "at": self.at.isoformat(),
        }
        response = self.client.post(
            "/api/gates/scan", json=body | extra, headers=self.auth("gate-device")
        )
        assert response.status_code == 200, response.text
        return dict(response.json())


@pytest.fixture
def api(shop: Shop) -> Iterator[Api]:
    tokens = {}
    with shop.planes.sovereign_session() as session:
        for username, scopes in ACCOUNTS.items():
            create_operator(
                session,
                username=username,
                display_name=username,
                home_country="FR",
                organisation="PARIS2024",
                roles=(),
                purposes=(),
                known_roles=shop.spine.pdp.roles,
                known_purposes=shop.spine.pdp.purposes,
                password=PASSWORD,
            )
            tokens[username] = issue_token(session, username, scopes, name="tests")
    with TestClient(create_app(shop.settings, shop.planes, shop.spine)) as client:
        yield Api(shop, client, tokens)


def test_a_device_scans_a_ticket_online_with_codes_and_messages(api: Api) -> None:
    device = api.device()
    first = api.scan(device, api.shown(api.at), "api-nonce-0001")
    assert first["reason"] == "admitted"
    assert first["kind"] == "ticket"
    assert first["message_fr"] == "Accès autorisé."
    retry = api.scan(device, api.shown(api.at), "api-nonce-0001")
    assert (retry["reason"], retry["admitted"], retry["duplicate"]) == (
        "duplicate_scan",
        True,
        True,
    )
    again = api.scan(device, api.shown(api.at), "api-nonce-0002")
    assert again["reason"] == "already_inside"
    assert str(again["message_en"]).startswith("Already entered")
    stale = api.scan(device, api.ticket.credential, "api-nonce-0003", rotating_code="000000")
    assert stale["reason"] in {"code_stale", "already_inside"}


def test_the_scan_route_needs_a_device_token(api: Api) -> None:
    device = api.device()
    body = {"device": device, "code": "x", "gate": "G1", "nonce": "api-nonce-0009"}
    assert api.client.post("/api/gates/scan", json=body).status_code == 401
    manager = api.client.post("/api/gates/scan", json=body, headers=api.auth("gate-manager"))
    assert (manager.status_code, manager.json()["error"]) == (403, "scope_missing")
    device_body: dict[str, object] = {"venue": api.venue, "gates": {"G1": "1"}, "label": "x"}
    denied = api.client.post(
        "/api/gates/devices", json=device_body, headers=api.auth("gate-device")
    )
    assert denied.status_code == 403


def test_a_card_at_a_ticket_gate_goes_through_the_same_engine(api: Api) -> None:
    device = api.device()
    desk = open_desk(api.shop.settings, api.shop.planes, api.shop.spine)
    start = datetime(2024, 7, 18, tzinfo=UTC)
    card = Credential(
        7_777_777, 1, start, start + timedelta(days=40), AccreditationBody("A", ("1",))
    )
    decided = api.scan(device, sign(card, desk.keyring.active).text, "api-card-0001")
    assert decided["kind"] == "accreditation"
    assert decided["reason"] != "unknown_key"


def test_offline_devices_fetch_packages_upload_and_the_merge_lists_double_entries(api: Api) -> None:
    north, south = api.device("North 1"), api.device("South 1")
    trusted = api.box.office.keyring.public_key_set()
    gates = {}
    for device in (north, south):
        response = api.client.get(
            f"/api/gates/devices/{device}/package", headers=api.auth("gate-device")
        )
        assert response.status_code == 200, response.text
        gates[device] = OfflineGate.load(response.content, trusted, api.at, device=device)
    assert gates[north].scan(api.shown(api.at), GateScan("G1", "off-n-0001", api.at)).admitted
    later = api.at + timedelta(minutes=3)
    assert gates[south].scan(api.shown(later), GateScan("G2", "off-s-0001", later)).admitted
    for device in (north, south):
        body = {"device": device, "scans": [r.to_json() for r in gates[device].log]}
        response = api.client.post("/api/gates/uploads", json=body, headers=api.auth("gate-device"))
        assert response.status_code == 200, response.text
    doubles = response.json()["double_entries"]
    assert [(d["first_device"], d["second_device"]) for d in doubles] == [(north, south)]
    listed = api.client.get("/api/gates/double-entries", headers=api.auth("gate-manager"))
    assert listed.json() == doubles
    bad = {"device": north, "scans": [{"nonce": "x"}]}
    refused = api.client.post("/api/gates/uploads", json=bad, headers=api.auth("gate-device"))
    assert (refused.status_code, refused.json()["error"]) == (422, "upload_invalid")


def test_keys_rotated_while_the_node_runs_issue_and_verify_at_once(api: Api) -> None:
    device = api.device()  # the node's gate services are open from here
    assert api.scan(device, api.shown(api.at), "api-rot-0001")["reason"] == "admitted"
    spine = api.shop.spine
    new_ticket_key = open_ticket_office(spine).keyring.rotate()  # another process's office
    ticket = api.box.buy(api.shop.fan("Noa Martin"))[0]  # an office opened before it
    assert decode(from_text(ticket.credential)).credential.key_id == new_ticket_key.key_id
    text = ticket.credential
    credential = decode(from_text(text)).credential
    key = api.box.office.code_keys[credential.body.code_key]
    shown = screen_text(text, rotating_code(text, ticket_secret(key, credential), api.at))
    assert api.scan(device, shown, "api-rot-0002")["reason"] == "admitted"
    desk = open_desk(api.shop.settings, api.shop.planes, spine)
    start = datetime(2024, 7, 18, tzinfo=UTC)
    card = Credential(
        7_777_778, 1, start, start + timedelta(days=40), AccreditationBody("A", ("1",))
    )
    old = api.scan(device, sign(card, desk.keyring.active).text, "api-rot-0003")
    assert old["reason"] not in {"unknown_key", "bad_signature"}, old
    new = api.scan(device, sign(card, desk.keyring.rotate()).text, "api-rot-0004")
    assert (new["kind"], new["reason"]) == ("accreditation", old["reason"]), new
