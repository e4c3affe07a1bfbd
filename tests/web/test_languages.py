"""A Polish-speaking parent, a Welsh speaker and an Arabic-speaking young person each
finish in their own language, and hear back in it."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from babel.support import Translations
from sqlalchemy import select

from intake.chat.flow import FLOWS_DIR
from intake.extensions import db
from intake.models import Case, OutboxMessage
from intake.outbox.render import render
from tests.support import PARENT_COMPLAINT, answers, send
from tests.web.test_chat import converse, said

ROOT = Path(__file__).resolve().parents[2]


def catalog(language: str) -> Translations:
    return Translations.load(str(ROOT / "translations"), [language])


def the_case() -> Case:
    db.session.rollback()
    return db.session.scalars(select(Case)).one()


def acknowledgement() -> OutboxMessage:
    return db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.template == "acknowledgement")
    ).one()


@pytest.mark.parametrize("language", ["pl", "cy", "ar"])
def test_the_form_in_their_language_and_the_acknowledgement_too(client, language):
    words = catalog(language)
    english = client.get("/tell-us?lang=en").soup.find("h1").get_text(strip=True)
    first = client.get(f"/tell-us?lang={language}")
    assert first.soup.html["lang"] == language
    assert first.soup.find("h1").get_text(strip=True) == words.gettext(english) != english

    # Someone using the pages in their language is offered replies in it.
    pages = answers(PARENT_COMPLAINT, language={"language": language})
    confirmation = send(client, pages)

    assert confirmation.path == "/tell-us/sent"
    case = the_case()
    assert case.language == language
    message = render(acknowledgement())
    expected = words.gettext(
        "Your reference is %(reference)s. Please use it if you contact us about this."
    ) % {"reference": case.reference}
    assert expected in message.body
    assert not expected.startswith("Your reference is")
    assert message.language == language


@pytest.mark.parametrize("language", ["pl", "cy", "ar"])
def test_the_reply_language_starts_as_the_pages_language(client, language):
    page = client.get(f"/tell-us?lang={language}")
    for _step in range(15):
        if page.path == "/tell-us/language":
            break
        slug = page.path.rsplit("/", 1)[-1]
        page = client.post(page.path, {**PARENT_COMPLAINT[slug], "csrf_token": page.csrf_token})
    assert page.path == "/tell-us/language"

    assert page.checked("language") == [language]


def test_an_arabic_speaking_young_person_chats_in_arabic(client):
    overlay = yaml.safe_load((FLOWS_DIR / "young_people" / "ar.yaml").read_text("utf-8"))
    entries = overlay["entries"]
    # 8 chooses Arabic from the menu; then: complain, it is me, what happened...
    page = converse(
        client,
        "مرحبا",
        "8",
        "1",
        entries['"yes"'][0] if '"yes"' in entries else entries["yes"][0],
        "الأخصائية الاجتماعية لا تأتي إلى المواعيد",
        entries["dates/last_week"][0],
        entries["nodes/about/skip_words"][0],
        entries["nodes/outcome/skip_words"][0]
        if "nodes/outcome/skip_words" in entries
        else "اعتذار",
        entries['"no"'][0] if '"no"' in entries else entries["no"][0],
    )

    case = the_case()
    assert case.language == "ar"
    assert case.reference in said(page)[-1]
    languages = [item["lang"] for item in page.soup.select("li.app-chat__message")]
    assert languages[-1] == "ar"
