"""Reads for the measures pages: the dashboards (the partnership's, a plan's, a priority's)
and a measure's page.

Scoping (STYLE.md): a partnership reads published and computed measures and observations
(no partnership: open data) and its own; a plan or priority is found only within the
partnership (`PlanNotFound` otherwise); another partnership's local measure does not exist
for it (`selectors.MeasureNotFound`).

What a measure says (latest figure, target in force, trend, SPC, the sentence) is read from
`inclusion.measures.evidence` (one place for each rule); this module adds what only the
pages need: England, the region and the statistical neighbours beside the partnership's
own figures, every local authority for a funnel plot, the breakdowns, the plan links.

Speed (issue #3's benchmark: 200 measures with 10 years of monthly figures for 150 areas, a
dashboard under 300 ms): a dashboard reads the partnership's own series in one query
(`evidence.measure_statuses`) and the latest England and regional values in two (the last
period per measure and area, then those rows), never another area's series; rows are read
with `values_list`, not as model instances. A measure's page reads more, for one measure:
the compared areas' series and every local authority's latest period.

Measures knows no plans code (ARCHITECTURE.md): plan, priority, area and action titles come
through ORM lookups on the partnership's reverse relations and the string foreign keys of
`MeasureEvidence` (`plans__title`, `action__area__title`).
"""

from __future__ import annotations

import datetime as dt
import functools
import statistics
import uuid
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Max, Q, QuerySet

from inclusion.accounts.models import Partnership
from inclusion.measures import evidence
from inclusion.measures.areas import ENGLAND
from inclusion.measures.models import (
    ComparatorArea,
    Geography,
    Measure,
    MeasureEvidence,
    Observation,
    PartnershipMeasure,
    Target,
    Unit,
)
from inclusion.measures.periods import Period
from inclusion.measures.selectors import measure_by_code

# (breakdown topic, breakdown group) of the whole population.
WHOLE: tuple[str, str] = ("", "")


class PlanNotFound(LookupError):
    """No such plan (or priority) in the partnership: the page answers 404."""


# ---------------------------------------------------------------------------------------------
# The places a partnership compares itself with
# ---------------------------------------------------------------------------------------------


class Role:
    OWN = "own"
    ENGLAND = "england"
    REGION = "region"
    NEIGHBOUR = "neighbour"


@dataclass(frozen=True)
class Place:
    id: uuid.UUID
    code: str
    name: str
    role: str  # Role
    rank: int = 0  # a neighbour's rank, 1 the closest


@dataclass(frozen=True)
class Places:
    """The partnership's local authority, England, its region and its statistical neighbours
    (chosen by an admin as `ComparatorArea`s); any may be missing before data is imported."""

    own: Place | None
    england: Place | None
    region: Place | None
    neighbours: tuple[Place, ...] = ()

    @property
    def compared(self) -> tuple[Place, ...]:
        """Own first, then England, the region and the neighbours by rank."""
        first = tuple(p for p in (self.own, self.england, self.region) if p is not None)
        return first + self.neighbours

    @property
    def ids(self) -> list[uuid.UUID]:
        return [p.id for p in self.compared]


def comparison_places(*, partnership: Partnership) -> Places:
    """Three queries: the partnership's geography (as `evidence.partnership_geography` finds
    it, creating nothing), England and the region together, the neighbours."""
    own_geography = evidence.partnership_geography(partnership)
    own = None
    wanted = Q(code=ENGLAND)
    if own_geography is not None:
        own = Place(own_geography.pk, own_geography.code, own_geography.name, Role.OWN)
        if own_geography.parent_id:
            wanted |= Q(pk=own_geography.parent_id, level=Geography.Level.REGIONAL)
    england = region = None
    for pk, code, name in Geography.objects.filter(wanted).values_list("id", "code", "name"):
        if code == ENGLAND:
            england = Place(pk, code, name, Role.ENGLAND)
        else:
            region = Place(pk, code, name, Role.REGION)
    neighbours = tuple(
        Place(pk, code, name, Role.NEIGHBOUR, rank)
        for pk, code, name, rank in ComparatorArea.objects.filter(partnership=partnership)
        .exclude(geography_id=own.id if own else None)
        .order_by("rank", "geography__name")
        .values_list("geography_id", "geography__code", "geography__name", "rank")
    )
    return Places(own=own, england=england, region=region, neighbours=neighbours)


