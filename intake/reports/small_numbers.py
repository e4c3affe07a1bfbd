"""The small-number rule: no table may let a reader pick out a person.

Primary suppression. A count from 1 to 4 is shown as "<5" (0 stays 0: it describes
nobody). A percentage, an average or a sum of money worked out from fewer than 5 cases
is hidden the same way, because "100 %" of 2 or "£350 in remedies" from one case says
as much as the count. Equality monitoring is always treated so, whoever is reading;
every other table is treated so for readers who may not see cases (report viewers, team
staff, advocacy providers) and for anything published.

Secondary suppression. A hidden count must not be given away by the figures around it:

- by subtraction: Stage 1 complaints 16, team A 15, team B "<5" gives B = 1;
- by the bounds the markers themselves give: team A "[c]" (at least 5), team B "<5"
  (1 to 4) and a total of 6 give A = 5 and B = 1;
- by a percentage: 3 of 60 answered late is "5.0 %".

So, for each period separately, after the small numbers are hidden:

1. `report_groups` lists every group of figures a reader knows add up to a total (the
   teams, ways of receipt and complainants of the complaints received; each equality
   question's answers, "not answered" included, to the people who answered; outcomes
   per stage to the responses; the quarters to the year; ...) and every figure shown in
   two places (the Stage 1 total and the quarterly table's total).
2. Each hidden figure is bounded as a reader would bound it: "<5" is 1 to 4, "[c]" is 5
   or more (a count hidden only to protect another is never under 5, since all those
   are "<5" already), a hidden sum of money is 0 or more. The bounds are narrowed
   through every group (the total minus the figures shown, less the others' bounds)
   until they settle.
3. While a hidden figure is narrowed to one value, the smallest non-zero figure still
   shown among the parts of a group it belongs to is hidden too, as "[c]"; when a group
   has no such part left, its total is hidden as "[c]". A figure is hidden in every
   place it is shown. When nothing in the figure's groups can be hidden any more (four
   teams with one complaint each out of a total of "<5"), the rule stops: what is left
   tells nobody more than "<5" does.
4. A percentage is hidden where the count it is of, or the count it is out of, is
   hidden.

The complaints received add up to the Stage 1 total, which is their group's total like
any other. Where the two differ (a complaint that never had a Stage 1), their number is
still taken as known to every reader, so the parts are hidden, never it.
docs/reports.md says the same for people who read the reports.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

HIDDEN = "<5"
# Hidden only so that a "<5" cannot be worked out from it; as a count, never under 5.
ALSO_HIDDEN = "[c]"
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
    "remedies": "remedies_count",
}
# Figures that are not counts of people or cases.
_NOT_COUNTS = {"working_days"}
# The parts of a report that are not one period's figures.
_NOT_FIGURES = ("period", "previous_period", "previous", "change_pct", "change_points")
_OMBUDSMAN_UPHELD = ("fault_with_injustice", "fault_without_injustice", "local_settlement")
_BANDS = ("within_10", "from_11_to_20", "over_20")
_QUARTER_COUNTS = (
    "formal_complaints",
    "informal_complaints",
    "ombudsman_received",
    "ombudsman_upheld",
    "stage1_responded",
    "stage1_late",
    "stage1_justified",
    "stage1_within_10",
    "stage1_from_11_to_20",
    "stage1_over_20",
    "compliments",
    "learning_actions",
)
_INFINITE = math.inf

Path = tuple[str | int, ...]


def _small(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 < value < THRESHOLD


def _base_of(key: str, table: dict[str, Any]) -> Any:
    if key in _BASES:
        return table.get(_BASES[key])
    return table.get(f"{key}_count")


def hide_small_numbers(figures: Any) -> Any:
    """A copy of `figures` (any table, or a whole report) with small numbers hidden:
    the primary rule only, cell by cell."""
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


# Where figures are ------------------------------------------------------------------


def _get(figures: Any, path: Path) -> Any:
    found = figures
    for step in path:
        inside_dict = isinstance(found, dict) and step in found
        inside_list = isinstance(found, list) and isinstance(step, int) and 0 <= step < len(found)
        if not (inside_dict or inside_list):
            return None
        found = found[step]
    return found


def _set(figures: Any, path: Path, value: Any) -> None:
    parent = _get(figures, path[:-1])
    parent[path[-1]] = value


def _keys(figures: Any, *path: str | int) -> list[str]:
    found = _get(figures, path)
    return list(found) if isinstance(found, dict) else []


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _is_outcome(key: str) -> bool:
    """An outcome's count in an outcomes table, not the responses or a percentage."""
    return key != "responded" and not key.endswith("_pct")


