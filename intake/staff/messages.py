"""Staff pages for what the service sends: the outbox, retries, and safeguarding alerts."""

from __future__ import annotations

from flask import Response, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from sqlalchemy import select

from intake.casework.audit import record_audit
from intake.casework.staff import Role as StaffRole
from intake.casework.staff import may_change
from intake.extensions import db
from intake.models import Case, OutboxMessage, SafeguardingAlert
from intake.outbox.cli import listing, retry
from intake.outbox.render import render
from intake.staff import _actor, _case_or_404, blueprint
from intake.staff.auth import staff
from intake.web.context import now

OUTBOX_ROLES = {StaffRole.ADMIN, StaffRole.COMPLAINTS_OFFICER}


def _outbox_staff_only() -> None:
    if StaffRole(staff().role) not in OUTBOX_ROLES:
        abort(404)


@blueprint.get("/admin/outbox")
def outbox_page() -> str:
    """Every message owed and sent, failed first: what went wrong and a way to retry."""
    _outbox_staff_only()
    return render_template("staff/outbox.html", rows=listing())


@blueprint.get("/admin/outbox/<int:message_id>")
def outbox_message(message_id: int) -> str:
    """The message as it was (or will be) sent: the development provider's page."""
    _outbox_staff_only()
    message = db.session.get(OutboxMessage, message_id)
    if message is None:
        abort(404)
    if message.case_id is not None:
        record_audit(
            db.session,
            actor=_actor(),
            action="viewed_message",
            case=db.session.get(Case, message.case_id) if message.case_id else None,
            detail={"message": message.id},
        )
        db.session.commit()
    return render_template(
        "staff/outbox_message.html",
        message=message,
        shown=render(message),
        back=url_for("staff.outbox_page"),
    )


@blueprint.post("/admin/outbox/<int:message_id>/retry")
def outbox_retry(message_id: int) -> Response:
    _outbox_staff_only()
    message = db.session.get(OutboxMessage, message_id)
    if message is None:
        abort(404)
    if retry(message, now()):
        record_audit(
            db.session,
            actor=_actor(),
            action="message_retried",
            case=db.session.get(Case, message.case_id) if message.case_id else None,
            detail={"message": message.id},
        )
        db.session.commit()
        flash(_("Message %(id)s will be sent again in a moment.", id=message.id))
    return redirect(url_for("staff.outbox_page"))


@blueprint.post("/cases/<reference:reference>/messages/<int:message_id>/retry")
def case_message_retry(reference: str, message_id: int) -> Response:
    case = _case_or_404(reference)
    if not may_change(staff()):
        abort(404)
    message = db.session.get(OutboxMessage, message_id)
    if message is None or message.case_id != case.id:
        abort(404)
    if retry(message, now()):
        record_audit(
            db.session,
            actor=_actor(),
            action="message_retried",
            case=case,
            detail={"message": message.id},
        )
        db.session.commit()
        flash(_("The message will be sent again in a moment."))
    return redirect(url_for("staff.case_page", reference=case.reference))


@blueprint.post("/cases/<reference:reference>/alerts/<int:alert_id>/acknowledge")
def acknowledge_alert(reference: str, alert_id: int) -> Response:
    """Someone has the safeguarding alert in hand: the repeats stop."""
    case = _case_or_404(reference)
    alert = db.session.scalars(
        select(SafeguardingAlert).where(
            SafeguardingAlert.id == alert_id, SafeguardingAlert.case_id == case.id
        )
    ).first()
    if alert is None:
        abort(404)
    if alert.acknowledged_at is None:
        alert.acknowledged_at = now()
        alert.acknowledged_by = _actor()
        record_audit(
            db.session,
            actor=_actor(),
            action="safeguarding_acknowledged",
            case=case,
            detail={"alert": alert.id},
        )
        db.session.commit()
    return redirect(url_for("staff.case_page", reference=case.reference))
