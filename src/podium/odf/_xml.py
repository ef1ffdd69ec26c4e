# Copyright 2026 Podium contributors. Licensed under the Apache License 2.0.
"""Shared pieces of the builders: the `OdfBody` root, `Competition`, serialising."""

from __future__ import annotations

from functools import wraps
from typing import TYPE_CHECKING, Final, ParamSpec

from lxml import etree

from podium.odf._text import DECLARATION, attr
from podium.odf.errors import InvalidOdfValueError
from podium.odf.timing import odf_time

if TYPE_CHECKING:
    from collections.abc import Callable

    from podium.odf.model import ExtendedInfo, MessageHeader

__all__ = [
    "build_root",
    "check_header",
    "header_attributes",
    "open_text",
    "reports_bad_text",
    "serialise",
    "sub",
    "write_extended_infos",
]

_P = ParamSpec("_P")
sub: Final = etree.SubElement


def reports_bad_text(builder: Callable[_P, bytes]) -> Callable[_P, bytes]:
    """Turn lxml's refusal of control characters into `InvalidOdfValueError(odf_bad_text)`."""

    @wraps(builder)
    def wrapper(*args: _P.args, **kwargs: _P.kwargs) -> bytes:
        try:
            return builder(*args, **kwargs)
        except ValueError as error:
            msg = f"text cannot be written as XML (control character or NUL?): {error}"
            raise InvalidOdfValueError(msg, code="odf_bad_text") from error

    return wrapper


def header_attributes(header: MessageHeader) -> dict[str, str]:
    """Return the `OdfBody` attributes of `header`, in schema order."""
    attrs = {"CompetitionCode": header.competition_code, "DocumentCode": header.document_code}
    if header.document_subcode is not None:
        attrs["DocumentSubcode"] = header.document_subcode
    attrs["DocumentType"] = header.document_type
    if header.document_subtype is not None:
        attrs["DocumentSubtype"] = header.document_subtype
    attrs["Version"] = str(header.version)
    if header.result_status is not None:
        attrs["ResultStatus"] = header.result_status
    if header.language is not None:
        attrs["Language"] = header.language
    attrs["FeedFlag"] = header.feed_flag
    attrs["Date"] = header.date.isoformat()
    attrs["Time"] = odf_time(header.time)
    attrs["LogicalDate"] = header.logical_date.isoformat()
    attrs["Source"] = header.source
    return attrs


def check_header(header: MessageHeader, document_type: str, document_code: str) -> None:
    """Check that `header` fits the payload a builder is about to write.

    Args:
        header: the message header; its type and code must match the payload's.
        document_type: the type the calling builder writes, for example `DT_RESULT`.
        document_code: the code the payload implies, for example the unit RSC.

    Raises:
        InvalidOdfValueError: `odf_wrong_document_type`, `odf_document_code_mismatch`, or
            `odf_missing_competition_attributes` when `gen` or `codes` is None (the SYOG2026
            schema requires `Competition@Gen` and `@Codes`).

    """
    if header.document_type != document_type:
        msg = f"header DocumentType is {header.document_type!r}, builder writes {document_type}"
        raise InvalidOdfValueError(msg, code="odf_wrong_document_type")
    if header.document_code != document_code:
        msg = f"header DocumentCode {header.document_code!r} is not the payload's {document_code!r}"
        raise InvalidOdfValueError(msg, code="odf_document_code_mismatch")
    if header.gen is None or header.codes is None:
        msg = "header needs gen and codes: the schema requires Competition@Gen and @Codes"
        raise InvalidOdfValueError(msg, code="odf_missing_competition_attributes")


def open_text(header: MessageHeader) -> str:
    """Return the text of `OdfBody` and `Competition` start tags for a checked header."""
    attrs = "".join(f' {key}="{attr(value)}"' for key, value in header_attributes(header).items())
    competition = f'<Competition Gen="{attr(header.gen or "")}" Codes="{attr(header.codes or "")}"'
    if header.sport is not None:
        competition += f' Sport="{attr(header.sport)}"'
    return f"{DECLARATION}<OdfBody{attrs}>{competition}>"


def build_root(
    header: MessageHeader, document_type: str, document_code: str
) -> tuple[etree._Element, etree._Element]:
    """Return `OdfBody` and its `Competition` element for a message of `document_type`.

    Args:
        header: the message header; its type and code must match the payload's.
        document_type: the type the calling builder writes, for example `DT_RESULT`.
        document_code: the code the payload implies, for example the unit RSC.

    Raises:
        InvalidOdfValueError: see `check_header`.

    """
    check_header(header, document_type, document_code)
    root = etree.Element("OdfBody", header_attributes(header))
    competition = {"Gen": header.gen or "", "Codes": header.codes or ""}
    if header.sport is not None:
        competition["Sport"] = header.sport
    return root, sub(root, "Competition", competition)


def write_extended_infos(parent: etree._Element, infos: tuple[ExtendedInfo, ...]) -> None:
    """Append an `ExtendedInfos` element holding `infos` to `parent`, if there are any."""
    if not infos:
        return
    holder = sub(parent, "ExtendedInfos")
    for info in infos:
        attrs = {"Type": info.type, "Code": info.code}
        if info.pos is not None:
            attrs["Pos"] = info.pos
        if info.value is not None:
            attrs["Value"] = info.value
        sub(holder, "ExtendedInfo", attrs)


def serialise(root: etree._Element) -> bytes:
    """Return the message as UTF-8 bytes with an XML declaration."""
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")
