"""The credential: a compact binary payload signed with Ed25519, and its Base45 text.

Layout of format version 1 (big-endian, offsets in bytes)::

    0   1  format version (1)
    1   1  kind (1 accreditation, 2 ticket)
    2   8  key id of the signing key (`podium.gates.keys.key_id_of`)
    10  4  credential id (the accreditation or ticket number), unsigned
    14  2  card serial (a re-print or a transfer gets a new serial), unsigned
    16  4  valid from, UTC seconds since 1970, unsigned
    20  4  valid until (last second admitted), UTC seconds since 1970, unsigned
    24  .. kind-specific body
    -64 64 Ed25519 signature (RFC 8032) over every byte before it

Accreditation body: the category, the zones, then the venues (none = every venue), each
with an optional override of the zones. A code is one length byte then ASCII
`[0-9A-Za-z_-]`, 1 to 16 characters; a list is one count byte then its codes; an
override is a list, or the byte 0xFF for "the card's zones".

Ticket body: the session code, the venue code, the gates (none = any gate of the venue),
the generation of the ticket code key (one byte, see `podium.gates.codes`), the holder's
opaque reference (8 bytes), then two labels shown to gate staff, the seating area and the
seat: one length byte then at most 32 characters of `[0-9A-Za-z .:/_-]`.

No personal data rides on the card (DESIGN.md, two planes): a gate needs the credential
id and the grants, never a name or a birth date; the photo check is a lookup by id. A
ticket names its holder only by an opaque 8-byte reference (a pseudonym of the account,
meaningless without the sovereign plane).
"""

from __future__ import annotations

import re
import struct
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import IntEnum
from typing import Any, Generic, Protocol, TypeVar

from podium.gates.base45 import b45decode, b45encode
from podium.gates.errors import CredentialFormatError

__all__ = [
    "FORMAT_VERSION",
    "KEY_ID_LENGTH",
    "SIGNATURE_LENGTH",
    "AccreditationBody",
    "Credential",
    "Kind",
    "SignedCredential",
    "Signer",
    "TicketBody",
    "VenueGrant",
    "decode",
    "decode_message",
    "encode",
    "from_text",
    "sign",
    "to_text",
]

FORMAT_VERSION = 1
KEY_ID_LENGTH = 8
SIGNATURE_LENGTH = 64
_HEADER = struct.Struct(">BB8sIHII")
HEADER_LENGTH = _HEADER.size
_NO_OVERRIDE = 0xFF
_MAX_COUNT = 254
_CODE = re.compile(r"[0-9A-Za-z_-]{1,16}\Z")
_LIMITS = (("credential_id", 0xFFFFFFFF), ("card_serial", 0xFFFF))
_LABEL = re.compile(r"[0-9A-Za-z .:/_-]{0,32}\Z")
HOLDER_LENGTH = 8


class Kind(IntEnum):
    """What a credential grants; the byte at offset 1."""

    ACCREDITATION = 1
    TICKET = 2


@dataclass(frozen=True, slots=True)
class VenueGrant:
    """One venue a card opens, and optionally its own zones there.

    Attributes:
        venue: venue code (`STA`, `BCY`, ...).
        zones: zone codes granted at this venue, or None for the card's zones.

    """

    venue: str
    zones: tuple[str, ...] | None = None


@dataclass(frozen=True, slots=True)
class AccreditationBody:
    """What an accreditation card grants.

    Attributes:
        category: accreditation category code (`A`, `Aa`, `E`, `RT`, ...).
        zones: zone codes granted (`1`..`7`, `R` for the village, ...).
        venues: the venues the card opens; empty means every venue.

    """

    category: str
    zones: tuple[str, ...]
    venues: tuple[VenueGrant, ...] = ()

    kind = Kind.ACCREDITATION

    def zones_at(self, venue: str) -> tuple[str, ...] | None:
        """Return the zones granted at `venue`, or None when the card does not open it."""
        if not self.venues:
            return self.zones
        for grant in self.venues:
            if grant.venue == venue:
                return self.zones if grant.zones is None else grant.zones
        return None


