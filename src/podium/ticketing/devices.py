"""Gate devices: registration by staff, and the offline device package of a ticketed venue.

A device is registered for one venue and some gates (each leading into a zone). Its
package (`build_device_package`) holds what `podium.gates.OfflineGate` needs without a
network: the issuers' public keys (tickets, and cards when given), the tickets' revocation
list (`podium.ticketing.tickets`: serials transferred away, re-issued, cancelled), the
card revocations when given, the venue's ticketed sessions with their door windows,
its gates and the ticket code keys of the rotating codes (secret: the package is served
only over the authenticated device API).
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from podium.core.errors import InvalidInputError, NotFoundError
from podium.gates import (
    DevicePackage,
    IssuerKeyring,
    PublicKeySet,
    RevocationList,
    SessionWindow,
    TicketCodeKeys,
    sign_device_package,
)
from podium.ticketing.models import TicketedSession
from podium.ticketing.models_scans import GateDevice
from podium.ticketing.tickets import ticket_revocation_entries

__all__ = [
    "DOORS_OPEN_BEFORE",
    "SESSION_ADMITS_FOR",
    "DeviceError",
    "DeviceInfo",
    "DeviceNotFoundError",
    "PackageKeys",
    "active_device",
    "build_device_package",
    "device_info",
    "disable_device",
    "register_device",
    "session_windows",
]

DOORS_OPEN_BEFORE = timedelta(hours=4)
"""How long before a session's start a gate admits its tickets (the ticket's own validity
starts as early: `podium.ticketing.tickets.TicketPolicy.admit_before`)."""
SESSION_ADMITS_FOR = timedelta(hours=12)
"""How long after a session's start its tickets still enter (re-entry after an exit)."""
_CODE = re.compile(r"[0-9A-Za-z_-]{1,16}\Z")


class DeviceError(InvalidInputError):
    """A device request that cannot be served: `device_disabled`, `device_gates_invalid`."""

    code = "device_gates_invalid"


class DeviceNotFoundError(NotFoundError):
    """No gate device with this id (`device_not_found`)."""

    code = "device_not_found"


@dataclass(frozen=True, slots=True)
class DeviceInfo:
    """A registered gate device.

    Attributes:
        id: `gdv_` + 16 hex.
        venue: the venue code.
        gates: gate code -> the zone code it leads into.
        label: the name staff gave it.
        registered_at: when it was registered.
        disabled_at: when it was disabled, or None.

    """

    id: str
    venue: str
    gates: dict[str, str]
    label: str
    registered_at: datetime
    disabled_at: datetime | None = None


def _gates_text(gates: Mapping[str, str]) -> str:
    if not gates:
        raise DeviceError("gates: give at least one gate and the zone it leads into")
    for gate, zone in gates.items():
        if not (_CODE.match(gate) and _CODE.match(zone)):
            raise DeviceError(f"gates: {gate!r}={zone!r} is not two codes of [0-9A-Za-z_-]")
    return " ".join(f"{gate}={zone}" for gate, zone in sorted(gates.items()))


def _info(row: GateDevice) -> DeviceInfo:
    gates = dict(item.split("=", 1) for item in row.gates.split())
    return DeviceInfo(row.id, row.venue_code, gates, row.label, row.registered_at, row.disabled_at)


def register_device(
    games: Session, venue: str, gates: Mapping[str, str], label: str, now: datetime
) -> DeviceInfo:
    """Register a gate device for a venue's gates (staff, `gates:device:manage`).

    Args:
        games: a games-plane session (the caller commits).
        venue: the venue code.
        gates: gate code -> zone code, at least one.
        label: a name for staff, 1 to 80 characters.
        now: the registration time.

    Raises:
        DeviceError: `device_gates_invalid` for a bad venue, gate, zone or label.

    """
    if not _CODE.match(venue) or not 0 < len(label) <= 80:
        raise DeviceError(f"venue {venue!r} or label {label!r} is invalid")
    row = GateDevice(
        id=f"gdv_{secrets.token_hex(8)}",
        venue_code=venue,
        gates=_gates_text(gates),
        label=label,
        registered_at=now,
    )
    games.add(row)
    games.flush()
    return _info(row)


