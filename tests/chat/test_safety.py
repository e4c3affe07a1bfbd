"""Danger words: caught in every message, at every step, in every language offered.

A false alarm is acceptable; a missed one is not. The safety reply (999, Childline, the
out-of-hours number) comes first, a "safeguarding" event is raised, the message is kept
in answers["_safeguarding_messages"] whatever happens next, and the young person can
carry on.
"""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from intake.chat.engine import OTHER_MESSAGES, SAFEGUARDING_MESSAGES, Event, Reply
from intake.chat.safety import DangerWords, DangerWordsError, load_danger_words
from tests.chat.support import DANGER, FLOW, Chat, keys, names, render

DAY = timedelta(hours=24)
DATE = "29/9/2026"

EN_PHRASES = ["my stepdad hits me", "I want to kill myself", "someone is hurting me"]
CY_PHRASES = ["dw i ddim yn saff adre", "mae o'n brifo fi", "dw i eisiau marw"]


def _language(language: str) -> str:
    return "2" if language == "cy" else "1"


def _paths(language: str) -> dict[str, tuple[str, list[str]]]:
    """How to reach each node that asks something: (channel, messages)."""
    lang = _language(language)
    complaint = ["Hi", lang, "1", "1"]
    return {
        "language": ("sms", ["Hi"]),
        "intent": ("sms", ["Hi", lang]),
        "who": ("sms", ["Hi", lang, "1"]),
        "what_happened": ("sms", complaint),
        "when": ("sms", [*complaint, "Sam took my phone"]),
        "about": ("sms", [*complaint, "Sam took my phone", DATE]),
        "outcome": ("sms", [*complaint, "Sam took my phone", DATE, "Sam"]),
        "reply": ("sms", [*complaint, "Sam took my phone", DATE, "Sam", "Sorry"]),
        "contact": ("web", [*complaint, "Sam took my phone", DATE, "Sam", "Sorry"]),
        "what_thanks": ("sms", ["Hi", lang, "2", "1"]),
        "about_thanks": ("sms", ["Hi", lang, "2", "1", "The trip"]),
        "what_worried": ("sms", ["Hi", lang, "3", "1"]),
        "what_help": ("sms", ["Hi", lang, "4", "1"]),
    }


NODES = sorted(_paths("en"))
# What a node moves on to once answered, on the way each node was reached above.
AFTER = {
    "language": "intent",
    "intent": "who",
    "who": "what_happened",
    "what_happened": "when",
    "when": "about",
    "about": "outcome",
    "outcome": "reply",
    "reply": None,
    "contact": None,
    "what_thanks": "about_thanks",
    "about_thanks": "reply",
    "what_worried": "about",
    "what_help": "about",
}
# A proper answer to each node that is not free text.
ANSWER = {"intent": "1", "who": "1", "when": DATE, "reply": "1", "contact": "NO"}
# Answers to carry on with to the end, whatever is asked.
CARRY_ON = {
    "language": "1",
    "intent": "1",
    "who": "1",
    "what_happened": "Sam took my phone",
    "when": DATE,
    "about": "Sam",
    "outcome": "Sorry",
    "reply": "1",
    "contact": "NO",
    "what_thanks": "The trip",
    "about_thanks": "Jo",
    "what_worried": "My bus pass",
    "what_help": "My review",
}


def _walk(node: str, language: str) -> Chat:
    channel, messages = _paths(language)[node]
    chat = Chat(channel)
    chat.send_all(messages)
    assert chat.node == node
    assert chat.events("safeguarding") == []
    return chat


def _finish(chat: Chat, limit: int = 15) -> dict:
    while chat.node is not None:
        assert chat.inbound < limit, f"stuck at {chat.node}"
        chat.send(CARRY_ON[chat.node])
    # Expiry or RESTART may have kept an incomplete case before; one run is finished.
    [submit] = [e for e in chat.events("submit") if not e.detail["incomplete"]]
    assert chat.events("submit")[-1] == submit
    return submit.detail["answers"]


def test_every_node_that_asks_something_is_walked_to():
    asking = {n.id for n in FLOW.nodes.values() if n.type not in {"router", "end"}}
    assert set(NODES) == asking


