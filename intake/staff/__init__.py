"""The staff side: sign in, queues, the case page and every action on a case.

Access is checked on every request, on the server, per case: a case a member of staff
may not see is answered 404, exactly as one that does not exist. Every time staff open,
change, export or print a case, an audit entry records who, what and when. Pages are
never cached, so a shared computer's Back button shows nothing after signing out.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from typing import Any

import pyotp
from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_user, logout_user
from sqlalchemy import and_, exists, or_, select
from sqlalchemy.orm.attributes import flag_modified
from sqlalchemy.orm.exc import StaleDataError

from forms.choices import ACCESS_NEED_LABELS, language_name
from forms.fields import choice
from forms.public import OTHER_LANGUAGE, reply_languages
from forms.staff import (
    CodeForm,
    NewPasswordForm,
    NotificationsForm,
    RecordContactForm,
    SignInForm,
)
from intake.casework.audit import record_audit
from intake.casework.calendar import COUNCIL_TIME_ZONE
from intake.casework.cases import (
    ChildDetails,
    ContactDetails,
    NeedDetails,
    Submission,
    case_summary,
    find_case,
    receive_case,
)
from intake.casework.council import localise
from intake.casework.staff import (
    ROLE_NAMES,
    StaffError,
    check_password_strength,
    disable,
    hash_password,
    may_change,
    may_see,
    new_totp_secret,
    rotate_session_token,
    verify_code,
    visible_cases,
)
from intake.casework.staff import Role as StaffRole
from intake.casework.staff import sign_in as check_sign_in
from intake.casework.vocabulary import AccessNeed, Kind, Method, ReplyMethod, Role, Status
from intake.casework.workflow import WorkflowError, current_stage, deadlines, escalation_window
from intake.extensions import db
from intake.models import Case, CaseTeam, OutboxMessage, SafeguardingAlert, StaffTask, StaffUser
from intake.staff.actions import ACTIONS, Context
from intake.staff.auth import SignedIn, staff
from intake.web.context import council, now, routing, today

blueprint = Blueprint("staff", __name__, url_prefix="/staff")

PAGE_SIZE = 25
# Keep in step with OPEN_CASES in intake/models/case.py: its indexes serve this list.
OPEN_STATUSES = (Status.NEW.value, Status.OPEN.value, Status.ON_HOLD.value)
PUBLIC_ENDPOINTS = {"staff.sign_in", "staff.sign_in_code"}
TASK_NAMES = {
    "acknowledge_by_phone": _l("Phone them to acknowledge the case"),
    "acknowledge_by_letter": _l("Post them a letter acknowledging the case"),
    "reply_in_their_format": _l(
        "Send them the acknowledgement in the language or format they need (see the case)"
    ),
}


@blueprint.before_request
def _signed_in_only() -> Response | None:
    if request.endpoint in PUBLIC_ENDPOINTS:
        return None
    if not current_user.is_authenticated:
        return redirect(url_for("staff.sign_in", next=request.path))
    user = staff()
    setting_up = {"staff.new_password", "staff.two_factor", "staff.sign_out"}
    if user.must_change_password and request.endpoint not in setting_up:
        return redirect(url_for("staff.new_password"))
    if user.totp_required and not user.totp_secret and request.endpoint not in setting_up:
        return redirect(url_for("staff.two_factor"))
    return None


@blueprint.after_request
def _never_cached(response: Response) -> Response:
    response.headers["Cache-Control"] = "no-store"
    return response


@blueprint.context_processor
def _staff_context() -> dict[str, Any]:
    user = staff() if current_user.is_authenticated else None
    return {
        "staff_user": user,
        "team_name": routing().team_name,
        "task_names": TASK_NAMES,
        "how_to_reply": how_to_reply,
        "language_name": language_name,
        "access_needs_in_words": access_needs_in_words,
    }


def how_to_reply(case: Case) -> list[str]:
    """What every reply to this person must be, beyond the words: the language and the
    formats they asked for. Shown at the top of the case, so nobody sends one they
    cannot read."""
    needs = []
    if case.contact is not None and case.contact.other_language:
        needs.append(_("In %(language)s", language=case.contact.other_language))
    return needs + access_needs_in_words(case)


def access_needs_in_words(case: Case) -> list[str]:
    """Each format they need, as staff read it ("An interpreter: Cymraeg")."""
    words = []
    for entry in case.access_needs:
        label = str(ACCESS_NEED_LABELS.get(AccessNeed(entry.need), entry.need))
        words.append(f"{label}: {entry.detail}" if entry.detail else label)
    return words


@blueprint.app_template_filter("team_name")
def _team_name(key: str) -> str:
    """A team's name for `map("team_name")` in lists (a context function cannot be mapped)."""
    return routing().team_name(key)


