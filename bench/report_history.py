"""A council's history: import a million past cases, then report a year of them.

    .venv/bin/python bench/report_history.py [--cases 1000000] [--postgres URL]

Writes a realistic CSV history (ten financial years; complaints, compliments, comments,
concerns and advocacy requests in the proportions councils publish; about one complaint
in eight escalated to Stage 2 and one in fifty to Stage 3; reasons, extensions,
withdrawals, refusals and Ombudsman decisions), imports it with the real command
(`flask intake import-cases`: check every row, then write), and produces the annual
report for the last year of it (`flask intake report --format json`), on SQLite and, when
a PostgreSQL URL is given (or TEST_DATABASE_URL is set), on PostgreSQL.

Each figure is printed beside a baseline measured in the same run on the same database,
because the machines it runs on are shared and noisy:
- the import against a bare bulk INSERT of the same number of rows into a table shaped
  like `cases` (what the database itself costs);
- the report against one grouped count over the year's cases (the cheapest query a
  report could be).
The ratios are the numbers to compare between runs.
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("INTAKE_ENV", "testing")

from flask_migrate import upgrade

from bench.schemas import own_schema
from intake import create_app
from intake.casework.imports import COLUMNS
from intake.clock import FixedClock
from intake.extensions import db

FIRST_YEAR = 2016
YEARS = 10
KINDS = (
    ("complaint", 0.40),
    ("compliment", 0.25),
    ("comment", 0.20),
    ("case_concern", 0.08),
    ("advocacy_request", 0.05),
    ("members_enquiry", 0.02),
)
METHODS = ("email", "online_form", "letter", "telephone", "text_message", "web_chat", "in_person")
ROLES = ("parent", "parent", "parent", "grandparent", "foster_carer", "young_person", "advocate")
TEAMS = ("assessment", "child_in_need", "children_in_care", "care_leavers", "send", "early_help")
REASONS = (
    "communication:not_kept_informed",
    "communication:data_breach",
    "delay:assessment_delay",
    "quality:changes_of_worker",
    "staff_attitude:rude_behaviour",
    "disputed_decision:contact_frequency",
    "non_delivery:visits_missed",
)
OUTCOMES = ("upheld", "partially_upheld", "not_upheld", "not_upheld", "withdrawn", "refused")
TODAY = date(FIRST_YEAR + YEARS, 4, 30)


def _weekday(day: date) -> date:
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def write_history(path: Path, cases: int, seed: int = 7) -> None:
    """`cases` rows spread evenly over ten financial years (April to March)."""
    rng = random.Random(seed)  # noqa: S311 - made-up data, not secrets
    start = date(FIRST_YEAR, 4, 1)
    span = (date(FIRST_YEAR + YEARS, 3, 31) - start).days
    kinds = [k for k, _w in KINDS]
    weights = [w for _k, w in KINDS]
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(COLUMNS)
        for n in range(cases):
            received = _weekday(start + timedelta(days=rng.randrange(span)))
            kind = rng.choices(kinds, weights)[0]
            row = dict.fromkeys(COLUMNS, "")
            row.update(
                reference=f"COM/{n:08d}",
                kind=kind,
                received=received.isoformat(),
                method=rng.choice(METHODS),
                complainant_role=rng.choice(ROLES),
                team=rng.choice(TEAMS),
            )
            if kind != "compliment":
                ack = _weekday(received + timedelta(days=rng.choice((0, 1, 1, 2, 3, 6))))
                row["acknowledged"] = min(ack, TODAY).isoformat()
            if kind == "complaint":
                row["procedure"] = "statutory" if rng.random() < 0.8 else "corporate"
                row["reasons"] = ";".join(rng.sample(REASONS, rng.choice((1, 1, 2))))
                answered = _weekday(received + timedelta(days=rng.choice((5, 9, 12, 16, 22, 35))))
                if answered <= TODAY:
                    outcome = rng.choice(OUTCOMES)
                    row.update(stage1_responded=answered.isoformat(), stage1_outcome=outcome)
                    if rng.random() < 0.1:
                        row["stage1_extended"] = "yes"
                    if outcome not in ("withdrawn", "refused") and rng.random() < 0.12:
                        asked = _weekday(answered + timedelta(days=rng.randrange(3, 25)))
                        replied = _weekday(asked + timedelta(days=rng.choice((25, 35, 60))))
                        if replied <= TODAY:
                            row.update(
                                stage2_requested=asked.isoformat(),
                                stage2_responded=replied.isoformat(),
                                stage2_outcome=rng.choice(OUTCOMES[:4]),
                            )
                            if row["procedure"] == "statutory" and rng.random() < 0.15:
                                panel = _weekday(replied + timedelta(days=rng.randrange(5, 25)))
                                done = _weekday(panel + timedelta(days=45))
                                if done <= TODAY:
                                    row.update(
                                        stage3_requested=panel.isoformat(),
                                        stage3_responded=done.isoformat(),
                                        stage3_outcome=rng.choice(OUTCOMES[:4]),
                                    )
                    if rng.random() < 0.02:
                        row["ombudsman_decision"] = rng.choice(
                            ("no_fault", "fault_with_injustice", "premature", "local_settlement")
                        )
                        row["remedy_amount"] = str(rng.choice((0, 150, 250, 500))) or ""
            elif kind in ("comment", "case_concern") and rng.random() < 0.8:
                replied = _weekday(received + timedelta(days=rng.randrange(1, 15)))
                if replied <= TODAY:
                    row["stage1_responded"] = replied.isoformat()
            writer.writerow(row.values())


def _app(url: str):  # type: ignore[no-untyped-def]
    app = create_app({"SQLALCHEMY_DATABASE_URI": url})
    app.extensions["intake.clock"] = FixedClock(
        datetime(TODAY.year, TODAY.month, TODAY.day, 12, tzinfo=UTC)
    )
    return app


SCHEMA = "intake_bench"


def _fresh(url: str) -> None:
    app = _app(url)
    with app.app_context():
        upgrade()
        db.engine.dispose()


def _baseline_insert(url: str, cases: int) -> float:
    """A bare bulk INSERT of `cases` rows shaped like `cases`: the database's own cost."""
    engine = sa.create_engine(url)
    metadata = sa.MetaData()
    table = sa.Table(
        "bench_baseline",
        metadata,
        sa.Column("id", sa.Integer, primary_key=True),
        *(sa.Column(name, sa.String(40)) for name in ("reference", "kind", "method", "role")),
        *(sa.Column(name, sa.Date) for name in ("received_on", "acknowledge_by", "respond_by")),
    )
    metadata.drop_all(engine)
    metadata.create_all(engine)
    day = date(2020, 1, 1)
    started = time.perf_counter()
    with engine.begin() as connection:
        for first in range(0, cases, 5000):
            connection.execute(
                sa.insert(table),
                [
                    {
                        "reference": f"COM/{n:08d}",
                        "kind": "complaint",
                        "method": "email",
                        "role": "parent",
                        "received_on": day,
                        "acknowledge_by": day,
                        "respond_by": day,
                    }
                    for n in range(first, min(first + 5000, cases))
                ],
            )
    elapsed = time.perf_counter() - started
    metadata.drop_all(engine)
    engine.dispose()
    return elapsed


