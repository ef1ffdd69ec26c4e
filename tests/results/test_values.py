from decimal import Decimal

import pytest

from podium.results.values import (
    Outcome,
    ResultValueError,
    parse_faults,
    parse_outcome,
    parse_result,
    parse_time,
)


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("9.79", "9.79"),
        ("1:43.00", "103.00"),
        ("2:06:26", "7586"),
        ("1:51:42.3", "6702.3"),
        ("6.389", "6.389"),
    ],
)
def test_times_parse_to_exact_seconds(text, seconds):
    assert parse_time(text) == Decimal(seconds)


@pytest.mark.parametrize("text", ["", "9,79", "1:60.00", "1:60:00", "+1 lap", "abc"])
def test_a_malformed_time_is_refused_with_a_stable_code(text):
    with pytest.raises(ResultValueError) as caught:
        parse_time(text)
    assert caught.value.code == "result_value_unparsable"


def test_points_distance_and_negative_points_parse():
    assert parse_result("8.34", "DISTANCE") == Decimal("8.34")
    assert parse_result("-4", "POINTS") == Decimal(-4)
    assert parse_result("241", "WEIGHT") == Decimal(241)


def test_a_value_with_a_unit_is_refused():
    with pytest.raises(ResultValueError) as caught:
        parse_result("8.34m", "DISTANCE")
    assert caught.value.code == "result_value_unparsable"


def test_an_unknown_result_type_has_its_own_code():
    with pytest.raises(ResultValueError) as caught:
        parse_result("1", "FURLONGS")
    assert caught.value.code == "result_type_unknown"


def test_empty_and_valueless_results_have_no_value():
    assert parse_result("", "TIME") is None
    assert parse_result("", "IRM") is None
    assert parse_result("FLT (R, 2, 3)", "FAULT") is None


def test_fault_marks_list_their_codes():
    assert parse_faults("FLT (R, 2, 3)") == ("R", "2", "3")
    with pytest.raises(ResultValueError):
        parse_faults("FLT ()")


def test_outcomes_parse():
    assert parse_outcome("W") is Outcome.WIN
    with pytest.raises(ResultValueError):
        parse_outcome("X")


def test_every_value_of_the_bundled_results_parses(result_rows):
    for row in result_rows:
        # Wrestling has no result_type column; its results are points.
        parse_result(row["result"], row.get("result_type", "POINTS"))
        if row.get("result_WLT"):
            parse_outcome(row["result_WLT"])