def _actor() -> str:
    user = staff()
    return f"staff:{user.email}"


def _context() -> Context:
    return Context(council(), routing(), _actor(), now(), today())


# Signing in -------------------------------------------------------------------------------


def _safe_next(target: str | None) -> str:
    if target and target.startswith("/staff") and "//" not in target:
        return target
    return url_for("staff.queue")


@blueprint.route("/sign-in", methods=["GET", "POST"])
def sign_in() -> Response | str:
    form = SignInForm()
    problem = None
    if form.validate_on_submit():
        result = check_sign_in(
            db.session, form.email.data or "", form.password.data or "", None, now()
        )
        db.session.commit()
        if result.outcome == "ok" and result.user is not None:
            login_user(SignedIn(result.user))
            return redirect(_safe_next(request.args.get("next")))
        if result.outcome == "needs_code" and result.user is not None:
            session["pending_staff"] = f"{result.user.id}:{result.user.session_token}"
            return redirect(url_for("staff.sign_in_code", next=request.args.get("next")))
        problem = {
            "locked": _(
                "This account is locked after too many attempts. Try again in 15 "
                "minutes, or ask an administrator to reset it."
            ),
            "disabled": _("This account has been disabled. Ask an administrator."),
        }.get(result.outcome, _("The email address or password is not right"))
    return render_template("staff/sign_in.html", form=form, problem=problem)


@blueprint.route("/sign-in/code", methods=["GET", "POST"])
def sign_in_code() -> Response | str:
    pending = session.get("pending_staff")
    if not pending:
        return redirect(url_for("staff.sign_in"))
    form = CodeForm()
    problem = None
    if form.validate_on_submit():
        user_id, _sep, token = pending.partition(":")
        user = db.session.get(StaffUser, int(user_id)) if user_id.isdigit() else None
        if user is None or user.session_token != token or user.disabled:
            session.pop("pending_staff", None)
            return redirect(url_for("staff.sign_in"))
        accepted = verify_code(user, form.code.data or "", now())
        db.session.commit()
        if accepted:
            session.pop("pending_staff", None)
            login_user(SignedIn(user))
            return redirect(_safe_next(request.args.get("next")))
        if user.locked_until is not None and user.locked_until > now():
            problem = _(
                "This account is locked after too many attempts. Try again in 15 "
                "minutes, or ask an administrator to reset it."
            )
        else:
            problem = _("That code is not right. Check the time on your phone and try again.")
    return render_template("staff/sign_in_code.html", form=form, problem=problem)


@blueprint.post("/sign-out")
def sign_out() -> Response:
    # A new session token ends this session everywhere: a copied cookie stops working.
    rotate_session_token(staff())
    db.session.commit()
    logout_user()
    session.clear()
    return redirect(url_for("staff.sign_in"))


@blueprint.route("/new-password", methods=["GET", "POST"])
def new_password() -> Response | str:
    form = NewPasswordForm()
    problem = None
    if form.validate_on_submit():
        user = staff()
        try:
            check_password_strength(form.password.data or "", user.email)
        except StaffError as weak:
            problem = str(weak)
        else:
            user.password_hash = hash_password(form.password.data or "")
            user.must_change_password = False
            db.session.commit()
            return redirect(url_for("staff.queue"))
    return render_template("staff/new_password.html", form=form, problem=problem)


