"""Base45 (RFC 9285): bytes as text in the QR code alphanumeric alphabet.

Implemented here rather than taken from PyPI: the candidate (`base45==0.4.4`, last release
August 2022) is untyped, silently strips a trailing newline and says neither what nor where
a decoding failed; the algorithm is twenty lines, and a gate needs strict, positioned errors
on its hot path.
"""

from __future__ import annotations

from podium.gates.errors import CredentialFormatError

__all__ = ["ALPHABET", "b45decode", "b45encode"]

ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:"
"""The 45 characters of RFC 9285 §4, in value order: exactly the QR alphanumeric set."""

_VALUE = {character: value for value, character in enumerate(ALPHABET)}
_PAIR = {a + b: _VALUE[a] + _VALUE[b] * 45 for a in ALPHABET for b in ALPHABET}


def b45encode(data: bytes) -> str:
    """Return the Base45 text of `data` (RFC 9285 §4: two bytes become three characters)."""
    out: list[str] = []
    for index in range(0, len(data) - 1, 2):
        rest, c = divmod(data[index] * 256 + data[index + 1], 45)
        e, d = divmod(rest, 45)
        out += (ALPHABET[c], ALPHABET[d], ALPHABET[e])
    if len(data) % 2:
        d, c = divmod(data[-1], 45)
        out += (ALPHABET[c], ALPHABET[d])
    return "".join(out)


def b45decode(text: str) -> bytes:
    """Return the bytes of Base45 `text`, refusing anything RFC 9285 §4.2 calls invalid.

    Raises:
        CredentialFormatError: `malformed`, naming the position: a character outside the
            alphabet, a length of 3n+1, or a group worth more than 65535 (a final pair more
            than 255).

    """
    size = len(text)
    if size % 3 == 1:
        raise CredentialFormatError(f"base45 text of length {size} (3n+1) is invalid")
    out = bytearray()
    pair, value = _PAIR, _VALUE
    try:
        for index in range(0, size - 2, 3):
            number = pair[text[index : index + 2]] + value[text[index + 2]] * 2025
            if number > 0xFFFF:
                raise CredentialFormatError(f"base45 group at {index} is worth {number} > 65535")
            out += number.to_bytes(2, "big")
        if size % 3 == 2:
            number = pair[text[-2:]]
            if number > 0xFF:
                raise CredentialFormatError(f"base45 final pair is worth {number} > 255")
            out.append(number)
    except KeyError:
        where = next(i for i, ch in enumerate(text) if ch not in value)
        raise CredentialFormatError(f"character {text[where]!r} at {where} is not base45") from None
    return bytes(out)
