"""Whole conversations through the engine, one message at a time, on a clock we control.

The shipped flow and danger words, no database, no mocks. A young person must get through
a complaint, a thank-you and an advocate request in under ten messages, in English or
Welsh; the global words work at every step; a conversation left for a day is kept and
can be carried on.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import pytest

from intake.chat.engine import (
    ADVOCATE_WANTED,
    OTHER_MESSAGES,
    ChatState,
    Event,
    Message,
    Reply,
    handle,
)
from tests.chat.support import (
    DANGER,
    FLOW,
    START,
    WORST_CASE,
    Chat,
    keys,
    languages_of,
    names,
    render,
)

DAY = timedelta(hours=24)
STORY = "My social worker cancelled my family time with my brother three times."
STORY_CY = "Mae fy ngweithiwr cymdeithasol wedi canslo amser teulu gyda fy mrawd dair gwaith."


# Whole conversations -------------------------------------------------------------------


@dataclass(frozen=True)
class Script:
    name: str
    language: str
    steps: tuple[tuple[str, str], ...]  # (what the young person sends, the node asked next)
    answers: dict[str, Any]


SCRIPTS = [
    Script(
        "complaint in English",
        "en",
        (
            ("Hi", "language"),
            ("1", "intent"),
            ("1", "who"),
            ("yes", "what_happened"),
            (STORY, "when"),
            ("last week", "about"),
            ("My social worker, Sam", "outcome"),
            ("To see my brother every week", "reply"),
            ("1", "done_complaint"),
        ),
        {
            "intent": "complaint",
            "young_person": "yes",
            "what_happened": STORY,
            "when": {"when": "last_3_months", "date": "2026-09-23"},
            "about": "My social worker, Sam",
            "outcome": "To see my brother every week",
            "text_back": "any_time",
        },
    ),
    Script(
        "complaint in Welsh",
        "cy",
        (
            ("Helo", "language"),
            ("2", "intent"),
            ("cwyno", "who"),
            ("ie", "what_happened"),
            (STORY_CY, "when"),
            ("3 Medi", "about"),
            ("Fy ngweithiwr cymdeithasol", "outcome"),
            ("Gweld fy mrawd bob wythnos", "reply"),
            ("2", "done_complaint"),
        ),
        {
            "intent": "complaint",
            "young_person": "yes",
            "what_happened": STORY_CY,
            "when": {"when": "last_3_months", "date": "2026-09-03"},
            "about": "Fy ngweithiwr cymdeithasol",
            "outcome": "Gweld fy mrawd bob wythnos",
            "text_back": "after_school",
        },
    ),
    Script(
        "thank-you in English",
        "en",
        (
            ("Hello", "language"),
            ("English", "intent"),
            ("thanks", "who"),
            ("y", "what_thanks"),
            ("My foster carer took me to the seaside for my birthday.", "about_thanks"),
            ("Jo, my foster carer", "reply"),
            ("3", "done_thanks"),
        ),
        {
            "intent": "compliment",
            "young_person": "yes",
            "what_happened": "My foster carer took me to the seaside for my birthday.",
            "about": "Jo, my foster carer",
            "text_back": "weekends",
        },
    ),
    Script(
        "thank-you in Welsh",
        "cy",
        (
            ("Shwmae", "language"),
            ("Cymraeg", "intent"),
            ("diolch", "who"),
            ("ydw", "what_thanks"),
            ("Aeth fy ngofalwr maeth a fi i lan y mor ar fy mhen-blwydd.", "about_thanks"),
            ("sgipio", "reply"),
            ("penwythnos", "done_thanks"),
        ),
        {
            "intent": "compliment",
            "young_person": "yes",
            "what_happened": "Aeth fy ngofalwr maeth a fi i lan y mor ar fy mhen-blwydd.",
            "about": "",
            "text_back": "weekends",
        },
    ),
    Script(
        "advocate request in English",
        "en",
        (
            ("Hi", "language"),
            ("1", "intent"),
            ("4", "who"),
            ("no", "what_help"),
            ("A meeting about my plan", "about"),
            ("Skip", "reply"),
            ("4", "done_advocate"),
        ),
        {
            "intent": "advocacy_request",
            "young_person": "no",
            "what_happened": "A meeting about my plan",
            "about": "",
            "text_back": "no",
        },
    ),
    Script(
        "advocate request in Welsh",
        "cy",
        (
            ("Helo", "language"),
            ("2", "intent"),
            ("eiriolwr", "who"),
            ("na", "what_help"),
            ("Cyfarfod am fy nghynllun", "about"),
            ("Fy ngweithiwr cymdeithasol", "reply"),
            ("cewch", "done_advocate"),
        ),
        {
            "intent": "advocacy_request",
            "young_person": "no",
            "what_happened": "Cyfarfod am fy nghynllun",
            "about": "Fy ngweithiwr cymdeithasol",
            "text_back": "any_time",
        },
    ),
    Script(
        "advocate request by ADVOCATE as the first message",
        "en",
        (
            ("ADVOCATE", "who"),
            ("yes", "what_help"),
            ("My review meeting", "about"),
            ("dont know", "reply"),
            ("1", "done_advocate"),
        ),
        {
            "intent": "advocacy_request",
            "young_person": "yes",
            "what_happened": "My review meeting",
            "about": "",
            "text_back": "any_time",
        },
    ),
    Script(
        "telling us something in English",
        "en",
        (
            ("Hi", "language"),
            ("1", "intent"),
            ("3", "who"),
            ("yes", "what_worried"),
            ("My little sister is not getting her school bus any more.", "about"),
            ("The transport team", "reply"),
            ("2", "done_comment"),
        ),
        {
            "intent": "comment",
            "young_person": "yes",
            "what_happened": "My little sister is not getting her school bus any more.",
            "about": "The transport team",
            "text_back": "after_school",
        },
    ),
    Script(
        "telling us something in Welsh",
        "cy",
        (
            ("Helo", "language"),
            ("2", "intent"),
            ("pryder", "who"),
            ("ie", "what_worried"),
            ("Dydy fy chwaer fach ddim yn cael bws ysgol.", "about"),
            ("ddim yn gwybod", "reply"),
            ("1", "done_comment"),
        ),
        {
            "intent": "comment",
            "young_person": "yes",
            "what_happened": "Dydy fy chwaer fach ddim yn cael bws ysgol.",
            "about": "",
            "text_back": "any_time",
        },
    ),
]


@pytest.mark.parametrize("channel", ["sms", "whatsapp"])
@pytest.mark.parametrize("script", SCRIPTS, ids=[s.name for s in SCRIPTS])
def test_a_whole_conversation_in_under_ten_messages(script, channel):
    chat = Chat(channel)
    for number, (text, node) in enumerate(script.steps, start=1):
        turn = chat.send(text)
        assert keys(turn)[0] == f"node:{node}", f"message {number} {text!r}"
        # Before a language is chosen the first question is in the flow's first language.
        expected_language = script.language if chat.state.language else "en"
        assert languages_of(turn)[0] == expected_language
        if number < len(script.steps):
            assert keys(turn) == [f"node:{node}"]
            assert chat.node == node
            assert turn.events == []
    assert chat.inbound < 10
    submits = chat.events("submit")
    assert submits == [Event("submit", {"answers": script.answers, "incomplete": False})]
    assert chat.events("safeguarding") == []
    # The run is over: what was said is in the case, not on the shared phone.
    assert chat.node is None
    assert chat.answers == {}
    assert chat.state.history == []
    assert chat.state.language == script.language


@pytest.mark.parametrize("script", SCRIPTS, ids=[s.name for s in SCRIPTS])
def test_each_reply_is_the_question_of_the_node_the_conversation_is_at(script):
    chat = Chat()
    for text, _ in script.steps[:-1]:
        turn = chat.send(text)
        assert keys(turn) == [f"node:{chat.node}"]


def test_the_end_of_a_complaint_offers_an_advocate_and_gives_the_reference():
    chat = Chat()
    chat.send_all(step for step, _ in SCRIPTS[0].steps[:-1])
    turn = chat.send("1")
    words = render(FLOW, keys(turn)[0], "en")
    assert "CS-2026-12345" in words
    assert "ADVOCATE" in words


def test_saying_no_to_texts_tells_the_young_person_how_to_hear_back():
    chat = Chat()
    chat.send_all(["Hi", "1", "1", "yes", STORY, "yesterday", "Sam", "Sorry"])
    turn = chat.send("4")
    # No promise of a message we will not send: the confirmation says how to hear back.
    assert keys(turn) == ["node:done_complaint_quiet"]
    assert "01632 960 000" in render(FLOW, keys(turn)[0], "en")
    assert chat.events("submit")[0].detail["answers"]["text_back"] == "no"


def test_a_finished_run_is_forgotten_and_the_next_message_starts_again_in_the_same_language():
    chat = Chat()
    chat.send_all(step for step, _ in SCRIPTS[1].steps)  # a complaint in Welsh
    assert chat.answers == {}
    turn = chat.send("Helo eto")
    assert keys(turn) == ["node:intent"]
    assert languages_of(turn) == ["cy"]
    chat.send_all(["2", "ie", "Diolch am y trip i'r traeth", "sgipio"])
    turn = chat.send("1")
    assert names(turn) == ["submit"]
    second = turn.events[0].detail["answers"]
    # Nothing of the first run reaches the second: phones are shared.
    assert second == {
        "intent": "compliment",
        "young_person": "yes",
        "what_happened": "Diolch am y trip i'r traeth",
        "about": "",
        "text_back": "any_time",
    }


def test_advocate_after_a_finished_run_goes_straight_to_an_advocate_request_in_that_language():
    chat = Chat()
    chat.send_all(step for step, _ in SCRIPTS[3].steps)  # a thank-you in Welsh
    turn = chat.send("EIRIOLWR")
    assert keys(turn) == ["node:who"]
    assert languages_of(turn) == ["cy"]
    assert chat.answers == {"intent": "advocacy_request"}


def test_the_engine_does_not_change_the_state_it_was_given():
    state = ChatState(
        node="when", language="en", answers={"intent": "complaint"}, history=["intent", "who"]
    )
    before = state.to_json()
    handle(FLOW, state, Message("pizza", START, "sms"), DANGER, START.date())
    handle(FLOW, state, Message("back", START, "sms"), DANGER, START.date())
    assert state.to_json() == before


OLDER_FLOW_STATES = [
    {"node": "when_did_it_happen", "language": "en", "answers": {"intent": "complaint"}},
    {"node": "when_did_it_happen", "language": "fr", "answers": {"intent": "complaint"}},
    {"node": "about", "language": "en", "history": ["intent", "old_question"]},
    {"node": "about", "language": "fr", "answers": {"intent": "complaint"}},
    {"node": "language", "language": "en", "return_to": "old_question"},
    {"node": "intent", "language": "en", "history": ["old_question"]},
]


@pytest.mark.parametrize("saved", OLDER_FLOW_STATES)
@pytest.mark.parametrize("text", ["Sam", "back", "1", "help", "restart", "advocate", ""])
def test_a_conversation_saved_under_an_older_flow_is_not_stranded(saved, text):
    """Flows are data and councils edit them: a conversation stored at a node (or with a
    history, a question to return to, or a language) that the new flow no longer has
    must still be answered, in a language the flow has, and left where the flow can go
    on from."""
    state = ChatState.from_json(saved)
    turn = handle(FLOW, state, Message(text, START, "sms"), DANGER, START.date())
    assert turn.replies
    for reply in turn.replies:
        assert reply.language in FLOW.languages
        assert render(FLOW, reply.key, reply.language)
    after = turn.state
    assert after.node is None or after.node in FLOW.nodes
    assert after.language is None or after.language in FLOW.languages
    assert after.return_to is None or after.return_to in FLOW.nodes
    assert all(node in FLOW.nodes for node in after.history)


@pytest.mark.parametrize(
    ("saved", "text", "expected"),
    [
        # A question the flow no longer has: the first question, in the language chosen.
        (OLDER_FLOW_STATES[0], "back", [Reply("node:intent", "en")]),
        (OLDER_FLOW_STATES[0], "Sam", [Reply("reask:intent", "en")]),
        # ... and with a language it no longer offers: the language question.
        (OLDER_FLOW_STATES[1], "back", [Reply("node:language", "en")]),
        (OLDER_FLOW_STATES[1], "Sam", [Reply("reask:language", "en")]),
        # A history entry it no longer has is skipped by BACK.
        (OLDER_FLOW_STATES[2], "back", [Reply("node:intent", "en")]),
        # A question to return to that it no longer has: on from the language question.
        (OLDER_FLOW_STATES[4], "2", [Reply("node:intent", "cy")]),
    ],
)
def test_a_conversation_saved_under_an_older_flow_carries_on_from_what_the_flow_has(
    saved, text, expected
):
    state = ChatState.from_json(saved)
    turn = handle(FLOW, state, Message(text, START, "sms"), DANGER, START.date())
    assert turn.replies == expected
    assert turn.state.node == expected[0].key.split(":")[1]


def test_a_language_no_longer_offered_is_asked_again():
    """The question they were on is answered (in the flow's first language); the
    language they had chosen is forgotten, so the next run asks for one again."""
    chat = Chat()
    chat.state = ChatState.from_json(
        {
            "node": "about",
            "language": "fr",
            "answers": {"intent": "complaint", "young_person": "yes", "what_happened": STORY},
            "history": ["language", "intent", "who", "what_happened", "when"],
        }
    )
    turn = chat.send("Sam")
    assert turn.replies == [Reply("node:outcome", "en")]
    assert chat.state.language is None
    chat.send_all(["An apology", "1"])
    assert chat.node is None
    assert chat.events("submit")[0].detail["answers"]["about"] == "Sam"
    assert keys(chat.send("Hi")) == ["node:language"]


# The web chat (and the terminal) ask for contact details -------------------------------

WEB_ANSWERS = {
    "language": "1",
    "intent": "1",
    "who": "yes",
    "what_happened": STORY,
    "what_thanks": "The trip to the farm",
    "what_worried": "My bus pass",
    "what_help": "My review meeting",
    "when": "yesterday",
    "about": "Sam",
    "about_thanks": "Jo",
    "outcome": "An apology",
    "reply": "1",
    "contact": "sam.young@example.org",
}


def _drive(chat: Chat, answers: dict[str, str], first: str = "Hi", limit: int = 20) -> None:
    """Answer whatever is asked until the run is submitted."""
    chat.send(first)
    while not chat.events("submit"):
        assert chat.inbound < limit, f"stuck at {chat.node}"
        chat.send(answers[chat.node])


@pytest.mark.parametrize("channel", ["web", "cli"])
@pytest.mark.parametrize("intent", ["1", "2", "3", "4"])
def test_the_web_chat_asks_for_a_mobile_number_or_an_email(intent, channel):
    """Neither a browser nor the terminal has a number to text back on."""
    chat = Chat(channel)
    _drive(chat, {**WEB_ANSWERS, "intent": intent})
    assert "node:contact" in chat.asked()
    answers = chat.events("submit")[0].detail["answers"]
    assert answers["contact"] == {"method": "email", "value": "sam.young@example.org"}


@pytest.mark.parametrize("channel", ["sms", "whatsapp"])
@pytest.mark.parametrize("intent", ["1", "2", "3", "4"])
def test_a_phone_already_has_the_number_so_is_only_asked_whether_we_may_text_back(channel, intent):
    chat = Chat(channel)
    _drive(chat, {**WEB_ANSWERS, "intent": intent})
    assert "node:reply" in chat.asked()
    assert "node:contact" not in chat.asked()
    assert "contact" not in chat.events("submit")[0].detail["answers"]


@pytest.mark.parametrize(
    ("sent", "expected"),
    [
        ("07700 900123", {"method": "text_message", "value": "07700900123"}),
        ("+44 7700 900123", {"method": "text_message", "value": "+447700900123"}),
        ("07700-900-123", {"method": "text_message", "value": "07700900123"}),
        ("sam.young@example.org", {"method": "email", "value": "sam.young@example.org"}),
        ("NO", {"method": "none"}),
        ("nope", {"method": "none"}),
    ],
)
def test_the_web_chat_takes_a_mobile_number_an_email_or_no(sent, expected):
    chat = Chat("web")
    chat.send_all(["Hi", "1", "1", "yes", STORY, "yesterday", "Sam", "Sorry"])
    assert chat.node == "contact"
    turn = chat.send(sent)
    assert names(turn) == ["submit"]
    assert turn.events[0].detail["answers"]["contact"] == expected


def test_the_web_chat_takes_na_in_welsh():
    chat = Chat("web")
    chat.send_all(["Helo", "2", "1", "ie", STORY_CY, "ddoe", "Sam", "Sori"])
    assert chat.node == "contact"
    turn = chat.send("na")
    assert turn.events[0].detail["answers"]["contact"] == {"method": "none"}


@pytest.mark.parametrize("sent", ["my number", "0770", "sam@", "sam at example dot org", "12345"])
def test_the_web_chat_asks_again_for_something_that_is_not_a_number_or_an_email(sent):
    chat = Chat("web")
    chat.send_all(["Hi", "1", "1", "yes", STORY, "yesterday", "Sam", "Sorry"])
    assert chat.node == "contact"
    turn = chat.send(sent)
    assert keys(turn) == ["reask:contact"]
    assert chat.node == "contact"
    assert chat.answers[OTHER_MESSAGES] == [sent]


@pytest.mark.parametrize("channel", ["web", "cli"])
@pytest.mark.parametrize("intent", ["1", "2", "3", "4"])
def test_the_web_chat_never_asks_to_text_back_on_this_number_and_takes_under_ten_messages(
    intent, channel
):
    """A browser (or the terminal) has no number: it asks for contact details where a
    phone asks "can we text you back on this number"."""
    chat = Chat(channel)
    _drive(chat, {**WEB_ANSWERS, "intent": intent})
    assert "node:reply" not in chat.asked()
    assert chat.inbound < 10


def test_back_from_contact_details_goes_to_the_question_before():
    chat = Chat("web")
    chat.send_all(["Hi", "1", "1", "yes", STORY, "yesterday", "Sam", "Sorry"])
    turn = chat.send("back")
    assert keys(turn) == ["node:outcome"]
    assert "outcome" not in chat.answers
    assert keys(chat.send("An apology")) == ["node:contact"]


def test_no_turn_sends_the_same_words_twice():
    """Both of done_complaint's extras say the same thing; only one may be sent."""
    chat = Chat("web")
    chat.send_all(["Hi", "1", "1", "yes", STORY, "yesterday", "Sam", "Sorry"])
    assert chat.node == "contact"
    turn = chat.send("NO")
    words = [render(FLOW, r.key, r.language) for r in turn.replies]
    assert len(words) == len(set(words)), words


# Global words ----------------------------------------------------------------------------

COMPLAINT_PATH = [
    # (node, an answer to it, what it saves)
    ("language", "1", None),
    ("intent", "1", "intent"),
    ("who", "yes", "young_person"),
    ("what_happened", STORY, "what_happened"),
    ("when", "29/9/2026", "when"),
    ("about", "Sam", "about"),
    ("outcome", "An apology", "outcome"),
    ("reply", "1", "text_back"),
]


def _at(node: str, language: str = "en", channel: str = "sms") -> Chat:
    """A complaint conversation that has just been asked `node`."""
    chat = Chat(channel)
    chat.send("Hi")
    for current, answer, _ in COMPLAINT_PATH:
        if current == node:
            break
        chat.send("2" if current == "language" and language == "cy" else answer)
    assert chat.node == node
    return chat


BACK_WORDS = ["back", "BACK", "Back.", "go back", "previous", "nol", "NOL", "nôl", "NÔL", "yn ol"]


@pytest.mark.parametrize("language", ["en", "cy"])
@pytest.mark.parametrize("word", BACK_WORDS)
@pytest.mark.parametrize("position", range(2, len(COMPLAINT_PATH)))
def test_back_returns_to_the_previous_question_and_forgets_its_answer(position, word, language):
    node = COMPLAINT_PATH[position][0]
    previous, _, saved = COMPLAINT_PATH[position - 1]
    chat = _at(node, language)
    assert saved in chat.answers
    turn = chat.send(word)
    assert keys(turn) == [f"node:{previous}"]
    assert languages_of(turn) == [language]
    assert chat.node == previous
    assert saved not in chat.answers
    assert turn.events == []


def test_back_from_the_first_question_asks_the_language_again():
    chat = _at("intent", "cy")
    turn = chat.send("nol")
    assert keys(turn) == ["node:language"]
    turn = chat.send("1")
    assert keys(turn) == ["node:intent"]
    assert languages_of(turn) == ["en"]


def test_back_at_the_first_message_repeats_the_language_question():
    chat = _at("language")
    turn = chat.send("back")
    assert keys(turn) == ["node:language"]
    assert chat.node == "language"


def test_back_twice_goes_back_two_questions_and_the_young_person_can_carry_on():
    chat = _at("outcome")
    chat.send("back")
    turn = chat.send("back")
    assert keys(turn) == ["node:when"]
    assert "when" not in chat.answers
    assert "about" not in chat.answers
    chat.send_all(["last week", "My carer"])
    assert chat.node == "outcome"
    assert chat.answers["when"]["date"] == "2026-09-23"
    assert chat.answers["about"] == "My carer"


RESTART_WORDS = ["restart", "RESTART", "start again", "start over", "ailddechrau", "dechrau eto"]


@pytest.mark.parametrize("language", ["en", "cy"])
@pytest.mark.parametrize("word", RESTART_WORDS)
@pytest.mark.parametrize("node", ["intent", "who", "what_happened", "when", "outcome", "reply"])
def test_restart_starts_again_keeping_the_language(node, word, language):
    """What was said so far is kept as an incomplete case ("submit"), then the new run
    is a new case ("new_run"); with only a language chosen there is nothing to keep."""
    chat = _at(node, language)
    told = dict(chat.answers)
    turn = chat.send(word)
    assert keys(turn) == ["node:intent"]
    assert languages_of(turn) == [language]
    if node == "intent":
        assert turn.events == [Event("new_run")]
    else:
        assert turn.events == [
            Event("submit", {"answers": told, "incomplete": True}),
            Event("new_run"),
        ]
    assert chat.node == "intent"
    assert chat.answers == {}
    assert chat.state.history == []
    assert chat.state.language == language
    chat.send("2")
    assert chat.answers == {"intent": "compliment"}


def test_restart_before_a_language_is_chosen_asks_the_language():
    chat = _at("language")
    turn = chat.send("restart")
    assert keys(turn) == ["node:language"]
    assert names(turn) == ["new_run"]
    assert chat.state.language is None


def test_restart_keeps_a_first_message_that_said_something():
    chat = Chat()
    chat.send("I need to talk to someone about my foster home")
    turn = chat.send("restart")
    assert keys(turn) == ["node:language"]
    assert turn.events == [
        Event(
            "submit",
            {
                "answers": {OTHER_MESSAGES: ["I need to talk to someone about my foster home"]},
                "incomplete": True,
            },
        ),
        Event("new_run"),
    ]
    assert chat.answers == {}


def test_restart_when_no_run_is_going_starts_one():
    chat = Chat()
    chat.send_all(step for step, _ in SCRIPTS[0].steps)
    turn = chat.send("restart")
    assert keys(turn) == ["node:intent"]
    assert "submit" not in names(turn)


@pytest.mark.parametrize("node", [n for n, _, _ in COMPLAINT_PATH[1:]])
@pytest.mark.parametrize(("start", "switch_to", "answer"), [("en", "cy", "2"), ("cy", "en", "1")])
@pytest.mark.parametrize("word", ["language", "LANG", "iaith", "IAITH"])
def test_language_changes_language_and_returns_to_the_same_question(
    node, start, switch_to, answer, word
):
    chat = _at(node, start)
    before = dict(chat.answers)
    turn = chat.send(word)
    assert keys(turn) == ["node:language"]
    assert chat.node == "language"
    turn = chat.send(answer)
    assert keys(turn) == [f"node:{node}"]
    assert languages_of(turn) == [switch_to]
    assert chat.node == node
    assert chat.state.language == switch_to
    assert chat.answers == before


def test_after_changing_language_the_conversation_finishes_in_the_new_language():
    chat = _at("about", "en")
    chat.send_all(["iaith", "Cymraeg"])
    turn = chat.send("Sam")
    assert keys(turn) == ["node:outcome"]
    assert languages_of(turn) == ["cy"]
    chat.send("Ymddiheuriad")
    turn = chat.send("1")
    assert keys(turn) == ["node:done_complaint"]
    assert languages_of(turn) == ["cy"]
    answers = turn.events[0].detail["answers"]
    assert answers["intent"] == "complaint"
    assert answers["about"] == "Sam"
    assert answers["outcome"] == "Ymddiheuriad"


def test_back_after_changing_language_goes_to_the_question_before():
    chat = _at("about", "en")
    chat.send_all(["language", "2"])
    turn = chat.send("nol")
    assert keys(turn) == ["node:when"]
    assert languages_of(turn) == ["cy"]


def test_back_from_the_language_question_asked_mid_run_forgets_where_language_was_sent():
    """LANGUAGE at "about" shows the language question; BACK from there goes on back
    through the questions. Once they are back at the language question by BACK and
    choose one, the next question is the first one, not "about" (whose earlier answers
    BACK has forgotten)."""
    chat = _at("about")
    chat.send("language")
    for expected in ["when", "what_happened", "who", "intent", "language"]:
        assert keys(chat.send("back")) == [f"node:{expected}"]
    assert chat.answers == {}
    turn = chat.send("2")
    assert turn.replies == [Reply("node:intent", "cy")]
    assert chat.node == "intent"


HELP_WORDS = ["help", "HELP", "Help!", "info", "cymorth", "helpu"]


@pytest.mark.parametrize("language", ["en", "cy"])
@pytest.mark.parametrize("word", HELP_WORDS)
@pytest.mark.parametrize("node", [n for n, _, _ in COMPLAINT_PATH])
def test_help_answers_and_repeats_the_current_question(node, word, language):
    chat = _at(node, language)
    before = chat.state.to_json()
    turn = chat.send(word)
    shown = language if chat.state.language else "en"
    assert turn.replies == [Reply("text:help", shown), Reply(f"node:{node}", shown)]
    moving = {"last_at", "join_key", "join_until"}
    after = chat.state.to_json()
    assert {k: v for k, v in after.items() if k not in moving} == {
        k: v for k, v in before.items() if k not in moving
    }


def test_help_as_the_very_first_message_explains_and_starts_nothing():
    chat = Chat()
    turn = chat.send("help")
    assert keys(turn) == ["text:help"]
    turn = chat.send("Hi")
    assert keys(turn) == ["node:language"]


@pytest.mark.parametrize("sent", ["?", " ? "])
@pytest.mark.parametrize("node", ["language", "intent", "what_happened", "when", "about"])
def test_a_question_mark_alone_is_help(node, sent):
    """The flow lists "?" as a HELP word (words.help.en), though it is all punctuation;
    at a free-text question it is not taken as the young person's story."""
    chat = _at(node)
    turn = chat.send(sent)
    assert keys(turn) == ["text:help", f"node:{node}"]
    assert chat.node == node
    assert node not in chat.answers
    assert OTHER_MESSAGES not in chat.answers


@pytest.mark.parametrize("sent", ["??", "?!", "what?", "Why? He never came"])
def test_a_question_mark_with_more_is_not_help(sent):
    chat = _at("what_happened")
    turn = chat.send(sent)
    assert keys(turn) == ["node:when"]
    assert chat.answers["what_happened"] == sent


@pytest.mark.parametrize(
    "answer",
    [
        "Language was rude",
        "Back at my old home it was better",
        "Help with my plan was never given",
        "Restart my contact with my dad",
        "Stop moving me between homes",
        "Advocate never came to my review",
        "Iaith y gweithiwr yn gas",
        "Nol adref roedd pethau'n well",
        "Start of the year was fine",
        "End of story, nobody listens",
    ],
)
def test_a_free_text_answer_starting_with_a_keyword_is_an_answer(answer):
    chat = _at("what_happened")
    turn = chat.send(answer)
    assert keys(turn) == ["node:when"]
    assert chat.answers["what_happened"] == answer
    assert not chat.state.stopped
    assert turn.events == []


@pytest.mark.parametrize("answer", ["Language", "language please", "Change the language"])
def test_only_the_whole_word_changes_language(answer):
    chat = _at("outcome")
    turn = chat.send(answer)
    if answer == "Language":
        assert keys(turn) == ["node:language"]
    else:
        assert keys(turn) == ["node:reply"]
        assert chat.answers["outcome"] == answer


@pytest.mark.parametrize("typed", ["restrat", "RESTART!", "langauge", "advocat", "ailddechru"])
def test_global_words_allow_a_one_letter_slip(typed):
    chat = _at("intent")
    turn = chat.send(typed)
    assert keys(turn) != ["reask:intent"]


@pytest.mark.parametrize("word", ["advocate", "ADVOCATE", "advocacy", "eiriolwr", "eiriolaeth"])
@pytest.mark.parametrize("language", ["en", "cy"])
def test_advocate_at_the_first_question_asks_for_an_advocate(word, language):
    chat = _at("intent", language)
    turn = chat.send(word)
    assert keys(turn) == ["node:who"]
    assert languages_of(turn) == [language]
    assert chat.answers == {"intent": "advocacy_request"}


ADVOCATE_LANGUAGES = [
    ("eiriolwr", "cy"),
    ("EIRIOLAETH", "cy"),
    ("advocacy", "en"),
    ("ADVOCATE", "en"),  # a word in both lists: the flow's first language
]


@pytest.mark.parametrize(("word", "language"), ADVOCATE_LANGUAGES)
def test_advocate_as_the_very_first_message_answers_in_the_language_of_the_word(word, language):
    """The language question is skipped, so the language is taken from the word:
    "eiriolwr" is answered in Welsh."""
    chat = Chat()
    turn = chat.send(word)
    assert keys(turn) == ["node:who"]
    assert languages_of(turn) == [language]
    assert chat.state.language == language
    assert chat.answers == {"intent": "advocacy_request"}


@pytest.mark.parametrize(("word", "language"), ADVOCATE_LANGUAGES)
def test_advocate_at_the_language_question_asks_for_an_advocate(word, language):
    chat = _at("language")
    turn = chat.send(word)
    assert keys(turn) == ["node:who"]
    assert languages_of(turn) == [language]
    assert chat.answers == {"intent": "advocacy_request"}
    assert turn.events == []


@pytest.mark.parametrize("word", ["ADVOCATE", "eiriolwr"])
@pytest.mark.parametrize("language", ["en", "cy"])
@pytest.mark.parametrize("node", ["who", "what_happened", "when", "about", "outcome", "reply"])
def test_advocate_in_the_middle_is_noted_and_the_question_asked_again(node, language, word):
    """HELP says "For an advocate ... send ADVOCATE" at every step. In the middle of a
    conversation it asks for an advocate for this, and nothing else changes."""
    chat = _at(node, language)
    before = chat.state.to_json()
    turn = chat.send(word)
    assert turn.replies == [Reply("text:advocate_noted", language), Reply(f"node:{node}", language)]
    assert turn.events == []
    assert chat.node == node
    assert chat.answers == {**before["answers"], ADVOCATE_WANTED: True}
    assert chat.state.history == before["history"]
    assert chat.state.language == language


def test_an_advocate_asked_for_in_the_middle_reaches_the_case():
    chat = _at("when")
    assert "send ADVOCATE" in render(FLOW, "text:help", "en")
    turn = chat.send("ADVOCATE")
    assert "reask:when" not in keys(turn)
    chat.send_all(["last week", "Sam", "An apology"])
    turn = chat.send("1")
    answers = turn.events[0].detail["answers"]
    assert answers[ADVOCATE_WANTED] is True
    assert answers["intent"] == "complaint"
    assert answers["when"] == {"when": "last_3_months", "date": "2026-09-23"}
    assert OTHER_MESSAGES not in answers


def _in_a_case(chat: Chat, text: str) -> bool:
    """Has `text` reached a case: in the answers of any "submit" so far?"""
    return any(text in json.dumps(e.detail["answers"]) for e in chat.events("submit"))


def test_advocate_after_a_first_message_that_said_something_does_not_lose_it():
    """The run-starting message is kept in _other_messages; ADVOCATE at the first
    question must not throw it away (by a "submit" first, or by keeping it)."""
    first = "I need to talk to someone about my foster home"
    chat = Chat()
    chat.send_all([first, "1"])
    assert chat.answers[OTHER_MESSAGES] == [first]
    turn = chat.send("ADVOCATE")
    assert keys(turn) == ["node:who"]
    chat.send_all(["yes", "My review meeting", "skip", "1"])
    assert chat.node is None
    assert _in_a_case(chat, first)


def test_advocate_at_the_language_question_asked_mid_run_does_not_lose_the_story():
    """LANGUAGE in the middle of a complaint shows the language question; ADVOCATE there
    starts an advocate request, but what was told so far must still reach a case (as
    RESTART keeps it), not vanish with no "submit"."""
    chat = _at("about")
    chat.send("language")
    assert chat.node == "language"
    turn = chat.send("ADVOCATE")
    assert keys(turn) == ["node:who"]
    chat.send_all(["yes", "My review meeting", "skip", "1"])
    assert chat.node is None
    assert _in_a_case(chat, STORY)


# STOP and START -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "word", ["STOP", "stop", "stopall", "unsubscribe", "cancel", "end", "quit"]
)
def test_stop_on_sms_gets_no_reply_because_twilio_answers_it(word):
    chat = _at("when")
    turn = chat.send(word)
    assert turn.replies == []
    assert names(turn) == ["stopped"]
    assert chat.state.stopped


