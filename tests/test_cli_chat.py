"""The chat's terminal commands: `intake flows check`, `intake chat [--save]`."""

from __future__ import annotations

import shutil
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select

from intake.chat.flow import FLOWS_DIR
from intake.clock import FixedClock
from intake.extensions import db
from intake.models import Case, Conversation, InboundMessage, OutboundMessage, SafeguardingAlert

WHAT_HAPPENED = "My social worker keeps missing our meetings and nobody tells me why"
ABOUT = "The social worker from the north team"
OUTCOME = "A worker who turns up when they say they will"
EMAIL = "young.person@example.org"
COMPLAINT = ["Hi", "1", "1", "yes", WHAT_HAPPENED, "last week", ABOUT, OUTCOME, EMAIL]


class TickingClock(FixedClock):
    """A clock that moves on a minute each time it is read: a person typing in the
    terminal takes time over each message."""

    def now(self) -> datetime:
        self.advance(minutes=1)
        return self.moment


@pytest.fixture
def ticking(app, clock) -> TickingClock:
    ticking = TickingClock(clock.moment)
    app.extensions["intake.clock"] = ticking
    return ticking


WHO_IN_WELSH = "Ai ti ydy'r person ifanc? Ateba IE, neu NA os wyt ti'n helpu person ifanc."


def rows() -> dict[str, int]:
    db.session.rollback()
    return {
        model.__tablename__: db.session.scalar(select(func.count()).select_from(model)) or 0
        for model in (Conversation, InboundMessage, OutboundMessage, Case, SafeguardingAlert)
    }


def lines(*texts: str) -> str:
    """What the person types: one message a line, then an empty line to end."""
    return "\n".join(texts) + "\n\n"


def council_lines(output: str) -> list[str]:
    return [line.removeprefix("council> ") for line in output.splitlines() if "council> " in line]


# intake flows check --------------------------------------------------------------------


def test_the_shipped_flows_pass_the_check(app):
    result = app.test_cli_runner().invoke(args=["intake", "flows", "check"])

    assert result.exit_code == 0, result.output
    assert "young_people.yaml:" in result.output
    assert "in en, cy" in result.output
    assert "every node reaches an end" in result.output


def _flow_with(tmp_path: Path, *changes: tuple[str, str], name: str = "young_people") -> Path:
    """A copy of the shipped flow (with its languages' files) in a folder of its own,
    with some text replaced."""
    text = (FLOWS_DIR / "young_people.yaml").read_text(encoding="utf-8")
    for old, new in changes:
        assert text.count(old) == 1, f"the flow no longer has exactly one {old!r}"
        text = text.replace(old, new)
    folder = tmp_path / "flows"
    folder.mkdir(exist_ok=True)
    (folder / f"{name}.yaml").write_text(text, encoding="utf-8")
    shutil.copytree(FLOWS_DIR / "young_people", folder / name)
    return folder


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        (
            ("    next: when\n", "    next: nowhere\n"),
            "node 'what_happened': goes to 'nowhere', which is not a node",
        ),
        (
            ("    next: when\n", "    next: nowhere\n"),
            "node 'what_happened': cannot reach an end",
        ),
        (
            (f'      cy: "{WHO_IN_WELSH}"\n', ""),
            "node 'who' text: no text in 'cy'",
        ),
        (
            ("    type: yes_no\n", "    type: maybe\n"),
            "node 'who': unknown type 'maybe'",
        ),
        (
            ("start: language\n", "start: hello\n"),
            "the flow starts at 'hello', which is not a node",
        ),
        (
            ("      default: done_comment\n", ""),
            "node 'done': a switch needs a default",
        ),
    ],
    ids=[
        "goes nowhere",
        "stranded",
        "missing Welsh",
        "unknown type",
        "unknown start",
        "switch with no default",
    ],
)
def test_a_broken_flow_fails_the_check_and_names_the_problem(app, tmp_path, change, problem):
    folder = _flow_with(tmp_path, change)

    result = app.test_cli_runner().invoke(args=["intake", "flows", "check", str(folder)])

    assert result.exit_code == 1, result.output
    assert problem in result.output
    assert "young_people.yaml" in result.output


def test_a_flow_that_is_not_yaml_fails_the_check(app, tmp_path):
    folder = tmp_path / "flows"
    folder.mkdir()
    (folder / "broken.yaml").write_text("id: broken\nnodes: [\n  - {id: a\n", encoding="utf-8")

    result = app.test_cli_runner().invoke(args=["intake", "flows", "check", str(folder)])

    assert result.exit_code == 1
    assert "broken.yaml" in result.output
    assert "cannot be read as YAML" in result.output


