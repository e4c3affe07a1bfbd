"""The staff Reports page in a real browser: axe finds nothing, and it prints cleanly."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from tests.browser.conftest import SCREENSHOTS, axe_violations
from tests.reports.support import complaint, import_csv, write_csv
from tests.staff.helpers import account
from tests.support import STAFF_PASSWORD

pytestmark = pytest.mark.browser


@pytest.fixture
def signed_in(app, live, page: Page, tmp_path) -> Page:
    rows = [complaint(f"COM/{n}", "2025-04-14", stage1_responded="2025-04-25",
                      stage1_outcome="upheld") for n in range(6)]  # fmt: skip
    assert import_csv(app, write_csv(tmp_path / "old.csv", rows)).exit_code == 0
    email = account("complaints_officer")
    page.goto(f"{live}/staff/sign-in")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", STAFF_PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    return page


def test_axe_finds_nothing_on_the_reports_page(live, signed_in: Page):
    page = signed_in
    page.goto(f"{live}/staff/reports")
    assert page.locator("h1").inner_text() == "Reports"
    assert axe_violations(page) == []

    # A wrong period: the error summary, then axe again.
    page.fill("input[name=to] >> nth=1", "13")
    page.locator("main form button").click()
    page.wait_for_load_state()
    assert "The end date must be a real date" in page.inner_text(".govuk-error-summary")
    assert axe_violations(page) == []


def test_the_report_prints_on_a4_without_the_page_furniture(live, signed_in: Page):
    page = signed_in
    page.goto(f"{live}/staff/reports")
    page.emulate_media(media="print")

    assert page.locator(".app-report-period").is_hidden()
    assert page.locator(".govuk-service-navigation").is_hidden()
    assert page.locator("table").first.is_visible()
    # The quarterly table and its two charts print, and no table is wider than an A4
    # page's 180 mm of text (680 CSS pixels): nothing is cut off at the edge.
    page.set_viewport_size({"width": 680, "height": 1000})
    assert page.locator("table.app-report-quarters").is_visible()
    for title in (
        "Formal complaints by quarter",
        "Stage 1 responses by working days taken, per quarter",
    ):
        assert page.locator("svg[role=img]", has=page.locator("title", has_text=title)).is_visible()
    too_wide = page.evaluate(
        "() => [...document.querySelectorAll('table')]"
        ".filter(t => t.scrollWidth > t.parentElement.clientWidth + 1)"
        ".map(t => t.caption && t.caption.textContent)"
    )
    assert too_wide == []
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    pdf = page.pdf(path=str(SCREENSHOTS / "annual-report.pdf"), format="A4")
    assert pdf[:4] == b"%PDF" and len(pdf) > 20_000