def _import(url: str, path: Path) -> float:
    app = _app(url)
    with app.app_context():
        started = time.perf_counter()
        result = app.test_cli_runner().invoke(args=["intake", "import-cases", str(path)])
        elapsed = time.perf_counter() - started
        assert result.exit_code == 0, result.output
        db.engine.dispose()
    return elapsed


def _report(url: str, repeats: int) -> tuple[float, float]:
    """(report, baseline) seconds, the best of `repeats` each."""
    app = _app(url)
    start, end = date(FIRST_YEAR + YEARS - 1, 4, 1), date(FIRST_YEAR + YEARS, 3, 31)
    with app.app_context():
        runner = app.test_cli_runner()
        args = ["intake", "report", "--from", start.isoformat(), "--to", end.isoformat()]
        runner.invoke(args=[*args, "--format", "json"])  # the working-day table, once
        timings, baselines = [], []
        for _ in range(repeats):
            started = time.perf_counter()
            result = runner.invoke(args=[*args, "--format", "json"])
            timings.append(time.perf_counter() - started)
            assert result.exit_code == 0, result.output
            started = time.perf_counter()
            db.session.execute(
                sa.text(
                    "SELECT kind, count(*) FROM cases WHERE received_on BETWEEN :a AND :b "
                    "GROUP BY kind"
                ),
                {"a": start, "b": end},
            ).all()
            baselines.append(time.perf_counter() - started)
            db.session.rollback()
        cases = db.session.scalar(sa.text("SELECT count(*) FROM cases"))
        print(f"  cases in the database: {cases:,}")
        db.engine.dispose()
    return min(timings), min(baselines)


def run(name: str, url: str, path: Path, cases: int, repeats: int) -> dict[str, float]:
    print(f"{name}:")
    _fresh(url)
    baseline = _baseline_insert(url, cases)
    imported = _import(url, path)
    print(
        f"  import {cases:,} cases: {imported:.1f} s ({cases / imported:,.0f} a second); "
        f"bare insert of as many rows: {baseline:.1f} s; ratio {imported / baseline:.1f}"
    )
    report, floor = _report(url, repeats)
    print(
        f"  a year's report: {report * 1000:.0f} ms; one grouped count over the year: "
        f"{floor * 1000:.1f} ms; ratio {report / floor:.0f}"
    )
    return {"import": imported, "import_baseline": baseline, "report": report, "floor": floor}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--postgres", default=os.environ.get("TEST_DATABASE_URL"))
    parser.add_argument("--sqlite-only", action="store_true")
    parser.add_argument(
        "--schema",
        default=SCHEMA,
        help="the PostgreSQL schema the history is left in (production.py --pages reads it)",
    )
    options = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "history.csv"
        started = time.perf_counter()
        write_history(path, options.cases)
        print(f"Wrote {options.cases:,} past cases in {time.perf_counter() - started:.1f} s.")
        run("SQLite", f"sqlite:///{folder}/bench.sqlite3", path, options.cases, options.repeats)
        if options.postgres and not options.sqlite_only:
            url = own_schema(options.postgres, options.schema)
            run("PostgreSQL", url, path, options.cases, options.repeats)


if __name__ == "__main__":
    main()