@dataclass(frozen=True, slots=True)
class TicketBody:
    """What a ticket grants: one session at one venue, through some gates.

    Attributes:
        session: the session code (`ATH12`, as `podium.games` numbers them).
        venue: the venue code.
        gates: gate codes the ticket enters by; empty means any gate of the venue.
        code_key: generation of the ticket code key its rotating code derives from,
            0 to 255 (`podium.gates.codes.ticket_secret`).
        holder: the holder's opaque 8-byte reference (no personal data).
        area: the seating area, shown to gate staff ("" when none).
        seat: row and seat, shown to gate staff ("" for standing or unassigned).

    """

    session: str
    venue: str
    gates: tuple[str, ...] = ()
    code_key: int = 0
    holder: bytes = bytes(HOLDER_LENGTH)
    area: str = ""
    seat: str = ""

    kind = Kind.TICKET


Body = TypeVar("Body", AccreditationBody, TicketBody)


@dataclass(frozen=True, slots=True)
class Credential(Generic[Body]):
    """The signed content of a card, without its signature.

    Attributes:
        credential_id: the accreditation number, 0 to 2**32-1.
        card_serial: the card's print serial, 0 to 65535 (a re-print gets a new one).
        valid_from: first instant admitted (aware UTC, whole seconds).
        valid_until: last instant admitted (aware UTC, whole seconds), inclusive.
        body: the kind-specific grants (`AccreditationBody` or `TicketBody`).
        key_id: id of the signing key (`sign` sets it).

    """

    credential_id: int
    card_serial: int
    valid_from: datetime
    valid_until: datetime
    body: Body
    key_id: bytes = bytes(KEY_ID_LENGTH)

    @property
    def kind(self) -> Kind:
        """Return the credential's kind (from its body)."""
        return self.body.kind


@dataclass(frozen=True, slots=True)
class SignedCredential:
    """A decoded card: its content, the signed bytes and the signature (not yet verified).

    Attributes:
        credential: the decoded content.
        message: the signed bytes (everything before the signature).
        signature: the 64-byte Ed25519 signature.

    """

    credential: Credential[Any]
    message: bytes
    signature: bytes

    @property
    def raw(self) -> bytes:
        """Return the card's bytes: message then signature."""
        return self.message + self.signature

    @property
    def text(self) -> str:
        """Return the card's Base45 text, as printed in the QR code."""
        return b45encode(self.message + self.signature)


class Signer(Protocol):
    """Anything that signs with an Ed25519 key and knows its key id."""

    @property
    def key_id(self) -> bytes:
        """Return the 8-byte key id."""
        ...

    def sign(self, message: bytes) -> bytes:
        """Return the 64-byte Ed25519 signature of `message`."""
        ...


def _invalid(message: str) -> CredentialFormatError:
    return CredentialFormatError(message, code="credential_invalid_value")


def _seconds(name: str, value: datetime) -> int:
    if value.tzinfo is None or value.utcoffset() is None:
        raise _invalid(f"{name} {value} is naive: give an aware UTC datetime")
    if value.microsecond:
        raise _invalid(f"{name} {value} has a fraction of a second")
    seconds = int(value.timestamp())
    if not 0 <= seconds <= 0xFFFFFFFF:
        raise _invalid(f"{name} {value} is outside 1970..2106")
    return seconds


def _put_codes(out: bytearray, field: str, codes: tuple[str, ...]) -> None:
    if len(codes) > _MAX_COUNT:
        raise _invalid(f"{field}: {len(codes)} codes, at most {_MAX_COUNT}")
    out.append(len(codes))
    for code in codes:
        _put_code(out, field, code)


def _put_code(out: bytearray, field: str, code: str) -> None:
    if not isinstance(code, str) or not _CODE.match(code):
        raise _invalid(f"{field}: {code!r} is not 1-16 characters of [0-9A-Za-z_-]")
    out.append(len(code))
    out += code.encode("ascii")


def _put_label(out: bytearray, field: str, label: str) -> None:
    if not isinstance(label, str) or not _LABEL.match(label):
        raise _invalid(f"{field}: {label!r} is not 0-32 characters of [0-9A-Za-z .:/_-]")
    out.append(len(label))
    out += label.encode("ascii")


def _encode_ticket(body: TicketBody) -> bytes:
    out = bytearray()
    _put_code(out, "session", body.session)
    _put_code(out, "venue", body.venue)
    _put_codes(out, "gates", body.gates)
    if not isinstance(body.code_key, int) or not 0 <= body.code_key <= 0xFF:
        raise _invalid(f"code_key {body.code_key!r} is outside 0..255")
    out.append(body.code_key)
    if not isinstance(body.holder, bytes) or len(body.holder) != HOLDER_LENGTH:
        raise _invalid(f"holder is not {HOLDER_LENGTH} bytes")
    out += body.holder
    _put_label(out, "area", body.area)
    _put_label(out, "seat", body.seat)
    return bytes(out)


