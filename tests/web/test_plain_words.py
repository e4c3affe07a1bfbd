"""Public text in plain words: the terms staff use among themselves never reach the
public without a plain explanation beside them.

Every page someone can meet on the way through the form (for a parent, a young person
and an advocate), the other public pages, the web chat and every message we send to the
public is read in English and searched for the complaints team's jargon.
"""

from __future__ import annotations

import re
from datetime import date

import pytest
from sqlalchemy import select

from intake.extensions import db
from intake.models import OutboxMessage
from intake.outbox.render import render
from intake.outbox.worker import run_once
from tests.staff.helpers import STATUTORY_TRIAGE, act, from_the_form, staff_as, upheld_with_apology
from tests.support import (
    ADVOCATE_COMPLAINT,
    PARENT_COMPLAINT,
    PUBLIC_PAGES,
    FormClient,
    Page,
    answers,
)

# Words that mean something only to the complaints team, each with why it is jargon.
JARGON = {
    r"\bstage\s*[123]\b": "a step of the procedure, by number",
    r"\bstatutory\b": "the law's procedure",
    r"\bcorporate\b": "the council's own procedure",
    r"\brepresentations?\b": "the law's word for a complaint or comment",
    r"\btriage\b": "the complaints team's sorting",
    r"\bLGSCO\b": "the Ombudsman, by initials",
    r"\bMASH\b": "the front door team, by initials",
    r"\bIRO\b": "an independent reviewing officer, by initials",
    # Initials are fine in brackets after the words they stand for.
    r"(?<!care \()\bS?EHCP?\b": "a plan, by initials",
}


def jargon_in(text: str) -> list[str]:
    return [
        f"{match.group(0)!r} ({why})"
        for pattern, why in JARGON.items()
        for match in re.finditer(pattern, text, flags=re.IGNORECASE)
    ]


def _walk(client: FormClient, pages: dict) -> list[Page]:
    """Every page of the form on this journey, then check your answers and the
    confirmation, each as the person sees it."""
    seen = [client.get("/tell-us?lang=en")]
    page = seen[0]
    for _ in range(25):
        if page.path.endswith("/check-your-answers"):
            break
        slug = page.path.rsplit("/", 1)[-1]
        page = client.post(page.path, {**pages[slug], "csrf_token": page.csrf_token})
        seen.append(page)
    seen.append(client.post(page.path, {"csrf_token": page.csrf_token}))
    return seen


@pytest.mark.parametrize(
    "journey",
    [
        PARENT_COMPLAINT,
        answers(PARENT_COMPLAINT, what_you_want_to_do={"kind": "compliment"}),
        ADVOCATE_COMPLAINT,
    ],
    ids=["complaint", "compliment", "advocate"],
)
def test_no_page_of_the_form_uses_the_complaints_teams_words(client, journey):
    for page in _walk(client, journey):
        assert page.status == 200, page.path
        assert not jargon_in(page.text()), (page.path, jargon_in(page.text()))


@pytest.mark.parametrize("path", [*PUBLIC_PAGES, "/no-such-page"])
def test_no_public_page_uses_the_complaints_teams_words(client, path):
    page = client.get(f"{path}?lang=en")
    assert not jargon_in(page.text()), (path, jargon_in(page.text()))


def test_every_message_to_the_public_is_in_plain_words(app, clock):
    reference = from_the_form(app, PARENT_COMPLAINT)
    officer = staff_as(app, "complaints_officer")
    act(officer, reference, "triage", STATUTORY_TRIAGE)
    away = "The worker who can answer is away."
    act(
        officer,
        reference,
        "extend",
        {"working_days": "20", "reason": away, "on": ["25", "11", "2026"]},
    )
    act(officer, reference, "respond", upheld_with_apology(date(2026, 12, 14)))
    run_once()

    sent = db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.recipient_kind == "public")
    ).all()
    assert {m.template for m in sent} >= {"acknowledgement", "extension", "stage_response"}
    for message in sent:
        for channel in ("email", "sms"):
            message.channel = channel
            words = render(message)
            text = f"{words.subject}\n{words.body}"
            assert not jargon_in(text), (message.template, channel, jargon_in(text))
        db.session.rollback()


def test_the_jargon_check_finds_jargon():
    assert jargon_in("Your complaint is at Stage 2 of the corporate procedure")
    assert not jargon_in("Your complaint will go to the next stage, where someone independent")
    assert jargon_in("Has an EHC plan")
    assert not jargon_in("Has an education, health and care (EHC) plan")