@pytest.mark.parametrize("channel", ["whatsapp", "web", "cli"])
@pytest.mark.parametrize(("word", "language"), [("STOP", "en"), ("stopio", "cy"), ("diwedd", "cy")])
def test_stop_elsewhere_is_answered_in_the_young_persons_language(channel, word, language):
    chat = _at("who", language, channel)
    turn = chat.send(word)
    assert turn.replies == [Reply("text:stopped", language)]
    assert names(turn) == ["stopped"]


@pytest.mark.parametrize("channel", ["sms", "whatsapp"])
def test_after_stop_nothing_is_answered_until_start(channel):
    chat = _at("when", "en", channel)
    chat.send("STOP")
    node, answers = chat.node, dict(chat.answers)
    for text in ["Hi", "help", "1", "last week", "back", "restart", "", "stop"]:
        turn = chat.send(text)
        assert turn.replies == [], text
        assert turn.events == [], text
    chat.send("", media=1)
    assert chat.turns[-1].replies == []
    assert chat.node == node
    assert chat.answers == answers
    turn = chat.send("START")
    assert keys(turn) == ["text:started", "node:when"]
    assert names(turn) == ["started"]
    assert not chat.state.stopped
    turn = chat.send("last week")
    assert keys(turn) == ["node:about"]


