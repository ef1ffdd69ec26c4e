"""Pure decisions of ticketing: limits, the verifiable draw, accessible places, prices.

Values in, values out, no I/O. The draw is verifiable by anyone: the organiser publishes
`seed_commitment(seed)` (SHA-256) before registrations close and reveals the seed after;
the order is then `draw_order(seed, entry_ids)`, a pure function of the seed and the
sorted entry ids, so any observer holding the list of entry ids recomputes it.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import timedelta

from podium.ticketing.errors import DrawError, LimitExceededError

__all__ = [
    "DEFAULT_RULES",
    "Allocation",
    "TicketingRules",
    "allocate_draw",
    "check_limits",
    "draw_order",
    "seed_commitment",
    "verify_commitment",
    "wheelchair_places",
]


@dataclass(frozen=True, slots=True)
class TicketingRules:
    """The configurable rules of a sale (defaults are Paris 2024's).

    Attributes:
        account_limit: tickets one account may hold over the whole Games (Paris 2024: 30).
        session_limit: tickets one account may hold for one session (Paris 2024: 6).
        hold: how long a cart holds its units.
        payment_window: how long a started payment keeps the units held.
        slot: a draw winner's purchase slot (Paris 2024: 48 hours).

    """

    account_limit: int = 30
    session_limit: int = 6
    hold: timedelta = timedelta(minutes=15)
    payment_window: timedelta = timedelta(minutes=30)
    slot: timedelta = timedelta(hours=48)


DEFAULT_RULES = TicketingRules()
"""Paris 2024's limits: 30 tickets per account, 6 per session, 48-hour purchase slots."""


def check_limits(
    rules: TicketingRules, account_total: int, session_total: int, wanted: int
) -> None:
    """Refuse a purchase that would take an account past its limits.

    Args:
        rules: the limits.
        account_total: tickets the account holds or has in open orders, all sessions.
        session_total: the same for the session bought.
        wanted: tickets the new order adds.

    Raises:
        LimitExceededError: `account_limit` or `session_limit`.
    """
    if session_total + wanted > rules.session_limit:
        raise LimitExceededError(
            f"an account may hold at most {rules.session_limit} tickets for one session "
            f"(holds {session_total}, asks {wanted})",
            code="session_limit",
        )
    if account_total + wanted > rules.account_limit:
        raise LimitExceededError(
            f"an account may hold at most {rules.account_limit} tickets "
            f"(holds {account_total}, asks {wanted})",
            code="account_limit",
        )


def seed_commitment(seed: bytes) -> str:
    """Return the published commitment to a draw seed: SHA-256 of the seed, hex."""
    return hashlib.sha256(seed).hexdigest()


def verify_commitment(seed: bytes, commitment: str) -> None:
    """Check a revealed seed against the commitment published before the draw.

    Raises:
        DrawError: the seed does not hash to the commitment (`seed_commitment_mismatch`).
    """
    if not hmac.compare_digest(seed_commitment(seed), commitment.lower()):
        raise DrawError(
            "the revealed seed does not match the published commitment",
            code="seed_commitment_mismatch",
        )


def draw_order(seed: bytes, entry_ids: Iterable[str]) -> list[str]:
    """Return entry ids in drawn order: by SHA-256(seed || id), ties by id.

    A pure function of the seed and the set of ids (sorted first), so the order does not
    depend on how the entries were listed.
    """
    ids = sorted(set(entry_ids))
    return sorted(ids, key=lambda entry: (hashlib.sha256(seed + entry.encode()).digest(), entry))


@dataclass(frozen=True, slots=True)
class Allocation:
    """The outcome of a draw: each entry's rank and whether it won."""

    ranks: dict[str, int]
    winners: frozenset[str]


def allocate_draw(
    order: Sequence[str],
    wanted: Mapping[str, tuple[str, int]],
    capacity: Mapping[str, int],
) -> Allocation:
    """Walk the drawn order and let each entry win while its session has room.

    Args:
        order: entry ids in drawn order (`draw_order`).
        wanted: entry id → (session code, quantity wanted).
        capacity: session code → units the draw may promise.

    Returns:
        Ranks from 1 and the winning entries; an entry whose quantity no longer fits
        loses, and a later smaller one may still win.
    """
    left = dict(capacity)
    winners: set[str] = set()
    for entry in order:
        session, quantity = wanted[entry]
        if left.get(session, 0) >= quantity:
            left[session] -= quantity
            winners.add(entry)
    return Allocation({entry: n for n, entry in enumerate(order, 1)}, frozenset(winners))


def wheelchair_places(capacity: int) -> int:
    """Return the wheelchair places a seating capacity needs under French accessibility rules.

    Arrêté du 20 avril 2017, art. 7 (ERP seating): 2 places up to 50 seats, one more per
    50 seats up to 1,000, and beyond 1,000 seats 20 plus one per 1,000 further seats.
    """
    if capacity <= 50:
        return 2
    if capacity <= 1000:
        return -(-capacity // 50)
    return 20 + -(-(capacity - 1000) // 1000)