# ---------------------------------------------------------------------------------------------
# Observations as the pages read them
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Figure:
    """One stored observation as a page shows it (suppressed: no value, its code kept)."""

    measure_id: uuid.UUID
    geography_id: uuid.UUID
    period: Period
    value: Decimal | None
    numerator: Decimal | None
    denominator: Decimal | None
    status: str  # ValueStatus
    code: str  # the symbol published instead of a value ("c", "x"), if any
    source: str  # Observation.Source
    partnership_id: uuid.UUID | None  # None: published statistics

    @property
    def period_key(self) -> tuple[str, dt.date, dt.date]:
        return (self.period.type, self.period.start, self.period.end)


_FIGURE_COLUMNS = (
    "measure_id",
    "geography_id",
    "period_type",
    "period_start",
    "period_end",
    "period_label",
    "value",
    "numerator",
    "denominator",
    "status",
    "value_code",
    "source",
    "partnership_id",
)


def _figure(row: Sequence[Any]) -> Figure:
    (
        measure_id,
        geography_id,
        ptype,
        start,
        end,
        label,
        value,
        num,
        den,
        status,
        code,
        source,
        owner,
    ) = row
    return Figure(
        measure_id=measure_id,
        geography_id=geography_id,
        period=Period(start, end, ptype, label),
        value=value,
        numerator=num,
        denominator=den,
        status=status,
        code=code,
        source=source,
        partnership_id=owner,
    )


def _breakdown_q(breakdown: tuple[str, str]) -> Q:
    return Q(breakdown_topic=breakdown[0], breakdown=breakdown[1])


def _visible_observations(partnership: Partnership) -> QuerySet[Observation]:
    return Observation.objects.filter(Q(partnership__isnull=True) | Q(partnership=partnership))


def latest_figures(
    *,
    measure_ids: Iterable[uuid.UUID],
    geography_ids: Iterable[uuid.UUID],
    breakdown: tuple[str, str] = WHOLE,
) -> dict[tuple[uuid.UUID, uuid.UUID], Figure]:
    """The latest published figure of each measure for each geography (England, a region),
    by (measure id, geography id), in two queries that read no series: the last period end
    per pair (an aggregate over the published-observation index), then the rows ending on
    one of those days, kept when they are their pair's last. A figure may be a code."""
    measure_ids, geography_ids = list(measure_ids), list(geography_ids)
    if not measure_ids or not geography_ids:
        return {}
    published = Observation.objects.filter(
        _breakdown_q(breakdown),
        partnership__isnull=True,
        measure_id__in=measure_ids,
        geography_id__in=geography_ids,
    )
    last = {
        (row["measure_id"], row["geography_id"]): row["last"]
        for row in published.values("measure_id", "geography_id")
        .annotate(last=Max("period_end"))
        .order_by()
    }
    if not last:
        return {}
    found: dict[tuple[uuid.UUID, uuid.UUID], Figure] = {}
    rows = (
        published.filter(period_end__in=set(last.values()))
        .values_list(*_FIGURE_COLUMNS)
        .order_by("period_start")
    )
    for row in rows:
        figure = _figure(row)
        key = (figure.measure_id, figure.geography_id)
        # Two period types ending on one day (a year and its last quarter): the longer wins.
        if last.get(key) == figure.period.end and key not in found:
            found[key] = figure
    return found


def figures_at(
    *,
    periods: dict[uuid.UUID, Period],
    geography_ids: Iterable[uuid.UUID],
    breakdown: tuple[str, str] = WHOLE,
) -> dict[tuple[uuid.UUID, uuid.UUID], Figure]:
    """The published figure of each measure for the period given for it (the partnership's
    latest), for each geography, by (measure id, geography id): one query that seeks the
    published-observation index by measure, geography, period type, start and end."""
    geography_ids = list(geography_ids)
    if not periods or not geography_ids:
        return {}
    rows = Observation.objects.filter(
        _breakdown_q(breakdown),
        partnership__isnull=True,
        measure_id__in=list(periods),
        geography_id__in=geography_ids,
        period_type__in={p.type for p in periods.values()},
        period_start__in={p.start for p in periods.values()},
        period_end__in={p.end for p in periods.values()},
    ).values_list(*_FIGURE_COLUMNS)
    found = {}
    for row in rows:
        figure = _figure(row)
        wanted = periods[figure.measure_id]
        if figure.period_key == (wanted.type, wanted.start, wanted.end):
            found[(figure.measure_id, figure.geography_id)] = figure
    return found


