"""Per-field validation codes, and the blind index of family names."""

from __future__ import annotations

from datetime import date

import pytest

from podium.people import Problem, RegistrationIn, name_index, normalise_name, validate_registration
from tests.people.conftest import person

TODAY = date(2024, 5, 2)


def problems(**changes: str) -> list[tuple[str, str]]:
    result = validate_registration(person("R1", "FRA", **changes), TODAY)
    assert isinstance(result, list), result
    return [(p.field, p.code) for p in result]


def test_a_valid_row_gives_the_registration() -> None:
    record = validate_registration(person("R1", "FRA"), TODAY)
    assert isinstance(record, RegistrationIn)
    assert (record.family_name, record.birth_date) == ("Müller", date(1998, 4, 12))


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"family_name": ""}, [("family_name", "missing")]),
        ({"birth_date": "12/04/1998"}, [("birth_date", "bad_date")]),
        ({"birth_date": "2025-01-01"}, [("birth_date", "bad_date")]),
        ({"birth_date": "1890-01-01"}, [("birth_date", "bad_date")]),
        ({"gender": "F"}, [("gender", "bad_value")]),
        ({"nationality": "France"}, [("nationality", "bad_format")]),
        ({"document_number": "ab 12"}, [("document_number", "bad_format")]),
        ({"document_expiry": "2024-05-01"}, [("document_expiry", "document_expired")]),
        ({"email": "nobody"}, [("email", "bad_format")]),
        ({"function": "x" * 61}, [("function", "too_long")]),
        ({"shoe_size": "42"}, [("shoe_size", "unknown_field")]),
    ],
)
def test_each_problem_names_its_field_and_code(
    changes: dict[str, str], expected: list[tuple[str, str]]
) -> None:
    assert problems(**changes) == expected


def test_every_problem_of_a_row_is_reported_not_only_the_first() -> None:
    found = problems(family_name="", gender="?", birth_date="soon")
    assert sorted(found) == [
        ("birth_date", "bad_date"),
        ("family_name", "missing"),
        ("gender", "bad_value"),
    ]


def test_a_problem_says_what_is_wrong() -> None:
    result = validate_registration(person("R1", "FRA", document_expiry="2020-01-01"), TODAY)
    assert result == [
        Problem("document_expiry", "document_expired", "the document expired on 2020-01-01")
    ]


@pytest.mark.parametrize(
    ("name", "folded"),
    [("Müller", "muller"), ("MULLER", "muller"), ("O'Brien", "obrien"), ("Łukasik", "łukasik")],
)
def test_names_are_folded_before_indexing(name: str, folded: str) -> None:
    assert normalise_name(name) == folded


def test_the_blind_index_matches_folded_names_and_depends_on_the_key() -> None:
    key, other = b"k" * 32, b"o" * 32
    assert name_index(key, "Müller") == name_index(key, "MULLER") == name_index(key, " muller ")
    assert name_index(key, "Müller") != name_index(key, "Miller")
    assert name_index(key, "Müller") != name_index(other, "Müller")
    assert len(name_index(key, "Müller")) == 32
