"""Understanding short answers typed on a phone: folding, keywords, choices and dates."""

from __future__ import annotations

from datetime import date

import pytest

from intake.chat.matching import (
    days_ago,
    exactly,
    first_word,
    fold,
    matches_word,
    mentions,
    numbered_choice,
    parse_date,
    pick,
    relative_date,
    says,
    words_of,
)
from tests.chat.support import FLOW

TODAY = date(2026, 9, 30)
EN_MONTHS = FLOW.months["en"]
CY_MONTHS = FLOW.months["cy"]

# fold ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("NÔL", "nol"),
        ("nôl", "nol"),
        ("Nol", "nol"),
        ("Ŵyn", "wyn"),
        ("Don't", "dont"),
        ("Don’t", "dont"),
        ("Hello,   World!!", "hello world"),
        ("  tabs\tand\nlines  ", "tabs and lines"),
        ("3/10/2026", "3/10/2026"),
        ("3.10.2026", "3.10.2026"),
        ("self-harm", "self-harm"),
        ("2)", "2"),
        ("?", ""),
        ("😀 yes 👍", "yes"),
        ("STRASSE", "strasse"),
        ("straße", "strasse"),
        ("ﬁne", "fine"),  # a ligature, from NFKD
        ("", ""),
    ],
)
def test_fold(text, expected):
    assert fold(text) == expected


def test_words_of_strips_date_separators_from_the_ends_of_words():
    assert words_of("2. yes - please / now.") == ["2", "yes", "please", "now"]
    assert words_of("3/10/2026.") == ["3/10/2026"]
    assert words_of("...") == []


def test_first_word():
    assert first_word("  Yes please") == "yes"
    assert first_word("!!!") == ""


# matches_word ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "known", "expected"),
    [
        ("complain", "complain", True),
        ("complian", "complain", True),  # two letters swapped
        ("complan", "complain", True),  # one missing
        ("compllain", "complain", True),  # one extra
        ("complein", "complain", True),  # one wrong
        ("copmlian", "complain", False),  # two swaps away
        ("complianed", "complain", False),
        ("cwyo", "cwyno", True),  # four letters typed for a five-letter word
        ("cwy", "cwyno", False),  # three is too short to guess from
        ("bakc", "back", False),  # a short word must be exact
        ("no", "nol", False),
        ("nol", "nol", True),
        ("", "", True),
    ],
)
def test_matches_word(typed, known, expected):
    assert matches_word(typed, known) is expected


# exactly, says, mentions ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "phrases", "expected"),
    [
        ("Back", ["back"], True),
        ("BACK!", ["back"], True),
        ("  back. ", ["back"], True),
        ("go back", ["back", "go back"], True),
        ("back please", ["back"], False),
        ("Language was rude", ["language"], False),
        ("restrat", ["restart"], True),
        ("NÔL", ["nol"], True),
        ("nol", ["n\u00f4l"], True),
        ("", ["back"], False),
        ("!!!", ["back"], False),
        ("start again", ["start"], False),
        ("start again", ["start again"], True),
        # A keyword that is all punctuation is compared as typed.
        ("?", ["help", "?"], True),
        (" ? ", ["?"], True),
        ("?", ["help"], False),
        ("??", ["?"], False),
        ("help?", ["?"], False),
        ("help?", ["help", "?"], True),
    ],
)
def test_exactly_is_the_whole_message(text, phrases, expected):
    assert exactly(text, phrases) is expected


@pytest.mark.parametrize(
    ("text", "phrases", "expected"),
    [
        ("yes please", ["yes"], True),
        ("Yes, it's me", ["yes"], True),
        ("oh yes", ["yes"], False),
        ("not sure", ["not sure"], True),
        ("not", ["not sure"], False),  # a phrase longer than the message
        ("dont know really", ["dont know"], True),
        ("thnks a lot", ["thanks"], True),
        ("", ["yes"], False),
        ("yes", [""], False),
    ],
)
def test_says_is_the_opening_words(text, phrases, expected):
    assert says(text, phrases) is expected


