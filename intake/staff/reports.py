"""The Reports page: the annual report's tables and charts for any period, to read, print
or download as JSON or CSV (a zip of one table per section). Every staff role may see
it; only the complaints team sees counts under 5 (outside equality monitoring, which
nobody sees below 5). Downloads are made from the same hidden figures as the page."""

from __future__ import annotations

from datetime import date
from urllib.parse import urlencode

from flask import Response, render_template, request

from forms.staff import ReportPeriodForm
from intake.casework.audit import record_audit
from intake.casework.staff import Role as StaffRole
from intake.extensions import db
from intake.reports.annual import build_report
from intake.reports.formats import csv_zip, page_context
from intake.reports.periods import Period, last_financial_year
from intake.reports.render import render_report
from intake.reports.small_numbers import for_reader
from intake.staff import _actor, blueprint
from intake.staff.auth import staff
from intake.web.context import council, routing, today

# format: (what the file is, its name's ending)
DOWNLOADS = {"json": ("application/json", "json"), "csv": ("application/zip", "csv.zip")}


def _parts(day: date) -> list[str]:
    """A date as the three boxes of the GOV.UK date input send it."""
    return [str(day.day), str(day.month), str(day.year)]


@blueprint.get("/reports")
def reports() -> Response | tuple[str, int] | str:
    asked = "from" in request.args or "to" in request.args
    form = ReportPeriodForm(formdata=request.args if asked else None)
    if not asked:
        default = last_financial_year(today())
        form.starts.data, form.ends.data = default.start, default.end
    elif not form.validate():
        return render_template("staff/reports.html", form=form, report=None), 400
    period = Period(form.starts.data, form.ends.data)
    output = request.args.get("format", "html")
    if output not in {"html", *DOWNLOADS}:
        output = "html"
    figures = build_report(db.session, council(), {t.key: t.name for t in routing().teams}, period)
    sees_cases = StaffRole(staff().role) is StaffRole.COMPLAINTS_OFFICER
    shown = for_reader(figures, sees_cases=sees_cases)
    record_audit(
        db.session,
        actor=_actor(),
        action="report",
        detail={**period.as_dict(), "format": output, "small_numbers_hidden": not sees_cases},
    )
    db.session.commit()
    query = [
        *(("from", part) for part in _parts(period.start)),
        *(("to", part) for part in _parts(period.end)),
    ]
    if output in DOWNLOADS:
        mimetype, ending = DOWNLOADS[output]
        name = f"complaints-report-{period.start.isoformat()}-to-{period.end.isoformat()}.{ending}"
        return Response(
            csv_zip(shown) if output == "csv" else render_report(shown, output),
            mimetype=mimetype,
            headers={"Content-Disposition": f'attachment; filename="{name}"'},
        )
    return render_template(
        "staff/reports.html",
        form=form,
        small_numbers_hidden=not sees_cases,
        downloads={kind: f"?{urlencode([*query, ('format', kind)])}" for kind in DOWNLOADS},
        **page_context(shown),
    )
