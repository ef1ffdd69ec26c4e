"""Online scanning: one scan decided by `podium.gates` on live state, in one transaction.

`scan_online` verifies the presented code (pure, before any lock), then in one games-plane
transaction: locks the ticket's presence row, returns the first decision again when the
nonce was already decided (`duplicate_scan`), judges the ticket or card with the live
state, stores the scan and moves the ticket inside or out. Two devices racing on one
ticket therefore make exactly one entry: the second waits for the first's row lock and
then reads it inside (`already_inside`). A card is judged with the state the caller
gives (the accreditation service's, through the API layer).

Online ticket state (`OnlineTicketState`): the ticket revocation list of
`podium.ticketing.tickets` (a serial a transfer or resale replaced says `transferred`),
the ticket row's current serial and status (found by its number, `TicketNumber`), the
presence row.

`record_uploads` stores an offline device's scans (a nonce already stored counts once) and,
in the same transaction, moves the presence of every ticket an uploaded scan admitted;
`double_entries` replays every stored ticket scan and reports the tickets that entered
twice without an exit (`podium.gates.merge_scans`).

Presence (`GatePresence`) is what the newest admitted ticket scan left: inside after an
entry, outside after an exit, with `changed_at` the newest scan time that moved it. An
uploaded scan moves it only when it is not older than `changed_at` (decided by scan time,
the order `merge_scans` replays, never by upload order): an offline device's old exit
uploaded after a newer entry leaves the ticket inside. An online scan is decided on the
locked, current presence, so it is the newest movement whatever time its device gives:
it always moves the ticket, and `changed_at` never goes back, so an older upload arriving
afterwards cannot undo it. Accreditation cards have no presence: a card is not checked
for passback (the scan rules of `podium.gates.rules` have no such check), and card and
ticket numbers are separate series, so `gate_presence` holds tickets only.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from podium.core.clock import Clock, system_clock
from podium.core.db import Planes
from podium.gates import (
    Credential,
    Decision,
    Direction,
    DoubleEntry,
    GateState,
    KeySource,
    Kind,
    Reason,
    Scan,
    ScanRecord,
    judge,
    merge_scans,
    split_screen_text,
    verify_card,
)
from podium.ticketing.devices import DeviceError, DeviceInfo, active_device, session_windows
from podium.ticketing.models import Ticket, TicketStatus
from podium.ticketing.models_scans import GateDevice, GatePresence, GateScanRow
from podium.ticketing.models_tickets import TicketNumber, TicketRevocation

__all__ = [
    "NEVER_MOVED",
    "OnlineTicketState",
    "ScanContext",
    "ScanRequest",
    "UploadReport",
    "double_entries",
    "record_uploads",
    "scan_online",
]


NEVER_MOVED = datetime(1970, 1, 1, tzinfo=UTC)
"""`GatePresence.changed_at` of a ticket no admitted scan has moved yet (outside)."""


@dataclass(frozen=True, slots=True)
class ScanRequest:
    """One scan sent by a device.

    Attributes:
        device: the device's id.
        code: what was read: a ticket's screen text, a ticket's text, or a card's text.
        gate: the gate's code (one of the device's).
        direction: entry or exit.
        nonce: the device's unique id of this scan.
        at: scan time (aware UTC).
        rotating_code: the six digits when typed apart from the ticket's text.

    """

    device: str
    code: str
    gate: str
    direction: Direction
    nonce: str
    at: datetime
    rotating_code: str | None = None


@dataclass(frozen=True, slots=True)
class ScanContext:
    """What an online scan decides with, besides the database.

    Attributes:
        keys: the issuer's public keys.
        code_keys: ticket code keys by generation.
        cards: builds the accreditation state on the scan's session (None: cards are
            judged with no revocation, suspension or serial known).
        clock: the server's clock (when a scan is received).

    """

    keys: KeySource
    code_keys: Mapping[int, bytes]
    cards: Callable[[Session], GateState] | None = None
    clock: Clock = system_clock


class OnlineTicketState:
    """The live state of one scan: a `TicketGateState` on the scan's transaction.

    Args:
        games: the scan's games-plane session.
        context: code keys and the card state.

    """

    def __init__(self, games: Session, context: ScanContext) -> None:
        """Hold the session; see the class docstring."""
        self._games, self._context = games, context
        self._rows: dict[int, tuple[int, str] | None] = {}
        self._cards = None if context.cards is None else context.cards(games)

    def revocation(self, credential_id: int, card_serial: int) -> str | None:
        """Delegate to the card state."""
        return None if self._cards is None else self._cards.revocation(credential_id, card_serial)

    def is_suspended(self, credential_id: int) -> bool:
        """Delegate to the card state."""
        return self._cards is not None and self._cards.is_suspended(credential_id)

    def current_serial(self, credential_id: int) -> int | None:
        """Delegate to the card state."""
        return None if self._cards is None else self._cards.current_serial(credential_id)

    def ticket_revocation(self, credential_id: int, card_serial: int) -> str | None:
        """Return the revocation reason of this ticket serial, or None.

        A serial in the ticket revocation list gives its reason; a ticket whose row is not
        `valid` (refunded, cancelled) gives its status; a number no ticket row has (signed,
        yet unknown here) gives `unknown_ticket`.
        """
        reason = self._games.scalar(
            select(TicketRevocation.reason).where(
                TicketRevocation.ticket_number == credential_id,
                TicketRevocation.serial == card_serial,
            )
        )
        if reason is not None:
            return str(reason)
        row = self._ticket(credential_id)
        if row is None:
            return "unknown_ticket"
        return None if row[1] == TicketStatus.VALID else str(row[1])

    def _ticket(self, credential_id: int) -> tuple[int, str] | None:
        if credential_id not in self._rows:
            found = self._games.execute(
                select(Ticket.credential_serial, Ticket.status)
                .join(TicketNumber, TicketNumber.ticket_id == Ticket.id)
                .where(TicketNumber.number == credential_id)
            ).first()
            self._rows[credential_id] = None if found is None else (int(found[0]), str(found[1]))
        return self._rows[credential_id]

    def current_ticket_serial(self, credential_id: int) -> int | None:
        """Return the ticket's current serial (an older one was transferred away)."""
        row = self._ticket(credential_id)
        return None if row is None else row[0]

    def code_key(self, generation: int) -> bytes | None:
        """Return the ticket code key of `generation`, or None."""
        return self._context.code_keys.get(generation)

    def is_inside(self, credential_id: int) -> bool:
        """Return True when the ticket's presence row says inside."""
        inside = self._games.scalar(
            select(GatePresence.inside).where(GatePresence.credential_id == credential_id)
        )
        return bool(inside)


