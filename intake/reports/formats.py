"""The report laid out as people read it: sections of tables, charts, CSV.

`sections()` turns the figures (`annual.build_report`) into the sections of the annual
report, in the order domain.md lists them, each a few small tables of "this period,
previous period, change". The HTML page and the CSV are both made from it, so they
always say the same; the CSV is one tidy table: one row per figure, naming its section
and table.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from intake.reports.charts import bar_chart

Unit = Literal["count", "pct", "days", "money"]

_WORDS = {
    "mp_councillor": "MP or councillor",
    "send_ehcp": "SEND / EHCP",
    "in_person": "In person",
    "whatsapp": "WhatsApp",
    "web_chat": "Web chat",
    "app": "App (Mind of My Own style)",
    "young_persons_form": "Young person's form",
    "text_message": "Text message",
    "online_form": "Online form",
    "not_recorded": "Not recorded",
    "unassigned": "No team yet",
    "prefer_not_to_say": "Prefer not to say",
    "fault_with_injustice": "Fault with injustice",
    "fault_without_injustice": "Fault without injustice",
    "closed_after_initial_enquiries": "Closed after initial enquiries",
}


def words(key: str) -> str:
    """A stored value as words: "partially_upheld" is "Partially upheld"."""
    return _WORDS.get(key, key.replace("_", " ").capitalize())


@dataclass(frozen=True)
class Row:
    label: str
    this: Any
    previous: Any
    change: Any
    unit: Unit = "count"
    indent: bool = False


@dataclass
class Table:
    caption: str
    rows: list[Row] = field(default_factory=list)

    def add(
        self,
        label: str,
        key: str,
        this: Mapping[str, Any],
        previous: Mapping[str, Any],
        change: Mapping[str, Any],
        unit: Unit = "count",
        *,
        indent: bool = False,
    ) -> None:
        self.rows.append(
            Row(label, this.get(key), previous.get(key), change.get(key), unit, indent)
        )


@dataclass
class Section:
    key: str
    title: str
    tables: list[Table] = field(default_factory=list)
    charts: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def _part(report: Mapping[str, Any], *path: str) -> tuple[Any, Any, Any]:
    """The same table from this period, the previous one and the change."""
    this: Any = report
    previous: Any = report["previous"]
    change: Any = report["change_pct"]
    for key in path:
        this = this.get(key, {}) if isinstance(this, Mapping) else {}
        previous = previous.get(key, {}) if isinstance(previous, Mapping) else {}
        change = change.get(key, {}) if isinstance(change, Mapping) else {}
    return this, previous, change


def _counts_table(
    caption: str, report: Mapping[str, Any], *path: str, keys: Iterable[str] | None = None
) -> Table:
    this, previous, change = _part(report, *path)
    table = Table(caption)
    for key in keys if keys is not None else dict.fromkeys([*this, *previous]):
        table.add(words(key), key, this, previous, change)
    return table


def _chart(title: str, table: Table, limit: int = 12) -> str:
    return bar_chart(title, [(r.label, r.this, r.previous) for r in table.rows[:limit]])


def sections(report: Mapping[str, Any]) -> list[Section]:
    found = [
        _totals(report),
        _teams(report),
        _reasons(report),
        _outcomes(report),
        _timeliness(report),
        _who_and_how(report),
        _young_people(report),
        _refusals(report),
        _ombudsman(report),
        _compliments(report),
        _learning(report),
        _equality(report),
        _spending(report),
        _quarters(report),
    ]
    return found


def _totals(report: Mapping[str, Any]) -> Section:
    this, previous, change = _part(report, "totals")
    table = Table("Representations received, by kind")
    for label, key in (
        ("Comments and informal concerns", "comments"),
        ("Case concerns", "case_concerns"),
        ("Stage 1 complaints", "stage1"),
        ("Stage 2 complaints", "stage2"),
        ("Stage 3 complaints", "stage3"),
        ("Ombudsman enquiries", "ombudsman"),
        ("Compliments", "compliments"),
        ("Requests for an advocate", "advocacy_requests"),
        ("Pre-complaints (needing clarification)", "pre_complaints"),
        ("MP and councillor enquiries", "members_enquiries"),
    ):
        table.add(label, key, this, previous, change)
    return Section("totals", "1. Totals", [table], [_chart("Received, by kind", table)])


def _teams(report: Mapping[str, Any]) -> Section:
    this, previous, change = _part(report, "teams")
    complaints = Table("Complaints received, by team")
    outcomes = Table("Outcomes of responses, by team")
    reasons = Table("Top reasons for complaints, by team")
    for key in dict.fromkeys([*this, *previous]):
        team, before, moved = this.get(key, {}), previous.get(key, {}), change.get(key, {})
        name = team.get("name") or before.get("name") or words(key)
        complaints.add(name, "complaints", team, before, moved)
        for outcome in team.get("outcomes", {}):
            out, out_before, out_moved = (
                team.get("outcomes", {}),
                before.get("outcomes", {}),
                moved.get("outcomes", {}) if isinstance(moved, Mapping) else {},
            )
            if out.get(outcome) or out_before.get(outcome):
                outcomes.add(f"{name}: {words(outcome)}", outcome, out, out_before, out_moved)
        for figures in team.get("top_reasons", {}).values():
            reasons.rows.append(Row(f"{name}: {figures['name']}", figures["count"], None, None))
    return Section(
        "teams",
        "2. Teams and services",
        [complaints, outcomes, reasons],
        [_chart("Complaints received, by team", complaints, limit=15)],
    )


def _reasons(report: Mapping[str, Any]) -> Section:
    this, previous, change = _part(report, "reasons")
    table = Table("Reasons for complaints (a complaint may give several)")
    for key in dict.fromkeys([*this, *previous]):
        reason = this.get(key, {})
        before = previous.get(key, {})
        moved = change.get(key, {}) if isinstance(change.get(key), Mapping) else {}
        name = reason.get("name") or before.get("name") or words(key)
        table.add(name, "count", reason, before, moved)
        subs, subs_before = reason.get("sub_reasons", {}), before.get("sub_reasons", {})
        subs_moved = moved.get("sub_reasons", {}) if isinstance(moved, Mapping) else {}
        for sub in dict.fromkeys([*subs, *subs_before]):
            figures = subs.get(sub, {})
            figures_before = subs_before.get(sub, {})
            table.add(
                figures.get("name") or figures_before.get("name") or words(sub),
                "count",
                figures,
                figures_before,
                subs_moved.get(sub, {}) if isinstance(subs_moved.get(sub), Mapping) else {},
                indent=True,
            )
    top = Table(table.caption, [r for r in table.rows if not r.indent])
    return Section("reasons", "3. Reasons", [table], [_chart("Complaints by reason", top)])


def _outcomes(report: Mapping[str, Any]) -> Section:
    tables = []
    for key, caption in (
        ("overall", "Outcomes of every response"),
        ("stage1", "Stage 1 outcomes"),
        ("stage2", "Stage 2 outcomes"),
        ("stage3", "Stage 3 outcomes"),
    ):
        this, previous, change = _part(report, "outcomes", key)
        table = Table(caption)
        for outcome in (
            "upheld",
            "partially_upheld",
            "not_upheld",
            "withdrawn",
            "not_progressing",
            "refused",
            "resolved_informally",
        ):
            table.add(words(outcome), outcome, this, previous, change)
        table.add(
            "Upheld or partially upheld",
            "upheld_or_partially_upheld_pct",
            this,
            previous,
            change,
            "pct",
        )
        tables.append(table)
    return Section("outcomes", "4. Outcomes", tables)


def _timeliness(report: Mapping[str, Any]) -> Section:
    ack_this = {"pct": report.get("acknowledged_within_2_working_days_pct")}
    ack_previous = {"pct": report["previous"].get("acknowledged_within_2_working_days_pct")}
    acknowledgement = Table("Acknowledgements")
    this, previous, change = _part(report, "acknowledgement")
    acknowledgement.add("Needing an acknowledgement", "due", this, previous, change)
    acknowledgement.add(
        f"Acknowledged within {this.get('working_days', 2)} working days",
        "on_time",
        this,
        previous,
        change,
    )
    acknowledgement.add(
        f"Acknowledged within {this.get('working_days', 2)} working days (%)",
        "pct",
        ack_this,
        ack_previous,
        {},
        "pct",
    )
    this, previous, change = _part(report, "stage1_timeliness")
    first = Table("Stage 1 responses: working days from receipt to response")
    first.add("Responses", "responded", this, previous, change)
    first.add("Within 10 working days", "within_10", this, previous, change)
    first.add("11 to 20 working days", "from_11_to_20", this, previous, change)
    first.add("Over 20 working days", "over_20", this, previous, change)
    first.add("Within 10 working days", "within_10_pct", this, previous, change, "pct")
    first.add("Average working days", "average_working_days", this, previous, change, "days")
    stages = Table("Every stage: average working days and late responses")
    for stage in ("stage1", "stage2", "stage3"):
        this, previous, change = _part(report, "stages", stage)
        name = stage.replace("stage", "Stage ")
        stages.add(f"{name}: responses", "responded", this, previous, change)
        stages.add(
            f"{name}: average working days",
            "average_working_days",
            this,
            previous,
            change,
            "days",
            indent=True,
        )
        stages.add(f"{name}: extended", "extended", this, previous, change, indent=True)
        stages.add(f"{name}: answered late", "late", this, previous, change, indent=True)
        stages.add(f"{name}: late", "overdue_pct", this, previous, change, "pct", indent=True)
    chart = _chart(
        "Stage 1 responses by working days taken",
        Table("", [r for r in first.rows[1:4]]),
    )
    return Section(
        "timeliness",
        "5. Timeliness",
        [acknowledgement, first, stages],
        [chart],
        ["Days on hold (waiting for the complainant, say) are not counted."],
    )


def _who_and_how(report: Mapping[str, Any]) -> Section:
    methods = _counts_table("Complaints by how they were received", report, "methods")
    roles = _counts_table("Complaints by who made them", report, "complainants")
    return Section("who_and_how", "6. How received and who complained", [methods, roles])


def _young_people(report: Mapping[str, Any]) -> Section:
    this, previous, change = _part(report, "young_people")
    table = Table("Young people's complaints (made by them or by an advocate for them)")
    table.add("Complaints", "complaints", this, previous, change)
    table.add("With an advocate", "with_advocate", this, previous, change)
    table.add("Requests for an advocate", "advocacy_requests", this, previous, change)
    channels = _counts_table(
        "Young people's complaints by how they were received", report, "young_people", "methods"
    )
    return Section("young_people", "7. Young people", [table, channels])


def _refusals(report: Mapping[str, Any]) -> Section:
    refusals = _counts_table("Refused, by reason", report, "refusals")
    escalations = _counts_table(
        "Escalations between stages", report, "escalations", keys=["to_stage2", "to_stage3"]
    )
    escalations.rows = [
        Row(label, row.this, row.previous, row.change)
        for label, row in zip(["To Stage 2", "To Stage 3"], escalations.rows, strict=True)
    ]
    return Section("refusals", "8. Refusals and escalations", [refusals, escalations])


def _ombudsman(report: Mapping[str, Any]) -> Section:
    this, previous, change = _part(report, "ombudsman")
    table = Table("Ombudsman decisions")
    table.add("Decided", "decided", this, previous, change)
    table.add("Fault found or settled (upheld)", "upheld", this, previous, change)
    decisions, before, moved = _part(report, "ombudsman", "decisions")
    for key in decisions:
        table.add(
            words(key),
            "count",
            decisions[key],
            before.get(key, {}),
            moved.get(key, {}),
            indent=True,
        )
    table.add("Remedies paid", "remedies_total", this, previous, change, "money")
    return Section("ombudsman", "9. Ombudsman enquiries", [table])


def _compliments(report: Mapping[str, Any]) -> Section:
    this, previous, change = _part(report, "compliments", "teams")
    teams = Table("Compliments, by team")
    for key in dict.fromkeys([*this, *previous]):
        figures, before = this.get(key, {}), previous.get(key, {})
        teams.add(
            figures.get("name") or before.get("name") or words(key),
            "count",
            figures,
            before,
            change.get(key, {}) if isinstance(change.get(key), Mapping) else {},
        )
    givers = _counts_table("Compliments, by who gave them", report, "compliments", "given_by")
    return Section(
        "compliments",
        "10. Compliments",
        [teams, givers],
        [_chart("Compliments, by team", teams)],
    )


def _learning(report: Mapping[str, Any]) -> Section:
    table = _counts_table(
        "Learning actions", report, "learning_actions", keys=["agreed", "done", "overdue"]
    )
    table.rows = [
        Row(label, *row_values)
        for label, row_values in zip(
            ["Agreed in the period", "Done in the period", "Overdue at the end of the period"],
            [(r.this, r.previous, r.change) for r in table.rows],
            strict=True,
        )
    ]
    return Section("learning", "11. Learning actions", [table])


def _equality(report: Mapping[str, Any]) -> Section:
    this, previous, change = _part(report, "equality")
    tables = [Table("Equality monitoring answers given")]
    tables[0].add("People who answered", "responses", this, previous, change)
    for question in ("age_band", "gender", "disability", "ethnicity", "religion", "sexuality"):
        tables.append(_counts_table(words(question), report, "equality", question))
    return Section(
        "equality",
        "12. Equality monitoring",
        tables,
        notes=[
            "Only from people who chose to answer; kept apart from their complaint. "
            "Groups of fewer than 5 people are shown as <5."
        ],
    )


def _spending(report: Mapping[str, Any]) -> Section:
    this, previous, change = _part(report, "spending")
    table = Table("Spending")
    table.add(
        "Independent investigators and persons", "investigations", this, previous, change, "money"
    )
    table.add(
        "Financial remedies paid by the council",
        "council_remedies",
        this,
        previous,
        change,
        "money",
    )
    table.add(
        "Remedies after Ombudsman decisions", "ombudsman_remedies", this, previous, change, "money"
    )
    table.add("Total", "total", this, previous, change, "money")
    return Section("spending", "13. Spending on investigations and remedies", [table])


QUARTER_MEASURES: tuple[tuple[str, str, Unit], ...] = (
    ("formal_complaints", "Formal complaints (Stage 1)", "count"),
    ("informal_complaints", "Informal complaints and concerns", "count"),
    ("ombudsman_received", "Ombudsman enquiries received", "count"),
    ("ombudsman_upheld", "Ombudsman: fault found or settled", "count"),
    ("stage1_responded", "Stage 1 responses", "count"),
    ("stage1_overdue_pct", "Stage 1 answered late", "pct"),
    ("stage1_within_10_pct", "Stage 1 within 10 working days", "pct"),
    ("stage1_justified_pct", "Fully or partly justified", "pct"),
    ("compliments", "Compliments", "count"),
    ("learning_actions", "Learning actions agreed", "count"),
)


def _quarters(report: Mapping[str, Any]) -> Section:
    tables = []
    previous_rows = report["previous"].get("quarters", [])
    change_rows = report["change_pct"].get("quarters", [])
    for i, quarter in enumerate(report.get("quarters", [])):
        before = previous_rows[i] if i < len(previous_rows) else {}
        moved = change_rows[i] if i < len(change_rows) else {}
        table = Table(f"{quarter['quarter']}: {quarter['from']} to {quarter['to']}")
        for key, label, unit in QUARTER_MEASURES:
            table.add(label, key, quarter, before, moved, unit)
        tables.append(table)
    quarters = report.get("quarters", [])[:-1]
    chart = bar_chart(
        "Formal complaints by quarter",
        [
            (
                q["quarter"],
                q["formal_complaints"],
                previous_rows[i]["formal_complaints"] if i < len(previous_rows) else None,
            )
            for i, q in enumerate(quarters)
        ],
        previous_label="Same quarter, previous period",
    )
    return Section("quarters", "Quarterly performance", tables, [chart])


def quarter_grid(report: Mapping[str, Any]) -> dict[str, Any]:
    """The quarterly table as senior managers read it: measures down, quarters across."""
    quarters = report.get("quarters", [])
    return {
        "columns": [q["quarter"] for q in quarters],
        "spans": [f"{q['from']} to {q['to']}" for q in quarters],
        "rows": [
            {"label": label, "unit": unit, "values": [q.get(key) for q in quarters]}
            for key, label, unit in QUARTER_MEASURES
        ],
    }


def shown(value: Any, unit: Unit = "count") -> str:
    """A figure as the HTML report prints it."""
    if value is None:
        return "–"
    if isinstance(value, str):
        return value
    if unit == "pct":
        return f"{value:.1f}%"
    if unit == "money":
        return f"£{value:,.2f}"
    if unit == "days":
        return f"{value:.1f}"
    return f"{value:,}"


def change_shown(value: Any) -> str:
    if value is None:
        return "–"
    return f"{value:+.1f}%"


def as_csv(report: Mapping[str, Any]) -> str:
    """One tidy table: section, table, row, this period, previous period, change %."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(
        [
            "section",
            "table",
            "row",
            "unit",
            "this_period",
            "previous_period",
            "change_pct",
            "period_from",
            "period_to",
        ]
    )
    period = report["period"]
    for section in sections(report):
        for table in section.tables:
            for row in table.rows:
                writer.writerow(
                    [
                        section.title,
                        table.caption,
                        row.label,
                        row.unit,
                        "" if row.this is None else row.this,
                        "" if row.previous is None else row.previous,
                        "" if row.change is None else row.change,
                        period["from"],
                        period["to"],
                    ]
                )
    return out.getvalue()


def page_context(report: Mapping[str, Any]) -> dict[str, Any]:
    """What the report's templates need (`reports/_body.html`)."""
    return {
        "report": report,
        "sections": sections(report),
        "grid": quarter_grid(report),
        "figure": shown,
        "change": change_shown,
    }
