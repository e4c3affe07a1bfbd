"""Each worker says it is alive, so readiness can tell when nobody is sending."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from intake.models.base import Base, UtcDateTime


class WorkerHeartbeat(Base):
    __tablename__ = "worker_heartbeats"

    # "host:pid": one row per worker process, wherever it runs.
    worker: Mapped[str] = mapped_column(String(120), primary_key=True)
    started_at: Mapped[datetime] = mapped_column(UtcDateTime())
    beat_at: Mapped[datetime] = mapped_column(UtcDateTime(), index=True)
