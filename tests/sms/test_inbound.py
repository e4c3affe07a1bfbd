"""POST /sms/inbound: Twilio's webhook for text messages and WhatsApp, signed as Twilio signs.

Every request goes through the real webhook with a real signature (twilio's own
RequestValidator); the tests read what the young person would see (the TwiML) and what
the council would hold (the database).
"""

from __future__ import annotations

import contextlib
import logging
import threading
from datetime import date
from typing import Any

import pytest
from sqlalchemy import select
from werkzeug.middleware.proxy_fix import ProxyFix

from intake.extensions import db
from intake.models import Case, CaseEvent, InboundMessage, OutboundMessage
from tests.sms.helpers import (
    ABOUT,
    ABOUT_CY,
    ADVOCATE_HELP,
    ADVOCATE_HELP_CY,
    CHILDLINE,
    NOTHING_STORED,
    OUT_OF_HOURS_PHONE,
    OUTCOME,
    OUTCOME_CY,
    SAFETY_START,
    SAFETY_START_CY,
    THANKED,
    THANKS,
    THANKS_CY,
    WHAT_HAPPENED,
    WHAT_HAPPENED_CY,
    YOUNG_PERSON,
    Phone,
    Webhooks,
    alerts,
    all_cases,
    count,
    counts,
    inbound_rows,
    the_case,
    the_conversation,
)
from tests.sms.twilio_client import AUTH_TOKEN, SERVICE_NUMBER, new_sid, replies
from tests.support import london

LANGUAGE_QUESTION = (
    "Hi, this is Exampleshire Council children's services. Choose a language / Dewisa iaith:"
    "\n1 English\n2 Cymraeg\n3 Polski\n4 Romana\n5 Punjabi\n6 Urdu\n7 Bangla\n8 Arabic"
    "\n9 Portugues\n10 Soomaali"
)
INTENT_QUESTION = "What do you want to do? Reply with a number:"
WHO_QUESTION = "Are you the young person? Reply YES, or NO if you are helping a young person."
WHAT_HAPPENED_QUESTION = "In your own words, what happened? You can send more than one message."
WHEN_QUESTION = "When did it happen?"
ABOUT_QUESTION = "Who or which team is it about? Send SKIP if you do not know."
REPLY_QUESTION = "Can we text you back on this number? Reply with a number:"
RESUME = "Welcome back. Reply 1 to carry on where you left off, or 2 to start again."

# Monday 23 November 2026: acknowledged within 2 working days, a statutory complaint
# answered within 10, an advocacy request within 5.
COMPLAINT_REPLY = (
    "Thank you. Your reference is {reference}. We will tell you who is dealing with it by "
    "Wed 25 Nov and answer by Mon 7 Dec. An advocate can help you for free: send ADVOCATE."
)


@pytest.fixture
def phone(app, clock) -> Phone:
    return Phone(app)


def complain(phone: Phone, *, times: str = "2") -> list[str]:
    """A whole complaint in English; the replies to the last message."""
    return phone.say("Hi", "1", "1", "yes", WHAT_HAPPENED, "last week", ABOUT, OUTCOME, times)


# Whole conversations ------------------------------------------------------------------

JOURNEYS = {
    "complaint in English": (
        ["Hi", "1", "1", "yes", WHAT_HAPPENED, "last week", ABOUT, OUTCOME, "2"],
        COMPLAINT_REPLY,
        {
            "kind": "complaint",
            "complainant_role": "young_person",
            "language": "en",
            "what_happened": WHAT_HAPPENED,
            "worker_named": ABOUT,
            "outcome_sought_detail": OUTCOME,
            "when_happened": "last_3_months",
            "acknowledge_by": date(2026, 11, 25),
            "respond_by": date(2026, 12, 7),
        },
        "after_school",
    ),
    "thank-you in English": (
        ["Hi", "1", "2", "yes", THANKS, THANKED, "1"],
        "Thank you! We will pass your message on. Your reference is {reference}. If you ever"
        " want an advocate (someone on your side), send ADVOCATE.",
        {
            "kind": "compliment",
            "complainant_role": "young_person",
            "language": "en",
            "what_happened": THANKS,
            "worker_named": THANKED,
        },
        "any_time",
    ),
    "advocate request in English, by someone helping": (
        ["Hi", "1", "4", "no", ADVOCATE_HELP, "skip", "3"],
        "Thank you. Your reference is {reference}. The advocacy service will contact you by"
        " Mon 30 Nov. They are free and on your side.",
        {
            "kind": "advocacy_request",
            "complainant_role": "other",
            "language": "en",
            "what_happened": ADVOCATE_HELP,
            "worker_named": None,
            "respond_by": date(2026, 11, 30),
        },
        "weekends",
    ),
    "complaint in Welsh": (
        ["Helo", "2", "1", "ie", WHAT_HAPPENED_CY, "wythnos diwethaf", ABOUT_CY, OUTCOME_CY, "2"],
        "Diolch. Dy gyfeirnod yw {reference}. Byddwn ni'n dweud pwy sy'n delio gyda fe erbyn"
        " Mer 25 Tach ac yn ateb erbyn Llun 7 Rhag. Am eiriolwr am ddim, anfona EIRIOLWR.",
        {
            "kind": "complaint",
            "complainant_role": "young_person",
            "language": "cy",
            "what_happened": WHAT_HAPPENED_CY,
            "worker_named": ABOUT_CY,
            "outcome_sought_detail": OUTCOME_CY,
            "when_happened": "last_3_months",
            "acknowledge_by": date(2026, 11, 25),
            "respond_by": date(2026, 12, 7),
        },
        "after_school",
    ),
    "thank-you in Welsh": (
        ["Helo", "2", "2", "ie", THANKS_CY, "sgipio", "1"],
        "Diolch! Byddwn ni'n rhannu dy neges. Dy gyfeirnod yw {reference}. Os wyt ti eisiau"
        " eiriolwr (rhywun ar dy ochr di), anfona EIRIOLWR.",
        {
            "kind": "compliment",
            "complainant_role": "young_person",
            "language": "cy",
            "what_happened": THANKS_CY,
            "worker_named": None,
        },
        "any_time",
    ),
    "advocate request in Welsh": (
        ["Helo", "2", "4", "ie", ADVOCATE_HELP_CY, ABOUT_CY, "3"],
        "Diolch. Dy gyfeirnod yw {reference}. Bydd y gwasanaeth eiriolaeth yn cysylltu erbyn"
        " Llun 30 Tach. Maen nhw am ddim ac ar dy ochr di.",
        {
            "kind": "advocacy_request",
            "complainant_role": "young_person",
            "language": "cy",
            "what_happened": ADVOCATE_HELP_CY,
            "worker_named": ABOUT_CY,
            "respond_by": date(2026, 11, 30),
        },
        "weekends",
    ),
}