@blueprint.route("/two-factor", methods=["GET", "POST"])
def two_factor() -> Response | str:
    """Set up a second factor: an authenticator app's code, asked for at every sign-in."""
    user = staff()
    secret = session.get("new_totp_secret") or new_totp_secret()
    session["new_totp_secret"] = secret
    form = CodeForm()
    problem = None
    if form.validate_on_submit():
        if pyotp.TOTP(secret).verify((form.code.data or "").replace(" ", ""), valid_window=1):
            user.totp_secret = secret
            session.pop("new_totp_secret", None)
            db.session.commit()
            return redirect(url_for("staff.queue"))
        problem = _("That code is not right. Check the time on your phone and try again.")
    uri = pyotp.TOTP(secret).provisioning_uri(name=user.email, issuer_name=council().council.name)
    return render_template(
        "staff/two_factor.html", form=form, problem=problem, secret=secret, uri=uri
    )


@blueprint.route("/account", methods=["GET", "POST"])
def account() -> Response | tuple[str, int] | str:
    """Your account: which emails you get (urgent alerts always go to the whole team)."""
    user = staff()
    form = NotificationsForm()
    if request.method == "GET":
        form.new_cases.data = "yes" if user.notify_new_cases else "no"
    if form.validate_on_submit():
        user.notify_new_cases = form.new_cases.data == "yes"
        db.session.commit()
        flash(_("Your email settings are saved."))
        return redirect(url_for("staff.account"))
    status = 400 if request.method == "POST" else 200
    return render_template("staff/account.html", form=form, user=user), status


# Administration -----------------------------------------------------------------------------


@blueprint.get("/admin/users")
def admin_users() -> str:
    if StaffRole(staff().role) is not StaffRole.ADMIN:
        abort(404)
    users = db.session.scalars(select(StaffUser).order_by(StaffUser.email)).all()
    return render_template("staff/admin_users.html", users=users, roles=ROLE_NAMES)


@blueprint.post("/admin/users/<int:user_id>/<change>")
def admin_change_user(user_id: int, change: str) -> Response:
    admin = staff()
    if StaffRole(admin.role) is not StaffRole.ADMIN:
        abort(404)
    user = db.session.get(StaffUser, user_id)
    if user is None or change not in {"disable", "enable", "require-2fa"}:
        abort(404)
    if change == "disable":
        if user.id == admin.id:
            abort(400)
        disable(user)
    elif change == "enable":
        user.disabled = False
    else:
        user.totp_required = True
    record_audit(
        db.session,
        actor=_actor(),
        action="account_changed",
        detail={"account": user.email, "change": change},
    )
    db.session.commit()
    return redirect(url_for("staff.admin_users"))


# Queues --------------------------------------------------------------------------------------


def _tag(case: Case, today_: date) -> tuple[str, str]:
    """The status tag a queue shows: (text, GOV.UK tag colour)."""
    if case.safeguarding or case.priority == "urgent":
        return _("Urgent"), "govuk-tag--red"
    if case.status == Status.ON_HOLD.value:
        return _("On hold"), "govuk-tag--grey"
    if case.status == Status.CLOSED.value:
        return _("Closed"), "govuk-tag--grey"
    if case.next_deadline is not None:
        if case.next_deadline < today_:
            return _("Overdue"), "govuk-tag--red"
        soon = council().calendar().add_working_days(today_, 2).due
        if case.next_deadline <= soon:
            return _("Due in 2 working days"), "govuk-tag--orange"
    if case.status == Status.NEW.value:
        return _("New"), "govuk-tag--blue"
    return _("Open"), "govuk-tag--green"


def _cursor(raw: str | None) -> tuple[date | None, int] | None:
    if not raw:
        return None
    deadline, _sep, case_id = raw.partition("~")
    if not case_id.isdigit():
        return None
    try:
        return (date.fromisoformat(deadline) if deadline else None, int(case_id))
    except ValueError:
        return None


def _with_team(teams: list[str]) -> Any:
    """Cases these teams lead or are involved in: an involved team contributes, so sees it."""
    return or_(
        Case.team.in_(teams),
        exists().where(and_(CaseTeam.case_id == Case.id, CaseTeam.team.in_(teams))),
    )


