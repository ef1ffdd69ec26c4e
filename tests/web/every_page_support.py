"""What the every-page audit shares: the app's HTML pages, a sample of each, a node, the checks.

`PAGES` names, for every GET route of the application that renders an HTML page, a sample
address with real parameters of the imported Paris 2024 node and who opens it; `EXCLUDED`
and `EXCLUDED_PREFIXES` name every other GET route with the reason it is not a page. A
route in neither is an unsampled page: `unsampled` finds it, and the tests fail.

`every_page_node` builds what the signed-in pages need on a private copy of the imported
node, with the builders of the other page tests: the entries and their operators
(`tests.entries.node`), a sold ticket, a gate device and gate staff
(`tests.web.test_scanner_support`), the accreditation world
(`tests.web.test_accreditation_pages_support`), the ball tracker
(`tests.accessibility.tactile_support`) and the privacy test operators (`tests.operators`).
"""

from __future__ import annotations

import json
import re
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from datetime import timedelta
from importlib import resources
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from fastapi.routing import iter_route_contexts
from playwright.sync_api import Page
from sqlalchemy import select
from tests.accessibility.tactile_support import FOOTBALL_FINAL, tracker
from tests.entries.node import EntriesNode, entries_node
from tests.operators import create_test_operators
from tests.ticketing.conftest import SESSION, Clock
from tests.web.browsing import AXE_TAGS
from tests.web.test_accreditation_pages_support import build_world
from tests.web.test_scanner_support import GATE_STAFF, build_scanner_world

from podium.core.db import Planes
from podium.core.errors import NotFoundError
from podium.games import Unit
from podium.people import Participant
from podium.privacy.operators import find_operator
from podium.privacy.sessions import open_web_session
from podium.privacy.spine import Spine
from podium.subjects import register_request
from podium.ticketing import FAN_COOKIE, Order, commitment_of, open_draw
from podium.ticketing.accounts import open_fan_session

__all__ = [
    "EXCLUDED",
    "EXCLUDED_PREFIXES",
    "PAGES",
    "EveryPageNode",
    "Sample",
    "Target",
    "Values",
    "axe_results",
    "check_page",
    "every_page_node",
    "get_routes",
    "html_page_routes",
    "langs_of",
    "route_pattern_to_regex",
    "stale_samples",
    "targets",
    "unsampled",
]

LANG = "{lang:podium_lang}"
ATHLETE = "LYLES Noah"
FINAL = "ATHM100M--------------FNL-000100--"
"""The men's 100 m final: a unit with results, medals and live descriptions."""


@dataclass(frozen=True)
class Sample:
    """A sample address of a page (`{lang}` and `Values` fields filled in), and its opener.

    `who` is `anonymous`, `fan`, or the staff role whose session opens the page.
    """

    path: str
    who: str = "anonymous"