def device_info(games: Session, device_id: str) -> DeviceInfo:
    """Return a device.

    Raises:
        DeviceNotFoundError: `device_not_found`.

    """
    row = games.get(GateDevice, device_id)
    if row is None:
        raise DeviceNotFoundError(f"no gate device {device_id!r}")
    return _info(row)


def active_device(games: Session, device_id: str) -> DeviceInfo:
    """Return a device that may scan.

    Raises:
        DeviceNotFoundError: `device_not_found`.
        DeviceError: `device_disabled`.

    """
    device = device_info(games, device_id)
    if device.disabled_at is not None:
        raise DeviceError(f"gate device {device_id} is disabled", code="device_disabled")
    return device


def disable_device(games: Session, device_id: str, now: datetime) -> DeviceInfo:
    """Disable a device: it gets no package and its scans are refused from now.

    Raises:
        DeviceNotFoundError: `device_not_found`.

    """
    row = games.get(GateDevice, device_id)
    if row is None:
        raise DeviceNotFoundError(f"no gate device {device_id!r}")
    row.disabled_at = row.disabled_at or now
    return _info(row)


def session_windows(games: Session, venue: str) -> tuple[SessionWindow, ...]:
    """Return the ticketed sessions of a venue with the windows their tickets enter in."""
    rows = games.scalars(
        select(TicketedSession)
        .where(TicketedSession.venue_code == venue)
        .order_by(TicketedSession.starts_at)
    )
    return tuple(
        SessionWindow(
            row.session_code,
            (row.starts_at - DOORS_OPEN_BEFORE).replace(microsecond=0),
            (row.starts_at + SESSION_ADMITS_FOR).replace(microsecond=0),
        )
        for row in rows
    )


@dataclass(frozen=True, slots=True)
class PackageKeys:
    """The keys a device package is built with.

    Attributes:
        keyring: the ticketing issuer keyring (signs the package; its public keys ride).
        code_keys: the ticket code keys (the package carries every generation).
        card_keys: the accreditation issuer's public keys, so that the device also
            verifies cards (None: tickets only).
        cards: the accreditation revocation list and suspended numbers (None: none).

    """

    keyring: IssuerKeyring
    code_keys: TicketCodeKeys
    card_keys: PublicKeySet | None = None
    cards: tuple[RevocationList, frozenset[int]] | None = None


def build_device_package(games: Session, device_id: str, keys: PackageKeys, now: datetime) -> bytes:
    """Build and sign the offline package of a device's venue and gates.

    Args:
        games: a games-plane session (read).
        device_id: the device.
        keys: the issuer keyring and the ticket code keys.
        now: the package's issue time (also the revocation list's serial, in seconds).

    Raises:
        DeviceNotFoundError: `device_not_found`.
        DeviceError: `device_disabled`.

    """
    device = active_device(games, device_id)
    now = now.replace(microsecond=0)
    serial = int(now.timestamp())
    public = list(keys.keyring.public_key_set().values())
    if keys.card_keys is not None:
        public += list(keys.card_keys.values())
    cards, suspended = keys.cards or (RevocationList(0, now, ()), frozenset[int]())
    package = DevicePackage(
        venue=device.venue,
        zones=tuple(sorted(set(device.gates.values()))),
        keys=PublicKeySet(public),
        revocations=cards,
        issued_at=now,
        suspended=suspended,
        sessions=session_windows(games, device.venue),
        gates=device.gates,
        code_keys=dict(keys.code_keys),
        ticket_revocations=RevocationList(serial, now, ticket_revocation_entries(games)),
    )
    return sign_device_package(package, keys.keyring.active)
