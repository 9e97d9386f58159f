"""The calendar: working days, calendar weeks, days and months, and the one-off days table.

Every worked example is counted by hand in its comment, one working day at a time, so a
reader can check it against a wall calendar.
"""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given, settings
from hypothesis import strategies as st

from inclusion.core import calendar
from inclusion.core.models import AuditLog, NonWorkingDay
from inclusion.core.non_working_days import (
    holidays_between,
    non_working_day_add,
    non_working_day_remove,
)

pytestmark = pytest.mark.django_db

D = dt.date


@pytest.fixture(autouse=True)
def fresh_calendar():
    """A test that adds a day and is rolled back must not leave it in the cache."""
    calendar.invalidate()
    yield
    calendar.invalidate()


# ---------------------------------------------------------------- bank holidays


def test_the_one_off_2022_and_2023_bank_holidays_are_not_working_days():
    assert calendar.holiday_name(D(2022, 9, 19)) == "State Funeral of Queen Elizabeth II"
    assert calendar.holiday_name(D(2023, 5, 8)) == "Coronation of Charles III"
    assert calendar.holiday_name(D(2022, 6, 3)) == "Platinum Jubilee of Elizabeth II"
    for day in (D(2022, 9, 19), D(2023, 5, 8), D(2022, 6, 2), D(2022, 6, 3)):
        assert not calendar.is_working_day(day)


def test_substitute_days_for_christmas_and_new_year_at_a_weekend_are_bank_holidays():
    # Christmas Day 2022 was a Sunday: Boxing Day Monday 26th, Christmas on Tuesday 27th.
    assert not calendar.is_working_day(D(2022, 12, 26))
    assert not calendar.is_working_day(D(2022, 12, 27))
    assert calendar.is_working_day(D(2022, 12, 28))
    # New Year's Day 2023 was a Sunday: the bank holiday was Monday 2 January.
    assert not calendar.is_working_day(D(2023, 1, 2))


def test_weekends_are_never_working_days_and_ordinary_weekdays_are():
    assert not calendar.is_working_day(D(2025, 1, 4))  # Saturday
    assert not calendar.is_working_day(D(2025, 1, 5))  # Sunday
    assert calendar.is_working_day(D(2025, 1, 6))  # Monday
    assert calendar.non_working_reason(D(2025, 1, 4)) == "Saturday"
    assert calendar.non_working_reason(D(2025, 12, 25)) == "Christmas Day"
    assert calendar.non_working_reason(D(2025, 1, 6)) is None


def test_scotlands_own_bank_holidays_do_not_count_in_england():
    # 2 January and St Andrew's Day are Scottish bank holidays only.
    assert calendar.is_working_day(D(2025, 1, 2))
    assert calendar.is_working_day(D(2026, 11, 30))


# ---------------------------------------------------------------- counting working days


@pytest.mark.parametrize(
    ("start", "days", "due"),
    [
        # Friday 16 September 2022; Monday 19th was the Queen's state funeral, so the
        # first working day after is Tuesday 20th.
        (D(2022, 9, 16), 1, D(2022, 9, 20)),
        # Friday 5 May 2023; Monday 8th was the coronation: Tuesday 9th.
        (D(2023, 5, 5), 1, D(2023, 5, 9)),
        # Wednesday 1 June 2022: Thursday 2nd (spring bank holiday) and Friday 3rd
        # (platinum jubilee) and the weekend are skipped: Monday 6th.
        (D(2022, 6, 1), 1, D(2022, 6, 6)),
        # Friday 23 December 2022: 26th (Boxing Day) and 27th (Christmas substitute)
        # skipped: Wednesday 28th is day 1, Thursday 29th day 2, Friday 30th day 3,
        # Monday 2 January 2023 a bank holiday, Tuesday 3rd day 4.
        (D(2022, 12, 23), 4, D(2023, 1, 3)),
        # The count starts the day after: Saturday 4 January 2025, day 1 is Monday 6th.
        (D(2025, 1, 4), 1, D(2025, 1, 6)),
        # Five working days from Monday 13 January 2025 is Monday 20th.
        (D(2025, 1, 13), 5, D(2025, 1, 20)),
        # Leap day: Wednesday 28 February 2024, day 1 is Thursday 29 February.
        (D(2024, 2, 28), 1, D(2024, 2, 29)),
        # Backwards: one working day before Tuesday 9 May 2023 is Friday 5 May.
        (D(2023, 5, 9), -1, D(2023, 5, 5)),
        (D(2025, 1, 4), 0, D(2025, 1, 4)),
    ],
)
def test_add_working_days_worked_examples(start, days, due):
    assert calendar.add_working_days(start, days) == due


