"""Every staff route, for every role and for a visitor who has not signed in.

A new route fails this test until its row is added: nobody can add a page and forget
to decide who may use it. Per-case visibility (which team sees which case) is proven
case by case in test_access.py; here the case is one every case-working role may see.
"""

from __future__ import annotations

import pytest

from intake.staff.actions import ACTIONS
from tests.staff.helpers import ACCOUNTS, account, browser, from_the_form, signed_in
from tests.support import PARENT_COMPLAINT, make_staff

ALLOWED, DENIED, SIGN_IN = "allowed", "denied", "sign in"
EVERYONE = {role: ALLOWED for role in ACCOUNTS}
CASEWORK = {
    **{role: DENIED for role in ACCOUNTS},
    "complaints_officer": ALLOWED,
    "team_manager": ALLOWED,
    "team_member": ALLOWED,
}
ADMIN = {**{role: DENIED for role in ACCOUNTS}, "admin": ALLOWED}
NOBODY = {role: DENIED for role in ACCOUNTS}  # no such alert or message: 404 for all
# The second step of signing in, with no first step under way: back to the start.
SECOND_STEP = {role: SIGN_IN for role in ACCOUNTS}
OUTBOX = {**ADMIN, "complaints_officer": ALLOWED}

# (endpoint, method): what each role gets. Anonymous visitors are always sent to sign in,
# except on the sign-in page itself.
EXPECTED: dict[tuple[str, str], dict[str, str]] = {
    ("staff.queue", "GET"): EVERYONE,
    ("staff.reports", "GET"): EVERYONE,
    ("staff.account", "GET"): EVERYONE,
    ("staff.account", "POST"): EVERYONE,
    ("staff.new_password", "GET"): EVERYONE,
    ("staff.new_password", "POST"): EVERYONE,
    ("staff.not_allowed", "GET"): EVERYONE,
    ("staff.two_factor", "GET"): EVERYONE,  # setting up one's own second factor
    ("staff.two_factor", "POST"): EVERYONE,
    ("staff.sign_in_code", "GET"): SECOND_STEP,
    ("staff.sign_in_code", "POST"): SECOND_STEP,
    ("staff.case_page", "GET"): CASEWORK,
    ("staff.export_case", "GET"): CASEWORK,
    ("staff.print_case", "GET"): CASEWORK,
    ("staff.case_action", "GET"): CASEWORK,
    ("staff.case_action", "POST"): CASEWORK,
    ("staff.case_message_retry", "POST"): NOBODY,
    ("staff.acknowledge_alert", "POST"): NOBODY,
    ("staff.record_contact", "GET"): CASEWORK,
    ("staff.record_contact", "POST"): CASEWORK,
    ("staff.admin_users", "GET"): ADMIN,
    ("staff.admin_change_user", "POST"): ADMIN,
    ("staff.outbox_page", "GET"): OUTBOX,
    ("staff.outbox_message", "GET"): NOBODY,
    ("staff.outbox_retry", "POST"): NOBODY,
    ("staff.sign_out", "POST"): SECOND_STEP,  # signed out: back to the sign-in page
}
ACTION = next(iter(ACTIONS))  # each action's own rules are in test_access.py
PUBLIC = {("staff.sign_in", "GET"), ("staff.sign_in", "POST")}


def _routes(app) -> list[tuple[str, str, str]]:
    found = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith("staff."):
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                found.append((rule.endpoint, method, rule.rule))
    # Signing out last: it ends the session the other rows need.
    return sorted(found, key=lambda r: (r[0] == "staff.sign_out", r[0], r[1]))


def _url(rule: str, reference: str, user_id: int) -> str:
    return (
        rule.replace("<reference:reference>", reference)
        .replace("<action>", ACTION)
        .replace("<int:alert_id>", "999999")
        .replace("<int:message_id>", "999999")
        .replace("<int:user_id>", str(user_id))
        .replace("<change>", "disable")
    )


def _outcome(response) -> str:
    if response.status_code in {403, 404}:
        return DENIED
    if response.status_code in {301, 302, 303}:
        location = response.headers["Location"]
        if "/staff/sign-in" in location:
            return SIGN_IN
        return ALLOWED
    # 200, or 400 for a POST whose (empty) form is refused with its errors shown.
    assert response.status_code in {200, 400}, response.status_code
    return ALLOWED


def test_every_staff_route_has_a_row():
    from intake import create_app

    app = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"})
    routes = {(endpoint, method) for endpoint, method, _rule in _routes(app)}
    assert routes == set(EXPECTED) | PUBLIC


@pytest.mark.parametrize("role", ["anonymous", *ACCOUNTS])
def test_the_route_matrix(app, clock, role):
    reference = from_the_form(app, PARENT_COMPLAINT)
    target_id = make_staff(email="leaver@example.org", role="team_member", teams=("assessment",)).id
    client = browser(app) if role == "anonymous" else signed_in(app, account(role))
    token = client.get("/staff/sign-in") if role == "anonymous" else client.get("/staff/")
    token = token.csrf_token
    seen, wanted = {}, {}
    for endpoint, method, rule in _routes(app):
        if (endpoint, method) in PUBLIC:
            continue
        url = _url(rule, reference, target_id)
        if method == "GET":
            response = client.client.get(url)
        else:
            response = client.client.post(url, data={"csrf_token": token})
        seen[(endpoint, method)] = _outcome(response)
        wanted[(endpoint, method)] = (
            SIGN_IN if role == "anonymous" else EXPECTED[(endpoint, method)][role]
        )
    assert seen == wanted