@dataclass(frozen=True)
class Group:
    """Figures a reader knows add up: `parts` to `total` (a figure's place, or a number
    every reader is taken to know). `open` when some of the total may be in no part (a
    complaint giving a reason but none of its sub-reasons)."""

    total: Path | int
    parts: tuple[Path, ...]
    money: bool = False
    open: bool = False


def report_groups(figures: dict[str, Any]) -> tuple[list[Group], list[tuple[Path, ...]]]:
    """Every group of one period's figures that add up, and every figure shown in more
    than one place, as a reader of the report can see them."""
    groups: list[Group] = []
    same: list[tuple[Path, ...]] = []

    def parts(
        *path: str | int, then: Path = (), keys: Iterable[str] | None = None
    ) -> tuple[Path, ...]:
        chosen = _keys(figures, *path) if keys is None else list(keys)
        return tuple((*path, key, *then) for key in chosen)

    # The complaints received, split three ways. The reader knows their number: it is
    # the Stage 1 total, or (where a complaint had no Stage 1) near enough to it.
    teams = _keys(figures, "teams")
    for split in (
        parts("teams", then=("complaints",)),
        parts("methods"),
        parts("complainants"),
    ):
        received = sum(v for p in split if _is_number(v := _get(figures, p)))
        stage1 = _get(figures, ("totals", "stage1"))
        groups.append(Group(("totals", "stage1") if stage1 == received else received, split))
    compliments = ("totals", "compliments")
    groups.append(Group(compliments, parts("compliments", "teams", then=("count",))))
    groups.append(Group(compliments, parts("compliments", "given_by")))
    groups.append(Group(compliments, parts("teams", then=("compliments",))))
    same += [(("teams", t, "compliments"), ("compliments", "teams", t, "count")) for t in teams]

    # Young people: how they came, who made the complaint, with an advocate.
    young = ("young_people", "complaints")
    groups.append(Group(young, parts("young_people", "methods")))
    groups.append(Group(young, parts("young_people", "complainants")))
    groups.append(Group(young, (("complainants", "young_person"), ("complainants", "advocate"))))
    theirs = ("young_people", "complainants")
    groups.append(
        Group(
            ("complainants", "young_person"),
            ((*theirs, "young_person"), (*theirs, "young_person_with_advocate")),
        )
    )
    groups.append(
        Group(
            ("young_people", "with_advocate"),
            ((*theirs, "young_person_with_advocate"), (*theirs, "advocate")),
        )
    )
    same.append(((*theirs, "advocate"), ("complainants", "advocate")))
    same.append((("young_people", "advocacy_requests"), ("totals", "advocacy_requests")))

    # Reasons: over the teams exactly; over the sub-reasons at most (a complaint may give
    # a reason and none of its sub-reasons).
    for reason in _keys(figures, "reasons"):
        total = ("reasons", reason, "count")
        groups.append(Group(total, tuple(("teams", t, "reasons", reason) for t in teams)))
        subs = parts("reasons", reason, "sub_reasons", then=("count",))
        groups.append(Group(total, subs, open=True))
    for team in teams:
        same += [
            (("teams", team, "top_reasons", r, "count"), ("teams", team, "reasons", r))
            for r in _keys(figures, "teams", team, "top_reasons")
        ]

    # Outcomes: per stage to its responses, over the stages, over the teams, refusals.
    stages = ("stage1", "stage2", "stage3")
    for stage in stages:
        answers = [o for o in _keys(figures, "outcomes", stage) if _is_outcome(o)]
        groups.append(
            Group(
                ("outcomes", stage, "responded"),
                tuple(("outcomes", stage, o) for o in answers if o != "withdrawn"),
            )
        )
        same.append((("outcomes", stage, "responded"), ("stages", stage, "responded")))
        groups.append(Group(("stages", stage, "responded"), parts("stages", stage, keys=_BANDS)))
    groups.append(
        Group(
            ("outcomes", "overall", "responded"),
            parts("outcomes", keys=stages, then=("responded",)),
        )
    )
    for outcome in filter(_is_outcome, _keys(figures, "outcomes", "overall")):
        total = ("outcomes", "overall", outcome)
        groups.append(Group(total, parts("outcomes", keys=stages, then=(outcome,))))
        groups.append(Group(total, parts("teams", then=("outcomes", outcome))))
    groups.append(Group(("outcomes", "overall", "refused"), parts("refusals")))
    same += [(("stage1_timeliness", k), ("stages", "stage1", k)) for k in ("responded", *_BANDS)]
    same.append((("acknowledgements_due",), ("acknowledgement", "due")))
    same.append((("escalations", "to_stage2"), ("totals", "stage2")))
    same.append((("escalations", "to_stage3"), ("totals", "stage3")))

    # The Ombudsman and money.
    decisions = _keys(figures, "ombudsman", "decisions")
    groups.append(Group(("ombudsman", "decided"), parts("ombudsman", "decisions", then=("count",))))
    groups.append(
        Group(
            ("ombudsman", "upheld"),
            parts("ombudsman", "decisions", keys=_OMBUDSMAN_UPHELD, then=("count",)),
        )
    )
    groups.append(
        Group(
            ("ombudsman", "remedies_total"),
            tuple(("ombudsman", "decisions", d, "remedies") for d in decisions),
            money=True,
        )
    )
    same.append((("ombudsman", "remedies_total"), ("spending", "ombudsman_remedies")))
    groups.append(
        Group(
            ("spending", "total"),
            parts("spending", keys=("investigations", "council_remedies", "ombudsman_remedies")),
            money=True,
        )
    )

    # Equality monitoring: each question's answers, "not answered" too, to the people.
    for question in _keys(figures, "equality"):
        if question != "responses":
            groups.append(Group(("equality", "responses"), parts("equality", question)))

    # The quarterly table: the quarters to the total, the bands to the responses, and the
    # total column where the same figure is elsewhere.
    quarters = _get(figures, ("quarters",)) or []
    if quarters:
        last = len(quarters) - 1
        for measure in _QUARTER_COUNTS:
            groups.append(
                Group(
                    ("quarters", last, measure),
                    tuple(("quarters", i, measure) for i in range(last)),
                )
            )
        for i in range(len(quarters)):
            groups.append(
                Group(
                    ("quarters", i, "stage1_responded"),
                    tuple(("quarters", i, f"stage1_{band}") for band in _BANDS),
                )
            )
        year: Path = ("quarters", last)
        same += [
            ((*year, "formal_complaints"), ("totals", "stage1")),
            ((*year, "ombudsman_received"), ("totals", "ombudsman")),
            ((*year, "ombudsman_upheld"), ("ombudsman", "upheld")),
            ((*year, "stage1_responded"), ("stages", "stage1", "responded")),
            ((*year, "stage1_late"), ("stages", "stage1", "late")),
            ((*year, "compliments"), ("totals", "compliments")),
            ((*year, "learning_actions"), ("learning_actions", "agreed")),
            *(((*year, f"stage1_{band}"), ("stages", "stage1", band)) for band in _BANDS),
        ]
        groups.append(
            Group(
                (*year, "informal_complaints"),
                (("totals", "comments"), ("totals", "case_concerns")),
            )
        )
        groups.append(
            Group(
                (*year, "stage1_justified"),
                (("outcomes", "stage1", "upheld"), ("outcomes", "stage1", "partially_upheld")),
            )
        )
    return groups, same