def _insert(games: Session) -> Callable[..., Any]:
    """Return the dialect's INSERT, which has ON CONFLICT (PostgreSQL and SQLite)."""
    return pg_insert if games.get_bind().dialect.name == "postgresql" else sqlite_insert


def _lock_presence(games: Session, credential_id: int) -> None:
    """Create the ticket's presence row if absent and lock it until the transaction ends."""
    games.execute(
        _insert(games)(GatePresence)
        .values(credential_id=credential_id, inside=False, changed_at=NEVER_MOVED)
        .on_conflict_do_nothing(index_elements=["credential_id"])
    )
    # A no-op update takes the row lock (PostgreSQL) / holds the write lock (SQLite).
    games.execute(
        update(GatePresence)
        .where(GatePresence.credential_id == credential_id)
        .values(inside=GatePresence.inside)
    )


def _decision(row: GateScanRow) -> Decision:
    return Decision(
        row.admitted,
        Reason(row.reason),
        row.credential_id,
        row.card_serial,
        None if row.kind is None else Kind(row.kind),
    )


def _previous(games: Session, nonce: str) -> Decision | None:
    row = games.scalars(select(GateScanRow).where(GateScanRow.nonce == nonce)).first()
    return None if row is None else _decision(row)


def _scan_of(games: Session, device: DeviceInfo, request: ScanRequest, code: str | None) -> Scan:
    if request.gate not in device.gates:
        raise DeviceError(
            f"gate {request.gate!r} is not one of device {device.id}'s", code="device_gate_unknown"
        )
    at = request.at
    sessions = frozenset(
        w.code for w in session_windows(games, device.venue) if w.opens <= at <= w.closes
    )
    zone = device.gates[request.gate]
    return Scan(
        device.venue, zone, at, request.gate, request.direction, sessions, code, request.nonce
    )