@blueprint.get("/")
def queue() -> str:
    """Cases sorted by their next deadline, with filters; keyset paging stays fast."""
    user = staff()
    if StaffRole(user.role) not in {
        StaffRole.COMPLAINTS_OFFICER,
        StaffRole.TEAM_MANAGER,
        StaffRole.TEAM_MEMBER,
        StaffRole.ADVOCACY_PROVIDER,
    }:
        return render_template("staff/no_cases.html")
    args = request.args
    query = select(Case).where(visible_cases(user))
    state = args.get("state", "")
    if state == "closed":
        query = query.where(Case.status == Status.CLOSED.value)
    else:
        query = query.where(Case.status.in_(OPEN_STATUSES))
    team = args.get("team", "")
    if team:
        query = query.where(_with_team([team]))
    elif (
        StaffRole(user.role) in {StaffRole.TEAM_MANAGER, StaffRole.TEAM_MEMBER}
        and args.get("mine", "1") == "1"
    ):
        query = query.where(_with_team(sorted(user.team_keys)))
    for name in ("kind", "procedure"):
        if args.get(name):
            query = query.where(getattr(Case, name) == args[name])
    if args.get("stage", "").isdigit():
        query = query.where(Case.stage == int(args["stage"]))
    today_ = today()
    if state == "new":
        query = query.where(Case.status == Status.NEW.value)
    elif state == "overdue":
        query = query.where(Case.next_deadline < today_)
    elif state == "due_soon":
        soon = council().calendar().add_working_days(today_, 2).due
        query = query.where(Case.next_deadline >= today_, Case.next_deadline <= soon)
    elif state == "on_hold":
        query = query.where(Case.status == Status.ON_HOLD.value)
    elif state == "urgent":
        query = query.where(or_(Case.priority == "urgent", Case.safeguarding.is_(True)))
    after = _cursor(args.get("after"))
    if after is not None:
        deadline, case_id = after
        if deadline is None:
            query = query.where(Case.next_deadline.is_(None), Case.id > case_id)
        else:
            query = query.where(
                or_(
                    Case.next_deadline > deadline,
                    and_(Case.next_deadline == deadline, Case.id > case_id),
                    Case.next_deadline.is_(None),
                )
            )
    rows = db.session.scalars(
        query.order_by(Case.next_deadline.asc().nulls_last(), Case.id).limit(PAGE_SIZE + 1)
    ).all()
    more = len(rows) > PAGE_SIZE
    rows = rows[:PAGE_SIZE]
    following = None
    if more and rows:
        last = rows[-1]
        following = f"{last.next_deadline.isoformat() if last.next_deadline else ''}~{last.id}"
    teams = [
        t
        for t in routing().teams
        if StaffRole(user.role) is StaffRole.COMPLAINTS_OFFICER or t.key in user.team_keys
    ]
    task_query = (
        select(StaffTask, Case.reference)
        .join(Case, Case.id == StaffTask.case_id)
        .where(StaffTask.done_on.is_(None))
        .order_by(StaffTask.due_on, StaffTask.id)
        .limit(50)
    )
    if StaffRole(user.role) is not StaffRole.COMPLAINTS_OFFICER:
        task_query = task_query.where(
            StaffTask.team.in_(sorted(user.team_keys)), visible_cases(user)
        )
    return render_template(
        "staff/queue.html",
        tasks=db.session.execute(task_query).all(),
        cases=[(case, _tag(case, today_)) for case in rows],
        following=following,
        teams=teams,
        args=args,
    )


# A case -------------------------------------------------------------------------------------


def _case_or_404(reference: str) -> Case:
    case = find_case(db.session, reference)
    user = staff()
    if case is None:
        abort(404)
    if not db.session.scalars(
        select(Case.id).where(Case.id == case.id, visible_cases(user))
    ).first():
        # Not theirs: the same answer as a case that does not exist.
        abort(404)
    return case