def test_the_iha_escalation_of_issue_5_lands_on_the_iha_deadline_across_bank_holidays():
    """Looked after on Thursday 4 May 2023: day 15 is the local escalation point, and a
    face-to-face contact within 5 working days of it is due on working day 20."""
    start = D(2023, 5, 4)
    # Fri 5 (1); Mon 8 coronation; Tue 9 (2) Wed 10 (3) Thu 11 (4) Fri 12 (5);
    # Mon 15 to Fri 19 (6-10); Mon 22 to Fri 26 (11-15).
    day_15 = calendar.add_working_days(start, 15)
    assert day_15 == D(2023, 5, 26)
    # Mon 29 May spring bank holiday; Tue 30 (1) Wed 31 (2) Thu 1 Jun (3) Fri 2 (4) Mon 5 (5).
    assert calendar.add_working_days(day_15, 5) == D(2023, 6, 5)
    assert calendar.add_working_days(start, 20) == D(2023, 6, 5)
    assert calendar.working_days_between(start, D(2023, 5, 26)) == 15


def test_working_days_in_a_year_leave_out_weekends_and_bank_holidays():
    # 2022 has 260 weekdays, 10 of them bank holidays (3 Jan, 15 and 18 Apr, 2 May,
    # 2 and 3 Jun, 29 Aug, 19 Sep, 26 and 27 Dec): 250 working days.
    assert calendar.working_days_between(D(2021, 12, 31), D(2022, 12, 31)) == 250
    # 2024 has 262 weekdays and 8 bank holidays, all weekdays: 254.
    assert calendar.working_days_between(D(2023, 12, 31), D(2024, 12, 31)) == 254


def test_working_days_between_counts_after_the_start_up_to_the_end():
    assert calendar.working_days_between(D(2025, 1, 6), D(2025, 1, 6)) == 0
    assert calendar.working_days_between(D(2025, 1, 3), D(2025, 1, 5)) == 0  # Fri to Sun
    assert calendar.working_days_between(D(2025, 1, 3), D(2025, 1, 6)) == 1
    assert calendar.working_days_between(D(2025, 1, 6), D(2025, 1, 3)) == -1


def test_next_and_previous_working_day():
    assert calendar.next_working_day(D(2023, 5, 5)) == D(2023, 5, 9)
    assert calendar.next_working_day(D(2023, 5, 9), inclusive=True) == D(2023, 5, 9)
    assert calendar.next_working_day(D(2023, 5, 6), inclusive=True) == D(2023, 5, 9)
    assert calendar.previous_working_day(D(2023, 5, 9)) == D(2023, 5, 5)
    assert calendar.previous_working_day(D(2023, 5, 8), inclusive=True) == D(2023, 5, 5)


def test_a_count_too_long_to_be_a_deadline_is_refused():
    with pytest.raises(ValueError, match="not a deadline"):
        calendar.add_working_days(D(2025, 1, 1), calendar.MAX_WORKING_DAYS + 1)


# ---------------------------------------------------------------- calendar weeks, days, months


def test_calendar_weeks_and_days_skip_nothing():
    # Six weeks from Saturday 4 January 2025 is Saturday 15 February.
    assert calendar.add_weeks(D(2025, 1, 4), 6) == D(2025, 2, 15)
    # Over Christmas: 2 weeks from Friday 20 December 2024 is Friday 3 January 2025.
    assert calendar.add_weeks(D(2024, 12, 20), 2) == D(2025, 1, 3)
    assert calendar.add_days(D(2024, 2, 28), 1) == D(2024, 2, 29)


@pytest.mark.parametrize(
    ("start", "months", "result"),
    [
        (D(2024, 2, 29), 12, D(2025, 2, 28)),  # no 29 February in 2025
        (D(2023, 2, 28), 12, D(2024, 2, 28)),
        (D(2024, 1, 31), 1, D(2024, 2, 29)),  # the last day of a leap February
        (D(2025, 7, 31), -5, D(2025, 2, 28)),
        (D(2025, 12, 15), 1, D(2026, 1, 15)),
    ],
)
def test_add_months_keeps_the_day_or_falls_on_the_months_last(start, months, result):
    assert calendar.add_months(start, months) == result


