"""The worker: sends what the outbox owes, and runs the jobs that owe more as time passes.

Claiming: a row is taken by setting it to "sending" with the time, in a short transaction
of its own, before the provider is called. On PostgreSQL the rows are chosen with
`FOR UPDATE SKIP LOCKED`, so any number of workers on any number of machines each take
different rows; on SQLite one worker is enough (every write transaction is serialised).
A worker that dies after claiming leaves the row "sending"; once the lease has passed,
another worker (or the same one restarted) takes it again, so it is sent exactly once
unless the provider accepted it in the instant before the crash.

Failures: a provider error that may pass (a timeout, a 5xx, a rate limit) is tried again
with exponential backoff; after `max_attempts`, or at once for one that cannot pass (a
refused address), the row is "failed", shown on the case and the admin outbox page, and
staff can retry it by hand.
"""

from __future__ import annotations

import logging
import time as clock_time
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from flask import Flask, current_app
from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from intake.casework import jobs
from intake.casework.calendar import local_date
from intake.casework.health import beat, this_worker
from intake.casework.outbox import State
from intake.casework.workflow import acknowledge
from intake.extensions import db
from intake.models import Case, Conversation, InboundMessage, OutboxMessage
from intake.outbox.providers import providers_for, whatsapp_templates
from intake.outbox.render import render
from notifications import Channel, Message, Provider, ProviderError

log = logging.getLogger(__name__)

BATCH = 50
WHATSAPP_WINDOW = timedelta(hours=24)


@dataclass
class Report:
    sent: int = 0
    retried: int = 0
    failed: int = 0
    cancelled: int = 0
    owed: dict[str, int] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {
            "sent": self.sent,
            "retried": self.retried,
            "failed": self.failed,
            "cancelled": self.cancelled,
            "owed": self.owed,
        }


def _now() -> datetime:
    moment: datetime = current_app.extensions["intake.clock"].now()
    return moment


def _providers() -> dict[str, Provider]:
    found: dict[str, Provider] | None = current_app.extensions.get("intake.providers")
    if found is None:
        found = providers_for(current_app.config)
        current_app.extensions["intake.providers"] = found
    return found


def _lease() -> timedelta:
    return timedelta(seconds=int(current_app.config.get("OUTBOX_LEASE_SECONDS") or 300))


def claim(session: Session, now: datetime, limit: int = BATCH) -> list[int]:
    """Take up to `limit` due rows for this worker and commit the claim."""
    due = or_(
        (OutboxMessage.state == State.PENDING.value) & (OutboxMessage.next_attempt_at <= now),
        # Claimed by a worker that has not finished within the lease: it died.
        (OutboxMessage.state == State.SENDING.value) & (OutboxMessage.claimed_at <= now - _lease()),
    )
    query = select(OutboxMessage.id).where(due).order_by(OutboxMessage.next_attempt_at).limit(limit)
    if session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    ids = list(session.scalars(query))
    if ids:
        session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id.in_(ids))
            .values(
                state=State.SENDING.value,
                claimed_at=now,
                attempts=OutboxMessage.attempts + 1,
            )
        )
    session.commit()
    return ids


def _stopped(session: Session, message: OutboxMessage) -> bool:
    """A number that texted STOP gets nothing more until START."""
    if message.channel not in {"sms", "whatsapp"}:
        return False
    found = session.scalars(
        select(Conversation.id).where(
            Conversation.address == message.to, Conversation.stopped.is_(True)
        )
    ).first()
    return found is not None


def _whatsapp_window_open(session: Session, message: OutboxMessage, now: datetime) -> bool:
    last = session.scalars(
        select(InboundMessage.received_at)
        .join(Conversation, Conversation.id == InboundMessage.conversation_id)
        .where(Conversation.channel == "whatsapp", Conversation.address == message.to)
        .order_by(InboundMessage.received_at.desc())
        .limit(1)
    ).first()
    return last is not None and now - last < WHATSAPP_WINDOW


def _prepare(session: Session, message: OutboxMessage, now: datetime) -> Message:
    ready = render(message)
    if message.channel != "whatsapp":
        return ready
    if _whatsapp_window_open(session, message, now):
        return ready
    # Outside the 24-hour window WhatsApp takes only an approved template; without one
    # for this message, a text message reaches the same phone.
    content_sid = whatsapp_templates(current_app.config).get(message.template)
    if content_sid:
        variables = {"1": str(message.params.get("reference") or "")}
        return Message(
            **{**ready.__dict__, "whatsapp_template": content_sid, "template_variables": variables}
        )
    return Message(**{**ready.__dict__, "channel": Channel.SMS})


def _after_sending(session: Session, message: OutboxMessage, now: datetime) -> None:
    """What sending means for the case: an acknowledgement sent is the case acknowledged."""
    if message.template != "acknowledgement" or message.case_id is None:
        return
    case = session.get(Case, message.case_id)
    if case is None or case.acknowledged_on is not None:
        return
    acknowledge(
        current_app.extensions["intake.council"],
        case,
        how="automatic",
        on=max(local_date(now), case.received_on),
        actor="service",
        at=now,
    )


