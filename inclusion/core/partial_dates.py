"""Dates as real plans write them: a day ("31.08.20") or only a month ("April 2020").

A month stays a month: it is never turned into a made-up day. Stored as the
first day of the month plus `precision = "month"`; compared by two rules
(docs/adr/0004-partial-dates.md):
- as a deadline, a month means its last day ("by April 2020" is met on 30 April);
- as the date of an event (a progress update "at August 2019"), its first day.
"""

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from enum import StrEnum


class Precision(StrEnum):
    DAY = "day"
    MONTH = "month"


class PartialDateError(ValueError):
    """A date that cannot be read; the message says what was wrong."""


MONTHS = {
    name.lower(): i
    for i in range(1, 13)
    for name in (calendar.month_name[i], calendar.month_abbr[i])
}
MONTHS["sept"] = 9


@dataclass(frozen=True, order=True)
class PartialDate:
    value: dt.date  # the first day of the month when precision is MONTH
    precision: Precision = Precision.DAY

    def __post_init__(self) -> None:
        if self.precision == Precision.MONTH and self.value.day != 1:
            object.__setattr__(self, "value", self.value.replace(day=1))

    @classmethod
    def day(cls, value: dt.date) -> "PartialDate":
        return cls(value, Precision.DAY)

    @classmethod
    def month(cls, year: int, month: int) -> "PartialDate":
        return cls(dt.date(year, month, 1), Precision.MONTH)

    @property
    def deadline(self) -> dt.date:
        """The last day this date covers: the day itself, or the month's last day."""
        if self.precision == Precision.MONTH:
            last = calendar.monthrange(self.value.year, self.value.month)[1]
            return self.value.replace(day=last)
        return self.value

    @property
    def starts(self) -> dt.date:
        return self.value

    def iso(self) -> str:
        """`2020-08-31`, or `2020-04` when only the month is known."""
        if self.precision == Precision.MONTH:
            return f"{self.value.year:04d}-{self.value.month:02d}"
        return self.value.isoformat()

    def display(self) -> str:
        if self.precision == Precision.MONTH:
            return f"{calendar.month_name[self.value.month]} {self.value.year}"
        return f"{self.value.day} {calendar.month_name[self.value.month]} {self.value.year}"

    def __str__(self) -> str:
        return self.display()


def _year(text: str, original: str) -> int:
    year = int(text)
    if len(text) == 2:
        # Two-digit years in plans are this century ("31.08.20" is 2020).
        year += 2000
    elif len(text) != 4:
        raise PartialDateError(f"'{original}' has a year of {len(text)} digits; use 2 or 4")
    return year


def _make_day(year: int, month: int, day: int, original: str) -> PartialDate:
    if not 1 <= month <= 12:
        raise PartialDateError(f"'{original}' has month {month}; months run from 1 to 12")
    try:
        return PartialDate.day(dt.date(year, month, day))
    except ValueError:
        last = calendar.monthrange(year, month)[1]
        raise PartialDateError(
            f"'{original}' has day {day}, but {calendar.month_name[month]} {year} has {last} days"
        ) from None


_DMY = re.compile(r"^(\d{1,2})[./\-](\d{1,2})[./\-](\d{2,4})$")
_ISO_DAY = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_ISO_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
_MONTH_YEAR = re.compile(r"^([A-Za-z]+)\.?,?\s+(\d{2}|\d{4})$")
_DAY_MONTH_YEAR = re.compile(r"^(\d{1,2})(?:st|nd|rd|th)?\s+([A-Za-z]+)\.?,?\s+(\d{4})$")
_NUMERIC_MONTH = re.compile(r"^(\d{1,2})[./](\d{4})$")


def parse_partial_date(text: str) -> PartialDate:
    """Read a day or a month as written in UK plans.

    Days: `31.08.20`, `31/08/2020`, `31-08-2020`, `2020-08-31`, `31 August 2020`, `31st Aug 2020`.
    Months: `April 2020`, `Apr 2020`, `2020-04`, `04/2020`.
    Raises PartialDateError naming what is wrong (e.g. "'31.13.20' has month 13").
    """
    original = text
    text = " ".join(str(text).replace("\u00a0", " ").split()).strip()
    if not text:
        raise PartialDateError("the date is empty")
    if m := _DMY.match(text):
        d, mo, y = m.groups()
        return _make_day(_year(y, original), int(mo), int(d), original)
    if m := _ISO_DAY.match(text):
        y, mo, d = m.groups()
        return _make_day(int(y), int(mo), int(d), original)
    if m := _ISO_MONTH.match(text):
        y, mo = int(m.group(1)), int(m.group(2))
        if not 1 <= mo <= 12:
            raise PartialDateError(f"'{original}' has month {mo}; months run from 1 to 12")
        return PartialDate.month(y, mo)
    if m := _NUMERIC_MONTH.match(text):
        mo, y = int(m.group(1)), int(m.group(2))
        if not 1 <= mo <= 12:
            raise PartialDateError(f"'{original}' has month {mo}; months run from 1 to 12")
        return PartialDate.month(y, mo)
    if m := _MONTH_YEAR.match(text):
        name, y = m.groups()
        month = MONTHS.get(name.lower())
        if month is None:
            raise PartialDateError(f"'{original}': '{name}' is not a month")
        return PartialDate.month(_year(y, original), month)
    if m := _DAY_MONTH_YEAR.match(text):
        d, name, y = m.groups()
        month = MONTHS.get(name.lower())
        if month is None:
            raise PartialDateError(f"'{original}': '{name}' is not a month")
        return _make_day(int(y), month, int(d), original)
    raise PartialDateError(
        f"'{original}' is not a date; write a day such as 31.08.20 or 2020-08-31, "
        "or a month such as April 2020 or 2020-04"
    )


def from_fields(value: dt.date | None, precision: str) -> PartialDate | None:
    if value is None:
        return None
    return PartialDate(value, Precision(precision or Precision.DAY))
