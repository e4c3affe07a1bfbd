"""A report as the file people asked for: JSON, CSV, or a printable HTML document."""

from __future__ import annotations

import json
from typing import Any

from flask import current_app, render_template

from intake.reports.formats import as_csv, page_context


def render_report(report: dict[str, Any], output: str) -> str:
    if output == "json":
        return json.dumps(report, indent=2, ensure_ascii=False) + "\n"
    if output == "csv":
        return as_csv(report)
    return render_template(
        "reports/document.html",
        council=current_app.extensions["intake.council"].council,
        **page_context(report),
    )
