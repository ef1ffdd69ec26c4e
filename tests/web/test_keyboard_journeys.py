"""Keyboard-only journeys through the schedule and a live unit page, in English and French.

Each journey runs in Debian's headless Chromium against the whole application (`create_app`)
serving a private copy of the imported Paris 2024 node. After the journey's first page,
nothing is clicked and no address is typed: Tab, Shift+Tab, the arrow keys, Enter and Space
do it all. Every element the keyboard lands on must show a focus indicator whose colour
contrasts at least 3:1 with what surrounds it (WCAG 2.2 2.4.7 Focus Visible, 1.4.11
Non-text Contrast); a live update must neither move focus nor go unannounced (3.2.1 On
Focus, 4.1.3 Status Messages); motion stops when the reader asks for reduced motion
(2.3.3 Animation from Interactions); and text enlarged to 200 % loses nothing, at 1280
and at 320 CSS pixels (1.4.4 Resize Text, 1.4.10 Reflow).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect
from tests.diffusion.conftest import copy_sqlite_node
from tests.diffusion.live import real_lines, reset_unit, start_list
from tests.diffusion.streaming import Node, serve
from tests.web.browsing import tab_to

from podium.core.db import Planes
from podium.core.settings import Settings
from podium.diffusion.capture import UnitUpdate
from podium.paris2024 import ImportReport

pytestmark = [pytest.mark.browser, pytest.mark.accessibility_audit]

HEAT = "SWMM100MBA------------HEAT000100--"
"""Men's 100 m backstroke, heat 1: 28 July 2024 at the Paris La Défense Arena (DEF)."""
FOOTBALL_FINAL = "FBLMTEAM11------------FNL-000100--"
"""The men's football final, France v Spain: a unit with a tactile tablet page."""
LANGS = ("en", "fr")
SKIP_LINK = {"en": "Skip to main content", "fr": "Aller au contenu principal"}
LIVE_SUMMARY = {"en": "Results updated: Live, {at}", "fr": "Résultats mis à jour : En cours, {at}"}
AUDIO_BUTTON = {
    "en": "Speak new descriptions",
    "fr": "Lire les nouvelles descriptions à voix haute",
}
BACK_TO_RESULTS = {"en": "Results of this unit", "fr": "Résultats de cette épreuve"}
MIN_FOCUS_CONTRAST = 3.0
"""WCAG 2.2 1.4.11 Non-text Contrast: a focus indicator against its adjacent colours."""

TABBABLE = """() => {
  const selector = 'a[href], button, input, select, textarea, summary, iframe, [tabindex],'
    + ' audio[controls], video[controls], [contenteditable]';
  window.podiumTabbables = [...document.querySelectorAll(selector)].filter(e =>
    e.tabIndex >= 0 && !e.disabled && !e.closest('[inert], [hidden]')
    && e.getClientRects().length > 0 && getComputedStyle(e).visibility !== 'hidden');
  return window.podiumTabbables.length;
}"""
"""Lists the page's keyboard stops in document order (no positive tabindex is used)."""

FOCUS_STYLE = """e => {
  const clear = c => c === 'transparent' || /^rgba\\(.*, 0\\)$/.test(c);
  const behind = start => {
    for (let p = start; p; p = p.parentElement) {
      const colour = getComputedStyle(p).backgroundColor;
      if (!clear(colour)) return colour;
    }
    return 'rgb(255, 255, 255)';
  };
  const style = getComputedStyle(e);
  const box = e.getBoundingClientRect();
  return {
    name: e.tagName.toLowerCase() + (e.id ? '#' + e.id : '')
      + (e.getAttribute('href') ? '[href=' + e.getAttribute('href') + ']' : '')
      + ' "' + (e.textContent || '').trim().slice(0, 40) + '"',
    outlineStyle: style.outlineStyle,
    outlineWidth: parseFloat(style.outlineWidth),
    outlineColor: style.outlineColor,
    boxShadow: style.boxShadow,
    around: behind(e.parentElement),
    inView: box.bottom > 0 && box.right > 0 && box.top < innerHeight && box.left < innerWidth,
  };
}"""
"""The focused element's indicator: outline, box shadow, and the colour around it."""

