"""A keyboard user never gets stuck: the whole form and a chat with Tab, Space, the arrow
keys and Enter, with the focus visible at every tab stop of every page (see focus.py)
and moved to the error summary on every page that shows errors."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page

from tests.browser.focus import Keyboard
from tests.browser.journey import (
    CHAT_ANSWERS,
    CHAT_GREETING,
    converse,
    error_links,
    questions,
    slug,
)
from tests.support import PARENT_COMPLAINT

pytestmark = pytest.mark.browser


def choose_radio(keys: Keyboard, name: str, value: str) -> None:
    keys.tab_to(f"main input[name='{name}']")
    keys.page.keyboard.press("Space")
    for _press in range(30):
        if keys.page.evaluate(
            "([n, v]) => document.querySelector(`input[name='${n}'][value='${v}']`).checked",
            [name, value],
        ):
            return
        keys.page.keyboard.press("ArrowDown")
    raise AssertionError(f"the arrow keys never reached {name}={value}")


def answer(keys: Keyboard, answers: dict[str, Any]) -> None:
    page = keys.page
    for name, value, kind, inputs in questions(page, answers):
        if kind == "radio":
            choose_radio(keys, name, value)
        elif kind == "checkbox":
            for item in value:
                keys.tab_to(f"main input[name='{name}'][value='{item}']")
                page.keyboard.press("Space")
        elif isinstance(value, list):
            for index, part in enumerate(value):
                if part:
                    keys.tab_to(f"#{inputs.nth(index).get_attribute('id')}")
                    page.keyboard.type(part)
        elif value:
            keys.tab_to(f"#{inputs.first.get_attribute('id')}")
            page.keyboard.type(value)


def press(keys: Keyboard, selector: str = "main form button[type='submit']") -> None:
    keys.tab_to(selector)
    with keys.page.expect_navigation():
        keys.page.keyboard.press("Enter")


def errors_lead_to_their_answers(keys: Keyboard, where: str) -> None:
    """On a page showing errors: the summary has the focus; every stop can be seen; the
    summary's first link, reached with Tab and followed with Enter, focuses its answer."""
    page = keys.page
    assert error_links(page), f"{where}: no errors shown"
    keys.error_summary_has_focus(where)
    keys.tour(where)
    # The tour started after the summary, so it ended back on the summary's first link.
    href = page.evaluate("document.activeElement.getAttribute('href')")
    assert href == error_links(page)[0], f"{where}: the tour ended on {href}"
    page.keyboard.press("Enter")
    focused = page.evaluate("document.activeElement.id")
    assert f"#{focused}" == href, f"{where}: the link {href} focused #{focused}"


def test_the_whole_form_with_only_a_keyboard(live, page: Page):
    keys = Keyboard(page)
    page.goto(f"{live}/?lang=en")
    keys.tour("start page")
    press(keys, "main a.govuk-button--start")

    asked = []
    for _step in range(25):
        current = slug(page)
        if current == "check-your-answers":
            break
        asked.append(current)
        if page.locator("main input:checked").count():
            # Answered already (the language the pages are in): nothing to refuse.
            keys.tour(f"{current} (suggested)")
        else:
            press(keys)
            errors_lead_to_their_answers(keys, f"{current} (sent empty)")
        answer(keys, PARENT_COMPLAINT[current])
        press(keys)
        assert not error_links(page), page.inner_text("main")
    assert slug(page) == "check-your-answers"
    assert sorted(asked) == sorted(PARENT_COMPLAINT)
    keys.tour("check your answers")
    press(keys)

    assert slug(page) == "sent"
    assert "CS-2026-" in page.inner_text("main")
    keys.tour("confirmation")
    press(keys, "main a[href$='/tell-us/about-you']")
    keys.tour("questions about you")
    press(keys)
    assert slug(page) == "done"
    keys.tour("questions about you, answered")

    assert keys.stops > 300
    keys.assert_clean()


def test_a_chat_with_only_a_keyboard(app, live, page: Page):
    keys = Keyboard(page)
    answers = CHAT_ANSWERS["en"]
    box = "main textarea"
    tried: list[str] = []

    def send(shown: Page, text: str) -> None:
        if text == answers["what_happened"] and not tried:
            # An empty message is a turn (the chat says how it works and asks again) ...
            press(keys)
            keys.tour("chat (an empty message)")
            # ... a message too long is refused, and the summary leads back to the box.
            keys.tab_to(box)
            shown.keyboard.insert_text("I am not listened to. " * 228)
            press(keys)
            errors_lead_to_their_answers(keys, "chat (too long)")
            shown.keyboard.press("ControlOrMeta+a")
            shown.keyboard.press("Delete")
            tried.append(text)
        keys.tab_to(box)
        shown.keyboard.type(text)
        press(keys)

    page.goto(f"{live}/chat?lang=en")
    last = converse(
        page,
        app.extensions["intake.chat"].flow,
        "en",
        answers,
        send=send,
        each=lambda shown, state: keys.tour(f"chat ({state})"),
        first=CHAT_GREETING["en"],
    )

    assert "CS-2026-" in last
    assert tried, "the chat never asked what happened"
    keys.assert_clean()
