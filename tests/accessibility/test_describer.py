"""The describer on its own (pure): what each message says, and what it leaves unsaid."""

from __future__ import annotations

import dataclasses
from datetime import date, time

from podium.accessibility import Describer, NocNames, UnitInfo, is_match, leader_of, standings_of
from podium.odf import (
    Athlete,
    Competitor,
    EventMedallists,
    MedalAward,
    MessageHeader,
    OdfMessage,
    RecordMark,
    ResultLine,
    Rsc,
    UnitResult,
)

UNIT = "SWMW400MFR------------FNL-000100--"
EVENT = "SWMW400MFR------------------------"
NOCS = NocNames(
    {
        "en": {"CAN": "Canada", "AUS": "Australia", "USA": "United States"},
        "fr": {"CAN": "Canada", "AUS": "Australie", "USA": "États-Unis"},
    }
)


def swimmer(code: str, family: str, given: str, noc: str) -> Competitor:
    return Competitor.individual(Athlete(code, family, "F", noc, given))


MCINTOSH = swimmer("1", "McINTOSH", "Summer", "CAN")
TITMUS = swimmer("2", "TITMUS", "Ariarne", "AUS")
LEDECKY = swimmer("3", "LEDECKY", "Katie", "USA")


def line(who: Competitor, rank: str | None, result: str | None, **more: object) -> ResultLine:
    return ResultLine(who, rank=rank, result=result, result_type="TIME", **more)  # type: ignore[arg-type]


def message(status: str, *lines: ResultLine, document_type: str = "DT_RESULT") -> OdfMessage:
    header = MessageHeader(
        competition_code="OG2024",
        document_code=UNIT,
        document_type=document_type,
        version=1,
        feed_flag="P",
        date=date(2024, 7, 27),
        time=time(21, 0),
        logical_date=date(2024, 7, 27),
        source="PODIUM",
        result_status=status,  # type: ignore[arg-type]
    )
    return OdfMessage(header, UnitResult(Rsc(UNIT), lines))


def describer() -> Describer:
    info = UnitInfo(UNIT, "Women's 400m Freestyle Final", "Women's 400m Freestyle", "PAQ")
    return Describer(NOCS, {UNIT: info}.get)


def test_a_world_record_is_announced_once_in_both_languages() -> None:
    marked = line(
        TITMUS, "1", "3:55.38", records=(RecordMark("WR", "WR"), RecordMark("OR", "OR", 2))
    )
    said = describer()
    first = said.describe(10, message("UNOFFICIAL", marked, line(MCINTOSH, "2", "3:56.37")))
    assert [d.kind for d in first] == ["result", "record"]
    record = first[1]
    assert record.text_en == (
        "Women's 400m Freestyle Final: new world record for Ariarne Titmus, Australia, "
        "3 minutes 55.38 seconds."
    )
    assert record.text_fr == (
        "Women's 400m Freestyle Final : nouveau record du monde pour Ariarne Titmus, "
        "Australie, 3 minutes 55,38 secondes."
    )
    assert record.id == "10-1"
    assert record.venue == "PAQ"
    again = said.describe(11, message("OFFICIAL", marked, line(MCINTOSH, "2", "3:56.37")))
    assert [d.kind for d in again] == ["status"]  # official now; the record is not repeated


def test_an_equalled_record_and_a_womans_first_place_in_french() -> None:
    equal = line(MCINTOSH, "1", "4:02.50", records=(RecordMark("OR", "OR", equalled=True),))
    found = describer().describe(5, message("OFFICIAL", equal))
    assert [d.kind for d in found] == ["result", "record"]
    assert found[0].text_fr == (
        "Résultat officiel, Women's 400m Freestyle Final : Summer Mcintosh, Canada "
        "s'impose en 4 minutes 2,50 secondes."
    )
    assert found[1].text_en.endswith(
        "Summer Mcintosh, Canada, 4 minutes 2.50 seconds, equals the Olympic record."
    )
    standings = describer().describe(1, message("LIVE", line(MCINTOSH, "1", "1:58.00")))
    assert standings[1].text_fr.endswith(
        ": première, Summer Mcintosh, Canada, 1 minute 58,00 secondes."
    )


def test_repeated_standings_say_nothing_and_a_new_leader_is_named() -> None:
    said = describer()
    assert [d.kind for d in said.describe(1, message("START_LIST", line(TITMUS, None, None)))] == [
        "status"
    ]
    early = message("LIVE", line(TITMUS, None, "2:00.10"), line(LEDECKY, None, "2:00.50"))
    assert [d.kind for d in said.describe(2, early)] == ["start", "standings"]
    assert said.describe(3, early) == []
    late = message("LIVE", line(TITMUS, None, "2:00.10"), line(MCINTOSH, None, "1:59.90"))
    changed = said.describe(4, late)
    assert [d.kind for d in changed] == ["leader_change"]
    assert changed[0].text_en == (
        "New leader, Women's 400m Freestyle Final: Summer Mcintosh, Canada, 1 minute 59.90 seconds."
    )


