"""The council's own settings: who it is, its calendar, its procedures, its services.

Everything a council may legitimately change lives in one TOML file (see
`intake/config/council.toml`), validated when the service starts so that a mistake is
reported in plain words before anyone relies on a wrong deadline. A few values can be
overridden from the environment so one image can serve several councils.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from datetime import date, datetime, time
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from intake.casework.calendar import COUNCIL_TIME_ZONE, Nation, WorkingCalendar
from intake.casework.vocabulary import Kind, Procedure, Role

DEFAULT_COUNCIL_FILE = Path(__file__).resolve().parent.parent / "config" / "council.toml"

# Environment variable -> (section, key) in the TOML file.
ENVIRONMENT_OVERRIDES: Mapping[str, tuple[str, str]] = {
    "COUNCIL_NAME": ("council", "name"),
    "SERVICE_NAME": ("council", "service_name"),
    "COUNCIL_NATION": ("council", "nation"),
    "COUNCIL_PHONE": ("council", "phone"),
    "REFERENCE_PREFIX": ("council", "reference_prefix"),
}


class CouncilConfigError(Exception):
    """The council's configuration cannot be used; the message says where and why."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


# A name shown to the public: one string, or a table of language code -> text.
Text = str | dict[str, str]


def localise(text: Text, language: str, fallback: str = "en") -> str:
    if isinstance(text, str):
        return text
    return text.get(language) or text.get(fallback) or next(iter(text.values()))


class CouncilIdentity(_Strict):
    name: Annotated[str, Field(min_length=1, max_length=120)]
    # One name, or a table of language code -> name: people read it in their language.
    service_name: Text
    nation: Nation = Nation.ENGLAND
    phone: Annotated[str, Field(min_length=3, max_length=40)]
    # The number young people can text (or WhatsApp), shown on the start page.
    text_number: Annotated[str | None, Field(min_length=3, max_length=40)] = None
    reference_prefix: str = "CS"
    # Language codes the public pages and replies are offered in.
    languages: list[str] = ["en", "cy"]

    @field_validator("service_name")
    @classmethod
    def _service_named(cls, name: Text) -> Text:
        names = [name] if isinstance(name, str) else list(name.values())
        if not names or not all(0 < len(n.strip()) <= 120 for n in names):
            raise ValueError("the service needs a name of 1 to 120 characters in each language")
        return name

    @field_validator("reference_prefix")
    @classmethod
    def _prefix_is_short_and_plain(cls, value: str) -> str:
        if not re.fullmatch(r"[A-Z][A-Z0-9]{0,9}", value):
            raise ValueError("must be 1 to 10 capital letters or digits, starting with a letter")
        return value


class StageTimescale(_Strict):
    stage: Annotated[int, Field(ge=1, le=3)]
    respond_working_days: Annotated[int, Field(ge=1, le=250)]
    # The longest the response may be extended to (for a complex case, or absent staff).
    extended_working_days: Annotated[int | None, Field(ge=1, le=250)] = None
    # What the clock runs from: the day the case (or the request for this stage) was
    # received, or the day it was acknowledged (the Ombudsman's Complaint Handling Code).
    starts_from: Literal["receipt", "acknowledgement"] = "receipt"
    # How long the complainant has, after this stage's response, to ask for the next.
    request_next_within_working_days: Annotated[int | None, Field(ge=1, le=250)] = None

    @model_validator(mode="after")
    def _extension_is_longer(self) -> StageTimescale:
        if (
            self.extended_working_days is not None
            and self.extended_working_days < self.respond_working_days
        ):
            raise ValueError("extended_working_days cannot be shorter than respond_working_days")
        return self


class ProcedureSettings(_Strict):
    name: str
    basis: str = ""
    # Who may complain under this procedure (used to suggest the statutory one).
    eligible_roles: list[Role] = []
    stages: list[StageTimescale]

    @field_validator("stages")
    @classmethod
    def _stages_run_in_order(cls, stages: list[StageTimescale]) -> list[StageTimescale]:
        if not stages:
            raise ValueError("a procedure needs at least one stage")
        numbers = [s.stage for s in stages]
        if numbers != list(range(1, len(numbers) + 1)):
            raise ValueError("stages must be numbered 1, 2, 3 in order, with none missing")
        return stages

    def stage(self, number: int) -> StageTimescale:
        return self.stages[number - 1]


class KindTimescale(_Strict):
    # Working days to reply to something that is not a complaint; none for a compliment.
    respond_working_days: Annotated[int | None, Field(ge=1, le=250)] = None


class ServiceArea(_Strict):
    key: Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]{0,63}$")]
    name: Text
    # A children's social care function: a complaint about it may be statutory.
    social_care: bool = True

    @field_validator("name")
    @classmethod
    def _named(cls, name: Text) -> Text:
        names = [name] if isinstance(name, str) else list(name.values())
        if not names or not all(n.strip() for n in names):
            raise ValueError("every service needs a name people can read")
        return name


class SubReason(_Strict):
    key: Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]{0,63}$")]
    name: Annotated[str, Field(min_length=1, max_length=200)]


class ReasonGroup(_Strict):
    """A top-level reason for complaining, with its sub-reasons (a two-level taxonomy)."""

    key: Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]{0,63}$")]
    name: Annotated[str, Field(min_length=1, max_length=200)]
    sub: list[SubReason] = []


class Closure(_Strict):
    date: date
    reason: Annotated[str, Field(min_length=1, max_length=120)]


