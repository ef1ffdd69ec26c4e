"""The ticket draw: registration, a verifiable random order, winners' purchase slots.

Before registrations close the organiser publishes `seed_commitment(seed)` (SHA-256);
`open_draw` stores only that. After the window, `run_draw` receives the seed, checks it
against the commitment, orders the entries with `rules.draw_order` (a pure function of the
seed and the sorted entry ids), lets each entry win while its session has room
(`rules.allocate_draw`), and gives every account with a winning entry one purchase slot
of `slot_hours` (48 by default, as Paris 2024). Anyone holding the published entry ids,
quantities and capacities recomputes the outcome with `verify_draw`.
"""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from podium.core.errors import InvalidInputError
from podium.ticketing.errors import DrawError, TicketingNotFoundError
from podium.ticketing.models import (
    Draw,
    DrawEntry,
    FanAccount,
    InventoryKind,
    InventoryRow,
    PurchaseSlot,
    TicketedSession,
)
from podium.ticketing.rules import (
    allocate_draw,
    draw_order,
    seed_commitment,
    verify_commitment,
)
from podium.ticketing.sale import SaleContext

__all__ = [
    "DrawOutcome",
    "DrawWish",
    "PublishedDraw",
    "commitment_of",
    "enter_draw",
    "open_draw",
    "published_draw",
    "run_draw",
    "verify_draw",
]


def open_draw(
    games: Session,
    name: str,
    window: tuple[datetime, datetime],
    commitment: str,
    slot_hours: int = 48,
) -> Draw:
    """Open a draw with its registration window and the published seed commitment.

    Args:
        games: a games-plane session (the caller commits).
        name: the draw's title.
        window: registrations accepted from the first instant until the second (excluded).
        commitment: SHA-256 of the seed, 64 hex (`rules.seed_commitment`); the seed itself
            stays with the organiser until the draw.
        slot_hours: length of winners' purchase slots.

    Raises:
        InvalidInputError: `draw_invalid` (window reversed, bad commitment, slot < 1 h).
    """
    opens, closes = window
    commitment = commitment.lower()
    if (
        closes <= opens
        or slot_hours < 1
        or len(commitment) != 64
        or set(commitment) - set("0123456789abcdef")
    ):
        raise InvalidInputError(
            "draw: the window must end after it opens, the commitment be 64 hex, slots >= 1 h",
            code="draw_invalid",
        )
    draw = Draw(
        name=name,
        registration_opens_at=opens,
        registration_closes_at=closes,
        seed_commitment=commitment,
        slot_hours=slot_hours,
    )
    games.add(draw)
    games.flush()
    return draw


def _draw(games: Session, draw_id: int) -> Draw:
    draw = games.get(Draw, draw_id)
    if draw is None:
        raise TicketingNotFoundError(f"no draw {draw_id}", code="draw_not_found")
    return draw


@dataclass(frozen=True, slots=True)
class DrawWish:
    """What an account enters a draw for: a session and the tickets wanted (1 to 6)."""

    session_code: str
    quantity: int


def enter_draw(
    games: Session, draw_id: int, account_id: str, wish: DrawWish, ctx: SaleContext
) -> DrawEntry:
    """Register (or change) an account's entry for one session of a draw.

    Raises:
        TicketingNotFoundError: `draw_not_found`, `session_not_ticketed`, `account_not_found`.
        DrawError: `draw_closed` outside the registration window.
        InvalidInputError: `quantity_invalid` (1 to the per-session limit).
    """
    now, rules = ctx.now, ctx.rules
    session_code, quantity = wish.session_code, wish.quantity
    draw = _draw(games, draw_id)
    if not draw.registration_opens_at <= now < draw.registration_closes_at or draw.seed:
        raise DrawError(f"draw {draw_id} is not open for registration", code="draw_closed")
    if not 1 <= quantity <= rules.session_limit:
        raise InvalidInputError(
            f"quantity: 1 to {rules.session_limit} tickets per session", code="quantity_invalid"
        )
    if games.get(TicketedSession, session_code) is None:
        raise TicketingNotFoundError(
            f"session {session_code} is not on sale", code="session_not_ticketed"
        )
    if games.get(FanAccount, account_id) is None:
        raise TicketingNotFoundError(f"no fan account {account_id}", code="account_not_found")
    entry = games.scalar(
        select(DrawEntry).where(
            DrawEntry.draw_id == draw_id,
            DrawEntry.account_id == account_id,
            DrawEntry.session_code == session_code,
        )
    )
    if entry is None:
        entry = DrawEntry(
            id=secrets.token_hex(8),
            draw_id=draw_id,
            account_id=account_id,
            session_code=session_code,
            quantity=quantity,
            created_at=now,
            won=False,
        )
        games.add(entry)
    else:
        entry.quantity = quantity
    games.flush()
    return entry