@pytest.mark.parametrize("word", ["start", "START", "unstop", "yes", "YES", "dechrau", "ie"])
def test_any_start_word_starts_again(word):
    chat = _at("about", "cy")
    chat.send("stopio")
    turn = chat.send(word)
    assert turn.replies == [Reply("text:started", "cy"), Reply("node:about", "cy")]
    assert names(turn) == ["started"]


def test_stop_before_anything_then_start_then_the_conversation_begins():
    chat = Chat()
    chat.send("STOP")
    turn = chat.send("START")
    assert keys(turn) == ["text:started"]
    turn = chat.send("Hi")
    assert keys(turn) == ["node:language"]


def test_stop_within_a_sentence_is_not_stop():
    chat = _at("outcome")
    turn = chat.send("I want them to stop changing my social worker")
    assert keys(turn) == ["node:reply"]
    assert not chat.state.stopped


def test_a_stopped_conversation_is_still_kept_when_it_expires_and_stays_stopped():
    chat = _at("when")
    chat.send("STOP")
    told = dict(chat.answers)
    turn = chat.expire(DAY * 2)
    assert turn.events == [Event("submit", {"answers": told, "incomplete": True})]
    assert chat.state.stopped
    assert chat.send("hello").replies == []


def test_start_after_the_conversation_expired_offers_to_carry_on_or_start_again():
    """After expiry, STOP then START brings the resume offer (not the old question,
    whose answer would then be met by the offer), and "1" carries on."""
    chat = _at("when")
    chat.expire(DAY + timedelta(minutes=1))
    chat.send("STOP")
    turn = chat.send("START")
    assert keys(turn) == ["text:started", "text:resume"]
    assert names(turn) == ["started"]
    assert chat.state.offer_resume
    assert chat.node == "when"
    assert keys(chat.send("1")) == ["node:when"]
    assert not chat.state.offer_resume
    assert keys(chat.send("last week")) == ["node:about"]