def figures_for(
    *,
    partnership: Partnership,
    measure: Measure,
    geography_ids: Iterable[uuid.UUID],
    breakdown: tuple[str, str] = WHOLE,
) -> list[Figure]:
    """Every visible observation of one measure for the given geographies and breakdown, in
    time order (published and the partnership's own: a period may have both)."""
    ids = list(geography_ids)
    if not ids:
        return []
    rows = (
        _visible_observations(partnership)
        .filter(_breakdown_q(breakdown), measure=measure, geography_id__in=ids)
        .values_list(*_FIGURE_COLUMNS)
        .order_by("period_end", "period_start", "source")
    )
    return [_figure(row) for row in rows]


def breakdowns_of(
    *, partnership: Partnership, measure: Measure, geography_ids: Iterable[uuid.UUID]
) -> list[tuple[str, str]]:
    """The breakdowns (topic, group) the measure has for the compared areas, by topic."""
    ids = list(geography_ids)
    if not ids:
        return []
    return list(
        _visible_observations(partnership)
        .filter(measure=measure, geography_id__in=ids)
        .exclude(breakdown_topic="", breakdown="")
        .values_list("breakdown_topic", "breakdown")
        .distinct()
        .order_by("breakdown_topic", "breakdown")
    )


def by_period(figures: Iterable[Figure]) -> dict[tuple[str, dt.date, dt.date], Figure]:
    """One figure per period: published before the partnership's own, a number before a
    code (as `evidence` reads a series, ADR 0013), for one measure and geography."""
    chosen: dict[tuple[str, dt.date, dt.date], Figure] = {}
    for figure in figures:
        held = chosen.get(figure.period_key)
        if held is None or _rank(figure) < _rank(held):
            chosen[figure.period_key] = figure
    return chosen


def _rank(figure: Figure) -> tuple[int, int]:
    return (0 if figure.value is not None else 1, 0 if figure.partnership_id is None else 1)


@dataclass(frozen=True)
class Average:
    """The neighbours' unweighted mean for one period: each council counts once, so one
    large council does not stand for the group."""

    value: float
    count: int  # neighbours with a figure for the period
    of: int  # neighbours chosen


def neighbour_average(
    figures: Iterable[Figure], neighbours: Sequence[Place]
) -> dict[tuple[str, dt.date, dt.date], Average]:
    """By period: the mean of the neighbours' figures (a suppressed one is left out, and the
    count says so), for periods where at least one neighbour has a number."""
    ids = {n.id for n in neighbours}
    values: dict[tuple[str, dt.date, dt.date], list[float]] = defaultdict(list)
    per_area: dict[uuid.UUID, list[Figure]] = defaultdict(list)
    for figure in figures:
        if figure.geography_id in ids:
            per_area[figure.geography_id].append(figure)
    for area_figures in per_area.values():
        for key, figure in by_period(area_figures).items():
            if figure.value is not None:
                values[key].append(float(figure.value))
    return {
        key: Average(statistics.fmean(found), len(found), len(ids))
        for key, found in values.items()
        if found
    }


# ---------------------------------------------------------------------------------------------
# Dashboards
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class MeasureSummary:
    """One row of a dashboard: a measure the partnership uses, what it says, and England's
    and the region's figures beside it, for the same period when they have it."""

    use: PartnershipMeasure
    status: evidence.MeasureStatus
    england: Figure | None
    region: Figure | None

    @property
    def measure(self) -> Measure:
        return self.use.measure


@dataclass(frozen=True)
class SharedMeasure:
    code: str
    title: str
    kind: str


@dataclass(frozen=True)
class Dashboard:
    places: Places
    rows: list[MeasureSummary]
    # Published and computed measures the partnership does not use yet.
    unused: list[SharedMeasure]


def _uses(
    partnership: Partnership, ids: Iterable[uuid.UUID] | None = None
) -> list[PartnershipMeasure]:
    query = PartnershipMeasure.objects.filter(partnership=partnership)
    if ids is not None:
        query = query.filter(pk__in=list(ids))
    return list(
        query.select_related("measure").prefetch_related("targets").order_by("measure__title")
    )