@pytest.mark.parametrize("whatsapp", [False, True], ids=["sms", "whatsapp"])
@pytest.mark.parametrize("journey", list(JOURNEYS))
def test_a_whole_conversation_makes_one_case(app, clock, journey, whatsapp):
    messages, final_reply, expected, contact_times = JOURNEYS[journey]
    phone = Phone(app, whatsapp=whatsapp)

    for message in messages[:-1]:
        answer = phone.text(message)
        assert answer, f"no reply to {message!r}"
        assert count(Case) == 0, "a case was made before the conversation ended"
    last = phone.text(messages[-1])

    assert len(messages) < 10
    case = the_case()
    assert last == [final_reply.format(reference=case.reference)]
    assert case.reference == "CS-2026-00001"
    assert case.method == ("whatsapp" if whatsapp else "text_message")
    assert {key: getattr(case, key) for key in expected} == expected
    assert case.incomplete is False
    assert case.safeguarding is False
    assert case.received_on == date(2026, 11, 23)
    assert case.contact is not None
    assert case.contact.reply_method == "text_message"
    assert case.contact.phone == YOUNG_PERSON
    assert case.contact.contact_times == contact_times
    assert case.contact.email is None
    conversation = the_conversation()
    assert conversation.channel == ("whatsapp" if whatsapp else "sms")
    assert conversation.address == YOUNG_PERSON
    assert conversation.case_id is None, "a finished conversation still points at its case"
    assert count(InboundMessage) == len(messages)
    phone.never_echoed()


def test_the_conversation_asks_each_question_in_turn(phone):
    assert phone.text("Hi") == [LANGUAGE_QUESTION]
    assert phone.text("1")[0].startswith(INTENT_QUESTION)
    assert phone.text("1") == [WHO_QUESTION]
    assert phone.text("yes") == [WHAT_HAPPENED_QUESTION]
    assert phone.text(WHAT_HAPPENED)[0].startswith(WHEN_QUESTION)
    assert phone.text("last week") == [ABOUT_QUESTION]
    assert phone.text(ABOUT)[0].startswith("What would you like to happen now?")
    assert phone.text(OUTCOME)[0].startswith(REPLY_QUESTION)


def test_a_complaint_with_no_texts_back_says_how_to_hear_what_happens(phone):
    last = complain(phone, times="4")

    case = the_case()
    assert case.contact.reply_method == "none"
    assert case.contact.phone is None
    # One message, which promises no text we will not send and says how to hear back.
    assert last == [
        f"Thank you. Your reference is {case.reference}. We will answer by Mon 7 Dec but will "
        "not text you: to hear what happens, call 01632 960 000 and give your reference. "
        "For a free advocate, send ADVOCATE."
    ]


def test_advocate_at_the_start_goes_straight_to_asking_for_one(phone):
    assert phone.text("ADVOCATE") == [WHO_QUESTION]
    phone.say("yes", ADVOCATE_HELP, "skip")
    last = phone.text("1")

    case = the_case()
    assert case.kind == "advocacy_request"
    assert last[0].startswith(f"Thank you. Your reference is {case.reference}.")


def test_a_long_story_split_by_the_phone_is_joined(phone):
    phone.say("Hi", "1", "1", "yes")
    phone.text(WHAT_HAPPENED)
    # The rest of the same long message, at once: not a date, so it is joined.
    phone.pace = 0
    assert phone.text("and the new one has not come either") == []
    phone.pace = 60
    phone.say("last week", ABOUT, OUTCOME, "2")

    assert the_case().what_happened == f"{WHAT_HAPPENED} and the new one has not come either"


def test_a_second_conversation_after_a_finished_one_makes_a_second_case(phone):
    complain(phone)
    # The finished run is forgotten; the language is remembered.
    assert phone.text("Hi")[0].startswith(INTENT_QUESTION)
    phone.say("2", "yes", THANKS, THANKED, "1")

    first, second = all_cases()
    assert (first.kind, second.kind) == ("complaint", "compliment")
    assert second.what_happened == THANKS
    phone.never_echoed()


# Retries ------------------------------------------------------------------------------


def test_a_retried_message_is_answered_the_same_and_processed_once(app, phone):
    phone.text("Hi")
    sid = new_sid()
    first = phone.send("1", sid=sid)
    retry = phone.send("1", sid=sid)

    assert first.status_code == retry.status_code == 200
    assert retry.get_data() == first.get_data()
    assert replies(first)[0].startswith(INTENT_QUESTION)
    assert inbound_rows(sid) == 1
    assert count(InboundMessage) == 2
    # The conversation moved on once: the next answer is to "what do you want to do?".
    assert the_conversation().state["node"] == "intent"
    assert phone.text("1") == [WHO_QUESTION]


