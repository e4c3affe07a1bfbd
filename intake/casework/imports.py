"""Bringing years of cases over from a council's old case system, from a CSV file.

Every row is checked before anything is written: a bad row is reported with its line
number and every reason it is bad, and by default one bad row stops the whole import
(a council would rather fix its file than find half its history missing). References
are kept as the old system wrote them and are the key: a row whose reference is already
here is left alone, so importing the same file twice adds nothing.

Imported cases get their deadlines from the same working-day calendar and the same
workflow rules as new ones (`workflow.recompute` on each case before it is written), so
`intake show` explains their dates like any other case. No message is sent for them:
the people who made them heard back long ago, through the old system. Rows are
written with bulk inserts in batches, inside the caller's one transaction, because a
council's history can run to hundreds of thousands of cases.

The columns and the words each takes are in docs/import.md.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation
from typing import IO, Any, cast

from sqlalchemy import Table, insert, select, text
from sqlalchemy.orm import Session

from intake.casework.calendar import COUNCIL_TIME_ZONE
from intake.casework.council import CouncilSettings
from intake.casework.routing import RoutingSettings
from intake.casework.vocabulary import (
    Kind,
    Method,
    OmbudsmanDecision,
    Procedure,
    RemedyAction,
    Role,
    StageOutcome,
    Status,
)
from intake.casework.workflow import recompute
from intake.models import (
    Case,
    CaseEvent,
    CaseReason,
    CaseTeam,
    OmbudsmanEnquiry,
    StageAction,
    StageRecord,
)

COLUMNS = (
    "reference",
    "kind",
    "procedure",
    "received",
    "method",
    "complainant_role",
    "with_advocate",
    "team",
    "reasons",
    "acknowledged",
    "stage1_responded",
    "stage1_outcome",
    "stage1_extended",
    "stage2_requested",
    "stage2_responded",
    "stage2_outcome",
    "stage3_requested",
    "stage3_responded",
    "stage3_outcome",
    "ombudsman_decision",
    "remedy_amount",
)
REQUIRED = ("reference", "kind", "received", "method")
EARLIEST = date(1990, 1, 1)
BATCH = 2000
REFRESH_STATISTICS_AFTER = 10_000
_YES = {"yes", "y", "true", "t", "1"}
_NO = {"no", "n", "false", "f", "0"}
_REFERENCE = re.compile(r"^[^\s\x00-\x1f][^\x00-\x1f]{0,39}$")
_MONEY = re.compile(r"^£?\s*\d{1,9}(\.\d{1,2})?$")
EXTENSION_REASON = "Extended in the previous case system (imported)"


class ImportFileError(Exception):
    """The file as a whole cannot be read: wrong columns, wrong encoding, not CSV."""


def _word(value: str) -> str:
    """Words as domain.md writes them, spaces as underscores: "Partially upheld" and
    "partially_upheld" are the same."""
    return re.sub(r"[^a-z0-9]+", "_", value.strip().lower().replace("'", "")).strip("_")


@dataclass(frozen=True)
class StageRow:
    stage: int
    requested_on: date
    responded_on: date | None
    outcome: StageOutcome | None
    extended_to: int | None


@dataclass(frozen=True)
class ImportedCase:
    line: int
    reference: str
    kind: Kind
    procedure: Procedure | None
    received_on: date
    method: Method
    complainant_role: Role
    with_advocate: bool
    team: str | None
    reasons: tuple[tuple[str, str | None], ...]
    acknowledged_on: date | None
    stages: tuple[StageRow, ...]
    responded_on: date | None  # the reply to something that is not a complaint
    ombudsman_decision: OmbudsmanDecision | None
    remedy_amount: Decimal | None


@dataclass(frozen=True)
class BadRow:
    line: int
    reference: str
    problems: tuple[str, ...]
    values: Mapping[str, str]


@dataclass
class ImportCheck:
    """What checking the whole file found, before anything is written."""

    rows: int = 0
    good: int = 0
    bad: list[BadRow] = field(default_factory=list)
    # Teams the file names that the configuration does not know: name -> new key.
    new_teams: dict[str, str] = field(default_factory=dict)


@dataclass
class ImportResult:
    imported: int = 0
    already_here: int = 0
    open_cases: int = 0
    past_a_deadline: int = 0


def read_rows(handle: IO[str]) -> Iterator[tuple[int, dict[str, str]]]:
    """(line number, row) for each row; the header must name every column.

    Strict: a stray quote is an error, not the rest of the file read as one value."""
    reader = csv.DictReader(handle, strict=True)
    try:
        header = [(name or "").strip().lower() for name in reader.fieldnames or []]
    except UnicodeDecodeError as error:
        raise ImportFileError("The file is not UTF-8 text. Save it as CSV UTF-8.") from error
    except csv.Error as error:
        raise ImportFileError(f"The file is not CSV: {error}.") from error
    missing = [column for column in COLUMNS if column not in header]
    if missing:
        raise ImportFileError(
            "The first line must name the columns; missing: " + ", ".join(missing) + "."
        )
    reader.fieldnames = header
    try:
        for raw in reader:
            values = {k: (v or "").strip() for k, v in raw.items() if isinstance(k, str)}
            if any(values.values()):
                yield reader.line_num, values
    except UnicodeDecodeError as error:
        raise ImportFileError(
            f"After line {reader.line_num} the file is not UTF-8 text. Save it as CSV UTF-8."
        ) from error
    except csv.Error as error:
        # The row that failed starts on the line after the last one read whole.
        raise ImportFileError(
            f"Line {reader.line_num + 1} is not CSV ({error}): check its quotes."
        ) from error


def new_team_key(name: str, taken: Iterable[str]) -> str:
    """A key for a team an import brings: "Leaving Care (old)" is "leaving_care_old"."""
    key = _word(name)[:56] or "team"
    if not key[0].isalpha():
        key = f"team_{key}"[:56]
    used = set(taken)
    candidate, n = key, 2
    while candidate in used:
        candidate, n = f"{key}_{n}", n + 1
    return candidate


class RowChecker:
    """Checks rows one at a time against the council's words, teams and taxonomy."""

    def __init__(
        self,
        settings: CouncilSettings,
        routing: RoutingSettings,
        *,
        today: date,
        create_teams: bool,
        teams_to_add: Mapping[str, str] | None = None,
    ) -> None:
        """`teams_to_add` (name -> key): teams an earlier check of the same file found
        to add, known here as if configured, for the pass that imports before the
        teams file is written."""
        self.settings = settings
        self.today = today
        self.create_teams = create_teams
        self.teams: dict[str, str] = {}
        for team in routing.teams:
            self.teams[team.key] = team.key
            self.teams.setdefault(_word(team.name), team.key)
        for name, key in (teams_to_add or {}).items():
            self.teams.setdefault(key, key)
            self.teams.setdefault(name, key)
            self.teams.setdefault(_word(name), key)
        self.new_teams: dict[str, str] = {}
        self.seen: dict[str, int] = {}
        self.reasons: dict[str, str] = {}
        self.sub_reasons: dict[str, tuple[str, str]] = {}
        for group in settings.reasons:
            self.reasons[group.key] = group.key
            self.reasons.setdefault(_word(group.name), group.key)
            for sub in group.sub:
                self.sub_reasons[sub.key] = (group.key, sub.key)
                self.sub_reasons.setdefault(_word(sub.name), (group.key, sub.key))

    # One value at a time; each returns None and adds to `problems` when it is wrong.

    def _date(self, values: Mapping[str, str], column: str, problems: list[str]) -> date | None:
        text = values.get(column, "")
        if not text:
            return None
        try:
            found = date.fromisoformat(text)
        except ValueError:
            problems.append(f"{column}: {text!r} is not a date like 2025-04-30")
            return None
        if found < EARLIEST or found > self.today:
            problems.append(
                f"{column}: {found.isoformat()} is not between {EARLIEST.isoformat()} and today"
            )
            return None
        return found

    def _choice(
        self, values: Mapping[str, str], column: str, words: Any, problems: list[str]
    ) -> Any:
        text = values.get(column, "")
        if not text:
            return None
        try:
            return words(_word(text))
        except ValueError:
            allowed = ", ".join(w.value for w in words)
            problems.append(f"{column}: {text!r} is not one of {allowed}")
            return None

    def _team(self, text: str, problems: list[str]) -> tuple[str | None, bool]:
        """The team's key, and whether the import would add it. It is added only once
        its row is found good (`_add_team`): a team named only by bad rows is not."""
        if not text:
            return None, False
        key = self.teams.get(text) or self.teams.get(_word(text))
        if key:
            return key, False
        if not self.create_teams:
            problems.append(
                f"team: {text!r} is not a team in the configuration "
                "(add it to the teams file, or import with --create-teams)"
            )
            return None, False
        return new_team_key(text, [*self.teams.values(), *self.new_teams.values()]), True

    def _add_team(self, name: str, key: str) -> None:
        self.new_teams[name] = key
        self.teams[name] = key
        self.teams[_word(name)] = key

    def _reasons(self, text: str, problems: list[str]) -> tuple[tuple[str, str | None], ...]:
        found: list[tuple[str, str | None]] = []
        for item in (part.strip() for part in text.split(";")):
            if not item:
                continue
            reason_text, _colon, sub_text = item.partition(":")
            reason = self.reasons.get(_word(reason_text))
            if sub_text:
                sub = self.sub_reasons.get(_word(sub_text))
                if reason is None or sub is None or sub[0] != reason:
                    problems.append(f"reasons: {item!r} is not a reason and sub-reason here")
                    continue
                found.append(sub)
            elif reason is not None:
                found.append((reason, None))
            elif _word(item) in self.sub_reasons:
                found.append(self.sub_reasons[_word(item)])
            else:
                problems.append(f"reasons: {item!r} is not a reason in the configuration")
        return tuple(dict.fromkeys(found))

    def _extended(
        self, text: str, stage: int, procedure: Procedure | None, problems: list[str]
    ) -> int | None:
        if not text or _word(text) in _NO:
            return None
        if procedure is None:
            problems.append(f"stage{stage}_extended: only a complaint in a procedure is extended")
            return None
        timescale = self.settings.procedures[procedure].stage(stage)
        most = timescale.extended_working_days
        if most is None:
            problems.append(
                f"stage{stage}_extended: stage {stage} of {procedure} cannot be extended"
            )
            return None
        if _word(text) in _YES:
            return most
        if not text.isdigit() or not timescale.respond_working_days < int(text) <= most:
            problems.append(
                f"stage{stage}_extended: {text!r} must be yes, no, or the working days it was "
                f"extended to ({timescale.respond_working_days + 1} to {most})"
            )
            return None
        return int(text)

    def check(self, line: int, values: Mapping[str, str]) -> ImportedCase | BadRow:
        problems: list[str] = []
        reference = values.get("reference", "")
        for column in REQUIRED:
            if not values.get(column):
                problems.append(f"{column}: required")
        if reference and not _REFERENCE.match(reference):
            problems.append("reference: at most 40 characters, with no line breaks")
        elif reference in self.seen:
            problems.append(f"reference: {reference!r} is also on line {self.seen[reference]}")
        if reference and reference not in self.seen:
            self.seen[reference] = line
        kind: Kind | None = self._choice(values, "kind", Kind, problems)
        procedure: Procedure | None = self._choice(values, "procedure", Procedure, problems)
        received = self._date(values, "received", problems)
        method: Method | None = self._choice(values, "method", Method, problems)
        role = self._choice(values, "complainant_role", Role, problems) or Role.UNKNOWN
        advocate_text = _word(values.get("with_advocate", ""))
        if advocate_text and advocate_text not in _YES | _NO:
            problems.append(f"with_advocate: {values['with_advocate']!r} must be yes or no")
        with_advocate = advocate_text in _YES or (not advocate_text and role is Role.ADVOCATE)
        team, new_team = self._team(values.get("team", ""), problems)
        reasons = self._reasons(values.get("reasons", ""), problems)
        acknowledged = self._date(values, "acknowledged", problems)
        if received and acknowledged and acknowledged < received:
            problems.append("acknowledged: before the case was received")

        complaint = kind is Kind.COMPLAINT
        if complaint and values.get("kind") and not values.get("procedure"):
            problems.append("procedure: required for a complaint (statutory or corporate)")
        if kind is not None and not complaint and values.get("procedure"):
            problems.append("procedure: only a complaint follows a procedure")
        stages = self._stages(values, received, procedure if complaint else None, problems)
        responded_on = None
        if kind is not None and not complaint:
            responded_on = self._date(values, "stage1_responded", problems)
            if received and responded_on and responded_on < received:
                problems.append("stage1_responded: before the case was received")
            for column in COLUMNS[11:19]:
                if values.get(column):
                    problems.append(f"{column}: only a complaint has stages")
        decision = self._choice(values, "ombudsman_decision", OmbudsmanDecision, problems)
        amount = self._amount(values.get("remedy_amount", ""), problems)
        if amount is not None and decision is None and not any(s.responded_on for s in stages):
            problems.append(
                "remedy_amount: a remedy needs an answered stage or an Ombudsman decision"
            )

        if problems or kind is None or received is None or method is None:
            return BadRow(line, reference, tuple(problems), dict(values))
        if new_team and team is not None:
            self._add_team(values["team"], team)
        return ImportedCase(
            line=line,
            reference=reference,
            kind=kind,
            procedure=procedure if complaint else None,
            received_on=received,
            method=method,
            complainant_role=role,
            with_advocate=with_advocate,
            team=team,
            reasons=reasons,
            acknowledged_on=acknowledged,
            stages=stages,
            responded_on=responded_on,
            ombudsman_decision=decision,
            remedy_amount=amount,
        )

    def _stages(
        self,
        values: Mapping[str, str],
        received: date | None,
        procedure: Procedure | None,
        problems: list[str],
    ) -> tuple[StageRow, ...]:
        if procedure is None or received is None:
            return ()
        count = len(self.settings.procedures[procedure].stages)
        stages: list[StageRow] = []
        previous_answer: date | None = received
        for stage in (1, 2, 3):
            requested = (
                received if stage == 1 else self._date(values, f"stage{stage}_requested", problems)
            )
            responded = self._date(values, f"stage{stage}_responded", problems)
            outcome = self._choice(values, f"stage{stage}_outcome", StageOutcome, problems)
            extended = (
                self._extended(values.get(f"stage{stage}_extended", ""), stage, procedure, problems)
                if stage == 1
                else None
            )
            if stage > 1 and not (requested or responded or outcome):
                break
            if stage > count:
                problems.append(f"stage{stage}: the {procedure} procedure has {count} stages")
                break
            if stage > 1 and requested is None:
                problems.append(f"stage{stage}_requested: required when stage {stage} is filled in")
                break
            if stage > 1 and (not stages or stages[-1].responded_on is None):
                problems.append(f"stage{stage}_requested: stage {stage - 1} was never answered")
                break
            if stage > 1 and stages[-1].outcome in {StageOutcome.REFUSED, StageOutcome.WITHDRAWN}:
                problems.append(
                    f"stage{stage}_requested: stage {stage - 1} was "
                    f"{stages[-1].outcome.value}, so it cannot go to stage {stage}"
                )
                break
            if requested and previous_answer and requested < previous_answer:
                problems.append(f"stage{stage}_requested: before stage {stage - 1} was answered")
            if responded and requested and responded < requested:
                problems.append(f"stage{stage}_responded: before the stage began")
            if responded and outcome is None:
                problems.append(f"stage{stage}_outcome: required when the stage was answered")
            if outcome is not None and responded is None:
                problems.append(f"stage{stage}_responded: required with an outcome")
            if requested is None:
                break
            stages.append(StageRow(stage, requested, responded, outcome, extended))
            previous_answer = responded
        return tuple(stages)

    def _amount(self, text: str, problems: list[str]) -> Decimal | None:
        if not text:
            return None
        cleaned = text.replace(",", "")
        if not _MONEY.match(cleaned):
            problems.append(f"remedy_amount: {text!r} is not an amount like 250.00")
            return None
        try:
            return Decimal(cleaned.lstrip("£").strip())
        except InvalidOperation:  # pragma: no cover - the pattern already refused it
            problems.append(f"remedy_amount: {text!r} is not an amount like 250.00")
            return None


