"""`flask --app wsgi intake ...`: the service's commands for staff and operators."""

from __future__ import annotations

import getpass
import json
import sys
from datetime import timedelta
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup, with_appcontext
from sqlalchemy import select

from intake.casework import jobs
from intake.casework.audit import record_audit
from intake.casework.calendar import Deadline, local_date
from intake.casework.cases import case_summary, find_case
from intake.casework.conversations import (
    ChatSetup,
    expire_conversations,
    new_address,
    render_reply,
    take_message,
)
from intake.casework.council import CouncilSettings
from intake.casework.procedures import plan_deadlines
from intake.casework.routing import RoutingSettings, facts_of, route
from intake.casework.staff import Role as StaffRole
from intake.casework.staff import StaffError, create_staff, disable, reset_password
from intake.casework.vocabulary import Kind, Procedure
from intake.casework.workflow import current_stage, deadlines
from intake.chat.engine import ChatState, Message, Turn, handle
from intake.chat.flow import FLOWS_DIR, FlowError, load_flow
from intake.extensions import db
from intake.models import StaffUser

intake_cli = AppGroup("intake", help="Work with cases and the service's settings.")


def _team_name(key: str | None) -> str:
    routing: RoutingSettings = current_app.extensions["intake.routing"]
    return f"{routing.team_name(key)} ({key})" if key else ""


def _settings() -> CouncilSettings:
    return current_app.extensions["intake.council"]


def _cli_actor() -> str:
    return f"cli:{getpass.getuser()}"


def _working(title: str, stored: object, deadline: Deadline | None) -> list[str]:
    if deadline is None:
        return [f"{title}: none"]
    lines = [f"{title}: {deadline.due:%A %-d %B %Y} ({deadline.due.isoformat()})"]
    lines += [f"    {line}" for line in deadline.explain()]
    if stored != deadline.due:
        lines.append(
            f"    The case holds {stored}; the calendar today gives {deadline.due.isoformat()}."
        )
    return lines


@intake_cli.command("show")
@click.argument("reference")
@click.option("--json", "as_json", is_flag=True, help="Print the case as JSON.")
def show(reference: str, as_json: bool) -> None:
    """Print one case, with how each of its deadlines was worked out."""
    case = find_case(db.session, reference)
    if case is None:
        raise click.ClickException(f"No case has the reference {reference!r}.")
    record_audit(
        db.session,
        actor=_cli_actor(),
        action="viewed",
        case=case,
        detail={"via": "intake show", "format": "json" if as_json else "text"},
    )
    db.session.commit()
    summary = case_summary(case)
    if as_json:
        click.echo(json.dumps(summary, indent=2, ensure_ascii=False))
        return
    worked = deadlines(_settings(), case)
    lines = [
        f"Case {case.reference}",
        f"  Kind:            {case.kind}",
        f"  Procedure:       {case.procedure or 'none'}"
        + (f", stage {case.stage}" if case.stage else ""),
        f"  Status:          {case.status}",
        f"  Received:        {case.received_on:%A %-d %B %Y} by {case.method}",
        f"  From:            {case.complainant_role}"
        + (f" ({case.advocate_organisation})" if case.advocate_organisation else ""),
        f"  Language:        {case.language}",
        f"  Service:         {case.service_area or 'not known'}",
        f"  Team:            {_team_name(case.team) or 'not yet routed'}",
    ]
    if case.safeguarding:
        lines.append("  Flag:            SAFEGUARDING: a child may be at risk")
    if case.incomplete:
        lines.append("  Flag:            incomplete: the conversation stopped part-way")
    if case.advocate_requested:
        lines.append("  Flag:            an advocate has been asked for")
    if case.out_of_time:
        lines.append("  Flag:            about events more than 12 months ago")
    lines.append("")
    lines.append(f"Deadlines ({worked.description}):")
    lines += _working("  Acknowledge by", case.acknowledge_by, worked.acknowledge)
    stage = current_stage(case)
    stored = stage.respond_by if stage is not None else case.respond_by
    lines += _working("  Respond by", stored, worked.respond)
    if worked.held_working_days:
        lines.append(f"    (includes {worked.held_working_days} working days on hold)")
    lines.append("")
    lines.append("What they told us:")
    lines += [f"  {line}" for line in (case.what_happened or "(nothing)").splitlines()]
    click.echo("\n".join(lines))


drafts_cli = AppGroup("drafts", help="Unsent form answers.")
intake_cli.add_command(drafts_cli)


@drafts_cli.command("purge")
def purge_drafts() -> None:
    """Delete form answers nobody has touched for longer than a session lasts."""
    lifetime: timedelta = current_app.config["PERMANENT_SESSION_LIFETIME"]
    deleted = jobs.purge_drafts(db.session, current_app.extensions["intake.clock"].now(), lifetime)
    db.session.commit()
    click.echo(f"Deleted {deleted} unsent or finished form drafts older than {lifetime.days} days.")


