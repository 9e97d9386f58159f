"""What a partnership's measures say: the latest figure against its target, the trend and the
SPC reading, and the RAG rating that evidence alone would suggest.

Issue #3: "each action shows what its linked measures say (against target, trend, SPC
assurance) ... The human rating stays the rating of record". The rule that turns a measure's
status into a suggested rating is `_suggest` below, written once and explained in
docs/adr/0015-evidence-against-rag.md. The measure pages and dashboards (`measure_status`,
`measure_statuses`) and the plans pages and board report (through `inclusion.core.evidence`,
fed by `MeasureEvidenceProvider`) all read it from here.

Which figures: the partnership's own local authority, the whole population (no breakdown),
published observations of that geography and the partnership's own entered or computed ones.
When a period has both, the published figure is the one of record (a partnership enters a
provisional local figure before DfE publishes; ADR 0013), unless it is suppressed and the
partnership's own is a number.
"""

from __future__ import annotations

import datetime as dt
import gc
import threading
from collections import OrderedDict
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, NamedTuple
from uuid import UUID

from django.db.models import (
    Case,
    Count,
    FloatField,
    IntegerField,
    Max,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Cast
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from inclusion.accounts.models import Partnership
from inclusion.core.evidence import AMBER, GREEN, RED, EvidenceLine
from inclusion.measures import spc
from inclusion.measures.areas import partnership_geography
from inclusion.measures.models import (
    Geography,
    MeasureEvidence,
    Observation,
    PartnershipMeasure,
    Target,
    Unit,
    ValueStatus,
)
from inclusion.measures.periods import Period
from inclusion.reporting.charts import format_value

# How each unit reads after a number (charts.format_value puts a space before words).
UNIT_SUFFIX = {
    Unit.PERCENTAGE: "%",
    Unit.COUNT: "",
    Unit.DAYS: "days",
    Unit.WEEKS: "weeks",
    Unit.RATE_PER_10000: "per 10,000",
}
_SINGULAR = {"days": "day", "weeks": "week"}


def format_measure_value(value: float | Decimal | None, unit: str) -> str:
    """`40.3%`, `1,234`, `12.5 days`, `1 week`, `31.2 per 10,000` ("" for no value)."""
    if value is None:
        return ""
    # Half up, as published statistics round (40.25 -> 40.3), not float's half to even.
    number = float(Decimal(str(value)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))
    suffix = UNIT_SUFFIX.get(unit, "")
    if suffix in _SINGULAR and number == 1:
        suffix = _SINGULAR[suffix]
    return format_value(number, suffix)


def format_date(day: dt.date) -> str:
    """GOV.UK style: 31 March 2026."""
    return f"{day.day} {day:%B %Y}"


class SeriesPoint(NamedTuple):
    """One period of the series: its value, or None with the status saying why.

    A tuple, not a dataclass: a dashboard reads 24,000 of them (200 measures x 120 months)
    and a frozen dataclass costs several times more to make. `period` is made on demand."""

    start: dt.date
    end: dt.date
    type: str  # PeriodType
    label: str  # as published
    value: float | None
    status: str  # ValueStatus
    source: str  # Observation.Source

    @property
    def period(self) -> Period:
        return Period(self.start, self.end, self.type, self.label)

    @property
    def status_text(self) -> str:
        return ValueStatus(self.status).label if self.status in ValueStatus.values else self.status


@dataclass(frozen=True)
class MeasureStatus:
    """Everything the evidence rule reads about one measure of one partnership, and its verdict."""

    partnership_measure_id: UUID
    code: str
    title: str
    unit: str  # Unit
    polarity: str  # Polarity
    geography_code: str  # the partnership's LA ("" when no geography is known)
    geography_name: str
    points: tuple[SeriesPoint, ...]  # in time order, suppressed periods as None
    latest_value: float | None
    latest_period: Period | None
    latest: str  # "40.3% (2024)"
    # Periods after the latest figure with no number (suppressed, not yet available).
    missing_after_latest: tuple[SeriesPoint, ...]
    target_value: float | None
    target_date: dt.date | None
    target: str  # "60% by 31 March 2026"
    meets_target: bool | None  # None: no figure, no target, or no better direction
    trend_direction: str  # "rising" | "falling" | "level" | "" (fewer than 2 figures)
    trend_periods: int  # consecutive steps that way at the end of the series
    trend: str  # "falling for 3 periods"
    improving: bool | None  # None when the measure has no better direction or no trend
    spc: spc.XmRResult | None  # None below spc.MIN_POINTS figures
    spc_points: int  # figures in the series (what SPC would have to work with)
    spc_text: str  # the variation in words, or why there is none
    assurance_text: str
    suggested_rag: str  # "red" | "amber" | "green" | ""
    rag_reason: str  # why that rating, or why none
    sentence: str  # what a board member reads (the title is not in it)

    @property
    def has_data(self) -> bool:
        return self.latest_value is not None

    def evidence_line(self, url: str = "") -> EvidenceLine:
        return EvidenceLine(
            code=self.code,
            title=self.title,
            sentence=self.sentence,
            suggested_rag=self.suggested_rag,
            url=url,
            latest=self.latest,
            target=self.target,
        )


# ---------------------------------------------------------------------------------------------
# Reading the figures
# ---------------------------------------------------------------------------------------------

# Each observation as read for a series: its period first, so that plain tuple order is
# period order with published (own = 0) before the partnership's own (own = 1); then the
# label, the value as a float (no Decimal made per row), its status and source. Sorted in
# Python, per measure: the database's sort of every row was a third of the read.
_OWN = Case(
    When(partnership__isnull=True, then=Value(0)), default=Value(1), output_field=IntegerField()
)
_COLUMNS = (
    "period_end",
    "period_start",
    "period_type",
    "own",
    "period_label",
    "number",
    "status",
    "source",
)


def _rows(partnership: Partnership, geography: Geography, measure_ids: list[Any]) -> QuerySet:
    return (
        Observation.objects.filter(
            Q(partnership__isnull=True) | Q(partnership=partnership),
            measure_id__in=measure_ids,
            geography=geography,
            breakdown_topic="",
            breakdown="",
        )
        .annotate(own=_OWN, number=Cast("value", FloatField()))
        .order_by()
    )


@contextmanager
def _gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while a series of many small objects is built.

    They hold no reference cycles, so nothing is lost; in a large process each collection
    the allocations trigger walks every tracked object, which was over a third of the time
    for 200 measures x 120 months. Reference counting still frees everything as usual."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _series(rows: Iterable[Sequence[Any]]) -> tuple[SeriesPoint, ...]:
    """One point per period from rows in `_COLUMNS` layout (one measure, one geography): a
    number beats a code, then the published figure beats the partnership's own. Periods of
    another type than the latest period's are left out (a monthly figure and an annual one
    are not one series)."""
    points: list[SeriesPoint] = []
    previous_key: tuple[Any, Any, Any] | None = None
    previous_has_value = False
    # Two rows of one period never tie on (end, start, type, own) (the unique constraints),
    # so tuple order never compares the values after them.
    for end, start, ptype, _own, label, value, status, source in sorted(rows):
        key = (end, start, ptype)
        if key == previous_key:
            # Rows of one period come published first: a later row wins only with a
            # number where the kept one has none.
            if previous_has_value or value is None:
                continue
            points.pop()
        points.append(SeriesPoint(start, end, ptype, label, value, status, source))
        previous_key, previous_has_value = key, value is not None
    if not points:
        return ()
    kind = points[-1].type
    if all(p.type == kind for p in points):
        return tuple(points)
    return tuple(p for p in points if p.type == kind)


def _target_in_force(
    targets: Sequence[Target], latest_end: dt.date | None, today: dt.date
) -> Target | None:
    """The earliest target dated on or after the latest figure's period end (what that figure
    is on the way to), else the latest target. With no figure, the one in force today."""
    if not targets:
        return None
    ordered = sorted(targets, key=lambda t: t.date)
    after = latest_end or today
    return next((t for t in ordered if t.date >= after), ordered[-1])


def _trend(values: Sequence[float]) -> tuple[str, int]:
    """The direction of the last step and how many steps at the end went that way. An equal
    value ends a rise or fall (as the SPC trend rule, ADR 0014)."""
    if len(values) < 2:
        return "", 0
    steps = [(b > a) - (b < a) for a, b in zip(values, values[1:], strict=False)]
    last = steps[-1]
    count = 0
    for step in reversed(steps):
        if step != last:
            break
        count += 1
    return {1: "rising", -1: "falling", 0: "level"}[last], count


def _periods(n: int) -> str:
    return f"{n} period" if n == 1 else f"{n} periods"


def _trend_text(direction: str, count: int) -> str:
    if not direction:
        return ""
    if direction == "level":
        return f"unchanged for {_periods(count)}"
    return f"{direction} for {_periods(count)}"


_CONCERN = {spc.Variation.CONCERN_HIGH, spc.Variation.CONCERN_LOW}
_IMPROVEMENT = {spc.Variation.IMPROVEMENT_HIGH, spc.Variation.IMPROVEMENT_LOW}


def _suggest(
    *,
    has_data: bool,
    polarity: str,
    has_target: bool,
    meets: bool | None,
    improving: bool | None,
    variation: spc.Variation | None,
) -> tuple[str, str]:
    """The evidence rule (ADR 0015): what the figures alone would rate, and why.

    - no figure, no target, or no better direction (a context measure): no rating;
    - meets its target: green, but amber when the latest point is a special-cause concern
      (SPC sees it getting worse beyond its usual variation);
    - misses its target: amber when improving (the last step, or an SPC special cause, in
      the better direction, and no SPC concern), red otherwise.
    """
    if not has_data:
        return "", "no figure yet"
    if polarity == spc.Polarity.NEUTRAL:
        return "", "a context measure: neither higher nor lower is better"
    if not has_target:
        return "", "no target set"
    if meets:
        if variation in _CONCERN:
            return AMBER, "meets its target, but SPC shows a special-cause concern"
        return GREEN, "meets its target"
    if improving:
        return AMBER, "misses its target, but is improving"
    return RED, "misses its target and is not improving"


def _status(
    *,
    partnership_measure: PartnershipMeasure,
    geography: Geography | None,
    points: tuple[SeriesPoint, ...],
    targets: Sequence[Target],
    today: dt.date,
) -> MeasureStatus:
    measure = partnership_measure.measure
    unit, polarity = measure.unit, measure.polarity
    values = [p.value for p in points if p.value is not None]
    latest_index = next(
        (i for i in range(len(points) - 1, -1, -1) if points[i].value is not None), None
    )
    latest_point = points[latest_index] if latest_index is not None else None
    missing = points[latest_index + 1 :] if latest_index is not None else points
    latest_value = latest_point.value if latest_point else None
    latest_period = latest_point.period if latest_point else None
    latest = (
        f"{format_measure_value(latest_value, unit)} ({latest_period.display()})"
        if latest_point and latest_period
        else ""
    )

    target = _target_in_force(targets, latest_period.end if latest_period else None, today)
    target_value = float(target.value) if target else None
    target_text = (
        f"{format_measure_value(target_value, unit)} by {format_date(target.date)}"
        if target
        else ""
    )
    meets: bool | None = None
    if latest_value is not None and target_value is not None:
        if polarity == spc.Polarity.HIGHER:
            meets = latest_value >= target_value
        elif polarity == spc.Polarity.LOWER:
            meets = latest_value <= target_value

    direction, count = _trend(values)
    result: spc.XmRResult | None = None
    if len(values) >= spc.MIN_POINTS:
        result = spc.xmr(
            [p.value for p in points],
            polarity=polarity,
            target=target_value,
            unit=UNIT_SUFFIX.get(unit, ""),
        )
    variation = result.variation if result else None
    better = {spc.Polarity.HIGHER: "rising", spc.Polarity.LOWER: "falling"}.get(polarity)
    improving: bool | None = None
    if better and (direction or variation):
        improving = variation in _IMPROVEMENT or (direction == better and variation not in _CONCERN)
    if result is not None:
        spc_text = result.describe_latest()
        assurance_text = result.assurance_text
    else:
        # Making Data Count's minimum for process limits (spc.MIN_POINTS, ADR 0014).
        spc_text = (
            f"too few figures for process limits ({len(values)} of the {spc.MIN_POINTS} needed)"
        )
        assurance_text = ""

    rag, reason = _suggest(
        has_data=latest_value is not None,
        polarity=polarity,
        has_target=target is not None,
        meets=meets,
        improving=improving,
        variation=variation,
    )
    status = MeasureStatus(
        partnership_measure_id=partnership_measure.pk,
        code=measure.code,
        title=measure.title,
        unit=unit,
        polarity=polarity,
        geography_code=geography.code if geography else "",
        geography_name=geography.name if geography else "",
        points=points,
        latest_value=latest_value,
        latest_period=latest_period,
        latest=latest,
        missing_after_latest=tuple(missing) if latest_point else (),
        target_value=target_value,
        target_date=target.date if target else None,
        target=target_text,
        meets_target=meets,
        trend_direction=direction,
        trend_periods=count,
        trend=_trend_text(direction, count),
        improving=improving,
        spc=result,
        spc_points=len(values),
        spc_text=spc_text,
        assurance_text=assurance_text,
        suggested_rag=rag,
        rag_reason=reason,
        sentence="",
    )
    return _with_sentence(status, points)


def _with_sentence(status: MeasureStatus, points: tuple[SeriesPoint, ...]) -> MeasureStatus:
    """One sentence: the figure, against the target, the trend; SPC when it has limits; any
    later period with no figure (a suppressed value is said, never read as 0)."""
    from dataclasses import replace

    if not status.has_data:
        where = status.geography_name or "this local authority"
        if points:
            last = points[-1]
            text = (
                f"No figure for {where} yet: {last.period.display()} is "
                f"'{last.status_text.lower()}'."
            )
        else:
            text = f"No figure for {where} yet."
        return replace(status, sentence=text)

    parts = [status.latest]
    if status.target:
        shown = format_measure_value(status.target_value, status.unit)
        due = format_date(status.target_date) if status.target_date else ""
        if status.meets_target is None:
            parts.append(f"against a target of {shown} by {due}")
        elif status.meets_target:
            parts.append(f"meeting the target of {shown} by {due}")
        else:
            side = "below" if status.polarity == spc.Polarity.HIGHER else "above"
            parts.append(f"{side} the target of {shown} by {due}")
    else:
        parts.append("no target set")
    text = ", ".join(parts)
    if status.trend:
        text += f" and {status.trend}"
    text += "."
    # SPC in words even without limits, so a reader knows why there is no assurance.
    text += f" SPC: {status.spc_text}."
    if status.assurance_text:
        text += f" {status.assurance_text}."
    if status.missing_after_latest:
        gaps = "; ".join(
            f"{p.period.display()} '{p.status_text.lower()}'" for p in status.missing_after_latest
        )
        text += f" No later figure ({gaps})."
    return replace(status, sentence=text)


def measure_status(
    *,
    partnership_measure: PartnershipMeasure,
    observations: Iterable[Observation] | None = None,
    today: dt.date | None = None,
) -> MeasureStatus:
    """What one measure says for its partnership (see the module docstring for which figures).

    `observations`: the measure's observations when the caller has read them already (a
    measure page reads every geography for its chart); those of other geographies, other
    partnerships and breakdowns are left out here. Without them, one query reads the series.
    """
    today = today or timezone.localdate()
    partnership = partnership_measure.partnership
    geography = partnership_geography(partnership)
    if geography is None:
        points: tuple[SeriesPoint, ...] = ()
    elif observations is None:
        points = _series(
            _rows(partnership, geography, [partnership_measure.measure_id]).values_list(*_COLUMNS)
        )
    else:
        chosen = [
            (
                o.period_end,
                o.period_start,
                o.period_type,
                0 if o.partnership_id is None else 1,
                o.period_label,
                None if o.value is None else float(o.value),
                o.status,
                o.source,
            )
            for o in observations
            if o.geography_id == geography.pk
            and o.measure_id == partnership_measure.measure_id
            and o.partnership_id in (None, partnership.pk)
            and not o.breakdown_topic
            and not o.breakdown
        ]
        points = _series(chosen)
    return _status(
        partnership_measure=partnership_measure,
        geography=geography,
        points=points,
        targets=list(partnership_measure.targets.all()),
        today=today,
    )


def measure_statuses(
    *,
    partnership: Partnership,
    partnership_measures: Iterable[PartnershipMeasure],
    today: dt.date | None = None,
) -> dict[UUID, MeasureStatus]:
    """`measure_status` for many measures of one partnership, by PartnershipMeasure id, in a
    fixed number of queries: the geography, every observation, every target (unless the
    measures came with their targets prefetched, as `selectors.partnership_measures` does)."""
    today = today or timezone.localdate()
    uses = [pm for pm in partnership_measures if pm.partnership_id == partnership.pk]
    if not uses:
        return {}
    geography = partnership_geography(partnership)
    # Grouped by the measure's code, not its id: a UUID made per row was a tenth of the time.
    by_code: dict[str, list[tuple[Any, ...]]] = {pm.measure.code: [] for pm in uses}
    prefetched = all("targets" in getattr(pm, "_prefetched_objects_cache", {}) for pm in uses)
    targets: dict[UUID, list[Target]] = {pm.pk: [] for pm in uses}
    if prefetched:
        for pm in uses:
            targets[pm.pk] = list(pm.targets.all())
    else:
        for target in Target.objects.filter(partnership_measure__in=[pm.pk for pm in uses]):
            targets[target.partnership_measure_id].append(target)
    # Statuses already worked out for the same figures, targets and day are taken from the
    # process's cache (see `_StatusCache`): only the measures whose data changed are read.
    versions = _versions(partnership, geography, [pm.measure_id for pm in uses])
    keys = {
        pm.pk: _cache_key(pm, geography, targets[pm.pk], versions.get(pm.measure_id), today)
        for pm in uses
    }
    found = {pm.pk: status for pm in uses if (status := _CACHE.get(keys[pm.pk])) is not None}
    missing = [pm for pm in uses if pm.pk not in found]
    if not missing:
        return found
    with _gc_paused():
        if geography is not None:
            measure_ids = list({pm.measure_id for pm in missing})
            for row in _rows(partnership, geography, measure_ids).values_list(
                "measure__code", *_COLUMNS
            ):
                by_code[row[0]].append(row[1:])
        for pm in missing:
            status = _status(
                partnership_measure=pm,
                geography=geography,
                points=_series(by_code[pm.measure.code]),
                targets=targets[pm.pk],
                today=today,
            )
            _CACHE.put(keys[pm.pk], status)
            found[pm.pk] = status
    return {pm.pk: found[pm.pk] for pm in uses}


class _StatusCache:
    """Statuses by what they were worked out from, in this process, least recently used
    dropped first.

    A key holds every input of a status: the use (owner, baseline) and measure definition
    by `updated_at`, each target by id and `updated_at`, the figures by their count and
    latest `updated_at` (every write of an observation moves it: `save()` and the
    importer's `bulk_update` both set it; a deletion changes the count), the geography and
    the day. So a stale status is never served: changed data makes a new key, and the old
    entry ages out. Each app server process keeps its own (no shared state: ADR 0016), and
    the cost of a miss is the plain computation.
    """

    def __init__(self, size: int) -> None:
        self.size = size
        self._entries: OrderedDict[tuple[Any, ...], MeasureStatus] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: tuple[Any, ...]) -> MeasureStatus | None:
        with self._lock:
            status = self._entries.get(key)
            if status is not None:
                self._entries.move_to_end(key)
            return status

    def put(self, key: tuple[Any, ...], status: MeasureStatus) -> None:
        with self._lock:
            self._entries[key] = status
            self._entries.move_to_end(key)
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


