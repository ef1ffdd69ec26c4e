"""The audit plugin in a pytest run of its own: writes only to $PODIUM_ACCESSIBILITY_AUDIT."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

from podium.accessibility.statement import AUDIT_ENV, load_audit

ROOT = Path(__file__).parents[2]
EXAMPLE = textwrap.dedent(
    '''
    import pytest

    PAGE = {
        "pattern": "/{lang:podium_lang}/medals", "lang": "fr", "url": "/fr/medals",
        "who": "anonymous", "counts": {"passed": 1, "violated": 0, "incomplete": 0},
        "passed": ["label"], "reflow_320": True, "text_200": True,
    }

    @pytest.mark.accessibility_audit(kind="pages")
    def test_pages(accessibility_audit):
        accessibility_audit.add_page(PAGE)
        accessibility_audit.set_environment(axe_core="4.12.1", chromium="131", axe_tags=["wcag2a"])

    @pytest.mark.accessibility_audit
    def test_a_journey_by_keyboard():
        """Tab from the skip link to the medal table."""

    @pytest.mark.accessibility_audit
    def test_a_broken_journey():
        assert False

    def test_not_in_the_audit():
        pass
    '''
)


def _run(folder: Path, audit: Path | None) -> subprocess.CompletedProcess[str]:
    (folder / "test_example.py").write_text(EXAMPLE, encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k != AUDIT_ENV}
    env["PYTHONPATH"] = str(ROOT)
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    if audit is not None:
        env[AUDIT_ENV] = str(audit)
    command = [sys.executable, "-m", "pytest", "-q", "-p", "tests.accessibility_audit"]
    command += ["--rootdir", str(folder), "-p", "no:cacheprovider", str(folder)]
    return subprocess.run(command, env=env, cwd=folder, capture_output=True, text=True, check=False)


def test_the_audit_is_written_where_the_variable_says(tmp_path: Path) -> None:
    result = _run(tmp_path, tmp_path / "audit.json")
    assert "1 failed, 3 passed" in result.stdout, result.stdout + result.stderr
    audit = load_audit(tmp_path / "audit.json")
    assert [(p.pattern, p.lang) for p in audit.pages] == [("/{lang:podium_lang}/medals", "fr")]
    assert (audit.axe_core, audit.chromium) == ("4.12.1", "131")
    journeys = {j.test.split("::")[-1]: (j.title, j.outcome) for j in audit.journeys}
    assert journeys == {
        "test_a_journey_by_keyboard": ("Tab from the skip link to the medal table.", "passed"),
        "test_a_broken_journey": ("a broken journey", "failed"),
    }


def test_without_the_variable_nothing_is_written(tmp_path: Path) -> None:
    result = _run(tmp_path, None)
    assert "1 failed, 3 passed" in result.stdout, result.stdout + result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["test_example.py"]