def check_file(rows: Iterable[tuple[int, Mapping[str, str]]], checker: RowChecker) -> ImportCheck:
    """Check every row; keep only what is wrong (the good rows are read again to import)."""
    result = ImportCheck()
    for line, values in rows:
        result.rows += 1
        checked = checker.check(line, values)
        if isinstance(checked, BadRow):
            result.bad.append(checked)
        else:
            result.good += 1
    result.new_teams = dict(checker.new_teams)
    return result


def good_rows(
    rows: Iterable[tuple[int, Mapping[str, str]]], checker: RowChecker
) -> Iterator[ImportedCase]:
    for line, values in rows:
        checked = checker.check(line, values)
        if isinstance(checked, ImportedCase):
            yield checked


# Writing ---------------------------------------------------------------------------------


@dataclass
class _DraftStage:
    """A stage before it is written: what the workflow's deadline rules read and set."""

    stage: int
    procedure: str
    requested_on: date
    responded_on: date | None
    outcome: str | None
    respond_within: int
    respond_by: date
    extended_to_working_days: int | None
    held_working_days: int = 0


@dataclass
class _DraftCase:
    """A case before it is written. `workflow.recompute` reads and sets these attributes
    on a `Case`; a plain object is many times quicker to make than a mapped one, which
    matters for a million rows."""

    reference: str
    kind: str
    procedure: str | None
    received_on: date
    acknowledged_on: date | None
    acknowledge_within: int
    respond_within: int | None
    responded_on: date | None
    status: str
    closed_on: date | None
    stage: int | None = None
    stages: list[_DraftStage] = field(default_factory=list)
    held_working_days: int = 0
    acknowledge_by: date | None = None
    respond_by: date | None = None
    next_deadline: date | None = None