MOTION = """() => {
  const seconds = value => Math.max(...value.split(',').map(
    v => parseFloat(v) * (v.trim().endsWith('ms') ? 0.001 : 1)));
  const moving = [];
  for (const e of [document.documentElement, ...document.querySelectorAll('*')]) {
    const style = getComputedStyle(e);
    const transition = seconds(style.transitionDuration);
    const animation = style.animationName === 'none' ? 0 : seconds(style.animationDuration);
    if (transition > 0.01 || animation > 0.01) {
      moving.push(`${e.tagName.toLowerCase()}#${e.id} transition ${style.transitionDuration}`
        + ` animation ${style.animationName} ${style.animationDuration}`);
    }
  }
  return {
    moving,
    scroll: getComputedStyle(document.documentElement).scrollBehavior,
    running: document.getAnimations().length,
  };
}"""
"""What may move on the page: elements with a transition or animation, smooth scrolling."""

CLIPPED = """() => [...document.querySelectorAll('body *')].filter(e => {
  if (e.closest('.visually-hidden')) return false;  // clipped on purpose, read aloud
  const style = getComputedStyle(e);
  const hides = v => v === 'hidden' || v === 'clip';
  return (hides(style.overflowX) && e.scrollWidth > e.clientWidth + 1)
    || (hides(style.overflowY) && e.scrollHeight > e.clientHeight + 1)
    || (style.textOverflow === 'ellipsis' && e.scrollWidth > e.clientWidth + 1);
}).map(e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + '.' + e.className
  + ' "' + e.textContent.trim().slice(0, 40) + '"')"""
"""Elements that cut off their own text: overflow hidden (or an ellipsis) and more inside."""

PAGE_SCROLLS_SIDEWAYS = "document.documentElement.scrollWidth > window.innerWidth"


@pytest.fixture(scope="module")
def node(
    imported: tuple[Planes, ImportReport, Path], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Node]:
    """A private copy of the imported node, served whole; its football final is live.

    The final is put back before its start list and its start list is sent, so that the
    unit page opens on a unit in progress whose next update the tests capture.
    """
    data_dir = tmp_path_factory.mktemp("keyboard-node")
    copy_sqlite_node(imported[2], data_dir)
    with serve(Settings(data_dir=data_dir, secure_cookies=False)) as served:
        teams = real_lines(served.planes, FOOTBALL_FINAL)
        reset_unit(served.planes, FOOTBALL_FINAL)
        served.capture(
            FOOTBALL_FINAL, UnitUpdate(result_status="START_LIST", results=start_list(teams))
        )
        served.settle()
        yield served


def france_scores(node: Node) -> None:
    """Capture a French goal in the final (live, running) and wait until the feed sent it."""
    teams = real_lines(node.planes, FOOTBALL_FINAL)
    goals = {line.noc: int(line.result or 0) for line in teams}
    goals["FRA"] += 1
    lines = [line.model_copy(update={"result": str(goals[line.noc])}) for line in teams]
    node.capture(
        FOOTBALL_FINAL, UnitUpdate(result_status="LIVE", schedule_status="RUNNING", results=lines)
    )
    node.settle()


def listen_to_status(page: Page, selector: str) -> None:
    """Record every text the status region `selector` takes, in `window.podiumSaid`."""
    page.evaluate(
        """selector => {
          window.podiumSaid = [];
          const region = document.querySelector(selector);
          new MutationObserver(() => window.podiumSaid.push(region.textContent.trim()))
            .observe(region, {childList: true, characterData: true, subtree: true});
        }""",
        selector,
    )


def said(page: Page, text: str) -> None:
    """Wait until the status region that `listen_to_status` records has said `text`."""
    page.wait_for_function("text => window.podiumSaid.includes(text)", arg=text)


