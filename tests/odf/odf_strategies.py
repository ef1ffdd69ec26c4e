# Copyright 2026 Podium contributors. Licensed under the Apache License 2.0.
"""Hypothesis strategies and small factories for the ODF tests."""

from __future__ import annotations

import string
from datetime import UTC, date, datetime, time, timedelta, timezone

from hypothesis import strategies as st

from podium.odf import (
    Athlete,
    Competitor,
    EventMedallists,
    LocalName,
    MedalAward,
    MedalLine,
    MedalStandings,
    MessageHeader,
    Participant,
    ParticipantList,
    RecordMark,
    ResultLine,
    Rsc,
    Schedule,
    ScheduleSession,
    ScheduleUnit,
    UnitResult,
)
from podium.odf.model import RESULT_STATUSES, SCHEDULE_STATUSES

RSC_CHARS = string.ascii_uppercase + string.digits + ".-"
CODE_CHARS = string.ascii_uppercase + string.digits

# Any text XML 1.0 can carry (no control characters, surrogates or U+FFFE/U+FFFF).
xml_text = st.text(
    st.characters(
        exclude_categories=("Cs",),
        exclude_characters="\ufffe\uffff",
        min_codepoint=0x20,
    )
    | st.sampled_from("\t\n\r&<>\"'"),
    max_size=30,
)
codes = st.text(CODE_CHARS, min_size=1, max_size=8)
noc = st.text(string.ascii_uppercase, min_size=3, max_size=3)

rscs = st.text(RSC_CHARS, min_size=34, max_size=34).map(Rsc)
disciplines = st.text(string.ascii_uppercase, min_size=3, max_size=3).map(Rsc.build)


@st.composite
def unit_rscs(draw: st.DrawFn) -> Rsc:
    discipline = draw(st.text(CODE_CHARS, min_size=3, max_size=3))
    event = draw(st.text(CODE_CHARS, min_size=1, max_size=18))
    phase = draw(st.text(CODE_CHARS, min_size=1, max_size=4))
    unit = draw(st.text(CODE_CHARS, min_size=1, max_size=8))
    return Rsc.build(discipline, draw(st.sampled_from("MWXO")), event, phase, unit)


offsets = st.sampled_from([UTC, timezone(timedelta(hours=2)), timezone(timedelta(hours=-5))])
moments = st.builds(
    lambda naive, tz: naive.replace(tzinfo=tz),
    st.datetimes(min_value=datetime(2020, 1, 1), max_value=datetime(2040, 1, 1)),  # noqa: DTZ001
    offsets,
)
names = st.lists(
    st.builds(LocalName, st.sampled_from(["ENG", "FRA"]), xml_text), min_size=1, max_size=2
).map(tuple)


def header(document_type: str, document_code: str, **changes: object) -> MessageHeader:
    """A fixed valid header for `document_type` (fields overridable by keyword)."""
    values: dict[str, object] = {
        "competition_code": "OG2024",
        "document_code": document_code,
        "document_type": document_type,
        "version": 1,
        "feed_flag": "P",
        "date": date(2024, 8, 4),
        "time": time(21, 55, 1, 123000),
        "logical_date": date(2024, 8, 4),
        "source": "PODIUM",
        "gen": "OG2024-GEN-1.0",
        "codes": "OG2024-CODES-1.0",
    }
    values.update(changes)
    return MessageHeader(**values)  # type: ignore[arg-type]


athletes = st.builds(
    Athlete,
    code=codes,
    family_name=xml_text,
    gender=st.sampled_from(["M", "F", "X"]),
    organisation=noc,
    given_name=st.none() | xml_text,
    bib=st.none() | codes,
)
competitors = st.one_of(
    st.builds(Competitor.individual, athletes, bib=st.none() | codes),
    st.builds(
        Competitor,
        code=codes,
        type=st.just("T"),
        organisation=noc,
        athletes=st.lists(athletes, max_size=3).map(tuple),
        team_name=st.none() | xml_text,
        bib=st.none() | codes,
    ),
)
result_lines = st.builds(
    ResultLine,
    competitor=competitors,
    rank=st.none() | st.integers(1, 99).map(str),
    rank_equal=st.booleans(),
    result=st.none() | xml_text,
    result_type=st.none() | st.sampled_from(["TIME", "POINTS", "DISTANCE"]),
    irm=st.none() | st.sampled_from(["DNS", "DNF", "DSQ"]),
    qualification_mark=st.none() | st.sampled_from(["Q", "q"]),
    sort_order=st.none() | st.integers(1, 999),
    start_order=st.none() | st.integers(1, 99).map(str),
    records=st.lists(
        st.builds(
            RecordMark,
            st.sampled_from(["WR", "OR"]),
            st.sampled_from(["WR", "OR"]),
            st.integers(1, 3),
            st.booleans(),
        ),
        max_size=2,
    ).map(tuple),
)
unit_results = st.builds(
    UnitResult, unit=unit_rscs(), lines=st.lists(result_lines, max_size=10).map(tuple)
)