def test_a_flow_missing_its_nodes_fails_the_check(app, tmp_path):
    folder = tmp_path / "flows"
    folder.mkdir()
    (folder / "empty.yaml").write_text("id: empty\nlanguages: [en]\n", encoding="utf-8")

    result = app.test_cli_runner().invoke(args=["intake", "flows", "check", str(folder)])

    assert result.exit_code == 1
    assert "empty.yaml" in result.output
    assert "Traceback" not in result.output


def test_one_broken_flow_among_good_ones_fails_the_check(app, tmp_path):
    folder = _flow_with(tmp_path, name="good")
    _flow_with(tmp_path, ("    next: when\n", "    next: nowhere\n"), name="bad")

    result = app.test_cli_runner().invoke(args=["intake", "flows", "check", str(folder)])

    assert result.exit_code == 1
    assert "good.yaml: " in result.output
    assert "bad.yaml has problems" in result.output
    assert "'nowhere', which is not a node" in result.output


def test_checking_a_folder_that_does_not_exist_is_an_error(app, tmp_path):
    result = app.test_cli_runner().invoke(
        args=["intake", "flows", "check", str(tmp_path / "missing")]
    )

    assert result.exit_code == 2
    assert "does not exist" in result.output


# intake chat -----------------------------------------------------------------------------


def test_practice_chat_prints_the_replies_and_saves_nothing(app, ticking):
    result = app.test_cli_runner().invoke(args=["intake", "chat"], input=lines(*COMPLAINT))

    assert result.exit_code == 0, result.output
    assert "Practice: nothing is saved." in result.output
    said = council_lines(result.output)
    assert said[0].startswith("Hi, this is Exampleshire Council children's services.")
    assert any(line.startswith("What do you want to do?") for line in said)
    assert "Are you the young person? Reply YES, or NO if you are helping a young person." in said
    assert (
        "If you want us to reply, send your mobile number or your email address. Or send NO."
        in said
    )
    assert said[-1] == (
        "Thank you. Your reference is PRACTICE. We will tell you who is dealing with it by "
        "Wed 25 Nov and answer by Mon 7 Dec. An advocate can help you for free: send ADVOCATE."
    )
    assert "[practice: a real conversation would now make the case]" in result.output
    assert rows() == {
        "conversations": 0,
        "inbound_messages": 0,
        "outbound_messages": 0,
        "cases": 0,
        "safeguarding_alerts": 0,
    }


def test_practice_chat_shows_what_a_danger_word_would_do_and_raises_nothing(app, ticking):
    result = app.test_cli_runner().invoke(
        args=["intake", "chat"], input=lines("Hi", "1", "He hits me")
    )

    assert result.exit_code == 0, result.output
    assert "[practice: a real conversation would now alert the duty team (safeguarding)]" in (
        result.output
    )
    assert any(
        line.startswith("If you are in danger now, call 999.")
        for line in council_lines(result.output)
    )
    assert rows()["safeguarding_alerts"] == 0
    assert rows()["cases"] == 0


def test_practice_chat_in_welsh(app, ticking):
    result = app.test_cli_runner().invoke(args=["intake", "chat"], input=lines("Helo", "2"))

    assert result.exit_code == 0
    assert council_lines(result.output)[-1].startswith("Beth wyt ti eisiau ei wneud?")


def test_practice_chat_ends_at_the_end_of_input(app, ticking):
    result = app.test_cli_runner().invoke(args=["intake", "chat"], input="Hi\n1")

    assert result.exit_code == 0, result.output
    assert any(line.startswith("What do you want to do?") for line in council_lines(result.output))


def test_saved_chat_makes_a_real_case(app, ticking):
    result = app.test_cli_runner().invoke(
        args=["intake", "chat", "--save"], input=lines(*COMPLAINT)
    )

    assert result.exit_code == 0, result.output
    assert "Cases made here are real." in result.output
    db.session.rollback()
    case = db.session.scalars(select(Case)).one()
    assert case.method == "web_chat"
    assert case.kind == "complaint"
    assert case.complainant_role == "young_person"
    assert case.what_happened == WHAT_HAPPENED
    assert case.incomplete is False
    assert f"[case {case.reference} saved]" in result.output
    assert council_lines(result.output)[-1].startswith(
        f"Thank you. Your reference is {case.reference}."
    )
    assert case.contact.email == EMAIL
    assert db.session.scalars(select(Conversation.channel)).one() == "cli"
    assert rows()["cases"] == 1


def test_saved_chat_raises_a_real_alert(app, ticking):
    result = app.test_cli_runner().invoke(
        args=["intake", "chat", "--save"], input=lines("Hi", "1", "He hits me")
    )

    assert result.exit_code == 0, result.output
    db.session.rollback()
    alert = db.session.scalars(select(SafeguardingAlert)).one()
    assert alert.team == "front_door"
    assert db.session.scalars(select(Case)).one().safeguarding is True
