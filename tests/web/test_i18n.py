"""Translations and locale formats of the pages."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

from babel.dates import format_date
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po
from fastapi.testclient import TestClient

import podium.web
from podium.web.i18n import first_day_pattern, language

WEB = Path(podium.web.__file__).parent


def _template_ids() -> set[str]:
    found = extract_from_dir(
        WEB / "templates",
        method_map=[("**.html", "jinja2")],
        options_map={"**.html": {"extensions": "jinja2.ext.i18n"}},
    )
    return {
        message for _file, _line, message, _comments, _context in found if isinstance(message, str)
    }


def _french_catalog() -> dict[str, str]:
    with (WEB / "locales" / "fr" / "LC_MESSAGES" / "messages.po").open("rb") as po:
        catalog = read_po(po)
    return {str(m.id): str(m.string) for m in catalog if m.id}


def test_every_template_text_has_a_french_translation() -> None:
    french = _french_catalog()
    missing = sorted(text for text in _template_ids() if not french.get(text))
    assert missing == []


def test_french_catalog_has_no_stale_texts() -> None:
    assert sorted(set(_french_catalog()) - _template_ids()) == []


def test_french_dates_are_spelled_out() -> None:
    assert language("fr").long_date(date(2024, 7, 27)) == "samedi 27 juillet 2024"
    assert language("en").long_date(date(2024, 7, 27)) == "Saturday, 27 July 2024"


def test_french_writes_the_first_of_a_month_as_an_ordinal() -> None:
    french = language("fr")
    assert french.long_date(date(2024, 8, 1)) == "jeudi 1er août 2024"
    assert french.short_date(date(2024, 8, 1)) == "jeu. 1er août"
    assert french.long_date(date(2024, 8, 11)) == "dimanche 11 août 2024"
    assert french.long_date(date(2024, 8, 21)) == "mercredi 21 août 2024"
    assert language("en").long_date(date(2024, 8, 1)) == "Thursday, 1 August 2024"
    assert language("en").short_date(date(2024, 8, 1)) == "Thu 1 Aug"


def test_first_day_suffix_follows_the_day_field_only() -> None:
    assert first_day_pattern("EEEE d MMMM y", "er") == "EEEE d'er' MMMM y"
    assert first_day_pattern("dd/MM/y", "er") == "dd'er'/MM/y"
    quoted = first_day_pattern("'le' d MMM", "er")
    assert format_date(date(2024, 8, 1), quoted, locale="fr_FR") == "le 1er août"


def test_every_french_date_on_the_pages_writes_the_first_as_1er(client: TestClient) -> None:
    schedule = client.get("/fr/schedule?day=2024-08-01").text
    assert "Calendrier : jeudi 1er août 2024" in schedule
    assert ">jeu. 1er août</a>" in schedule
    assert "jeudi 1 août" not in schedule
    assert "jeu. 1 août" not in schedule
    assert "jeudi 1er août 2024" in client.get("/fr/").text
    medallists = client.get("/fr/medallists?games=OG2024&noc=FRA").text
    assert "jeu. 1er août" in medallists
    assert "jeu. 1 août" not in medallists


def test_times_are_paris_local_on_a_24_hour_clock() -> None:
    evening = datetime(2024, 8, 11, 19, 5, tzinfo=UTC)
    assert language("fr").local_time(evening) == "21:05"
    assert language("en").local_time(evening) == "21:05"
    assert language("en").local_time(None) == ""


def test_french_translations_come_from_the_po_file() -> None:
    assert language("fr").translations.gettext("Medal table") == "Tableau des médailles"
    assert language("en").translations.gettext("Medal table") == "Medal table"
