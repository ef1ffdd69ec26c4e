"""The ticketing API: public availability, fan auth, carts and payment, signed webhooks, staff."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient

from podium.api import create_app
from podium.privacy.operators import create_operator, issue_token
from podium.ticketing import (
    FAN_COOKIE,
    SIGNATURE_HEADER,
    LocalTestProvider,
    NewFan,
    create_fan_account,
    sign_webhook,
    webhook_secret,
)
from podium.ticketing.accounts import FAN_SESSION_LIFETIME
from tests.ticketing.conftest import SESSION, Shop

FAN = NewFan("api.fan@example.org", "a long enough password", "Api Fan")


@dataclass
class Served:
    """A served shop with a signed-in fan."""

    shop: Shop
    client: TestClient
    fan: dict[str, str]
    provider: LocalTestProvider


@pytest.fixture
def served(shop: Shop) -> Iterator[Served]:
    """The app over the shop, a fan signed in through the API, a delaying provider."""
    app = create_app(shop.settings, shop.planes, shop.spine)
    provider = LocalTestProvider("delay")
    app.state.payment_provider = provider
    with shop.planes.games_session() as games, shop.planes.sovereign_session() as sov:
        create_fan_account(games, sov, shop.spine, FAN, shop.clock())
    with TestClient(app) as client:
        signed = client.post(
            "/api/ticketing/session", json={"email": FAN.email, "password": FAN.password}
        )
        assert signed.status_code == 200
        yield Served(
            shop, client, {"Authorization": f"Bearer {signed.json()['session']}"}, provider
        )


def _webhook(served: Served, payment_id: str, event_id: str, outcome: str = "approved") -> object:
    body = json.dumps({"event_id": event_id, "payment_id": payment_id, "outcome": outcome}).encode()
    secret = webhook_secret(served.shop.settings.key_store())
    return served.client.post(
        "/api/ticketing/payments/webhook",
        content=body,
        headers={SIGNATURE_HEADER: sign_webhook(secret, body), "Content-Type": "application/json"},
    )


def test_sessions_and_availability_are_public(served: Served) -> None:
    listed = served.client.get("/api/ticketing/sessions", params={"venue": "DEF"}).json()
    assert SESSION in {s["session_code"] for s in listed}
    rows = served.client.get(f"/api/ticketing/sessions/{SESSION}").json()
    assert {r["price_category"] for r in rows} >= {"A", "B", "C", "D", "W", "T"}
    assert (
        served.client.get("/api/ticketing/sessions/NOPE01").json()["error"]
        == "session_not_ticketed"
    )


def test_fan_routes_need_a_fan_and_cookie_writes_need_csrf(served: Served) -> None:
    assert (
        served.client.get(
            "/api/ticketing/orders", headers={"Authorization": "Bearer nope"}
        ).status_code
        == 401
    )
    served.client.cookies.clear()
    assert served.client.post("/api/ticketing/carts", json={"items": []}).status_code == 401
    signed = served.client.post(
        "/api/ticketing/session", json={"email": FAN.email, "password": FAN.password}
    )
    refused = served.client.post(
        "/api/ticketing/carts", json={"items": [{"inventory_id": 1, "quantity": 1}]}
    )
    assert refused.json()["error"] == "csrf_invalid"
    row = served.shop.row()
    held = served.client.post(
        "/api/ticketing/carts",
        json={"items": [{"inventory_id": row.id, "quantity": 1}]},
        headers={"X-CSRF-Token": signed.json()["csrf_token"]},
    )
    assert held.json()["status"] == "held"


def test_delayed_payment_is_settled_once_by_a_signed_webhook(served: Served) -> None:
    row = served.shop.row()
    cart = served.client.post(
        "/api/ticketing/carts",
        json={"items": [{"inventory_id": row.id, "quantity": 2}]},
        headers=served.fan,
    ).json()
    paid = served.client.post(
        "/api/ticketing/orders/pay", json={"order_id": cart["order_id"]}, headers=served.fan
    )
    assert paid.json()["outcome"] == "pending"
    payment = paid.json()["payment_id"]
    first = _webhook(served, payment, "evt-1").json()  # type: ignore[attr-defined]
    again = _webhook(served, payment, "evt-1").json()  # type: ignore[attr-defined]
    other = _webhook(served, payment, "evt-2").json()  # type: ignore[attr-defined]
    assert first["outcome"] == "approved"
    assert len(first["ticket_ids"]) == 2
    assert sorted(again["ticket_ids"]) == sorted(first["ticket_ids"]) == sorted(other["ticket_ids"])
    tickets = served.client.get("/api/ticketing/tickets", headers=served.fan).json()
    assert len(tickets) == 2
    assert served.shop.counters(row.id)[1:] == (0, 2)


def test_webhook_with_a_bad_signature_is_refused(served: Served) -> None:
    body = json.dumps({"event_id": "e", "payment_id": "pay_x", "outcome": "approved"}).encode()
    for signature in (None, "sha256=" + "0" * 64, sign_webhook(b"another secret", body)):
        headers = {SIGNATURE_HEADER: signature} if signature else {}
        refused = served.client.post(
            "/api/ticketing/payments/webhook", content=body, headers=headers
        )
        assert refused.status_code == 401
        assert refused.json()["error"] == "webhook_signature_invalid"


def test_staff_routes_need_their_scope(served: Served) -> None:
    assert served.client.post("/api/ticketing/staff/expire").status_code == 401
    with served.shop.planes.sovereign_session() as sov:
        create_operator(
            sov,
            username="ticket-reader",
            display_name="Reader",
            home_country="FR",
            organisation="PARIS2024",
            roles=["ticketing-agent"],
            purposes=["ticketing"],
            known_roles=["ticketing-agent"],
            known_purposes=["ticketing"],
        )
        token = issue_token(sov, "ticket-reader", ["ticketing:order:read"])
    staff = {"Authorization": f"Bearer {token}"}
    assert (
        served.client.post("/api/ticketing/staff/expire", headers=staff).json()["error"]
        == "scope_missing"
    )
    assert (
        served.client.get(
            "/api/ticketing/staff/orders", params={"account": "fan_x"}, headers=staff
        ).json()
        == []
    )


def test_a_fan_session_ends_by_the_application_clock(served: Served) -> None:
    served.client.app.state.clock = served.shop.clock  # type: ignore[attr-defined]
    signed = served.client.post(
        "/api/ticketing/session", json={"email": FAN.email, "password": FAN.password}
    )
    token = signed.json()["session"]
    fan = {"Authorization": f"Bearer {token}"}
    page = {"Cookie": f"{FAN_COOKIE}={token}"}

    def answers() -> tuple[int, int]:
        api = served.client.get("/api/ticketing/orders", headers=fan)
        account = served.client.get("/en/tickets/account", headers=page, follow_redirects=False)
        return api.status_code, account.status_code

    assert answers() == (200, 200)
    served.shop.clock.now += FAN_SESSION_LIFETIME - timedelta(seconds=1)
    assert answers() == (200, 200)
    served.shop.clock.now += timedelta(seconds=2)
    assert answers() == (401, 303)  # the API and the pages read one clock: signed out
