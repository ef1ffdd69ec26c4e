"""What a screen reader hears: data names in English on French pages, events named with their
discipline, a day's schedule by discipline headings, and countries by name, not bare codes."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

import pytest
from fastapi.testclient import TestClient
from lxml import html as lxml_html
from lxml.html import HtmlElement

from podium.core.db import Planes
from podium.games import queries
from podium.games.schemas import UnitPublic
from podium.web.names import data_lang_attribute, data_name, in_discipline, noc_names
from podium.web.schedule_pages import group_units

FINAL_100M = "ATHM100M--------------FNL-000100--"
DAY = "2024-08-04"
NAMED_PAGES = [
    f"/schedule?day={DAY}",
    "/schedule?day=all&venue=DEF",
    f"/units/{FINAL_100M}",
    "/units/BKBMTEAM5-------------GPA-000100--",
    "/events/BKBMTEAM5",
    "/events/SWMM100MBA",
    "/nocs",
    "/nocs/JAM",
    "/medals?games=OG2024",
    "/medallists?games=OG2024&noc=USA",
]


def _main(page: str) -> HtmlElement:
    main: HtmlElement = lxml_html.fromstring(page).get_element_by_id("main")
    return main


def _lang_of(element: HtmlElement) -> str | None:
    found = element.xpath("ancestor-or-self::*[@lang][1]/@lang")
    return str(found[0]) if found else None


@pytest.fixture(scope="module")
def data_names(planes: Planes) -> set[str]:
    """Every discipline, event, unit, venue and NOC name of the data set."""
    with planes.games_session() as session:
        names = {d.name for d in queries.disciplines(session)}
        names |= {v.name for v in queries.venues(session)}
        # A few delegations have no name but their code ("ROC"): a code is not a name.
        names |= {name for code, name in noc_names(session).items() if name != code}
        events = queries.events_of_discipline(session)
        names |= {e.name for e in events}
        discipline = {d.code: d.name for d in queries.disciplines(session)}
        names |= {in_discipline(discipline[e.discipline_code], e.name) for e in events}
        names |= {u.name for u in queries.schedule(session, queries.ScheduleFilter())}
    return names


def test_a_data_name_is_marked_english_on_french_pages_only() -> None:
    assert data_name("fr", "Men's Singles") == '<span lang="en">Men&#39;s Singles</span>'
    assert data_name("en", "Men's Singles") == "Men&#39;s Singles"
    assert data_name("fr", "<b>") == '<span lang="en">&lt;b&gt;</span>'
    assert data_lang_attribute("fr") == ' lang="en"'
    assert data_lang_attribute("en") == ""


@pytest.mark.parametrize("path", NAMED_PAGES)
def test_every_data_name_on_a_french_page_is_read_in_english(
    client: TestClient, data_names: set[str], path: str
) -> None:
    main = _main(client.get(f"/fr{path}").text)
    read_in_french = []
    seen = 0
    for element in main.iter():
        # A tail is in its parent's language, the text in the element's.
        for text, holder in ((element.text, element), (element.tail, element.getparent())):
            if text and text.strip() in data_names:
                seen += 1
                if _lang_of(holder) != "en":
                    read_in_french.append(text.strip())
    assert seen
    assert read_in_french == []
    options = main.xpath("//select[@name='discipline' or @name='venue' or @name='noc']/option")
    assert all(o.get("lang") == "en" for o in options if o.get("value"))
    assert all(o.get("lang") is None for o in options if not o.get("value"))


@pytest.mark.parametrize("path", NAMED_PAGES)
def test_english_pages_carry_no_language_of_parts(client: TestClient, path: str) -> None:
    assert _main(client.get(f"/en{path}").text).xpath(".//*[@lang]") == []


def test_a_team_named_after_its_noc_is_read_in_english_a_person_is_not(
    client: TestClient,
) -> None:
    main = _main(client.get("/fr/events/BKBMTEAM5").text)
    team = main.xpath(".//tbody/tr[1]/th")[0]
    assert team.text_content() == "United States"
    assert team.xpath("./span/@lang") == ["en"]
    final = _main(client.get(f"/fr/units/{FINAL_100M}").text)
    assert final.xpath(".//tbody/tr[1]/th")[0].xpath(".//@lang") == []


def test_an_event_is_named_with_its_discipline_out_of_its_discipline(
    client: TestClient,
) -> None:
    assert in_discipline("Basketball", "Men") == "Basketball — Men"
    page = client.get("/en/events/BKBMTEAM5").text
    assert "<title>Basketball — Men · Podium</title>" in page
    assert "<h1>Basketball — Men</h1>" in page
    assert '<caption id="cap-units">Units of Basketball — Men</caption>' in page
    french = client.get("/fr/events/BKBMTEAM5").text
    assert '<h1><span lang="en">Basketball — Men</span></h1>' in french
    assert "<title>Basketball — Men · Podium</title>" in french
    unit = client.get("/en/units/BKBMTEAM5-------------GPA-000100--").text
    assert 'href="/en/events/BKBMTEAM5">Basketball — Men</a>' in unit
    assert "<h1>Basketball — Men&#39;s Group Phase - Group A</h1>" in unit


def test_events_of_the_same_name_get_headings_that_tell_them_apart(
    client: TestClient, planes: Planes
) -> None:
    with planes.games_session() as session:
        singles = [e for e in queries.events_of_discipline(session) if e.name == "Men's Singles"]
    headings = {
        _main(client.get(f"/en/events/{e.code}").text).xpath("string(.//h1)") for e in singles
    }
    assert len(singles) == len(headings) == 3


def _unit(code: str, day: date, hour: int, discipline: str) -> UnitPublic:
    return UnitPublic(
        rsc=code,
        discipline_code=discipline,
        event_rsc=None,
        phase_rsc=None,
        name=code,
        day=day,
        starts_at=datetime(day.year, day.month, day.day, hour, tzinfo=UTC),
        ends_at=None,
        status="SCHEDULED",
        medal=0,
        venue_code=None,
        location_code=None,
        session_code=None,
    )


def test_units_are_grouped_by_day_then_discipline_by_name_in_start_order() -> None:
    first, second = date(2024, 8, 4), date(2024, 8, 5)
    units = [
        _unit("SWM1", first, 9, "SWM"),
        _unit("ATH1", first, 10, "ATH"),
        _unit("SWM2", first, 11, "SWM"),
        _unit("ZZZ1", first, 12, "ZZZ"),
        _unit("ATH2", second, 9, "ATH"),
    ]
    groups = group_units(units, {"SWM": "Swimming", "ATH": "Athletics"})
    shape = [(g.day, [(d.name, [u.rsc for u in d.units]) for d in g.disciplines]) for g in groups]
    assert shape == [
        (first, [("Athletics", ["ATH1"]), ("Swimming", ["SWM1", "SWM2"]), ("ZZZ", ["ZZZ1"])]),
        (second, [("Athletics", ["ATH2"])]),
    ]


def test_a_day_lists_its_disciplines_under_headings_with_an_index_after_the_form(
    client: TestClient, planes: Planes
) -> None:
    page = client.get(f"/en/schedule?day={DAY}").text
    main = _main(page)
    headings = main.xpath("./h2[not(@id='contents-title')]")
    index = main.xpath(".//nav[@aria-labelledby='contents-title']//a")
    assert [a.get("href") for a in index] == [f"#{h.get('id')}" for h in headings]
    assert [a.text_content() for a in index] == [h.text_content() for h in headings]
    assert "Athletics" in [h.text_content() for h in headings]
    assert page.index("</form>") < page.index('id="contents-title"') < page.index("day-nav")
    with planes.games_session() as session:
        day_units = queries.schedule(session, queries.ScheduleFilter(day=date.fromisoformat(DAY)))
    tables = main.xpath(".//table")
    assert len(tables) == len(headings)
    assert sum(len(t.xpath("./tbody/tr/th[@scope='row']")) for t in tables) == len(day_units)
    for heading, table in zip(headings, tables, strict=True):
        caption = table.xpath("./caption")[0].text_content()
        assert caption == f"Units of {heading.text_content()} on Sunday, 4 August 2024"
        assert table.xpath("./thead//th/@scope") == ["col"] * 6


def test_all_days_of_a_venue_are_headed_by_day_then_discipline(client: TestClient) -> None:
    main = _main(client.get("/en/schedule?day=all&venue=DEF").text)
    assert len(main.xpath("./h2[starts-with(@id, 'day-')]")) > 1
    assert main.xpath("./h3") != []
    assert main.xpath(".//nav[@aria-labelledby='contents-title']") == []


def test_every_table_scrolls_in_a_focusable_region_labelled_by_its_caption(
    client: TestClient,
) -> None:
    for path in [*NAMED_PAGES, "/schedule?day=all", "/nocs/FRA", "/medallists"]:
        main = _main(client.get(f"/en{path}").text)
        tables = main.xpath(".//table")
        assert tables, path
        for table in tables:
            region = table.getparent()
            assert region.get("role") == "region", path
            assert region.get("tabindex") == "0", path
            assert table.xpath("./caption/@id") == [region.get("aria-labelledby")], path


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_country_links_are_named_by_country_starting_with_their_code(
    client: TestClient, lang: str
) -> None:
    for path in (f"/units/{FINAL_100M}", "/events/BKBMTEAM5", "/medallists", "/nocs/JAM"):
        main = _main(client.get(f"/{lang}{path}").text)
        links = [a for a in main.xpath(".//a[contains(@href, '/nocs/')]") if a.text]
        assert links, path
        for link in links:
            code = link.get("href").rsplit("/", 1)[1]
            name = " ".join(link.text_content().split())
            if link.text == code:
                assert re.fullmatch(rf"{code} \(\S.*\)", name), (path, name)
    final = _main(client.get(f"/{lang}/units/{FINAL_100M}").text)
    second = final.xpath(".//tbody/tr[2]//a")[0]
    assert second.text_content() == "JAM (Jamaica)"
    assert second.xpath("./span/@class") == ["visually-hidden"]
