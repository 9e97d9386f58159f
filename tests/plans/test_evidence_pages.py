"""The action page and the plan overview show what the linked measures say, and flag (in
words, not colour alone) a rating the evidence does not bear out (issue #3, ADR 0015)."""

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from inclusion.core.partial_dates import PartialDate
from inclusion.measures.areas import geography_for_partnership
from inclusion.measures.periods import calendar_year
from inclusion.measures.services import (
    measure_create,
    measure_evidence_link,
    observation_record,
    partnership_measure_set,
    target_set,
)
from inclusion.plans.services.actions import progress_update_add
from tests.factories import ActionFactory, ActionLeadFactory, AreaFactory, PlanFactory
from tests.plans.views.html import main_text, page

TODAY = dt.date(2025, 6, 2)
TIMELINESS = "EHC plans issued within 20 weeks"


def at_today():
    return time_machine.travel(dt.datetime.combine(TODAY, dt.time(12), tzinfo=dt.UTC), tick=False)


def linked_measure(partnership, *, code, title, values, target, polarity="higher", unit="percentage", area=None, action=None):  # fmt: skip
    """A partnership's measure with yearly figures from 2021, a target for 31 March 2026, and
    a link to an area or an action: all through the real services."""
    measure = measure_create(
        partnership=partnership, code=code, title=title, unit=unit, polarity=polarity
    )
    use = partnership_measure_set(partnership=partnership, measure=measure)
    geography = geography_for_partnership(partnership)
    for offset, value in enumerate(values):
        observation_record(
            partnership=partnership,
            measure=measure,
            geography=geography,
            period=calendar_year(2021 + offset),
            value=value,
        )
    if target is not None:
        target_set(partnership_measure=use, date=dt.date(2026, 3, 31), value=target)
    measure_evidence_link(partnership_measure=use, area=area, action=action)
    return use


def rate(action, rag, day=dt.date(2025, 5, 1)):
    progress_update_add(
        action=action,
        date=PartialDate.day(day),
        text="Progress this month.",
        rag=rag,
        require_rationale=False,
    )
    action.refresh_from_db()
    return action


@pytest.fixture
def plan(partnership):
    return PlanFactory(partnership=partnership, title="Inclusion plan", slug="inclusion-plan")


@pytest.fixture
def area(plan):
    return AreaFactory(plan=plan, title="Timeliness of EHC plans", position=1)


@pytest.fixture
def amber_action(area):
    action = ActionFactory(area=area, how="Clear the backlog of assessments", position=1)
    ActionLeadFactory(action=action, name="Head of SEND")
    return rate(action, "amber")


@pytest.fixture
def falling_timeliness(partnership, area):
    """Linked to the area: 40.3% in 2024, below the 60% target and falling for 3 periods."""
    return linked_measure(
        partnership,
        code="ehcp_20wk_local",
        title=TIMELINESS,
        values=[50, 48, 45, 40.3],
        target=60,
        area=area,
    )


def action_url(action):
    return reverse("plans:action_detail", kwargs={"slug": action.plan.slug, "action_id": action.pk})


def test_the_action_page_lists_what_its_area_measures_say(
    viewer_client, amber_action, falling_timeliness
):
    with at_today():
        response = viewer_client.get(action_url(amber_action))

    assert response.status_code == 200
    table = page(response).select_one("#measures ~ .app-table-wrapper table")
    cells = [" ".join(td.get_text().split()) for td in table.select("tbody td")]
    assert cells[0] == TIMELINESS
    assert cells[1:3] == ["40.3% (2024)", "60% by 31 March 2026"]
    assert cells[3].startswith("40.3% (2024), below the target of 60% by 31 March 2026")
    assert "falling for 3 periods" in cells[3]
    assert cells[4] == "Red"


def test_the_action_page_warns_in_words_when_the_rating_and_the_measures_differ(
    viewer_client, amber_action, falling_timeliness
):
    with at_today():
        response = viewer_client.get(action_url(amber_action))

    warning = page(response).select_one("main .govuk-warning-text")
    assert warning is not None
    words = " ".join(warning.get_text().split())
    assert "RAG given: Amber. The measures suggest Red: EHC plans issued within 20 weeks:" in words
    assert "below the target of 60%" in words
    # The icon's text is there for screen readers: the warning is not carried by colour.
    assert "Rating and measures differ" in words


def test_no_warning_when_the_rating_agrees_with_the_measures(
    viewer_client, area, falling_timeliness
):
    red = rate(ActionFactory(area=area, how="Recruit more EHC coordinators"), "red")

    with at_today():
        response = viewer_client.get(action_url(red))

    assert page(response).select_one("main .govuk-warning-text") is None
    assert "What the measures say" in main_text(response)