@pytest.mark.parametrize(
    ("start", "end"),
    [
        # 12 months starting with 1 March 2023 end the day before 1 March 2024: 29 Feb.
        (D(2023, 3, 1), D(2024, 2, 29)),
        # Starting with 29 February 2024: 2025 has no 29 February, so 28 February.
        (D(2024, 2, 29), D(2025, 2, 28)),
        (D(2023, 2, 28), D(2024, 2, 27)),
        (D(2024, 6, 15), D(2025, 6, 14)),
    ],
)
def test_a_period_of_12_months_starting_with_a_day_ends_the_day_before_its_anniversary(start, end):
    assert calendar.months_period_end(start, 12) == end


# ---------------------------------------------------------------- hours on working days


def test_a_48_hour_call_back_counts_only_hours_on_working_days():
    at = dt.datetime
    # Friday 16:00: Friday 8h, Monday 24h, Tuesday 16h -> Tuesday 16:00.
    assert calendar.add_working_hours(at(2025, 1, 10, 16), 48) == at(2025, 1, 14, 16)
    # Friday 3 May 2024 16:00, Monday 6th a bank holiday -> Wednesday 8th 16:00.
    assert calendar.add_working_hours(at(2024, 5, 3, 16), 48) == at(2024, 5, 8, 16)
    # A call on Saturday starts the clock at the start of Monday: due at the end of Tuesday.
    assert calendar.add_working_hours(at(2025, 1, 11, 10), 48) == at(2025, 1, 15, 0)
    # Tuesday 09:00 -> Thursday 09:00.
    assert calendar.add_working_hours(at(2025, 1, 7, 9), 48) == at(2025, 1, 9, 9)


def test_working_hours_keep_the_time_zone_and_the_wall_clock_over_a_clock_change():
    from zoneinfo import ZoneInfo

    london = ZoneInfo("Europe/London")
    # The clocks went forward on Sunday 30 March 2025.
    start = dt.datetime(2025, 3, 28, 16, tzinfo=london)
    assert calendar.add_working_hours(start, 48) == dt.datetime(2025, 4, 1, 16, tzinfo=london)


# ---------------------------------------------------------------- the one-off days table


FUTURE_DAY = D(2031, 7, 8)  # a Tuesday, no bank holiday in the package


def test_a_one_off_day_added_is_at_once_not_a_working_day_and_counts_are_skipped(users):
    assert calendar.is_working_day(FUTURE_DAY)
    assert calendar.add_working_days(D(2031, 7, 7), 1) == FUTURE_DAY

    non_working_day_add(date=FUTURE_DAY, name="Royal occasion", actor=users["admin"], via="tests")

    assert not calendar.is_working_day(FUTURE_DAY)
    assert calendar.holiday_name(FUTURE_DAY) == "Royal occasion"
    assert calendar.add_working_days(D(2031, 7, 7), 1) == D(2031, 7, 9)

    non_working_day_remove(date=FUTURE_DAY, actor=users["admin"], via="tests")

    assert calendar.is_working_day(FUTURE_DAY)


def test_adding_and_removing_a_day_is_audited_with_who_did_it(users):
    admin = users["admin"]
    day = non_working_day_add(
        date=FUTURE_DAY, name="Royal occasion", note="Proclaimed", actor=admin
    )
    non_working_day_remove(date=FUTURE_DAY, actor=admin)

    logs = AuditLog.objects.filter(object_type="core.nonworkingday", object_id=str(day.pk))
    assert [(log.operation, log.actor_id) for log in logs] == [
        ("create", admin.pk),
        ("delete", admin.pk),
    ]
    assert logs[0].snapshot["date"] == "2031-07-08"
    assert not NonWorkingDay.objects.exists()


