"""The online form's question pages: one form per page, in the order people meet them.

Every message says exactly what to do, in plain words, following the GOV.UK Design
System's error message patterns. Free text is made plain (no markup, no control
characters) before its length is checked, so the limit is on what we store.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from forms.base import QuestionForm, today_for_council
from forms.choices import (
    ACCESS_NEED_LABELS,
    CHILD_STATUS_LABELS,
    CONSENT_LABELS,
    KIND_HINTS,
    KIND_LABELS,
    OUTCOME_LABELS,
    REPLY_LABELS,
    ROLE_LABELS,
    WHEN_LABELS,
    language_name,
)
from forms.fields import (
    ChoiceField,
    DateParts,
    MultipleChoiceField,
    WholeNumberField,
    choice,
    choices,
    date_messages,
)
from forms.validators import Email, PhoneNumber, UkPostcode, required_when
from forms.widgets import GovCount, GovText
from intake.casework.calendar import age_on
from intake.casework.text import one_line, plain_text
from intake.casework.vocabulary import AccessNeed, ChildStatus, Kind, OutcomeSought, ReplyMethod

DETAILS_MAX = 5000
SHORT_TEXT_MAX = 1000
NAME_MAX = 200
OLDEST_AGE = 25  # care leavers are supported until 25

YES_NO = [choice("yes", _l("Yes")), choice("no", _l("No"))]
NO_NEEDS = "none"
DONT_KNOW = "dont_know"
OTHER_LANGUAGE = "other"


def _text(label: Any, *, required: Any = None, max_length: int, too_long: Any, **kw: Any) -> Any:
    """A single-line text answer, tidied to one line before it is checked."""
    # DataRequired, not InputRequired: it looks at the answer after it has been tidied,
    # so spaces or markup alone do not count as an answer.
    checks: list[Any] = [DataRequired(message=required)] if required else [Optional()]
    checks.append(Length(max=max_length, message=too_long))
    return StringField(label, filters=[one_line], validators=checks, widget=GovText(), **kw)


def _long_text(
    label: Any, *, required: Any = None, max_length: int, too_long: Any, **kw: Any
) -> Any:
    checks: list[Any] = [DataRequired(message=required)] if required else [Optional()]
    checks.append(Length(max=max_length, message=too_long))
    return TextAreaField(label, filters=[plain_text], validators=checks, widget=GovCount(), **kw)


class KindForm(QuestionForm):
    kind = ChoiceField(
        _l("What would you like to do?"),
        choices=choices(KIND_LABELS),
        hints={k.value: v for k, v in KIND_HINTS.items()},
        message=_l("Select what you would like to do"),
    )


class RoleForm(QuestionForm):
    role = ChoiceField(
        _l("Who are you?"),
        description=_l("If you are helping a child or young person, tell us how you know them."),
        choices=choices(ROLE_LABELS),
        message=_l("Select who you are"),
    )


class AdvocateForm(QuestionForm):
    organisation = _text(
        _l("Which advocacy service do you work for?"),
        required=_l("Enter the name of your advocacy service"),
        max_length=NAME_MAX,
        too_long=_l("The name of your advocacy service must be 200 characters or fewer"),
    )
    child_consent = ChoiceField(
        _l("Has the child or young person agreed to you sending this?"),
        choices=choices(CONSENT_LABELS),
        message=_l("Select whether the child or young person has agreed"),
    )
    child_wants_contact = ChoiceField(
        _l("Does the child or young person want us to contact them directly?"),
        description=_l("If not, we will contact you and you can pass things on."),
        choices=YES_NO,
        message=_l("Select yes if the child or young person wants us to contact them"),
    )


class ChildForm(QuestionForm):
    """About the child. `YoungPersonForm` asks the same of a young person about themselves."""

    first_name = _text(
        _l("Their first name"),
        required=_l("Enter the child or young person's first name"),
        max_length=100,
        too_long=_l("First name must be 100 characters or fewer"),
        render_kw={"autocomplete": "off", "spellcheck": "false"},
    )
    date_of_birth = DateParts(
        _l("Their date of birth (optional)"),
        description=_l("For example, 27 3 2012"),
        messages=date_messages(_l("Date of birth")),
    )
    age = WholeNumberField(
        _l("If you do not know their date of birth, how old are they? (optional)"),
        message=_l("Age must be a number, like 12"),
        validators=[Optional(), NumberRange(0, OLDEST_AGE, message=_l("Age must be 25 or under"))],
    )

    def check_together(self) -> None:
        born = self.date_of_birth.data
        if born is None or self.date_of_birth.errors:
            return
        today = today_for_council()
        if born > today:
            self.date_of_birth.wrong_parts = ("day", "month", "year")
            self.date_of_birth.errors.append(_("Date of birth must be in the past"))
            return
        years = age_on(born, today)
        if years > OLDEST_AGE:
            self.date_of_birth.wrong_parts = ("year",)
            self.date_of_birth.errors.append(_("The child or young person must be 25 or under"))
            return
        if self.age.data is not None and not self.age.errors and years != self.age.data:
            self.age.errors.append(
                _("Age does not match the date of birth. Check both, or leave age empty")
            )


class YoungPersonForm(ChildForm):
    first_name = _text(
        _l("Your first name"),
        required=_l("Enter your first name"),
        max_length=100,
        too_long=_l("First name must be 100 characters or fewer"),
        render_kw={"autocomplete": "given-name", "spellcheck": "false"},
    )
    date_of_birth = DateParts(
        _l("Your date of birth (optional)"),
        description=_l("For example, 27 3 2012"),
        messages=date_messages(_l("Date of birth")),
        is_birthday=True,
    )
    age = WholeNumberField(
        _l("If you would rather not give your date of birth, how old are you? (optional)"),
        message=_l("Age must be a number, like 12"),
        validators=[Optional(), NumberRange(0, OLDEST_AGE, message=_l("Age must be 25 or under"))],
    )


class ChildHelpForm(QuestionForm):
    statuses = MultipleChoiceField(
        _l("What help does the child or young person get from children's services?"),
        description=_l("Select all that apply."),
        choices=choices(CHILD_STATUS_LABELS),
        exclusive=[ChildStatus.DONT_KNOW.value],
        message=_l("Select the help they get, or select ‘I do not know’"),
        exclusive_message=_l("Select the help they get, or ‘I do not know’, not both"),
    )


class YoungPersonHelpForm(ChildHelpForm):
    statuses = MultipleChoiceField(
        _l("What help do you get from children's services?"),
        description=_l("Select all that apply."),
        choices=choices(CHILD_STATUS_LABELS),
        exclusive=[ChildStatus.DONT_KNOW.value],
        message=_l("Select the help you get, or select ‘I do not know’"),
        exclusive_message=_l("Select the help you get, or ‘I do not know’, not both"),
    )


class ServiceForm(QuestionForm):
    service = ChoiceField(
        _l("Which service or team is it about?"),
        description=_l("If it is about more than one, choose the main one."),
        message=_l("Select the service or team, or select ‘I do not know’"),
    )

    def __init__(
        self, *args: Any, services: list[tuple[str, str]], kind: Kind | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        if kind is Kind.COMPLIMENT:
            self.service.label.text = _("Which service or team would you like to thank?")
        elif kind is Kind.ADVOCACY_REQUEST:
            self.service.label.text = _("Which service or team works with them?")
        self.service.choices = [
            *(choice(key, name) for key, name in services),
            choice(DONT_KNOW, _("I do not know")),
        ]


class ComplaintDetailsForm(QuestionForm):
    details = _long_text(
        _l("What happened?"),
        description=_l(
            "Tell us what happened, who was involved and how it has affected you or the"
            " child. It does not need to be perfect."
        ),
        required=_l("Tell us what happened"),
        max_length=DETAILS_MAX,
        too_long=_l("What happened must be 5,000 characters or fewer"),
    )


class CommentDetailsForm(QuestionForm):
    details = _long_text(
        _l("What would you like to tell us?"),
        required=_l("Tell us what you would like us to know"),
        max_length=DETAILS_MAX,
        too_long=_l("Your message must be 5,000 characters or fewer"),
    )


class ComplimentDetailsForm(QuestionForm):
    details = _long_text(
        _l("What would you like to say?"),
        required=_l("Tell us what you would like to say"),
        max_length=DETAILS_MAX,
        too_long=_l("Your message must be 5,000 characters or fewer"),
    )
    worker_named = _text(
        _l("Who would you like to thank? (optional)"),
        description=_l("The name of the worker or team, if you know it."),
        max_length=NAME_MAX,
        too_long=_l("Who you would like to thank must be 200 characters or fewer"),
    )


class AdvocacyDetailsForm(QuestionForm):
    details = _long_text(
        _l("What would the child or young person like help with?"),
        description=_l(
            "For example, a meeting where they want to have their say, or a complaint they"
            " want to make."
        ),
        required=_l("Tell us what the child or young person would like help with"),
        max_length=DETAILS_MAX,
        too_long=_l("What they would like help with must be 5,000 characters or fewer"),
    )


class WhenForm(QuestionForm):
    when = ChoiceField(
        _l("When did it happen?"),
        description=_l("If it happened more than once, tell us when it last happened."),
        choices=choices(WHEN_LABELS),
        message=_l("Select when it happened"),
    )


class OutcomeForm(QuestionForm):
    outcomes = MultipleChoiceField(
        _l("What would you like to happen?"),
        description=_l("Select all that apply."),
        choices=choices(OUTCOME_LABELS),
        exclusive=[OutcomeSought.NOT_SPECIFIED.value],
        message=_l("Select what you would like to happen, or select ‘I am not sure’"),
        exclusive_message=_l("Select what you would like to happen, or ‘I am not sure’, not both"),
    )
    detail = _long_text(
        _l("Tell us more about what you would like to happen (optional)"),
        max_length=SHORT_TEXT_MAX,
        too_long=_l("What you would like to happen must be 1,000 characters or fewer"),
    )

    def check_together(self) -> None:
        if OutcomeSought.OTHER.value in (self.outcomes.data or []) and not self.detail.data:
            self.detail.errors.append(_("Tell us what else you would like to happen"))


class ContactForm(QuestionForm):
    name = _text(
        _l("Your full name"),
        max_length=NAME_MAX,
        too_long=_l("Your name must be 200 characters or fewer"),
        render_kw={"autocomplete": "name", "spellcheck": "false"},
    )
    reply_method = ChoiceField(
        _l("How should we reply to you?"),
        message=_l("Select how you would like us to reply"),
    )
    email = _text(
        _l("Email address"),
        max_length=320,
        too_long=_l("Email address must be 320 characters or fewer"),
        render_kw={"autocomplete": "email", "spellcheck": "false", "type": "email"},
    )
    mobile = _text(
        _l("Mobile phone number"),
        max_length=30,
        too_long=_l("Mobile phone number must be 30 characters or fewer"),
        render_kw={"autocomplete": "tel", "type": "tel"},
    )
    phone = _text(
        _l("Phone number"),
        max_length=30,
        too_long=_l("Phone number must be 30 characters or fewer"),
        render_kw={"autocomplete": "tel", "type": "tel"},
    )
    address_line_1 = _text(
        _l("Address line 1"),
        max_length=NAME_MAX,
        too_long=_l("Address line 1 must be 200 characters or fewer"),
        render_kw={"autocomplete": "address-line1"},
    )
    address_line_2 = _text(
        _l("Address line 2 (optional)"),
        max_length=NAME_MAX,
        too_long=_l("Address line 2 must be 200 characters or fewer"),
        render_kw={"autocomplete": "address-line2"},
    )
    town = _text(
        _l("Town or city"),
        max_length=100,
        too_long=_l("Town or city must be 100 characters or fewer"),
        render_kw={"autocomplete": "address-level2"},
    )
    postcode = _text(
        _l("Postcode"),
        max_length=10,
        too_long=_l("Enter a real postcode, like AA1 1AA"),
        render_kw={"autocomplete": "postal-code", "spellcheck": "false"},
    )

    conditional = (
        "email",
        "mobile",
        "phone",
        "address_line_1",
        "address_line_2",
        "town",
        "postcode",
    )
    _BY_METHOD = {
        ReplyMethod.EMAIL.value: {"email"},
        ReplyMethod.TEXT_MESSAGE.value: {"mobile"},
        ReplyMethod.PHONE.value: {"phone"},
        ReplyMethod.LETTER.value: {"address_line_1", "address_line_2", "town", "postcode"},
    }

    def __init__(self, *args: Any, allow_no_reply: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        allowed = [m for m in ReplyMethod if allow_no_reply or m is not ReplyMethod.NONE]
        self.reply_method.choices = choices(REPLY_LABELS, allowed)
        self.email.validators.append(
            Email(_l("Enter an email address in the correct format, like name@example.com"))
        )
        self.mobile.validators.append(
            PhoneNumber(
                _l("Enter a mobile number that can get text messages, like 07700 900 982"),
                mobile=True,
            )
        )
        self.phone.validators.append(
            PhoneNumber(
                _l("Enter a phone number, like 01632 960 001, 07700 900 982 or +33 6 12 34 56 78")
            )
        )
        self.postcode.validators.append(UkPostcode(_l("Enter a real postcode, like AA1 1AA")))

    def revealed(self) -> set[str]:
        return self._BY_METHOD.get(self.reply_method.data or "", set())

    def check_together(self) -> None:
        method = self.reply_method.data
        wants_reply = method not in (None, ReplyMethod.NONE.value)
        required_when(wants_reply, self.name, _("Enter your full name"))
        required_when(method == "email", self.email, _("Enter your email address"))
        required_when(method == "text_message", self.mobile, _("Enter your mobile phone number"))
        required_when(method == "phone", self.phone, _("Enter your phone number"))
        letter = method == ReplyMethod.LETTER.value
        required_when(letter, self.address_line_1, _("Enter the first line of your address"))
        required_when(letter, self.town, _("Enter your town or city"))
        required_when(letter, self.postcode, _("Enter your postcode"))


def reply_languages(languages: Sequence[str]) -> list[Any]:
    """The languages we can reply in, each named in itself, then another language."""
    return [
        *(choice(code, language_name(code)) for code in languages),
        choice(OTHER_LANGUAGE, _("Another language")),
    ]


class LanguageForm(QuestionForm):
    language = ChoiceField(
        _l("Which language should we use when we contact you?"),
        message=_l("Select the language you would like us to use"),
    )
    other_language = _text(
        _l("Which language?"),
        max_length=100,
        too_long=_l("The language must be 100 characters or fewer"),
    )

    conditional = ("other_language",)

    def __init__(
        self, *args: Any, languages: list[str], suggested: str | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.language.choices = reply_languages(languages)
        # The language the pages are in is chosen already, until the person answers.
        if suggested in languages and not self.is_submitted() and not self.language.data:
            self.language.data = suggested

    def revealed(self) -> set[str]:
        return {"other_language"} if self.language.data == OTHER_LANGUAGE else set()

    def check_together(self) -> None:
        required_when(
            self.language.data == OTHER_LANGUAGE,
            self.other_language,
            _("Enter the language you would like us to use"),
        )


class AccessNeedsForm(QuestionForm):
    needs = MultipleChoiceField(
        _l("Do you need anything to help you read our reply or talk to us?"),
        description=_l("Select all that apply."),
        choices=[
            *choices(ACCESS_NEED_LABELS),
            choice(NO_NEEDS, _l("No, I do not need any of these")),
        ],
        exclusive=[NO_NEEDS],
        message=_l("Select what you need, or select ‘No, I do not need any of these’"),
        exclusive_message=_l("Select what you need, or ‘No, I do not need any of these’, not both"),
    )
    interpreter_language = _text(
        _l("Which language should the interpreter speak?"),
        max_length=100,
        too_long=_l("The interpreter's language must be 100 characters or fewer"),
    )
    other_need = _text(
        _l("What do you need?"),
        max_length=NAME_MAX,
        too_long=_l("What you need must be 200 characters or fewer"),
    )

    conditional = ("interpreter_language", "other_need")

    def revealed(self) -> set[str]:
        chosen = set(self.needs.data or [])
        shown = set()
        if AccessNeed.INTERPRETER.value in chosen:
            shown.add("interpreter_language")
        if AccessNeed.OTHER.value in chosen:
            shown.add("other_need")
        return shown

    def check_together(self) -> None:
        chosen = set(self.needs.data or [])
        required_when(
            AccessNeed.INTERPRETER.value in chosen,
            self.interpreter_language,
            _("Enter the language the interpreter should speak"),
        )
        required_when(AccessNeed.OTHER.value in chosen, self.other_need, _("Tell us what you need"))


DETAILS_FORMS: dict[Kind, type[QuestionForm]] = {
    Kind.COMPLAINT: ComplaintDetailsForm,
    Kind.COMMENT: CommentDetailsForm,
    Kind.COMPLIMENT: ComplimentDetailsForm,
    Kind.ADVOCACY_REQUEST: AdvocacyDetailsForm,
}
