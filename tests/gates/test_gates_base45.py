from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from podium.gates import CredentialFormatError, b45decode, b45encode
from podium.gates.base45 import ALPHABET


@pytest.mark.parametrize(
    ("data", "text"),
    [
        (b"AB", "BB8"),
        (b"Hello!!", "%69 VD92EX0"),
        (b"base-45", "UJCLQE7W581"),
        (b"ietf!", "QED8WEX0"),
    ],
)
def test_rfc_9285_examples_encode_and_decode(data: bytes, text: str) -> None:
    assert b45encode(data) == text
    assert b45decode(text) == data


@given(st.binary(max_size=300))
def test_decode_inverts_encode(data: bytes) -> None:
    assert b45decode(b45encode(data)) == data


@given(st.binary(max_size=100))
def test_encoding_uses_only_the_qr_alphanumeric_set(data: bytes) -> None:
    assert set(b45encode(data)) <= set(ALPHABET)


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("GGW", "group at 0"),  # 65536 + ... does not fit two bytes
        ("000GGW", "group at 3"),
        ("::", "final pair"),
        ("BB8A", "3n+1"),
        ("BB8a", "3n+1"),
        ("BB8ab", "'a' at 3"),
        ("BB8é0", "'é' at 3"),
        ("BB8\n", "3n+1"),
    ],
)
def test_invalid_text_is_refused_with_its_position(text: str, fragment: str) -> None:
    with pytest.raises(CredentialFormatError) as error:
        b45decode(text)
    assert error.value.code == "malformed"
    assert fragment in str(error.value)
