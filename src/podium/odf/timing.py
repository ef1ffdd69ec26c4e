# Copyright 2026 Podium contributors. Licensed under the Apache License 2.0.
"""Header date and time rules: `Time` as hhmmssfff and the 03:00 `LogicalDate` cut-off."""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta, tzinfo
from typing import Final

from podium.odf.errors import InvalidOdfValueError

__all__ = ["LOGICAL_DAY_CUTOFF", "logical_date", "odf_time", "parse_odf_time"]

LOGICAL_DAY_CUTOFF: Final = time(3, 0)
"""Local time before which a moment still belongs to the previous competition day."""

_ODF_TIME: Final = re.compile(r"[0-9]{9}")


def _require_aware(moment: datetime) -> None:
    if moment.utcoffset() is None:
        msg = f"ODF needs an aware datetime (with a time zone), got naive {moment.isoformat()}"
        raise InvalidOdfValueError(msg, code="odf_naive_datetime")


def logical_date(moment: datetime, local_tz: tzinfo) -> date:
    """Return the competition day a moment belongs to.

    A competition day runs from 03:00 local time to 02:59:59.999 the next morning, so a
    message at 02:59 local on 5 August has LogicalDate 4 August and one at 03:00 has 5 August.

    Args:
        moment: an aware datetime (any zone).
        local_tz: the time zone of the Games (for Paris 2024, `ZoneInfo("Europe/Paris")`).

    Raises:
        InvalidOdfValueError: `odf_naive_datetime` when `moment` has no time zone.

    Rule source: ODF Foundation Principles, message header, LogicalDate.

    """
    _require_aware(moment)
    local = moment.astimezone(local_tz)
    if local.time() < LOGICAL_DAY_CUTOFF:
        return local.date() - timedelta(days=1)
    return local.date()


def odf_time(moment: datetime | time) -> str:
    """Format a wall-clock time as the 9-digit ODF header `Time`, hhmmssfff (milliseconds).

    Args:
        moment: the time to format, already in the zone wanted (the header uses Games local
            time); microseconds are truncated to milliseconds.

    Rule source: ODF Foundation Principles, message header, Time (`odfTimeType`, `[0-9]{9}`).

    """
    clock = moment.time() if isinstance(moment, datetime) else moment
    return f"{clock.hour:02d}{clock.minute:02d}{clock.second:02d}{clock.microsecond // 1000:03d}"


def parse_odf_time(value: str) -> time:
    """Read a 9-digit hhmmssfff header `Time` back into a `datetime.time`.

    Args:
        value: the attribute text, for example `155916952`.

    Raises:
        InvalidOdfValueError: `odf_bad_time` when it is not 9 digits or not a valid time.

    """
    if _ODF_TIME.fullmatch(value) is None:
        msg = f"ODF Time must be 9 digits hhmmssfff, got {value!r}"
        raise InvalidOdfValueError(msg, code="odf_bad_time")
    try:
        return time(int(value[:2]), int(value[2:4]), int(value[4:6]), int(value[6:]) * 1000)
    except ValueError as error:
        msg = f"ODF Time {value!r} is not a valid time of day: {error}"
        raise InvalidOdfValueError(msg, code="odf_bad_time") from error
