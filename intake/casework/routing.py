"""Routing: which team's queue a new case goes to, and why.

Teams and rules are the council's configuration (`intake/config/teams.toml`), checked
when the service starts with errors that name the line. Rules are tried in order and
the first whose conditions all hold names the team (FixMyStreet's category-to-contact
idea, with more to match on); what no rule claims goes to the complaints team's triage
queue. Safeguarding is not left to the rules: it goes to the duty team in office hours
and to the out-of-hours team otherwise, always urgent. Every decision carries its
reasons, so `flask --app wsgi intake route explain REF` can show them.
"""

from __future__ import annotations

import json
import re
import tomllib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from intake.casework.council import CouncilSettings
from intake.casework.vocabulary import ChildStatus, Kind, Method, Procedure, Role
from intake.chat.matching import mentions

DEFAULT_TEAMS_FILE = Path(__file__).resolve().parent.parent / "config" / "teams.toml"

Priority = Literal["normal", "urgent"]


class RoutingConfigError(Exception):
    """The teams and routing file cannot be used; the message names the lines."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


_KEY = re.compile(r"^[a-z][a-z0-9_]{0,63}$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class Team(_Strict):
    key: str
    name: Annotated[str, Field(min_length=1, max_length=120)]
    inbox: str
    manager: str
    opens: time = time(9, 0)
    closes: time = time(17, 0)
    # Open at weekends and on bank holidays too (the emergency duty team).
    every_day: bool = False
    # Imported from an old system: known, shown, but never chosen by routing.
    active: bool = True

    @field_validator("key")
    @classmethod
    def _plain_key(cls, key: str) -> str:
        if not _KEY.match(key):
            raise ValueError("must be lower-case letters, digits and _, starting with a letter")
        return key

    @field_validator("inbox", "manager")
    @classmethod
    def _an_address(cls, address: str) -> str:
        if not _EMAIL.match(address):
            raise ValueError("must be an email address, like team@example.org")
        return address


class Rule(_Strict):
    name: Annotated[str, Field(min_length=1, max_length=200)]
    team: str
    priority: Priority = "normal"
    kind: list[Kind] = []
    procedure: list[Procedure] = []
    service_area: list[str] = []
    child_status: list[ChildStatus] = []
    role: list[Role] = []
    channel: list[Method] = []
    language: list[str] = []
    words: list[Annotated[str, Field(min_length=1)]] = []

    @model_validator(mode="after")
    def _says_what_it_matches(self) -> Rule:
        if not any(getattr(self, name) for name in CONDITIONS):
            raise ValueError("a rule needs at least one condition, or it would take every case")
        return self


CONDITIONS = (
    "kind",
    "procedure",
    "service_area",
    "child_status",
    "role",
    "channel",
    "language",
    "words",
)


class RoutingDefaults(_Strict):
    triage_team: str


class RoutingSettings(_Strict):
    teams: list[Team]
    routing: RoutingDefaults
    rules: list[Rule] = []

    def team(self, key: str | None) -> Team | None:
        return next((t for t in self.teams if t.key == key), None)

    def team_name(self, key: str | None) -> str:
        team = self.team(key)
        return team.name if team else (key or "")


@dataclass(frozen=True)
class CaseFacts:
    """What routing looks at, taken from a case."""

    kind: str
    procedure: str | None
    service_area: str | None
    child_statuses: tuple[str, ...]
    role: str
    method: str
    language: str
    text: str
    safeguarding: bool = False
    incomplete: bool = False


@dataclass(frozen=True)
class Decision:
    team: str
    priority: Priority
    rule: str | None
    reasons: tuple[str, ...] = field(default_factory=tuple)


def _holds(rule: Rule, facts: CaseFacts) -> tuple[bool, str]:
    """Whether every condition of `rule` holds for the case, and the first that fails."""
    checks: list[tuple[str, Iterable[str], Any]] = [
        ("kind", rule.kind, facts.kind),
        ("procedure", rule.procedure, facts.procedure),
        ("service_area", rule.service_area, facts.service_area),
        ("role", rule.role, facts.role),
        ("channel", rule.channel, facts.method),
        ("language", rule.language, facts.language),
    ]
    for name, wanted, actual in checks:
        wanted = [str(w) for w in wanted]
        if wanted and str(actual) not in wanted:
            return False, f"{name} is {actual or 'not known'}, not {' or '.join(wanted)}"
    if rule.child_status and not set(map(str, rule.child_status)) & set(facts.child_statuses):
        return False, f"child status is not {' or '.join(map(str, rule.child_status))}"
    if rule.words and not mentions(facts.text, rule.words):
        return False, "none of its words are in what was written"
    return True, "every condition holds"


def route(
    routing: RoutingSettings, settings: CouncilSettings, facts: CaseFacts, at: datetime
) -> Decision:
    """The team a case goes to, its priority, and the reasons, rule by rule."""
    if facts.safeguarding:
        duty = settings.duty_team_at(at)
        return Decision(
            duty,
            "urgent",
            None,
            (
                f"safeguarding: goes to {duty} (the duty team in office hours, out of hours "
                "otherwise), urgent",
            ),
        )
    triage = routing.routing.triage_team
    if facts.incomplete:
        return Decision(triage, "normal", None, ("incomplete: goes to the triage queue",))
    reasons: list[str] = []
    for number, rule in enumerate(routing.rules, start=1):
        target = routing.team(rule.team)
        if target is None or not target.active:
            reasons.append(f"{number}. {rule.name}: skipped (team {rule.team} is not active)")
            continue
        holds, why = _holds(rule, facts)
        reasons.append(f"{number}. {rule.name}: {'MATCHES' if holds else 'no'} ({why})")
        if holds:
            return Decision(rule.team, rule.priority, rule.name, tuple(reasons))
    reasons.append(f"no rule matched: goes to the triage queue ({triage})")
    return Decision(triage, "normal", None, tuple(reasons))


# Loading, with line numbers ------------------------------------------------------------


def _header_lines(text: str, table: str) -> list[int]:
    pattern = re.compile(rf"^\s*\[\[\s*{re.escape(table)}\s*\]\]")
    return [n for n, line in enumerate(text.splitlines(), start=1) if pattern.match(line)]


def _line_for(text: str, location: Sequence[Any]) -> int | None:
    """The line a validation error's location points at: the key's line, or its table's."""
    if len(location) >= 2 and isinstance(location[1], int) and location[0] in {"teams", "rules"}:
        headers = _header_lines(text, str(location[0]))
        if location[1] >= len(headers):
            return None
        start = headers[location[1]]
        if len(location) >= 3:
            key = re.compile(rf"^\s*{re.escape(str(location[2]))}\s*=")
            lines = text.splitlines()
            for number in range(start, len(lines) + 1):
                if number > start and lines[number - 1].lstrip().startswith("["):
                    break
                if key.match(lines[number - 1]):
                    return number
        return start
    if location and location[0] == "routing":
        lines = text.splitlines()
        header = next(
            (
                n
                for n, line in enumerate(lines, start=1)
                if re.match(r"^\s*\[\s*routing\s*\]", line)
            ),
            None,
        )
        if header is not None and len(location) >= 2:
            key = re.compile(rf"^\s*{re.escape(str(location[1]))}\s*=")
            for number in range(header + 1, len(lines) + 1):
                if lines[number - 1].lstrip().startswith("["):
                    break
                if key.match(lines[number - 1]):
                    return number
        return header
    if location and location[0] == "teams":
        headers = _header_lines(text, "teams")
        return headers[0] if headers else None
    return None


