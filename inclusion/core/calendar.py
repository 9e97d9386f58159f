"""The one calendar: working days, calendar weeks, days and months.

Every deadline in the system is counted here (statutory timescales in
`inclusion.core.timescales`, pathway standards, reminders, measures, exports), so a
deadline shown on a page, sent in a reminder and counted in a measure is the same date.

Working days (docs/adr/0019-calendar-and-timescales.md):

- A working day is any day but a Saturday, a Sunday or a bank holiday in England and
  Wales. This is the definition the regulations we count for use ("any day other than a
  Saturday, a Sunday, Christmas Day, Good Friday or a day which is a bank holiday under
  the Banking and Financial Dealings Act 1971 in England and Wales", e.g. the Care
  Planning, Placement and Case Review (England) Regulations 2010, reg 2(1)). England and
  Wales share their bank holidays, so the `holidays` package's England list is used.
- The bank holidays come from the `holidays` package (England: "GB", subdivision "ENG"),
  which knows the substitute days and the one-off days proclaimed so far (the state
  funeral on 19 September 2022, the coronation on 8 May 2023). A one-off bank holiday
  proclaimed after the installed package was released is added by an admin to the
  `NonWorkingDay` table; the two are combined into one cached set.
- A local closure (a council office shut between Christmas and New Year) is not a
  non-working day: statutory working-day limits count bank holidays, not a service's
  opening hours.
- A count of working days starts on the day after the start: 20 working days from a
  Monday with no bank holiday is the Monday four weeks later.

Calendar weeks and days skip nothing: six weeks from a Saturday is a Saturday.

The combined set is cached per process, per year. Changing the table through
`inclusion.core.non_working_days` (or any save or delete of a `NonWorkingDay`: the
receivers in `inclusion.core.models`) clears the cache at once in that process; other processes
(the web server's other workers) reload it within `TABLE_TTL_SECONDS`.
"""

import calendar as stdlib_calendar
import datetime as dt
import threading
import time
from functools import lru_cache

import holidays

# England and Wales share bank holidays; the package lists them under England.
COUNTRY = "GB"
SUBDIVISION = "ENG"

# How long another process may keep a table it loaded before it reads it again.
TABLE_TTL_SECONDS = 60.0

# A working-day count longer than this is a mistake (about 40 years), not a deadline.
MAX_WORKING_DAYS = 10_000

SATURDAY = 5


@lru_cache(maxsize=256)
def _bank_holidays(year: int) -> dict[dt.date, str]:
    """England and Wales bank holidays of one year, from the `holidays` package."""
    return dict(holidays.country_holidays(COUNTRY, subdiv=SUBDIVISION, years=year))


class _OneOffDays:
    """The admin table of one-off non-working days, read once and kept for a while."""

    def __init__(self) -> None:
        self._days: dict[dt.date, str] | None = None
        self._loaded_at = 0.0
        self._lock = threading.Lock()

    def get(self) -> dict[dt.date, str]:
        days = self._days
        if days is not None and time.monotonic() - self._loaded_at < TABLE_TTL_SECONDS:
            return days
        with self._lock:
            if self._days is None or time.monotonic() - self._loaded_at >= TABLE_TTL_SECONDS:
                self._days = _read_table()
                self._loaded_at = time.monotonic()
                _by_year.clear()
            return self._days

    def clear(self) -> None:
        with self._lock:
            self._days = None
            _by_year.clear()


def _read_table() -> dict[dt.date, str]:
    # Imported here: the calendar is imported by modules that load before the app registry.
    from inclusion.core.models import NonWorkingDay

    return dict(NonWorkingDay.objects.values_list("date", "name"))


_one_off = _OneOffDays()
_by_year: dict[int, dict[dt.date, str]] = {}


def invalidate() -> None:
    """Forget the table: the next question reads it again (called whenever it changes)."""
    _one_off.clear()


def non_working_days(year: int) -> dict[dt.date, str]:
    """Every bank holiday and one-off non-working day of `year` (not weekends), named."""
    one_off = _one_off.get()
    found = _by_year.get(year)
    if found is None:
        found = dict(_bank_holidays(year))
        for day, name in one_off.items():
            if day.year == year:
                found.setdefault(day, name)
        _by_year[year] = found
    return found


def holiday_name(day: dt.date) -> str | None:
    """The bank holiday or one-off day `day` is, or None (weekends are not named here)."""
    return non_working_days(day.year).get(day)


def non_working_reason(day: dt.date) -> str | None:
    """Why `day` is not a working day ("Saturday", "Boxing Day"), or None if it is one."""
    if day.weekday() >= SATURDAY:
        return day.strftime("%A")
    return holiday_name(day)


def is_working_day(day: dt.date) -> bool:
    return day.weekday() < SATURDAY and day not in non_working_days(day.year)


def next_working_day(day: dt.date, *, inclusive: bool = False) -> dt.date:
    """The first working day after `day` (or `day` itself when `inclusive` and it is one)."""
    current = day if inclusive else day + dt.timedelta(days=1)
    while not is_working_day(current):
        current += dt.timedelta(days=1)
    return current


