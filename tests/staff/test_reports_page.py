"""The Reports page: any period, every table, downloads; small numbers hidden from
readers who do not work on the cases."""

from __future__ import annotations

import csv
import io
import json
import zipfile

import pytest
from sqlalchemy import select

from intake.extensions import db
from intake.models import AuditEntry
from tests.reports.support import complaint, import_csv, write_csv
from tests.staff.helpers import ACCOUNTS, browser, staff_as

YEAR = "?from=1&from=4&from=2025&to=31&to=3&to=2026"


@pytest.fixture
def history(app, clock, tmp_path):
    rows = [complaint(f"COM/{n}", "2025-04-14") for n in range(6)]
    rows.append(complaint("COM/S", "2025-05-01", team="send"))
    result = import_csv(app, write_csv(tmp_path / "old.csv", rows))
    assert result.exit_code == 0, result.output


def _cell(page, caption: str, label: str) -> str:
    table = next(
        t for t in page.soup.find_all("table") if t.caption.get_text(strip=True) == caption
    )
    row = next(r for r in table.find_all("tr") if r.th and r.th.get_text(strip=True) == label)
    return row.find("td").get_text(strip=True)


def test_the_complaints_team_sees_every_figure(app, history):
    officer = staff_as(app, "complaints_officer")

    page = officer.get(f"/staff/reports{YEAR}")

    assert page.status == 200
    assert page.title.startswith("Reports")
    assert _cell(page, "Representations received, by kind", "Stage 1 complaints") == "7"
    assert _cell(page, "Complaints received, by team", "Special educational needs (SEND)") == "1"
    assert "Numbers from 1 to 4" not in page.text()
    audit = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "report")).one()
    assert audit.detail["from"] == "2025-04-01" and audit.actor == "staff:officer@example.org"


@pytest.mark.parametrize("role", ["report_viewer", "team_manager", "advocacy_provider", "admin"])
def test_other_readers_see_small_numbers_hidden(app, history, role):
    reader = staff_as(app, role)

    page = reader.get(f"/staff/reports{YEAR}")

    assert page.status == 200
    assert _cell(page, "Representations received, by kind", "Stage 1 complaints") == "7"
    assert _cell(page, "Complaints received, by team", "Special educational needs (SEND)") == "<5"
    assert "Numbers from 1 to 4 are shown as <5" in page.text()


def test_the_page_opens_on_the_last_financial_year(app, history):
    page = staff_as(app, "report_viewer").get("/staff/reports")

    assert page.status == 200
    # Today is 23 November 2026: the last whole April-to-March year is 2025 to 2026.
    assert [i["value"] for i in page.soup.select("input[name=from]")] == ["01", "04", "2025"]
    assert [i["value"] for i in page.soup.select("input[name=to]")] == ["31", "03", "2026"]
    assert _cell(page, "Representations received, by kind", "Stage 1 complaints") == "7"


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("?from=&from=&from=&to=31&to=3&to=2026", "Enter the start date"),
        ("?from=1&from=4&from=2025&to=31&to=2&to=2026", "The end date must be a real date"),
        ("?from=1&from=4&from=2026&to=31&to=3&to=2025",
         "The end date must be the same as or after the start date"),
        ("?from=1&from=&from=2025&to=31&to=3&to=2026", "The start date must include a month"),
        ("?from=1&from=1&from=2000&to=31&to=3&to=2026", "A report can cover 5 years at most"),
    ],
)  # fmt: skip
def test_a_wrong_period_says_what_to_fix(app, history, query, message):
    page = staff_as(app, "report_viewer").get(f"/staff/reports{query}")

    assert page.status == 400
    assert page.title.startswith("Error:")
    assert page.errors == [message]


def _downloads(reader) -> tuple[dict[str, list[dict[str, str]]], dict, object]:
    """The CSV zip's tables, the JSON, and the page, as this reader downloads them."""
    page = reader.get(f"/staff/reports{YEAR}")
    links = {a.get_text(strip=True): a["href"] for a in page.soup.select("main a.govuk-link")}
    as_zip = reader.client.get(f"/staff/reports{links['CSV (a zip file, one table per section)']}")
    as_json = reader.client.get(f"/staff/reports{links['JSON']}")
    assert as_zip.status_code == 200 and as_zip.mimetype == "application/zip"
    assert as_json.status_code == 200 and as_json.mimetype == "application/json"
    assert "attachment" in as_zip.headers["Content-Disposition"]
    assert ".csv.zip" in as_zip.headers["Content-Disposition"]
    with zipfile.ZipFile(io.BytesIO(as_zip.get_data())) as archive:
        tables = {
            name: list(csv.DictReader(io.StringIO(archive.read(name).decode("utf-8"))))
            for name in archive.namelist()
        }
    return tables, json.loads(as_json.get_data(as_text=True)), page


def test_the_report_downloads_as_csv_and_json(app, history):
    tables, figures, _page = _downloads(staff_as(app, "complaints_officer"))

    assert len(tables) == 14
    stage1 = next(r for r in tables["01-totals.csv"] if r["kind"] == "Stage 1 complaints")
    assert stage1["this_period"] == "7"
    send = next(
        r for r in tables["02-teams.csv"]
        if r["team"] == "Special educational needs (SEND)" and r["figure"] == "Complaints received"
    )  # fmt: skip
    assert send["this_period"] == "1"
    assert figures["period"] == {"from": "2025-04-01", "to": "2026-03-31"}
    assert figures["totals"]["stage1"] == 7
    assert figures["teams"]["send"]["complaints"] == 1


def test_a_report_viewers_downloads_and_charts_hide_small_numbers_too(app, history):
    tables, figures, page = _downloads(staff_as(app, "report_viewer"))

    # 7 complaints: 6 for one team, 1 for SEND. The 1 is hidden, and so is the 6, which
    # would give it away.
    assert figures["totals"]["stage1"] == 7
    assert figures["teams"]["send"]["complaints"] == "<5"
    assert figures["teams"]["assessment"]["complaints"] == "[c]"
    assert figures["change_pct"]["teams"]["send"]["complaints"] is None
    teams = {
        r["team"]: r["this_period"]
        for r in tables["02-teams.csv"]
        if r["figure"] == "Complaints received"
    }
    assert teams["Special educational needs (SEND)"] == "<5"
    assert "1" not in teams.values() and "6" not in teams.values()
    chart = next(
        svg for svg in page.soup.find_all("svg")
        if svg.title.get_text() == "Complaints received, by team"
    )  # fmt: skip
    description = chart.desc.get_text()
    assert "Special educational needs (SEND): <5" in description
    assert ": 1 " not in description and ": 6 " not in description
    assert {t.get_text() for t in chart.find_all("text")} >= {"<5", "[c]"}


def test_only_staff_who_have_signed_in_see_reports(app, history):
    anonymous = browser(app)

    page = anonymous.get(f"/staff/reports{YEAR}")

    assert page.path == "/staff/sign-in"
    assert set(ACCOUNTS) >= {"report_viewer"}
