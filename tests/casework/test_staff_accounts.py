"""Staff accounts: making them, signing in, lock-out, the second factor, and what each
role may see. Also: an audit entry, once written, cannot be changed or removed.

Every person and address here is fictional.
"""

from __future__ import annotations

from datetime import timedelta

import pyotp
import pytest
from argon2 import PasswordHasher
from sqlalchemy import select

from intake.casework.audit import record_audit
from intake.casework.staff import (
    LOCK_OUT,
    MAX_FAILED_SIGN_INS,
    Role,
    StaffError,
    create_staff,
    disable,
    may_change,
    may_see,
    new_totp_secret,
    reset_password,
    sign_in,
    verify_code,
    visible_cases,
)
from intake.casework.vocabulary import Kind
from intake.casework.vocabulary import Role as Complainant
from intake.casework.workflow import involve, reroute
from intake.extensions import db
from intake.models import AuditEntry, Case, StaffUser
from tests.casework.staffside import OFFICER, new_case
from tests.support import STAFF_PASSWORD, london, make_staff

NOW = london(2026, 11, 23, 10)
EMAIL = "sam.fictional@example.org"


@pytest.fixture
def known_teams(app) -> set[str]:
    return {t.key for t in app.extensions["intake.routing"].teams}


def new_staff(known_teams, **given):
    details = {
        "email": EMAIL,
        "name": "Sam Fictional",
        "role": Role.TEAM_MEMBER,
        "password": STAFF_PASSWORD,
        "teams": ["assessment"],
        "known_teams": known_teams,
        "now": NOW,
        **given,
    }
    user = create_staff(db.session, **details)
    db.session.commit()
    return user


# --- making accounts ---------------------------------------------------------------------


def test_create_staff_makes_an_account_with_its_teams(app, known_teams):
    user = new_staff(
        known_teams,
        email="  Sam.Fictional@Example.ORG ",
        teams=["send", "assessment", "send"],
    )

    stored = db.session.scalars(select(StaffUser).where(StaffUser.id == user.id)).one()
    assert stored.email == EMAIL
    assert stored.name == "Sam Fictional"
    assert stored.role == "team_member"
    assert stored.team_keys == {"assessment", "send"}
    assert [t.team for t in stored.teams] == ["assessment", "send"]
    assert stored.disabled is False
    assert stored.must_change_password is False
    assert stored.failed_sign_ins == 0
    assert len(stored.session_token) == 32


def test_the_password_is_stored_as_an_argon2_hash_never_as_itself(app, known_teams):
    user = new_staff(known_teams)

    assert user.password_hash.startswith("$argon2id$")
    assert STAFF_PASSWORD not in user.password_hash
    assert PasswordHasher().verify(user.password_hash, STAFF_PASSWORD)
    other = new_staff(known_teams, email="alex.fictional@example.org")
    # Salted: the same password never gives the same hash.
    assert other.password_hash != user.password_hash


@pytest.mark.parametrize(
    ("given", "message"),
    [
        ({"teams": ["assessment", "swimming"]}, "Not a team in teams.toml: swimming."),
        ({"teams": []}, "A team manager or member needs at least one --team."),
        (
            {"role": Role.TEAM_MANAGER, "teams": []},
            "A team manager or member needs at least one --team.",
        ),
        ({"password": "Short pass1"}, "The password must be at least 12 characters long."),
        ({"password": ""}, "The password must be at least 12 characters long."),
        (
            {"password": "sam.fictional-2026!"},
            "The password must not contain the email address.",
        ),
        (
            {"password": "My SAM.FICTIONAL password"},
            "The password must not contain the email address.",
        ),
        (
            {"password": "sam.fictional@example.org"},
            "The password must not contain the email address.",
        ),
    ],
)
def test_create_staff_refuses(app, known_teams, given, message):
    with pytest.raises(StaffError, match=f"^{message.replace('.', '[.]')}$"):
        new_staff(known_teams, **given)
    db.session.rollback()
    assert db.session.scalars(select(StaffUser)).all() == []


def test_an_email_address_has_one_account(app, known_teams):
    new_staff(known_teams)
    with pytest.raises(StaffError, match=f"^There is already an account for {EMAIL}[.]$"):
        new_staff(known_teams, email="SAM.Fictional@example.org", role=Role.ADMIN, teams=[])


