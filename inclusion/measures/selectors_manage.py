"""Reads for the measure-management pages, statistical neighbours and uploads.

Every read is scoped to the partnership it is given: a partnership sees its own measures
and the shared (published, computed) ones, its own uses, targets, links, entered values,
neighbours and uploads. The plan areas and actions a measure can evidence are read
through `MeasureEvidence`'s own foreign keys, so this app imports nothing from plans
(ARCHITECTURE.md).
"""

from dataclasses import dataclass
from typing import Any
from uuid import UUID

from django.db.models import Q, QuerySet

from inclusion.accounts.models import Partnership
from inclusion.measures.areas import LONDON_SUB_REGIONS, geographies_for_code
from inclusion.measures.importers.mapping import load_mapping, shipped_mappings
from inclusion.measures.models import (
    ComparatorArea,
    Geography,
    Measure,
    MeasureEvidence,
    Observation,
    PartnershipMeasure,
    StatisticsUpload,
    Target,
)

# ---------------------------------------------------------------- measures


def measure_for_partnership(*, partnership: Partnership, code: str) -> Measure | None:
    """A measure the partnership may use: its own or a shared one."""
    return (
        Measure.objects.filter(Q(partnership__isnull=True) | Q(partnership=partnership))
        .filter(code=code)
        .first()
    )


def measure_use(*, partnership: Partnership, measure: Measure) -> PartnershipMeasure | None:
    return PartnershipMeasure.objects.filter(partnership=partnership, measure=measure).first()


@dataclass(frozen=True)
class ManagedMeasure:
    measure: Measure
    use: PartnershipMeasure | None
    targets: int
    links: int


def measures_in_use(*, partnership: Partnership) -> list[ManagedMeasure]:
    """The partnership's measures: every one it uses, and its own even if unused."""
    uses = {
        use.measure_id: use
        for use in PartnershipMeasure.objects.filter(partnership=partnership)
        .select_related("measure")
        .prefetch_related("targets", "evidence")
    }
    own = Measure.objects.filter(partnership=partnership).exclude(pk__in=uses)
    rows = [
        ManagedMeasure(use.measure, use, len(use.targets.all()), len(use.evidence.all()))
        for use in uses.values()
    ]
    rows += [ManagedMeasure(measure, None, 0, 0) for measure in own]
    return sorted(rows, key=lambda row: (row.measure.kind != Measure.Kind.LOCAL, row.measure.code))


def measures_not_in_use(*, partnership: Partnership) -> QuerySet[Measure]:
    """Shared measures (published, computed) the partnership could start using."""
    return (
        Measure.objects.filter(partnership__isnull=True)
        .exclude(uses__partnership=partnership)
        .order_by("mapping", "code")
    )


def targets_of(*, use: PartnershipMeasure) -> QuerySet[Target]:
    return Target.objects.filter(partnership_measure=use).order_by("date")


def target_of(*, partnership: Partnership, measure: Measure, target_id: UUID) -> Target | None:
    return (
        Target.objects.filter(
            pk=target_id,
            partnership_measure__partnership=partnership,
            partnership_measure__measure=measure,
        )
        .select_related("partnership_measure")
        .first()
    )


def entered_observations(*, partnership: Partnership, measure: Measure) -> QuerySet[Observation]:
    return (
        Observation.objects.filter(
            partnership=partnership, measure=measure, source=Observation.Source.ENTERED
        )
        .select_related("geography")
        .order_by("-period_start", "-period_end")
    )


# ---------------------------------------------------------------- plan areas and actions


def _area_model() -> Any:
    return MeasureEvidence._meta.get_field("area").related_model


def _action_model() -> Any:
    return MeasureEvidence._meta.get_field("action").related_model


@dataclass(frozen=True)
class EvidenceArea:
    area: Any
    actions: list[Any]


@dataclass(frozen=True)
class EvidencePlan:
    plan: Any
    areas: list[EvidenceArea]


