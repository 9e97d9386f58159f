"""Statistical process control: XmR charts read the way NHS England's Making Data Count reads them.

Sources (docs/adr/0014-spc-and-charts.md):
- NHS England / NHS Improvement, "Making Data Count: strengthening your decisions" (2019) and
  "Making Data Count: getting started", with the NHSE "SPC tool" (Excel) they come with: process
  limits at the mean ± 2.66 × the mean moving range, the four special-cause rules below, and the
  variation and assurance icons.
- D. J. Wheeler, "Understanding Variation" (1993) for the XmR constant 2.66 = 3 / d2 (d2 = 1.128
  for moving ranges of two points) and the moving-range screen D4 = 3.267.
- The NHS-R Community's NHSRplotthedots package (an R implementation of the same tool), which we
  agree with on run lengths, on a point on the mean or a repeated value breaking a run, on
  runs counted within one period of a recalculated chart, and on the icons coming from the
  latest point.

Pure functions on numbers: the page, the report and the API call `xmr()` and show its result; no
rule lives anywhere else.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from inclusion.reporting.charts import format_value

# Making Data Count: limits at the mean ± 2.66 × mean moving range (3 sigma, sigma = MR / 1.128).
LIMIT_FACTOR = 2.66
# Wheeler's upper range limit for moving ranges (D4 for n = 2): a moving range above 3.267 ×
# the mean moving range is itself a signal and may be screened out before the limits are set.
MOVING_RANGE_SCREEN = 3.267
# Making Data Count: "a run of 7 or more points above or below the mean" (a shift) and "7 or
# more consecutive points all increasing or all decreasing" (a trend). Western Electric and
# some NHS tools use 8 for a shift; we use MDC's 7 so our icons match the NHSE tool's.
SHIFT_RUN = 7
TREND_RUN = 7
# Making Data Count advises 15 to 20 points before process limits are relied on
# (NHSRplotthedots warns below 12). Fewer than 15 and we draw no limits and apply no rule.
MIN_POINTS = 15


class Polarity(StrEnum):
    """Which way is better for the measure (MDC calls it the improvement direction)."""

    HIGHER = "higher"
    LOWER = "lower"
    NEUTRAL = "neutral"


class Rule(StrEnum):
    """The four Making Data Count special-cause rules, in the order we let them decide a point."""

    OUTSIDE_LIMITS = "outside_limits"
    TWO_OF_THREE = "two_of_three"
    SHIFT = "shift"
    TREND = "trend"


# Where two rules disagree about one point (a falling trend among points above the mean), the
# rule that says where the point *is* (outside a limit, near a limit, one side of the mean)
# decides before the one that says which way it is moving.
RULE_PRIORITY: tuple[Rule, ...] = (
    Rule.OUTSIDE_LIMITS,
    Rule.TWO_OF_THREE,
    Rule.SHIFT,
    Rule.TREND,
)


class Direction(StrEnum):
    HIGH = "high"
    LOW = "low"


class PointType(StrEnum):
    COMMON_CAUSE = "common_cause"
    IMPROVEMENT = "improvement"
    CONCERN = "concern"
    NEUTRAL = "neutral"  # special cause when neither direction is better


class Variation(StrEnum):
    """The Making Data Count variation icon, from the latest point."""

    COMMON_CAUSE = "common_cause"
    IMPROVEMENT_HIGH = "improvement_high"
    IMPROVEMENT_LOW = "improvement_low"
    CONCERN_HIGH = "concern_high"
    CONCERN_LOW = "concern_low"
    NEUTRAL_HIGH = "neutral_high"
    NEUTRAL_LOW = "neutral_low"


class Assurance(StrEnum):
    """The Making Data Count assurance icon: will the process meet the target?"""

    CONSISTENTLY_HIT = "consistently_hit"
    CONSISTENTLY_MISSED = "consistently_missed"
    HIT_AND_MISS = "hit_and_miss"


VARIATION_TEXT: dict[Variation, str] = {
    Variation.COMMON_CAUSE: "Common cause variation",
    Variation.IMPROVEMENT_HIGH: "Special cause variation: improvement, higher values",
    Variation.IMPROVEMENT_LOW: "Special cause variation: improvement, lower values",
    Variation.CONCERN_HIGH: "Special cause variation: concern, higher values",
    Variation.CONCERN_LOW: "Special cause variation: concern, lower values",
    Variation.NEUTRAL_HIGH: "Special cause variation: higher values, neither improvement nor concern",
    Variation.NEUTRAL_LOW: "Special cause variation: lower values, neither improvement nor concern",
}

_SIDE = {Direction.HIGH: "above", Direction.LOW: "below"}
_LIMIT = {Direction.HIGH: "upper", Direction.LOW: "lower"}
_MOVING = {Direction.HIGH: "rising", Direction.LOW: "falling"}


@dataclass(frozen=True)
class Signal:
    """One special cause: the points (indices into the values) that one rule flagged together."""

    rule: Rule
    direction: Direction
    indices: tuple[int, ...]
    point_type: PointType

    @property
    def length(self) -> int:
        return len(self.indices)

    def describe(self) -> str:
        """Plain words, e.g. "a run of 7 points below the mean"."""
        if self.rule is Rule.OUTSIDE_LIMITS:
            return f"a point {_SIDE[self.direction]} the {_LIMIT[self.direction]} process limit"
        if self.rule is Rule.SHIFT:
            return f"a run of {self.length} points {_SIDE[self.direction]} the mean"
        if self.rule is Rule.TREND:
            return f"a trend of {self.length} {_MOVING[self.direction]} points"
        if self.length == 2:
            return f"2 of 3 points near the {_LIMIT[self.direction]} process limit"
        return (
            f"{self.length} points near the {_LIMIT[self.direction]} process limit, "
            "at least 2 in every 3"
        )


@dataclass(frozen=True)
class XmRPeriod:
    """A stretch of points with one mean and one set of limits (a chart recalculated at a break
    has one period before and one after)."""

    start: int  # index of its first point
    end: int  # index after its last point
    observed: int  # points with a value
    baseline_points: int  # points the mean and limits were computed from
    mean: float | None
    mean_moving_range: float | None
    enough_data: bool

    def _offset(self, sigmas: int) -> float | None:
        if self.mean is None or self.mean_moving_range is None or not self.enough_data:
            return None
        # Three sigma is LIMIT_FACTOR x mean moving range, computed as such so that a value
        # worked out by hand as mean + 2.66 x MR lands exactly on the limit.
        width = LIMIT_FACTOR * self.mean_moving_range
        return self.mean + (width if abs(sigmas) == 3 else width * abs(sigmas) / 3) * (
            1 if sigmas > 0 else -1
        )

    @property
    def upper_limit(self) -> float | None:
        return self._offset(3)

    @property
    def lower_limit(self) -> float | None:
        return self._offset(-3)

    @property
    def upper_two_sigma(self) -> float | None:
        return self._offset(2)

    @property
    def lower_two_sigma(self) -> float | None:
        return self._offset(-2)

    @property
    def upper_one_sigma(self) -> float | None:
        return self._offset(1)

    @property
    def lower_one_sigma(self) -> float | None:
        return self._offset(-1)


_RULE_SHORT = {
    Rule.OUTSIDE_LIMITS: "{side} the {limit} process limit",
    Rule.TWO_OF_THREE: "2 of 3 near the {limit} process limit",
    Rule.SHIFT: "run {side} the mean",
    Rule.TREND: "{moving} trend",
}
_TYPE_WORD = {
    PointType.IMPROVEMENT: "Improvement",
    PointType.CONCERN: "Concern",
    PointType.NEUTRAL: "Special cause",
}


@dataclass(frozen=True)
class XmRPoint:
    index: int
    value: float | None
    moving_range: float | None
    period: XmRPeriod
    in_baseline: bool
    # Each rule that flagged the point, with the direction it flagged it in.
    rules: dict[Rule, Direction] = field(default_factory=dict)
    special_cause: Direction | None = None
    point_type: PointType | None = None  # None: no value, or too few points for limits

    def describe(self) -> str:
        """For the table beside the chart: "Concern (low): below the lower process limit"."""
        if self.value is None:
            return "No value"
        if self.point_type is None:
            return "Too few points for limits"
        if self.point_type is PointType.COMMON_CAUSE:
            return "Common cause"
        assert self.special_cause is not None
        reasons = "; ".join(
            _RULE_SHORT[rule].format(
                side=_SIDE[self.rules[rule]],
                limit=_LIMIT[self.rules[rule]],
                moving=_MOVING[self.rules[rule]],
            )
            for rule in RULE_PRIORITY
            if rule in self.rules
        )
        return f"{_TYPE_WORD[self.point_type]} ({self.special_cause.value}): {reasons}"


@dataclass(frozen=True)
class XmRResult:
    polarity: Polarity
    target: float | None
    unit: str
    points: tuple[XmRPoint, ...]
    periods: tuple[XmRPeriod, ...]
    signals: tuple[Signal, ...]
    variation: Variation | None
    variation_text: str
    assurance: Assurance | None
    assurance_text: str

    @property
    def latest(self) -> XmRPoint | None:
        """The last point with a value."""
        return next((p for p in reversed(self.points) if p.value is not None), None)

    @property
    def current_period(self) -> XmRPeriod | None:
        return self.periods[-1] if self.periods else None

    @property
    def enough_data(self) -> bool:
        """Whether the current period has limits (MIN_POINTS or more values)."""
        return self.current_period is not None and self.current_period.enough_data

    @property
    def status(self) -> str:
        return "ok" if self.enough_data else "not_enough_data"

    @property
    def mean(self) -> float | None:
        return self.current_period.mean if self.current_period else None

    @property
    def upper_limit(self) -> float | None:
        return self.current_period.upper_limit if self.current_period else None

    @property
    def lower_limit(self) -> float | None:
        return self.current_period.lower_limit if self.current_period else None

    def latest_signals(self) -> tuple[Signal, ...]:
        """The special causes the latest point is part of, in rule priority order."""
        latest = self.latest
        if latest is None:
            return ()
        found = [s for s in self.signals if latest.index in s.indices]
        return tuple(sorted(found, key=lambda s: RULE_PRIORITY.index(s.rule)))

    def describe_latest(self) -> str:
        """What the latest point says, e.g. "special cause concern: a run of 7 points below the
        mean" or "common cause variation"; used by the chart's text alternative."""
        if not self.enough_data:
            period = self.current_period
            have = period.observed if period else 0
            return f"not enough data for process limits ({have} of the {MIN_POINTS} points needed)"
        latest = self.latest
        if latest is None or latest.point_type in (None, PointType.COMMON_CAUSE):
            return "common cause variation"
        signals = "; ".join(s.describe() for s in self.latest_signals())
        kind = {
            PointType.IMPROVEMENT: "special cause improvement",
            PointType.CONCERN: "special cause concern",
            PointType.NEUTRAL: "special cause variation",
        }[latest.point_type]
        return f"{kind}: {signals}"


