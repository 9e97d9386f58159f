"""Display helpers shared by every app (dates as GOV.UK style writes them)."""

import datetime as dt
from typing import Any

from django.utils import timezone

from inclusion.core.partial_dates import PartialDate


def format_date(value: dt.date | dt.datetime | PartialDate | None, empty: str = "") -> str:
    """`31 August 2020` (GOV.UK style: no leading zero, full month)."""
    if value is None or value == "":
        return empty
    if isinstance(value, PartialDate):
        return value.display()
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
        return f"{value.day} {value:%B %Y}"
    return f"{value.day} {value:%B %Y}"


def format_datetime(value: dt.datetime | None, empty: str = "") -> str:
    """`31 August 2020 at 2:05pm`."""
    if value is None:
        return empty
    value = timezone.localtime(value) if timezone.is_aware(value) else value
    hour = value.hour % 12 or 12
    return f"{value.day} {value:%B %Y} at {hour}:{value:%M}{'am' if value.hour < 12 else 'pm'}"


def pluralise(count: int, singular: str, plural: str | None = None) -> str:
    return f"{count} {singular if count == 1 else (plural or singular + 's')}"


def paragraphs(text: str | None) -> list[str]:
    """Split stored narrative (paragraphs separated by blank lines) for display."""
    if not text:
        return []
    return [p.strip() for p in text.split("\n\n") if p.strip()]


FILTERS: dict[str, Any] = {
    "format_date": format_date,
    "format_datetime": format_datetime,
    "pluralise": pluralise,
    "paragraphs": paragraphs,
}