@pytest.mark.parametrize(
    "role",
    [Role.COMPLAINTS_OFFICER, Role.ADVOCACY_PROVIDER, Role.REPORT_VIEWER, Role.ADMIN],
)
def test_roles_without_a_team_need_none(app, known_teams, role):
    user = new_staff(known_teams, role=role, teams=[])
    assert user.team_keys == set()


# --- signing in --------------------------------------------------------------------------


def test_sign_in_with_the_right_password(app, known_teams):
    user = new_staff(known_teams)

    result = sign_in(db.session, " SAM.fictional@example.org ", STAFF_PASSWORD, None, NOW)

    assert (result.outcome, result.user) == ("ok", user)
    assert user.last_sign_in_at == NOW


def test_a_wrong_password_and_an_unknown_email_look_the_same(app, known_teams):
    user = new_staff(known_teams)

    wrong = sign_in(db.session, EMAIL, "not the right password", None, NOW)
    unknown = sign_in(db.session, "nobody@example.org", STAFF_PASSWORD, None, NOW)

    assert (wrong.outcome, wrong.user) == ("wrong", None)
    assert (unknown.outcome, unknown.user) == ("wrong", None)
    assert user.failed_sign_ins == 1
    assert user.last_sign_in_at is None


def test_a_disabled_account_cannot_sign_in(app, known_teams):
    user = new_staff(known_teams)
    token = user.session_token

    disable(user)
    db.session.commit()

    assert user.disabled is True
    assert user.session_token != token  # every session it had ends
    result = sign_in(db.session, EMAIL, STAFF_PASSWORD, None, NOW)
    assert (result.outcome, result.user) == ("disabled", None)


def test_five_failures_lock_the_account_for_15_minutes(app, known_teams):
    assert (5, timedelta(minutes=15)) == (MAX_FAILED_SIGN_INS, LOCK_OUT)
    user = new_staff(known_teams)

    outcomes = []
    for attempt in range(5):
        moment = NOW + timedelta(seconds=attempt)
        outcomes.append(sign_in(db.session, EMAIL, f"guess number {attempt}", None, moment).outcome)
    db.session.commit()
    fifth = NOW + timedelta(seconds=4)

    # The fifth failure locks the account, and says so.
    assert outcomes == ["wrong", "wrong", "wrong", "wrong", "locked"]
    assert user.locked_until == fifth + timedelta(minutes=15)

    # The sixth attempt, with the right password, is still locked out ...
    sixth = sign_in(db.session, EMAIL, STAFF_PASSWORD, None, fifth + timedelta(minutes=1))
    assert (sixth.outcome, sixth.user) == ("locked", None)
    almost = fifth + timedelta(minutes=15) - timedelta(seconds=1)
    assert sign_in(db.session, EMAIL, STAFF_PASSWORD, None, almost).outcome == "locked"

    # ... and 15 minutes after the fifth failure, the right password works again.
    later = sign_in(db.session, EMAIL, STAFF_PASSWORD, None, fifth + timedelta(minutes=15))
    assert (later.outcome, later.user) == ("ok", user)
    assert user.locked_until is None
    assert user.failed_sign_ins == 0


def test_a_good_sign_in_starts_the_count_again(app, known_teams):
    user = new_staff(known_teams)
    for attempt in range(4):
        sign_in(db.session, EMAIL, "wrong wrong wrong", None, NOW + timedelta(seconds=attempt))
    assert sign_in(db.session, EMAIL, STAFF_PASSWORD, None, NOW + timedelta(minutes=1)).outcome == (
        "ok"
    )
    for attempt in range(4):
        result = sign_in(
            db.session,
            EMAIL,
            "wrong wrong wrong",
            None,
            NOW + timedelta(minutes=2, seconds=attempt),
        )
        assert result.outcome == "wrong"
    assert user.locked_until is None


# --- the second factor -------------------------------------------------------------------


def _not_a_valid_code(secret: str) -> str:
    totp = pyotp.TOTP(secret)
    for candidate in ("000000", "111111", "222222", "333333"):
        if not totp.verify(candidate, valid_window=1):
            return candidate
    raise AssertionError("unreachable: four codes cannot all be valid at once")


@pytest.fixture
def with_code(app, known_teams) -> StaffUser:
    user = new_staff(known_teams)
    user.totp_secret = new_totp_secret()
    db.session.commit()
    return user


def test_with_a_second_factor_the_password_alone_asks_for_a_code(with_code):
    result = sign_in(db.session, EMAIL, STAFF_PASSWORD, None, NOW)

    assert (result.outcome, result.user) == ("needs_code", with_code)
    assert with_code.failed_sign_ins == 0
    assert with_code.last_sign_in_at is None


