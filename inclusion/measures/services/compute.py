"""Storing computed measures as observations (source "computed").

Caching (docs/adr/0013-measures-model.md): computed on demand and stored, refreshed by
`manage.py compute_measures` (nightly, or after an import of records). Pages, charts
and exports then read observations alone, whatever their source, and a chart never
waits on a computation.

The stored values of a measure for a partnership over the computed dates are exactly
what its function returned: new ones are added, changed ones updated, and a computed
value for a period it no longer returns is deleted. Entered and imported observations
are never touched. One audit event per run, with the counts.
"""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from inclusion.accounts.models import Partnership
from inclusion.core import audit
from inclusion.core.models import AuditLog
from inclusion.core.writes import save_changes
from inclusion.measures.areas import geographies_for_code, geography_for_partnership
from inclusion.measures.models import Geography, Measure, Observation
from inclusion.measures.registry import ComputedMeasure, ObservationValue, computed_measures

# How far back a refresh computes when not told: three years of months is enough for a
# run chart's baseline (SPC wants 20 or more points).
DEFAULT_HISTORY_YEARS = 3
VALUE_FIELDS = ("value", "numerator", "denominator", "status", "note", "period_label")


@dataclass
class ComputeResult:
    counts: dict[str, int] = field(
        default_factory=lambda: {
            "new": 0,
            "changed": 0,
            "unchanged": 0,
            "deleted": 0,
            "kept_entered": 0,
        }
    )
    codes: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return any(self.counts[k] for k in ("new", "changed", "deleted"))


def _decimal(value: Any) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def _measure_for(entry: ComputedMeasure, actor: Any, via: str) -> Measure:
    fields = {
        "title": entry.title,
        "unit": entry.unit,
        "polarity": entry.polarity,
        "frequency": entry.frequency,
        "description": entry.description,
        "numerator_definition": entry.numerator_definition,
        "denominator_definition": entry.denominator_definition,
    }
    measure = Measure.objects.filter(code=entry.code).first()
    if measure is None:
        measure = Measure(code=entry.code, kind=Measure.Kind.COMPUTED, partnership=None, **fields)
        measure.full_clean()
        measure.save()
        audit.log_create(measure, actor=actor, via=via, note="Registered computed measure")
        return measure
    if measure.kind != Measure.Kind.COMPUTED:
        raise ValidationError(
            f"computed measure '{entry.code}' has the code of a {measure.get_kind_display().lower()} measure"
        )
    if any(getattr(measure, k) != v for k, v in fields.items()):
        save_changes(measure, actor=actor, via=via, **fields)
    return measure


def _geography(code: str, own: Geography, cache: dict[str, Geography]) -> Geography:
    if not code:
        return own
    if code not in cache:
        found = geographies_for_code(code)
        if not found:
            raise ValidationError(f"no geography with the code '{code}'")
        cache[code] = found[0]
    return cache[code]


def measures_compute(
    *,
    partnership: Partnership,
    codes: Iterable[str] | None = None,
    period_start: dt.date | None = None,
    period_end: dt.date | None = None,
    actor: Any = None,
    via: str = "",
) -> ComputeResult:
    """Compute the registered measures (all, or `codes`) for a partnership and store them."""
    registry = computed_measures()
    wanted = list(codes) if codes is not None else sorted(registry)
    unknown = [code for code in wanted if code not in registry]
    if unknown:
        known = ", ".join(sorted(registry)) or "none registered"
        raise ValidationError(f"no computed measure {', '.join(unknown)} (registered: {known})")
    today = timezone.localdate()
    end = period_end or today
    start = period_start or dt.date(end.year - DEFAULT_HISTORY_YEARS, end.month, 1)
    result = ComputeResult(codes=wanted)
    with transaction.atomic():
        own = geography_for_partnership(partnership, actor=actor, via=via)
        cache: dict[str, Geography] = {}
        for code in wanted:
            entry = registry[code]
            measure = _measure_for(entry, actor, via)
            values = entry.compute(partnership, start, end)
            _store(partnership, measure, values, own, cache, start, end, result, actor)
        if result.changed:
            audit.log_event(
                AuditLog.Operation.IMPORT,
                actor=actor,
                via=via,
                object_type=Observation._meta.label_lower,
                object_repr="Computed measures: " + ", ".join(wanted),
                partnership_id=partnership.pk,
                note=f"{start} to {end}; "
                + ", ".join(f"{k} {v}" for k, v in result.counts.items()),
            )
    return result


def _store(
    partnership: Partnership,
    measure: Measure,
    values: list[ObservationValue],
    own: Geography,
    cache: dict[str, Geography],
    start: dt.date,
    end: dt.date,
    result: ComputeResult,
    actor: Any,
) -> None:
    user = actor if actor is not None and getattr(actor, "is_authenticated", False) else None
    stored = {
        (
            o.geography_id,
            o.period_type,
            o.period_start,
            o.period_end,
            o.breakdown_topic,
            o.breakdown,
        ): o
        for o in Observation.objects.filter(
            partnership=partnership,
            measure=measure,
            period_start__gte=start,
            period_end__lte=end,
        )
    }
    returned = set()
    for item in values:
        geography = _geography(item.geography, own, cache)
        key = (
            geography.pk,
            item.period.type,
            item.period.start,
            item.period.end,
            item.breakdown_topic,
            item.breakdown,
        )
        if key in returned:
            raise ValidationError(
                f"{measure.code} returned two values for {item.period.label} {item.breakdown}".strip()
            )
        returned.add(key)
        fields = {
            "value": _decimal(item.value),
            "numerator": _decimal(item.numerator),
            "denominator": _decimal(item.denominator),
            "status": item.status,
            "note": item.note,
            "period_label": item.period.label,
        }
        existing = stored.get(key)
        if existing is None:
            existing = Observation.objects.filter(
                partnership=partnership,
                measure=measure,
                geography=geography,
                period_type=item.period.type,
                period_start=item.period.start,
                period_end=item.period.end,
                breakdown_topic=item.breakdown_topic,
                breakdown=item.breakdown,
            ).first()
        if existing is None:
            observation = Observation(
                partnership=partnership,
                measure=measure,
                geography=geography,
                period_type=item.period.type,
                period_start=item.period.start,
                period_end=item.period.end,
                breakdown_topic=item.breakdown_topic,
                breakdown=item.breakdown,
                source=Observation.Source.COMPUTED,
                created_by=user,
                modified_by=user,
                **fields,
            )
            observation.full_clean()
            observation.save()
            result.counts["new"] += 1
            continue
        if existing.source != Observation.Source.COMPUTED:
            result.counts["kept_entered"] += 1
            continue
        if all(getattr(existing, k) == v for k, v in fields.items()):
            result.counts["unchanged"] += 1
            continue
        for k, v in fields.items():
            setattr(existing, k, v)
        existing.modified_by = user
        existing.full_clean()
        existing.save()
        result.counts["changed"] += 1
    stale = [
        o.pk
        for key, o in stored.items()
        if key not in returned and o.source == Observation.Source.COMPUTED
    ]
    if stale:
        Observation.objects.filter(pk__in=stale).delete()
        result.counts["deleted"] += len(stale)
