from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone

import pytest
import segno
from hypothesis import given
from hypothesis import strategies as st

from podium.gates import (
    FORMAT_VERSION,
    AccreditationBody,
    Credential,
    CredentialFormatError,
    IssuerKeyring,
    Kind,
    VenueGrant,
    decode,
    decode_message,
    encode,
    from_text,
    qr_png,
    qr_svg,
    sign,
    to_text,
)
from podium.gates.payload import HEADER_LENGTH
from tests.gates.gates_factories import T0, athlete_card, credentials


@given(credentials())
def test_decode_message_inverts_encode(credential: Credential[AccreditationBody]) -> None:
    assert decode_message(encode(credential)) == credential


def test_signed_card_round_trips_through_bytes_and_text(keyring: IssuerKeyring) -> None:
    card = sign(athlete_card(venues=(VenueGrant("STA"), VenueGrant("BCY", ("5",)))), keyring.active)
    assert card.credential.key_id == keyring.active.key_id
    assert decode(card.raw) == card
    assert decode(from_text(to_text(card))) == card
    assert from_text(card.text + "\r\n") == card.raw
    assert card.credential.kind is Kind.ACCREDITATION
    assert card.raw[0] == FORMAT_VERSION


def test_card_is_compact_and_carries_no_personal_data(keyring: IssuerKeyring) -> None:
    card = sign(athlete_card(), keyring.active)
    # "Aa" (3 bytes), zones 1 2 3 R (1 + 4 x 2), no venue list (1)
    assert len(card.raw) == HEADER_LENGTH + 3 + 9 + 1 + 64
    assert set(card.credential.__slots__) == {
        "credential_id",
        "card_serial",
        "valid_from",
        "valid_until",
        "body",
        "key_id",
    }


def test_zones_at_a_venue_follow_the_override() -> None:
    body = AccreditationBody("E", ("1", "2"), (VenueGrant("STA"), VenueGrant("BCY", ("4",))))
    assert body.zones_at("STA") == ("1", "2")
    assert body.zones_at("BCY") == ("4",)
    assert body.zones_at("AQC") is None
    assert AccreditationBody("E", ("1",)).zones_at("AQC") == ("1",)


@pytest.mark.parametrize(
    ("change", "fragment"),
    [
        ({"credential_id": -1}, "credential_id"),
        ({"credential_id": 2**32}, "credential_id"),
        ({"card_serial": 65536}, "card_serial"),
        ({"valid_from": datetime(2024, 7, 18)}, "naive"),  # noqa: DTZ001
        ({"valid_from": T0 + timedelta(microseconds=5)}, "fraction"),
        ({"valid_until": T0 - timedelta(seconds=1)}, "before valid_from"),
        ({"valid_from": datetime(1969, 1, 1, tzinfo=UTC)}, "outside"),
        ({"key_id": b"short"}, "key_id"),
        ({"body": AccreditationBody("A A", ("1",))}, "category"),
        ({"body": AccreditationBody("A", ("",))}, "zones"),
        ({"body": AccreditationBody("A", ("1" * 17,))}, "zones"),
        ({"body": AccreditationBody("A", ("1",) * 255)}, "at most 254"),
        ({"body": AccreditationBody("A", ("1",), (VenueGrant("ST/A"),))}, "venue"),
    ],
)
def test_encode_refuses_values_the_format_cannot_carry(
    change: dict[str, object], fragment: str
) -> None:
    with pytest.raises(CredentialFormatError) as error:
        encode(replace(athlete_card(), **change))  # type: ignore[arg-type]
    assert error.value.code == "credential_invalid_value"
    assert fragment in str(error.value)


def test_an_aware_non_utc_time_is_encoded_as_the_same_instant() -> None:
    paris = timezone(timedelta(hours=2))
    card = replace(athlete_card(), valid_from=T0.astimezone(paris))
    assert decode_message(encode(card)).valid_from == T0


def test_unknown_version_is_its_own_code(keyring: IssuerKeyring) -> None:
    raw = bytearray(sign(athlete_card(), keyring.active).raw)
    raw[0] = 2
    with pytest.raises(CredentialFormatError) as error:
        decode(bytes(raw))
    assert error.value.code == "unknown_version"
    with pytest.raises(CredentialFormatError) as error:
        decode(b"\x07")
    assert error.value.code == "unknown_version"


@pytest.mark.parametrize(
    ("mutate", "fragment"),
    [
        (lambda m: m[:10], "too short"),
        (lambda m: m + b"\x00", "stray bytes"),
        (lambda m: m[:-1], "truncated"),
        (lambda m: m[:1] + b"\x03" + m[2:], "kind 3"),
        (lambda m: m[:HEADER_LENGTH] + b"\x02A " + m[HEADER_LENGTH + 3 :], "category"),
        (lambda m: m[:HEADER_LENGTH] + b"\x00" + m[HEADER_LENGTH + 1 :], "category"),
        (lambda m: m[:16] + m[20:24] + m[16:20] + m[24:], "before valid_from"),
    ],
)
def test_malformed_bytes_are_refused_with_where(mutate: object, fragment: str) -> None:
    card = replace(athlete_card(), valid_until=T0 + timedelta(days=1))
    message = mutate(encode(card))  # type: ignore[operator]
    with pytest.raises(CredentialFormatError) as error:
        decode(message + bytes(64))
    assert error.value.code == "malformed"
    assert fragment in str(error.value)


def test_malformed_text_is_refused() -> None:
    with pytest.raises(CredentialFormatError) as error:
        from_text("not base45!")
    assert error.value.code == "malformed"


def test_qr_code_holds_the_text_in_alphanumeric_mode(keyring: IssuerKeyring) -> None:
    card = sign(athlete_card(), keyring.active)
    svg, png = qr_svg(card), qr_png(card.text)
    assert svg.startswith(b"<svg")
    assert svg.rstrip().endswith(b"</svg>")
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    expected = segno.make_qr(card.text, error="m", mode="alphanumeric", boost_error=False)
    assert expected.mode == "alphanumeric"
    assert int(expected.version) <= 10  # readable from a phone screen or a lanyard card
    assert qr_svg(card.text) == svg


@given(st.binary(max_size=200))
def test_decoding_any_bytes_returns_a_card_or_a_format_error(data: bytes) -> None:
    try:
        signed = decode(data)
    except CredentialFormatError as error:
        code = error.code
    else:
        code = "decoded"
        assert encode(signed.credential) == signed.message
    assert code in {"decoded", "malformed", "unknown_version"}
