"""Numbers, times, scores, ordinals and names as the descriptions say them (pure)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from podium.accessibility import ordinal, spoken_noc_names, spoken_result, tv_name


@pytest.mark.parametrize(
    ("value", "kind", "english", "french"),
    [
        ("9.79", "TIME", "9.79 seconds", "9,79 secondes"),
        ("10.00", "TIME", "10.00 seconds", "10,00 secondes"),
        ("1:43.21", "TIME", "1 minute 43.21 seconds", "1 minute 43,21 secondes"),
        ("3:27:46", "TIME", "3 hours 27 minutes 46 seconds", "3 heures 27 minutes 46 secondes"),
        ("2:06:26", None, "2 hours 6 minutes 26 seconds", "2 heures 6 minutes 26 secondes"),
        ("1.5", "TIME", "1.5 seconds", "1,5 seconde"),
        ("3-1", "SCORE", "3 to 1", "3 à 1"),
        ("21:19", "SCORE", "21 to 19", "21 à 19"),
        ("8796", "POINTS", "8,796 points", "8\u202f796 points"),
        ("8.34", "DISTANCE", "8.34 metres", "8,34 mètres"),
        ("1", "POINTS", "1 point", "1 point"),
        ("DNF", None, "DNF", "DNF"),
    ],
)
def test_results_are_written_for_speech_in_each_language(
    value: str, kind: str | None, english: str, french: str
) -> None:
    assert spoken_result(value, kind, "en") == english
    assert spoken_result(value, kind, "fr") == french


@given(st.integers(0, 59), st.integers(0, 99))
def test_a_french_time_never_keeps_a_decimal_point(seconds: int, hundredths: int) -> None:
    value = f"{seconds}.{hundredths:02d}"
    said = spoken_result(value, "TIME", "fr")
    assert "." not in said
    assert said.startswith(f"{seconds},{hundredths:02d} seconde")
    assert spoken_result(value, "TIME", "en").startswith(f"{value} second")


def test_ordinals_agree_in_french_with_women() -> None:
    assert [ordinal(n, "en") for n in (1, 2, 3, 11, 12, 21, 22)] == [
        "first",
        "second",
        "third",
        "11th",
        "12th",
        "21st",
        "22nd",
    ]
    assert ordinal(1, "fr") == "premier"
    assert ordinal(1, "fr", feminine=True) == "première"
    assert ordinal(2, "fr", feminine=True) == "deuxième"
    assert ordinal(12, "fr") == "12e"


def test_athletes_are_named_as_on_television_not_shouted() -> None:
    assert tv_name("LYLES", "Noah") == "Noah Lyles"
    assert tv_name("McLAUGHLIN-LEVRONE", "Sydney") == "Sydney Mclaughlin-Levrone"
    assert tv_name("dos SANTOS", "Gabriel") == "Gabriel dos Santos"
    assert tv_name("O'CONNOR", None) == "O'Connor"
    assert tv_name("HE", "Bing Jiao") == "Bing Jiao He"


def test_noc_names_are_said_in_full_in_english_and_french() -> None:
    names = spoken_noc_names(
        [
            ("USA", "United States", "United States of America"),
            ("JAM", "Jamaica", "Jamaica"),
            ("GBR", "Great Britain", "Great Britain"),
            ("IVB", "Virgin Islands, B", "Virgin Islands, British"),
            ("COD", "DR Congo", "Democratic Republic of the Congo"),
            ("EOR", "EOR", "Refugee Olympic Team"),
            ("RSA", "South Africa", "South Africa"),
            ("GER", "Germany", "Germany"),
            ("EUN", "Unified Team", "Unified Team"),
        ]
    )
    said = {code: (names.name(code, "en"), names.name(code, "fr")) for code in names.names["en"]}
    assert said == {
        "USA": ("United States", "États-Unis"),
        "JAM": ("Jamaica", "Jamaïque"),
        "GBR": ("Great Britain", "Grande-Bretagne"),
        "IVB": ("Virgin Islands, British", "Îles Vierges britanniques"),
        "COD": ("Democratic Republic of the Congo", "République démocratique du Congo"),
        "EOR": ("Refugee Olympic Team", "Équipe olympique des réfugiés"),
        "RSA": ("South Africa", "Afrique du Sud"),
        "GER": ("Germany", "Allemagne"),
        "EUN": ("Unified Team", "Unified Team"),
    }
    assert names.name("XYZ", "fr") == "XYZ"
