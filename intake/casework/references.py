"""Case references: `CS-2026-00042`, never the same number for two cases.

The counter is a row per (prefix, year). Taking a number is one UPDATE ... RETURNING in
the transaction that saves the case, so on PostgreSQL the row lock makes concurrent
writers (in any number of processes) queue for the next number, and a transaction that
rolls back gives its number back. SQLite serialises writers by itself. The unique index
on `cases.reference` is the last line of defence.
"""

from __future__ import annotations

from sqlalchemy import update
from sqlalchemy.orm import Session

from intake.models.base import upsert_insert
from intake.models.reference import ReferenceCounter


def format_reference(prefix: str, year: int, number: int) -> str:
    return f"{prefix}-{year}-{number:05d}"


def next_reference(session: Session, prefix: str, year: int) -> str:
    """Take the next reference for `year`; call it inside the transaction saving the case."""
    insert = upsert_insert(session.get_bind().dialect.name)
    session.execute(
        insert(ReferenceCounter)
        .values(prefix=prefix, year=year, last_number=0)
        .on_conflict_do_nothing(index_elements=["prefix", "year"])
    )
    number = session.execute(
        update(ReferenceCounter)
        .where(ReferenceCounter.prefix == prefix, ReferenceCounter.year == year)
        .values(last_number=ReferenceCounter.last_number + 1)
        .returning(ReferenceCounter.last_number)
    ).scalar_one()
    return format_reference(prefix, year, number)