@intake_cli.command("check-config")
def check_config() -> None:
    """Validate the council's settings (the service does this when it starts, too)."""
    settings = _settings()
    click.echo(
        f"{settings.council.name}: {len(settings.services)} services, "
        f"{len(settings.procedures)} procedures, {len(settings.closures)} closure days. OK."
    )


flows_cli = AppGroup("flows", help="The chat's conversation flows.")
intake_cli.add_command(flows_cli)


@flows_cli.command("check")
@click.argument("directory", required=False, type=click.Path(exists=True, file_okay=False))
def check_flows(directory: str | None) -> None:
    """Prove every flow reaches an end from every node, with every text in every language."""
    folder = Path(directory) if directory else FLOWS_DIR
    failed = False
    for path in sorted(folder.glob("*.yaml")):
        try:
            flow = load_flow(path)
        except FlowError as problems:
            failed = True
            click.echo(str(problems), err=True)
            continue
        click.echo(
            f"{path.name}: {len(flow.nodes)} nodes in {', '.join(flow.languages)}: "
            "every node reaches an end and every text is there in every language."
        )
    if failed:
        raise click.exceptions.Exit(1)


@intake_cli.group("chat", invoke_without_command=True)
@click.option(
    "--save",
    is_flag=True,
    help="Make real cases, as a young person texting would (default: practice only).",
)
@click.pass_context
@with_appcontext
def chat_cli(context: click.Context, save: bool) -> None:
    """Talk to the young people's chat in the terminal, to try it or to train others."""
    if context.invoked_subcommand is None:
        _talk(save)


def _talk(save: bool) -> None:
    """Talk to the young people's flow in the terminal, one line per message."""
    setup: ChatSetup = current_app.extensions["intake.chat"]
    clock = current_app.extensions["intake.clock"]
    click.echo(
        "Type as a young person would; an empty line or Ctrl-D ends. "
        + ("Cases made here are real." if save else "Practice: nothing is saved.")
    )
    address = new_address()
    state = ChatState()
    while True:
        try:
            text = click.prompt("you", default="", show_default=False, prompt_suffix="> ")
        except (click.Abort, EOFError):
            break
        if not text.strip():
            break
        if save:
            delivery = take_message(
                db.session, setup, channel="cli", address=address, text=text, at=clock.now()
            )
            db.session.commit()
            replies = [message.body for message in delivery.replies]
            if delivery.case is not None:
                click.echo(f"  [case {delivery.case.reference} saved]")
        else:
            turn = handle(
                setup.flow,
                state,
                Message(text=text, at=clock.now(), channel="cli"),
                setup.danger,
                local_date(clock.now()),
            )
            state = turn.state
            values = _practice_values(setup, turn)
            for event in turn.events:
                click.echo(f"  [practice: a real conversation would now {_describe(event.name)}]")
            replies = [render_reply(setup, reply, values) for reply in turn.replies]
        for reply in replies:
            click.echo(f"council> {reply}")


def _describe(event: str) -> str:
    return {
        "submit": "make the case",
        "safeguarding": "alert the duty team (safeguarding)",
        "stopped": "stop sending messages to this number",
        "started": "start sending messages again",
        "new_run": "start a new case",
    }.get(event, event)


def _practice_values(setup: ChatSetup, turn: Turn) -> dict[str, object]:
    """Made-up case details for practice, with the dates a real case would get."""
    submitted = next((e for e in turn.events if e.name == "submit"), None)
    if submitted is None:
        return {}
    settings = setup.settings
    intent = submitted.detail["answers"].get("intent")
    kind = Kind(intent) if intent in Kind._value2member_map_ else Kind.COMMENT
    procedure = Procedure.STATUTORY if kind is Kind.COMPLAINT else None
    today = local_date(current_app.extensions["intake.clock"].now())
    deadlines = plan_deadlines(
        settings,
        kind=kind,
        procedure=procedure,
        stage=1 if procedure else None,
        received_on=today,
        wants_reply=True,
    )
    return {
        "reference": "PRACTICE",
        "acknowledge_by": deadlines.acknowledge.due if deadlines.acknowledge else "",
        "respond_by": deadlines.respond.due if deadlines.respond else "",
    }


@chat_cli.command("expire")
def expire_chats() -> None:
    """Keep conversations idle for 24 hours as incomplete cases (run it every few minutes)."""
    kept = expire_conversations(
        db.session,
        current_app.extensions["intake.chat"],
        current_app.extensions["intake.clock"].now(),
    )
    db.session.commit()
    click.echo(f"{kept} quiet conversations kept as incomplete cases.")