def xmr(
    values: Sequence[float | None],
    *,
    polarity: Polarity | str,
    target: float | None = None,
    baseline: int | None = None,
    breaks: Sequence[int] = (),
    unit: str = "",
    screen_moving_ranges: bool = False,
) -> XmRResult:
    """An XmR (individuals and moving range) chart of `values`, in time order.

    - `None` (or NaN) is a gap: no moving range is taken across it (that would span two
      intervals), and the rules count the observed points either side as consecutive (a missing
      month says nothing about the process).
    - `baseline`: compute the mean and limits from the first `baseline` values of each period
      and hold them for the rest ("fix after n points"); at least MIN_POINTS.
    - `breaks`: indices where the process is recalculated (a new period starts there, with its
      own mean and limits; runs do not cross a break).
    - `screen_moving_ranges`: drop moving ranges above 3.267 × their mean before setting the
      limits (Wheeler; NHSRplotthedots' default). Off by default, so the limits are the plain
      mean ± 2.66 × mean moving range the MDC guides describe.
    - `unit` ("%", "days") only words the assurance text: "The target of 60% ...".

    Fewer than MIN_POINTS values in a period gives that period a mean but no limits, no rule is
    applied, and `status` is "not_enough_data" when it is the current period.
    """
    polarity = _polarity(polarity)
    cleaned = [_value(v, i) for i, v in enumerate(values)]
    if baseline is not None and baseline < MIN_POINTS:
        raise ValueError(
            f"A baseline of {baseline} points is too short: process limits need at least "
            f"{MIN_POINTS} (Making Data Count)."
        )
    bounds = _period_bounds(breaks, len(cleaned))

    points: list[XmRPoint] = []
    periods: list[XmRPeriod] = []
    signals: list[Signal] = []
    for start, end in bounds:
        period = _period(cleaned, start, end, baseline, screen_moving_ranges)
        periods.append(period)
        observed = [i for i in range(start, end) if cleaned[i] is not None]
        baseline_set = set(observed[: period.baseline_points])
        flags: dict[int, dict[Rule, Direction]] = {i: {} for i in observed}
        period_signals: list[tuple[Rule, Direction, tuple[int, ...]]] = []
        if period.enough_data:
            period_signals = _rules(cleaned, observed, period)
            for rule, direction, indices in period_signals:
                for i in indices:
                    # A point in both a rising and a falling trend (the turn) keeps the first.
                    flags[i].setdefault(rule, direction)
        for i in range(start, end):
            value = cleaned[i]
            previous = cleaned[i - 1] if i > start else None
            moving_range = (
                abs(value - previous) if value is not None and previous is not None else None
            )
            rules = flags.get(i, {})
            special = next((rules[r] for r in RULE_PRIORITY if r in rules), None)
            point_type = None
            if value is not None and period.enough_data:
                point_type = _point_type(special, polarity)
            points.append(
                XmRPoint(
                    index=i,
                    value=value,
                    moving_range=moving_range,
                    period=period,
                    in_baseline=i in baseline_set,
                    rules=dict(rules),
                    special_cause=special,
                    point_type=point_type,
                )
            )
        signals += [
            Signal(rule, direction, indices, _point_type(direction, polarity))
            for rule, direction, indices in period_signals
        ]

    result_points = tuple(points)
    latest = next((p for p in reversed(result_points) if p.value is not None), None)
    variation = _variation(latest, polarity)
    current = periods[-1] if periods else None
    assurance, assurance_text = _assurance(current, polarity, target, unit)
    if variation is not None:
        variation_text = VARIATION_TEXT[variation]
    elif latest is None:
        variation_text = "No data"
    else:
        have = current.observed if current else 0
        variation_text = (
            f"Not enough data: {have} points since the limits were last set, "
            f"at least {MIN_POINTS} are needed for process limits"
        )
    return XmRResult(
        polarity=polarity,
        target=target,
        unit=unit,
        points=result_points,
        periods=tuple(periods),
        signals=tuple(sorted(signals, key=lambda s: (s.indices[0], RULE_PRIORITY.index(s.rule)))),
        variation=variation,
        variation_text=variation_text,
        assurance=assurance,
        assurance_text=assurance_text,
    )


