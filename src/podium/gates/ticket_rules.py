"""The ticket checks of the scan decision engine (after the signature; pure).

`podium.gates.rules.judge` hands a verified ticket here. Check order (the first failing
check gives the reason; `TICKET_CHECK_ORDER` lists the whole order, checks 1 to 4 shared
with cards):

5.  revocation of this ticket serial, or a serial older than the current one
    (a transfer re-issues the ticket with a new serial)   -> transferred (list reason
                                                            `transferred`, or older serial),
                                                            revoked (any other reason)
6.  (tickets are not suspended: a ticket is cancelled, i.e. revoked)
7.  validity window (the session's day)                   -> not_yet_valid, expired
8.  rotating code present                                 -> code_missing
9.  rotating code of the current 15 s step, ±1 step       -> code_stale (`unknown_key` when
                                                            the gate lacks the code key)
10. venue of the gate                                     -> wrong_venue
11. session: one the gate is admitting                    -> wrong_session
12. gate: on an entry, one the ticket names (if any)       -> wrong_gate
13. anti-passback: an entry while inside, an exit while
    outside                                               -> already_inside, not_inside

The rotating code comes before venue, session and gate: a code that is not fresh means the
phone in front of the gate may not be the holder's, the strongest thing staff must know.
Exits check the code too (the same screen is shown both ways) but not the gate.
"""

from __future__ import annotations

from typing import Any, Protocol

from podium.gates.codes import check_rotating, ticket_secret
from podium.gates.payload import Credential, TicketBody
from podium.gates.reasons import Decision, Direction, Reason
from podium.gates.scan import Scan

__all__ = ["TICKET_CHECK_ORDER", "TRANSFERRED", "TicketGateState", "judge_ticket"]

TRANSFERRED = "transferred"
"""Revocation reason of a ticket serial that a transfer or resale replaced."""

TICKET_CHECK_ORDER: tuple[Reason, ...] = (
    Reason.MALFORMED,
    Reason.UNKNOWN_VERSION,
    Reason.UNKNOWN_KEY,
    Reason.BAD_SIGNATURE,
    Reason.TRANSFERRED,
    Reason.REVOKED,
    Reason.NOT_YET_VALID,
    Reason.EXPIRED,
    Reason.CODE_MISSING,
    Reason.CODE_STALE,
    Reason.WRONG_VENUE,
    Reason.WRONG_SESSION,
    Reason.WRONG_GATE,
    Reason.ALREADY_INSIDE,
    Reason.NOT_INSIDE,
)
"""The refusal codes of a ticket scan in the order they are checked."""


class TicketGateState(Protocol):
    """What a gate that scans tickets knows beyond `GateState`.

    Online, `podium.ticketing.scanning` answers from the database inside the scan's
    transaction; offline, `podium.gates.LocalGateState` from the device package and the
    device's own scans.
    """

    def ticket_revocation(self, credential_id: int, card_serial: int) -> str | None:
        """Return the revocation reason code of this ticket serial, or None.

        Tickets have their own revocations: ticket and card numbers are separate series.
        """
        ...

    def current_ticket_serial(self, credential_id: int) -> int | None:
        """Return the ticket's current serial, or None when unknown (offline)."""
        ...

    def code_key(self, generation: int) -> bytes | None:
        """Return the ticket code key of `generation`, or None when the gate lacks it."""
        ...

    def is_inside(self, credential_id: int) -> bool:
        """Return True when the ticket entered and has not exited since."""
        ...


def _refusal(credential: Credential[Any], reason: Reason, detail: str | None) -> Decision:
    return Decision(
        reason is Reason.ADMITTED,
        reason,
        credential.credential_id,
        credential.card_serial,
        credential.kind,
        detail,
    )


def _revoked(credential: Credential[Any], state: TicketGateState) -> Reason | None:
    number, serial = credential.credential_id, credential.card_serial
    revoked = state.ticket_revocation(number, serial)
    if revoked is None:
        current = state.current_ticket_serial(number)
        return Reason.TRANSFERRED if current is not None and serial < current else None
    return Reason.TRANSFERRED if revoked == TRANSFERRED else Reason.REVOKED


def _code(credential: Credential[TicketBody], scan: Scan, state: TicketGateState) -> Reason | None:
    if not scan.rotating_code:
        return Reason.CODE_MISSING
    key = state.code_key(credential.body.code_key)
    if key is None:
        return Reason.UNKNOWN_KEY
    if not check_rotating(ticket_secret(key, credential), scan.rotating_code, scan.at):
        return Reason.CODE_STALE
    return None


def _place(body: TicketBody, scan: Scan) -> Reason | None:
    if body.venue != scan.venue:
        return Reason.WRONG_VENUE
    if body.session not in scan.sessions:
        return Reason.WRONG_SESSION
    if scan.direction is Direction.ENTRY and body.gates and scan.gate not in body.gates:
        return Reason.WRONG_GATE
    return None


def judge_ticket(credential: Credential[TicketBody], scan: Scan, state: Any) -> Decision:
    """Apply checks 5 to 13 to a ticket whose signature verified (see the module docstring).

    Args:
        credential: the verified ticket.
        scan: venue, sessions, gate, direction, rotating code and time of the scan.
        state: a `TicketGateState`; a card-only state (no `code_key`) refuses every
            ticket `wrong_gate` ("tickets are not scanned here").

    """
    if not hasattr(state, "code_key"):
        return _refusal(credential, Reason.WRONG_GATE, "this gate scans cards only")
    revoked = _revoked(credential, state)
    if revoked is not None:
        return _refusal(credential, revoked, state.ticket_revocation(*_ids(credential)))
    if scan.at < credential.valid_from:
        return _refusal(credential, Reason.NOT_YET_VALID, None)
    if scan.at > credential.valid_until:
        return _refusal(credential, Reason.EXPIRED, None)
    reason = (
        _code(credential, scan, state)
        or _place(credential.body, scan)
        or _passback(credential, scan, state)
    )
    detail = None
    if reason is Reason.WRONG_SESSION:
        detail = credential.body.session
    elif reason is Reason.WRONG_GATE:
        detail = ",".join(credential.body.gates)
    return _refusal(credential, reason or Reason.ADMITTED, detail)


def _passback(credential: Credential[Any], scan: Scan, state: TicketGateState) -> Reason | None:
    inside = state.is_inside(credential.credential_id)
    if scan.direction is Direction.ENTRY and inside:
        return Reason.ALREADY_INSIDE
    if scan.direction is Direction.EXIT and not inside:
        return Reason.NOT_INSIDE
    return None


def _ids(credential: Credential[Any]) -> tuple[int, int]:
    return credential.credential_id, credential.card_serial
