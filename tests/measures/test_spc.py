"""XmR limits and every Making Data Count special-cause rule, against examples worked by hand.

Most examples start from one baseline worked out on paper:

    BASELINE = 11, 9, 11, 9, ... (16 values, eight of each, ending on 9, below the mean)
    mean = (8 x 9 + 8 x 11) / 16 = 10
    moving ranges: 15 of them, each |11 - 9| = 2, so the mean moving range is 2
    process limits = 10 +/- 2.66 x 2 = 10 +/- 5.32 -> 4.68 and 15.32
    two sigma = 10 +/- 2/3 x 5.32 = 10 +/- 3.5467 -> 6.4533 and 13.5467
    one sigma = 10 +/- 1/3 x 5.32 = 10 +/- 1.7733 -> 8.2267 and 11.7733

With `baseline=16` those limits are held for the points that follow, so each test adds a few
points after the baseline and checks exactly which of them each rule flags.
"""

import decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from inclusion.measures.spc import (
    MIN_POINTS,
    SHIFT_RUN,
    TREND_RUN,
    Assurance,
    Direction,
    PointType,
    Rule,
    Variation,
    xmr,
)

BASELINE = [11.0, 9.0] * 8


def held(*after, polarity="higher", **options):
    """The hand-worked baseline, its limits held, then `after`."""
    return xmr([*BASELINE, *after], polarity=polarity, baseline=16, **options)


def flagged(result, rule):
    return [p.index for p in result.points if rule in p.rules]


def test_limits_are_the_mean_plus_or_minus_2_66_mean_moving_ranges_worked_by_hand():
    result = xmr(BASELINE, polarity="higher")
    period = result.periods[0]

    assert period.mean == 10
    assert period.mean_moving_range == 2
    assert period.upper_limit == pytest.approx(15.32)
    assert period.lower_limit == pytest.approx(4.68)
    assert period.upper_two_sigma == pytest.approx(13.546667, abs=1e-6)
    assert period.lower_two_sigma == pytest.approx(6.453333, abs=1e-6)
    assert period.upper_one_sigma == pytest.approx(11.773333, abs=1e-6)
    assert period.lower_one_sigma == pytest.approx(8.226667, abs=1e-6)
    assert [p.moving_range for p in result.points] == [None] + [2.0] * 15
    assert result.status == "ok"
    assert all(p.point_type is PointType.COMMON_CAUSE for p in result.points)
    assert result.variation is Variation.COMMON_CAUSE
    assert result.variation_text == "Common cause variation"
    assert result.signals == ()


def test_the_run_lengths_are_making_data_counts():
    assert (SHIFT_RUN, TREND_RUN, MIN_POINTS) == (7, 7, 15)


# Rule 1: a single point outside the process limits -------------------------------------------


def test_a_point_above_the_upper_limit_is_special_cause_improvement_when_higher_is_better():
    result = held(16.0)

    point = result.points[16]
    assert point.rules == {Rule.OUTSIDE_LIMITS: Direction.HIGH}
    assert point.point_type is PointType.IMPROVEMENT
    assert result.variation is Variation.IMPROVEMENT_HIGH
    assert result.variation_text == "Special cause variation: improvement, higher values"
    assert result.describe_latest() == (
        "special cause improvement: a point above the upper process limit"
    )
    assert point.describe() == "Improvement (high): above the upper process limit"


def test_a_point_below_the_lower_limit_is_concern_when_higher_is_better():
    result = held(4.0)

    assert result.points[16].rules == {Rule.OUTSIDE_LIMITS: Direction.LOW}
    assert result.variation is Variation.CONCERN_LOW
    assert result.variation_text == "Special cause variation: concern, lower values"


def test_a_point_exactly_on_a_limit_is_inside_it():
    """10 + 2.66 x 2, computed the way a person would, is the limit itself: not outside."""
    result = held(10 + 2.66 * 2)

    assert Rule.OUTSIDE_LIMITS not in result.points[16].rules
    assert result.variation is Variation.COMMON_CAUSE


# Rule 2: a shift, 7 or more points one side of the mean ---------------------------------------


def test_seven_points_above_the_mean_are_a_shift_and_all_seven_are_flagged():
    result = held(*[10.5] * 7)

    assert flagged(result, Rule.SHIFT) == list(range(16, 23))
    (signal,) = result.signals
    assert (signal.rule, signal.direction, signal.length) == (Rule.SHIFT, Direction.HIGH, 7)
    assert signal.describe() == "a run of 7 points above the mean"


