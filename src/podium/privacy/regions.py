"""Operator regions: the home country of an operator → EU/EEA, adequacy or third country.

The region is the attribute the policy decision point reads to keep protected data in the
EU (DESIGN.md, "Two planes"). GDPR Chapter V (Art. 44-50) governs transfers of personal
data out of the EEA; a transfer to a country with an adequacy decision (Art. 45) needs no
further safeguard, a transfer elsewhere needs one of Art. 46 (standard contractual
clauses...) plus, since Schrems II (CJEU C-311/18, 2020), an assessment of the
destination's law. Podium goes further than Art. 45, as Paris 2024 did: the policy treats
an adequacy country like any third country for protected (EU-sovereign) categories, and
`podium.privacy.policy` refuses a policy file that does otherwise. The distinction is kept
because it is still the legal one, and other code (transfer records, reports) needs it.

Sources of the lists:

- EU member states: Treaty on European Union, Art. 49 and 52 (27 states since 2020-02-01).
  The outermost regions that have their own ISO 3166-1 code (Guadeloupe, French Guiana,
  Martinique, Mayotte, Réunion, Saint-Martin) are part of the Union (TFEU Art. 349 and
  355(1)), and so is Åland (Protocol 2 to the 1994 Act of Accession excludes it from tax
  rules only); all seven map to the EU. Overseas countries and territories (TFEU Annex II:
  French Polynesia, Greenland, Aruba, ...) are not part of the Union: third countries.
- EEA: Iceland, Liechtenstein, Norway (the GDPR applies there through the EEA Agreement,
  EEA Joint Committee Decision 154/2018).
- Adequacy: the European Commission's list, "Adequacy decisions"
  (https://commission.europa.eu/law/law-topic/data-protection/international-dimension-data-protection/adequacy-decisions_en),
  as known on 2026-11-29 (`ADEQUACY_AS_OF`). It was compiled from reports of the decisions,
  not read live from that page; check the page before relying on it for a transfer.
  Unsure or partial entries:

  - Brazil: Commission Implementing Decision (EU) 2026/179 of 26 January 2026, published
    in the Official Journal on 2026-01-28 (reported by several sources). Included.
  - United Kingdom: the 2021 decisions were renewed on 2025-12-19 until 2031-12-27.
  - Canada: covers only commercial organisations subject to PIPEDA.
  - United States: the EU-US Data Privacy Framework decision (2023-07-10) covers only
    organisations certified under the framework, not the country; the General Court upheld
    it in Latombe (T-553/23, 2025-09-03), an appeal may be pending. Mapped to ADEQUACY
    because the region is a property of a country; whether a given US employer is
    certified is not something a country code can say.
  - Israel and the other pre-GDPR decisions were confirmed by the Commission's review of
    2024-01-15.

  Decisions about territories that are not countries (none as of this date) or about
  international organisations (such as the European Patent Organisation) are out of scope:
  an operator's home is a country.
"""

from __future__ import annotations

import enum
from datetime import date
from typing import Final

import pycountry

from podium.core.errors import InvalidInputError

__all__ = [
    "ADEQUACY_AS_OF",
    "ADEQUACY_COUNTRIES",
    "EU_EEA_COUNTRIES",
    "Region",
    "UnknownCountryError",
    "region_of",
]


class Region(enum.StrEnum):
    """Where an operator works, as GDPR Chapter V sees it (Art. 44-46)."""

    EU_EEA = "eu-eea"  # the GDPR applies: no transfer at all
    ADEQUACY = "adequacy"  # a Commission adequacy decision, Art. 45
    THIRD_COUNTRY = "third-country"  # safeguards of Art. 46 needed (and Schrems II checks)


class UnknownCountryError(InvalidInputError):
    """A value that is not an ISO 3166-1 alpha-2 country code."""

    code = "country_unknown"


_EU_MEMBER_STATES: Final = frozenset(
    {
        "AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU",
        "IE", "IT", "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK",
    }
)  # fmt: skip
# Parts of member states with their own ISO code (TFEU Art. 349, 355(1); Åland: Protocol 2).
_EU_REGIONS_WITH_OWN_CODE: Final = frozenset({"AX", "GF", "GP", "MF", "MQ", "RE", "YT"})
_EEA_EFTA_STATES: Final = frozenset({"IS", "LI", "NO"})

EU_EEA_COUNTRIES: Final = _EU_MEMBER_STATES | _EU_REGIONS_WITH_OWN_CODE | _EEA_EFTA_STATES
"""ISO 3166-1 alpha-2 codes mapped to `Region.EU_EEA`."""

ADEQUACY_AS_OF: Final = date(2026, 11, 29)
"""The date the adequacy list was last compiled (see the module docstring for its source)."""

ADEQUACY_COUNTRIES: Final = frozenset(
    {
        "AD",  # Andorra
        "AR",  # Argentina
        "BR",  # Brazil, Implementing Decision (EU) 2026/179
        "CA",  # Canada: commercial organisations (PIPEDA) only
        "CH",  # Switzerland
        "FO",  # Faroe Islands
        "GB",  # United Kingdom, renewed until 2031-12-27
        "GG",  # Guernsey
        "IL",  # Israel
        "IM",  # Isle of Man
        "JE",  # Jersey
        "JP",  # Japan
        "KR",  # Republic of Korea
        "NZ",  # New Zealand
        "US",  # United States: organisations certified under the Data Privacy Framework only
        "UY",  # Uruguay
    }
)
"""ISO 3166-1 alpha-2 codes mapped to `Region.ADEQUACY` as of `ADEQUACY_AS_OF`."""


def region_of(country: str) -> Region:
    """Return the region of an operator's home country.

    Lowercase codes are accepted (`"de"` is Germany): ISO 3166-1 codes are case-insensitive
    in practice and a form field should not fail on case. Nothing else is normalised:
    surrounding spaces, alpha-3 codes (`"DEU"`), names and the reserved `"UK"` and `"EU"`
    are refused, so a typo never silently lands in a region.

    Args:
        country: an ISO 3166-1 alpha-2 code, such as `"FR"` or `"jp"`.

    Returns:
        `Region.EU_EEA` for the EU member states (with their outermost regions that have a
        code of their own, and Åland) and Iceland, Liechtenstein, Norway;
        `Region.ADEQUACY` for the countries of `ADEQUACY_COUNTRIES` (GDPR Art. 45);
        `Region.THIRD_COUNTRY` for every other country (Art. 46 and Schrems II apply).

    Raises:
        UnknownCountryError: `country` is not an assigned ISO 3166-1 alpha-2 code
            (code `country_unknown`).

    """
    code = country.upper() if isinstance(country, str) else ""
    if len(code) != 2 or not code.isascii() or pycountry.countries.get(alpha_2=code) is None:
        hint = " (the United Kingdom is GB)" if code == "UK" else ""
        raise UnknownCountryError(
            f"country {country!r} is not an ISO 3166-1 alpha-2 code{hint}",
        )
    if code in EU_EEA_COUNTRIES:
        return Region.EU_EEA
    if code in ADEQUACY_COUNTRIES:
        return Region.ADEQUACY
    return Region.THIRD_COUNTRY
