"""The outbox: every message the service owes someone, written in the same transaction as
the event that causes it, and the tasks staff must do by hand instead.

A row holds what to send (a template and its values, never free text a person wrote), to
whom and by which channel; the worker renders and sends it. Its `dedupe_key` is unique, so
a job that runs twice, or an event replayed, cannot owe the same message twice.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Date, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from intake.models.base import Base, utcnow


class OutboxMessage(Base):
    __tablename__ = "outbox_messages"
    __table_args__ = (
        # The worker's question: what is pending and due now, oldest first.
        Index("ix_outbox_messages_state_next_attempt_at", "state", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int | None] = mapped_column(
        ForeignKey("cases.id", ondelete="SET NULL"), index=True
    )
    # public (the person who got in touch) or staff
    recipient_kind: Mapped[str] = mapped_column(String(8))
    # email, sms, whatsapp or letter
    channel: Mapped[str] = mapped_column(String(16))
    # An email address, an E.164 number, or a postal address (one line per line).
    to: Mapped[str] = mapped_column(Text)
    template: Mapped[str] = mapped_column(String(64))
    language: Mapped[str] = mapped_column(String(16), default="en")
    params: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # pending, sending, sent, delivered, failed, cancelled
    state: Mapped[str] = mapped_column(String(16), default="pending")
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime]
    # Set when a worker claims the row; a claim older than the lease is taken again.
    claimed_at: Mapped[datetime | None]
    sent_at: Mapped[datetime | None]
    status_at: Mapped[datetime | None]
    provider: Mapped[str | None] = mapped_column(String(16))
    provider_id: Mapped[str | None] = mapped_column(String(64), index=True)
    # What went wrong last, in the provider's words (codes, never message text).
    last_error: Mapped[str | None] = mapped_column(String(200))
    dedupe_key: Mapped[str] = mapped_column(String(200), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class StaffTask(Base):
    """Something staff must do by hand, shown at the top of their team's queue: phoning
    someone, or posting a letter, to acknowledge a case we cannot reach any other way."""

    __tablename__ = "staff_tasks"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    team: Mapped[str] = mapped_column(String(64), index=True)
    # acknowledge_by_phone, acknowledge_by_letter
    task: Mapped[str] = mapped_column(String(32))
    due_on: Mapped[date] = mapped_column(Date)
    done_on: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