PAGES: dict[str, Sample] = {
    f"/{LANG}/": Sample("/{lang}/"),
    f"/{LANG}/schedule": Sample("/{lang}/schedule?day=2024-08-04"),
    f"/{LANG}/units/{{rsc}}": Sample("/{lang}/units/{unit}"),
    f"/{LANG}/events/{{code}}": Sample("/{lang}/events/{event}"),
    f"/{LANG}/medals": Sample("/{lang}/medals"),
    f"/{LANG}/medallists": Sample("/{lang}/medallists?games=OG2024&noc={noc}"),
    f"/{LANG}/nocs": Sample("/{lang}/nocs"),
    f"/{LANG}/nocs/{{code}}": Sample("/{lang}/nocs/{noc}"),
    f"/{LANG}/accessibility": Sample("/{lang}/accessibility"),
    f"/{LANG}/units/{{rsc}}/described": Sample("/{lang}/units/{unit}/described"),
    f"/{LANG}/venues/{{code}}/described": Sample("/{lang}/venues/{venue}/described"),
    f"/{LANG}/units/{{rsc}}/tactile": Sample("/{lang}/units/{tactile_unit}/tactile"),
    f"/{LANG}/tickets": Sample("/{lang}/tickets"),
    f"/{LANG}/tickets/sessions/{{code}}": Sample("/{lang}/tickets/sessions/{session}"),
    f"/{LANG}/tickets/signup": Sample("/{lang}/tickets/signup"),
    f"/{LANG}/tickets/signin": Sample("/{lang}/tickets/signin"),
    f"/{LANG}/tickets/resale": Sample("/{lang}/tickets/resale", "fan"),
    f"/{LANG}/tickets/account": Sample("/{lang}/tickets/account", "fan"),
    f"/{LANG}/tickets/draw": Sample("/{lang}/tickets/draw", "fan"),
    f"/{LANG}/tickets/draws/{{code}}": Sample("/{lang}/tickets/draws/{draw}", "fan"),
    f"/{LANG}/tickets/cart": Sample("/{lang}/tickets/cart", "fan"),
    f"/{LANG}/tickets/orders/{{code}}": Sample("/{lang}/tickets/orders/{order}", "fan"),
    f"/{LANG}/tickets/wallet": Sample("/{lang}/tickets/wallet", "fan"),
    f"/{LANG}/tickets/wallet/{{code}}": Sample("/{lang}/tickets/wallet/{ticket}", "fan"),
    "/staff/login": Sample("/staff/login"),
    "/staff/": Sample("/staff/", "dpo"),
    "/staff/people": Sample("/staff/people", "dpo"),
    "/staff/people/{code}": Sample("/staff/people/{athlete}", "dpo"),
    "/staff/operators": Sample("/staff/operators", "dpo"),
    "/staff/requests": Sample("/staff/requests", "dpo"),
    "/staff/audit": Sample("/staff/audit", "dpo"),
    "/staff/accreditation": Sample("/staff/accreditation", "accreditation-officer"),
    "/staff/fr/accreditation": Sample("/staff/fr/accreditation", "accreditation-officer"),
    "/staff/accreditation/{code}": Sample(
        "/staff/accreditation/{accreditation}", "accreditation-officer"
    ),
    "/staff/fr/accreditation/{code}": Sample(
        "/staff/fr/accreditation/{accreditation}", "accreditation-officer"
    ),
    "/staff/portal": Sample("/staff/portal", "organisation-registrar"),
    "/staff/fr/portal": Sample("/staff/fr/portal", "organisation-registrar"),
    "/staff/entries": Sample("/staff/entries?event={entries_event}", "noc-entries"),
    "/staff/fr/entries": Sample("/staff/fr/entries?event={entries_event}", "noc-entries"),
    "/staff/entries/start-list": Sample(
        "/staff/entries/start-list?event={entries_event}", "noc-entries"
    ),
    "/staff/fr/entries/start-list": Sample(
        "/staff/fr/entries/start-list?event={entries_event}", "noc-entries"
    ),
    "/staff/scanner": Sample("/staff/scanner", "gate-staff"),
    "/staff/fr/scanner": Sample("/staff/fr/scanner", "gate-staff"),
    f"/staff/{LANG}/tactile/{{rsc}}": Sample("/staff/{lang}/tactile/{tactile_unit}", "tracker"),
}
"""Every HTML page of the application (route path → sample address and who opens it)."""

EXCLUDED_PREFIXES: dict[str, str] = {
    "/api/": "JSON API (its shapes are tested in tests/api and each domain's API tests)",
    "/feed/": "live feeds: server-sent events, WebSocket frames, the archive's ODF bytes",
    "/odf/": "ODF messages (XML) and their JSON index, for media partners' programs",
}
"""Route prefixes that hold no page, and why."""

EXCLUDED: dict[str, str] = {
    "/": "redirect to /en/ (307), no page of its own",
    f"/{LANG}/{{rest:path}}": "the 404 page for unknown addresses, an error state already "
    "checked by axe-core in tests/web/test_browser.py",
    f"/{LANG}/tickets/wallet/{{code}}/code": "an HTML fragment (no document) that "
    "ticketing.js swaps into the ticket page, which is audited",
    "/staff/accreditation/{code}/card.pdf": "PDF card for printing (a limit in the statement)",
    "/staff/fr/accreditation/{code}/card.pdf": "PDF card for printing (French labels)",
    "/staff/accreditation-cards.pdf": "PDF of several cards for printing",
    "/staff/fr/accreditation-cards.pdf": "PDF of several cards for printing (French labels)",
    "/assets/{name}": "style sheets, scripts and the icon",
    "/robots.txt": "plain text for crawlers",
    "/favicon.ico": "204 answer to browsers' blind icon request",
    "/openapi.json": "the JSON API's OpenAPI document",
    "/docs": "FastAPI's Swagger UI, third-party scripts from a CDN (exempt in the statement)",
    "/docs/oauth2-redirect": "Swagger UI's OAuth2 redirect helper",
    "/redoc": "FastAPI's ReDoc, third-party scripts from a CDN (exempt in the statement)",
}
"""GET routes outside those prefixes that are not HTML pages, and why."""


def get_routes(app: FastAPI) -> list[str]:
    """Return the path of every GET route of the application, in declaration order."""
    return [
        route.path
        for route in iter_route_contexts(app.routes)
        if route.path is not None and "GET" in (route.methods or ())
    ]


