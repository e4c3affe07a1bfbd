"""Random and hostile input at every public form field and at the webhook: never a 5xx.

Hypothesis throws unicode of every kind (right-to-left, combining marks, control
characters, emoji), huge values, markup and script, SQL fragments, malformed dates and
phone numbers. Every field of every page, on every path through the form (an advocate's
page, a young person's, a letter's address, a compliment's "who to thank", another
language, an interpreter), every equality monitoring question and the web chat's message
each get a test of their own: no field is left to chance. The page is reached the way a
person reaches it, then attacked example after example in the same session.

Each answer is either taken (a redirect to the next page: the answer saved, tidied, and
nothing else changed), or refused politely (the page again with its error summary, or a
polite 4xx page) with nothing saved at all. Whatever is stored renders as text:
test_security.py in tests/browser opens the staff pages in Chromium to prove it.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select
from wtforms.fields.core import UnboundField

from intake.extensions import db
from intake.models import Case, EqualityResponse, FormDraft, InboundMessage
from tests.sms.helpers import Webhooks, inbound_rows
from tests.sms.twilio_client import new_sid
from tests.support import ADVOCATE_COMPLAINT, PARENT_COMPLAINT, FormClient, Page, answers, send
from tests.web.helpers import reach

HOSTILE_TEXT = [
    "<script>alert(1)</script>",
    "<img src=x onerror=\"window.__pwned='img'\">",
    '"><svg onload=alert(1)>',
    "javascript:alert(document.cookie)",
    "'; DROP TABLE cases; --",
    '" OR 1=1 --',
    "1; SELECT pg_sleep(10); --",
    "Robert'); DELETE FROM form_drafts WHERE ('1'='1",
    "%(name)s {reference} {{ 7*7 }} ${7*7}",
    "../../etc/passwd",
    "\u202eevil\u202c",
    "\u200f\u200e\u2066\u2069",
    "\x00\x01\x02\x1b[31m",
    "&lt;b&gt; &amp; &#x3C;script&#x3E;",
]
MALFORMED_PHONES = [
    "07700 900 123 456 789",
    "+44+44",
    "+44 (0) 7700 900123",
    "00447700900123",
    "tel:+447700900123",
    "+1-800-FLOWERS",
    "٠٧٧٠٠٩٠٠١٢٣",  # Arabic-Indic digits
    "０７７００ ９００１２３",  # fullwidth digits
    "9" * 400,
]
MALFORMED_DATES = [
    "31/02/2026",
    "2015-06-14",
    "14th",
    "-1",
    "0",
    "1e3",
    "1e309",
    "NaN",
    "inf",
    "99999999999999999999",
    "２０１５",
]
HOSTILE = st.sampled_from(HOSTILE_TEXT + MALFORMED_PHONES + MALFORMED_DATES)
VALUES = st.one_of(
    st.text(max_size=300),
    st.text(alphabet=st.characters(codec="utf-8"), min_size=1000, max_size=20_000),
    HOSTILE,
    st.lists(st.one_of(st.text(max_size=40), HOSTILE), max_size=5),
)
# Over the 1 MB a request may carry: the polite "too long" page, for every field.
HUGE = "x" * (1024 * 1024 + 1)
SCRIPT = "<script>window.__pwned = 1</script>"
SQL = "'; DROP TABLE cases; --"
# The same examples on every run, so CI never fails by chance; run with
# `--hypothesis-seed=random` (or raise max_examples) to explore further by hand.
SETTINGS = settings(
    max_examples=20,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
# What pages may say when they refuse a whole request.
POLITE_PAGES = {
    400: {"Sorry, there is a problem with what was sent", "Sorry, your session has ended"},
    413: {"What you sent is too long"},
}
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")


# Every path through the form, so that every page and every field is met.
BY_TEXT = answers(
    PARENT_COMPLAINT,
    how_to_reply={"name": "Jo Example", "reply_method": "text_message", "mobile": "07700 900123"},
)
BY_PHONE = answers(
    PARENT_COMPLAINT,
    how_to_reply={"name": "Jo Example", "reply_method": "phone", "phone": "01632 960 001"},
)
BY_LETTER = answers(
    PARENT_COMPLAINT,
    how_to_reply={
        "name": "Jo Example",
        "reply_method": "letter",
        "address_line_1": "1 Example Street",
        "address_line_2": "Flat 2",
        "town": "Exampletown",
        "postcode": "AA1 1AA",
    },
)
IN_ANOTHER_LANGUAGE = answers(
    PARENT_COMPLAINT, language={"language": "other", "other_language": "Tigrinya"}
)
WITH_NEEDS = answers(
    PARENT_COMPLAINT,
    help_to_read_or_talk={
        "needs": ["interpreter", "other"],
        "interpreter_language": "Tigrinya",
        "other_need": "Someone to read it to me",
    },
)
YOUNG_PERSON = answers(
    PARENT_COMPLAINT,
    who_you_are={"role": "young_person"},
    about_the_child={"first_name": "Kai", "date_of_birth": ["2", "3", "2010"], "age": ""},
)
THANKS = answers(
    PARENT_COMPLAINT,
    what_you_want_to_do={"kind": "compliment"},
    what_happened={"details": "Our worker was kind and listened.", "worker_named": "Jo"},
    how_to_reply={"name": "", "reply_method": "none"},
)
COMMENT = answers(PARENT_COMPLAINT, what_you_want_to_do={"kind": "comment"})
ADVOCACY = answers(PARENT_COMPLAINT, what_you_want_to_do={"kind": "advocacy_request"})


@dataclass(frozen=True)
class Target:
    """One field on one page, reached by one path through the form."""

    path: str
    pages: dict[str, dict[str, Any]]
    slug: str
    field: str
    part: int | None = None  # the day (0), month (1) or year (2) box of a date

    @property
    def name(self) -> str:
        part = "" if self.part is None else f"[{('day', 'month', 'year')[self.part]}]"
        return f"{self.path}:{self.slug}:{self.field}{part}"

    def data(self, value: Any) -> dict[str, Any]:
        sent = dict(self.pages[self.slug])
        if self.part is None:
            sent[self.field] = value
        else:
            boxes = list(sent[self.field])
            boxes[self.part] = value if isinstance(value, str) else " ".join(value)
            sent[self.field] = boxes
        return sent


def _targets(path: str, pages: dict[str, dict[str, Any]], fields: dict[str, list[str]]):
    found = []
    for slug, names in fields.items():
        for name in names:
            found.append(Target(path, pages, slug, name))
            if name == "date_of_birth":
                found += [Target(path, pages, slug, name, part) for part in range(3)]
    return found


TARGETS = [
    # A parent's complaint answered by email: every page of the usual path.
    *_targets("parent", PARENT_COMPLAINT, {slug: list(d) for slug, d in PARENT_COMPLAINT.items()}),
    *_targets("by text", BY_TEXT, {"how-to-reply": ["mobile"]}),
    *_targets("by phone", BY_PHONE, {"how-to-reply": ["phone"]}),
    *_targets(
        "by letter",
        BY_LETTER,
        {"how-to-reply": ["address_line_1", "address_line_2", "town", "postcode"]},
    ),
    *_targets("other language", IN_ANOTHER_LANGUAGE, {"language": ["other_language"]}),
    *_targets(
        "needs", WITH_NEEDS, {"help-to-read-or-talk": ["interpreter_language", "other_need"]}
    ),
    *_targets(
        "advocate",
        ADVOCATE_COMPLAINT,
        {"your-advocacy-service": ["organisation", "child_consent", "child_wants_contact"]},
    ),
    *_targets(
        "young person",
        YOUNG_PERSON,
        {"about-the-child": ["first_name", "date_of_birth", "age"], "help-they-get": ["statuses"]},
    ),
    *_targets(
        "thanks",
        THANKS,
        {"what-happened": ["details", "worker_named"], "how-to-reply": ["reply_method"]},
    ),
    *_targets("comment", COMMENT, {"what-happened": ["details"]}),
    *_targets("advocacy request", ADVOCACY, {"what-happened": ["details"]}),
]


def test_the_targets_cover_every_field_of_every_form():
    """Every field of every question page's form is attacked (a new field, or a new
    form, fails here)."""
    from forms import public
    from forms.base import QuestionForm

    question_forms = [
        value
        for value in vars(public).values()
        if isinstance(value, type)
        and issubclass(value, QuestionForm)
        and value.__module__ == public.__name__
    ]
    declared = {
        name
        for form in question_forms
        for klass in form.__mro__
        for name, value in vars(klass).items()
        if isinstance(value, UnboundField)
    }
    assert declared == {t.field for t in TARGETS}
    slugs = {t.slug for t in TARGETS}
    from intake.web.journey import STEPS

    assert {step.slug for step in STEPS} <= slugs


def _draft_answers() -> dict[str, Any]:
    db.session.expire_all()
    draft = db.session.scalars(select(FormDraft).order_by(FormDraft.id.desc())).first()
    db.session.rollback()
    return dict(draft.answers) if draft else {}


def _count(model: type) -> int:
    db.session.rollback()
    return db.session.scalar(select(func.count()).select_from(model)) or 0


def _has_control_characters(saved: Any) -> bool:
    if isinstance(saved, str):
        return bool(CONTROL.search(saved))
    if isinstance(saved, list):
        return any(_has_control_characters(item) for item in saved)
    return False


def _refused_politely(page: Page, where: str) -> None:
    if page.status == 200:
        assert page.errors, f"{where}: 200 but no error summary"
        assert page.title.startswith("Error:"), f"{where}: {page.title!r}"
    else:
        assert page.status in POLITE_PAGES, f"{where}: answered {page.status}"
        assert page.h1 in POLITE_PAGES[page.status], f"{where}: {page.h1!r}"


@pytest.mark.parametrize("target", TARGETS, ids=lambda t: t.name)
def test_no_value_in_any_form_field_gets_a_server_error(app, clock, target):
    client = FormClient(app.test_client())
    page = reach(client, target.slug, target.pages)
    token = page.csrf_token
    cases = _count(Case)

    @SETTINGS
    @given(value=VALUES)
    @example(value=HUGE)
    @example(value=SCRIPT)
    @example(value=SQL)
    @example(value="")
    def attack(value: Any) -> None:
        before = _draft_answers()
        sent = target.data(value)
        answer = client.post(page.path, {**sent, "csrf_token": token}, follow=False)
        where = f"{target.name} = {str(value)[:80]!r}"
        assert answer.status < 500, where
        after = _draft_answers()
        if answer.status in {302, 303}:
            # Taken: this page's answer saved, tidied, and nothing else touched.
            assert {k: v for k, v in after.items() if k != target.slug} == {
                k: v for k, v in before.items() if k != target.slug
            }, where
            assert not _has_control_characters(after[target.slug]), where
            # Put the page back as the path had it, for the next example.
            restored = client.post(
                page.path, {**target.pages[target.slug], "csrf_token": token}, follow=False
            )
            assert restored.status == 302, where
        else:
            _refused_politely(answer, where)
            assert after == before, f"{where}: half saved"
        assert _count(Case) == cases, where

    attack()


EQUALITY = ("age_band", "gender", "disability", "ethnicity", "religion", "sexuality")


@pytest.mark.parametrize("question", EQUALITY)
def test_no_value_in_any_equality_question_gets_a_server_error(app, clock, question):
    sent: dict[str, FormClient] = {}

    def fresh() -> FormClient:
        """A person who has just sent the form, about to answer the questions about them."""
        client = FormClient(app.test_client())
        assert send(client, PARENT_COMPLAINT).path == "/tell-us/sent"
        return client

    sent["client"] = fresh()

    @SETTINGS
    @given(value=VALUES)
    @example(value=HUGE)
    @example(value=SCRIPT)
    @example(value=SQL)
    def attack(value: Any) -> None:
        client = sent["client"]
        page = client.get("/tell-us/about-you")
        assert page.status == 200 and page.path == "/tell-us/about-you"
        before = _count(EqualityResponse)
        response = client.client.post(
            page.path, data={question: value, "csrf_token": page.csrf_token}
        )
        answer = Page(response.status_code, page.path, response.get_data(as_text=True))
        where = f"{question} = {str(value)[:80]!r}"
        assert answer.status < 500, where
        after = _count(EqualityResponse)
        if answer.status in {302, 303}:
            assert response.headers["Location"] == "/tell-us/about-you/done", where
            assert after - before in {0, 1}, where
            if after > before:
                db.session.expire_all()
                stored = db.session.scalars(
                    select(EqualityResponse).order_by(EqualityResponse.id.desc())
                ).first()
                assert getattr(stored, question) == value, where
                db.session.rollback()
            # Answered: the questions are not asked twice. Another person for the next.
            sent["client"] = fresh()
        else:
            _refused_politely(answer, where)
            assert after == before, f"{where}: half saved"

    attack()


def _inbound() -> int:
    return _count(InboundMessage)


def test_no_chat_message_gets_a_server_error(app, clock):
    client = FormClient(app.test_client())
    token = client.get("/chat").csrf_token

    @SETTINGS
    @given(value=VALUES)
    @example(value=HUGE)
    @example(value=SCRIPT)
    @example(value=SQL)
    @example(value="a" * 5001)
    def attack(value: Any) -> None:
        before = _inbound()
        answer = client.post("/chat", {"message": value, "csrf_token": token}, follow=False)
        where = f"chat = {str(value)[:80]!r}"
        assert answer.status < 500, where
        if answer.status in {302, 303}:
            # Taken: the message reached the chat, and was stored once.
            assert _inbound() == before + 1, where
        else:
            _refused_politely(answer, where)
            assert _inbound() == before, f"{where}: half saved"

    attack()


SENDERS = st.one_of(
    st.integers(0, 999).map(lambda n: f"+447700900{n:03d}"),
    st.integers(0, 999).map(lambda n: f"whatsapp:+447700900{n:03d}"),
    st.text(max_size=90),
    HOSTILE,
)
# Twilio hands on at most 1,600 characters of a text message (WhatsApp: 1,600 too). A
# body of 20,000 characters that is one long "word" took over eight minutes here: see
# the test after this one.
BODIES = st.one_of(
    st.text(max_size=300),
    st.text(alphabet=st.characters(codec="utf-8"), min_size=1000, max_size=1600),
    HOSTILE,
    st.lists(st.one_of(st.text(max_size=40), HOSTILE), max_size=5).map(" ".join),
)


@SETTINGS
@given(
    body=BODIES,
    sender=SENDERS,
    media=st.one_of(st.text(max_size=4), st.integers(-5, 20).map(str)),
)
# Found by this test: PostgreSQL cannot be sent a NUL, so a sender holding one was a 500.
@example(body="", sender="\x00", media="")
@example(body=SCRIPT, sender="+447700900321", media="0")
@example(body="I want to kill myself " + SQL, sender="whatsapp:+447700900322", media="1")
def test_no_signed_webhook_gets_a_server_error(app, clock, body, sender, media):
    # Each example is a new message (its own MessageSid): never a retry of the last, so
    # its words, sender and media really reach the chat.
    sid = new_sid()
    params = {
        "MessageSid": sid,
        "AccountSid": "AC" + "0" * 32,
        "From": sender,
        "To": "+447700900001",
        "Body": body,
        "NumMedia": media,
    }
    response = Webhooks(app).post("/sms/inbound", params)
    assert response.status_code < 500, params
    if 400 <= response.status_code < 500:
        assert inbound_rows(sid) == 0, params
    else:
        assert response.status_code == 200, params
        assert inbound_rows(sid) == 1, f"message {sid} was answered but not stored"


def _steps(check: Any, text: str) -> int:
    """How many Python bytecode instructions check(text) runs: a count, not a timing,
    so the same on any machine."""
    count = 0

    def each_instruction(frame: Any, event: str, arg: Any) -> Any:
        nonlocal count
        count += 1
        return each_instruction

    def each_call(frame: Any, event: str, arg: Any) -> Any:
        frame.f_trace_opcodes = True
        return each_instruction

    sys.settrace(each_call)
    try:
        check(text)
    finally:
        sys.settrace(None)
    return count


@pytest.mark.parametrize("shape", ["one long word", "many short words"])
def test_the_danger_word_check_does_work_in_proportion_to_a_message_s_length(shape):
    """Found by the webhook property test above, which then ran for eight minutes: the
    danger-word check tried every prefix of a typed word against the stems' slips, so one
    word of n letters cost n² steps, and one 1 MB "word" held a web process for hours
    (the rate limiter runs the same check on a chat message before the form is read).

    Doubling a message's length must (about) double the work, whatever its shape."""
    from intake import create_app

    app = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"})
    danger = app.extensions["intake.chat"].danger

    def message(length: int) -> str:
        if shape == "one long word":
            return "x" * length
        return " ".join(["xxxxxxxxx"] * (length // 10))

    short, long = _steps(danger.found_in, message(200)), _steps(danger.found_in, message(400))
    assert long <= 3 * short, f"{long} steps for 400 characters, {short} for 200"


@pytest.mark.parametrize("size", [2 * 1024 * 1024])
def test_a_huge_body_is_refused_politely(app, clock, size):
    client = FormClient(app.test_client())
    page = client.get("/tell-us/what-you-want-to-do")
    response = client.client.post(
        "/tell-us/what-you-want-to-do", data={"kind": "x" * size, "csrf_token": page.csrf_token}
    )
    assert response.status_code == 413
    assert "What you sent is too long" in response.get_data(as_text=True)


def test_a_number_too_big_for_a_float_is_out_of_range_not_an_error(app, clock):
    """Found by the property test above: "9" * 400 as an age overflowed WTForms' range
    check (it converts to float) and gave a 500."""
    client = FormClient(app.test_client())
    page = reach(client, "about-the-child")
    answer = client.post(
        "/tell-us/about-the-child",
        {
            **PARENT_COMPLAINT["about-the-child"],
            "date_of_birth": ["", "", ""],
            "age": "9" * 400,
            "csrf_token": page.csrf_token,
        },
    )
    assert answer.status == 200
    assert "Age must be 25 or under" in answer.errors
