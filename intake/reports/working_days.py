"""Keeping the `working_days` table in step with the council's calendar."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from intake.casework.calendar import WorkingCalendar
from intake.models import WorkingDay
from intake.models.base import upsert_insert

# Wide enough for any case history a council brings and for decades ahead; an import
# refuses dates outside it.
FIRST_DAY = date(1990, 1, 1)
LAST_DAY = date(2060, 12, 31)
_BATCH = 5000


def ensure_working_days(session: Session, calendar: WorkingCalendar) -> None:
    """Write the calendar out if the table holds another (or none). Cheap when current:
    one count. Two processes doing it at once write the same rows, so an upsert."""
    fingerprint = calendar.fingerprint()
    expected = (LAST_DAY - FIRST_DAY).days + 1
    current = session.scalar(
        select(func.count()).select_from(WorkingDay).where(WorkingDay.fingerprint == fingerprint)
    )
    if current == expected:
        return
    insert = upsert_insert(session.get_bind().dialect.name)
    rows = [
        {"day": day, "ordinal": ordinal, "fingerprint": fingerprint}
        for day, ordinal in calendar.ordinals(FIRST_DAY, LAST_DAY)
    ]
    statement = insert(WorkingDay)
    upsert = statement.on_conflict_do_update(
        index_elements=["day"],
        set_={"ordinal": statement.excluded.ordinal, "fingerprint": statement.excluded.fingerprint},
    )
    # Many parameter sets for one statement: the driver's executemany, not one huge query.
    for start in range(0, len(rows), _BATCH):
        session.execute(upsert, rows[start : start + _BATCH])
    session.flush()