def html_page_routes(app: FastAPI) -> list[str]:
    """Return the GET routes that render HTML pages: every GET route not excluded."""
    return [
        path
        for path in get_routes(app)
        if path not in EXCLUDED and not path.startswith(tuple(EXCLUDED_PREFIXES))
    ]


def unsampled(app: FastAPI) -> list[str]:
    """Return the HTML page routes that have no sample in `PAGES`."""
    return [path for path in html_page_routes(app) if path not in PAGES]


def stale_samples(app: FastAPI) -> list[str]:
    """Return the samples and exclusions that name no route of the application any more."""
    routes = set(get_routes(app))
    return sorted(path for path in {*PAGES, *EXCLUDED} if path not in routes)


def langs_of(pattern: str) -> tuple[str, ...]:
    """Return the languages of a page route: both under `{lang}`, else the prefix's one."""
    if LANG in pattern:
        return ("en", "fr")
    return ("fr",) if pattern.startswith("/staff/fr/") else ("en",)


@dataclass(frozen=True)
class Values:
    """Real path parameters of the node: codes of the imported data and of what was made."""

    unit: str
    event: str
    noc: str
    venue: str
    athlete: str
    tactile_unit: str
    session: str
    entries_event: str
    accreditation: int
    ticket: str
    order: str
    draw: int


@dataclass(frozen=True)
class Target:
    """One page to audit in one language: its route, sample address and opener."""

    pattern: str
    lang: str
    url: str
    who: str


def targets(values: Values) -> list[Target]:
    """Return every page of `PAGES` in each of its languages, addresses filled in."""
    fields = asdict(values)
    return [
        Target(pattern, lang, sample.path.format(lang=lang, **fields), sample.who)
        for pattern, sample in PAGES.items()
        for lang in langs_of(pattern)
    ]


# --- The node --------------------------------------------------------------------------------


@dataclass
class EveryPageNode:
    """The node: its app, values for the samples, and each opener's cookies."""

    app: FastAPI
    values: Values
    cookies: dict[str, dict[str, str]]


def _staff_cookie(planes: Planes, username: str, purpose: str | None) -> dict[str, str]:
    with planes.sovereign_session() as session:
        operator = find_operator(session, username)
        return {"podium_session": open_web_session(session, operator, purpose)}


def _own_purpose(planes: Planes, username: str) -> str:
    """The first purpose an operator may declare (gate staff have exactly one)."""
    with planes.sovereign_session() as session:
        return find_operator(session, username).purposes.split()[0]


def _privacy_operators(planes: Planes, spine: Spine) -> None:
    """The privacy test operators, unless the copied node has them already."""
    with planes.sovereign_session() as session:
        try:
            find_operator(session, "eu-dpo")
        except NotFoundError:
            pass
        else:
            return
    create_test_operators(planes, spine)


def _imported_values(planes: Planes) -> tuple[str, str]:
    """The 100 m final's venue and the code of a medallist (from the imported data)."""
    with planes.games_session() as games:
        venue = games.scalar(select(Unit.venue_code).where(Unit.rsc == FINAL))
        athlete = games.scalar(select(Participant.code).where(Participant.printed_name == ATHLETE))
    assert venue is not None
    assert athlete is not None
    return venue, athlete


@contextmanager
def every_page_node(source: Path, target: Path) -> Iterator[EveryPageNode]:
    """Copy the imported node at `source` to `target` and make what every page needs."""
    with entries_node(source, target) as entries:
        world = build_scanner_world(target, Clock())
        try:
            yield _populate(entries, world)
        finally:
            world.shop.spine.close()
            world.shop.planes.dispose()


def _populate(entries: EntriesNode, world: Any) -> EveryPageNode:
    planes, spine, shop = entries.planes, entries.spine, world.shop
    entries.app.state.clock = shop.clock
    venue, athlete = _imported_values(planes)
    register_request(planes, spine, athlete, "access")
    _privacy_operators(planes, spine)
    accreditation = build_world(planes, spine).numbers["CZ-001"]
    fan = next(iter(world.box.holders().values()))
    shop.hold(fan, (shop.row(category="A").id, 1))  # an open cart beside the paid order
    with planes.games_session() as games:
        now = shop.clock()
        seed = secrets.token_hex(32)
        draw = open_draw(
            games, "Paris 2024 draw", (now, now + timedelta(days=1)), commitment_of(seed)
        )
        order = games.scalars(
            select(Order.id).where(Order.account_id == fan, Order.status == "paid")
        ).one()
        ticket = next(iter(world.box.holders()))
    with planes.sovereign_session() as sovereign:
        fan_token = open_fan_session(sovereign, fan, shop.clock())
    values = Values(
        unit=FINAL,
        event="ATHM100M",
        noc="FRA",
        venue=venue,
        athlete=athlete,
        tactile_unit=FOOTBALL_FINAL,
        session=SESSION,
        entries_event="JUDM60KG",
        accreditation=accreditation,
        ticket=ticket,
        order=order,
        draw=draw.id,
    )
    cookies = {
        "anonymous": {},
        "fan": {FAN_COOKIE: fan_token},
        "dpo": _staff_cookie(planes, "eu-dpo", "data-subject-rights"),
        "accreditation-officer": _staff_cookie(planes, "eu-desk", "accreditation"),
        "organisation-registrar": _staff_cookie(planes, "pdma-registrar", "accreditation"),
        "noc-entries": _staff_cookie(planes, "fra-entries", None),
        "gate-staff": _staff_cookie(planes, GATE_STAFF, _own_purpose(planes, GATE_STAFF)),
        "tracker": {"podium_session": tracker(planes, spine).cookie},
    }
    return EveryPageNode(entries.app, values, cookies)


