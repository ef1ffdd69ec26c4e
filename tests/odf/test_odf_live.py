# Copyright 2026 Podium contributors. Licensed under the Apache License 2.0.
import dataclasses
from datetime import UTC, datetime
from itertools import product

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from podium.odf import (
    RESULT_TRANSITIONS,
    SCHEDULE_TRANSITIONS,
    EventRanking,
    InvalidOdfValueError,
    InvalidTransitionError,
    LocalName,
    MessageHeader,
    PhaseResult,
    ResultLine,
    ResultStatus,
    Rsc,
    Schedule,
    ScheduleStatus,
    ScheduleUnit,
    ScheduleUpdate,
    build_invalidation,
    build_phase_result,
    build_ranking,
    build_schedule_update,
    check_result_transition,
    check_schedule_transition,
    parse_message,
    requires_note,
    validate_message,
)
from podium.odf.model import RESULT_STATUSES, SCHEDULE_STATUSES
from tests.odf.odf_strategies import (
    header,
    result_lines,
    result_statuses,
    sample_result,
    schedule_units,
    unit_rscs,
    xml_text,
)

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

ATHLETICS = Rsc.build("ATH")
SEMI_FINAL = Rsc("ATHM100M--------------SFNL--------")
MEN_100M = Rsc("ATHM100M--------------------------")

RESULT_FROM: list[ResultStatus | None] = list(RESULT_TRANSITIONS)
SCHEDULE_FROM: list[ScheduleStatus | None] = list(SCHEDULE_TRANSITIONS)
ALLOWED_RESULTS = [(a, b) for a in RESULT_FROM for b in sorted(RESULT_TRANSITIONS[a])]
REFUSED_RESULTS = [
    (a, b)
    for a, b in product(RESULT_FROM, sorted(RESULT_STATUSES))
    if b not in RESULT_TRANSITIONS[a]
]
ALLOWED_SCHEDULES = [(a, b) for a in SCHEDULE_FROM for b in sorted(SCHEDULE_TRANSITIONS[a])]
REFUSED_SCHEDULES = [
    (a, b)
    for a, b in product(SCHEDULE_FROM, sorted(SCHEDULE_STATUSES))
    if b not in SCHEDULE_TRANSITIONS[a]
]


def assert_valid(xml: bytes) -> etree._Element:
    assert xml.startswith(b"<?xml version='1.0' encoding='UTF-8'?>")
    assert [str(error) for error in validate_message(xml)] == []
    return etree.fromstring(xml)


def strings(root: etree._Element, path: str) -> list[str]:
    found = root.xpath(path)
    assert isinstance(found, list)
    return [str(item) for item in found]


def elements(root: etree._Element, path: str) -> list[etree._Element]:
    found = root.xpath(path)
    assert isinstance(found, list)
    return [item for item in found if isinstance(item, etree._Element)]


def ranked_lines(lines: int = 3) -> tuple[ResultLine, ...]:
    return sample_result(lines).lines


# ResultStatus transitions (ODF Foundation Principles §6.13)


def test_result_table_covers_every_status_and_only_known_ones() -> None:
    assert set(RESULT_TRANSITIONS) == {None, *RESULT_STATUSES}
    assert all(targets <= RESULT_STATUSES for targets in RESULT_TRANSITIONS.values())


@pytest.mark.parametrize(("current", "new"), ALLOWED_RESULTS)
def test_allowed_result_transition_passes(current: ResultStatus | None, new: ResultStatus) -> None:
    check_result_transition(current, new)


@pytest.mark.parametrize(("current", "new"), REFUSED_RESULTS)
def test_refused_result_transition_raises_with_stable_code(
    current: ResultStatus | None, new: ResultStatus
) -> None:
    with pytest.raises(InvalidTransitionError) as caught:
        check_result_transition(current, new)
    assert caught.value.code == "result_status_transition"
    assert (caught.value.current, caught.value.new) == (current, new)
    assert set(caught.value.allowed) == RESULT_TRANSITIONS[current]