def test_a_message_id_reused_by_another_sender_gets_nothing_of_the_first(app, clock):
    twilio = Webhooks(app)
    sid = new_sid()
    first = twilio.text("Hi", sid=sid, sender="+447700900301")
    assert replies(first) == [LANGUAGE_QUESTION]

    again = twilio.text("Hi", sid=sid, sender="+447700900302")

    assert again.status_code == 200
    assert replies(again) == []
    assert inbound_rows(sid) == 1


def test_a_retried_last_message_makes_no_second_case(phone):
    phone.say("Hi", "1", "1", "yes", WHAT_HAPPENED, "last week", ABOUT, OUTCOME)
    sid = new_sid()
    first = phone.send("2", sid=sid)
    outbound_before = count(OutboundMessage)
    retry = phone.send("2", sid=sid)

    assert retry.get_data() == first.get_data()
    assert count(Case) == 1
    assert count(OutboundMessage) == outbound_before
    assert inbound_rows(sid) == 1
    reference = the_case().reference
    assert replies(retry) == [COMPLAINT_REPLY.format(reference=reference)]
    # The conversation was not started again by the retry.
    assert the_conversation().state["node"] is None


def _send_together(
    app: Any,
    bodies: list[tuple[str, str]],
    monkeypatch: Any = None,
    *,
    meet_at_lock: bool = False,
) -> list[tuple[int, bytes]]:
    """Post each (sid, body) at the same moment, each from its own thread with its own app
    context and test client.

    With `monkeypatch`, the first request to reach the conversation engine waits there
    (up to a second) until another request has been answered: the moment a second web
    process is most likely to see a half-done first one. A database that makes the second
    wait, as it should, just costs the second.

    With `meet_at_lock`, both requests wait for each other (up to a second) just before
    locking the sender's conversation: two pieces of one long text arriving in two web
    processes at once.
    """
    barrier = threading.Barrier(len(bodies))
    answered = threading.Event()
    results: list[Any] = [None] * len(bodies)
    failures: list[BaseException] = []
    if monkeypatch is not None:
        from intake.casework import conversations

        real_handle = conversations.handle
        first = threading.Lock()

        def slow_handle(*args: Any, **kwargs: Any) -> Any:
            if first.acquire(blocking=False):
                answered.wait(timeout=1)
            return real_handle(*args, **kwargs)

        if meet_at_lock:
            real_lock = conversations._lock_and_record
            meeting = threading.Barrier(len(bodies))

            def meet_then_lock(*args: Any, **kwargs: Any) -> Any:
                # A broken meeting: the other request is waiting in the database. Fine.
                with contextlib.suppress(threading.BrokenBarrierError):
                    meeting.wait(timeout=1)
                return real_lock(*args, **kwargs)

            monkeypatch.setattr(conversations, "_lock_and_record", meet_then_lock)
        else:
            monkeypatch.setattr(conversations, "handle", slow_handle)

    def post(index: int, sid: str, body: str) -> None:
        try:
            twilio = Webhooks(app)
            barrier.wait(timeout=10)
            response = twilio.text(body, sid=sid)
            results[index] = (response.status_code, response.get_data())
            answered.set()
        except BaseException as failure:  # reported in the main thread
            failures.append(failure)

    threads = [
        threading.Thread(target=post, args=(i, sid, body)) for i, (sid, body) in enumerate(bodies)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not failures, failures
    assert all(not t.is_alive() for t in threads), "a request never finished"
    return results


def test_two_copies_of_a_retry_at_the_same_moment_are_processed_once(app, phone, monkeypatch):
    phone.text("Hi")
    sid = new_sid()

    results = _send_together(app, [(sid, "1"), (sid, "1")], monkeypatch)

    assert [status for status, _ in results] == [200, 200]
    assert results[0][1] == results[1][1], "the two copies were answered differently"
    assert replies_of(results[0][1])[0].startswith(INTENT_QUESTION)
    assert inbound_rows(sid) == 1
    db.session.rollback()
    inbound = db.session.scalars(select(InboundMessage).where(InboundMessage.provider_id == sid))
    assert len(inbound.one().replies) == 1
    assert the_conversation().state["node"] == "intent"
    assert phone.text("1") == [WHO_QUESTION]


def test_two_copies_of_a_first_message_at_the_same_moment_make_one_conversation(
    app, clock, monkeypatch
):
    sid = new_sid()

    results = _send_together(app, [(sid, "Hi"), (sid, "Hi")], monkeypatch)

    assert [status for status, _ in results] == [200, 200]
    assert results[0][1] == results[1][1], "the two copies were answered differently"
    assert replies_of(results[0][1]) == [LANGUAGE_QUESTION]
    assert counts()["conversations"] == 1
    assert inbound_rows(sid) == 1


def test_two_pieces_of_one_long_message_at_the_same_moment_are_both_kept(app, phone, monkeypatch):
    phone.say("Hi", "1", "1", "yes")
    first_piece, second_piece = "The first half of a long story", "the second half of it"

    results = _send_together(
        app,
        [(new_sid(), first_piece), (new_sid(), second_piece)],
        monkeypatch,
    )

    assert [status for status, _ in results] == [200, 200]
    phone.say("last week", ABOUT, OUTCOME, "2")
    told = the_case().what_happened
    assert first_piece in told
    assert second_piece in told


def test_two_pieces_reaching_the_conversation_together_are_both_kept(app, phone, monkeypatch):
    phone.say("Hi", "1", "1", "yes")
    first_piece, second_piece = "The first half of a long story", "the second half of it"

    results = _send_together(
        app,
        [(new_sid(), first_piece), (new_sid(), second_piece)],
        monkeypatch,
        meet_at_lock=True,
    )

    assert [status for status, _ in results] == [200, 200]
    phone.say("last week", ABOUT, OUTCOME, "2")
    told = the_case().what_happened
    assert first_piece in told
    assert second_piece in told


def replies_of(twiml: bytes) -> list[str]:
    from xml.etree import ElementTree

    return [m.text or "" for m in ElementTree.fromstring(twiml).iter("Message")]


# Signatures ---------------------------------------------------------------------------


def _inbound_params(body: str = WHAT_HAPPENED) -> dict[str, str]:
    return {
        "MessageSid": new_sid(),
        "AccountSid": "AC" + "0" * 32,
        "From": YOUNG_PERSON,
        "To": SERVICE_NUMBER,
        "Body": body,
        "NumMedia": "0",
    }


def _signature(url: str, params: dict[str, str], token: str = AUTH_TOKEN) -> str:
    from twilio.request_validator import RequestValidator

    return RequestValidator(token).compute_signature(url, params)


FORGERIES = {
    "forged": lambda params: "c2lnbmF0dXJlIG1hZGUgdXAgYnkgYSBmb3JnZXI=",
    "empty": lambda params: "",
    "for another address": lambda params: _signature("http://localhost/sms/status", params),
    "for https when Twilio called http": lambda params: _signature(
        "https://localhost/sms/inbound", params
    ),
    "for other params": lambda params: _signature(
        "http://localhost/sms/inbound", {**params, "Body": "something else"}
    ),
    "for other senders": lambda params: _signature(
        "http://localhost/sms/inbound", {**params, "From": "+447700900999"}
    ),
    "with the wrong token": lambda params: _signature(
        "http://localhost/sms/inbound", params, token="not-the-auth-token"
    ),
}


@pytest.mark.parametrize("forgery", list(FORGERIES))
def test_a_wrongly_signed_message_is_refused_and_changes_nothing(app, clock, forgery):
    twilio = Webhooks(app)
    params = _inbound_params()

    response = twilio.post("/sms/inbound", params, signature=FORGERIES[forgery](params))

    assert response.status_code == 403
    assert counts() == NOTHING_STORED


def test_a_message_without_a_signature_is_refused_and_changes_nothing(app, clock):
    with app.app_context():
        response = app.test_client().post("/sms/inbound", data=_inbound_params())

    assert response.status_code == 403
    assert counts() == NOTHING_STORED


def test_a_message_signed_with_another_token_is_refused(app, clock):
    forger = Webhooks(app, token="someone-elses-token")

    response = forger.text("Hi")

    assert response.status_code == 403
    assert counts() == NOTHING_STORED


def test_a_refused_message_does_not_disturb_a_conversation(app, phone):
    phone.say("Hi", "1")
    before = counts()
    state = the_conversation().state
    forger = Webhooks(app, token="someone-elses-token")

    assert forger.text("1").status_code == 403

    assert counts() == before
    assert the_conversation().state == state


def test_a_signature_for_the_public_address_is_checked_behind_a_proxy(app, clock):
    app.config["PUBLIC_BASE_URL"] = "https://tell.example.org"
    params = _inbound_params("Hi")
    other = {**params, "MessageSid": new_sid()}

    with app.app_context():
        client = app.test_client()
        # Signed for the address Twilio called, not the one the app sees behind the proxy.
        signed = _signature("https://tell.example.org/sms/inbound", params)
        response = client.post("/sms/inbound", data=params, headers={"X-Twilio-Signature": signed})
    with app.app_context():
        local = _signature("http://localhost/sms/inbound", other)
        refused = app.test_client().post(
            "/sms/inbound", data=other, headers={"X-Twilio-Signature": local}
        )

    assert response.status_code == 200
    assert replies(response) == [LANGUAGE_QUESTION]
    assert refused.status_code == 403
    assert inbound_rows(other["MessageSid"]) == 0


def test_behind_nginx_the_signature_is_checked_on_the_address_twilio_called(app, clock):
    # No PUBLIC_BASE_URL: the address comes from nginx's X-Forwarded-* headers, trusted
    # because one proxy is configured.
    app.config["PUBLIC_BASE_URL"] = None
    app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1, x_host=1, x_port=1)
    forwarded = {
        "X-Forwarded-Proto": "https",
        "X-Forwarded-Host": "tell.example.org",
        "X-Forwarded-Port": "443",
        "X-Forwarded-For": "198.51.100.7",
    }
    params = _inbound_params("Hi")
    forged = {**params, "MessageSid": new_sid()}

    with app.app_context():
        signed = _signature("https://tell.example.org/sms/inbound", params)
        response = app.test_client().post(
            "/sms/inbound", data=params, headers={**forwarded, "X-Twilio-Signature": signed}
        )
    with app.app_context():
        # Signed for another host: someone replaying a signature made elsewhere.
        elsewhere = _signature("https://attacker.example.org/sms/inbound", forged)
        refused = app.test_client().post(
            "/sms/inbound", data=forged, headers={**forwarded, "X-Twilio-Signature": elsewhere}
        )

    assert response.status_code == 200
    assert replies(response) == [LANGUAGE_QUESTION]
    assert refused.status_code == 403
    assert inbound_rows(forged["MessageSid"]) == 0


