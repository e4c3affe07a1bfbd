"""The young people's chat in a browser: the same conversation as by text message.

Each turn is an ordinary form post, so it works with JavaScript off. The page shows
what the service has said, never what the young person typed: computers and phones
are shared.
"""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, session, url_for
from flask_babel import get_locale
from sqlalchemy import select
from werkzeug.wrappers import Response

from forms.chat import ChatForm
from intake.casework.conversations import ChatSetup, new_address, take_message
from intake.extensions import db
from intake.models import Conversation, OutboundMessage
from intake.web.context import now

blueprint = Blueprint("chat", __name__)

CHAT_KEY = "chat"
SHOWN = 12  # the service's most recent messages on the page


def _setup() -> ChatSetup:
    from flask import current_app

    return current_app.extensions["intake.chat"]


def _said_to_us() -> list[OutboundMessage]:
    address = session.get(CHAT_KEY)
    if not address:
        return []
    conversation = db.session.scalars(
        select(Conversation).where(Conversation.channel == "web", Conversation.address == address)
    ).one_or_none()
    if conversation is None:
        return []
    latest = db.session.scalars(
        select(OutboundMessage)
        .where(OutboundMessage.conversation_id == conversation.id)
        .order_by(OutboundMessage.id.desc())
        .limit(SHOWN)
    ).all()
    return list(reversed(latest))


@blueprint.route("/chat", methods=["GET", "POST"])
def chat() -> Response | str:
    form = ChatForm()
    if form.validate_on_submit():
        address = session.get(CHAT_KEY) or new_address()
        session[CHAT_KEY] = address
        session.permanent = True
        take_message(
            db.session,
            _setup(),
            channel="web",
            address=address,
            text=form.message.data or "",
            at=now(),
            # They are reading this page in it: the chat need not ask again.
            language=str(get_locale() or "en").split("_")[0],
        )
        db.session.commit()
        return redirect(url_for("chat.chat", _anchor="latest"))
    return render_template("web/chat.html", form=form, messages=_said_to_us())


@blueprint.post("/chat/leave")
def leave() -> Response:
    """Forget this browser's chat; what was sent is already with the council."""
    session.pop(CHAT_KEY, None)
    return redirect(url_for("chat.chat"))