class Safeguarding(_Strict):
    """Who is alerted when a child may be at risk: the duty team in office hours, the
    out-of-hours (emergency duty) team otherwise, and the number young people are given."""

    duty_team: str = "front_door"
    out_of_hours_team: str = "out_of_hours"
    out_of_hours_phone: Annotated[str, Field(min_length=3, max_length=40)]
    office_opens: time = time(9, 0)
    office_closes: time = time(17, 0)

    @model_validator(mode="after")
    def _opens_before_it_closes(self) -> Safeguarding:
        if self.office_opens >= self.office_closes:
            raise ValueError("office_opens must be before office_closes")
        return self


class MessageSettings(_Strict):
    """How the service keeps in touch by itself (the `[messages]` table)."""

    # "post": letters go to the letter provider (GOV.UK Notify prints and posts them);
    # "by_hand": a task in the complaints team's queue asks staff to send one.
    letters: Literal["post", "by_hand"] = "by_hand"
    # No texts to young people between these local times (unless they are mid-chat).
    quiet_hours_from: time = time(21, 0)
    quiet_hours_until: time = time(8, 0)
    # Staff are reminded this many working days before a deadline.
    reminder_working_days: Annotated[int, Field(ge=1, le=10)] = 2
    # A safeguarding alert is sent again this often until someone acknowledges it.
    safeguarding_repeat_minutes: Annotated[int, Field(ge=1, le=240)] = 10
    # Each team's daily digest goes out on working days at or after this local time.
    digest_at: time = time(8, 0)
    # A message that fails this many times in a row is marked failed for staff to see.
    max_attempts: Annotated[int, Field(ge=1, le=50)] = 8


class CouncilSettings(_Strict):
    council: CouncilIdentity
    safeguarding: Safeguarding
    messages: MessageSettings = MessageSettings()
    acknowledge_working_days: Annotated[int, Field(ge=1, le=20)] = 2
    procedures: dict[Procedure, ProcedureSettings]
    kinds: dict[Kind, KindTimescale] = {}
    services: list[ServiceArea]
    reasons: list[ReasonGroup] = []
    closures: list[Closure] = []

    @model_validator(mode="after")
    def _complete(self) -> CouncilSettings:
        missing = [p.value for p in Procedure if p not in self.procedures]
        if missing:
            raise ValueError(f"procedures must include {', '.join(missing)}")
        keys = [s.key for s in self.services]
        duplicates = sorted({k for k in keys if keys.count(k) > 1})
        if duplicates:
            raise ValueError(f"service keys must be unique; repeated: {', '.join(duplicates)}")
        if not self.services:
            raise ValueError("at least one service must be listed")
        days = [c.date for c in self.closures]
        repeated = sorted({d.isoformat() for d in days if days.count(d) > 1})
        if repeated:
            raise ValueError(
                f"each closure day may be listed once; repeated: {', '.join(repeated)}"
            )
        return self

    def calendar(self) -> WorkingCalendar:
        return WorkingCalendar(self.council.nation, {c.date: c.reason for c in self.closures})

    def duty_team_at(self, moment: datetime) -> str:
        """The team a safeguarding alert goes to at `moment` (an aware datetime)."""
        local = moment.astimezone(COUNCIL_TIME_ZONE)
        in_hours = (
            self.calendar().is_working_day(local.date())
            and self.safeguarding.office_opens <= local.time() < self.safeguarding.office_closes
        )
        return self.safeguarding.duty_team if in_hours else self.safeguarding.out_of_hours_team

    def service(self, key: str) -> ServiceArea | None:
        return next((s for s in self.services if s.key == key), None)

    def reason(self, key: str, sub: str | None = None) -> bool:
        """Is `key` (and `sub`, if given) in the council's taxonomy of reasons?"""
        group = next((g for g in self.reasons if g.key == key), None)
        if group is None:
            return False
        return sub is None or any(s.key == sub for s in group.sub)

    def respond_working_days_for(self, kind: Kind) -> int | None:
        timescale = self.kinds.get(kind)
        return timescale.respond_working_days if timescale else None


def _describe(error: ValidationError, overridden: Mapping[tuple[str, str], str]) -> str:
    lines = []
    for problem in error.errors():
        location = tuple(str(part) for part in problem["loc"])
        where = ".".join(location) or "(top level)"
        variable = overridden.get((location[0], location[1])) if len(location) >= 2 else None
        if variable:
            where += f" (set by the environment variable {variable})"
        lines.append(f"  {where}: {problem['msg'].removeprefix('Value error, ')}")
    return "\n".join(lines)


def load_council_settings(
    path: Path | None = None, environ: Mapping[str, str] | None = None
) -> CouncilSettings:
    """Read, override from the environment, and validate the council's settings."""
    path = path or DEFAULT_COUNCIL_FILE
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as missing:
        raise CouncilConfigError(f"The council settings file {path} does not exist.") from missing
    except UnicodeDecodeError as garbled:
        raise CouncilConfigError(f"{path} is not saved as UTF-8 text.") from garbled
    except OSError as unreadable:
        raise CouncilConfigError(f"{path} cannot be read: {unreadable.strerror}.") from unreadable
    except tomllib.TOMLDecodeError as broken:
        raise CouncilConfigError(f"{path} is not valid TOML: {broken}") from broken
    overridden: dict[tuple[str, str], str] = {}
    for variable, (section, key) in ENVIRONMENT_OVERRIDES.items():
        value = (environ or {}).get(variable)
        if not value:
            continue
        table = raw.setdefault(section, {})
        if not isinstance(table, dict):
            raise CouncilConfigError(
                f"The council settings in {path} have problems:\n"
                f"  {section}: must be a table ([{section}]), so {variable} can set {key}"
            )
        table[key] = value
        overridden[(section, key)] = variable
    try:
        return CouncilSettings.model_validate(raw)
    except ValidationError as invalid:
        raise CouncilConfigError(
            f"The council settings in {path} have problems:\n{_describe(invalid, overridden)}"
        ) from invalid