# Bad input ----------------------------------------------------------------------------


def test_an_empty_message_gets_a_sensible_reply(phone):
    answer = phone.text("")

    assert answer
    assert answer[-1] == LANGUAGE_QUESTION
    assert count(Case) == 0


def test_an_empty_message_mid_conversation_asks_the_question_again(phone):
    phone.say("Hi", "1", "1")

    answer = phone.text("   ")

    assert (
        answer[-1] == "Please reply YES if you are the young person, or NO if you are helping one."
    )
    assert the_conversation().state["node"] == "who"


@pytest.mark.parametrize("at_start", [True, False], ids=["first message", "mid conversation"])
def test_a_picture_with_no_words_gets_the_words_only_reply(phone, at_start):
    if not at_start:
        phone.say("Hi", "1")

    answer = phone.text("", media=1)

    assert answer[0] == "Sorry, I can only read words. Please type your answer."
    assert count(Case) == 0
    db.session.rollback()
    assert db.session.scalars(select(InboundMessage.media_count)).all()[-1] == 1


def test_a_picture_with_words_is_read(phone):
    phone.say("Hi", "1", "1", "yes")

    answer = phone.text(WHAT_HAPPENED, media=2)

    assert answer[0].startswith(WHEN_QUESTION)


def test_a_1600_character_message_is_kept_whole(phone):
    story = ("We waited for the worker all afternoon again. " * 40)[:1600].strip()
    assert len(story) >= 1590
    phone.say("Hi", "1", "1", "yes")

    answer = phone.text(story)
    phone.say("last week", ABOUT, OUTCOME, "2")

    assert answer[0].startswith(WHEN_QUESTION)
    assert the_case().what_happened == story
    phone.never_echoed()