@pytest.mark.parametrize("phrase", EN_PHRASES + CY_PHRASES)
@pytest.mark.parametrize("language", ["en", "cy"])
@pytest.mark.parametrize("node", NODES)
def test_a_danger_phrase_is_caught_at_every_node_in_any_language(node, language, phrase):
    chat = _walk(node, language)
    shown = chat.state.language or "en"  # at the language question none is chosen yet
    turn = chat.send(phrase)
    assert turn.replies[0] == Reply("text:safety", shown)
    assert turn.events[0] == Event("safeguarding", {"node": node})
    assert chat.state.safeguarding
    # Kept for the case whatever happens next; not among the messages that answered
    # nothing.
    assert chat.answers[SAFEGUARDING_MESSAGES] == [phrase]
    assert OTHER_MESSAGES not in chat.answers
    asked = FLOW.nodes[node]
    if asked.type == "text":
        # A story that says it is still the story: taken, and the flow moves on.
        assert chat.answers[asked.save_as] == phrase
        assert chat.node == AFTER[node]
        assert keys(turn)[1:] == [f"node:{AFTER[node]}"]
        return
    # A cry for help is never taken as a choice, a yes, a date or a language: the
    # question is asked again.
    assert keys(turn)[1:] == [f"reask:{node}"]
    assert chat.node == node
    if asked.save_as:
        assert asked.save_as not in chat.answers
    turn = chat.send(ANSWER.get(node, _language(language)))
    assert "text:safety" not in keys(turn)
    assert names(turn) == ([] if AFTER[node] else ["submit"])
    assert chat.node == AFTER[node]


@pytest.mark.parametrize("phrase", [EN_PHRASES[0], CY_PHRASES[0]])
@pytest.mark.parametrize("language", ["en", "cy"])
@pytest.mark.parametrize("node", NODES)
def test_after_a_danger_phrase_the_young_person_can_finish_and_it_reaches_the_case(
    node, language, phrase
):
    chat = _walk(node, language)
    chat.send(phrase)
    answers = _finish(chat)
    assert phrase in json.dumps(answers, ensure_ascii=False)
    assert len(chat.events("safeguarding")) == 1


@pytest.mark.parametrize("phrase", [EN_PHRASES[1], CY_PHRASES[1]])
@pytest.mark.parametrize("language", ["en", "cy"])
def test_a_danger_phrase_as_the_first_message(phrase, language):
    chat = Chat()
    turn = chat.send(phrase)
    assert keys(turn) == ["text:safety", "node:language"]
    assert names(turn) == ["safeguarding"]
    assert turn.events[0].detail == {"node": None}
    assert chat.answers[SAFEGUARDING_MESSAGES] == [phrase]
    assert OTHER_MESSAGES not in chat.answers
    chat.send(_language(language))
    assert chat.node == "intent"
    assert phrase in json.dumps(_finish(chat), ensure_ascii=False)


@pytest.mark.parametrize("phrase", [EN_PHRASES[2], CY_PHRASES[2]])
@pytest.mark.parametrize("language", ["en", "cy"])
def test_a_danger_phrase_after_a_finished_run(phrase, language):
    chat = _walk("reply", language)
    chat.send("1")
    assert chat.node is None
    turn = chat.send(phrase)
    assert turn.replies == [Reply("text:safety", language), Reply("node:intent", language)]
    assert names(turn) == ["safeguarding"]
    assert chat.answers == {SAFEGUARDING_MESSAGES: [phrase]}


@pytest.mark.parametrize("phrase", [EN_PHRASES[0], CY_PHRASES[0]])
def test_a_danger_phrase_at_the_resume_offer_is_answered(phrase):
    chat = _walk("about", "cy")
    chat.expire(DAY)
    turn = chat.send(phrase)
    assert turn.replies == [Reply("text:safety", "cy"), Reply("text:resume", "cy")]
    assert names(turn) == ["safeguarding"]
    turn = chat.send(phrase)
    assert turn.replies == [Reply("text:safety", "cy"), Reply("text:resume", "cy")]
    assert chat.state.offer_resume
    assert chat.node == "about"
    assert keys(chat.send("1")) == ["node:about"]