def previous_working_day(day: dt.date, *, inclusive: bool = False) -> dt.date:
    """The last working day before `day` (or `day` itself when `inclusive` and it is one)."""
    current = day if inclusive else day - dt.timedelta(days=1)
    while not is_working_day(current):
        current -= dt.timedelta(days=1)
    return current


def add_working_days(start: dt.date, days: int) -> dt.date:
    """The `days`-th working day after `start` (before it, for a negative count).

    The count starts on the day after `start`, whatever day `start` is: 1 working day
    after a Friday is the Monday (or the Tuesday after a bank holiday Monday). The
    answer is always a working day, except for a count of 0, which is `start` itself.
    """
    if abs(days) > MAX_WORKING_DAYS:
        raise ValueError(f"{days} working days is more than {MAX_WORKING_DAYS}: not a deadline")
    step = dt.timedelta(days=1 if days >= 0 else -1)
    current = start
    for _ in range(abs(days)):
        current += step
        while not is_working_day(current):
            current += step
    return current


def working_days_between(start: dt.date, end: dt.date) -> int:
    """The working days after `start` up to and including `end` (negative when `end` is
    earlier): the inverse of `add_working_days`, so a case on working day 15 of its
    count has `working_days_between(start, today) == 15`."""
    if end < start:
        return -working_days_between(end, start)
    count = 0
    current = start + dt.timedelta(days=1)
    # Whole weeks hold five weekdays; only their bank holidays need looking at.
    while (end - current).days >= 7:
        week_end = current + dt.timedelta(days=6)
        count += 5 - sum(
            1 for day in _holidays_between(current, week_end) if day.weekday() < SATURDAY
        )
        current = week_end + dt.timedelta(days=1)
    while current <= end:
        count += is_working_day(current)
        current += dt.timedelta(days=1)
    return count


def _holidays_between(first: dt.date, last: dt.date) -> list[dt.date]:
    days = list(non_working_days(first.year))
    if last.year != first.year:
        days += list(non_working_days(last.year))
    return [day for day in days if first <= day <= last]


# ---------------------------------------------------------------- calendar days, weeks, months


def add_days(start: dt.date, days: int) -> dt.date:
    """Calendar days: every day counts, the day after `start` is day 1."""
    return start + dt.timedelta(days=days)


def add_weeks(start: dt.date, weeks: int) -> dt.date:
    """Calendar weeks: the same weekday `weeks` weeks later (a Saturday from a Saturday)."""
    return start + dt.timedelta(weeks=weeks)


def days_in_month(year: int, month: int) -> int:
    return stdlib_calendar.monthrange(year, month)[1]


def _shift_month(year: int, month: int, months: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + months
    return index // 12, index % 12 + 1


def add_months(start: dt.date, months: int) -> dt.date:
    """The same day of the month `months` months later (earlier, if negative); a day the
    month lacks falls on its last day: 12 months from 29 February 2024 is 28 February 2025,
    1 month from 31 January is the last day of February."""
    year, month = _shift_month(start.year, start.month, months)
    return dt.date(year, month, min(start.day, days_in_month(year, month)))


def months_period_end(start: dt.date, months: int) -> dt.date:
    """The last day of "the period of `months` months starting with" `start`.

    A period of months starting with a day ends the day before the same day of the month
    `months` later; when that month has no such day (a period starting 29 February, or 31
    January), it ends on that month's last day. So 12 months starting with 1 March 2023
    end on 29 February 2024, and 12 months starting with 29 February 2024 end on 28
    February 2025 (docs/adr/0019-calendar-and-timescales.md).
    """
    if months < 1:
        raise ValueError("a period of months has at least one month")
    year, month = _shift_month(start.year, start.month, months)
    if start.day > days_in_month(year, month):
        return dt.date(year, month, days_in_month(year, month))
    return dt.date(year, month, start.day) - dt.timedelta(days=1)


# ---------------------------------------------------------------- hours on working days


def add_working_hours(start: dt.datetime, hours: float) -> dt.datetime:
    """`hours` counted only on working days, each worth 24 hours of the wall clock.

    A 48-hour call-back asked for at 16:00 on a Friday is due at 16:00 on the Tuesday
    (Friday 8 hours, Monday 24, Tuesday 16), or the Wednesday after a bank holiday
    Monday. A call received on a non-working day starts the clock at midnight at the
    start of the next working day, so it is due by the end of the second working day.
    Hours are wall-clock hours in the start's own time zone: a change of the clocks does
    not move a call-back time.
    """
    if hours < 0:
        raise ValueError("count working hours forwards")
    tzinfo = start.tzinfo
    current = start.replace(tzinfo=None)
    if not is_working_day(current.date()):
        current = dt.datetime.combine(next_working_day(current.date()), dt.time.min)
    remaining = dt.timedelta(hours=hours)
    while True:
        midnight = dt.datetime.combine(current.date() + dt.timedelta(days=1), dt.time.min)
        left_today = midnight - current
        if remaining <= left_today:
            return (current + remaining).replace(tzinfo=tzinfo)
        remaining -= left_today
        current = dt.datetime.combine(next_working_day(current.date()), dt.time.min)