@pytest.mark.parametrize(
    ("text", "phrases", "expected"),
    [
        ("I want to complain", ["complain"], True),
        ("I want to complian", ["complain"], False),  # no slips anywhere but the start
        ("someone on my side please", ["on my side"], True),
        ("sidekick", ["side"], False),
        ("I am worried", [""], False),
    ],
)
def test_mentions_is_whole_words_anywhere(text, phrases, expected):
    assert mentions(text, phrases) is expected


# pick ------------------------------------------------------------------------------------

INTENTS = {
    option.value: [w for words in option.words.values() for w in words]
    for option in FLOW.nodes["intent"].options
}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("complain", "complaint"),
        ("complian", "complaint"),
        ("Thank you so much", "compliment"),
        ("diolch", "compliment"),
        ("I want to complain", "complaint"),  # found anywhere when the start says nothing
        ("thank you, but I also want to complain", "compliment"),  # the start wins
        ("I am worried and unhappy", None),  # two anywhere: not a guess
        ("pizza", None),
        ("", None),
    ],
)
def test_pick(text, expected):
    assert pick(text, INTENTS) == expected


def test_pick_with_one_option_saying_it_twice():
    assert pick("yes yes", {"yes": ["yes", "yes yes"]}) == "yes"


# numbered_choice -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2", 2),
        ("2.", 2),
        ("2)", 2),
        (" 2 ", 2),
        ("2 please", 2),
        ("2. Say thank you", 2),
        ("02", 2),
        ("4", 4),
        ("0", None),
        ("5", None),
        ("12", None),
        ("123", None),
        ("2nd", None),
        ("3/10", None),
        ("-1", None),
        ("two", None),
        ("", None),
        ("#2", None),
    ],
)
def test_numbered_choice_out_of_four(text, expected):
    assert numbered_choice(text, 4) == expected


def test_numbered_choice_allows_two_digit_options():
    assert numbered_choice("12", 12) == 12
    assert numbered_choice("10)", 12) == 10


# parse_date ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("3/10/2025", date(2025, 10, 3)),  # day first, as in the UK
        ("12/1/2026", date(2026, 1, 12)),
        ("1/12/2025", date(2025, 12, 1)),
        ("03/09/2026", date(2026, 9, 3)),
        ("3.10.2025", date(2025, 10, 3)),
        ("3-10-2025", date(2025, 10, 3)),
        ("3/10/25", date(2025, 10, 3)),  # a two-digit year in this century
        ("1/1/00", date(2000, 1, 1)),
        ("3/10/99", date(1999, 10, 3)),  # and the last
        ("3/10/26", date(2026, 10, 3)),  # in the future: the engine asks again
        ("3/10/27", date(1927, 10, 3)),  # never in the future, so a century back
        ("30/9", date(2026, 9, 30)),  # today
        ("1/10", date(2025, 10, 1)),  # without a year: the latest not in the future
        ("29/2/2024", date(2024, 2, 29)),
        ("3 October 2025", date(2025, 10, 3)),
        ("October 3 2025", date(2025, 10, 3)),
        ("3 oct", date(2025, 10, 3)),
        ("Octobr", date(2025, 10, 1)),  # a month alone is its first day
        ("March", date(2026, 3, 1)),
        ("december", date(2025, 12, 1)),
        ("2 Sept 2026", date(2026, 9, 2)),
        ("2025", date(2025, 1, 1)),  # a year alone is its first of January
        ("3rd October 2025", date(2025, 10, 3)),  # ordinals: the number is the day
        ("21st Sept", date(2026, 9, 21)),
        ("1st of june", date(2026, 6, 1)),
        ("October 2nd 2025", date(2025, 10, 2)),
        ("22nd December 2025", date(2025, 12, 22)),
        ("4th march", date(2026, 3, 4)),
    ],
)
def test_parse_date_in_english(text, expected):
    assert parse_date(text, TODAY, EN_MONTHS) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("3 Hydref 2025", date(2025, 10, 3)),
        ("hydref", date(2025, 10, 1)),
        ("1 Medi", date(2026, 9, 1)),
        ("Mawrth 2025", date(2025, 3, 1)),
        ("mai", date(2026, 5, 1)),
        ("3/10/2025", date(2025, 10, 3)),
        ("3ydd Hydref 2025", date(2025, 10, 3)),  # ordinals: the number is the day
        ("1af Medi", date(2026, 9, 1)),
        ("2il Medi", date(2026, 9, 2)),
        ("5ed Mai", date(2026, 5, 5)),
        ("22ain Medi", date(2026, 9, 22)),
    ],
)
def test_parse_date_in_welsh(text, expected):
    assert parse_date(text, TODAY, CY_MONTHS) == expected


