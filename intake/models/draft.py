"""Answers to the online form, kept on the server while the person fills it in.

The browser holds only a random draft id in its signed session cookie, so a long
account of what happened never has to fit in a cookie, Back never loses an answer, and a
restart of the service loses nothing.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from intake.models.base import Base, utcnow


class FormDraft(Base):
    __tablename__ = "form_drafts"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    answers: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    # Set, in the same transaction, when the answers become a case.
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id", ondelete="SET NULL"))
    equality_answered: Mapped[bool] = mapped_column(default=False)
