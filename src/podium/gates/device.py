"""The device package and the offline gate.

A device package is everything a gate needs without a network: the issuer's public key
set, the full revocation list, the suspended credentials, the venue and its zones, and when
it was issued. It is one signed JSON document (`sign_device_package`); a device loads it
against keys it already trusts (provisioned, or those of its previous package), so a key
rotation reaches devices signed by a key they know.

`OfflineGate.check` is the hot path: the key set's `Ed25519PublicKey` objects are built
once, the revocation look-up is a dict probe, and the decision is `podium.gates.rules.decide`,
the same function the online service calls.

A package for ticket sessions also carries the sessions the venue's gates admit (with
their door-opening windows), the gates (code -> the zone each leads into) and the ticket
code keys of the rotating codes. The code keys are secret: a package is fetched only over
the authenticated device API (see `podium.gates.codes` for the trade-off).
`OfflineGate.scan` decides a ticket or a card at a gate, in a direction, with a nonce,
and logs a `ScanRecord` for the upload; its `LocalGateState` keeps the device's
anti-passback and nonces across package and revocation updates.

Optionally (`verified_cache=N`, off by default) a gate keeps the last N cards whose
signature verified, keyed by their exact text or bytes, and skips only the signature and
body checks when the same card comes back (a badge scanned at every zone all day). Every
other check still runs on each scan, the key's retirement included; identical bytes verify
identically, so this changes speed, never a decision.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from podium.gates.codekeys import TicketCodeKeys
from podium.gates.codes import split_screen_text
from podium.gates.errors import KeyringError, SignedDocumentError
from podium.gates.keys import IssuerKey, PublicKeySet, open_document, sign_document
from podium.gates.local import LocalGateState, ScanRecord, SessionWindow
from podium.gates.payload import Credential
from podium.gates.reasons import Direction
from podium.gates.revocation import (
    RevocationIndex,
    RevocationList,
    open_revocation_list,
)
from podium.gates.rules import Decision, Scan, decide, judge, verify_card

__all__ = [
    "DEVICE_PACKAGE_TYPE",
    "DevicePackage",
    "GateScan",
    "OfflineGate",
    "load_device_package",
    "sign_device_package",
]

DEVICE_PACKAGE_TYPE = "podium.gates.device-package.v1"
_CODE = re.compile(r"[0-9A-Za-z_-]{1,16}\Z")


@dataclass(frozen=True, slots=True)
class DevicePackage:
    """What a gate device holds to decide offline.

    Attributes:
        venue: the venue code the device serves.
        zones: the venue's zone codes (the gates of the device lead into these).
        keys: the issuer's public key set.
        revocations: the full revocation list at its serial.
        suspended: suspended credential ids.
        issued_at: when the package was made; a device takes only newer packages.
        sessions: ticket sessions the venue admits, with their windows (none: cards only).
        gates: gate code -> the zone code it leads into.
        code_keys: ticket code keys by generation (secret; tickets only).
        ticket_revocations: the tickets' full revocation list (cancelled tickets, serials
            transferred away), or None.

    """

    venue: str
    zones: tuple[str, ...]
    keys: PublicKeySet
    revocations: RevocationList
    issued_at: datetime
    suspended: frozenset[int] = field(default_factory=frozenset)
    sessions: tuple[SessionWindow, ...] = ()
    gates: Mapping[str, str] = field(default_factory=dict)
    code_keys: Mapping[int, bytes] = field(default_factory=dict)
    ticket_revocations: RevocationList | None = None

    def to_json(self) -> dict[str, Any]:
        """Return the body that gets signed (ticket fields only when present)."""
        body: dict[str, Any] = {
            "venue": self.venue,
            "zones": list(self.zones),
            "keys": self.keys.to_json(),
            "revocations": self.revocations.to_json(),
            "suspended": sorted(self.suspended),
            "issued_at": int(self.issued_at.timestamp()),
        }
        if self.sessions:
            body["sessions"] = [window.to_json() for window in self.sessions]
        if self.gates:
            body["gates"] = dict(sorted(self.gates.items()))
        if self.code_keys:
            body["ticket_code_keys"] = TicketCodeKeys.to_json(self.code_keys)
        if self.ticket_revocations is not None:
            body["ticket_revocations"] = self.ticket_revocations.to_json()
        return body

    def sessions_at(self, at: datetime) -> frozenset[str]:
        """Return the codes of the sessions whose window holds `at`."""
        return frozenset(w.code for w in self.sessions if w.opens <= at <= w.closes)

    @classmethod
    def from_json(cls, body: Mapping[str, Any]) -> DevicePackage:
        """Read a package body.

        Raises:
            SignedDocumentError: `document_malformed`, naming the field.

        """
        venue, zones, issued = body.get("venue"), body.get("zones"), body.get("issued_at")
        suspended = body.get("suspended")
        if not (isinstance(venue, str) and _CODE.match(venue)):
            raise SignedDocumentError(f"device package: venue {venue!r} is not a code")
        if not (
            isinstance(zones, list) and all(isinstance(z, str) and _CODE.match(z) for z in zones)
        ):
            raise SignedDocumentError("device package: zones is not a list of codes")
        if not (isinstance(suspended, list) and all(type(n) is int for n in suspended)):
            raise SignedDocumentError("device package: suspended is not a list of ids")
        if type(issued) is not int or issued < 0:
            raise SignedDocumentError("device package: issued_at is not UTC seconds")
        try:
            keys = PublicKeySet.from_json(body.get("keys") or {})
        except (KeyringError, AttributeError) as error:
            raise SignedDocumentError(f"device package: keys: {error}") from None
        revocations = RevocationList.from_json(body.get("revocations") or {})
        if revocations.is_delta:
            raise SignedDocumentError("device package: the revocation list must be full")
        sessions, gates, code_keys = _ticket_fields(body)
        tickets = body.get("ticket_revocations")
        ticket_revocations = None if tickets is None else RevocationList.from_json(tickets)
        if ticket_revocations is not None and ticket_revocations.is_delta:
            raise SignedDocumentError("device package: ticket revocations must be full")
        return cls(
            venue,
            tuple(zones),
            keys,
            revocations,
            datetime.fromtimestamp(issued, UTC),
            frozenset(suspended),
            sessions,
            gates,
            code_keys,
            ticket_revocations,
        )


def _ticket_fields(
    body: Mapping[str, Any],
) -> tuple[tuple[SessionWindow, ...], dict[str, str], dict[int, bytes]]:
    sessions = body.get("sessions", [])
    gates = body.get("gates", {})
    if not isinstance(sessions, list):
        raise SignedDocumentError("device package: sessions is not a list")
    if not (
        isinstance(gates, dict)
        and all(_CODE.match(g) and isinstance(z, str) and _CODE.match(z) for g, z in gates.items())
    ):
        raise SignedDocumentError("device package: gates is not {gate code: zone code}")
    try:
        code_keys = TicketCodeKeys.from_json(body.get("ticket_code_keys", {}))
    except KeyringError as error:
        raise SignedDocumentError(f"device package: {error}") from None
    return tuple(SessionWindow.from_json(item) for item in sessions), dict(gates), code_keys


def sign_device_package(package: DevicePackage, signer: IssuerKey) -> bytes:
    """Return the signed JSON document of a device package."""
    return sign_document(DEVICE_PACKAGE_TYPE, package.to_json(), signer)


def load_device_package(data: bytes, trusted: PublicKeySet, at: datetime) -> DevicePackage:
    """Verify a signed device package against keys the device already trusts.

    Args:
        data: the signed document.
        trusted: the provisioned keys, or the key set of the device's current package.
        at: now.

    Raises:
        SignedDocumentError: `document_malformed`, `document_unknown_key`,
            `document_bad_signature`.

    """
    return DevicePackage.from_json(open_document(data, DEVICE_PACKAGE_TYPE, trusted, at))


@dataclass(frozen=True, slots=True)
class GateScan:
    """How a presented code is scanned at a device (`OfflineGate.scan`).

    Attributes:
        gate: the gate's code (its zone comes from the package).
        nonce: the device's unique id of this scan (8-64 of `[0-9A-Za-z_.:-]`).
        at: scan time (aware UTC).
        direction: entry (default) or exit.
        rotating_code: the six digits when typed apart from the ticket's text.

    """

    gate: str
    nonce: str
    at: datetime
    direction: Direction = Direction.ENTRY
    rotating_code: str | None = None


def _record(device: str, request: GateScan, decision: Decision) -> ScanRecord:
    return ScanRecord(
        request.nonce,
        device,
        request.at.replace(microsecond=0),
        request.gate,
        request.direction,
        decision.reason,
        decision.admitted,
        decision.credential_id,
        decision.card_serial,
        decision.kind,
    )


class OfflineGate:
    """A gate device deciding scans from its device package, without a network.

    Args:
        package: a verified device package (`load_device_package`).
        verified_cache: how many verified cards to keep (0, the default: none); see the
            module docstring.
        device: the device's id, written on its scan records.

    """

    def __init__(
        self, package: DevicePackage, *, verified_cache: int = 0, device: str = "device"
    ) -> None:
        """Build the look-up structures once; see the class docstring."""
        self._cache_size = verified_cache
        self._verified: dict[str | bytes, Credential[Any]] = {}
        self.device = device
        self.state = LocalGateState()
        self.log: list[ScanRecord] = []
        self._install(package, RevocationIndex(package.revocations))

    def _install(self, package: DevicePackage, index: RevocationIndex) -> None:
        self.package = package
        self.revocations = index
        self.state.revocations, self.state.suspended = index, package.suspended
        self.state.code_keys = package.code_keys
        tickets = package.ticket_revocations
        self.state.ticket_revocations = RevocationIndex(tickets) if tickets else RevocationIndex()
        self._state = self.state
        self._verified.clear()

    @classmethod
    def load(
        cls,
        data: bytes,
        trusted: PublicKeySet,
        at: datetime,
        *,
        verified_cache: int = 0,
        device: str = "device",
    ) -> OfflineGate:
        """Verify a signed package (see `load_device_package`) and build the gate on it."""
        package = load_device_package(data, trusted, at)
        return cls(package, verified_cache=verified_cache, device=device)

    def scan(self, presented: str, request: GateScan) -> Decision:
        """Decide and log one scan at a gate of this venue: a ticket's screen or a card.

        Args:
            presented: what was read: a ticket's screen text (`podium.gates.screen_text`),
                a ticket's text alone, or a card's text.
            request: gate, direction, nonce, time, and the rotating code when typed apart.

        Returns:
            The decision (`Reason.DUPLICATE_SCAN` with the first one for a nonce seen).

        """
        text, code = split_screen_text(presented)
        scan = Scan(
            self.package.venue,
            self.package.gates.get(request.gate, ""),
            request.at,
            request.gate,
            request.direction,
            self.package.sessions_at(request.at),
            request.rotating_code or code,
            request.nonce,
        )
        decision = decide(text, scan, self.package.keys, self.state)
        if self.state.record(scan, decision):
            self.log.append(_record(self.device, request, decision))
        return decision

    @property
    def revocation_serial(self) -> int:
        """Return the serial of the revocation list the gate holds."""
        return self.revocations.serial

    def check(self, card: str | bytes, zone: str, at: datetime) -> Decision:
        """Decide one scan at this device's venue (see `podium.gates.rules.decide`).

        Args:
            card: the QR code's Base45 text, or the card's bytes.
            zone: the zone the gate leads into.
            at: scan time (aware UTC).

        """
        scan = Scan(self.package.venue, zone, at)
        if not self._cache_size:
            return decide(card, scan, self.package.keys, self._state)
        credential = self._verified.get(card)
        if credential is None:
            verified = verify_card(card, at, self.package.keys)
            if isinstance(verified, Decision):
                return verified
            credential = self._remember(card, verified)
        elif self.package.keys.verifier(credential.key_id, at.timestamp()) is None:
            return decide(card, scan, self.package.keys, self._state)  # retired since
        return judge(credential, scan, self._state)

    def _remember(self, card: str | bytes, credential: Credential[Any]) -> Credential[Any]:
        if len(self._verified) >= self._cache_size:
            del self._verified[next(iter(self._verified))]  # the oldest
        self._verified[card] = credential
        return credential

    def apply_revocations(self, data: bytes, at: datetime) -> int:
        """Verify a signed revocation list (full or delta) and apply it.

        Args:
            data: the signed list.
            at: now.

        Returns:
            The gate's new revocation serial.

        Raises:
            SignedDocumentError: bad signature or unknown key (the `document_*` codes), a
                list not newer than the gate's (`revocation_stale`), or a delta that does
                not start at or before the gate's serial (`revocation_gap`).

        """
        revocations = open_revocation_list(data, self.package.keys, at)
        self._install(self.package, self.revocations.applied(revocations))
        return self.revocations.serial

    def update_package(self, data: bytes, at: datetime) -> None:
        """Replace the package by a newer one, verified with the current package's keys.

        The revocation index keeps whichever list is newer, the package's or the gate's.

        Raises:
            SignedDocumentError: the `document_*` codes; `package_stale` for a package not
                issued after the current one; `package_venue` for another venue's package.

        """
        package = load_device_package(data, self.package.keys, at)
        if package.issued_at <= self.package.issued_at:
            raise SignedDocumentError(
                f"device package of {package.issued_at} is not newer than {self.package.issued_at}",
                code="package_stale",
            )
        if package.venue != self.package.venue:
            raise SignedDocumentError(
                f"device package for {package.venue}, this gate is at {self.package.venue}",
                code="package_venue",
            )
        index = RevocationIndex(package.revocations)
        self._install(
            package, index if index.serial >= self.revocations.serial else self.revocations
        )
