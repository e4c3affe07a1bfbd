"""The conversation engine: (flow, state, message) -> (state, replies, events).

Pure: it reads no clock but the one it is given and touches no database; the channel
that called it carries out the events (save a case, raise a safeguarding alert) and
renders the replies, filling in what only it knows (the reference, the dates).

Order of work for every message, whatever the node:
1. Danger words, in every language the flow offers, before anything else. A match
   answers at once with 999, Childline and the out-of-hours number, raises an alert and
   keeps the message with the case whatever happens next; the young person can then
   carry on. Even after STOP the alert is raised.
2. STOP is honoured (nothing more is sent) until START.
3. A conversation that went quiet offers to carry on or start again.
4. Global words: HELP, BACK, RESTART, LANGUAGE, ADVOCATE.
5. The answer to the question the young person was last asked.

Nothing a young person tells us is lost: a message that answers no question is kept
with the answers, and RESTART keeps what was said as an incomplete case.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from typing import Any

from intake.chat.flow import Flow, Node, answer_at
from intake.chat.matching import (
    days_ago,
    exactly,
    numbered_choice,
    parse_date,
    pick,
    relative_date,
    says,
)
from intake.chat.safety import DangerWords

# Free text longer than this is kept (nothing a person tells us is lost) but not added to.
MAX_ANSWER = 20000
# Messages that answered no question (a long story where a date was asked): kept.
OTHER_MESSAGES = "_other_messages"
# Messages that raised a safeguarding alert: kept whatever BACK or RESTART do after.
SAFEGUARDING_MESSAGES = "_safeguarding_messages"
# ADVOCATE in the middle of a conversation: they want an advocate for this.
ADVOCATE_WANTED = "advocate_wanted"
MAX_KEPT_MESSAGES = 50
# Channels whose long messages can arrive in pieces.
SPLIT_CHANNELS = frozenset({"sms", "whatsapp"})
# Answers that are the service's bookkeeping, not something the young person told us.
_BOOKKEEPING = {"language"}


@dataclass(frozen=True)
class Reply:
    """A message to send: a text key in the flow, rendered by the channel."""

    key: str  # "node:<id>", "reask:<id>", "text:<name>" or "extra:<id>:<n>"
    language: str


@dataclass(frozen=True)
class Event:
    """Something the channel must do: "submit", "safeguarding", "new_run", "stopped",
    "started"."""

    name: str
    detail: dict[str, Any] = field(default_factory=dict)


@dataclass
class ChatState:
    node: str | None = None
    language: str | None = None
    answers: dict[str, Any] = field(default_factory=dict)
    history: list[str] = field(default_factory=list)
    stopped: bool = False
    # Quiet for the flow's expiry time (its answers are already an incomplete case).
    expired: bool = False
    # The young person came back after expiry and was asked: carry on, or start again?
    offer_resume: bool = False
    safeguarding: bool = False
    last_at: str | None = None
    return_to: str | None = None
    # The free-text answer a quick follow-up message may belong to, and until when.
    join_key: str | None = None
    join_until: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "node": self.node,
            "language": self.language,
            "answers": dict(self.answers),
            "history": list(self.history),
            "stopped": self.stopped,
            "expired": self.expired,
            "offer_resume": self.offer_resume,
            "safeguarding": self.safeguarding,
            "last_at": self.last_at,
            "return_to": self.return_to,
            "join_key": self.join_key,
            "join_until": self.join_until,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any] | None) -> ChatState:
        data = dict(data or {})
        return cls(
            node=data.get("node"),
            language=data.get("language"),
            answers=dict(data.get("answers") or {}),
            history=list(data.get("history") or []),
            stopped=bool(data.get("stopped")),
            expired=bool(data.get("expired")),
            offer_resume=bool(data.get("offer_resume")),
            safeguarding=bool(data.get("safeguarding")),
            last_at=data.get("last_at"),
            return_to=data.get("return_to"),
            join_key=data.get("join_key"),
            join_until=data.get("join_until"),
        )

    @property
    def in_progress(self) -> bool:
        return self.node is not None


@dataclass(frozen=True)
class Message:
    text: str
    at: datetime
    channel: str  # "sms", "whatsapp", "web" or "cli"
    media: int = 0


@dataclass
class Turn:
    state: ChatState
    replies: list[Reply] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)


def told_us_something(state: ChatState) -> bool:
    """Has the young person said anything beyond choosing a language?"""
    return any(key not in _BOOKKEEPING and value for key, value in state.answers.items())


def _copy(state: ChatState) -> ChatState:
    return replace(state, answers=dict(state.answers), history=list(state.history))


def _keep(state: ChatState, key: str, text: str) -> None:
    kept = list(state.answers.get(key) or [])
    if text and len(kept) < MAX_KEPT_MESSAGES:
        kept.append(text[:MAX_ANSWER])
        state.answers[key] = kept


def expire(flow: Flow, state: ChatState, now: datetime) -> Turn:
    """End a conversation idle for the flow's expiry time.

    If the young person had told us anything it becomes an incomplete case (the
    "submit" event with incomplete=True); the answers stay so that, if they come back,
    they can carry on where they left off.
    """
    turn = Turn(_copy(state))
    if not state.in_progress or state.expired or state.offer_resume or state.last_at is None:
        return turn
    if now - datetime.fromisoformat(state.last_at) < timedelta(hours=flow.expire_hours):
        return turn
    turn.state.expired = True
    turn.state.join_key = turn.state.join_until = None
    if told_us_something(state):
        turn.events.append(Event("submit", {"answers": dict(state.answers), "incomplete": True}))
    return turn


def handle(
    flow: Flow, state: ChatState, message: Message, danger: DangerWords, today: date
) -> Turn:
    """What happens when one message arrives."""
    turn = Turn(_copy(state))
    state = turn.state
    _forget_what_the_flow_no_longer_has(flow, state)
    language = state.language or flow.languages[0]
    text = message.text.strip()

    at_risk = bool(text) and danger.found_in(text)
    if at_risk:
        state.safeguarding = True
        _keep(state, SAFEGUARDING_MESSAGES, text)
        turn.events.append(Event("safeguarding", {"node": state.node}))
        if not state.stopped:
            turn.replies.append(Reply("text:safety", language))

    if state.stopped:
        if exactly(text, flow.all_words("start")):
            state.stopped = False
            turn.events.append(Event("started"))
            turn.replies.append(Reply("text:started", language))
            if state.expired:
                _offer_resume(flow, turn)
            else:
                _ask_current_or_start(flow, turn)
        return _done(turn, message)

    if exactly(text, flow.all_words("stop")):
        state.stopped = True
        turn.events.append(Event("stopped"))
        # Twilio answers STOP by text message itself; other channels need our word.
        if message.channel != "sms":
            turn.replies.append(Reply("text:stopped", language))
        return _done(turn, message)

    if state.expired and state.in_progress:
        # The first message back only brings the question: it is kept, not lost.
        if not at_risk and len(text.split()) > 2:
            _keep(state, OTHER_MESSAGES, text)
        _offer_resume(flow, turn)
        return _done(turn, message)

    if _joins_previous_answer(flow, state, message, text, today):
        return _done(turn, message)
    state.join_key = state.join_until = None

    if not text:
        turn.replies.append(Reply("text:media_only" if message.media else "text:help", language))
        _ask_current_or_start(flow, turn, again=True)
        return _done(turn, message)

    if _global_word(flow, turn, text, message.channel):
        return _done(turn, message)

    if state.offer_resume:
        _resume(flow, turn, text, at_risk)
    elif not state.in_progress:
        _start_run(flow, turn, text, at_risk)
    elif state.node is not None:
        _answer(flow, turn, flow.node(state.node), text, message, today, at_risk)
    return _done(turn, message)


def _done(turn: Turn, message: Message) -> Turn:
    turn.state.last_at = message.at.isoformat()
    return turn


# Steps -----------------------------------------------------------------------------------


def _forget_what_the_flow_no_longer_has(flow: Flow, state: ChatState) -> None:
    """A conversation stored under an older version of the flow carries on safely."""
    if state.language is not None and state.language not in flow.languages:
        state.language = None
    state.history = [node for node in state.history if node in flow.nodes]
    if state.return_to is not None and state.return_to not in flow.nodes:
        state.return_to = None
    if state.node is not None and state.node not in flow.nodes:
        state.node = flow.start if state.language is None else flow.first_question
        state.history = []


def _start_run(flow: Flow, turn: Turn, text: str, at_risk: bool) -> None:
    state = turn.state
    # A danger message that started the conversation is already in the answers.
    kept = {k: v for k, v in state.answers.items() if k == SAFEGUARDING_MESSAGES and at_risk}
    state.answers = kept
    state.history = []
    # The message that starts a conversation is kept unless it is only a greeting.
    if not at_risk and len(text.split()) > 2:
        _keep(state, OTHER_MESSAGES, text)
    _ask(flow, turn, flow.start if state.language is None else flow.first_question)


def _ask(flow: Flow, turn: Turn, node_id: str, channel: str = "sms") -> None:
    state = turn.state
    node = flow.node(node_id)
    while node.type == "router" and node.route is not None:
        target = node.route.resolve(state.answers, channel)
        if target is None:
            break
        node = flow.node(target)
    state.node = node.id
    language = state.language or flow.languages[0]
    turn.replies.append(Reply(f"node:{node.id}", language))
    if node.type == "end":
        _finish(flow, turn, node)


def _ask_current_or_start(flow: Flow, turn: Turn, again: bool = False) -> None:
    state = turn.state
    language = state.language or flow.languages[0]
    if state.offer_resume:
        turn.replies.append(Reply("text:resume", language))
    elif state.in_progress and state.node is not None:
        node = flow.node(state.node)
        key = f"reask:{node.id}" if again and node.reask else f"node:{node.id}"
        turn.replies.append(Reply(key, language))
    elif again:
        state.node = flow.start if state.language is None else flow.first_question
        turn.replies.append(Reply(f"node:{state.node}", language))


def _offer_resume(flow: Flow, turn: Turn) -> None:
    state = turn.state
    state.expired = False
    state.offer_resume = True
    turn.replies.append(Reply("text:resume", state.language or flow.languages[0]))


def _new_run(flow: Flow, turn: Turn, *, ask: bool = True) -> None:
    """Start again: what was said so far is kept as a case (filling in the one it already
    is, after expiry, with anything said since), then a fresh run begins."""
    state = turn.state
    if told_us_something(state):
        turn.events.append(Event("submit", {"answers": dict(state.answers), "incomplete": True}))
    turn.events.append(Event("new_run"))
    state.offer_resume = False
    state.expired = False
    state.return_to = None
    # The case now holds every word; the new run starts with nothing of the old one.
    state.answers = {}
    state.history = []
    state.safeguarding = False
    if ask:
        _ask(flow, turn, flow.start if state.language is None else flow.first_question)


def _finish(flow: Flow, turn: Turn, node: Node) -> None:
    state = turn.state
    language = state.language or flow.languages[0]
    if node.submit:
        turn.events.append(Event("submit", {"answers": dict(state.answers), "incomplete": False}))
    for number, extra in enumerate(node.extras):
        if str(answer_at(state.answers, extra.answer)) == extra.equals:
            turn.replies.append(Reply(f"extra:{node.id}:{number}", language))
    # The run is over; the next message starts a new one in the same language. What the
    # young person said is now in the case, not kept here: phones are shared.
    state.node = None
    state.answers = {}
    state.history = []
    state.return_to = None
    state.safeguarding = False


def _resume(flow: Flow, turn: Turn, text: str, at_risk: bool) -> None:
    state = turn.state
    language = state.language or flow.languages[0]
    choice = numbered_choice(text, 2)
    if choice is None and says(text, flow.yes.get(language, ())):
        choice = 1
    if choice == 1 and state.node is not None:
        state.offer_resume = False
        turn.replies.append(Reply(f"node:{state.node}", language))
    elif choice == 2:
        _new_run(flow, turn)
    else:
        if not at_risk:
            _keep(state, OTHER_MESSAGES, text)
        turn.replies.append(Reply("text:resume", language))


def _language_of(flow: Flow, text: str, key: str) -> str | None:
    """The language whose global word `key` the message is, if only one says it so."""
    found = [
        language for language in flow.languages if exactly(text, flow.words[key].get(language, ()))
    ]
    return found[0] if len(found) == 1 else None


def _global_word(flow: Flow, turn: Turn, text: str, channel: str) -> bool:
    state = turn.state
    language = state.language or flow.languages[0]
    if exactly(text, flow.all_words("help")):
        turn.replies.append(Reply("text:help", language))
        _ask_current_or_start(flow, turn)
        return True
    if exactly(text, flow.all_words("restart")) and (state.in_progress or state.offer_resume):
        _new_run(flow, turn)
        return True
    if exactly(text, flow.all_words("advocate")):
        return _advocate(flow, turn, text, channel)
    if state.offer_resume or not state.in_progress:
        if exactly(text, flow.all_words("language")) and state.offer_resume:
            state.offer_resume = False
            state.return_to = state.node if state.node != flow.start else None
            _ask(flow, turn, flow.start)
            return True
        return False
    if exactly(text, flow.all_words("back")):
        # Going back abandons a language change part-way: no return to where it began.
        state.return_to = None
        if state.history:
            previous = state.history.pop()
            saved_as = flow.node(previous).save_as
            if saved_as:
                state.answers.pop(saved_as, None)
            _ask(flow, turn, previous, channel)
        else:
            _ask_current_or_start(flow, turn)
        return True
    if exactly(text, flow.all_words("language")) and state.node != flow.start:
        state.return_to = state.node
        _ask(flow, turn, flow.start)
        return True
    return False


def _advocate(flow: Flow, turn: Turn, text: str, channel: str) -> bool:
    """ADVOCATE: ask for one now, or, in the middle of something, ask for one for it."""
    state = turn.state
    if not flow.advocate_start:
        return False
    if state.language is None:
        state.language = _language_of(flow, text, "advocate") or flow.languages[0]
    language = state.language
    at_the_start = (
        not state.in_progress
        or state.offer_resume
        or state.node
        in {
            flow.start,
            flow.first_question,
        }
    )
    if at_the_start:
        if told_us_something(state) or state.offer_resume:
            # Whatever was said before becomes (or fills in) its own case first.
            _new_run(flow, turn, ask=False)
        state.answers = dict(flow.advocate_answers)
        state.history = []
        state.return_to = None
        _ask(flow, turn, flow.advocate_start, channel)
        return True
    state.answers[ADVOCATE_WANTED] = True
    turn.replies.append(Reply("text:advocate_noted", language))
    _ask_current_or_start(flow, turn)
    return True


def _answer(
    flow: Flow,
    turn: Turn,
    node: Node,
    text: str,
    message: Message,
    today: date,
    at_risk: bool,
) -> None:
    state = turn.state
    language = state.language or flow.languages[0]
    # A cry for help is not an answer to "which number?": it is kept, and asked again.
    value = (
        None if at_risk and node.type != "text" else understand(flow, node, text, language, today)
    )
    if value is None:
        if not at_risk:
            _keep(state, OTHER_MESSAGES, text)
        turn.replies.append(Reply(f"reask:{node.id}", language))
        return
    if node.type == "language":
        state.language = str(value)
        language = state.language
    if node.save_as:
        state.answers[node.save_as] = value
    if node.type == "text" and node.join:
        state.join_key = node.save_as
        state.join_until = (message.at + timedelta(seconds=flow.join_seconds)).isoformat()
    state.history.append(node.id)
    if node.type == "language" and state.return_to:
        following = state.return_to
        state.return_to = None
        state.history = [h for h in state.history if h != node.id]
        turn.replies.append(Reply(f"node:{following}", language))
        state.node = following
        return
    route = node.next_route(str(value) if node.type in {"choice", "yes_no"} else None)
    target = route.resolve(state.answers, message.channel) if route else None
    if target is None:
        # A switch with no case for this answer: the flow check forbids it, but a young
        # person must never be stranded, so finish with what we have.
        turn.events.append(Event("submit", {"answers": dict(state.answers), "incomplete": True}))
        state.node = None
        return
    _ask(flow, turn, target, message.channel)


def understand(flow: Flow, node: Node, text: str, language: str, today: date) -> Any:
    """The answer `text` gives to `node`, or None when it does not answer it."""
    if node.type == "language":
        number = numbered_choice(text, len(flow.languages))
        if number is not None:
            return flow.languages[number - 1]
        return pick(text, {code: flow.language_words[code] for code in flow.languages})
    if node.type == "choice":
        number = numbered_choice(text, len(node.options))
        if number is not None:
            return node.options[number - 1].value
        # Words in every language: a young person may answer in either.
        return pick(
            text,
            {o.value: [w for words in o.words.values() for w in words] for o in node.options},
        )
    if node.type == "yes_no":
        number = numbered_choice(text, 2)
        if number is not None:
            return "yes" if number == 1 else "no"
        return pick(text, {"yes": flow.yes.get(language, ()), "no": flow.no.get(language, ())})
    if node.type == "text":
        if says(text, node.skip_words.get(language, ())) and len(text.split()) <= 3:
            return ""
        return text[:MAX_ANSWER]
    if node.type == "date":
        return _when(flow, node, text, language, today)
    if node.type == "contact":
        return _contact(flow, text, language)
    return None


def _when(flow: Flow, node: Node, text: str, language: str, today: date) -> Any:
    words = {key: flow.dates[key].get(language, ()) for key in flow.dates}
    if says(text, words.get("ongoing", ())):
        return {"when": "still_happening", "date": None}
    if says(text, words.get("not_sure", ())) or says(text, node.skip_words.get(language, ())):
        return {"when": "not_sure", "date": None}
    found: date | None = None
    for key in ("today", "yesterday", "last_week", "last_month", "last_year"):
        if says(text, words.get(key, ())):
            found = relative_date(key, today)
            break
    if found is None:
        found = parse_date(text, today, flow.months.get(language, {}))
    if found is None or found > today:
        return None
    ago = days_ago(found, today)
    bucket = "last_3_months" if ago <= 92 else "3_to_12_months" if ago <= 366 else "over_12_months"
    return {"when": bucket, "date": found.isoformat()}


def _contact(flow: Flow, text: str, language: str) -> Any:
    if says(text, flow.no.get(language, ())):
        return {"method": "none"}
    candidate = text.strip()
    if "@" in candidate and " " not in candidate and "." in candidate.split("@")[-1]:
        return {"method": "email", "value": candidate}
    digits = "".join(c for c in candidate if c.isdigit() or c == "+")
    if 10 <= len(digits.lstrip("+")) <= 15:
        return {"method": "text_message", "value": digits}
    return None


def _joins_previous_answer(
    flow: Flow, state: ChatState, message: Message, text: str, today: date
) -> bool:
    """A long message split by the phone arrives as several: join the pieces.

    Only while a free-text answer is fresh, and only when the new message neither
    answers the question now being asked nor is a keyword. When the question now asked
    also wants free text, only a message within a few seconds counts: a phone sends the
    pieces of one message together, while a person needs longer to read and reply.
    """
    if not (state.join_key and state.join_until and state.node and text):
        return False
    # Only phone networks split messages; a browser or the terminal sends them whole.
    if message.channel not in SPLIT_CHANNELS:
        return False
    if state.offer_resume or message.at > datetime.fromisoformat(state.join_until):
        return False
    current = flow.node(state.node)
    if current.type == "end":
        return False
    if current.type == "text":
        answered_at = datetime.fromisoformat(state.join_until) - timedelta(
            seconds=flow.join_seconds
        )
        if message.at - answered_at > timedelta(seconds=flow.join_text_seconds):
            return False
    else:
        language = state.language or flow.languages[0]
        if understand(flow, current, text, language, today) is not None:
            return False
    if any(exactly(text, flow.all_words(word)) for word in flow.words):
        return False
    previous = str(state.answers.get(state.join_key) or "")
    joined = f"{previous} {text}" if previous else text
    state.answers[state.join_key] = joined[:MAX_ANSWER]
    state.join_until = (message.at + timedelta(seconds=flow.join_seconds)).isoformat()
    return True
