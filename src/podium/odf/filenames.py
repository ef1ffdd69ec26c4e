# Copyright 2026 Podium contributors. Licensed under the Apache License 2.0.
"""ODF message file names, in the field order of ODF Foundation Principles §8.4.

Layout, as in the real Paris 2024 files (for example
`20221223BMX-------------------------------DT_SCHEDULE___________________00003P2022-12-23102316715OQB.xml`):

    20221223                              LogicalDate, YYYYMMDD            8
    BMX-------------------------------    DocumentCode                     34
    DT_SCHEDULE___________________        DocumentType, padded with `_`    30
    00003                                 Version, zero-padded             5
    P                                     FeedFlag                         1
    2022-12-23                            Date, YYYY-MM-DD                 10
    102316715                             Time, hhmmssfff                  9
    OQB                                   suffix                           3
    .xml

In the real files the suffix looks random (`OQB`, `EB2`, `CQL`); ours is derived from the
message bytes so that the same message always gets the same name: the first bytes of its
SHA-256, read as a big-endian integer, written as 3 base-36 digits `A`-`Z`, `0`-`9`.
"""

from __future__ import annotations

import hashlib
import re
from typing import TYPE_CHECKING, Final

from podium.odf.timing import odf_time

if TYPE_CHECKING:
    from podium.odf.model import MessageHeader

__all__ = ["FILENAME_PATTERN", "content_suffix", "message_filename"]

_ALPHABET: Final = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
FILENAME_PATTERN: Final = re.compile(
    r"(?P<logical_date>[0-9]{8})(?P<document_code>.{34})(?P<document_type>[A-Z_]{30})"
    r"(?P<version>[0-9]{5})(?P<feed_flag>[PT])(?P<date>[0-9]{4}-[0-9]{2}-[0-9]{2})"
    r"(?P<time>[0-9]{9})(?P<suffix>[A-Z0-9]{3})\.xml"
)
"""Matches a file name of the §8.4 layout; the groups name the fields."""


def content_suffix(content: bytes) -> str:
    """Return the 3-character suffix for `content`: SHA-256, base 36, `A`-`Z` then `0`-`9`."""
    number = int.from_bytes(hashlib.sha256(content).digest()[:8], "big") % 36**3
    digits = []
    for _ in range(3):
        number, digit = divmod(number, 36)
        digits.append(_ALPHABET[digit])
    return "".join(reversed(digits))


def message_filename(header: MessageHeader, content: bytes) -> str:
    """Return the file name of a message.

    Args:
        header: the message header; its DocumentCode is padded with `-` to 34 characters,
            its DocumentType with `_` to 30, its Version with zeros to 5 digits.
        content: the message bytes, hashed into the 3-character suffix.

    Rule source: ODF Foundation Principles §8.4 (order as in the real Paris 2024 files;
    the DocumentSubcode does not appear there and is not written).

    """
    return (
        f"{header.logical_date:%Y%m%d}{header.document_code.ljust(34, '-')}"
        f"{header.document_type.ljust(30, '_')}{header.version:05d}{header.feed_flag}"
        f"{header.date.isoformat()}{odf_time(header.time)}{content_suffix(content)}.xml"
    )