# Choices ---------------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["en", "cy"])
@pytest.mark.parametrize(
    ("sent", "intent"),
    [
        ("1", "complaint"),
        ("2", "compliment"),
        ("2.", "compliment"),
        ("2)", "compliment"),
        (" 2 ", "compliment"),
        ("2 please", "compliment"),
        ("3", "comment"),
        ("4", "advocacy_request"),
        ("complain", "complaint"),
        ("complian", "complaint"),
        ("COMPLAINT!", "complaint"),
        ("I want to complain", "complaint"),
        ("not happy", "complaint"),
        ("cwyno", "complaint"),
        ("cwyn", "complaint"),
        ("cwyo", "complaint"),
        ("thank you", "compliment"),
        ("thnks", "compliment"),
        ("diolch", "compliment"),
        ("Diolch yn fawr", "compliment"),
        ("diolh", "compliment"),
        ("worried", "comment"),
        ("poeni", "comment"),
        ("pryder", "comment"),
        ("someone on my side", "advocacy_request"),
    ],
)
def test_the_first_question_takes_numbers_and_words_in_either_language(sent, intent, language):
    chat = _at("intent", language)
    turn = chat.send(sent)
    assert keys(turn) == ["node:who"]
    assert chat.answers["intent"] == intent


@pytest.mark.parametrize("sent", ["0", "5", "12", "pizza", "2nd", "maybe", "3/10"])
def test_an_answer_that_is_not_a_choice_is_asked_again_and_kept(sent):
    chat = _at("intent")
    turn = chat.send(sent)
    assert keys(turn) == ["reask:intent"]
    assert chat.node == "intent"
    assert chat.answers[OTHER_MESSAGES] == [sent]