def test_a_measure_linked_to_the_action_itself_is_listed_before_its_area_measures(
    viewer_client, partnership, amber_action, falling_timeliness
):
    linked_measure(
        partnership,
        code="zz_parent_confidence",
        title="Parents more confident after workshops",
        values=[70, 80],
        target=75,
        action=amber_action,
    )

    with at_today():
        response = viewer_client.get(action_url(amber_action))

    titles = [
        " ".join(row.select_one("td").get_text().split())
        for row in page(response).select("#measures ~ .app-table-wrapper table tbody tr")
    ]
    assert titles == ["Parents more confident after workshops", TIMELINESS]


def test_an_action_with_no_measure_says_so(viewer_client, amber_action):
    with at_today():
        response = viewer_client.get(action_url(amber_action))

    assert "No measure is linked to this action or its area for improvement." in main_text(response)


def test_an_earlier_view_shows_todays_figures_without_flagging_a_difference(
    viewer_client, amber_action, falling_timeliness
):
    with at_today():
        response = viewer_client.get(
            action_url(amber_action) + "?as_of-day=10&as_of-month=5&as_of-year=2025"
        )

    assert response.status_code == 200
    assert page(response).select_one("main .govuk-warning-text") is None
    assert "These are the latest figures held today" in main_text(response)


def test_another_partnerships_measures_never_reach_the_page(
    viewer_client, other_partnership, amber_action, falling_timeliness
):
    other_plan = PlanFactory(partnership=other_partnership, title="Theirs", slug="theirs")
    other_area = AreaFactory(plan=other_plan)
    other_partnership.new_la_code = "E06000017"
    other_partnership.save()
    linked_measure(
        other_partnership,
        code="their_measure",
        title="Their measure",
        values=[1, 2],
        target=3,
        area=other_area,
    )

    with at_today():
        response = viewer_client.get(action_url(amber_action))

    assert "Their measure" not in main_text(response)


# ---------------------------------------------------------------------------------------------
# The plan overview
# ---------------------------------------------------------------------------------------------


def overview(client, plan):
    with at_today():
        return client.get(reverse("plans:plan_detail", kwargs={"slug": plan.slug}))


def test_the_overview_lists_the_actions_whose_rating_the_measures_do_not_bear_out(
    viewer_client, plan, area, amber_action, falling_timeliness
):
    agreeing = rate(ActionFactory(area=area, how="Recruit more EHC coordinators"), "red")
    other_area = AreaFactory(plan=plan, title="Parents' confidence", position=2)
    green = rate(ActionFactory(area=other_area, how="Run workshops"), "green")
    complete = rate(ActionFactory(area=area, how="Publish the backlog figures"), "blue")

    response = overview(viewer_client, plan)

    assert response.status_code == 200
    section = page(response).select_one("#measures ~ .app-table-wrapper table")
    rows = [[" ".join(c.get_text().split()) for c in tr.select("td")] for tr in section.select("tbody tr")]  # fmt: skip
    assert len(rows) == 1
    assert rows[0][:3] == ["Clear the backlog of assessments", "Amber", "Red"]
    assert rows[0][3].startswith("RAG given: Amber. The measures suggest Red:")
    link = section.select_one("tbody a")["href"]
    assert link == action_url(amber_action)
    text = main_text(response)
    assert "The measures linked to 1 rated action suggest a different rating" in text
    for quiet in (agreeing, green, complete):
        assert quiet.how not in section.get_text()


def test_the_overview_says_when_every_rating_agrees(viewer_client, plan, area, falling_timeliness):
    rate(ActionFactory(area=area, how="Recruit more EHC coordinators"), "red")

    text = main_text(overview(viewer_client, plan))

    assert "1 rated action has measures linked, and no rating differs" in text


def test_the_overview_of_a_plan_without_measures_says_so(viewer_client, plan, amber_action):
    text = main_text(overview(viewer_client, plan))

    assert "No rated action has a measure linked to it or to its area for improvement." in text


def _add_area_with_measure(partnership, plan, a, actions):
    area = AreaFactory(plan=plan, title=f"Area {a}", position=a)
    linked_measure(
        partnership, code=f"measure_{a}", title=f"Measure {a}", values=[50, 40], target=60,
        area=area,
    )  # fmt: skip
    for n in range(actions):
        rate(ActionFactory(area=area, how=f"Action {a}.{n}", position=n), "green")


def test_the_overview_asks_for_the_evidence_in_a_fixed_number_of_queries(
    viewer_client, partnership, plan
):
    """One area with one action, then six areas with 25 actions: the same number of queries
    (no query per action or per measure)."""
    _add_area_with_measure(partnership, plan, 0, 1)
    with CaptureQueriesContext(connection) as small:
        overview(viewer_client, plan)
    for a in range(1, 6):
        _add_area_with_measure(partnership, plan, a, 5)

    with CaptureQueriesContext(connection) as big:
        response = overview(viewer_client, plan)

    assert "The measures linked to 26 rated actions suggest a different rating" in main_text(
        response
    )
    assert len(big) == len(small)