def _as_case(settings: CouncilSettings, row: ImportedCase) -> _DraftCase:
    """The case as the service would hold it, its deadlines worked out by the workflow's
    own rules (`recompute`), one stage at a time as escalation adds them."""
    if row.kind is Kind.COMPLAINT:
        answered = bool(row.stages) and row.stages[-1].responded_on is not None
        closed_on = row.stages[-1].responded_on if answered else None
    elif row.kind is Kind.COMPLIMENT:
        closed_on = row.received_on
    else:
        closed_on = row.responded_on
    case = _DraftCase(
        reference=row.reference,
        kind=row.kind.value,
        procedure=row.procedure.value if row.procedure else None,
        received_on=row.received_on,
        acknowledged_on=row.acknowledged_on,
        acknowledge_within=settings.acknowledge_working_days,
        respond_within=settings.respond_working_days_for(row.kind),
        responded_on=row.responded_on,
        status=Status.CLOSED.value if closed_on else Status.OPEN.value,
        closed_on=closed_on,
    )
    procedure = settings.procedures[row.procedure] if row.procedure else None
    for s in row.stages:
        case.stages.append(
            _DraftStage(
                stage=s.stage,
                procedure=case.procedure or "",
                requested_on=s.requested_on,
                responded_on=s.responded_on,
                outcome=s.outcome.value if s.outcome else None,
                respond_within=procedure.stage(s.stage).respond_working_days if procedure else 0,
                respond_by=s.requested_on,
                extended_to_working_days=s.extended_to,
            )
        )
        case.stage = s.stage
        recompute(settings, cast(Case, case))
    recompute(settings, cast(Case, case))
    return case