@pytest.mark.parametrize(
    ("sent", "expected"),
    [
        ("1", "yes"),
        ("2", "no"),
        ("Y", "yes"),
        ("yeah", "yes"),
        ("Yes it's me", "yes"),
        ("ok", "yes"),
        ("nope", "no"),
        ("No, I am helping my brother", "no"),
        ("helping", "no"),
        ("ie", "yes"),
        ("ydw", "yes"),
        ("na", "no"),
        ("nac ydw", "no"),
    ],
)
def test_are_you_the_young_person_takes_yes_and_no_in_either_language(sent, expected):
    chat = _at("who", "cy" if sent in {"ie", "ydw", "na", "nac ydw"} else "en")
    turn = chat.send(sent)
    assert keys(turn) == ["node:what_happened"]
    assert chat.answers["young_person"] == expected


def test_i_am_is_not_a_yes_word():
    assert "i am" not in FLOW.yes["en"]


@pytest.mark.parametrize("sent", ["I am helping my sister", "im helping my friend"])
def test_i_am_helping_is_no(sent):
    """ "I am helping my sister" says they are not the young person: it is NO."""
    chat = _at("who")
    turn = chat.send(sent)
    assert keys(turn) == ["node:what_happened"]
    assert chat.answers["young_person"] == "no"


@pytest.mark.parametrize(
    ("sent", "language", "expected"),
    [
        ("1", "en", "any_time"),
        ("2)", "en", "after_school"),
        ("3.", "en", "weekends"),
        ("4", "en", "no"),
        ("anytime", "en", "any_time"),
        ("after school", "en", "after_school"),
        ("weekends", "en", "weekends"),
        ("never", "en", "no"),
        ("cewch", "cy", "any_time"),
        ("penwythnos", "cy", "weekends"),
        ("peidiwch", "cy", "no"),
    ],
)
def test_can_we_text_you_back_takes_numbers_and_words(sent, language, expected):
    chat = _at("reply", language)
    turn = chat.send(sent)
    assert names(turn) == ["submit"]
    assert turn.events[0].detail["answers"]["text_back"] == expected


@pytest.mark.parametrize(
    ("sent", "language"),
    [("1", "en"), ("2", "cy"), ("English", "en"), ("welsh", "cy"), ("Cymraeg", "cy"),
     ("cymraig", "cy"), ("saesneg", "en"), ("1.", "en"), ("2)", "cy")],
)  # fmt: skip
def test_the_language_question_takes_numbers_and_names(sent, language):
    chat = _at("language")
    turn = chat.send(sent)
    assert turn.replies == [Reply("node:intent", language)]
    assert chat.state.language == language


@pytest.mark.parametrize("sent", ["11", "French", "hiya"])
def test_the_language_question_asks_again(sent):
    chat = _at("language")
    assert keys(chat.send(sent)) == ["reask:language"]
    assert chat.state.language is None


# Dates -----------------------------------------------------------------------------------


def _date_chat(today: datetime, language: str) -> Chat:
    chat = Chat(at=today - timedelta(minutes=30))
    chat.send_all(["Hi", "2" if language == "cy" else "1", "1", "1", STORY])
    assert chat.node == "when"
    return chat


OCT_2026 = datetime(2026, 10, 20, 10, 0)


