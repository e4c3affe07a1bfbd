"""The public form's rate limits: RATE_LIMIT_FORM on every question page and on the
equality questions, RATE_LIMIT_SEND on sending the form (intake/web/limits.py).

Under a limit everything works as usual; over it, the visitor gets the polite "too many
attempts" page (429) and nothing is saved. Looking at a page is never limited, and one
visitor's attempts never hold back another's. A message with a danger word in it always
gets through the chat.
"""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select

from intake.extensions import db
from intake.models import Case, EqualityResponse, InboundMessage, SafeguardingAlert
from tests.support import PARENT_COMPLAINT, FormClient, Page, fill_in, send

OTHER_ADDRESS = {"REMOTE_ADDR": "192.0.2.78"}  # TEST-NET-1: a different visitor
TOO_MANY = "Sorry, there have been too many attempts"
WAIT = "Wait a few minutes and try again."
DANGER = "my stepdad hits me and I want to kill myself"


def _count(app: Flask, model: type) -> int:
    with app.app_context():
        found = db.session.scalar(select(func.count()).select_from(model)) or 0
        db.session.remove()
        return found


def _post(
    client: FormClient,
    path: str,
    data: dict[str, Any],
    environ: dict[str, str] | None = None,
    token: str | None = None,
) -> tuple[Page, Any]:
    """Send `data` to `path` with the page's CSRF token (or `token`, kept from earlier)."""
    token = token or client.get(path).csrf_token
    response = client.client.post(
        path, data={**data, "csrf_token": token}, environ_base=environ or {}
    )
    return Page(response.status_code, path, response.get_data(as_text=True)), response


def _assert_too_many(page: Page, response: Any) -> None:
    assert page.status == 429
    assert page.title.startswith(TOO_MANY)
    assert page.h1 == TOO_MANY
    assert WAIT in page.text()
    assert response.headers.get("Retry-After")


def test_answering_question_pages_too_fast_gets_the_polite_page(make_app):
    app = make_app(RATELIMIT_ENABLED=True, RATE_LIMIT_FORM="3 per minute")
    client = FormClient(app.test_client())
    path = "/tell-us/what-you-want-to-do"

    # Under the limit: each answer is taken (an invalid one gets its error message).
    for data in ({"kind": "complaint"}, {"kind": "nonsense"}, {"kind": "complaint"}):
        page, response = _post(client, path, data)
        assert page.status in {200, 302}, page.status
    assert page.status == 302
    # Over it: the polite page, and the answer is not saved.
    page, response = _post(client, path, {"kind": "compliment"})
    _assert_too_many(page, response)
    assert client.get(path).checked("kind") == ["complaint"]
    # Looking at a page is not limited; another visitor is not held back.
    assert client.get(path).status == 200
    page, _response = _post(
        FormClient(app.test_client()), path, {"kind": "complaint"}, OTHER_ADDRESS
    )
    assert page.status == 302


def test_the_limit_counts_every_question_page_together(make_app):
    """RATE_LIMIT_FORM is for the form as a whole: a visitor cannot get more answers in
    by spreading them over several pages."""
    app = make_app(RATELIMIT_ENABLED=True, RATE_LIMIT_FORM="3 per minute")
    client = FormClient(app.test_client())
    for slug in ("what-you-want-to-do", "who-you-are", "about-the-child"):
        page, _response = _post(client, f"/tell-us/{slug}", PARENT_COMPLAINT[slug])
        assert page.status == 302, slug
    page, response = _post(client, "/tell-us/help-they-get", PARENT_COMPLAINT["help-they-get"])
    _assert_too_many(page, response)