def evidence_choices(*, partnership: Partnership) -> list[EvidencePlan]:
    """Every plan of the partnership, its areas, and each area's actions, in plan order."""
    areas = list(
        _area_model()
        .objects.filter(plan__partnership=partnership)
        .select_related("plan")
        .order_by("plan__title", "plan_id", "position")
    )
    actions: dict[Any, list[Any]] = {}
    for action in (
        _action_model()
        .objects.filter(plan__partnership=partnership)
        .only("pk", "how", "position", "area_id", "plan_id")
        .order_by("position")
    ):
        actions.setdefault(action.area_id, []).append(action)
    plans: dict[Any, EvidencePlan] = {}
    for area in areas:
        plan = plans.setdefault(area.plan_id, EvidencePlan(area.plan, []))
        plan.areas.append(EvidenceArea(area, actions.get(area.pk, [])))
    return list(plans.values())


def evidence_targets(
    *, partnership: Partnership, area_ids: list[Any], action_ids: list[Any]
) -> tuple[list[Any], list[Any]]:
    """The partnership's areas and actions with these keys (others' are left out)."""
    areas = list(
        _area_model()
        .objects.filter(plan__partnership=partnership, pk__in=area_ids)
        .select_related("plan")
    )
    actions = list(
        _action_model()
        .objects.filter(plan__partnership=partnership, pk__in=action_ids)
        .select_related("plan")
    )
    return areas, actions


def evidence_of(*, use: PartnershipMeasure) -> list[MeasureEvidence]:
    return list(
        MeasureEvidence.objects.filter(partnership_measure=use)
        .select_related("area", "area__plan", "action", "action__plan", "action__area")
        .order_by("created_at")
    )


# ---------------------------------------------------------------- statistical neighbours


def comparator_areas_of(*, partnership: Partnership) -> list[Geography]:
    """The partnership's statistical neighbours, closest first."""
    return [
        row.geography
        for row in ComparatorArea.objects.filter(partnership=partnership)
        .select_related("geography")
        .order_by("rank", "geography__name")
    ]


@dataclass(frozen=True)
class Region:
    name: str
    code: str
    authorities: list[Geography]


def local_authorities_by_region() -> list[Region]:
    """Every local authority the published statistics name, by region (then name)."""
    regions: dict[str, Region] = {}
    for la in Geography.objects.filter(level=Geography.Level.LOCAL_AUTHORITY).select_related(
        "parent", "parent__parent"
    ):
        parent = la.parent
        # Inner and Outer London sit under London (ADR 0013): one London group.
        if parent is not None and parent.code in LONDON_SUB_REGIONS and parent.parent:
            parent = parent.parent
        key = parent.code if parent else ""
        region = regions.setdefault(key, Region(parent.name if parent else "No region", key, []))
        region.authorities.append(la)
    for region in regions.values():
        region.authorities.sort(key=lambda g: (g.name, g.code))
    return sorted(regions.values(), key=lambda r: (r.code == "", r.name))


def local_authorities_for_code(code: str) -> list[Geography]:
    """Geographies a typed code names (a new code, or an old LA number: latest first)."""
    return geographies_for_code(code)


# ---------------------------------------------------------------- uploads


def statistics_uploads_of(*, partnership: Partnership) -> QuerySet[StatisticsUpload]:
    return (
        StatisticsUpload.objects.filter(partnership=partnership)
        .defer("content")
        .select_related("created_by")
        .order_by("-created_at")
    )


def statistics_upload_of(*, partnership: Partnership, upload_id: UUID) -> StatisticsUpload | None:
    return statistics_uploads_of(partnership=partnership).filter(pk=upload_id).first()


@dataclass(frozen=True)
class MappingChoice:
    name: str
    title: str
    file: str
    measures: list[str]


def mapping_choices() -> list[MappingChoice]:
    """The shipped mappings, each with the file it reads and the measures it makes."""
    found = []
    for name in shipped_mappings():
        mapping = load_mapping(name)
        found.append(
            MappingChoice(name, mapping.title, mapping.file, [m.code for m in mapping.measures])
        )
    return found