_CACHE = _StatusCache(size=5000)


def status_cache_clear() -> None:
    """Forget every kept status (tests that count queries start from an empty cache)."""
    _CACHE.clear()


def _versions(
    partnership: Partnership, geography: Geography | None, measure_ids: list[Any]
) -> dict[Any, tuple[int, Any]]:
    """Per measure, how many of the partnership's figures there are and when the latest
    was written: one grouped query over the rows a status reads."""
    if geography is None:
        return {}
    return {
        row["measure_id"]: (row["n"], row["at"])
        for row in _rows(partnership, geography, measure_ids)
        .values("measure_id")
        .annotate(n=Count("id"), at=Max("updated_at"))
        .order_by()
    }


def _cache_key(
    pm: PartnershipMeasure,
    geography: Geography | None,
    targets: list[Target],
    version: tuple[int, Any] | None,
    today: dt.date,
) -> tuple[Any, ...]:
    return (
        pm.pk,
        pm.updated_at,
        pm.measure_id,
        pm.measure.updated_at,
        tuple((t.pk, t.updated_at) for t in targets),
        geography.pk if geography is not None else None,
        version,
        today,
    )


# ---------------------------------------------------------------------------------------------
# The evidence provider (core asks; plans never imports this app)
# ---------------------------------------------------------------------------------------------


