"""Forms for staff: signing in, and every action on a case.

Every action form carries the case's `version`: if someone else saved the case in the
meantime the action is refused with "this case changed" rather than silently
overwriting their work.
"""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovPasswordInput
from wtforms import HiddenField, IntegerField, PasswordField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from forms.base import QuestionForm
from forms.choices import ACCESS_NEED_LABELS
from forms.fields import (
    ChoiceField,
    DateParts,
    MultipleChoiceField,
    choice,
    choices,
    date_messages,
)
from forms.validators import DateGiven, Email, PhoneNumber
from forms.widgets import GovCount, GovText
from intake.casework.text import one_line, plain_text

OUTCOME_CHOICES = [
    choice("upheld", _l("Upheld")),
    choice("partially_upheld", _l("Partly upheld")),
    choice("not_upheld", _l("Not upheld")),
    choice("withdrawn", _l("Withdrawn")),
    choice("not_progressing", _l("Not progressing")),
]
ACTION_CHOICES = [
    choice("apology", _l("Apology")),
    choice("explanation", _l("Explanation")),
    choice("meeting", _l("Meeting")),
    choice("change_of_worker", _l("Change of worker")),
    choice("financial_remedy", _l("Financial remedy")),
    choice("service_provided", _l("Service provided")),
    choice("other", _l("Other")),
]
REFUSAL_CHOICES = [
    choice("out_of_time", _l("Out of time (more than 12 months after the events)")),
    choice("no_parental_responsibility", _l("No parental responsibility")),
    choice("outside_remit", _l("Outside the procedure's remit")),
    choice("court_proceedings", _l("Subject of court or tribunal proceedings")),
    choice("not_in_best_interest", _l("Not in the child's best interest")),
]
OMBUDSMAN_CHOICES = [
    choice("closed_after_initial_enquiries", _l("Closed after initial enquiries")),
    choice("premature", _l("Premature")),
    choice("outside_jurisdiction", _l("Outside jurisdiction")),
    choice("no_fault", _l("No fault")),
    choice("fault_without_injustice", _l("Fault without injustice")),
    choice("fault_with_injustice", _l("Fault with injustice")),
    choice("local_settlement", _l("Local settlement")),
]
ACKNOWLEDGE_CHOICES = [
    choice("automatic", _l("Automatically (the service sent it)")),
    choice("email", _l("Email")),
    choice("phone", _l("Phone")),
    choice("letter", _l("Letter")),
]
KIND_CHOICES = [
    choice("complaint", _l("Complaint")),
    choice("comment", _l("Comment or informal concern")),
    choice("case_concern", _l("Case concern")),
    choice("compliment", _l("Compliment")),
    choice("advocacy_request", _l("Advocacy request")),
    choice("pre_complaint", _l("Pre-complaint (needs clarifying)")),
    choice("members_enquiry", _l("Members' or MP enquiry")),
]
PROCEDURE_CHOICES = [
    choice("statutory", _l("Statutory children's procedure")),
    choice("corporate", _l("Corporate procedure")),
    choice("none", _l("No procedure (not a complaint)")),
]
METHOD_CHOICES = [
    choice("email", _l("Email")),
    choice("letter", _l("Letter")),
    choice("telephone", _l("Telephone")),
    choice("in_person", _l("In person")),
    choice("mp_councillor", _l("From an MP or councillor")),
    choice("ombudsman", _l("From the Ombudsman")),
]


def _date(label: Any, name: Any, *, required: bool = True) -> DateParts:
    # An optional date needs no validator: three empty boxes are None, and a part-filled
    # date keeps its own error (`Optional` would wipe it when the day box is empty).
    checks = [DateGiven(_l("Enter the date"))] if required else []
    return DateParts(label, messages=date_messages(name), validators=checks)


def _reason(label: Any, message: Any, *, required: bool = True, max_length: int = 2000) -> Any:
    checks: list[Any] = [DataRequired(message=message)] if required else [Optional()]
    checks.append(
        Length(
            max=max_length,
            message=_l("This must be %(count)s characters or fewer", count=f"{max_length:,}"),
        )
    )
    return TextAreaField(label, filters=[plain_text], validators=checks, widget=GovCount())


class SignInForm(FlaskForm):
    email = StringField(
        _l("Email address"),
        filters=[one_line],
        validators=[DataRequired(message=_l("Enter your email address"))],
        widget=GovText(),
        render_kw={"autocomplete": "username", "spellcheck": "false"},
    )
    password = PasswordField(
        _l("Password"),
        validators=[DataRequired(message=_l("Enter your password"))],
        widget=GovPasswordInput(),
        render_kw={"autocomplete": "current-password"},
    )


class CodeForm(FlaskForm):
    code = StringField(
        _l("Code from your authenticator app"),
        filters=[one_line],
        validators=[DataRequired(message=_l("Enter the 6-digit code"))],
        widget=GovText(),
        render_kw={"autocomplete": "one-time-code", "inputmode": "numeric"},
    )


