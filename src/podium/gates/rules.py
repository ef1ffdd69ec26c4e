"""The scan decision engine: one pure function for every gate, online and offline.

`decide(card, scan, keys, state)` takes values and returns a `Decision`; it does no I/O.
The accreditation service calls it with live state from its database; a gate device calls
it (through `OfflineGate`) with the state of its signed device package. Same function, same
codes, same order.

Check order (the first failing check gives the reason; `CHECK_ORDER` lists it):

1. framing: Base45 text, length, format version            -> malformed, unknown_version
2. signing key: known to the key set, not retired at scan  -> unknown_key
3. Ed25519 signature over every byte before it (RFC 8032)  -> bad_signature
4. body (read only once the signature holds)               -> malformed
5. revocation of this card serial or of every serial,
   or a serial other than the credential's current one     -> revoked
6. suspension of the credential                            -> suspended
7. validity window: valid_from <= at <= valid_until        -> not_yet_valid, expired
8. venue: the card opens the scan's venue                  -> wrong_venue
9. zone: granted at that venue (override or card zones)    -> zone_not_granted

`decide` is `verify_card` (checks 1 to 4) then `judge` (checks 5 to 9). Nothing a card
says is trusted before its signature verifies; revocation comes before the
validity window so that a revoked card says "revoked" even once expired (the desk needs the
strongest reason). Ticket codes (anti-passback, nonce, session) will join after step 9.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from podium.gates.errors import CredentialFormatError
from podium.gates.payload import (
    FORMAT_VERSION,
    HEADER_LENGTH,
    KEY_ID_LENGTH,
    SIGNATURE_LENGTH,
    Credential,
    Kind,
    decode_message,
    from_text,
)
from podium.gates.reasons import MESSAGES, Decision, Direction, Reason
from podium.gates.revocation import RevocationIndex
from podium.gates.scan import Scan
from podium.gates.ticket_rules import judge_ticket

__all__ = [
    "CHECK_ORDER",
    "MESSAGES",
    "REPRINTED",
    "Decision",
    "Direction",
    "GateState",
    "KeySource",
    "Reason",
    "Scan",
    "StaticGateState",
    "decide",
    "judge",
    "verify_card",
]

REPRINTED = "reprinted"
"""Detail of a `revoked` decision for a card whose serial is older than the current one."""


CHECK_ORDER: tuple[Reason, ...] = (
    Reason.MALFORMED,
    Reason.UNKNOWN_VERSION,
    Reason.UNKNOWN_KEY,
    Reason.BAD_SIGNATURE,
    Reason.REVOKED,
    Reason.SUSPENDED,
    Reason.NOT_YET_VALID,
    Reason.EXPIRED,
    Reason.WRONG_VENUE,
    Reason.ZONE_NOT_GRANTED,
)
"""The refusal codes in the order they are checked (body `malformed` comes after signature)."""


class KeySource(Protocol):
    """The trusted public keys (`PublicKeySet` is one)."""

    def verifier(self, key_id: bytes, at: float) -> Ed25519PublicKey | None:
        """Return the key of `key_id` valid at `at` (UTC seconds), or None."""
        ...


class GateState(Protocol):
    """What a gate knows beyond the card: revocations, suspensions, current serials.

    Online, the accreditation service answers from its database; offline, the device
    package does (`StaticGateState`).
    """

    def revocation(self, credential_id: int, card_serial: int) -> str | None:
        """Return the revocation reason code of this card, or None when not revoked."""
        ...

    def is_suspended(self, credential_id: int) -> bool:
        """Return True when the credential is suspended."""
        ...

    def current_serial(self, credential_id: int) -> int | None:
        """Return the credential's current card serial, or None when unknown (offline)."""
        ...


@dataclass(frozen=True, slots=True)
class StaticGateState:
    """A snapshot of gate state: a revocation index, suspended ids, current serials.

    Attributes:
        revocations: the revoked cards.
        suspended: suspended credential ids.
        current_serials: credential id -> current card serial (online; empty offline,
            where older serials arrive as `reprinted` revocation entries).

    """

    revocations: RevocationIndex = field(default_factory=RevocationIndex)
    suspended: frozenset[int] = frozenset()
    current_serials: dict[int, int] = field(default_factory=dict)

    def revocation(self, credential_id: int, card_serial: int) -> str | None:
        """Return the revocation reason code of this card, or None."""
        entry = self.revocations.lookup(credential_id, card_serial)
        return None if entry is None else entry.reason

    def is_suspended(self, credential_id: int) -> bool:
        """Return True when the credential is suspended."""
        return credential_id in self.suspended

    def current_serial(self, credential_id: int) -> int | None:
        """Return the current card serial, or None when unknown."""
        return self.current_serials.get(credential_id)


