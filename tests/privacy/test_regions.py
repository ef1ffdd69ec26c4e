"""Operator regions: ISO country code → EU/EEA, adequacy (GDPR Art. 45) or third country."""

from __future__ import annotations

import pycountry
import pytest

from podium.core.errors import InvalidInputError
from podium.privacy.regions import (
    ADEQUACY_COUNTRIES,
    EU_EEA_COUNTRIES,
    Region,
    UnknownCountryError,
    region_of,
)


@pytest.mark.parametrize("country", ["DE", "FR", "IE", "PL"])
def test_eu_member_states_are_eu_eea(country: str) -> None:
    assert region_of(country) is Region.EU_EEA


@pytest.mark.parametrize("country", ["NO", "IS", "LI"])
def test_eea_efta_states_are_eu_eea(country: str) -> None:
    assert region_of(country) is Region.EU_EEA


@pytest.mark.parametrize("country", ["RE", "GF", "AX"])
def test_outermost_regions_with_their_own_code_are_eu_eea(country: str) -> None:
    assert region_of(country) is Region.EU_EEA


@pytest.mark.parametrize("country", ["CH", "GB", "JP", "KR", "NZ", "IL", "CA"])
def test_countries_with_an_adequacy_decision_are_adequacy(country: str) -> None:
    assert region_of(country) is Region.ADEQUACY


def test_united_states_is_adequacy_although_only_dpf_certified_organisations_are_covered() -> None:
    # The Data Privacy Framework decision covers certified organisations, not the country;
    # the policy treats adequacy like a third country for protected data anyway.
    assert region_of("US") is Region.ADEQUACY


def test_brazil_is_adequacy_since_the_2026_decision() -> None:
    # Commission Implementing Decision (EU) 2026/179 of 26 January 2026.
    assert region_of("BR") is Region.ADEQUACY


@pytest.mark.parametrize("country", ["CN", "IN", "RU", "AU", "PF", "GL"])
def test_other_countries_and_overseas_territories_are_third_countries(country: str) -> None:
    assert region_of(country) is Region.THIRD_COUNTRY


def test_lowercase_codes_are_accepted() -> None:
    assert region_of("de") is Region.EU_EEA
    assert region_of("jp") is Region.ADEQUACY
    assert region_of("Cn") is Region.THIRD_COUNTRY


@pytest.mark.parametrize("value", ["ZZ", "UK", "EU", "DEU", "Germany", " DE", "", "D", "É1"])
def test_a_value_that_is_not_an_alpha_2_code_is_refused_with_its_value(value: str) -> None:
    with pytest.raises(UnknownCountryError) as caught:
        region_of(value)
    assert caught.value.code == "country_unknown"
    assert isinstance(caught.value, InvalidInputError)
    assert repr(value) in str(caught.value)


def test_uk_is_refused_with_a_hint_to_gb() -> None:
    with pytest.raises(UnknownCountryError, match="United Kingdom is GB"):
        region_of("UK")


def test_every_listed_code_is_an_assigned_iso_code_and_the_lists_do_not_overlap() -> None:
    for code in EU_EEA_COUNTRIES | ADEQUACY_COUNTRIES:
        assert pycountry.countries.get(alpha_2=code) is not None, code
    assert not EU_EEA_COUNTRIES & ADEQUACY_COUNTRIES
    assert len(EU_EEA_COUNTRIES) == 27 + 7 + 3


def test_every_iso_country_has_a_region() -> None:
    for country in pycountry.countries:
        assert region_of(country.alpha_2) in set(Region)
