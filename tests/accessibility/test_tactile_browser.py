"""The tactile pages in the real Chromium: the stream drives the reference tablet page.

The whole application runs under uvicorn over the imported Paris 2024 node; Debian's
headless Chromium opens the tablet page of the men's football final and, in another
page, the operator input page (signed in as a member of staff with a tracking role).
Frames posted to the API, or sent from the input page by keyboard alone, move the ball
and announce a goal in the live region; axe-core finds nothing on either page, in
English and in French; reduced motion leaves the ball without transition.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import httpx
import pytest
from fastapi import FastAPI
from playwright.sync_api import Browser, BrowserContext, Page, expect

from podium.accessibility.tactile import TactileHub
from podium.api import create_app
from podium.core.db import Planes
from podium.core.settings import Settings
from podium.privacy.spine import Spine
from tests.accessibility.tactile_support import FOOTBALL_FINAL, Tracker, tracker
from tests.web.browsing import axe_violations, chromium, live_server, readable, tab_to

pytestmark = pytest.mark.browser

TABLET = f"/en/units/{FOOTBALL_FINAL}/tactile"
VIBRATION_PROBE = """
window.podiumVibrations = [];
navigator.vibrate = function (pattern) { window.podiumVibrations.push(pattern); return true; };
"""
"""Records the patterns the page asks the device to vibrate (headless Chromium has no motor)."""


@pytest.fixture(scope="module")
def app(node_settings: Settings, planes: Planes, spine: Spine) -> FastAPI:
    return create_app(node_settings, planes, spine)


@pytest.fixture(scope="module")
def server(app: FastAPI) -> Iterator[str]:
    with live_server(app) as url:
        yield url


@pytest.fixture(scope="module")
def operator(planes: Planes, spine: Spine) -> Tracker:
    return tracker(planes, spine)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with chromium() as launched:
        yield launched


@pytest.fixture(autouse=True)
def fresh_hub(app: FastAPI) -> None:
    app.state.tactile_hub = TactileHub()


@pytest.fixture
def context(browser: Browser, server: str, operator: Tracker) -> Iterator[BrowserContext]:
    """A browser context asking for reduced motion, signed in as the tracking operator."""
    opened = browser.new_context(reduced_motion="reduce", base_url=server)
    opened.add_cookies([{"name": "podium_session", "value": operator.cookie, "url": server}])
    opened.add_init_script(VIBRATION_PROBE)
    yield opened
    opened.close()


def post(server: str, operator: Tracker, frames: list[dict[str, object]]) -> None:
    answer = httpx.post(
        f"{server}/api/tactile/{FOOTBALL_FINAL}/frames",
        json=frames,
        headers={"Authorization": f"Bearer {operator.results_token}"},
        timeout=10,
    )
    assert answer.status_code == 200, answer.text


def connected_tablet(context: BrowserContext, lang: str = "en") -> Page:
    page = context.new_page()
    page.goto(f"/{lang}/units/{FOOTBALL_FINAL}/tactile")
    expect(page.locator("#tactile")).to_have_attribute("data-tactile-connected", "true")
    return page


def no_axe_violations(page: Page) -> None:
    violations = axe_violations(page)
    assert violations == [], readable(violations)


@pytest.mark.parametrize(
    ("lang", "said"),
    [
        ("en", ("Goal. FRA. Score: FRA 1, ESP 0", "Connected: following the ball")),
        ("fr", ("But. FRA. Score : FRA 1, ESP 0", "Connecté : suivi du ballon")),
    ],
)
def test_posted_frames_move_the_ball_and_a_goal_is_announced(
    context: BrowserContext, server: str, operator: Tracker, lang: str, said: tuple[str, str]
) -> None:
    announced, connected = said
    tablet = connected_tablet(context, lang)
    expect(tablet.locator("#tactile-connection")).to_have_text(connected)
    ball = tablet.locator("#tactile-ball")
    post(server, operator, [{"x": 0.25, "y": 0.75, "side": "FRA"}])
    expect(ball).to_have_attribute("data-x", "0.25")
    expect(ball).to_have_attribute("cx", "262.5")
    expect(ball).to_have_attribute("cy", "510")
    announce = tablet.locator("#tactile-announce")
    assert announce.inner_text() == ""  # a position alone is never announced
    goal = {"x": 0.99, "y": 0.5, "side": "FRA", "event": "goal", "score": {"FRA": 1, "ESP": 0}}
    post(server, operator, [goal])
    expect(announce).to_have_text(announced)
    expect(ball).to_have_attribute("data-x", "0.99")
    assert (announce.get_attribute("role"), announce.get_attribute("aria-live")) == (
        "status",
        "polite",
    )
    assert tablet.evaluate("window.podiumVibrations") == [[400, 100, 400, 100, 400]]
    assert tablet.evaluate("getComputedStyle(document.getElementById('tactile-ball'))"
                           ".transitionDuration") == "0s"  # fmt: skip
    no_axe_violations(tablet)


def test_the_input_page_by_keyboard_alone_drives_the_tablet(context: BrowserContext) -> None:
    tablet = connected_tablet(context)
    staff = context.new_page()
    staff.goto(f"/staff/en/tactile/{FOOTBALL_FINAL}")
    left = staff.locator("#tactile-left").input_value()
    right = staff.locator("#tactile-right").input_value()
    assert {left, right} == {"FRA", "ESP"}
    tab_to(staff, "e.id === 'tactile-surface'", 25)
    assert staff.evaluate("getComputedStyle(document.activeElement).outlineStyle") != "none"
    for _ in range(5):
        staff.keyboard.press("Shift+ArrowRight")
    staff.keyboard.press("ArrowDown")
    status = staff.locator("#tactile-sent")
    expect(status).to_have_text("Ball at 0.75 across, 0.51 down")
    ball = tablet.locator("#tactile-ball")
    expect(ball).to_have_attribute("data-x", "0.75")
    expect(ball).to_have_attribute("data-y", "0.51")
    staff.keyboard.press("1")
    staff.keyboard.press("g")
    expect(status).to_have_text(f"Sent: Goal, {left}, {left} 1, {right} 0")
    expect(tablet.locator("#tactile-announce")).to_have_text(
        f"Goal. {left}. Score: {left} 1, {right} 0"
    )
    expect(tablet.locator("#tactile-possession")).to_have_text(f"Ball: {left}")
    expect(staff.locator("#tactile-score-left")).to_have_value("1")


def test_the_ball_follows_a_pointer_on_the_input_page(context: BrowserContext) -> None:
    tablet = connected_tablet(context)
    staff = context.new_page()
    staff.goto(f"/staff/en/tactile/{FOOTBALL_FINAL}")
    # Tall enough to show the whole field: a point below the fold is not clicked where meant.
    staff.set_viewport_size({"width": 1280, "height": 1600})
    surface = staff.locator("#tactile-surface")
    ground = surface.locator(".tactile-ground")
    box, outer = ground.bounding_box(), surface.bounding_box()
    assert box is not None
    assert outer is not None
    # The drawn area has a 20-unit margin around the field (1050 x 680 in 1090 x 720). The
    # point is given inside the surface, whose click scrolls it into view and waits until it
    # stops moving: page coordinates taken once went stale while the page settled.
    x = box["x"] - outer["x"] + box["width"] * (20 + 0.2 * 1050) / 1090
    y = box["y"] - outer["y"] + box["height"] * (20 + 0.4 * 680) / 720
    surface.click(position={"x": x, "y": y})
    # Within a pixel or two of where the pointer went down (about 0.002 of the field).
    ball = tablet.locator("#tactile-ball")
    expect(ball).to_have_attribute("data-x", re.compile(r"^0\.(19[89]|2|20[12])$"))
    expect(ball).to_have_attribute("data-y", re.compile(r"^0\.(39[89]|4|40[12])$"))


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_both_pages_have_no_axe_violation(context: BrowserContext, lang: str) -> None:
    tablet = connected_tablet(context, lang)
    no_axe_violations(tablet)
    staff = context.new_page()
    staff.goto(f"/staff/{lang}/tactile/{FOOTBALL_FINAL}")
    assert staff.evaluate("document.documentElement.lang") == lang
    no_axe_violations(staff)


def test_motion_is_smooth_only_when_not_reduced(browser: Browser, server: str) -> None:
    moving = browser.new_context(reduced_motion="no-preference", base_url=server)
    page = moving.new_page()
    page.goto(TABLET)
    duration = page.evaluate(
        "getComputedStyle(document.getElementById('tactile-ball')).transitionDuration"
    )
    moving.close()
    assert duration != "0s"
