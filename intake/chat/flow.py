"""Flows are data: a YAML file of nodes, each with its words in every language.

A node says something and waits for an answer of one kind (`language`, `choice`,
`yes_no`, `text`, `date`, `contact`) or ends the conversation (`end`). Where to go
next is a node id, or a switch on an earlier answer or on the channel. `check_flow`
proves every node can reach an end and every text exists in every language the flow
offers; `flask --app wsgi intake flows check` runs it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import yaml

FLOWS_DIR = Path(__file__).resolve().parent / "flows"
ANSWER_TYPES = {"language", "choice", "yes_no", "text", "date", "contact"}
# A router says nothing and waits for nothing: it only chooses where to go.
NODE_TYPES = ANSWER_TYPES | {"end", "router"}
GLOBAL_WORDS = ("help", "back", "restart", "language", "stop", "start", "advocate")
DATE_WORDS = ("today", "yesterday", "last_week", "last_month", "last_year", "ongoing", "not_sure")
SHARED_TEXTS = (
    "help",
    "advocate_noted",
    "safety",
    "media_only",
    "stopped",
    "started",
    "resume",
    "too_long",
)


class FlowError(Exception):
    """The flow file cannot be used; the message lists every problem found."""


@dataclass(frozen=True)
class Route:
    """Where to go next: always `to`, or by an earlier answer or the channel."""

    to: str | None = None
    switch: str | None = None  # an answer key, or "channel"
    cases: Mapping[str, str] = field(default_factory=dict)
    default: str | None = None

    def targets(self) -> list[str]:
        found = [self.to, *self.cases.values(), self.default]
        return [t for t in found if t]

    def resolve(self, answers: Mapping[str, Any], channel: str) -> str | None:
        if self.to:
            return self.to
        value = channel if self.switch == "channel" else answer_at(answers, self.switch or "")
        return self.cases.get(str(value), self.default)


def answer_at(answers: Mapping[str, Any], path: str) -> Any:
    """An answer by name, or inside one by dotted path ("contact.method")."""
    value: Any = answers
    for part in path.split("."):
        if not isinstance(value, Mapping):
            return None
        value = value.get(part)
    return value


@dataclass(frozen=True)
class Option:
    value: str
    words: Mapping[str, tuple[str, ...]]
    route: Route | None = None


@dataclass(frozen=True)
class Extra:
    """A further message an end node sends when an earlier answer has a given value."""

    answer: str
    equals: str
    text: Mapping[str, str]


@dataclass(frozen=True)
class Node:
    id: str
    type: str
    text: Mapping[str, str]
    reask: Mapping[str, str] = field(default_factory=dict)
    save_as: str | None = None
    options: tuple[Option, ...] = ()
    route: Route | None = None
    # Free text: messages arriving soon after may be the rest of the same message.
    join: bool = False
    skip_words: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    # End nodes: what the conversation becomes, and what else to say.
    submit: bool = False
    extras: tuple[Extra, ...] = ()

    def next_route(self, value: str | None) -> Route | None:
        for option in self.options:
            if option.value == value and option.route is not None:
                return option.route
        return self.route


@dataclass(frozen=True)
class Flow:
    id: str
    languages: tuple[str, ...]
    language_names: Mapping[str, str]
    start: str
    first_question: str
    nodes: Mapping[str, Node]
    texts: Mapping[str, Mapping[str, str]]
    words: Mapping[str, Mapping[str, tuple[str, ...]]]
    yes: Mapping[str, tuple[str, ...]]
    no: Mapping[str, tuple[str, ...]]
    dates: Mapping[str, Mapping[str, tuple[str, ...]]]
    months: Mapping[str, Mapping[int, tuple[str, ...]]]
    language_words: Mapping[str, tuple[str, ...]]
    join_seconds: int = 30
    # When the next question also wants free text: only pieces this quick are joined.
    join_text_seconds: int = 5
    expire_hours: int = 24
    advocate_start: str | None = None
    advocate_answers: Mapping[str, str] = field(default_factory=dict)

    def node(self, node_id: str) -> Node:
        return self.nodes[node_id]

    def text(self, key: str, language: str) -> str:
        return self.texts[key][language]

    def all_words(self, key: str) -> tuple[str, ...]:
        """A global word in every language: they work whichever language is chosen."""
        return self._every_language[key]

    @cached_property
    def _every_language(self) -> Mapping[str, tuple[str, ...]]:
        # Asked several times a turn, of hundreds of words: gathered once per flow.
        return {
            key: tuple(w for language in self.languages for w in by_language.get(language, ()))
            for key, by_language in self.words.items()
        }


def _texts(raw: Any) -> dict[str, str]:
    return {str(k): str(v).strip() for k, v in (raw or {}).items()}


def _word_lists(raw: Any) -> dict[str, tuple[str, ...]]:
    return {str(k): tuple(str(w) for w in (v or ())) for k, v in (raw or {}).items()}


def _route(raw: Any) -> Route | None:
    if raw is None:
        return None
    if isinstance(raw, str):
        return Route(to=raw)
    return Route(
        switch=raw.get("switch"),
        cases={str(k): str(v) for k, v in (raw.get("cases") or {}).items()},
        default=raw.get("default"),
    )


def _node(raw: Mapping[str, Any]) -> Node:
    return Node(
        id=str(raw["id"]),
        type=str(raw["type"]),
        text=_texts(raw.get("text")),
        reask=_texts(raw.get("reask")),
        save_as=raw.get("save_as"),
        options=tuple(
            Option(
                value=str(option["value"]),
                words=_word_lists(option.get("words")),
                route=_route(option.get("next")),
            )
            for option in raw.get("options") or ()
        ),
        route=_route(raw.get("next")),
        join=bool(raw.get("join", False)),
        skip_words=_word_lists(raw.get("skip_words")),
        submit=bool(raw.get("submit", False)),
        extras=tuple(
            Extra(str(extra["answer"]), str(extra["equals"]), _texts(extra["text"]))
            for extra in raw.get("extras") or ()
        ),
    )


_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
# Language codes a flow may hold texts in (ISO 639-1): a mapping whose keys are all
# among these is one value per language.
LANGUAGE_KEYS = frozenset(
    [
        "en",
        "cy",
        "pl",
        "ro",
        "pa",
        "ur",
        "bn",
        "ar",
        "pt",
        "so",
        "lt",
        "gu",
        "uk",
        "fa",
        "ps",
        "ku",
        "ti",
        "tr",
        "es",
        "fr",
        "it",
        "hi",
        "ta",
        "zh",
        "ga",
        "gd",
    ]
)


def _read_yaml(path: Path) -> Any:
    try:
        # libyaml's safe loader when present: the pure-Python one is slow on a big flow.
        return yaml.load(path.read_text(encoding="utf-8"), Loader=_SAFE_LOADER)  # noqa: S506
    except (OSError, yaml.YAMLError) as unreadable:
        raise FlowError(f"{path}: cannot be read as YAML: {unreadable}") from unreadable


def language_maps(
    raw: Any, path: tuple[str, ...] = ()
) -> Iterator[tuple[tuple[str, ...], dict[str, Any]]]:
    """Every place in a flow that holds one value per language, with its path: "texts",
    "help" or "nodes", "intent", "options", "complaint", "words". Node lists are keyed by
    node id, option lists by value."""
    if isinstance(raw, dict):
        if raw and set(raw) <= LANGUAGE_KEYS and "en" in raw:
            yield path, raw
            return
        for key, value in raw.items():
            yield from language_maps(value, (*path, str(key)))
    elif isinstance(raw, list):
        for index, item in enumerate(raw):
            if isinstance(item, dict):
                key = item.get("id", item.get("value", index))
                yield from language_maps(item, (*path, str(key)))


def _with_translations(raw: dict[str, Any], directory: Path) -> dict[str, Any]:
    """Add each language kept in its own file (`<flow id>/<language>.yaml`, one entry per
    place in the flow, "texts/help": "...") to the flow. A language the flow lists must
    have its words somewhere: `check_flow` names every place one is missing."""
    listed = raw.get("languages")
    if not isinstance(listed, list):
        return raw  # the missing list is reported when the flow is built
    for overlay_path in sorted(directory.glob("*.yaml")):
        overlay = _read_yaml(overlay_path)
        if not isinstance(overlay, dict) or not isinstance(overlay.get("entries"), dict):
            raise FlowError(f"{overlay_path}: needs language, name and entries")
        code = str(overlay.get("language") or overlay_path.stem)
        if code not in listed:
            raise FlowError(f"{overlay_path}: {code} is not in the flow's languages")
        raw.setdefault("language_names", {})[code] = str(overlay.get("name") or code)
        entries = overlay["entries"]
        for path, texts in list(language_maps(raw)):
            key = "/".join(path)
            if key != "language_names" and key in entries:
                texts[code] = entries[key]
    return raw


def flow_data(path: Path) -> Any:
    """The flow file as data, with the languages kept in their own files merged in."""
    raw = _read_yaml(path)
    if isinstance(raw, dict):
        raw = _with_translations(raw, path.parent / path.stem)
    return raw


def load_flow(path: Path) -> Flow:
    """Read a flow file and check it; FlowError lists every problem."""
    raw = flow_data(path)
    try:
        flow = Flow(
            id=str(raw["id"]),
            languages=tuple(raw["languages"]),
            language_names=_texts(raw["language_names"]),
            start=str(raw["start"]),
            first_question=str(raw["first_question"]),
            nodes={n["id"]: _node(n) for n in raw["nodes"]},
            texts={k: _texts(v) for k, v in (raw.get("texts") or {}).items()},
            words={k: _word_lists(v) for k, v in (raw.get("words") or {}).items()},
            yes=_word_lists(raw.get("yes")),
            no=_word_lists(raw.get("no")),
            dates={k: _word_lists(v) for k, v in (raw.get("dates") or {}).items()},
            months={
                language: {int(n): tuple(names) for n, names in (months or {}).items()}
                for language, months in (raw.get("months") or {}).items()
            },
            language_words=_word_lists(raw.get("language_words")),
            join_seconds=int(raw.get("join_seconds", 30)),
            join_text_seconds=int(raw.get("join_text_seconds", 5)),
            expire_hours=int(raw.get("expire_hours", 24)),
            advocate_start=raw.get("advocate", {}).get("start"),
            advocate_answers=_texts(raw.get("advocate", {}).get("answers")),
        )
    except (KeyError, TypeError, ValueError, AttributeError) as missing:
        raise FlowError(f"{path}: the flow is missing or misshapes {missing}") from missing
    problems = check_flow(flow)
    if problems:
        raise FlowError(f"{path} has problems:\n" + "\n".join(f"  {p}" for p in problems))
    return flow


def _missing_languages(where: str, texts: Mapping[str, Any], languages: Iterable[str]) -> list[str]:
    return [
        f"{where}: no text in '{language}'" for language in languages if not texts.get(language)
    ]


_PLACEHOLDER = re.compile(r"\{(\w*)\}")


def _changed_placeholders(where: str, texts: Mapping[str, Any]) -> list[str]:
    """A translation must fill in exactly the English text's {placeholders}: one lost
    drops the reference or a phone number, one added or misspelt breaks the reply."""
    english = texts.get("en")
    if not isinstance(english, str):
        return []
    wanted = sorted(_PLACEHOLDER.findall(english))
    problems = []
    for language, text in texts.items():
        found = sorted(_PLACEHOLDER.findall(text)) if isinstance(text, str) else wanted
        if found != wanted:
            problems.append(
                f"{where}: the '{language}' text has placeholders {found}, not {wanted}"
            )
    return problems


def check_flow(flow: Flow) -> list[str]:
    """Every problem that would strand a young person or leave them without words."""
    problems: list[str] = []
    languages = flow.languages
    for node_id in (flow.start, flow.first_question, flow.advocate_start):
        if node_id and node_id not in flow.nodes:
            problems.append(f"the flow starts at '{node_id}', which is not a node")
    for language in languages:
        if language not in flow.language_names:
            problems.append(f"language_names: no name for '{language}'")
        if not flow.language_words.get(language):
            problems.append(f"language_words: no words for '{language}'")
    for key in SHARED_TEXTS:
        if key not in flow.texts:
            problems.append(f"texts.{key}: missing")
        else:
            problems += _missing_languages(f"texts.{key}", flow.texts[key], languages)
    for key in GLOBAL_WORDS:
        problems += _missing_languages(f"words.{key}", flow.words.get(key, {}), languages)
    problems += _missing_languages("yes", flow.yes, languages)
    problems += _missing_languages("no", flow.no, languages)
    for key in DATE_WORDS:
        problems += _missing_languages(f"dates.{key}", flow.dates.get(key, {}), languages)
    for language in languages:
        if sorted(flow.months.get(language, {})) != list(range(1, 13)):
            problems.append(f"months.{language}: needs the names of all 12 months")

    for node in flow.nodes.values():
        where = f"node '{node.id}'"
        if node.type not in NODE_TYPES:
            problems.append(f"{where}: unknown type '{node.type}'")
            continue
        if node.type != "router":
            problems += _missing_languages(f"{where} text", node.text, languages)
        if node.type in ANSWER_TYPES - {"text"}:
            problems += _missing_languages(f"{where} reask", node.reask, languages)
        if node.type in ANSWER_TYPES and node.type != "language" and not node.save_as:
            problems.append(f"{where}: asks a question but does not say where to save_as")
        if node.type == "choice":
            if len(node.options) < 2:
                problems.append(f"{where}: a choice needs at least two options")
            for option in node.options:
                problems += _missing_languages(
                    f"{where} option '{option.value}' words", option.words, languages
                )
        if node.skip_words:
            problems += _missing_languages(f"{where} skip_words", node.skip_words, languages)
        for extra in node.extras:
            problems += _missing_languages(f"{where} extra", extra.text, languages)
        for target in _targets(node):
            if target not in flow.nodes:
                problems.append(f"{where}: goes to '{target}', which is not a node")
        for route in [node.route, *(o.route for o in node.options)]:
            if route is not None and route.switch and not route.default:
                problems.append(f"{where}: a switch needs a default, so nobody is stranded")
        if node.type != "end" and not _targets(node):
            problems.append(f"{where}: has nowhere to go next")

    for key, texts in flow.texts.items():
        problems += _changed_placeholders(f"texts.{key}", texts)
    for node in flow.nodes.values():
        for kind, texts in (("text", node.text), ("reask", node.reask)):
            problems += _changed_placeholders(f"node '{node.id}' {kind}", texts)
        for number, extra in enumerate(node.extras):
            problems += _changed_placeholders(f"node '{node.id}' extra {number}", extra.text)

    problems += [f"node '{node_id}': cannot reach an end" for node_id in _stranded(flow)]
    return problems


def _targets(node: Node) -> list[str]:
    found: list[str] = []
    for route in [node.route, *(o.route for o in node.options)]:
        if route is not None:
            found += route.targets()
    return found


def _stranded(flow: Flow) -> list[str]:
    """Nodes from which no path leads to an end node."""
    reaches_end = {n.id for n in flow.nodes.values() if n.type == "end"}
    changed = True
    while changed:
        changed = False
        for node in flow.nodes.values():
            if node.id not in reaches_end and any(t in reaches_end for t in _targets(node)):
                reaches_end.add(node.id)
                changed = True
    return sorted(set(flow.nodes) - reaches_end)


def load_flows(directory: Path = FLOWS_DIR) -> dict[str, Flow]:
    return {flow.id: flow for flow in (load_flow(p) for p in sorted(directory.glob("*.yaml")))}