def test_a_1600_character_first_message_is_kept(phone):
    story = ("Nobody came to the review meeting that was planned. " * 40)[:1600].strip()

    answer = phone.text(story)

    assert answer == [LANGUAGE_QUESTION]
    phone.say("1", "1", "yes", WHAT_HAPPENED, "last week", ABOUT, OUTCOME, "2")
    assert story in the_case().what_happened


@pytest.mark.parametrize(
    "writing",
    [
        "\U0001f62d\U0001f62d\U0001f494 nobody listens \U0001f614",
        "لا أحد يستمع إلي",
        "没有人听我说话",
        "Никто меня не слушает",
    ],
    ids=["emoji", "arabic", "chinese", "cyrillic"],
)
def test_any_script_is_understood_as_words_and_kept(phone, writing):
    # At a question it does not answer: asked again, and kept.
    assert phone.text(writing) == [LANGUAGE_QUESTION]
    assert phone.text("\U0001f44d") == [
        "Reply with the number of your language, from 1 to 10. Or type its name."
    ]
    # As an answer in its own words: taken and kept in the case.
    phone.say("1", "1", "yes")
    assert phone.text(writing)[0].startswith(WHEN_QUESTION)
    phone.say("skip", "skip", "skip", "1")

    case = the_case()
    assert case.what_happened.startswith(writing)
    assert case.incomplete is False
    assert not [reply for reply in phone.received if writing in reply]


def test_a_number_in_another_country_is_answered_and_kept(app, clock):
    phone = Phone(app, number="+12025550123")

    last = complain(phone, times="1")

    case = the_case()
    assert last[0].startswith(f"Thank you. Your reference is {case.reference}.")
    assert case.contact.phone == "+12025550123"
    assert case.contact.contact_times == "any_time"


@pytest.mark.parametrize(
    ("change", "missing"),
    [
        ({}, "MessageSid"),
        ({}, "From"),
        ({"MessageSid": ""}, None),
        ({"From": ""}, None),
        ({"NumMedia": "abc"}, None),
        ({"NumMedia": "-1"}, None),
        ({"MessageSid": "SM" + "a" * 200}, None),
    ],
    ids=[
        "no MessageSid",
        "no From",
        "empty MessageSid",
        "empty From",
        "NumMedia abc",
        "NumMedia negative",
        "MessageSid too long",
    ],
)
def test_malformed_fields_get_400_and_change_nothing(app, clock, change, missing):
    twilio = Webhooks(app)
    params = {**_inbound_params(), **change}
    if missing:
        del params[missing]

    response = twilio.post("/sms/inbound", params)

    assert response.status_code == 400
    assert counts() == NOTHING_STORED


@pytest.mark.parametrize("to", ["+447700900999", "", "whatsapp:+447700900999"])
def test_a_message_to_a_number_the_council_does_not_use_gets_404(app, clock, to):
    twilio = Webhooks(app)

    response = twilio.post("/sms/inbound", {**_inbound_params(), "To": to})

    assert response.status_code == 404
    assert counts() == NOTHING_STORED


STRANGE_FIELDS = {
    "control characters": {"Body": "\x00\x01 control characters"},
    "replacement character": {"Body": "\ud7ff\ufffd"},
    "1600 digits": {"Body": "1" * 1600},
    "markup": {"Body": "<Message>not TwiML</Message> & <Response/>"},
    "format fields": {"Body": "{reference} {council} {0} {__class__}"},
    "sender not a number": {"From": "not a phone number"},
    "whatsapp with no number": {"From": "whatsapp:"},
    "NumMedia empty": {"NumMedia": ""},
    "NumMedia huge": {"NumMedia": "99999999999999999999"},
    "NumMedia 2**63": {"NumMedia": str(2**63)},
}


@pytest.mark.parametrize("strange", list(STRANGE_FIELDS))
def test_no_bad_input_ever_gets_a_server_error(app, clock, strange):
    twilio = Webhooks(app)

    response = twilio.post("/sms/inbound", {**_inbound_params(), **STRANGE_FIELDS[strange]})

    assert response.status_code < 500
    if response.status_code == 200:
        assert all("not TwiML" not in reply for reply in replies(response))


