"""Translations and locale formats of the pages."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

import podium.web
from podium.web.i18n import language

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


def test_times_are_paris_local_on_a_24_hour_clock() -> None:
    evening = datetime(2024, 8, 11, 19, 5, tzinfo=UTC)
    assert language("fr").local_time(evening) == "21:05"
    assert language("en").local_time(evening) == "21:05"
    assert language("en").local_time(None) == ""


def test_french_translations_come_from_the_po_file() -> None:
    assert language("fr").translations.gettext("Medal table") == "Tableau des médailles"
    assert language("en").translations.gettext("Medal table") == "Medal table"
