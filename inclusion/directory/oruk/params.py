"""The query parameters of the Open Referral UK API, read strictly: a value that cannot be
used is a 400 naming the parameter, never a silently ignored filter."""

import datetime as dt
import math
from dataclasses import dataclass

from django.http import QueryDict
from django.utils.dateparse import parse_date, parse_datetime

DEFAULT_PER_PAGE = 50
MAX_PER_PAGE = 200


class ParameterError(ValueError):
    def __init__(self, name: str, message: str) -> None:
        super().__init__(message)
        self.name = name


@dataclass(frozen=True)
class Paging:
    page: int
    per_page: int

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.per_page


@dataclass(frozen=True)
class ServiceQuery:
    """The filters of /services and /service_at_locations."""

    search: str = ""
    taxonomy_term_ids: tuple[str, ...] = ()
    taxonomy_id: str = ""
    minimum_age: float | None = None
    maximum_age: float | None = None
    postcode: str = ""
    proximity: float | None = None
    modified_after: dt.datetime | None = None
    day: str = ""
    start_time: dt.time | None = None
    end_time: dt.time | None = None


def _integer(query: QueryDict, name: str, default: int, *, low: int, high: int | None) -> int:
    raw = query.get(name, "").strip()
    if raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ParameterError(name, f"{name} must be a whole number, not {raw!r}") from None
    if value < low:
        raise ParameterError(name, f"{name} must be {low} or more")
    return min(value, high) if high is not None else value


def paging(query: QueryDict) -> Paging:
    """`page` from 1; `per_page` from 1, at most MAX_PER_PAGE (more is served as the maximum)."""
    return Paging(
        page=_integer(query, "page", 1, low=1, high=None),
        per_page=_integer(query, "per_page", DEFAULT_PER_PAGE, low=1, high=MAX_PER_PAGE),
    )


def _number(query: QueryDict, name: str) -> float | None:
    raw = query.get(name, "").strip()
    if raw == "":
        return None
    try:
        value = float(raw)
    except ValueError:
        raise ParameterError(name, f"{name} must be a number, not {raw!r}") from None
    if not math.isfinite(value):
        raise ParameterError(name, f"{name} must be a finite number")
    return value


def _datetime(query: QueryDict, name: str) -> dt.datetime | None:
    raw = query.get(name, "").strip()
    if raw == "":
        return None
    # "2024-05-01T10:00:00Z" and "+01:00" offsets (RFC 3339), or a date alone (its midnight UTC).
    value: dt.datetime | None = None
    try:
        value = parse_datetime(raw.replace("z", "Z"))
        if value is None:
            day = parse_date(raw)
            value = dt.datetime.combine(day, dt.time.min) if day else None
    except ValueError:
        value = None
    if value is None:
        raise ParameterError(
            name, f"{name} must be a date and time such as 2024-05-01T10:00:00Z, not {raw!r}"
        )
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


def _time(query: QueryDict, name: str) -> dt.time | None:
    raw = query.get(name, "").strip()
    if raw == "":
        return None
    try:
        # The database keeps opening hours as local wall-clock times.
        return dt.time.fromisoformat(raw).replace(tzinfo=None)
    except ValueError:
        raise ParameterError(name, f"{name} must be a time such as 09:30, not {raw!r}") from None


DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


def service_query(query: QueryDict) -> ServiceQuery:
    day = query.get("day", "").strip().upper()[:2]
    if query.get("day", "").strip() and day not in DAYS:
        raise ParameterError("day", f"day must be one of {', '.join(DAYS)} (RFC 5545 BYDAY)")
    # `taxonomy_term_id` may repeat, or list ids separated by commas: every term must match.
    term_ids = tuple(
        part.strip()
        for raw in query.getlist("taxonomy_term_id")
        for part in raw.split(",")
        if part.strip()
    )
    return ServiceQuery(
        search=query.get("search", "").strip(),
        taxonomy_term_ids=term_ids,
        taxonomy_id=query.get("taxonomy_id", "").strip(),
        minimum_age=_number(query, "minimum_age"),
        maximum_age=_number(query, "maximum_age"),
        postcode=query.get("postcode", "").strip(),
        proximity=_number(query, "proximity"),
        modified_after=_datetime(query, "modified_after"),
        day=day,
        start_time=_time(query, "start_time"),
        end_time=_time(query, "end_time"),
    )
