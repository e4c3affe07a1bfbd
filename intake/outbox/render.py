"""Turning an outbox row into the words a person reads, in their language.

Each message is one template under `intake/templates/messages/`: its first line is the
subject, the rest the body. Texts (SMS, WhatsApp) get the short form of the same
template. The HTML part of an email is made from the plain text, so the two never say
different things.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import current_app
from flask_babel import force_locale, format_date
from flask_babel import lazy_gettext as _l
from markupsafe import Markup, escape

from intake.casework.council import localise
from intake.models import OutboxMessage
from intake.web.references import reference_in_url
from notifications import Channel, Message

KIND_WORDS = {
    "complaint": _l("complaint"),
    "compliment": _l("compliment"),
    "comment": _l("comment"),
    "case_concern": _l("concern"),
    "advocacy_request": _l("request for an advocate"),
    "pre_complaint": _l("message"),
    "members_enquiry": _l("enquiry"),
}
SHORT_CHANNELS = {"sms", "whatsapp"}


def message_date(value: str | date | None) -> str:
    """ "Friday 4 December 2026", in the message's language."""
    if not value:
        return ""
    day = date.fromisoformat(value) if isinstance(value, str) else value
    return format_date(day, "EEEE d MMMM y")


def _link(message: OutboxMessage) -> str:
    base = (current_app.config.get("PUBLIC_BASE_URL") or "http://127.0.0.1:5000").rstrip("/")
    reference = message.params.get("reference")
    if message.template == "digest" or not reference:
        return f"{base}/staff/"
    return f"{base}/staff/cases/{reference_in_url(reference)}"


def render(message: OutboxMessage) -> Message:
    """The message ready for a provider (inside an application context)."""
    settings = current_app.extensions["intake.council"]
    language = message.language if message.recipient_kind == "public" else "en"
    with force_locale(language):
        template = current_app.jinja_env.get_template(f"messages/{message.template}.txt")
        params: dict[str, Any] = dict(message.params)
        kind = params.get("kind")
        context = {
            **params,
            "council": settings.council,
            "service_title": localise(settings.council.service_name, language),
            "kind_word": str(KIND_WORDS.get(kind, kind or "")),
            "short": message.channel in SHORT_CHANNELS,
            "channel": message.channel,
            "link": _link(message),
        }
        text = template.render(**context).strip()
    subject, _sep, body = text.partition("\n")
    body = body.strip()
    html = _as_html(body) if message.channel == "email" else None
    return Message(
        channel=Channel(message.channel),
        to=message.to,
        subject=subject.strip(),
        body=body,
        language=language,
        reference=f"outbox-{message.id}",
        html=html,
    )


def _as_html(body: str) -> str:
    paragraphs = []
    for paragraph in body.split("\n\n"):
        lines = []
        for line in paragraph.split("\n"):
            words = [
                Markup('<a href="{0}">{0}</a>').format(word)
                if word.startswith(("https://", "http://"))
                else escape(word)
                for word in line.split(" ")
            ]
            lines.append(Markup(" ").join(words))
        paragraphs.append(Markup("<p>") + Markup("<br>").join(lines) + Markup("</p>"))
    return str(Markup("\n").join(paragraphs))


def register(app: Any) -> None:
    app.add_template_filter(message_date)