def test_the_danger_phrase_that_comes_back_after_expiry_reaches_the_case():
    """The first message after expiry (which brings the resume offer) and a message at
    the offer are kept, so the case the alert is raised on holds the words."""
    chat = _walk("about", "en")
    chat.expire(DAY)
    chat.send("my stepdad hits me")
    chat.send("he did it again last night, he hits me")
    assert chat.answers[SAFEGUARDING_MESSAGES] == [
        "my stepdad hits me",
        "he did it again last night, he hits me",
    ]
    assert OTHER_MESSAGES not in chat.answers
    chat.send("1")
    answers = _finish(chat)
    assert answers[SAFEGUARDING_MESSAGES] == [
        "my stepdad hits me",
        "he did it again last night, he hits me",
    ]


@pytest.mark.parametrize("new_run", ["2", "restart", "ADVOCATE"])
def test_a_danger_phrase_at_the_resume_offer_is_kept_when_they_start_again(new_run):
    """The case made at expiry does not hold words sent after it; starting again fills it
    in with them ("submit", incomplete) before the new run begins."""
    chat = _walk("about", "en")
    chat.expire(DAY)
    chat.send("my stepdad hits me")
    turn = chat.send(new_run)
    assert names(turn)[:2] == ["submit", "new_run"]
    assert turn.events[0].detail["incomplete"] is True
    assert turn.events[0].detail["answers"][SAFEGUARDING_MESSAGES] == ["my stepdad hits me"]
    assert SAFEGUARDING_MESSAGES not in chat.answers


@pytest.mark.parametrize("channel", ["sms", "whatsapp", "web"])
@pytest.mark.parametrize("phrase", [EN_PHRASES[0], CY_PHRASES[0]])
def test_while_stopped_the_alert_is_raised_but_nothing_is_sent(channel, phrase):
    chat = _walk("when", "en")
    chat.channel = channel
    chat.send("STOP")
    turn = chat.send(phrase)
    assert turn.replies == []
    assert names(turn) == ["safeguarding"]
    assert chat.state.stopped
    assert chat.state.safeguarding
    assert chat.answers[SAFEGUARDING_MESSAGES] == [phrase]
    assert OTHER_MESSAGES not in chat.answers
    turn = chat.send("START")
    assert keys(turn) == ["text:started", "node:when"]


def test_a_danger_phrase_in_the_second_part_of_a_long_message_is_caught_and_joined():
    chat = _walk("what_happened", "en")
    chat.send("My carer took my phone and then")
    turn = chat.send("he hits me when I ask for it", wait=timedelta(seconds=10))
    assert turn.replies == [Reply("text:safety", "en")]
    assert names(turn) == ["safeguarding"]
    assert chat.answers["what_happened"] == (
        "My carer took my phone and then he hits me when I ask for it"
    )
    assert chat.answers[SAFEGUARDING_MESSAGES] == ["he hits me when I ask for it"]


def test_help_me_is_danger_not_help():
    chat = _walk("intent", "en")
    turn = chat.send("help me")
    assert keys(turn) == ["text:safety", "reask:intent"]


def test_stop_hurting_me_is_danger_not_stop():
    chat = _walk("outcome", "en")
    turn = chat.send("stop hurting me")
    assert keys(turn) == ["text:safety", "node:reply"]
    assert not chat.state.stopped
    assert chat.answers["outcome"] == "stop hurting me"


def test_the_alert_is_raised_again_for_each_danger_message():
    chat = _walk("what_happened", "en")
    chat.send("my stepdad hits me")
    chat.send("he hits me every day")
    assert len(chat.events("safeguarding")) == 2
    assert chat.node == "when"
    assert chat.answers["what_happened"] == "my stepdad hits me"
    assert chat.answers[SAFEGUARDING_MESSAGES] == ["my stepdad hits me", "he hits me every day"]
    assert OTHER_MESSAGES not in chat.answers


def test_back_after_a_danger_phrase_does_not_lose_it():
    """The words that raised an alert must reach the case: BACK forgets the answer, not
    the message kept with the alert."""
    chat = _walk("what_happened", "en")
    chat.send("my stepdad hits me")
    turn = chat.send("back")
    assert keys(turn) == ["node:what_happened"]
    assert "what_happened" not in chat.answers
    assert chat.answers[SAFEGUARDING_MESSAGES] == ["my stepdad hits me"]
    answers = _finish(chat)
    assert answers["what_happened"] == "Sam took my phone"
    assert answers[SAFEGUARDING_MESSAGES] == ["my stepdad hits me"]