def test_a_message_that_fails_part_way_is_not_marked_as_seen(app, clock, monkeypatch):
    """Recorded, processed and answered together or not at all: if processing fails, the
    message is not kept as "seen", so Twilio's retry is processed properly."""
    from intake.casework import conversations

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("the engine failed")

    twilio = Webhooks(app)
    sid = new_sid()
    monkeypatch.setattr(conversations, "handle", broken)
    failed = twilio.text("Hi", sid=sid)
    monkeypatch.undo()

    assert failed.status_code == 500
    assert counts() == NOTHING_STORED, "a failed message left rows behind"
    retry = twilio.text("Hi", sid=sid)
    assert retry.status_code == 200
    assert replies(retry) == [LANGUAGE_QUESTION]


def test_placeholders_in_a_message_are_not_filled_in(phone):
    phone.say("Hi", "1", "1", "yes")
    phone.text("{reference} {council} {0} {phone}")
    phone.say("last week", ABOUT, OUTCOME, "2")

    assert the_case().what_happened == "{reference} {council} {0} {phone}"


# Logs ---------------------------------------------------------------------------------


def test_logs_never_hold_what_was_written(app, phone, clock, caplog):
    for name in ("intake", "twilio", "werkzeug", "flask"):
        caplog.set_level(logging.DEBUG, logger=name)
    secret = "Purple giraffe secret seventeen"
    twilio = Webhooks(app)

    phone.say("Hi", "1", "1", "yes", secret, "last week", secret, secret, "2")
    phone.text(f"I am scared {secret}")
    twilio.post("/sms/inbound", {**_inbound_params(secret), "NumMedia": "abc"})
    twilio.post("/sms/inbound", {**_inbound_params(secret), "To": "+447700900999"})
    twilio.post("/sms/inbound", _inbound_params(secret), signature="forged")
    sid = new_sid()
    phone.send(secret, sid=sid)
    phone.send(secret, sid=sid)
    clock.advance(hours=25)
    app.test_cli_runner().invoke(args=["intake", "chat", "expire"])
    phone.text(secret)

    assert caplog.records, "nothing was logged at all: the check below would prove nothing"
    assert any(r.name.startswith("intake") for r in caplog.records)
    for record in caplog.records:
        assert "giraffe" not in record.getMessage().lower(), record.name
        assert "scared" not in record.getMessage().lower(), record.name
    assert "giraffe" not in caplog.text.lower()


# STOP and START -----------------------------------------------------------------------


def test_stop_ends_every_reply_until_start(phone):
    phone.say("Hi", "1", "1")

    assert phone.text("STOP") == []
    assert the_conversation().stopped is True
    assert phone.text("1") == []
    assert phone.text(WHAT_HAPPENED) == []
    assert phone.text("HELP") == []
    assert the_conversation().state["node"] == "who", "messages after STOP moved it on"

    answer = phone.text("START")

    assert answer == ["Welcome back.", WHO_QUESTION]
    assert the_conversation().stopped is False
    phone.say("yes", WHAT_HAPPENED, "last week", ABOUT, OUTCOME, "2")
    case = the_case()
    assert case.what_happened == WHAT_HAPPENED
    assert case.complainant_role == "young_person"


@pytest.mark.parametrize("word", ["stop", "Stop", "STOPALL", "unsubscribe", "cancel", "quit"])
def test_twilio_opt_out_words_stop_replies(phone, word):
    phone.text("Hi")

    assert phone.text(word) == []
    assert phone.text("1") == []
    assert the_conversation().stopped is True


@pytest.mark.parametrize("word", ["START", "unstop", "yes"])
def test_twilio_opt_in_words_start_again(phone, word):
    phone.say("Hi", "STOP")

    answer = phone.text(word)

    assert answer[0] == "Welcome back."
    assert answer[-1] == LANGUAGE_QUESTION


def test_stop_in_welsh(phone):
    phone.say("Helo", "2", "1")

    assert phone.text("STOPIO") == []
    assert phone.text("1") == []
    answer = phone.text("DECHRAU")

    assert answer[0] == "Croeso nôl."
    assert answer[1].startswith("Ai ti ydy'r person ifanc?")


def test_a_message_starting_with_stop_is_not_stop(phone):
    phone.say("Hi", "1", "1", "yes")

    answer = phone.text("Stop moving me between placements without asking")

    assert answer[0].startswith(WHEN_QUESTION)
    assert the_conversation().stopped is False


def test_danger_words_after_stop_still_raise_an_alert(phone):
    phone.say("Hi", "1", "1", "STOP")

    assert phone.text("He hits me") == []

    assert [a.team for a in alerts()] == ["front_door"]
    assert the_case().safeguarding is True


# Danger words -------------------------------------------------------------------------

# (messages that reach the step, the danger message sent there)
DANGER_STEPS = {
    "first message": ([], "I am scared"),
    "language": (["Hi"], "I am scared"),
    "intent": (["Hi", "1"], "He hits me"),
    "who": (["Hi", "1", "1"], "I do not feel safe, I am not safe"),
    "what happened": (["Hi", "1", "1", "yes"], "My carer hurts me when nobody is there"),
    "when": (["Hi", "1", "1", "yes", WHAT_HAPPENED], "I want to kill myself"),
    "about": (["Hi", "1", "1", "yes", WHAT_HAPPENED, "last week"], "he hit me"),
    "outcome": (
        ["Hi", "1", "1", "yes", WHAT_HAPPENED, "last week", ABOUT],
        "I am frightened to go home",
    ),
    "text back": (
        ["Hi", "1", "1", "yes", WHAT_HAPPENED, "last week", ABOUT, OUTCOME],
        "my brother has a knife",
    ),
}


