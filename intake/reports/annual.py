"""Every table of the statutory annual report and the quarterly table, counted in SQL.

Which period a thing counts in is the day it happened: a case the day it was received,
a stage the day it was asked for (its totals) or answered (its timeliness and outcome),
an Ombudsman enquiry the day it arrived (received) or was decided (decisions), a
learning action the day it was agreed or done. So a complaint received in March and
answered in April is a March complaint and an April response, as councils report them.

Working days come from the `working_days` table, the council's own calendar written out
(`working_days.py`), so "days to respond" is a subtraction in the query, never a loop
over cases. Every figure is a count, a sum or an average the database returns; Python
only arranges them. docs/reports.md says what each figure means.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property
from typing import Any

from sqlalchemy import ColumnElement, and_, func, or_, select
from sqlalchemy import case as when
from sqlalchemy.orm import Session, aliased

from intake.casework.council import CouncilSettings
from intake.casework.vocabulary import (
    Kind,
    OmbudsmanDecision,
    RemedyAction,
    Role,
    StageOutcome,
)
from intake.models import (
    Case,
    CaseReason,
    EqualityResponse,
    LearningAction,
    OmbudsmanEnquiry,
    StageAction,
    StageRecord,
    WorkingDay,
)
from intake.reports.periods import Period
from intake.reports.working_days import ensure_working_days

OUTCOMES = (
    StageOutcome.UPHELD,
    StageOutcome.PARTIALLY_UPHELD,
    StageOutcome.NOT_UPHELD,
    StageOutcome.WITHDRAWN,
    StageOutcome.NOT_PROGRESSING,
    StageOutcome.REFUSED,
    StageOutcome.RESOLVED_INFORMALLY,
)
JUSTIFIED = (StageOutcome.UPHELD.value, StageOutcome.PARTIALLY_UPHELD.value)
# The Ombudsman found fault (or the council settled): what councils report as "upheld".
OMBUDSMAN_UPHELD = (
    OmbudsmanDecision.FAULT_WITH_INJUSTICE.value,
    OmbudsmanDecision.FAULT_WITHOUT_INJUSTICE.value,
    OmbudsmanDecision.LOCAL_SETTLEMENT.value,
)
# A young person's complaint: made by them, or by an advocate on their behalf.
YOUNG_PEOPLES_ROLES = (Role.YOUNG_PERSON.value, Role.ADVOCATE.value)
EQUALITY_QUESTIONS = ("age_band", "gender", "disability", "ethnicity", "religion", "sexuality")
STAGES = (1, 2, 3)
UNASSIGNED = "unassigned"
NOT_RECORDED = "not_recorded"


def _in(column: Any, period: Period) -> ColumnElement[bool]:
    found: ColumnElement[bool] = column.between(period.start, period.end)
    return found


def _pct(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def _number(value: Any) -> int:
    return int(value or 0)


def _money(value: Any) -> float:
    return float(round(Decimal(value or 0), 2))


def _counts(rows: Any, keys: Any = ()) -> dict[str, int]:
    """{key: count} from (key, count) rows, every expected key present (0 if none)."""
    found = {str(k) if k is not None else NOT_RECORDED: _number(n) for k, n in rows}
    return {**{str(k): 0 for k in keys}, **found}


@dataclass(frozen=True)
class _Group:
    kind: str
    method: str
    role: str
    team: str
    advocate: bool
    count: int


class _Report:
    def __init__(
        self,
        session: Session,
        settings: CouncilSettings,
        team_names: Mapping[str, str],
        period: Period,
    ) -> None:
        self.session = session
        self.settings = settings
        self.team_names = team_names
        self.period = period
        self.reason_names = {group.key: group.name for group in settings.reasons}
        self.sub_reason_names = {
            (group.key, sub.key): sub.name for group in settings.reasons for sub in group.sub
        }

    def rows(self, statement: Any) -> list[Any]:
        return list(self.session.execute(statement).all())

    @cached_property
    def received(self) -> list[_Group]:
        """Every case received in the period, counted by what the tables split it by: one
        scan of the year's cases that the totals, methods, complainants, young people,
        teams and compliments tables all add up from (a few hundred groups, not cases)."""
        helped = or_(Case.with_advocate.is_(True), Case.complainant_role == Role.ADVOCATE.value)
        advocate = when((helped, True), else_=False).label("advocate")
        rows = self.rows(
            select(Case.kind, Case.method, Case.complainant_role, Case.team, advocate, func.count())
            .where(_in(Case.received_on, self.period))
            .group_by(Case.kind, Case.method, Case.complainant_role, Case.team, advocate)
        )
        return [_Group(k, m, r, t or UNASSIGNED, bool(a), _number(n)) for k, m, r, t, a, n in rows]

    def received_count(self, by: str, **only: Any) -> dict[Any, int]:
        """Cases received, added up by one of the groups' fields, where others match."""
        counted: dict[Any, int] = {}
        for group in self.received:
            if all(getattr(group, key) in wanted for key, wanted in only.items()):
                key = getattr(group, by)
                counted[key] = counted.get(key, 0) + group.count
        return dict(sorted(counted.items()))

    def complaints_received(self, period: Period | None = None) -> ColumnElement[bool]:
        return and_(Case.kind == Kind.COMPLAINT.value, _in(Case.received_on, period or self.period))

    # Totals ---------------------------------------------------------------------------

    def totals(self) -> dict[str, int]:
        kinds = {k.value: 0 for k in Kind} | self.received_count("kind")
        stages = _counts(
            self.rows(
                select(StageRecord.stage, func.count())
                .where(_in(StageRecord.requested_on, self.period))
                .group_by(StageRecord.stage)
            ),
            STAGES,
        )
        ombudsman = self.session.scalar(
            select(func.count())
            .select_from(OmbudsmanEnquiry)
            .where(_in(OmbudsmanEnquiry.received_on, self.period))
        )
        return {
            "comments": kinds[Kind.COMMENT.value],
            "case_concerns": kinds[Kind.CASE_CONCERN.value],
            "stage1": stages["1"],
            "stage2": stages["2"],
            "stage3": stages["3"],
            "ombudsman": _number(ombudsman),
            "compliments": kinds[Kind.COMPLIMENT.value],
            "advocacy_requests": kinds[Kind.ADVOCACY_REQUEST.value],
            "pre_complaints": kinds[Kind.PRE_COMPLAINT.value],
            "members_enquiries": kinds[Kind.MEMBERS_ENQUIRY.value],
        }

    # Timeliness ----------------------------------------------------------------------

    def _working_days_taken(self) -> tuple[Any, Any, Any]:
        asked = aliased(WorkingDay)
        answered = aliased(WorkingDay)
        taken = answered.ordinal - asked.ordinal - StageRecord.held_working_days
        return asked, answered, when((taken < 0, 0), else_=taken)

    def _answered(self, period: Period) -> ColumnElement[bool]:
        # A withdrawn complaint was never answered; every other outcome is a response.
        return and_(
            _in(StageRecord.responded_on, period),
            or_(
                StageRecord.outcome.is_(None),
                StageRecord.outcome != StageOutcome.WITHDRAWN.value,
            ),
        )

    def stage_timeliness(self) -> dict[str, dict[str, Any]]:
        asked, answered, taken = self._working_days_taken()
        rows = self.rows(
            select(
                StageRecord.stage,
                func.count(),
                func.sum(when((taken <= 10, 1), else_=0)),
                func.sum(when((and_(taken > 10, taken <= 20), 1), else_=0)),
                func.sum(when((taken > 20, 1), else_=0)),
                func.avg(taken),
                func.sum(when((StageRecord.responded_on > StageRecord.respond_by, 1), else_=0)),
                func.sum(when((StageRecord.extended_to_working_days.is_not(None), 1), else_=0)),
            )
            .join(asked, asked.day == StageRecord.requested_on)
            .join(answered, answered.day == StageRecord.responded_on)
            .where(self._answered(self.period))
            .group_by(StageRecord.stage)
        )
        found = {int(row[0]): row[1:] for row in rows}
        result = {}
        for stage in STAGES:
            count, within, middle, over, average, late, extended = found.get(
                stage, (0, 0, 0, 0, None, 0, 0)
            )
            responded = _number(count)
            result[f"stage{stage}"] = {
                "responded": responded,
                "within_10": _number(within),
                "from_11_to_20": _number(middle),
                "over_20": _number(over),
                "average_working_days": round(float(average), 1) if average is not None else None,
                "late": _number(late),
                "extended": _number(extended),
                "within_10_pct": _pct(_number(within), responded),
                "overdue_pct": _pct(_number(late), responded),
            }
        return result

    def acknowledgement(self) -> dict[str, Any]:
        received = aliased(WorkingDay)
        acknowledged = aliased(WorkingDay)
        days = self.settings.acknowledge_working_days
        due, on_time = self.rows(
            select(
                func.count(),
                func.sum(
                    when(
                        (
                            and_(
                                Case.acknowledged_on.is_not(None),
                                acknowledged.ordinal - received.ordinal <= days,
                            ),
                            1,
                        ),
                        else_=0,
                    )
                ),
            )
            .select_from(Case)
            .join(received, received.day == Case.received_on)
            .outerjoin(acknowledged, acknowledged.day == Case.acknowledged_on)
            .where(_in(Case.received_on, self.period), Case.acknowledge_within.is_not(None))
        )[0]
        return {
            "working_days": days,
            "due": _number(due),
            "on_time": _number(on_time),
            "on_time_pct": _pct(_number(on_time), _number(due)),
        }

    # Outcomes -----------------------------------------------------------------------

    def outcomes(self) -> dict[str, dict[str, Any]]:
        rows = self.rows(
            select(StageRecord.stage, StageRecord.outcome, func.count())
            .where(_in(StageRecord.responded_on, self.period))
            .group_by(StageRecord.stage, StageRecord.outcome)
        )
        keys = [o.value for o in OUTCOMES]
        result: dict[str, dict[str, Any]] = {}
        for stage in STAGES:
            counts: dict[str, Any] = _counts([(o, n) for s, o, n in rows if int(s) == stage], keys)
            result[f"stage{stage}"] = counts
        overall: dict[str, Any] = _counts([], keys)
        for counts in result.values():
            for key, count in counts.items():
                overall[key] = overall.get(key, 0) + count
        result["overall"] = overall
        for counts in result.values():
            responded = sum(v for v in counts.values() if isinstance(v, int))
            responded -= counts[StageOutcome.WITHDRAWN.value]
            counts["responded"] = responded
            counts["upheld_or_partially_upheld_pct"] = _pct(
                counts[StageOutcome.UPHELD.value] + counts[StageOutcome.PARTIALLY_UPHELD.value],
                responded,
            )
        return result

    # Who and how --------------------------------------------------------------------

    def methods(self) -> dict[str, int]:
        return self.received_count("method", kind={Kind.COMPLAINT.value})

    def complainants(self) -> dict[str, int]:
        return self.received_count("role", kind={Kind.COMPLAINT.value})

    def young_people(self) -> dict[str, Any]:
        theirs = {"kind": {Kind.COMPLAINT.value}, "role": set(YOUNG_PEOPLES_ROLES)}
        methods = self.received_count("method", **theirs)
        helped = self.received_count("advocate", **theirs)
        roles = self.received_count("role", **theirs)
        on_their_own = {**theirs, "role": {Role.YOUNG_PERSON.value}}
        themselves = self.received_count("advocate", **on_their_own)
        return {
            "complaints": sum(methods.values()),
            "with_advocate": helped.get(True, 0),
            "advocacy_requests": sum(
                self.received_count("kind", kind={Kind.ADVOCACY_REQUEST.value}).values()
            ),
            "methods": methods,
            # Who made it: the young person alone, the young person helped by an advocate,
            # or an advocate on their behalf (who always counts as "with an advocate").
            "complainants": {
                "young_person": themselves.get(False, 0),
                "young_person_with_advocate": themselves.get(True, 0),
                "advocate": roles.get(Role.ADVOCATE.value, 0),
            },
        }

    # Teams and reasons --------------------------------------------------------------

    @cached_property
    def reasons_by_team(self) -> list[tuple[str, str, int]]:
        """(team, reason, complaints): a complaint has one lead team, so adding a reason up
        over the teams counts each complaint once."""
        rows = self.rows(
            select(Case.team, CaseReason.reason, func.count(func.distinct(Case.id)))
            .join(CaseReason, CaseReason.case_id == Case.id)
            .where(self.complaints_received())
            .group_by(Case.team, CaseReason.reason)
        )
        return [(t or UNASSIGNED, r, _number(n)) for t, r, n in rows]

    def teams(self) -> dict[str, dict[str, Any]]:
        complaints = self.received_count("team", kind={Kind.COMPLAINT.value})
        compliments = self.received_count("team", kind={Kind.COMPLIMENT.value})
        outcomes = [
            (t or UNASSIGNED, o, _number(n))
            for t, o, n in self.rows(
                select(Case.team, StageRecord.outcome, func.count())
                .join(StageRecord, StageRecord.case_id == Case.id)
                .where(_in(StageRecord.responded_on, self.period))
                .group_by(Case.team, StageRecord.outcome)
            )
        ]
        keys = set(complaints) | set(compliments) | {t for t, _o, _n in outcomes}
        result: dict[str, dict[str, Any]] = {}
        for team in sorted(keys, key=lambda k: self.team_names.get(k, k)):
            mine = sorted(
                ((r, n) for t, r, n in self.reasons_by_team if t == team),
                key=lambda pair: (-pair[1], pair[0]),
            )
            result[team] = {
                "name": self.team_names.get(team, "No team yet" if team == UNASSIGNED else team),
                "complaints": complaints.get(team, 0),
                "compliments": compliments.get(team, 0),
                "outcomes": _counts(
                    [(o, n) for t, o, n in outcomes if t == team], [o.value for o in OUTCOMES]
                ),
                "top_reasons": {
                    reason: {"name": self.reason_names.get(reason, reason), "count": count}
                    for reason, count in mine[:3]
                },
                # Every reason, so a top reason can be set beside the period before even
                # when it was not a top reason then.
                "reasons": dict(sorted(mine)),
            }
        return result

    def reasons(self) -> dict[str, dict[str, Any]]:
        per_sub = self.rows(
            select(CaseReason.reason, CaseReason.sub_reason, func.count(func.distinct(Case.id)))
            .join(Case, Case.id == CaseReason.case_id)
            .where(self.complaints_received(), CaseReason.sub_reason.is_not(None))
            .group_by(CaseReason.reason, CaseReason.sub_reason)
        )
        counted: dict[str, int] = {}
        for _team, reason, n in self.reasons_by_team:
            counted[reason] = counted.get(reason, 0) + n
        order = [g.key for g in self.settings.reasons] + sorted(
            set(counted) - {g.key for g in self.settings.reasons}
        )
        result = {}
        for reason in order:
            subs = {sub: _number(n) for r, sub, n in per_sub if r == reason}
            group = next((g for g in self.settings.reasons if g.key == reason), None)
            sub_order = [s.key for s in group.sub] if group else []
            sub_order += sorted(set(subs) - set(sub_order))
            result[reason] = {
                "name": self.reason_names.get(reason, reason),
                "count": counted.get(reason, 0),
                "sub_reasons": {
                    sub: {
                        "name": self.sub_reason_names.get((reason, sub), sub),
                        "count": subs.get(sub, 0),
                    }
                    for sub in sub_order
                },
            }
        return result

    def refusals(self) -> dict[str, int]:
        return _counts(
            self.rows(
                select(StageRecord.refusal_reason, func.count())
                .where(
                    _in(StageRecord.responded_on, self.period),
                    StageRecord.outcome == StageOutcome.REFUSED.value,
                )
                .group_by(StageRecord.refusal_reason)
                .order_by(StageRecord.refusal_reason)
            )
        )

    def escalations(self, totals: Mapping[str, int]) -> dict[str, int]:
        return {"to_stage2": totals["stage2"], "to_stage3": totals["stage3"]}

    # The Ombudsman, compliments, learning, equality, money ---------------------------

    def ombudsman(self) -> dict[str, Any]:
        paid_case = when((OmbudsmanEnquiry.remedy_amount > 0, 1), else_=0)
        rows = self.rows(
            select(
                OmbudsmanEnquiry.decision,
                func.count(),
                func.sum(OmbudsmanEnquiry.remedy_amount),
                func.sum(paid_case),
            )
            .where(
                _in(OmbudsmanEnquiry.decided_on, self.period),
                OmbudsmanEnquiry.decision.is_not(None),
            )
            .group_by(OmbudsmanEnquiry.decision)
        )
        found = {d: (_number(n), _money(total), _number(paid)) for d, n, total, paid in rows}
        decisions = {
            d.value: {
                "count": found.get(d.value, (0, 0.0, 0))[0],
                "remedies": found.get(d.value, (0, 0.0, 0))[1],
                # How many cases the remedies were paid in: what the small-number rule
                # judges the sum by.
                "remedies_count": found.get(d.value, (0, 0.0, 0))[2],
            }
            for d in OmbudsmanDecision
        }
        return {
            "decided": sum(item["count"] for item in decisions.values()),
            "upheld": sum(decisions[d]["count"] for d in OMBUDSMAN_UPHELD),
            "decisions": decisions,
            "remedies_total": round(sum(item["remedies"] for item in decisions.values()), 2),
            "remedies_total_count": sum(item["remedies_count"] for item in decisions.values()),
        }

    def compliments(self) -> dict[str, Any]:
        compliment = {"kind": {Kind.COMPLIMENT.value}}
        return {
            "teams": {
                team: {
                    "name": self.team_names.get(
                        team, "No team yet" if team == UNASSIGNED else team
                    ),
                    "count": n,
                }
                for team, n in self.received_count("team", **compliment).items()
            },
            "given_by": self.received_count("role", **compliment),
        }

    def learning_actions(self) -> dict[str, int]:
        end = self.period.end
        agreed = self.session.scalar(
            select(func.count()).where(_in(LearningAction.agreed_on, self.period))
        )
        done = self.session.scalar(
            select(func.count()).where(_in(LearningAction.done_on, self.period))
        )
        # Overdue when the period ended: due by then, agreed by then, not done by then.
        overdue = self.session.scalar(
            select(func.count()).where(
                LearningAction.due_on <= end,
                or_(LearningAction.agreed_on.is_(None), LearningAction.agreed_on <= end),
                or_(LearningAction.done_on.is_(None), LearningAction.done_on > end),
            )
        )
        return {"agreed": _number(agreed), "done": _number(done), "overdue": _number(overdue)}

    def equality(self) -> dict[str, Any]:
        given = _in(EqualityResponse.given_on, self.period)
        responses = self.session.scalar(select(func.count()).where(given))
        result: dict[str, Any] = {"responses": _number(responses)}
        for question in EQUALITY_QUESTIONS:
            column = getattr(EqualityResponse, question)
            answers = _counts(
                self.rows(
                    select(column, func.count())
                    .where(given, column.is_not(None))
                    .group_by(column)
                    .order_by(column)
                )
            )
            # Shown so that each question visibly adds up to the people who answered any:
            # the small-number rule can then protect the groups against subtraction.
            answers["not_answered"] = result["responses"] - sum(answers.values())
            result[question] = answers
        return result

    def spending(self) -> dict[str, Any]:
        def paid(column: Any) -> Any:
            # A sum is judged by the cases that put money in it, not by those with 0.
            return func.sum(when((column > 0, 1), else_=0))

        investigations, investigations_count = self.rows(
            select(
                func.sum(StageRecord.investigation_cost), paid(StageRecord.investigation_cost)
            ).where(_in(StageRecord.responded_on, self.period))
        )[0]
        remedies, remedies_count = self.rows(
            select(func.sum(StageAction.amount), paid(StageAction.amount))
            .join(StageRecord, StageRecord.id == StageAction.stage_id)
            .where(
                _in(StageRecord.responded_on, self.period),
                StageAction.action == RemedyAction.FINANCIAL_REMEDY.value,
            )
        )[0]
        ombudsman, ombudsman_count = self.rows(
            select(
                func.sum(OmbudsmanEnquiry.remedy_amount), paid(OmbudsmanEnquiry.remedy_amount)
            ).where(_in(OmbudsmanEnquiry.decided_on, self.period))
        )[0]
        amounts = (_money(investigations), _money(remedies), _money(ombudsman))
        counts = (_number(investigations_count), _number(remedies_count), _number(ombudsman_count))
        return {
            "investigations": amounts[0],
            "investigations_count": counts[0],
            "council_remedies": amounts[1],
            "council_remedies_count": counts[1],
            "ombudsman_remedies": amounts[2],
            "ombudsman_remedies_count": counts[2],
            "total": round(sum(amounts), 2),
            "total_count": sum(counts),
        }

    # The quarterly table --------------------------------------------------------------

    def quarters(self) -> list[dict[str, Any]]:
        spans = self.period.quarters()

        def quarter_of(column: Any) -> Any:
            return when(*((_in(column, q), i) for i, q in enumerate(spans)), else_=None)

        def per_quarter(column: Any, *conditions: Any) -> dict[int, int]:
            index = quarter_of(column).label("quarter")
            rows = self.rows(
                select(index, func.count())
                .where(_in(column, self.period), *conditions)
                .group_by(index)
            )
            return {int(i): _number(n) for i, n in rows if i is not None}

        formal = per_quarter(StageRecord.requested_on, StageRecord.stage == 1)
        received_in = quarter_of(Case.received_on).label("quarter")
        kinds = self.rows(
            select(received_in, Case.kind, func.count())
            .where(
                _in(Case.received_on, self.period),
                Case.kind.in_([Kind.COMMENT.value, Kind.CASE_CONCERN.value, Kind.COMPLIMENT.value]),
            )
            .group_by(received_in, Case.kind)
        )
        informal: dict[int, int] = {}
        compliments: dict[int, int] = {}
        for i, kind, n in kinds:
            if i is None:
                continue
            into = compliments if kind == Kind.COMPLIMENT.value else informal
            into[int(i)] = into.get(int(i), 0) + _number(n)
        ombudsman_received = per_quarter(OmbudsmanEnquiry.received_on)
        ombudsman_upheld = per_quarter(
            OmbudsmanEnquiry.decided_on, OmbudsmanEnquiry.decision.in_(OMBUDSMAN_UPHELD)
        )
        learning = per_quarter(LearningAction.agreed_on)
        # Every Stage 1 response in one pass: how many, late, justified, within 10 days.
        asked, answered_day, taken = self._working_days_taken()
        index = quarter_of(StageRecord.responded_on).label("quarter")
        responses = self.rows(
            select(
                index,
                func.count(),
                func.sum(when((StageRecord.responded_on > StageRecord.respond_by, 1), else_=0)),
                func.sum(when((StageRecord.outcome.in_(JUSTIFIED), 1), else_=0)),
                func.sum(when((taken <= 10, 1), else_=0)),
                func.sum(when((and_(taken > 10, taken <= 20), 1), else_=0)),
                func.sum(when((taken > 20, 1), else_=0)),
            )
            .join(asked, asked.day == StageRecord.requested_on)
            .join(answered_day, answered_day.day == StageRecord.responded_on)
            .where(StageRecord.stage == 1, self._answered(self.period))
            .group_by(index)
        )
        responded, late, justified, within, middle, over = {}, {}, {}, {}, {}, {}
        for i, n, n_late, n_justified, n_within, n_middle, n_over in responses:
            if i is None:
                continue
            responded[int(i)] = _number(n)
            late[int(i)] = _number(n_late)
            justified[int(i)] = _number(n_justified)
            within[int(i)] = _number(n_within)
            middle[int(i)] = _number(n_middle)
            over[int(i)] = _number(n_over)
        rows = []
        for i, span in enumerate(spans):
            rows.append(
                _quarter_row(
                    f"Q{i + 1}",
                    span,
                    formal=formal.get(i, 0),
                    informal=informal.get(i, 0),
                    ombudsman_received=ombudsman_received.get(i, 0),
                    ombudsman_upheld=ombudsman_upheld.get(i, 0),
                    responded=responded.get(i, 0),
                    late=late.get(i, 0),
                    justified=justified.get(i, 0),
                    within_10=within.get(i, 0),
                    from_11_to_20=middle.get(i, 0),
                    over_20=over.get(i, 0),
                    compliments=compliments.get(i, 0),
                    learning=learning.get(i, 0),
                )
            )
        rows.append(
            _quarter_row(
                "Total",
                self.period,
                **{
                    key: sum(row[column] for row in rows)
                    for key, column in (
                        ("formal", "formal_complaints"),
                        ("informal", "informal_complaints"),
                        ("ombudsman_received", "ombudsman_received"),
                        ("ombudsman_upheld", "ombudsman_upheld"),
                        ("responded", "stage1_responded"),
                        ("late", "stage1_late"),
                        ("justified", "stage1_justified"),
                        ("within_10", "stage1_within_10"),
                        ("from_11_to_20", "stage1_from_11_to_20"),
                        ("over_20", "stage1_over_20"),
                        ("compliments", "compliments"),
                        ("learning", "learning_actions"),
                    )
                },
            )
        )
        return rows

    def build(self) -> dict[str, Any]:
        totals = self.totals()
        stages = self.stage_timeliness()
        acknowledgement = self.acknowledgement()
        first = stages["stage1"]
        return {
            "totals": totals,
            "acknowledgements_due": acknowledgement["due"],
            "acknowledged_within_2_working_days_pct": acknowledgement["on_time_pct"],
            "acknowledgement": acknowledgement,
            "stage1_timeliness": {
                key: first[key]
                for key in (
                    "responded",
                    "within_10",
                    "from_11_to_20",
                    "over_20",
                    "average_working_days",
                    "within_10_pct",
                    "overdue_pct",
                )
            },
            "stages": stages,
            "outcomes": self.outcomes(),
            "methods": self.methods(),
            "complainants": self.complainants(),
            "young_people": self.young_people(),
            "teams": self.teams(),
            "reasons": self.reasons(),
            "refusals": self.refusals(),
            "escalations": self.escalations(totals),
            "ombudsman": self.ombudsman(),
            "compliments": self.compliments(),
            "learning_actions": self.learning_actions(),
            "equality": self.equality(),
            "spending": self.spending(),
            "quarters": self.quarters(),
        }


