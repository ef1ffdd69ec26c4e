"""Revocation lists: signed, versioned by a monotonic serial, full or delta; O(1) look-up.

A list with `base_serial` 0 is full; otherwise it is a delta holding the entries added after
list `base_serial`. A gate holds a `RevocationIndex` and applies each newer list in turn;
it refuses a list older than the one it has, a delta that leaves a gap, and a list whose
signature does not verify (`open_revocation_list`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, TypeGuard

from podium.gates.errors import SignedDocumentError
from podium.gates.keys import IssuerKey, PublicKeySet, open_document, sign_document

__all__ = [
    "REVOCATION_LIST_TYPE",
    "RevocationEntry",
    "RevocationIndex",
    "RevocationList",
    "open_revocation_list",
    "sign_revocation_list",
]

REVOCATION_LIST_TYPE = "podium.gates.revocation-list.v1"
_REASON = re.compile(r"[a-z][a-z0-9_]{0,31}\Z")
_SERIAL_SPAN = 0x10000  # card serials are 16-bit (payload layout)


@dataclass(frozen=True, slots=True)
class RevocationEntry:
    """One revoked card, or every card of a credential.

    Attributes:
        credential_id: the accreditation number.
        card_serial: the revoked card's serial, or None for every serial.
        reason: a stable code (`lost`, `stolen`, `withdrawn`, `reprinted`, ...).
        revoked_at: when it was revoked (aware UTC, whole seconds in the signed form).

    """

    credential_id: int
    card_serial: int | None
    reason: str
    revoked_at: datetime

    def to_json(self) -> list[Any]:
        """Return the compact form `[credential_id, card_serial|null, reason, UTC seconds]`."""
        return [
            self.credential_id,
            self.card_serial,
            self.reason,
            int(self.revoked_at.timestamp()),
        ]

    @classmethod
    def from_json(cls, item: object, where: str) -> RevocationEntry:
        """Read the compact form; `where` names the entry in errors.

        Raises:
            SignedDocumentError: `document_malformed`.

        """
        if not isinstance(item, list) or len(item) != 4:
            raise SignedDocumentError(f"{where}: not [id, serial, reason, revoked_at]")
        number, serial, reason, at = item
        ok = (
            _is_int(number, 0xFFFFFFFF)
            and (serial is None or _is_int(serial, _SERIAL_SPAN - 1))
            and isinstance(reason, str)
            and _REASON.match(reason)
            and _is_int(at, 2**40)
        )
        if not ok:
            raise SignedDocumentError(f"{where}: bad value in {item!r}")
        return cls(number, serial, reason, datetime.fromtimestamp(at, UTC))


def _is_int(value: object, limit: int) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= limit


@dataclass(frozen=True, slots=True)
class RevocationList:
    """A revocation list: full (`base_serial` 0) or a delta since list `base_serial`.

    Attributes:
        serial: this list's serial; each list issued has a greater one (0: the empty list).
        issued_at: when it was issued.
        entries: the revoked cards (for a delta: those added after `base_serial`).
        base_serial: 0 for a full list, else the serial the delta applies on.

    """

    serial: int
    issued_at: datetime
    entries: tuple[RevocationEntry, ...]
    base_serial: int = 0

    @property
    def is_delta(self) -> bool:
        """Return True for a delta, False for a full list."""
        return self.base_serial > 0

    def to_json(self) -> dict[str, Any]:
        """Return the body that gets signed."""
        return {
            "serial": self.serial,
            "base_serial": self.base_serial,
            "issued_at": int(self.issued_at.timestamp()),
            "entries": [entry.to_json() for entry in self.entries],
        }

    @classmethod
    def from_json(cls, body: Mapping[str, Any]) -> RevocationList:
        """Read a list's body.

        Raises:
            SignedDocumentError: `document_malformed`, naming the field or entry.

        """
        serial, base, issued = body.get("serial"), body.get("base_serial"), body.get("issued_at")
        entries = body.get("entries")
        if not (
            _is_int(serial, 2**62)
            and _is_int(base, 2**62)
            and _is_int(issued, 2**40)
            and isinstance(entries, list)
        ):
            raise SignedDocumentError(
                "revocation list: bad serial, base_serial, issued_at or entries"
            )
        if base and base >= serial:
            raise SignedDocumentError(f"revocation list serial {serial} after base {base}")
        items = tuple(
            RevocationEntry.from_json(item, f"revocation entry {n}")
            for n, item in enumerate(entries)
        )
        return cls(serial, datetime.fromtimestamp(issued, UTC), items, base)


def sign_revocation_list(revocations: RevocationList, signer: IssuerKey) -> bytes:
    """Return the signed JSON document of a revocation list (see `podium.gates.keys`)."""
    return sign_document(REVOCATION_LIST_TYPE, revocations.to_json(), signer)


def open_revocation_list(data: bytes, keys: PublicKeySet, at: datetime) -> RevocationList:
    """Verify and read a signed revocation list.

    Args:
        data: the signed document.
        keys: the trusted public keys (the device's key set).
        at: now; a key retired by then verifies nothing.

    Raises:
        SignedDocumentError: `document_malformed`, `document_unknown_key`,
            `document_bad_signature`.

    """
    return RevocationList.from_json(open_document(data, REVOCATION_LIST_TYPE, keys, at))


class RevocationIndex:
    """The revoked cards a gate knows, at one list serial; O(1) look-up.

    Args:
        revocations: a full list, or None for the empty index at serial 0.

    """

    __slots__ = ("_all", "_cards", "issued_at", "serial")

    def __init__(self, revocations: RevocationList | None = None) -> None:
        """Index a full list; see the class docstring."""
        self._all: dict[int, RevocationEntry] = {}
        self._cards: dict[int, RevocationEntry] = {}
        self.serial = 0
        self.issued_at: datetime | None = None
        if revocations is not None:
            if revocations.is_delta:
                raise SignedDocumentError(
                    f"revocation list {revocations.serial} is a delta, not a full list",
                    code="revocation_gap",
                )
            self._add(revocations)

    def _add(self, revocations: RevocationList) -> None:
        for entry in revocations.entries:
            if entry.card_serial is None:
                self._all[entry.credential_id] = entry
            else:
                self._cards[entry.credential_id * _SERIAL_SPAN + entry.card_serial] = entry
        self.serial, self.issued_at = revocations.serial, revocations.issued_at

    def lookup(self, credential_id: int, card_serial: int) -> RevocationEntry | None:
        """Return the entry revoking this card (or every card of the credential), if any."""
        found = self._all.get(credential_id)
        if found is None:
            return self._cards.get(credential_id * _SERIAL_SPAN + card_serial)
        return found

    def __len__(self) -> int:
        """Return the number of entries."""
        return len(self._all) + len(self._cards)

    def entries(self) -> Iterable[RevocationEntry]:
        """Return every entry: credential-wide ones first."""
        return [*self._all.values(), *self._cards.values()]

    def applied(self, revocations: RevocationList) -> RevocationIndex:
        """Return a new index with a newer full list or delta applied.

        Raises:
            SignedDocumentError: `revocation_stale` when the list's serial is not greater
                than the index's; `revocation_gap` when a delta's base is beyond the
                index's serial (a list was missed: fetch the full list).

        """
        if revocations.serial <= self.serial:
            raise SignedDocumentError(
                f"revocation list {revocations.serial} is not newer than {self.serial}",
                code="revocation_stale",
            )
        if not revocations.is_delta:
            return RevocationIndex(revocations)
        if revocations.base_serial > self.serial:
            raise SignedDocumentError(
                f"revocation delta {revocations.base_serial}->{revocations.serial} "
                f"does not apply on list {self.serial}",
                code="revocation_gap",
            )
        index = RevocationIndex()
        index._all, index._cards = dict(self._all), dict(self._cards)
        index._add(revocations)
        return index

    def to_list(self) -> RevocationList:
        """Return the index as a full list at its serial (to ship in a device package)."""
        issued = self.issued_at or datetime.fromtimestamp(0, UTC)
        return RevocationList(self.serial, issued, tuple(self.entries()))
