"""The ticket API for fans: wallet, code state, PDF, Wallet pass, resale and transfer."""

from __future__ import annotations

import io
from datetime import timedelta

from fastapi.testclient import TestClient
from pypdf import PdfReader

from podium.api import create_app
from podium.core.clock import system_clock
from podium.ticketing.accounts import open_fan_session
from tests.ticketing.conftest import Shop
from tests.ticketing.test_transfer import _email
from tests.ticketing.ticket_support import box_of


def _bearer(shop: Shop, account: str) -> dict[str, str]:
    # The fan API checks sessions against the system clock (podium.api.ticketing_routes).
    with shop.planes.sovereign_session() as sovereign:
        token = open_fan_session(sovereign, account, system_clock())
    return {"Authorization": f"Bearer {token}"}


def test_fan_reads_resells_and_transfers_tickets_through_the_api(shop: Shop) -> None:
    box = box_of(shop)
    seller, buyer = shop.fan("Sam Seller"), shop.fan("Bea Buyer")
    ticket = box.buy(seller)[0].ticket_id
    as_seller, as_buyer = _bearer(shop, seller), _bearer(shop, buyer)
    with TestClient(create_app(shop.settings, shop.planes, shop.spine)) as client:
        client.app.state.clock = shop.clock  # type: ignore[attr-defined]
        assert client.get("/api/tickets").status_code == 401
        assert client.get(f"/api/tickets/{ticket}/pdf").status_code == 401
        listed = client.get("/api/tickets", headers=as_seller).json()
        assert [t["ticket_id"] for t in listed] == [ticket]
        assert listed[0]["code"]["state"] == "not_yet"
        assert listed[0]["holder_name"] == "Sam Seller"
        hidden = client.get(f"/api/tickets/{ticket}", headers=as_buyer)
        assert (hidden.status_code, hidden.json()["error"]) == (404, "ticket_not_found")
        pdf = client.get(f"/api/tickets/{ticket}/pdf", headers=as_seller)
        assert pdf.headers["content-type"] == "application/pdf"
        seat = listed[0]["seat"]
        assert seat in PdfReader(io.BytesIO(pdf.content)).pages[0].extract_text()
        no_pass = client.get(f"/api/tickets/{ticket}/pass.pkpass", headers=as_seller)
        assert (no_pass.status_code, no_pass.json()["error"]) == (404, "pass_not_configured")

        offer = client.post(f"/api/tickets/{ticket}/resale", headers=as_seller).json()
        assert offer["seller_gets_cents"] == offer["price_cents"] - offer["seller_fee_cents"]
        market = client.get("/api/resale", headers=as_buyer).json()
        assert [m["ticket_id"] for m in market] == [ticket]
        bought = client.post(f"/api/tickets/{ticket}/buy", headers=as_buyer)
        assert bought.status_code == 200
        assert bought.json()["paid_cents"] == market[0]["buyer_pays_cents"]
        assert client.get(f"/api/tickets/{ticket}", headers=as_seller).status_code == 404

        shop.clock.now = box.starts_at() - timedelta(hours=2)
        live = client.get(f"/api/tickets/{ticket}", headers=as_buyer).json()
        assert live["code"]["state"] == "live"
        assert live["code"]["qr_text"].startswith(live["code"]["code"] + "*")
        assert live["holder_name"] == "Bea Buyer"

        back = client.post(
            f"/api/tickets/{ticket}/transfer",
            headers=as_buyer,
            json={"to_email": _email(box, seller)},
        )
        assert back.json() == {"ticket_id": ticket, "serial": 3, "status": "transferred"}
        assert client.get(f"/api/tickets/{ticket}", headers=as_seller).json()["serial"] == 3
