"""What the measure-management pages write, as whole steps: each is one transaction over
the services of `measures.py`, so a page never saves half of what a person submitted.

Rules kept here (docs/adr/0017-measure-management-and-uploads.md):
- A partnership's own measure is created together with its use (owner, baseline): a
  definition nobody uses would appear on no page.
- Two people editing one definition (or one use): the second save names the
  `updated_at` it started from; if someone saved in between, `MeasureConflict` is raised
  with the current row and nothing is written. The check and the claim are one UPDATE,
  so two saves racing each other cannot both pass (as `plans.services.actions.action_update`).
- A partnership enters values only for its own (local) measures, for its own local
  authority: published figures come from the release and computed ones from the
  registry, and an entered value beside them would be a second figure for one period.
"""

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone

from inclusion.accounts.models import Partnership
from inclusion.core import audit
from inclusion.measures.areas import GeographyError, geography_for_partnership
from inclusion.measures.models import (
    Measure,
    MeasureEvidence,
    Observation,
    PartnershipMeasure,
    ValueStatus,
)
from inclusion.measures.periods import Period
from inclusion.measures.services.measures import (
    measure_create,
    measure_evidence_link,
    measure_update,
    observation_record,
    partnership_measure_set,
)


class MeasureConflict(Exception):
    """Someone else saved the row after this edit started; `current` is the row now."""

    def __init__(self, current: models.Model):
        self.current = current
        super().__init__(
            "Someone else changed this after you started: your changes have not been saved yet"
        )


def _claim(model: type[models.Model], pk: Any, expected_updated_at: dt.datetime) -> None:
    """Move `updated_at` on only if it is still what the editor saw; else MeasureConflict."""
    claimed = model._default_manager.filter(pk=pk, updated_at=expected_updated_at).update(
        updated_at=timezone.now()
    )
    if not claimed:
        raise MeasureConflict(model._default_manager.get(pk=pk))


def local_measure_create(
    *,
    partnership: Partnership,
    code: str,
    title: str,
    unit: str,
    polarity: str,
    owner: str = "",
    baseline_value: Decimal | None = None,
    baseline_date: dt.date | None = None,
    baseline_note: str = "",
    actor: Any = None,
    via: str = "",
    **fields: Any,
) -> PartnershipMeasure:
    """A partnership's own measure and its use, both or neither."""
    if Measure.objects.filter(code=code).exists():
        raise ValidationError(
            {"code": f"The code '{code}' is already used by another measure: choose another"}
        )
    with transaction.atomic():
        measure = measure_create(
            partnership=partnership,
            code=code,
            title=title,
            unit=unit,
            polarity=polarity,
            actor=actor,
            via=via,
            **fields,
        )
        return partnership_measure_set(
            partnership=partnership,
            measure=measure,
            owner=owner,
            baseline_value=baseline_value,
            baseline_date=baseline_date,
            baseline_note=baseline_note,
            actor=actor,
            via=via,
        )


def measure_definition_update(
    *,
    measure: Measure,
    expected_updated_at: dt.datetime,
    actor: Any = None,
    via: str = "",
    **fields: Any,
) -> Measure:
    """Change a partnership's own measure, refusing a stale edit (MeasureConflict)."""
    with transaction.atomic():
        _claim(Measure, measure.pk, expected_updated_at)
        return measure_update(measure=measure, actor=actor, via=via, **fields)


def measure_use_save(
    *,
    partnership: Partnership,
    measure: Measure,
    expected_updated_at: dt.datetime | None,
    actor: Any = None,
    via: str = "",
    **fields: Any,
) -> PartnershipMeasure:
    """Start using a measure (`expected_updated_at` None) or change its owner and baseline,
    refusing a stale edit (MeasureConflict), or a second start by someone else."""
    with transaction.atomic():
        current = PartnershipMeasure.objects.filter(
            partnership=partnership, measure=measure
        ).first()
        if current is not None:
            if expected_updated_at is None:
                raise MeasureConflict(current)
            _claim(PartnershipMeasure, current.pk, expected_updated_at)
        elif expected_updated_at is not None:
            raise ValidationError("The partnership no longer uses this measure")
        return partnership_measure_set(
            partnership=partnership, measure=measure, actor=actor, via=via, **fields
        )


def measure_evidence_set(
    *,
    partnership_measure: PartnershipMeasure,
    areas: Iterable[models.Model],
    actions: Iterable[models.Model],
    actor: Any = None,
    via: str = "",
) -> list[MeasureEvidence]:
    """The plan areas and actions the measure evidences, exactly these: new ones linked,
    ones left out unlinked (each audited), all or none."""
    wanted_areas = {a.pk: a for a in areas}
    wanted_actions = {a.pk: a for a in actions}
    with transaction.atomic():
        links = list(MeasureEvidence.objects.filter(partnership_measure=partnership_measure))
        for link in links:
            keep = (
                link.area_id in wanted_areas
                if link.area_id is not None
                else link.action_id in wanted_actions
            )
            if keep:
                wanted_areas.pop(link.area_id, None)
                wanted_actions.pop(link.action_id, None)
            else:
                audit.log_delete(link, actor=actor, via=via)
                link.delete()
        for area in wanted_areas.values():
            measure_evidence_link(
                partnership_measure=partnership_measure, area=area, actor=actor, via=via
            )
        for action in wanted_actions.values():
            measure_evidence_link(
                partnership_measure=partnership_measure, action=action, actor=actor, via=via
            )
        return list(
            MeasureEvidence.objects.filter(partnership_measure=partnership_measure).order_by(
                "created_at"
            )
        )


def local_observation_record(
    *,
    partnership: Partnership,
    measure: Measure,
    period: Period,
    value: Decimal | None,
    status: str = ValueStatus.AVAILABLE,
    numerator: Decimal | None = None,
    denominator: Decimal | None = None,
    note: str = "",
    actor: Any = None,
    via: str = "",
) -> Observation:
    """A value the partnership enters for its own measure and its own local authority."""
    if measure.kind != Measure.Kind.LOCAL or measure.partnership_id != partnership.pk:
        raise ValidationError(
            f"Values of '{measure.code}' come from "
            f"{'the published statistics' if measure.kind == Measure.Kind.PUBLISHED else 'the system'}"
            ": only a partnership's own measures take entered values"
        )
    with transaction.atomic():
        try:
            geography = geography_for_partnership(partnership, actor=actor, via=via)
        except GeographyError as error:
            raise ValidationError(str(error)) from None
        return observation_record(
            partnership=partnership,
            measure=measure,
            geography=geography,
            period=period,
            value=value,
            numerator=numerator,
            denominator=denominator,
            status=status,
            note=note,
            actor=actor,
            via=via,
        )
