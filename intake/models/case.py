"""A case: one complaint, compliment, comment, case concern or advocacy request.

Values are stored as the strings in `intake/casework/vocabulary.py`. Anything that can
have several values a report counts (the child's status, the outcomes sought, the
reasons, access needs) is a row of its own so that counting stays in SQL.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, ForeignKey, Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from intake.models.base import Base, utcnow
from intake.models.outbox import StaffTask
from intake.models.stages import LearningAction, OmbudsmanEnquiry, StageRecord
from intake.models.timeline import CaseEvent, Correspondence

# The statuses the staff queue shows by default (intake/staff OPEN_STATUSES).
OPEN_CASES = "status IN ('new', 'open', 'on_hold')"


class Case(Base):
    __tablename__ = "cases"
    __table_args__ = (
        Index("ix_cases_received_on", "received_on"),
        # Reports count each kind received in a period.
        Index("ix_cases_kind_received_on", "kind", "received_on"),
        # The queues: by next deadline within a status, and within a team.
        Index("ix_cases_status_next_deadline", "status", "next_deadline", "id"),
        Index("ix_cases_team_next_deadline", "team", "next_deadline", "id"),
        # The open queue in deadline order: with the statuses in the index's condition,
        # the first page is read straight off it, however many cases there are (a
        # status IN (...) over the index above sorts every open case instead).
        Index(
            "ix_cases_open_next_deadline",
            "next_deadline",
            "id",
            postgresql_where=text(OPEN_CASES),
            sqlite_where=text(OPEN_CASES),
        ),
        Index(
            "ix_cases_open_team_next_deadline",
            "team",
            "next_deadline",
            "id",
            postgresql_where=text(OPEN_CASES),
            sqlite_where=text(OPEN_CASES),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(40), unique=True)
    kind: Mapped[str] = mapped_column(String(32))
    procedure: Mapped[str | None] = mapped_column(String(16))
    stage: Mapped[int | None]
    status: Mapped[str] = mapped_column(String(16))
    method: Mapped[str] = mapped_column(String(32))
    complainant_role: Mapped[str] = mapped_column(String(32))
    with_advocate: Mapped[bool] = mapped_column(Boolean, default=False)
    advocate_organisation: Mapped[str | None] = mapped_column(String(200))
    child_consent: Mapped[str | None] = mapped_column(String(16))
    child_wants_contact: Mapped[bool | None]

    received_at: Mapped[datetime]
    # The council's local date of receipt: every deadline counts from it.
    received_on: Mapped[date] = mapped_column(Date)
    language: Mapped[str] = mapped_column(String(16))
    service_area: Mapped[str | None] = mapped_column(String(64))
    # The lead team: it answers. Other teams involved are in `teams`.
    team: Mapped[str | None] = mapped_column(String(64))
    priority: Mapped[str] = mapped_column(String(8), default="normal")

    what_happened: Mapped[str] = mapped_column(Text, default="")
    when_happened: Mapped[str | None] = mapped_column(String(32))
    # More than the time limit ago: for the complaints team to decide, never refused.
    out_of_time: Mapped[bool] = mapped_column(Boolean, default=False)
    outcome_sought_detail: Mapped[str | None] = mapped_column(Text)
    # Who it is about, or whom to thank, in the person's own words.
    worker_named: Mapped[str | None] = mapped_column(Text)
    safeguarding: Mapped[bool] = mapped_column(Boolean, default=False)
    # A conversation that stopped part-way: kept for the complaints team, never lost.
    incomplete: Mapped[bool] = mapped_column(Boolean, default=False)
    # The person asked for an independent advocate to help with this case.
    advocate_requested: Mapped[bool] = mapped_column(Boolean, default=False)

    acknowledge_within: Mapped[int | None]
    acknowledge_by: Mapped[date | None] = mapped_column(Date)
    acknowledged_on: Mapped[date | None] = mapped_column(Date)
    # automatic, email, phone or letter
    acknowledged_how: Mapped[str | None] = mapped_column(String(16))
    triaged_on: Mapped[date | None] = mapped_column(Date)
    # While on hold the clock stops; `held_working_days` is how long it has stopped.
    on_hold_since: Mapped[date | None] = mapped_column(Date)
    held_working_days: Mapped[int] = mapped_column(default=0)
    respond_within: Mapped[int | None]
    respond_by: Mapped[date | None] = mapped_column(Date)
    # The reply to something that is not a complaint (complaints record it per stage).
    responded_on: Mapped[date | None] = mapped_column(Date)
    closed_on: Mapped[date | None] = mapped_column(Date)
    # Set when the retention period ended and the personal details were removed.
    anonymised_on: Mapped[date | None] = mapped_column(Date)
    # The earliest date something is owed (acknowledgement or response); none if closed.
    next_deadline: Mapped[date | None] = mapped_column(Date)

    # Optimistic locking: two staff saving the same case cannot silently overwrite.
    version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    __mapper_args__ = {"version_id_col": version}

    contact: Mapped[Contact | None] = relationship(
        back_populates="case", cascade="all, delete-orphan", uselist=False
    )
    children: Mapped[list[Child]] = relationship(
        back_populates="case", cascade="all, delete-orphan", order_by="Child.id"
    )
    outcomes_sought: Mapped[list[OutcomeSoughtEntry]] = relationship(
        cascade="all, delete-orphan", order_by="OutcomeSoughtEntry.id"
    )
    access_needs: Mapped[list[AccessNeedEntry]] = relationship(
        cascade="all, delete-orphan", order_by="AccessNeedEntry.id"
    )
    reasons: Mapped[list[CaseReason]] = relationship(
        cascade="all, delete-orphan", order_by="CaseReason.id"
    )
    stages: Mapped[list[StageRecord]] = relationship(
        cascade="all, delete-orphan", order_by="StageRecord.stage"
    )
    events: Mapped[list[CaseEvent]] = relationship(
        cascade="all, delete-orphan", order_by="CaseEvent.id"
    )
    correspondence: Mapped[list[Correspondence]] = relationship(
        cascade="all, delete-orphan", order_by="Correspondence.id"
    )
    learning_actions: Mapped[list[LearningAction]] = relationship(
        cascade="all, delete-orphan", order_by="LearningAction.id"
    )
    ombudsman_enquiries: Mapped[list[OmbudsmanEnquiry]] = relationship(
        cascade="all, delete-orphan", order_by="OmbudsmanEnquiry.id"
    )
    teams: Mapped[list[CaseTeam]] = relationship(
        cascade="all, delete-orphan", order_by="CaseTeam.id"
    )
    tasks: Mapped[list[StaffTask]] = relationship(
        cascade="all, delete-orphan", order_by="StaffTask.id"
    )


class Contact(Base):
    """The person who got in touch, and how they want to hear back."""

    __tablename__ = "case_contacts"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), unique=True)
    name: Mapped[str | None] = mapped_column(String(200))
    reply_method: Mapped[str] = mapped_column(String(16))
    email: Mapped[str | None] = mapped_column(String(320))
    phone: Mapped[str | None] = mapped_column(String(20))  # E.164
    address_line_1: Mapped[str | None] = mapped_column(String(200))
    address_line_2: Mapped[str | None] = mapped_column(String(200))
    town: Mapped[str | None] = mapped_column(String(100))
    postcode: Mapped[str | None] = mapped_column(String(10))
    # A language we do not offer pages in, named in their words, for an interpreter.
    other_language: Mapped[str | None] = mapped_column(String(100))
    # When they are happy to be texted: any_time, after_school or weekends.
    contact_times: Mapped[str | None] = mapped_column(String(32))

    case: Mapped[Case] = relationship(back_populates="contact")


class Child(Base):
    __tablename__ = "case_children"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    first_name: Mapped[str | None] = mapped_column(String(100))
    date_of_birth: Mapped[date | None] = mapped_column(Date)
    age: Mapped[int | None]  # at receipt: given, or worked out from the date of birth
    age_band: Mapped[str | None] = mapped_column(String(16))

    case: Mapped[Case] = relationship(back_populates="children")
    statuses: Mapped[list[ChildStatusEntry]] = relationship(
        cascade="all, delete-orphan", order_by="ChildStatusEntry.id"
    )


class ChildStatusEntry(Base):
    __tablename__ = "case_child_statuses"

    id: Mapped[int] = mapped_column(primary_key=True)
    child_id: Mapped[int] = mapped_column(
        ForeignKey("case_children.id", ondelete="CASCADE"), index=True
    )
    status: Mapped[str] = mapped_column(String(32))


class OutcomeSoughtEntry(Base):
    __tablename__ = "case_outcomes_sought"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    outcome: Mapped[str] = mapped_column(String(32))


class AccessNeedEntry(Base):
    __tablename__ = "case_access_needs"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    need: Mapped[str] = mapped_column(String(32))
    # The interpreter's language, or what "other" means, in the person's words.
    detail: Mapped[str | None] = mapped_column(String(200))


class CaseReason(Base):
    """One reason from the council's two-level taxonomy (a case may have several)."""

    __tablename__ = "case_reasons"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    reason: Mapped[str] = mapped_column(String(64))
    sub_reason: Mapped[str | None] = mapped_column(String(64))


class CaseTeam(Base):
    """A team that sees the case: the lead team answers, the others contribute."""

    __tablename__ = "case_teams"
    __table_args__ = (Index("ix_case_teams_team_case", "team", "case_id", unique=True),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    team: Mapped[str] = mapped_column(String(64))
    lead: Mapped[bool] = mapped_column(Boolean, default=False)
