"""What the browser tests share: Debian's Chromium, axe-core, and a live uvicorn server.

Chromium is Debian's (`/usr/bin/chromium`, headless, with the flags the house style asks);
axe-core comes from the pinned `axe-playwright-python` package, which bundles `axe.min.js`.
"""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from fastapi import FastAPI
from playwright.sync_api import Browser, Page, sync_playwright

CHROMIUM = Path("/usr/bin/chromium")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]


def free_port() -> int:
    """Return a free TCP port on the loopback interface."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@contextmanager
def live_server(app: FastAPI) -> Iterator[str]:
    """Serve `app` with uvicorn on a free local port, in a thread; yield the base URL."""
    config = uvicorn.Config(app, host="127.0.0.1", port=free_port(), log_level="warning")
    instance = uvicorn.Server(config)
    thread = threading.Thread(target=instance.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not instance.started:
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("uvicorn did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{config.port}"
    finally:
        instance.should_exit = True
        thread.join(timeout=10)


@contextmanager
def chromium() -> Iterator[Browser]:
    """Launch Debian's headless Chromium, or fail saying how to install it."""
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium (apt-get install chromium)")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS)
        yield launched
        launched.close()


@contextmanager
def fresh_page(browser: Browser) -> Iterator[Page]:
    """Open a page in a new context that asks for reduced motion."""
    context = browser.new_context(reduced_motion="reduce")
    opened = context.new_page()
    yield opened
    context.close()


def staff_sign_in(page: Page, node: str, username: str, password: str, purpose: str) -> None:
    """Sign in on `/staff/login` with the mouse; fail with the server's answer if refused.

    The sign-in's POST is awaited (60 s, the machine may be loaded by a full run) and must
    answer 303; then the dashboard `/staff/` must load.
    """
    page.goto(f"{node}/staff/login")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_label("Purpose of this session").select_option(purpose)
    with page.expect_response(f"{node}/staff/login", timeout=60_000) as posted:
        page.get_by_role("button", name="Sign in").click()
    assert posted.value.status == 303, f"{posted.value.status}: {posted.value.text()[:2000]}"
    page.wait_for_url(f"{node}/staff/", timeout=60_000)


def tab_to(page: Page, check: str, limit: int = 60, key: str = "Tab") -> None:
    """Press `key` (Tab, or Shift+Tab to go back) until the focused element passes `check`.

    Args:
        page: the page, focused anywhere.
        check: a JavaScript expression of the focused element `e`, such as `e.id === 'f-q'`.
        limit: how many presses at most before the test fails.
        key: the key to press.

    """
    for _ in range(limit):
        page.keyboard.press(key)
        if page.evaluate(f"(e => {check})(document.activeElement)"):
            return
    pytest.fail(f"{check} not reached in {limit} {key} presses")


def axe_violations(page: Page) -> list[dict[str, Any]]:
    """Run axe-core (WCAG 2.2 A/AA and best practices) on the page; return its violations."""
    source = (resources.files("axe_playwright_python") / "axe.min.js").read_text(encoding="utf-8")
    page.add_script_tag(content=source)
    options = json.dumps({"runOnly": {"type": "tag", "values": AXE_TAGS}})
    violations: list[dict[str, Any]] = page.evaluate(f"axe.run(document, {options})")["violations"]
    return violations


def readable(violations: list[dict[str, Any]]) -> str:
    """Return axe violations as lines a person can read in a failed assertion."""
    lines = []
    for violation in violations:
        lines.append(f"[{violation['impact']}] {violation['id']}: {violation['help']}")
        lines.extend(
            f"    {node['target']}: {node['failureSummary']}" for node in violation["nodes"][:5]
        )
    return "\n".join(lines)
