"""`flask --app wsgi intake import-cases FILE.csv`: years of history from an old system."""

from __future__ import annotations

import csv
import json
import shutil
import tomllib

import pytest
from sqlalchemy import func, select

from intake.casework.routing import DEFAULT_TEAMS_FILE, load_routing
from intake.extensions import db
from intake.models import AuditEntry, Case, CaseTeam, OutboxMessage, StageRecord
from tests.reports.support import complaint, import_csv, write_csv


def _count(model) -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(model))


def _show(app, reference: str) -> dict:
    result = app.test_cli_runner().invoke(args=["intake", "show", reference, "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


GOOD = [
    complaint(
        "COM/00001162", "2025-04-14", acknowledged="2025-04-15",
        stage1_responded="2025-04-25", stage1_outcome="Partially upheld",
    ),
    complaint("IOW-00017", "2026-11-16", method="Text message", complainant_role="young person"),
    {"reference": "CMP 3", "kind": "compliment", "received": "2025-05-05", "method": "letter"},
]  # fmt: skip


def test_past_cases_keep_their_references_and_get_their_deadlines(app, clock, tmp_path):
    result = import_csv(app, write_csv(tmp_path / "old.csv", GOOD))

    assert result.exit_code == 0, result.output
    assert "Imported 3 cases from old.csv" in result.stdout
    closed = _show(app, "COM/00001162")
    assert closed["status"] == "closed"
    assert closed["stages"][0]["respond_by"] == "2025-04-30"  # Easter skipped
    assert closed["stages"][0]["outcome"] == "partially_upheld"
    open_case = _show(app, "IOW-00017")
    # Monday 16 November 2026: 2 and 10 working days on the same calendar as any case.
    assert (open_case["acknowledge_by"], open_case["respond_by"]) == ("2026-11-18", "2026-11-30")
    assert open_case["status"] == "open"
    assert open_case["method"] == "text_message"
    assert open_case["complainant_role"] == "young_person"
    assert open_case["team"] == "assessment"
    assert open_case["contact"] is None and open_case["what_happened"] == ""
    assert _show(app, "CMP 3")["status"] == "closed"
    # Nobody is written to about history, and the import is in the audit trail.
    assert _count(OutboxMessage) == 0
    audit = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "imported")).one()
    assert audit.detail["imported"] == 3
    # Team members see the imported cases in their queue.
    assert (
        db.session.scalar(
            select(func.count()).select_from(CaseTeam).where(CaseTeam.team == "assessment")
        )
        == 2
    )


def test_importing_the_same_file_twice_adds_nothing(app, clock, tmp_path):
    path = write_csv(tmp_path / "old.csv", GOOD)
    assert import_csv(app, path).exit_code == 0

    again = import_csv(app, path)

    assert again.exit_code == 0, again.output
    assert "Imported 0 cases" in again.stdout and "3 were here already" in again.stdout
    assert _count(Case) == 3
    assert _count(StageRecord) == 2


BAD_ROWS = [
    ({"reference": ""}, "reference: required"),
    ({"kind": "moan"}, "kind: 'moan' is not one of complaint"),
    ({"procedure": ""}, "procedure: required for a complaint"),
    ({"procedure": "informal"}, "procedure: 'informal' is not one of statutory, corporate"),
    ({"received": "14/04/2025"}, "received: '14/04/2025' is not a date like 2025-04-30"),
    ({"received": "2025-02-30"}, "is not a date like"),
    ({"received": "2027-01-01"}, "received: 2027-01-01 is not between 1990-01-01 and today"),
    ({"method": "fax"}, "method: 'fax' is not one of online_form"),
    ({"complainant_role": "uncle"}, "complainant_role: 'uncle' is not one of parent"),
    ({"with_advocate": "maybe"}, "with_advocate: 'maybe' must be yes or no"),
    ({"team": "Narnia"}, "team: 'Narnia' is not a team in the configuration"),
    ({"reasons": "communication;grumpiness"}, "reasons: 'grumpiness' is not a reason"),
    ({"reasons": "cost:data_breach"}, "reasons: 'cost:data_breach' is not a reason and sub"),
    ({"acknowledged": "2025-04-01"}, "acknowledged: before the case was received"),
    ({"stage1_responded": "2025-04-20"}, "stage1_outcome: required when the stage was answered"),
    ({"stage1_outcome": "upheld"}, "stage1_responded: required with an outcome"),
    ({"stage1_responded": "2025-04-10", "stage1_outcome": "upheld"}, "before the stage began"),
    ({"stage1_outcome": "sort of"}, "stage1_outcome: 'sort of' is not one of upheld"),
    ({"stage1_extended": "90"}, "must be yes, no, or the working days it was extended to"),
    ({"stage2_requested": "2025-05-01"}, "stage2_requested: stage 1 was never answered"),
    (
        {"stage1_responded": "2025-04-20", "stage1_outcome": "upheld",
         "stage2_responded": "2025-06-01", "stage2_outcome": "upheld"},
        "stage2_requested: required when stage 2 is filled in",
    ),
    (
        {"stage1_responded": "2025-04-20", "stage1_outcome": "withdrawn",
         "stage2_requested": "2025-05-01"},
        "stage 1 was withdrawn, so it cannot go to stage 2",
    ),
    (
        {"procedure": "corporate", "stage1_responded": "2025-04-20", "stage1_outcome": "upheld",
         "stage2_requested": "2025-05-01", "stage2_responded": "2025-06-01",
         "stage2_outcome": "upheld", "stage3_requested": "2025-06-10"},
        "stage3: the corporate procedure has 2 stages",
    ),
    ({"ombudsman_decision": "guilty"}, "ombudsman_decision: 'guilty' is not one of"),
    ({"remedy_amount": "lots"}, "remedy_amount: 'lots' is not an amount like 250.00"),
    ({"remedy_amount": "100"}, "remedy_amount: a remedy needs an answered stage"),
    ({"reference": "x" * 41}, "reference: at most 40 characters"),
]  # fmt: skip


