"""`intake retention` and `intake export-person`: the council's duties under data law."""

from __future__ import annotations

import getpass
import json
from pathlib import Path

import click
import phonenumbers
from flask import current_app, render_template
from flask.cli import with_appcontext

from intake.casework.audit import record_audit
from intake.casework.calendar import local_date
from intake.casework.retention import (
    Person,
    anonymise,
    delete_cases,
    due_for_retention,
    everything_held,
    forget_conversations,
    old_conversations,
    retention_cutoff,
)
from intake.extensions import db


def _actor() -> str:
    return f"cli:{getpass.getuser()}"


@click.command("retention")
@click.option(
    "--dry-run",
    "mode",
    flag_value="dry-run",
    default=True,
    help="Say what would change, and change nothing (the default).",
)
@click.option("--apply", "mode", flag_value="apply", help="Make the change.")
@click.option(
    "--delete",
    "remove",
    is_flag=True,
    help="Delete the cases outright instead of anonymising them.",
)
@click.option(
    "--years",
    type=click.IntRange(1, 100),
    default=None,
    help="Years after closure to keep a case (default: RETENTION_YEARS, 6).",
)
@with_appcontext
def retention(mode: str, remove: bool, years: int | None) -> None:
    """Anonymise (or delete) closed cases kept longer than the retention period."""
    kept_for = years or current_app.config["RETENTION_YEARS"]
    today = local_date(current_app.extensions["intake.clock"].now())
    cutoff = retention_cutoff(today, kept_for)
    due = due_for_retention(db.session, cutoff)
    action = "delete" if remove else "anonymise"
    click.echo(
        f"{len(due)} closed case{'s' if len(due) != 1 else ''} closed before "
        f"{cutoff.isoformat()} ({kept_for} years ago) to {action}."
    )
    for _id, reference in due[:20]:
        click.echo(f"  {reference}")
    if len(due) > 20:
        click.echo(f"  ... and {len(due) - 20} more")
    chats = old_conversations(db.session, cutoff)
    click.echo(
        f"{len(chats)} chat{'s' if len(chats) != 1 else ''} with no message since then to delete."
    )
    if mode != "apply":
        click.echo("Nothing was changed (dry run). Run with --apply to make the change.")
        db.session.rollback()
        return
    ids = [case_id for case_id, _reference in due]
    done = delete_cases(db.session, ids) if remove else anonymise(db.session, ids, today)
    forgotten = forget_conversations(db.session, chats)
    # One summary entry: the count and the cut-off, not the people.
    record_audit(
        db.session,
        actor=_actor(),
        action="retention",
        detail={
            "action": action,
            "cases": done,
            "closed_before": cutoff.isoformat(),
            "years": kept_for,
        },
    )
    db.session.commit()
    click.echo(
        f"Done: {done} case{'s' if done != 1 else ''} {action}d,"
        f" {forgotten} chat{'s' if forgotten != 1 else ''} deleted."
    )


def _person(email: str | None, phone: str | None) -> Person:
    if not email and not phone:
        raise click.UsageError("Give --email or --phone (or both).")
    e164 = None
    if phone:
        try:
            number = phonenumbers.parse(phone, "GB")
        except phonenumbers.NumberParseException as bad:
            raise click.BadParameter("that is not a phone number", param_hint="--phone") from bad
        e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    return Person(email=email.strip() if email else None, phone=e164)


@click.command("export-person")
@click.option("--email", help="The person's email address.")
@click.option("--phone", help="The person's phone number (any usual way of writing it).")
@click.option("--format", "form", type=click.Choice(["json", "html"]), default="json")
@click.option(
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write to this file instead of the terminal.",
)
@with_appcontext
def export_person(email: str | None, phone: str | None, form: str, output: Path | None) -> None:
    """Everything held about one person (a subject access request), as JSON or a page."""
    person = _person(email, phone)
    held = everything_held(db.session, person)
    from intake.casework.cases import find_case

    for summary in held["cases"]:
        case = find_case(db.session, summary["reference"])
        record_audit(
            db.session,
            actor=_actor(),
            action="exported",
            case=case,
            detail={"via": "intake export-person", "format": form},
        )
    record_audit(
        db.session,
        actor=_actor(),
        action="subject_access_export",
        detail={
            "cases": len(held["cases"]),
            "conversations": len(held["conversations"]),
            "format": form,
        },
    )
    db.session.commit()
    if form == "json":
        body = json.dumps(held, indent=2, ensure_ascii=False)
    else:
        body = render_template(
            "export/person.html",
            held=held,
            council=current_app.extensions["intake.council"].council,
        )
    if output:
        output.write_text(body, encoding="utf-8")
        click.echo(
            f"Written to {output}: {len(held['cases'])} cases, "
            f"{len(held['conversations'])} conversations.",
            err=True,
        )
    else:
        click.echo(body)