def _percentages(figures: dict[str, Any]) -> Iterator[tuple[Path, tuple[Path, ...], Path]]:
    """(percentage, the counts it is of, the count it is out of) for every percentage."""
    yield (
        ("acknowledged_within_2_working_days_pct",),
        (("acknowledgement", "on_time"),),
        ("acknowledgements_due",),
    )
    yield (
        ("acknowledgement", "on_time_pct"),
        (("acknowledgement", "on_time"),),
        ("acknowledgement", "due"),
    )
    for table in (("stage1_timeliness",), *(("stages", s) for s in _keys(figures, "stages"))):
        late = ("stages", "stage1", "late") if table == ("stage1_timeliness",) else (*table, "late")
        yield (*table, "within_10_pct"), ((*table, "within_10"),), (*table, "responded")
        yield (*table, "overdue_pct"), (late,), (*table, "responded")
    for stage in _keys(figures, "outcomes"):
        table = ("outcomes", stage)
        yield (
            (*table, "upheld_or_partially_upheld_pct"),
            ((*table, "upheld"), (*table, "partially_upheld")),
            (*table, "responded"),
        )
    for i in range(len(_get(figures, ("quarters",)) or [])):
        row = ("quarters", i)
        for name, part in (
            ("overdue", "late"),
            ("justified", "justified"),
            ("within_10", "within_10"),
        ):
            yield (
                (*row, f"stage1_{name}_pct"),
                ((*row, f"stage1_{part}"),),
                (*row, "stage1_responded"),
            )


