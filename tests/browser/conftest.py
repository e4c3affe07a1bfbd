"""Browser tests: the service served on loopback, driven in Debian's headless Chromium.

Chromium comes from Debian's package (`make test` installs it); Playwright only drives it
(`executable_path`), it never downloads a browser. Without /usr/bin/chromium these tests
fail rather than skip, so a machine that cannot run them cannot pass the build quietly.
"""

from __future__ import annotations

import shutil
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from playwright.sync_api import Browser, Page, sync_playwright
from werkzeug.serving import make_server

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
WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]


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


@pytest.fixture
def live(app: Flask, clock: Any) -> Iterator[str]:
    """The app served on a free loopback port; its base URL."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=10)


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1024, "height": 800})
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
    return bool(page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"))
