"""The form draft behind a visitor's session: where their answers wait until they send."""

from __future__ import annotations

import secrets
from datetime import timedelta

from flask import current_app, session

from intake.extensions import db
from intake.models import FormDraft
from intake.web.context import now

DRAFT_KEY = "draft"
SENT_KEY = "sent"


def _lifetime() -> timedelta:
    lifetime: timedelta = current_app.config["PERMANENT_SESSION_LIFETIME"]
    return lifetime


def _load(draft_id: str | None) -> FormDraft | None:
    if not draft_id:
        return None
    draft = db.session.get(FormDraft, draft_id)
    if draft is None or draft.updated_at < now() - _lifetime():
        return None
    return draft


def open_draft() -> FormDraft | None:
    """The draft still being filled in, if any."""
    draft = _load(session.get(DRAFT_KEY))
    if draft is not None and draft.case_id is not None:
        return None
    return draft


def start_draft() -> FormDraft:
    draft = FormDraft(id=secrets.token_urlsafe(32), answers={}, created_at=now(), updated_at=now())
    db.session.add(draft)
    session[DRAFT_KEY] = draft.id
    session.permanent = True
    return draft


def sent_draft() -> FormDraft | None:
    """The draft that has just become a case, for the confirmation and equality pages."""
    for key in (DRAFT_KEY, SENT_KEY):
        draft = _load(session.get(key))
        if draft is not None and draft.case_id is not None:
            return draft
    return None


def mark_sent(draft: FormDraft) -> None:
    """After sending, the next visit to the form starts a new draft."""
    session[SENT_KEY] = draft.id
    session.pop(DRAFT_KEY, None)
