"""Writes to measure definitions, a partnership's use of them, and entered observations.

Each service validates (`full_clean()`), saves and audits inside one transaction
(STYLE.md). Published measures belong to their mapping and computed ones to the
registry: a partnership edits only its own (local) measures, and says how it uses any
measure (owner, baseline, targets, the plan areas and actions it evidences).
"""

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction

from inclusion.accounts.models import Partnership
from inclusion.core import audit
from inclusion.core.writes import save_changes, save_new
from inclusion.measures.models import (
    Geography,
    Measure,
    MeasureEvidence,
    Observation,
    PartnershipMeasure,
    Target,
    ValueStatus,
)
from inclusion.measures.periods import Period

MEASURE_FIELDS = {
    "title",
    "description",
    "unit",
    "polarity",
    "numerator_definition",
    "denominator_definition",
    "frequency",
    "data_source",
}
USE_FIELDS = {"owner", "baseline_value", "baseline_date", "baseline_note"}


def _check_fields(fields: dict[str, Any], allowed: set[str]) -> None:
    unknown = set(fields) - allowed
    if unknown:
        raise TypeError(f"not fields you can set here: {', '.join(sorted(unknown))}")


def measure_create(
    *,
    partnership: Partnership,
    code: str,
    title: str,
    unit: str,
    polarity: str,
    actor: Any = None,
    via: str = "",
    **fields: Any,
) -> Measure:
    """A partnership's own measure (a local survey, a locally collected count)."""
    _check_fields(fields, MEASURE_FIELDS)
    measure = Measure(
        partnership=partnership,
        kind=Measure.Kind.LOCAL,
        code=code,
        title=title,
        unit=unit,
        polarity=polarity,
        **fields,
    )
    with transaction.atomic():
        save_new(measure, actor=actor, via=via)
    return measure


def measure_update(*, measure: Measure, actor: Any = None, via: str = "", **fields: Any) -> Measure:
    """Change a partnership's own measure. Published and computed measures are defined by
    their mapping and registry, so an edit here would be undone by the next import."""
    _check_fields(fields, MEASURE_FIELDS)
    if measure.kind != Measure.Kind.LOCAL:
        raise ValidationError(
            f"'{measure.code}' is a {measure.get_kind_display().lower()} measure: change its "
            "mapping or registration instead"
        )
    with transaction.atomic():
        measure = Measure.objects.select_for_update().get(pk=measure.pk)
        save_changes(measure, actor=actor, via=via, **fields)
    return measure


def partnership_measure_set(
    *,
    partnership: Partnership,
    measure: Measure,
    actor: Any = None,
    via: str = "",
    **fields: Any,
) -> PartnershipMeasure:
    """Start using a measure, or change its owner or baseline (fields not given stay)."""
    _check_fields(fields, USE_FIELDS)
    with transaction.atomic():
        use = (
            PartnershipMeasure.objects.select_for_update()
            .filter(partnership=partnership, measure=measure)
            .first()
        )
        if use is None:
            use = PartnershipMeasure(
                partnership=partnership,
                measure=measure,
                **fields,
            )
            save_new(use, actor=actor, via=via)
            return use
        save_changes(use, actor=actor, via=via, **fields)
    return use


def target_set(
    *,
    partnership_measure: PartnershipMeasure,
    date: dt.date,
    value: Decimal | int | float | str,
    note: str = "",
    actor: Any = None,
    via: str = "",
) -> Target:
    """The target for a date: added, or changed when that date already has one."""
    with transaction.atomic():
        target = (
            Target.objects.select_for_update()
            .filter(partnership_measure=partnership_measure, date=date)
            .first()
        )
        if target is None:
            target = Target(
                partnership_measure=partnership_measure,
                date=date,
                value=Decimal(str(value)),
                note=note,
            )
            save_new(target, actor=actor, via=via)
            return target
        save_changes(target, actor=actor, via=via, value=Decimal(str(value)), note=note)
    return target


def target_delete(*, target: Target, actor: Any = None, via: str = "") -> None:
    with transaction.atomic():
        audit.log_delete(target, actor=actor, via=via)
        target.delete()


def measure_evidence_link(
    *,
    partnership_measure: PartnershipMeasure,
    area: models.Model | None = None,
    action: models.Model | None = None,
    actor: Any = None,
    via: str = "",
) -> MeasureEvidence:
    """Say the measure evidences a plan area or an action of the same partnership."""
    target = area if area is not None else action
    if (area is None) == (action is None):
        raise ValidationError("Link the measure to one area or one action")
    if getattr(target, "partnership_id", None) != partnership_measure.partnership_id:
        raise ValidationError("That area or action belongs to another partnership")
    with transaction.atomic():
        existing = MeasureEvidence.objects.filter(
            partnership_measure=partnership_measure,
            **({"area": area} if area is not None else {"action": action}),
        ).first()
        if existing is not None:
            return existing
        link = MeasureEvidence(
            partnership_measure=partnership_measure,
            area=area,
            action=action,
        )
        save_new(link, actor=actor, via=via)
    return link


def measure_evidence_unlink(*, evidence: MeasureEvidence, actor: Any = None, via: str = "") -> None:
    with transaction.atomic():
        audit.log_delete(evidence, actor=actor, via=via)
        evidence.delete()


def observation_record(
    *,
    partnership: Partnership,
    measure: Measure,
    geography: Geography,
    period: Period,
    value: Decimal | int | float | str | None,
    numerator: Decimal | int | float | str | None = None,
    denominator: Decimal | int | float | str | None = None,
    status: str = ValueStatus.AVAILABLE,
    breakdown_topic: str = "",
    breakdown: str = "",
    note: str = "",
    actor: Any = None,
    via: str = "",
) -> Observation:
    """A value a partnership enters for one period: added, or changed when that period
    (and geography and breakdown) already has an entered one."""
    if measure.partnership_id not in (None, partnership.pk):
        raise ValidationError("That measure belongs to another partnership")

    def number(v: Any) -> Decimal | None:
        return None if v is None or v == "" else Decimal(str(v))

    values = {
        "value": number(value),
        "numerator": number(numerator),
        "denominator": number(denominator),
        "status": status,
        "note": note,
        "period_label": period.label,
    }
    key = {
        "partnership": partnership,
        "measure": measure,
        "geography": geography,
        "period_type": period.type,
        "period_start": period.start,
        "period_end": period.end,
        "breakdown_topic": breakdown_topic,
        "breakdown": breakdown,
    }
    with transaction.atomic():
        observation = Observation.objects.select_for_update().filter(**key).first()
        if observation is None:
            observation = Observation(
                **key,
                **values,
                source=Observation.Source.ENTERED,
            )
            save_new(observation, actor=actor, via=via)
            return observation
        if observation.source != Observation.Source.ENTERED:
            raise ValidationError(
                f"That period already has a {observation.get_source_display().lower()} value"
            )
        save_changes(observation, actor=actor, via=via, **values)
    return observation
