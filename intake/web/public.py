"""The public pages: start page, question pages, check answers, confirmation, equality.

Views are thin: they load the visitor's draft, let the form check the answers, and hand
the finished answers to `intake.casework.cases.receive_case`.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask_babel import get_locale
from sqlalchemy import update
from werkzeug.wrappers import Response

from forms.equality import EqualityForm
from intake.casework.cases import receive_case
from intake.casework.equality import record_equality_answers
from intake.casework.vocabulary import Kind
from intake.extensions import db
from intake.models import Case, FormDraft
from intake.web import drafts
from intake.web.context import council, now, routing, today
from intake.web.journey import (
    STEPS,
    STEPS_BY_SLUG,
    Answers,
    AnswersOutOfDate,
    Step,
    first_unanswered,
    step_after,
    step_before,
    still_valid,
    summary,
    to_submission,
)

blueprint = Blueprint("public", __name__)


def _language() -> str:
    return str(get_locale() or "en")


def _go(step: Step | None, *, change: bool = False) -> Response:
    if step is None:
        return redirect(url_for("public.check_answers"))
    return redirect(url_for("public.question", slug=step.slug, change=1 if change else None))


@blueprint.get("/")
def start() -> str:
    return render_template("web/start.html")


@blueprint.get("/easy-read")
def easy_read() -> str:
    """The start page for children: short sentences, large text, pictures with words."""
    return render_template("web/easy_read.html")


@blueprint.get("/accessibility")
def accessibility() -> str:
    return render_template("web/accessibility.html")


@blueprint.get("/privacy")
def privacy() -> str:
    return render_template("web/privacy.html")


@blueprint.get("/tell-us")
def begin() -> Response:
    return _go(STEPS[0])


@blueprint.route("/tell-us/<slug>", methods=["GET", "POST"])
def question(slug: str) -> Response | str:
    step = STEPS_BY_SLUG.get(slug)
    if step is None:
        abort(404)
    draft = drafts.open_draft()
    answers = Answers(draft.answers if draft else None)
    change = request.args.get("change") == "1"

    if not step.applies(answers):
        return _go(step_after(answers, step), change=change)
    waiting = first_unanswered(answers)
    earlier = [s.slug for s in STEPS[: STEPS.index(step)]]
    if waiting is not None and waiting.slug in earlier:
        return _go(waiting)

    if request.method == "POST":
        form = step.form(answers, council())
        if form.validate():
            draft = draft or drafts.start_draft()
            draft.answers = {**draft.answers, slug: form.answers()}
            draft.updated_at = now()
            db.session.commit()
            answers = Answers(draft.answers)
            if change:
                # A changed answer can open pages not yet answered (becoming an
                # advocate, say); those come before going back to check answers.
                return _go(first_unanswered(answers), change=True)
            return _go(step_after(answers, step))
    else:
        form = step.form(answers, council(), saved=True)

    before = step_before(answers, step)
    if change:
        back = url_for("public.check_answers")
    elif before is not None:
        back = url_for("public.question", slug=before.slug)
    else:
        back = url_for("public.start")
    return render_template(
        step.template,
        form=form,
        back=back,
        answers=answers,
        kind=answers.kind,
        young_person=answers.role is not None and answers.role.value == "young_person",
    )


@blueprint.route("/tell-us/check-your-answers", methods=["GET", "POST"])
def check_answers() -> Response | str:
    draft = drafts.open_draft()
    if draft is None:
        if drafts.sent_draft() is not None:
            return redirect(url_for("public.confirmation"))
        return redirect(url_for("public.start"))
    answers = Answers(draft.answers)
    waiting = first_unanswered(answers)
    if waiting is not None:
        return _go(waiting)
    if request.method == "POST":
        return _send(draft, answers)
    try:
        still_valid(answers, council())
    except AnswersOutOfDate as out_of_date:
        # An answer no longer fits (a compliment's "no reply" after changing to a
        # complaint, say): ask that question again rather than show it as if it stood.
        return _go(out_of_date.step, change=True)
    return render_template(
        "web/check_answers.html",
        rows=summary(answers, council(), _language()),
        kind=answers.kind,
        back=url_for("public.question", slug=_last_step(answers).slug),
    )


def _last_step(answers: Answers) -> Step:
    step = STEPS[0]
    while (following := step_after(answers, step)) is not None:
        step = following
    return step


def _send(draft: FormDraft, answers: Answers) -> Response:
    try:
        submission = to_submission(answers, council(), _language())
    except AnswersOutOfDate as out_of_date:
        return _go(out_of_date.step, change=True)
    # Claim the draft first: a second click on "Send", or the same page sent twice by a
    # flaky connection, finds it already claimed and is shown the same confirmation.
    claimed = db.session.execute(
        update(FormDraft)
        .where(FormDraft.id == draft.id, FormDraft.case_id.is_(None))
        .values(updated_at=now())
    ).rowcount
    if claimed != 1:
        db.session.rollback()
        return redirect(url_for("public.confirmation"))
    case = receive_case(
        db.session,
        council(),
        submission,
        received_at=now(),
        actor="public:online_form",
        routing=routing(),
    )
    draft.case_id = case.id
    # The case now holds the answers; the draft keeps none of them.
    draft.answers = {}
    db.session.commit()
    drafts.mark_sent(draft)
    return redirect(url_for("public.confirmation"))


def _sent_case() -> tuple[FormDraft, Case]:
    draft = drafts.sent_draft()
    if draft is None or draft.case_id is None:
        abort(404)
    case = db.session.get(Case, draft.case_id)
    if case is None:
        abort(404)
    return draft, case


@blueprint.get("/tell-us/sent")
def confirmation() -> Response | str:
    if drafts.sent_draft() is None:
        return redirect(url_for("public.start"))
    draft, case = _sent_case()
    return render_template(
        "web/confirmation.html",
        case=case,
        kind=Kind(case.kind),
        equality_answered=draft.equality_answered,
    )


@blueprint.route("/tell-us/about-you", methods=["GET", "POST"])
def equality() -> Response | str:
    if drafts.sent_draft() is None:
        return redirect(url_for("public.start"))
    draft, _case = _sent_case()
    if draft.equality_answered:
        return redirect(url_for("public.equality_done"))
    form = EqualityForm()
    if request.method == "POST" and form.validate():
        answers: dict[str, Any] = form.answers()
        record_equality_answers(db.session, answers, today())
        draft.equality_answered = True
        db.session.commit()
        return redirect(url_for("public.equality_done"))
    return render_template("web/equality.html", form=form, back=url_for("public.confirmation"))


@blueprint.get("/tell-us/about-you/done")
def equality_done() -> str:
    return render_template("web/equality_done.html")