class NewPasswordForm(FlaskForm):
    password = PasswordField(
        _l("New password"),
        description=_l("At least 12 characters. A few unrelated words work well."),
        validators=[DataRequired(message=_l("Enter a new password"))],
        widget=GovPasswordInput(),
        render_kw={"autocomplete": "new-password"},
    )


class NotificationsForm(QuestionForm):
    new_cases = ChoiceField(
        _l("Email me about each new case for my teams?"),
        choices=[
            choice("yes", _l("Yes, as well as the team's shared inbox")),
            choice("no", _l("No, the team's shared inbox is enough")),
        ],
        message=_l("Select yes or no"),
    )


class CaseActionForm(QuestionForm):
    """Every action on a case: the version the person was looking at."""

    version = HiddenField()


class AcknowledgeForm(CaseActionForm):
    how = ChoiceField(
        _l("How was it acknowledged?"),
        choices=ACKNOWLEDGE_CHOICES,
        message=_l("Select how it was acknowledged"),
    )
    on = _date(_l("Date acknowledged"), _l("The date acknowledged"))


class TriageForm(CaseActionForm):
    kind = ChoiceField(_l("What is it?"), choices=KIND_CHOICES, message=_l("Select what it is"))
    procedure = ChoiceField(
        _l("Which procedure?"),
        choices=PROCEDURE_CHOICES,
        message=_l("Select the procedure, or no procedure"),
    )
    service_area = ChoiceField(
        _l("Which service is it about?"), message=_l("Select the service"), required=False
    )
    reasons = MultipleChoiceField(
        _l("Reasons"),
        description=_l("Select all that apply."),
        message=_l("Select the reasons for the complaint"),
        required=False,
    )


class RerouteForm(CaseActionForm):
    team = ChoiceField(_l("Which team should lead?"), message=_l("Select a team"))
    reason = _reason(_l("Why is it moving?"), _l("Say why the case is moving"))


class InvolveForm(CaseActionForm):
    team = ChoiceField(_l("Which team should also see it?"), message=_l("Select a team"))


class ConvertForm(CaseActionForm):
    kind = ChoiceField(
        _l("What should it become?"),
        choices=[c for c in KIND_CHOICES if c.value in {"complaint", "comment", "case_concern"}],
        message=_l("Select what it should become"),
    )


class RefuseForm(CaseActionForm):
    reason = ChoiceField(
        _l("Why is it refused?"), choices=REFUSAL_CHOICES, message=_l("Select the reason")
    )
    on = _date(_l("Date of the decision"), _l("The date of the decision"))


class HoldForm(CaseActionForm):
    reason = _reason(_l("Why is it on hold?"), _l("Say why the case is on hold"))
    on = _date(_l("On hold from"), _l("The date"))


class DateOnlyForm(CaseActionForm):
    on = _date(_l("Date"), _l("The date"))


class ExtendForm(CaseActionForm):
    working_days = IntegerField(
        _l("Extend the stage to how many working days in total?"),
        validators=[
            DataRequired(message=_l("Enter the number of working days")),
            NumberRange(1, 250, message=_l("Enter a number of working days from 1 to 250")),
        ],
        widget=GovText(),
        render_kw={"inputmode": "numeric"},
    )
    reason = _reason(
        _l("Why is more time needed?"), _l("Say why more time is needed: the complainant is told")
    )
    on = _date(_l("Date of the extension"), _l("The date of the extension"))


class RespondForm(CaseActionForm):
    on = _date(_l("Date of the response"), _l("The date of the response"))
    outcome = ChoiceField(
        _l("Outcome"), choices=OUTCOME_CHOICES, message=_l("Select the outcome"), required=False
    )
    actions = MultipleChoiceField(
        _l("What was done?"),
        description=_l("Select all that apply."),
        choices=ACTION_CHOICES,
        message=_l("Select what was done"),
        required=False,
    )
    amount = StringField(
        _l("Amount of the financial remedy, in pounds"),
        filters=[one_line],
        validators=[Optional(), Length(max=12)],
        widget=GovText(),
        render_kw={"inputmode": "decimal"},
    )


class EscalateForm(CaseActionForm):
    requested_on = _date(_l("Date the next stage was asked for"), _l("The date asked"))
    late_reason = _reason(
        _l("If the request was late, why is it accepted?"),
        _l("Say why the late request is accepted"),
        required=False,
    )


class PanelForm(CaseActionForm):
    convened_on = _date(_l("Date the panel met"), _l("The date the panel met"), required=False)
    report_on = _date(
        _l("Date of the panel's report"), _l("The date of the report"), required=False
    )


class OmbudsmanForm(CaseActionForm):
    received_on = _date(_l("Date of the Ombudsman's enquiry"), _l("The date of the enquiry"))
    ombudsman_reference = StringField(
        _l("Ombudsman's reference (optional)"),
        filters=[one_line],
        validators=[Optional(), Length(max=40)],
        widget=GovText(),
    )
    decided_on = _date(_l("Date of the decision (optional)"), _l("The date"), required=False)
    decision = ChoiceField(
        _l("Decision"),
        choices=OMBUDSMAN_CHOICES,
        message=_l("Select the decision"),
        required=False,
    )
    remedy = _reason(_l("Remedy (optional)"), _l("Describe the remedy"), required=False)
    remedy_amount = StringField(
        _l("Amount of any payment, in pounds"),
        filters=[one_line],
        validators=[Optional(), Length(max=12)],
        widget=GovText(),
        render_kw={"inputmode": "decimal"},
    )