def measure_url(code: str) -> str:
    """The measure's page, or "" while no such page is routed."""
    try:
        return reverse("measures:measure_detail", kwargs={"code": code})
    except NoReverseMatch:
        return ""


def _uses(partnership: Partnership, ids: Iterable[UUID]) -> list[PartnershipMeasure]:
    return list(
        PartnershipMeasure.objects.filter(partnership=partnership, pk__in=list(ids))
        .select_related("measure")
        .prefetch_related("targets")
    )


def _lines(
    partnership: Partnership, ordered_ids: Sequence[UUID], today: dt.date | None = None
) -> dict[UUID, EvidenceLine]:
    uses = _uses(partnership, set(ordered_ids))
    statuses = measure_statuses(partnership=partnership, partnership_measures=uses, today=today)
    return {
        pk: status.evidence_line(url=measure_url(status.code)) for pk, status in statuses.items()
    }


class MeasureEvidenceProvider:
    """Registered with `inclusion.core.evidence` in MeasuresConfig.ready()."""

    def for_actions(
        self, *, partnership: Any, action_ids: Sequence[UUID]
    ) -> dict[UUID, list[EvidenceLine]]:
        """Measures linked to each action, then those linked to its area (each once), by code.
        Six queries whatever the number of actions."""
        ids = list(action_ids)
        if not ids:
            return {}
        links = MeasureEvidence.objects.filter(partnership_measure__partnership=partnership)
        # (action, use, code, 0 = linked to the action / 1 = to its area)
        found: list[tuple[UUID, UUID, str, int]] = [
            (action_id, pm_id, code, 0)
            for action_id, pm_id, code in links.filter(action_id__in=ids).values_list(
                "action_id", "partnership_measure_id", "partnership_measure__measure__code"
            )
        ]
        # The area's actions through the reverse relation: no import of plans.
        found += [
            (action_id, pm_id, code, 1)
            for action_id, pm_id, code in links.filter(area__actions__in=ids).values_list(
                "area__actions", "partnership_measure_id", "partnership_measure__measure__code"
            )
        ]
        if not found:
            return {}
        lines = _lines(partnership, [pm_id for _, pm_id, _, _ in found])
        result: dict[UUID, list[EvidenceLine]] = {}
        seen: set[tuple[UUID, UUID]] = set()
        for action_id, pm_id, _, _ in sorted(found, key=lambda f: (f[3], f[2])):
            if (action_id, pm_id) in seen or pm_id not in lines:
                continue
            seen.add((action_id, pm_id))
            result.setdefault(action_id, []).append(lines[pm_id])
        return result

    def for_plan(self, *, partnership: Any, plan_id: UUID) -> list[EvidenceLine]:
        """Every measure linked to the plan's areas or actions, once each, by code."""
        ids = list(
            MeasureEvidence.objects.filter(
                Q(area__plan_id=plan_id) | Q(action__plan_id=plan_id),
                partnership_measure__partnership=partnership,
            )
            .values_list("partnership_measure_id", flat=True)
            .distinct()
        )
        if not ids:
            return []
        lines = _lines(partnership, ids)
        return sorted(lines.values(), key=lambda line: line.code)
