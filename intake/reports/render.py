"""A report as the file people asked for: JSON, CSV, or a printable HTML document."""

from __future__ import annotations

import json
from typing import Any

from flask import current_app, render_template

from intake.reports.formats import csv_text, page_context


def render_report(report: dict[str, Any], output: str) -> str:
    """The report as text: JSON, the printable HTML document, or every section's CSV
    one after another (`formats.csv_text`; the files themselves come from
    `formats.csv_files` and `formats.csv_zip`)."""
    if output == "json":
        return json.dumps(report, indent=2, ensure_ascii=False) + "\n"
    if output == "csv":
        return csv_text(report)
    return render_template(
        "reports/document.html",
        council=current_app.extensions["intake.council"].council,
        **page_context(report),
    )