class _Protection:
    """Secondary suppression over one period's figures (see the module's docstring)."""

    def __init__(
        self,
        figures: dict[str, Any],
        shown: dict[str, Any],
        groups: list[Group],
        same: list[tuple[Path, ...]],
    ) -> None:
        self.figures = figures
        self.shown = shown
        self.parent: dict[Path, Path] = {}
        for paths in same:
            present = [p for p in paths if _is_number(_get(figures, p))]
            # Only what really is the same figure: a copy that differs is not a copy.
            if len(present) > 1 and len({_get(figures, p) for p in present}) == 1:
                for path in present[1:]:
                    self._join(present[0], path)
        self.members: dict[Path, list[Path]] = {}
        self.money: set[Path] = set()
        self.groups: list[tuple[Path | int, list[Path], bool]] = []
        for group in groups:
            self._add(group)
        # Every place a figure is shown, so that hiding it hides it everywhere.
        for path in self.parent:
            self._remember(path)
        # Each figure's value (money in pence) and marker, kept here as hiding goes on.
        self.values = {f: self._value(f, f in self.money) for f in self.members}
        self.markers: dict[Path, str | None] = {}
        for figure in self.members:
            self._align(figure)
        self.order = {figure: i for i, figure in enumerate(self.members)}

    def _find(self, path: Path) -> Path:
        while self.parent.get(path, path) != path:
            path = self.parent[path]
        return path

    def _join(self, one: Path, other: Path) -> None:
        self.parent[self._find(other)] = self._find(one)

    def _value(self, path: Path, money: bool) -> int:
        value = _get(self.figures, path)
        return round(value * 100) if money else int(value)

    def _add(self, group: Group) -> None:
        paths = [p for p in group.parts if _is_number(_get(self.figures, p))]
        if isinstance(group.total, int):
            total_value: int = group.total
        else:
            if not _is_number(_get(self.figures, group.total)):
                return
            total_value = self._value(group.total, group.money)
        added = sum(self._value(p, group.money) for p in paths)
        # A group the figures do not add up in gives nothing away: a reader adding it up
        # would get a wrong answer.
        if added > total_value or (added != total_value and not group.open):
            return
        total = total_value if isinstance(group.total, int) else self._find(group.total)
        for path in [*paths, *([] if isinstance(group.total, int) else [group.total])]:
            self._remember(path)
            if group.money:
                self.money.add(self._find(path))
        self.groups.append((total, [self._find(p) for p in paths], group.open))

    def _remember(self, path: Path) -> None:
        places = self.members.setdefault(self._find(path), [])
        if path not in places:
            places.append(path)

    def _marker(self, figure: Path) -> str | None:
        return self.markers[figure]

    def _align(self, figure: Path) -> None:
        """A figure shown in one place and hidden in another is hidden in both."""
        found = (_get(self.shown, path) for path in self.members[figure])
        marker = next((value for value in found if isinstance(value, str)), None)
        self.markers[figure] = marker
        if marker is not None:
            for path in self.members[figure]:
                _set(self.shown, path, marker)

    def _bounds(self, figure: Path) -> tuple[float, float]:
        marker = self.markers[figure]
        if marker is None:
            return self.values[figure], self.values[figure]
        if figure in self.money:
            return (0 if marker == HIDDEN else 1), _INFINITE
        return (1, THRESHOLD - 1) if marker == HIDDEN else (THRESHOLD, _INFINITE)

    def _narrow(
        self, groups: list[tuple[Path | int, list[Path], bool]] | None = None
    ) -> dict[Path, tuple[float, float]]:
        """Each figure's bounds as a reader can narrow them through the groups."""
        groups = self.groups if groups is None else groups
        bounds = {}
        for total, parts, _open in groups:
            for figure in parts if isinstance(total, int) else [total, *parts]:
                bounds[figure] = self._bounds(figure)
        for _round in range(100):
            changed = False
            for total, parts, is_open in groups:
                lows = [bounds[p][0] for p in parts] + ([0.0] if is_open else [])
                highs = [bounds[p][1] for p in parts] + ([_INFINITE] if is_open else [])
                low_sum = sum(lows)
                unbounded = sum(1 for h in highs if h == _INFINITE)
                high_sum = sum(h for h in highs if h != _INFINITE)
                if isinstance(total, int):
                    low_total = high_total = float(total)
                else:
                    low_total = max(bounds[total][0], low_sum)
                    high_total = min(bounds[total][1], _INFINITE if unbounded else high_sum)
                    if (low_total, high_total) != bounds[total]:
                        bounds[total] = (low_total, high_total)
                        changed = True
                for i, part in enumerate(parts):
                    low_i, high_i = lows[i], highs[i]
                    if high_i == _INFINITE:
                        others_high = _INFINITE if unbounded > 1 else high_sum
                    else:
                        others_high = _INFINITE if unbounded else high_sum - high_i
                    low = max(low_i, low_total - others_high)
                    high = min(high_i, high_total - (low_sum - low_i))
                    if (low, high) != (low_i, high_i):
                        bounds[part] = (low, high)
                        lows[i], highs[i] = low, high
                        low_sum += low - low_i
                        if high_i == _INFINITE and high != _INFINITE:
                            unbounded -= 1
                            high_sum += high
                        elif high_i != _INFINITE:
                            high_sum += high - high_i
                        changed = True
            if not changed:
                break
        return bounds

    def _pinned(
        self, groups: list[tuple[Path | int, list[Path], bool]] | None = None
    ) -> list[Path]:
        """The hidden figures a reader can narrow to one value."""
        bounds = self._narrow(groups)
        return [
            figure
            for figure, (low, high) in bounds.items()
            if self.markers[figure] is not None and low == high
        ]

    def _hide(self, figure: Path) -> None:
        self.markers[figure] = ALSO_HIDDEN
        for path in self.members[figure]:
            _set(self.shown, path, ALSO_HIDDEN)

    def _show(self, figure: Path) -> None:
        self.markers[figure] = None
        for path in self.members[figure]:
            _set(self.shown, path, _get(self.figures, path))

    def _shown(self, figure: Path) -> int:
        """The figure's value if it is shown and not 0 (what may be hidden), else 0."""
        return 0 if self.markers[figure] is not None else self.values[figure]

    def _protecting(
        self, figure: Path, choices: list[Path], groups: list[tuple[Path | int, list[Path], bool]]
    ) -> Path | None:
        """The first choice that, hidden, leaves `figure` unpinned in its own groups."""
        for choice in choices:
            self._hide(choice)
            pinned = figure in self._pinned(groups)
            self._show(choice)
            if not pinned:
                return choice
        return None

    def protect(self) -> None:
        """Hide more until no hidden figure can be pinned: a part of one of its groups
        (the smallest that protects it, else the smallest), and only when no part is
        left, a total."""
        given_up: set[Path] = set()
        while True:
            waiting = [f for f in self._pinned() if f not in given_up]
            if not waiting:
                return
            figure = waiting[0]
            mine = [g for g in self.groups if g[0] == figure or figure in g[1]]
            parts = sorted(
                {p for _t, group, _o in mine for p in group if self._shown(p)},
                key=lambda p: (self._shown(p), self.order[p]),
            )
            totals = [
                t for t, _p, _o in mine if not isinstance(t, int) and t != figure and self._shown(t)
            ]
            if parts:
                choice = self._protecting(figure, parts, mine) or parts[0]
            elif totals:
                choice = self._protecting(figure, totals, mine) or totals[0]
            else:
                given_up.add(figure)  # nothing left to hide around it
                continue
            self._hide(choice)


