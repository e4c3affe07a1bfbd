"""Rate limits on what the public and attackers can send: the form, the chat, signing in.

Counted per address (behind nginx, TRUSTED_PROXY_COUNT makes that the visitor's) and,
for text messages and WhatsApp, per phone number. Counters live in Redis when
RATELIMIT_STORAGE_URI names one, so every web process on every machine shares them; in
memory for the embedded default. Over the limit, people get the polite "too many
attempts" page (429); a phone gets no reply until it slows down.

A message with a danger word in it is never held back: the safety reply matters more
than any limit.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from flask import Flask, Response, current_app, request
from flask_limiter import Limiter, RequestLimit
from flask_limiter.util import get_remote_address
from twilio.twiml.messaging_response import MessagingResponse

log = logging.getLogger(__name__)

# endpoint -> (the setting holding its limits, how callers are told apart)
_BY_ADDRESS = "address"
_BY_PHONE = "phone"
LIMITED: dict[str, tuple[str, str]] = {
    "public.question": ("RATE_LIMIT_FORM", _BY_ADDRESS),
    "public.equality": ("RATE_LIMIT_FORM", _BY_ADDRESS),
    "public.check_answers": ("RATE_LIMIT_SEND", _BY_ADDRESS),
    "chat.chat": ("RATE_LIMIT_CHAT", _BY_ADDRESS),
    "staff.sign_in": ("RATE_LIMIT_SIGN_IN", _BY_ADDRESS),
    "staff.sign_in_code": ("RATE_LIMIT_SIGN_IN", _BY_ADDRESS),
    "sms.inbound": ("RATE_LIMIT_TEXTS", _BY_PHONE),
}
# The chats, and the field a young person writes in: only there does a danger word
# lift the limit. Anywhere else a "message" field is not something a person wrote to
# us, and honouring it would let anyone escape a limit (sign-in guessing included).
DANGER_FIELDS = {"chat.chat": "message", "sms.inbound": "Body"}


def _phone_number() -> str:
    # "whatsapp:+44..." and "+44..." are the same person on two channels, counted apart.
    return "phone:" + request.form.get("From", "").strip()[:80]


def _says_danger() -> bool:
    field = DANGER_FIELDS.get(request.endpoint or "")
    text = request.form.get(field, "") if field else ""
    return bool(text) and current_app.extensions["intake.chat"].danger.found_in(text)


def _no_reply(limit: RequestLimit) -> Response:
    """Twilio gets an empty answer (200): no reply is sent, and it does not retry."""
    log.warning(
        "a phone went over %s: message %s not answered",
        limit.limit,
        request.form.get("MessageSid", "")[:64],
    )
    return Response(str(MessagingResponse()), mimetype="application/xml")


class _WithholdCallerKeys(logging.Filter):
    """Flask-Limiter names the caller when a limit is hit: their phone number or address.
    Logs hold no personal details, so the key is withheld; the limit and the endpoint,
    which say what happened, stay."""

    def filter(self, record: logging.LogRecord) -> bool:
        if str(record.msg).startswith("ratelimit ") and isinstance(record.args, tuple):
            record.args = tuple("withheld" if i == 1 else a for i, a in enumerate(record.args))
        return True


def _counted(response: Response) -> bool:
    # A forged (unsigned) webhook is refused before it is read; it must not use up the
    # allowance of the number it claims to come from.
    return response.status_code != 403


def register(app: Flask) -> Limiter:
    limiter = Limiter(
        get_remote_address,
        app=app,
        storage_uri=app.config.get("RATELIMIT_STORAGE_URI") or "memory://",
        headers_enabled=True,
        # If Redis is unreachable, count in memory rather than turn people away.
        swallow_errors=True,
        in_memory_fallback_enabled=True,
        enabled=app.config.get("RATELIMIT_ENABLED", True),
        key_prefix=app.config.get("RATELIMIT_KEY_PREFIX", "intake"),
    )
    for endpoint, (setting, by) in LIMITED.items():
        view = app.view_functions.get(endpoint)
        if view is None:
            continue
        extra: dict[str, Any] = {"methods": ["POST"]}
        if endpoint in DANGER_FIELDS:
            extra["exempt_when"] = _says_danger
        if by == _BY_PHONE:
            extra |= {"key_func": _phone_number, "on_breach": _no_reply, "deduct_when": _counted}
        limited: Callable[..., Any] = limiter.limit(app.config[setting], **extra)(view)
        app.view_functions[endpoint] = limited
    limiter_log = logging.getLogger("flask-limiter")
    if not any(isinstance(f, _WithholdCallerKeys) for f in limiter_log.filters):
        limiter_log.addFilter(_WithholdCallerKeys())
    app.extensions["intake.limiter"] = limiter
    return limiter