# --- The checks ------------------------------------------------------------------------------

_AXE_SUMMARY = """
axe.run(document, %s).then(r => ({
  version: axe.version,
  passes: r.passes.map(x => x.id),
  incomplete: r.incomplete.map(x => x.id),
  violations: r.violations,
}))
"""


def axe_results(page: Page) -> dict[str, Any]:
    """Run axe-core (the tags of `browsing.AXE_TAGS`) on the page; return its summary.

    Returns:
        `version`, the ids of the rules in `passes` and `incomplete`, and the full
        `violations` (as `browsing.readable` takes them).
    """
    source = (resources.files("axe_playwright_python") / "axe.min.js").read_text(encoding="utf-8")
    page.add_script_tag(content=source)
    options = json.dumps({"runOnly": {"type": "tag", "values": AXE_TAGS}})
    summary: dict[str, Any] = page.evaluate(_AXE_SUMMARY % options)
    return summary


def _scrolls_sideways(page: Page) -> bool:
    return bool(page.evaluate("document.documentElement.scrollWidth > window.innerWidth"))


def _violation(raw: dict[str, Any]) -> dict[str, Any]:
    return {
        "rule": raw["id"],
        "impact": raw.get("impact"),
        "help": raw["help"],
        "nodes": len(raw["nodes"]),
        "targets": [" ".join(map(str, n["target"])) for n in raw["nodes"][:5]],
    }


@dataclass
class Checked:
    """What one page gave: the HTTP status, its language, the audit entry, the violations.

    `statement_link`: the page's footer links to the accessibility statement (RGAA 4.1
    asks for the statement to be reachable from every page).
    """

    status: int
    lang: str
    entry: dict[str, Any]
    violations: list[dict[str, Any]]
    axe_version: str
    statement_link: bool


def check_page(page: Page, base: str, target: Target) -> Checked:
    """Open a page; run axe-core, then check reflow at 320 CSS px and text at 200 %.

    Returns:
        The page's status, `lang`, and its entry of the audit (`PageAudit`'s fields): an
        axe rule is `violated` when a node failed, `incomplete` when axe-core left a node
        undecided and none failed, `passed` otherwise.
    """
    response = page.goto(base + target.url)
    status = response.status if response is not None else 0
    summary = axe_results(page)
    lang = str(page.evaluate("document.documentElement.lang"))
    statement_link = bool(
        page.evaluate("""!!document.querySelector('footer a[href$="/accessibility"]')""")
    )
    page.set_viewport_size({"width": 320, "height": 800})
    reflow = not _scrolls_sideways(page)
    page.set_viewport_size({"width": 640, "height": 900})
    page.evaluate("document.documentElement.style.fontSize = '200%'")
    text = not _scrolls_sideways(page)
    page.set_viewport_size({"width": 1280, "height": 800})
    violated = {v["id"] for v in summary["violations"]}
    incomplete = sorted(set(summary["incomplete"]) - violated)
    passed = sorted(set(summary["passes"]) - violated - set(incomplete))
    entry = {
        "pattern": target.pattern,
        "lang": target.lang,
        "url": target.url,
        "who": target.who,
        "counts": {"passed": len(passed), "violated": len(violated), "incomplete": len(incomplete)},
        "passed": passed,
        "incomplete": incomplete,
        "violations": [_violation(v) for v in summary["violations"]],
        "reflow_320": reflow,
        "text_200": text,
    }
    return Checked(status, lang, entry, summary["violations"], summary["version"], statement_link)


def route_pattern_to_regex(pattern: str) -> re.Pattern[str]:
    """Return a regular expression matching the addresses of a route pattern (for tests)."""
    parts = re.split(r"\{[^}]+\}", pattern)
    return re.compile("^" + "[^/]+".join(re.escape(p) for p in parts) + "$")
