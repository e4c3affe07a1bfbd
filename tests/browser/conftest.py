"""Browser tests: the service served on loopback, driven in Debian's headless Chromium.

Chromium comes from Debian's package (`make test` installs it); Playwright only drives it
(`executable_path`), it never downloads a browser. Without /usr/bin/chromium these tests
fail rather than skip, so a machine that cannot run them cannot pass the build quietly.
"""

from __future__ import annotations

import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from flask import Flask
from playwright.sync_api import Browser, Page, sync_playwright
from werkzeug.serving import make_server

from intake import create_app
from intake.extensions import db
from tests.conftest import COMPILED_TEMPLATES

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "node_modules/axe-core/axe.min.js"
AXE_SOURCE = AXE.read_text(encoding="utf-8") + "\n;void 0"
SCREENSHOTS = ROOT / "test-results/screenshots"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
# As the machine's notes say: without these, Chromium keeps trying to reach the network.
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
RIGHT_TO_LEFT = {"ar", "ur"}
WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
DESKTOP = {"width": 1024, "height": 800}
# WCAG 1.4.10 Reflow: 320 CSS pixels wide, and 1280 x 1024 at 400 % zoom (320 x 256).
NARROW = {"320px": {"width": 320, "height": 640}, "400% zoom": {"width": 320, "height": 256}}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # Browser tests need the pages, not a second database: SQLite only.
    for item in items:
        if "tests/browser/" in str(item.fspath) and "[postgresql" in item.nodeid:
            item.add_marker(pytest.mark.skip(reason="browser tests run on SQLite only"))


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield launched
        launched.close()


@contextmanager
def served(app: Flask) -> Iterator[str]:
    """`app` served on a free loopback port; its base URL."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)


@pytest.fixture
def live(app: Flask, clock: Any) -> Iterator[str]:
    """The app served on a free loopback port; its base URL."""
    with served(app) as base:
        yield base


@pytest.fixture
def limited_live(app: Flask, database_url: str) -> Iterator[str]:
    """A second app on the same database with the form's rate limit on and tiny (one page
    sent a minute), so its second page sent gets the "too many attempts" page (429).
    Depends on `app`, whose teardown empties the tables this one writes to."""
    limited = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": database_url,
            "RATELIMIT_ENABLED": True,
            "RATE_LIMIT_FORM": "1 per minute",
        }
    )
    limited.jinja_env.bytecode_cache = COMPILED_TEMPLATES
    with served(limited) as base:
        yield base
    with limited.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport=DESKTOP)
    opened = context.new_page()
    yield opened
    context.close()


@pytest.fixture
def no_script_page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(java_script_enabled=False)
    opened = context.new_page()
    yield opened
    context.close()


def axe_violations(page: Page) -> list[dict[str, Any]]:
    """axe-core's WCAG 2.2 A and AA rules on the page as it is now.

    axe is evaluated through the DevTools protocol rather than added as a <script>: the
    pages' Content-Security-Policy (rightly) refuses inline scripts, and the tests run
    under the real policy so they prove the pages work with it."""
    page.evaluate(AXE_SOURCE)
    found: list[dict[str, Any]] = page.evaluate(
        """async (tags) => {
            const result = await axe.run(document, {runOnly: {type: "tag", values: tags}});
            return result.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.slice(0, 3).map(n => n.target.join(" "))
            }));
        }""",
        WCAG_22_AA,
    )
    return found


def no_horizontal_scroll(page: Page) -> bool:
    return bool(page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"))


@dataclass
class Audit:
    """Every check one page state gets, so each page is loaded once for all of them:
    the page is in the language asked for and reads in its direction, nothing scrolls
    sideways at 320 px or at 400 % zoom, and axe finds nothing (at desktop width).
    Problems are collected, so one run names every page that fails, and `assert_clean`
    fails the test."""

    language: str
    problems: list[str] = field(default_factory=list)
    seen: list[tuple[str, str]] = field(default_factory=list)  # (page, state)

    def __call__(self, page: Page, state: str) -> None:
        where = f"{page_name(page)} ({state}, {self.language})"
        self.seen.append((page_name(page), state))
        shown = page.get_attribute("html", "lang")
        if shown != self.language:
            self.problems.append(f"{where}: the page is in {shown!r}")
        direction = page.evaluate("getComputedStyle(document.body).direction")
        if direction != ("rtl" if self.language in RIGHT_TO_LEFT else "ltr"):
            self.problems.append(f"{where}: the page reads {direction}")
        try:
            for name, size in NARROW.items():
                page.set_viewport_size(size)
                if not no_horizontal_scroll(page):
                    wide = page.evaluate("document.documentElement.scrollWidth")
                    self.problems.append(f"{where}: scrolls sideways at {name} ({wide}px wide)")
        finally:
            page.set_viewport_size(DESKTOP)
        violations = axe_violations(page)
        if violations:
            self.problems.append(f"{where}: axe found {violations}")

    def assert_clean(self) -> None:
        assert self.problems == [], "\n".join(self.problems)


def page_name(page: Page) -> str:
    return urlsplit(page.url).path.rstrip("/").rsplit("/", 1)[-1] or "start"
