"""Is the service able to do its work? The database, its schema and the workers."""

from __future__ import annotations

import os
import socket
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, func, select, text, update
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlalchemy.orm import Session

from intake.models import WorkerHeartbeat

# A worker beats at every pass (every few seconds when idle); a day-old row is a worker
# that has gone, not one that is slow.
FORGET_AFTER = timedelta(days=1)


def this_worker() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"[:120]


def beat(session: Session, worker: str, at: datetime, started_at: datetime) -> None:
    """Record that `worker` is alive at `at` (and forget workers long gone).

    Called first in a worker's pass, with nothing else in the session. Two threads of one
    process (as the tests run two workers) can beat at the same moment: the second insert
    then fails, which is fine, since either row says the process is alive."""
    try:
        updated = session.execute(
            update(WorkerHeartbeat).where(WorkerHeartbeat.worker == worker).values(beat_at=at)
        )
        if not updated.rowcount:  # type: ignore[attr-defined]
            session.add(WorkerHeartbeat(worker=worker, started_at=started_at, beat_at=at))
            session.flush()
        session.execute(delete(WorkerHeartbeat).where(WorkerHeartbeat.beat_at < at - FORGET_AFTER))
        session.commit()
    except IntegrityError:
        session.rollback()


@dataclass(frozen=True)
class Readiness:
    database: bool
    schema_current: bool
    worker_seen: datetime | None
    worker_recent: bool

    @property
    def ready(self) -> bool:
        return self.database and self.schema_current and self.worker_recent

    def as_dict(self) -> dict[str, object]:
        return {
            "ready": self.ready,
            "database": self.database,
            "migrations_current": self.schema_current,
            "worker_recent": self.worker_recent,
            "worker_last_seen": self.worker_seen.isoformat() if self.worker_seen else None,
        }


def readiness(
    session: Session, heads: frozenset[str], now: datetime, worker_within: timedelta
) -> Readiness:
    """Check each thing the service needs; a failure is an answer, never an error."""
    try:
        session.execute(text("SELECT 1"))
    except SQLAlchemyError:
        session.rollback()
        return Readiness(False, False, None, False)
    try:
        applied = set(session.execute(text("SELECT version_num FROM alembic_version")).scalars())
    except SQLAlchemyError:
        session.rollback()
        applied = set()
    seen = session.execute(select(func.max(WorkerHeartbeat.beat_at))).scalar()
    recent = seen is not None and now - seen <= worker_within
    return Readiness(True, applied == set(heads), seen, recent)