@dataclass(frozen=True, slots=True)
class PublishedDraw:
    """What is published of a draw so anyone can verify it.

    Attributes:
        commitment: SHA-256 of the seed, published before the draw.
        seed: the revealed seed, hex.
        entries: entry id → (session code, quantity).
        capacity: session code → units the draw could promise.
        ranks: entry id → rank as recorded.
        winners: winning entry ids as recorded.

    """

    commitment: str
    seed: str | None
    entries: dict[str, tuple[str, int]]
    capacity: dict[str, int]
    ranks: dict[str, int]
    winners: frozenset[str]


@dataclass(frozen=True, slots=True)
class DrawOutcome:
    """The result of `run_draw`: entries, winners and purchase slots made."""

    entries: int
    winners: int
    slots: int


def _capacity(games: Session, sessions: set[str]) -> dict[str, int]:
    rows = games.execute(
        select(
            InventoryRow.session_code,
            func.sum(InventoryRow.capacity - InventoryRow.sold - InventoryRow.held),
        )
        .where(
            InventoryRow.session_code.in_(sessions), InventoryRow.kind == InventoryKind.SEAT.value
        )
        .group_by(InventoryRow.session_code)
    ).all()
    return {code: int(units or 0) for code, units in rows}


def run_draw(games: Session, draw_id: int, seed_hex: str, now: datetime) -> DrawOutcome:
    """Reveal the seed, rank the entries, mark the winners and open their purchase slots.

    Raises:
        TicketingNotFoundError: `draw_not_found`.
        DrawError: `draw_open` (registrations not closed), `draw_already_drawn`,
            `seed_commitment_mismatch` (the seed is not the committed one).
    """
    draw = _draw(games, draw_id)
    if draw.seed is not None:
        raise DrawError(f"draw {draw_id} was already drawn", code="draw_already_drawn")
    if now < draw.registration_closes_at:
        raise DrawError(f"draw {draw_id}: registrations are still open", code="draw_open")
    try:
        seed = bytes.fromhex(seed_hex)
    except ValueError as exc:
        raise DrawError("the seed must be hex", code="seed_commitment_mismatch") from exc
    verify_commitment(seed, draw.seed_commitment)
    entries = list(games.scalars(select(DrawEntry).where(DrawEntry.draw_id == draw_id)))
    wanted = {e.id: (e.session_code, e.quantity) for e in entries}
    capacity = _capacity(games, {s for s, _ in wanted.values()})
    allocation = allocate_draw(draw_order(seed, wanted), wanted, capacity)
    for entry in entries:
        entry.rank = allocation.ranks[entry.id]
        entry.won = entry.id in allocation.winners
    accounts = sorted({e.account_id for e in entries if e.won})
    closes = now + timedelta(hours=draw.slot_hours)
    games.add_all(
        PurchaseSlot(draw_id=draw_id, account_id=a, opens_at=now, closes_at=closes)
        for a in accounts
    )
    games.execute(
        update(Draw)
        .where(Draw.id == draw_id)
        .values(seed=seed.hex(), drawn_at=now, capacity=json.dumps(capacity, sort_keys=True))
    )
    games.flush()
    return DrawOutcome(len(entries), len(allocation.winners), len(accounts))


def published_draw(games: Session, draw_id: int) -> PublishedDraw:
    """Return what a draw publishes for verification (no account ids).

    The capacity is the seats each session had left when the draw ran, recorded then.

    Raises:
        TicketingNotFoundError: `draw_not_found`.
    """
    draw = _draw(games, draw_id)
    entries = list(games.scalars(select(DrawEntry).where(DrawEntry.draw_id == draw_id)))
    capacity = {str(k): int(v) for k, v in json.loads(draw.capacity or "{}").items()}
    return PublishedDraw(
        commitment=draw.seed_commitment,
        seed=draw.seed,
        entries={e.id: (e.session_code, e.quantity) for e in entries},
        capacity=capacity,
        ranks={e.id: e.rank for e in entries if e.rank is not None},
        winners=frozenset(e.id for e in entries if e.won),
    )


def verify_draw(published: PublishedDraw) -> list[str]:
    """Recompute a draw from its published seed and entries; return the drawn order.

    Raises:
        DrawError: `draw_not_drawn` (no seed yet), `seed_commitment_mismatch` (the seed
            is not the committed one), `draw_mismatch` (ranks or winners differ from
            the recomputation).
    """
    if published.seed is None:
        raise DrawError("the draw has not been run", code="draw_not_drawn")
    seed = bytes.fromhex(published.seed)
    verify_commitment(seed, published.commitment)
    order = draw_order(seed, published.entries)
    allocation = allocate_draw(order, published.entries, published.capacity)
    if allocation.ranks != published.ranks or allocation.winners != published.winners:
        raise DrawError(
            "the recorded ranks or winners differ from the recomputed draw", code="draw_mismatch"
        )
    return order


def commitment_of(seed_hex: str) -> str:
    """Return the commitment to publish for a hex seed (SHA-256, hex)."""
    return seed_commitment(bytes.fromhex(seed_hex))
