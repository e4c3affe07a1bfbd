"""Helpers for driving the service the way a person does: page by page, with real CSRF."""

from __future__ import annotations

import copy
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from bs4 import BeautifulSoup
from flask import g, has_app_context
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

LONDON = ZoneInfo("Europe/London")


def london(year: int, month: int, day: int, hour: int = 10, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=LONDON)


class FreshRequests(FlaskClient):
    """The test client, with each request starting from an empty `g`, as on a server.

    The suite's `app` fixture keeps one application context pushed for the whole test
    and Flask reuses it for every request, so `g` (where Flask-Login caches the signed-in
    user and Flask-WTF the CSRF token) would otherwise carry over from one request, and
    from one browser, to the next: a signed-out browser would look signed in.
    """

    def open(self, *args: Any, **kwargs: Any) -> TestResponse:
        if has_app_context():
            for key in list(g):
                g.pop(key, None)
        return super().open(*args, **kwargs)


@dataclass
class Page:
    status: int
    path: str
    html: str

    def __post_init__(self) -> None:
        self.soup = BeautifulSoup(self.html, "html.parser")

    @property
    def title(self) -> str:
        return " ".join(self.soup.title.get_text().split()) if self.soup.title else ""

    @property
    def h1(self) -> str:
        heading = self.soup.find("h1")
        return " ".join(heading.get_text().split()) if heading else ""

    @property
    def errors(self) -> list[str]:
        """The error summary's messages, in order."""
        summary = self.soup.select(".govuk-error-summary__list a")
        return [" ".join(a.get_text().split()) for a in summary]

    @property
    def error_links(self) -> list[str]:
        return [a["href"] for a in self.soup.select(".govuk-error-summary__list a")]

    def field_errors(self) -> list[str]:
        """The inline messages beside the fields (without the hidden "Error:" prefix)."""
        messages = []
        for message in self.soup.select(".govuk-error-message"):
            for hidden in message.select(".govuk-visually-hidden"):
                hidden.decompose()
            messages.append(" ".join(message.get_text().split()))
        return messages

    @property
    def back_link(self) -> str | None:
        link = self.soup.select_one("a.govuk-back-link")
        return link["href"] if link else None

    @property
    def csrf_token(self) -> str | None:
        field = self.soup.find("input", attrs={"name": "csrf_token"})
        return field["value"] if field else None

    def value_of(self, name: str) -> str | None:
        field = self.soup.find(["input", "textarea"], attrs={"name": name})
        if field is None:
            return None
        return field.get_text() if field.name == "textarea" else field.get("value")

    def checked(self, name: str) -> list[str]:
        return [
            i["value"] for i in self.soup.find_all("input", attrs={"name": name, "checked": True})
        ]

    def summary(self) -> dict[str, str]:
        """The check answers page as {question: answer}."""
        rows = {}
        for row in self.soup.select(".govuk-summary-list__row"):
            key = " ".join(row.select_one(".govuk-summary-list__key").get_text().split())
            value = row.select_one(".govuk-summary-list__value")
            rows[key] = " | ".join(
                " ".join(part.get_text().split()) for part in value.find_all("span")
            ) or " ".join(value.get_text().split())
        return rows

    def text(self) -> str:
        return " ".join(self.soup.get_text().split())


class FormClient:
    """The Flask test client, used like a browser with JavaScript switched off."""

    def __init__(self, client: FlaskClient) -> None:
        self.client = client

    def _page(self, response: Any) -> Page:
        path = urlsplit(response.request.url).path if response.request else ""
        return Page(response.status_code, path, response.get_data(as_text=True))

    def get(self, url: str, follow: bool = True) -> Page:
        return self._page(self.client.get(url, follow_redirects=follow))

    def post(self, url: str, data: dict[str, Any], follow: bool = True) -> Page:
        return self._page(self.client.post(url, data=data, follow_redirects=follow))

    def submit(self, url: str, data: dict[str, Any] | None = None) -> Page:
        """Open the page at `url`, then send `data` with the page's own CSRF token."""
        page = self.get(url)
        assert page.status == 200, f"{url} answered {page.status}"
        token = page.csrf_token
        assert token, f"{page.path} has no form"
        return self.post(page.path, {**(data or {}), "csrf_token": token})


# The pages anyone can open without answering anything first.
PUBLIC_PAGES = (
    "/",
    "/easy-read",
    "/accessibility",
    "/privacy",
    "/tell-us/what-you-want-to-do",
    "/chat",
)

