"""Credentials: the signed card, the revocation list, device packages, online zone checks.

A printed card carries a compact Ed25519-signed credential (`podium.gates`): the
accreditation number, the card serial, the validity window and the grants of its
category from the access configuration. A re-print or a revocation adds an entry to the
games plane's revocation table; publishing numbers the pending entries with the next
list serial, so gates receive the list in full or as a delta. The online zone decision
reads the live state (status, current serial) and asks the SAME `podium.gates.decide`
that devices run offline.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, insert, select, update
from sqlalchemy.orm import Session

from podium.accreditation.access import AccessConfig
from podium.accreditation.context import Desk
from podium.accreditation.errors import ZoneQueryError
from podium.accreditation.models import (
    Accreditation,
    AccreditationStatus,
    CredentialRevocation,
)
from podium.accreditation.models import (
    RevocationList as RevocationListRow,
)
from podium.core.errors import InvalidInputError
from podium.gates import (
    AccreditationBody,
    Credential,
    Decision,
    DevicePackage,
    IssuerKey,
    KeySource,
    RevocationEntry,
    RevocationList,
    Scan,
    VenueGrant,
    decide,
    sign,
    sign_device_package,
    sign_revocation_list,
)

__all__ = [
    "LiveGateState",
    "PublishedList",
    "ZoneAnswer",
    "card_body",
    "check_zone",
    "device_package",
    "issue_credential",
    "publish_revocations",
    "revocation_delta",
    "revoke_serials",
]


def card_body(access: AccessConfig, category: str) -> AccreditationBody:
    """Return what a card of `category` grants, from the access configuration.

    A category opening every venue with no override says "every venue" (no venue list);
    otherwise each venue it opens is listed, with its own zones where they differ.

    Raises:
        UnknownCategoryError: the category is not in the configuration.
    """
    cat = access.category_of(category)
    if cat.venues == "*" and not cat.overrides:
        return AccreditationBody(category, tuple(cat.zones))
    opened = access.venues.codes if cat.venues == "*" else cat.venues
    grants = []
    for venue in sorted(set(opened) | {o.venue for o in cat.overrides}):
        zones = tuple(sorted(access.grant(category, venue).zones))
        grants.append(VenueGrant(venue, None if zones == tuple(sorted(cat.zones)) else zones))
    if not grants:  # opens no venue: the zones of "every venue" are none
        return AccreditationBody(category, ())
    return AccreditationBody(category, tuple(cat.zones), tuple(grants))


def issue_credential(
    signer: IssuerKey, access: AccessConfig, number: int, serial: int, body: AccreditationBody
) -> str:
    """Sign a card's credential and return its Base45 text (what the QR code holds).

    Args:
        signer: the issuer's active key.
        access: the access configuration (validity window).
        number: the accreditation number (the credential id).
        serial: the card serial (1 for the first print).
        body: the grants (`card_body` of the accreditation's category).
    """
    credential = Credential(
        credential_id=number,
        card_serial=serial,
        valid_from=access.validity.valid_from,
        valid_until=access.validity.valid_until,
        body=body,
    )
    return sign(credential, signer).text


def revoke_serials(games: Session, revoked: Sequence[tuple[int, int, str]], at: datetime) -> None:
    """Add revocation-list entries (credential id, card serial, reason code), unpublished."""
    if revoked:
        games.execute(
            insert(CredentialRevocation),
            [
                {"credential_id": n, "card_serial": s, "reason": r, "revoked_at": at}
                for n, s, r in revoked
            ],
        )


def _entries(games: Session, after: int = 0) -> tuple[RevocationEntry, ...]:
    query = (
        select(CredentialRevocation)
        .where(CredentialRevocation.list_serial > after)
        .order_by(CredentialRevocation.id)
    )
    return tuple(
        RevocationEntry(
            r.credential_id, r.card_serial, r.reason, r.revoked_at.replace(microsecond=0)
        )
        for r in games.scalars(query)
    )


@dataclass(frozen=True, slots=True)
class PublishedList:
    """A published revocation list: its serial, the full signed list and its delta.

    Attributes:
        serial: the list's serial number.
        full: the signed full list (every entry so far).
        delta: the signed delta from the previous list (the entries new in this one).
        added: how many entries are new in this list.

    """

    serial: int
    full: bytes
    delta: bytes
    added: int


def _latest_serial(games: Session) -> int:
    return games.scalar(select(func.max(RevocationListRow.serial))) or 0


def publish_revocations(desk: Desk) -> PublishedList:
    """Publish the next revocation list: number the pending entries and sign the list.

    One transaction (games plane). A publication with no new entry still makes a new
    serial, so gates can tell they hold the latest list.

    Returns:
        The new list, signed in full and as a delta from the previous one.
    """
    at = desk.clock().replace(microsecond=0)
    with desk.planes.games_session() as games:
        previous = _latest_serial(games)
        serial = previous + 1
        pending = CredentialRevocation.list_serial.is_(None)
        added = games.scalar(select(func.count()).where(pending)) or 0
        games.execute(update(CredentialRevocation).where(pending).values(list_serial=serial))
        every = _entries(games)
        games.add(RevocationListRow(serial=serial, published_at=at, entries=len(every)))
    signer = desk.keyring.active
    new = tuple(e for e in every[len(every) - added :]) if added else ()
    full = sign_revocation_list(RevocationList(serial, at, every), signer)
    delta = sign_revocation_list(RevocationList(serial, at, new, base_serial=previous), signer)
    return PublishedList(serial, full, delta if previous else full, added)


def revocation_delta(desk: Desk, since: int) -> bytes:
    """Return the signed delta from list `since` to the latest published list.

    Raises:
        InvalidInputError: nothing published after `since` (code `revocation_no_newer`).
    """
    with desk.planes.games_session() as games:
        latest = _latest_serial(games)
        if latest <= since:
            raise InvalidInputError(
                f"no revocation list after serial {since} (latest {latest})",
                code="revocation_no_newer",
            )
        entries = _entries(games, since)
        at = games.scalar(
            select(RevocationListRow.published_at).where(RevocationListRow.serial == latest)
        )
    assert at is not None  # noqa: S101 - the row of the latest serial exists
    body = RevocationList(latest, at.replace(microsecond=0), entries, base_serial=since)
    return sign_revocation_list(body, desk.keyring.active)


def device_package(desk: Desk, venue: str) -> bytes:
    """Build the signed device package of a venue's gates.

    Holds the issuer's public keys, the latest published revocation list in full (the
    first list is published if none was), the suspended credential ids and the venue's
    zones. Entries revoked since the latest publication reach the device with the next
    list (`publish_revocations`), as a delta.

    Raises:
        ZoneQueryError: the venue is not in the access configuration.
    """
    if venue not in desk.access.venues.codes:
        raise ZoneQueryError(f"venue {venue!r} is not in the access configuration")
    with desk.planes.games_session() as games:
        published = _latest_serial(games) > 0
    if not published:  # a package carries a real list: the first one is published now
        publish_revocations(desk)
    at = desk.clock().replace(microsecond=0)
    with desk.planes.games_session() as games:
        serial = _latest_serial(games)
        entries = _entries(games)
        suspended = frozenset(
            games.scalars(
                select(Accreditation.id).where(
                    Accreditation.status == AccreditationStatus.SUSPENDED.value
                )
            )
        )
    revocations = RevocationList(serial, at, entries)
    package = DevicePackage(
        venue=venue,
        zones=tuple(sorted(desk.access.zones)),
        keys=desk.keyring.public_key_set(),
        revocations=revocations,
        issued_at=at,
        suspended=suspended,
    )
    return sign_device_package(package, desk.keyring.active)


class LiveGateState:
    """The gate state read from the database at the moment of a scan (online decisions).

    One primary-key read of the accreditation answers all three questions: revoked (its
    status, or its current serial's entry), suspended, current serial.
    """

    def __init__(self, games: Session) -> None:
        """Read through `games`; see the class docstring."""
        self._games = games
        self._row: tuple[int, str, int] | None = None

    def _read(self, number: int) -> tuple[str, int] | None:
        if self._row is None or self._row[0] != number:
            found = self._games.execute(
                select(Accreditation.status, Accreditation.card_serial).where(
                    Accreditation.id == number
                )
            ).first()
            if found is None:
                return None
            self._row = (number, found[0], found[1])
        return self._row[1], self._row[2]

    def revocation(self, credential_id: int, card_serial: int) -> str | None:
        """Return `revoked` for a revoked accreditation's current card, else None."""
        row = self._read(credential_id)
        if row is None:
            return "unknown_credential"
        status, current = row
        if status == AccreditationStatus.REVOKED.value and card_serial == current:
            return "revoked"
        return None

    def is_suspended(self, credential_id: int) -> bool:
        """Return True when the accreditation is suspended now."""
        row = self._read(credential_id)
        return row is not None and row[0] == AccreditationStatus.SUSPENDED.value

    def current_serial(self, credential_id: int) -> int | None:
        """Return the accreditation's current card serial."""
        row = self._read(credential_id)
        return None if row is None else row[1]


@dataclass(frozen=True, slots=True)
class ZoneAnswer:
    """An online zone decision, as the API returns it."""

    admitted: bool
    reason: str
    message_en: str
    message_fr: str


def check_zone(  # noqa: PLR0913 - the scan's inputs and the trusted keys
    session: Session,
    code_text: str,
    venue: str,
    zone: str,
    at: datetime,
    *,
    keys: KeySource,
    access: AccessConfig | None = None,
) -> ZoneAnswer:
    """Decide online whether a card admits to a zone of a venue, from the live state.

    Args:
        session: a games-plane session (read only).
        code_text: the card's Base45 text, as read from its QR code.
        venue: the venue code of the gate.
        zone: the zone code the gate leads into.
        at: the scan time (aware UTC).
        keys: the issuer's public keys (`IssuerKeyring.public_key_set()`).
        access: when given, the venue and zone must be in it.

    Raises:
        ZoneQueryError: an unknown venue or zone (only with `access`).

    Source: the same `podium.gates.decide` as the offline gates (check order there).
    """
    if access is not None and (venue not in access.venues.codes or zone not in access.zones):
        raise ZoneQueryError(f"unknown venue {venue!r} or zone {zone!r}")
    decision: Decision = decide(code_text, Scan(venue, zone, at), keys, LiveGateState(session))
    return ZoneAnswer(
        decision.admitted, decision.reason.value, decision.message("en"), decision.message("fr")
    )