def _luminance(colour: tuple[float, float, float]) -> float:
    def linear(channel: float) -> float:
        c = channel / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(c) for c in colour)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(one: tuple[float, float, float], other: tuple[float, float, float]) -> float:
    """The WCAG 2.2 contrast ratio of two sRGB colours (0-255 channels)."""
    lighter, darker = sorted((_luminance(one), _luminance(other)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def colours(css: str) -> list[tuple[float, float, float]]:
    """The opaque colours named in a computed CSS value (`rgb(...)`, `rgba(...)`)."""
    found = []
    for match in re.finditer(r"rgba?\(([^)]*)\)", css):
        parts = [float(p) for p in match.group(1).replace("/", ",").split(",")]
        if len(parts) == 3 or parts[3] > 0:
            found.append((parts[0], parts[1], parts[2]))
    return found


def assert_focus_visible(page: Page) -> str:
    """Assert the focused element shows an indicator that contrasts 3:1 around it; name it."""
    style: dict[str, Any] = page.evaluate(f"({FOCUS_STYLE})(document.activeElement)")
    indicator = []
    if style["outlineStyle"] != "none" and style["outlineWidth"] >= 2:
        indicator += colours(style["outlineColor"])
    if style["boxShadow"] != "none":
        indicator += colours(style["boxShadow"])
    assert indicator, f"{style['name']}: no outline and no box shadow when focused"
    around = colours(style["around"])[0]
    best = max(contrast(c, around) for c in indicator)
    assert best >= MIN_FOCUS_CONTRAST, f"{style['name']}: focus contrast {best:.2f} on {around}"
    assert style["inView"], f"{style['name']}: focused out of the viewport"
    name: str = style["name"]
    return name


def focused(page: Page, check: str) -> bool:
    """Whether `check`, a JavaScript expression of the focused element `e`, is true."""
    return bool(page.evaluate(f"(e => {check})(document.activeElement)"))


def choose(page: Page, value: str) -> None:
    """Move the focused (closed) select to the option `value` with the arrow keys."""
    values: list[str] = page.evaluate("[...document.activeElement.options].map(o => o.value)")
    assert value in values, f"no option {value!r} in {values[:10]}..."
    steps = values.index(value) - page.evaluate("document.activeElement.selectedIndex")
    for _ in range(abs(steps)):
        page.keyboard.press("ArrowDown" if steps > 0 else "ArrowUp")
    assert page.evaluate("document.activeElement.value") == value


def walk_with_tab(page: Page) -> list[str]:
    """Tab from the top through every stop of the page and back to the first; name them.

    Every stop must show its focus; the order must be the document's, each stop once, the
    last one in the footer, and after it focus must leave the page at most once and come
    back to the first stop: there is no keyboard trap.
    """
    stops = page.evaluate(TABBABLE)
    names = []
    order: list[int] = []
    for _ in range(stops + 3):
        page.keyboard.press("Tab")
        index = page.evaluate("window.podiumTabbables.indexOf(document.activeElement)")
        if index >= 0:
            names.append(assert_focus_visible(page))
        else:
            outside = page.evaluate(
                "[document.body, document.documentElement, null].includes(document.activeElement)"
            )
            assert outside, f"focus on {page.evaluate('document.activeElement.outerHTML')[:200]}"
        order.append(index)
        if index == 0 and len(order) > 1:
            break
    landed = [i for i in order if i >= 0]
    assert landed == [*range(stops), 0], f"Tab order {order} for {stops} stops"
    assert order.count(-1) <= 1
    assert page.evaluate("window.podiumTabbables.at(-1).closest('footer') !== null"), names[-2]
    return names


@pytest.mark.parametrize("lang", LANGS)
def test_schedule_journey_from_home_to_a_unit_by_keyboard_alone(
    node: Node, page: Page, lang: str
) -> None:
    """Schedule: skip link, main navigation, filters, a unit's page, by keyboard alone."""
    page.goto(f"{node.url}/{lang}/")
    assert page.evaluate("document.activeElement === document.body")
    skip = page.locator(".skip-link")
    hidden_box = skip.bounding_box()
    assert hidden_box is not None
    assert hidden_box["y"] + hidden_box["height"] <= 0, "the skip link shows before focus"

    page.keyboard.press("Tab")
    assert focused(page, "e.classList.contains('skip-link')")
    assert page.evaluate("document.activeElement.textContent") == SKIP_LINK[lang]
    assert_focus_visible(page)
    shown_box = skip.bounding_box()
    assert shown_box is not None
    assert shown_box["y"] >= 0, "the focused skip link stays off screen"
    page.keyboard.press("Enter")
    page.wait_for_function("document.activeElement.id === 'main'")

    # Back up into the main navigation, then on to the schedule.
    tab_to(
        page,
        f"e.closest('header nav') && e.getAttribute('href') === '/{lang}/schedule'",
        limit=10,
        key="Shift+Tab",
    )
    assert_focus_visible(page)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url == f"{node.url}/{lang}/schedule"

    tab_to(page, "e.id === 'f-day'")
    assert_focus_visible(page)
    choose(page, "2024-07-28")
    page.keyboard.press("Tab")
    assert focused(page, "e.id === 'f-discipline'")
    assert_focus_visible(page)
    choose(page, "SWM")
    page.keyboard.press("Tab")
    assert focused(page, "e.id === 'f-venue'")
    assert_focus_visible(page)
    choose(page, "DEF")
    page.keyboard.press("Tab")
    assert focused(page, "e.type === 'submit'")
    assert_focus_visible(page)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url == f"{node.url}/{lang}/schedule?day=2024-07-28&discipline=SWM&venue=DEF"

    tab_to(page, f"e.getAttribute('href') === '/{lang}/units/{HEAT}'")
    assert_focus_visible(page)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url == f"{node.url}/{lang}/units/{HEAT}"
    expect(page.get_by_role("heading", level=1)).to_contain_text("Men's 100m Backstroke")


@pytest.mark.parametrize("lang", LANGS)
def test_live_unit_page_by_keyboard_keeps_focus_and_announces_updates(
    node: Node, page: Page, lang: str
) -> None:
    """Live unit page: visible focus, no trap, focus kept and updates announced."""
    described = f"/{lang}/units/{FOOTBALL_FINAL}/described"
    tactile = f"/{lang}/units/{FOOTBALL_FINAL}/tactile"
    page.goto(f"{node.url}/{lang}/units/{FOOTBALL_FINAL}")
    stops = walk_with_tab(page)
    assert any(described in stop for stop in stops)
    assert any(tactile in stop for stop in stops)
    listen_to_status(page, "#live-status")

    # Focus on a link the update leaves alone: the very same element keeps it.
    tab_to(page, f"e.getAttribute('href') === '{described}'")
    page.evaluate("window.podiumKept = document.activeElement")
    france_scores(node)
    at = node.sent_at("DT_RESULT", FOOTBALL_FINAL, lang)
    said(page, LIVE_SUMMARY[lang].format(at=at))
    assert page.evaluate("document.activeElement === window.podiumKept")
    assert page.locator("[aria-live]").count() == 1
    assert page.evaluate("document.getAnimations().length") == 0  # motion is reduced

    # Focus inside the results table, which the update swaps: it stays on the same link.
    tab_to(page, f"e.getAttribute('href') === '/{lang}/nocs/FRA'")
    score = page.locator("main table.results").get_by_role("row").filter(has_text="FRA")
    before = score.inner_text()
    page.evaluate("window.podiumSaid = []")
    france_scores(node)
    said(page, LIVE_SUMMARY[lang].format(at=node.sent_at("DT_RESULT", FOOTBALL_FINAL, lang)))
    expect(score).not_to_have_text(before)
    assert focused(
        page,
        f"e.isConnected && e.getAttribute('href') === '/{lang}/nocs/FRA'"
        " && e.closest('main table.results') !== null",
    )
    assert_focus_visible(page)


@pytest.mark.parametrize("lang", LANGS)
def test_unit_pages_described_and_tactile_versions_work_by_keyboard(
    node: Node, page: Page, lang: str
) -> None:
    """A unit's live audio description and tactile tablet pages, by keyboard alone."""
    unit_page = f"{node.url}/{lang}/units/{FOOTBALL_FINAL}"
    described = f"/{lang}/units/{FOOTBALL_FINAL}/described"
    tactile = f"/{lang}/units/{FOOTBALL_FINAL}/tactile"
    page.goto(unit_page)
    tab_to(page, f"e.getAttribute('href') === '{described}'")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url == f"{node.url}{described}"

    # The audio toggle by Enter and Space; a new sentence is announced, focus stays put.
    walk_with_tab(page)
    tab_to(page, "e.id === 'describe-audio'")
    assert page.evaluate("document.activeElement.textContent") == AUDIO_BUTTON[lang]
    button = page.locator("#describe-audio")
    page.keyboard.press("Enter")
    expect(button).to_have_attribute("aria-pressed", "true")
    newest = page.locator("#descriptions li a").last.get_attribute("href")
    expect(page.locator("#describe-player")).to_have_attribute("src", newest or "")
    page.wait_for_function("document.getElementById('describe-player').duration > 0")
    page.keyboard.press("Space")
    expect(button).to_have_attribute("aria-pressed", "false")
    assert page.evaluate("document.getElementById('describe-player').paused")
    listen_to_status(page, "#describe-status")
    items = page.locator("#descriptions li")
    count = items.count()
    france_scores(node)
    expect(items).not_to_have_count(count)
    # A burst (the match starts, then the score) is announced once: its newest sentence.
    page.wait_for_function(
        "window.podiumSaid.length > 0 && window.podiumSaid.at(-1) === document"
        ".getElementById('descriptions').lastElementChild.firstChild.textContent.trim()"
    )
    assert focused(page, "e.id === 'describe-audio'")
    # France is ahead: the score says France first, whatever the order of the feed's lines.
    newest = page.locator("#descriptions li").last.inner_text()
    assert re.search(r"Score, .+: France \d+, (Spain|Espagne) 0\.", newest), newest

    # Back to the unit, and on to the tactile tablet page and back, with Enter.
    tab_to(page, f"e.getAttribute('href') === '/{lang}/units/{FOOTBALL_FINAL}'")
    assert page.evaluate("document.activeElement.textContent") == BACK_TO_RESULTS[lang]
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url == unit_page
    tab_to(page, f"e.getAttribute('href') === '{tactile}'")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url == f"{node.url}{tactile}"
    walk_with_tab(page)
    tab_to(page, f"e.getAttribute('href') === '/{lang}/units/{FOOTBALL_FINAL}'")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url == unit_page


JOURNEY_PAGES = {
    "schedule": "/schedule",
    "schedule-filtered": "/schedule?day=2024-07-28&discipline=SWM&venue=DEF",
    "unit": f"/units/{FOOTBALL_FINAL}",
    "described": f"/units/{FOOTBALL_FINAL}/described",
    "tactile": f"/units/{FOOTBALL_FINAL}/tactile",
}


@pytest.mark.parametrize("lang", LANGS)
def test_reduced_motion_stills_every_page_of_the_journeys(
    node: Node, page: Page, lang: str
) -> None:
    """Reduced motion: no transition, animation or smooth scrolling on the journeys' pages."""
    for name, path in JOURNEY_PAGES.items():
        page.goto(f"{node.url}/{lang}{path}")
        # Focusing a link would fade its background in, were motion allowed.
        tab_to(page, "e.matches('main a')")
        motion = page.evaluate(MOTION)
        assert motion == {"moving": [], "scroll": "auto", "running": 0}, name


def test_without_a_motion_preference_the_pages_may_move(node: Node, browser: Browser) -> None:
    """Without a motion preference, links fade, scrolling is smooth and the ball glides."""
    context = browser.new_context(reduced_motion="no-preference")
    page = context.new_page()
    for name, path in JOURNEY_PAGES.items():
        page.goto(f"{node.url}/en{path}")
        motion = page.evaluate(MOTION)
        assert motion["scroll"] == "smooth", name
        assert any(m.startswith("a#") for m in motion["moving"]), name
    assert any(m.startswith("circle#tactile-ball") for m in motion["moving"])
    context.close()


ZOOM_PAGES = {
    "schedule": "/schedule",
    "schedule-filtered": "/schedule?day=2024-07-28&discipline=SWM&venue=DEF",
    "schedule-day": "/schedule?day=2024-08-04",
    "unit": f"/units/{FOOTBALL_FINAL}",
    "unit-heat": f"/units/{HEAT}",
    "unit-medal": "/units/ATHM100M--------------FNL-000100--",
}


@pytest.mark.parametrize("how", ["setting", "root"])
@pytest.mark.parametrize("width", [1280, 320])
@pytest.mark.parametrize("lang", LANGS)
def test_text_at_200_percent_neither_scrolls_sideways_nor_clips(
    node: Node, page: Page, lang: str, width: int, how: str
) -> None:
    """Text at 200 %: no sideways scrolling, no clipped text, at 1280 and 320 CSS pixels.

    The text is doubled as a reader's browser setting would (Chromium's default font
    size, which em media queries follow) or by the root element's font size.
    """
    page.set_viewport_size({"width": width, "height": 900})
    if how == "setting":
        # Chromium's default font size, for as long as the session stays attached.
        setting = page.context.new_cdp_session(page)
        setting.send("Page.setFontSizes", {"fontSizes": {"standard": 32, "fixed": 26}})
    for name, path in ZOOM_PAGES.items():
        page.goto(f"{node.url}/{lang}{path}")
        if how == "root":
            page.evaluate("document.documentElement.style.fontSize = '200%'")
        assert page.evaluate("getComputedStyle(document.documentElement).fontSize") == "32px"
        assert not page.evaluate(PAGE_SCROLLS_SIDEWAYS), f"{name} scrolls sideways"
        assert page.evaluate(CLIPPED) == [], f"{name} clips text"
