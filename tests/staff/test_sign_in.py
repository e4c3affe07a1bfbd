"""Signing in and out: passwords, lock-out, disabled and reset accounts, the second factor."""

from __future__ import annotations

import time
from urllib.parse import parse_qs, urlsplit

import pyotp
import pytest
from sqlalchemy import select

from intake.extensions import db
from intake.models import StaffUser
from intake.staff.actions import ACTIONS
from tests.staff.helpers import (
    audit_trail,
    browser,
    from_the_form,
    sign_out,
    signed_in,
)
from tests.support import PARENT_COMPLAINT, STAFF_PASSWORD, make_staff, sign_in

OFFICER = "officer@example.org"
NOT_RIGHT = "The email address or password is not right"
LOCKED = (
    "This account is locked after too many attempts. Try again in 15 minutes, "
    "or ask an administrator to reset it."
)
DISABLED = "This account has been disabled. Ask an administrator."
WRONG_CODE = "That code is not right. Check the time on your phone and try again."
NEW_PASSWORD = "a quieter river at dawn"


@pytest.fixture
def officer(app, clock):
    return make_staff(email=OFFICER, role="complaints_officer", name="Robin Fictional")


def _user(email: str = OFFICER) -> StaffUser:
    db.session.expire_all()
    return db.session.scalars(select(StaffUser).where(StaffUser.email == email)).one()


def _set(email: str, **values) -> None:
    user = _user(email)
    for name, value in values.items():
        setattr(user, name, value)
    db.session.commit()
    db.session.remove()


def _attempt(client, email: str, password: str, next_: str | None = None):
    """Send the sign-in form (to the address it was opened at, with any `next`)."""
    url = "/staff/sign-in" + (f"?next={next_}" if next_ is not None else "")
    page = client.get(url)
    return client.client.post(
        url, data={"email": email, "password": password, "csrf_token": page.csrf_token}
    )


def _cli(app, *args: str, stdin: str | None = None):
    return app.test_cli_runner().invoke(args=["intake", "users", *args], input=stdin)


def _signed_out(client) -> bool:
    response = client.client.get("/staff/")
    return response.status_code == 302 and response.headers["Location"].startswith("/staff/sign-in")


def _wrong_code(secret: str) -> str:
    totp = pyotp.TOTP(secret)
    near = {totp.at(time.time() + 30 * step) for step in range(-3, 4)}
    return next(code for code in ("000000", "123456", "999999", "424242") if code not in near)


# Signed out ------------------------------------------------------------------------------

REFERENCE = "CS-2026-00001"
SIGNED_OUT_GETS = [
    "/staff/",
    "/staff/?state=overdue&team=assessment",
    f"/staff/cases/{REFERENCE}",
    f"/staff/cases/{REFERENCE}/export.json",
    f"/staff/cases/{REFERENCE}/print",
    *(f"/staff/cases/{REFERENCE}/{action}" for action in ACTIONS),
    "/staff/cases/CS-2026-99999",
    "/staff/cases/new",
    "/staff/new-password",
    "/staff/two-factor",
    "/staff/admin/users",
    "/staff/not-allowed",
]
SIGNED_OUT_POSTS = [
    *(f"/staff/cases/{REFERENCE}/{action}" for action in ACTIONS),
    "/staff/cases/new",
    "/staff/new-password",
    "/staff/two-factor",
    "/staff/admin/users/1/disable",
    "/staff/admin/users/1/require-2fa",
]


def test_every_staff_page_sends_a_signed_out_browser_to_sign_in(app, officer):
    from_the_form(app, PARENT_COMPLAINT)
    client = browser(app)
    token = client.get("/staff/sign-in").csrf_token
    wrong = []
    for method, url in [("GET", u) for u in SIGNED_OUT_GETS] + [
        ("POST", u) for u in SIGNED_OUT_POSTS
    ]:
        if method == "GET":
            response = client.client.get(url)
        else:
            response = client.client.post(url, data={"csrf_token": token, "on": ["1", "1", "2026"]})
        location = response.headers.get("Location", "")
        target = urlsplit(location)
        body = response.get_data(as_text=True)
        if (
            response.status_code != 302
            or target.path != "/staff/sign-in"
            or parse_qs(target.query).get("next") != [urlsplit(url).path]
            or "Amara" in body
            or "missed three planned visits" in body
            or response.headers.get("Cache-Control") != "no-store"
        ):
            wrong.append(f"{method} {url}: {response.status_code} {location}")
    assert wrong == []
    assert audit_trail() == []


