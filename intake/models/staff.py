"""Staff accounts: who may sign in, with what role, for which teams."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from intake.models.base import Base, utcnow


class StaffUser(Base):
    __tablename__ = "staff_users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(320), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    # complaints_officer, team_manager, team_member, advocacy_provider, report_viewer, admin
    role: Mapped[str] = mapped_column(String(32))
    password_hash: Mapped[str] = mapped_column(String(255))
    # A second factor: a TOTP secret once set up; an admin can require one.
    totp_secret: Mapped[str | None] = mapped_column(String(64))
    totp_required: Mapped[bool] = mapped_column(Boolean, default=False)
    failed_sign_ins: Mapped[int] = mapped_column(default=0)
    locked_until: Mapped[datetime | None]
    disabled: Mapped[bool] = mapped_column(Boolean, default=False)
    # Set when an admin resets the password: the next sign-in must choose a new one.
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=False)
    # Invalidates every session of this account (changed on reset, disable, sign-out).
    session_token: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_sign_in_at: Mapped[datetime | None]
    # Opted in to an email for each new case routed to their teams (the team's shared
    # inbox always gets one).
    notify_new_cases: Mapped[bool] = mapped_column(Boolean, default=False)

    teams: Mapped[list[StaffTeam]] = relationship(
        cascade="all, delete-orphan", order_by="StaffTeam.team"
    )

    @property
    def team_keys(self) -> set[str]:
        return {membership.team for membership in self.teams}


class StaffTeam(Base):
    __tablename__ = "staff_teams"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("staff_users.id", ondelete="CASCADE"), primary_key=True
    )
    team: Mapped[str] = mapped_column(String(64), primary_key=True, index=True)