def test_standings_go_by_rank_else_by_the_result_irms_left_out() -> None:
    lines = [
        line(TITMUS, None, "4:01.00"),
        line(LEDECKY, None, None, irm="DNF"),
        line(MCINTOSH, None, "3:59.00"),
    ]
    # Shortest time first; the DNF has no place.
    assert [ln.competitor.code for ln in standings_of(lines)] == [MCINTOSH.code, TITMUS.code]
    points = [
        ResultLine(TITMUS, result="88", result_type="POINTS"),
        ResultLine(MCINTOSH, result="91", result_type="POINTS"),
    ]
    assert leader_of(points) == points[1]  # most points first
    ranked = [line(TITMUS, "2", "4:01.00"), line(MCINTOSH, "1", "4:02.00")]
    assert leader_of(ranked) == ranked[1]  # a rank wins over the time
    assert leader_of([line(LEDECKY, None, None)]) is None


def test_medals_are_described_once_until_they_change() -> None:
    award = MedalAward("ME_GOLD", date(2024, 7, 27), Rsc(UNIT), (TITMUS,))
    silver = MedalAward("ME_SILVER", date(2024, 7, 27), Rsc(UNIT), (MCINTOSH,))
    header = message("OFFICIAL").header
    medallists = OdfMessage(header, EventMedallists(Rsc(EVENT), (award, silver)))
    said = describer()
    found = said.describe(20, medallists)
    assert [(d.kind, d.unit) for d in found] == [("medal", UNIT)]
    assert found[0].text_en == (
        "Medals, Women's 400m Freestyle: gold, Ariarne Titmus, Australia; "
        "silver, Summer Mcintosh, Canada."
    )
    assert found[0].text_fr == (
        "Médailles, Women's 400m Freestyle : or, Ariarne Titmus, Australie ; "
        "argent, Summer Mcintosh, Canada."
    )
    assert said.describe(21, medallists) == []


def test_standings_follow_the_sports_ranking_rule() -> None:
    first, second = swimmer("4", "BURLING", "Peter", "AUS"), swimmer("5", "TUKE", "Blair", "CAN")
    sailing = [
        ResultLine(first, result="12", result_type="POINTS"),
        ResultLine(second, result="9", result_type="POINTS"),
    ]
    # Sailing's low-point system (RRS appendix A4): fewest points lead.
    assert leader_of(sailing, "SAL") == sailing[1]
    assert leader_of(sailing, "BOX") == sailing[0]  # most points elsewhere
    golf = [
        ResultLine(first, result="-12", result_type="STROKES"),
        ResultLine(second, result="-15", result_type="STROKES"),
    ]
    assert leader_of(golf, "GLF") == golf[1]
    # A result without ResultType has a place only when written as a time.
    untyped = [ResultLine(first, result="7"), ResultLine(second, result="3")]
    assert standings_of(untyped) == []
    timed = [ResultLine(first, result="1:01.00"), ResultLine(second, result="59.00")]
    assert leader_of([timed[0]]) == timed[0]
    assert standings_of(timed) == [timed[0]]  # "59.00" alone could be points


def test_a_match_in_progress_says_its_score_not_its_line_order() -> None:
    final = "FBLMTEAM11------------FNL-000100--"
    france = Competitor(code="FRA", type="T", organisation="FRA", athletes=())
    spain = Competitor(code="ESP", type="T", organisation="ESP", athletes=())
    nocs = NocNames(
        {"en": {"FRA": "France", "ESP": "Spain"}, "fr": {"FRA": "France", "ESP": "Espagne"}}
    )
    said = Describer(nocs, {final: UnitInfo(final, "Men's Final", "Men", "STA")}.get)

    def live(seq: int, spain_goals: str, france_goals: str) -> list[str]:
        # Ranks as a feed in progress may carry them: the order of the lines, not the score.
        lines = (
            ResultLine(spain, rank="1", result=spain_goals, result_type="POINTS"),
            ResultLine(france, rank="2", result=france_goals, result_type="POINTS"),
        )
        header = dataclasses.replace(message("LIVE").header, document_code=final)
        found = said.describe(seq, OdfMessage(header, UnitResult(Rsc(final), lines)))
        return [d.text_en for d in found if d.kind == "standings"] + [
            d.text_fr for d in found if d.kind == "standings"
        ]

    assert live(1, "0", "1") == [
        "Score, Men's Final: France 1, Spain 0.",
        "Score, Men's Final : France 1, Espagne 0.",
    ]
    assert live(2, "0", "1") == []  # nothing new
    assert live(3, "2", "1")[0] == "Score, Men's Final: Spain 2, France 1."


def test_a_matchs_untyped_scores_count_the_higher_first() -> None:
    france = Competitor(code="FRA", type="T", organisation="FRA", athletes=())
    spain = Competitor(code="ESP", type="T", organisation="ESP", athletes=())
    # A venue's capture may send the goals without a ResultType: in a match, a score.
    lines = [ResultLine(spain, result="0", wlt="W"), ResultLine(france, result="1", wlt="L")]
    assert is_match(lines)
    assert leader_of(lines, "FBL") == lines[1]
    two_runners = [ResultLine(MCINTOSH, result="1"), ResultLine(TITMUS, result="0")]
    assert not is_match(two_runners)
    assert standings_of(two_runners) == []
