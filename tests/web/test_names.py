"""Names on the pages: people printed `FAMILY Given` everywhere, NOCs by a name, not a code."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from podium.games.schemas import NocPublic
from podium.web.names import noc_label, printed_form


@pytest.mark.parametrize(
    ("given_first", "printed"),
    [
        ("Noah LYLES", "LYLES Noah"),
        ("Sydney McLAUGHLIN-LEVRONE", "McLAUGHLIN-LEVRONE Sydney"),
        ("Gabriel Geraldo dos SANTOS ARAUJO", "dos SANTOS ARAUJO Gabriel Geraldo"),
        ("Tanguy de La FOREST", "de La FOREST Tanguy"),
        ("Mona Mc SHARRY", "Mc SHARRY Mona"),
        ("Ricardo GOMES de MENDONCA", "GOMES de MENDONCA Ricardo"),
        ("HE Bing Jiao", "HE Bing Jiao"),
        ("B HATZ", "B HATZ"),
        ("France", "France"),
        ("BOTIN/TRITTEL", "BOTIN/TRITTEL"),
    ],
)
def test_given_first_names_are_turned_into_the_printed_form(given_first: str, printed: str) -> None:
    assert printed_form(given_first) == printed


def test_printed_form_of_a_printed_name_is_itself() -> None:
    for name in ("LYLES Noah", "dos SANTOS ARAUJO Gabriel", "Mc SHARRY Mona", "le Quoc Phong"):
        assert printed_form(name) == name


def _medallist_names(html: str) -> list[str]:
    return re.findall(r'<th scope="row">([^<]+)</th>', html)


def test_event_medallists_are_printed_as_the_results_print_them(client: TestClient) -> None:
    event = client.get("/en/events/ATHM100M").text
    final = client.get("/en/units/ATHM100M--------------FNL-000100--").text
    medallists = _medallist_names(event.split("<h2>", 2)[1])
    assert medallists == ["LYLES Noah", "THOMPSON Kishane", "KERLEY Fred"]
    assert all(name in _medallist_names(final) for name in medallists)
    assert "Noah LYLES" not in event


def test_medallists_pages_print_family_names_first(client: TestClient) -> None:
    og = client.get("/en/medallists?games=OG2024&noc=USA").text
    assert "LYLES Noah" in og
    assert "Noah LYLES" not in og
    # Paralympians are not in the participant list: their names are turned round.
    pg = client.get("/en/medallists?games=PG2024&noc=NED").text
    assert "BANGMA Tristan" in pg
    assert "MALLO-BRETON Auriane" in client.get("/en/nocs/FRA").text


def _noc(code: str, name: str, long_name: str) -> NocPublic:
    return NocPublic(code=code, name=name, long_name=long_name, kind="special")


def test_an_noc_named_by_its_code_is_shown_by_its_long_name() -> None:
    assert noc_label(_noc("EOR", "EOR", "Refugee Olympic Team")) == "Refugee Olympic Team"
    assert noc_label(_noc("FRA", "France", "France")) == "France"
    assert noc_label(_noc("AIN", "AIN", "AIN")) == "AIN"
    assert noc_label(_noc("XYZ", "XYZ", "")) == "XYZ"


def test_pages_never_show_a_code_as_its_own_name(client: TestClient) -> None:
    assert 'href="/en/nocs/EOR">Refugee Olympic Team</a>' in client.get("/en/nocs").text
    medallists = client.get("/en/medallists?games=OG2024").text
    assert "AIN (AIN)" not in medallists
    assert '<option value="AIN">Individual Neutral Athletes (AIN)</option>' in medallists
    assert '<option value="FRA">France (FRA)</option>' in medallists
    assert '<h1>Individual Neutral Athletes <span class="code">(AIN)</span></h1>' in (
        client.get("/en/nocs/AIN").text
    )
    assert "<title>Refugee Olympic Team · Podium</title>" in client.get("/en/nocs/EOR").text