def test_restart_after_a_danger_phrase_keeps_it_in_the_case_so_far():
    """RESTART keeps what was said as an incomplete case, the words that raised the
    alert with it, before the new run begins."""
    chat = _walk("when", "en")
    chat.send("my stepdad hits me")
    told = dict(chat.answers)
    assert told[SAFEGUARDING_MESSAGES] == ["my stepdad hits me"]
    turn = chat.send("restart")
    assert keys(turn) == ["node:intent"]
    assert turn.events == [
        Event("submit", {"answers": told, "incomplete": True}),
        Event("new_run"),
    ]


def test_restart_after_a_danger_phrase_keeps_it_in_the_case():
    """RESTART keeps what was said, danger words included, as an incomplete case; the
    new run starts empty (the case already holds the words)."""
    chat = _walk("when", "en")
    chat.send("my stepdad hits me")
    turn = chat.send("restart")
    assert names(turn) == ["submit", "new_run"]
    assert turn.events[0].detail["answers"][SAFEGUARDING_MESSAGES] == ["my stepdad hits me"]
    assert chat.answers == {}


@pytest.mark.parametrize("phrase", ["I don't feel safe at home", "I have no food"])
def test_a_danger_phrase_at_a_choice_is_not_taken_as_a_choice(phrase):
    """At "Can we text you back?" a danger message would otherwise be taken as option 4
    "No, do not text me" (pick() finds "dont", "no" anywhere): the run would end and the
    case say never to text this young person."""
    chat = _walk("reply", "en")
    turn = chat.send(phrase)
    assert keys(turn) == ["text:safety", "reask:reply"]
    assert names(turn) == ["safeguarding"]
    assert "text_back" not in chat.answers
    assert chat.answers[SAFEGUARDING_MESSAGES] == [phrase]


@pytest.mark.parametrize(
    ("node", "phrase", "would_be"),
    [
        ("language", "1 I am scared", "en"),
        ("intent", "2 someone is hurting me", "compliment"),
        ("who", "yes he hits me", "yes"),
        ("when", "yesterday he hit me", "2026-09-29"),
        ("reply", "1 but I dont feel safe", "any_time"),
        ("contact", "07700 900123 he hits me", "07700900123"),
    ],
)
def test_a_danger_message_that_looks_like_an_answer_is_not_taken_as_one(node, phrase, would_be):
    """Only a free-text question takes a danger message as its answer; anywhere else the
    young person is answered with the safety reply and asked the question again."""
    chat = _walk(node, "en")
    turn = chat.send(phrase)
    assert keys(turn) == ["text:safety", f"reask:{node}"]
    assert names(turn) == ["safeguarding"]
    assert chat.node == node
    assert would_be not in json.dumps(
        {k: v for k, v in chat.answers.items() if k != SAFEGUARDING_MESSAGES}
    )
    if node == "language":
        assert chat.state.language is None
    assert chat.answers[SAFEGUARDING_MESSAGES] == [phrase]
    assert OTHER_MESSAGES not in chat.answers


def test_the_safety_reply_gives_999_childline_and_the_out_of_hours_number():
    for language in FLOW.languages:
        words = render(FLOW, "text:safety", language)
        assert "999" in words
        assert "0800 1111" in words
        assert "01632 960 111" in words


# Matching --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "message",
    [
        "hurting",
        "HURT",
        "it hurts",
        "He HURT me",
        "suicidal",
        "I feel suicidal",
        "self-harm",
        "I have been self harming",
        "selfharm",
        "I took an overdose",
        "KILL MYSELF",
        "i want to kill my self",
        "I don’t feel safe",
        "I dont feel safe",
        "im not safe here",
        "I feel unsafe",
        "at school today someone said they would kill me",
        "My mum's boyfriend beat me up",
        "Help! Help me.",
        "I'm being bullied at my placement",
        "he touched me",
        "they made me do things",
        "I ran away last night",
        "I got kicked out",
        "I'm scared to go home",
        "I have no food",
        "cam-drin",
        "camdrin",
        "cam drin",
        "hunanladdiad",
        "hunanladiad",
        "Dw i ddim yn saff",
        "bwlio",
        "maen nhw'n fy mwlio",
        "mae o'n brifo fi",
        "mae e'n fy mrifo i",
        "Dw i eisiau marw",
        "DW I MEWN PERYGL",
        "gorddos",
    ],
)
def test_danger_phrases_are_caught(message):
    assert DANGER.found_in(message)