def _encode_body(body: AccreditationBody | TicketBody) -> bytes:
    if isinstance(body, TicketBody):
        return _encode_ticket(body)
    out = bytearray()
    _put_code(out, "category", body.category)
    _put_codes(out, "zones", body.zones)
    if len(body.venues) > _MAX_COUNT:
        raise _invalid(f"venues: {len(body.venues)}, at most {_MAX_COUNT}")
    out.append(len(body.venues))
    for grant in body.venues:
        _put_code(out, "venue", grant.venue)
        if grant.zones is None:
            out.append(_NO_OVERRIDE)
        else:
            _put_codes(out, f"zones of venue {grant.venue}", grant.zones)
    return bytes(out)


def encode(credential: Credential[Any]) -> bytes:
    """Return the bytes to sign: the header and body of format version 1 (no signature).

    Raises:
        CredentialFormatError: `credential_invalid_value`, naming the field: a number out
            of range, a naive or fractional datetime, valid_until before valid_from, a code
            outside `[0-9A-Za-z_-]{1,16}`, more than 254 codes, a key id not 8 bytes.

    """
    for name, limit in _LIMITS:
        value = getattr(credential, name)
        if not isinstance(value, int) or not 0 <= value <= limit:
            raise _invalid(f"{name} {value!r} is outside 0..{limit}")
    start = _seconds("valid_from", credential.valid_from)
    end = _seconds("valid_until", credential.valid_until)
    if end < start:
        raise _invalid(f"valid_until {credential.valid_until} is before valid_from")
    if len(credential.key_id) != KEY_ID_LENGTH:
        raise _invalid(f"key_id has {len(credential.key_id)} bytes, not {KEY_ID_LENGTH}")
    header = _HEADER.pack(
        FORMAT_VERSION,
        credential.kind,
        credential.key_id,
        credential.credential_id,
        credential.card_serial,
        start,
        end,
    )
    return header + _encode_body(credential.body)


def sign(credential: Credential[Any], signer: Signer) -> SignedCredential:
    """Sign a credential with `signer`, whose key id replaces the credential's.

    Args:
        credential: the content (its `key_id` is ignored).
        signer: the issuer's active key (`IssuerKeyring.active`).

    Returns:
        The signed card; `.text` is what the QR code holds.

    Raises:
        CredentialFormatError: `credential_invalid_value` (see `encode`).

    """
    credential = Credential(
        credential.credential_id,
        credential.card_serial,
        credential.valid_from,
        credential.valid_until,
        credential.body,
        signer.key_id,
    )
    message = encode(credential)
    return SignedCredential(credential, message, signer.sign(message))


_KINDS = frozenset(Kind)
_CODE_BYTES = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_-"
_CODE_MAX = 16
_LABEL_BYTES = _CODE_BYTES + b" .:/"
_LABEL_MAX = 32


def _take_code(data: bytes, offset: int, what: str) -> tuple[str, int]:
    """Read one code at `offset`; return it and the next offset (IndexError when truncated)."""
    size = data[offset]
    end = offset + 1 + size
    raw = data[offset + 1 : end]
    if not 0 < size <= _CODE_MAX or len(raw) != size or raw.translate(None, _CODE_BYTES):
        raise CredentialFormatError(f"{what} at byte {offset} is not a valid code")
    return raw.decode("ascii"), end


def _take_codes(data: bytes, offset: int, count: int, what: str) -> tuple[tuple[str, ...], int]:
    codes = []
    for _ in range(count):
        code, offset = _take_code(data, offset, what)
        codes.append(code)
    return tuple(codes), offset


def _take_label(data: bytes, offset: int, what: str) -> tuple[str, int]:
    size = data[offset]
    end = offset + 1 + size
    raw = data[offset + 1 : end]
    if size > _LABEL_MAX or len(raw) != size or raw.translate(None, _LABEL_BYTES):
        raise CredentialFormatError(f"{what} at byte {offset} is not a valid label")
    return raw.decode("ascii"), end


