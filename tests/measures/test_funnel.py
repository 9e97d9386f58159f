"""Funnel-plot limits against a binomial example worked by hand (Spiegelhalter 2005, A.1.1).

Target p0 = 0.5, n = 100. R ~ Binomial(100, 0.5); P(R <= r) = sum of C(100, k) / 2^100:

    r        33        34        35        39        40        59        60        64        65
    F(r)  0.000437  0.000895  0.001759  0.017600  0.028444  0.971556  0.982400  0.998241  0.999105

(by symmetry F(59) = 1 - F(40), F(60) = 1 - F(39), F(64) = 1 - F(35), F(65) = 1 - F(34)).

95% limits, p = 0.025 and 0.975:
    lower: r_p = 40 (F(39) = 0.0176 < 0.025 <= F(40) = 0.0284)
           alpha = (0.028444 - 0.025) / (0.028444 - 0.017600) = 0.003444 / 0.010844 = 0.3176
           limit = (40 - 0.3176) / 100 = 0.39682
    upper: r_p = 60 (F(59) = 0.9716 < 0.975 <= F(60) = 0.9824)
           alpha = (0.982400 - 0.975) / 0.010844 = 0.6824
           limit = (60 - 0.6824) / 100 = 0.59318
99.8% limits, p = 0.001 and 0.999:
    lower: r_p = 35, alpha = (0.001759 - 0.001) / (0.001759 - 0.000895) = 0.8785,
           limit = (35 - 0.8785) / 100 = 0.34122
    upper: r_p = 65, alpha = (0.999105 - 0.999) / (0.999105 - 0.998241) = 0.1215,
           limit = (65 - 0.1215) / 100 = 0.64878
The normal approximation, 0.5 +/- 1.96 x sqrt(0.25 / 100) = 0.402 and 0.598, is close but not
the same at n = 100; it converges for large n.
"""

import math
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from inclusion.measures.funnel import (
    Position,
    curve_denominators,
    funnel_limits,
    funnel_points,
    level_text,
)


def test_95_and_99_8_percent_limits_match_the_hand_worked_binomial_example():
    (limits,) = funnel_limits(0.5, [100])

    assert [lim.level for lim in limits.limits] == [0.95, 0.998]
    assert limits.at(0.95).lower == pytest.approx(0.39682, abs=1e-5)
    assert limits.at(0.95).upper == pytest.approx(0.59318, abs=1e-5)
    assert limits.at(0.998).lower == pytest.approx(0.34122, abs=1e-5)
    assert limits.at(0.998).upper == pytest.approx(0.64878, abs=1e-5)


def test_the_normal_approximation_is_the_textbook_formula():
    (limits,) = funnel_limits(0.5, [100], method="normal")

    assert limits.at(0.95).lower == pytest.approx(0.5 - 1.959964 * 0.05, abs=1e-6)
    assert limits.at(0.95).upper == pytest.approx(0.5 + 1.959964 * 0.05, abs=1e-6)
    assert limits.at(0.998).upper == pytest.approx(0.5 + 3.090232 * 0.05, abs=1e-6)


@pytest.mark.parametrize(("target", "n"), [(0.3, 10_000), (0.464, 50_000), (0.05, 200_000)])
def test_exact_limits_converge_on_the_normal_approximation_for_large_denominators(target, n):
    """p +/- 1.96 sqrt(p(1-p)/n): the exact limits differ by less than a tenth of a
    standard error once n p (1 - p) is in the hundreds."""
    (exact,) = funnel_limits(target, [n])
    se = math.sqrt(target * (1 - target) / n)
    for level, z in ((0.95, 1.959964), (0.998, 3.090232)):
        assert exact.at(level).lower == pytest.approx(target - z * se, abs=0.1 * se)
        assert exact.at(level).upper == pytest.approx(target + z * se, abs=0.1 * se)


def _exact_limit(target: Fraction, n: int, p: Fraction) -> float:
    """The same definition in exact rational arithmetic, for a skewed small case."""
    cdf, total = [], Fraction(0)
    for k in range(n + 1):
        total += math.comb(n, k) * target**k * (1 - target) ** (n - k)
        cdf.append(total)
    r = next(k for k, value in enumerate(cdf) if value >= p)
    below = cdf[r - 1] if r else Fraction(0)
    alpha = (cdf[r] - p) / (cdf[r] - below)
    return float(max(Fraction(0), min(Fraction(1), (r - alpha) / n)))


@pytest.mark.parametrize(("target", "n"), [("1/10", 20), ("3/20", 37), ("1/2", 7), ("9/10", 60)])
def test_exact_limits_agree_with_exact_rational_arithmetic_for_small_skewed_cases(target, n):
    fraction = Fraction(target)
    (limits,) = funnel_limits(float(fraction), [n])

    for level in (0.95, 0.998):
        low = Fraction(1) - Fraction(str(level))
        assert limits.at(level).lower == pytest.approx(_exact_limit(fraction, n, low / 2), abs=1e-9)
        assert limits.at(level).upper == pytest.approx(
            _exact_limit(fraction, n, 1 - low / 2), abs=1e-9
        )


