"""Twilio's webhooks for text messages and WhatsApp: verify, hand to the chat, reply.

Every request must carry a valid X-Twilio-Signature for TWILIO_AUTH_TOKEN, computed on
the public URL Twilio called (set PUBLIC_BASE_URL, or TRUSTED_PROXY_COUNT so the
X-Forwarded-* headers are honoured); anything else gets 403 and changes nothing.
"""

from __future__ import annotations

import logging
import re

from flask import Blueprint, Response, abort, current_app, request
from sqlalchemy import select
from twilio.request_validator import RequestValidator, get_signature_algorithm
from twilio.twiml.messaging_response import MessagingResponse

from intake.casework.conversations import ChatSetup, Delivery, SentReply, take_message
from intake.extensions import csrf, db
from intake.models import OutboundMessage, OutboxMessage
from intake.web.context import now

log = logging.getLogger(__name__)

blueprint = Blueprint("sms", __name__, url_prefix="/sms")
# Twilio cannot send our CSRF token; its signature is checked instead, on every request.
csrf.exempt(blueprint)

# How far along a message is; a callback never moves one backwards.
STATE_ORDER = {
    "accepted": 1,
    "queued": 1,
    "sending": 2,
    "sent": 3,
    "receiving": 3,
    "received": 4,
    "delivered": 4,
    "undelivered": 4,
    "failed": 4,
    "canceled": 4,
    "read": 5,
}
DELIVERY_STATES = set(STATE_ORDER)


def _public_url() -> str:
    base = current_app.config.get("PUBLIC_BASE_URL")
    if base:
        path = request.full_path[:-1] if request.full_path.endswith("?") else request.full_path
        return base.rstrip("/") + path
    return request.url


def _signed_by_twilio() -> bool:
    token = current_app.config.get("TWILIO_AUTH_TOKEN")
    signature = request.headers.get("X-Twilio-Signature")
    if not token or not signature:
        return False
    algorithm = get_signature_algorithm(
        request.headers.get("X-Twilio-Webhooks-Signature-Settings", "")
    )
    return RequestValidator(token).validate(_public_url(), request.form, signature, algorithm)


@blueprint.before_request
def _only_twilio() -> None:
    if not _signed_by_twilio():
        log.warning("refused an unsigned or wrongly signed request to %s", request.path)
        abort(403)


def _sender(raw: str) -> tuple[str, str]:
    """("whatsapp", "+447700900123") from "whatsapp:+447700900123"; text messages are sms."""
    if raw.startswith("whatsapp:"):
        return "whatsapp", raw.removeprefix("whatsapp:")
    return "sms", raw


def _twiml(delivery: Delivery) -> Response:
    reply = MessagingResponse()
    for message in delivery.replies:
        # Twilio posts the delivery state of each reply back to us (signed, like this).
        reply.message(message.body, action=_status_url(message), method="POST")
    return Response(str(reply), mimetype="application/xml")


def _status_url(message: SentReply) -> str:
    base = current_app.config.get("PUBLIC_BASE_URL") or request.host_url
    return f"{base.rstrip('/')}/sms/status?message={message.id}"


@blueprint.post("/inbound")
def inbound() -> Response:
    sid = request.form.get("MessageSid", "").strip()
    sender = request.form.get("From", "").strip()
    to = request.form.get("To", "").strip()
    raw_media = (request.form.get("NumMedia", "0") or "0").strip()
    # Twilio sends at most 10 pieces of media with one message.
    media = int(raw_media) if re.fullmatch(r"[0-9]{1,2}", raw_media) else -1
    # An id or a sender with control characters (a NUL, say) is no message from Twilio,
    # and PostgreSQL cannot even be asked about it.
    malformed = not (sid.isprintable() and sender.isprintable() and to.isprintable())
    if (
        malformed
        or not sid
        or not sender
        or not 0 <= media <= 10
        or len(sid) > 64
        or len(sender) > 80
    ):
        log.warning("refused a malformed inbound message %s", sid[:64] or "(no id)")
        abort(400)
    numbers = current_app.config["TWILIO_NUMBERS"]
    if numbers and to.removeprefix("whatsapp:") not in numbers:
        log.warning("message %s was sent to a number this council does not use", sid)
        abort(404)
    channel, address = _sender(sender)
    setup: ChatSetup = current_app.extensions["intake.chat"]
    delivery = take_message(
        db.session,
        setup,
        channel=channel,
        address=address,
        text=request.form.get("Body", ""),
        media=media,
        provider_id=sid,
        at=now(),
    )
    # Rendered before the commit, while the replies are in hand: reading them afterwards
    # would cost another round trip to the database on every message.
    answer = _twiml(delivery)
    db.session.commit()
    if delivery.duplicate:
        log.info("message %s was a retry: answered as before", sid)
    return answer


@blueprint.post("/status")
def status() -> Response:
    """Twilio's delivery report for one of our replies; stored against it."""
    state = request.form.get("MessageStatus", "").strip().lower()
    message_id = request.args.get("message", "")
    if state in DELIVERY_STATES and request.args.get("outbox") == "1":
        return _outbox_status(state)
    if state not in DELIVERY_STATES or not re.fullmatch(r"[0-9]{1,12}", message_id):
        abort(400)
    message = db.session.get(OutboundMessage, int(message_id))
    if message is None:
        # Not ours (or since deleted): acknowledged, so Twilio does not retry forever.
        return Response(status=204)
    message.provider_id = request.form.get("MessageSid", "")[:64] or message.provider_id
    # Callbacks can arrive out of order: a late "sent" never undoes "delivered".
    if STATE_ORDER.get(state, 0) < STATE_ORDER.get(message.status, 0):
        db.session.commit()
        return Response(status=204)
    message.status = state
    message.status_at = now()
    message.error_code = (request.form.get("ErrorCode") or "")[:16] or None
    db.session.commit()
    return Response(status=204)


def _outbox_status(state: str) -> Response:
    """A delivery report for a message the worker sent: found by Twilio's MessageSid."""
    sid = request.form.get("MessageSid", "").strip()[:64]
    if not sid:
        abort(400)
    message = db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.provider_id == sid)
    ).first()
    if message is None:
        return Response(status=204)
    if state == "delivered" or state == "read":
        message.state = "delivered"
    elif state in {"undelivered", "failed"}:
        # Twilio could not deliver it: staff see it failed and can send it again.
        message.state = "failed"
        message.last_error = f"twilio {state} {request.form.get('ErrorCode') or ''}".strip()[:200]
    message.status_at = now()
    db.session.commit()
    return Response(status=204)
