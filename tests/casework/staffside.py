"""Helpers for the staff-side casework tests: cases made the way every channel makes them.

Everything here is fictional: names, addresses and stories.
"""

from __future__ import annotations

import tomllib
from datetime import datetime
from typing import Any

from flask import current_app

from intake.casework.cases import ChildDetails, ContactDetails, Submission, receive_case
from intake.casework.routing import DEFAULT_TEAMS_FILE, RoutingSettings
from intake.casework.vocabulary import ChildStatus, Kind, Method, ReplyMethod, Role
from intake.extensions import db
from intake.models import Case
from tests.support import london

OFFICER = "officer@example.org"


def submission(
    *,
    kind: Kind = Kind.COMPLAINT,
    role: Role = Role.PARENT,
    service_area: str | None = "assessment",
    statuses: tuple[ChildStatus, ...] = (),
    what_happened: str = "The social worker missed two planned visits.",
    method: Method = Method.ONLINE_FORM,
    reply: ReplyMethod = ReplyMethod.EMAIL,
    advocate_requested: bool = False,
) -> Submission:
    return Submission(
        kind=kind,
        method=method,
        complainant_role=role,
        language="en",
        contact=ContactDetails(
            reply_method=reply,
            name="Jo Example",
            email="jo.example@example.org" if reply is ReplyMethod.EMAIL else None,
        ),
        what_happened=what_happened,
        children=(ChildDetails(first_name="Amara", age=11, statuses=statuses),),
        service_area=service_area,
        advocate_requested=advocate_requested,
    )


def new_case(
    received_at: datetime | None = None,
    *,
    safeguarding: bool = False,
    incomplete: bool = False,
    **details: Any,
) -> Case:
    """A case received through `receive_case`, routed with the app's teams, and committed."""
    case = receive_case(
        db.session,
        current_app.extensions["intake.council"],
        submission(**details),
        received_at=received_at or london(2026, 11, 23, 10),
        actor="online form",
        safeguarding=safeguarding,
        incomplete=incomplete,
        routing=current_app.extensions["intake.routing"],
    )
    db.session.commit()
    return case


def events(case: Case) -> list[str]:
    return [e.event for e in case.events]


def last_event(case: Case) -> Any:
    return case.events[-1]


def shipped_routing_with(changes: dict[str, dict[str, Any]]) -> RoutingSettings:
    """The shipped teams and rules, with some teams' settings changed (`active`, say)."""
    raw = tomllib.loads(DEFAULT_TEAMS_FILE.read_text(encoding="utf-8"))
    for team in raw["teams"]:
        team.update(changes.get(team["key"], {}))
    return RoutingSettings.model_validate(raw)