def _case_values(
    case: _DraftCase, row: ImportedCase, team: str | None, now: datetime
) -> dict[str, Any]:
    return {
        "reference": case.reference,
        "kind": case.kind,
        "procedure": case.procedure,
        "stage": case.stage,
        "status": case.status,
        "method": row.method.value,
        "complainant_role": row.complainant_role.value,
        "with_advocate": row.with_advocate,
        "received_at": datetime.combine(row.received_on, time(12, 0), COUNCIL_TIME_ZONE),
        "received_on": case.received_on,
        # Imported cases carry no words and no person: the old system keeps those.
        "language": "en",
        "team": team,
        "priority": "normal",
        "what_happened": "",
        "out_of_time": False,
        "safeguarding": False,
        "incomplete": False,
        "advocate_requested": False,
        "acknowledge_within": case.acknowledge_within,
        "acknowledge_by": case.acknowledge_by,
        "acknowledged_on": case.acknowledged_on,
        # The old system triaged it: staff can answer an open imported case at once.
        "triaged_on": case.acknowledged_on or case.received_on,
        "held_working_days": 0,
        "respond_within": case.respond_within,
        "respond_by": case.respond_by,
        "responded_on": case.responded_on,
        "closed_on": case.closed_on,
        "next_deadline": case.next_deadline,
        "version": 1,
        "created_at": now,
        "updated_at": now,
    }


