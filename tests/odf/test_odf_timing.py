# Copyright 2026 Podium contributors. Licensed under the Apache License 2.0.
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from podium.odf import FeedContext, InvalidOdfValueError, logical_date, odf_time, parse_odf_time

PARIS = ZoneInfo("Europe/Paris")


def test_message_at_0259_local_belongs_to_the_previous_day() -> None:
    assert logical_date(datetime(2024, 8, 5, 2, 59, tzinfo=PARIS), PARIS) == date(2024, 8, 4)


def test_message_at_0300_local_belongs_to_its_own_day() -> None:
    assert logical_date(datetime(2024, 8, 5, 3, 0, tzinfo=PARIS), PARIS) == date(2024, 8, 5)


def test_logical_date_uses_local_time_not_utc() -> None:
    # 00:30 UTC is 02:30 in Paris in summer: still the previous competition day.
    assert logical_date(datetime(2024, 8, 5, 0, 30, tzinfo=UTC), PARIS) == date(2024, 8, 4)
    # 01:30 UTC is 03:30 in Paris.
    assert logical_date(datetime(2024, 8, 5, 1, 30, tzinfo=UTC), PARIS) == date(2024, 8, 5)


def test_naive_moment_is_refused() -> None:
    with pytest.raises(InvalidOdfValueError) as caught:
        logical_date(datetime(2024, 8, 5, 2, 59), PARIS)  # noqa: DTZ001
    assert caught.value.code == "odf_naive_datetime"


def test_odf_time_is_nine_digits_with_milliseconds() -> None:
    assert odf_time(time(10, 23, 16, 715999)) == "102316715"
    assert odf_time(datetime(2024, 8, 5, 0, 0, 0, 5000, tzinfo=PARIS)) == "000000005"


@given(st.times())
def test_odf_time_reads_back_to_the_millisecond(moment: time) -> None:
    text = odf_time(moment)
    assert len(text) == 9
    assert parse_odf_time(text) == moment.replace(
        microsecond=moment.microsecond // 1000 * 1000, tzinfo=None
    )


@pytest.mark.parametrize("bad", ["10231671", "1023167150", "25000000a", "256000000"])
def test_bad_odf_time_is_refused(bad: str) -> None:
    with pytest.raises(InvalidOdfValueError) as caught:
        parse_odf_time(bad)
    assert caught.value.code == "odf_bad_time"


def test_feed_context_stamps_date_time_and_logical_date_from_the_injected_clock() -> None:
    def clock() -> datetime:
        return datetime(2024, 8, 5, 0, 59, 30, 123456, tzinfo=UTC)  # 02:59:30 in Paris

    context = FeedContext("OG2024", "ODS", PARIS, gen="G", codes="C", clock=clock)
    header = context.stamp(
        "DT_RESULT", "ATHM100M--------------FNL-000100--", 2, result_status="OFFICIAL"
    )
    assert header.date == date(2024, 8, 5)
    assert header.time == time(2, 59, 30, 123000)
    assert header.logical_date == date(2024, 8, 4)
    assert header.key == (
        "OG2024",
        "ATHM100M--------------FNL-000100--",
        None,
        "DT_RESULT",
        None,
        "P",
        2,
    )