@pytest.mark.parametrize(
    "message",
    [
        # A prefixed word with one letter missing, swapped or wrong.
        "sucide",
        "suicde",
        "I feel sucidal",
        "suicidle thoughts",
        "overdsoe",
        # A word in between.
        "I do not feel safe at home",
        "I'm not feeling safe here",
        "I never feel safe there",
        # Welsh: "don't feel safe", and the words after "fy" that change their first letter.
        "Dw i ddim yn teimlo'n ddiogel",
        "Dw i ddim yn teimlon saff",
        "Mae e'n fy nharo i",
        "Mae e'n fy ngham-drin i",
        "mae hi'n fy ngham drin",
        "Maen nhw'n fy nghuro i",
        "mae e'n fy nghicio",
        "mae o'n fy mrifo",
        # What young people write instead.
        "kms",
        "honestly i might kms",
        "I want to unalive myself",
        "unaliving",
        "KYS",
    ],
)
def test_common_ways_of_saying_it_are_not_missed(message):
    """Each of these was once a missed danger message: a slip in a prefixed word
    ("suicid*"), a word in between ("do not feel safe"), Welsh mutations after "fy",
    and the words young people use to get past filters."""
    assert DANGER.found_in(message)


@pytest.mark.parametrize("message", ["kms", "I want to unalive myself", "Mae e'n fy nharo i"])
def test_a_new_danger_phrase_at_a_choice_is_answered_and_asked_again(message):
    chat = _walk("intent", "cy")
    turn = chat.send(message)
    assert keys(turn) == ["text:safety", "reask:intent"]
    assert chat.answers[SAFEGUARDING_MESSAGES] == [message]


@pytest.mark.parametrize(
    "message",
    [
        "I want to complain about my school",
        "thank you for the trip",
        "My social worker cancelled my family time with my brother three times.",
        "My foster carer took me to the seaside for my birthday.",
        "Can I have a meeting about my plan",
        "I see a therapist on Tuesdays",
        "We had grapes at contact",
        "I kill time by myself after school",
        "The shotgun seat is always taken",
        "I have begun college",
        "Dw i eisiau cwyno am fy ysgol",
        "Diolch am y trip i'r traeth",
        "Roedd y bwyd yn ofnadwy",
        "Dw i'n arfer mynd i'r clwb",
        "Hi",
        "yes",
        "last week",
        "3/10/2026",
        "1",
        "",
        "   ",
        "😀👍",
    ],
)
def test_ordinary_messages_raise_nothing(message):
    assert not DANGER.found_in(message)


@pytest.mark.parametrize("language", ["en", "cy"])
def test_an_ordinary_conversation_raises_no_alert(language):
    chat = _walk("reply", language)
    chat.send("1")
    assert chat.events("safeguarding") == []
    assert not any("text:safety" in keys(turn) for turn in chat.turns)


def test_phrases_match_only_as_whole_words_and_in_order():
    words = DangerWords.from_lists({"en": ["kill myself", "gun"]})
    assert words.found_in("I could kill myself, honestly")
    assert not words.found_in("myself kill")
    assert not words.found_in("skill myself")
    assert not words.found_in("begun")
    assert words.found_in("a GUN!")


def test_a_star_matches_any_ending_and_a_long_word_allows_one_slip():
    words = DangerWords.from_lists({"en": ["hurt*", "strangle"]})
    assert words.found_in("hurtful")
    assert words.found_in("they hurted me")
    assert not words.found_in("hut")
    assert words.found_in("strangel")  # a swap
    assert words.found_in("stangle")  # a letter missing
    assert not words.found_in("stngle")  # two missing