def _decode_ticket(data: bytes, offset: int) -> TicketBody:
    try:
        session, offset = _take_code(data, offset, "session")
        venue, offset = _take_code(data, offset, "venue")
        gates, offset = _take_codes(data, offset + 1, data[offset], "gate")
        code_key = data[offset]
        holder = data[offset + 1 : offset + 1 + HOLDER_LENGTH]
        area, offset = _take_label(data, offset + 1 + HOLDER_LENGTH, "area")
        seat, offset = _take_label(data, offset, "seat")
    except IndexError:
        raise CredentialFormatError(f"ticket truncated: {len(data)} bytes") from None
    if offset != len(data):
        raise CredentialFormatError(f"{len(data) - offset} stray bytes at byte {offset}")
    if len(holder) != HOLDER_LENGTH:
        raise CredentialFormatError(f"ticket truncated: {len(data)} bytes")
    return TicketBody(session, venue, gates, code_key, holder, area, seat)


def _decode_body(data: bytes, offset: int) -> AccreditationBody:
    try:
        category, offset = _take_code(data, offset, "category")
        zones, offset = _take_codes(data, offset + 1, data[offset], "zone")
        venues = []
        count, offset = data[offset], offset + 1
        for _ in range(count):
            venue, offset = _take_code(data, offset, "venue")
            overrides, offset = data[offset], offset + 1
            override = None
            if overrides != _NO_OVERRIDE:
                override, offset = _take_codes(data, offset, overrides, f"zone of {venue}")
            venues.append(VenueGrant(venue, override))
    except IndexError:
        raise CredentialFormatError(f"credential truncated: {len(data)} bytes") from None
    if offset != len(data):
        raise CredentialFormatError(f"{len(data) - offset} stray bytes at byte {offset}")
    return AccreditationBody(category, zones, tuple(venues))


def decode_message(message: bytes) -> Credential[Any]:
    """Return the credential held by signed bytes (the message, without signature).

    Raises:
        CredentialFormatError: `unknown_version` for a version other than 1; `malformed`,
            naming the byte offset, for a truncated or over-long message, an unknown kind,
            an invalid code, or a validity window that ends before it starts.

    """
    if not message:
        raise CredentialFormatError("empty credential")
    if message[0] != FORMAT_VERSION:
        raise CredentialFormatError(
            f"credential format version {message[0]} is not {FORMAT_VERSION}",
            code="unknown_version",
        )
    if len(message) < HEADER_LENGTH:
        raise CredentialFormatError(f"credential header truncated: {len(message)} bytes")
    _, kind, key_id, number, serial, start, end = _HEADER.unpack_from(message)
    if kind not in _KINDS:
        raise CredentialFormatError(f"credential kind {kind} at byte 1 is not supported")
    if end < start:
        raise CredentialFormatError("valid_until (byte 20) is before valid_from (byte 16)")
    body: AccreditationBody | TicketBody
    if kind == Kind.TICKET:
        body = _decode_ticket(message, HEADER_LENGTH)
    else:
        body = _decode_body(message, HEADER_LENGTH)
    return Credential(
        number,
        serial,
        datetime.fromtimestamp(start, UTC),
        datetime.fromtimestamp(end, UTC),
        body,
        key_id,
    )


def decode(data: bytes) -> SignedCredential:
    """Split a card's bytes into its credential and signature; the signature is NOT checked.

    Raises:
        CredentialFormatError: `malformed` or `unknown_version` (see `decode_message`).

    """
    if len(data) < HEADER_LENGTH + SIGNATURE_LENGTH:
        if data and data[0] != FORMAT_VERSION:
            raise CredentialFormatError(
                f"credential format version {data[0]} is not {FORMAT_VERSION}",
                code="unknown_version",
            )
        raise CredentialFormatError(f"credential of {len(data)} bytes is too short")
    message = data[:-SIGNATURE_LENGTH]
    return SignedCredential(decode_message(message), message, data[-SIGNATURE_LENGTH:])


def to_text(signed: SignedCredential | bytes) -> str:
    """Return the Base45 text of a card (RFC 9285), for the QR code or typing."""
    return signed.text if isinstance(signed, SignedCredential) else b45encode(signed)


def from_text(text: str) -> bytes:
    """Return a card's bytes from its Base45 text, surrounding white space ignored.

    Raises:
        CredentialFormatError: `malformed`, naming the position of the bad character.

    """
    return b45decode(text.strip("\r\n\t"))