class LearningForm(CaseActionForm):
    issue = _reason(_l("What was the issue?"), _l("Describe the issue"))
    action = _reason(_l("What will be done?"), _l("Describe the action"))
    owner = StringField(
        _l("Who owns it?"),
        filters=[one_line],
        validators=[DataRequired(message=_l("Say who owns the action")), Length(max=200)],
        widget=GovText(),
    )
    due_on = _date(_l("Due by (optional)"), _l("The due date"), required=False)


class CorrespondenceForm(CaseActionForm):
    on = _date(_l("Date"), _l("The date"))
    direction = ChoiceField(
        _l("Received or sent?"),
        choices=[choice("in", _l("Received")), choice("out", _l("Sent"))],
        message=_l("Select received or sent"),
    )
    method = ChoiceField(_l("How?"), choices=METHOD_CHOICES, message=_l("Select how"))
    summary = _reason(_l("Summary"), _l("Summarise it"))


class ReopenForm(CaseActionForm):
    reason = _reason(_l("Why is it being reopened?"), _l("Say why it is being reopened"))


class RecordContactForm(QuestionForm):
    """A contact that arrived another way (email, letter, phone, MP, Ombudsman)."""

    method = ChoiceField(_l("How did it arrive?"), choices=METHOD_CHOICES, message=_l("Select how"))
    received_on = _date(_l("Date received"), _l("The date received"))
    kind = ChoiceField(_l("What is it?"), choices=KIND_CHOICES, message=_l("Select what it is"))
    role = ChoiceField(_l("Who is it from?"), message=_l("Select who it is from"))
    name = StringField(
        _l("Their name (optional)"),
        filters=[one_line],
        validators=[Optional(), Length(max=200)],
        widget=GovText(),
    )
    email = StringField(
        _l("Their email address (optional)"),
        filters=[one_line],
        validators=[Optional(), Length(max=320)],
        widget=GovText(),
    )
    phone = StringField(
        _l("Their phone number (optional)"),
        filters=[one_line],
        validators=[Optional(), Length(max=30)],
        widget=GovText(),
    )
    child_first_name = StringField(
        _l("Child's first name (optional)"),
        filters=[one_line],
        validators=[Optional(), Length(max=100)],
        widget=GovText(),
    )
    service_area = ChoiceField(
        _l("Which service is it about?"), message=_l("Select the service"), required=False
    )
    what_happened = _reason(
        _l("What they told us"), _l("Enter what they told us"), max_length=20000
    )
    # Every later message goes to them in this language and in the format they need,
    # whichever way they first got in touch.
    language = ChoiceField(
        _l("Which language should we reply in?"),
        message=_l("Select the language to reply in"),
        # Unanswered means the council's own first language, which the page preselects.
        required=False,
    )
    other_language = StringField(
        _l("If another language, which one?"),
        filters=[one_line],
        validators=[
            Optional(),
            Length(max=100, message=_l("The language must be 100 characters or fewer")),
        ],
        widget=GovText(),
    )
    needs = MultipleChoiceField(
        _l("Do they need anything to read our reply or talk to us? (optional)"),
        description=_l("Select all that apply."),
        choices=choices(ACCESS_NEED_LABELS),
        message=_l("Select what they need"),
        required=False,
    )
    need_detail = StringField(
        _l("The interpreter's language, or what else they need (optional)"),
        filters=[one_line],
        validators=[
            Optional(),
            Length(max=200, message=_l("What you need must be 200 characters or fewer")),
        ],
        widget=GovText(),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.email.validators.append(
            Email(_l("Enter an email address in the correct format, like name@example.com"))
        )
        self.phone.validators.append(
            PhoneNumber(_l("Enter a phone number, like 01632 960 001 or 07700 900 982"))
        )


# The longest period one report covers: a council compares years, not decades.
LONGEST_REPORT_DAYS = 366 * 5


class ReportPeriodForm(FlaskForm):
    """The period a report covers; sent by GET, so the page can be bookmarked."""

    class Meta:
        csrf = False

    starts = DateParts(
        _l("From"),
        name="from",
        messages=date_messages(_l("The start date")),
        validators=[DateGiven(_l("Enter the start date"))],
    )
    ends = DateParts(
        _l("To"),
        name="to",
        messages=date_messages(_l("The end date")),
        validators=[DateGiven(_l("Enter the end date"))],
    )

    def validate(self, extra_validators: Any = None) -> bool:
        valid = super().validate(extra_validators)
        if valid and self.ends.data < self.starts.data:
            self.ends.errors = [_l("The end date must be the same as or after the start date")]
            return False
        if valid and (self.ends.data - self.starts.data).days > LONGEST_REPORT_DAYS:
            self.ends.errors = [_l("A report can cover 5 years at most")]
            return False
        return valid