def _polarity(polarity: Polarity | str) -> Polarity:
    try:
        return Polarity(polarity)
    except ValueError:
        raise ValueError(
            f"Polarity {polarity!r} is not one of: higher, lower, neutral (which way is better)."
        ) from None


def _value(value: float | None, index: int) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        try:
            value = float(value)  # Decimal from the database
        except (TypeError, ValueError):
            raise ValueError(f"Value {index + 1} ({value!r}) is not a number.") from None
    value = float(value)
    if math.isnan(value):
        return None
    if math.isinf(value):
        raise ValueError(f"Value {index + 1} is infinite.")
    return value


def _period_bounds(breaks: Sequence[int], length: int) -> list[tuple[int, int]]:
    cuts = sorted(set(breaks))
    for cut in cuts:
        if not 0 < cut < length:
            raise ValueError(
                f"A recalculation at point {cut + 1} is outside the {length} points of the series."
            )
    edges = [0, *cuts, length]
    return [(a, b) for a, b in zip(edges, edges[1:], strict=False) if b > a] if length else []


def _period(
    values: list[float | None],
    start: int,
    end: int,
    baseline: int | None,
    screen: bool,
) -> XmRPeriod:
    observed = [i for i in range(start, end) if values[i] is not None]
    base = observed[:baseline] if baseline is not None else observed
    base_values = [values[i] for i in base]
    mean = statistics.fmean(base_values) if base_values else None  # type: ignore[arg-type]
    base_set = set(base)
    moving_ranges = [
        abs(values[i] - values[i - 1])  # type: ignore[operator]
        for i in base
        if i - 1 in base_set
    ]
    mean_mr = statistics.fmean(moving_ranges) if moving_ranges else None
    if screen and mean_mr is not None:
        kept = [mr for mr in moving_ranges if mr <= MOVING_RANGE_SCREEN * mean_mr]
        mean_mr = statistics.fmean(kept) if kept else mean_mr
    return XmRPeriod(
        start=start,
        end=end,
        observed=len(observed),
        baseline_points=len(base),
        mean=mean,
        mean_moving_range=mean_mr,
        enough_data=len(base) >= MIN_POINTS and mean_mr is not None,
    )


