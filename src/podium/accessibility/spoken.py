"""Numbers, times, scores, ordinals and names written to be read aloud, in English and French.

A description is heard, not read: "9.79" becomes "9.79 seconds" in English and
"9,79 secondes" in French (the French decimal comma, Babel's CLDR decimal symbol);
"1:43.21" becomes "1 minute 43.21 seconds"; a score "3-1" becomes "3 to 1" / "3 à 1";
an athlete is named as on television, given name first and the family name not in
capitals ("Noah Lyles", not "LYLES Noah"), so that a speech engine does not spell it.

Rule sources: CLDR number symbols (Babel); ODF `ResultType` values (TIME, POINTS,
DISTANCE, SCORE...); French ordinals per the Imprimerie nationale (*Lexique des règles
typographiques*: "premier/première", then "deuxième"...).
"""

from __future__ import annotations

import re
from typing import Literal, get_args

from babel.numbers import format_decimal, get_decimal_symbol

__all__ = [
    "SPEECH_LANGS",
    "SpeechLang",
    "ordinal",
    "spoken_decimal",
    "spoken_result",
    "tv_name",
]

SpeechLang = Literal["en", "fr"]
"""A language of the descriptions."""

SPEECH_LANGS: tuple[SpeechLang, ...] = get_args(SpeechLang)

_LOCALES: dict[SpeechLang, str] = {"en": "en_GB", "fr": "fr_FR"}
_UNITS: dict[SpeechLang, dict[str, tuple[str, str]]] = {
    "en": {
        "hour": ("hour", "hours"),
        "minute": ("minute", "minutes"),
        "second": ("second", "seconds"),
        "point": ("point", "points"),
        "metre": ("metre", "metres"),
    },
    "fr": {
        "hour": ("heure", "heures"),
        "minute": ("minute", "minutes"),
        "second": ("seconde", "secondes"),
        "point": ("point", "points"),
        "metre": ("mètre", "mètres"),
    },
}
_SCORE_JOIN: dict[SpeechLang, str] = {"en": "to", "fr": "à"}
_EN_ORDINALS = ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth")
_FR_ORDINALS = ("deuxième", "troisième", "quatrième", "cinquième", "sixième", "septième")
_TIME = re.compile(r"^(?:(?:(\d+):)?(\d+):)?(\d+(?:\.\d+)?)$")
_DECIMAL = re.compile(r"^[+-]?\d+(?:\.\d+)?$")
_SCORE = re.compile(r"^(\d+)\s*[-:]\s*(\d+)$")
_DISTANCE_TYPES = frozenset({"DISTANCE", "HEIGHT", "LENGTH"})
_POINT_TYPES = frozenset({"POINTS", "POINT", "SCORE_POINTS"})


def spoken_decimal(value: str, lang: SpeechLang) -> str:
    """Write a decimal as published with the language's decimal symbol, digits kept.

    "9.80" stays two decimals ("9,80" in French): a result's precision is part of it.

    Args:
        value: digits with an optional `.` fraction, as ODF publishes results.
        lang: `en` or `fr`.

    """
    whole, _, fraction = value.partition(".")
    grouped = format_decimal(int(whole), locale=_LOCALES[lang]) if whole.isdigit() else whole
    if not fraction:
        return grouped
    return f"{grouped}{get_decimal_symbol(_LOCALES[lang])}{fraction}"


def _amount(count: str, unit: str, lang: SpeechLang) -> str:
    singular, plural = _UNITS[lang][unit]
    number = count.lstrip("0") or "0"
    if "." in number:
        number = ("0" if number.startswith(".") else "") + number
    one = number in {"1", "0"} or (lang == "fr" and number.startswith(("0.", "1.")))
    return f"{spoken_decimal(number, lang)} {singular if one else plural}"


def _spoken_time(match: re.Match[str], lang: SpeechLang) -> str:
    hours, minutes, seconds = match.groups()
    parts = []
    if hours and int(hours):
        parts.append(_amount(hours, "hour", lang))
    if minutes and (int(minutes) or parts):
        parts.append(_amount(minutes, "minute", lang))
    parts.append(_amount(seconds, "second", lang))
    return " ".join(parts)


def spoken_result(value: str, result_type: str | None, lang: SpeechLang) -> str:
    """Write a published result as it is said: a time, a score, points or a distance.

    Args:
        value: the ODF `Result` ("9.79", "1:43.21", "2:06:26", "3-1", "8796", "8.34").
        result_type: the ODF `ResultType` (`TIME`, `POINTS`, `DISTANCE`, `SCORE`...) or None.
        lang: `en` or `fr`.

    Returns:
        "9.79 seconds" / "9,79 secondes", "1 minute 43.21 seconds", "3 to 1" / "3 à 1",
        "8,796 points", "8.34 metres"; a value of no known shape is returned as published.

    """
    value = value.strip()
    kind = (result_type or "").upper()
    score = _SCORE.match(value)
    if score and kind != "TIME":
        return f"{score.group(1)} {_SCORE_JOIN[lang]} {score.group(2)}"
    timed = _TIME.match(value)
    if timed and (kind == "TIME" or (kind == "" and ":" in value)):
        return _spoken_time(timed, lang)
    if _DECIMAL.match(value):
        if kind in _DISTANCE_TYPES:
            return _amount(value, "metre", lang)
        if kind in _POINT_TYPES:
            return _amount(value, "point", lang)
        return spoken_decimal(value, lang)
    return value


def ordinal(position: int, lang: SpeechLang, *, feminine: bool = False) -> str:
    """Say a rank as a word: "first", "second" / "premier" or "première", "deuxième".

    Args:
        position: the rank, 1 or more.
        lang: `en` or `fr`.
        feminine: French agrees "première" with a woman or a women's team.

    """
    if lang == "en":
        if position <= len(_EN_ORDINALS):
            return _EN_ORDINALS[position - 1]
        teen = 10 <= position % 100 <= 20
        suffix = "th" if teen else {1: "st", 2: "nd", 3: "rd"}.get(position % 10, "th")
        return f"{position}{suffix}"
    if position == 1:
        return "première" if feminine else "premier"
    if position - 2 < len(_FR_ORDINALS):
        return _FR_ORDINALS[position - 2]
    return f"{position}e"


def _speakable(word: str) -> str:
    """Turn a capitalised family-name word ("LYLES", "McLAUGHLIN-LEVRONE") into "Lyles"."""
    if sum(c.isupper() for c in word) < 2 or any(c.islower() for c in word[2:]):
        return word
    return re.sub(r"[^\W\d_]+", lambda m: m.group(0).capitalize(), word.lower())


def tv_name(family_name: str, given_name: str | None) -> str:
    """Name an athlete as television says it: "Noah Lyles" from `LYLES` and `Noah`.

    The family name printed in capitals is turned into ordinary capitalisation, so that a
    speech engine reads it as a name rather than spelling it letter by letter.

    Args:
        family_name: the ODF `FamilyName` ("LYLES", "dos SANTOS").
        given_name: the ODF `GivenName`, or None.

    """
    family = " ".join(_speakable(word) for word in family_name.split())
    return f"{given_name} {family}" if given_name else family