def _problem(text: str, location: Sequence[Any], message: str) -> str:
    message = message.removeprefix("Value error, ")
    line = _line_for(text, location)
    where = ".".join(str(p) for p in location) or "(top level)"
    return f"  line {line}: {where}: {message}" if line else f"  {where}: {message}"


def check_against_council(
    routing: RoutingSettings, settings: CouncilSettings
) -> list[tuple[tuple[Any, ...], str]]:
    """Problems between the two files: a rule naming an unknown team or service."""
    problems: list[tuple[tuple[Any, ...], str]] = []
    services = {s.key for s in settings.services}
    teams = {t.key for t in routing.teams}
    seen: set[str] = set()
    for index, team in enumerate(routing.teams):
        if team.key in seen:
            problems.append((("teams", index, "key"), f"'{team.key}' is already a team's key"))
        seen.add(team.key)
    if routing.routing.triage_team not in teams:
        problems.append(
            (("routing", "triage_team"), f"'{routing.routing.triage_team}' is not a team")
        )
    for index, rule in enumerate(routing.rules):
        if rule.team not in teams:
            problems.append((("rules", index, "team"), f"'{rule.team}' is not a team"))
        for area in rule.service_area:
            if area not in services:
                problems.append(
                    (("rules", index, "service_area"), f"'{area}' is not a service in council.toml")
                )
    for name, key in (
        ("duty_team", settings.safeguarding.duty_team),
        ("out_of_hours_team", settings.safeguarding.out_of_hours_team),
    ):
        if key not in teams:
            problems.append(
                (("teams",), f"council.toml's safeguarding.{name} '{key}' is not a team here")
            )
    return problems