def measure_summaries(
    *,
    partnership: Partnership,
    uses: Sequence[PartnershipMeasure],
    places: Places,
    today: dt.date | None = None,
) -> list[MeasureSummary]:
    """A row per measure, in a fixed number of queries whatever the number of measures."""
    if not uses:
        return []
    statuses = evidence.measure_statuses(
        partnership=partnership, partnership_measures=uses, today=today
    )
    comparators = [p.id for p in (places.england, places.region) if p is not None]
    # England and the region for the period of the partnership's latest figure (like with
    # like); their own latest where they have no figure for it, or the partnership none.
    periods: dict[uuid.UUID, Period] = {}
    for use in uses:
        if (period := statuses[use.pk].latest_period) is not None:
            periods[use.measure_id] = period
    latest = figures_at(periods=periods, geography_ids=comparators)
    missing = {
        use.measure_id
        for use in uses
        for place_id in comparators
        if (use.measure_id, place_id) not in latest
    }
    if missing:
        latest |= {
            key: figure
            for key, figure in latest_figures(
                measure_ids=missing, geography_ids=comparators
            ).items()
            if key not in latest
        }
    return [
        MeasureSummary(
            use=use,
            status=statuses[use.pk],
            england=latest.get((use.measure_id, places.england.id)) if places.england else None,
            region=latest.get((use.measure_id, places.region.id)) if places.region else None,
        )
        for use in uses
    ]


def dashboard(*, partnership: Partnership, today: dt.date | None = None) -> Dashboard:
    """The partnership's measures, and the shared ones it could use."""
    places = comparison_places(partnership=partnership)
    rows = measure_summaries(
        partnership=partnership, uses=_uses(partnership), places=places, today=today
    )
    unused = [
        SharedMeasure(code, title, kind)
        for code, title, kind in Measure.objects.filter(partnership__isnull=True)
        .exclude(uses__partnership=partnership)
        .order_by("title")
        .values_list("code", "title", "kind")
    ]
    return Dashboard(places=places, rows=rows, unused=unused)


@dataclass(frozen=True)
class PlanRef:
    id: uuid.UUID
    title: str
    slug: str


@dataclass(frozen=True)
class PriorityRef:
    id: uuid.UUID
    title: str


def plan_of_partnership(*, partnership: Partnership, plan_id: uuid.UUID) -> PlanRef:
    """The plan, if it is the partnership's (found through the partnership's own plans)."""
    row = (
        Partnership.objects.filter(pk=partnership.pk, plans__id=plan_id)
        .values_list("plans__id", "plans__title", "plans__slug")
        .order_by()
        .first()
    )
    if row is None:
        raise PlanNotFound("No such plan")
    return PlanRef(*row)


def priorities_of_plan(*, partnership: Partnership, plan_id: uuid.UUID) -> list[PriorityRef]:
    return [
        PriorityRef(pk, title)
        for pk, title in Partnership.objects.filter(
            pk=partnership.pk, plans__id=plan_id, plans__priorities__isnull=False
        )
        .values_list("plans__priorities__id", "plans__priorities__title")
        .order_by("plans__priorities__position", "plans__priorities__title")
    ]


@dataclass(frozen=True)
class ActionRef:
    id: uuid.UUID
    how: str


@dataclass(frozen=True)
class LinkedMeasure:
    """A measure in an area's group: linked to the area itself, or to some of its actions."""

    summary: MeasureSummary
    area_linked: bool
    actions: tuple[ActionRef, ...]


@dataclass(frozen=True)
class AreaGroup:
    id: uuid.UUID
    title: str
    rows: list[LinkedMeasure]


@dataclass(frozen=True)
class PlanDashboard:
    plan: PlanRef
    priority: PriorityRef | None
    priorities: list[PriorityRef]  # of the plan, for links to their dashboards
    places: Places
    groups: list[AreaGroup]

    @property
    def measure_count(self) -> int:
        return len({row.summary.use.pk for group in self.groups for row in group.rows})


