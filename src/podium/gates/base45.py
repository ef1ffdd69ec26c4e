"""Base45 (RFC 9285): bytes as text in the QR code alphanumeric alphabet.

Implemented here rather than taken from PyPI: the candidate (`base45==0.4.4`, last release
August 2022) is untyped, silently strips a trailing newline and says neither what nor where
a decoding failed; the algorithm is short, and a gate needs strict, positioned errors and a
fast decoder on its hot path.
"""

from __future__ import annotations

from podium.gates.errors import CredentialFormatError

__all__ = ["ALPHABET", "b45decode", "b45encode"]

ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:"
"""The 45 characters of RFC 9285 §4, in value order: exactly the QR alphanumeric set."""

_VALUE = {character: value for value, character in enumerate(ALPHABET)}
_INVALID = 0xFF
_TO_VALUE = bytes(_VALUE.get(chr(byte), _INVALID) for byte in range(256))
_LANE = 3  # a group of three characters becomes one 24-bit lane of a big integer


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

    This is on a gate's hot path, so every group is decoded at once in C: the c, d and e
    characters of all groups become three big integers with one 24-bit lane a group, and
    `c + 45 d + 2025 e` is computed on the three (no lane overflows: 44 * 2071 < 2**24).

    Raises:
        CredentialFormatError: `malformed`, naming the position: a character outside the
            alphabet, a length of 3n+1, or a group worth more than 65535 (a final pair more
            than 255).

    """
    size = len(text)
    if size % _LANE == 1:
        raise CredentialFormatError(f"base45 text of length {size} (3n+1) is invalid")
    try:
        values = text.encode("ascii").translate(_TO_VALUE)
    except UnicodeEncodeError:
        values = _INVALID.to_bytes() * size
    if _INVALID in values:
        where = next(i for i, ch in enumerate(text) if ch not in _VALUE)
        raise CredentialFormatError(f"character {text[where]!r} at {where} is not base45")
    groups = size // _LANE
    end = groups * _LANE
    number = 0
    for digit, weight in enumerate((1, 45, 2025)):
        lanes = bytearray(end)
        lanes[2::_LANE] = values[digit:end:_LANE]
        number += weight * int.from_bytes(lanes, "big")
    decoded = number.to_bytes(end, "big")
    if decoded[0::_LANE].count(0) != groups:
        where = next(i for i in range(groups) if decoded[i * _LANE]) * _LANE
        raise CredentialFormatError(f"base45 group at {where} is worth more than 65535")
    out = bytearray(2 * groups)
    out[0::2], out[1::2] = decoded[1::_LANE], decoded[2::_LANE]
    if size % _LANE == 2:  # a final pair encodes one byte
        last = values[-2] + 45 * values[-1]
        if last > 0xFF:
            raise CredentialFormatError(f"base45 final pair at {size - 2} is worth {last} > 255")
        out.append(last)
    return bytes(out)
