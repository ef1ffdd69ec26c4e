"""A gate device's own state: who is inside, which nonces it decided, what it scanned.

`LocalGateState` is the `GateState` (and `TicketGateState`) of an offline device: the
revocations and suspensions of its device package, the ticket code keys, the tickets it
let in and not out (anti-passback), and the decision of every nonce it saw (idempotency).
Every decided scan becomes a `ScanRecord`, which the device uploads when it is back
online; `merge_scans` then reports the tickets that entered through two devices that could
not see each other's entries (double entries).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from podium.gates.errors import SignedDocumentError
from podium.gates.payload import Kind
from podium.gates.reasons import Decision, Direction, Reason
from podium.gates.revocation import RevocationIndex
from podium.gates.scan import Scan

__all__ = [
    "DoubleEntry",
    "LocalGateState",
    "ScanRecord",
    "SessionWindow",
    "merge_scans",
]

_NONCE = re.compile(r"[0-9A-Za-z_.:-]{8,64}\Z")


@dataclass(frozen=True, slots=True)
class SessionWindow:
    """A session a venue's gates admit, and when (doors open to session end).

    Attributes:
        code: the session code.
        opens: first instant its tickets are admitted (aware UTC).
        closes: last instant (aware UTC).

    """

    code: str
    opens: datetime
    closes: datetime

    def to_json(self) -> list[Any]:
        """Return `[code, opens, closes]` (UTC seconds)."""
        return [self.code, int(self.opens.timestamp()), int(self.closes.timestamp())]

    @classmethod
    def from_json(cls, item: object) -> SessionWindow:
        """Read `[code, opens, closes]`.

        Raises:
            SignedDocumentError: `document_malformed`.

        """
        if not (isinstance(item, list) and len(item) == 3):
            raise SignedDocumentError(
                f"device package: session {item!r} is not [code, opens, closes]"
            )
        code, opens, closes = item
        if not (isinstance(code, str) and type(opens) is int and type(closes) is int):
            raise SignedDocumentError(f"device package: bad session {item!r}")
        return cls(code, datetime.fromtimestamp(opens, UTC), datetime.fromtimestamp(closes, UTC))


@dataclass(frozen=True, slots=True)
class ScanRecord:
    """One decided scan, as a device logs and uploads it.

    Attributes:
        nonce: the device's unique id of the scan (8-64 of `[0-9A-Za-z_.:-]`).
        device: the device's id.
        at: scan time (aware UTC, whole seconds in JSON).
        gate: the gate code.
        direction: entry or exit.
        reason: the decision's code.
        admitted: whether it was admitted.
        credential_id: the ticket or card number (None when the signature failed).
        card_serial: its serial (None when the signature failed).
        kind: ticket or accreditation (None when the signature failed).

    """

    nonce: str
    device: str
    at: datetime
    gate: str
    direction: Direction
    reason: Reason
    admitted: bool
    credential_id: int | None = None
    card_serial: int | None = None
    kind: Kind | None = None

    def to_json(self) -> dict[str, Any]:
        """Return the upload form (times in UTC seconds)."""
        return {
            "nonce": self.nonce,
            "device": self.device,
            "at": int(self.at.timestamp()),
            "gate": self.gate,
            "direction": self.direction.value,
            "reason": self.reason.value,
            "admitted": self.admitted,
            "credential_id": self.credential_id,
            "card_serial": self.card_serial,
            "kind": None if self.kind is None else int(self.kind),
        }

    @classmethod
    def from_json(cls, item: Mapping[str, Any], where: str = "scan") -> ScanRecord:
        """Read the upload form.

        Raises:
            ValueError: naming `where` and the field that is wrong.

        """
        try:
            nonce = _nonce(item["nonce"])
            kind = item.get("kind")
            return cls(
                nonce,
                str(item["device"]),
                datetime.fromtimestamp(int(item["at"]), UTC),
                str(item["gate"]),
                Direction(item["direction"]),
                Reason(item["reason"]),
                bool(item["admitted"]),
                _optional_int(item.get("credential_id")),
                _optional_int(item.get("card_serial")),
                None if kind is None else Kind(int(kind)),
            )
        except (KeyError, TypeError, ValueError) as error:
            raise ValueError(f"{where}: {error}") from None


def _nonce(value: object) -> str:
    nonce = str(value)
    if not _NONCE.match(nonce):
        raise ValueError(f"nonce {nonce!r} is not 8-64 of [0-9A-Za-z_.:-]")
    return nonce


def _optional_int(value: object) -> int | None:
    if value is None:
        return None
    if type(value) is not int:
        raise ValueError(f"{value!r} is not a whole number")
    return value


@dataclass(slots=True)
class LocalGateState:
    """The state an offline device decides with (a `TicketGateState`), and updates.

    Attributes:
        revocations: the cards' revocation index of the device package (and later lists).
        ticket_revocations: the tickets' revocation index (cancelled, transferred away).
        suspended: suspended credential and ticket numbers.
        code_keys: ticket code keys by generation.
        inside: ticket numbers that entered through this device and have not exited.
        decisions: nonce -> the first decision of that scan.

    """

    revocations: RevocationIndex = field(default_factory=RevocationIndex)
    suspended: frozenset[int] = frozenset()
    code_keys: Mapping[int, bytes] = field(default_factory=dict)
    ticket_revocations: RevocationIndex = field(default_factory=RevocationIndex)
    inside: set[int] = field(default_factory=set)
    decisions: dict[str, Decision] = field(default_factory=dict)

    def revocation(self, credential_id: int, card_serial: int) -> str | None:
        """Return the revocation reason code of this card or ticket serial, or None."""
        entry = self.revocations.lookup(credential_id, card_serial)
        return None if entry is None else entry.reason

    def is_suspended(self, credential_id: int) -> bool:
        """Return True when the number is suspended."""
        return credential_id in self.suspended

    def current_serial(self, credential_id: int) -> int | None:  # noqa: ARG002
        """Return None: offline, older serials arrive as revocation entries."""
        return None

    def ticket_revocation(self, credential_id: int, card_serial: int) -> str | None:
        """Return the revocation reason code of this ticket serial, or None."""
        entry = self.ticket_revocations.lookup(credential_id, card_serial)
        return None if entry is None else entry.reason

    def current_ticket_serial(self, credential_id: int) -> int | None:  # noqa: ARG002
        """Return None: offline, replaced serials arrive as `transferred` entries."""
        return None

    def code_key(self, generation: int) -> bytes | None:
        """Return the ticket code key of `generation`, or None."""
        return self.code_keys.get(generation)

    def is_inside(self, credential_id: int) -> bool:
        """Return True when the ticket entered through this device and has not exited."""
        return credential_id in self.inside

    def previous(self, nonce: str) -> Decision | None:
        """Return the first decision of the scan with this nonce, or None."""
        return self.decisions.get(nonce)

    def record(self, scan: Scan, decision: Decision) -> bool:
        """Remember a decided scan; return False for a duplicate (nothing changes).

        An admitted ticket entry puts the ticket inside, an admitted exit takes it out;
        the nonce keeps its first decision.
        """
        if decision.reason is Reason.DUPLICATE_SCAN:
            return False
        if scan.nonce is not None:
            self.decisions[scan.nonce] = decision
        if (
            decision.admitted
            and decision.kind is Kind.TICKET
            and decision.credential_id is not None
        ):
            if scan.direction is Direction.ENTRY:
                self.inside.add(decision.credential_id)
            else:
                self.inside.discard(decision.credential_id)
        return True


@dataclass(frozen=True, slots=True)
class DoubleEntry:
    """A ticket admitted twice without an exit in between, by two different devices.

    Attributes:
        credential_id: the ticket number.
        first: the scan that let it in first.
        second: the later entry the other device admitted.

    """

    credential_id: int
    first: ScanRecord
    second: ScanRecord


def merge_scans(records: Iterable[ScanRecord]) -> list[DoubleEntry]:
    """Replay every device's admitted ticket scans in time order; report double entries.

    Args:
        records: scans from any number of devices (online and uploaded), any order; the
            same nonce twice counts once.

    Returns:
        One `DoubleEntry` per second admission of a ticket that was inside (by another
        device's entry and no exit since), ordered by the second scan's time.

    """
    seen: set[str] = set()
    admitted = []
    for record in records:
        if record.nonce in seen:
            continue
        seen.add(record.nonce)
        if record.admitted and record.kind is Kind.TICKET and record.credential_id is not None:
            admitted.append(record)
    admitted.sort(key=lambda r: (r.at, r.device, r.nonce))
    inside: dict[int, ScanRecord] = {}
    doubles = []
    for record in admitted:
        number = record.credential_id
        assert number is not None  # noqa: S101 - filtered above
        if record.direction is Direction.EXIT:
            inside.pop(number, None)
            continue
        first = inside.get(number)
        if first is not None and first.device != record.device:
            doubles.append(DoubleEntry(number, first, record))
        else:
            inside[number] = record
    return doubles
