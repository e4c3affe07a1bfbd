"""What happens to a complaint at each stage, and what follows from it."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import Date, ForeignKey, Index, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from intake.models.base import Base


class StageRecord(Base):
    """One stage of the statutory or corporate procedure for one case."""

    __tablename__ = "case_stages"
    __table_args__ = (
        UniqueConstraint("case_id", "stage", name="uq_case_stages_case_stage"),
        # Reports count stages by the day they began and the day they were answered.
        Index("ix_case_stages_requested_on", "requested_on"),
        Index("ix_case_stages_responded_on", "responded_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    stage: Mapped[int]
    procedure: Mapped[str] = mapped_column(String(16))
    requested_on: Mapped[date] = mapped_column(Date)
    # A request made after the window closed needs a reason on record.
    late_request_reason: Mapped[str | None] = mapped_column(Text)
    respond_within: Mapped[int]
    respond_by: Mapped[date] = mapped_column(Date)
    extended_to_working_days: Mapped[int | None]
    extension_reason: Mapped[str | None] = mapped_column(Text)
    extended_on: Mapped[date | None] = mapped_column(Date)
    responded_on: Mapped[date | None] = mapped_column(Date)
    # Working days this stage's clock stood still (on hold): reports take them off the
    # time it took, as the deadline already did.
    held_working_days: Mapped[int] = mapped_column(default=0, server_default="0")
    outcome: Mapped[str | None] = mapped_column(String(32))
    refusal_reason: Mapped[str | None] = mapped_column(String(64))
    # Stage 3 review panel dates.
    panel_convened_on: Mapped[date | None] = mapped_column(Date)
    panel_report_on: Mapped[date | None] = mapped_column(Date)
    # Independent investigator and independent person costs (annual report table 13).
    investigation_cost: Mapped[Decimal | None] = mapped_column(Numeric(12, 2))

    actions: Mapped[list[StageAction]] = relationship(
        cascade="all, delete-orphan", order_by="StageAction.id"
    )


class StageAction(Base):
    """What was done as a result of a stage's response: an apology, a remedy, ..."""

    __tablename__ = "case_stage_actions"

    id: Mapped[int] = mapped_column(primary_key=True)
    stage_id: Mapped[int] = mapped_column(
        ForeignKey("case_stages.id", ondelete="CASCADE"), index=True
    )
    action: Mapped[str] = mapped_column(String(32))
    amount: Mapped[Decimal | None] = mapped_column(Numeric(12, 2))
    note: Mapped[str | None] = mapped_column(Text)


class LearningAction(Base):
    __tablename__ = "learning_actions"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    issue: Mapped[str] = mapped_column(Text)
    action: Mapped[str] = mapped_column(Text)
    owner: Mapped[str] = mapped_column(String(200))
    # The day it was agreed (reports count learning actions agreed in a period).
    agreed_on: Mapped[date | None] = mapped_column(Date, index=True)
    due_on: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16))
    done_on: Mapped[date | None] = mapped_column(Date)


class OmbudsmanEnquiry(Base):
    __tablename__ = "ombudsman_enquiries"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    received_on: Mapped[date] = mapped_column(Date, index=True)
    ombudsman_reference: Mapped[str | None] = mapped_column(String(40))
    decided_on: Mapped[date | None] = mapped_column(Date, index=True)
    decision: Mapped[str | None] = mapped_column(String(40))
    remedy: Mapped[str | None] = mapped_column(Text)
    remedy_amount: Mapped[Decimal | None] = mapped_column(Numeric(12, 2))