def _quarter_row(
    label: str,
    span: Period,
    *,
    formal: int,
    informal: int,
    ombudsman_received: int,
    ombudsman_upheld: int,
    responded: int,
    late: int,
    justified: int,
    within_10: int,
    from_11_to_20: int,
    over_20: int,
    compliments: int,
    learning: int,
) -> dict[str, Any]:
    return {
        "quarter": label,
        "from": span.start.isoformat(),
        "to": span.end.isoformat(),
        "formal_complaints": formal,
        "informal_complaints": informal,
        "ombudsman_received": ombudsman_received,
        "ombudsman_upheld": ombudsman_upheld,
        "stage1_responded": responded,
        "stage1_late": late,
        "stage1_justified": justified,
        "stage1_within_10": within_10,
        "stage1_from_11_to_20": from_11_to_20,
        "stage1_over_20": over_20,
        "stage1_overdue_pct": _pct(late, responded),
        "stage1_justified_pct": _pct(justified, responded),
        "stage1_within_10_pct": _pct(within_10, responded),
        "compliments": compliments,
        "learning_actions": learning,
    }


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _is_percentage(key: Any) -> bool:
    return isinstance(key, str) and key.endswith("_pct")


def change_pct(current: Any, previous: Any) -> Any:
    """The change from the previous period in %, shaped like the figures themselves:
    counts, sums of money and averages. Percentages are left out: their change is in
    percentage points (`change_points`), as a change in % of a % misleads.

    None where there is no sensible change: the previous figure was 0 or hidden."""
    if isinstance(current, dict):
        return {
            key: change_pct(value, previous.get(key) if isinstance(previous, dict) else None)
            for key, value in current.items()
            if not _is_percentage(key)
        }
    if isinstance(current, list):
        others = previous if isinstance(previous, list) else []
        return [
            change_pct(value, others[i] if i < len(others) else None)
            for i, value in enumerate(current)
        ]
    if _is_number(current) and _is_number(previous) and previous:
        return round(100 * (current - previous) / previous, 1)
    return None


