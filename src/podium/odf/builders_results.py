# Copyright 2026 Podium contributors. Licensed under the Apache License 2.0.
"""Builders of DT_RESULT (per unit) and DT_MEDALLISTS (per event)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from podium.odf._text import attr
from podium.odf._xml import build_root, check_header, open_text, reports_bad_text, serialise, sub

if TYPE_CHECKING:
    from lxml import etree

    from podium.odf.model import MessageHeader
    from podium.odf.model_results import (
        Competitor,
        EventMedallists,
        RecordMark,
        ResultLine,
        UnitResult,
    )

__all__ = ["build_medallists", "build_result"]

_EQUALLED = ' Equalled="Y"'
_RANK_EQUAL = ' RankEqual="Y"'


def _write_athletes(parent: etree._Element, competitor: Competitor) -> None:
    composition = sub(parent, "Composition")
    for order, athlete in enumerate(competitor.athletes, start=1):
        attrs = {"Code": athlete.code, "Order": str(order)}
        if athlete.bib is not None:
            attrs["Bib"] = athlete.bib
        element = sub(composition, "Athlete", attrs)
        description = {
            "FamilyName": athlete.family_name,
            "Gender": athlete.gender,
            "Organisation": athlete.organisation,
        }
        if athlete.given_name is not None:
            description["GivenName"] = athlete.given_name
        sub(element, "Description", description)


def _competitor_attributes(competitor: Competitor) -> dict[str, str]:
    attrs = {"Code": competitor.code, "Type": competitor.type}
    if competitor.bib is not None:
        attrs["Bib"] = competitor.bib
    attrs["Organisation"] = competitor.organisation
    return attrs


def _athletes_text(competitor: Competitor) -> str:
    parts = ["<Composition>"]
    for order, athlete in enumerate(competitor.athletes, start=1):
        parts.append(
            f'<Athlete Code="{attr(athlete.code)}" Order="{order}"{_opt("Bib", athlete.bib)}>'
            f'<Description FamilyName="{attr(athlete.family_name)}"'
            f' Gender="{attr(athlete.gender)}" Organisation="{attr(athlete.organisation)}"'
            f"{_opt('GivenName', athlete.given_name)}/></Athlete>"
        )
    parts.append("</Composition>")
    return "".join(parts)


def _competitor_text(competitor: Competitor) -> str:
    head = (
        f'<Competitor Code="{attr(competitor.code)}" Type="{attr(competitor.type)}"'
        f"{_opt('Bib', competitor.bib)}"
        f' Organisation="{attr(competitor.organisation)}">'
    )
    team = (
        ""
        if competitor.team_name is None
        else f'<Description TeamName="{attr(competitor.team_name)}"/>'
    )
    athletes = _athletes_text(competitor) if competitor.athletes else ""
    return f"{head}{team}{athletes}</Competitor>"


def _records_text(records: tuple[RecordMark, ...]) -> str:
    marks = "".join(
        f'<RecordIndicator Order="{mark.order}" Code="{attr(mark.code)}"'
        f' RecordType="{attr(mark.record_type)}"{_EQUALLED if mark.equalled else ""}/>'
        for mark in records
    )
    return f"<RecordIndicators>{marks}</RecordIndicators>"


def _opt(name: str, value: str | None) -> str:
    return "" if value is None else f' {name}="{attr(value)}"'


def _line_text(line: ResultLine) -> str:
    sort_order = "" if line.sort_order is None else f' SortOrder="{line.sort_order}"'
    records = _records_text(line.records) if line.records else ""
    return (
        f"<Result{_opt('Rank', line.rank)}{_RANK_EQUAL if line.rank_equal else ''}"
        f"{_opt('ResultType', line.result_type)}{_opt('Result', line.result)}"
        f"{_opt('IRM', line.irm)}{_opt('QualificationMark', line.qualification_mark)}"
        f"{_opt('WLT', line.wlt)}{sort_order}{_opt('StartOrder', line.start_order)}"
        f"{_opt('Diff', line.diff)}>"
        f"{records}{_competitor_text(line.competitor)}</Result>"
    )


def build_result(
    header: MessageHeader, result: UnitResult, *, notes: tuple[str, ...] = ()
) -> bytes:
    """Build a DT_RESULT message: the results of one unit.

    Args:
        header: DocumentType `DT_RESULT`, DocumentCode the unit RSC, usually a ResultStatus.
        result: the unit and its lines, in order.
        notes: `OdfBody/Note` texts after `Competition`: the reason for a correction sent
            after OFFICIAL (ODF Foundation Principles §6.13).

    Returns:
        UTF-8 XML with a declaration; it validates against the bundled SYOG2026 schema.

    Raises:
        InvalidOdfValueError: header/payload mismatch, missing `gen`/`codes`, or text with
            control characters (`odf_bad_text`).

    Rule source: ODF Foundation Principles; schema `resultType`, `competitorResultsType`.

    """
    check_header(header, "DT_RESULT", result.unit)
    body = "".join([_line_text(line) for line in result.lines])
    note_text = "".join(f"<Note>{attr(note)}</Note>" for note in notes)
    return f"{open_text(header)}{body}</Competition>{note_text}</OdfBody>".encode()


@reports_bad_text
def build_medallists(header: MessageHeader, medallists: EventMedallists) -> bytes:
    """Build a DT_MEDALLISTS message: the medallists of one event.

    Args:
        header: DocumentType `DT_MEDALLISTS`, DocumentCode the event RSC.
        medallists: the event and its medals, gold first.

    Returns:
        UTF-8 XML with a declaration; it validates against the bundled SYOG2026 schema.

    Raises:
        InvalidOdfValueError: header/payload mismatch, missing `gen`/`codes`, bad text.

    Rule source: schema `medalType`, `competitorMedalType` (`Composition` is required).

    """
    root, competition = build_root(header, "DT_MEDALLISTS", medallists.event)
    for award in medallists.awards:
        medal = sub(
            competition,
            "Medal",
            {"Code": award.medal, "Date": award.date.isoformat(), "Unit": award.unit},
        )
        for order, competitor in enumerate(award.competitors, start=1):
            attrs = _competitor_attributes(competitor)
            attrs["Order"] = str(order)
            element = sub(medal, "Competitor", attrs)
            if competitor.team_name is not None:
                sub(element, "Description", {"TeamName": competitor.team_name})
            _write_athletes(element, competitor)
    return serialise(root)