@pytest.mark.parametrize(("change", "problem"), BAD_ROWS, ids=[p for _c, p in BAD_ROWS])
def test_each_kind_of_bad_row_is_reported_with_its_line_and_nothing_is_imported(
    app, clock, tmp_path, change, problem
):
    rows = [complaint("COM/1", "2025-04-14"), {**complaint("COM/2", "2025-04-14"), **change}]

    result = import_csv(app, write_csv(tmp_path / "old.csv", rows))

    assert result.exit_code == 1
    assert "Line 3: " in result.stderr and problem in result.stderr, result.stderr
    assert "1 of 2 rows are bad, so nothing was imported" in result.stderr
    assert _count(Case) == 0


def test_a_reference_twice_in_the_file_is_a_bad_row(app, clock, tmp_path):
    rows = [complaint("COM/1", "2025-04-14"), complaint("COM/1", "2025-05-14")]

    result = import_csv(app, write_csv(tmp_path / "old.csv", rows))

    assert result.exit_code == 1
    assert "Line 3: reference: 'COM/1' is also on line 2" in result.stderr


def test_skip_bad_imports_the_good_rows_and_writes_the_bad_ones_to_a_file(app, clock, tmp_path):
    rows = [
        complaint("COM/1", "2025-04-14"),
        complaint("COM/2", "2025-04-14", method="pigeon"),
        complaint("COM/3", "2025-04-15"),
    ]

    result = import_csv(app, write_csv(tmp_path / "old.csv", rows), "--skip-bad")

    assert result.exit_code == 0, result.output
    assert _count(Case) == 2
    with (tmp_path / "old.bad.csv").open(encoding="utf-8") as handle:
        bad = list(csv.DictReader(handle))
    assert [(b["line"], b["reference"]) for b in bad] == [("3", "COM/2")]
    assert "method: 'pigeon'" in bad[0]["problems"]


def test_a_file_without_the_columns_is_refused_whole(app, clock, tmp_path):
    path = tmp_path / "old.csv"
    path.write_text("ref,type\nCOM/1,complaint\n", encoding="utf-8")

    result = import_csv(app, path)

    assert result.exit_code == 1
    assert "missing: reference, kind, procedure, received" in result.stderr
    assert _count(Case) == 0


def test_a_file_that_is_not_utf_8_is_refused_politely(app, clock, tmp_path):
    path = write_csv(tmp_path / "old.csv", [complaint("COM/1", "2025-04-14", team="Cymorth")])
    path.write_bytes(path.read_bytes().replace(b"Cymorth", "Gofal â".encode("latin-1")))

    result = import_csv(app, path)

    assert result.exit_code == 1
    assert "not UTF-8 text" in result.stderr
    assert "Traceback" not in result.output


def test_unknown_teams_are_added_inactive_with_create_teams(app, clock, tmp_path):
    teams_file = tmp_path / "teams.toml"
    shutil.copy(DEFAULT_TEAMS_FILE, teams_file)
    app.config["TEAMS_CONFIG"] = str(teams_file)
    rows = [
        complaint("COM/1", "2025-04-14", team="Leaving Care (old)"),
        complaint("COM/2", "2025-04-15", team="leaving care (old)"),
        complaint("COM/3", "2025-04-16", team="Assessment"),  # a name the file knows
    ]

    result = import_csv(app, write_csv(tmp_path / "old.csv", rows), "--create-teams")

    assert result.exit_code == 0, result.output
    added = [
        t
        for t in tomllib.loads(teams_file.read_text("utf-8"))["teams"]
        if not t.get("active", True)
    ]
    assert [(t["key"], t["name"]) for t in added] == [("leaving_care_old", "Leaving Care (old)")]
    routing = load_routing(teams_file, app.extensions["intake.council"])
    assert routing.team("leaving_care_old").active is False
    assert {c.reference: c.team for c in db.session.scalars(select(Case))} == {
        "COM/1": "leaving_care_old",
        "COM/2": "leaving_care_old",
        "COM/3": "assessment",
    }
