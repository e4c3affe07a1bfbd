"""Equality monitoring answers, stored apart from any case.

There is deliberately no link to the case, the draft or the person: the row has a random
id and only the date it was given, so no staff view can put these answers beside a
complaint, and reports can still count them by period.
"""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import Date, String
from sqlalchemy.orm import Mapped, mapped_column

from intake.models.base import Base


class EqualityResponse(Base):
    __tablename__ = "equality_responses"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=lambda: str(uuid.uuid4()))
    given_on: Mapped[date] = mapped_column(Date, index=True)
    age_band: Mapped[str | None] = mapped_column(String(32))
    gender: Mapped[str | None] = mapped_column(String(32))
    disability: Mapped[str | None] = mapped_column(String(32))
    ethnicity: Mapped[str | None] = mapped_column(String(32))
    religion: Mapped[str | None] = mapped_column(String(32))
    sexuality: Mapped[str | None] = mapped_column(String(32))