def _sending(case: Case) -> dict[str, Any]:
    """What the service has sent, or owes, about this case, and its safeguarding alerts."""
    return {
        "messages": db.session.scalars(
            select(OutboxMessage).where(OutboxMessage.case_id == case.id).order_by(OutboxMessage.id)
        ).all(),
        "alerts": db.session.scalars(
            select(SafeguardingAlert)
            .where(SafeguardingAlert.case_id == case.id)
            .order_by(SafeguardingAlert.id)
        ).all(),
    }


@blueprint.get("/cases/<reference:reference>")
def case_page(reference: str) -> str:
    case = _case_or_404(reference)
    record_audit(db.session, actor=_actor(), action="viewed", case=case)
    db.session.commit()
    settings = council()
    worked = deadlines(settings, case)
    offered = (
        [(name, action.title) for name, action in ACTIONS.items() if action.offered(case)]
        if may_change(staff())
        else []
    )
    return render_template(
        "staff/case.html",
        case=case,
        sending=_sending(case),
        worked=worked,
        stage=current_stage(case),
        window=escalation_window(settings, case),
        offered=offered,
        service_name=localise(settings.service(case.service_area).name, "en")
        if case.service_area and settings.service(case.service_area)
        else None,
        tag=_tag(case, today()),
    )


@blueprint.get("/cases/<reference:reference>/export.json")
def export_case(reference: str) -> Response:
    case = _case_or_404(reference)
    record_audit(
        db.session, actor=_actor(), action="exported", case=case, detail={"format": "json"}
    )
    db.session.commit()
    body = json.dumps(case_summary(case), indent=2, ensure_ascii=False)
    return Response(
        body,
        mimetype="application/json",
        headers={"Content-Disposition": f'attachment; filename="{case.reference}.json"'},
    )


@blueprint.get("/cases/<reference:reference>/print")
def print_case(reference: str) -> str:
    case = _case_or_404(reference)
    record_audit(db.session, actor=_actor(), action="printed", case=case)
    db.session.commit()
    settings = council()
    return render_template(
        "staff/case.html",
        case=case,
        sending=_sending(case),
        worked=deadlines(settings, case),
        stage=current_stage(case),
        window=escalation_window(settings, case),
        offered=[],
        printing=True,
        service_name=None,
        tag=_tag(case, today()),
    )


@blueprint.route("/cases/<reference:reference>/<action>", methods=["GET", "POST"])
def case_action(reference: str, action: str) -> Response | tuple[str, int] | str:
    chosen = ACTIONS.get(action)
    if chosen is None:
        abort(404)
    case = _case_or_404(reference)
    if not may_change(staff()):
        abort(404)
    context = _context()
    form = chosen.form(context, case)
    problem = None
    status = 200
    if request.method == "GET":
        form.version.data = str(case.version)
    if request.method == "POST" and not chosen.offered(case):
        problem = _("This action is not available for the case as it is now.")
        status = 409
    elif form.validate_on_submit():
        if form.version.data != str(case.version):
            problem = _("This case changed while you were working on it. Review it and save again.")
            status = 409
            # Saving again after reviewing is a deliberate choice: let it through.
            form.version.data = str(case.version)
        else:
            try:
                # Every action changes the case row, so its version moves on even when the
                # action only adds rows beside it (correspondence, a learning action), and
                # a form opened before it is refused. Marked first, so an action that
                # flushes part-way (owing a message) still writes the row once.
                case.updated_at = context.at
                flag_modified(case, "updated_at")
                # One UPDATE of the case per action: loading a relationship part-way must
                # not write the row early and move its version on twice.
                with db.session.no_autoflush:
                    chosen.apply(context, case, form)
                record_audit(
                    db.session,
                    actor=context.actor,
                    action="changed",
                    case=case,
                    detail={"action": action},
                )
                db.session.commit()
                return redirect(url_for("staff.case_page", reference=case.reference))
            except WorkflowError as refused:
                db.session.rollback()
                problem = str(refused)
                status = 409
            except StaleDataError:
                db.session.rollback()
                problem = _(
                    "This case changed while you were working on it. Review it and save again."
                )
                status = 409
            case = _case_or_404(reference)
            form.version.data = str(case.version)
    elif request.method == "POST":
        status = 400
    page = render_template(
        "staff/action.html",
        case=case,
        form=form,
        title=chosen.title,
        problem=problem,
        back=url_for("staff.case_page", reference=case.reference),
    )
    return page, status


