"""Driving the pure chat engine the way a channel does: one message at a time, on our clock.

Nothing here touches a database or Flask. The shipped flow and the shipped danger words
are used as they are. Every turn's state goes through JSON and back, as a channel stores
it, so a state that cannot be stored would fail here too.
"""

from __future__ import annotations

import json
import string
from collections.abc import Iterable, Mapping
from datetime import date, datetime, timedelta
from typing import Any

from babel.dates import format_date

from intake.chat.engine import ChatState, Event, Message, Turn, expire, handle
from intake.chat.flow import Flow, load_flows
from intake.chat.safety import DangerWords, load_danger_words

FLOW: Flow = load_flows()["young_people"]
DANGER: DangerWords = load_danger_words()

# Wednesday 30 September 2026, mid-morning: the clock every conversation starts on.
START = datetime(2026, 9, 30, 10, 0)
# Long enough that a message is never taken as the rest of the one before.
PAUSE = timedelta(minutes=2)

PLACEHOLDERS = {
    "council",
    "phone",
    "out_of_hours_phone",
    "reference",
    "acknowledge_by",
    "respond_by",
}
# The longest values a council or a case could put into a text (fictional).
WORST_CASE: dict[str, dict[str, str]] = {
    language: {
        "council": "Royal Borough of Kingston upon Thames",
        "phone": "01632 960 000",
        "out_of_hours_phone": "01632 960 111",
        "reference": "CS-2026-12345",
        "acknowledge_by": day,
        "respond_by": day,
    }
    for language, day in (
        ("en", "Wed 30 Sep"),
        ("cy", "Mer 30 Medi"),
        # The other languages' dates as the service writes them (Babel), at their longest.
        *(
            (code, format_date(date(2026, 9, 30), "EEE d MMM", locale=code))
            for code in ("pl", "ro", "pa", "ur", "bn", "ar", "pt", "so")
        ),
    )
}


class Chat:
    """One sender's conversation, fed one message at a time."""

    def __init__(
        self,
        channel: str = "sms",
        *,
        at: datetime = START,
        flow: Flow = FLOW,
        danger: DangerWords = DANGER,
    ) -> None:
        self.channel = channel
        self.now = at
        self.flow = flow
        self.danger = danger
        self.state = ChatState()
        self.inbound = 0
        self.turns: list[Turn] = []

    # Sending -----------------------------------------------------------------------

    def send(
        self, text: str = "", *, wait: timedelta = PAUSE, media: int = 0, channel: str | None = None
    ) -> Turn:
        self.now += wait
        message = Message(text=text, at=self.now, channel=channel or self.channel, media=media)
        turn = handle(self.flow, self.state, message, self.danger, self.now.date())
        self.inbound += 1
        return self._keep(turn)

    def send_all(self, texts: Iterable[str]) -> list[Turn]:
        return [self.send(text) for text in texts]

    def expire(self, wait: timedelta) -> Turn:
        self.now += wait
        return self._keep(expire(self.flow, self.state, self.now))

    def _keep(self, turn: Turn) -> Turn:
        stored = json.loads(json.dumps(turn.state.to_json()))
        restored = ChatState.from_json(stored)
        assert restored == turn.state, "the state must survive being stored as JSON"
        self.state = restored
        self.turns.append(turn)
        return turn

    # Looking -----------------------------------------------------------------------

    @property
    def node(self) -> str | None:
        return self.state.node

    @property
    def answers(self) -> dict[str, Any]:
        return self.state.answers

    def events(self, name: str) -> list[Event]:
        return [e for turn in self.turns for e in turn.events if e.name == name]

    def asked(self) -> list[str]:
        """Every reply key sent so far, in order."""
        return [r.key for turn in self.turns for r in turn.replies]


def keys(turn: Turn) -> list[str]:
    return [r.key for r in turn.replies]


def languages_of(turn: Turn) -> list[str]:
    return [r.language for r in turn.replies]


def names(turn: Turn) -> list[str]:
    return [e.name for e in turn.events]


def template(flow: Flow, key: str, language: str) -> str:
    """The text a reply key stands for; KeyError when there is none."""
    kind, _, name = key.partition(":")
    if kind == "text":
        return flow.texts[name][language]
    if kind == "extra":
        node_id, _, number = name.partition(":")
        return flow.nodes[node_id].extras[int(number)].text[language]
    node = flow.nodes[name]
    if kind == "reask":
        return node.reask[language]
    if kind == "node":
        return node.text[language]
    raise KeyError(key)


def render(flow: Flow, key: str, language: str, values: Mapping[str, str] | None = None) -> str:
    """The words a channel sends for a reply key, with every placeholder filled in."""
    filled = dict(WORST_CASE[language] if values is None else values)
    return string.Formatter().vformat(template(flow, key, language), (), filled).strip()


def placeholders(text: str) -> set[str]:
    return {field for _, field, _, _ in string.Formatter().parse(text) if field is not None}
