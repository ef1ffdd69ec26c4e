"""The pages over the real Paris 2024 data, through FastAPI's test client."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from podium.api import create_app
from podium.core.db import Planes
from podium.games import queries

HEAT = "SWMM100MBA------------HEAT000100--"


def _rows(html: str) -> list[str]:
    """Return the text of each body row of the page's first table, spaces collapsed."""
    body = html.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    rows = (
        re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", row)).strip() for row in body.split("</tr>")
    )
    return [row for row in rows if row]


def test_root_redirects_to_english_home(client: TestClient) -> None:
    response = client.get("/", follow_redirects=False)
    assert response.status_code in {302, 307}
    assert response.headers["location"] == "/en/"


def test_home_links_every_section(client: TestClient) -> None:
    html = client.get("/en/").text
    for href in ("/en/schedule", "/en/medals?games=OG2024", "/en/medals?games=PG2024", "/en/nocs"):
        assert f'href="{href}"' in html
    assert "Saturday, 27 July 2024" in html


def test_medal_table_lists_usa_first_with_its_real_medals(client: TestClient) -> None:
    response = client.get("/en/medals?games=OG2024")
    assert response.status_code == 200
    assert _rows(response.text)[0] == "1 United States USA 40 44 42 126"
    assert _rows(response.text)[1] == "2 China CHN 40 27 24 91"


def test_french_medal_table_speaks_french(client: TestClient) -> None:
    html = client.get("/fr/medals").text
    assert '<html lang="fr">' in html
    assert "Tableau des médailles" in html
    for medal in ("Or", "Argent", "Bronze"):
        assert f">{medal}</span>" in html
    assert 'href="/en/medals"' in html


def test_paralympic_medal_table_lists_china_first(client: TestClient) -> None:
    assert _rows(client.get("/en/medals?games=PG2024").text)[0] == "1 China CHN 94 76 50 220"


@pytest.mark.parametrize(
    ("lang", "olympic", "paralympic"), [("en", "NOC", "NPC"), ("fr", "CNO", "CPN")]
)
def test_medal_pages_name_the_committees_of_their_games(
    client: TestClient, lang: str, olympic: str, paralympic: str
) -> None:
    for path in ("/medals?games={}", "/medallists?games={}"):
        og = client.get(f"/{lang}{path.format('OG2024')}").text.split("<main", 1)[1]
        pg = client.get(f"/{lang}{path.format('PG2024')}").text.split("<main", 1)[1]
        assert f">{olympic}</" in og
        assert f">{paralympic}</" in pg
        assert f">{olympic}</" not in pg
    caption = client.get(f"/{lang}/medals?games=PG2024").text
    assert f" {paralympic}, " in caption
    noc = client.get(f"/{lang}/nocs/FRA").text
    olympic_part, paralympic_part = noc.split('id="h-PG2024"', 1)
    assert f'<th scope="col">{olympic}</th>' in olympic_part
    assert f'<th scope="col">{paralympic}</th>' in paralympic_part


def test_unknown_games_is_a_404_page(client: TestClient) -> None:
    response = client.get("/en/medals?games=OG1896")
    assert response.status_code == 404
    assert "<h1>Page not found</h1>" in response.text


def test_unit_page_shows_its_real_results(client: TestClient) -> None:
    response = client.get(f"/en/units/{HEAT}")
    assert response.status_code == 200
    assert "<h1>Swimming — Men&#39;s 100m Backstroke - Heat 1</h1>" in response.text
    assert _rows(response.text)[0].startswith("1 HARVEY Jack BER (Bermuda) 55.78")
    assert "KPADE Alexis Michel Roger Dodji" in response.text


def test_unit_times_are_paris_local_and_24_hour(client: TestClient) -> None:
    # 09:43 UTC on 28 July 2024 is 11:43 in Paris (CEST).
    html = client.get(f"/fr/units/{HEAT}").text
    assert "11:43" in html
    assert "dimanche 28 juillet 2024" in html
    assert "Résultats" in html


def test_unknown_unit_is_a_404_page_in_its_language(client: TestClient) -> None:
    response = client.get("/fr/units/SWMM100MBA------------HEAT009900--")
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("text/html")
    assert "<h1>Page introuvable</h1>" in response.text


def test_unknown_address_under_a_language_is_a_404_page(client: TestClient) -> None:
    response = client.get("/en/no/such/page")
    assert response.status_code == 404
    assert "Page not found" in response.text


def test_unknown_language_is_not_served(client: TestClient) -> None:
    assert client.get("/de/medals").status_code == 404


def test_schedule_defaults_to_the_first_competition_day(client: TestClient) -> None:
    html = client.get("/en/schedule").text
    assert "Schedule: Wednesday, 24 July 2024" in html
    assert 'aria-current="date"' in html


def test_schedule_filters_by_day_and_discipline(client: TestClient) -> None:
    html = client.get("/en/schedule?day=2024-07-28&discipline=SWM").text
    assert HEAT in html
    assert "Sunday, 28 July 2024" in html
    assert _rows(html)
    assert re.findall(r"<h2 id=\"[A-Z]+\">([^<]+)</h2>", html) == ["Swimming"]
    assert 'href="/en/schedule?day=2024-07-29&amp;discipline=SWM" rel="next"' in html