# Recording a contact that arrived another way ------------------------------------------


@blueprint.route("/cases/new", methods=["GET", "POST"])
def record_contact() -> Response | tuple[str, int] | str:
    if not may_change(staff()) or StaffRole(staff().role) is StaffRole.ADVOCACY_PROVIDER:
        abort(404)
    settings = council()
    form = RecordContactForm()
    from forms.choices import ROLE_NAMES

    form.role.choices = [choice(r.value, label) for r, label in ROLE_NAMES.items()]
    form.service_area.choices = [choice(s.key, localise(s.name, "en")) for s in settings.services]
    form.language.choices = reply_languages(settings.council.languages)
    if request.method == "GET":
        form.received_on.data = today()
        form.language.data = settings.council.languages[0]
    if form.validate_on_submit():
        received = form.received_on.data
        if received > today():
            form.received_on.errors.append(_("The date received must be today or in the past"))
        else:
            reply = (
                ReplyMethod.EMAIL
                if form.email.data
                else ReplyMethod.PHONE
                if form.phone.data
                else ReplyMethod.LETTER
            )
            reply_language = form.language.data or settings.council.languages[0]
            other_language = reply_language == OTHER_LANGUAGE
            submission = Submission(
                kind=Kind(form.kind.data),
                method=Method(form.method.data),
                complainant_role=Role(form.role.data),
                # Another language: messages go in the council's first, and staff see
                # which one the person needs (an interpreter or a translation by hand).
                language=settings.council.languages[0] if other_language else reply_language,
                contact=ContactDetails(
                    reply_method=reply,
                    name=form.name.data or None,
                    email=form.email.data or None,
                    phone=form.phone.data or None,
                    other_language=(form.other_language.data or None) if other_language else None,
                ),
                access_needs=tuple(
                    NeedDetails(
                        AccessNeed(need),
                        form.need_detail.data or None
                        if need in {AccessNeed.INTERPRETER.value, AccessNeed.OTHER.value}
                        else None,
                    )
                    for need in form.needs.data or ()
                ),
                what_happened=form.what_happened.data or "",
                children=(ChildDetails(first_name=form.child_first_name.data),)
                if form.child_first_name.data
                else (),
                service_area=form.service_area.data or None,
            )
            # Received at midday on the day given: the day is what deadlines count from.
            moment = datetime(
                received.year, received.month, received.day, 12, tzinfo=COUNCIL_TIME_ZONE
            ).astimezone(UTC)
            case = receive_case(
                db.session,
                settings,
                submission,
                received_at=moment,
                actor=_actor(),
                routing=routing(),
            )
            record_audit(
                db.session,
                actor=_actor(),
                action="created",
                case=case,
                detail={"method": form.method.data},
            )
            db.session.commit()
            if not may_see(db.session, staff(), case):
                # Routed to a team the recorder is not in: saved, and out of their hands.
                flash(
                    _(
                        "Contact recorded as %(reference)s. It was routed to %(team)s, "
                        "so it is not in your queue.",
                        reference=case.reference,
                        team=routing().team_name(case.team or ""),
                    )
                )
                return redirect(url_for("staff.queue"))
            return redirect(url_for("staff.case_page", reference=case.reference))
    status = 400 if request.method == "POST" else 200
    return render_template(
        "staff/record_contact.html", form=form, back=url_for("staff.queue")
    ), status


@blueprint.get("/not-allowed")
def not_allowed() -> tuple[str, int]:
    return render_template("staff/no_cases.html"), 200


def register(app: Any) -> None:
    """Blueprint plus the Flask-Login wiring."""
    from intake.extensions import login_manager

    login_manager.init_app(app)
    login_manager.login_view = "staff.sign_in"
    from intake.staff import messages, reports  # noqa: F401 - their routes join this blueprint

    app.register_blueprint(blueprint)
