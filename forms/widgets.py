"""GOV.UK widgets for the few cases govuk-frontend-wtf leaves in English or leaves out."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from babel import Locale
from flask_babel import format_decimal, get_locale, ngettext
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


@lru_cache(maxsize=32)
def _plural_examples(locale: str) -> dict[str, int]:
    """A number in each of the language's plural categories ("one": 1, "few": 2, ...)."""
    rule = Locale.parse(locale).plural_form
    examples: dict[str, int] = {}
    for number in range(1001):
        examples.setdefault(rule(number), number)
    return examples


def plural_texts(singular: str, plural: str) -> dict[str, str]:
    """A message for each plural category of the page's language, as GOV.UK Frontend's
    scripts choose among them (with the browser's Intl.PluralRules): Polish and Welsh
    say "2 characters" and "5 characters" differently, Arabic has six forms."""
    examples = _plural_examples(str(get_locale() or "en"))
    return {category: ngettext(singular, plural, n) for category, n in examples.items()}


class GovCount(GovCharacterCount):
    """A character count whose every message is in the page's language, with the
    language's own plural forms and numbers."""

    def map_gov_params(self, field: Any, **kwargs: Any) -> dict[str, Any]:
        params = _translated_error(super().map_gov_params(field, **kwargs))
        limit = params.get("maxlength")
        if limit:
            # Shown (to screen readers) without JavaScript: the number is written here.
            params.setdefault(
                "textareaDescriptionText",
                ngettext(
                    "You can enter up to %(limit)s character",
                    "You can enter up to %(limit)s characters",
                    int(limit),
                    limit=format_decimal(int(limit)),
                ),
            )
            # %{count} is filled in by GOV.UK Frontend's script as the person types.
            params.setdefault(
                "charactersUnderLimitText",
                plural_texts(
                    "You have %%{count} character remaining",
                    "You have %%{count} characters remaining",
                ),
            )
            params.setdefault("charactersAtLimitText", _("You have no characters remaining"))
            params.setdefault(
                "charactersOverLimitText",
                plural_texts(
                    "You have %%{count} character too many",
                    "You have %%{count} characters too many",
                ),
            )
        return params


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