def _move_presence(games: Session, credential_id: int, direction: Direction, at: datetime) -> None:
    """Put a ticket inside (entry) or outside (exit) as of an uploaded scan's time.

    One upsert: a ticket with no presence row gets one; an existing row changes only when
    its last movement is not newer than `at` (ties: the scan stored last wins). The row
    stays locked until the transaction ends.

    Args:
        games: the upload's games-plane session.
        credential_id: the ticket number.
        direction: the admitted scan's direction.
        at: the admitted scan's time (aware UTC).

    """
    statement = _insert(games)(GatePresence).values(
        credential_id=credential_id, inside=direction is Direction.ENTRY, changed_at=at
    )
    games.execute(
        statement.on_conflict_do_update(
            index_elements=["credential_id"],
            set_={"inside": statement.excluded.inside, "changed_at": statement.excluded.changed_at},
            where=GatePresence.changed_at <= statement.excluded.changed_at,
        )
    )


def _moved_ticket(decision: Decision) -> int | None:
    """Return the ticket number whose presence a decision moves (an admitted ticket), or None."""
    if decision.admitted and decision.kind is Kind.TICKET:
        return decision.credential_id
    return None


def _store(games: Session, request: ScanRequest, decision: Decision, received: datetime) -> None:
    games.add(_row(request, decision, online=True, received=received))
    number = _moved_ticket(decision)
    if number is not None:
        # Decided on the row `_lock_presence` holds: the newest movement, whatever its time.
        where = GatePresence.credential_id == number
        last = games.scalar(select(GatePresence.changed_at).where(where))
        games.execute(
            update(GatePresence)
            .where(where)
            .values(
                inside=request.direction is Direction.ENTRY,
                changed_at=request.at if last is None else max(last, request.at),
            )
        )
    games.flush()


def _row(
    request: ScanRequest | ScanRecord, decision: Decision, *, online: bool, received: datetime
) -> GateScanRow:
    return GateScanRow(
        nonce=request.nonce,
        device_id=request.device,
        online=online,
        kind=None if decision.kind is None else int(decision.kind),
        credential_id=decision.credential_id,
        card_serial=decision.card_serial,
        gate=request.gate,
        direction=request.direction.value,
        at=request.at,
        reason=decision.reason.value,
        admitted=decision.admitted,
        received_at=received,
    )


def _decide_in(
    games: Session, request: ScanRequest, verified: Credential[Any] | Decision, context: ScanContext
) -> Decision:
    _, code = split_screen_text(request.code)
    if isinstance(verified, Credential) and verified.kind is Kind.TICKET:
        _lock_presence(games, verified.credential_id)
    first = _previous(games, request.nonce)
    if first is not None:
        return first.replayed()
    device = active_device(games, request.device)
    scan = _scan_of(games, device, request, request.rotating_code or code)
    if isinstance(verified, Decision):
        decision = verified
    else:
        decision = judge(verified, scan, OnlineTicketState(games, context))
    _store(games, request, decision, context.clock())
    return decision