@given(st.sampled_from(RESULT_FROM), result_statuses)
def test_any_result_pair_passes_exactly_when_the_table_allows_it(
    current: ResultStatus | None, new: ResultStatus
) -> None:
    if new in RESULT_TRANSITIONS[current]:
        check_result_transition(current, new)
        return
    with pytest.raises(InvalidTransitionError) as caught:
        check_result_transition(current, new)
    assert caught.value.code == "result_status_transition"
    assert new in str(caught.value)
    assert all(status in str(caught.value) for status in caught.value.allowed)


def test_refusal_names_both_statuses_and_lists_the_allowed_ones_in_lifecycle_order() -> None:
    with pytest.raises(InvalidTransitionError) as caught:
        check_result_transition("OFFICIAL", "UNOFFICIAL")
    assert str(caught.value) == (
        "ResultStatus UNOFFICIAL may not be sent after OFFICIAL; allowed after OFFICIAL: "
        "OFFICIAL, PROTESTED (ODF Foundation Principles §6.13, our reading)"
    )
    assert caught.value.allowed == ("OFFICIAL", "PROTESTED")


def test_first_result_message_must_be_a_start_list() -> None:
    check_result_transition(None, "START_LIST")
    with pytest.raises(InvalidTransitionError) as caught:
        check_result_transition(None, "LIVE")
    assert "as the first message" in str(caught.value)
    assert caught.value.allowed == ("START_LIST",)


@pytest.mark.parametrize("current", sorted(RESULT_STATUSES - {"START_LIST"}))
def test_nothing_goes_back_to_start_list_once_under_way(current: ResultStatus) -> None:
    with pytest.raises(InvalidTransitionError):
        check_result_transition(current, "START_LIST")


def test_partial_is_treated_like_intermediate() -> None:
    assert RESULT_TRANSITIONS["PARTIAL"] == RESULT_TRANSITIONS["INTERMEDIATE"]
    assert all(
        ("PARTIAL" in targets) == ("INTERMEDIATE" in targets)
        for targets in RESULT_TRANSITIONS.values()
    )


def test_every_result_status_may_be_reissued() -> None:
    assert all(status in RESULT_TRANSITIONS[status] for status in RESULT_FROM if status)


@pytest.mark.parametrize("new", sorted(RESULT_STATUSES))
def test_any_message_after_official_needs_a_note(new: ResultStatus) -> None:
    assert requires_note("OFFICIAL", new)


@pytest.mark.parametrize(
    ("current", "new"), [(a, b) for a, b in ALLOWED_RESULTS if a != "OFFICIAL"]
)
def test_no_note_is_needed_before_official(current: ResultStatus | None, new: ResultStatus) -> None:
    assert not requires_note(current, new)


def test_unknown_status_is_a_bad_value_not_a_transition() -> None:
    with pytest.raises(InvalidOdfValueError) as caught:
        check_result_transition("LIVE", "FINAL")  # type: ignore[arg-type]
    assert caught.value.code == "odf_bad_value"
    with pytest.raises(InvalidOdfValueError) as schedule_caught:
        check_schedule_transition("STARTED", "RUNNING")  # type: ignore[arg-type]
    assert schedule_caught.value.code == "odf_bad_value"


# ScheduleStatus transitions (ODF Foundation Principles §6.13)


def test_schedule_table_covers_every_status_and_only_known_ones() -> None:
    assert set(SCHEDULE_TRANSITIONS) == {None, *SCHEDULE_STATUSES}
    assert all(targets <= SCHEDULE_STATUSES for targets in SCHEDULE_TRANSITIONS.values())


@pytest.mark.parametrize(("current", "new"), ALLOWED_SCHEDULES)
def test_allowed_schedule_transition_passes(
    current: ScheduleStatus | None, new: ScheduleStatus
) -> None:
    check_schedule_transition(current, new)


@pytest.mark.parametrize(("current", "new"), REFUSED_SCHEDULES)
def test_refused_schedule_transition_raises_with_stable_code(
    current: ScheduleStatus | None, new: ScheduleStatus
) -> None:
    with pytest.raises(InvalidTransitionError) as caught:
        check_schedule_transition(current, new)
    assert caught.value.code == "schedule_status_transition"
    assert set(caught.value.allowed) == SCHEDULE_TRANSITIONS[current]
    assert str(current) in str(caught.value) or current is None
    assert new in str(caught.value)


