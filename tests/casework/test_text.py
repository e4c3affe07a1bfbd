"""Free text from the public, kept word for word as plain text."""

from __future__ import annotations

import pytest

from intake.casework.text import one_line, plain_text


@pytest.mark.parametrize("value", [None, "", "   ", "\n\t\n", "\x00"])
def test_nothing_becomes_the_empty_string(value):
    assert plain_text(value) == ""


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("<b>Bold</b> move", "Bold move"),
        ('<a href="https://example.org">the letter</a> came late', "the letter came late"),
        ("<p>My son's social worker</p>", "My son's social worker"),
        ('<span style="color:red">urgent</span>', "urgent"),
        ("<div><em>still</em> here</div>", "still here"),
    ],
)
def test_tags_are_stripped_and_their_text_kept(value, expected):
    assert plain_text(value) == expected


@pytest.mark.parametrize(
    "value",
    [
        "<script>alert('hello')</script>Hello",
        "Hello<script src='https://example.org/x.js'></script>",
        "<scr<script>ipt>alert(1)</script>",
        "<img src=x onerror=alert(1)>Hello",
        "<style>body {display: none}</style>Hello",
        "<iframe src='https://example.org'></iframe>Hello",
    ],
)
def test_no_markup_survives(value):
    text = plain_text(value)

    for fragment in ("<script", "</script", "<img", "onerror=", "<style", "<iframe"):
        assert fragment not in text


def test_an_html_comment_is_dropped():
    assert plain_text("before<!-- not for the public -->after") == "beforeafter"


@pytest.mark.parametrize(
    "value",
    ["Tom &amp; Jerry", "Fish & chips", "caf&eacute;", "&quot;quoted&quot;", "<b>A &amp; B</b>"],
)
def test_what_looks_like_an_html_entity_is_kept_as_typed(value):
    # People write text, not HTML: only tags are taken out, so "&amp;" typed stays
    # "&amp;", and cleaning twice changes nothing.
    assert plain_text(value) == value.replace("<b>", "").replace("</b>", "")


@pytest.mark.parametrize(
    "value",
    [
        "5 < 6",
        "I <3 you",
        "7 > 6",
        "1 < 2 and 3 > 2",
        "-> next",
        "R&D",
    ],
)
def test_angle_brackets_and_ampersands_that_are_not_markup_are_kept(value):
    assert plain_text(value) == value


@pytest.mark.parametrize(
    "control",
    [
        "\x00",  # NUL
        "\x01",
        "\x07",  # bell
        "\x08",  # backspace
        "\x0b",  # vertical tab
        "\x0c",  # form feed
        "\x1b",  # escape
        "\x1f",
        "\x7f",  # delete
        "\x80",
        "\x85",  # next line (C1)
        "\x9b",
        "\x9f",
    ],
)
def test_control_characters_are_removed(control):
    assert plain_text(f"a{control}b") == "ab"


@pytest.mark.parametrize("control", ["\x00", "\x1b", "\x85"])
def test_control_characters_are_removed_from_text_with_markup_too(control):
    assert plain_text(f"<b>a{control}b</b> & c") == "ab & c"


@pytest.mark.parametrize("value", ["\ud800", "\udfff", "\ufffe", "\uffff"])
def test_lone_surrogates_and_noncharacters_are_removed(value):
    # Some databases refuse these outright.
    assert plain_text(f"a{value}b") == "ab"


def test_line_breaks_and_tabs_are_kept():
    assert plain_text("Dear team,\n\tthank you.\nJo") == "Dear team,\n\tthank you.\nJo"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("first\r\nsecond", "first\nsecond"),
        ("first\rsecond", "first\nsecond"),
        ("one\r\ntwo\r\nthree", "one\ntwo\nthree"),
        ("<b>first</b>\r\nsecond", "first\nsecond"),
    ],
)
def test_line_endings_become_line_feeds(value, expected):
    assert plain_text(value) == expected


def test_text_is_nfc_normalised():
    decomposed = "Cafe\u0301"  # "e" followed by a combining acute accent

    assert plain_text(decomposed) == "Caf\u00e9"
    assert plain_text(decomposed) == plain_text("Café")


def test_welsh_letters_are_normalised_too():
    # "ŵ" typed as "w" and a combining circumflex.
    assert plain_text("Dw\u0302r") == "D\u0175r"


@pytest.mark.parametrize(
    "value",
    [
        "Thank you 👍🏽",
        "Our family 👩‍👩‍👧 is grateful",  # joined with zero-width joiners
        "شكرا لكم على المساعدة",
        "תודה רבה",
        "Diolch yn fawr iawn",
        "Dziękuję bardzo",
        "谢谢你们",
    ],
)
def test_emoji_and_other_scripts_are_kept(value):
    assert plain_text(value) == value


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("one\n\n\ntwo", "one\n\ntwo"),
        ("one\n\n\n\n\n\ntwo", "one\n\ntwo"),
        ("one\r\n\r\n\r\n\r\ntwo", "one\n\ntwo"),
        ("one\n\ntwo", "one\n\ntwo"),
        ("one\ntwo", "one\ntwo"),
    ],
)
def test_runs_of_blank_lines_collapse_to_one(value, expected):
    assert plain_text(value) == expected


def test_surrounding_whitespace_is_trimmed():
    assert plain_text("  \n\t What happened \n \n") == "What happened"


def test_indentation_inside_the_text_is_kept():
    assert plain_text("Points:\n  - one\n  - two") == "Points:\n  - one\n  - two"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, ""),
        ("", ""),
        ("  Jo   Bloggs  ", "Jo Bloggs"),
        ("Jo\nBloggs", "Jo Bloggs"),
        ("Jo\r\n\r\nBloggs", "Jo Bloggs"),
        ("Jo\tBloggs", "Jo Bloggs"),
        ("Jo\u00a0Bloggs", "Jo Bloggs"),  # no-break space
        ("<b>Jo</b> Bloggs", "Jo Bloggs"),
        ("Llan\x00fair", "Llanfair"),
        ("Sio\u0302n", "Si\u00f4n"),
    ],
)
def test_one_line_is_plain_text_with_whitespace_collapsed(value, expected):
    assert one_line(value) == expected


@pytest.mark.parametrize(
    "value",
    [
        "Tom &amp; Jerry",
        "5 < 6 and I <3 you",
        "<b>Bold</b>\r\n\r\n\r\n\r\nmove",
        "Cafe\u0301 \x00 👍🏽",
        "&lt;b&gt;hello&lt;/b&gt;",  # someone typing the entities themselves
        "Tom &amp;amp; Jerry",
    ],
)
def test_cleaning_text_twice_changes_nothing_more(value):
    # The form's filter cleans an answer and receive_case() cleans it again before it is
    # stored, so a second pass must not change what the person saw they had written.
    once = plain_text(value)

    assert plain_text(once) == once


@pytest.mark.parametrize(
    "value",
    ["x<y and y>z", "a < b > c", "I <3 you", "<3 months ago", "<unknowntag>kept</unknowntag>"],
)
def test_angle_brackets_that_are_not_html_tags_are_writing(value):
    assert plain_text(value) == value


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("line<br>break", "line\nbreak"),
        ("one<BR/>two", "one\ntwo"),
        ("<ScRiPt>x</sCrIpT>y", "xy"),
        ('<a href="javascript:alert(1)">link</a>', "link"),
        ("<img src=x onerror=alert(1)>ok", "ok"),
    ],
)
def test_html_tags_in_any_case_are_taken_out_without_joining_words(value, expected):
    assert plain_text(value) == expected
