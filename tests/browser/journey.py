"""Filling in the online form and chatting in a real browser, as a person would."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from babel import Locale
from playwright.sync_api import Page

from intake.chat.flow import Flow

CHAT_GREETING = {"en": "Hi", "ar": "مرحبا"}
CHAT_ANSWERS = {
    "en": {
        "intent": "1",
        "who": "yes",
        "what_happened": "My worker keeps missing our meetings",
        "when": "last week",
        "about": "My social worker",
        "outcome": "Someone who turns up",
        "contact": "no",
    },
    "ar": {
        "intent": "1",
        "who": "نعم",
        "what_happened": "الأخصائية الاجتماعية لا تحضر مواعيدنا",
        "when": "الأسبوع الماضي",
        "about": "تخطي",
        "outcome": "أن يحضر أحد في الموعد",
        "contact": "لا",
    },
}


def slug(page: Page) -> str:
    return page.url.split("?")[0].split("#")[0].rstrip("/").rsplit("/", 1)[-1]


class Together(list[str]):
    """Checkbox options ticked together, as a browser without JavaScript allows: with
    JavaScript, ticking "I do not know" unticks the others, so these are set directly."""


@dataclass(frozen=True)
class Mistake:
    """Answers a page must refuse, and the field its error summary must link to."""

    what: str
    answers: dict[str, Any]
    field: str


def questions(page: Page, answers: dict[str, Any]) -> Iterator[tuple[str, Any, str, Any]]:
    """(name, value, kind of input, its inputs) for each answer this page asks for."""
    for name, value in answers.items():
        inputs = page.locator(f"main [name='{name}']")
        if inputs.count() == 0:
            continue
        kind = inputs.first.get_attribute("type") or inputs.first.evaluate(
            "e => e.tagName.toLowerCase()"
        )
        yield name, value, kind, inputs


def fill(page: Page, answers: dict[str, Any]) -> None:
    """Answer the questions on this page with the mouse and keyboard Playwright drives.
    Checkboxes end up ticked exactly as `answers` says, whatever a refused try left."""
    for name, value, kind, inputs in questions(page, answers):
        if kind == "radio":
            page.check(f"main input[name='{name}'][value='{value}']")
        elif kind == "checkbox" and isinstance(value, Together):
            inputs.evaluate_all(
                "(boxes, wanted) => boxes.forEach(b => { b.checked = wanted.includes(b.value) })",
                list(value),
            )
        elif kind == "checkbox":
            for box in inputs.all():
                if box.is_checked() and box.get_attribute("value") not in value:
                    box.uncheck()
            for item in value:
                page.check(f"main input[name='{name}'][value='{item}']")
        elif kind == "select":
            inputs.first.select_option(value)
        elif isinstance(value, list):
            for index, part in enumerate(value):
                inputs.nth(index).fill(part)
        else:
            inputs.first.fill(value)


def submit(page: Page) -> None:
    page.locator("main form button[type='submit'], main form .govuk-button").first.click()
    page.wait_for_load_state()


def error_links(page: Page) -> list[str]:
    """Where the error summary's links lead ("#email"); empty when there is no summary."""
    return [
        link.get_attribute("href") or ""
        for link in page.locator(".govuk-error-summary a[href^='#']").all()
    ]


def walk_form(
    page: Page,
    base: str,
    pages: dict[str, dict[str, Any]],
    *,
    each: Callable[[Page, str], None] | None = None,
    language: str | None = None,
    mistakes: dict[str, list[Mistake]] | None = None,
) -> str:
    """From the start page to the confirmation; `each(page, state)` is called on every
    page shown: "empty", "errors" (sent empty), each of `mistakes` for that page (the
    page must refuse it, with an error linking to its field), "check" and "sent".
    Returns the confirmation's text."""
    query = f"?lang={language}" if language else ""
    page.goto(f"{base}/tell-us{query}")
    for _step in range(25):
        current = slug(page)
        if current == "check-your-answers":
            break
        assert current in pages, f"the form asked {current!r}"
        if each:
            each(page, "empty")
            submit(page)
            if error_links(page):
                each(page, "errors")
            else:
                page.go_back()
        for mistake in (mistakes or {}).get(current, []):
            fill(page, mistake.answers)
            submit(page)
            assert slug(page) == current, f"{current} took {mistake.what}"
            assert any(link.startswith(f"#{mistake.field}") for link in error_links(page)), (
                f"{current}: {mistake.what} did not show an error for {mistake.field}"
            )
            if each:
                each(page, mistake.what)
        fill(page, pages[current])
        submit(page)
        assert not error_links(page), page.inner_text("main")
    if each:
        each(page, "check")
    submit(page)
    assert slug(page) == "sent", page.url
    if each:
        each(page, "sent")
    return page.inner_text("main")


def latest_message(page: Page) -> tuple[str, str]:
    """The service's latest chat message on the page, and the language it is marked in;
    ("", "") before the first."""
    said = page.locator("main .app-chat__message")
    if said.count() == 0:
        return "", ""
    last = said.last
    return last.inner_text().strip(), last.get_attribute("lang") or ""


def _opening(text: str) -> str:
    """A message's first line as the flow has it, up to the first thing filled in."""
    return text.strip().splitlines()[0].split("{")[0].strip()


def language_choice(menu: str, language: str) -> str:
    """The number of `language` in the chat's language menu, read as a person would."""
    name = Locale.parse(language).english_name
    found = re.search(rf"^\s*(\d+)\s+{re.escape(name)}\s*$", menu, re.MULTILINE)
    assert found, f"{name} is not in the language menu: {menu!r}"
    return found.group(1)


def chat_reply(flow: Flow, language: str, answers: dict[str, str], page: Page) -> str | None:
    """What to send to the chat's latest message: its language menu gets the number of
    `language`, a question the answer `answers` gives for its node (asked or asked
    again), and the end (the reference) gets None."""
    text, _marked = latest_message(page)
    if not text:
        return None
    for node_id, node in flow.nodes.items():
        for said in (node.text, node.reask):
            for code, words in said.items():
                if not text.startswith(_opening(words)):
                    continue
                if node.type == "language":
                    return language_choice(text, language)
                assert code == language, f"said {node_id} in {code}, not {language}: {text}"
                if node.type == "end":
                    return None
                assert node_id in answers, f"the chat asked {node_id}: {text}"
                return answers[node_id]
    raise AssertionError(f"the chat said something no node says: {text!r}")


def converse(
    page: Page,
    flow: Flow,
    language: str,
    answers: dict[str, str],
    *,
    send: Callable[[Page, str], None],
    each: Callable[[Page, str], None] | None = None,
    first: str = "Hi",
) -> str:
    """Chat to the end, answering whatever the chat asks (so a chat that starts in the
    page's language needs no language chosen); `each(page, state)` on every turn.
    Returns the last message, the one with the reference."""
    if each:
        each(page, "start")
    said = first if not latest_message(page)[0] else chat_reply(flow, language, answers, page)
    for turn in range(20):
        if said is None:
            return latest_message(page)[0]
        send(page, said)
        if each:
            each(page, f"turn {turn + 1}")
        said = chat_reply(flow, language, answers, page)
    raise AssertionError("the chat never ended")
