# Copyright 2026 Podium contributors. Licensed under the Apache License 2.0.
"""A lenient reader of ODF messages into the model.

It accepts what real feeds send and the schema may refuse: messages without
`Competition@Gen`/`@Codes` (Paris 2024), unknown elements and attributes, extended infos,
unscheduled units without dates. It refuses only what it cannot represent: text that is not
XML, a root other than `OdfBody`, a missing header key, a bad RSC, date or time.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn, cast

from lxml import etree

from podium.core.errors import InvalidInputError
from podium.odf._read import names, opt_int, opt_moment, read_bytes, text, to_date
from podium.odf.codes import Rsc
from podium.odf.errors import OdfReadError
from podium.odf.model import (
    ExtendedInfo,
    FeedFlag,
    MessageHeader,
    ResultStatus,
    Schedule,
    ScheduleSession,
    ScheduleStatus,
    ScheduleUnit,
)
from podium.odf.model_partic import ParticipantList
from podium.odf.model_results import EventMedallists, MedalStandings, UnitResult
from podium.odf.parser_payloads import read_medallists, read_medals, read_partic, read_result
from podium.odf.timing import parse_odf_time

if TYPE_CHECKING:
    from collections.abc import Callable

__all__ = ["OdfMessage", "Payload", "parse_file", "parse_message"]

Payload = Schedule | UnitResult | EventMedallists | MedalStandings | ParticipantList
"""What a message carries, by DocumentType (None for types the model does not cover)."""

_REQUIRED = (
    "CompetitionCode",
    "DocumentCode",
    "DocumentType",
    "Version",
    "FeedFlag",
    "Date",
    "Time",
    "LogicalDate",
    "Source",
)


@dataclass(frozen=True, slots=True)
class OdfMessage:
    """A parsed message.

    Args:
        header: the `OdfBody` attributes (and `Competition@Gen/@Codes/@Sport` when present).
        payload: the payload for DT_SCHEDULE(_UPDATE), DT_RESULT, DT_MEDALLISTS, DT_MEDALS
            and DT_PARTIC(_UPDATE); None for other types or an empty `OdfBody`.

    """

    header: MessageHeader
    payload: Payload | None


def _line_of(element: etree._Element) -> int | None:
    line = element.sourceline
    return line if isinstance(line, int) else None


def _header(root: etree._Element, name: str) -> MessageHeader:
    missing = [key for key in _REQUIRED if root.get(key) is None]
    if missing:
        msg = f"{name}: OdfBody lacks header attributes {', '.join(missing)}"
        raise OdfReadError(msg, code="odf_not_odf", line=_line_of(root))
    competition = root.find("Competition")
    extra = competition if competition is not None else root
    return MessageHeader(
        competition_code=text(root, "CompetitionCode"),
        document_code=text(root, "DocumentCode"),
        document_type=text(root, "DocumentType"),
        version=int(text(root, "Version")),
        feed_flag=cast("FeedFlag", text(root, "FeedFlag")),
        date=to_date(text(root, "Date")),
        time=parse_odf_time(text(root, "Time")),
        logical_date=to_date(text(root, "LogicalDate")),
        source=text(root, "Source"),
        document_subcode=root.get("DocumentSubcode"),
        document_subtype=root.get("DocumentSubtype"),
        result_status=cast("ResultStatus | None", root.get("ResultStatus")),
        language=root.get("Language"),
        gen=extra.get("Gen") if competition is not None else None,
        codes=extra.get("Codes") if competition is not None else None,
        sport=extra.get("Sport") if competition is not None else None,
    )


def _session(element: etree._Element) -> ScheduleSession:
    return ScheduleSession(
        code=text(element, "SessionCode"),
        start=opt_moment(element, "StartDate") or _missing(element, "StartDate"),
        end=opt_moment(element, "EndDate") or _missing(element, "EndDate"),
        venue=text(element, "Venue"),
        venue_name=text(element, "VenueName"),
        names=names(element, "SessionName"),
        status=cast("ScheduleStatus | None", element.get("SessionStatus")),
        session_type=element.get("SessionType"),
        medal=opt_int(element, "Medal"),
        leadin=element.get("Leadin"),
    )


def _missing(element: etree._Element, attribute: str) -> NoReturn:
    msg = f"line {_line_of(element)}: {element.tag} lacks {attribute}"
    raise OdfReadError(msg, code="odf_bad_value", line=_line_of(element))


def _unit(element: etree._Element) -> ScheduleUnit:
    venue = element.find("VenueDescription")
    return ScheduleUnit(
        code=Rsc(text(element, "Code")),
        phase_type=text(element, "PhaseType"),
        status=cast("ScheduleStatus", text(element, "ScheduleStatus")),
        names=names(element, "ItemName"),
        start=opt_moment(element, "StartDate"),
        end=opt_moment(element, "EndDate"),
        venue=element.get("Venue"),
        location=element.get("Location"),
        venue_name=None if venue is None else venue.get("VenueName"),
        location_name=None if venue is None else venue.get("LocationName"),
        session_code=element.get("SessionCode"),
        medal=opt_int(element, "Medal"),
        order=opt_int(element, "Order"),
    )


def _schedule(competition: etree._Element, document_code: str) -> Schedule:
    infos = tuple(
        ExtendedInfo(text(info, "Type"), text(info, "Code"), info.get("Value"), info.get("Pos"))
        for info in competition.iterfind("ExtendedInfos/ExtendedInfo")
    )
    return Schedule(
        discipline=Rsc(document_code),
        units=tuple(_unit(unit) for unit in competition.iterfind("Unit")),
        sessions=tuple(_session(session) for session in competition.iterfind("Session")),
        extended_infos=infos,
    )


_READERS: dict[str, Callable[[etree._Element, str], Payload | None]] = {
    "DT_SCHEDULE": _schedule,
    "DT_SCHEDULE_UPDATE": _schedule,
    "DT_RESULT": read_result,
    "DT_MEDALLISTS": read_medallists,
    "DT_MEDALS": lambda competition, _code: read_medals(competition),
    "DT_PARTIC": read_partic,
    "DT_PARTIC_UPDATE": read_partic,
}


def _root(xml: bytes, name: str) -> etree._Element:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, remove_comments=True)
    try:
        root = etree.fromstring(xml, parser)
    except etree.XMLSyntaxError as error:
        line = error.lineno or 0
        msg = f"{name}: not well-formed XML at line {line}: {error.msg}"
        raise OdfReadError(msg, code="odf_ill_formed", line=line) from error
    if root.tag != "OdfBody":
        msg = f"{name}: root element is {root.tag!r}, not OdfBody"
        raise OdfReadError(msg, code="odf_not_odf", line=_line_of(root))
    return root


def parse_message(xml: bytes, *, name: str = "<bytes>") -> OdfMessage:
    """Read one ODF message into the model.

    Args:
        xml: the message bytes (the declaration gives the encoding).
        name: how to name the message in errors, for example its file name.

    Raises:
        OdfReadError: `odf_ill_formed` (with the line) when it is not XML; `odf_not_odf` when
            the root is not `OdfBody` or a header attribute is missing; `odf_bad_value` (with
            the reason) when a code, date, time or status cannot be represented.

    """
    root = _root(xml, name)
    try:
        header = _header(root, name)
        competition = root.find("Competition")
        reader = _READERS.get(header.document_type)
        if competition is None or reader is None:
            return OdfMessage(header, None)
        return OdfMessage(header, reader(competition, header.document_code))
    except (InvalidInputError, ValueError) as error:
        if isinstance(error, OdfReadError):
            raise
        msg = f"{name}: {error}"
        raise OdfReadError(msg, code="odf_bad_value") from error


def parse_file(path: str | Path) -> OdfMessage:
    """Read the ODF message stored at `path`; see `parse_message`.

    Raises:
        OdfReadError: `odf_unreadable` naming the file when it cannot be read, and the
            errors of `parse_message`, which name the file.

    """
    path = Path(path)
    xml = read_bytes(path)
    return parse_message(xml, name=str(path))