def test_schedule_filters_by_venue_over_all_days(client: TestClient) -> None:
    html = client.get("/en/schedule?day=all&discipline=&venue=DEF").text
    assert html.count('<caption id="cap-') > 1
    assert all("Paris La Defense Arena" in row for row in _rows(html))
    assert "Aquatics Centre</td>" not in html


def test_schedule_of_all_days_unfiltered_lists_days_with_counts_not_units(
    client: TestClient, planes: Planes
) -> None:
    response = client.get("/en/schedule?day=all")
    assert response.status_code == 200
    assert len(response.content) < 100_000
    html = response.text
    assert '<caption id="cap-days">Units on each competition day</caption>' in html
    assert "/en/units/" not in html
    rows = _rows(html)
    with planes.games_session() as session:
        days = queries.competition_days(session)
        units = queries.schedule(session, queries.ScheduleFilter())
    assert len(rows) == len(days)
    assert sum(int(row.split()[-2].replace(",", "")) for row in rows) == len(units)
    assert 'href="/en/schedule?day=2024-07-28">Sunday, 28 July 2024</a>' in html


def test_schedule_of_all_days_with_a_discipline_lists_every_unit(client: TestClient) -> None:
    html = client.get("/en/schedule?day=all&discipline=SWM").text
    assert HEAT in html
    assert html.count('<caption id="cap-') > 1
    assert "Units on each competition day" not in html


def test_schedule_with_no_matching_units_says_so(client: TestClient) -> None:
    html = client.get("/en/schedule?day=2024-07-24&discipline=SWM").text
    assert "No units match these filters." in html


@pytest.mark.parametrize("day", ["2024-06-01", "yesterday"])
def test_schedule_of_a_day_without_competition_is_a_404(client: TestClient, day: str) -> None:
    assert client.get(f"/en/schedule?day={day}").status_code == 404


def test_french_schedule_form_is_labelled_and_translated(client: TestClient) -> None:
    html = client.get("/fr/schedule?day=2024-07-27").text
    assert "Calendrier : samedi 27 juillet 2024" in html
    for control in ("day", "discipline", "venue"):
        assert f'<label for="f-{control}">' in html
        assert f'id="f-{control}"' in html
    assert ">Afficher</button>" in html
    assert 'href="/en/schedule?day=2024-07-27"' in html


def test_event_page_lists_units_and_medallists(client: TestClient) -> None:
    html = client.get("/en/events/SWMM100MBA").text
    assert "<h1>Swimming — Men&#39;s 100m Backstroke</h1>" in html
    assert HEAT in html
    assert "CECCON Thomas" in html
    assert ">Gold</span>" in html


def test_unknown_event_is_a_404_page(client: TestClient) -> None:
    assert client.get("/en/events/NOPE").status_code == 404


def test_noc_list_links_each_noc(client: TestClient) -> None:
    html = client.get("/en/nocs").text
    assert 'href="/en/nocs/FRA">France</a>' in html


def test_noc_page_shows_its_medals_at_both_games(client: TestClient) -> None:
    html = client.get("/fr/nocs/FRA").text
    assert "Jeux Olympiques de Paris 2024" in html
    assert "Jeux Paralympiques de Paris 2024" in html
    assert "MALLO-BRETON Auriane" in html
    assert html.count("<h1>") == 1


def test_unknown_noc_is_a_404_page(client: TestClient) -> None:
    assert client.get("/en/nocs/XXX").status_code == 404


def test_medallists_filter_by_noc(client: TestClient) -> None:
    html = client.get("/en/medallists?games=OG2024&noc=FRA").text
    rows = _rows(html)
    assert len(rows) == 64
    assert all(row.endswith("FRA (France)") for row in rows)


def test_paralympic_medallists_are_listed(client: TestClient) -> None:
    assert "BANGMA Tristan" in client.get("/en/medallists?games=PG2024&noc=NED").text


def test_style_sheet_is_served_and_honours_reduced_motion(client: TestClient) -> None:
    response = client.get("/assets/podium.css")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/css")
    assert "prefers-reduced-motion" in response.text
    assert client.get("/assets/secret.txt").status_code == 404


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/schedule",
        f"/units/{HEAT}",
        "/events/SWMM100MBA",
        "/nocs",
        "/nocs/USA",
        "/medals",
        "/medallists",
    ],
)
def test_every_page_has_one_h1_landmarks_and_the_other_language(
    client: TestClient, path: str
) -> None:
    for lang, other in (("en", "fr"), ("fr", "en")):
        html = client.get(f"/{lang}{path}").text
        assert html.count("<h1") == 1
        assert f'<html lang="{lang}">' in html
        assert f'href="/{other}{path}"' in html
        for landmark in ("<header", "<nav", '<main id="main"', "<footer"):
            assert landmark in html
        assert 'class="skip-link" href="#main"' in html


def test_the_application_factory_serves_the_pages_with_an_html_404(planes: Planes) -> None:
    with TestClient(create_app(planes=planes)) as app_client:
        assert "Tableau des médailles" in app_client.get("/fr/medals").text
        missing = app_client.get("/en/units/NOPE")
        assert missing.status_code == 404
        assert missing.headers["content-type"].startswith("text/html")
