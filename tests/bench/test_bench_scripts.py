"""The benchmarks stay runnable: each script, on a tiny dataset, prints its ratios."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

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
    assert finished.returncode == 0, finished.stderr[-2000:]
    return finished.stdout


def test_the_history_bench_imports_and_reports_with_ratios():
    printed = _run("report_history.py", "--cases", "300", "--repeats", "1", "--sqlite-only")

    assert "import 300 cases" in printed
    assert "cases in the database: 300" in printed
    assert len(re.findall(r"ratio \d+(\.\d+)?", printed)) == 2


def test_the_outbox_bench_sends_and_prints_its_ratio():
    printed = _run("outbox_throughput.py", "--messages", "200", "--postgres", "")

    assert re.search(r"SQLite\s+1\s+[\d,]+\s+[\d,]+\s+\d+\.\d\d", printed), printed