@given(
    st.floats(min_value=0.001, max_value=0.999),
    st.integers(min_value=1, max_value=5_000),
)
def test_limits_are_proportions_and_the_wider_level_is_wider(target, n):
    (limits,) = funnel_limits(target, [n])
    narrow, wide = limits.at(0.95), limits.at(0.998)

    assert 0 <= wide.lower <= narrow.lower <= narrow.upper <= wide.upper <= 1


def test_units_are_placed_within_between_or_outside_the_limits_hand_worked():
    """Against the hand-worked limits at n = 100: 95% 39.68% to 59.32%, 99.8% 34.12% to
    64.88%."""
    result = funnel_points(
        [
            ("A", "Within", 50, 100),
            ("B", "Between above", 61, 100),
            ("C", "Outside above", 70, 100),
            ("D", "Between below", 35, 100),
            ("E", "Outside below", 30, 100),
            ("F", "No cases", 0, 0),
        ],
        target=0.5,
    )

    placed = {p.code: (p.position, p.direction, p.outside_level) for p in result.points}
    assert placed == {
        "A": (Position.WITHIN, None, None),
        "B": (Position.BETWEEN, "above", 0.95),
        "C": (Position.OUTSIDE, "above", 0.998),
        "D": (Position.BETWEEN, "below", 0.95),
        "E": (Position.OUTSIDE, "below", 0.998),
        "F": (Position.NO_DATA, None, None),
    }
    assert [p.describe() for p in result.points] == [
        "Within the 95% limits",
        "Above the 95% limit (within 99.8%)",
        "Above the 99.8% limit",
        "Below the 95% limit (within 99.8%)",
        "Below the 99.8% limit",
        "No cases",
    ]
    assert result.points[1].proportion == 0.61
    assert result.count(Position.OUTSIDE) == 2
    assert result.count(Position.BETWEEN, "above") == 1
    assert result.target_is_pooled is False


def test_without_a_target_the_pooled_proportion_is_the_target():
    """(10 + 30) / (100 + 100) = 0.2."""
    result = funnel_points([("A", "A", 10, 100), ("B", "B", 30, 100)])

    assert result.target == 0.2
    assert result.target_is_pooled is True


def test_the_curve_runs_from_half_the_smallest_to_beyond_the_largest_denominator():
    result = funnel_points([("A", "A", 10, 40), ("B", "B", 300, 1000)])
    denominators = [c.denominator for c in result.curve]

    assert denominators[0] == 20
    assert denominators[-1] == 1050
    assert denominators == sorted(set(denominators))
    assert curve_denominators(1, 1) == [1, 2]


def test_a_large_funnel_is_quick():
    """Every pupil in a large authority as the denominator: the work grows with the standard
    deviation, not with n."""
    limits = funnel_limits(0.15, range(100_000, 1_100_000, 10_000))

    assert len(limits) == 100
    assert limits[-1].at(0.998).upper == pytest.approx(
        0.15 + 3.090232 * math.sqrt(0.15 * 0.85 / 1_090_000), abs=1e-5
    )


def test_the_published_upper_limit_flags_a_unit_at_its_quantile_even_at_tiny_denominators():
    """A known property of Spiegelhalter's interpolation (ADR 0014), pinned so that changing
    it is a decision: 1 of 1 against 25%. F(0) = 0.75, F(1) = 1, so r_p = 1 for p = 0.999,
    alpha = (1 - 0.999) / (1 - 0.75) = 0.004 and the limit is 0.996: 100% lies above it."""
    result = funnel_points([("A", "Tiny", 1, 1)], target=0.25)

    assert result.points[0].limits.at(0.998).upper == pytest.approx(0.996)
    assert result.points[0].describe() == "Above the 99.8% limit"


def test_level_text():
    assert (level_text(0.95), level_text(0.998)) == ("95%", "99.8%")


@pytest.mark.parametrize(
    ("units", "message"),
    [
        ([("E1", "Leeds", 12, 10)], r"Unit 1 \(E1 Leeds\): the numerator 12 is larger than"),
        ([("E1", "Leeds", -1, 10)], r"Unit 1 \(E1 Leeds\): the numerator must be a whole"),
        ([("E1", "Leeds", 1, 2.5)], r"the denominator must be a whole number"),
        ([("E1", "Leeds", 1)], r"Unit 1 must be \(code, name, numerator, denominator\)"),
        ([("E1", "Leeds", 0, 0)], "No unit has a denominator above 0"),
        ([("E1", "Leeds", 5, 5)], "a funnel needs a target between 0 and 100%"),
    ],
)
def test_bad_units_are_refused_naming_the_unit(units, message):
    with pytest.raises(ValueError, match=message):
        funnel_points(units)


def test_bad_targets_levels_and_denominators_are_refused():
    with pytest.raises(ValueError, match="between 0 and 1"):
        funnel_limits(1.0, [10])
    with pytest.raises(ValueError, match="Funnel levels must be between 0 and 1"):
        funnel_limits(0.5, [10], levels=(95,))
    with pytest.raises(ValueError, match="at least 1, not 0"):
        funnel_limits(0.5, [0])
