"""The flow check: the shipped flow is sound, and a broken flow is refused with clear words.

Each broken flow is the shipped one with one thing spoiled, written to a temporary file
and loaded as the service loads it.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
import yaml

from intake.chat.flow import (
    FLOWS_DIR,
    GLOBAL_WORDS,
    SHARED_TEXTS,
    FlowError,
    Route,
    check_flow,
    flow_data,
    load_flow,
    load_flows,
)
from tests.chat.support import FLOW

SHIPPED = FLOWS_DIR / "young_people.yaml"
# The shipped flow with every language inline, as a council could also write it.
RAW: dict[str, Any] = flow_data(SHIPPED)


def _node(raw: dict[str, Any], node_id: str) -> dict[str, Any]:
    return next(n for n in raw["nodes"] if n["id"] == node_id)


def _write(tmp_path: Path, raw: dict[str, Any], name: str = "flow.yaml") -> Path:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(raw, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def _problems(tmp_path: Path, spoil: Callable[[dict[str, Any]], None]) -> str:
    raw = copy.deepcopy(RAW)
    spoil(raw)
    path = _write(tmp_path, raw)
    with pytest.raises(FlowError) as raised:
        load_flow(path)
    message = str(raised.value)
    assert str(path) in message
    return message


# The shipped flow ------------------------------------------------------------------------


def test_the_shipped_flow_has_no_problems():
    assert check_flow(FLOW) == []


def test_the_shipped_flows_load_by_id():
    flows = load_flows()
    assert set(flows) == {"young_people"}
    assert flows["young_people"] == FLOW
    assert load_flow(SHIPPED) == FLOW


def test_the_shipped_flow_offers_every_language_the_council_offers():
    # English and Welsh in the flow itself; the others each in young_people/<code>.yaml.
    assert FLOW.languages == ("en", "cy", "pl", "ro", "pa", "ur", "bn", "ar", "pt", "so")
    assert FLOW.start == "language"
    assert FLOW.first_question == "intent"
    assert FLOW.join_seconds == 30
    assert FLOW.join_text_seconds == 5
    assert FLOW.expire_hours == 24


def test_join_text_seconds_is_read_from_the_flow_and_defaults_to_5(tmp_path):
    raw = copy.deepcopy(RAW)
    raw["join_text_seconds"] = 8
    assert load_flow(_write(tmp_path, raw, "eight.yaml")).join_text_seconds == 8
    raw.pop("join_text_seconds")
    assert load_flow(_write(tmp_path, raw, "default.yaml")).join_text_seconds == 5


def test_advocate_noted_is_a_shared_text():
    assert "advocate_noted" in SHARED_TEXTS
    assert set(SHARED_TEXTS) <= set(FLOW.texts)


@pytest.mark.parametrize(
    ("channel", "node"),
    [("web", "contact"), ("cli", "contact"), ("sms", "reply"), ("whatsapp", "reply")],
)
def test_only_a_phone_is_asked_whether_we_may_text_back(channel, node):
    """A browser and the terminal have no number: they are asked for contact details."""
    assert FLOW.nodes["how_to_reply"].route.resolve({}, channel) == node


def test_every_node_of_the_shipped_flow_is_reachable_from_the_start():
    seen, todo = set(), [FLOW.start, FLOW.advocate_start]
    while todo:
        node_id = todo.pop()
        if node_id in seen or node_id is None:
            continue
        seen.add(node_id)
        node = FLOW.nodes[node_id]
        for route in [node.route, *(o.route for o in node.options)]:
            if route is not None:
                todo += route.targets()
    assert seen == set(FLOW.nodes)


def test_every_choice_option_and_switch_case_of_the_shipped_flow_exists():
    intents = {o.value for o in FLOW.nodes["intent"].options}
    assert intents == {"complaint", "compliment", "comment", "advocacy_request"}
    for node in FLOW.nodes.values():
        route = node.route
        if route is not None and route.switch == "intent":
            assert set(route.cases) <= intents, node.id


def test_the_shipped_flow_survives_being_written_out_and_read_back(tmp_path):
    assert load_flow(_write(tmp_path, copy.deepcopy(RAW))) == FLOW


# Broken flows ----------------------------------------------------------------------------


def test_a_missing_welsh_text_is_caught(tmp_path):
    message = _problems(tmp_path, lambda raw: _node(raw, "who")["text"].pop("cy"))
    assert "node 'who' text: no text in 'cy'" in message


def test_an_empty_welsh_text_is_caught(tmp_path):
    def spoil(raw):
        _node(raw, "when")["text"]["cy"] = "   "

    assert "node 'when' text: no text in 'cy'" in _problems(tmp_path, spoil)


def test_a_missing_welsh_reask_is_caught(tmp_path):
    message = _problems(tmp_path, lambda raw: _node(raw, "when")["reask"].pop("cy"))
    assert "node 'when' reask: no text in 'cy'" in message


@pytest.mark.parametrize("key", SHARED_TEXTS)
def test_a_missing_shared_text_is_caught(tmp_path, key):
    assert f"texts.{key}: missing" in _problems(tmp_path, lambda raw: raw["texts"].pop(key))


def test_a_shared_text_missing_in_welsh_is_caught(tmp_path):
    message = _problems(tmp_path, lambda raw: raw["texts"]["safety"].pop("cy"))
    assert "texts.safety: no text in 'cy'" in message


def test_a_translation_that_drops_a_placeholder_is_caught(tmp_path):
    def spoil(raw):
        raw["texts"]["safety"]["cy"] = raw["texts"]["safety"]["cy"].replace(
            "{out_of_hours_phone}", "01632 960 111"
        )

    message = _problems(tmp_path, spoil)
    assert "texts.safety: the 'cy' text has placeholders [], not ['out_of_hours_phone']" in message


def test_a_translation_with_a_misspelt_placeholder_is_caught(tmp_path):
    def spoil(raw):
        raw["texts"]["help"]["cy"] = raw["texts"]["help"]["cy"].replace("{phone}", "{ffon}")

    message = _problems(tmp_path, spoil)
    assert "texts.help: the 'cy' text has placeholders ['council', 'ffon']" in message


def test_every_shipped_language_keeps_every_placeholder():
    flow = load_flows()["young_people"]
    changed = [p for p in check_flow(flow) if "placeholders" in p]
    assert changed == []
    # The check sees the other languages too, not only Welsh.
    assert set(flow.texts["safety"]) == set(flow.languages)


def test_an_extra_missing_in_welsh_is_caught(tmp_path):
    def spoil(raw):
        _node(raw, "done_complaint")["extras"] = [
            {"answer": "text_back", "equals": "no", "text": {"en": "We will not text you."}}
        ]

    assert "node 'done_complaint' extra: no text in 'cy'" in _problems(tmp_path, spoil)


def test_option_words_missing_in_welsh_are_caught(tmp_path):
    message = _problems(tmp_path, lambda raw: _node(raw, "intent")["options"][0]["words"].pop("cy"))
    assert "node 'intent' option 'complaint' words: no text in 'cy'" in message


def test_skip_words_missing_in_welsh_are_caught(tmp_path):
    message = _problems(tmp_path, lambda raw: _node(raw, "about")["skip_words"].pop("cy"))
    assert "node 'about' skip_words: no text in 'cy'" in message


def test_a_node_going_to_an_unknown_node_is_caught(tmp_path):
    def spoil(raw):
        _node(raw, "about_thanks")["next"] = "nowhere"

    message = _problems(tmp_path, spoil)
    assert "node 'about_thanks': goes to 'nowhere', which is not a node" in message


def test_a_switch_case_going_to_an_unknown_node_is_caught(tmp_path):
    def spoil(raw):
        _node(raw, "who")["next"]["cases"]["compliment"] = "what_thanx"

    assert "node 'who': goes to 'what_thanx', which is not a node" in _problems(tmp_path, spoil)


def test_a_loop_that_cannot_reach_an_end_is_caught(tmp_path):
    def spoil(raw):
        _node(raw, "about")["next"] = "outcome"
        _node(raw, "outcome")["next"] = "about"

    message = _problems(tmp_path, spoil)
    for node_id in ["what_happened", "when", "about", "outcome", "what_worried", "what_help"]:
        assert f"node '{node_id}': cannot reach an end" in message
    # The thank-you way still ends, so these are fine.
    assert "node 'intent': cannot reach an end" not in message
    assert "node 'about_thanks': cannot reach an end" not in message


def test_a_node_looping_to_itself_is_caught(tmp_path):
    def spoil(raw):
        _node(raw, "outcome")["next"] = "outcome"

    assert "node 'outcome': cannot reach an end" in _problems(tmp_path, spoil)


def test_a_switch_without_a_default_is_caught(tmp_path):
    message = _problems(tmp_path, lambda raw: _node(raw, "who")["next"].pop("default"))
    assert "node 'who': a switch needs a default, so nobody is stranded" in message


def test_a_router_switch_without_a_default_is_caught(tmp_path):
    message = _problems(tmp_path, lambda raw: _node(raw, "how_to_reply")["next"].pop("default"))
    assert "node 'how_to_reply': a switch needs a default" in message


def test_a_choice_with_one_option_is_caught(tmp_path):
    def spoil(raw):
        _node(raw, "intent")["options"] = _node(raw, "intent")["options"][:1]

    assert "node 'intent': a choice needs at least two options" in _problems(tmp_path, spoil)


def test_a_question_without_save_as_is_caught(tmp_path):
    message = _problems(tmp_path, lambda raw: _node(raw, "when").pop("save_as"))
    assert "node 'when': asks a question but does not say where to save_as" in message


def test_a_question_with_nowhere_to_go_is_caught(tmp_path):
    message = _problems(tmp_path, lambda raw: _node(raw, "outcome").pop("next"))
    assert "node 'outcome': has nowhere to go next" in message


def test_an_unknown_node_type_is_caught(tmp_path):
    def spoil(raw):
        _node(raw, "when")["type"] = "calendar"

    assert "node 'when': unknown type 'calendar'" in _problems(tmp_path, spoil)


def test_a_missing_month_name_is_caught(tmp_path):
    message = _problems(tmp_path, lambda raw: raw["months"]["cy"].pop(12))
    assert "months.cy: needs the names of all 12 months" in message


def test_missing_months_for_a_language_are_caught(tmp_path):
    message = _problems(tmp_path, lambda raw: raw["months"].pop("en"))
    assert "months.en: needs the names of all 12 months" in message


@pytest.mark.parametrize("word", GLOBAL_WORDS)
def test_a_global_word_missing_in_welsh_is_caught(tmp_path, word):
    message = _problems(tmp_path, lambda raw: raw["words"][word].pop("cy"))
    assert f"words.{word}: no text in 'cy'" in message


def test_a_global_word_missing_altogether_is_caught(tmp_path):
    message = _problems(tmp_path, lambda raw: raw["words"].pop("stop"))
    assert "words.stop: no text in 'en'" in message
    assert "words.stop: no text in 'cy'" in message


@pytest.mark.parametrize(
    ("spoil_key", "expected"),
    [
        (("yes", "cy"), "yes: no text in 'cy'"),
        (("no", "en"), "no: no text in 'en'"),
        (("language_words", "cy"), "language_words: no words for 'cy'"),
        (("language_names", "cy"), "language_names: no name for 'cy'"),
    ],
)
def test_missing_answer_words_are_caught(tmp_path, spoil_key, expected):
    section, language = spoil_key
    assert expected in _problems(tmp_path, lambda raw: raw[section].pop(language))


def test_missing_date_words_are_caught(tmp_path):
    message = _problems(tmp_path, lambda raw: raw["dates"]["ongoing"].pop("cy"))
    assert "dates.ongoing: no text in 'cy'" in message


def test_a_start_that_is_not_a_node_is_caught(tmp_path):
    def spoil(raw):
        raw["start"] = "welcome"
        raw["advocate"]["start"] = "advocate_who"

    message = _problems(tmp_path, spoil)
    assert "the flow starts at 'welcome', which is not a node" in message
    assert "the flow starts at 'advocate_who', which is not a node" in message


def test_a_new_language_without_its_words_is_caught_everywhere(tmp_path):
    def spoil(raw):
        raw["languages"].append("uk")

    message = _problems(tmp_path, spoil)
    for expected in [
        "language_names: no name for 'uk'",
        "texts.help: no text in 'uk'",
        "words.back: no text in 'uk'",
        "months.uk: needs the names of all 12 months",
        "node 'intent' text: no text in 'uk'",
        "node 'done_advocate' text: no text in 'uk'",
    ]:
        assert expected in message


def test_every_problem_is_listed_at_once(tmp_path):
    def spoil(raw):
        _node(raw, "who")["text"].pop("cy")
        _node(raw, "when").pop("save_as")
        raw["months"]["cy"].pop(1)

    message = _problems(tmp_path, spoil)
    assert "node 'who' text" in message
    assert "node 'when': asks a question" in message
    assert "months.cy" in message
    assert len(message.splitlines()) == 4  # a heading, then one line per problem


def test_unreadable_yaml_is_caught(tmp_path):
    path = tmp_path / "flow.yaml"
    path.write_text("id: young_people\nnodes: [unclosed\n", encoding="utf-8")
    with pytest.raises(FlowError, match="cannot be read as YAML"):
        load_flow(path)


def test_a_missing_file_is_caught(tmp_path):
    with pytest.raises(FlowError, match="cannot be read"):
        load_flow(tmp_path / "nowhere.yaml")


@pytest.mark.parametrize("key", ["id", "languages", "language_names", "start", "nodes"])
def test_a_missing_top_level_key_is_caught(tmp_path, key):
    message = _problems(tmp_path, lambda raw: raw.pop(key))
    assert "missing or misshapes" in message


@pytest.mark.parametrize("content", ["", "just a sentence", "- a\n- list\n"])
def test_a_file_that_is_not_a_flow_is_caught(tmp_path, content):
    path = tmp_path / "flow.yaml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(FlowError):
        load_flow(path)


def test_a_node_without_an_id_is_caught(tmp_path):
    message = _problems(tmp_path, lambda raw: _node(raw, "when").pop("id"))
    assert "missing or misshapes" in message


def test_a_broken_flow_among_good_ones_stops_loading(tmp_path):
    good = copy.deepcopy(RAW)
    other = copy.deepcopy(RAW)
    other["id"] = "carers"
    _node(other, "who")["text"].pop("cy")
    _write(tmp_path, good, "a.yaml")
    _write(tmp_path, other, "b.yaml")
    with pytest.raises(FlowError, match="node 'who' text: no text in 'cy'"):
        load_flows(tmp_path)


def test_several_good_flows_load_by_id(tmp_path):
    other = copy.deepcopy(RAW)
    other["id"] = "carers"
    _write(tmp_path, copy.deepcopy(RAW), "a.yaml")
    _write(tmp_path, other, "b.yaml")
    assert set(load_flows(tmp_path)) == {"young_people", "carers"}


def test_check_flow_works_on_a_flow_in_memory():
    nodes = dict(FLOW.nodes)
    nodes["reply"] = replace(nodes["reply"], route=Route(switch="channel", cases={"web": "done"}))
    problems = check_flow(replace(FLOW, nodes=nodes))
    assert problems == ["node 'reply': a switch needs a default, so nobody is stranded"]