def _rules(
    values: list[float | None], observed: list[int], period: XmRPeriod
) -> list[tuple[Rule, Direction, tuple[int, ...]]]:
    """Every special cause in one period, as (rule, direction, indices)."""
    xs = [values[i] for i in observed]
    mean = period.mean
    upper, lower = period.upper_limit, period.lower_limit
    upper2, lower2 = period.upper_two_sigma, period.lower_two_sigma
    assert mean is not None and upper is not None and lower is not None
    assert upper2 is not None and lower2 is not None
    found: list[tuple[Rule, Direction, tuple[int, ...]]] = []

    # Rule 1: a single point outside the process limits (strictly: a point on a limit is in).
    for i, x in zip(observed, xs, strict=True):
        if x > upper:
            found.append((Rule.OUTSIDE_LIMITS, Direction.HIGH, (i,)))
        elif x < lower:
            found.append((Rule.OUTSIDE_LIMITS, Direction.LOW, (i,)))

    # Rule 2: a shift, SHIFT_RUN or more consecutive points on one side of the mean. A point
    # exactly on the mean is on neither side and ends the run (as NHSRplotthedots).
    sides = [_sign(x - mean) for x in xs]  # type: ignore[operator]
    for begin, stop, sign in _runs(sides):
        if sign != 0 and stop - begin >= SHIFT_RUN:
            found.append((Rule.SHIFT, _direction(sign), tuple(observed[begin:stop])))

    # Rule 3: a trend, TREND_RUN or more consecutive points each higher (or each lower) than the
    # one before. An equal value neither continues nor is skipped: it ends the trend (as
    # NHSRplotthedots; the run-chart convention of ignoring ties is not MDC's).
    steps = [_sign(b - a) for a, b in zip(xs, xs[1:], strict=False)]  # type: ignore[operator]
    for begin, stop, sign in _runs(steps):
        # `stop - begin` steps join `stop - begin + 1` points.
        if sign != 0 and stop - begin + 1 >= TREND_RUN:
            found.append((Rule.TREND, _direction(sign), tuple(observed[begin : stop + 1])))

    # Rule 4: two out of three consecutive points beyond two sigma on the same side (the outer
    # third between the mean and a limit, or beyond the limit): Western Electric's rule, MDC's
    # "two out of three points close to a process limit". The flagged points are the ones
    # beyond two sigma, not the third.
    for direction, beyond in (
        (Direction.HIGH, [x > upper2 for x in xs]),  # type: ignore[operator]
        (Direction.LOW, [x < lower2 for x in xs]),  # type: ignore[operator]
    ):
        flagged: set[int] = set()
        for k in range(len(xs) - 2):
            window = [k, k + 1, k + 2]
            hits = [j for j in window if beyond[j]]
            if len(hits) >= 2:
                flagged.update(hits)
        for group in _groups(sorted(flagged)):
            found.append((Rule.TWO_OF_THREE, direction, tuple(observed[j] for j in group)))
    return found


