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
    # The page is in Arabic, so the chat is too: complain, it is me, what happened...
    page = converse(
        client,
        "مرحبا",
        "1",
        entries['"yes"'][0] if '"yes"' in entries else entries["yes"][0],
        "الأخصائية الاجتماعية لا تأتي إلى المواعيد",
        entries["dates/last_week"][0],
        entries["nodes/about/skip_words"][0],
        entries["nodes/outcome/skip_words"][0]
        if "nodes/outcome/skip_words" in entries
        else "اعتذار",
        entries['"no"'][0] if '"no"' in entries else entries["no"][0],
        start="/chat?lang=ar",
    )

    case = the_case()
    assert case.language == "ar"
    assert case.reference in said(page)[-1]
    languages = [item["lang"] for item in page.soup.select("li.app-chat__message")]
    assert languages[-1] == "ar"


NAMED_IN_THEMSELVES = {
    "en": "English",
    "cy": "Cymraeg",
    "pl": "Polski",
    "ro": "Română",
    "pa": "ਪੰਜਾਬੀ",
    "ur": "اردو",
    "bn": "বাংলা",
    "ar": "العربية",
    "pt": "Português",
    "so": "Soomaali",
}


def switcher(page) -> dict[str, str]:
    """The language switcher: each language's own name, and where it leads ("" for the
    language the page is in)."""
    nav = page.soup.select_one("nav.app-languages")
    assert nav is not None, f"{page.path} has no language switcher"
    found = {}
    for item in nav.select("li"):
        link = item.select_one("a")
        named = item.get_text(strip=True)
        found[named] = link["href"] if link else ""
    return found


def _form_pages(client) -> list:
    """Every page of a parent's complaint, check your answers and the confirmation."""
    page = client.get("/tell-us")
    seen = [page]
    for _ in range(25):
        if page.path.endswith("/check-your-answers"):
            break
        slug = page.path.rsplit("/", 1)[-1]
        page = client.post(page.path, {**PARENT_COMPLAINT[slug], "csrf_token": page.csrf_token})
        seen.append(page)
    seen.append(client.post(page.path, {"csrf_token": page.csrf_token}))
    return seen


def test_every_public_page_has_the_switcher_with_each_language_named_in_itself(client):
    from tests.support import PUBLIC_PAGES

    pages = [client.get(path) for path in PUBLIC_PAGES] + _form_pages(client)

    for page in pages:
        links = switcher(page)
        assert set(links) == set(NAMED_IN_THEMSELVES.values()), page.path
        assert links["English"] == "", f"{page.path}: the current language is not marked"
        assert links["Polski"] == f"{page.path}?lang=pl"


@pytest.mark.parametrize("language", ["pl", "ar"])
def test_lang_works_part_way_through_the_form_and_is_remembered(client, language):
    words = catalog(language)
    page = client.get("/tell-us")
    page = client.post(
        page.path, {**PARENT_COMPLAINT["what-you-want-to-do"], "csrf_token": page.csrf_token}
    )
    assert page.path == "/tell-us/who-you-are"

    page = client.get(f"{page.path}?lang={language}")
    assert page.soup.html["lang"] == language
    assert page.soup.html["dir"] == ("rtl" if language == "ar" else "ltr")
    heading = page.soup.find("h1").get_text(strip=True)
    assert heading == words.gettext("Who are you?") != "Who are you?"

    # The next page, with no ?lang=, is in the same language.
    page = client.post(
        page.path, {**PARENT_COMPLAINT["who-you-are"], "csrf_token": page.csrf_token}
    )
    assert page.soup.html["lang"] == language
    assert page.errors == []


def test_a_right_to_left_page_says_so_on_html_itself(client):
    for language, direction in [("ar", "rtl"), ("ur", "rtl"), ("cy", "ltr"), ("bn", "ltr")]:
        page = client.get(f"/?lang={language}")
        assert (page.soup.html["lang"], page.soup.html["dir"]) == (language, direction)
        assert page.soup.body.get("dir") is None  # one place only: <html>
