"""What every view needs from the app: its clock and the council's settings."""

from __future__ import annotations

from datetime import date, datetime

from flask import current_app

from intake.casework.calendar import local_date
from intake.casework.council import CouncilSettings
from intake.casework.routing import RoutingSettings


def now() -> datetime:
    return current_app.extensions["intake.clock"].now()


def today() -> date:
    return local_date(now())


def council() -> CouncilSettings:
    return current_app.extensions["intake.council"]


def routing() -> RoutingSettings:
    return current_app.extensions["intake.routing"]