route_cli = AppGroup("route", help="Teams and the rules that route cases to them.")
intake_cli.add_command(route_cli)


@route_cli.command("check")
def check_routing() -> None:
    """Validate the teams and routing rules (the service does this when it starts, too)."""
    routing: RoutingSettings = current_app.extensions["intake.routing"]
    click.echo(
        f"{len(routing.teams)} teams, {len(routing.rules)} rules; "
        f"what no rule claims goes to {routing.routing.triage_team}. OK."
    )


@route_cli.command("explain")
@click.argument("reference")
def explain_route(reference: str) -> None:
    """Show which rule routes a case, and why each rule before it did not."""
    case = find_case(db.session, reference)
    if case is None:
        raise click.ClickException(f"No case has the reference {reference!r}.")
    routing: RoutingSettings = current_app.extensions["intake.routing"]
    record_audit(
        db.session,
        actor=_cli_actor(),
        action="viewed",
        case=case,
        detail={"via": "intake route explain"},
    )
    db.session.commit()
    decision = route(routing, _settings(), facts_of(case), case.received_at)
    click.echo(f"Case {case.reference} is in {routing.team_name(case.team)} ({case.team}).")
    click.echo(f"The rules today give {decision.team}, priority {decision.priority}:")
    for reason in decision.reasons:
        click.echo(f"  {reason}")
    moves = [e for e in case.events if e.event in {"routed", "rerouted"}]
    if moves:
        click.echo("History:")
        for event in moves:
            why = event.detail.get("rule") or event.detail.get("reason") or ""
            click.echo(
                f"  {event.at:%Y-%m-%d %H:%M} {event.event} to {event.detail.get('team')} "
                f"by {event.actor}" + (f": {why}" if why else "")
            )


users_cli = AppGroup("users", help="Staff accounts.")
intake_cli.add_command(users_cli)


def _password(password_stdin: bool) -> str:
    if password_stdin:
        return sys.stdin.readline().rstrip("\n")
    return str(click.prompt("Password", hide_input=True, confirmation_prompt=True))


def _staff(email: str) -> StaffUser:
    user = db.session.scalars(
        select(StaffUser).where(StaffUser.email == email.strip().lower())
    ).first()
    if user is None:
        raise click.ClickException(f"No staff account has the email {email}.")
    return user


@users_cli.command("create")
@click.option("--email", required=True)
@click.option("--name", required=True)
@click.option("--role", required=True, type=click.Choice([r.value for r in StaffRole]))
@click.option("--team", "teams", multiple=True, help="A team key from teams.toml (repeatable).")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@click.option("--require-2fa", is_flag=True, help="Require a second factor (TOTP) to sign in.")
def create_user(
    email: str,
    name: str,
    role: str,
    teams: tuple[str, ...],
    password_stdin: bool,
    require_2fa: bool,
) -> None:
    """Create a staff account."""
    routing: RoutingSettings = current_app.extensions["intake.routing"]
    try:
        user = create_staff(
            db.session,
            email=email,
            name=name,
            role=StaffRole(role),
            password=_password(password_stdin),
            teams=list(teams),
            known_teams={t.key for t in routing.teams},
            now=current_app.extensions["intake.clock"].now(),
        )
    except StaffError as problem:
        raise click.ClickException(str(problem)) from problem
    user.totp_required = require_2fa
    db.session.commit()
    click.echo(f"Created {user.email} ({role}{', ' + ', '.join(teams) if teams else ''}).")


@users_cli.command("disable")
@click.option("--email", required=True)
def disable_user(email: str) -> None:
    """Stop an account signing in, and end its sessions."""
    user = _staff(email)
    disable(user)
    db.session.commit()
    click.echo(f"Disabled {user.email}.")


@users_cli.command("reset")
@click.option("--email", required=True)
@click.option("--password-stdin", is_flag=True, help="Read the new password from standard input.")
@click.option("--clear-2fa", is_flag=True, help="Remove the second factor (a lost phone).")
def reset_user(email: str, password_stdin: bool, clear_2fa: bool) -> None:
    """Set a new password (to be changed at next sign-in), unlock, and end its sessions."""
    user = _staff(email)
    try:
        reset_password(user, _password(password_stdin))
    except StaffError as problem:
        raise click.ClickException(str(problem)) from problem
    if clear_2fa:
        user.totp_secret = None
    user.disabled = False
    db.session.commit()
    click.echo(f"Reset {user.email}: they must choose a new password when they sign in.")


@users_cli.command("require-2fa")
@click.option("--email", required=True)
def require_two_factor(email: str) -> None:
    """Require a second factor: at next sign-in they must set one up."""
    user = _staff(email)
    user.totp_required = True
    db.session.commit()
    click.echo(f"{user.email} must use a second factor from their next sign-in.")
