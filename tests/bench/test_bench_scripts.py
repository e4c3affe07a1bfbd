"""The benchmarks stay runnable: each script, on a tiny dataset, prints its ratios."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import sqlalchemy as sa

ROOT = Path(__file__).resolve().parents[2]


def _run(script: str, *args: str) -> str:
    environment = {k: v for k, v in os.environ.items() if k != "TEST_DATABASE_URL"}
    finished = subprocess.run(
        [sys.executable, str(ROOT / "bench" / script), *args],
        capture_output=True,
        text=True,
        timeout=600,
        env=environment,
        cwd=ROOT,
        check=False,
    )
    assert finished.returncode == 0, finished.stdout[-3000:] + finished.stderr[-2000:]
    return finished.stdout


def test_the_history_bench_imports_and_reports_with_ratios():
    printed = _run("report_history.py", "--cases", "300", "--repeats", "1", "--sqlite-only")

    assert "import 300 cases" in printed
    assert "cases in the database: 300" in printed
    assert len(re.findall(r"ratio \d+(\.\d+)?", printed)) == 2


def test_the_outbox_bench_sends_and_prints_its_ratio():
    printed = _run("outbox_throughput.py", "--messages", "200", "--postgres", "")

    assert re.search(r"SQLite\s+1\s+[\d,]+\s+[\d,]+\s+\d+\.\d\d", printed), printed


def test_the_production_bench_runs_the_documented_layout_and_checks_what_it_promises():
    """gunicorn (2 web processes) and 2 workers from deploy/, on PostgreSQL: a small load,
    every invariant checked by the script itself (it exits 1 if one fails), then the
    speed comparison against a bare Flask endpoint."""
    postgres = os.environ.get("TEST_DATABASE_URL")
    if not postgres:
        pytest.skip("TEST_DATABASE_URL is not set: the production layout needs PostgreSQL")
    printed = _run(
        "production.py",
        "--postgres",
        postgres,
        "--submissions",
        "20",
        "--messages",
        "20",
        "--clients",
        "5",
        "--speed",
        "--speed-requests",
        "100",
        "--speed-clients",
        "5",
    )

    assert "FAIL" not in printed
    assert "ok   20 new cases" in printed
    assert "ok   one acknowledgement per case" in printed
    assert "ok   no 5xx" in printed
    speeds = re.findall(r"signed chat webhook: +\d+ a second.*\d+ % of the ceiling", printed)
    assert len(speeds) == 2  # busy and quiet
    assert re.search(r"resident memory of each web process after the load: \d+ MB", printed)


def test_on_postgresql_the_history_bench_leaves_cases_the_pages_bench_times():
    """The million-case benches, tiny: the history imported into PostgreSQL, then the team
    queue and a case page timed against it beside a baseline from the same run."""
    postgres = os.environ.get("TEST_DATABASE_URL")
    if not postgres:
        pytest.skip("TEST_DATABASE_URL is not set: these benches need PostgreSQL")
    schema = "intake_bench_kept_runnable"
    printed = _run(
        "report_history.py",
        "--cases",
        "300",
        "--repeats",
        "1",
        "--postgres",
        postgres,
        "--schema",
        schema,
    )
    assert "PostgreSQL" in printed
    assert len(re.findall(r"ratio \d+(\.\d+)?", printed)) == 4  # both databases

    url = sa.make_url(postgres).set(drivername="postgresql+psycopg")
    pages = _run(
        "production.py",
        "--postgres",
        postgres,
        "--submissions",
        "0",
        "--messages",
        "0",
        # Its own schema: the production bench's test may be running at the same time.
        "--schema",
        "intake_bench_production_pages",
        "--pages",
        url.update_query_dict({"options": f"-csearch_path={schema}"}).render_as_string(
            hide_password=False
        ),
    )
    assert re.search(r"baseline \(/healthz on the same server\): p50", pages), pages
    for page in ("team queue", "case page"):
        assert re.search(
            rf"{page} with 300 cases: p50 \d+ ms, p95 \d+ ms .* times the baseline's p95", pages
        ), pages