def _sign(x: float) -> int:
    return (x > 0) - (x < 0)


def _direction(sign: int) -> Direction:
    return Direction.HIGH if sign > 0 else Direction.LOW


def _runs(signs: list[int]) -> list[tuple[int, int, int]]:
    """Maximal runs of equal signs as (begin, stop, sign)."""
    runs = []
    begin = 0
    for k in range(1, len(signs) + 1):
        if k == len(signs) or signs[k] != signs[begin]:
            runs.append((begin, k, signs[begin]))
            begin = k
    return runs


def _groups(positions: list[int]) -> list[list[int]]:
    """Flagged positions no more than two apart belong to one "2 of 3" signal."""
    groups: list[list[int]] = []
    for position in positions:
        if groups and position - groups[-1][-1] <= 2:
            groups[-1].append(position)
        else:
            groups.append([position])
    return groups


def _point_type(direction: Direction | None, polarity: Polarity) -> PointType:
    if direction is None:
        return PointType.COMMON_CAUSE
    if polarity is Polarity.NEUTRAL:
        return PointType.NEUTRAL
    better = Direction.HIGH if polarity is Polarity.HIGHER else Direction.LOW
    return PointType.IMPROVEMENT if direction is better else PointType.CONCERN


def _variation(latest: XmRPoint | None, polarity: Polarity) -> Variation | None:
    """Making Data Count's icon reflects the most recent point."""
    if latest is None or latest.point_type is None:
        return None
    if latest.point_type is PointType.COMMON_CAUSE:
        return Variation.COMMON_CAUSE
    assert latest.special_cause is not None
    return Variation(f"{latest.point_type.value}_{latest.special_cause.value}")


def _assurance(
    period: XmRPeriod | None, polarity: Polarity, target: float | None, unit: str
) -> tuple[Assurance | None, str]:
    """MDC assurance: a target outside the limits on the good side is consistently hit, on the
    bad side consistently missed, and between them (or on a limit) hit and missed at random."""
    if target is None:
        return None, ""
    shown = format_value(target, unit)
    if polarity is Polarity.NEUTRAL:
        return None, f"No assurance icon: the target of {shown} has no better direction"
    if period is None or not period.enough_data:
        return None, f"Too few points to say whether the target of {shown} will be met"
    upper, lower = period.upper_limit, period.lower_limit
    assert upper is not None and lower is not None
    if polarity is Polarity.HIGHER:
        hit, missed = target < lower, target > upper
    else:
        hit, missed = target > upper, target < lower
    if hit:
        return (
            Assurance.CONSISTENTLY_HIT,
            f"The target of {shown} will be consistently hit unless the process changes",
        )
    if missed:
        return (
            Assurance.CONSISTENTLY_MISSED,
            f"The target of {shown} will be consistently missed unless the process changes",
        )
    return (
        Assurance.HIT_AND_MISS,
        f"The target of {shown} lies within the process limits, "
        "so it will be hit and missed at random",
    )
