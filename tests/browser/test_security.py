"""Under the real Content-Security-Policy: every page works, nothing is refused, and
markup people send is shown as text on every staff page, never run."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from playwright.sync_api import Page

from intake.extensions import db
from intake.models import AccessNeedEntry, Case, Child, Contact, OutboxMessage
from intake.outbox.worker import run_once
from intake.staff.actions import ACTIONS
from tests.sms.helpers import Phone
from tests.staff.helpers import account, from_the_form
from tests.support import (
    ADVOCATE_COMPLAINT,
    PARENT_COMPLAINT,
    PUBLIC_PAGES,
    STAFF_PASSWORD,
    answers,
)

pytestmark = pytest.mark.browser

# Script in every shape a form field could carry it: a tag, an attribute, a URL.
PAYLOAD = (
    '<script>window.__ran = "script"</script>'
    "<img src=x onerror=\"window.__ran = 'img'\">"
    '"><svg onload="window.__ran = \'svg\'"></svg>'
    "<a href=\"javascript:window.__ran='link'\">click</a>"
)


def _watch(page: Page) -> list[str]:
    refused: list[str] = []
    page.on(
        "console",
        lambda message: (
            refused.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    page.on(
        "dialog", lambda dialog: (refused.append(f"dialog: {dialog.message}"), dialog.dismiss())
    )
    return refused


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_every_public_page_runs_its_scripts_under_the_policy(live, page: Page, path):
    refused = _watch(page)
    page.goto(f"{live}{path}")
    page.wait_for_load_state("networkidle")
    classes = page.evaluate("document.body.className")
    assert "js-enabled" in classes  # the template's js-enabled script ran, from its file
    assert "govuk-frontend-supported" in classes
    assert refused == []


def test_an_inline_script_is_refused(live, page: Page):
    refused = _watch(page)
    page.goto(f"{live}/")
    page.evaluate(
        """() => { const s = document.createElement("script");
                   s.textContent = "window.__ran = 'injected'"; document.body.append(s); }"""
    )
    assert page.evaluate("window.__ran") is None
    assert any("Content Security Policy" in line for line in refused)


def _sign_in(page: Page, live: str) -> None:
    page.goto(f"{live}/staff/sign-in")
    page.fill("input[name=email]", account("complaints_officer"))
    page.fill("input[name=password]", STAFF_PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()


# Markup that survives the form's cleaning (no tags): it would break out of an attribute,
# or be a link, if a page ever put stored text there unescaped. And the right-to-left
# override, which can make a shown reference or name read backwards.
ATTRIBUTE_BREAK = '" onfocus="window.__pwned=\'attr\'" autofocus x="'
JAVASCRIPT_URL = "javascript:window.__pwned='url'"
RTL = "\u202eevil\u202c"
SHORT = f"{ATTRIBUTE_BREAK}{RTL}"  # fits the 100-character fields
EVERYTHING = f"{PAYLOAD} {ATTRIBUTE_BREAK} {JAVASCRIPT_URL} {RTL}"

# Every free-text field of the public form, on one path: an advocate, answered by
# letter, in another language, with an interpreter and another need.
HOSTILE_FORM = {
    **ADVOCATE_COMPLAINT,
    "your-advocacy-service": {
        "organisation": f"{PAYLOAD[:60]}{SHORT}",
        "child_consent": "yes",
        "child_wants_contact": "no",
    },
    "about-the-child": {"first_name": SHORT, "date_of_birth": ["", "", ""], "age": "13"},
    "what-happened": {"details": f"They said {EVERYTHING} and nothing changed."},
    "what-you-would-like": {"outcomes": ["other"], "detail": EVERYTHING},
    "how-to-reply": {
        "name": SHORT,
        "reply_method": "letter",
        "address_line_1": f"{PAYLOAD[:60]}{SHORT}",
        "address_line_2": JAVASCRIPT_URL,
        "town": SHORT,
        "postcode": "AA1 1AA",
    },
    "language": {"language": "other", "other_language": SHORT},
    "help-to-read-or-talk": {
        "needs": ["interpreter", "other"],
        "interpreter_language": SHORT,
        "other_need": f"{PAYLOAD[:60]}{SHORT}",
    },
}


def _written_in_directly(reference: str) -> None:
    """The whole payload, tags and all, in every free-text column the public can fill:
    as if it reached the database another way (an old system's import, a future bug)."""
    case_id = db.session.scalar(sa.select(Case.id).where(Case.reference == reference))
    db.session.execute(
        sa.update(Case)
        .where(Case.id == case_id)
        .values(
            what_happened=EVERYTHING,
            outcome_sought_detail=EVERYTHING,
            worker_named=EVERYTHING,
            advocate_organisation=EVERYTHING,
        )
    )
    db.session.execute(
        sa.update(Contact)
        .where(Contact.case_id == case_id)
        .values(
            name=EVERYTHING,
            email=EVERYTHING,
            phone=EVERYTHING,
            address_line_1=EVERYTHING,
            address_line_2=EVERYTHING,
            town=EVERYTHING,
            postcode=EVERYTHING,
            other_language=EVERYTHING,
            contact_times=EVERYTHING,
        )
    )
    db.session.execute(
        sa.update(Child).where(Child.case_id == case_id).values(first_name=EVERYTHING)
    )
    db.session.execute(
        sa.update(AccessNeedEntry)
        .where(AccessNeedEntry.case_id == case_id)
        .values(detail=EVERYTHING)
    )
    db.session.commit()


def _injected(page: Page) -> list[str]:
    """Whatever on the page could run script it was not built with."""
    found: list[str] = page.evaluate(
        """() => {
            const found = [];
            for (const el of document.querySelectorAll("*")) {
                for (const {name, value} of el.attributes) {
                    const what = `${el.tagName} ${name}`;
                    if (name.startsWith("on")) found.push(what);
                    if (/^\\s*javascript:/i.test(value)) found.push(`${what}: javascript`);
                    if (value.includes("window.__")) found.push(`${what}: the payload`);
                }
            }
            for (const s of document.querySelectorAll("script")) {
                if (!s.src) found.push("an inline script");
            }
            return found;
        }"""
    )
    return found


def test_the_checks_see_markup_that_could_run(live, page: Page):
    """The checks below are not blind: markup put into a page is seen."""
    page.goto(f"{live}/staff/sign-in", wait_until="load")
    assert _injected(page) == []
    page.evaluate(
        """() => {
            const a = document.createElement("a");
            a.href = "javascript:void 0";
            a.setAttribute("onclick", "window.__pwned = 1");
            document.querySelector("main").append(a);
            const s = document.createElement("script");
            s.textContent = "1";
            document.body.append(s);
        }"""
    )
    assert sorted(_injected(page)) == [
        "A href: javascript",
        "A onclick",
        "A onclick: the payload",
        "an inline script",
    ]


def test_markup_sent_by_the_public_is_text_on_every_staff_page(app, live, page: Page):
    """Three cases: one sent through the form with markup in every free-text field, one
    with the whole payload written straight into every such column, and one from a text
    message conversation. Every staff page about them (the queue, each case's page and
    print view, every case action's page, the outbox and each message, the reports) is
    opened in Chromium: no script runs, nothing is refused by the policy (a refusal would
    mean markup got into the page), no dialog opens, and no element carries an event
    handler or a javascript: address."""
    from_form = from_the_form(app, HOSTILE_FORM)
    written = from_the_form(
        app, answers(HOSTILE_FORM, how_to_reply=PARENT_COMPLAINT["how-to-reply"])
    )
    _written_in_directly(written)
    Phone(app, number="+447700900555").say(
        "Hi", "1", "1", "yes", EVERYTHING, "last week", EVERYTHING, EVERYTHING, "2"
    )
    by_text = db.session.scalar(sa.select(Case.reference).where(Case.method == "text_message"))
    run_once()  # the outbox: acknowledgements and the teams' emails
    message_ids = list(db.session.scalars(sa.select(OutboxMessage.id).order_by(OutboxMessage.id)))
    db.session.remove()
    assert by_text and message_ids

    refused = _watch(page)
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    _sign_in(page, live)
    paths = [
        "/staff/",
        "/staff/?state=urgent",
        "/staff/admin/outbox",
        *(f"/staff/admin/outbox/{message_id}" for message_id in message_ids),
        "/staff/reports?from=1&from=4&from=2026&to=31&to=3&to=2027",
    ]
    for reference in (from_form, written, by_text):
        paths += [f"/staff/cases/{reference}", f"/staff/cases/{reference}/print"]
        paths += [f"/staff/cases/{reference}/{action}" for action in ACTIONS]
    problems = []
    for path in paths:
        # "load": after every script and image (an onerror would have fired by then).
        response = page.goto(f"{live}{path}", wait_until="load")
        if response is None or response.status != 200:
            problems.append(f"{path}: {response.status if response else 'no answer'}")
        if page.evaluate("window.__pwned ?? window.__ran ?? null") is not None:
            problems.append(f"{path}: script ran")
        if injected := _injected(page):
            problems.append(f"{path}: {injected}")
        if refused:
            problems.append(f"{path}: {refused}")
            refused.clear()
    assert problems == []
    assert errors == []

    # The words are shown as they were stored, as text.
    page.goto(f"{live}/staff/cases/{written}")
    text = page.inner_text("main")
    assert PAYLOAD in text
    assert ATTRIBUTE_BREAK in text and JAVASCRIPT_URL in text and RTL in text
    page.goto(f"{live}/staff/cases/{from_form}")
    text = page.inner_text("main")
    assert 'They said window.__ran = "script"' in text  # from the form: the words kept
    assert ATTRIBUTE_BREAK in text and RTL in text
    page.goto(f"{live}/staff/cases/{by_text}")
    assert ATTRIBUTE_BREAK in page.inner_text("main")
