"""Helpers for the staff tests: browsers of their own, accounts, cases, pages and dates.

Cases are made the way they really arrive (the public form, or `receive_case` as every
channel calls it); staff act on them only through the staff pages.
"""

from __future__ import annotations

import copy
import re
from datetime import date, datetime
from typing import Any

from flask import Flask, current_app
from sqlalchemy import select
from werkzeug.test import TestResponse

from intake.casework.cases import ChildDetails, ContactDetails, Submission, receive_case
from intake.casework.vocabulary import ChildStatus, Kind, Method, ReplyMethod, Role
from intake.extensions import db
from intake.models import AuditEntry, Case
from tests.support import FormClient, Page, make_staff, send, sign_in

REFERENCE = re.compile(r"CS-\d{4}-\d{5}")
CHANGED = "This case changed while you were working on it. Review it and save again."

# One account of every role. Addresses are checked against the shared test password
# ("correct horse battery staple"): none of these names is part of it.
ACCOUNTS: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "complaints_officer": ("officer@example.org", "complaints_officer", ()),
    "team_manager": ("manager.assessment@example.org", "team_manager", ("assessment",)),
    "team_member": ("member.assessment@example.org", "team_member", ("assessment",)),
    "advocacy_provider": ("advocacy.provider@example.org", "advocacy_provider", ()),
    "report_viewer": ("report.viewer@example.org", "report_viewer", ()),
    "admin": ("admin.user@example.org", "admin", ()),
}


def browser(app: Flask) -> FormClient:
    """A browser of its own (its own cookies), like a second person at another desk."""
    return FormClient(app.test_client())


def account(role: str) -> str:
    """Make the account for `role` (see ACCOUNTS) and return its email address."""
    email, role_value, teams = ACCOUNTS[role]
    make_staff(email=email, role=role_value, teams=teams, name=f"Fictional {role}")
    return email


def signed_in(app: Flask, email: str) -> FormClient:
    """A new browser, signed in as `email` (the account must exist)."""
    client = browser(app)
    page = sign_in(client, email)
    assert page.status == 200, page.text()[:300]
    assert page.path == "/staff/", f"signing in as {email} ended on {page.path}"
    return client


def staff_as(app: Flask, role: str) -> FormClient:
    return signed_in(app, account(role))


def sign_out(client: FormClient) -> Page:
    """Press "Sign out" in the header of any staff page."""
    page = client.get("/staff/")
    return client.post("/staff/sign-out", {"csrf_token": page.csrf_token})


# Cases ---------------------------------------------------------------------------------


def from_the_form(app: Flask, pages: dict[str, dict[str, Any]]) -> str:
    """Send the public form in a browser of its own; the reference it was given."""
    page = send(browser(app), pages)
    assert page.path == "/tell-us/sent", page.errors
    found = REFERENCE.search(page.text())
    assert found, "the confirmation page shows no reference"
    return found.group(0)


def received(
    *,
    kind: str = "complaint",
    service_area: str | None = "assessment",
    method: str = "email",
    role: str = "parent",
    reply: str = "email",
    what: str = "The social worker did not visit when they said they would.",
    statuses: tuple[str, ...] = (),
    advocate_requested: bool = False,
    safeguarding: bool = False,
    at: datetime | None = None,
) -> str:
    """A case as any channel records it (`receive_case`, routed); its reference."""
    settings = current_app.extensions["intake.council"]
    routing = current_app.extensions["intake.routing"]
    moment = at or current_app.extensions["intake.clock"].now()
    reply_method = ReplyMethod(reply)
    submission = Submission(
        kind=Kind(kind),
        method=Method(method),
        complainant_role=Role(role),
        language="en",
        contact=ContactDetails(
            reply_method=reply_method,
            name="Jo Example",
            email="jo@example.org" if reply_method is ReplyMethod.EMAIL else None,
            phone="+447700900123" if reply_method is ReplyMethod.PHONE else None,
        ),
        what_happened=what,
        children=(ChildDetails(first_name="Amara", statuses=tuple(map(ChildStatus, statuses))),),
        service_area=service_area,
        advocate_requested=advocate_requested,
    )
    case = receive_case(
        db.session,
        settings,
        submission,
        received_at=moment,
        actor="test:channel",
        safeguarding=safeguarding,
        routing=routing,
    )
    reference = case.reference
    db.session.commit()
    db.session.remove()
    return reference


def stored(reference: str) -> Case:
    """The case as saved now (read afresh: other browsers may have changed it)."""
    db.session.expire_all()
    case = db.session.scalars(select(Case).where(Case.reference == reference)).one()
    return case


def done_reading() -> None:
    """End the test's own transaction (on SQLite it holds the write lock)."""
    db.session.remove()


# Dates ---------------------------------------------------------------------------------


def parts(day: date) -> list[str]:
    """A date as the three boxes of a GOV.UK date input."""
    return [str(day.day), str(day.month), str(day.year)]


# Pages ---------------------------------------------------------------------------------