_WRITTEN = (Case, StageRecord, StageAction, OmbudsmanEnquiry, CaseReason, CaseTeam, CaseEvent)


def _table(model: Any) -> Table:
    # Core's INSERT on the table itself: one executemany, without the ORM's bulk layer.
    return cast(Table, model.__table__)


def import_cases(
    session: Session,
    settings: CouncilSettings,
    rows: Iterable[ImportedCase],
    *,
    actor: str,
    now: datetime,
    source: str,
    progress: Callable[[int], None] | None = None,
) -> ImportResult:
    """Write the checked rows in the caller's transaction (the caller commits)."""
    result = ImportResult()
    today = now.astimezone(COUNCIL_TIME_ZONE).date()
    batch: list[ImportedCase] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= BATCH:
            _write_batch(session, settings, batch, result, actor, now, source, today)
            if progress:
                progress(len(batch))
            batch = []
    if batch:
        _write_batch(session, settings, batch, result, actor, now, source, today)
        if progress:
            progress(len(batch))
    if result.imported >= REFRESH_STATISTICS_AFTER:
        _refresh_statistics(session)
    return result


def _refresh_statistics(session: Session) -> None:
    """Tell the query planner how big the tables are now. Without it, after a bulk load,
    PostgreSQL still thinks the tables are nearly empty and picks plans that make a
    year's report several times slower until autovacuum gets round to them."""
    if session.get_bind().dialect.name == "postgresql":
        tables = ", ".join(_table(m).name for m in _WRITTEN)
        session.execute(text(f"ANALYZE {tables}"))
    else:
        session.execute(text("ANALYZE"))