def test_a_wrong_code_counts_as_a_failure(with_code):
    wrong = _not_a_valid_code(with_code.totp_secret)

    result = sign_in(db.session, EMAIL, STAFF_PASSWORD, wrong, NOW)

    assert (result.outcome, result.user) == ("wrong_code", None)
    assert with_code.failed_sign_ins == 1


def test_a_real_code_signs_in(with_code):
    code = pyotp.TOTP(with_code.totp_secret).now()

    result = sign_in(db.session, EMAIL, STAFF_PASSWORD, f" {code[:3]} {code[3:]} ", NOW)

    assert (result.outcome, result.user) == ("ok", with_code)


def test_a_wrong_password_with_a_real_code_is_still_wrong(with_code):
    code = pyotp.TOTP(with_code.totp_secret).now()
    assert sign_in(db.session, EMAIL, "not the password", code, NOW).outcome == "wrong"


def test_five_wrong_codes_lock_the_account(with_code):
    wrong = _not_a_valid_code(with_code.totp_secret)
    outcomes = [sign_in(db.session, EMAIL, STAFF_PASSWORD, wrong, NOW).outcome for _ in range(5)]
    assert outcomes == ["wrong_code"] * 5
    assert with_code.locked_until == NOW + timedelta(minutes=15)

    code = pyotp.TOTP(with_code.totp_secret).now()
    assert sign_in(db.session, EMAIL, STAFF_PASSWORD, code, NOW).outcome == "locked"


def test_verify_code_is_the_second_step(with_code):
    secret = with_code.totp_secret
    assert verify_code(with_code, _not_a_valid_code(secret), NOW) is False
    assert with_code.failed_sign_ins == 1
    assert verify_code(with_code, pyotp.TOTP(secret).now(), NOW) is True
    assert with_code.failed_sign_ins == 0
    assert with_code.last_sign_in_at == NOW

    with_code.locked_until = NOW + timedelta(minutes=5)
    assert verify_code(with_code, pyotp.TOTP(secret).now(), NOW) is False


# --- resetting a password ----------------------------------------------------------------


def test_reset_password_ends_every_session_and_asks_for_a_new_password(app, known_teams):
    user = new_staff(known_teams)
    for attempt in range(5):
        sign_in(db.session, EMAIL, "wrong wrong wrong", None, NOW + timedelta(seconds=attempt))
    assert user.locked_until is not None
    token = user.session_token

    with pytest.raises(StaffError, match="at least 12 characters"):
        reset_password(user, "too short")
    with pytest.raises(StaffError, match="must not contain the email address"):
        reset_password(user, "sam.fictional is my name")
    assert user.session_token == token

    reset_password(user, "a brand new fictional passphrase")
    db.session.commit()

    assert user.session_token != token
    assert user.must_change_password is True
    assert (user.locked_until, user.failed_sign_ins) == (None, 0)
    assert sign_in(db.session, EMAIL, STAFF_PASSWORD, None, NOW).outcome == "wrong"
    assert sign_in(db.session, EMAIL, "a brand new fictional passphrase", None, NOW).outcome == "ok"


# --- what each role may see --------------------------------------------------------------


@pytest.fixture
def cases(app, clock) -> dict[str, Case]:
    routing = app.extensions["intake.routing"]
    made = {
        "assessment": new_case(service_area="assessment"),
        # Led by children in care, with the assessment team involved.
        "children_in_care": new_case(service_area="children_in_care"),
        "send": new_case(service_area="send"),
        "advocacy_request": new_case(
            kind=Kind.ADVOCACY_REQUEST, role=Complainant.YOUNG_PERSON, service_area=None
        ),
        "advocate_requested": new_case(
            service_area="care_leavers", role=Complainant.YOUNG_PERSON, advocate_requested=True
        ),
        "safeguarding": new_case(safeguarding=True, service_area="early_help"),
    }
    involve(routing, made["children_in_care"], team="assessment", actor=OFFICER, at=NOW)
    db.session.commit()
    assert {name: case.team for name, case in made.items()} == {
        "assessment": "assessment",
        "children_in_care": "children_in_care",
        "send": "send",
        "advocacy_request": "advocacy",
        "advocate_requested": "care_leavers",
        "safeguarding": "front_door",
    }
    return made


