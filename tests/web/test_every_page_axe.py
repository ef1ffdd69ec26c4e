"""Every HTML page of the application, in each of its languages, in headless Chromium.

The pages are enumerated from the application's routes (`create_app`): a GET route that
is neither sampled in `every_page_support.PAGES` nor excluded there with its reason
fails the test, so a new page cannot escape the audit. Each page is opened with real
data of a private copy of the imported Paris 2024 node (a medallist, the 100 m final, a
sold ticket, an accreditation, entries...) by who may open it, in one browser with one
context per opener, and must answer 200, declare its language, have no axe-core
violation, and not scroll sideways at 320 CSS pixels nor with text at 200 %.

With `PODIUM_ACCESSIBILITY_AUDIT` set, the results are written as the audit the
accessibility statement is generated from (`tests/accessibility_audit.py`); the last test
checks that the bundled audit still lists exactly the application's pages.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from playwright.sync_api import Browser, BrowserContext
from tests.accessibility_audit import JOURNEYS, AuditRecorder
from tests.web.browsing import AXE_TAGS, chromium, live_server, readable
from tests.web.every_page_support import (
    EXCLUDED,
    EXCLUDED_PREFIXES,
    PAGES,
    EveryPageNode,
    Target,
    Values,
    check_page,
    every_page_node,
    html_page_routes,
    langs_of,
    route_pattern_to_regex,
    stale_samples,
    targets,
    unsampled,
)

from podium.accessibility.statement import AUDIT_ENV, BUNDLED_AUDIT, load_audit
from podium.api import create_app
from podium.core.db import Planes
from podium.core.settings import Settings
from podium.paris2024 import ImportReport

REGENERATE = (
    f"{AUDIT_ENV}=src/podium/accessibility/data/audit.json "
    ".tools/bin/uv run --frozen pytest -m accessibility_audit"
)


@pytest.fixture(scope="module")
def routes_app(tmp_path_factory: pytest.TempPathFactory) -> FastAPI:
    """The application as `podium serve` builds it (its routes only; nothing is served)."""
    return create_app(Settings(data_dir=tmp_path_factory.mktemp("routes")))


def test_every_html_page_route_has_a_sample(routes_app: FastAPI) -> None:
    missing = unsampled(routes_app)
    assert missing == [], (
        f"GET routes with no sample in tests/web/every_page_support.py PAGES: {missing}. "
        "Add a sample address (and who opens it), or, if it is not an HTML page, an "
        "entry in EXCLUDED with the reason."
    )
    assert stale_samples(routes_app) == []


def test_the_exclusions_say_why() -> None:
    reasons = {**EXCLUDED, **EXCLUDED_PREFIXES}
    assert all(len(reason) > 10 for reason in reasons.values())
    assert not set(PAGES) & set(EXCLUDED)


def test_each_sample_address_is_an_address_of_its_route() -> None:
    values = Values("U", "E", "N", "V", "A", "T", "S", "EV", 1, "tkt", "ord", 2)
    for target in targets(values):
        path = target.url.split("?", 1)[0]
        assert route_pattern_to_regex(target.pattern).match(path), (target.pattern, path)


def test_each_keyboard_journey_of_the_audit_names_a_test() -> None:
    root = Path(__file__).parents[2]
    for module, names in JOURNEYS.items():
        source = (root / module).read_text(encoding="utf-8")
        missing = [name for name in names if f"def {name}(" not in source]
        assert missing == [], f"{module}: no test {missing} any more (tests/accessibility_audit.py)"


def test_the_bundled_audit_lists_exactly_the_pages_of_the_app(routes_app: FastAPI) -> None:
    audit = load_audit(BUNDLED_AUDIT)
    expected = {(p, lang) for p in html_page_routes(routes_app) for lang in langs_of(p)}
    listed = {(page.pattern, page.lang) for page in audit.pages}
    assert listed == expected, (
        f"the bundled audit {BUNDLED_AUDIT} is stale: pages missing "
        f"{sorted(expected - listed)}, pages gone {sorted(listed - expected)}. "
        f"Regenerate it with: {REGENERATE}"
    )


# --- The browser test ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def node(
    imported: tuple[Planes, ImportReport, Path], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[EveryPageNode]:
    with every_page_node(imported[2], tmp_path_factory.mktemp("every-page")) as made:
        yield made


def _contexts(browser: Browser, base: str, node: EveryPageNode) -> dict[str, BrowserContext]:
    contexts = {}
    for who, cookies in node.cookies.items():
        context = browser.new_context(reduced_motion="reduce")
        context.set_default_timeout(60_000)
        context.add_cookies([{"name": k, "value": v, "url": base} for k, v in cookies.items()])
        contexts[who] = context
    return contexts


def _problems(target: Target, status: int, lang: str, entry: dict[str, Any]) -> list[str]:
    where = f"{target.url} ({target.who})"
    found = []
    if status != 200:
        found.append(f"{where}: answered {status}, not 200")
    if lang != target.lang:
        found.append(f"{where}: <html lang={lang!r}>, not {target.lang!r}")
    if not entry["reflow_320"]:
        found.append(f"{where}: scrolls sideways at 320 CSS pixels")
    if not entry["text_200"]:
        found.append(f"{where}: scrolls sideways with text at 200 %")
    return found


@pytest.mark.browser
@pytest.mark.accessibility_audit(kind="pages")
def test_every_page_passes_axe_in_english_and_french(
    node: EveryPageNode, accessibility_audit: AuditRecorder
) -> None:
    problems: list[str] = []
    with live_server(node.app) as base, chromium() as browser:
        contexts = _contexts(browser, base, node)
        pages = {who: context.new_page() for who, context in contexts.items()}
        version = ""
        for target in targets(node.values):
            checked = check_page(pages[target.who], base, target)
            version = checked.axe_version
            accessibility_audit.add_page(checked.entry)
            problems += _problems(target, checked.status, checked.lang, checked.entry)
            if not checked.statement_link:
                problems.append(f"{target.url} ({target.who}): no footer link to the statement")
            if checked.violations:
                problems.append(f"{target.url} ({target.who}):\n{readable(checked.violations)}")
        accessibility_audit.set_environment(
            axe_core=version, chromium=browser.version, axe_tags=AXE_TAGS
        )
        for context in contexts.values():
            context.close()
    assert problems == [], "\n".join(problems)
