"""What the scanner page tests share: a SQLite node with a sold ticket, a device, staff.

Gate staff hold the `gate-staff` role and declare `access-control`; the box office's
`ticketing-agent` and a results manager are there to be refused at the gate.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from tests.operators import PASSWORD
from tests.ticketing.conftest import SESSION, Clock, Shop
from tests.ticketing.ticket_support import Box, box_of

from podium.core.db import open_planes
from podium.core.settings import Settings
from podium.gates import decode, from_text, rotating_code, screen_text, ticket_secret
from podium.migrations import upgrade_all
from podium.privacy.operators import create_operator
from podium.privacy.spine import open_spine
from podium.ticketing import TicketedSession, load_inventory, load_venue_plans
from podium.ticketing.devices import register_device

__all__ = [
    "BOX_OFFICE",
    "GATE_STAFF",
    "OTHER_STAFF",
    "STAFF",
    "ScannerWorld",
    "build_scanner_world",
]

GATE_STAFF = "gate-agent"
BOX_OFFICE = "box-office"
OTHER_STAFF = "results-person"
STAFF = {
    GATE_STAFF: (("gate-staff",), "access-control"),
    BOX_OFFICE: (("ticketing-agent",), "ticketing"),
    OTHER_STAFF: (("results-manager",), "results"),
}
"""Username -> (roles, the one purpose it may declare)."""


@dataclass
class ScannerWorld:
    """The node, its ticket office, a sold ticket and a device's lane."""

    settings: Settings
    shop: Shop
    box: Box
    ticket_text: str
    lane: str

    def shown(self, at: datetime) -> str:
        """Return the wallet's screen text at `at`."""
        credential = decode(from_text(self.ticket_text)).credential
        key = self.box.office.code_keys[credential.body.code_key]
        code = rotating_code(self.ticket_text, ticket_secret(key, credential), at)
        return screen_text(self.ticket_text, code)


def build_scanner_world(node: Path, clock: Clock) -> ScannerWorld:
    """Migrate a copied SQLite node, sell one ticket, register a device and the staff."""
    settings = Settings(data_dir=node, secure_cookies=False)
    planes = open_planes(settings)
    upgrade_all(planes.games, planes.sovereign)
    spine = open_spine(settings)
    with planes.games_session() as games:
        load_inventory(games, load_venue_plans(), sale_mode="open")
    shop = Shop(planes, spine, settings, clock=clock)
    box = box_of(shop)
    ticket = box.buy(shop.fan())[0]
    with planes.games_session() as games:
        venue = str(games.get_one(TicketedSession, SESSION).venue_code)
        device = register_device(games, venue, {"G1": "1"}, "North lane 1", clock())
    with planes.sovereign_session() as session:
        for username, (roles, purpose) in STAFF.items():
            create_operator(
                session,
                username=username,
                display_name=username,
                home_country="FR",
                organisation="PARIS2024",
                roles=roles,
                purposes=(purpose,),
                known_roles=spine.pdp.roles,
                known_purposes=spine.pdp.purposes,
                password=PASSWORD,
            )
    clock.now = box.starts_at() - timedelta(minutes=30)
    return ScannerWorld(settings, shop, box, ticket.credential, f"{device.id}|G1")
