"""Languages of the public pages: translations read from .po files, locale formatting.

English is the source language of the templates; French comes from
`locales/fr/LC_MESSAGES/messages.po`, read with Babel and compiled in memory at import.
Times are shown in Paris local time (the Games' time zone), 24-hour. Every date goes
through `Language.format_day`, which writes the French ordinal of a month's first day ("1er").
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from importlib import resources
from io import BytesIO
from typing import Literal, get_args

from babel import Locale
from babel.dates import format_date, format_time, tokenize_pattern, untokenize_pattern
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal
from babel.support import NullTranslations, Translations

from podium.games import GAMES_TIME_ZONE

__all__ = [
    "GAMES_ZONE",
    "LANGS",
    "Lang",
    "Language",
    "first_day_pattern",
    "language",
    "other_lang",
]

Lang = Literal["en", "fr"]
"""A language of the pages, as it appears first in the URL."""

LANGS: tuple[Lang, ...] = get_args(Lang)
"""Every language of the pages, the default first."""

GAMES_ZONE = GAMES_TIME_ZONE
"""The time zone of the Paris 2024 Games: every time is shown in it."""

_LOCALES: dict[Lang, str] = {"en": "en_GB", "fr": "fr_FR"}
_NAMES: dict[Lang, str] = {"en": "English", "fr": "Français"}
_FIRST_DAY_SUFFIX: dict[Lang, str] = {"fr": "er"}
"""What follows the day number on the first of a month: French writes "1er août" (the
ordinal "premier"), and only for the first; other days are cardinal (Imprimerie nationale,
*Lexique des règles typographiques*, "Dates"). Babel's patterns have no such field."""


def first_day_pattern(pattern: str, suffix: str) -> str:
    """Return a Babel date pattern whose day-of-month field is followed by `suffix`.

    Args:
        pattern: a CLDR date pattern, as in "EEEE d MMMM y".
        suffix: literal text to write after the day number, as in "er".

    """
    tokens: list[tuple[str, str | tuple[str, int]]] = []
    for kind, value in tokenize_pattern(pattern):
        tokens.append((kind, value))
        if kind == "field" and isinstance(value, tuple) and value[0] == "d":
            tokens.append(("chars", suffix))
    return str(untokenize_pattern(tokens))


@dataclass(frozen=True)
class Language:
    """One language of the pages: its code, Babel locale, endonym and translations.

    Attributes:
        code: the URL code (`en`, `fr`).
        locale: the Babel locale used for dates, times and numbers.
        name: the language's own name for itself, for the language switch.
        translations: gettext translations for the templates.

    """

    code: Lang
    locale: Locale
    name: str
    translations: NullTranslations

    def format_day(self, day: date, pattern: str) -> str:
        """Format a day with a CLDR pattern, the first of a month as the language writes it.

        Args:
            day: the day.
            pattern: a CLDR date pattern ("EEE d MMM").

        """
        suffix = _FIRST_DAY_SUFFIX.get(self.code)
        if suffix and day.day == 1:
            pattern = first_day_pattern(pattern, suffix)
        return format_date(day, pattern, locale=self.locale)

    def long_date(self, day: date) -> str:
        """Format a day in full, as in "samedi 27 juillet 2024" or "jeudi 1er août 2024"."""
        return self.format_day(day, self.locale.date_formats["full"].pattern)

    def short_date(self, day: date) -> str:
        """Format a day briefly, as in "sam. 27 juil." or "jeu. 1er août"."""
        return self.format_day(day, "EEE d MMM")

    def local_time(self, moment: datetime | None) -> str:
        """Format an aware moment as a 24-hour Paris local time ("21:05"); "" for None."""
        if moment is None:
            return ""
        return format_time(moment.astimezone(GAMES_ZONE), "HH:mm", locale=self.locale)

    def local_day(self, moment: datetime) -> date:
        """Return the Paris local day of an aware moment."""
        return moment.astimezone(GAMES_ZONE).date()

    def number(self, value: int) -> str:
        """Format a whole number with the locale's grouping."""
        return format_decimal(value, locale=self.locale)


def _translations(code: Lang) -> NullTranslations:
    if code == LANGS[0]:
        return NullTranslations()
    po = resources.files("podium.web") / "locales" / code / "LC_MESSAGES" / "messages.po"
    with po.open("rb") as source:
        catalog = read_po(source, locale=_LOCALES[code])
    compiled = BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return Translations(compiled)


@cache
def language(code: Lang) -> Language:
    """Return a language of the pages, its translations loaded once.

    Args:
        code: `en` or `fr`.

    Raises:
        KeyError: for a code outside `LANGS`.

    """
    return Language(
        code=code,
        locale=Locale.parse(_LOCALES[code]),
        name=_NAMES[code],
        translations=_translations(code),
    )


def other_lang(code: Lang) -> Lang:
    """Return the language a page offers as its alternative."""
    return LANGS[1] if code == LANGS[0] else LANGS[0]
