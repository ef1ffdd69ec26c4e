"""Fixtures of the ticketing tests: a private imported node with the inventory loaded.

Parametrised over SQLite and PostgreSQL (`live_settings`). The clock is settable, so hold
expiry and purchase slots are tested by moving it, never by sleeping.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime

import pytest
from sqlalchemy import select, update

from podium.core.db import Planes
from podium.core.settings import Settings
from podium.privacy.spine import Spine, open_spine
from podium.ticketing import (
    CartItem,
    Checkout,
    InventoryRow,
    LocalTestProvider,
    NewFan,
    Order,
    PaymentResult,
    SaleContext,
    TicketedSession,
    TicketingRules,
    create_fan_account,
    load_inventory,
    load_venue_plans,
    open_cart,
    pay_order,
)
from tests.diffusion.conftest import live_planes, live_settings, pg_template, sqlite_settings

__all__ = ["Clock", "Shop", "live_planes", "live_settings", "pg_template", "sqlite_settings"]

BEFORE_GAMES = datetime(2024, 5, 2, 9, 0, tzinfo=UTC)
SESSION = "SWM01"
"""A real Paris 2024 session (swimming heats, Paris La Defense Arena)."""


class Clock:
    """A settable clock."""

    def __init__(self, now: datetime = BEFORE_GAMES) -> None:
        """Start at `now`."""
        self.now = now

    def __call__(self) -> datetime:
        """Return the current test time."""
        return self.now


@dataclass
class Shop:
    """A node with its inventory on open sale, a clock, a provider and helpers."""

    planes: Planes
    spine: Spine
    settings: Settings
    clock: Clock = field(default_factory=Clock)
    provider: LocalTestProvider = field(default_factory=LocalTestProvider)
    rules: TicketingRules = field(default_factory=TicketingRules)

    def ctx(self) -> SaleContext:
        """The sale context at the clock's time."""
        return SaleContext(self.clock(), self.rules)

    def fan(self, name: str = "Camille Martin") -> str:
        """Create a fan account and return its id."""
        email = f"{name.replace(' ', '.').lower()}.{len(self.spine.pseudonym_key)}@example.org"
        with self.planes.games_session() as games, self.planes.sovereign_session() as sov:
            from secrets import token_hex  # noqa: PLC0415

            return create_fan_account(
                games,
                sov,
                self.spine,
                NewFan(f"{token_hex(4)}.{email}", "a long enough password", name),
                self.clock(),
            )

    def row(self, session: str = SESSION, category: str = "A") -> InventoryRow:
        """Return an inventory row of a session by price category (`W` wheelchair, `T` tablet)."""
        with self.planes.games_session() as games:
            return games.scalars(
                select(InventoryRow).where(
                    InventoryRow.session_code == session, InventoryRow.price_category == category
                )
            ).one()

    def set_capacity(self, inventory_id: int, capacity: int) -> None:
        """Make a row small (test set-up: counters are still zero)."""
        with self.planes.games_session() as games:
            games.execute(
                update(InventoryRow)
                .where(InventoryRow.id == inventory_id)
                .values(capacity=capacity)
            )

    def hold(self, account: str, *items: tuple[int, int]) -> Order:
        """Open a cart in its own transaction."""
        with self.planes.games_session() as games:
            return open_cart(games, account, [CartItem(i, q) for i, q in items], self.ctx())

    def checkout(self, games: object, sovereign: object) -> Checkout:
        """A checkout context on open sessions."""
        return Checkout(games, sovereign, self.spine, self.provider, self.clock(), self.rules)  # type: ignore[arg-type]

    def pay(self, order_id: str, account: str) -> PaymentResult:
        """Pay an order in one transaction per plane."""
        with self.planes.games_session() as games, self.planes.sovereign_session() as sov:
            return pay_order(self.checkout(games, sov), order_id, account)

    def counters(self, inventory_id: int) -> tuple[int, int, int]:
        """Return (capacity, held, sold) of a row."""
        with self.planes.games_session() as games:
            row = games.get_one(InventoryRow, inventory_id)
            return row.capacity, row.held, row.sold


@pytest.fixture
def shop(live_settings: Settings, live_planes: Planes) -> Iterator[Shop]:
    """A shop on a private imported node, SQLite then PostgreSQL, every session on open sale."""
    spine = open_spine(live_settings)
    with live_planes.games_session() as games:
        load_inventory(games, load_venue_plans(), sale_mode="open")
    yield Shop(live_planes, spine, live_settings)
    spine.close()


def set_sale_mode(planes: Planes, session: str, mode: str) -> None:
    """Switch a session between `open` sale and sale by `draw`."""
    with planes.games_session() as games:
        games.execute(
            update(TicketedSession)
            .where(TicketedSession.session_code == session)
            .values(sale_mode=mode)
        )