def suppress(figures: dict[str, Any], *, within: str | None = None) -> dict[str, Any]:
    """One period's figures with the small-number rule applied, primary and secondary:
    to every table, or only to the table `within` names (equality monitoring)."""
    shown: dict[str, Any]
    if within is None:
        shown = hide_small_numbers(figures)
    else:
        shown = {**figures, within: hide_small_numbers(figures.get(within, {}))}
    groups, same = report_groups(figures)

    def inside(path: Path | int) -> bool:
        return within is None or (not isinstance(path, int) and path[:1] == (within,))

    groups = [g for g in groups if all(inside(p) for p in (g.total, *g.parts))]
    same = [paths for paths in same if all(inside(p) for p in paths)]
    _Protection(figures, shown, groups, same).protect()
    for percentage, of, out_of in _percentages(figures):
        if not inside(percentage) or not _is_number(_get(shown, percentage)):
            continue
        if any(isinstance(_get(shown, p), str) for p in (*of, out_of)):
            _set(shown, percentage, ALSO_HIDDEN)
    return shown


def for_reader(report: dict[str, Any], *, sees_cases: bool) -> dict[str, Any]:
    """The report as this reader may see it: equality monitoring always with small
    numbers hidden; everything else too unless the reader may see the cases behind it.
    Each period is protected on its own; a change is left out where either is hidden."""
    within = "equality" if sees_cases else None
    current = suppress({k: v for k, v in report.items() if k not in _NOT_FIGURES}, within=within)
    previous = suppress(report["previous"], within=within)
    shown: dict[str, Any] = {}
    for key in report:
        if key == "previous":
            shown[key] = previous
        elif key in ("change_pct", "change_points"):
            # A change worked out from a hidden figure would give the figure away.
            shown[key] = _drop_hidden_changes(report[key], current, previous)
        elif key in _NOT_FIGURES:
            shown[key] = report[key]
        else:
            shown[key] = current[key]
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
    if isinstance(current, str) or isinstance(previous, str):
        return None
    return changes
