"""`flask intake worker` and `flask intake outbox`."""

from __future__ import annotations

import json
from typing import Any

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import case as when
from sqlalchemy import select

from intake.casework.outbox import State
from intake.extensions import db
from intake.logs import configure_logging
from intake.models import Case, OutboxMessage
from intake.outbox.worker import run_forever, run_once


@click.command("worker")
@click.option("--once", is_flag=True, help="Send what is due now, run the jobs once, and exit.")
@click.option("--poll", default=5.0, show_default=True, help="Seconds between looks when idle.")
@with_appcontext
def worker(once: bool, poll: float) -> None:
    """Send the outbox's messages and run reminders, escalations, digests and chat expiry."""
    if once:
        report = run_once()
        db.session.remove()
        click.echo(json.dumps(report.as_dict(), sort_keys=True))
        return
    # Say what was sent (by channel and id, never the words): the development
    # provider's whole point is that someone can see it working.
    configure_logging(current_app.config["LOG_FORMAT"])
    click.echo("Worker started: sending the outbox's messages. Stop it with Ctrl-C.")
    run_forever(current_app._get_current_object(), poll_seconds=poll)  # type: ignore[attr-defined]


FAILED_FIRST = when((OutboxMessage.state == State.FAILED.value, 0), else_=1)


def listing(*, state: str | None = None, limit: int = 200) -> list[dict[str, Any]]:
    """The outbox as staff and the CLI see it: failed first, then newest."""
    query = (
        select(OutboxMessage, Case.reference)
        .outerjoin(Case, Case.id == OutboxMessage.case_id)
        .order_by(FAILED_FIRST, OutboxMessage.id.desc())
        .limit(limit)
    )
    if state:
        query = query.where(OutboxMessage.state == state)
    return [
        {
            "id": message.id,
            "case": reference,
            "channel": message.channel,
            "recipient": message.recipient_kind,
            "template": message.template,
            "language": message.language,
            "state": message.state,
            "attempts": message.attempts,
            "next_attempt_at": message.next_attempt_at.isoformat(),
            "sent_at": message.sent_at.isoformat() if message.sent_at else None,
            "provider": message.provider,
            "last_error": message.last_error,
        }
        for message, reference in db.session.execute(query)
    ]


def retry(message: OutboxMessage, now: Any) -> bool:
    """Put a failed or cancelled message back in line, with a fresh count of attempts."""
    if message.state not in {State.FAILED.value, State.CANCELLED.value}:
        return False
    message.state = State.PENDING.value
    message.attempts = 0
    message.next_attempt_at = now
    message.last_error = None
    return True


@click.group("outbox", invoke_without_command=True)
@click.option("--json", "as_json", is_flag=True, help="Print JSON for other tools.")
@click.option(
    "--state",
    type=click.Choice([s.value for s in State]),
    help="Only messages in this state.",
)
@click.pass_context
@with_appcontext
def outbox(context: click.Context, as_json: bool, state: str | None) -> None:
    """List the messages owed and sent (failed first), with their state and attempts."""
    if context.invoked_subcommand:
        return
    rows = listing(state=state)
    if as_json:
        click.echo(json.dumps(rows, indent=2))
        return
    if not rows:
        click.echo("The outbox is empty.")
    for row in rows:
        error = f"  ({row['last_error']})" if row["last_error"] else ""
        click.echo(
            f"{row['id']:>6}  {row['state']:<9} {row['case'] or '-':<14} {row['recipient']:<6} "
            f"{row['channel']:<8} {row['template']:<18} {row['language']:<3} "
            f"tries {row['attempts']}{error}"
        )


@outbox.command("retry")
@click.argument("message_id", type=int)
@with_appcontext
def retry_command(message_id: int) -> None:
    """Send a failed message again."""
    message = db.session.get(OutboxMessage, message_id)
    if message is None:
        raise click.ClickException(f"No outbox message has the id {message_id}.")
    if not retry(message, current_app.extensions["intake.clock"].now()):
        raise click.ClickException(
            f"Message {message_id} is {message.state}: only a failed "
            "or cancelled message can be retried."
        )
    db.session.commit()
    click.echo(f"Message {message_id} will be sent again by the worker.")