def test_six_points_above_the_mean_are_not_a_shift():
    result = held(*[10.5] * 6)

    assert flagged(result, Rule.SHIFT) == []
    assert result.variation is Variation.COMMON_CAUSE


def test_a_point_exactly_on_the_mean_ends_a_run():
    result = held(*[10.5] * 3, 10.0, *[10.5] * 4)

    assert flagged(result, Rule.SHIFT) == []


def test_a_shift_below_the_mean_when_lower_is_better_is_improvement_low():
    """The baseline's last value, 9, is below the mean too: it starts the run of 8."""
    result = held(*[9.5] * 7, polarity="lower")

    assert flagged(result, Rule.SHIFT) == list(range(15, 23))
    assert result.variation is Variation.IMPROVEMENT_LOW
    assert result.describe_latest() == "special cause improvement: a run of 8 points below the mean"


# Rule 3: a trend, 7 or more points each rising or each falling ---------------------------------


RISING = [8.0, 8.5, 9.0, 9.5, 10.5, 11.0, 11.5]  # crosses the mean, inside two sigma


def test_seven_rising_points_are_a_trend():
    """The baseline ends on 9, so the rise starts at 8.0: seven points, six rises."""
    result = held(*RISING)

    assert flagged(result, Rule.TREND) == list(range(16, 23))
    assert flagged(result, Rule.SHIFT) == []
    (signal,) = result.signals
    assert signal.describe() == "a trend of 7 rising points"
    assert result.variation is Variation.IMPROVEMENT_HIGH


def test_six_rising_points_are_not_a_trend():
    result = held(*RISING[1:])

    assert flagged(result, Rule.TREND) == []


def test_an_equal_value_ends_a_trend_rather_than_continuing_it():
    """8, 8.5, 9, 9, 9.5, 10.5, 11, 11.5: eight points, but the repeat splits them into
    rises of 3 and 5 points, and neither is 7."""
    result = held(8.0, 8.5, 9.0, 9.0, 9.5, 10.5, 11.0, 11.5)

    assert flagged(result, Rule.TREND) == []


def test_a_rising_trend_is_concern_when_lower_is_better():
    result = held(*RISING, polarity="lower")

    assert result.variation is Variation.CONCERN_HIGH
    assert result.variation_text == "Special cause variation: concern, higher values"


def test_seven_falling_points_are_a_falling_trend():
    result = held(*reversed(RISING), polarity="higher")

    assert flagged(result, Rule.TREND) == list(range(16, 23))
    assert result.points[-1].rules == {Rule.TREND: Direction.LOW}
    assert result.variation is Variation.CONCERN_LOW


# Rule 4: two of three points beyond two sigma on the same side ----------------------------------


def test_two_of_three_points_beyond_two_sigma_flag_those_two_not_the_third():
    """14 is beyond 13.5467 (two sigma) and inside 15.32 (the limit)."""
    result = held(14.0, 10.0, 14.0)

    assert flagged(result, Rule.TWO_OF_THREE) == [16, 18]
    assert flagged(result, Rule.OUTSIDE_LIMITS) == []
    (signal,) = result.signals
    assert signal.describe() == "2 of 3 points near the upper process limit"
    assert result.describe_latest() == (
        "special cause improvement: 2 of 3 points near the upper process limit"
    )


def test_two_points_beyond_two_sigma_four_apart_are_not_two_of_three():
    result = held(14.0, 10.0, 10.0, 14.0)

    assert flagged(result, Rule.TWO_OF_THREE) == []


def test_two_of_three_counts_only_points_on_the_same_side():
    result = held(14.0, 6.0, 10.0)

    assert flagged(result, Rule.TWO_OF_THREE) == []


def test_two_of_three_below_the_lower_two_sigma_line():
    result = held(6.0, 6.0)

    assert flagged(result, Rule.TWO_OF_THREE) == [16, 17]
    assert result.points[17].rules == {Rule.TWO_OF_THREE: Direction.LOW}


# When rules disagree, and the icons ------------------------------------------------------------