def test_finished_unit_can_only_be_reissued_as_finished() -> None:
    check_schedule_transition("FINISHED", "FINISHED")
    with pytest.raises(InvalidTransitionError) as caught:
        check_schedule_transition("FINISHED", "RUNNING")
    assert caught.value.allowed == ("FINISHED",)


def test_cancelled_unit_can_only_be_rescheduled() -> None:
    check_schedule_transition("CANCELLED", "RESCHEDULED")
    with pytest.raises(InvalidTransitionError) as caught:
        check_schedule_transition("CANCELLED", "CANCELLED")
    assert str(caught.value) == (
        "ScheduleStatus CANCELLED may not be sent after CANCELLED; allowed after CANCELLED: "
        "RESCHEDULED (ODF Foundation Principles §6.13, our reading)"
    )


def test_running_unit_stops_through_interrupted_not_delayed() -> None:
    check_schedule_transition("RUNNING", "INTERRUPTED")
    check_schedule_transition("INTERRUPTED", "POSTPONED")
    with pytest.raises(InvalidTransitionError):
        check_schedule_transition("RUNNING", "DELAYED")


def test_unit_is_never_first_published_as_finished() -> None:
    check_schedule_transition(None, "SCHEDULED")
    check_schedule_transition(None, "UNSCHEDULED")
    with pytest.raises(InvalidTransitionError) as caught:
        check_schedule_transition(None, "FINISHED")
    assert "as the first message" in str(caught.value)


# DT_SCHEDULE_UPDATE


@st.composite
def schedule_updates(draw: st.DrawFn) -> ScheduleUpdate:
    discipline = draw(unit_rscs()).discipline
    units = draw(st.lists(schedule_units, min_size=1, max_size=4))
    moved = [dataclasses.replace(unit, code=Rsc(discipline[:3] + unit.code[3:])) for unit in units]
    return ScheduleUpdate(discipline, tuple(moved))


@SETTINGS
@given(schedule_updates())
def test_any_schedule_update_validates_and_reads_back_as_its_units(
    update: ScheduleUpdate,
) -> None:
    xml = build_schedule_update(header("DT_SCHEDULE_UPDATE", update.discipline), update)
    root = assert_valid(xml)
    assert elements(root, "/OdfBody/Competition/Session") == []
    assert strings(root, "/OdfBody/Competition/Unit/@Code") == [unit.code for unit in update.units]
    assert parse_message(xml).payload == Schedule(update.discipline, update.units)


def _heat(status: ScheduleStatus = "DELAYED") -> ScheduleUnit:
    return sample_schedule_unit(Rsc("ATHM100M--------------HEAT000100--"), status)


def sample_schedule_unit(code: Rsc, status: ScheduleStatus) -> ScheduleUnit:
    return ScheduleUnit(
        code=code,
        phase_type="3",
        status=status,
        names=(LocalName("ENG", "Men's 100m Round 1 - Heat 1"),),
        start=datetime(2024, 8, 3, 10, 50, tzinfo=UTC),
        venue="STA",
        venue_name="Stade de France",
    )


def test_schedule_update_writes_the_changed_unit_like_the_schedule_and_a_note() -> None:
    update = ScheduleUpdate(ATHLETICS, (_heat(),))
    xml = build_schedule_update(
        header("DT_SCHEDULE_UPDATE", ATHLETICS), update, notes=("Rain delay",)
    )
    root = assert_valid(xml)
    assert root.get("DocumentCode") == "ATH" + "-" * 31
    (unit,) = elements(root, "/OdfBody/Competition/Unit")
    assert unit.get("ScheduleStatus") == "DELAYED"
    assert unit.get("StartDate") == "2024-08-03T10:50:00+00:00"
    assert strings(unit, "ItemName/@Value") == ["Men's 100m Round 1 - Heat 1"]
    assert strings(unit, "VenueDescription/@VenueName") == ["Stade de France"]
    assert strings(root, "/OdfBody/Note/text()") == ["Rain delay"]
    assert root[-1].tag == "Note"


def test_schedule_update_for_an_event_code_is_refused() -> None:
    with pytest.raises(InvalidOdfValueError) as caught:
        ScheduleUpdate(MEN_100M, (_heat(),))
    assert caught.value.code == "odf_wrong_rsc_level"
    assert "discipline-level" in str(caught.value)


