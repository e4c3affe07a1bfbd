"""Report periods: a span of days, the one before it, and its quarters."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta


def add_months(day: date, months: int) -> date:
    """The same day `months` later (or earlier), kept inside a shorter month."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


@dataclass(frozen=True)
class Period:
    """From `start` to `end`, both days included."""

    start: date
    end: date

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError("a period cannot end before it starts")

    @property
    def whole_months(self) -> int | None:
        """How many calendar months it spans exactly (1 April to 31 March: 12), or None."""
        if self.start.day != 1 or (self.end + timedelta(days=1)).day != 1:
            return None
        after = self.end + timedelta(days=1)
        return (after.year - self.start.year) * 12 + after.month - self.start.month

    def previous(self) -> Period:
        """The period of the same length just before: the year before a year, the
        quarter before a quarter, otherwise the same number of days."""
        months = self.whole_months
        if months is not None:
            return Period(add_months(self.start, -months), self.start - timedelta(days=1))
        length = self.end - self.start
        end = self.start - timedelta(days=1)
        return Period(end - length, end)

    def quarters(self) -> list[Period]:
        """Three-month spans from the start (a financial year's Q1 to Q4); the last one
        stops at the end of the period."""
        spans: list[Period] = []
        start = self.start
        while start <= self.end:
            following = add_months(self.start, 3 * (len(spans) + 1))
            spans.append(Period(start, min(following - timedelta(days=1), self.end)))
            start = following
        return spans

    def as_dict(self) -> dict[str, str]:
        return {"from": self.start.isoformat(), "to": self.end.isoformat()}


def last_financial_year(today: date) -> Period:
    """The most recent complete April-to-March year: what an annual report covers."""
    year = today.year if today.month >= 4 else today.year - 1
    return Period(date(year - 1, 4, 1), date(year, 3, 31))
