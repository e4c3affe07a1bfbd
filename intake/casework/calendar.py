"""Working days: the one place every deadline in the service is counted.

A working day is a weekday that is neither a bank holiday in the council's nation nor a
day the council has closed. A deadline of N working days is the Nth working day after the
day it starts from, and it can always say which days it skipped and why, so a council can
show a complainant (or the Ombudsman) how a date was worked out.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from functools import lru_cache
from importlib.metadata import version
from zoneinfo import ZoneInfo

import holidays


class Nation(StrEnum):
    ENGLAND = "england"
    WALES = "wales"
    SCOTLAND = "scotland"
    NORTHERN_IRELAND = "northern_ireland"


# The `holidays` package names the UK's subdivisions by their ISO 3166-2 codes.
_SUBDIVISION = {
    Nation.ENGLAND: "ENG",
    Nation.WALES: "WLS",
    Nation.SCOTLAND: "SCT",
    Nation.NORTHERN_IRELAND: "NIR",
}

# English and Welsh councils keep UK time: something sent at 23:30 on a Friday in British
# Summer Time arrived on Friday, although it was already Saturday in UTC.
COUNCIL_TIME_ZONE = ZoneInfo("Europe/London")


def local_date(moment: datetime) -> date:
    """The council's calendar date at `moment`, which must say what time zone it is in."""
    if moment.tzinfo is None:
        raise ValueError("a moment without a time zone cannot be placed on the council's calendar")
    return moment.astimezone(COUNCIL_TIME_ZONE).date()


def age_on(date_of_birth: date, day: date) -> int:
    """Age in whole years on `day`."""
    before_birthday = (day.month, day.day) < (date_of_birth.month, date_of_birth.day)
    return day.year - date_of_birth.year - int(before_birthday)


_WEEKEND = {5: "Saturday", 6: "Sunday"}
_HOLIDAYS_VERSION = version("holidays")

# Deadlines never run past this many calendar days for one working day; a calendar with a
# longer closure is a configuration mistake we would rather report than loop on.
_LONGEST_CLOSURE_DAYS = 366


@dataclass(frozen=True)
class SkippedDay:
    day: date
    reason: str


@dataclass(frozen=True)
class Deadline:
    """A due date with its working: where it started, how far, and what it stepped over."""

    due: date
    starts: date
    working_days: int
    skipped: tuple[SkippedDay, ...]

    def explain(self) -> list[str]:
        unit = "working day" if self.working_days == 1 else "working days"
        lines = [
            f"{self.working_days} {unit} after {self.starts.isoformat()} "
            f"({self.starts:%A}) is {self.due.isoformat()} ({self.due:%A})."
        ]
        if self.skipped:
            lines.append("Days not counted:")
            lines.extend(f"  {s.day.isoformat()} ({s.day:%a}): {s.reason}" for s in self.skipped)
        else:
            lines.append("No days were skipped.")
        return lines


@lru_cache(maxsize=32)
def _bank_holidays(nation: Nation, year: int) -> Mapping[date, str]:
    found = holidays.country_holidays("GB", subdiv=_SUBDIVISION[nation], years=year)
    return dict(found.items())


class WorkingCalendar:
    """Weekdays minus the nation's bank holidays minus the council's own closure days."""

    def __init__(self, nation: Nation, closures: Mapping[date, str] | None = None) -> None:
        self.nation = nation
        self.closures: Mapping[date, str] = dict(closures or {})

    def non_working_reason(self, day: date) -> str | None:
        """Why `day` is not a working day, or None when it is one."""
        if day.weekday() in _WEEKEND:
            return _WEEKEND[day.weekday()]
        bank_holiday = _bank_holidays(self.nation, day.year).get(day)
        if bank_holiday:
            return f"bank holiday ({bank_holiday})"
        closure = self.closures.get(day)
        if closure:
            return f"council closure ({closure})"
        return None

    def is_working_day(self, day: date) -> bool:
        return self.non_working_reason(day) is None

    def add_working_days(self, starts: date, working_days: int) -> Deadline:
        """The Nth working day after `starts` (which itself is never counted)."""
        if working_days < 0:
            raise ValueError("a deadline cannot be a negative number of working days")
        day = starts
        counted = 0
        skipped: list[SkippedDay] = []
        while counted < working_days:
            day += timedelta(days=1)
            if (day - starts).days > _LONGEST_CLOSURE_DAYS * max(working_days, 1):
                raise ValueError("the calendar has no working days left to count")
            reason = self.non_working_reason(day)
            if reason is None:
                counted += 1
            else:
                skipped.append(SkippedDay(day, reason))
        return Deadline(due=day, starts=starts, working_days=working_days, skipped=tuple(skipped))

    def working_days_between(self, starts: date, ends: date) -> int:
        """How many working days after `starts` `ends` falls (0 on the same day)."""
        if ends < starts:
            return -self.working_days_between(ends, starts)
        return sum(
            1
            for offset in range(1, (ends - starts).days + 1)
            if self.is_working_day(starts + timedelta(days=offset))
        )

    def fingerprint(self) -> str:
        """Names this calendar's working days: the same value exactly when they are the
        same (the nation, the closures, and the `holidays` package's list of bank
        holidays, which a new release can change)."""
        closures = ",".join(f"{d.isoformat()}" for d in sorted(self.closures))
        text = f"{self.nation.value}|{_HOLIDAYS_VERSION}|{closures}"
        return hashlib.sha256(text.encode()).hexdigest()

    def ordinals(self, first: date, last: date) -> Iterator[tuple[date, int]]:
        """Every day from `first` to `last` with the number of working days from `first`
        up to and including it: the working days between two days are the difference
        of their ordinals, exactly as `working_days_between` counts them."""
        counted = 0
        day = first
        while day <= last:
            counted += self.is_working_day(day)
            yield day, counted
            day += timedelta(days=1)