def change_points(current: Any, previous: Any) -> Any:
    """The change of each percentage (a key ending `_pct`) in percentage points: this
    period's minus the previous one's, shaped like the figures but holding only the
    percentages. None where either is missing or hidden."""
    if isinstance(current, dict):
        found: dict[str, Any] = {}
        for key, value in current.items():
            before = previous.get(key) if isinstance(previous, dict) else None
            if isinstance(value, dict | list):
                inner = change_points(value, before)
                if inner:
                    found[key] = inner
            elif _is_percentage(key):
                both = _is_number(value) and _is_number(before)
                found[key] = round(value - before, 1) if both else None
        return found
    if isinstance(current, list):
        others = previous if isinstance(previous, list) else []
        return [
            change_points(value, others[i] if i < len(others) else None)
            for i, value in enumerate(current)
        ]
    return None


def build_report(
    session: Session,
    settings: CouncilSettings,
    team_names: Mapping[str, str],
    period: Period,
) -> dict[str, Any]:
    """Every table for `period`, the same for the period before it, and the change."""
    ensure_working_days(session, settings.calendar())
    previous_period = period.previous()
    current = _Report(session, settings, team_names, period).build()
    previous = _Report(session, settings, team_names, previous_period).build()
    return {
        "period": period.as_dict(),
        "previous_period": previous_period.as_dict(),
        **current,
        "previous": previous,
        "change_pct": change_pct(current, previous),
        "change_points": change_points(current, previous),
    }
