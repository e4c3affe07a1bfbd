"""Who may see and change which case (the denial matrix), the queues, and the audit trail.

Access is decided on the server on every request, per case: a case someone may not see
is answered 404, exactly like a reference that does not exist, and leaves no trace in
the audit trail. Opening, changing, exporting and printing a case each leave one entry.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from sqlalchemy import func, select

from intake.extensions import db
from intake.models import AuditEntry, Case
from intake.staff.actions import ACTIONS
from tests.staff.helpers import (
    ACCOUNTS,
    account,
    audit_trail,
    browser,
    done,
    from_the_form,
    parts,
    queue,
    received,
    save,
    signed_in,
    stored,
)
from tests.support import PARENT_COMPLAINT

MISSING = "CS-2026-99999"
CASE_ROLES = ("complaints_officer", "team_manager", "team_member", "advocacy_provider")

# The cases, and the team each lands in. One comes through the public form; the others
# as the other channels record them (`receive_case`), which is quicker.
TEAMS = {
    "assessment": "assessment",
    "children_in_care": "children_in_care",
    "advocacy_request": "advocacy",
    "advocate_requested": "child_in_need",
    "involved": "early_help",
}
VISIBLE = {
    "complaints_officer": set(TEAMS),
    "team_manager": {"assessment", "involved"},
    "team_member": {"assessment", "involved"},
    "advocacy_provider": {"advocacy_request", "advocate_requested"},
    "report_viewer": set(),
    "admin": set(),
}


@dataclass
class World:
    cases: dict[str, str]  # name: reference
    emails: dict[str, str]  # role: email


@pytest.fixture
def world(app, clock) -> World:
    cases = {
        "assessment": from_the_form(app, PARENT_COMPLAINT),
        "children_in_care": received(
            service_area="children_in_care",
            statuses=("child_in_care",),
            what="Our son's contact with his sister keeps being cancelled.",
        ),
        "advocacy_request": received(
            kind="advocacy_request",
            method="online_form",
            what="Amara would like an advocate for her review meeting.",
        ),
        # A young person in the chat asked for an advocate to help with a complaint.
        "advocate_requested": received(
            service_area="child_in_need",
            method="web_chat",
            role="young_person",
            advocate_requested=True,
            what="My social worker never calls me back.",
        ),
        "involved": received(
            service_area="early_help",
            method="letter",
            reply="letter",
            what="The family support worker and the assessment disagree.",
        ),
    }
    emails = {role: account(role) for role in ACCOUNTS}
    # The complaints officer involves the assessment team in the early help case.
    officer = signed_in(app, emails["complaints_officer"])
    done(save(officer, cases["involved"], "involve", {"team": "assessment"}), cases["involved"])
    for name, reference in cases.items():
        assert stored(reference).team == TEAMS[name], name
    involved = stored(cases["involved"])
    assert {(m.team, m.lead) for m in involved.teams} == {
        ("early_help", True),
        ("assessment", False),
    }
    assert stored(cases["advocacy_request"]).kind == "advocacy_request"
    assert stored(cases["advocate_requested"]).advocate_requested
    db.session.remove()
    return World(cases, emails)


def _audit_count() -> int:
    db.session.expire_all()
    count = db.session.scalar(select(func.count()).select_from(AuditEntry))
    db.session.remove()
    return count


def _pages(reference: str) -> list[tuple[str, str, str]]:
    """(kind of page, method, address) for every page about one case."""
    pages = [
        ("case page", "GET", f"/staff/cases/{reference}"),
        ("export", "GET", f"/staff/cases/{reference}/export.json"),
        ("print", "GET", f"/staff/cases/{reference}/print"),
    ]
    for action in ACTIONS:
        pages.append((f"{action} page", "GET", f"/staff/cases/{reference}/{action}"))
        pages.append((f"{action} save", "POST", f"/staff/cases/{reference}/{action}"))
    return pages


AUDITED = {"case page": "viewed", "export": "exported", "print": "printed"}


@pytest.mark.parametrize("role", list(ACCOUNTS))
def test_the_denial_matrix(app, world, role):
    client = signed_in(app, world.emails[role])
    token = client.get("/staff/").csrf_token
    versions = {ref: stored(ref).version for ref in world.cases.values()}
    db.session.remove()

    def fetch(method: str, url: str):
        if method == "GET":
            return client.client.get(url)
        # An empty form with a good CSRF token: refused or invalid, never saved.
        return client.client.post(url, data={"csrf_token": token})

    def page(response) -> str:
        return response.get_data(as_text=True)

    not_found = {kind: page(fetch(method, url)) for kind, method, url in _pages(MISSING)}
    problems = []
    for name, reference in world.cases.items():
        allowed = name in VISIBLE[role]
        for kind, method, url in _pages(reference):
            before = _audit_count()
            response = fetch(method, url)
            added = _audit_count() - before
            status = response.status_code
            if allowed:
                expected_status = {200} if method == "GET" else {400, 409}
                expected_added = 1 if kind in AUDITED else 0
                if status not in expected_status or added != expected_added:
                    problems.append(f"{name} {kind}: {status}, {added} audit entries")
            else:
                same = page(response) == not_found[kind]
                if status != 404 or added != 0 or not same:
                    problems.append(
                        f"{name} {kind}: {status}, {added} audit entries"
                        + ("" if same else ", not the page for a missing case")
                    )
    assert problems == [], f"{role}:\n" + "\n".join(problems)
    # Nothing in the matrix changed a case.
    assert {ref: stored(ref).version for ref in world.cases.values()} == versions


@pytest.mark.parametrize("role", list(ACCOUNTS))
def test_a_reference_that_does_not_exist_is_404_for_everyone(app, world, role):
    client = signed_in(app, world.emails[role])
    token = client.get("/staff/").csrf_token
    for _kind, method, url in _pages(MISSING):
        if method == "GET":
            response = client.client.get(url)
        else:
            response = client.client.post(url, data={"csrf_token": token})
        assert response.status_code == 404, url


def test_an_unknown_action_is_404(app, world):
    client = signed_in(app, world.emails["complaints_officer"])
    reference = world.cases["assessment"]
    assert client.get(f"/staff/cases/{reference}/delete").status == 404
    assert client.get(f"/staff/cases/{reference}/export.xml").status == 404


def test_the_case_page_of_a_case_another_team_is_involved_in_opens(app, world):
    reference = world.cases["involved"]
    for role in ("complaints_officer", "team_member"):
        client = signed_in(app, world.emails[role])
        page = client.get(f"/staff/cases/{reference}")
        assert page.status == 200, role
        assert "Also involved: Assessment" in page.text()


# The queues -----------------------------------------------------------------------------------


@pytest.mark.parametrize("role", CASE_ROLES)
def test_the_queue_lists_exactly_the_cases_each_role_may_see(app, world, role):
    client = signed_in(app, world.emails[role])
    expected = sorted(world.cases[name] for name in VISIBLE[role])

    assert sorted(queue(client)) == expected


def test_a_team_member_filtering_by_another_team_sees_nothing(app, world):
    client = signed_in(app, world.emails["team_member"])
    for team in ("children_in_care", "advocacy", "early_help", "child_in_need"):
        listed = queue(client, f"team={team}")
        assert world.cases["children_in_care"] not in listed
        assert world.cases["advocacy_request"] not in listed
        assert world.cases["advocate_requested"] not in listed
    # Their teams' filter lists only their teams.
    page = client.get("/staff/")
    options = [o["value"] for o in page.soup.select("select#team option") if o["value"]]
    assert options == ["assessment"]


@pytest.mark.parametrize("role", ["report_viewer", "admin"])
def test_report_viewers_and_admins_get_no_cases_in_the_queue(app, world, role):
    client = signed_in(app, world.emails[role])
    for query in ("", "state=closed", "team=assessment", "kind=complaint", "state=urgent"):
        page = client.get(f"/staff/{'?' + query if query else ''}")
        assert page.status == 200
        assert page.h1 == "No cases for this account"
        assert not any(reference in page.html for reference in world.cases.values())


# Changing cases ------------------------------------------------------------------------------


def test_a_team_member_changes_their_teams_case_and_not_another_teams(app, world):
    client = signed_in(app, world.emails["team_member"])
    mine, theirs = world.cases["assessment"], world.cases["children_in_care"]
    acknowledgement = {"how": "email", "on": parts(stored(mine).received_on)}
    db.session.remove()

    done(save(client, mine, "acknowledge", acknowledgement), mine)

    token = client.get("/staff/").csrf_token
    response = client.client.post(
        f"/staff/cases/{theirs}/acknowledge",
        data={**acknowledgement, "version": "1", "csrf_token": token},
    )
    assert response.status_code == 404
    assert stored(mine).acknowledged_on is not None
    assert stored(theirs).acknowledged_on is None


def test_the_advocacy_provider_changes_only_advocacy_cases(app, world):
    client = signed_in(app, world.emails["advocacy_provider"])
    token = client.get("/staff/").csrf_token
    ours = world.cases["advocacy_request"]
    day = parts(stored(ours).received_on)
    db.session.remove()

    done(save(client, ours, "acknowledge", {"how": "phone", "on": day}), ours)
    for name in ("assessment", "children_in_care", "involved"):
        reference = world.cases[name]
        for action, data in [
            ("acknowledge", {"how": "phone", "on": day}),
            ("hold", {"reason": "Waiting to hear from the family", "on": day}),
            ("withdraw", {"on": day}),
        ]:
            response = client.client.post(
                f"/staff/cases/{reference}/{action}",
                data={**data, "version": "1", "csrf_token": token},
            )
            assert response.status_code == 404, (name, action)
        case = stored(reference)
        assert (case.acknowledged_on, case.status) == (None, "new"), name


@pytest.mark.parametrize("role", ["advocacy_provider", "report_viewer", "admin"])
def test_only_casework_roles_record_a_contact(app, world, role):
    client = signed_in(app, world.emails[role])
    token = client.get("/staff/").csrf_token
    cases_before = db.session.scalar(select(func.count()).select_from(Case))
    db.session.remove()

    assert client.get("/staff/cases/new").status == 404
    response = client.client.post(
        "/staff/cases/new",
        data={
            "method": "telephone",
            "received_on": ["23", "11", "2026"],
            "kind": "complaint",
            "role": "parent",
            "what_happened": "Rang to say the visit was missed again.",
            "csrf_token": token,
        },
    )
    assert response.status_code == 404
    assert db.session.scalar(select(func.count()).select_from(Case)) == cases_before


@pytest.mark.parametrize("role", ["advocacy_provider", "report_viewer", "admin"])
def test_the_menu_does_not_offer_record_a_contact_to_those_who_may_not(app, world, role):
    client = signed_in(app, world.emails[role])
    page = client.get("/staff/")
    assert "Record a contact" not in page.text()
    assert not page.soup.select('a[href="/staff/cases/new"]')


@pytest.mark.parametrize("role", ["complaints_officer", "team_manager", "team_member"])
def test_casework_roles_may_record_a_contact(app, world, role):
    client = signed_in(app, world.emails[role])
    assert client.get("/staff/cases/new").status == 200


# The audit trail -----------------------------------------------------------------------------


def _new_entries(before: list) -> list:
    return audit_trail()[len(before) :]


def test_opening_changing_exporting_and_printing_each_add_one_audit_entry(app, world):
    email = world.emails["complaints_officer"]
    actor = f"staff:{email}"
    client = signed_in(app, email)
    reference = world.cases["assessment"]

    trail = audit_trail()
    assert client.get(f"/staff/cases/{reference}").status == 200
    assert _new_entries(trail) == [(actor, "viewed", reference)]

    trail = audit_trail()
    response = save(client, reference, "acknowledge", {"how": "email", "on": ["23", "11", "2026"]})
    done(response, reference)
    assert _new_entries(trail) == [(actor, "changed", reference)]
    db.session.expire_all()
    last = db.session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
    assert last.detail == {"action": "acknowledge"}
    assert last.case_id == stored(reference).id
    db.session.remove()

    trail = audit_trail()
    export = client.client.get(f"/staff/cases/{reference}/export.json")
    assert export.status_code == 200
    assert export.mimetype == "application/json"
    assert export.get_json()["reference"] == reference
    assert _new_entries(trail) == [(actor, "exported", reference)]

    trail = audit_trail()
    assert client.get(f"/staff/cases/{reference}/print").status == 200
    assert _new_entries(trail) == [(actor, "printed", reference)]

    # Opening an action's page shows nothing of the case but its reference: no entry.
    trail = audit_trail()
    assert client.get(f"/staff/cases/{reference}/hold").status == 200
    assert _new_entries(trail) == []


def test_recording_a_contact_adds_one_created_entry(app, world):
    email = world.emails["team_member"]
    client = signed_in(app, email)
    trail = audit_trail()

    page = client.submit(
        "/staff/cases/new",
        {
            "method": "letter",
            "received_on": ["23", "11", "2026"],
            "kind": "complaint",
            "role": "grandparent",
            "name": "Pat Example",
            "service_area": "assessment",
            "what_happened": "A letter about the assessment of my grandson.",
        },
    )

    assert page.status == 200
    reference = page.h1.split()[0]
    assert _new_entries(trail) == [
        (f"staff:{email}", "created", reference),
        (f"staff:{email}", "viewed", reference),
    ]


def test_a_refused_or_invalid_change_adds_no_audit_entry(app, world):
    client = signed_in(app, world.emails["complaints_officer"])
    reference = world.cases["assessment"]
    trail = audit_trail()

    # A response before triage is refused; a date that is not a date is invalid.
    refused = save(
        client,
        reference,
        "respond",
        {"on": ["24", "11", "2026"], "outcome": "upheld", "actions": ["apology"]},
    )
    invalid = save(client, reference, "acknowledge", {"how": "email", "on": ["31", "2", "2026"]})
    stale = save(
        client, reference, "acknowledge", {"how": "email", "on": ["23", "11", "2026"]}, version="0"
    )

    assert (refused.status_code, invalid.status_code, stale.status_code) == (409, 400, 409)
    assert _new_entries(trail) == []


@pytest.mark.parametrize("role", ["team_member", "advocacy_provider", "report_viewer", "admin"])
def test_a_denied_request_adds_no_audit_entry(app, world, role):
    client = signed_in(app, world.emails[role])
    token = client.get("/staff/").csrf_token
    reference = world.cases["children_in_care"]
    trail = audit_trail()

    for url in (
        f"/staff/cases/{reference}",
        f"/staff/cases/{reference}/export.json",
        f"/staff/cases/{reference}/print",
        f"/staff/cases/{MISSING}",
    ):
        assert client.client.get(url).status_code == 404
    response = client.client.post(
        f"/staff/cases/{reference}/close",
        data={"on": ["23", "11", "2026"], "version": "1", "csrf_token": token},
    )
    assert response.status_code == 404
    assert _new_entries(trail) == []


def test_a_signed_out_request_adds_no_audit_entry(app, world):
    reference = world.cases["assessment"]
    trail = audit_trail()
    client = browser(app)
    for url in (f"/staff/cases/{reference}", f"/staff/cases/{reference}/export.json"):
        assert client.client.get(url).status_code == 302
    assert _new_entries(trail) == []


def test_audit_entries_cannot_be_edited_or_deleted(app, world):
    client = signed_in(app, world.emails["complaints_officer"])
    client.get(f"/staff/cases/{world.cases['assessment']}")
    entry = db.session.scalars(select(AuditEntry)).first()

    entry.action = "nothing to see"
    with pytest.raises(PermissionError):
        db.session.commit()
    db.session.rollback()

    entry = db.session.scalars(select(AuditEntry)).first()
    db.session.delete(entry)
    with pytest.raises(PermissionError):
        db.session.commit()
    db.session.rollback()
    db.session.remove()
