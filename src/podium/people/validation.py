"""Per-field validation of a registration, with a stable code for every problem.

`validate_registration` turns one submitted record (a JSON object or a CSV row) into a
`RegistrationIn` or a list of `Problem`s, each naming the field and carrying a code that
programs and tests rely on:

    missing           a required field is absent or empty
    bad_date          not a date (YYYY-MM-DD), or a birth date in the future or > 120 years ago
    bad_format        a value breaks its pattern (NOC code, document number, e-mail...)
    bad_value         a value outside its list (gender, document type)
    too_long          a value longer than its column
    document_expired  the travel document expired before today
    unknown_field     a field (CSV column) that a registration does not have
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from pydantic import ValidationError

from podium.people.schemas import RegistrationIn

__all__ = ["MAX_AGE_YEARS", "Problem", "validate_registration"]

MAX_AGE_YEARS = 120
"""Oldest plausible birth date, in years before today."""

_CODES = {
    "missing": "missing",
    "string_too_short": "missing",
    "string_too_long": "too_long",
    "string_pattern_mismatch": "bad_format",
    "literal_error": "bad_value",
    "extra_forbidden": "unknown_field",
}


@dataclass(frozen=True, slots=True)
class Problem:
    """One rejected field of one record.

    Attributes:
        field: the field (CSV column) at fault.
        code: stable code (module docstring).
        message: what is wrong, for a person.

    """

    field: str
    code: str
    message: str


def _problems(error: ValidationError) -> list[Problem]:
    found: list[Problem] = []
    for item in error.errors(include_url=False):
        field = str(item["loc"][0]) if item["loc"] else "record"
        kind = item["type"]
        code = "bad_date" if kind.startswith("date") else _CODES.get(kind, "bad_value")
        found.append(Problem(field, code, str(item["msg"])))
    return found


def _date_rules(record: RegistrationIn, today: date) -> list[Problem]:
    found: list[Problem] = []
    born = record.birth_date
    if born > today:
        found.append(Problem("birth_date", "bad_date", f"birth date {born} is in the future"))
    elif today.year - born.year > MAX_AGE_YEARS:
        found.append(
            Problem(
                "birth_date", "bad_date", f"birth date {born} is over {MAX_AGE_YEARS} years ago"
            )
        )
    if record.document_expiry < today:
        found.append(
            Problem(
                "document_expiry",
                "document_expired",
                f"the document expired on {record.document_expiry}",
            )
        )
    return found


def validate_registration(
    values: Mapping[str, object], today: date
) -> RegistrationIn | list[Problem]:
    """Validate one registration record field by field.

    Empty strings count as absent, so an empty CSV cell of a required column is `missing`.

    Args:
        values: field name → value (strings from a CSV row, or JSON values).
        today: the current date (from the injected clock), for the date rules.

    Returns:
        The validated registration, or every problem found (never only the first).

    """
    cleaned = {k: v for k, v in values.items() if v is not None and v != ""}
    try:
        record = RegistrationIn.model_validate(cleaned)
    except ValidationError as error:
        return _problems(error)
    return _date_rules(record, today) or record
