"""The small-number rule: no table may let a reader pick out a person.

A count from 1 to 4 is shown as "<5" (0 stays 0: it describes nobody). A percentage,
an average or a sum of money worked out from fewer than 5 cases is hidden the same way,
because "100 %" of 2 or "£350 in remedies" from one case says as much as the count.
Equality monitoring is always treated so, whoever is reading; every other table is
treated so for readers who may not see cases (report viewers, team staff, advocacy
providers) and for anything published.

What this does not do is secondary suppression: where a total and all but one of its
parts are shown, the hidden part can be worked out. The tables here give totals beside
their parts, so a council publishing the report should read docs/reports.md first.
"""

from __future__ import annotations

from typing import Any

HIDDEN = "<5"
THRESHOLD = 5
# A derived figure and the count it was worked out from (its sibling in the same table).
_BASES = {
    "acknowledged_within_2_working_days_pct": "acknowledgements_due",
    "on_time_pct": "due",
    "average_working_days": "responded",
    "within_10_pct": "responded",
    "overdue_pct": "responded",
    "upheld_or_partially_upheld_pct": "responded",
    "stage1_overdue_pct": "stage1_responded",
    "stage1_justified_pct": "stage1_responded",
    "stage1_within_10_pct": "stage1_responded",
    "remedies": "count",
}
# Figures that are not counts of people or cases.
_NOT_COUNTS = {"working_days"}


def _small(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 < value < THRESHOLD


def _base_of(key: str, table: dict[str, Any]) -> Any:
    if key in _BASES:
        return table.get(_BASES[key])
    return table.get(f"{key}_count")


def hide_small_numbers(figures: Any) -> Any:
    """A copy of `figures` (any table, or a whole report) with small numbers hidden."""
    if isinstance(figures, list):
        return [hide_small_numbers(item) for item in figures]
    if not isinstance(figures, dict):
        return figures
    hidden: dict[str, Any] = {}
    for key, value in figures.items():
        if isinstance(value, dict | list):
            hidden[key] = hide_small_numbers(value)
        elif key in _NOT_COUNTS:
            hidden[key] = value
        elif isinstance(value, float) or key in _BASES:
            hidden[key] = HIDDEN if _small(_base_of(key, figures)) else value
        elif _small(value):
            hidden[key] = HIDDEN
        else:
            hidden[key] = value
    return hidden


def for_reader(report: dict[str, Any], *, sees_cases: bool) -> dict[str, Any]:
    """The report as this reader may see it: equality monitoring always with small
    numbers hidden; everything else too unless the reader may see the cases behind it."""
    shown = dict(report) if sees_cases else hide_small_numbers(report)
    if sees_cases:
        shown["equality"] = hide_small_numbers(report["equality"])
        shown["previous"] = {
            **report["previous"],
            "equality": hide_small_numbers(report["previous"]["equality"]),
        }
    # A change worked out from a hidden figure would give the figure away.
    shown["change_pct"] = _drop_hidden_changes(report["change_pct"], shown, shown["previous"])
    return shown


def _drop_hidden_changes(changes: Any, current: Any, previous: Any) -> Any:
    if isinstance(changes, dict):
        return {
            key: _drop_hidden_changes(
                value,
                current.get(key) if isinstance(current, dict) else None,
                previous.get(key) if isinstance(previous, dict) else None,
            )
            for key, value in changes.items()
        }
    if isinstance(changes, list):
        return [
            _drop_hidden_changes(
                value,
                current[i] if isinstance(current, list) and i < len(current) else None,
                previous[i] if isinstance(previous, list) and i < len(previous) else None,
            )
            for i, value in enumerate(changes)
        ]
    if current == HIDDEN or previous == HIDDEN:
        return None
    return changes
