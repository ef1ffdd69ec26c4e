"""Parse result values, as written in results feeds, into comparable numbers.

A result's text depends on its result type (ODF `@ResultType`): a time is written
`9.79`, `1:43.00`, `2:06:26` or `1:51:42.3`; points, distances, weights, strokes,
percentages, sets and scores are decimal strings (`-4`, `8.34`, `95.5`); a head-to-head
outcome is `W`, `L` or `T`. Every format here was checked against every row of the
bundled Paris 2024 results (`data/paris2024/results/*.csv`).

Errors:
    ResultValueError (InvalidInputError)  code `result_value_unparsable` or
                                          `result_type_unknown`
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from enum import StrEnum

from podium.core.errors import InvalidInputError

__all__ = [
    "NUMERIC_RESULT_TYPES",
    "VALUELESS_RESULT_TYPES",
    "Outcome",
    "ResultValueError",
    "parse_decimal",
    "parse_faults",
    "parse_outcome",
    "parse_result",
    "parse_time",
]

_TIME = re.compile(r"^(?:(?:(?P<h>\d+):)?(?P<m>\d+):)?(?P<s>\d+(?:\.\d+)?)$")
_DECIMAL = re.compile(r"^[+-]?\d+(?:\.\d+)?$")
_FAULTS = re.compile(r"^FLT \((?P<codes>[0-9RS]+(?:, [0-9RS]+)*)\)$")

NUMERIC_RESULT_TYPES = frozenset(
    {"POINTS", "DISTANCE", "SCORE", "SETS", "STROKES", "WEIGHT", "PERCENT", "IRM_POINTS"}
)
"""Result types whose value is a plain decimal number."""

VALUELESS_RESULT_TYPES = frozenset({"", "IRM", "IRM_RANK", "IRM_TIME", "NO_SCORE", "RM", "RANK"})
"""Result types that carry no comparable value (an IRM, a rank only, no score yet)."""


class ResultValueError(InvalidInputError):
    """A result value or result type that cannot be parsed.

    Codes: `result_value_unparsable` (the text does not match its type) and
    `result_type_unknown` (the result type is not one Podium knows).
    """

    code = "result_value_unparsable"


class Outcome(StrEnum):
    """The outcome of a head-to-head unit for one side (ODF `@WLT`)."""

    WIN = "W"
    LOSS = "L"
    TIE = "T"


def parse_time(text: str) -> Decimal:
    """Parse a time into seconds.

    Args:
        text: `s.ff`, `m:ss.ff`, `h:mm:ss` or `h:mm:ss.f` (for example `9.79`, `1:43.00`,
            `2:06:26`, `1:51:42.3`).

    Returns:
        The time in seconds, exact (a `Decimal`, so `9.79` stays `9.79`).

    Raises:
        ResultValueError: code `result_value_unparsable` when the text is not a time, or
            when minutes or seconds past the first field are 60 or more.

    """
    match = _TIME.fullmatch(text.strip())
    if match is None:
        msg = f"not a time: {text!r}"
        raise ResultValueError(msg)
    hours = int(match["h"] or 0)
    minutes = int(match["m"] or 0)
    seconds = Decimal(match["s"])
    if match["m"] is not None and seconds >= 60:
        msg = f"seconds out of range in time {text!r}"
        raise ResultValueError(msg)
    if match["h"] is not None and minutes >= 60:
        msg = f"minutes out of range in time {text!r}"
        raise ResultValueError(msg)
    return hours * 3600 + minutes * 60 + seconds


def parse_decimal(text: str) -> Decimal:
    """Parse a signed decimal number (points, distance in metres, kilograms, strokes...).

    Args:
        text: digits with an optional sign and decimal part, such as `-4`, `8.34`, `95.5`.

    Returns:
        The exact value.

    Raises:
        ResultValueError: code `result_value_unparsable` for anything else (units,
            thousands separators, empty text).

    """
    stripped = text.strip()
    if _DECIMAL.fullmatch(stripped) is None:
        msg = f"not a decimal number: {text!r}"
        raise ResultValueError(msg)
    try:
        return Decimal(stripped)
    except InvalidOperation as exc:  # pragma: no cover - the pattern already rules it out
        msg = f"not a decimal number: {text!r}"
        raise ResultValueError(msg) from exc


def parse_faults(text: str) -> tuple[str, ...]:
    """Parse a kayak cross fault mark such as `FLT (R, 2, 3)` into its fault codes.

    Args:
        text: `FLT (` fault codes separated by `, ` `)`; a code is a gate number, `R`
            (roll) or `S` (start).

    Returns:
        The fault codes in the order written, for example `("R", "2", "3")`.

    Raises:
        ResultValueError: code `result_value_unparsable` when the text is not a fault mark.

    Rule source: ICF Canoe Slalom Competition Rules 2024, kayak cross faults.

    """
    match = _FAULTS.fullmatch(text.strip())
    if match is None:
        msg = f"not a fault mark: {text!r}"
        raise ResultValueError(msg)
    return tuple(match["codes"].split(", "))


def parse_outcome(text: str) -> Outcome:
    """Parse a head-to-head outcome.

    Args:
        text: `W`, `L` or `T`.

    Returns:
        The outcome.

    Raises:
        ResultValueError: code `result_value_unparsable` for anything else.

    """
    try:
        return Outcome(text.strip())
    except ValueError as exc:
        msg = f"not an outcome (W, L, T): {text!r}"
        raise ResultValueError(msg) from exc


def parse_result(text: str, result_type: str) -> Decimal | None:
    """Parse a result into a comparable number, or `None` when there is no value.

    Args:
        text: the result as written in the feed; empty when the row has none.
        result_type: the ODF result type: `TIME` (seconds), a numeric type (see
            `NUMERIC_RESULT_TYPES`), `FAULT`, or a valueless type (see
            `VALUELESS_RESULT_TYPES`).

    Returns:
        Seconds for `TIME`, the number for a numeric type, `None` for an empty text, a
        `FAULT` mark (checked, but not comparable) or a valueless type.

    Raises:
        ResultValueError: code `result_value_unparsable` when a non-empty text does not
            match its type; code `result_type_unknown` for an unknown result type.

    """
    if result_type == "FAULT":
        parse_faults(text)
        return None
    if result_type not in NUMERIC_RESULT_TYPES | VALUELESS_RESULT_TYPES | {"TIME"}:
        msg = f"unknown result type {result_type!r}"
        raise ResultValueError(msg, code="result_type_unknown")
    if not text.strip():
        return None
    if result_type == "TIME":
        return parse_time(text)
    if result_type == "IRM_RANK" and text.startswith("FLT"):
        parse_faults(text)
        return None
    return parse_decimal(text)
