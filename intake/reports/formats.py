"""The report laid out as people read it: sections of tables, charts, CSV.

`sections()` turns the figures (`annual.build_report`) into the sections of the annual
report, in the order domain.md lists them, each a few small tables of "this period,
previous period, change". The HTML page and the CSV are both made from it, so they
always say the same. The CSV is one tidy table per section, one file each
(`csv_files`): a row per figure, first the columns that say what the figure is (the
team, the outcome, ...), then the figure this period, the period before and the change.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from intake.reports.charts import BANDS, bar_chart, grouped_bar_chart

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
    "not_answered": "Not answered",
    "unassigned": "No team yet",
    "prefer_not_to_say": "Prefer not to say",
    "fault_with_injustice": "Fault with injustice",
    "fault_without_injustice": "Fault without injustice",
    "closed_after_initial_enquiries": "Closed after initial enquiries",
}
_YOUNG_COMPLAINANTS = {
    "young_person": "The young person",
    "young_person_with_advocate": "The young person, helped by an advocate",
    "advocate": "An advocate, for them",
}
# What a figure is, as the CSV names it, and what its change is in.
_UNIT_NAMES = {"count": "number", "pct": "%", "days": "working days", "money": "£"}


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
    # What the row is, one value per CSV column of its section; empty: the table's
    # `keys` and then the label.
    keys: tuple[str, ...] = ()


@dataclass
class Table:
    caption: str
    rows: list[Row] = field(default_factory=list)
    # The first CSV columns' values for every row of this table.
    keys: tuple[str, ...] = ()

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
        keys: tuple[str, ...] = (),
    ) -> None:
        self.rows.append(
            Row(label, this.get(key), previous.get(key), change.get(key), unit, indent, keys)
        )


@dataclass
class Section:
    key: str
    title: str
    tables: list[Table] = field(default_factory=list)
    charts: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    # The CSV's columns that say what each figure is.
    columns: tuple[str, ...] = ("figure",)


def _merge(changes: Any, points: Any) -> Any:
    """The change in % and the change in percentage points as one tree, each figure's
    change where the figure is."""
    if isinstance(changes, Mapping) or isinstance(points, Mapping):
        changes = changes if isinstance(changes, Mapping) else {}
        points = points if isinstance(points, Mapping) else {}
        return {
            key: _merge(changes.get(key), points.get(key))
            for key in dict.fromkeys([*changes, *points])
        }
    if isinstance(changes, list) or isinstance(points, list):
        changes = changes if isinstance(changes, list) else []
        points = points if isinstance(points, list) else []
        return [
            _merge(changes[i] if i < len(changes) else None, points[i] if i < len(points) else None)
            for i in range(max(len(changes), len(points)))
        ]
    return points if points is not None else changes


def _part(report: Mapping[str, Any], *path: str) -> tuple[Any, Any, Any]:
    """The same table from this period, the previous one and the change."""
    this: Any = report
    previous: Any = report["previous"]
    change: Any = report["changes"]
    for key in path:
        this = this.get(key, {}) if isinstance(this, Mapping) else {}
        previous = previous.get(key, {}) if isinstance(previous, Mapping) else {}
        change = change.get(key, {}) if isinstance(change, Mapping) else {}
    return this, previous, change


def _counts_table(
    caption: str,
    report: Mapping[str, Any],
    *path: str,
    keys: Iterable[str] | None = None,
    names: Mapping[str, str] | None = None,
    csv_keys: tuple[str, ...] = (),
) -> Table:
    this, previous, change = _part(report, *path)
    table = Table(caption, keys=csv_keys)
    for key in keys if keys is not None else dict.fromkeys([*this, *previous]):
        table.add((names or {}).get(key) or words(key), key, this, previous, change)
    return table


def _chart(title: str, table: Table, limit: int = 12) -> str:
    return bar_chart(title, [(r.label, r.this, r.previous) for r in table.rows[:limit]])


def sections(report: Mapping[str, Any]) -> list[Section]:
    report = {
        **report,
        "changes": _merge(report.get("change_pct", {}), report.get("change_points", {})),
    }
    return [
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
    return Section(
        "totals", "1. Totals", [table], [_chart("Received, by kind", table)], columns=("kind",)
    )


def _teams(report: Mapping[str, Any]) -> Section:
    this, previous, change = _part(report, "teams")
    complaints = Table("Complaints received, by team")
    outcomes = Table("Outcomes of responses, by team")
    reasons = Table("Top reasons for complaints, by team")
    for key in dict.fromkeys([*this, *previous]):
        team, before, moved = this.get(key, {}), previous.get(key, {}), change.get(key, {})
        moved = moved if isinstance(moved, Mapping) else {}
        name = team.get("name") or before.get("name") or words(key)
        complaints.add(
            name, "complaints", team, before, moved, keys=(name, "Complaints received", "")
        )
        out, out_before, out_moved = (
            team.get("outcomes", {}),
            before.get("outcomes", {}),
            moved.get("outcomes", {}),
        )
        for outcome in dict.fromkeys([*out, *out_before]):
            if out.get(outcome) or out_before.get(outcome):
                outcomes.add(
                    f"{name}: {words(outcome)}",
                    outcome,
                    out,
                    out_before,
                    out_moved,
                    keys=(name, "Outcome of responses", words(outcome)),
                )
        # Each of this period's top reasons beside the same reason the period before,
        # whether or not it was a top reason then.
        counts = team.get("reasons", {})
        counts_before = before.get("reasons", {})
        counts_moved = moved.get("reasons", {})
        for reason, figures in team.get("top_reasons", {}).items():
            reasons.rows.append(
                Row(
                    f"{name}: {figures['name']}",
                    counts.get(reason, figures["count"]),
                    counts_before.get(reason, 0),
                    counts_moved.get(reason) if isinstance(counts_moved, Mapping) else None,
                    keys=(name, "Top reason", figures["name"]),
                )
            )
    return Section(
        "teams",
        "2. Teams and services",
        [complaints, outcomes, reasons],
        [_chart("Complaints received, by team", complaints, limit=15)],
        columns=("team", "figure", "detail"),
    )


def _reasons(report: Mapping[str, Any]) -> Section:
    this, previous, change = _part(report, "reasons")
    table = Table("Reasons for complaints (a complaint may give several)")
    for key in dict.fromkeys([*this, *previous]):
        reason = this.get(key, {})
        before = previous.get(key, {})
        moved = change.get(key, {}) if isinstance(change.get(key), Mapping) else {}
        name = reason.get("name") or before.get("name") or words(key)
        table.add(name, "count", reason, before, moved, keys=(name, ""))
        subs, subs_before = reason.get("sub_reasons", {}), before.get("sub_reasons", {})
        subs_moved = moved.get("sub_reasons", {}) if isinstance(moved, Mapping) else {}
        for sub in dict.fromkeys([*subs, *subs_before]):
            figures = subs.get(sub, {})
            figures_before = subs_before.get(sub, {})
            sub_name = figures.get("name") or figures_before.get("name") or words(sub)
            table.add(
                sub_name,
                "count",
                figures,
                figures_before,
                subs_moved.get(sub, {}) if isinstance(subs_moved.get(sub), Mapping) else {},
                indent=True,
                keys=(name, sub_name),
            )
    top = Table(table.caption, [r for r in table.rows if not r.indent])
    return Section(
        "reasons",
        "3. Reasons",
        [table],
        [_chart("Complaints by reason", top)],
        columns=("reason", "sub_reason"),
    )


def _outcomes(report: Mapping[str, Any]) -> Section:
    tables = []
    for key, caption, stage in (
        ("overall", "Outcomes of every response", "Every stage"),
        ("stage1", "Stage 1 outcomes", "Stage 1"),
        ("stage2", "Stage 2 outcomes", "Stage 2"),
        ("stage3", "Stage 3 outcomes", "Stage 3"),
    ):
        this, previous, change = _part(report, "outcomes", key)
        table = Table(caption, keys=(stage,))
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
    return Section("outcomes", "4. Outcomes", tables, columns=("stage", "outcome"))


def _timeliness(report: Mapping[str, Any]) -> Section:
    acknowledgement = Table("Acknowledgements", keys=("Acknowledgements",))
    this, previous, change = _part(report, "acknowledgement")
    days = this.get("working_days", 2)
    acknowledgement.add("Needing an acknowledgement", "due", this, previous, change)
    acknowledgement.add(
        f"Acknowledged within {days} working days", "on_time", this, previous, change
    )
    top = "acknowledged_within_2_working_days_pct"
    acknowledgement.add(
        f"Acknowledged within {days} working days (%)",
        top,
        report,
        report["previous"],
        report["changes"],
        "pct",
    )
    this, previous, change = _part(report, "stage1_timeliness")
    first = Table(
        "Stage 1 responses: working days from receipt to response", keys=("Stage 1 responses",)
    )
    first.add("Responses", "responded", this, previous, change)
    first.add("Within 10 working days", "within_10", this, previous, change)
    first.add("11 to 20 working days", "from_11_to_20", this, previous, change)
    first.add("Over 20 working days", "over_20", this, previous, change)
    first.add("Within 10 working days", "within_10_pct", this, previous, change, "pct")
    first.add("Average working days", "average_working_days", this, previous, change, "days")
    stages = Table("Every stage: average working days and late responses", keys=("Every stage",))
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
        columns=("table", "figure"),
    )


def _who_and_how(report: Mapping[str, Any]) -> Section:
    every, theirs = "All complaints", "Young people's complaints"
    return Section(
        "who_and_how",
        "6. How received and who complained",
        [
            _counts_table(
                "Complaints by how they were received",
                report,
                "methods",
                csv_keys=(every, "How received"),
            ),
            _counts_table(
                "Complaints by who made them",
                report,
                "complainants",
                csv_keys=(every, "Who complained"),
            ),
            _counts_table(
                "Young people's complaints by how they were received",
                report,
                "young_people",
                "methods",
                csv_keys=(theirs, "How received"),
            ),
            _counts_table(
                "Young people's complaints by who made them",
                report,
                "young_people",
                "complainants",
                keys=list(_YOUNG_COMPLAINANTS),
                names=_YOUNG_COMPLAINANTS,
                csv_keys=(theirs, "Who complained"),
            ),
        ],
        notes=[
            "A young person's complaint is one made by the young person or by an advocate for them."
        ],
        columns=("complaints", "breakdown", "group"),
    )


def _young_people(report: Mapping[str, Any]) -> Section:
    this, previous, change = _part(report, "young_people")
    table = Table("Young people's complaints (made by them or by an advocate for them)")
    table.add("Complaints", "complaints", this, previous, change)
    table.add("With an advocate", "with_advocate", this, previous, change)
    table.add("Requests for an advocate", "advocacy_requests", this, previous, change)
    return Section(
        "young_people",
        "7. Young people",
        [table],
        notes=["How they were received and who made them: section 6."],
    )


def _refusals(report: Mapping[str, Any]) -> Section:
    refusals = _counts_table("Refused, by reason", report, "refusals", csv_keys=("Refused",))
    escalations = _counts_table(
        "Escalations between stages", report, "escalations", keys=["to_stage2", "to_stage3"]
    )
    escalations.rows = [
        Row(label, row.this, row.previous, row.change, keys=("Escalated", label))
        for label, row in zip(["To Stage 2", "To Stage 3"], escalations.rows, strict=True)
    ]
    return Section(
        "refusals",
        "8. Refusals and escalations",
        [refusals, escalations],
        columns=("figure", "detail"),
    )


def _ombudsman(report: Mapping[str, Any]) -> Section:
    this, previous, change = _part(report, "ombudsman")
    table = Table("Ombudsman decisions")
    table.add("Decided", "decided", this, previous, change, keys=("Decided", ""))
    table.add(
        "Fault found or settled (upheld)",
        "upheld",
        this,
        previous,
        change,
        keys=("Fault found or settled (upheld)", ""),
    )
    decisions, before, moved = _part(report, "ombudsman", "decisions")
    for key in decisions:
        table.add(
            words(key),
            "count",
            decisions[key],
            before.get(key, {}),
            moved.get(key, {}),
            indent=True,
            keys=("Decisions", words(key)),
        )
    table.add(
        "Remedies paid",
        "remedies_total",
        this,
        previous,
        change,
        "money",
        keys=("Remedies paid", ""),
    )
    return Section("ombudsman", "9. Ombudsman enquiries", [table], columns=("figure", "decision"))


def _compliments(report: Mapping[str, Any]) -> Section:
    this, previous, change = _part(report, "compliments", "teams")
    teams = Table("Compliments, by team", keys=("Team",))
    for key in dict.fromkeys([*this, *previous]):
        figures, before = this.get(key, {}), previous.get(key, {})
        teams.add(
            figures.get("name") or before.get("name") or words(key),
            "count",
            figures,
            before,
            change.get(key, {}) if isinstance(change.get(key), Mapping) else {},
        )
    givers = _counts_table(
        "Compliments, by who gave them", report, "compliments", "given_by", csv_keys=("Given by",)
    )
    return Section(
        "compliments",
        "10. Compliments",
        [teams, givers],
        [_chart("Compliments, by team", teams)],
        columns=("breakdown", "group"),
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
    tables = [Table("Equality monitoring answers given", keys=("Any question",))]
    tables[0].add("People who answered", "responses", this, previous, change)
    for question in ("age_band", "gender", "disability", "ethnicity", "religion", "sexuality"):
        tables.append(
            _counts_table(
                words(question), report, "equality", question, csv_keys=(words(question),)
            )
        )
    return Section(
        "equality",
        "12. Equality monitoring",
        tables,
        notes=[
            "Only from people who chose to answer; kept apart from their complaint. "
            "Groups of fewer than 5 people are shown as <5, and [c] hides a figure from "
            "which one of them could be worked out."
        ],
        columns=("question", "answer"),
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
    return Section(
        "spending", "13. Spending on investigations and remedies", [table], columns=("spending",)
    )


QUARTER_MEASURES: tuple[tuple[str, str, Unit], ...] = (
    ("formal_complaints", "Formal complaints (Stage 1)", "count"),
    ("informal_complaints", "Informal complaints and concerns", "count"),
    ("ombudsman_received", "Ombudsman enquiries received", "count"),
    ("ombudsman_upheld", "Ombudsman: fault found or settled", "count"),
    ("stage1_responded", "Stage 1 responses", "count"),
    ("stage1_within_10", "Stage 1 answered within 10 working days", "count"),
    ("stage1_from_11_to_20", "Stage 1 answered in 11 to 20 working days", "count"),
    ("stage1_over_20", "Stage 1 answered in over 20 working days", "count"),
    ("stage1_overdue_pct", "Stage 1 answered late", "pct"),
    ("stage1_within_10_pct", "Stage 1 within 10 working days", "pct"),
    ("stage1_justified_pct", "Fully or partly justified", "pct"),
    ("compliments", "Compliments", "count"),
    ("learning_actions", "Learning actions agreed", "count"),
)
_BANDS = (
    ("stage1_within_10", "Within 10 working days"),
    ("stage1_from_11_to_20", "11 to 20 working days"),
    ("stage1_over_20", "Over 20 working days"),
)


def _quarter_rows(report: Mapping[str, Any]) -> list[tuple[dict[str, Any], Any, Any]]:
    """(this period's quarter, the same quarter of the period before, the change)."""
    previous_rows = report["previous"].get("quarters", [])
    change_rows = report["changes"].get("quarters", [])
    return [
        (
            quarter,
            previous_rows[i] if i < len(previous_rows) else {},
            change_rows[i] if i < len(change_rows) else {},
        )
        for i, quarter in enumerate(report.get("quarters", []))
    ]


def _quarters(report: Mapping[str, Any]) -> Section:
    tables = []
    rows = _quarter_rows(report)
    for quarter, before, moved in rows:
        table = Table(
            f"{quarter['quarter']}: {quarter['from']} to {quarter['to']}",
            keys=(quarter["quarter"], quarter["from"], quarter["to"]),
        )
        for key, label, unit in QUARTER_MEASURES:
            table.add(label, key, quarter, before, moved, unit)
        tables.append(table)
    quarters = rows[:-1]  # not the total
    by_quarter = bar_chart(
        "Formal complaints by quarter",
        [
            (q["quarter"], q["formal_complaints"], before.get("formal_complaints"))
            for q, before, _ in quarters
        ],
        previous_label="Same quarter, previous period",
    )
    timeliness = grouped_bar_chart(
        "Stage 1 responses by working days taken, per quarter",
        [(q["quarter"], [q.get(key) for key, _label in _BANDS]) for q, _before, _moved in quarters],
        series=[label for _key, label in _BANDS],
        colours=BANDS,
    )
    return Section(
        "quarters",
        "Quarterly performance",
        tables,
        [by_quarter, timeliness],
        columns=("quarter", "from", "to", "measure"),
    )


def quarter_grid(report: Mapping[str, Any]) -> dict[str, Any]:
    """The quarterly table as senior managers read it: quarters across and, for each
    measure, this period, the same quarter of the period before, and the change."""
    if "changes" not in report:
        report = {
            **report,
            "changes": _merge(report.get("change_pct", {}), report.get("change_points", {})),
        }
    rows = _quarter_rows(report)
    return {
        "columns": [q["quarter"] for q, _before, _moved in rows],
        "spans": [f"{q['from']} to {q['to']}" for q, _before, _moved in rows],
        "measures": [
            {
                "label": label,
                "unit": unit,
                "this": [q.get(key) for q, _before, _moved in rows],
                "previous": [before.get(key) for _q, before, _moved in rows],
                "change": [
                    moved.get(key) if isinstance(moved, Mapping) else None
                    for _q, _before, moved in rows
                ],
            }
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


def change_shown(value: Any, unit: Unit = "count") -> str:
    """A change as the HTML report prints it: a percentage's in percentage points,
    anything else's in %."""
    if value is None:
        return "–"
    if unit == "pct":
        return f"{value:+.1f} pts"
    return f"{value:+.1f}%"


# CSV ----------------------------------------------------------------------------------

FIGURE_COLUMNS = (
    "unit",
    "this_period",
    "previous_period",
    "change",
    "change_unit",
    "period_from",
    "period_to",
    "previous_from",
    "previous_to",
)


def _cell(value: Any) -> Any:
    return "" if value is None else value


def _csv_tables(report: Mapping[str, Any]) -> list[tuple[str, Section, str]]:
    period, before = report["period"], report["previous_period"]
    found = []
    for number, section in enumerate(sections(report), start=1):
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow([*section.columns, *FIGURE_COLUMNS])
        for table in section.tables:
            for row in table.rows:
                writer.writerow(
                    [
                        *(row.keys or (*table.keys, row.label)),
                        _UNIT_NAMES[row.unit],
                        _cell(row.this),
                        _cell(row.previous),
                        _cell(row.change),
                        "percentage points" if row.unit == "pct" else "%",
                        period["from"],
                        period["to"],
                        before["from"],
                        before["to"],
                    ]
                )
        found.append((f"{number:02d}-{section.key}.csv", section, out.getvalue()))
    return found


def csv_files(report: Mapping[str, Any]) -> dict[str, str]:
    """One tidy table per section, as {file name: CSV text}, in the report's order.

    Each has its own header: the columns that say what each figure is (the section's
    `columns`), then `unit`, `this_period`, `previous_period`, `change` and
    `change_unit` (percentage points for a percentage, % for anything else), then the
    two periods' first and last days."""
    return {name: text for name, _section, text in _csv_tables(report)}


def csv_zip(report: Mapping[str, Any]) -> bytes:
    """Every section's CSV file in one zip."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, text in csv_files(report).items():
            archive.writestr(name, text)
    return out.getvalue()


def csv_text(report: Mapping[str, Any]) -> str:
    """Every section's CSV one after another, for reading on a terminal: each after a
    line "# FILE: TITLE", with a blank line between them. Not one CSV file: to load the
    tables, write them out with --output."""
    return "\n".join(
        f"# {name}: {section.title}\n{text}" for name, section, text in _csv_tables(report)
    )


def page_context(report: Mapping[str, Any]) -> dict[str, Any]:
    """What the report's templates need (`reports/_body.html`)."""
    found = sections(report)
    return {
        "report": report,
        "sections": [s for s in found if s.key != "quarters"],
        "quarters": next(s for s in found if s.key == "quarters"),
        "grid": quarter_grid(report),
        "figure": shown,
        "change": change_shown,
    }
