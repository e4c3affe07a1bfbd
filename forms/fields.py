"""Form fields whose every message is specific, polite and translatable.

WTForms' own fields answer a tampered or mistyped value with "Not a valid choice" or
"Not a valid integer value"; these say what to do instead, in the GOV.UK style.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import Field, IntegerField, RadioField, SelectMultipleField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import ValidationError

from forms.widgets import GovCheckboxes, GovDate, GovRadios, GovText


class ChoiceField(RadioField):
    """Radios. A missing or unknown answer gets `message`, the page's own words."""

    widget = GovRadios()

    def __init__(
        self,
        label: Any = None,
        *,
        message: Any,
        hints: Mapping[str, Any] | None = None,
        required: bool = True,
        **kwargs: Any,
    ) -> None:
        super().__init__(label, validate_choice=False, **kwargs)
        self.message = message
        self.hints = dict(hints or {})
        self.required = required

    def pre_validate(self, form: Any) -> None:
        if self.data in (None, "", "None"):
            self.data = None
            if self.required:
                raise ValidationError(str(self.message))
            return
        if self.data not in choice_values(self):
            raise ValidationError(str(self.message))


class MultipleChoiceField(SelectMultipleField):
    """Checkboxes. `exclusive` options ("I do not know") cannot be ticked with others."""

    widget = GovCheckboxes()

    def __init__(
        self,
        label: Any = None,
        *,
        message: Any,
        exclusive_message: Any = None,
        exclusive: Sequence[str] = (),
        hints: Mapping[str, Any] | None = None,
        required: bool = True,
        **kwargs: Any,
    ) -> None:
        super().__init__(label, validate_choice=False, **kwargs)
        self.message = message
        self.exclusive_message = exclusive_message
        self.exclusive = tuple(exclusive)
        self.hints = dict(hints or {})
        self.required = required

    def pre_validate(self, form: Any) -> None:
        chosen = list(self.data or [])
        known = choice_values(self)
        if not chosen:
            if self.required:
                raise ValidationError(str(self.message))
            return
        if any(value not in known for value in chosen):
            raise ValidationError(str(self.message))
        if len(chosen) != len(set(chosen)):
            self.data = list(dict.fromkeys(chosen))
        if len(self.data) > 1 and any(value in self.exclusive for value in self.data):
            raise ValidationError(str(self.exclusive_message or self.message))


TOO_BIG = 10**9


class WholeNumberField(IntegerField):
    """A whole number, or nothing; letters or fractions get `message`."""

    widget = GovText()

    def __init__(self, label: Any = None, *, message: Any, **kwargs: Any) -> None:
        super().__init__(label, **kwargs)
        self.message = message

    def process_formdata(self, valuelist: list[str]) -> None:
        if not valuelist or not valuelist[0].strip():
            self.data = None
            return
        try:
            number = int(valuelist[0].strip())
        except ValueError:
            self.data = None
            raise ValueError(str(self.message)) from None
        # WTForms' range check turns the number into a float, which overflows past about
        # 300 digits: anything this far out is held at a size every range refuses.
        self.data = max(-TOO_BIG, min(TOO_BIG, number))


class DateParts(Field):
    """The GOV.UK date input: day, month and year as three boxes with the same name.

    `name_in_message` is how the errors name the date ("Date of birth must include a
    month"), following the GOV.UK Design System's date input error messages.
    """

    widget = GovDate()

    def __init__(
        self,
        label: Any = None,
        *,
        messages: Mapping[str, Any],
        is_birthday: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(label, **kwargs)
        self.messages = messages
        self.is_birthday = is_birthday
        self.wrong_parts: tuple[str, ...] = ()

    def _value(self) -> str:
        return self.data.strftime("%d %m %Y") if isinstance(self.data, date) else ""

    def process(self, formdata: Any, data: Any = None, extra_filters: Any = None) -> None:
        super().process(formdata, data, extra_filters)
        if self.raw_data is not None:
            # A browser always sends three boxes; anything else is shown back as three.
            self.raw_data = [*list(self.raw_data)[:3], "", "", ""][:3]

    def process_formdata(self, valuelist: list[str]) -> None:
        parts = [value.strip() for value in list(valuelist)[:3]]
        parts += [""] * (3 - len(parts))
        if not any(parts):
            self.data = None
            return
        self.data = None
        names = ("day", "month", "year")
        missing = tuple(name for name, value in zip(names, parts, strict=True) if not value)
        if missing:
            self.wrong_parts = missing
            raise ValueError(str(self.messages["missing_" + "_".join(missing)]))
        try:
            day, month, year = (int(value) for value in parts)
            if year < 1000:
                raise ValueError
            self.data = date(year, month, day)
        except (ValueError, OverflowError):
            self.wrong_parts = names
            raise ValueError(str(self.messages["not_real"])) from None


def iso_date(value: Any) -> str | None:
    return value.isoformat() if isinstance(value, date) else None


def choice(value: Any, label: Any) -> SelectChoice:
    return SelectChoice(str(value), label)


def choices(labels: Mapping[Any, Any], only: Iterable[Any] | None = None) -> list[SelectChoice]:
    """The options for a vocabulary's values, labelled in people's words, in order."""
    wanted = list(only) if only is not None else list(labels)
    return [choice(value, labels[value]) for value in wanted]


def choice_values(field: Any) -> set[str]:
    return {str(option.value) for option in field.choices or ()}


def date_messages(name: Any) -> dict[str, Any]:
    """GOV.UK's date input messages for a date called `name`."""
    return {
        "missing_day": _l("%(name)s must include a day", name=name),
        "missing_month": _l("%(name)s must include a month", name=name),
        "missing_year": _l("%(name)s must include a year", name=name),
        "missing_day_month": _l("%(name)s must include a day and month", name=name),
        "missing_day_year": _l("%(name)s must include a day and year", name=name),
        "missing_month_year": _l("%(name)s must include a month and year", name=name),
        "not_real": _l("%(name)s must be a real date", name=name),
    }
