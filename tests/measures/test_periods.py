"""Reading DfE's time_period / time_identifier into dates."""

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from inclusion.measures.periods import (
    Period,
    PeriodError,
    PeriodType,
    academic_year,
    period_from_published,
)


@pytest.mark.parametrize(
    "time_period, identifier, expected",
    [
        ("2019", "Calendar year", ("calendar_year", "2019-01-01", "2019-12-31")),
        ("2025", "Reporting year", ("calendar_year", "2025-01-01", "2025-12-31")),
        ("201819", "Academic year", ("academic_year", "2018-09-01", "2019-08-31")),
        ("202324", "Financial year", ("financial_year", "2023-04-01", "2024-03-31")),
        ("2024", "Calendar year Q1", ("quarter", "2024-01-01", "2024-03-31")),
        ("2024", "Calendar year Q4", ("quarter", "2024-10-01", "2024-12-31")),
        ("202324", "Financial year Q1", ("quarter", "2023-04-01", "2023-06-30")),
        ("202324", "Financial year Q4", ("quarter", "2024-01-01", "2024-03-31")),
        ("2024", "February", ("month", "2024-02-01", "2024-02-29")),
        ("2023", "february", ("month", "2023-02-01", "2023-02-28")),
        ("199900", "Academic year", ("academic_year", "1999-09-01", "2000-08-31")),
    ],
)
def test_a_published_period_becomes_its_type_and_dates(time_period, identifier, expected):
    period = period_from_published(time_period, identifier)

    assert (period.type, period.start.isoformat(), period.end.isoformat()) == expected
    assert period.label == time_period


@pytest.mark.parametrize(
    "time_period, identifier, message",
    [
        ("2019", "Academic year", "time_period '2019' should be 6 digits for 'Academic year'"),
        ("201819", "Calendar year", "time_period '201819' should be a 4-digit year"),
        ("201820", "Academic year", "is not a year and the next (expected 201819)"),
        ("2019", "Spring term", "time_identifier 'Spring term' is not supported"),
        ("2019", "", "time_identifier is empty"),
        ("2019/20", "Academic year", "should be 6 digits"),
    ],
)
def test_a_period_that_cannot_be_read_says_why(time_period, identifier, message):
    with pytest.raises(PeriodError, match=message.replace("(", r"\(").replace(")", r"\)")):
        period_from_published(time_period, identifier)


def test_a_period_reads_as_people_write_it():
    assert period_from_published("201819", "Academic year").display() == "2018/19"
    assert period_from_published("2019", "Calendar year").display() == "2019"
    assert period_from_published("2024", "March").display() == "March 2024"
    assert Period(dt.date(2024, 1, 1), dt.date(2024, 3, 31), PeriodType.QUARTER, "").display() == (
        "January 2024 to March 2024"
    )


@given(st.integers(min_value=1990, max_value=2098))
def test_academic_years_follow_one_another_without_gap_or_overlap(year):
    this, following = academic_year(year), academic_year(year + 1)

    assert following.start - this.end == dt.timedelta(days=1)
    assert period_from_published(this.label, "Academic year") == this


@given(st.integers(min_value=1990, max_value=2098), st.integers(min_value=1, max_value=4))
def test_financial_quarters_tile_the_financial_year(year, number):
    label = f"{year}{(year + 1) % 100:02d}"
    year_period = period_from_published(label, "Financial year")
    quarter = period_from_published(label, f"Financial year Q{number}")

    assert year_period.start <= quarter.start <= quarter.end <= year_period.end
    if number == 1:
        assert quarter.start == year_period.start
    if number == 4:
        assert quarter.end == year_period.end