venue_names = st.one_of(st.tuples(st.none(), st.none()), st.tuples(xml_text, st.none() | xml_text))
schedule_units = st.builds(
    lambda names_of_venue, **fields: ScheduleUnit(
        **fields, venue_name=names_of_venue[0], location_name=names_of_venue[1]
    ),
    venue_names,
    code=unit_rscs(),
    phase_type=st.sampled_from(["0", "1", "3", "4", "6", "7"]),
    status=st.sampled_from(sorted(SCHEDULE_STATUSES)),
    names=names,
    start=st.none() | moments,
    end=st.none() | moments,
    venue=st.none() | codes,
    location=st.none() | codes,
    session_code=st.none() | codes,
    medal=st.none() | st.integers(0, 3),
    order=st.none() | st.integers(0, 500),
)
schedule_sessions = st.builds(
    ScheduleSession,
    code=codes,
    start=moments,
    end=moments,
    venue=codes,
    venue_name=xml_text,
    names=names,
    status=st.none() | st.sampled_from(sorted(SCHEDULE_STATUSES)),
    session_type=st.none() | st.sampled_from(["MOR", "AFT", "EVE", "ALL"]),
    medal=st.none() | st.integers(0, 20),
    leadin=st.none() | xml_text,
)
schedules = st.builds(
    Schedule,
    discipline=disciplines,
    units=st.lists(schedule_units, max_size=5).map(tuple),
    sessions=st.lists(schedule_sessions, max_size=3).map(tuple),
)
medal_awards = st.builds(
    MedalAward,
    medal=st.sampled_from(["ME_GOLD", "ME_SILVER", "ME_BRONZE"]),
    date=st.dates(date(2020, 1, 1), date(2040, 1, 1)),
    unit=unit_rscs(),
    competitors=st.lists(competitors, min_size=1, max_size=2).map(tuple),
)
medallists = st.builds(
    EventMedallists,
    event=unit_rscs().map(lambda rsc: rsc.event),
    awards=st.lists(medal_awards, min_size=1, max_size=4).map(tuple),
)
medal_lines = st.builds(
    MedalLine,
    organisation=noc,
    organisation_name=xml_text,
    gold=st.integers(0, 50),
    silver=st.integers(0, 50),
    bronze=st.integers(0, 50),
    rank=st.integers(1, 90),
    rank_total=st.integers(1, 90),
    sort_rank=st.integers(1, 90),
    sort_rank_total=st.integers(1, 90),
    rank_equal=st.booleans(),
    rank_total_equal=st.booleans(),
)
standings = st.builds(
    MedalStandings,
    as_of=moments,
    last_event=unit_rscs().map(lambda rsc: rsc.event),
    total_events=st.integers(0, 400),
    finished_events=st.integers(0, 400),
    lines=st.lists(medal_lines, max_size=6).map(tuple),
)


@st.composite
def participant_lists(draw: st.DrawFn) -> ParticipantList:
    discipline = draw(disciplines)
    people = draw(
        st.lists(
            st.builds(
                Participant,
                code=codes,
                family_name=xml_text,
                gender=st.sampled_from(["M", "F", "X"]),
                organisation=noc,
                print_name=xml_text,
                print_initial_name=xml_text,
                tv_name=xml_text,
                tv_initial_name=xml_text,
                tv_family_name=xml_text,
                discipline=st.just(discipline),
                given_name=st.none() | xml_text,
                events=st.lists(unit_rscs().map(lambda rsc: rsc.event), max_size=3).map(tuple),
                parent=st.none() | codes,
                main_function_id=st.none() | st.sampled_from(["AA01", "COACH"]),
            ),
            max_size=5,
        )
    )
    return ParticipantList(discipline, tuple(people))


result_statuses = st.sampled_from(sorted(RESULT_STATUSES))


def sample_result(lines: int = 8) -> UnitResult:
    """A DT_RESULT payload of `lines` individual competitors, like a 100 m final."""
    return UnitResult(
        Rsc("ATHM100M--------------FNL-000100--"),
        tuple(
            ResultLine(
                Competitor.individual(
                    Athlete(f"10000{i}", f"FAMILY{i}", "M", "USA", f"Given{i}"), bib=str(100 + i)
                ),
                rank=str(i),
                result=f"9.{70 + i}",
                result_type="TIME",
                sort_order=i,
                start_order=str(i),
                records=(RecordMark("WR", "WR"),) if i == 1 else (),
            )
            for i in range(1, lines + 1)
        ),
    )
