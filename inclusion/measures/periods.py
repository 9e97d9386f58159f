"""The period an observation covers: a type, first and last day, and the label as published.

Published statistics name a period by `time_period` ("2019", "201819") and
`time_identifier` ("Calendar year", "Academic year"): DfE's open data standard, as
checked by DfE's own screener (dfe-analytical-services/dfe-published-data-qa,
`global.R`: four-digit identifiers for calendar/reporting years and months, six-digit
for academic, financial and tax years and their quarters). The label is kept exactly as
published so a figure can be traced back to its row.
"""

import calendar
import datetime as dt
import re
from dataclasses import dataclass

from django.db import models


class PeriodType(models.TextChoices):
    MONTH = "month", "Month"
    QUARTER = "quarter", "Quarter"
    ACADEMIC_YEAR = "academic_year", "Academic year"
    CALENDAR_YEAR = "calendar_year", "Calendar year"
    FINANCIAL_YEAR = "financial_year", "Financial year"


class PeriodError(ValueError):
    """A period that cannot be read; the message says what was wrong and what is expected."""


@dataclass(frozen=True, order=True)
class Period:
    start: dt.date
    end: dt.date
    type: str
    label: str  # as published ("2019", "201819"), or made from the dates when entered

    def display(self) -> str:
        """How a person reads it: `2019`, `2018/19`, `March 2024`, `Q1 2019` (January to March)."""
        if self.type == PeriodType.CALENDAR_YEAR:
            return str(self.start.year)
        if self.type in (PeriodType.ACADEMIC_YEAR, PeriodType.FINANCIAL_YEAR):
            return f"{self.start.year}/{self.end.year % 100:02d}"
        if self.type == PeriodType.MONTH:
            return f"{self.start:%B %Y}"
        return f"{self.start:%B %Y} to {self.end:%B %Y}"


def _last_day(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def calendar_year(year: int, label: str = "") -> Period:
    return Period(
        dt.date(year, 1, 1), dt.date(year, 12, 31), PeriodType.CALENDAR_YEAR, label or str(year)
    )


def academic_year(first_year: int, label: str = "") -> Period:
    """1 September to 31 August: the school year begins with the first term to begin after
    July (Education Act 1996 s.579(1)); DfE labels it `201819`."""
    return Period(
        dt.date(first_year, 9, 1),
        dt.date(first_year + 1, 8, 31),
        PeriodType.ACADEMIC_YEAR,
        label or f"{first_year}{(first_year + 1) % 100:02d}",
    )


def financial_year(first_year: int, label: str = "") -> Period:
    """1 April to 31 March (Interpretation Act 1978, Schedule 1, "financial year")."""
    return Period(
        dt.date(first_year, 4, 1),
        dt.date(first_year + 1, 3, 31),
        PeriodType.FINANCIAL_YEAR,
        label or f"{first_year}{(first_year + 1) % 100:02d}",
    )


def month(year: int, number: int, label: str = "") -> Period:
    return Period(
        dt.date(year, number, 1),
        _last_day(year, number),
        PeriodType.MONTH,
        label or f"{year}-{number:02d}",
    )


def quarter(year: int, first_month: int, label: str = "") -> Period:
    """Three months from the first day of `first_month` of `year`."""
    end_month = first_month + 2
    end_year = year + (end_month - 1) // 12
    end_month = (end_month - 1) % 12 + 1
    return Period(
        dt.date(year, first_month, 1),
        _last_day(end_year, end_month),
        PeriodType.QUARTER,
        label or f"{year}-{first_month:02d}",
    )


MONTH_NUMBERS = {calendar.month_name[i].lower(): i for i in range(1, 13)}
FOUR_DIGITS = re.compile(r"^(\d{4})$")
SIX_DIGITS = re.compile(r"^(\d{4})(\d{2})$")
# (first month of the quarter, whether it falls in the second calendar year of a 6-digit year)
FINANCIAL_QUARTERS = {1: (4, False), 2: (7, False), 3: (10, False), 4: (1, True)}
SUPPORTED = (
    "Calendar year, Reporting year, Academic year, Financial year, "
    "Calendar year Q1-Q4, Financial year Q1-Q4, January-December"
)


def _year(time_period: str, digits: int, identifier: str) -> int:
    if digits == 4:
        match = FOUR_DIGITS.match(time_period)
        if not match:
            raise PeriodError(
                f"time_period '{time_period}' should be a 4-digit year for '{identifier}' (e.g. 2019)"
            )
        return int(match.group(1))
    match = SIX_DIGITS.match(time_period)
    if not match:
        raise PeriodError(
            f"time_period '{time_period}' should be 6 digits for '{identifier}' (e.g. 201819)"
        )
    first = int(match.group(1))
    if int(match.group(2)) != (first + 1) % 100:
        raise PeriodError(
            f"time_period '{time_period}' is not a year and the next "
            f"(expected {first}{(first + 1) % 100:02d})"
        )
    return first


def period_from_published(time_period: str, time_identifier: str) -> Period:
    """The period a DfE open-data row covers; PeriodError when it cannot be read."""
    time_period = time_period.strip()
    identifier = " ".join(time_identifier.split())
    key = identifier.lower()
    if key in ("calendar year", "reporting year"):
        return calendar_year(_year(time_period, 4, identifier), time_period)
    if key == "academic year":
        return academic_year(_year(time_period, 6, identifier), time_period)
    if key == "financial year":
        return financial_year(_year(time_period, 6, identifier), time_period)
    if key in MONTH_NUMBERS:
        return month(_year(time_period, 4, identifier), MONTH_NUMBERS[key], time_period)
    quarter_match = re.fullmatch(r"(calendar|financial) year q([1-4])", key)
    if quarter_match:
        kind, number = quarter_match.group(1), int(quarter_match.group(2))
        if kind == "calendar":
            return quarter(_year(time_period, 4, identifier), 3 * number - 2, time_period)
        first = _year(time_period, 6, identifier)
        first_month, next_year = FINANCIAL_QUARTERS[number]
        return quarter(first + next_year, first_month, time_period)
    if not identifier:
        raise PeriodError("time_identifier is empty")
    raise PeriodError(f"time_identifier '{identifier}' is not supported (supported: {SUPPORTED})")