def test_where_a_point_is_decides_before_which_way_it_is_moving():
    """13.5 down to 10.5 in steps of 0.5: seven points above the mean (a shift, high) that are
    also seven falling points (a trend, low). The shift decides: improvement, higher."""
    result = held(13.5, 13.0, 12.5, 12.0, 11.5, 11.0, 10.5)

    latest = result.points[-1]
    assert latest.rules == {Rule.SHIFT: Direction.HIGH, Rule.TREND: Direction.LOW}
    assert latest.special_cause is Direction.HIGH
    assert latest.point_type is PointType.IMPROVEMENT
    assert latest.describe() == "Improvement (high): run above the mean; falling trend"
    assert result.describe_latest() == (
        "special cause improvement: a run of 7 points above the mean; a trend of 7 falling points"
    )


def test_the_variation_icon_comes_from_the_latest_point_only():
    """An earlier point above the limit does not colour the icon of a series now back to
    normal, as Making Data Count reads it."""
    result = held(16.0, 10.5, 9.5)

    assert result.points[16].point_type is PointType.IMPROVEMENT
    assert result.variation is Variation.COMMON_CAUSE
    assert len(result.signals) == 1


def test_special_cause_with_no_better_direction_is_neutral():
    result = held(16.0, polarity="neutral")

    assert result.points[16].point_type is PointType.NEUTRAL
    assert result.variation is Variation.NEUTRAL_HIGH
    assert result.variation_text == (
        "Special cause variation: higher values, neither improvement nor concern"
    )


@pytest.mark.parametrize(
    ("polarity", "target", "assurance", "text"),
    [
        (
            "higher",
            4,
            Assurance.CONSISTENTLY_HIT,
            "The target of 4% will be consistently hit unless the process changes",
        ),
        (
            "higher",
            16,
            Assurance.CONSISTENTLY_MISSED,
            "The target of 16% will be consistently missed unless the process changes",
        ),
        (
            "higher",
            12.5,
            Assurance.HIT_AND_MISS,
            "The target of 12.5% lies within the process limits, so it will be hit and "
            "missed at random",
        ),
        ("lower", 4, Assurance.CONSISTENTLY_MISSED, None),
        ("lower", 16, Assurance.CONSISTENTLY_HIT, None),
        ("higher", 15.32, Assurance.HIT_AND_MISS, None),  # on the limit: within it
    ],
)
def test_assurance_compares_the_target_with_the_process_limits(polarity, target, assurance, text):
    """Limits 4.68 to 15.32: a target outside them on the good side is always hit."""
    result = xmr(BASELINE, polarity=polarity, target=target, unit="%")

    assert result.assurance is assurance
    if text:
        assert result.assurance_text == text


def test_no_assurance_without_a_target_or_without_a_better_direction():
    assert xmr(BASELINE, polarity="higher").assurance_text == ""
    neutral = xmr(BASELINE, polarity="neutral", target=12)
    assert neutral.assurance is None
    assert "no better direction" in neutral.assurance_text


# Too few points, gaps, baselines and recalculation -------------------------------------------


def test_fewer_than_fifteen_points_give_a_mean_but_no_limits_and_no_rule():
    result = xmr([9.0, 11.0] * 7, polarity="higher", target=12, unit="%")  # 14 points

    assert result.status == "not_enough_data"
    assert result.mean == 10
    assert result.upper_limit is None and result.lower_limit is None
    assert all(p.point_type is None for p in result.points)
    assert result.variation is None
    assert result.variation_text == (
        "Not enough data: 14 points since the limits were last set, at least 15 are needed "
        "for process limits"
    )
    assert result.describe_latest() == (
        "not enough data for process limits (14 of the 15 points needed)"
    )
    assert result.assurance is None
    assert result.assurance_text == "Too few points to say whether the target of 12% will be met"
    assert result.points[0].describe() == "Too few points for limits"


def test_fifteen_points_are_enough():
    assert xmr([9.0, 11.0] * 7 + [9.0], polarity="higher").status == "ok"


def test_no_values_at_all_is_no_data_not_an_error():
    result = xmr([], polarity="higher")

    assert result.status == "not_enough_data"
    assert result.latest is None
    assert result.variation_text == "No data"
    assert xmr([None, None], polarity="higher").variation_text == "No data"


def test_a_baseline_shorter_than_fifteen_points_is_refused():
    with pytest.raises(ValueError, match="A baseline of 12 points is too short"):
        xmr(BASELINE, polarity="higher", baseline=12)


