"""Funnel plots for proportions: compare local authorities or schools of different sizes.

Method (docs/adr/0014-spc-and-charts.md): D. J. Spiegelhalter, "Funnel plots for comparing
institutional performance", Statistics in Medicine 2005; 24:1185-1202, Appendix A.1.1, exact
binomial limits with the interpolation of the discrete quantile:

    r_p = the smallest r with P(R <= r) >= p, R ~ Binomial(n, target)
    alpha = (P(R <= r_p) - p) / (P(R <= r_p) - P(R <= r_p - 1))
    limit = (r_p - alpha) / n

for p = (1 - level) / 2 (lower) and (1 + level) / 2 (upper), at levels 95% and 99.8% (about 2 and
3 standard deviations). The interpolation makes the limits a smooth funnel; because the binomial
is discrete, the chance that a unit truly at the target falls outside varies a little around
the nominal value (Manktelow and Seaton, PLoS ONE 2012; 7:e45723). The normal approximation
target ± z * sqrt(target * (1 - target) / n) is kept as `method="normal"` for checks and for
readers who know it; it is poor for small n or targets near 0 or 1, which is why it is not the
default.

Pure Python (no SciPy): the binomial probabilities are summed in log space over a window wide
enough that what lies outside it is below double precision.
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from statistics import NormalDist

LEVELS: tuple[float, ...] = (0.95, 0.998)


class Method(StrEnum):
    EXACT = "exact"
    NORMAL = "normal"


@dataclass(frozen=True)
class Limits:
    """Lower and upper limits (proportions, 0 to 1) at one level for one denominator."""

    level: float
    lower: float
    upper: float


@dataclass(frozen=True)
class FunnelLimits:
    denominator: int
    limits: tuple[Limits, ...]  # narrowest level first

    def at(self, level: float) -> Limits:
        for limits in self.limits:
            if math.isclose(limits.level, level):
                return limits
        raise KeyError(f"no limits at level {level}")


class Position(StrEnum):
    WITHIN = "within"  # inside the narrowest limits
    BETWEEN = "between"  # outside some limits but inside the widest
    OUTSIDE = "outside"  # outside the widest limits
    NO_DATA = "no_data"  # denominator 0: no proportion to plot


@dataclass(frozen=True)
class FunnelPoint:
    code: str
    name: str
    numerator: int
    denominator: int
    proportion: float | None
    limits: FunnelLimits | None
    position: Position
    direction: str | None  # "above" or "below" the target's limits, None when within
    outside_level: float | None  # the widest level whose limits the unit lies outside

    def describe(self) -> str:
        """ "Above the 99.8% limit", "Below the 95% limit (within 99.8%)", "Within the 95% limits"."""
        if self.position is Position.NO_DATA:
            return "No cases"
        assert self.limits is not None
        narrowest = self.limits.limits[0].level
        if self.position is Position.WITHIN:
            return f"Within the {level_text(narrowest)} limits"
        assert self.outside_level is not None and self.direction is not None
        text = f"{self.direction.capitalize()} the {level_text(self.outside_level)} limit"
        if self.position is Position.BETWEEN:
            wider = next(x.level for x in self.limits.limits if x.level > self.outside_level)
            text += f" (within {level_text(wider)})"
        return text


@dataclass(frozen=True)
class FunnelResult:
    target: float
    target_is_pooled: bool  # True when the target is the units' overall proportion
    levels: tuple[float, ...]
    method: Method
    points: tuple[FunnelPoint, ...]
    curve: tuple[FunnelLimits, ...]  # limits along the denominator axis, to draw the funnel

    def count(self, position: Position, direction: str | None = None) -> int:
        return sum(
            1
            for p in self.points
            if p.position is position and (direction is None or p.direction == direction)
        )


def level_text(level: float) -> str:
    """0.998 -> "99.8%"."""
    return f"{level * 100:.10g}%"


def funnel_limits(
    target_proportion: float,
    denominators: Iterable[int],
    levels: Sequence[float] = LEVELS,
    *,
    method: Method | str = Method.EXACT,
) -> list[FunnelLimits]:
    """Lower and upper limits (as proportions) around `target_proportion` for each denominator."""
    _check_target(target_proportion)
    checked_levels = _check_levels(levels)
    method = Method(method)
    result = []
    for n in denominators:
        if isinstance(n, bool) or not isinstance(n, int) or n < 1:
            raise ValueError(f"A denominator must be a whole number of at least 1, not {n!r}.")
        result.append(_limits_for(target_proportion, n, checked_levels, method))
    return result


def funnel_points(
    units: Iterable[tuple[str, str, int, int]],
    target: float | None = None,
    levels: Sequence[float] = LEVELS,
    *,
    method: Method | str = Method.EXACT,
) -> FunnelResult:
    """Place each unit (code, name, numerator, denominator) against the funnel.

    With no `target` the target is the pooled proportion of all units (sum of numerators over
    sum of denominators), Spiegelhalter's default for comparing like with like. A unit with a
    denominator of 0 is kept, as "no data", but not placed.
    """
    rows = [_check_unit(unit, row) for row, unit in enumerate(units, start=1)]
    checked_levels = _check_levels(levels)
    method = Method(method)
    pooled = target is None
    if target is None:
        total = sum(denominator for _, _, _, denominator in rows)
        if total == 0:
            raise ValueError("No unit has a denominator above 0, so there is no pooled target.")
        target = sum(numerator for _, _, numerator, _ in rows) / total
        if not 0 < target < 1:
            raise ValueError(
                f"Every unit's proportion is {target:.0%}: a funnel needs a target between 0 and "
                "100%."
            )
    _check_target(target)

    denominators = sorted({d for *_, d in rows if d > 0})
    by_denominator = {
        limits.denominator: limits
        for limits in funnel_limits(target, denominators, checked_levels, method=method)
    }
    points = []
    for code, name, numerator, denominator in rows:
        if denominator == 0:
            points.append(
                FunnelPoint(code, name, numerator, 0, None, None, Position.NO_DATA, None, None)
            )
            continue
        limits = by_denominator[denominator]
        proportion = numerator / denominator
        position, direction, outside_level = _place(proportion, limits)
        points.append(
            FunnelPoint(
                code,
                name,
                numerator,
                denominator,
                proportion,
                limits,
                position,
                direction,
                outside_level,
            )
        )
    curve = (
        funnel_limits(
            target,
            curve_denominators(min(denominators), max(denominators)),
            checked_levels,
            method=method,
        )
        if denominators
        else []
    )
    return FunnelResult(
        target=target,
        target_is_pooled=pooled,
        levels=checked_levels,
        method=method,
        points=tuple(points),
        curve=tuple(curve),
    )


def curve_denominators(smallest: int, largest: int, count: int = 120) -> list[int]:
    """Denominators to draw the funnel through: denser where the funnel bends (small n)."""
    low = max(1, smallest // 2)
    high = max(low + 1, math.ceil(largest * 1.05))
    ratio = (high / low) ** (1 / (count - 1))
    return sorted({min(high, round(low * ratio**k)) for k in range(count)} | {low, high})


def _place(proportion: float, limits: FunnelLimits) -> tuple[Position, str | None, float | None]:
    outside: Limits | None = None
    for level_limits in limits.limits:
        if proportion > level_limits.upper or proportion < level_limits.lower:
            outside = level_limits
    if outside is None:
        return Position.WITHIN, None, None
    direction = "above" if proportion > outside.upper else "below"
    widest = limits.limits[-1].level
    position = Position.OUTSIDE if outside.level == widest else Position.BETWEEN
    return position, direction, outside.level


def _limits_for(target: float, n: int, levels: tuple[float, ...], method: Method) -> FunnelLimits:
    cdf = _CDF(n, target) if method is Method.EXACT else None
    return FunnelLimits(
        denominator=n, limits=tuple(_limits(target, n, level, cdf) for level in levels)
    )


def _limits(target: float, n: int, level: float, cdf: _CDF | None) -> Limits:
    low_p, high_p = (1 - level) / 2, (1 + level) / 2
    if cdf is None:
        z = NormalDist().inv_cdf(high_p)
        half = z * math.sqrt(target * (1 - target) / n)
        lower, upper = target - half, target + half
    else:
        lower = _interpolated_quantile(cdf, low_p) / n
        upper = _interpolated_quantile(cdf, high_p) / n
    # A proportion cannot leave [0, 1]; for very small n the interpolation (and the normal
    # approximation) can.
    return Limits(level=level, lower=min(1.0, max(0.0, lower)), upper=min(1.0, max(0.0, upper)))


def _interpolated_quantile(cdf: _CDF, p: float) -> float:
    """Spiegelhalter's r_p - alpha."""
    r = cdf.quantile(p)
    at, below = cdf(r), cdf(r - 1)
    alpha = (at - p) / (at - below)
    return r - alpha