def load_routing(path: Path | None, settings: CouncilSettings) -> RoutingSettings:
    """Read and check the teams and rules; RoutingConfigError names every bad line."""
    path = path or DEFAULT_TEAMS_FILE
    try:
        text = path.read_text(encoding="utf-8")
        raw = tomllib.loads(text)
    except (OSError, UnicodeDecodeError) as unreadable:
        raise RoutingConfigError(f"{path} cannot be read: {unreadable}") from unreadable
    except tomllib.TOMLDecodeError as broken:
        raise RoutingConfigError(f"{path} is not valid TOML: {broken}") from broken
    try:
        routing = RoutingSettings.model_validate(raw)
    except ValidationError as invalid:
        lines = [_problem(text, e["loc"], e["msg"]) for e in invalid.errors()]
        raise RoutingConfigError(f"{path} has problems:\n" + "\n".join(lines)) from invalid
    problems = check_against_council(routing, settings)
    if problems:
        lines = [_problem(text, location, message) for location, message in problems]
        raise RoutingConfigError(f"{path} has problems:\n" + "\n".join(lines))
    return routing


def facts_of(case: Any) -> CaseFacts:
    """The facts routing needs from a case (a `Case` model, read duck-typed)."""
    statuses: tuple[str, ...] = tuple(
        s.status for child in getattr(case, "children", []) for s in child.statuses
    )
    return CaseFacts(
        kind=case.kind,
        procedure=case.procedure,
        service_area=case.service_area,
        child_statuses=statuses,
        role=case.complainant_role,
        method=case.method,
        language=case.language,
        text=case.what_happened or "",
        safeguarding=bool(case.safeguarding),
        incomplete=bool(case.incomplete),
    )


def team_choices(routing: RoutingSettings) -> Mapping[str, str]:
    return {t.key: t.name for t in routing.teams}


def _toml_string(text: str) -> str:
    # A JSON string is a TOML basic string when control characters are escaped as \uXXXX.
    return json.dumps(text, ensure_ascii=False)


def add_inactive_teams(
    path: Path | None,
    new_teams: Mapping[str, str],
    routing: RoutingSettings,
    *,
    on: date,
) -> Path:
    """Add teams an import of past cases names (name -> key) to the teams file, inactive
    for routing, with the triage team's addresses: they are known and shown, never
    chosen for a new case. The file is checked as a whole before it is replaced."""
    path = path or DEFAULT_TEAMS_FILE
    triage = routing.team(routing.routing.triage_team)
    if triage is None:  # pragma: no cover - the routing check refuses such a file
        raise RoutingConfigError("the triage team is not in the teams file")
    blocks = [
        "\n# Added by `intake import-cases` on "
        f"{on.isoformat()}: teams named by past cases, never chosen by routing.\n"
    ]
    for name, key in new_teams.items():
        blocks.append(
            "\n[[teams]]\n"
            f"key = {_toml_string(key)}\n"
            f"name = {_toml_string(name[:120])}\n"
            f"inbox = {_toml_string(triage.inbox)}\n"
            f"manager = {_toml_string(triage.manager)}\n"
            "active = false\n"
        )
    try:
        text = path.read_text(encoding="utf-8")
        updated = text.rstrip("\n") + "\n" + "".join(blocks)
        RoutingSettings.model_validate(tomllib.loads(updated))
        draft = path.with_name(f".{path.name}.new")
        draft.write_text(updated, encoding="utf-8")
        draft.replace(path)
    except OSError as error:
        raise RoutingConfigError(f"{path} cannot be written: {error}") from error
    except (tomllib.TOMLDecodeError, ValidationError) as error:
        raise RoutingConfigError(f"the new teams would break {path}: {error}") from error
    return path