@pytest.mark.parametrize(
    ("today", "language", "sent", "expected"),
    [
        (OCT_2026, "en", "3/10/2026", {"when": "last_3_months", "date": "2026-10-03"}),
        (OCT_2026, "en", "3/10", {"when": "last_3_months", "date": "2026-10-03"}),
        (START, "en", "3/10", {"when": "3_to_12_months", "date": "2025-10-03"}),
        (START, "en", "3/10/25", {"when": "3_to_12_months", "date": "2025-10-03"}),
        (START, "en", "3/10/2024", {"when": "over_12_months", "date": "2024-10-03"}),
        (START, "en", "last week", {"when": "last_3_months", "date": "2026-09-23"}),
        (START, "en", "Last week.", {"when": "last_3_months", "date": "2026-09-23"}),
        (START, "en", "yesterday", {"when": "last_3_months", "date": "2026-09-29"}),
        (START, "en", "YESTERDAY", {"when": "last_3_months", "date": "2026-09-29"}),
        (START, "en", "today", {"when": "last_3_months", "date": "2026-09-30"}),
        (START, "en", "last month", {"when": "last_3_months", "date": "2026-08-31"}),
        (START, "en", "last year", {"when": "3_to_12_months", "date": "2025-09-30"}),
        (START, "en", "October", {"when": "3_to_12_months", "date": "2025-10-01"}),
        (START, "en", "3 March 2025", {"when": "over_12_months", "date": "2025-03-03"}),
        (START, "en", "june", {"when": "3_to_12_months", "date": "2026-06-01"}),
        (START, "en", "2 Sept", {"when": "last_3_months", "date": "2026-09-02"}),
        (START, "en", "2025", {"when": "over_12_months", "date": "2025-01-01"}),
        (START, "en", "3rd October 2025", {"when": "3_to_12_months", "date": "2025-10-03"}),
        (START, "en", "the 21st of Sept", {"when": "last_3_months", "date": "2026-09-21"}),
        (START, "en", "2nd sept", {"when": "last_3_months", "date": "2026-09-02"}),
        (START, "en", "now", {"when": "still_happening", "date": None}),
        (START, "en", "NOW", {"when": "still_happening", "date": None}),
        (START, "en", "still happening", {"when": "still_happening", "date": None}),
        (START, "en", "all the time", {"when": "still_happening", "date": None}),
        (START, "en", "skip", {"when": "not_sure", "date": None}),
        (START, "en", "SKIP", {"when": "not_sure", "date": None}),
        (START, "en", "dont know", {"when": "not_sure", "date": None}),
        (START, "en", "not sure", {"when": "not_sure", "date": None}),
        (START, "cy", "3/9/2026", {"when": "last_3_months", "date": "2026-09-03"}),
        (START, "cy", "ddoe", {"when": "last_3_months", "date": "2026-09-29"}),
        (START, "cy", "wythnos diwethaf", {"when": "last_3_months", "date": "2026-09-23"}),
        (START, "cy", "llynedd", {"when": "3_to_12_months", "date": "2025-09-30"}),
        (START, "cy", "Hydref", {"when": "3_to_12_months", "date": "2025-10-01"}),
        (START, "cy", "3 Mawrth 2025", {"when": "over_12_months", "date": "2025-03-03"}),
        (START, "cy", "1 Medi", {"when": "last_3_months", "date": "2026-09-01"}),
        (START, "cy", "3ydd Hydref 2025", {"when": "3_to_12_months", "date": "2025-10-03"}),
        (START, "cy", "1af Medi", {"when": "last_3_months", "date": "2026-09-01"}),
        (START, "cy", "nawr", {"when": "still_happening", "date": None}),
        (START, "cy", "o hyd", {"when": "still_happening", "date": None}),
        (START, "cy", "sgipio", {"when": "not_sure", "date": None}),
        (START, "cy", "sgip", {"when": "not_sure", "date": None}),
        (START, "cy", "ddim yn siwr", {"when": "not_sure", "date": None}),
    ],
)
def test_when_it_happened(today, language, sent, expected):
    chat = _date_chat(today, language)
    turn = chat.send(sent)
    assert turn.replies == [Reply("node:about", language)]
    assert chat.answers["when"] == expected


@pytest.mark.parametrize(
    ("sent", "bucket"),
    [
        ("30/6/2026", "last_3_months"),  # 92 days before 30 September 2026
        ("29/6/2026", "3_to_12_months"),  # 93 days
        ("29/9/2025", "3_to_12_months"),  # 366 days
        ("28/9/2025", "over_12_months"),  # 367 days
    ],
)
def test_the_buckets_of_when_it_happened(sent, bucket):
    chat = _date_chat(START, "en")
    chat.send(sent)
    assert chat.answers["when"]["when"] == bucket


@pytest.mark.parametrize(
    "sent", ["1/10/2026", "25/12/2026", "December 2026", "tomorrow", "31/2/2026", "13/13", "soon"]
)
def test_a_future_or_impossible_date_is_asked_again(sent):
    chat = _date_chat(START, "en")
    turn = chat.send(sent)
    assert keys(turn) == ["reask:when"]
    assert chat.node == "when"
    assert "when" not in chat.answers
    turn = chat.send("yesterday")
    assert keys(turn) == ["node:about"]


# Long messages split by the phone ---------------------------------------------------------


def _story_started(first: str = "My carer took my phone and") -> Chat:
    chat = _at("what_happened")
    chat.send(first)
    assert chat.node == "when"
    return chat


@pytest.mark.parametrize("seconds", [1, 10, 30])
def test_a_second_part_within_30_seconds_is_joined_to_the_story(seconds):
    chat = _story_started()
    turn = chat.send("would not give it back for a week", wait=timedelta(seconds=seconds))
    assert turn.replies == []
    assert turn.events == []
    assert chat.node == "when"
    assert chat.answers["what_happened"] == (
        "My carer took my phone and would not give it back for a week"
    )
    assert OTHER_MESSAGES not in chat.answers
    turn = chat.send("last week", wait=timedelta(seconds=20))
    assert keys(turn) == ["node:about"]


def test_several_parts_each_soon_after_the_last_are_all_joined():
    chat = _story_started("One")
    for part in ["two", "three", "four"]:
        assert chat.send(part, wait=timedelta(seconds=25)).replies == []
    assert chat.answers["what_happened"] == "One two three four"


def test_a_second_part_after_30_seconds_is_not_joined():
    chat = _story_started()
    turn = chat.send("would not give it back", wait=timedelta(seconds=31))
    assert keys(turn) == ["reask:when"]
    assert chat.answers["what_happened"] == "My carer took my phone and"
    assert chat.answers[OTHER_MESSAGES] == ["would not give it back"]


@pytest.mark.parametrize(("sent", "node"), [("yesterday", "about"), ("now", "about")])
def test_a_quick_message_that_answers_the_question_is_not_joined(sent, node):
    chat = _story_started()
    turn = chat.send(sent, wait=timedelta(seconds=5))
    assert keys(turn) == [f"node:{node}"]
    assert chat.answers["what_happened"] == "My carer took my phone and"


@pytest.mark.parametrize(
    ("sent", "expected"), [("help", "text:help"), ("back", "node:what_happened")]
)
def test_a_quick_keyword_is_a_keyword(sent, expected):
    chat = _story_started()
    turn = chat.send(sent, wait=timedelta(seconds=5))
    assert keys(turn)[0] == expected


def test_a_quick_stop_is_stop():
    chat = _story_started()
    turn = chat.send("STOP", wait=timedelta(seconds=5))
    assert names(turn) == ["stopped"]


def test_joining_ends_once_another_question_is_answered():
    chat = _story_started()
    chat.send("yesterday", wait=timedelta(seconds=5))
    turn = chat.send("and my carer shouted", wait=timedelta(seconds=5))
    assert keys(turn) == ["node:outcome"]
    assert chat.answers["about"] == "and my carer shouted"
    assert chat.answers["what_happened"] == "My carer took my phone and"


# When the next question wants free text too, only a piece within 5 seconds is joined: a
# phone sends the pieces of one message together; a person takes longer to answer.
FREE_TEXT_THEN_FREE_TEXT = [
    # (intent, the story's node, what it saves, the free-text question that follows)
    ("2", "what_thanks", "what_happened", "about_thanks"),
    ("3", "what_worried", "what_happened", "about"),
    ("4", "what_help", "what_happened", "about"),
]


def _story_before_free_text(intent: str, node: str) -> Chat:
    chat = Chat()
    chat.send_all(["Hi", "1", intent, "yes"])
    assert chat.node == node
    chat.send("My foster carer took me to")
    return chat


@pytest.mark.parametrize("seconds", [1, 5])
@pytest.mark.parametrize(("intent", "node", "saved", "following"), FREE_TEXT_THEN_FREE_TEXT)
def test_a_piece_within_5_seconds_is_joined_when_the_next_question_is_free_text_too(
    intent, node, saved, following, seconds
):
    chat = _story_before_free_text(intent, node)
    assert chat.node == following
    turn = chat.send("the seaside", wait=timedelta(seconds=seconds))
    assert turn.replies == []
    assert chat.node == following
    assert chat.answers[saved] == "My foster carer took me to the seaside"
    assert following not in chat.answers


