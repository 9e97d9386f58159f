"""What a measure says against its target, trend and SPC, and the RAG the evidence suggests
(docs/adr/0015-evidence-against-rag.md), each rule branch worked by hand; and the evidence
provider plans reads through core, in a fixed number of queries."""

import datetime as dt

from inclusion.measures.areas import geography_for_partnership
from inclusion.measures.evidence import (
    measure_status,
)
from inclusion.measures.models import PartnershipMeasure, ValueStatus
from inclusion.measures.periods import calendar_year
from inclusion.measures.services import (
    measure_create,
    observation_record,
    partnership_measure_set,
    target_set,
)

TODAY = dt.date(2025, 6, 1)


def make_measure(partnership, code="local_measure", *, polarity="higher", unit="percentage"):
    measure = measure_create(
        partnership=partnership, code=code, title=f"Measure {code}", unit=unit, polarity=polarity
    )
    return partnership_measure_set(partnership=partnership, measure=measure)


def record_years(partnership, use, values, first_year=2018):
    """Entered yearly values for the partnership's LA; None records a suppressed year."""
    geography = geography_for_partnership(partnership)
    for offset, value in enumerate(values):
        observation_record(
            partnership=partnership,
            measure=use.measure,
            geography=geography,
            period=calendar_year(first_year + offset),
            value=value,
            status=ValueStatus.AVAILABLE if value is not None else ValueStatus.CONFIDENTIAL,
        )


def status_of(use):
    use = PartnershipMeasure.objects.get(pk=use.pk)
    return measure_status(partnership_measure=use, today=TODAY)


# ---------------------------------------------------------------------------------------------
# Against the target, by polarity
# ---------------------------------------------------------------------------------------------


def test_a_higher_is_better_figure_below_target_and_falling_is_red(partnership):
    use = make_measure(partnership)
    record_years(partnership, use, [50, 48, 45, 40.3], first_year=2021)
    target_set(partnership_measure=use, date=dt.date(2026, 3, 31), value=60)

    status = status_of(use)

    assert status.latest == "40.3% (2024)"
    assert status.target == "60% by 31 March 2026"
    assert status.meets_target is False
    assert (status.trend_direction, status.trend_periods) == ("falling", 3)
    assert status.suggested_rag == "red"
    assert status.sentence.startswith(
        "40.3% (2024), below the target of 60% by 31 March 2026 and falling for 3 periods."
    )


def test_a_higher_is_better_figure_below_target_but_rising_is_amber(partnership):
    use = make_measure(partnership)
    record_years(partnership, use, [30, 35], first_year=2023)
    target_set(partnership_measure=use, date=dt.date(2026, 3, 31), value=60)

    status = status_of(use)

    assert status.meets_target is False
    assert status.improving is True
    assert (status.trend_direction, status.trend_periods) == ("rising", 1)
    assert status.suggested_rag == "amber"


def test_a_figure_exactly_on_target_meets_it_and_is_green(partnership):
    use = make_measure(partnership)
    record_years(partnership, use, [70, 60], first_year=2023)
    target_set(partnership_measure=use, date=dt.date(2026, 3, 31), value=60)

    status = status_of(use)

    assert status.meets_target is True
    assert status.suggested_rag == "green"
    assert "meeting the target of 60%" in status.sentence


def test_lower_is_better_reads_the_target_the_other_way(partnership):
    use = make_measure(partnership, "wait_weeks", polarity="lower", unit="weeks")
    record_years(partnership, use, [20, 18], first_year=2023)
    target_set(partnership_measure=use, date=dt.date(2025, 12, 31), value=12)

    status = status_of(use)

    assert status.latest == "18 weeks (2024)"
    assert status.meets_target is False
    assert status.improving is True  # falling is better here
    assert status.suggested_rag == "amber"
    assert "above the target of 12 weeks" in status.sentence


def test_lower_is_better_below_target_is_green(partnership):
    use = make_measure(partnership, "wait_weeks", polarity="lower", unit="weeks")
    record_years(partnership, use, [10, 11], first_year=2023)
    target_set(partnership_measure=use, date=dt.date(2025, 12, 31), value=12)

    status = status_of(use)

    assert status.meets_target is True
    assert status.suggested_rag == "green"


def test_a_context_measure_suggests_no_rating(partnership):
    use = make_measure(partnership, "caseload", polarity="neutral", unit="count")
    record_years(partnership, use, [5000, 5400], first_year=2023)
    target_set(partnership_measure=use, date=dt.date(2025, 12, 31), value=5000)

    status = status_of(use)

    assert status.meets_target is None
    assert status.improving is None
    assert status.suggested_rag == ""
    assert status.latest == "5,400 (2024)"


def test_no_target_suggests_no_rating_but_still_reads_the_trend(partnership):
    use = make_measure(partnership)
    record_years(partnership, use, [40, 41, 42], first_year=2022)

    status = status_of(use)

    assert status.target == ""
    assert status.suggested_rag == ""
    assert status.rag_reason == "no target set"
    assert status.sentence == (
        "42% (2024), no target set and rising for 2 periods. "
        "SPC: too few figures for process limits (3 of the 15 needed)."
    )


def test_no_data_suggests_no_rating(partnership):
    use = make_measure(partnership)
    target_set(partnership_measure=use, date=dt.date(2026, 3, 31), value=60)

    status = status_of(use)

    assert status.latest_value is None
    assert status.suggested_rag == ""
    assert status.target == "60% by 31 March 2026"
    assert status.sentence.startswith("No figure for")