def _write_batch(
    session: Session,
    settings: CouncilSettings,
    batch: list[ImportedCase],
    result: ImportResult,
    actor: str,
    now: datetime,
    source: str,
    today: date,
) -> None:
    here = set(
        session.scalars(
            select(Case.reference).where(Case.reference.in_([r.reference for r in batch]))
        )
    )
    fresh = [r for r in batch if r.reference not in here]
    result.already_here += len(batch) - len(fresh)
    if not fresh:
        return
    cases = [_as_case(settings, row) for row in fresh]
    # Plain executemany inserts, then the new ids looked up by their unique keys: far
    # quicker than RETURNING in parameter order, and safe beside other writers.
    session.execute(
        insert(_table(Case)),
        [_case_values(case, row, row.team, now) for case, row in zip(cases, fresh, strict=True)],
    )
    ids = dict(
        session.execute(
            select(Case.reference, Case.id).where(Case.reference.in_([r.reference for r in fresh]))
        ).all()
    )
    case_ids = [ids[row.reference] for row in fresh]
    stage_rows: list[dict[str, Any]] = []
    stage_owners: list[tuple[int, ImportedCase, int]] = []
    for case_id, case, row in zip(case_ids, cases, fresh, strict=True):
        for stage in case.stages:
            stage_rows.append(
                {
                    "case_id": case_id,
                    "stage": stage.stage,
                    "procedure": stage.procedure,
                    "requested_on": stage.requested_on,
                    "respond_within": stage.respond_within,
                    "respond_by": stage.respond_by,
                    "extended_to_working_days": stage.extended_to_working_days,
                    "extension_reason": EXTENSION_REASON
                    if stage.extended_to_working_days
                    else None,
                    "extended_on": None,
                    "responded_on": stage.responded_on,
                    "held_working_days": 0,
                    "outcome": stage.outcome,
                }
            )
            stage_owners.append((case_id, row, stage.stage))
        if case.status != Status.CLOSED.value:
            result.open_cases += 1
            if case.next_deadline is not None and case.next_deadline < today:
                result.past_a_deadline += 1
    stage_ids: list[int] = []
    if stage_rows:
        session.execute(insert(_table(StageRecord)), stage_rows)
        found = {
            (case_id, stage): stage_id
            for stage_id, case_id, stage in session.execute(
                select(StageRecord.id, StageRecord.case_id, StageRecord.stage).where(
                    StageRecord.case_id.in_(case_ids)
                )
            )
        }
        stage_ids = [found[(case_id, stage)] for case_id, _row, stage in stage_owners]
    actions: list[dict[str, Any]] = []
    last_answered: dict[int, int] = {}
    for stage_id, (case_id, _row, _number), values in zip(
        stage_ids, stage_owners, stage_rows, strict=True
    ):
        if values["responded_on"] is not None:
            last_answered[case_id] = stage_id
    ombudsman: list[dict[str, Any]] = []
    reasons: list[dict[str, Any]] = []
    teams: list[dict[str, Any]] = []
    events: list[dict[str, Any]] = []
    for case_id, case, row in zip(case_ids, cases, fresh, strict=True):
        reasons.extend(
            {"case_id": case_id, "reason": reason, "sub_reason": sub} for reason, sub in row.reasons
        )
        if row.team:
            teams.append({"case_id": case_id, "team": row.team, "lead": True})
        last_day = max([row.received_on, *(s.responded_on for s in row.stages if s.responded_on)])
        if row.ombudsman_decision is not None:
            # The file has no Ombudsman dates: it is dated by the case's last response.
            ombudsman.append(
                {
                    "case_id": case_id,
                    "received_on": last_day,
                    "decided_on": last_day,
                    "decision": row.ombudsman_decision.value,
                    "remedy_amount": row.remedy_amount,
                    "ombudsman_reference": None,
                    "remedy": None,
                }
            )
        elif row.remedy_amount is not None and case_id in last_answered:
            actions.append(
                {
                    "stage_id": last_answered[case_id],
                    "action": RemedyAction.FINANCIAL_REMEDY.value,
                    "amount": row.remedy_amount,
                    "note": None,
                }
            )
        events.append(
            {
                "case_id": case_id,
                "at": now,
                "event": "imported",
                "actor": actor,
                "detail": {
                    "source": source,
                    "line": row.line,
                    "acknowledge_by": case.acknowledge_by.isoformat()
                    if case.acknowledge_by
                    else None,
                    "respond_by": case.respond_by.isoformat() if case.respond_by else None,
                },
            }
        )
    for model, children in (
        (StageAction, actions),
        (OmbudsmanEnquiry, ombudsman),
        (CaseReason, reasons),
        (CaseTeam, teams),
        (CaseEvent, events),
    ):
        if children:
            session.execute(insert(_table(model)), children)
    result.imported += len(fresh)