def _backoff(attempts: int) -> timedelta:
    base = float(current_app.config.get("OUTBOX_BACKOFF_SECONDS") or 30)
    return timedelta(seconds=min(base * 2 ** max(attempts - 1, 0), 6 * 3600))


def deliver(session: Session, message_id: int, report: Report) -> None:
    """Send one claimed row and record what happened.

    No transaction is open while the provider is called: on SQLite an open transaction
    holds the write lock, and on PostgreSQL nobody should wait on a row for a network.
    """
    now = _now()
    message = session.get(OutboxMessage, message_id)
    if message is None or message.state != State.SENDING.value:
        session.commit()
        return
    if message.recipient_kind == "public" and _stopped(session, message):
        message.state = State.CANCELLED.value
        message.last_error = "the number texted STOP"
        report.cancelled += 1
        session.commit()
        return
    attempts = message.attempts
    settings = current_app.extensions["intake.council"]
    outcome: tuple[str, Any]
    try:
        ready = _prepare(session, message, now)
    except Exception as failed:
        log.exception("preparing outbox message %s failed", message_id)
        ready = None
        outcome = ("error", type(failed).__name__)
    session.commit()
    if ready is not None:
        try:
            receipt = _providers()[ready.channel.value].send(ready)
            outcome = ("sent", receipt)
        except ProviderError as failed:
            outcome = ("retry" if failed.retryable else "final", str(failed))
        except Exception as failed:
            log.exception("sending outbox message %s failed", message_id)
            outcome = ("error", type(failed).__name__)
    now = _now()
    message = session.get(OutboxMessage, message_id)
    if message is None:
        session.commit()
        return
    kind, detail = outcome
    if kind == "sent":
        assert ready is not None
        message.state = State.SENT.value
        message.sent_at = now
        message.provider = detail.provider
        message.provider_id = detail.provider_id[:64]
        message.last_error = None
        if message.channel == "whatsapp" and ready.channel is Channel.SMS:
            message.channel = "sms"
        _after_sending(session, message, now)
        report.sent += 1
    else:
        retry = kind != "final" and attempts < settings.messages.max_attempts
        _failed(message, detail, retry=retry, now=now, report=report)
    session.commit()


def _failed(
    message: OutboxMessage, reason: str, *, retry: bool, now: datetime, report: Report
) -> None:
    message.last_error = reason[:200]
    if retry:
        message.state = State.PENDING.value
        message.next_attempt_at = now + _backoff(message.attempts)
        report.retried += 1
    else:
        message.state = State.FAILED.value
        report.failed += 1
    log.warning("outbox message %s: %s (%s)", message.id, reason, message.state)


def send_due(session: Session, report: Report, *, limit: int = BATCH) -> int:
    """Claim and send one batch; the number claimed."""
    ids = claim(session, _now(), limit)
    for message_id in ids:
        deliver(session, message_id, report)
    return len(ids)


def run_jobs(session: Session, report: Report) -> None:
    """The time-driven work: each owes messages under keys, so running twice is harmless."""
    app = current_app
    owed = jobs.run_all(
        session,
        app.extensions["intake.council"],
        app.extensions["intake.routing"],
        app.extensions["intake.chat"],
        _now(),
        draft_lifetime=app.config["PERMANENT_SESSION_LIFETIME"],
    )
    session.commit()
    for name, count in owed.items():
        report.owed[name] = report.owed.get(name, 0) + count


def run_once(session: Session | None = None) -> Report:
    """Run the jobs, then send everything due now, and return what happened."""
    session = session or db.session
    report = Report()
    beat(session, this_worker(), _now(), _now())
    run_jobs(session, report)
    while send_due(session, report):
        pass
    return report


def run_forever(app: Flask, *, poll_seconds: float = 5, jobs_every: float = 30) -> None:
    """The worker's loop: send what is due every few seconds; run the jobs every
    `jobs_every` seconds. Stops cleanly on Ctrl-C or SIGTERM between messages."""
    last_jobs = 0.0
    with app.app_context():
        me, started = this_worker(), _now()
        while True:
            report = Report()
            try:
                # Readiness (/readyz) looks for a recent beat from some worker.
                beat(db.session, me, _now(), started)
                if clock_time.monotonic() - last_jobs >= jobs_every:
                    run_jobs(db.session, report)
                    last_jobs = clock_time.monotonic()
                claimed = send_due(db.session, report)
            except Exception:
                log.exception("worker pass failed; trying again shortly")
                db.session.rollback()
                claimed = 0
            finally:
                db.session.remove()
            if report.sent or report.failed or report.retried:
                log.info("worker: %s", report.as_dict())
            if not claimed:
                clock_time.sleep(poll_seconds)
