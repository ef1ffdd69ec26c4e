"""Where, when and how a credential is presented: the `Scan` value of the decision engine."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from podium.gates.reasons import Direction

__all__ = ["Scan"]


@dataclass(frozen=True, slots=True)
class Scan:
    """Where, when and how a card or ticket is presented.

    Cards use venue, zone and time; tickets also the sessions the gate admits, the gate,
    the direction and the rotating code; both may carry a nonce (idempotency).

    Attributes:
        venue: venue code of the gate.
        zone: zone code the gate leads into.
        at: scan time (aware UTC).
        gate: the gate's code (tickets naming gates are checked against it).
        direction: entry or exit (anti-passback of tickets).
        sessions: session codes the gate admits at `at` (a ticket for another session is
            refused `wrong_session`).
        rotating_code: the six digits the ticket's screen showed, or None.
        nonce: the device's unique id of this scan; the same nonce again gets the first
            decision back (`Reason.DUPLICATE_SCAN`).

    """

    venue: str
    zone: str
    at: datetime
    gate: str | None = None
    direction: Direction = Direction.ENTRY
    sessions: frozenset[str] = frozenset()
    rotating_code: str | None = None
    nonce: str | None = None
