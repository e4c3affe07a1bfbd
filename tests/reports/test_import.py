"""`flask --app wsgi intake import-cases FILE.csv`: years of history from an old system."""

from __future__ import annotations

import csv
import json
import os
import pty
import shutil
import subprocess
import sys
import tomllib

import pytest
from sqlalchemy import func, select, text

from intake.casework.routing import DEFAULT_TEAMS_FILE, load_routing
from intake.config import PROJECT_ROOT
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
    ({"received": "1989-12-31"}, "received: 1989-12-31 is not between 1990-01-01 and today"),
    (
        {"stage1_responded": "2025-04-20", "stage1_outcome": "not_upheld",
         "stage2_requested": "2025-04-18"},
        "stage2_requested: before stage 1 was answered",
    ),
    (
        {"stage1_responded": "2025-04-20", "stage1_outcome": "refused",
         "stage2_requested": "2025-05-01"},
        "stage 1 was refused, so it cannot go to stage 2",
    ),
    ({"kind": "comment"}, "procedure: only a complaint follows a procedure"),
    ({"kind": "comment", "procedure": "", "stage1_outcome": "upheld"},
     "stage1_outcome: only a complaint has stages"),
    ({"kind": "compliment", "procedure": "", "stage2_requested": "2025-05-01"},
     "stage2_requested: only a complaint has stages"),
    # Something that is not a complaint has no procedure, so nothing to extend.
    ({"kind": "comment", "procedure": "", "stage1_extended": "yes"},
     "stage1_extended: only a complaint has stages"),
    ({"kind": "case_concern", "procedure": "", "stage1_responded": "2025-04-10"},
     "stage1_responded: before the case was received"),
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


@pytest.mark.parametrize(
    ("line", "problem"),
    [
        ('COM/2,complaint,"statutory"x,2025-04-14,email', "Line 3 is not CSV"),
        # A quote never closed would otherwise swallow every line after it.
        ('COM/2,complaint,"statutory,2025-04-14,email', "Line 3 is not CSV"),
    ],
    ids=["text after a closing quote", "a quote never closed"],
)
def test_a_line_that_is_not_csv_refuses_the_file(app, clock, tmp_path, line, problem):
    path = write_csv(tmp_path / "old.csv", [complaint("COM/1", "2025-04-14")])
    text = path.read_text("utf-8")
    path.write_text(text + line + "\n" + text.splitlines()[1] + "\n", encoding="utf-8")

    result = import_csv(app, path)

    assert result.exit_code == 1
    assert problem in result.stderr, result.stderr
    assert "Traceback" not in result.output
    assert _count(Case) == 0


def _own_teams_file(app, tmp_path):
    teams_file = tmp_path / "teams.toml"
    shutil.copy(DEFAULT_TEAMS_FILE, teams_file)
    app.config["TEAMS_CONFIG"] = str(teams_file)
    return teams_file


def _inactive(teams_file) -> list[str]:
    teams = tomllib.loads(teams_file.read_text("utf-8"))["teams"]
    return [t["key"] for t in teams if not t.get("active", True)]


def test_a_team_named_only_by_a_bad_row_is_not_added(app, clock, tmp_path):
    teams_file = _own_teams_file(app, tmp_path)
    rows = [
        complaint("COM/1", "2025-04-14", team="Leaving Care (old)"),
        complaint("COM/2", "2025-04-14", team="Ghost Team", method="pigeon"),
        # Named by a bad row first, then by a good one: added, once.
        complaint("COM/3", "2025-04-14", team="Late Team", method="pigeon"),
        complaint("COM/4", "2025-04-15", team="Late Team"),
    ]

    result = import_csv(app, write_csv(tmp_path / "old.csv", rows), "--create-teams", "--skip-bad")

    assert result.exit_code == 0, result.output
    assert _inactive(teams_file) == ["leaving_care_old", "late_team"]
    assert "Ghost Team" not in teams_file.read_text("utf-8")
    assert {c.reference: c.team for c in db.session.scalars(select(Case))} == {
        "COM/1": "leaving_care_old",
        "COM/4": "late_team",
    }


