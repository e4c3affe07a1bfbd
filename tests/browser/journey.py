"""Filling in the online form in a real browser, as a person would."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from playwright.sync_api import Page


def slug(page: Page) -> str:
    return page.url.split("?")[0].rstrip("/").rsplit("/", 1)[-1]


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
    """Answer the questions on this page with the mouse and keyboard Playwright drives."""
    for name, value, kind, inputs in questions(page, answers):
        if kind == "radio":
            page.check(f"main input[name='{name}'][value='{value}']")
        elif kind == "checkbox":
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


def walk_form(
    page: Page,
    base: str,
    pages: dict[str, dict[str, Any]],
    *,
    each: Callable[[Page, str], None] | None = None,
    language: str | None = None,
) -> str:
    """From the start page to the confirmation; `each(page, state)` is called on every
    page shown ("empty", "errors", "check", "sent"). Returns the confirmation's text."""
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
            if page.locator(".govuk-error-summary").count():
                each(page, "errors")
            else:
                page.go_back()
        fill(page, pages[current])
        submit(page)
        assert page.locator(".govuk-error-summary").count() == 0, page.inner_text("main")
    if each:
        each(page, "check")
    submit(page)
    assert slug(page) == "sent", page.url
    if each:
        each(page, "sent")
    return page.inner_text("main")
