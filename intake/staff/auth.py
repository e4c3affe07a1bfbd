"""Signing staff in and out (Flask-Login), and knowing who is signed in."""

from __future__ import annotations

from typing import Any

from flask_login import UserMixin, current_user

from intake.extensions import db, login_manager
from intake.models import StaffUser


class SignedIn(UserMixin):  # type: ignore[misc]
    """A signed-in member of staff. The session holds the account's id and its current
    session token, so a password reset or a disabled account ends every session."""

    def __init__(self, user: StaffUser) -> None:
        self.user = user

    def get_id(self) -> str:
        return f"{self.user.id}:{self.user.session_token}"


@login_manager.user_loader
def _load(session_id: str) -> SignedIn | None:
    user_id, _, token = session_id.partition(":")
    if not user_id.isdigit():
        return None
    user = db.session.get(StaffUser, int(user_id))
    if user is None or user.disabled or user.session_token != token:
        return None
    return SignedIn(user)


def staff() -> StaffUser:
    """The signed-in member of staff (views behind `require_sign_in` only)."""
    signed_in: Any = current_user
    user: StaffUser = signed_in.user
    return user
