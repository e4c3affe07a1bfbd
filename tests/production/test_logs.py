"""JSON logs: one object a line, with no exception message (it can quote people's words)."""

from __future__ import annotations

import json
import logging
import re
from pathlib import Path

from intake.logs import JsonFormatter

ROOT = Path(__file__).resolve().parents[2]


def test_a_log_line_is_one_json_object_without_the_exceptions_message():
    # What a person wrote, reaching an exception's message: it must never be logged.
    words = " ".join(["Amara", "told", "us", "her", "stepdad", "hits", "her"])
    try:
        raise ValueError(words)
    except ValueError:
        record = logging.getLogger("intake.test").makeRecord(
            "intake.test",
            logging.ERROR,
            __file__,
            1,
            "case %s failed",
            ("CS-2026-00001",),
            exc_info=__import__("sys").exc_info(),
        )
    line = JsonFormatter().format(record)
    entry = json.loads(line)
    assert entry["message"] == "case CS-2026-00001 failed"
    assert entry["level"] == "error" and entry["logger"] == "intake.test"
    assert entry["error"] == "ValueError"
    assert "stepdad" not in line and "Amara" not in line


def test_the_threat_model_names_only_tests_that_exist():
    """docs/threat-model.md says which test proves each defence: each must be real."""
    text = (ROOT / "docs" / "threat-model.md").read_text("utf-8")
    named = set(re.findall(r"(tests/[\w/]+\.py)(?:::(\w+))?", text))
    assert len(named) > 15
    for path, test in named:
        assert (ROOT / path).exists(), path
        if test:
            assert f"def {test}(" in (ROOT / path).read_text("utf-8"), f"{path}::{test}"
