"""Reads of measures and observations.

Scoping: published measures and observations (no partnership) are open data any
partnership reads; entered and computed ones are read only with their partnership.
Without a partnership, a selector returns published data alone.
"""

from decimal import Decimal
from typing import Any

from django.db.models import Case, IntegerField, Q, QuerySet, Value, When

from inclusion.accounts.models import Partnership
from inclusion.measures.areas import geographies_for_code
from inclusion.measures.importers.codes import code_meaning
from inclusion.measures.models import Geography, Measure, Observation, PartnershipMeasure

LEVEL_ORDER = Case(
    When(geography__level=Geography.Level.NATIONAL, then=Value(0)),
    When(geography__level=Geography.Level.REGIONAL, then=Value(1)),
    default=Value(2),
    output_field=IntegerField(),
)


# The columns of `observation_rows`, in order (measure_values prints them as its header).
OBSERVATION_COLUMNS = [
    "period",
    "period_type",
    "period_start",
    "period_end",
    "area_code",
    "old_la_code",
    "area_name",
    "breakdown_topic",
    "breakdown",
    "value",
    "numerator",
    "denominator",
    "status",
    "code",
    "meaning",
    "source",
]


class MeasureNotFound(LookupError):
    pass


class GeographyNotFound(LookupError):
    pass


def _visible(partnership: Partnership | None) -> Q:
    if partnership is None:
        return Q(partnership__isnull=True)
    return Q(partnership__isnull=True) | Q(partnership=partnership)


def measures_visible(*, partnership: Partnership | None = None) -> QuerySet[Measure]:
    return Measure.objects.filter(_visible(partnership)).order_by("code")


def measure_by_code(*, code: str, partnership: Partnership | None = None) -> Measure:
    """The measure with that code, or MeasureNotFound saying which codes there are."""
    measure = measures_visible(partnership=partnership).filter(code=code.strip()).first()
    if measure is None:
        known = list(measures_visible(partnership=partnership).values_list("code", flat=True))
        listed = ", ".join(known[:40]) + (f" and {len(known) - 40} more" if len(known) > 40 else "")
        raise MeasureNotFound(
            f"No measure with the code '{code}'"
            + (
                f" (measures: {listed})"
                if known
                else " (there are no measures yet: import some published statistics first)"
            )
        )
    return measure


def geographies_by_code(*, code: str) -> list[Geography]:
    """The geography a published code names (E92000001, E12000004, E10000019), or every
    council that has carried an old LA number (925); GeographyNotFound if none."""
    found = geographies_for_code(code)
    if not found:
        raise GeographyNotFound(
            f"No area with the code '{code}': use a published code, such as E92000001 "
            "(England), E12000004 (East Midlands), or a local authority's new code "
            "(E10000019) or old number (925)"
        )
    return found


def observations_of(
    *,
    measure: Measure,
    partnership: Partnership | None = None,
    geographies: list[Geography] | None = None,
) -> QuerySet[Observation]:
    """England first, then regions, then local authorities; each by period and breakdown."""
    query = Observation.objects.filter(_visible(partnership), measure=measure)
    if geographies is not None:
        query = query.filter(geography__in=geographies)
    return (
        query.select_related("geography")
        .annotate(level_order=LEVEL_ORDER)
        .order_by(
            "level_order",
            "geography__name",
            "geography__code",
            "period_start",
            "period_end",
            "breakdown_topic",
            "breakdown",
            "source",
        )
    )


def _number(value: Decimal | None) -> str:
    """58.7, not 58.700000; 747, not 7.47E+2."""
    if value is None:
        return ""
    text = format(value.normalize(), "f")
    return text


def observation_rows(
    *,
    measure: Measure,
    partnership: Partnership | None = None,
    geographies: list[Geography] | None = None,
) -> list[dict[str, Any]]:
    """Every observation as plain values (numbers as text, exactly as stored), for
    `measure_values` and any tool that reads what the system holds."""
    rows = []
    for o in observations_of(measure=measure, partnership=partnership, geographies=geographies):
        rows.append(
            {
                "period": o.period_label,
                "period_type": o.period_type,
                "period_start": o.period_start.isoformat(),
                "period_end": o.period_end.isoformat(),
                "area_code": o.geography.code,
                "old_la_code": o.geography.old_la_code,
                "area_name": o.geography.name,
                "breakdown_topic": o.breakdown_topic,
                "breakdown": o.breakdown,
                "value": _number(o.value),
                "numerator": _number(o.numerator),
                "denominator": _number(o.denominator),
                "status": o.status,
                "code": o.value_code,
                "meaning": code_meaning(o.value_code)
                or (o.get_status_display() if o.value_code else ""),
                "source": o.source,
            }
        )
    return rows


def partnership_measures(*, partnership: Partnership) -> QuerySet[PartnershipMeasure]:
    return (
        PartnershipMeasure.objects.filter(partnership=partnership)
        .select_related("measure")
        .prefetch_related("targets", "evidence")
    )