def plan_dashboard(
    *,
    partnership: Partnership,
    plan_id: uuid.UUID,
    priority_id: uuid.UUID | None = None,
    today: dt.date | None = None,
) -> PlanDashboard:
    """The measures linked to the plan's (or one priority's) areas and actions, grouped by
    area in the plan's order; PlanNotFound when the plan or priority is not the partnership's."""
    plan = plan_of_partnership(partnership=partnership, plan_id=plan_id)
    priorities = priorities_of_plan(partnership=partnership, plan_id=plan_id)
    priority = None
    if priority_id is not None:
        priority = next((p for p in priorities if p.id == priority_id), None)
        if priority is None:
            raise PlanNotFound("No such priority in this plan")

    links = MeasureEvidence.objects.filter(partnership_measure__partnership=partnership)
    if priority is not None:
        links = links.filter(
            Q(area__plan_id=plan.id, area__priority_id=priority.id)
            | Q(action__plan_id=plan.id, action__area__priority_id=priority.id)
        )
    else:
        links = links.filter(Q(area__plan_id=plan.id) | Q(action__plan_id=plan.id))
    # (use, area id, area title, area position, action id, action text, action position)
    found: list[tuple[uuid.UUID, uuid.UUID, str, int, uuid.UUID | None, str, int]] = []
    for (
        use_id,
        area_id,
        area_title,
        area_pos,
        action_id,
        how,
        action_pos,
        a_area,
        a_title,
        a_pos,
    ) in links.values_list(
        "partnership_measure_id",
        "area_id",
        "area__title",
        "area__position",
        "action_id",
        "action__how",
        "action__position",
        "action__area_id",
        "action__area__title",
        "action__area__position",
    ):
        if action_id is None:
            found.append((use_id, area_id, area_title, area_pos, None, "", 0))
        else:
            found.append((use_id, a_area, a_title, a_pos, action_id, how, action_pos))

    places = comparison_places(partnership=partnership)
    uses = _uses(partnership, {f[0] for f in found})
    summaries = {
        s.use.pk: s
        for s in measure_summaries(partnership=partnership, uses=uses, places=places, today=today)
    }
    areas: dict[uuid.UUID, tuple[int, str]] = {}
    area_links: dict[tuple[uuid.UUID, uuid.UUID], list[tuple[int, ActionRef | None]]] = defaultdict(
        list
    )
    for use_id, area_id, area_title, area_pos, action_id, how, action_pos in found:
        areas[area_id] = (area_pos, area_title)
        ref = ActionRef(action_id, how) if action_id is not None else None
        area_links[(area_id, use_id)].append((action_pos, ref))
    groups = []
    for area_id, (_, title) in sorted(areas.items(), key=lambda item: item[1]):
        rows = []
        for use in uses:
            entries = area_links.get((area_id, use.pk))
            if not entries:
                continue
            actions = tuple(ref for _, ref in sorted(entries, key=lambda e: e[0]) if ref)
            rows.append(
                LinkedMeasure(
                    summary=summaries[use.pk],
                    area_linked=any(ref is None for _, ref in entries),
                    actions=actions,
                )
            )
        groups.append(AreaGroup(area_id, title, rows))
    return PlanDashboard(
        plan=plan, priority=priority, priorities=priorities, places=places, groups=groups
    )


# ---------------------------------------------------------------------------------------------
# A measure's page
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class EvidenceLink:
    """A plan area or action the measure evidences, with what its page links need."""

    plan_title: str
    plan_slug: str
    area_id: uuid.UUID
    area_title: str
    action_id: uuid.UUID | None = None
    action_how: str = ""


@dataclass(frozen=True)
class FunnelUnit:
    code: str
    name: str
    numerator: int
    denominator: int


@dataclass(frozen=True)
class FunnelData:
    """Every local authority's numerator and denominator for the latest period they share."""

    period: Period
    units: list[FunnelUnit]
    left_out: int  # local authorities with no whole numbers for the period (suppressed)


@dataclass
class MeasurePage:
    measure: Measure
    use: PartnershipMeasure | None  # None: the partnership does not use this measure
    targets: list[Target]
    status: evidence.MeasureStatus
    places: Places
    breakdown: tuple[str, str]
    breakdowns: list[tuple[str, str]]
    # Observations of the compared areas (own, England, region, neighbours) for the breakdown.
    figures: list[Figure]
    funnel: FunnelData | None
    links: list[EvidenceLink] = field(default_factory=list)

    def figures_of(self, place: Place | None) -> list[Figure]:
        if place is None:
            return []
        return self._by_place.get(place.id, [])

    @functools.cached_property
    def _by_place(self) -> dict[uuid.UUID, list[Figure]]:
        grouped: dict[uuid.UUID, list[Figure]] = defaultdict(list)
        for figure in self.figures:
            grouped[figure.geography_id].append(figure)
        return grouped

    @functools.cached_property
    def periods(self) -> dict[tuple[str, dt.date, dt.date], Period]:
        """Every period the figures cover, by its key."""
        return {f.period_key: f.period for f in self.figures}

    @functools.cached_property
    def neighbour_averages(self) -> dict[tuple[str, dt.date, dt.date], Average]:
        return neighbour_average(self.figures, self.places.neighbours)


def measure_for_partnership(*, partnership: Partnership, code: str) -> Measure:
    """A published or computed measure, or the partnership's own (MeasureNotFound else)."""
    return measure_by_code(code=code, partnership=partnership)


