"""Every page type in both languages in headless Chromium: axe-core finds no violation, the
page reflows at 320 CSS pixels, and the keyboard reaches a day's units by discipline.

Chromium is Debian's (`/usr/bin/chromium`); axe-core comes from the pinned
`axe-playwright-python` package, which bundles `axe.min.js`.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page
from tests.web.browsing import axe_violations, readable

pytestmark = pytest.mark.browser

HEAT = "SWMM100MBA------------HEAT000100--"

PAGES = {
    "home": "/",
    "schedule": "/schedule",
    "schedule-filtered": "/schedule?day=2024-07-28&discipline=SWM&venue=DEF",
    "schedule-all-days": "/schedule?day=all",
    "schedule-day": "/schedule?day=2024-08-04",
    "unit": f"/units/{HEAT}",
    "unit-medal": "/units/ATHM100M--------------FNL-000100--",
    "unit-after-data-set": "/units/ATHMMARATHON----------FNL-000100--",
    "event": "/events/SWMM100MBA",
    "event-team": "/events/BKBMTEAM5",
    "noc-list": "/nocs",
    "noc": "/nocs/FRA",
    "medals-og": "/medals?games=OG2024",
    "medals-pg": "/medals?games=PG2024",
    "medallists": "/medallists?games=OG2024&noc=FRA",
    "medallists-all": "/medallists",
    "not-found": "/units/NOPE",
}


@pytest.mark.parametrize("lang", ["en", "fr"])
@pytest.mark.parametrize("name", list(PAGES))
def test_page_has_no_axe_violations(page: Page, server: str, name: str, lang: str) -> None:
    response = page.goto(f"{server}/{lang}{PAGES[name]}")
    assert response is not None
    assert response.status == (404 if name == "not-found" else 200)
    violations = axe_violations(page)
    assert violations == [], f"{lang}{PAGES[name]}:\n{readable(violations)}"
    assert page.evaluate("document.documentElement.lang") == lang


def test_404_page_outside_the_languages_is_english_without_axe_violations(
    page: Page, server: str
) -> None:
    response = page.goto(f"{server}/de/medals")
    assert response is not None
    assert response.status == 404
    violations = axe_violations(page)
    assert violations == [], readable(violations)
    assert page.evaluate("document.documentElement.lang") == "en"
    assert page.get_by_role("heading", level=1).inner_text() == "Page not found"


def test_tab_from_the_top_reaches_the_skip_link_which_moves_focus_to_main(
    page: Page, server: str
) -> None:
    page.goto(f"{server}/en/schedule")
    page.keyboard.press("Tab")
    focused = page.evaluate(
        "[document.activeElement.className, document.activeElement.textContent]"
    )
    assert focused == ["skip-link", "Skip to main content"]
    assert page.locator(".skip-link").is_visible()
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('main') !== null")


def test_language_switch_leads_to_the_same_page_in_french(page: Page, server: str) -> None:
    page.goto(f"{server}/en/medals?games=PG2024")
    with page.expect_navigation():
        page.get_by_role("link", name="Français").click()
    assert page.url.endswith("/fr/medals?games=PG2024")
    assert page.get_by_role("heading", level=1).inner_text().startswith("Tableau des médailles")


def test_schedule_filter_form_submits_the_chosen_filters(page: Page, server: str) -> None:
    page.goto(f"{server}/en/schedule")
    page.get_by_label("Day", exact=True).select_option("2024-07-28")
    page.get_by_label("Discipline", exact=True).select_option("SWM")
    with page.expect_navigation():
        page.get_by_role("button", name="Show").click()
    page.wait_for_url("**/en/schedule?day=2024-07-28&discipline=SWM&venue=")
    assert page.get_by_role("link", name="Men's 100m Backstroke - Heat 1").is_visible()


# 320 CSS pixels is 1280 at 400 % zoom (WCAG 1.4.10 Reflow); 640 is 1280 at 200 %.
REFLOW_WIDTHS = (320, 640)
PAGE_SCROLLS_SIDEWAYS = "document.documentElement.scrollWidth > window.innerWidth"


@pytest.mark.parametrize("lang", ["en", "fr"])
@pytest.mark.parametrize("name", list(PAGES))
def test_page_never_scrolls_sideways_at_narrow_widths(
    page: Page, server: str, name: str, lang: str
) -> None:
    page.set_viewport_size({"width": REFLOW_WIDTHS[0], "height": 800})
    page.goto(f"{server}/{lang}{PAGES[name]}")
    for width in REFLOW_WIDTHS:
        page.set_viewport_size({"width": width, "height": 800})
        assert not page.evaluate(PAGE_SCROLLS_SIDEWAYS), f"{lang}{PAGES[name]} at {width} px"


def test_a_wide_table_scrolls_by_keyboard_inside_its_labelled_region(
    page: Page, server: str
) -> None:
    page.set_viewport_size({"width": 320, "height": 800})
    page.goto(f"{server}/fr/medallists")
    region = page.get_by_role("region", name="Médaillés, Jeux Olympiques de Paris 2024")
    assert region.evaluate("e => e.scrollWidth > e.clientWidth")
    region.focus()
    page.keyboard.press("ArrowRight")
    page.wait_for_function("document.activeElement.scrollLeft > 0")
    assert not page.evaluate(PAGE_SCROLLS_SIDEWAYS)


def _tab_until(page: Page, name: str, limit: int) -> int:
    for presses in range(1, limit + 1):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent") == name:
            return presses
    pytest.fail(f"{name!r} not reached in {limit} Tab presses")


def test_keyboard_reaches_a_final_through_the_days_discipline_index(
    page: Page, server: str
) -> None:
    # Before the index, the men's 100 m final was 212 Tab presses from the top of the page;
    # it is the last of the 41 athletics units that day.
    page.goto(f"{server}/en/schedule?day=2024-08-04")
    to_index = _tab_until(page, "Athletics", 20)
    page.keyboard.press("Enter")
    page.wait_for_url("**#ATH")
    to_final = _tab_until(page, "Men's 100m Final", 45)
    assert to_index + to_final < 65
    assert page.evaluate("document.activeElement.closest('table').caption.textContent") == (
        "Units of Athletics on Sunday, 4 August 2024"
    )
    headings = page.get_by_role("heading", level=2)
    assert headings.filter(has_text="Athletics").count() == 1
    assert headings.count() > 10


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_country_link_is_named_by_its_code_then_its_country(
    page: Page, server: str, lang: str
) -> None:
    page.goto(f"{server}/{lang}/units/ATHM100M--------------FNL-000100--")
    # Two Jamaicans ran the final: THOMPSON Kishane and SEVILLE Oblique.
    links = page.get_by_role("link", name="JAM (Jamaica)", exact=True)
    assert links.count() == page.locator(f"a[href='/{lang}/nocs/JAM']").count() == 2
    assert links.first.evaluate("a => a.firstChild.textContent") == "JAM"
    hidden = links.first.locator(".visually-hidden").bounding_box()
    assert hidden is not None
    assert hidden["width"] <= 1
    assert hidden["height"] <= 1