# Binomial probabilities below this are dropped: they fall away geometrically beyond it, so all
# of them together change no cumulative probability in its twelfth decimal place.
NEGLIGIBLE = 1e-18


class _CDF:
    """P(R <= r) for R ~ Binomial(n, p), over the window of r that carries any probability.

    Starts at the mode (its probability from log-gamma) and walks outwards with the ratio of
    neighbouring probabilities, so the work grows with the standard deviation, not with n.
    """

    def __init__(self, n: int, p: float) -> None:
        mode = min(n, math.floor((n + 1) * p))
        q = 1 - p
        log_mode = (
            math.lgamma(n + 1)
            - math.lgamma(mode + 1)
            - math.lgamma(n - mode + 1)
            + mode * math.log(p)
            + (n - mode) * math.log1p(-p)
        )
        peak = math.exp(log_mode)
        above = []
        mass, r = peak, mode
        while r < n:
            mass *= (n - r) / (r + 1) * p / q
            r += 1
            if mass < NEGLIGIBLE:
                break
            above.append(mass)
        below = []
        mass, r = peak, mode
        while r > 0:
            mass *= r / (n - r + 1) * q / p
            r -= 1
            if mass < NEGLIGIBLE:
                break
            below.append(mass)
        self.low = mode - len(below)
        self.high = mode + len(above)
        masses = [*reversed(below), peak, *above]
        self.cumulative = list(_accumulate(masses))

    def __call__(self, r: int) -> float:
        if r < self.low:
            return 0.0
        if r > self.high:
            return 1.0
        return self.cumulative[r - self.low]

    def quantile(self, p: float) -> int:
        """The smallest r with P(R <= r) >= p."""
        return self.low + bisect.bisect_left(self.cumulative, p)