def save(
    client: FormClient,
    reference: str,
    action: str,
    data: dict[str, Any],
    *,
    version: str | None = None,
) -> TestResponse:
    """Open an action's page, then save it without following the redirect.

    `version` overrides the version the page carried (a stale form).
    """
    page = client.get(f"/staff/cases/{reference}/{action}")
    assert page.status == 200, f"{action} page answered {page.status}"
    shown = page.soup.find("input", attrs={"name": "version"})
    return client.client.post(
        page.path,
        data={
            **data,
            "version": version if version is not None else shown["value"],
            "csrf_token": page.csrf_token,
        },
    )


def opened(client: FormClient, reference: str, action: str) -> tuple[Page, str]:
    """Open an action's page; the page and the version it carries."""
    page = client.get(f"/staff/cases/{reference}/{action}")
    assert page.status == 200, f"{action} page answered {page.status}"
    return page, page.soup.find("input", attrs={"name": "version"})["value"]


def send_opened(client: FormClient, page: Page, version: str, data: dict[str, Any]) -> TestResponse:
    """Save an action page opened earlier, as its form stood then."""
    return client.client.post(
        page.path, data={**data, "version": version, "csrf_token": page.csrf_token}
    )


def as_page(response: TestResponse) -> Page:
    return Page(response.status_code, response.request.path, response.get_data(as_text=True))


def done(response: TestResponse, reference: str) -> None:
    """The action was saved: back to the case page."""
    assert response.status_code == 302, as_page(response).errors or as_page(response).text()[:400]
    assert response.headers["Location"] == f"/staff/cases/{reference}"


def act(client: FormClient, reference: str, action: str, data: dict[str, Any]) -> None:
    """Open an action's page, save it, and check it was saved."""
    done(save(client, reference, action, data), reference)


# A parent's complaint about an assessment, triaged as the tests usually need it.
STATUTORY_TRIAGE = {
    "kind": "complaint",
    "procedure": "statutory",
    "service_area": "assessment",
    "reasons": ["delay/assessment_delay"],
}


def upheld_with_apology(on: date) -> dict[str, Any]:
    """The response action's answers: upheld, with an apology, on `on`."""
    return {"on": parts(on), "outcome": "upheld", "actions": ["apology"]}


def tag(page: Page) -> str:
    found = page.soup.select_one("h1 .govuk-tag")
    return " ".join(found.get_text().split()) if found else ""


def caption(page: Page) -> str:
    found = page.soup.select_one(".govuk-caption-l")
    return " ".join(found.get_text().split()) if found else ""


def deadline_rows(page: Page) -> dict[str, str]:
    """The case page's deadlines: {key: the date shown, without the working}."""
    heading = page.soup.find("h2", string=re.compile("Deadlines"))
    assert heading is not None, "the case page has no deadlines"
    listing = heading.find_next_sibling("dl")
    rows: dict[str, str] = {}
    if listing is None:
        return rows
    for row in listing.select(".govuk-summary-list__row"):
        key = " ".join(row.select_one(".govuk-summary-list__key").get_text().split())
        # A copy: the page itself keeps the working, for other checks.
        value = copy.copy(row.select_one(".govuk-summary-list__value"))
        for details in value.select("details"):
            details.decompose()
        for line_break in value.select("br"):
            line_break.replace_with(" | ")
        rows[key] = " ".join(value.get_text().split())
    return rows


def stage_rows(page: Page) -> list[list[str]]:
    """The stages table: [stage, began, respond by, responded, outcome] per row."""
    heading = page.soup.find("h2", string=re.compile("^Stages$"))
    if heading is None:
        return []
    table = heading.find_next_sibling("table")
    rows = []
    for row in table.select("tbody tr"):
        cells = []
        for cell in map(copy.copy, row.select("td")):
            pieces = [" ".join(span.get_text().split()) for span in cell.select("span")]
            for span in cell.select("span"):
                span.decompose()
            cells.append(" | ".join([" ".join(cell.get_text().split()), *pieces]))
        rows.append(cells)
    return rows


def queue_rows(page: Page) -> list[tuple[str, str, str, str]]:
    """The queue's rows: (reference, team, next deadline, tag)."""
    rows = []
    for row in page.soup.select("table.govuk-table tbody tr"):
        cells = [" ".join(td.get_text().split()) for td in row.select("td")]
        rows.append((cells[0], cells[2], cells[4], cells[5]))
    return rows


def queue(client: FormClient, query: str = "") -> list[str]:
    """The references the queue lists, following "Next cases" to the end."""
    seen: list[str] = []
    url = f"/staff/{'?' + query if query else ''}"
    for _ in range(100):
        page = client.get(url)
        assert page.status == 200, page.status
        seen += [row[0] for row in queue_rows(page)]
        following = page.soup.select_one("a[rel=next]")
        if following is None:
            return seen
        url = following["href"]
    raise AssertionError("the queue never ended")


# The audit trail -----------------------------------------------------------------------


def audit_trail() -> list[tuple[str, str, str | None]]:
    """Every audit entry so far: (actor, action, case reference), oldest first."""
    db.session.expire_all()
    entries = [
        (e.actor, e.action, e.case_reference)
        for e in db.session.scalars(select(AuditEntry).order_by(AuditEntry.id))
    ]
    db.session.remove()
    return entries