def test_the_code_page_without_a_password_first_goes_back_to_sign_in(app, officer):
    response = browser(app).client.get("/staff/sign-in/code")
    assert response.status_code == 302
    assert response.headers["Location"] == "/staff/sign-in"


# Signing in ------------------------------------------------------------------------------


def test_signing_in_goes_to_the_queue(app, officer):
    client = browser(app)
    page = sign_in(client, OFFICER)

    assert page.status == 200
    assert page.path == "/staff/"
    assert page.h1 == "Cases"
    assert "Sign out (Robin Fictional)" in page.text()
    assert _user().last_sign_in_at is not None


def test_the_email_address_is_not_case_sensitive(app, officer):
    page = sign_in(browser(app), "  Officer@Example.ORG ")
    assert page.path == "/staff/"


def test_signing_in_from_a_page_goes_back_to_that_page(app, officer):
    reference = from_the_form(app, PARENT_COMPLAINT)
    client = browser(app)
    bounced = client.client.get(f"/staff/cases/{reference}")
    target = urlsplit(bounced.headers["Location"])
    next_ = parse_qs(target.query)["next"][0]

    response = _attempt(client, OFFICER, STAFF_PASSWORD, next_)

    assert response.status_code == 302
    assert response.headers["Location"] == f"/staff/cases/{reference}"
    assert client.get(response.headers["Location"]).h1.startswith(reference)


@pytest.mark.parametrize(
    "next_",
    [
        "https://evil.example.org/staff/",
        "//evil.example.org/staff/",
        "/\\evil.example.org",
        "%2F%2Fevil.example.org",
        "https:evil.example.org",
        "javascript:alert(1)",
        "/staff//evil.example.org",
        "/staff/..//evil.example.org",
    ],
)
def test_signing_in_never_goes_to_another_site(app, officer, next_):
    client = browser(app)
    response = _attempt(client, OFFICER, STAFF_PASSWORD, next_)

    assert response.status_code == 302
    assert response.headers["Location"] == "/staff/"


def test_a_wrong_password_and_an_unknown_email_get_the_same_answer(app, officer):
    client = browser(app)
    wrong_password = client.submit(
        "/staff/sign-in", {"email": OFFICER, "password": "not the password at all"}
    )
    unknown_email = client.submit(
        "/staff/sign-in", {"email": "nobody@example.org", "password": "not the password at all"}
    )

    assert wrong_password.status == unknown_email.status == 200
    assert wrong_password.errors == unknown_email.errors == [NOT_RIGHT]
    assert wrong_password.h1 == unknown_email.h1 == "Sign in"
    # The email typed is kept; the password never is.
    assert wrong_password.value_of("email") == OFFICER
    assert not wrong_password.value_of("password")
    assert _signed_out(client)


def test_empty_sign_in_boxes_say_what_to_enter(app, officer):
    page = browser(app).submit("/staff/sign-in", {"email": "", "password": ""})
    assert page.errors == ["Enter your email address", "Enter your password"]


def test_five_failures_lock_the_account_for_15_minutes(app, clock, officer):
    client = browser(app)
    for _ in range(4):
        page = client.submit("/staff/sign-in", {"email": OFFICER, "password": "guess guess guess"})
        assert page.errors == [NOT_RIGHT]

    fifth = client.submit("/staff/sign-in", {"email": OFFICER, "password": "guess guess guess"})
    assert fifth.errors == [LOCKED]

    # Even the right password is refused while it is locked, with the same clear message.
    right = client.submit("/staff/sign-in", {"email": OFFICER, "password": STAFF_PASSWORD})
    assert right.errors == [LOCKED]
    assert _signed_out(client)

    clock.advance(minutes=14)
    assert sign_in(client, OFFICER).errors == [LOCKED]

    clock.advance(minutes=2)
    assert sign_in(client, OFFICER).path == "/staff/"


def test_signing_in_clears_earlier_failures(app, officer):
    client = browser(app)
    for _ in range(2):
        for _ in range(4):
            client.submit("/staff/sign-in", {"email": OFFICER, "password": "guess guess guess"})
        assert sign_in(client, OFFICER).path == "/staff/"
        sign_out(client)
    assert _user().locked_until is None


# Disabled and reset accounts ------------------------------------------------------------------