def _finish_complaint(phone: Phone) -> list[str]:
    """Answer whatever is being asked until the complaint is made; the last replies."""
    answers = {
        "language": "1",
        "intent": "1",
        "who": "yes",
        "what_happened": WHAT_HAPPENED,
        "when": "last week",
        "about": ABOUT,
        "outcome": OUTCOME,
        "reply": "1",
    }
    last: list[str] = []
    for _ in range(12):
        node = the_conversation().state.get("node")
        if node is None:
            return last
        last = phone.text(answers[node])
    raise AssertionError("the conversation never finished")


@pytest.mark.parametrize("step", list(DANGER_STEPS))
def test_danger_words_at_every_step_give_the_safety_message_and_alert(phone, clock, step):
    before, danger = DANGER_STEPS[step]
    phone.say(*before)
    # A minute later: not the rest of a long message split by the phone (that is below).
    clock.advance(minutes=1)

    answer = phone.text(danger)

    assert answer[0].startswith(SAFETY_START)
    assert CHILDLINE in answer[0]
    assert OUT_OF_HOURS_PHONE in answer[0]
    assert len(answer) >= 2, "the young person was not told how to carry on"
    case = the_case()
    assert case.safeguarding is True
    (alert,) = alerts()
    assert alert.case_id == case.id
    assert alert.team == "front_door"
    assert alert.urgent is True
    assert alert.conversation_id == the_conversation().id
    assert alert.raised_at is not None
    events = [
        e.event for e in db.session.scalars(select(CaseEvent).where(CaseEvent.case_id == case.id))
    ]
    assert "safeguarding_alert" in events

    # They carry on, and finishing fills in the same case.
    last = _finish_complaint(phone)

    (finished,) = all_cases()
    assert finished.id == case.id
    assert finished.reference == case.reference
    assert finished.safeguarding is True
    assert finished.incomplete is False
    assert finished.kind == "complaint"
    assert last[0].startswith(f"Thank you. Your reference is {case.reference}.")
    assert len(alerts()) == 1
    assert the_conversation().case_id is None
    phone.never_echoed()


def test_danger_words_in_the_rest_of_a_split_message_are_caught(phone):
    phone.say("Hi", "1", "1", "yes", WHAT_HAPPENED)

    # Straight after the story: the rest of the same long message, so joined to it.
    phone.pace = 0
    answer = phone.text("and he hits me")

    assert answer[0].startswith(SAFETY_START)
    assert len(alerts()) == 1
    assert the_case().safeguarding is True
    assert the_conversation().state["answers"]["what_happened"] == (
        f"{WHAT_HAPPENED} and he hits me"
    )


def test_what_was_said_in_danger_reaches_the_case(phone):
    phone.say("Hi", "1")
    phone.text("He hits me when I get home late")
    _finish_complaint(phone)

    assert "He hits me when I get home late" in the_case().what_happened


def test_danger_words_in_welsh_in_a_welsh_conversation(phone):
    phone.say("Helo", "2", "1")

    answer = phone.text("Mae ofn arna i")

    assert answer[0].startswith(SAFETY_START_CY)
    assert CHILDLINE in answer[0]
    assert OUT_OF_HOURS_PHONE in answer[0]
    assert answer[1].startswith("Ateba IE")
    assert the_case().safeguarding is True
    assert [a.team for a in alerts()] == ["front_door"]


def test_danger_words_in_english_in_a_welsh_conversation(phone):
    phone.say("Helo", "2", "1", "ie")

    answer = phone.text("he hits me")

    assert answer[0].startswith(SAFETY_START_CY)
    assert len(alerts()) == 1


@pytest.mark.parametrize(
    "misspelt",
    ["i feel suicidle", "sucide", "suicde", "i feel sucidal", "self harming", "hurtin"],
)
def test_a_misspelt_danger_word_is_caught(phone, misspelt):
    # danger_words.toml promises "sucide" and "suicde" are caught, as one letter out.
    phone.say("Hi", "1")

    answer = phone.text(misspelt)

    assert answer[0].startswith(SAFETY_START)
    assert len(alerts()) == 1


def test_danger_words_twice_raise_two_alerts_on_one_case(phone):
    phone.say("Hi", "1")
    phone.text("I am scared")
    phone.text("1")
    phone.text("He hits me")

    assert len(alerts()) == 2
    assert {a.case_id for a in alerts()} == {the_case().id}


@pytest.mark.parametrize(
    ("moment", "team"),
    [
        (london(2026, 11, 23, 10, 0), "front_door"),
        (london(2026, 11, 23, 9, 0), "front_door"),
        (london(2026, 11, 23, 16, 59), "front_door"),
        (london(2026, 11, 23, 17, 0), "out_of_hours"),
        (london(2026, 11, 23, 22, 30), "out_of_hours"),
        (london(2026, 11, 24, 3, 0), "out_of_hours"),
        (london(2026, 11, 28, 10, 0), "out_of_hours"),
        (london(2026, 11, 29, 14, 0), "out_of_hours"),
        (london(2026, 12, 25, 11, 0), "out_of_hours"),
    ],
    ids=[
        "monday 10:00",
        "monday 09:00",
        "monday 16:59",
        "monday 17:00",
        "monday night",
        "small hours",
        "saturday",
        "sunday",
        "christmas day",
    ],
)
def test_the_alert_goes_to_the_duty_team_in_office_hours_and_out_of_hours_otherwise(
    phone, clock, moment, team
):
    clock.moment = moment
    phone.pace = 0  # all at that moment
    phone.say("Hi", "1")

    answer = phone.text("He hits me")

    assert answer[0].startswith(SAFETY_START)
    assert [a.team for a in alerts()] == [team]
    assert the_case().safeguarding is True


