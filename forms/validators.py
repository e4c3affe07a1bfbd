"""Validators for contact details: each tidies the answer into the form we store."""

from __future__ import annotations

import re
from typing import Any

import phonenumbers
from email_validator import EmailNotValidError, validate_email
from flask import current_app
from wtforms.validators import StopValidation, ValidationError

# Ofcom keeps these ranges for drama and testing: they never reach a real person.
_FICTIONAL_MOBILE = re.compile(r"^\+447700900\d{3}$")
_FICTIONAL_OTHER = re.compile(
    r"^\+44(1134960|1144960|1154960|1164960|1174960|1184960|1214960|1314960|1414960"
    r"|1514960|1614960|1632960|2079460|2890180|2920180|3069990|8081570|9098790)\d{3}$"
)

_POSTCODE = re.compile(
    r"^(GIR ?0AA|[A-PR-UWYZ]"
    r"([0-9]{1,2}|[A-HK-Y][0-9]{1,2}|[0-9][A-HJKMNPR-Y]|[A-HK-Y][0-9][ABEHMNPRVWXY])"
    r" ?[0-9][ABD-HJLNP-UW-Z]{2})$"
)


class Email:
    """An email address in a form we can send to; stored as the validator normalises it."""

    def __init__(self, message: Any) -> None:
        self.message = message

    def __call__(self, form: Any, field: Any) -> None:
        if not field.data:
            return
        try:
            checked = validate_email(field.data, check_deliverability=False)
        except EmailNotValidError:
            raise ValidationError(str(self.message)) from None
        field.data = checked.normalized


class PhoneNumber:
    """A UK or international number, stored in E.164 (+447700900123).

    UK numbers may be written any usual way (07700 900123, +44 7700 900123); others need
    their country code. With `mobile`, the number must be able to receive texts.
    """

    def __init__(self, message: Any, *, mobile: bool = False) -> None:
        self.message = message
        self.mobile = mobile

    def __call__(self, form: Any, field: Any) -> None:
        if not field.data:
            return
        try:
            number = phonenumbers.parse(field.data, "GB")
        except phonenumbers.NumberParseException:
            raise ValidationError(str(self.message)) from None
        e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
        if self._fictional_allowed() and (
            _FICTIONAL_MOBILE.match(e164) or (not self.mobile and _FICTIONAL_OTHER.match(e164))
        ):
            field.data = e164
            return
        if not phonenumbers.is_valid_number(number):
            raise ValidationError(str(self.message))
        if self.mobile and phonenumbers.number_type(number) not in {
            phonenumbers.PhoneNumberType.MOBILE,
            phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
        }:
            raise ValidationError(str(self.message))
        field.data = e164

    @staticmethod
    def _fictional_allowed() -> bool:
        return bool(current_app.config.get("ALLOW_FICTIONAL_PHONE_NUMBERS"))


def readable_phone(e164: str | None) -> str:
    """A stored number as people write it: 07700 900123, or +33 6 12 34 56 78 abroad."""
    if not e164:
        return ""
    try:
        number = phonenumbers.parse(e164, "GB")
    except phonenumbers.NumberParseException:
        return e164
    style = (
        phonenumbers.PhoneNumberFormat.NATIONAL
        if number.country_code == 44
        else phonenumbers.PhoneNumberFormat.INTERNATIONAL
    )
    return phonenumbers.format_number(number, style)


class UkPostcode:
    """A real-looking UK postcode, stored in capitals with its space: "SW1A 1AA"."""

    def __init__(self, message: Any) -> None:
        self.message = message

    def __call__(self, form: Any, field: Any) -> None:
        if not field.data:
            return
        compact = re.sub(r"\s+", "", field.data).upper()
        if not _POSTCODE.match(compact):
            raise ValidationError(str(self.message))
        field.data = f"{compact[:-3]} {compact[-3:]}"


class DateGiven:
    """A required date. Unlike `DataRequired` it keeps the date field's own, more precise
    error ("must include a month", "must be a real date") when the boxes were filled in
    wrongly, and says "Enter the date" only when all three were left empty."""

    field_flags = {"required": True}

    def __init__(self, message: Any) -> None:
        self.message = message

    def __call__(self, form: Any, field: Any) -> None:
        if field.process_errors:
            raise StopValidation()
        if field.data is None:
            raise StopValidation(str(self.message))


def required_when(condition: bool, field: Any, message: Any) -> None:
    """Raise the field's own error when a revealed question was left empty."""
    if condition and not field.data:
        field.errors.append(str(message))
