"""A case imported with its old system's reference opens like any other."""

from __future__ import annotations

import pytest

from intake.web.references import reference_from_url, reference_in_url
from tests.reports.support import complaint, import_csv, write_csv
from tests.staff.helpers import staff_as


@pytest.mark.parametrize(
    "reference", ["COM/00001162", "IOW-00017", "A~B/2019/7", "OLD 42", "CS-2026-00001"]
)
def test_a_reference_survives_the_address_both_ways(reference):
    part = reference_in_url(reference)
    assert "/" not in part
    assert reference_from_url(part.replace("%20", " ")) == reference


def test_a_reference_with_a_slash_opens_its_case_page_and_actions(app, clock, tmp_path):
    rows = [
        complaint(
            "COM/00001162", "2025-04-14", stage1_responded="2025-04-25", stage1_outcome="upheld"
        )
    ]
    assert import_csv(app, write_csv(tmp_path / "old.csv", rows)).exit_code == 0
    officer = staff_as(app, "complaints_officer")

    queue = officer.get("/staff/?status=closed")
    link = queue.soup.find("a", string=lambda s: s and "COM/00001162" in s)
    case = officer.get(link["href"] if link else "/staff/cases/COM~2F00001162")

    assert case.status == 200
    assert "COM/00001162" in case.h1 or "COM/00001162" in case.text()
    assert officer.get("/staff/cases/COM~2F00001162/print").status == 200
    assert officer.get("/staff/cases/COM~2F00001162/export.json").status == 200