def test_blank_phrases_never_match_everything():
    words = DangerWords.from_lists({"en": ["", "   ", "*", "!!!"]})
    assert not words.found_in("hello")
    assert not words.found_in("")


def test_every_language_is_checked_whatever_the_message():
    words = DangerWords.from_lists({"en": ["not safe"], "cy": ["ddim yn saff"]})
    assert words.languages() == ("en", "cy")
    assert words.found_in("Dw i ddim yn saff")
    assert words.found_in("I am not safe")


def test_the_shipped_list_offers_every_language_of_the_flow():
    assert set(FLOW.languages) <= set(DANGER.languages())


# Every language of the chat -----------------------------------------------------------

# Written as a young person would write them; drafted, like the lists, for review by a
# safeguarding lead who speaks the language.
DANGER_BY_LANGUAGE = {
    "pl": ["Ojczym mnie bije", "bije mnie", "Chcę się zabić", "Nie czuję się bezpiecznie"],
    "ro": ["Tatăl meu vitreg mă bate", "Vreau să mor", "Nu mă simt în siguranță acasă"],
    "pa": ["ਮੇਰਾ ਮਤਰੇਆ ਪਿਓ ਮੈਨੂੰ ਮਾਰਦਾ ਹੈ", "ਮੈਂ ਮਰਨਾ ਚਾਹੁੰਦਾ ਹਾਂ", "ਮੈਂ ਘਰ ਵਿੱਚ ਸੁਰੱਖਿਅਤ ਨਹੀਂ ਹਾਂ"],
    "ur": ["میرا سوتیلا باپ مجھے مارتا ہے", "میں مرنا چاہتا ہوں", "میں گھر میں محفوظ نہیں ہوں"],
    "bn": ["আমার সৎবাবা আমাকে মারে", "আমি মরে যেতে চাই", "আমি বাড়িতে নিরাপদ নই"],
    "ar": ["زوج أمي يضربني", "أفكر في الانتحار", "لا أشعر بالأمان في البيت"],
    "pt": ["O meu padrasto bate-me", "Quero morrer", "Não me sinto segura em casa"],
    "so": ["Aabahay wuu i garaacaa", "Waxaan rabaa inaan is dilo", "ammaan ma dareemayo"],
}

ORDINARY_BY_LANGUAGE = {
    "cy": ["Mae hi wedi canslo dair gwaith"],  # "gwaith" is not Polish "gwałt"
    "pl": [
        "Moja pracownica socjalna nie przychodzi na spotkania",
        "Drugi raz odwołali moje spotkanie z bratem",  # "drugi" is not "drugs"
        "Muszę czekać dwie godziny",  # "muszę" is not "zmusza", "godziny" not "głodzi"
        "Kopie dokumentów",  # "copies", not "kicks"
        "Mieszkam z macochą",  # not Portuguese "maconha"
    ],
    "ro": ["Asistentul social nu vine la întâlniri", "Vreau să fac o plângere despre școală"],
    "pa": ["ਮੇਰਾ ਸੋਸ਼ਲ ਵਰਕਰ ਮੀਟਿੰਗਾਂ ਵਿੱਚ ਨਹੀਂ ਆਉਂਦਾ", "panjabi"],  # not Somali "hanjab"
    "ur": ["میرا سوشل ورکر ملاقاتوں میں نہیں آتا", "mujhe exam mein achhe marks mile"],
    "bn": ["আমার সোশ্যাল ওয়ার্কার মিটিংয়ে আসে না", "nalish", "the football players were late"],
    "ar": [
        "الأخصائية الاجتماعية لا تأتي إلى المواعيد",
        "السلام عليكم",  # not "السلاح", a weapon
        "ما زلت في انتظار الرد",  # not "انتحار"
    ],
    "pt": ["A minha assistente social falta às reuniões", "Durante o período de férias"],
    "so": [
        "Shaqaalaha bulshada ma yimaadaan kulamada",
        "Habka cabashada waa adag yahay",  # "habka" is not "hubka", weapons
        "Sharax waxa dhacay",  # not Urdu "sharab", alcohol
        "Waxaan rabaa inaan ka cabanayaa dugsiga",
    ],
}