@pytest.mark.parametrize("seconds", [6, 20, 30])
@pytest.mark.parametrize(("intent", "node", "saved", "following"), FREE_TEXT_THEN_FREE_TEXT)
def test_a_message_after_5_seconds_answers_the_next_free_text_question(
    intent, node, saved, following, seconds
):
    chat = _story_before_free_text(intent, node)
    turn = chat.send("Jo, my foster carer", wait=timedelta(seconds=seconds))
    assert keys(turn) != []
    assert chat.node != following
    assert chat.answers[saved] == "My foster carer took me to"
    assert chat.answers[FLOW.nodes[following].save_as] == "Jo, my foster carer"


def test_a_quick_message_after_an_answer_that_is_not_a_story_is_the_next_answer():
    """Only the story questions take several messages; "who is it about" does not."""
    chat = _at("about")
    chat.send("My social worker")
    assert chat.node == "outcome"
    turn = chat.send("An apology", wait=timedelta(seconds=2))
    assert keys(turn) == ["node:reply"]
    assert chat.answers["about"] == "My social worker"
    assert chat.answers["outcome"] == "An apology"


def test_several_quick_pieces_before_a_free_text_question_are_all_joined():
    chat = _story_before_free_text("3", "what_worried")
    for part in ["the", "seaside", "and back"]:
        assert chat.send(part, wait=timedelta(seconds=4)).replies == []
    assert chat.answers["what_happened"] == "My foster carer took me to the seaside and back"
    assert chat.node == "about"


# Media, empty messages and messages that answer nothing -----------------------------------


@pytest.mark.parametrize(
    ("node", "question"),
    [
        ("language", "reask:language"),
        ("intent", "reask:intent"),
        ("who", "reask:who"),
        ("what_happened", "node:what_happened"),
        ("when", "reask:when"),
        ("about", "node:about"),
        ("reply", "reask:reply"),
    ],
)
def test_a_picture_with_no_words_gets_told_to_type_and_the_question_again(node, question):
    chat = _at(node)
    turn = chat.send("", media=1)
    assert keys(turn) == ["text:media_only", question]
    assert chat.node == node
    assert turn.events == []


def test_a_picture_as_the_first_message_gets_the_language_question():
    chat = Chat("whatsapp")
    turn = chat.send("", media=2)
    assert keys(turn) == ["text:media_only", "node:language"]
    assert chat.node == "language"


@pytest.mark.parametrize("empty", ["", "   ", "\n"])
@pytest.mark.parametrize(
    ("node", "question"), [("intent", "reask:intent"), ("about", "node:about")]
)
def test_an_empty_message_repeats_the_question(node, question, empty):
    chat = _at(node)
    turn = chat.send(empty)
    assert keys(turn)[-1] == question
    assert chat.node == node
    assert node not in chat.answers


def test_messages_that_answered_nothing_reach_the_case():
    chat = Chat()
    chat.send("Hi I need to tell someone about my placement")
    chat.send_all(["1", "pizza", "1", "yes", STORY, "a while back I think", "yesterday"])
    chat.send_all(["Sam", "Sorry", "1"])
    answers = chat.events("submit")[0].detail["answers"]
    assert answers[OTHER_MESSAGES] == [
        "Hi I need to tell someone about my placement",
        "pizza",
        "a while back I think",
    ]


@pytest.mark.parametrize("greeting", ["Hi", "Hi there", "helo eto", "Advocate needed"])
def test_a_greeting_alone_is_not_kept(greeting):
    chat = Chat()
    chat.send(greeting)
    assert OTHER_MESSAGES not in chat.answers


def test_a_first_message_of_more_than_two_words_is_kept():
    chat = Chat()
    chat.send("Hi there you")
    assert chat.answers[OTHER_MESSAGES] == ["Hi there you"]


def test_a_very_long_message_is_kept_whole():
    story = "My carer shouted at my brother. " * 50  # 1,600 characters
    chat = _at("what_happened")
    chat.send(story)
    assert chat.answers["what_happened"] == story.strip()


# The 24-hour expiry ----------------------------------------------------------------------


def test_expire_before_24_hours_does_nothing():
    chat = _at("about")
    before = chat.state
    turn = chat.expire(DAY - timedelta(seconds=1))
    assert turn.events == []
    assert turn.replies == []
    assert turn.state == before
    assert not chat.state.expired


def test_after_24_hours_what_was_told_is_kept_as_an_incomplete_case():
    chat = _at("about")
    told = dict(chat.answers)
    turn = chat.expire(DAY)
    assert turn.events == [Event("submit", {"answers": told, "incomplete": True})]
    assert turn.replies == []
    assert chat.state.expired
    assert chat.answers == told
    # Expiring again changes nothing and makes no second case.
    assert chat.expire(DAY).events == []


def test_with_only_a_language_chosen_nothing_is_kept():
    chat = _at("intent", "cy")
    turn = chat.expire(DAY * 3)
    assert turn.events == []
    assert chat.state.expired


def test_a_first_message_with_something_in_it_is_kept_when_it_expires():
    chat = Chat()
    chat.send("I need to talk to someone about my foster home")
    turn = chat.expire(DAY)
    assert turn.events == [
        Event(
            "submit",
            {
                "answers": {OTHER_MESSAGES: ["I need to talk to someone about my foster home"]},
                "incomplete": True,
            },
        )
    ]


def test_a_finished_conversation_does_not_expire():
    chat = Chat()
    chat.send_all(step for step, _ in SCRIPTS[0].steps)
    assert chat.expire(DAY * 5).events == []
    assert not chat.state.expired


def test_a_returning_sender_can_carry_on_at_the_same_question():
    chat = _at("about", "cy")
    chat.expire(DAY * 2)
    turn = chat.send("Helo")
    assert turn.replies == [Reply("text:resume", "cy")]
    assert turn.events == []
    # The offer is a flag: the question they were on is kept as it was.
    assert chat.state.offer_resume
    assert chat.node == "about"
    assert not chat.state.expired
    turn = chat.send("1")
    assert turn.replies == [Reply("node:about", "cy")]
    assert not chat.state.offer_resume
    assert chat.node == "about"
    chat.send_all(["Sam", "Ymddiheuriad"])
    turn = chat.send("1")
    assert names(turn) == ["submit"]
    answers = turn.events[0].detail["answers"]
    assert answers["what_happened"] == STORY
    assert answers["about"] == "Sam"
    assert OTHER_MESSAGES not in answers
    assert turn.events[0].detail["incomplete"] is False


@pytest.mark.parametrize(
    ("carry_on", "language"), [("yes", "en"), ("ie", "cy"), ("1.", "en"), ("1)", "cy")]
)
def test_yes_also_carries_on(carry_on, language):
    chat = _at("when", language)
    chat.expire(DAY)
    chat.send("hello")
    assert keys(chat.send(carry_on)) == ["node:when"]
    assert not chat.state.offer_resume


def test_a_returning_sender_can_start_again():
    chat = _at("about", "cy")
    chat.expire(DAY * 2)
    chat.send("Helo")
    turn = chat.send("2")
    # What they said before is filled in once more (the channel finds the incomplete case
    # the expiry made and adds anything said since), then a new run begins.
    assert names(turn) == ["submit", "new_run"]
    assert turn.events[0].detail["incomplete"] is True
    assert turn.events[0].detail["answers"]["what_happened"] == STORY
    assert turn.replies == [Reply("node:intent", "cy")]
    assert chat.node == "intent"
    assert not chat.state.offer_resume
    assert chat.answers == {}
    assert chat.state.history == []
    assert chat.state.language == "cy"
    chat.send_all(["2", "ie", "Diolch", "Jo"])
    turn = chat.send("1")
    assert turn.events[0].detail["answers"]["intent"] == "compliment"
    assert "when" not in turn.events[0].detail["answers"]


@pytest.mark.parametrize("sent", ["3", "maybe", "pizza", "Language was rude"])
def test_the_resume_offer_is_repeated_until_answered(sent):
    chat = _at("when")
    chat.expire(DAY)
    chat.send("hi")
    turn = chat.send(sent)
    assert keys(turn) == ["text:resume"]
    assert turn.events == []
    assert chat.state.offer_resume
    assert chat.node == "when"
    # What answered nothing is kept (the greeting before it, two words or less, is not).
    assert chat.answers[OTHER_MESSAGES] == [sent]


