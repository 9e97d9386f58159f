"""`manage.py timescales --start DATE [--format text|json]`: every statutory deadline
that runs from a date, worked out by `inclusion.core.timescales` (the functions the pages,
reminders, measures and exports use), so anyone can check when a deadline falls."""

import datetime as dt
import json
import re
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from inclusion.core import calendar, timescales

DAY_MONTH_YEAR = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")


def parse_start(text: str) -> dt.date:
    """A date written as 2025-01-04 or 04/01/2025 (day first, as in England)."""
    value = text.strip()
    if match := ISO.match(value):
        year, month, day = (int(part) for part in match.groups())
    elif match := DAY_MONTH_YEAR.match(value):
        day, month, year = (int(part) for part in match.groups())
    else:
        raise CommandError(
            f"--start '{text}' is not a date: write it as YYYY-MM-DD or DD/MM/YYYY, "
            "for example 2025-01-04 or 04/01/2025"
        )
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise CommandError(
            f"--start '{text}' is not a real date (day {day}, month {month}, year {year})"
        ) from None


def _day(value: dt.date) -> str:
    return f"{value:%a} {value.day} {value:%b %Y}"


class Command(BaseCommand):
    help = (
        "Print every statutory deadline that runs from a date: when each falls, its rule "
        "and its source. Weeks and days are calendar weeks and days; working days skip "
        "weekends and England and Wales bank holidays (with the one-off days an admin added)."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--start",
            required=True,
            help="The day the clock starts, as YYYY-MM-DD or DD/MM/YYYY",
        )
        parser.add_argument(
            "--format", choices=["text", "json"], default="text", help="text (a table) or json"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        start = parse_start(options["start"])
        try:
            deadlines = timescales.all_timescales(start)
        except DatabaseError as error:
            # The one-off non-working days live in the database (core_nonworkingday).
            raise CommandError(
                f"Cannot read the calendar's one-off non-working days ({error}): set up the "
                "database first with `python manage.py migrate` (or `make run`)."
            ) from None
        if options["format"] == "json":
            data = {key: deadline.as_dict() for key, deadline in deadlines.items()}
            self.stdout.write(json.dumps(data, indent=2))
            return
        self.stdout.write(self._table(start, deadlines))

    def _moves_note(self, deadlines: dict[str, timescales.Deadline]) -> list[str]:
        moving = [
            key
            for key, deadline in deadlines.items()
            if deadline.if_non_working_day is timescales.IfNonWorkingDay.MOVES_TO_NEXT_WORKING_DAY
        ]
        if moving:
            return [
                f"These move to the next working day when due on a non-working day: {', '.join(moving)}."
            ]
        return [
            "None of these moves off a weekend or bank holiday (the rules do not say so):",
            "a deadline due on a non-working day is met by the last working day before it.",
        ]

    def _table(self, start: dt.date, deadlines: dict[str, timescales.Deadline]) -> str:
        rows = []
        for key, deadline in deadlines.items():
            amount = (
                f"{deadline.amount} {deadline.unit.label}"
                if deadline.amount is not None
                else deadline.unit.label
            )
            reason = calendar.non_working_reason(deadline.due)
            rows.append(
                (
                    key,
                    _day(deadline.due),
                    amount,
                    deadline.title,
                    f"not a working day ({reason})" if reason else "",
                )
            )
        headers = ("Key", "Due", "Timescale", "What", "Note")
        widths = [max(len(row[i]) for row in [headers, *rows]) for i in range(len(headers))]

        def line(cells: tuple[str, ...]) -> str:
            return "  ".join(
                cell.ljust(width) for cell, width in zip(cells, widths, strict=True)
            ).rstrip()

        reason = calendar.non_working_reason(start)
        started = f"{start:%A} {start.day} {start:%B %Y}" + (
            f" (not a working day: {reason})" if reason else ""
        )
        out = [
            f"Statutory deadlines running from {started}",
            "",
            line(headers),
            line(tuple("-" * width for width in widths)),
            *(line(row) for row in rows),
            "",
            *self._moves_note(deadlines),
            "",
            "Rules and sources",
        ]
        for key, deadline in deadlines.items():
            out += [
                f"{key}: {deadline.rule}.",
                f"    Source: {deadline.source}",
            ]
        return "\n".join(out) + "\n"
