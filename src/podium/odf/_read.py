# Copyright 2026 Podium contributors. Licensed under the Apache License 2.0.
"""Small lenient readers of attribute values, shared by the parser modules."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from podium.odf.errors import OdfReadError
from podium.odf.model import LocalName

if TYPE_CHECKING:
    from pathlib import Path

    from lxml import etree

__all__ = ["names", "opt_int", "opt_moment", "read_bytes", "text", "to_date"]


def text(element: etree._Element, name: str, default: str = "") -> str:
    """Return attribute `name` of `element`, or `default` when it is missing."""
    value = element.get(name)
    return default if value is None else value


def opt_int(element: etree._Element, name: str) -> int | None:
    """Return attribute `name` as an int, or None when missing or not an integer."""
    value = element.get(name)
    if value is None:
        return None
    try:
        return int(value)
    except ValueError:
        return None


def opt_moment(element: etree._Element, name: str) -> datetime | None:
    """Return attribute `name` as a datetime (ISO 8601), or None when missing.

    Raises:
        ValueError: the value is present but not an ISO 8601 date-time.

    """
    value = element.get(name)
    return None if value is None else datetime.fromisoformat(value)


def to_date(value: str) -> date:
    """Return an ODF `YYYY-MM-DD` date.

    Raises:
        ValueError: the value is not such a date.

    """
    return date.fromisoformat(value)


def names(element: etree._Element, tag: str) -> tuple[LocalName, ...]:
    """Return the `Language`/`Value` children called `tag`, in document order."""
    return tuple(
        LocalName(text(child, "Language"), text(child, "Value")) for child in element.iter(tag)
    )


def read_bytes(path: Path) -> bytes:
    """Return the bytes of a message file.

    Raises:
        OdfReadError: `odf_unreadable`, naming the file and the reason.
    """
    try:
        return path.read_bytes()
    except OSError as error:
        msg = f"{path}: cannot read the file: {error.strerror or error}"
        raise OdfReadError(msg, code="odf_unreadable") from error
