"""CSRF everywhere except the signed Twilio webhooks: every route that takes a POST,
found in the app's own URL map (a new one is met here without anyone listing it), is
posted to without a token by someone who may use it, with answers that would change
something. Each is refused (400, the "your session has ended" page) and no row of any
table changes. The same posts with the token do change things, so the answers sent are
ones that matter.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask

from intake.extensions import db
from intake.models import Base
from intake.staff.actions import ACTIONS
from intake.web.journey import STEPS
from tests.staff.helpers import account, browser, from_the_form, signed_in
from tests.staff.real_ids import fail_every_email, failed_messages, safeguarding_alert
from tests.support import (
    ADVOCATE_COMPLAINT,
    PARENT_COMPLAINT,
    STAFF_PASSWORD,
    FormClient,
    Page,
    fill_in,
    make_staff,
    send,
)

SESSION_ENDED = "Sorry, your session has ended"
EQUALITY = {
    "age_band": "35_to_44",
    "gender": "woman",
    "disability": "no",
    "ethnicity": "mixed",
    "religion": "no_religion",
    "sexuality": "prefer_not_to_say",
}
ON = ["23", "11", "2026"]
# Every field any case action's form has, filled in: whichever action, its form is whole.
CASE_ACTION = {
    "how": "email",
    "on": ON,
    "kind": "complaint",
    "procedure": "statutory",
    "service_area": "assessment",
    "team": "early_help",
    "reason": "Fictional reason for a test",
    "working_days": "10",
    "outcome": "upheld",
    "requested_on": ON,
    "convened_on": ON,
    "report_on": ON,
    "received_on": ON,
    "issue": "Visits missed",
    "action": "Plan visits a month ahead",
    "owner": "Team manager",
    "due_on": ["1", "12", "2026"],
    "direction": "in",
    "method": "telephone",
    "summary": "Rang about the missed visits",
}


@dataclass
class World:
    """Someone who may use each route, and real rows for every id a route takes."""

    officer: FormClient
    admin: FormClient
    visitor: FormClient  # not signed in: the sign-in pages
    drafting: FormClient  # has answered every question, not yet sent
    sent: FormClient  # has sent the form: the questions about them are open
    chatting: FormClient
    reference: str
    version: str
    messages: list[int]
    alerted: str
    alert: int
    leaver: int


@pytest.fixture
def world(app: Flask, clock: Any) -> World:
    reference = from_the_form(app, PARENT_COMPLAINT)
    fail_every_email(app)
    messages = failed_messages(reference)
    alerted, alert = safeguarding_alert(app)
    leaver = make_staff(email="leaver@example.org", role="team_member", teams=("assessment",)).id
    make_staff(email="officer@example.org", role="complaints_officer")
    officer = signed_in(app, "officer@example.org")
    admin = signed_in(app, account("admin"))
    drafting = FormClient(app.test_client())
    assert fill_in(drafting, ADVOCATE_COMPLAINT).path.endswith("/check-your-answers")
    sent = FormClient(app.test_client())
    assert send(sent, PARENT_COMPLAINT).path == "/tell-us/sent"
    chatting = FormClient(app.test_client())
    page = chatting.get("/chat")
    assert chatting.post("/chat", {"message": "Hi", "csrf_token": page.csrf_token}).status == 200
    version = officer.get(f"/staff/cases/{reference}/hold").value_of("version")
    return World(
        officer,
        admin,
        browser(app),
        drafting,
        sent,
        chatting,
        reference,
        version or "",
        messages,
        alerted,
        alert,
        leaver,
    )


def _snapshot() -> dict[str, list[str]]:
    """Every row of every table, as text."""
    db.session.remove()
    with db.engine.connect() as connection:
        found = {
            table.name: sorted(repr(tuple(row)) for row in connection.execute(sa.select(table)))
            for table in Base.metadata.sorted_tables
        }
    return found


Post = tuple[str, FormClient, str, dict[str, Any]]  # (endpoint, who, url, answers)


def _posts(app: Flask, world: World) -> list[Post]:
    """Every POST route in the URL map but the webhooks, as someone who may use it."""
    posts: list[Post] = []
    case = world.reference
    for rule in app.url_map.iter_rules():
        if "POST" not in rule.methods or rule.rule.startswith("/sms/"):
            continue
        endpoint = rule.endpoint
        built: list[Post]
        if endpoint == "public.question":
            # Every question page (the advocate's path has them all).
            built = [
                (endpoint, world.drafting, f"/tell-us/{step.slug}", ADVOCATE_COMPLAINT[step.slug])
                for step in STEPS
            ]
        elif endpoint in SIMPLE:
            who, url, data = SIMPLE[endpoint](world)
            built = [(endpoint, who, url, data)]
        elif endpoint == "staff.case_action":
            built = [
                (
                    endpoint,
                    world.officer,
                    f"/staff/cases/{case}/{action}",
                    {**CASE_ACTION, "version": world.version},
                )
                for action in ACTIONS
            ]
        else:
            raise AssertionError(f"{endpoint} ({rule.rule}) takes a POST: add it to this test")
        posts += built
    return posts


SIMPLE: dict[str, Callable[[World], tuple[FormClient, str, dict[str, Any]]]] = {
    "public.check_answers": lambda w: (w.drafting, "/tell-us/check-your-answers", {}),
    "public.equality": lambda w: (w.sent, "/tell-us/about-you", EQUALITY),
    "chat.chat": lambda w: (w.chatting, "/chat", {"message": "My worker never visits"}),
    "chat.leave": lambda w: (w.chatting, "/chat/leave", {}),
    "staff.sign_in": lambda w: (
        w.visitor,
        "/staff/sign-in",
        {"email": "officer@example.org", "password": STAFF_PASSWORD},
    ),
    "staff.sign_in_code": lambda w: (w.visitor, "/staff/sign-in/code", {"code": "123456"}),
    "staff.sign_out": lambda w: (w.officer, "/staff/sign-out", {}),
    "staff.new_password": lambda w: (
        w.officer,
        "/staff/new-password",
        {"password": "a brand new fictional passphrase"},
    ),
    "staff.two_factor": lambda w: (w.officer, "/staff/two-factor", {"code": "123456"}),
    "staff.account": lambda w: (w.officer, "/staff/account", {"new_cases": "yes"}),
    "staff.admin_change_user": lambda w: (
        w.admin,
        f"/staff/admin/users/{w.leaver}/disable",
        {},
    ),
    "staff.record_contact": lambda w: (
        w.officer,
        "/staff/cases/new",
        {
            "method": "telephone",
            "received_on": ON,
            "kind": "complaint",
            "role": "parent",
            "what_happened": "Rang to say the visit was missed again.",
            "language": "en",
        },
    ),
    "staff.outbox_retry": lambda w: (w.officer, f"/staff/admin/outbox/{w.messages[0]}/retry", {}),
    "staff.case_message_retry": lambda w: (
        w.officer,
        f"/staff/cases/{w.reference}/messages/{w.messages[1]}/retry",
        {},
    ),
    "staff.acknowledge_alert": lambda w: (
        w.officer,
        f"/staff/cases/{w.alerted}/alerts/{w.alert}/acknowledge",
        {},
    ),
}


def test_every_post_without_a_csrf_token_is_refused_and_changes_nothing(app, world):
    posts = _posts(app, world)
    endpoints = {endpoint for endpoint, *_rest in posts}
    assert {"public.question", "staff.case_action", *SIMPLE} == endpoints
    before = _snapshot()

    refused = []
    for endpoint, who, url, data in posts:
        response = who.client.post(url, data=data)
        page = Page(response.status_code, url, response.get_data(as_text=True))
        if page.status != 400 or page.h1 != SESSION_ENDED:
            refused.append(f"{endpoint} {url}: {page.status} {page.h1!r}")

    assert refused == []
    assert _snapshot() == before
    # Nobody was signed out, or in, by a post without its token.
    assert world.officer.get("/staff/").path == "/staff/"
    assert world.visitor.get("/staff/").path == "/staff/sign-in"
    # The sessions kept what they held: the draft still waits to be sent.
    assert world.drafting.get("/tell-us/check-your-answers").status == 200


# The same posts with the token do change things: (endpoint, the table that changes).
CHANGES = [
    ("public.question", "form_drafts"),
    ("public.check_answers", "cases"),
    ("public.equality", "equality_responses"),
    ("chat.chat", "inbound_messages"),
    ("staff.account", "staff_users"),
    ("staff.admin_change_user", "staff_users"),
    ("staff.record_contact", "cases"),
    ("staff.outbox_retry", "outbox_messages"),
    ("staff.case_message_retry", "outbox_messages"),
    ("staff.acknowledge_alert", "safeguarding_alerts"),
    ("staff.case_action", "cases"),
    ("staff.sign_out", "staff_users"),  # last: it ends the officer's session
]


def test_the_same_posts_with_the_token_change_things(app, world):
    posts = _posts(app, world)
    tables = {table.name for table in Base.metadata.sorted_tables}
    for endpoint, table in CHANGES:
        assert table in tables, table
        matching = [p for p in posts if p[0] == endpoint]
        if endpoint == "public.question":
            # A changed answer: the advocate now says the child cannot say.
            matching = [
                (
                    endpoint,
                    world.drafting,
                    "/tell-us/your-advocacy-service",
                    {**ADVOCATE_COMPLAINT["your-advocacy-service"], "child_consent": "unable"},
                )
            ]
        if endpoint == "staff.case_action":
            matching = [p for p in matching if p[2].endswith("/hold")]
        [(_endpoint, who, url, data)] = matching
        before = _snapshot()[table]
        token = who.get("/staff/" if url.startswith("/staff/") else "/chat").csrf_token
        response = who.client.post(url, data={**data, "csrf_token": token})
        assert response.status_code in {200, 302}, (endpoint, response.status_code)
        assert _snapshot()[table] != before, f"{endpoint} with its token changed no {table}"


HTTPS = "https://complaints.example.org"
NGINX = {  # what deploy/nginx.conf sets on every request it passes on
    "X-Forwarded-For": "192.0.2.90",
    "X-Forwarded-Proto": "https",
    "X-Forwarded-Host": "complaints.example.org",
}


def _referer_a_browser_sends(policy: str, page: str) -> dict[str, str]:
    """The Referer a browser sends with a same-origin form post under `policy`."""
    if policy == "no-referrer":
        return {}
    if policy in {"origin", "strict-origin", "origin-when-cross-origin"}:
        return {"Referer": f"{HTTPS}/"}
    return {"Referer": f"{HTTPS}{page}"}


def test_behind_nginx_in_production_a_browsers_form_post_is_accepted(make_app, monkeypatch):
    """In the documented layout (INTAKE_ENV=production behind nginx, TRUSTED_PROXY_COUNT=1)
    requests are HTTPS, so Flask-WTF's WTF_CSRF_SSL_STRICT refuses any POST without a
    same-origin Referer. The pages once said `Referrer-Policy: no-referrer`, browsers sent
    none, and every form post was refused ("Sorry, your session has ended"). The browser
    is modelled exactly: it sends a Referer only if the page's own policy lets it."""
    monkeypatch.setenv("INTAKE_ENV", "production")
    app = make_app(SECRET_KEY="fictional-production-secret-for-tests-only", TRUSTED_PROXY_COUNT=1)
    client = app.test_client()
    path = "/tell-us/what-you-want-to-do"
    opened = client.get(path, headers=NGINX)
    assert opened.status_code == 200
    page = Page(200, path, opened.get_data(as_text=True))
    policy = opened.headers["Referrer-Policy"]

    response = client.post(
        path,
        data={"kind": "complaint", "csrf_token": page.csrf_token},
        headers={**NGINX, "Origin": HTTPS, **_referer_a_browser_sends(policy, path)},
    )

    assert response.status_code == 302, Page(
        response.status_code, path, response.get_data(as_text=True)
    ).h1
    assert response.headers["Location"] == "/tell-us/who-you-are"
