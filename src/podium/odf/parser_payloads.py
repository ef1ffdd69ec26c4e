# Copyright 2026 Podium contributors. Licensed under the Apache License 2.0.
"""Lenient readers of the DT_RESULT, DT_MEDALLISTS, DT_MEDALS and DT_PARTIC payloads.

Unknown elements and attributes are ignored; missing optional ones become None.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from podium.odf._read import opt_int, opt_moment, text, to_date
from podium.odf.codes import Rsc
from podium.odf.header import GAMES_DOCUMENT_CODE
from podium.odf.model_partic import Participant, ParticipantList
from podium.odf.model_results import (
    Athlete,
    Competitor,
    EventMedallists,
    MedalAward,
    MedalLine,
    MedalStandings,
    RecordMark,
    ResultLine,
    UnitResult,
)

if TYPE_CHECKING:
    from lxml import etree

    from podium.odf.model import CompetitorType, Gender, MedalCode

__all__ = ["read_medallists", "read_medals", "read_partic", "read_result"]


def _athlete(element: etree._Element) -> Athlete:
    description = element.find("Description")
    info = description if description is not None else element
    return Athlete(
        code=text(element, "Code"),
        family_name=text(info, "FamilyName"),
        gender=cast("Gender", text(info, "Gender", "X")),
        organisation=text(info, "Organisation"),
        given_name=info.get("GivenName"),
        bib=element.get("Bib"),
    )


def _competitor(element: etree._Element) -> Competitor:
    description = element.find("Description")
    composition = element.find("Composition")
    athletes = () if composition is None else composition.findall("Athlete")
    return Competitor(
        code=text(element, "Code"),
        type=cast("CompetitorType", text(element, "Type", "A")),
        organisation=text(element, "Organisation"),
        athletes=tuple(_athlete(athlete) for athlete in athletes),
        team_name=None if description is None else description.get("TeamName"),
        bib=element.get("Bib"),
    )


def _records(element: etree._Element) -> tuple[RecordMark, ...]:
    return tuple(
        RecordMark(
            code=text(mark, "Code"),
            record_type=text(mark, "RecordType"),
            order=opt_int(mark, "Order") or 1,
            equalled=mark.get("Equalled") == "Y",
        )
        for mark in element.iterfind("RecordIndicators/RecordIndicator")
    )


def _line(element: etree._Element) -> ResultLine | None:
    competitor = element.find("Competitor")
    if competitor is None:
        return None
    return ResultLine(
        competitor=_competitor(competitor),
        rank=element.get("Rank"),
        rank_equal=element.get("RankEqual") == "Y",
        result=element.get("Result"),
        result_type=element.get("ResultType"),
        irm=element.get("IRM"),
        qualification_mark=element.get("QualificationMark"),
        sort_order=opt_int(element, "SortOrder"),
        start_order=element.get("StartOrder"),
        records=_records(element),
        wlt=element.get("WLT"),
        diff=element.get("Diff"),
    )


def read_result(competition: etree._Element, document_code: str) -> UnitResult:
    """Read a DT_RESULT `Competition` element; the unit is the DocumentCode.

    Raises:
        InvalidRscError: the DocumentCode is not a valid RSC.

    """
    lines = (_line(element) for element in competition.iterfind("Result"))
    return UnitResult(Rsc(document_code), tuple(line for line in lines if line is not None))


def read_medallists(competition: etree._Element, document_code: str) -> EventMedallists:
    """Read a DT_MEDALLISTS `Competition` element; the event is the DocumentCode.

    Raises:
        InvalidRscError: a code is not a valid RSC.
        ValueError: a `Date` is not `YYYY-MM-DD`.

    """
    awards = tuple(
        MedalAward(
            medal=cast("MedalCode", text(medal, "Code")),
            date=to_date(text(medal, "Date")),
            unit=Rsc(text(medal, "Unit")),
            competitors=tuple(_competitor(c) for c in medal.iterfind("Competitor")),
        )
        for medal in competition.iterfind("Medal")
    )
    return EventMedallists(Rsc(document_code), awards)


def _medal_line(element: etree._Element) -> MedalLine:
    description = element.find("Description")
    number = element.find("MedalNumber")
    counts = number if number is not None else element
    return MedalLine(
        organisation=text(element, "Organisation"),
        organisation_name="" if description is None else text(description, "OrganisationName"),
        gold=opt_int(counts, "Gold") or 0,
        silver=opt_int(counts, "Silver") or 0,
        bronze=opt_int(counts, "Bronze") or 0,
        rank=opt_int(element, "Rank") or 0,
        rank_total=opt_int(element, "RankTotal") or 0,
        sort_rank=opt_int(element, "SortRank") or 0,
        sort_rank_total=opt_int(element, "SortRankTotal") or 0,
        rank_equal=element.get("RankEqual") == "Y",
        rank_total_equal=element.get("RankTotalEqual") == "Y",
    )


def read_medals(competition: etree._Element) -> MedalStandings | None:
    """Read a DT_MEDALS `Competition` element; None when it holds no `MedalStandings`.

    Raises:
        InvalidRscError: `LastEvent` is not a valid RSC.
        ValueError: `DateTime` is not ISO 8601.

    """
    standings = competition.find("MedalStandings")
    if standings is None:
        return None
    as_of = opt_moment(standings, "DateTime")
    if as_of is None:
        return None
    return MedalStandings(
        as_of=as_of,
        last_event=Rsc(text(standings, "LastEvent", GAMES_DOCUMENT_CODE)),
        total_events=opt_int(standings, "TotalEvents") or 0,
        finished_events=opt_int(standings, "FinishedEvents") or 0,
        lines=tuple(_medal_line(line) for line in standings.iterfind("MedalsTable/MedalLine")),
    )


def _participant(element: etree._Element, fallback: Rsc) -> Participant:
    discipline = element.find("Discipline")
    code = fallback if discipline is None else Rsc(text(discipline, "Code", fallback))
    events = () if discipline is None else discipline.iterfind("DisciplineEntry[@Type='EVENT']")
    return Participant(
        code=text(element, "Code"),
        family_name=text(element, "FamilyName"),
        gender=cast("Gender", text(element, "Gender", "X")),
        organisation=text(element, "Organisation"),
        print_name=text(element, "PrintName"),
        print_initial_name=text(element, "PrintInitialName"),
        tv_name=text(element, "TVName"),
        tv_initial_name=text(element, "TVInitialName"),
        tv_family_name=text(element, "TVFamilyName"),
        discipline=code,
        given_name=element.get("GivenName"),
        events=tuple(Rsc(text(entry, "Code")) for entry in events),
        status=text(element, "Status", "CNF"),
        parent=element.get("Parent"),
        main_function_id=element.get("MainFunctionId"),
    )


def read_partic(competition: etree._Element, document_code: str) -> ParticipantList:
    """Read a DT_PARTIC `Competition` element; the discipline is the DocumentCode.

    Raises:
        InvalidRscError: a code is not a valid RSC.

    """
    discipline = Rsc(document_code)
    people = competition.iterfind("Participant")
    return ParticipantList(discipline, tuple(_participant(p, discipline) for p in people))