def test_schedule_update_without_units_is_refused() -> None:
    with pytest.raises(InvalidOdfValueError) as caught:
        ScheduleUpdate(ATHLETICS, ())
    assert caught.value.code == "odf_empty_update"


def test_schedule_update_with_a_unit_of_another_discipline_is_refused() -> None:
    swim = sample_schedule_unit(Rsc("SWMM100MFR------------HEAT000100--"), "SCHEDULED")
    with pytest.raises(InvalidOdfValueError) as caught:
        ScheduleUpdate(ATHLETICS, (_heat(), swim))
    assert caught.value.code == "odf_rsc_outside_document"


def test_schedule_update_under_a_schedule_header_is_refused() -> None:
    with pytest.raises(InvalidOdfValueError) as caught:
        build_schedule_update(
            header("DT_SCHEDULE", ATHLETICS), ScheduleUpdate(ATHLETICS, (_heat(),))
        )
    assert caught.value.code == "odf_wrong_document_type"


# DT_PHASE_RESULT and DT_RANKING


@SETTINGS
@given(unit_rscs().map(lambda rsc: rsc.phase), st.lists(result_lines, max_size=8), result_statuses)
def test_any_phase_result_validates_and_keeps_its_lines(
    phase: Rsc, lines: list[ResultLine], status: ResultStatus
) -> None:
    result = PhaseResult(phase, tuple(lines))
    xml = build_phase_result(header("DT_PHASE_RESULT", phase, result_status=status), result)
    root = assert_valid(xml)
    assert (root.get("DocumentType"), root.get("DocumentCode")) == ("DT_PHASE_RESULT", phase)
    assert root.get("ResultStatus") == status
    assert strings(root, "/OdfBody/Competition/Result/Competitor/@Code") == [
        line.competitor.code for line in lines
    ]
    assert strings(root, "/OdfBody/Competition/Result/@Rank") == [
        line.rank for line in lines if line.rank is not None
    ]


@SETTINGS
@given(unit_rscs().map(lambda rsc: rsc.event), st.lists(result_lines, max_size=8), result_statuses)
def test_any_event_ranking_validates_and_keeps_its_lines(
    event: Rsc, lines: list[ResultLine], status: ResultStatus
) -> None:
    ranking = EventRanking(event, tuple(lines))
    xml = build_ranking(header("DT_RANKING", event, result_status=status), ranking)
    root = assert_valid(xml)
    assert (root.get("DocumentType"), root.get("DocumentCode")) == ("DT_RANKING", event)
    assert strings(root, "/OdfBody/Competition/Result/Competitor/@Code") == [
        line.competitor.code for line in lines
    ]
    assert strings(root, "/OdfBody/Competition/Result/@Result") == [
        line.result for line in lines if line.result is not None
    ]


def test_phase_result_writes_lines_like_a_unit_result_and_notes_after_competition() -> None:
    result = PhaseResult(SEMI_FINAL, ranked_lines())
    xml = build_phase_result(
        header("DT_PHASE_RESULT", SEMI_FINAL, result_status="OFFICIAL", version=3),
        result,
        notes=('Lane 4 "DSQ" reversed & re-ranked',),
    )
    root = assert_valid(xml)
    first = elements(root, "/OdfBody/Competition/Result")[0]
    assert (first.get("Rank"), first.get("Result"), first.get("SortOrder")) == ("1", "9.71", "1")
    assert strings(first, "RecordIndicators/RecordIndicator/@Code") == ["WR"]
    assert strings(first, "Competitor/Composition/Athlete/Description/@FamilyName") == ["FAMILY1"]
    assert strings(root, "/OdfBody/Note/text()") == ['Lane 4 "DSQ" reversed & re-ranked']


def test_ranking_of_the_event_reads_ranks_in_order() -> None:
    ranking = EventRanking(MEN_100M, ranked_lines(8))
    xml = build_ranking(header("DT_RANKING", MEN_100M, result_status="OFFICIAL"), ranking)
    root = assert_valid(xml)
    assert strings(root, "/OdfBody/Competition/Result/@Rank") == [str(i) for i in range(1, 9)]