# The 24-hour expiry -------------------------------------------------------------------


def _start_a_complaint(phone: Phone) -> None:
    phone.say("Hi", "1", "1", "yes", WHAT_HAPPENED)


def test_a_quiet_conversation_becomes_an_incomplete_case_and_can_be_finished(app, phone, clock):
    _start_a_complaint(phone)
    clock.advance(hours=23)
    assert app.test_cli_runner().invoke(args=["intake", "chat", "expire"]).exit_code == 0
    assert count(Case) == 0, "a conversation quiet for 23 hours was ended"

    clock.advance(hours=2)
    result = app.test_cli_runner().invoke(args=["intake", "chat", "expire"])

    assert result.exit_code == 0, result.output
    assert "1 quiet conversations" in result.output
    incomplete = the_case()
    assert incomplete.incomplete is True
    assert incomplete.kind == "complaint"
    assert incomplete.method == "text_message"
    assert incomplete.complainant_role == "young_person"
    assert incomplete.what_happened == WHAT_HAPPENED
    assert incomplete.contact.phone is None or incomplete.contact.phone == YOUNG_PERSON
    # Running it again keeps nothing twice.
    again = app.test_cli_runner().invoke(args=["intake", "chat", "expire"])
    assert "0 quiet conversations" in again.output
    assert count(Case) == 1

    # They text again: offered to carry on.
    assert phone.text("Hi") == [RESUME]
    assert phone.text("1")[0].startswith(WHEN_QUESTION)
    last = phone.say("last week", ABOUT, OUTCOME, "2")

    (case,) = all_cases()
    assert case.id == incomplete.id
    assert case.incomplete is False
    assert case.what_happened == WHAT_HAPPENED
    assert case.worker_named == ABOUT
    assert case.contact.phone == YOUNG_PERSON
    assert case.contact.contact_times == "after_school"
    assert last[0].startswith(f"Thank you. Your reference is {case.reference}.")
    phone.never_echoed()


def test_texting_again_after_a_day_keeps_the_incomplete_case_without_the_job(phone, clock):
    _start_a_complaint(phone)
    clock.advance(hours=25)

    assert phone.text("Hi") == [RESUME]

    incomplete = the_case()
    assert incomplete.incomplete is True
    assert incomplete.what_happened == WHAT_HAPPENED
    assert phone.text("yes")[0].startswith(WHEN_QUESTION)
    phone.say("last week", ABOUT, OUTCOME, "2")
    (case,) = all_cases()
    assert case.id == incomplete.id
    assert case.incomplete is False


def test_starting_again_after_a_day_keeps_the_old_incomplete_case(phone, clock):
    _start_a_complaint(phone)
    clock.advance(hours=25)
    phone.text("Hi")

    answer = phone.text("2")

    assert answer[0].startswith(INTENT_QUESTION)
    phone.say("2", "yes", THANKS, THANKED, "1")
    first, second = all_cases()
    assert (first.kind, first.incomplete, first.what_happened) == (
        "complaint",
        True,
        WHAT_HAPPENED,
    )
    assert (second.kind, second.incomplete, second.what_happened) == ("compliment", False, THANKS)
    phone.never_echoed()


def test_a_quiet_conversation_that_told_us_nothing_leaves_no_case(app, phone, clock):
    phone.say("Hi", "1")
    clock.advance(hours=25)

    result = app.test_cli_runner().invoke(args=["intake", "chat", "expire"])

    assert result.exit_code == 0
    assert count(Case) == 0


def test_a_quiet_conversation_after_an_alert_fills_in_the_alerts_case(app, phone, clock):
    phone.say("Hi", "1", "1", "yes")
    phone.text("My carer hurts me when nobody is there")
    clock.advance(hours=25)

    app.test_cli_runner().invoke(args=["intake", "chat", "expire"])

    (case,) = all_cases()
    assert case.safeguarding is True
    assert case.incomplete is True
    assert "My carer hurts me when nobody is there" in case.what_happened


def test_a_finished_conversation_does_not_expire_into_a_second_case(app, phone, clock):
    complain(phone)
    clock.advance(hours=30)

    app.test_cli_runner().invoke(args=["intake", "chat", "expire"])
    phone.text("Hi")

    assert count(Case) == 1
    assert the_case().incomplete is False


def test_a_stopped_conversation_still_keeps_what_was_said(app, phone, clock):
    _start_a_complaint(phone)
    phone.text("STOP")
    clock.advance(hours=25)

    app.test_cli_runner().invoke(args=["intake", "chat", "expire"])

    case = the_case()
    assert case.incomplete is True
    assert case.what_happened == WHAT_HAPPENED


def test_the_expiry_is_counted_from_the_last_message(app, phone, clock):
    phone.say("Hi", "1", "1")
    clock.advance(hours=20)
    phone.text("yes")
    clock.advance(hours=20)

    app.test_cli_runner().invoke(args=["intake", "chat", "expire"])

    assert count(Case) == 0
    assert phone.text(WHAT_HAPPENED)[0].startswith(WHEN_QUESTION)


def test_an_outbound_message_is_stored_for_each_reply(phone):
    answer = phone.text("Hi")

    db.session.rollback()
    stored = db.session.scalars(select(OutboundMessage)).all()
    assert [m.body for m in stored] == answer
    assert stored[0].channel == "sms"
    assert stored[0].status == "queued"
