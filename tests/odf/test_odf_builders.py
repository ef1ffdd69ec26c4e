# Copyright 2026 Podium contributors. Licensed under the Apache License 2.0.
import dataclasses
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings

from podium.odf import (
    GAMES_DOCUMENT_CODE,
    EventMedallists,
    InvalidOdfValueError,
    MedalAward,
    MedalStandings,
    ParticipantList,
    ResultStatus,
    Schedule,
    UnitResult,
    build_medallists,
    build_medals,
    build_partic,
    build_result,
    build_schedule,
    parse_message,
    validate_message,
)
from tests.odf.odf_strategies import (
    header,
    medallists,
    participant_lists,
    result_statuses,
    sample_result,
    schedules,
    standings,
    unit_results,
)

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def assert_valid(xml: bytes) -> None:
    assert xml.startswith(b"<?xml version='1.0' encoding='UTF-8'?>")
    assert [str(error) for error in validate_message(xml)] == []


def test_typical_result_of_eight_competitors_validates_and_reads_back() -> None:
    result = sample_result()
    xml = build_result(header("DT_RESULT", result.unit, result_status="OFFICIAL"), result)
    assert_valid(xml)
    assert parse_message(xml).payload == result


@SETTINGS
@given(unit_results, result_statuses)
def test_any_unit_result_validates_and_reads_back(result: UnitResult, status: ResultStatus) -> None:
    xml = build_result(header("DT_RESULT", result.unit, result_status=status), result)
    assert_valid(xml)
    message = parse_message(xml)
    assert message.payload == result
    assert message.header.result_status == status


@SETTINGS
@given(schedules)
def test_any_schedule_validates_and_reads_back(schedule: Schedule) -> None:
    xml = build_schedule(header("DT_SCHEDULE", schedule.discipline), schedule)
    assert_valid(xml)
    assert parse_message(xml).payload == schedule


@SETTINGS
@given(medallists)
def test_any_event_medallists_validate_and_read_back(payload: EventMedallists) -> None:
    xml = build_medallists(header("DT_MEDALLISTS", payload.event), payload)
    assert_valid(xml)
    assert parse_message(xml).payload == payload


@SETTINGS
@given(standings)
def test_any_medal_table_validates_and_reads_back(payload: MedalStandings) -> None:
    xml = build_medals(header("DT_MEDALS", GAMES_DOCUMENT_CODE), payload)
    assert_valid(xml)
    assert parse_message(xml).payload == payload


@SETTINGS
@given(participant_lists())
def test_any_participant_list_validates_and_reads_back(payload: ParticipantList) -> None:
    xml = build_partic(header("DT_PARTIC", payload.discipline), payload)
    assert_valid(xml)
    parsed = parse_message(xml).payload
    assert isinstance(parsed, ParticipantList)
    expected = [dataclasses.replace(p, parent=p.parent or p.code) for p in payload.participants]
    assert list(parsed.participants) == expected


def test_header_without_gen_and_codes_is_refused() -> None:
    result = sample_result()
    with pytest.raises(InvalidOdfValueError) as caught:
        build_result(header("DT_RESULT", result.unit, gen=None), result)
    assert caught.value.code == "odf_missing_competition_attributes"


def test_header_of_another_document_type_is_refused() -> None:
    result = sample_result()
    with pytest.raises(InvalidOdfValueError) as caught:
        build_result(header("DT_SCHEDULE", result.unit), result)
    assert caught.value.code == "odf_wrong_document_type"


def test_header_for_another_unit_is_refused() -> None:
    result = sample_result()
    with pytest.raises(InvalidOdfValueError) as caught:
        build_result(header("DT_RESULT", result.unit.phase), result)
    assert caught.value.code == "odf_document_code_mismatch"


def test_control_character_in_a_name_is_refused_by_every_builder() -> None:
    result = sample_result(1)
    line = result.lines[0]
    bad = dataclasses.replace(
        line, competitor=dataclasses.replace(line.competitor, organisation="US\x01")
    )
    with pytest.raises(InvalidOdfValueError) as caught:
        build_result(header("DT_RESULT", result.unit), UnitResult(result.unit, (bad,)))
    assert caught.value.code == "odf_bad_text"
    awards = parse_message(
        build_medallists(
            header("DT_MEDALLISTS", result.unit.event),
            EventMedallists(result.unit.event, _gold(result)),
        )
    )
    assert awards.payload is not None


def _gold(result: UnitResult) -> tuple[MedalAward, ...]:
    return (MedalAward("ME_GOLD", date(2024, 8, 4), result.unit, (result.lines[0].competitor,)),)


def test_version_below_one_is_refused() -> None:
    with pytest.raises(InvalidOdfValueError) as caught:
        header("DT_RESULT", sample_result().unit, version=0)
    assert caught.value.code == "odf_bad_value"


def test_unknown_result_status_is_refused() -> None:
    with pytest.raises(InvalidOdfValueError) as caught:
        header("DT_RESULT", sample_result().unit, result_status="FINAL")
    assert caught.value.code == "odf_bad_value"