@pytest.mark.parametrize(
    ("build", "code"),
    [
        (lambda: PhaseResult(SEMI_FINAL.event, ()), "event"),
        (lambda: PhaseResult(Rsc("ATHM100M--------------SFNL000100--"), ()), "unit"),
        (lambda: EventRanking(SEMI_FINAL, ()), "phase"),
        (lambda: EventRanking(ATHLETICS, ()), "discipline"),
    ],
)
def test_payload_of_the_wrong_rsc_level_is_refused(build: object, code: str) -> None:
    with pytest.raises(InvalidOdfValueError) as caught:
        build()  # type: ignore[operator]
    assert caught.value.code == "odf_wrong_rsc_level"
    assert f"got {code}-level" in str(caught.value)


def test_phase_result_under_a_unit_document_code_is_refused() -> None:
    unit_header = header("DT_PHASE_RESULT", SEMI_FINAL[:26] + "000100--", result_status="LIVE")
    with pytest.raises(InvalidOdfValueError) as caught:
        build_phase_result(unit_header, PhaseResult(SEMI_FINAL, ranked_lines()))
    assert caught.value.code == "odf_document_code_mismatch"


def test_phase_result_and_ranking_need_a_result_status() -> None:
    with pytest.raises(InvalidOdfValueError) as caught:
        build_phase_result(header("DT_PHASE_RESULT", SEMI_FINAL), PhaseResult(SEMI_FINAL, ()))
    assert caught.value.code == "odf_missing_result_status"
    with pytest.raises(InvalidOdfValueError) as ranking_caught:
        build_ranking(header("DT_RANKING", MEN_100M), EventRanking(MEN_100M, ()))
    assert ranking_caught.value.code == "odf_missing_result_status"


def test_control_character_in_a_note_is_refused_by_each_builder() -> None:
    bad = ("bad\x07",)
    with pytest.raises(InvalidOdfValueError) as caught:
        build_ranking(
            header("DT_RANKING", MEN_100M, result_status="OFFICIAL"),
            EventRanking(MEN_100M, ()),
            notes=bad,
        )
    assert caught.value.code == "odf_bad_text"
    update = ScheduleUpdate(ATHLETICS, (_heat(),))
    with pytest.raises(InvalidOdfValueError) as update_caught:
        build_schedule_update(header("DT_SCHEDULE_UPDATE", ATHLETICS), update, notes=bad)
    assert update_caught.value.code == "odf_bad_text"
    with pytest.raises(InvalidOdfValueError) as invalidation_caught:
        build_invalidation(header("DT_RESULT", MEN_100M, version=2), notes=bad)
    assert invalidation_caught.value.code == "odf_bad_text"


# Invalidation


def _invalidating(version: int = 4) -> MessageHeader:
    unit = sample_result().unit
    return header("DT_RESULT", unit, result_status="OFFICIAL", version=version)


def test_invalidation_is_the_header_without_competition_and_validates() -> None:
    invalidation = _invalidating()
    root = assert_valid(build_invalidation(invalidation))
    assert elements(root, "/OdfBody/Competition") == []
    assert len(root) == 0
    assert root.get("DocumentCode") == invalidation.document_code
    assert (root.get("Version"), root.get("ResultStatus")) == ("4", "OFFICIAL")


def test_invalidation_reads_back_as_the_same_key_and_no_payload() -> None:
    invalidation = _invalidating()
    message = parse_message(build_invalidation(invalidation, notes=("Sent in error",)))
    assert message.payload is None
    assert message.header.key == invalidation.key
    assert message.header == dataclasses.replace(invalidation, gen=None, codes=None)


@SETTINGS
@given(st.lists(xml_text, max_size=3))
def test_invalidation_notes_validate_and_read_back(notes: list[str]) -> None:
    root = assert_valid(build_invalidation(_invalidating(), notes=tuple(notes)))
    assert [note.text or "" for note in root.iterfind("Note")] == notes


def test_invalidation_of_a_first_version_is_refused() -> None:
    with pytest.raises(InvalidOdfValueError) as caught:
        build_invalidation(_invalidating(version=1))
    assert caught.value.code == "odf_invalidation_of_first_version"