def test_the_equality_questions_are_limited_too(make_app):
    app = make_app(RATELIMIT_ENABLED=True, RATE_LIMIT_FORM="3 per minute")
    client = FormClient(app.test_client())
    # The form is sent from several addresses (a phone moving between networks), so the
    # question pages' own limit is not what this test meets.
    page = client.get("/tell-us")
    for hop in range(20):
        if page.path.endswith("/check-your-answers"):
            break
        client.client.environ_base["REMOTE_ADDR"] = f"198.51.100.{hop + 1}"
        slug = page.path.rsplit("/", 1)[-1]
        page = client.post(page.path, {**PARENT_COMPLAINT[slug], "csrf_token": page.csrf_token})
        assert page.status == 200 and not page.errors, (slug, page.status)
    assert client.post(page.path, {"csrf_token": page.csrf_token}).path == "/tell-us/sent"
    client.client.environ_base["REMOTE_ADDR"] = "192.0.2.80"
    path = "/tell-us/about-you"
    token = client.get(path).csrf_token

    # Under the limit: a wrong answer gets its message, then the answers are saved.
    page, _response = _post(client, path, {"gender": "nonsense"}, token=token)
    assert page.status == 200
    assert page.errors == ["Select one of the answers, or leave the question empty"]
    page, _response = _post(client, path, {"gender": "woman"}, token=token)
    assert page.status == 302
    assert _count(app, EqualityResponse) == 1
    # Over it: the polite page, and nothing more is saved. (Answered once, a post is
    # sent on to "done" without being saved; the third is not even read.)
    page, _response = _post(client, path, {"gender": "man"}, token=token)
    assert page.status == 302
    page, response = _post(client, path, {"gender": "man"}, token=token)
    _assert_too_many(page, response)
    assert _count(app, EqualityResponse) == 1


def test_sending_the_form_too_often_gets_the_polite_page_and_makes_no_case(make_app):
    app = make_app(RATELIMIT_ENABLED=True, RATE_LIMIT_SEND="1 per minute")
    first = FormClient(app.test_client())
    assert send(first, PARENT_COMPLAINT).path == "/tell-us/sent"
    assert _count(app, Case) == 1

    # Someone else at the same address (one family's computer) sends a second form.
    second = FormClient(app.test_client())
    check = fill_in(second, PARENT_COMPLAINT)
    response = second.client.post(check.path, data={"csrf_token": check.csrf_token})
    page = Page(response.status_code, check.path, response.get_data(as_text=True))

    _assert_too_many(page, response)
    assert _count(app, Case) == 1
    # Their answers are kept: once the wait is over they can send them.
    assert (
        second.get(check.path).summary()["What you told us"]
        == (PARENT_COMPLAINT["what-happened"]["details"])
    )
    # A visitor at another address sends theirs.
    third = FormClient(app.test_client())
    check = fill_in(third, PARENT_COMPLAINT)
    response = third.client.post(
        check.path, data={"csrf_token": check.csrf_token}, environ_base=OTHER_ADDRESS
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/tell-us/sent"
    assert _count(app, Case) == 2


def test_a_danger_word_in_the_chat_is_never_held_back(make_app):
    app = make_app(RATELIMIT_ENABLED=True, RATE_LIMIT_CHAT="2 per minute")
    client = FormClient(app.test_client())
    for _ in range(2):
        page, _response = _post(client, "/chat", {"message": "Hi"})
        assert page.status == 302
    page, response = _post(client, "/chat", {"message": "Hi"})
    _assert_too_many(page, response)
    stored = _count(app, InboundMessage)

    # Over the limit, every message with a danger word in it still gets through.
    for _ in range(3):
        page, _response = _post(client, "/chat", {"message": DANGER})
        assert page.status == 302

    assert _count(app, InboundMessage) == stored + 3
    assert _count(app, SafeguardingAlert) >= 1
    assert "call 999" in client.get("/chat").text()


PAGES_WITHOUT_A_MESSAGE = {
    "question page": ("/tell-us/what-you-want-to-do", {"kind": "complaint"}),
    "staff sign-in": ("/staff/sign-in", {"email": "nobody@example.org", "password": "wrong"}),
}


@pytest.mark.parametrize("where", list(PAGES_WITHOUT_A_MESSAGE))
def test_a_danger_word_in_a_field_a_page_does_not_have_does_not_lift_its_limit(make_app, where):
    """Only the chat's own message and the webhook's Body lift a limit for a danger word.
    A `message=...` field added to a page that has none (a question page, the staff
    sign-in) once lifted that page's limit too: password guessing was never slowed."""
    app = make_app(
        RATELIMIT_ENABLED=True, RATE_LIMIT_FORM="2 per minute", RATE_LIMIT_SIGN_IN="2 per minute"
    )
    client = FormClient(app.test_client())
    path, data = PAGES_WITHOUT_A_MESSAGE[where]

    statuses = [_post(client, path, {**data, "message": DANGER})[0].status for _ in range(3)]

    assert statuses[:2] != [429, 429], statuses
    assert statuses[2] == 429, statuses
