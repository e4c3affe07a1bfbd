"""The online form's question pages: which apply, in what order, and what they add up to.

Which pages a person sees depends on their answers so far (an advocate is asked about
their advocacy service; someone saying thank you is not asked about outcomes). Answers
are kept per page; pages that stop applying keep their answers (so changing your mind
back loses nothing) but are left out of the check answers page and the case.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from flask_babel import format_date, get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from werkzeug.datastructures import MultiDict

from forms.base import QuestionForm
from forms.choices import (
    ACCESS_NEED_LABELS,
    CHILD_STATUS_LABELS,
    CONSENT_LABELS,
    KIND_LABELS,
    OUTCOME_LABELS,
    REPLY_LABELS,
    ROLE_NAMES,
    WHEN_LABELS,
    language_name,
)
from forms.public import (
    DETAILS_FORMS,
    DONT_KNOW,
    NO_NEEDS,
    OTHER_LANGUAGE,
    AccessNeedsForm,
    AdvocateForm,
    ChildForm,
    ChildHelpForm,
    ContactForm,
    KindForm,
    LanguageForm,
    OutcomeForm,
    RoleForm,
    ServiceForm,
    WhenForm,
    YoungPersonForm,
    YoungPersonHelpForm,
)
from forms.validators import readable_phone
from intake.casework.cases import ChildDetails, ContactDetails, NeedDetails, Submission
from intake.casework.council import CouncilSettings, localise
from intake.casework.vocabulary import (
    AccessNeed,
    ChildConsent,
    ChildStatus,
    Kind,
    Method,
    OutcomeSought,
    ReplyMethod,
    Role,
    WhenHappened,
)


class Answers:
    """The answers saved so far, page by page, as plain JSON."""

    def __init__(self, saved: dict[str, dict[str, Any]] | None) -> None:
        self.saved = saved or {}

    def page(self, slug: str) -> dict[str, Any] | None:
        return self.saved.get(slug)

    def get(self, slug: str, name: str) -> Any:
        return (self.saved.get(slug) or {}).get(name)

    @property
    def kind(self) -> Kind | None:
        value = self.get("what-you-want-to-do", "kind")
        return Kind(value) if value in Kind._value2member_map_ else None

    @property
    def role(self) -> Role | None:
        value = self.get("who-you-are", "role")
        return Role(value) if value in Role._value2member_map_ else None

    @property
    def reply_method(self) -> ReplyMethod | None:
        value = self.get("how-to-reply", "reply_method")
        return ReplyMethod(value) if value in ReplyMethod._value2member_map_ else None


def _always(answers: Answers) -> bool:
    return True


def _about_a_child(answers: Answers) -> bool:
    return answers.kind is not Kind.COMPLIMENT


def _wants_reply(answers: Answers) -> bool:
    return answers.reply_method is not ReplyMethod.NONE


@dataclass(frozen=True)
class Step:
    slug: str
    template: str
    # The question as the check answers page names it.
    summary_title: Any
    form_class: Callable[[Answers], type[QuestionForm]]
    applies: Callable[[Answers], bool] = _always
    form_options: Callable[[Answers, CouncilSettings], dict[str, Any]] = field(
        default=lambda answers, settings: {}
    )

    def form(
        self, answers: Answers, settings: CouncilSettings, *, saved: bool = False
    ) -> QuestionForm:
        """The page's form: from the request's post, or (`saved`) from the saved answers."""
        form_class = self.form_class(answers)
        options = self.form_options(answers, settings)
        if saved:
            return form_class.from_answers(answers.page(self.slug), **options)
        return form_class(**options)


def service_choices(
    settings: CouncilSettings, language: str | None = None
) -> list[tuple[str, str]]:
    language = language or str(get_locale() or "en")
    return [(s.key, localise(s.name, language)) for s in settings.services]


STEPS: tuple[Step, ...] = (
    Step(
        "what-you-want-to-do", "web/steps/kind.html", _l("What you want to do"), lambda a: KindForm
    ),
    Step("who-you-are", "web/steps/role.html", _l("Who you are"), lambda a: RoleForm),
    Step(
        "your-advocacy-service",
        "web/steps/advocate.html",
        _l("Advocacy service"),
        lambda a: AdvocateForm,
        applies=lambda a: a.role is Role.ADVOCATE,
    ),
    Step(
        "about-the-child",
        "web/steps/child.html",
        _l("About the child or young person"),
        lambda a: YoungPersonForm if a.role is Role.YOUNG_PERSON else ChildForm,
        applies=_about_a_child,
    ),
    Step(
        "help-they-get",
        "web/steps/child_help.html",
        _l("Help from children's services"),
        lambda a: YoungPersonHelpForm if a.role is Role.YOUNG_PERSON else ChildHelpForm,
        applies=_about_a_child,
    ),
    Step(
        "service-or-team",
        "web/steps/service.html",
        _l("Service or team"),
        lambda a: ServiceForm,
        form_options=lambda a, settings: {"services": service_choices(settings), "kind": a.kind},
    ),
    Step(
        "what-happened",
        "web/steps/details.html",
        _l("What you told us"),
        lambda a: DETAILS_FORMS.get(a.kind or Kind.COMPLAINT, DETAILS_FORMS[Kind.COMPLAINT]),
    ),
    Step(
        "when-it-happened",
        "web/steps/when.html",
        _l("When it happened"),
        lambda a: WhenForm,
        applies=lambda a: a.kind in (Kind.COMPLAINT, Kind.COMMENT),
    ),
    Step(
        "what-you-would-like",
        "web/steps/outcome.html",
        _l("What you would like to happen"),
        lambda a: OutcomeForm,
        applies=lambda a: a.kind in (Kind.COMPLAINT, Kind.COMMENT),
    ),
    Step(
        "how-to-reply",
        "web/steps/contact.html",
        _l("How to reply"),
        lambda a: ContactForm,
        form_options=lambda a, settings: {
            "allow_no_reply": a.kind in (Kind.COMPLIMENT, Kind.COMMENT)
        },
    ),
    Step(
        "language",
        "web/steps/language.html",
        _l("Language"),
        lambda a: LanguageForm,
        applies=_wants_reply,
        form_options=lambda a, settings: {
            "languages": settings.council.languages,
            # Someone using the pages in Polish most likely wants to hear back in Polish.
            "suggested": str(get_locale() or "en").split("_")[0],
        },
    ),
    Step(
        "help-to-read-or-talk",
        "web/steps/access_needs.html",
        _l("Help to read our reply or talk to us"),
        lambda a: AccessNeedsForm,
        applies=_wants_reply,
    ),
)
STEPS_BY_SLUG = {step.slug: step for step in STEPS}


def applicable(answers: Answers) -> list[Step]:
    return [step for step in STEPS if step.applies(answers)]


def first_unanswered(answers: Answers) -> Step | None:
    return next((s for s in applicable(answers) if answers.page(s.slug) is None), None)


def step_after(answers: Answers, current: Step) -> Step | None:
    """The next page that applies after `current` (which itself may not apply)."""
    later = STEPS[STEPS.index(current) + 1 :]
    return next((step for step in later if step.applies(answers)), None)


def step_before(answers: Answers, current: Step) -> Step | None:
    steps = applicable(answers)
    if current not in steps or steps.index(current) == 0:
        return None
    return steps[steps.index(current) - 1]


class AnswersOutOfDate(Exception):
    """A saved answer no longer fits (the council changed its list of services, say)."""

    def __init__(self, step: Step) -> None:
        super().__init__(step.slug)
        self.step = step


def still_valid(answers: Answers, settings: CouncilSettings) -> None:
    """Check every applicable page's saved answers again, as if sent again today.

    Answers were checked when each page was sent, but a later answer can change what an
    earlier one may be (a compliment's "no reply" is not allowed for a complaint) and the
    council can change its lists. Raises AnswersOutOfDate for the first page that fails.
    """
    for step in applicable(answers):
        form_class = step.form_class(answers)
        resent = MultiDict(_as_formdata(answers.page(step.slug) or {}))
        form = form_class(
            formdata=resent, meta={"csrf": False}, **step.form_options(answers, settings)
        )
        if not form.validate():
            raise AnswersOutOfDate(step)


def _as_formdata(saved: dict[str, Any]) -> list[tuple[str, str]]:
    pairs: list[tuple[str, str]] = []
    for name, value in saved.items():
        if value is None:
            continue
        if isinstance(value, list):
            pairs += [(name, str(item)) for item in value]
        elif isinstance(value, str) and _ISO_DATE.match(value):
            day = date.fromisoformat(value)
            pairs += [(name, str(day.day)), (name, str(day.month)), (name, str(day.year))]
        else:
            pairs.append((name, str(value)))
    return pairs


_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def to_submission(answers: Answers, settings: CouncilSettings, language: str) -> Submission:
    """What the form's answers say, as the case records it."""
    still_valid(answers, settings)
    kind = answers.kind or Kind.COMPLAINT
    role = answers.role or Role.UNKNOWN
    in_use = {step.slug for step in applicable(answers)}

    def get(slug: str, name: str) -> Any:
        return answers.get(slug, name) if slug in in_use else None

    children: tuple[ChildDetails, ...] = ()
    if "about-the-child" in in_use:
        born = get("about-the-child", "date_of_birth")
        children = (
            ChildDetails(
                first_name=get("about-the-child", "first_name"),
                date_of_birth=date.fromisoformat(born) if born else None,
                age=None if born else get("about-the-child", "age"),
                statuses=tuple(ChildStatus(s) for s in get("help-they-get", "statuses") or ()),
            ),
        )
    service = get("service-or-team", "service")
    reply = answers.reply_method or ReplyMethod.NONE
    chosen_language = get("language", "language")
    needs = []
    for need in get("help-to-read-or-talk", "needs") or ():
        if need == NO_NEEDS:
            continue
        detail = None
        if need == AccessNeed.INTERPRETER.value:
            detail = get("help-to-read-or-talk", "interpreter_language")
        elif need == AccessNeed.OTHER.value:
            detail = get("help-to-read-or-talk", "other_need")
        needs.append(NeedDetails(AccessNeed(need), detail))
    consent = get("your-advocacy-service", "child_consent")
    wants_contact = get("your-advocacy-service", "child_wants_contact")
    when = get("when-it-happened", "when")

    return Submission(
        kind=kind,
        method=Method.ONLINE_FORM,
        complainant_role=role,
        language=(
            chosen_language if chosen_language and chosen_language != OTHER_LANGUAGE else language
        ),
        contact=ContactDetails(
            reply_method=reply,
            name=get("how-to-reply", "name"),
            email=get("how-to-reply", "email"),
            phone=get("how-to-reply", "mobile") or get("how-to-reply", "phone"),
            address_line_1=get("how-to-reply", "address_line_1"),
            address_line_2=get("how-to-reply", "address_line_2"),
            town=get("how-to-reply", "town"),
            postcode=get("how-to-reply", "postcode"),
            other_language=(
                get("language", "other_language") if chosen_language == OTHER_LANGUAGE else None
            ),
        ),
        what_happened=get("what-happened", "details") or "",
        children=children,
        service_area=service if service and service != DONT_KNOW else None,
        when_happened=WhenHappened(when) if when else None,
        outcomes_sought=tuple(
            OutcomeSought(o) for o in get("what-you-would-like", "outcomes") or ()
        ),
        outcome_sought_detail=get("what-you-would-like", "detail"),
        worker_named=get("what-happened", "worker_named"),
        advocate_organisation=get("your-advocacy-service", "organisation"),
        child_consent=ChildConsent(consent) if consent else None,
        child_wants_contact={"yes": True, "no": False}.get(wants_contact or ""),
        access_needs=tuple(needs),
    )


@dataclass(frozen=True)
class SummaryRow:
    key: Any
    value: str | list[str]
    slug: str
    field: str


def summary(answers: Answers, settings: CouncilSettings, language: str) -> list[SummaryRow]:
    """The check answers page: each answer in words, with the page that changes it."""
    rows: list[SummaryRow] = []
    in_use = {step.slug for step in applicable(answers)}

    def add(slug: str, name: str, key: Any, value: str | list[str] | None) -> None:
        if slug in in_use:
            rows.append(SummaryRow(key, value if value not in (None, "", []) else "", slug, name))

    def label(labels: dict[Any, Any], value: Any) -> str:
        for known, text in labels.items():
            if str(known) == str(value):
                return str(text)
        return str(value or "")

    kind = answers.kind
    add("what-you-want-to-do", "kind", _l("What you want to do"), label(KIND_LABELS, kind))
    add("who-you-are", "role", _l("Who you are"), label(ROLE_NAMES, answers.role))
    add(
        "your-advocacy-service",
        "organisation",
        _l("Advocacy service"),
        answers.get("your-advocacy-service", "organisation"),
    )
    add(
        "your-advocacy-service",
        "child_consent",
        _l("Child or young person agreed"),
        label(CONSENT_LABELS, answers.get("your-advocacy-service", "child_consent")),
    )
    add(
        "your-advocacy-service",
        "child_wants_contact",
        _l("Contact the child directly"),
        label(
            {"yes": _l("Yes"), "no": _l("No")},
            answers.get("your-advocacy-service", "child_wants_contact"),
        ),
    )
    young_person = answers.role is Role.YOUNG_PERSON
    add(
        "about-the-child",
        "first_name",
        _l("Your first name") if young_person else _l("Child's first name"),
        answers.get("about-the-child", "first_name"),
    )
    born = answers.get("about-the-child", "date_of_birth")
    age = answers.get("about-the-child", "age")
    add(
        "about-the-child",
        "date_of_birth",
        _l("Date of birth or age"),
        format_date(date.fromisoformat(born), "d MMMM y")
        if born
        else (_("%(age)s years old", age=age) if age is not None else str(_l("Not given"))),
    )
    add(
        "help-they-get",
        "statuses",
        _l("Help from children's services"),
        [label(CHILD_STATUS_LABELS, s) for s in answers.get("help-they-get", "statuses") or ()],
    )
    service = answers.get("service-or-team", "service")
    services = dict(service_choices(settings, language))
    add(
        "service-or-team",
        "service",
        _l("Service or team"),
        services.get(service, str(_l("I do not know"))) if service else "",
    )
    add("what-happened", "details", _l("What you told us"), answers.get("what-happened", "details"))
    if kind is Kind.COMPLIMENT:
        add(
            "what-happened",
            "worker_named",
            _l("Who you would like to thank"),
            answers.get("what-happened", "worker_named") or str(_l("Not given")),
        )
    add(
        "when-it-happened",
        "when",
        _l("When it happened"),
        label(WHEN_LABELS, answers.get("when-it-happened", "when")),
    )
    add(
        "what-you-would-like",
        "outcomes",
        _l("What you would like to happen"),
        [label(OUTCOME_LABELS, o) for o in answers.get("what-you-would-like", "outcomes") or ()]
        + (
            [answers.get("what-you-would-like", "detail")]
            if answers.get("what-you-would-like", "detail")
            else []
        ),
    )
    add(
        "how-to-reply",
        "name",
        _l("Your name"),
        answers.get("how-to-reply", "name") or str(_l("Not given")),
    )
    reply = answers.reply_method
    contact_value: list[str] = [label(REPLY_LABELS, reply)]
    if reply is ReplyMethod.EMAIL:
        contact_value.append(answers.get("how-to-reply", "email") or "")
    elif reply is ReplyMethod.TEXT_MESSAGE:
        contact_value.append(readable_phone(answers.get("how-to-reply", "mobile")))
    elif reply is ReplyMethod.PHONE:
        contact_value.append(readable_phone(answers.get("how-to-reply", "phone")))
    elif reply is ReplyMethod.LETTER:
        contact_value += [
            answers.get("how-to-reply", part) or ""
            for part in ("address_line_1", "address_line_2", "town", "postcode")
            if answers.get("how-to-reply", part)
        ]
    add("how-to-reply", "reply_method", _l("How to reply"), contact_value)
    chosen = answers.get("language", "language")
    add(
        "language",
        "language",
        _l("Language"),
        answers.get("language", "other_language")
        if chosen == OTHER_LANGUAGE
        else language_name(chosen or ""),
    )
    needs = []
    for need in answers.get("help-to-read-or-talk", "needs") or ():
        if need == NO_NEEDS:
            needs.append(str(_l("None")))
            continue
        text = label(ACCESS_NEED_LABELS, need)
        if need == AccessNeed.INTERPRETER.value:
            text += f": {answers.get('help-to-read-or-talk', 'interpreter_language')}"
        if need == AccessNeed.OTHER.value:
            text += f": {answers.get('help-to-read-or-talk', 'other_need')}"
        needs.append(text)
    add("help-to-read-or-talk", "needs", _l("Help to read our reply or talk to us"), needs)
    return rows