@pytest.mark.parametrize(
    ("date", "name", "field", "message"),
    [
        (
            D(2031, 7, 12),
            "Royal occasion",
            "date",
            "is a Saturday: weekends are never working days",
        ),
        (
            D(2023, 5, 8),
            "Coronation",
            "date",
            "already a non-working day: Coronation of Charles III",
        ),
        (FUTURE_DAY, "   ", "name", "Enter the name of the day"),
    ],
)
def test_a_day_that_cannot_be_added_is_refused_with_a_message_and_nothing_saved(
    date, name, field, message
):
    with pytest.raises(ValidationError) as raised:
        non_working_day_add(date=date, name=name)

    assert message in raised.value.message_dict[field][0]
    assert not NonWorkingDay.objects.exists()
    assert not AuditLog.objects.filter(object_type="core.nonworkingday").exists()


def test_the_same_day_cannot_be_added_twice():
    non_working_day_add(date=FUTURE_DAY, name="Royal occasion")
    with pytest.raises(ValidationError, match="already a non-working day: Royal occasion"):
        non_working_day_add(date=FUTURE_DAY, name="Again")
    assert NonWorkingDay.objects.count() == 1


def test_removing_a_day_not_in_the_table_says_so():
    with pytest.raises(ValidationError, match="not a one-off non-working day"):
        non_working_day_remove(date=D(2023, 5, 8))


def test_a_day_saved_without_the_service_still_clears_the_cache():
    """The signal receivers: a fixture or a shell that saves a row is seen at once."""
    assert calendar.is_working_day(FUTURE_DAY)
    NonWorkingDay.objects.create(date=FUTURE_DAY, name="From a fixture")
    assert not calendar.is_working_day(FUTURE_DAY)


def test_another_process_sees_a_change_once_its_cached_table_is_older_than_the_ttl(monkeypatch):
    assert calendar.is_working_day(FUTURE_DAY)
    # bulk_create sends no signal: as if another process had added the day.
    NonWorkingDay.objects.bulk_create([NonWorkingDay(date=FUTURE_DAY, name="Elsewhere")])
    assert calendar.is_working_day(FUTURE_DAY), "still the cached table"

    monkeypatch.setattr(calendar, "TABLE_TTL_SECONDS", 0.0)

    assert not calendar.is_working_day(FUTURE_DAY)


def test_holidays_between_lists_the_package_and_the_table_in_date_order():
    non_working_day_add(date=FUTURE_DAY, name="Royal occasion")
    found = holidays_between(first=D(2031, 5, 1), last=D(2031, 8, 31))
    assert [(h.date, h.one_off) for h in found] == [
        (D(2031, 5, 5), False),  # Early May bank holiday
        (D(2031, 5, 26), False),  # Spring bank holiday
        (FUTURE_DAY, True),
        (D(2031, 8, 25), False),  # Summer bank holiday
    ]


# ---------------------------------------------------------------- properties

DAYS = st.dates(min_value=D(2000, 1, 1), max_value=D(2040, 12, 31))


@settings(max_examples=300, deadline=None)
@given(start=DAYS, days=st.integers(min_value=1, max_value=400))
def test_a_working_day_deadline_is_later_than_its_start_on_a_working_day_and_counts_back(
    start, days
):
    due = calendar.add_working_days(start, days)
    assert due > start
    assert calendar.is_working_day(due)
    assert calendar.working_days_between(start, due) == days
    # No working day is skipped: the one before it is the (days-1)th.
    assert calendar.add_working_days(start, days - 1) < due


@settings(max_examples=300, deadline=None)
@given(start=DAYS, end=DAYS)
def test_working_days_between_matches_counting_day_by_day(start, end):
    first, last = min(start, end), max(start, end)
    if (last - first).days > 120:
        last = first + dt.timedelta(days=120)
    by_hand = sum(
        calendar.is_working_day(first + dt.timedelta(days=n))
        for n in range(1, (last - first).days + 1)
    )
    assert calendar.working_days_between(first, last) == by_hand
    assert calendar.working_days_between(last, first) == -by_hand


@settings(max_examples=300, deadline=None)
@given(start=DAYS, months=st.integers(min_value=1, max_value=36))
def test_a_period_of_months_ends_after_it_starts_and_just_before_the_next_one(start, months):
    end = calendar.months_period_end(start, months)
    assert end >= start
    anniversary = calendar.add_months(start, months)
    assert end in (anniversary - dt.timedelta(days=1), anniversary)
    assert end == anniversary - dt.timedelta(days=1) or start.day > anniversary.day