def test_help_at_the_resume_offer_repeats_the_offer():
    chat = _at("when")
    chat.expire(DAY)
    chat.send("hi")
    assert keys(chat.send("help")) == ["text:help", "text:resume"]
    assert keys(chat.send("?")) == ["text:help", "text:resume"]
    assert chat.state.offer_resume
    assert chat.node == "when"
    assert keys(chat.send("1")) == ["node:when"]


@pytest.mark.parametrize("media", [0, 1])
def test_a_picture_or_an_empty_message_at_the_resume_offer_repeats_the_offer(media):
    chat = _at("when")
    chat.expire(DAY)
    chat.send("hi")
    expected = "text:media_only" if media else "text:help"
    assert keys(chat.send("", media=media)) == [expected, "text:resume"]
    assert chat.state.offer_resume
    assert chat.node == "when"


def test_back_at_the_resume_offer_is_not_an_answer_to_it():
    chat = _at("when")
    chat.expire(DAY)
    chat.send("hi")
    told = {k: v for k, v in chat.answers.items() if k != OTHER_MESSAGES}
    turn = chat.send("back")
    assert keys(turn) == ["text:resume"]
    assert chat.state.offer_resume
    assert chat.node == "when"
    assert {k: v for k, v in chat.answers.items() if k != OTHER_MESSAGES} == told


def test_the_first_message_after_expiry_is_kept():
    """Messages that answered nothing are kept, the message that only brings the resume
    offer too."""
    chat = _at("when")
    chat.expire(DAY)
    turn = chat.send("Sorry I went quiet, it happened again last night")
    assert keys(turn) == ["text:resume"]
    assert chat.answers.get(OTHER_MESSAGES) == ["Sorry I went quiet, it happened again last night"]
    chat.send_all(["1", "last week", "Sam", "An apology"])
    turn = chat.send("1")
    assert turn.events[0].detail["answers"][OTHER_MESSAGES] == [
        "Sorry I went quiet, it happened again last night"
    ]


@pytest.mark.parametrize("sent", ["hi", "Hi there", "1", "yes"])
def test_a_short_first_message_after_expiry_is_not_kept_and_is_not_an_answer(sent):
    chat = _at("when")
    chat.expire(DAY)
    turn = chat.send(sent)
    assert keys(turn) == ["text:resume"]
    assert OTHER_MESSAGES not in chat.answers
    assert chat.state.offer_resume
    assert chat.node == "when"


@pytest.mark.parametrize("new_run", ["2", "restart", "ADVOCATE"])
def test_what_was_said_at_the_resume_offer_is_not_lost_when_they_start_again(new_run):
    """The case made at expiry holds what was said before it; what they sent after it
    (kept in _other_messages) must reach a case too when they start again."""
    said = "Sorry I went quiet, it happened again last night"
    chat = _at("when")
    chat.expire(DAY)
    chat.send(said)
    assert chat.answers[OTHER_MESSAGES] == [said]
    chat.send(new_run)
    for _ in range(10):
        if chat.node is None:
            break
        chat.send(WEB_ANSWERS.get(chat.node, "1"))
    assert chat.node is None
    assert _in_a_case(chat, said)


def test_restart_at_the_resume_offer_starts_a_new_run_like_2():
    """The expired answers are an incomplete case; RESTART, like "2", fills it in with
    anything said since ("submit", incomplete) and then starts a new run."""
    chat = _at("outcome")
    chat.expire(DAY)
    chat.send("hi")
    turn = chat.send("restart")
    assert keys(turn) == ["node:intent"]
    assert names(turn) == ["submit", "new_run"]
    assert turn.events[0].detail["incomplete"] is True
    assert not chat.state.offer_resume
    assert chat.answers == {}


@pytest.mark.parametrize(("word", "language"), [("ADVOCATE", "en"), ("eiriolwr", "cy")])
def test_advocate_at_the_resume_offer_starts_an_advocate_request(word, language):
    chat = _at("outcome", language)
    chat.expire(DAY)
    chat.send("hi")
    turn = chat.send(word)
    assert turn.replies == [Reply("node:who", language)]
    assert names(turn) == ["submit", "new_run"]
    assert turn.events[0].detail["incomplete"] is True
    assert not chat.state.offer_resume
    assert chat.answers == {"intent": "advocacy_request"}
    assert chat.state.history == []
    chat.send_all(["yes", "My review meeting", "skip"])
    turn = chat.send("1")
    assert names(turn) == ["submit"]
    answers = turn.events[0].detail["answers"]
    assert answers["intent"] == "advocacy_request"
    assert answers["what_happened"] == "My review meeting"
    assert "outcome" not in answers


@pytest.mark.parametrize(
    ("word", "answer", "language"), [("iaith", "2", "cy"), ("LANGUAGE", "1", "en")]
)
def test_language_at_the_resume_offer_returns_to_the_question_they_were_on(word, answer, language):
    """LANGUAGE at the offer changes language, then carries on at the question they were
    on (choosing a language is answer enough to "carry on or start again")."""
    chat = _at("about", "cy" if language == "en" else "en")
    told = dict(chat.answers)
    chat.expire(DAY)
    chat.send("hi")
    turn = chat.send(word)
    assert keys(turn) == ["node:language"]
    assert not chat.state.offer_resume
    turn = chat.send(answer)
    assert turn.replies == [Reply("node:about", language)]
    assert chat.node == "about"
    assert chat.state.language == language
    assert chat.answers == told
    turn = chat.send("Sam")
    assert turn.replies == [Reply("node:outcome", language)]


def test_language_at_the_resume_offer_when_they_were_at_the_language_question():
    """They went quiet at the language question: LANGUAGE at the offer, then a
    language, goes on to the first question (not the language question once more)."""
    first = "I need to talk to someone about my foster home"
    chat = Chat()
    chat.send(first)
    chat.expire(DAY)
    chat.send("hi")
    assert chat.node == "language"
    assert keys(chat.send("language")) == ["node:language"]
    turn = chat.send("2")
    assert turn.replies == [Reply("node:intent", "cy")]
    assert chat.node == "intent"
    assert chat.answers[OTHER_MESSAGES] == [first]


def test_a_conversation_expiring_twice_with_no_new_answers_still_carries_on():
    chat = _at("when")
    chat.expire(DAY)
    chat.send("hi")
    # Quiet again while the offer is showing: it is already a case, and stays offered.
    assert chat.expire(DAY).events == []
    turn = chat.send("hi again")
    assert keys(turn) == ["text:resume"]
    assert chat.state.offer_resume
    assert keys(chat.send("1")) == ["node:when"]


def test_a_conversation_carried_on_and_quiet_again_expires_again():
    chat = _at("when")
    chat.expire(DAY)
    chat.send_all(["hi", "1", "last week"])
    assert chat.node == "about"
    told = dict(chat.answers)
    turn = chat.expire(DAY)
    assert turn.events == [Event("submit", {"answers": told, "incomplete": True})]
    assert keys(chat.send("hello")) == ["text:resume"]
    assert keys(chat.send("1")) == ["node:about"]


# Reply languages -------------------------------------------------------------------------


def test_replies_are_rendered_in_the_chosen_language():
    chat = Chat()
    chat.send_all(["Helo", "2"])
    turn = chat.send("1")
    assert render(FLOW, keys(turn)[0], "cy") == render(FLOW, "node:who", "cy")
    assert "IE" in render(FLOW, "node:who", "cy")
    assert WORST_CASE["cy"]["council"] in render(FLOW, "node:language", "cy")


def test_a_message_at_any_time_of_day_is_handled_the_same():
    night = Chat(at=datetime(2026, 12, 31, 23, 40))
    night.send_all(["Hi", "1", "1", "yes", STORY])
    turn = night.send("today", wait=timedelta(minutes=15))
    # Past midnight: "today" is 1 January 2027.
    assert keys(turn) == ["node:about"]
    assert night.answers["when"]["date"] == "2027-01-01"


@pytest.mark.parametrize("channel", ["web", "cli"])
def test_a_browser_or_terminal_message_is_never_joined_to_the_last_answer(channel):
    """Only phone networks split messages: typed in a browser, a quick answer is an answer."""
    chat = Chat(channel)
    chat.send_all(["Hi", "1", "2", "yes"])
    chat.send("Thank you for the trip to the beach")
    turn = chat.send("skip", wait=timedelta(seconds=1))
    assert keys(turn) == ["node:contact"]
    assert chat.answers["what_happened"] == "Thank you for the trip to the beach"