def test_a_disabled_account_cannot_sign_in(app, officer):
    result = _cli(app, "disable", "--email", OFFICER)
    assert result.exit_code == 0, result.output

    client = browser(app)
    page = sign_in(client, OFFICER)

    assert page.errors == [DISABLED]
    assert _signed_out(client)


def test_a_disabled_account_is_not_revealed_to_someone_without_its_password(app, officer):
    _cli(app, "disable", "--email", OFFICER)
    client = browser(app)

    page = client.submit("/staff/sign-in", {"email": OFFICER, "password": "not the password"})

    assert page.errors == [NOT_RIGHT]


def test_an_account_disabled_while_signed_in_is_signed_out_on_its_next_request(app, officer):
    client = signed_in(app, OFFICER)
    assert client.get("/staff/").path == "/staff/"

    result = _cli(app, "disable", "--email", OFFICER)
    assert result.exit_code == 0, result.output

    assert _signed_out(client)
    page = client.get("/staff/")
    assert page.path == "/staff/sign-in"


def test_an_admin_disabling_an_account_ends_its_session(app, officer):
    make_staff(email="admin.user@example.org", role="admin")
    client = signed_in(app, OFFICER)
    admin = signed_in(app, "admin.user@example.org")
    user_id = _user().id
    db.session.remove()

    page = admin.get("/staff/admin/users")
    response = admin.client.post(
        f"/staff/admin/users/{user_id}/disable", data={"csrf_token": page.csrf_token}
    )

    assert response.status_code == 302
    assert _user().disabled
    assert _signed_out(client)
    assert ("staff:admin.user@example.org", "account_changed", None) in audit_trail()


def test_after_a_reset_the_old_session_ends_and_a_new_password_comes_first(app, officer):
    reference = from_the_form(app, PARENT_COMPLAINT)
    client = signed_in(app, OFFICER)

    # The password is typed at the prompt, twice (`--password-stdin` is tested with
    # `users create` in test_case_actions.py).
    result = _cli(app, "reset", "--email", OFFICER, stdin="given by admin ok\ngiven by admin ok\n")
    assert result.exit_code == 0, result.output
    assert "must choose a new password" in result.output

    # The session signed in before the reset has ended.
    assert _signed_out(client)
    # The old password no longer works.
    assert sign_in(client, OFFICER).errors == [NOT_RIGHT]

    page = sign_in(client, OFFICER, "given by admin ok")
    assert page.path == "/staff/new-password"
    assert page.title.startswith("Choose a new password")

    # Nothing else until a new password is chosen.
    for url in ("/staff/", f"/staff/cases/{reference}", "/staff/cases/new"):
        response = client.client.get(url)
        assert response.status_code == 302, url
        assert response.headers["Location"] == "/staff/new-password", url

    too_short = client.submit("/staff/new-password", {"password": "short one"})
    assert too_short.path == "/staff/new-password"
    assert too_short.errors == ["The password must be at least 12 characters long."]
    assert _user().must_change_password

    with_email = client.submit("/staff/new-password", {"password": "officer is my password"})
    assert with_email.errors == ["The password must not contain the email address."]

    empty = client.submit("/staff/new-password", {"password": ""})
    assert empty.errors == ["Enter a new password"]

    chosen = client.submit("/staff/new-password", {"password": NEW_PASSWORD})
    assert chosen.path == "/staff/"
    assert not _user().must_change_password
    assert client.get(f"/staff/cases/{reference}").status == 200

    sign_out(client)
    assert sign_in(client, OFFICER, "given by admin ok").errors == [NOT_RIGHT]
    assert sign_in(client, OFFICER, NEW_PASSWORD).path == "/staff/"


def test_a_reset_with_a_weak_password_fails_and_changes_nothing(app, officer):
    client = signed_in(app, OFFICER)

    result = _cli(app, "reset", "--email", OFFICER, stdin="short\nshort\n")

    assert result.exit_code != 0
    assert "The password must be at least 12 characters long." in result.output
    assert not _user().must_change_password
    assert not _signed_out(client)


# The second factor -----------------------------------------------------------------------------


