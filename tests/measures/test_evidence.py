"""What a measure says against its target, trend and SPC, and the RAG the evidence suggests
(docs/adr/0015-evidence-against-rag.md), each rule branch worked by hand; and the evidence
provider plans reads through core, in a fixed number of queries."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from inclusion.core import evidence as core_evidence
from inclusion.measures import spc
from inclusion.measures.areas import geography_for_partnership
from inclusion.measures.evidence import (
    MeasureEvidenceProvider,
    format_measure_value,
    measure_status,
    measure_statuses,
    partnership_geography,
    status_cache_clear,
)
from inclusion.measures.models import (
    Geography,
    Measure,
    Observation,
    PartnershipMeasure,
    ValueStatus,
)
from inclusion.measures.periods import calendar_year, month
from inclusion.measures.selectors import partnership_measures
from inclusion.measures.services import (
    measure_create,
    measure_evidence_link,
    observation_record,
    partnership_measure_set,
    published_statistics_import,
    target_set,
)
from inclusion.plans.models import Action
from tests.factories import ActionFactory, AreaFactory, PartnershipFactory, PlanFactory
from tests.measures.helpers import ENGLAND, HEADER, LINCOLNSHIRE, csv_bytes, row, write_mapping

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


def test_lower_is_better_exactly_on_target_meets_it(partnership):
    use = make_measure(partnership, "wait_days", polarity="lower", unit="days")
    record_years(partnership, use, [30, 28], first_year=2023)
    target_set(partnership_measure=use, date=dt.date(2025, 12, 31), value=28)

    status = status_of(use)

    assert status.meets_target is True
    assert status.latest == "28 days (2024)"
    assert status.suggested_rag == "green"


def test_lower_is_better_above_target_and_rising_is_red(partnership):
    use = make_measure(partnership, "wait_weeks", polarity="lower", unit="weeks")
    record_years(partnership, use, [14, 16, 18], first_year=2022)
    target_set(partnership_measure=use, date=dt.date(2025, 12, 31), value=12)

    status = status_of(use)

    assert (status.meets_target, status.improving) == (False, False)
    assert (status.trend_direction, status.trend_periods) == ("rising", 2)
    assert status.suggested_rag == "red"


# ---------------------------------------------------------------------------------------------
# Which target, which trend
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("last_year", "expected"),
    [
        # The 2024 figure (period ends 31 December 2024) is on its way to the next target dated
        # on or after that day: 60 by 31 March 2025, not the past 50 or the later 70.
        (2024, "60% by 31 March 2025"),
        # A figure for a period ending on a target's date is judged against that target.
        (2022, "50% by 31 December 2022"),
        # After the last target date, the last target still stands.
        (2028, "70% by 31 March 2027"),
    ],
)
def test_the_target_in_force_is_the_first_dated_on_or_after_the_latest_period_end(
    partnership, last_year, expected
):
    use = make_measure(partnership)
    record_years(partnership, use, [40, 41], first_year=last_year - 1)
    for day, value in ((dt.date(2022, 12, 31), 50), (dt.date(2025, 3, 31), 60)):
        target_set(partnership_measure=use, date=day, value=value)
    target_set(partnership_measure=use, date=dt.date(2027, 3, 31), value=70)

    assert status_of(use).target == expected


def test_with_no_figure_the_target_in_force_is_todays(partnership):
    use = make_measure(partnership)
    target_set(partnership_measure=use, date=dt.date(2025, 3, 31), value=50)
    target_set(partnership_measure=use, date=dt.date(2026, 3, 31), value=60)

    assert status_of(use).target == "60% by 31 March 2026"  # today is 1 June 2025


@pytest.mark.parametrize(
    ("values", "direction", "periods"),
    [
        ([50, 40, 45, 50, 55], "rising", 3),
        ([40, 45, 45], "level", 1),
        ([40, 45, 45, 45], "level", 2),
        ([45, 45, 44], "falling", 1),  # an equal value ends a run, as the SPC trend rule
        ([45], "", 0),
    ],
)
def test_the_trend_counts_the_steps_the_same_way_at_the_end(
    partnership, values, direction, periods
):
    use = make_measure(partnership)
    record_years(partnership, use, values)

    status = status_of(use)

    assert (status.trend_direction, status.trend_periods) == (direction, periods)


def test_unchanged_is_said_in_words(partnership):
    use = make_measure(partnership)
    record_years(partnership, use, [40, 45, 45, 45])

    assert status_of(use).trend == "unchanged for 2 periods"


# ---------------------------------------------------------------------------------------------
# Missing and suppressed figures
# ---------------------------------------------------------------------------------------------


def test_a_suppressed_latest_value_is_skipped_never_read_as_zero(partnership):
    use = make_measure(partnership)
    record_years(partnership, use, [40, 42, None], first_year=2022)
    target_set(partnership_measure=use, date=dt.date(2026, 3, 31), value=60)

    status = status_of(use)

    assert status.latest_value == 42
    assert status.latest == "42% (2023)"
    assert [p.value for p in status.points] == [40, 42, None]
    # The trend runs over the figures there are: 40 to 42, rising (not falling to 0).
    assert (status.trend_direction, status.trend_periods) == ("rising", 1)
    assert [p.period.label for p in status.missing_after_latest] == ["2024"]
    assert status.sentence.endswith(
        "No later figure (2024 'suppressed to protect confidentiality')."
    )
    assert status.suggested_rag == "amber"  # misses 60%, but rising


def test_only_suppressed_figures_are_no_figure(partnership):
    use = make_measure(partnership)
    record_years(partnership, use, [None], first_year=2024)
    target_set(partnership_measure=use, date=dt.date(2026, 3, 31), value=60)

    status = status_of(use)

    assert (status.latest_value, status.suggested_rag) == (None, "")
    assert status.sentence == (
        "No figure for Lincolnshire SEND Partnership yet: 2024 is "
        "'suppressed to protect confidentiality'."
    )


def test_a_partnership_without_la_codes_has_no_figures_and_no_rating(db):
    nowhere = PartnershipFactory(name="Nowhere", slug="nowhere", old_la_code="", new_la_code="")
    use = make_measure(nowhere, "nowhere_measure")
    target_set(partnership_measure=use, date=dt.date(2026, 3, 31), value=60)

    status = status_of(use)

    assert partnership_geography(nowhere) is None
    assert (status.geography_code, status.latest, status.suggested_rag) == ("", "", "")
    assert not Geography.objects.exists()  # reading creates nothing


# ---------------------------------------------------------------------------------------------
# Published and own figures, geographies and breakdowns
# ---------------------------------------------------------------------------------------------


def import_published(tmp_path, rows):
    published_statistics_import(
        source=csv_bytes(HEADER, rows),
        filename="timeliness.csv",
        mapping=write_mapping(tmp_path),
        via="test",
    )
    return Measure.objects.get(code="test_20wk")


def test_the_series_is_the_las_published_figures_with_the_partnerships_own_filling_gaps(
    tmp_path, partnership
):
    measure = import_published(
        tmp_path,
        [
            row("2021", ENGLAND, "All", "All", "100", "60", "60"),
            row("2022", ENGLAND, "All", "All", "100", "61", "61"),
            row("2021", LINCOLNSHIRE, "All", "All", "100", "50", "50"),
            row("2022", LINCOLNSHIRE, "All", "All", "c", "c", "c"),
            row("2023", LINCOLNSHIRE, "All", "All", "100", "45", "45"),
        ],
    )
    use = partnership_measure_set(partnership=partnership, measure=measure)
    lincolnshire = Geography.objects.get(code="E10000019")
    for year, value in ((2022, 47), (2023, 99), (2024, 44)):
        # 2022: fills the suppressed published figure; 2023: the published 45 stands;
        # 2024: not published yet, the partnership's provisional figure.
        observation_record(
            partnership=partnership,
            measure=measure,
            geography=lincolnshire,
            period=calendar_year(year),
            value=value,
        )
    # Neither a breakdown nor another geography is in the series.
    observation_record(
        partnership=partnership,
        measure=measure,
        geography=lincolnshire,
        period=calendar_year(2024),
        value=1,
        breakdown_topic="Sex",
        breakdown="Female",
    )

    status = status_of(use)

    assert [(p.period.label, p.value, p.source) for p in status.points] == [
        ("2021", 50, "imported"),
        ("2022", 47, "entered"),
        ("2023", 45, "imported"),
        ("2024", 44, "entered"),
    ]
    assert status.geography_code == "E10000019"


def test_another_partnerships_entered_figures_are_never_read(partnership, other_partnership):
    use = make_measure(partnership)
    record_years(partnership, use, [40, 41], first_year=2022)
    other_use = partnership_measure_set(partnership=other_partnership, measure=use.measure.__class__.objects.create(code="shared_x", title="Shared", unit="percentage", polarity="higher", kind=Measure.Kind.PUBLISHED))  # fmt: skip
    geography = geography_for_partnership(partnership)
    observation_record(
        partnership=other_partnership,
        measure=other_use.measure,
        geography=geography,
        period=calendar_year(2024),
        value=99,
    )
    mine = partnership_measure_set(partnership=partnership, measure=other_use.measure)

    assert status_of(mine).points == ()


def test_observations_given_by_the_caller_give_the_same_status(tmp_path, partnership):
    measure = import_published(
        tmp_path,
        [
            row("2021", ENGLAND, "All", "All", "100", "60", "60"),
            row("2021", LINCOLNSHIRE, "All", "All", "100", "50", "50"),
            row("2022", LINCOLNSHIRE, "All", "All", "100", "45", "45"),
        ],
    )
    use = partnership_measure_set(partnership=partnership, measure=measure)
    target_set(partnership_measure=use, date=dt.date(2026, 3, 31), value=60)
    use = PartnershipMeasure.objects.get(pk=use.pk)
    every = list(Observation.objects.filter(measure=measure))

    given = measure_status(partnership_measure=use, observations=every, today=TODAY)

    assert given == measure_status(partnership_measure=use, today=TODAY)
    assert given.latest == "45% (2022)"


# ---------------------------------------------------------------------------------------------
# SPC in the rule
# ---------------------------------------------------------------------------------------------


def record_months(partnership, use, values, start=(2023, 1)):
    geography = geography_for_partnership(partnership)
    year, number = start
    for value in values:
        observation_record(
            partnership=partnership,
            measure=use.measure,
            geography=geography,
            period=month(year, number),
            value=value,
        )
        year, number = (year + 1, 1) if number == 12 else (year, number + 1)


def test_meeting_the_target_with_a_special_cause_concern_is_amber(partnership):
    """19 months alternating 79 and 81, then 60: mean 79, mean moving range (18 x 2 + 21) / 19
    = 3, lower process limit 79 - 2.66 x 3 = 71.0; 60 is below it: a concern (low). 60 still
    meets the target of 50."""
    use = make_measure(partnership)
    record_months(partnership, use, [79, 81] * 9 + [79, 60])
    target_set(partnership_measure=use, date=dt.date(2025, 3, 31), value=50)

    status = status_of(use)

    assert status.spc is not None and status.spc_points == 20
    assert status.spc.variation is spc.Variation.CONCERN_LOW
    assert status.meets_target is True
    assert status.suggested_rag == "amber"
    assert status.rag_reason == "meets its target, but SPC shows a special-cause concern"
    assert "SPC: special cause concern: a point below the lower process limit" in status.sentence


def test_missing_the_target_with_a_special_cause_improvement_is_amber_though_the_last_step_fell(
    partnership,
):
    """12 months alternating 49 and 51, then 60, 61, 62, 63, 64, 66, 65: the last 7 above the
    mean (a shift) and above the upper limit: improvement (high), although 66 -> 65 fell."""
    use = make_measure(partnership)
    record_months(partnership, use, [49, 51] * 6 + [60, 61, 62, 63, 64, 66, 65])
    target_set(partnership_measure=use, date=dt.date(2025, 3, 31), value=90)

    status = status_of(use)

    assert status.spc.variation is spc.Variation.IMPROVEMENT_HIGH
    assert (status.trend_direction, status.trend_periods) == ("falling", 1)
    assert (status.meets_target, status.improving) == (False, True)
    assert status.suggested_rag == "amber"
    assert "will be consistently missed unless the process changes" in status.sentence


def test_missing_the_target_with_common_cause_variation_and_a_fall_is_red(partnership):
    use = make_measure(partnership)
    record_months(partnership, use, [49, 51] * 8 + [49])
    target_set(partnership_measure=use, date=dt.date(2025, 3, 31), value=90)

    status = status_of(use)

    assert status.spc.variation is spc.Variation.COMMON_CAUSE
    assert status.suggested_rag == "red"
    assert "SPC: common cause variation." in status.sentence


# ---------------------------------------------------------------------------------------------
# Values as people read them
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "unit", "text"),
    [
        (40.25, "percentage", "40.3%"),
        (1234, "count", "1,234"),
        (1, "days", "1 day"),
        (12.5, "days", "12.5 days"),
        (1, "weeks", "1 week"),
        (31.24, "rate_per_10000", "31.2 per 10,000"),
        (None, "percentage", ""),
    ],
)
def test_values_are_written_with_their_unit(value, unit, text):
    assert format_measure_value(value, unit) == text


# ---------------------------------------------------------------------------------------------
# In bulk, and the provider
# ---------------------------------------------------------------------------------------------


def test_many_measures_are_read_in_a_fixed_number_of_queries(partnership):
    uses = []
    for n in range(12):
        use = make_measure(partnership, f"bulk_{n}")
        record_years(partnership, use, [40 + n, 41 + n], first_year=2023)
        target_set(partnership_measure=use, date=dt.date(2026, 3, 31), value=50)
        uses.append(use)
    loaded = list(partnership_measures(partnership=partnership))

    with CaptureQueriesContext(connection) as queries:
        statuses = measure_statuses(
            partnership=partnership, partnership_measures=loaded, today=TODAY
        )

    # The geography, the figures' versions and the figures (targets were prefetched).
    assert len(queries) == 3
    assert {statuses[u.pk].latest for u in uses} == {f"{41 + n}% (2024)" for n in range(12)}
    assert statuses[uses[0].pk] == status_of(uses[0])


def test_statuses_of_unchanged_figures_are_kept_and_a_changed_figure_is_read_again(partnership):
    """The process keeps statuses by what they were worked out from: asked again, only the
    versions are read; a new figure or a changed target gives a new status at once."""
    uses = []
    for n in range(3):
        use = make_measure(partnership, f"kept_{n}")
        record_years(partnership, use, [40 + n, 41 + n], first_year=2023)
        uses.append(use)
    first = measure_statuses(
        partnership=partnership,
        partnership_measures=list(partnership_measures(partnership=partnership)),
        today=TODAY,
    )

    with CaptureQueriesContext(connection) as queries:
        again = measure_statuses(
            partnership=partnership,
            partnership_measures=list(partnership_measures(partnership=partnership)),
            today=TODAY,
        )
    assert again == first
    figures = [q["sql"] for q in queries.captured_queries if '"measures_observation"' in q["sql"]]
    assert len(figures) == 1 and "COUNT(" in figures[0]  # the versions only, no figure read

    record_years(partnership, uses[0], [30], first_year=2025)
    target_set(partnership_measure=uses[1], date=dt.date(2026, 3, 31), value=99)
    changed = measure_statuses(
        partnership=partnership,
        partnership_measures=list(partnership_measures(partnership=partnership)),
        today=TODAY,
    )
    assert changed[uses[0].pk].latest == "30% (2025)"
    assert changed[uses[1].pk].target != first[uses[1].pk].target
    assert changed[uses[2].pk] == first[uses[2].pk]


def test_bulk_reads_targets_in_one_query_when_not_prefetched(partnership):
    uses = [make_measure(partnership, f"bulk_{n}") for n in range(3)]
    for use in uses:
        target_set(partnership_measure=use, date=dt.date(2026, 3, 31), value=50)
    plain = list(PartnershipMeasure.objects.select_related("measure", "partnership"))

    with CaptureQueriesContext(connection) as queries:
        statuses = measure_statuses(partnership=partnership, partnership_measures=plain)

    assert len(queries) == 3
    assert all(s.target == "50% by 31 March 2026" for s in statuses.values())


@pytest.fixture
def plan_with_links(partnership):
    plan = PlanFactory(partnership=partnership, title="Plan", slug="plan")
    area = AreaFactory(plan=plan, title="Timeliness", position=1)
    other_area = AreaFactory(plan=plan, title="Confidence", position=2)
    direct = ActionFactory(area=area, how="Direct and area", position=1)
    via_area = ActionFactory(area=area, how="Area only", position=2)
    unlinked = ActionFactory(area=other_area, how="Nothing", position=1)
    timeliness = make_measure(partnership, "timeliness")
    record_years(partnership, timeliness, [50, 45], first_year=2023)
    target_set(partnership_measure=timeliness, date=dt.date(2026, 3, 31), value=60)
    survey = make_measure(partnership, "a_survey")
    measure_evidence_link(partnership_measure=timeliness, area=area)
    measure_evidence_link(partnership_measure=timeliness, action=direct)
    measure_evidence_link(partnership_measure=survey, action=direct)
    return plan, direct, via_area, unlinked


def test_the_provider_gives_each_action_its_own_measures_then_its_areas_each_once(
    partnership, plan_with_links
):
    plan, direct, via_area, unlinked = plan_with_links

    found = MeasureEvidenceProvider().for_actions(
        partnership=partnership, action_ids=[direct.pk, via_area.pk, unlinked.pk]
    )

    assert [line.code for line in found[direct.pk]] == ["a_survey", "timeliness"]
    assert [line.code for line in found[via_area.pk]] == ["timeliness"]
    assert unlinked.pk not in found
    line = found[via_area.pk][0]
    assert (line.latest, line.target, line.suggested_rag) == (
        "45% (2024)",
        "60% by 31 March 2026",
        "red",
    )
    assert line.url == reverse("measures:measure_detail", kwargs={"code": "timeliness"})
    assert line.sentence == status_of(PartnershipMeasure.objects.get(measure__code="timeliness")).sentence  # fmt: skip


def test_the_provider_lists_each_measure_of_the_plan_once(partnership, plan_with_links):
    plan = plan_with_links[0]

    lines = MeasureEvidenceProvider().for_plan(partnership=partnership, plan_id=plan.pk)

    assert [line.code for line in lines] == ["a_survey", "timeliness"]


def test_core_asks_the_registered_provider(partnership, plan_with_links):
    plan, direct, *_ = plan_with_links

    found = core_evidence.evidence_for_actions(partnership=partnership, action_ids=[direct.pk])

    assert core_evidence.suggested_rag(found[direct.pk]) == "red"
    assert core_evidence.rag_differs("green", found[direct.pk])


def test_the_provider_never_answers_with_another_partnerships_links(
    partnership, other_partnership, plan_with_links
):
    plan, direct, *_ = plan_with_links

    assert (
        MeasureEvidenceProvider().for_actions(partnership=other_partnership, action_ids=[direct.pk])
        == {}
    )
    assert MeasureEvidenceProvider().for_plan(partnership=other_partnership, plan_id=plan.pk) == []


def test_the_provider_answers_for_two_thousand_actions_in_a_handful_of_queries(
    partnership, plan_with_links, django_assert_max_num_queries
):
    plan, direct, via_area, _ = plan_with_links
    area = via_area.area
    Action.objects.bulk_create(
        Action(area=area, plan=plan, how=f"Bulk {n}", position=100 + n) for n in range(2000)
    )
    ids = list(Action.objects.filter(plan=plan).values_list("pk", flat=True))

    status_cache_clear()
    with django_assert_max_num_queries(7):
        found = MeasureEvidenceProvider().for_actions(partnership=partnership, action_ids=ids)

    assert len(found) == 2002  # every action of the area, and the direct one


def test_a_single_figure_below_target_is_red_nothing_shows_it_recovering(partnership):
    use = make_measure(partnership)
    record_years(partnership, use, [50.3], first_year=2024)
    target_set(partnership_measure=use, date=dt.date(2025, 12, 31), value=90)

    status = status_of(use)

    assert (status.trend_direction, status.improving) == ("", None)
    assert status.suggested_rag == "red"
    assert status.sentence == (
        "50.3% (2024), below the target of 90% by 31 December 2025. "
        "SPC: too few figures for process limits (1 of the 15 needed)."
    )