PARENT_COMPLAINT: dict[str, dict[str, Any]] = {
    "what-you-want-to-do": {"kind": "complaint"},
    "who-you-are": {"role": "parent"},
    "about-the-child": {"first_name": "Amara", "date_of_birth": ["14", "6", "2015"], "age": ""},
    "help-they-get": {"statuses": ["child_in_need"]},
    "service-or-team": {"service": "assessment"},
    "what-happened": {
        "details": "The social worker missed three planned visits and nobody told us why."
    },
    "when-it-happened": {"when": "last_3_months"},
    "what-you-would-like": {"outcomes": ["apology", "meeting"], "detail": ""},
    "how-to-reply": {"name": "Jo Example", "reply_method": "email", "email": "jo@example.org"},
    "language": {"language": "en"},
    "help-to-read-or-talk": {"needs": ["none"]},
}

ADVOCATE_COMPLAINT: dict[str, dict[str, Any]] = {
    **PARENT_COMPLAINT,
    "who-you-are": {"role": "advocate"},
    "your-advocacy-service": {
        "organisation": "Example Advocacy Service",
        "child_consent": "yes",
        "child_wants_contact": "no",
    },
    "about-the-child": {"first_name": "Kai", "date_of_birth": ["", "", ""], "age": "13"},
    "help-they-get": {"statuses": ["child_in_care"]},
    "service-or-team": {"service": "children_in_care"},
    "what-happened": {
        "details": "Kai has had four social workers this year and wants one who stays."
    },
    "what-you-would-like": {"outcomes": ["change_of_worker", "kept_informed"], "detail": ""},
    "how-to-reply": {
        "name": "Sam Advocate",
        "reply_method": "text_message",
        "mobile": "07700 900123",
    },
}


def answers(
    base: dict[str, dict[str, Any]], **changes: dict[str, Any]
) -> dict[str, dict[str, Any]]:
    """A copy of `base` with some pages' answers replaced (slugs with _ for -)."""
    result = copy.deepcopy(base)
    for slug, data in changes.items():
        result[slug.replace("_", "-")] = data
    return result


def fill_in(client: FormClient, pages: dict[str, dict[str, Any]], *, limit: int = 20) -> Page:
    """Answer each page the service shows, until it asks to check the answers."""
    page = client.get("/tell-us")
    for _ in range(limit):
        if page.path.endswith("/check-your-answers"):
            return page
        slug = page.path.rsplit("/", 1)[-1]
        assert slug in pages, f"the form asked {slug!r}, which this journey does not answer"
        page = client.post(page.path, {**pages[slug], "csrf_token": page.csrf_token})
        assert not page.errors, f"{slug}: {page.errors}"
    raise AssertionError("the form never reached check your answers")


def send(client: FormClient, pages: dict[str, dict[str, Any]]) -> Page:
    """Fill in the whole form and send it; returns the confirmation page."""
    check = fill_in(client, pages)
    return client.post(check.path, {"csrf_token": check.csrf_token})


STAFF_PASSWORD = "correct horse battery staple"


def make_staff(
    *, email: str, role: str, teams: tuple[str, ...] = (), name: str = "Fictional Staff"
) -> Any:
    """A staff account, made through the same code as `flask intake users create`."""
    from datetime import UTC, datetime

    from flask import current_app

    from intake.casework.staff import Role, create_staff
    from intake.extensions import db

    routing = current_app.extensions["intake.routing"]
    user = create_staff(
        db.session,
        email=email,
        name=name,
        role=Role(role),
        password=STAFF_PASSWORD,
        teams=list(teams),
        known_teams={t.key for t in routing.teams},
        now=datetime.now(UTC),
    )
    db.session.commit()
    return user


def sign_in(client: FormClient, email: str, password: str = STAFF_PASSWORD) -> Page:
    """Sign in on the staff sign-in page, as a member of staff would."""
    return client.submit("/staff/sign-in", {"email": email, "password": password})


def act(client: FormClient, reference: str, action: str, data: dict[str, Any]) -> Page:
    """Open an action's page on a case and save it, with the case's version as shown."""
    page = client.get(f"/staff/cases/{reference}/{action}")
    assert page.status == 200, f"{action} page answered {page.status}"
    version = page.soup.find("input", attrs={"name": "version"})
    return client.post(
        page.path,
        {**data, "version": version["value"] if version else "", "csrf_token": page.csrf_token},
    )
