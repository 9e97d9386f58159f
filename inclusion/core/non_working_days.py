"""Adding and removing one-off non-working days (services), and listing them (selectors).

A one-off day is a bank holiday in England and Wales that the installed `holidays`
package does not know, such as a day proclaimed for a state occasion after the package
was released. The table is national, shared by every partnership (docs/adr/0019): any
partnership's admin may change it, and every change is audited with who made it.
"""

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from inclusion.core import audit, calendar, writes
from inclusion.core.models import NonWorkingDay


def _day(value: dt.date) -> str:
    return f"{value:%A} {value.day} {value:%B %Y}"


def non_working_day_add(
    *, date: dt.date, name: str, note: str = "", actor: Any = None, via: str = ""
) -> NonWorkingDay:
    """Add a one-off bank holiday; refuse a weekend or a day already not a working day."""
    name = " ".join((name or "").split())
    errors: dict[str, list[str]] = {}
    if not name:
        errors["name"] = ["Enter the name of the day, for example Coronation of King Charles III"]
    if date.weekday() >= calendar.SATURDAY:
        errors["date"] = [f"{_day(date)} is a {date:%A}: weekends are never working days"]
    elif (known := calendar.holiday_name(date)) is not None:
        errors["date"] = [f"{_day(date)} is already a non-working day: {known}"]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        day = writes.save_new(
            NonWorkingDay(date=date, name=name, note=note.strip()), actor=actor, via=via
        )
    calendar.invalidate()
    return day


def non_working_day_remove(*, date: dt.date, actor: Any = None, via: str = "") -> None:
    """Remove a one-off day from the table (bank holidays from the package stay)."""
    day = NonWorkingDay.objects.filter(date=date).first()
    if day is None:
        raise ValidationError(
            {"date": [f"{_day(date)} is not a one-off non-working day in the table"]}
        )
    with transaction.atomic():
        audit.log_delete(day, actor=actor, via=via)
        day.delete()
    calendar.invalidate()


# ---------------------------------------------------------------- selectors


def non_working_day_get(*, date: dt.date) -> NonWorkingDay | None:
    return NonWorkingDay.objects.filter(date=date).first()


def one_off_days() -> list[NonWorkingDay]:
    """Every day in the table, soonest first, with who added it."""
    return list(NonWorkingDay.objects.select_related("created_by").order_by("date"))


@dataclass(frozen=True)
class Holiday:
    date: dt.date
    name: str
    one_off: bool  # from the table, not the package


def holidays_between(*, first: dt.date, last: dt.date) -> list[Holiday]:
    """Every bank holiday and one-off day from `first` to `last`, in date order."""
    table = {day.date for day in NonWorkingDay.objects.filter(date__range=(first, last))}
    found = []
    for year in range(first.year, last.year + 1):
        for day, name in calendar.non_working_days(year).items():
            if first <= day <= last:
                found.append(Holiday(date=day, name=name, one_off=day in table))
    return sorted(found, key=lambda holiday: holiday.date)