def test_an_account_with_a_second_factor_is_asked_for_its_code(app, officer):
    secret = pyotp.random_base32()
    _set(OFFICER, totp_secret=secret)
    client = browser(app)

    page = sign_in(client, OFFICER)
    assert page.path == "/staff/sign-in/code"
    assert page.title.startswith("Enter your code")
    # The password alone does not sign in.
    assert _signed_out(client)

    wrong = client.submit("/staff/sign-in/code", {"code": _wrong_code(secret)})
    assert wrong.path == "/staff/sign-in/code"
    assert wrong.errors == [WRONG_CODE]
    assert _signed_out(client)

    right = client.submit("/staff/sign-in/code", {"code": pyotp.TOTP(secret).now()})
    assert right.path == "/staff/"
    assert right.h1 == "Cases"


def test_the_code_step_keeps_where_the_person_was_going(app, officer):
    reference = from_the_form(app, PARENT_COMPLAINT)
    secret = pyotp.random_base32()
    _set(OFFICER, totp_secret=secret)
    client = browser(app)

    response = _attempt(client, OFFICER, STAFF_PASSWORD, f"/staff/cases/{reference}")
    assert response.status_code == 302
    code_url = response.headers["Location"]
    assert urlsplit(code_url).path == "/staff/sign-in/code"

    page = client.get(code_url)
    done = client.client.post(
        code_url, data={"code": pyotp.TOTP(secret).now(), "csrf_token": page.csrf_token}
    )
    assert done.status_code == 302
    assert done.headers["Location"] == f"/staff/cases/{reference}"


def test_wrong_codes_lock_the_account_and_say_so(app, officer):
    secret = pyotp.random_base32()
    _set(OFFICER, totp_secret=secret)
    client = browser(app)
    sign_in(client, OFFICER)
    for _ in range(5):
        client.submit("/staff/sign-in/code", {"code": _wrong_code(secret)})

    assert _user().locked_until is not None
    right = client.submit("/staff/sign-in/code", {"code": pyotp.TOTP(secret).now()})
    assert _signed_out(client)
    # The person is told the account is locked, not that a right code is wrong.
    assert right.errors == [LOCKED]


