"""Staff accounts: passwords, the second factor, lock-out, roles and what each may see.

Passwords are hashed with argon2 (argon2-cffi's defaults, rehashed when they change). An
account is locked for a while after repeated failures, so a password cannot be guessed
by trying. Access is decided here, per case, on every request: a complaints officer
sees every case; a team manager or member sees their teams' cases (lead or involved);
the advocacy provider sees advocacy requests and cases where an advocate was asked for;
a report viewer and an admin see no case at all.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

import pyotp
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import ColumnElement, and_, exists, false, or_, select, true
from sqlalchemy.orm import Session

from intake.casework.vocabulary import Kind
from intake.models import Case, CaseTeam, StaffTeam, StaffUser

MAX_FAILED_SIGN_INS = 5
LOCK_OUT = timedelta(minutes=15)
MIN_PASSWORD_LENGTH = 12

_hasher = PasswordHasher()


def configure_password_hashing(*, quick: bool) -> None:
    """Argon2 with argon2-cffi's defaults, or with its smallest settings for the test
    suite only (`create_app` passes TESTING): thousands of tests sign in, and the real
    settings cost 80 ms a time. Either way it is argon2, salted and verified alike."""
    global _hasher
    _hasher = (
        PasswordHasher(time_cost=1, memory_cost=8, parallelism=1) if quick else PasswordHasher()
    )


class Role(StrEnum):
    COMPLAINTS_OFFICER = "complaints_officer"
    TEAM_MANAGER = "team_manager"
    TEAM_MEMBER = "team_member"
    ADVOCACY_PROVIDER = "advocacy_provider"
    REPORT_VIEWER = "report_viewer"
    ADMIN = "admin"


ROLE_NAMES = {
    Role.COMPLAINTS_OFFICER: "Complaints officer",
    Role.TEAM_MANAGER: "Team manager",
    Role.TEAM_MEMBER: "Team member",
    Role.ADVOCACY_PROVIDER: "Advocacy provider",
    Role.REPORT_VIEWER: "Report viewer",
    Role.ADMIN: "Administrator",
}

# Roles that work on cases at all, and those that may change them.
CASE_ROLES = {
    Role.COMPLAINTS_OFFICER,
    Role.TEAM_MANAGER,
    Role.TEAM_MEMBER,
    Role.ADVOCACY_PROVIDER,
}


class StaffError(Exception):
    """A request about a staff account that cannot be carried out; says why."""


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def check_password_strength(password: str, email: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise StaffError(f"The password must be at least {MIN_PASSWORD_LENGTH} characters long.")
    if password.lower() in email.lower() or email.split("@")[0].lower() in password.lower():
        raise StaffError("The password must not contain the email address.")


def create_staff(
    session: Session,
    *,
    email: str,
    name: str,
    role: Role,
    password: str,
    teams: list[str],
    known_teams: set[str],
    now: datetime,
) -> StaffUser:
    email = email.strip().lower()
    if session.scalars(select(StaffUser).where(StaffUser.email == email)).first():
        raise StaffError(f"There is already an account for {email}.")
    unknown = sorted(set(teams) - known_teams)
    if unknown:
        raise StaffError(f"Not a team in teams.toml: {', '.join(unknown)}.")
    if role in {Role.TEAM_MANAGER, Role.TEAM_MEMBER} and not teams:
        raise StaffError("A team manager or member needs at least one --team.")
    check_password_strength(password, email)
    user = StaffUser(
        email=email,
        name=name.strip(),
        role=role.value,
        password_hash=hash_password(password),
        session_token=secrets.token_hex(16),
        created_at=now,
    )
    user.teams = [StaffTeam(team=team) for team in sorted(set(teams))]
    session.add(user)
    session.flush()
    return user


@dataclass(frozen=True)
class SignIn:
    user: StaffUser | None
    # "ok", "wrong", "locked", "disabled", "needs_code", "wrong_code"
    outcome: str


def sign_in(session: Session, email: str, password: str, code: str | None, now: datetime) -> SignIn:
    """Check a sign-in. Failures count towards a lock-out; the reason is not told apart
    to the person for a wrong email or password (so accounts cannot be discovered)."""
    user = session.scalars(
        select(StaffUser).where(StaffUser.email == email.strip().lower())
    ).first()
    if user is None:
        # Spend the same time as a real check, so timing does not reveal accounts.
        _hasher.hash(password or "-")
        return SignIn(None, "wrong")
    if user.locked_until is not None and user.locked_until > now:
        return SignIn(None, "locked")
    try:
        _hasher.verify(user.password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        if not user.disabled:
            _failed(user, now)
        return SignIn(None, "locked" if user.locked_until and user.locked_until > now else "wrong")
    # Said only to someone who knows the password, so it tells nobody else it exists.
    if user.disabled:
        return SignIn(None, "disabled")
    if user.totp_secret:
        if not code:
            return SignIn(user, "needs_code")
        if not pyotp.TOTP(user.totp_secret).verify(code.strip().replace(" ", ""), valid_window=1):
            _failed(user, now)
            return SignIn(None, "wrong_code")
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    user.failed_sign_ins = 0
    user.locked_until = None
    user.last_sign_in_at = now
    return SignIn(user, "ok")


def verify_code(user: StaffUser, code: str, now: datetime) -> bool:
    """The second step of signing in; a wrong code counts towards the lock-out."""
    if user.locked_until is not None and user.locked_until > now:
        return False
    cleaned = code.strip().replace(" ", "")
    if user.totp_secret and pyotp.TOTP(user.totp_secret).verify(cleaned, valid_window=1):
        user.failed_sign_ins = 0
        user.last_sign_in_at = now
        return True
    _failed(user, now)
    return False


def _failed(user: StaffUser, now: datetime) -> None:
    user.failed_sign_ins += 1
    if user.failed_sign_ins >= MAX_FAILED_SIGN_INS:
        user.locked_until = now + LOCK_OUT
        user.failed_sign_ins = 0


def reset_password(user: StaffUser, password: str) -> None:
    check_password_strength(password, user.email)
    user.password_hash = hash_password(password)
    user.must_change_password = True
    user.failed_sign_ins = 0
    user.locked_until = None
    # Every session signed in with the old password ends.
    rotate_session_token(user)


def disable(user: StaffUser) -> None:
    user.disabled = True
    rotate_session_token(user)


def rotate_session_token(user: StaffUser) -> None:
    """End every session this account has: each carries the token it signed in with."""
    user.session_token = secrets.token_hex(16)


def new_totp_secret() -> str:
    return pyotp.random_base32()


# What each role may see -----------------------------------------------------------------


def visible_cases(user: StaffUser) -> ColumnElement[bool]:
    """A WHERE clause selecting exactly the cases `user` may see."""
    role = Role(user.role)
    if role is Role.COMPLAINTS_OFFICER:
        return true()
    if role in {Role.TEAM_MANAGER, Role.TEAM_MEMBER}:
        teams = sorted(user.team_keys)
        if not teams:
            return false()
        return or_(
            Case.team.in_(teams),
            exists().where(and_(CaseTeam.case_id == Case.id, CaseTeam.team.in_(teams))),
        )
    if role is Role.ADVOCACY_PROVIDER:
        return or_(Case.kind == Kind.ADVOCACY_REQUEST.value, Case.advocate_requested.is_(True))
    return false()


def may_see(session: Session, user: StaffUser, case: Case) -> bool:
    found = session.scalars(select(Case.id).where(Case.id == case.id, visible_cases(user))).first()
    return found is not None


def may_change(user: StaffUser) -> bool:
    return Role(user.role) in CASE_ROLES