def _accumulate(values: list[float]) -> Iterable[float]:
    total = 0.0
    for value in values:
        total = min(1.0, total + value)
        yield total


def _check_target(target: float) -> None:
    if isinstance(target, bool) or not isinstance(target, int | float) or not 0 < target < 1:
        raise ValueError(
            f"The funnel's target proportion must be between 0 and 1 (exclusive), not {target!r}."
        )


def _check_levels(levels: Sequence[float]) -> tuple[float, ...]:
    checked = tuple(sorted(float(level) for level in levels))
    if not checked or any(not 0 < level < 1 for level in checked):
        raise ValueError(f"Funnel levels must be between 0 and 1, such as 0.95, not {levels!r}.")
    return checked


def _check_unit(unit: tuple[str, str, int, int], row: int) -> tuple[str, str, int, int]:
    try:
        code, name, numerator, denominator = unit
    except (TypeError, ValueError):
        raise ValueError(
            f"Unit {row} must be (code, name, numerator, denominator), not {unit!r}."
        ) from None
    where = f"Unit {row} ({code} {name})"
    for label, value in (("numerator", numerator), ("denominator", denominator)):
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise ValueError(
                f"{where}: the {label} must be a whole number of 0 or more, not {value!r}."
            )
    if numerator > denominator:
        raise ValueError(
            f"{where}: the numerator {numerator} is larger than the denominator {denominator}."
        )
    return str(code), str(name), numerator, denominator
