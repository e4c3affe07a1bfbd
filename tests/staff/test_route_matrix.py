"""Every staff route, for every role and for a visitor who has not signed in.

A new route fails this test until its row is added: nobody can add a page and forget
to decide who may use it. Per-case visibility (which team sees which case) is proven
case by case in test_access.py; here the case is one every case-working role may see.
"""

from __future__ import annotations

import pytest

from intake.staff.actions import ACTIONS
from tests.staff.helpers import (
    ACCOUNTS,
    account,
    browser,
    done,
    done_reading,
    from_the_form,
    received,
    save,
    signed_in,
    stored,
)
from tests.staff.real_ids import (
    alert_acknowledged,
    fail_every_email,
    failed_messages,
    message_state,
    safeguarding_alert,
)
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
# No such alert or message (999999): 404 for all. With real ids, see
# test_the_routes_that_take_ids_with_real_ids below.
NOBODY = {role: DENIED for role in ACCOUNTS}
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


# The routes that take an id, with REAL ids: a message that failed to send (two of them,
# so both ways of sending one again are met) and a safeguarding alert on a case every
# case-working role here may see. Allowed means done; denied means nothing changed.
ON_THE_CASE = {**CASEWORK}  # the team's own case: the officer and the assessment team


@pytest.fixture
def real_ids(app, clock) -> dict[str, object]:
    reference = from_the_form(app, PARENT_COMPLAINT)
    fail_every_email(app)
    by_outbox, on_case = failed_messages(reference)[:2]
    alerted, alert_id = safeguarding_alert(app)
    # The duty team has the alert's case; the complaints officer involves the assessment
    # team (everyone's team in ACCOUNTS), as test_access.py does.
    officer = signed_in(app, account("complaints_officer"))
    done(save(officer, alerted, "involve", {"team": "assessment"}), alerted)
    return {
        "reference": reference,
        "by_outbox": by_outbox,
        "on_case": on_case,
        "alerted": alerted,
        "alert": alert_id,
    }


@pytest.mark.parametrize("role", ["anonymous", *ACCOUNTS])
def test_the_routes_that_take_ids_with_real_ids(app, real_ids, role):
    if role == "anonymous":
        client = browser(app)
        token = client.get("/staff/sign-in").csrf_token
    else:
        client = signed_in(
            app, account(role) if role != "complaints_officer" else ACCOUNTS[role][0]
        )
        token = client.get("/staff/").csrf_token
    ids = real_ids
    requests = {
        "outbox_message": ("GET", f"/staff/admin/outbox/{ids['by_outbox']}"),
        "outbox_retry": ("POST", f"/staff/admin/outbox/{ids['by_outbox']}/retry"),
        "case_message_retry": (
            "POST",
            f"/staff/cases/{ids['reference']}/messages/{ids['on_case']}/retry",
        ),
        "acknowledge_alert": (
            "POST",
            f"/staff/cases/{ids['alerted']}/alerts/{ids['alert']}/acknowledge",
        ),
    }
    expected = {
        "outbox_message": OUTBOX,
        "outbox_retry": OUTBOX,
        "case_message_retry": ON_THE_CASE,
        "acknowledge_alert": ON_THE_CASE,
    }
    seen, wanted = {}, {}
    for name, (method, url) in requests.items():
        if method == "GET":
            response = client.client.get(url)
        else:
            response = client.client.post(url, data={"csrf_token": token})
        seen[name] = _outcome(response)
        wanted[name] = SIGN_IN if role == "anonymous" else expected[name][role]
        if name == "outbox_message" and seen[name] == ALLOWED:
            assert f"Message {ids['by_outbox']}" in response.get_data(as_text=True)
    assert seen == wanted
    # What was allowed was done; what was denied changed nothing.
    done_states = {ALLOWED: "pending", DENIED: "failed", SIGN_IN: "failed"}
    assert message_state(ids["by_outbox"]) == done_states[wanted["outbox_retry"]]
    assert message_state(ids["on_case"]) == done_states[wanted["case_message_retry"]]
    assert alert_acknowledged(ids["alert"]) is (wanted["acknowledge_alert"] == ALLOWED)


def _same_page(response) -> str:
    """A page's whole text, to compare two answers."""
    return response.get_data(as_text=True)


def test_ids_of_one_teams_case_cannot_be_used_by_another_teams_member(app, clock):
    """A message id or an alert id is checked against the case in the address, and the
    case against the member's teams: another team's id is 404, exactly like an id that
    does not exist, through another team's case or through the member's own."""
    ours = from_the_form(app, PARENT_COMPLAINT)  # the assessment team's
    theirs = received(service_area="children_in_care", statuses=("child_in_care",))
    fail_every_email(app)
    our_message, their_message = failed_messages(ours)[0], failed_messages(theirs)[0]
    alerted, alert_id = safeguarding_alert(app)  # the duty (front door) team's
    assert stored(theirs).team == "children_in_care"
    assert stored(alerted).team == "front_door"
    done_reading()
    ours_member = signed_in(app, account("team_member"))  # assessment
    make_staff(email="member.care@example.org", role="team_member", teams=("children_in_care",))
    theirs_member = signed_in(app, "member.care@example.org")
    make_staff(email="member.duty@example.org", role="team_member", teams=("front_door",))
    duty_member = signed_in(app, "member.duty@example.org")

    def post(client, url: str):
        return client.client.post(url, data={"csrf_token": client.get("/staff/").csrf_token})

    missing = _same_page(post(ours_member, f"/staff/cases/{ours}/messages/999999/retry"))
    attempts = [
        # Another team's case, with its own message or alert.
        (ours_member, f"/staff/cases/{theirs}/messages/{their_message}/retry"),
        (theirs_member, f"/staff/cases/{ours}/messages/{our_message}/retry"),
        (ours_member, f"/staff/cases/{alerted}/alerts/{alert_id}/acknowledge"),
        # The member's own case, with another team's message or alert id in it.
        (ours_member, f"/staff/cases/{ours}/messages/{their_message}/retry"),
        (theirs_member, f"/staff/cases/{theirs}/messages/{our_message}/retry"),
        (ours_member, f"/staff/cases/{ours}/alerts/{alert_id}/acknowledge"),
        (theirs_member, f"/staff/cases/{theirs}/alerts/{alert_id}/acknowledge"),
        # The outbox is the complaints team's and the administrators' only.
        (ours_member, f"/staff/admin/outbox/{our_message}/retry"),
        (theirs_member, f"/staff/admin/outbox/{our_message}/retry"),
    ]
    for client, url in attempts:
        response = post(client, url)
        assert response.status_code == 404, url
        if "/messages/" in url:
            assert _same_page(response) == missing, f"{url} tells a real id from a missing one"
    for client in (ours_member, theirs_member):
        assert client.client.get(f"/staff/admin/outbox/{our_message}").status_code == 404
    assert message_state(our_message) == "failed"
    assert message_state(their_message) == "failed"
    assert not alert_acknowledged(alert_id)

    # Each team's own member may: the same addresses, on their own case.
    assert post(ours_member, f"/staff/cases/{ours}/messages/{our_message}/retry").status_code == 302
    assert (
        post(theirs_member, f"/staff/cases/{theirs}/messages/{their_message}/retry").status_code
        == 302
    )
    assert (
        post(duty_member, f"/staff/cases/{alerted}/alerts/{alert_id}/acknowledge").status_code
        == 302
    )
    assert message_state(our_message) == "pending"
    assert message_state(their_message) == "pending"
    assert alert_acknowledged(alert_id)