@pytest.mark.parametrize(
    "text",
    [
        "31/2",
        "31/2/2026",
        "30/2/2024",
        "29/2/2025",
        "31/4/2025",
        "0/5/2025",
        "5/0/2025",
        "13/13",
        "32/1/2025",
        "1/13/2025",
        "31 April 2025",
        "3 10 2026",
        "2025 2024",
        "pizza",
        "",
        "10/2025",
        "3/10/202",
        "3rd",
        "3rd 10",
    ],
)
def test_parse_date_refuses_what_is_not_a_date(text):
    assert parse_date(text, TODAY, EN_MONTHS) is None


def test_parse_date_without_a_year_on_29_february_of_a_common_year():
    # 2026 is not a leap year: 29/2 without a year is no date this year.
    assert parse_date("29/2", TODAY, EN_MONTHS) is None


def test_month_names_only_in_the_language_given():
    assert parse_date("October", TODAY, CY_MONTHS) is None
    assert parse_date("Hydref", TODAY, EN_MONTHS) is None


@pytest.mark.parametrize(
    ("kind", "expected"),
    [
        ("today", date(2026, 9, 30)),
        ("yesterday", date(2026, 9, 29)),
        ("last_week", date(2026, 9, 23)),
        ("last_month", date(2026, 8, 31)),
        ("last_year", date(2025, 9, 30)),
    ],
)
def test_relative_date(kind, expected):
    assert relative_date(kind, TODAY) == expected


def test_days_ago():
    assert days_ago(date(2026, 6, 30), TODAY) == 92
    assert days_ago(TODAY, TODAY) == 0
    assert days_ago(date(2026, 10, 1), TODAY) == -1


def test_a_month_named_exactly_beats_one_a_letter_away():
    months = {6: ["junho"], 7: ["julho"]}

    assert parse_date("julho", date(2026, 11, 23), months) == date(2026, 7, 1)
    assert parse_date("junho", date(2026, 11, 23), months) == date(2026, 6, 1)
    # One letter wrong still finds the month.
    assert parse_date("julhoo", date(2026, 11, 23), months) == date(2026, 7, 1)


@pytest.mark.parametrize(
    ("typed", "words"),
    [
        # Vowel signs are marks, not letters: they stay inside their word.
        ("আমি নিজেকে মেরে ফেলব", ["আমি", "নিজেকে", "মেরে", "ফেলব"]),
        ("ਮੈਂ ਆਪਣੇ ਆਪ ਨੂੰ", ["ਮੈਂ", "ਆਪਣੇ", "ਆਪ", "ਨੂੰ"]),
        # Arabic's short-vowel marks are dropped, as accents are.
        ("أُرِيدُ المساعدة!", ["اريد", "المساعدة"]),
        ("Hi, it's £5 (ok)?", ["hi", "its", "5", "ok"]),
    ],
)
def test_words_in_any_script_survive_folding(typed, words):
    assert words_of(typed) == words