def funnel_data(*, measure: Measure, breakdown: tuple[str, str] = WHOLE) -> FunnelData | None:
    """For a percentage with published numerators and denominators: every local authority's
    figures for the latest period any has them (two queries); None otherwise."""
    if measure.unit != Unit.PERCENTAGE:
        return None
    councils = Observation.objects.filter(
        _breakdown_q(breakdown),
        partnership__isnull=True,
        measure=measure,
        geography__level=Geography.Level.LOCAL_AUTHORITY,
    )
    last = councils.filter(numerator__isnull=False, denominator__isnull=False).aggregate(
        last=Max("period_end")
    )["last"]
    if last is None:
        return None
    rows = list(
        councils.filter(period_end=last)
        .values_list(
            "geography__code",
            "geography__name",
            "numerator",
            "denominator",
            "period_type",
            "period_start",
            "period_end",
            "period_label",
        )
        .order_by("-period_start", "geography__name")
    )
    period = Period(rows[0][5], rows[0][6], rows[0][4], rows[0][7])
    units, left_out = [], 0
    for code, name, num, den, ptype, start, _end, _label in rows:
        if (ptype, start) != (period.type, period.start):
            continue
        if _whole(num) and _whole(den) and 0 <= num <= den:
            units.append(FunnelUnit(code, name, int(num), int(den)))
        else:
            left_out += 1
    if not any(u.denominator for u in units):
        return None
    return FunnelData(period=period, units=units, left_out=left_out)


def _whole(number: Decimal | None) -> bool:
    return number is not None and number == number.to_integral_value()


def evidence_links(*, partnership_measure: PartnershipMeasure) -> list[EvidenceLink]:
    """The areas and actions the measure evidences, in plan and area order."""
    rows = MeasureEvidence.objects.filter(partnership_measure=partnership_measure).values_list(
        "area_id",
        "area__title",
        "area__position",
        "area__plan__title",
        "area__plan__slug",
        "action_id",
        "action__how",
        "action__position",
        "action__area_id",
        "action__area__title",
        "action__area__position",
        "action__plan__title",
        "action__plan__slug",
    )
    links = []
    for (area_id, area_title, area_pos, plan_title, plan_slug, action_id, how, action_pos,
         a_area, a_area_title, a_area_pos, a_plan_title, a_plan_slug) in rows:  # fmt: skip
        if action_id is None:
            links.append(
                (
                    (plan_title, area_pos, -1),
                    EvidenceLink(plan_title, plan_slug, area_id, area_title),
                )
            )
        else:
            links.append(
                (
                    (a_plan_title, a_area_pos, action_pos),
                    EvidenceLink(a_plan_title, a_plan_slug, a_area, a_area_title, action_id, how),
                )
            )
    return [link for _, link in sorted(links, key=lambda item: item[0])]


def measure_page(
    *,
    partnership: Partnership,
    measure: Measure,
    breakdown: tuple[str, str] = WHOLE,
    today: dt.date | None = None,
) -> MeasurePage:
    """Everything a measure's page shows for the partnership, in about a dozen queries."""
    use = (
        PartnershipMeasure.objects.filter(partnership=partnership, measure=measure)
        .select_related("measure", "partnership")
        .prefetch_related("targets")
        .first()
    )
    if use is not None:
        status = evidence.measure_status(partnership_measure=use, today=today)
        targets = sorted(use.targets.all(), key=lambda t: t.date)
    else:
        # Not used: read what the figures say with no target, through the same rule. The
        # use is never saved; it only carries the partnership and the measure.
        transient = PartnershipMeasure(partnership=partnership, measure=measure)
        status = evidence.measure_statuses(
            partnership=partnership, partnership_measures=[transient], today=today
        )[transient.pk]
        targets = []
    places = comparison_places(partnership=partnership)
    breakdowns = breakdowns_of(partnership=partnership, measure=measure, geography_ids=places.ids)
    if breakdown != WHOLE and breakdown not in breakdowns:
        breakdown = WHOLE
    return MeasurePage(
        measure=measure,
        use=use,
        targets=targets,
        status=status,
        places=places,
        breakdown=breakdown,
        breakdowns=breakdowns,
        figures=figures_for(
            partnership=partnership,
            measure=measure,
            geography_ids=places.ids,
            breakdown=breakdown,
        ),
        funnel=funnel_data(measure=measure, breakdown=breakdown),
        links=evidence_links(partnership_measure=use) if use is not None else [],
    )
