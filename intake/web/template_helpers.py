"""Filters, globals and context every template can use."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from flask import Flask, has_request_context
from flask_babel import format_date, get_locale
from flask_babel import gettext as _
from wtforms import RadioField, SelectMultipleField

from forms.fields import DateParts
from intake.casework.calendar import COUNCIL_TIME_ZONE
from intake.casework.council import localise
from intake.web.context import council
from intake.web.i18n import language_links

RIGHT_TO_LEFT = {"ar", "fa", "he", "ps", "ur", "yi"}


def long_date(day: date | None) -> str:
    """A date as people say it: "Wednesday 25 November 2026", in the page's language."""
    if day is None:
        return ""
    return format_date(day, "EEEE d MMMM y")


def local_time(moment: datetime | None) -> str:
    """A moment in the council's time: "22 Nov 2026 14:05"."""
    if moment is None:
        return ""
    return moment.astimezone(COUNCIL_TIME_ZONE).strftime("%-d %b %Y %H:%M")


def error_summary(form: Any) -> dict[str, Any]:
    """Parameters for govukErrorSummary: one link per field, to the input to fix first."""
    links = []
    for field in form:
        if not field.errors:
            continue
        target = field.id
        if isinstance(field, DateParts):
            first = next((p for p in ("day", "month", "year") if p in field.wrong_parts), "day")
            target = f"{field.name}-{first}"
        links.append({"text": field.errors[0], "href": f"#{target}"})
    return {"titleText": _("There is a problem"), "errorList": links}


_GROUPED = (RadioField, SelectMultipleField, DateParts)


def as_heading(field: Any, size: str = "l", **extra: Any) -> dict[str, Any]:
    """Widget params making the field's label (or legend) the page's <h1>."""
    if isinstance(field, _GROUPED):
        legend = {
            "text": field.label.text,
            "isPageHeading": True,
            "classes": f"govuk-fieldset__legend--{size}",
        }
        return {"fieldset": {"legend": legend}, **extra}
    label = {"text": field.label.text, "isPageHeading": True, "classes": f"govuk-label--{size}"}
    return {"label": label, **extra}


def as_question(field: Any, size: str = "m", **extra: Any) -> dict[str, Any]:
    """Widget params for one of several questions on a page: a sized legend or label."""
    if isinstance(field, _GROUPED):
        legend = {"text": field.label.text, "classes": f"govuk-fieldset__legend--{size}"}
        return {"fieldset": {"legend": legend}, **extra}
    return {"label": {"text": field.label.text, "classes": f"govuk-label--{size}"}, **extra}


def register(app: Flask) -> None:
    app.add_template_filter(long_date)
    app.add_template_filter(local_time)
    app.add_template_global(error_summary)
    app.add_template_global(as_heading)
    app.add_template_global(as_question)

    @app.context_processor
    def _page_context() -> dict[str, Any]:
        locale = str(get_locale() or "en")
        language = locale.split("_")[0]
        settings = council()
        return {
            "council": settings.council,
            # The service's name in the page's language (the council may give one per
            # language; a single name is used for all).
            "service_title": localise(settings.council.service_name, language),
            "acknowledge_working_days": settings.acknowledge_working_days,
            "html_lang": language,
            "text_direction": "rtl" if language in RIGHT_TO_LEFT else "ltr",
            "language_links": language_links(language) if has_request_context() else [],
        }
