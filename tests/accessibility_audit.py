"""Pytest plugin: the accessibility audit that the statement is generated from.

Tests marked `@pytest.mark.accessibility_audit` take part: the every-page test
(`kind="pages"`) hands each page's results to the `accessibility_audit` fixture, and the
outcome of every other marked test (a keyboard journey; those of `JOURNEYS` are marked
here) is recorded as it ends. When the
environment variable `PODIUM_ACCESSIBILITY_AUDIT` names a file, the audit is written
there at the end of the session, validated by `podium.accessibility.statement.Audit`;
without it, nothing is written. To regenerate the bundled audit:

    PODIUM_ACCESSIBILITY_AUDIT=src/podium/accessibility/data/audit.json \
        .tools/bin/uv run --frozen pytest -m accessibility_audit
"""

from __future__ import annotations

import os
from collections.abc import Generator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from podium.accessibility.statement import AUDIT_ENV, Audit

MARKER = "accessibility_audit"
JOURNEYS: dict[str, tuple[str, ...]] = {
    "tests/web/test_keyboard_journeys.py": (),
    "tests/web/test_browser.py": (
        "test_keyboard_reaches_a_final_through_the_days_discipline_index",
        "test_a_wide_table_scrolls_by_keyboard_inside_its_labelled_region",
    ),
    "tests/web/test_staff_browser.py": ("test_keyboard_alone_signs_in_and_opens_a_persons_page",),
    "tests/web/test_accreditation_pages_browser.py": (
        "test_keyboard_alone_searches_opens_approves_and_prints_a_card",
    ),
    "tests/entries/test_browser.py": ("test_keyboard_alone_enters_an_athlete_and_reads_a_refusal",),
    "tests/web/test_ticketing_pages_browser.py": ("test_a_fan_buys_with_the_keyboard_alone",),
    "tests/web/test_scanner_browser.py": (
        "test_gate_staff_scan_with_the_keyboard_and_the_page_is_axe_clean",
    ),
    "tests/accessibility/test_tactile_browser.py": (
        "test_the_input_page_by_keyboard_alone_drives_the_tablet",
    ),
}
"""The keyboard journeys of the other browser tests (module → tests; none: all of them),
marked here so their modules need no change; a test may also carry the marker itself."""
_PREFIXES = tuple(
    f"{module}::{name}" for module, names in JOURNEYS.items() for name in names or ("",)
)


@dataclass
class AuditRecorder:
    """The results gathered during the session: environment, pages and journeys."""

    environment: dict[str, Any] = field(default_factory=dict)
    pages: list[dict[str, Any]] = field(default_factory=list)
    journeys: list[dict[str, str]] = field(default_factory=list)

    def set_environment(self, *, axe_core: str, chromium: str, axe_tags: list[str]) -> None:
        """Note the versions of the tools the pages were checked with."""
        self.environment = {"axe_core": axe_core, "chromium": chromium, "axe_tags": axe_tags}

    def add_page(self, entry: dict[str, Any]) -> None:
        """Add one page's entry (the fields of `statement.PageAudit`)."""
        self.pages.append(entry)

    def audit(self, today: date) -> Audit:
        """Return the audit of the session, validated (pages sorted by route and language)."""
        pages = sorted(self.pages, key=lambda p: (p["pattern"], p["lang"]))
        journeys = sorted(self.journeys, key=lambda j: j["test"])
        raw = {"audited_on": today, **self.environment, "pages": pages, "journeys": journeys}
        return Audit.model_validate(raw)


_RECORDER = pytest.StashKey[AuditRecorder]()


def pytest_configure(config: pytest.Config) -> None:
    """Declare the marker and start an empty audit."""
    config.addinivalue_line(
        "markers",
        f"{MARKER}(kind='journey'|'pages'): part of the accessibility audit "
        f"(written to ${AUDIT_ENV} when set)",
    )
    config.stash[_RECORDER] = AuditRecorder()


@pytest.fixture(scope="session")
def accessibility_audit(request: pytest.FixtureRequest) -> AuditRecorder:
    """The session's audit, to which the every-page test adds each page."""
    return request.config.stash[_RECORDER]


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark the keyboard journeys of `JOURNEYS` (before `-m` selects on the marker)."""
    for item in items:
        if item.nodeid.startswith(_PREFIXES) and item.get_closest_marker(MARKER) is None:
            item.add_marker(pytest.mark.accessibility_audit)


def _title(item: pytest.Item) -> str:
    doc = getattr(getattr(item, "function", None), "__doc__", None)
    if doc and doc.strip():
        return doc.strip().splitlines()[0]
    return item.name.removeprefix("test_").replace("_", " ")


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    """Record the outcome of a marked keyboard journey (its call, or a failed set-up)."""
    del call
    report = yield
    marker = item.get_closest_marker(MARKER)
    if marker is None or marker.kwargs.get("kind", "journey") != "journey":
        return report
    if report.when == "call" or (report.when == "setup" and not report.passed):
        recorder = item.config.stash[_RECORDER]
        recorder.journeys.append(
            {"test": item.nodeid, "title": _title(item), "outcome": report.outcome}
        )
    return report


def pytest_sessionfinish(session: pytest.Session) -> None:
    """Write the audit to `$PODIUM_ACCESSIBILITY_AUDIT`, if set and pages were checked."""
    target = os.environ.get(AUDIT_ENV)
    recorder = session.config.stash.get(_RECORDER, None)
    if not target or recorder is None:
        return
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    if not recorder.pages:
        if reporter is not None:
            reporter.write_line(f"{AUDIT_ENV}: no page was checked, {target} left as it was")
        return
    audit = recorder.audit(date.today())  # noqa: DTZ011 - the audit's day where it ran
    Path(target).write_text(audit.model_dump_json(indent=1) + "\n", encoding="utf-8")
    if reporter is not None:
        reporter.write_line(f"{AUDIT_ENV}: wrote {len(audit.pages)} page results to {target}")
