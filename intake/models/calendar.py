"""The working-day calendar written out as a table, so reports count in SQL.

Each day carries the number of working days from a fixed origin to it, so the working
days between two dates are one subtraction in a query, on any engine. The table is
derived from the council's calendar (`intake/casework/calendar.py`) and rebuilt when
that changes: `fingerprint` says which calendar the rows were made from.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import Date, String
from sqlalchemy.orm import Mapped, mapped_column

from intake.models.base import Base


class WorkingDay(Base):
    __tablename__ = "working_days"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    # Working days from the origin up to and including `day`.
    ordinal: Mapped[int]
    fingerprint: Mapped[str] = mapped_column(String(64))
