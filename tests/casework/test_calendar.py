"""Working days, bank holidays per nation, council closures, UK dates and ages."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from intake.casework.calendar import (
    Deadline,
    Nation,
    SkippedDay,
    WorkingCalendar,
    age_on,
    local_date,
)

ENGLAND = WorkingCalendar(Nation.ENGLAND)
CLOSED_FOR_CHRISTMAS = {
    date(2026, 12, 29): "offices closed between Christmas and New Year",
    date(2026, 12, 30): "offices closed between Christmas and New Year",
    date(2026, 12, 31): "offices closed between Christmas and New Year",
}


def _days_of(year: int) -> list[date]:
    first = date(year, 1, 1)
    return [first + timedelta(days=n) for n in range((date(year + 1, 1, 1) - first).days)]


# --- which days are working days ---------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "reason"),
    [
        (date(2026, 11, 21), "Saturday"),
        (date(2026, 11, 22), "Sunday"),
    ],
)
def test_weekends_are_not_working_days(day, reason):
    assert ENGLAND.non_working_reason(day) == reason
    assert not ENGLAND.is_working_day(day)


@pytest.mark.parametrize("day", [date(2026, 11, 23) + timedelta(days=n) for n in range(5)])
def test_an_ordinary_weekday_is_a_working_day(day):
    assert ENGLAND.non_working_reason(day) is None
    assert ENGLAND.is_working_day(day)


@pytest.mark.parametrize(
    ("day", "name"),
    [
        (date(2026, 1, 1), "New Year"),
        (date(2026, 4, 3), "Good Friday"),
        (date(2026, 4, 6), "Easter Monday"),
        (date(2026, 5, 4), "May"),
        (date(2026, 5, 25), "Spring"),
        (date(2026, 8, 31), "Summer"),
        (date(2026, 12, 25), "Christmas"),
        # Boxing Day 2026 is a Saturday, so the bank holiday moves to Monday 28 December.
        (date(2026, 12, 28), "Boxing Day"),
    ],
)
def test_england_bank_holidays_2026_are_not_working_days(day, name):
    reason = ENGLAND.non_working_reason(day)

    assert reason is not None
    assert reason.startswith("bank holiday (")
    assert name in reason


def test_a_bank_holiday_on_a_weekend_is_reported_as_the_weekend_day():
    # Saturday 26 December 2026 is Boxing Day, but it would not have been worked anyway.
    assert ENGLAND.non_working_reason(date(2026, 12, 26)) == "Saturday"


@pytest.mark.parametrize(
    ("day", "name"),
    [
        (date(2026, 1, 2), "New Year"),
        (date(2026, 11, 30), "Andrew"),  # St Andrew's Day, a Monday in 2026
        (date(2026, 8, 3), "Summer"),  # Scotland's summer bank holiday is in early August
    ],
)
def test_scottish_bank_holidays_are_not_working_days_in_scotland_only(day, name):
    scotland = WorkingCalendar(Nation.SCOTLAND)

    reason = scotland.non_working_reason(day)
    assert reason is not None
    assert name in reason
    assert ENGLAND.is_working_day(day)
    assert WorkingCalendar(Nation.WALES).is_working_day(day)


@pytest.mark.parametrize("day", [date(2026, 4, 6), date(2026, 8, 31)])
def test_english_bank_holidays_scotland_does_not_have_are_working_days_there(day):
    # Easter Monday and the late August bank holiday are not Scottish bank holidays.
    assert not ENGLAND.is_working_day(day)
    assert WorkingCalendar(Nation.SCOTLAND).is_working_day(day)


def test_st_patricks_day_is_a_bank_holiday_in_northern_ireland_only():
    st_patricks_day = date(2026, 3, 17)  # a Tuesday

    reason = WorkingCalendar(Nation.NORTHERN_IRELAND).non_working_reason(st_patricks_day)
    assert reason is not None
    assert "Patrick" in reason
    assert ENGLAND.is_working_day(st_patricks_day)
    assert WorkingCalendar(Nation.SCOTLAND).is_working_day(st_patricks_day)


@pytest.mark.parametrize("year", [2025, 2026, 2027, 2028])
def test_wales_and_england_share_their_working_days(year):
    wales = WorkingCalendar(Nation.WALES)

    assert [d for d in _days_of(year) if wales.is_working_day(d)] == [
        d for d in _days_of(year) if ENGLAND.is_working_day(d)
    ]


def test_a_council_closure_is_not_a_working_day_and_says_why():
    calendar = WorkingCalendar(Nation.ENGLAND, CLOSED_FOR_CHRISTMAS)

    assert calendar.non_working_reason(date(2026, 12, 29)) == (
        "council closure (offices closed between Christmas and New Year)"
    )
    assert not calendar.is_working_day(date(2026, 12, 31))


def test_a_bank_holiday_that_is_also_a_closure_is_reported_as_the_bank_holiday():
    calendar = WorkingCalendar(Nation.ENGLAND, {date(2026, 12, 28): "closed"})

    reason = calendar.non_working_reason(date(2026, 12, 28))
    assert reason is not None
    assert reason.startswith("bank holiday (")


# --- counting working days ---------------------------------------------------------------


def test_zero_working_days_is_the_start_day_itself():
    deadline = ENGLAND.add_working_days(date(2026, 11, 23), 0)

    assert deadline.due == date(2026, 11, 23)
    assert deadline.skipped == ()


def test_zero_working_days_from_a_saturday_is_that_saturday():
    assert ENGLAND.add_working_days(date(2026, 11, 21), 0).due == date(2026, 11, 21)


def test_the_start_day_is_never_counted():
    # Monday 23 November 2026 is a working day, yet one working day later is the Tuesday.
    assert ENGLAND.add_working_days(date(2026, 11, 23), 1).due == date(2026, 11, 24)


@pytest.mark.parametrize(
    ("starts", "working_days", "due"),
    [
        (date(2026, 11, 23), 2, date(2026, 11, 25)),  # Monday -> Wednesday
        (date(2026, 11, 26), 2, date(2026, 11, 30)),  # Thursday -> Monday, over a weekend
        (date(2026, 11, 27), 1, date(2026, 11, 30)),  # Friday -> Monday
        (date(2026, 11, 23), 5, date(2026, 11, 30)),  # a full week
        (date(2026, 11, 23), 10, date(2026, 12, 7)),
    ],
)
def test_weekends_are_skipped(starts, working_days, due):
    assert ENGLAND.add_working_days(starts, working_days).due == due


def test_a_saturday_start_counts_from_the_following_monday():
    deadline = ENGLAND.add_working_days(date(2026, 11, 21), 1)

    assert deadline.due == date(2026, 11, 23)
    # The Saturday itself is where the count starts, not a day stepped over.
    assert deadline.skipped == (SkippedDay(date(2026, 11, 22), "Sunday"),)


def test_easter_2026_is_skipped():
    # Thursday 2 April 2026: Good Friday (3rd), the weekend, Easter Monday (6th) are skipped.
    deadline = ENGLAND.add_working_days(date(2026, 4, 2), 1)

    assert deadline.due == date(2026, 4, 7)
    assert [s.day for s in deadline.skipped] == [
        date(2026, 4, 3),
        date(2026, 4, 4),
        date(2026, 4, 5),
        date(2026, 4, 6),
    ]


def test_easter_monday_is_counted_in_scotland():
    assert WorkingCalendar(Nation.SCOTLAND).add_working_days(date(2026, 4, 2), 1).due == date(
        2026, 4, 6
    )


def test_st_andrews_day_moves_a_scottish_deadline_but_not_an_english_one():
    friday = date(2026, 11, 27)

    assert ENGLAND.add_working_days(friday, 1).due == date(2026, 11, 30)
    assert WorkingCalendar(Nation.SCOTLAND).add_working_days(friday, 1).due == date(2026, 12, 1)


def test_the_second_of_january_moves_a_scottish_deadline_but_not_an_english_one():
    # Thursday 31 December 2026: 1 January 2027 is a Friday.
    new_years_eve = date(2026, 12, 31)

    assert ENGLAND.add_working_days(new_years_eve, 1).due == date(2027, 1, 4)
    # 2 January 2027 is a Saturday, so Scotland's holiday is observed on Monday 4 January.
    assert WorkingCalendar(Nation.SCOTLAND).add_working_days(new_years_eve, 1).due == date(
        2027, 1, 5
    )


def test_christmas_2026_and_council_closures_are_skipped_with_their_reasons():
    calendar = WorkingCalendar(Nation.ENGLAND, CLOSED_FOR_CHRISTMAS)

    # From Thursday 24 December 2026: Christmas (Fri), the weekend, Boxing Day observed
    # (Mon 28), three closure days, New Year's Day (Fri 1 Jan) and the next weekend are all
    # skipped; Monday 4 January 2027 is the first working day.
    deadline = calendar.add_working_days(date(2026, 12, 24), 1)

    assert deadline.due == date(2027, 1, 4)
    assert [s.day for s in deadline.skipped] == [
        date(2026, 12, 25) + timedelta(days=n) for n in range(10)
    ]
    reasons = [s.reason for s in deadline.skipped]
    closure = "council closure (offices closed between Christmas and New Year)"
    assert reasons[1:3] == ["Saturday", "Sunday"]
    assert reasons[4:7] == [closure, closure, closure]
    assert reasons[8:] == ["Saturday", "Sunday"]
    for index, holiday in [(0, "Christmas"), (3, "Boxing Day"), (7, "New Year")]:
        assert reasons[index].startswith("bank holiday (")
        assert holiday in reasons[index]


def test_without_closures_the_days_between_christmas_and_new_year_are_working_days():
    assert ENGLAND.add_working_days(date(2026, 12, 24), 1).due == date(2026, 12, 29)


def test_a_deadline_records_where_it_started_and_how_far_it_ran():
    deadline = ENGLAND.add_working_days(date(2026, 11, 23), 10)

    assert deadline == Deadline(
        due=date(2026, 12, 7),
        starts=date(2026, 11, 23),
        working_days=10,
        skipped=(
            SkippedDay(date(2026, 11, 28), "Saturday"),
            SkippedDay(date(2026, 11, 29), "Sunday"),
            SkippedDay(date(2026, 12, 5), "Saturday"),
            SkippedDay(date(2026, 12, 6), "Sunday"),
        ),
    )


@pytest.mark.parametrize("working_days", [-1, -10])
def test_a_negative_number_of_working_days_is_refused(working_days):
    with pytest.raises(ValueError, match="negative"):
        ENGLAND.add_working_days(date(2026, 11, 23), working_days)


def test_a_calendar_with_no_working_days_left_is_reported_rather_than_looped_on():
    starts = date(2026, 1, 5)
    closed_for_ever = {starts + timedelta(days=n): "closed" for n in range(1, 800)}

    with pytest.raises(ValueError, match="no working days"):
        WorkingCalendar(Nation.ENGLAND, closed_for_ever).add_working_days(starts, 1)


@pytest.mark.parametrize("nation", list(Nation))
@pytest.mark.parametrize(
    "starts", [date(2026, 3, 31), date(2026, 11, 21), date(2026, 12, 18), date(2026, 12, 24)]
)
@pytest.mark.parametrize("working_days", [1, 2, 10, 20, 65])
def test_a_due_date_is_a_working_day_exactly_that_many_working_days_on(
    nation, starts, working_days
):
    calendar = WorkingCalendar(nation, CLOSED_FOR_CHRISTMAS)

    deadline = calendar.add_working_days(starts, working_days)

    assert calendar.is_working_day(deadline.due)
    assert calendar.working_days_between(starts, deadline.due) == working_days
    assert len(deadline.skipped) == (deadline.due - starts).days - working_days
    assert all(not calendar.is_working_day(s.day) for s in deadline.skipped)


# --- explaining a deadline ---------------------------------------------------------------


def test_explain_lists_every_skipped_day_with_its_reason():
    calendar = WorkingCalendar(Nation.ENGLAND, {date(2026, 12, 29): "staff training"})

    lines = calendar.add_working_days(date(2026, 12, 24), 2).explain()

    assert len(lines) == 7
    assert lines[0] == "2 working days after 2026-12-24 (Thursday) is 2026-12-31 (Thursday)."
    assert lines[1] == "Days not counted:"
    assert lines[2].startswith("  2026-12-25 (Fri): bank holiday (")
    assert lines[3] == "  2026-12-26 (Sat): Saturday"
    assert lines[4] == "  2026-12-27 (Sun): Sunday"
    assert lines[5].startswith("  2026-12-28 (Mon): bank holiday (")
    assert lines[6] == "  2026-12-29 (Tue): council closure (staff training)"


def test_explain_says_when_no_day_was_skipped():
    assert ENGLAND.add_working_days(date(2026, 11, 23), 2).explain() == [
        "2 working days after 2026-11-23 (Monday) is 2026-11-25 (Wednesday).",
        "No days were skipped.",
    ]


# --- working days between two dates ------------------------------------------------------


def test_no_working_days_lie_between_a_day_and_itself():
    assert ENGLAND.working_days_between(date(2026, 11, 23), date(2026, 11, 23)) == 0


@pytest.mark.parametrize(
    ("starts", "ends", "count"),
    [
        (date(2026, 11, 23), date(2026, 11, 24), 1),
        (date(2026, 11, 27), date(2026, 11, 30), 1),  # Friday to Monday
        (date(2026, 11, 27), date(2026, 11, 29), 0),  # Friday to Sunday
        (date(2026, 11, 23), date(2026, 12, 7), 10),
        (date(2026, 12, 24), date(2027, 1, 4), 4),  # Christmas, Boxing Day, New Year
    ],
)
def test_working_days_between_counts_the_working_days_after_the_start(starts, ends, count):
    assert ENGLAND.working_days_between(starts, ends) == count


def test_working_days_between_is_negative_when_the_dates_are_reversed():
    assert ENGLAND.working_days_between(date(2026, 12, 7), date(2026, 11, 23)) == -10


def test_working_days_between_leaves_out_closures():
    calendar = WorkingCalendar(Nation.ENGLAND, CLOSED_FOR_CHRISTMAS)

    assert calendar.working_days_between(date(2026, 12, 24), date(2027, 1, 4)) == 1


# --- the council's date ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("moment", "day"),
    [
        # 23:30 British Summer Time on Friday 3 July 2026 (22:30 UTC) is still Friday.
        (datetime(2026, 7, 3, 22, 30, tzinfo=UTC), date(2026, 7, 3)),
        # 00:30 BST on Saturday 4 July is Saturday, though UTC still says Friday 23:30.
        (datetime(2026, 7, 3, 23, 30, tzinfo=UTC), date(2026, 7, 4)),
        # In winter London keeps UTC: 23:30 UTC on Friday 4 December is Friday.
        (datetime(2026, 12, 4, 23, 30, tzinfo=UTC), date(2026, 12, 4)),
        # The night the clocks go forward (29 March 2026, 01:00 UTC).
        (datetime(2026, 3, 28, 23, 59, tzinfo=UTC), date(2026, 3, 28)),
        (datetime(2026, 3, 29, 0, 30, tzinfo=UTC), date(2026, 3, 29)),
        # The night they go back (25 October 2026, 01:00 UTC): 23:30 UTC on the 24th is
        # already 00:30 BST on the 25th.
        (datetime(2026, 10, 24, 23, 30, tzinfo=UTC), date(2026, 10, 25)),
        # A moment given in another time zone is converted, not read off as it stands.
        (datetime(2026, 7, 3, 19, 30, tzinfo=ZoneInfo("America/New_York")), date(2026, 7, 4)),
    ],
)
def test_local_date_is_the_date_in_london(moment, day):
    assert local_date(moment) == day


# --- ages --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "age"),
    [
        (date(2026, 6, 14), 15),  # the day before the 16th birthday
        (date(2026, 6, 15), 16),  # the birthday
        (date(2026, 6, 16), 16),
        (date(2026, 12, 31), 16),
        (date(2027, 1, 1), 16),
        (date(2010, 6, 15), 0),  # the day of birth
    ],
)
def test_age_changes_on_the_birthday(day, age):
    assert age_on(date(2010, 6, 15), day) == age


@pytest.mark.parametrize(
    ("day", "age"),
    [
        (date(2026, 2, 28), 17),
        # Born on 29 February: in a common year the birthday is reached on 1 March.
        (date(2026, 3, 1), 18),
        (date(2028, 2, 28), 19),
        (date(2028, 2, 29), 20),
    ],
)
def test_age_of_someone_born_on_29_february(day, age):
    assert age_on(date(2008, 2, 29), day) == age
