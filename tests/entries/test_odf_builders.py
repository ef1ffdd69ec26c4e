"""DT_PARTIC_TEAMS and DT_ENTRIES builders: any payload validates against the bundled XSD."""

from __future__ import annotations

import string

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from podium.odf import (
    EntryAthlete,
    EntryLine,
    EntryList,
    InvalidOdfValueError,
    ParticipantTeam,
    Rsc,
    TeamList,
    build_entries,
    build_partic_teams,
    validate_message,
)
from tests.odf.odf_strategies import header, xml_text

SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
codes = st.text(string.ascii_uppercase + string.digits, min_size=1, max_size=17)
nocs = st.text(string.ascii_uppercase, min_size=3, max_size=3)
names = xml_text.filter(lambda s: s.strip() != "")

athletes = st.builds(
    EntryAthlete,
    code=codes,
    family_name=names,
    given_name=st.none() | names,
    gender=st.sampled_from(["M", "F", "X"]),
    organisation=nocs,
    order=st.integers(1, 30),
)


@st.composite
def entry_lists(draw: st.DrawFn) -> EntryList:
    teams = draw(st.booleans())
    lines = []
    for n in range(1, draw(st.integers(1, 6)) + 1):
        members = tuple(draw(st.lists(athletes, min_size=0 if teams else 1, max_size=4)))
        lines.append(
            EntryLine(
                code=draw(codes),
                competitor_type="T" if teams else "A",
                organisation=draw(nocs),
                sort_order=n,
                team_name=draw(names) if teams else None,
                athletes=members,
            )
        )
    return EntryList(Rsc.build("BK3", "W", "TEAM3"), tuple(lines))


@st.composite
def team_lists(draw: st.DrawFn) -> TeamList:
    discipline = Rsc.build("BK3")
    teams = tuple(
        ParticipantTeam(
            code=draw(codes),
            organisation=draw(nocs),
            name=draw(names),
            gender=draw(st.sampled_from(["M", "W", "X", "O"])),
            discipline=discipline,
            events=tuple(draw(st.lists(st.just(Rsc.build("BK3", "W", "TEAM3")), max_size=2))),
        )
        for _ in range(draw(st.integers(1, 5)))
    )
    return TeamList(discipline, teams)


@SETTINGS
@given(entry_lists())
def test_any_entry_list_validates(payload: EntryList) -> None:
    xml = build_entries(header("DT_ENTRIES", str(payload.event)), payload)
    assert [str(e) for e in validate_message(xml)] == []
    assert xml.count(b"<Entry ") == len(payload.entries)


@SETTINGS
@given(team_lists())
def test_any_team_list_validates(payload: TeamList) -> None:
    xml = build_partic_teams(header("DT_PARTIC_TEAMS", str(payload.discipline)), payload)
    assert [str(e) for e in validate_message(xml)] == []
    assert xml.count(b"<Team ") == len(payload.teams)


def test_a_header_of_another_event_is_refused() -> None:
    payload = EntryList(Rsc.build("BK3", "W", "TEAM3"), ())
    with pytest.raises(InvalidOdfValueError) as caught:
        build_entries(header("DT_ENTRIES", str(Rsc.build("BK3", "M", "TEAM3"))), payload)
    assert caught.value.code == "odf_document_code_mismatch"
