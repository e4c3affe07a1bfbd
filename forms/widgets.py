"""GOV.UK widgets for the few cases govuk-frontend-wtf leaves in English or leaves out."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from govuk_frontend_wtf.wtforms_widgets import (
    GovCharacterCount,
    GovCheckboxesInput,
    GovDateInput,
    GovRadioInput,
    GovTextInput,
)


def _translated_error(params: dict[str, Any]) -> dict[str, Any]:
    """The error message's hidden "Error:" prefix, which the macro leaves in English."""
    if params.get("errorMessage"):
        params["errorMessage"]["visuallyHiddenText"] = _("Error")
    return params


class GovText(GovTextInput):
    def map_gov_params(self, field: Any, **kwargs: Any) -> dict[str, Any]:
        return _translated_error(super().map_gov_params(field, **kwargs))


class GovCount(GovCharacterCount):
    def map_gov_params(self, field: Any, **kwargs: Any) -> dict[str, Any]:
        return _translated_error(super().map_gov_params(field, **kwargs))


class GovChoiceHints:
    """Adds each option's hint (from the field's `hints`) under its label."""

    def add_hints(self, field: Any, params: dict[str, Any]) -> dict[str, Any]:
        if not (params.get("hint") or {}).get("text") and not (params.get("hint") or {}).get(
            "html"
        ):
            # An empty hint would still be announced by screen readers (aria-describedby).
            params.pop("hint", None)
        hints = getattr(field, "hints", {}) or {}
        for item in params.get("items", []):
            hint = hints.get(item.get("value"))
            if hint:
                item.setdefault("hint", {"text": str(hint)})
        return params


class GovRadios(GovChoiceHints, GovRadioInput):
    def map_gov_params(self, field: Any, **kwargs: Any) -> dict[str, Any]:
        return _translated_error(self.add_hints(field, super().map_gov_params(field, **kwargs)))


class GovCheckboxes(GovChoiceHints, GovCheckboxesInput):
    """Checkboxes where some options ("I do not know", "None of these") stand alone.

    Those options come after an "or" divider and, with JavaScript, untick the others;
    the field's own validation refuses the combination without JavaScript.
    """

    def map_gov_params(self, field: Any, **kwargs: Any) -> dict[str, Any]:
        params = self.add_hints(field, super().map_gov_params(field, **kwargs))
        exclusive = set(getattr(field, "exclusive", ()))
        items: list[dict[str, Any]] = []
        for item in params["items"]:
            if item.get("value") in exclusive:
                items.append({"divider": _("or")})
                item["behaviour"] = "exclusive"
            items.append(item)
        params["items"] = items
        return _translated_error(params)


class GovDate(GovDateInput):
    """The GOV.UK date input with translated part labels and only the wrong parts marked."""

    def map_gov_params(self, field: Any, **kwargs: Any) -> dict[str, Any]:
        params = super().map_gov_params(field, **kwargs)
        labels = {"day": _("Day"), "month": _("Month"), "year": _("Year")}
        widths = {"day": "govuk-input--width-2", "month": "govuk-input--width-2"}
        wrong = set(getattr(field, "wrong_parts", ()))
        for part, item in zip(("day", "month", "year"), params["items"], strict=True):
            item["label"] = labels[part]
            item["classes"] = widths.get(part, "govuk-input--width-4")
            if part in wrong:
                item["classes"] += " govuk-input--error"
            item["attributes"] = {
                "inputmode": "numeric",
                "autocomplete": f"bday-{part}" if getattr(field, "is_birthday", False) else "off",
            }
        return _translated_error(params)
