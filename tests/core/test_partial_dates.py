import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from inclusion.core.partial_dates import (
    PartialDate,
    PartialDateError,
    Precision,
    parse_partial_date,
)


@pytest.mark.parametrize(
    ("text", "iso", "precision"),
    [
        ("31.08.20", "2020-08-31", Precision.DAY),
        ("31/08/2020", "2020-08-31", Precision.DAY),
        ("2020-08-31", "2020-08-31", Precision.DAY),
        ("31 August 2020", "2020-08-31", Precision.DAY),
        ("1st Sept 2019", "2019-09-01", Precision.DAY),
        ("April 2020", "2020-04", Precision.MONTH),
        ("Apr 2020", "2020-04", Precision.MONTH),
        ("2020-04", "2020-04", Precision.MONTH),
        ("04/2020", "2020-04", Precision.MONTH),
        ("  April\u00a02020 ", "2020-04", Precision.MONTH),
    ],
)
def test_parse_reads_days_and_months_as_plans_write_them(text, iso, precision):
    parsed = parse_partial_date(text)
    assert parsed.iso() == iso
    assert parsed.precision == precision


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("31.13.20", "month 13"),
        ("30.02.2020", "February 2020 has 29 days"),
        ("29.02.2019", "February 2019 has 28 days"),
        ("Smarch 2020", "'Smarch' is not a month"),
        ("", "empty"),
        ("next year", "is not a date"),
        ("2020-13", "month 13"),
        ("31.08.202", "3 digits"),
    ],
)
def test_parse_refuses_impossible_dates_with_a_message_naming_the_problem(text, message):
    with pytest.raises(PartialDateError, match=message):
        parse_partial_date(text)


def test_a_month_is_kept_as_a_month_and_its_deadline_is_its_last_day():
    april = parse_partial_date("April 2020")
    assert april.value == dt.date(2020, 4, 1)
    assert april.deadline == dt.date(2020, 4, 30)
    assert april.display() == "April 2020"
    assert parse_partial_date("Feb 2024").deadline == dt.date(2024, 2, 29)


def test_a_month_precision_date_is_normalised_to_its_first_day():
    assert PartialDate(dt.date(2020, 4, 17), Precision.MONTH).value == dt.date(2020, 4, 1)


@given(st.dates(min_value=dt.date(1950, 1, 1), max_value=dt.date(2099, 12, 31)))
def test_every_day_round_trips_through_iso_and_display(day):
    partial = PartialDate.day(day)
    assert parse_partial_date(partial.iso()) == partial
    assert parse_partial_date(partial.display()) == partial
    assert partial.deadline == day


@given(st.integers(1950, 2099), st.integers(1, 12))
def test_every_month_round_trips_and_its_deadline_never_precedes_its_start(year, month):
    partial = PartialDate.month(year, month)
    assert parse_partial_date(partial.iso()) == partial
    assert parse_partial_date(partial.display()) == partial
    assert partial.starts <= partial.deadline
    assert partial.deadline.month == month


@given(st.text(max_size=30))
def test_parse_never_fails_with_anything_but_a_partial_date_error(text):
    try:
        parse_partial_date(text)
    except PartialDateError:
        pass