def test_an_admin_can_require_a_second_factor_which_is_then_set_up(app, officer):
    make_staff(email="admin.user@example.org", role="admin", name="Alex Admin")
    admin = signed_in(app, "admin.user@example.org")
    user_id = _user().id
    db.session.remove()

    accounts = admin.get("/staff/admin/users")
    assert accounts.status == 200
    assert OFFICER in accounts.text()
    response = admin.client.post(
        f"/staff/admin/users/{user_id}/require-2fa", data={"csrf_token": accounts.csrf_token}
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/staff/admin/users"
    assert _user().totp_required
    assert ("staff:admin.user@example.org", "account_changed", None) in audit_trail()

    client = browser(app)
    page = sign_in(client, OFFICER)
    assert page.path == "/staff/two-factor"
    secret = page.soup.select_one("code.app-secret").get_text().strip()
    assert len(secret) >= 16
    assert f"secret={secret}" in page.text()
    assert "issuer=Exampleshire" in page.text()

    # Nothing else until it is set up; the key stays the same while setting up.
    for url in ("/staff/", "/staff/cases/new"):
        bounced = client.client.get(url)
        assert bounced.headers["Location"] == "/staff/two-factor", url
    again = client.get("/staff/two-factor")
    assert again.soup.select_one("code.app-secret").get_text().strip() == secret

    wrong = client.submit("/staff/two-factor", {"code": _wrong_code(secret)})
    assert wrong.errors == [WRONG_CODE]
    assert _user().totp_secret is None

    turned_on = client.submit("/staff/two-factor", {"code": pyotp.TOTP(secret).now()})
    assert turned_on.path == "/staff/"
    assert _user().totp_secret == secret

    # From now on, signing in asks for the code.
    sign_out(client)
    assert sign_in(client, OFFICER).path == "/staff/sign-in/code"


def test_requiring_a_second_factor_sends_a_signed_in_account_to_set_it_up(app, officer):
    client = signed_in(app, OFFICER)

    result = _cli(app, "require-2fa", "--email", OFFICER)
    assert result.exit_code == 0, result.output

    response = client.client.get("/staff/")
    assert response.status_code == 302
    assert response.headers["Location"] == "/staff/two-factor"


def test_the_accounts_page_lists_team_members_with_their_teams(app, officer):
    make_staff(email="admin.user@example.org", role="admin")
    make_staff(email="member.assessment@example.org", role="team_member", teams=("assessment",))
    admin = signed_in(app, "admin.user@example.org")

    page = admin.get("/staff/admin/users")

    assert page.status == 200
    assert "member.assessment@example.org" in page.text()
    assert "Team member: Assessment" in page.text()


def test_an_admin_cannot_disable_their_own_account_but_can_enable_another(app, officer):
    make_staff(email="admin.user@example.org", role="admin")
    admin = signed_in(app, "admin.user@example.org")
    own_id = _user("admin.user@example.org").id
    _set(OFFICER, disabled=True)
    officer_id = _user().id
    db.session.remove()
    token = admin.get("/staff/admin/users").csrf_token

    own = admin.client.post(f"/staff/admin/users/{own_id}/disable", data={"csrf_token": token})
    enabled = admin.client.post(
        f"/staff/admin/users/{officer_id}/enable", data={"csrf_token": token}
    )

    assert own.status_code == 400
    assert not _user("admin.user@example.org").disabled
    assert enabled.status_code == 302
    assert not _user().disabled
    assert sign_in(browser(app), OFFICER).path == "/staff/"


def test_only_an_admin_sees_the_accounts_page(app, officer):
    client = signed_in(app, OFFICER)
    user_id = _user().id
    db.session.remove()
    assert client.get("/staff/admin/users").status == 404
    token = client.get("/staff/").csrf_token
    response = client.client.post(
        f"/staff/admin/users/{user_id}/require-2fa", data={"csrf_token": token}
    )
    assert response.status_code == 404
    assert not _user().totp_required


# Signing out ---------------------------------------------------------------------------------


def test_signing_out_ends_the_session(app, officer):
    reference = from_the_form(app, PARENT_COMPLAINT)
    client = signed_in(app, OFFICER)
    assert client.get(f"/staff/cases/{reference}").status == 200

    page = sign_out(client)

    assert page.path == "/staff/sign-in"
    assert "Sign out" not in page.text()
    response = client.client.get(f"/staff/cases/{reference}")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/staff/sign-in")


def test_a_copy_of_the_session_cookie_is_useless_after_signing_out(app, officer):
    client = signed_in(app, OFFICER)
    copied = client.client.get_cookie("intake_session").value

    sign_out(client)

    thief = browser(app)
    thief.client.set_cookie("intake_session", copied)
    assert _signed_out(thief)


def test_signing_out_needs_a_post_with_the_csrf_token(app, officer):
    client = signed_in(app, OFFICER)

    assert client.client.get("/staff/sign-out").status_code == 405
    assert client.client.post("/staff/sign-out", data={}).status_code == 400
    assert not _signed_out(client)


# Headers and CSRF ------------------------------------------------------------------------------


def test_staff_pages_are_never_cached(app, officer):
    reference = from_the_form(app, PARENT_COMPLAINT)
    make_staff(email="admin.user@example.org", role="admin")
    client = signed_in(app, OFFICER)
    admin = signed_in(app, "admin.user@example.org")

    for who, url in [
        (browser(app), "/staff/sign-in"),
        (client, "/staff/"),
        (client, f"/staff/cases/{reference}"),
        (client, f"/staff/cases/{reference}/export.json"),
        (client, f"/staff/cases/{reference}/print"),
        (client, f"/staff/cases/{reference}/acknowledge"),
        (client, "/staff/cases/new"),
        (client, "/staff/cases/CS-2026-99999"),
        (client, "/staff/new-password"),
        (admin, "/staff/admin/users"),
    ]:
        response = who.client.get(url)
        assert response.status_code in {200, 404}, url
        assert response.headers.get("Cache-Control") == "no-store", url


@pytest.mark.parametrize("token", [None, "", "not-a-real-token"])
def test_the_sign_in_form_needs_its_csrf_token(app, officer, token):
    client = browser(app)
    client.get("/staff/sign-in")
    data = {"email": OFFICER, "password": STAFF_PASSWORD}
    if token is not None:
        data["csrf_token"] = token

    response = client.client.post("/staff/sign-in", data=data)

    assert response.status_code == 400
    assert "Sorry, your session has ended" in response.get_data(as_text=True)
    assert _signed_out(client)
    assert _user().last_sign_in_at is None


def test_a_token_from_another_browser_is_refused(app, officer):
    other = browser(app).get("/staff/sign-in").csrf_token
    client = browser(app)
    client.get("/staff/sign-in")

    response = client.client.post(
        "/staff/sign-in", data={"email": OFFICER, "password": STAFF_PASSWORD, "csrf_token": other}
    )

    assert response.status_code == 400
    assert _signed_out(client)
