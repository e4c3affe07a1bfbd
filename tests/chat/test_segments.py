"""Every reply fits in two text message segments, and English is plain GSM-7.

segments() is checked against the 3GPP limits first; then every text of the shipped flow,
in every language, is rendered with the longest values a council or a case could give it.
Last, every reply key the engine can produce (found by exploring conversations) must
stand for a text: a key with no text would crash the channel that renders it.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest

from intake.chat.engine import ChatState, Message, Reply, expire, handle
from intake.chat.safety import DangerWords
from intake.chat.segments import GSM_BASIC, GSM_EXTENSION, is_gsm, segments
from tests.chat.support import (
    DANGER,
    FLOW,
    PLACEHOLDERS,
    START,
    WORST_CASE,
    Chat,
    placeholders,
    render,
    template,
)


def most_segments(language: str) -> int:
    """Two text message segments for English and Welsh; three for languages whose
    script always needs UCS-2 (67 characters a segment), so they can say as much."""
    return 2 if language in {"en", "cy"} else 3


# segments() ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", 0),
        ("a", 1),
        ("a" * 160, 1),
        ("a" * 161, 2),
        ("a" * 306, 2),
        ("a" * 307, 3),
        ("a" * 459, 3),
        ("a" * 460, 4),
        ("£" * 160, 1),  # in the basic table: one place each
        ("é" * 161, 2),
    ],
)
def test_gsm_text_fits_160_alone_or_153_a_segment_when_split(text, expected):
    assert is_gsm(text)
    assert segments(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("€" * 80, 1),  # 160 places
        ("€" * 81, 2),  # 162
        ("a" * 159 + "[", 2),  # 161
        ("a" * 158 + "{", 1),  # 160
        ("a" * 304 + "]", 2),  # 306
        ("a" * 305 + "~", 3),  # 307
        ("^{}\\[~]|€", 1),
    ],
)
def test_extension_characters_count_double(text, expected):
    assert is_gsm(text)
    assert segments(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ŵ" * 70, 1),
        ("ŵ" * 71, 2),
        ("ŵ" * 134, 2),
        ("ŵ" * 135, 3),
        ("ŵ" * 201, 3),
        ("ŵ" * 202, 4),
        ("😀" + "a" * 68, 1),  # an emoji is two UTF-16 units: 70
        ("😀" + "a" * 69, 2),  # 71
        ("😀" * 35, 1),  # 70 units
        ("😀" * 67, 2),  # 134 units
        ("😀" * 68, 3),  # 136 units
        ("a" * 69 + "’", 1),  # a curly quote makes it all UCS-2
        ("a" * 100 + "’", 2),
        ("a" * 160 + "ô", 3),  # 161 units as UCS-2
    ],
)
def test_any_other_character_makes_it_ucs2_70_alone_or_67_a_segment(text, expected):
    assert not is_gsm(text)
    assert segments(text) == expected


@pytest.mark.parametrize("character", ["ŵ", "ô", "â", "ŷ", "’", "“", "😀", "–", "…", "ł"])
def test_characters_outside_gsm(character):
    assert not is_gsm(character)
    assert character not in GSM_BASIC | GSM_EXTENSION


@pytest.mark.parametrize("character", ["@", "£", "é", "\n", "'", '"', "?", "-", "/", ":"])
def test_characters_inside_gsm(character):
    assert is_gsm(character)


# Every text of the shipped flow ---------------------------------------------------------------


def _all_keys() -> Iterator[str]:
    for name in FLOW.texts:
        yield f"text:{name}"
    for node in FLOW.nodes.values():
        if node.text:
            yield f"node:{node.id}"
        if node.reask:
            yield f"reask:{node.id}"
        for number in range(len(node.extras)):
            yield f"extra:{node.id}:{number}"


ALL_KEYS = sorted(_all_keys())
EVERY_TEXT = [(key, language) for key in ALL_KEYS for language in FLOW.languages]


def test_every_node_that_speaks_has_a_text():
    speaking = {n.id for n in FLOW.nodes.values() if n.type != "router"}
    assert {k.split(":")[1] for k in ALL_KEYS if k.startswith("node:")} == speaking


@pytest.mark.parametrize(("key", "language"), EVERY_TEXT)
def test_every_text_exists_in_every_language(key, language):
    assert template(FLOW, key, language).strip()


@pytest.mark.parametrize(("key", "language"), EVERY_TEXT)
def test_every_text_fits_in_two_segments_with_the_longest_values(key, language):
    words = render(FLOW, key, language)
    limit = most_segments(language)
    assert segments(words) <= limit, f"{segments(words)} segments, {len(words)} characters: {words}"


@pytest.mark.parametrize(("key", "language"), EVERY_TEXT)
def test_every_text_uses_only_known_placeholders(key, language):
    assert placeholders(template(FLOW, key, language)) <= PLACEHOLDERS


@pytest.mark.parametrize("key", ALL_KEYS)
def test_every_language_fills_in_the_same_details(key):
    found = {language: placeholders(template(FLOW, key, language)) for language in FLOW.languages}
    assert len({frozenset(f) for f in found.values()}) == 1, found


@pytest.mark.parametrize("key", ALL_KEYS)
def test_every_english_text_is_plain_gsm(key):
    words = render(FLOW, key, "en")
    assert is_gsm(words), [c for c in words if not is_gsm(c)]
    assert not any(c in words for c in "‘’“”–—…"), words
    assert all(ord(c) < 0x2000 for c in words), words  # no emoji, no symbols


def test_the_worst_case_values_are_really_filled_in():
    words = render(FLOW, "node:done_complaint", "cy")
    assert "CS-2026-12345" in words
    assert words.count("Mer 30 Medi") == 2
    assert "Royal Borough of Kingston upon Thames" in render(FLOW, "text:help", "en")
    assert "01632 960 111" in render(FLOW, "text:safety", "cy")


def test_the_closing_texts_give_the_reference_in_every_language():
    ends = [n.id for n in FLOW.nodes.values() if n.type == "end"]
    assert ends
    for node_id in ends:
        for language in FLOW.languages:
            assert "{reference}" in template(FLOW, f"node:{node_id}", language)


# Every reply key the engine can produce ---------------------------------------------------------

INPUTS: list[tuple[str, int]] = [
    (text, 0)
    for text in [
        "Hi",
        "1",
        "2",
        "3",
        "4",
        "Sam took my phone",
        "29/9/2026",
        "help",
        "back",
        "restart",
        "language",
        "advocate",
        "stop",
        "start",
        "",
        "my stepdad hits me",
        "sam@example.org",
        "n",  # "no" in every language (Polish leaves "no" out: it can mean "yes")
        "pizza",
    ]
] + [("", 1)]
EXPIRE = ("<expire>", 0)
STEP = timedelta(minutes=2)


class _Remembering(DangerWords):
    """The shipped danger words, remembering each answer: exploring sends the same few
    messages thousands of times."""

    def found_in(self, text: str) -> bool:
        if text not in _FOUND:
            _FOUND[text] = super().found_in(text)
        return _FOUND[text]


_FOUND: dict[str, bool] = {}
REMEMBERING = _Remembering(DANGER.phrases, DANGER.ordinary)


def _shape(state: ChatState) -> tuple:
    """What the replies can depend on: two states with the same shape reply alike."""
    answers = state.answers
    contact = answers.get("contact")
    return (
        state.node,
        state.language,
        state.stopped,
        state.expired,
        state.offer_resume,
        state.return_to,
        bool(state.history),
        answers.get("intent"),
        answers.get("text_back"),
        contact.get("method") if isinstance(contact, dict) else None,
    )


def _explore(channel: str, depth: int) -> set[tuple[str, str]]:
    """Every (reply key, language) reachable within `depth` messages on `channel`."""
    produced: set[tuple[str, str]] = set()
    frontier = [(ChatState(), START)]
    seen = {_shape(ChatState())}
    for _ in range(depth):
        following = []
        for state, now in frontier:
            for text, media in [*INPUTS, EXPIRE]:
                if (text, media) == EXPIRE:
                    at = now + timedelta(hours=25)
                    turn = expire(FLOW, state, at)
                else:
                    at = now + STEP
                    message = Message(text=text, at=at, channel=channel, media=media)
                    turn = handle(FLOW, state, message, REMEMBERING, at.date())
                produced |= {(r.key, r.language) for r in turn.replies}
                shape = _shape(turn.state)
                if shape not in seen:
                    seen.add(shape)
                    following.append((turn.state, at))
        frontier = following
    return produced


# The inputs pick the first four languages of the menu; the paths through the flow do not
# depend on the language, so exploring all ten would only multiply the time by 2.5.
EXPLORED = FLOW.languages[:4]

# Exploring takes about a minute: one xdist worker does it for every test that needs it
# (the suite runs with --dist loadgroup).
explored = pytest.mark.xdist_group("explored")


@pytest.fixture(scope="module")
def produced() -> set[tuple[str, str]]:
    return _explore("sms", 10) | _explore("web", 10)


@explored
def test_exploring_reaches_every_text_the_flow_has_in_the_languages_explored(produced):
    # too_long is the channel's, for a message over its limit; the engine never sends it.
    wanted = {(k, lang) for k, lang in EVERY_TEXT if k != "text:too_long" and lang in EXPLORED}
    assert wanted - produced == set()
    assert {lang for _key, lang in produced} == set(EXPLORED)


@pytest.mark.parametrize(("number", "language"), list(enumerate(FLOW.languages, start=1)))
def test_advocate_noted_and_the_resume_offer_come_in_every_language(number, language):
    """ADVOCATE in the middle of a conversation answers with "advocate_noted"; coming
    back after a day offers to carry on. Both in the language chosen from the menu."""
    assert "advocate_noted" in FLOW.texts
    chat = Chat("sms")
    chat.send_all(["Hi", str(number), "1"])
    assert chat.state.language == language
    turn = chat.send("advocate")
    assert Reply("text:advocate_noted", language) in turn.replies
    chat.expire(timedelta(hours=25))
    assert chat.send("Hi").replies == [Reply("text:resume", language)]


@explored
def test_every_reply_key_the_engine_produces_resolves_to_a_text(produced):
    """Whatever is sent, in whatever order (LANGUAGE at the resume offer, a second
    expiry while the offer is showing, ADVOCATE anywhere), every reply key is a text
    of the flow."""
    unresolved = []
    for key, language in sorted(produced):
        try:
            assert template(FLOW, key, language).strip()
        except (KeyError, IndexError, AssertionError):
            unresolved.append((key, language))
    assert unresolved == []


@explored
def test_every_reply_the_engine_produces_fits_in_two_segments(produced):
    too_long = []
    for key, language in sorted(produced):
        try:
            words = render(FLOW, key, language, WORST_CASE[language])
        except KeyError:
            continue  # reported by the test above
        if segments(words) > most_segments(language):
            too_long.append((key, language, words))
    assert too_long == []