def seen_by(user: StaffUser, cases: dict[str, Case]) -> set[str]:
    ids = set(db.session.scalars(select(Case.id).where(visible_cases(user))).all())
    return {name for name, case in cases.items() if case.id in ids}


ALL = {
    "assessment",
    "children_in_care",
    "send",
    "advocacy_request",
    "advocate_requested",
    "safeguarding",
}

VISIBILITY = [
    ("complaints_officer", (), ALL),
    ("team_manager", ("assessment",), {"assessment", "children_in_care"}),
    ("team_member", ("assessment",), {"assessment", "children_in_care"}),
    ("team_member", ("children_in_care",), {"children_in_care"}),
    ("team_manager", ("send",), {"send"}),
    ("team_member", ("care_leavers", "front_door"), {"advocate_requested", "safeguarding"}),
    ("team_member", ("youth_justice",), set()),
    ("advocacy_provider", (), {"advocacy_request", "advocate_requested"}),
    ("report_viewer", (), set()),
    ("admin", (), set()),
]


@pytest.mark.parametrize(("role", "teams", "expected"), VISIBILITY)
def test_each_role_sees_exactly_its_cases(app, cases, role, teams, expected):
    user = make_staff(
        email=f"{role}.{'.'.join(teams) or 'all'}@example.org", role=role, teams=teams
    )

    assert seen_by(user, cases) == expected
    for name, case in cases.items():
        assert may_see(db.session, user, case) is (name in expected), name


@pytest.mark.parametrize(
    ("role", "changes"),
    [
        ("complaints_officer", True),
        ("team_manager", True),
        ("team_member", True),
        ("advocacy_provider", True),
        ("report_viewer", False),
        ("admin", False),
    ],
)
def test_only_case_roles_may_change_cases(app, role, changes):
    teams = ("assessment",) if role.startswith("team_") else ()
    user = make_staff(email=f"{role}@example.org", role=role, teams=teams)
    assert may_change(user) is changes


def test_a_team_member_whose_teams_were_taken_away_sees_nothing(app, cases):
    user = make_staff(email="former.member@example.org", role="team_member", teams=("send",))
    user.teams = []
    db.session.commit()

    assert seen_by(user, cases) == set()


def test_after_a_reroute_the_old_lead_team_no_longer_sees_the_case(app, cases):
    routing = app.extensions["intake.routing"]
    member = make_staff(
        email="assessment.member@example.org", role="team_member", teams=("assessment",)
    )
    reroute(
        routing,
        cases["assessment"],
        team="child_in_need",
        reason="It is about the child protection plan",
        actor=OFFICER,
        at=NOW,
    )
    db.session.commit()

    assert seen_by(member, cases) == {"children_in_care"}
    new_lead = make_staff(
        email="cin.member@example.org", role="team_member", teams=("child_in_need",)
    )
    assert seen_by(new_lead, cases) == {"assessment"}


# --- the audit trail ---------------------------------------------------------------------


def test_an_audit_entry_cannot_be_edited_or_deleted(app, clock):
    case = new_case()
    entry = record_audit(
        db.session, actor=OFFICER, action="opened", case=case, detail={"page": "case"}
    )
    db.session.commit()
    entry_id = entry.id
    assert (entry.case_id, entry.case_reference) == (case.id, case.reference)

    entry.action = "nothing to see"
    with pytest.raises(PermissionError, match="audit entries cannot be edited or deleted"):
        db.session.flush()
    db.session.rollback()

    db.session.delete(db.session.get(AuditEntry, entry_id))
    with pytest.raises(PermissionError, match="audit entries cannot be edited or deleted"):
        db.session.flush()
    db.session.rollback()

    db.session.expire_all()
    stored = db.session.scalars(select(AuditEntry)).all()
    assert [(e.id, e.actor, e.action, e.detail) for e in stored] == [
        (entry_id, OFFICER, "opened", {"page": "case"})
    ]


def test_outside_the_test_suite_passwords_get_argon2s_full_settings(monkeypatch):
    from intake import create_app
    from intake.casework.staff import hash_password

    monkeypatch.setenv("INTAKE_ENV", "production")
    create_app({"SECRET_KEY": "fictional", "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    try:
        hashed = hash_password("a long fictional passphrase")
        defaults = PasswordHasher()
        assert f"m={defaults.memory_cost},t={defaults.time_cost},p={defaults.parallelism}" in (
            hashed
        )
    finally:
        monkeypatch.setenv("INTAKE_ENV", "testing")
        create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"})
