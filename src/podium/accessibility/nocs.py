"""NOC names in full, in English and French, to be read aloud.

English comes from the games plane: the NOC's name, or its long name when the short one
is an abbreviation ("Virgin Islands, B", "DR Congo", "Bosnia & Herzegovina") or only the
code ("EOR"). French comes from CLDR territory names (Babel), the country found by its
English name or ISO code (pycountry); the names the Olympic Movement uses in French where
CLDR says otherwise ("Grande-Bretagne", "Taipei chinois", "Hong Kong, Chine") and the
delegations that are not countries are listed here.

Rule source: Olympic Charter, rule 23 (French and English are the official languages of
the IOC); the NOC names as published by the IOC in French.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

import pycountry
from babel import Locale

from podium.accessibility.spoken import SpeechLang

__all__ = ["NocNames", "spoken_noc_names"]

_ABBREVIATED = re.compile(r"[&.]|\b[A-Z]{2,}\b|, B$|^Centr |^StVincent")
_ENGLISH = {"AIN": "Individual Neutral Athletes"}
_FRENCH = {
    "AIN": "Athlètes individuels neutres",
    "COD": "République démocratique du Congo",
    "COG": "Congo",
    "EOR": "Équipe olympique des réfugiés",
    "GBR": "Grande-Bretagne",
    "HKG": "Hong Kong, Chine",
    "ISV": "Îles Vierges américaines",
    "IVB": "Îles Vierges britanniques",
    "KOS": "Kosovo",
    "PLE": "Palestine",
    "TPE": "Taipei chinois",
    "VIN": "Saint-Vincent-et-les-Grenadines",
    "KOR": "République de Corée",
    "PRK": "République populaire démocratique de Corée",
}
_FR = Locale.parse("fr_FR")


@dataclass(frozen=True)
class NocNames:
    """Spoken NOC names by code, per language; unknown codes are said as given.

    Args:
        names: `{"en": {"USA": "United States"}, "fr": {"USA": "États-Unis"}}`.

    """

    names: dict[SpeechLang, dict[str, str]] = field(default_factory=dict)

    def name(self, code: str, lang: SpeechLang) -> str:
        """Return the NOC's spoken name in `lang`; English, then the code, when unknown."""
        found = self.names.get(lang, {}).get(code)
        return found or self.names.get("en", {}).get(code) or code


def _english(code: str, name: str, long_name: str) -> str:
    if code in _ENGLISH:
        return _ENGLISH[code]
    if (name == code or _ABBREVIATED.search(name)) and long_name:
        return long_name
    return name


def _territory(code: str, name: str, long_name: str) -> str | None:
    for candidate in (name, long_name):
        try:
            return str(pycountry.countries.lookup(candidate).alpha_2)
        except LookupError:
            continue
    country = pycountry.countries.get(alpha_3=code)
    return None if country is None else str(country.alpha_2)


def _french(code: str, name: str, long_name: str) -> str | None:
    if code in _FRENCH:
        return _FRENCH[code]
    territory = _territory(code, name, long_name)
    if territory is None:
        return None
    found = _FR.territories.get(territory)
    return None if found is None else str(found)


def spoken_noc_names(nocs: Iterable[tuple[str, str, str]]) -> NocNames:
    """Build the spoken names of NOCs from the games plane's (code, name, long name) rows.

    Args:
        nocs: `(code, name, long_name)` per NOC, as the `noc` table holds them.

    Returns:
        English and French names; a French name falls back to English when neither CLDR
        nor the list above knows the delegation (historic ones: "Unified Team").

    """
    english: dict[str, str] = {}
    french: dict[str, str] = {}
    for code, name, long_name in nocs:
        english[code] = _english(code, name, long_name)
        french[code] = _french(code, name, long_name) or english[code]
    return NocNames({"en": english, "fr": french})