def test_a_failed_import_leaves_the_teams_file_as_it_was(app, clock, tmp_path):
    teams_file = _own_teams_file(app, tmp_path)
    before = teams_file.read_bytes()
    rows = [
        complaint("COM/1", "2025-04-14", team="Leaving Care (old)"),
        complaint("COM/BOOM", "2025-04-14"),
    ]
    # The database refuses one row once checking has passed: the import fails part-way.
    dialect = db.engine.dialect.name
    statements = {
        "sqlite": [
            "CREATE TRIGGER refuse_boom BEFORE INSERT ON cases "
            "WHEN NEW.reference = 'COM/BOOM' BEGIN SELECT RAISE(ABORT, 'refused'); END"
        ],
        "postgresql": [
            "CREATE FUNCTION refuse_boom() RETURNS trigger AS $$ BEGIN "
            "IF NEW.reference = 'COM/BOOM' THEN RAISE EXCEPTION 'refused'; END IF; "
            "RETURN NEW; END $$ LANGUAGE plpgsql",
            "CREATE TRIGGER refuse_boom BEFORE INSERT ON cases FOR EACH ROW "
            "EXECUTE FUNCTION refuse_boom()",
        ],
    }[dialect]
    with db.engine.begin() as connection:
        for statement in statements:
            connection.execute(text(statement))
    try:
        result = import_csv(app, write_csv(tmp_path / "old.csv", rows), "--create-teams")
    finally:
        with db.engine.begin() as connection:
            connection.execute(
                text("DROP TRIGGER refuse_boom" + (" ON cases" if dialect != "sqlite" else ""))
            )
            if dialect != "sqlite":
                connection.execute(text("DROP FUNCTION refuse_boom()"))

    assert result.exit_code == 1
    assert "refused" in str(result.exception)
    assert _count(Case) == 0
    assert teams_file.read_bytes() == before


def test_when_the_teams_file_cannot_be_written_after_the_import_it_says_what_to_do(
    app, clock, tmp_path
):
    teams_file = _own_teams_file(app, tmp_path)
    before = teams_file.read_bytes()
    # Something in the way of the file's replacement, found only when it is written.
    (tmp_path / ".teams.toml.new").mkdir()
    path = write_csv(tmp_path / "old.csv", [complaint("COM/1", "2025-04-14", team="Old Team")])

    result = import_csv(app, path, "--create-teams")

    assert result.exit_code == 1
    assert "The cases were imported, but the teams could not be added" in result.stderr
    assert "Old Team (old_team)" in result.stderr and "run the same import again" in result.stderr
    assert "Traceback" not in result.output
    assert _count(Case) == 1
    assert teams_file.read_bytes() == before

    # As it says: put it right and run the same import again.
    (tmp_path / ".teams.toml.new").rmdir()
    again = import_csv(app, path, "--create-teams")

    assert again.exit_code == 0, again.output
    assert "Imported 0 cases" in again.stdout
    assert _inactive(teams_file) == ["old_team"]
    assert _count(Case) == 1


def test_create_teams_without_a_teams_file_of_your_own_is_refused(app, clock, tmp_path):
    app.config["TEAMS_CONFIG"] = None
    shipped = DEFAULT_TEAMS_FILE.read_bytes()
    rows = [complaint("COM/1", "2025-04-14", team="Leaving Care (old)")]

    result = import_csv(app, write_csv(tmp_path / "old.csv", rows), "--create-teams")
    # Naming the shipped file itself is no better.
    app.config["TEAMS_CONFIG"] = str(DEFAULT_TEAMS_FILE)
    named = import_csv(app, write_csv(tmp_path / "old.csv", rows), "--create-teams")

    for refused in (result, named):
        assert refused.exit_code == 2
        assert "set TEAMS_CONFIG to the copy's path" in refused.stderr
        assert "Nothing was imported" in refused.stderr
        assert "Traceback" not in refused.output
    assert _count(Case) == 0
    assert DEFAULT_TEAMS_FILE.read_bytes() == shipped


def test_no_progress_bar_when_the_output_is_not_a_terminal(app, clock, tmp_path):
    rows = [complaint(f"COM/{n}", "2025-04-14") for n in range(50)]

    result = import_csv(app, write_csv(tmp_path / "old.csv", rows))

    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    assert result.stdout.startswith("Imported 50 cases")


def test_a_progress_bar_shows_on_a_terminal(app, clock, database_url, tmp_path):
    # A real run of the command on a pseudo-terminal, as a person would type it.
    rows = [complaint(f"COM/{n}", "2025-04-14") for n in range(2100)]
    path = write_csv(tmp_path / "old.csv", rows)
    db.session.remove()
    controller, terminal = pty.openpty()
    env = {**os.environ, "DATABASE_URL": database_url, "INTAKE_ENV": "testing"}
    env.pop("TEAMS_CONFIG", None)
    process = subprocess.Popen(
        [sys.executable, "-m", "flask", "--app", "wsgi", "intake", "import-cases", str(path)],
        stdin=terminal, stdout=terminal, stderr=terminal, env=env, cwd=PROJECT_ROOT,
    )  # fmt: skip
    os.close(terminal)
    output = b""
    while True:
        try:
            chunk = os.read(controller, 4096)
        except OSError:  # the other end closed
            break
        if not chunk:
            break
        output += chunk
    os.close(controller)
    assert process.wait(timeout=120) == 0, output.decode("utf-8", "replace")
    shown = output.decode("utf-8", "replace")

    assert "Checking" in shown and "Importing" in shown
    assert "[####" in shown and "100%" in shown
    assert "Imported 2,100 cases from old.csv" in shown
    assert _count(Case) == 2100