def test_every_language_of_the_flow_has_danger_and_ordinary_examples():
    assert set(FLOW.languages) - {"en", "cy"} == set(DANGER_BY_LANGUAGE)
    assert set(DANGER_BY_LANGUAGE) == set(ORDINARY_BY_LANGUAGE) - {"cy"}


@pytest.mark.parametrize(
    "message", [m for messages in DANGER_BY_LANGUAGE.values() for m in messages]
)
def test_danger_is_caught_in_every_language(message):
    assert DANGER.found_in(message)


@pytest.mark.parametrize(
    "message", [m for messages in ORDINARY_BY_LANGUAGE.values() for m in messages]
)
def test_an_ordinary_message_in_any_language_raises_nothing(message):
    assert not DANGER.found_in(message)


def _answer_words(flow) -> list[str]:
    """Every word the chat offers as an answer: language names, commands, choices."""
    found = [w for words in flow.language_words.values() for w in words]
    found += [w for key in flow.words for w in flow.all_words(key)]
    for node in flow.nodes.values():
        for option in node.options:
            found += [w for words in option.words.values() for w in words]
        found += [w for words in node.skip_words.values() for w in words]
    return found


def test_no_answer_the_chat_offers_raises_the_alarm():
    """Choosing "nalis" (complain, in Bengali) or "panjabi" from the language menu must
    not bring the duty team out; a danger word in an answer list would also never work as
    an answer, because danger is checked first."""
    words = _answer_words(FLOW)
    assert len(words) > 500
    assert [w for w in words if DANGER.found_in(w)] == []


def test_an_ordinary_word_never_matches_by_a_slip_but_still_matches_exactly():
    words = DangerWords.from_lists({"so": ["hubka"], "en": ["drugs"]}, ["habka", "drug*"])
    assert not words.found_in("habka cabashada")
    assert words.found_in("hubka")
    assert words.found_in("hubak")  # a slip of the danger word that is not ordinary
    assert not words.found_in("drugi raz")
    assert words.found_in("drugs")
    assert DangerWords.from_lists({"en": ["hurt*"]}, ["hurtle"]).found_in("hurtle")


# Loading the council's list ------------------------------------------------------------


def test_a_council_list_is_loaded_from_a_file(tmp_path):
    path = tmp_path / "danger.toml"
    path.write_text('[en]\nphrases = ["county lines", "hurt*"]\n[cy]\nphrases = ["brifo"]\n')
    words = load_danger_words(path)
    assert words.languages() == ("en", "cy")
    assert words.found_in("they want me for county lines")
    assert words.found_in("mae'n brifo")
    assert not words.found_in("hello")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("[en\nphrases = ['hurt']\n", "cannot be read"),
        ("[en]\nphrases = 'hurt'\n", "[en] needs a list of phrases"),
        ("[en]\nphrases = [1, 2]\n", "[en] needs a list of phrases"),
        ("[en]\nwords = ['hurt']\n", "[en] needs a list of phrases"),
        ("en = 'hurt'\n", "[en] needs a list of phrases"),
        ("[en]\nphrases = ['hurt']\n[cy]\n", "[cy] needs a list of phrases"),
        ("", "no danger words at all"),
        ("# only a comment\n", "no danger words at all"),
        ("[en]\nphrases = ['hurt']\nordinary = 'hut'\n", "[en] ordinary must be a list"),
        ("[en]\nphrases = ['hurt']\nordinary = [3]\n", "[en] ordinary must be a list"),
    ],
)
def test_a_bad_file_is_an_error_that_says_what_is_wrong(tmp_path, content, message):
    path = tmp_path / "danger.toml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(DangerWordsError) as raised:
        load_danger_words(path)
    assert message in str(raised.value)
    assert str(path) in str(raised.value)


def test_a_missing_file_is_an_error(tmp_path):
    with pytest.raises(DangerWordsError, match="cannot be read"):
        load_danger_words(tmp_path / "nowhere.toml")


def test_a_file_that_is_not_utf8_is_an_error(tmp_path):
    path = tmp_path / "danger.toml"
    path.write_bytes(b'[en]\nphrases = ["caf\xe9"]\n')
    with pytest.raises(DangerWordsError, match="cannot be read"):
        load_danger_words(path)


def test_the_shipped_file_loads_by_default():
    assert load_danger_words() == DANGER