def scan_online(planes: Planes, request: ScanRequest, context: ScanContext) -> Decision:
    """Decide one scan online and record it with the ticket's presence, in one transaction.

    Args:
        planes: the node's planes (a games-plane transaction is opened here).
        request: the scan.
        context: keys, ticket code keys, card state.

    Returns:
        The decision; for a nonce already decided, the first one as `duplicate_scan`.

    Raises:
        DeviceNotFoundError: `device_not_found`.
        DeviceError: `device_disabled`, `device_gate_unknown`.

    """
    text, _ = split_screen_text(request.code)
    verified = verify_card(text, request.at, context.keys)  # pure: outside the lock
    try:
        with planes.games_session() as games:
            return _decide_in(games, request, verified, context)
    except IntegrityError:
        # The same nonce sent twice at once: the other transaction stored it first.
        with planes.games_session() as games:
            first = _previous(games, request.nonce)
        if first is None:
            raise
        return first.replayed()


@dataclass(frozen=True, slots=True)
class UploadReport:
    """What an upload stored.

    Attributes:
        stored: scans stored now.
        duplicates: scans whose nonce was already stored (ignored).
        double_entries: every double entry known after this upload.

    """

    stored: int
    duplicates: int
    double_entries: list[DoubleEntry]


def record_uploads(
    planes: Planes, device_id: str, records: Iterable[ScanRecord], received: datetime
) -> UploadReport:
    """Store an offline device's scans (one transaction) and report the double entries.

    In the same transaction, each ticket an uploaded scan admitted has its presence moved
    by its newest such scan (inside after an entry, outside after an exit), unless a newer
    scan, online or uploaded, already moved it (see the module docstring).

    Args:
        planes: the node's planes.
        device_id: the uploading device; every record must name it.
        records: the device's scan log (`OfflineGate.log`).
        received: now.

    Raises:
        DeviceNotFoundError, DeviceError: an unknown or disabled device, or a record of
            another device (`device_upload_mismatch`).

    """
    records = list(records)
    with planes.games_session() as games:
        active_device(games, device_id)
        device_row = games.get_one(GateDevice, device_id)
        device_row.last_upload_at = received
        for record in records:
            if record.device != device_id:
                raise DeviceError(
                    f"scan {record.nonce} names device {record.device}, not {device_id}",
                    code="device_upload_mismatch",
                )
        nonces = [r.nonce for r in records]
        known = set(games.scalars(select(GateScanRow.nonce).where(GateScanRow.nonce.in_(nonces))))
        fresh = {r.nonce: r for r in records if r.nonce not in known}
        newest: dict[int, ScanRecord] = {}
        for record in fresh.values():
            decision = Decision(
                record.admitted,
                record.reason,
                record.credential_id,
                record.card_serial,
                record.kind,
            )
            games.add(_row(record, decision, online=False, received=received))
            number = _moved_ticket(decision)
            if number is not None and (
                number not in newest or _replay_order(newest[number]) < _replay_order(record)
            ):
                newest[number] = record
        # Ticket number order: concurrent uploads lock presence rows in one order.
        for number, record in sorted(newest.items()):
            _move_presence(games, number, record.direction, record.at)
        games.flush()
        doubles = _double_entries(games)
    return UploadReport(len(fresh), len(records) - len(fresh), doubles)


def _replay_order(record: ScanRecord) -> tuple[datetime, str, str]:
    """Return the order `podium.gates.merge_scans` replays scans in: time, device, nonce."""
    return record.at, record.device, record.nonce


def _double_entries(games: Session) -> list[DoubleEntry]:
    rows = games.scalars(
        select(GateScanRow).where(
            GateScanRow.kind == int(Kind.TICKET), GateScanRow.admitted.is_(True)
        )
    )
    return merge_scans(
        ScanRecord(
            row.nonce,
            row.device_id,
            row.at,
            row.gate,
            Direction(row.direction),
            Reason(row.reason),
            row.admitted,
            row.credential_id,
            row.card_serial,
            Kind.TICKET,
        )
        for row in rows
    )


def double_entries(planes: Planes) -> list[DoubleEntry]:
    """Return every ticket admitted twice without an exit, by two devices (the merge)."""
    with planes.games_session() as games:
        return _double_entries(games)