def test_a_gap_has_no_moving_range_across_it():
    """9, 11, ... 11, [gap], 11, 9, ...: across the gap the range would be 0 and pull the mean
    moving range down to 28 / 15; without it, 14 ranges of 2 keep it at 2."""
    values = [9.0, 11.0] * 4 + [None] + [11.0, 9.0] * 4
    assert values[7] == values[9] == 11.0

    result = xmr(values, polarity="higher")

    assert result.periods[0].mean_moving_range == 2
    assert result.points[8].moving_range is None and result.points[9].moving_range is None
    assert result.points[8].describe() == "No value"
    assert result.upper_limit == pytest.approx(15.32)


def test_a_gap_neither_breaks_nor_counts_in_a_run():
    result = held(*[10.5] * 4, None, *[10.5] * 3)

    assert flagged(result, Rule.SHIFT) == [16, 17, 18, 19, 21, 22, 23]


def test_nan_is_a_gap_and_decimals_are_numbers():
    result = xmr([decimal.Decimal("9"), 11.0] * 8 + [float("nan")], polarity="higher")

    assert result.points[-1].value is None
    assert result.mean == 10


def test_a_held_baseline_keeps_its_limits_for_later_points():
    result = held(*[10.5] * 7)

    assert result.periods[0].baseline_points == 16
    assert result.mean == 10
    assert [p.in_baseline for p in result.points].count(True) == 16


def test_recalculating_at_a_break_gives_each_period_its_own_mean_and_limits():
    """Without the break the jump from about 10 to about 20 is a shift; with it, each period
    is common cause around its own mean."""
    values = BASELINE + [v + 10 for v in BASELINE]

    whole = xmr(values, polarity="higher")
    split = xmr(values, polarity="higher", breaks=[16])

    assert Rule.SHIFT in whole.points[-1].rules
    assert [p.mean for p in split.periods] == [10, 20]
    assert split.upper_limit == pytest.approx(25.32)
    assert split.points[16].moving_range is None  # a period starts afresh
    assert split.signals == ()
    assert split.variation is Variation.COMMON_CAUSE


def test_a_break_outside_the_series_is_refused():
    with pytest.raises(ValueError, match="outside the 16 points"):
        xmr(BASELINE, polarity="higher", breaks=[16])


def test_screening_drops_a_moving_range_above_3_267_times_the_mean():
    """9, 11, ... 9 (15 values), then 31. Moving ranges: 14 of 2 and one of 22; mean
    (28 + 22) / 15 = 3.333. 22 > 3.267 x 3.333 = 10.89, so screening drops it and the mean
    moving range is 2 again. Mean (8 x 9 + 7 x 11 + 31) / 16 = 11.25."""
    values = [9.0, 11.0] * 7 + [9.0, 31.0]

    plain = xmr(values, polarity="higher")
    screened = xmr(values, polarity="higher", screen_moving_ranges=True)

    assert plain.mean == screened.mean == 11.25
    assert plain.periods[0].mean_moving_range == pytest.approx(50 / 15)
    assert plain.upper_limit == pytest.approx(11.25 + 2.66 * 50 / 15)
    assert screened.periods[0].mean_moving_range == 2
    assert screened.upper_limit == pytest.approx(16.57)
    assert Rule.OUTSIDE_LIMITS in screened.points[-1].rules


def test_bad_input_is_refused_with_what_and_where():
    with pytest.raises(ValueError, match="Polarity 'up' is not one of"):
        xmr(BASELINE, polarity="up")
    with pytest.raises(ValueError, match=r"Value 3 \('n/a'\) is not a number"):
        xmr([1.0, 2.0, "n/a"], polarity="higher")


@given(
    st.lists(
        st.one_of(st.none(), st.integers(min_value=-1000, max_value=1000)),
        min_size=MIN_POINTS,
        max_size=40,
    )
)
def test_mirroring_the_values_mirrors_every_flag(values):
    """Negating a series swaps high and low for every rule and nothing else: the rules are
    symmetric about the mean, with the same run lengths on both sides."""
    flip = {Direction.HIGH: Direction.LOW, Direction.LOW: Direction.HIGH}
    result = xmr(values, polarity="higher")
    mirrored = xmr([None if v is None else -v for v in values], polarity="higher")

    assert mirrored.status == result.status
    for a, b in zip(result.points, mirrored.points, strict=True):
        assert b.rules == {rule: flip[d] for rule, d in a.rules.items()}