_MIN_LENGTH = HEADER_LENGTH + SIGNATURE_LENGTH
_KEY_ID = slice(2, 2 + KEY_ID_LENGTH)
_VERSION_BYTE = bytes([FORMAT_VERSION])


def _refuse(reason: Reason, detail: str | None = None) -> Decision:
    return Decision(admitted=False, reason=reason, detail=detail)


def decide(card: bytes | str, scan: Scan, keys: KeySource, state: GateState) -> Decision:
    """Decide one scan: admit, or refuse with the first failing check's code.

    Args:
        card: the card's bytes, or its Base45 text as read from the QR code.
        scan: venue, zone and time of the scan.
        keys: the trusted public keys.
        state: revocations, suspensions, current serials.

    Returns:
        The decision; the check order is in the module docstring.

    """
    if scan.nonce is not None:
        previous = getattr(state, "previous", None)
        first = None if previous is None else previous(scan.nonce)
        if first is not None:
            return first.replayed()  # type: ignore[no-any-return]
    credential = verify_card(card, scan.at, keys)
    if isinstance(credential, Decision):
        return credential
    return judge(credential, scan, state)


def verify_card(card: bytes | str, at: datetime, keys: KeySource) -> Credential[Any] | Decision:
    """Apply checks 1 to 4 (framing, key, signature, body): the card's credential, or the refusal.

    `decide` is `verify_card` then `judge`; a gate that keeps verified cards calls the two
    itself (`OfflineGate(verified_cache=...)`).
    """
    message = _verified_message(card, at.timestamp(), keys)
    if isinstance(message, Decision):
        return message
    try:
        return decode_message(message)
    except CredentialFormatError as error:
        return _refuse(Reason(error.code), str(error))


def _verified_message(card: bytes | str, at: float, keys: KeySource) -> bytes | Decision:
    """Apply checks 1 to 3; return the signed bytes, or the refusal."""
    if isinstance(card, str):
        try:
            card = from_text(card)
        except CredentialFormatError as error:
            return _refuse(Reason.MALFORMED, str(error))
    if card[:1] != _VERSION_BYTE:
        empty = not card
        return _refuse(
            Reason.MALFORMED if empty else Reason.UNKNOWN_VERSION,
            "empty" if empty else f"format version {card[0]}",
        )
    if len(card) < _MIN_LENGTH:
        return _refuse(Reason.MALFORMED, f"{len(card)} bytes is too short")
    key = keys.verifier(card[_KEY_ID], at)
    if key is None:
        return _refuse(Reason.UNKNOWN_KEY, card[_KEY_ID].hex())
    message = card[:-SIGNATURE_LENGTH]
    try:
        key.verify(card[-SIGNATURE_LENGTH:], message)
    except InvalidSignature:
        return _refuse(Reason.BAD_SIGNATURE)
    return message


def judge(credential: Credential[Any], scan: Scan, state: GateState) -> Decision:
    """Apply checks 5 to 9 (revocation to zone) to a credential whose signature verified.

    Only for callers that verified the signature themselves; `decide` is the entry point.
    A ticket goes to `podium.gates.ticket_rules.judge_ticket`.
    """
    if credential.body.kind is Kind.TICKET:
        return judge_ticket(credential, scan, state)
    number, serial = credential.credential_id, credential.card_serial
    revoked = state.revocation(number, serial)
    if revoked is None:
        current = state.current_serial(number)
        if current is not None and serial != current:
            revoked = REPRINTED
    if revoked is not None:
        reason, detail = Reason.REVOKED, revoked
    elif state.is_suspended(number):
        reason, detail = Reason.SUSPENDED, None
    elif scan.at < credential.valid_from:
        reason, detail = Reason.NOT_YET_VALID, None
    elif scan.at > credential.valid_until:
        reason, detail = Reason.EXPIRED, None
    else:
        zones = credential.body.zones_at(scan.venue)
        if zones is None:
            reason, detail = Reason.WRONG_VENUE, scan.venue
        elif scan.zone not in zones:
            reason, detail = Reason.ZONE_NOT_GRANTED, scan.zone
        else:
            reason, detail = Reason.ADMITTED, None
    return Decision(reason is Reason.ADMITTED, reason, number, serial, credential.kind, detail)
