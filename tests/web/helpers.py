"""Helpers shared by the web tests: reach a question page, answer it, read what was kept."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from intake.extensions import db
from intake.models import Case, FormDraft
from tests.support import PARENT_COMPLAINT, FormClient, Page


def slug_of(page: Page) -> str:
    return page.path.rsplit("/", 1)[-1]


def reach(
    client: FormClient, slug: str, pages: dict[str, dict[str, Any]] = PARENT_COMPLAINT
) -> Page:
    """Answer each page the service shows, as `pages` does, until it shows `slug`."""
    page = client.get("/tell-us")
    for _ in range(20):
        current = slug_of(page)
        if current == slug:
            return page
        assert current in pages, f"the form asked {current!r} before reaching {slug!r}"
        page = client.post(page.path, {**pages[current], "csrf_token": page.csrf_token})
        assert not page.errors, f"{current}: {page.errors}"
    raise AssertionError(f"the form never showed {slug!r}")


def answer(client: FormClient, page: Page, data: dict[str, Any], *, follow: bool = False) -> Page:
    """Send `data` from `page` with its CSRF token; by default without following a redirect."""
    return client.post(page.path, {**data, "csrf_token": page.csrf_token}, follow=follow)


def date_parts(page: Page, name: str = "date_of_birth") -> list[str]:
    """What the day, month and year boxes of a date question show."""
    return [box.get("value") or "" for box in page.soup.find_all("input", attrs={"name": name})]


def marked_wrong(page: Page, name: str = "date_of_birth") -> list[str]:
    """The ids of a date question's boxes shown in error."""
    return [
        box["id"]
        for box in page.soup.find_all("input", attrs={"name": name})
        if "govuk-input--error" in (box.get("class") or [])
    ]


def radio_values(page: Page, name: str) -> list[str]:
    """Every option a radios or checkboxes question offers."""
    return [box["value"] for box in page.soup.find_all("input", attrs={"name": name})]


def change_links(page: Page) -> dict[str, str]:
    """The check answers page's Change links, as {question: href}."""
    links = {}
    for row in page.soup.select(".govuk-summary-list__row"):
        key = " ".join(row.select_one(".govuk-summary-list__key").get_text().split())
        link = row.select_one(".govuk-summary-list__actions a")
        links[key] = link["href"] if link else ""
    return links


def case_count() -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(Case)) or 0


def the_case() -> Case:
    db.session.expire_all()
    return db.session.scalars(select(Case)).one()


def saved_answers() -> dict[str, Any]:
    """The answers the only draft holds."""
    db.session.expire_all()
    return db.session.scalars(select(FormDraft)).one().answers
