import datetime as dt

import pytest
from django.http import Http404, QueryDict

from inclusion.core.partial_dates import PartialDate, parse_partial_date
from inclusion.plans.models import Rag
from inclusion.plans.selectors import (
    ActionFilters,
    action_get_for_user,
    action_list,
    action_state_as_of,
    plan_changes_since,
    plan_get_for_user,
    plan_overview,
    plans_for_user,
    rag_summary,
)
from inclusion.plans.services.actions import action_create, deadline_change_add, progress_update_add
from tests.factories import AreaFactory, BoardFactory, PlanFactory

pytestmark = pytest.mark.django_db

TODAY = dt.date(2020, 9, 15)


def day(y, m, d):
    return PartialDate.day(dt.date(y, m, d))


@pytest.fixture
def plan(partnership):
    return PlanFactory(
        partnership=partnership, slug="action-plan", last_report_date=dt.date(2019, 8, 31)
    )


@pytest.fixture
def actions(plan):
    board = BoardFactory(partnership=plan.partnership, name="SEND Steering Group")
    area1 = AreaFactory(plan=plan, position=0, title="Attainment")
    area2 = AreaFactory(plan=plan, position=1, title="Autism waiting times")
    a = action_create(
        area=area1,
        how="Focused work with schools",
        by_when=parse_partial_date("31.08.20"),
        leads=["Martin Smith"],
        board=board,
    )
    b = action_create(
        area=area2,
        how="New diagnostic pathway",
        by_when=parse_partial_date("April 2020"),
        leads=["Sally Savage", "CCG"],
    )
    c = action_create(
        area=area2,
        how="Reduce the waiting list",
        by_when=parse_partial_date("September 2020"),
        leads=["Sally Savage"],
    )
    progress_update_add(
        action=a, date=PartialDate.month(2019, 8), text="Funding secured.", rag="amber"
    )
    progress_update_add(
        action=a, date=day(2020, 3, 1), text="Gap closing.", rag="green", rationale="Gap down to 3%"
    )
    progress_update_add(
        action=b, date=PartialDate.month(2019, 8), text="Proposals supported.", rag="amber"
    )
    return a, b, c


def test_plans_are_scoped_to_the_users_partnership(plan, users, outsider):
    assert list(plans_for_user(users["viewer"])) == [plan]
    assert list(plans_for_user(outsider)) == []
    with pytest.raises(Http404):
        plan_get_for_user(outsider, slug=plan.slug)


def test_another_partnerships_action_is_not_found(plan, actions, outsider):
    with pytest.raises(Http404):
        action_get_for_user(outsider, plan=plan, action_id=actions[0].pk)


def test_overdue_means_past_the_deadline_and_not_complete_with_a_month_meaning_its_last_day(
    plan, actions
):
    a, b, c = actions
    overdue = list(action_list(plan=plan, filters=ActionFilters(overdue=True), today=TODAY))
    # a: 31 Aug 2020 passed; b: April 2020 over; c: September 2020 not over until 1 October.
    assert overdue == [a, b]
    assert [x.is_overdue(TODAY) for x in actions] == [True, True, False]
    assert not c.is_overdue(dt.date(2020, 9, 30)) and c.is_overdue(dt.date(2020, 10, 1))
    progress_update_add(
        action=a, date=day(2020, 9, 1), text="Done.", rag="blue", rationale="complete"
    )
    assert list(action_list(plan=plan, filters=ActionFilters(overdue=True), today=TODAY)) == [b]


def test_filters_narrow_by_lead_board_rag_and_words(plan, actions):
    a, b, c = actions

    def run(query):
        return list(
            action_list(plan=plan, filters=ActionFilters.from_query(QueryDict(query)), today=TODAY)
        )

    assert run("lead=sally+savage") == [b, c]
    assert run(f"board={a.board_id}") == [a]
    assert run("rag=amber") == [b]
    assert run("rag=none") == [c]
    assert run("rag=green&rag=amber") == [a, b]
    assert run("q=waiting") == [b, c]
    assert run("board=not-a-uuid") == []
    assert run(f"area={a.area_id}") == [a]


def test_state_as_of_gives_the_rating_and_progress_as_they_stood_then(actions):
    a, b, _ = actions
    then = action_state_as_of(a, dt.date(2019, 12, 31))
    assert then.rag == Rag.AMBER
    assert [u.text for u in then.updates] == ["Funding secured."]
    now = action_state_as_of(a, TODAY)
    assert now.rag == Rag.GREEN and now.latest_update.text == "Gap closing."
    assert action_state_as_of(a, dt.date(2019, 7, 31)).rag == Rag.NOT_RATED


def test_state_as_of_applies_deadline_changes_made_by_then(actions):
    _, b, _ = actions
    deadline_change_add(
        action=b,
        new_date=parse_partial_date("March 2021"),
        reason="Demand post-pandemic",
        changed_on=dt.date(2020, 5, 1),
    )
    b.refresh_from_db()
    assert action_state_as_of(b, dt.date(2020, 4, 15)).by_when.iso() == "2020-04"
    assert action_state_as_of(b, dt.date(2020, 5, 2)).by_when.iso() == "2021-03"
    assert action_state_as_of(b, dt.date(2020, 5, 2)).overdue is False
    assert action_state_as_of(b, dt.date(2020, 4, 30)).overdue is False
    # As of 1 May (the change made that day), the new date applies.
    assert action_state_as_of(b, dt.date(2020, 5, 1)).by_when.iso() == "2021-03"


def test_changes_since_lists_updates_rag_changes_and_deadline_changes_in_the_window(plan, actions):
    a, b, _ = actions
    deadline_change_add(
        action=b,
        new_date=parse_partial_date("March 2021"),
        reason="r",
        changed_on=dt.date(2020, 5, 1),
    )
    changes = plan_changes_since(plan, dt.date(2019, 8, 31), TODAY)
    assert [u.text for u in changes.updates] == ["Gap closing."]
    assert [(c.old_rag, c.new_rag) for c in changes.rag_changes] == [("amber", "green")]
    assert len(changes.deadline_changes) == 1
    assert plan_changes_since(plan, TODAY, TODAY).empty


def test_overview_counts_ratings_and_lists_overdue(plan, actions):
    overview = plan_overview(plan=plan, today=TODAY)
    assert overview.rag_counts == {"red": 0, "amber": 1, "green": 1, "blue": 0, "": 1}
    assert overview.total == 3
    assert len(overview.overdue) == 2
    assert overview.changes is not None and overview.changes.update_count == 1


def test_rag_summary_counts_every_rating_including_not_rated():
    assert rag_summary(["amber", "amber", "", "green"]) == {
        "red": 0,
        "amber": 2,
        "green": 1,
        "blue": 0,
        "": 1,
    }


def test_overview_lists_only_the_longest_overdue_but_counts_them_all(plan):
    from inclusion.plans.selectors import OVERVIEW_LIMIT

    area = AreaFactory(plan=plan)
    for n in range(OVERVIEW_LIMIT + 5):
        action_create(area=area, how=f"a{n}", by_when=day(2020, 1, 1 + n), leads=[])
    overview = plan_overview(plan=plan, today=TODAY)
    assert overview.overdue_count == OVERVIEW_LIMIT + 5
    assert len(overview.overdue) == OVERVIEW_LIMIT
    assert overview.overdue[0].how == "a0"  # the longest overdue first


def test_changes_since_takes_the_rating_before_the_window_from_the_last_earlier_update(
    plan, actions
):
    a, _, _ = actions
    # a: amber (Aug 2019), green (1 Mar 2020). A window from 2 Mar sees no change of a's rating;
    # a red update inside it changes green to red.
    progress_update_add(action=a, date=day(2020, 6, 1), text="Slipped.", rag="red", rationale="r")
    changes = plan_changes_since(plan, dt.date(2020, 3, 2), TODAY)
    assert [(c.old_rag, c.new_rag) for c in changes.rag_changes] == [("green", "red")]


def test_the_overdue_query_and_the_overdue_rule_agree_on_every_day_around_a_deadline(plan):
    """`overdue_q` (for lists) and `is_overdue` (for one action) are one rule in two forms."""
    area = AreaFactory(plan=plan)
    month = action_create(area=area, how="m", by_when=parse_partial_date("April 2020"), leads=[])
    dayed = action_create(area=area, how="d", by_when=parse_partial_date("15.04.20"), leads=[])
    for offset in range(-20, 40):
        on = dt.date(2020, 4, 10) + dt.timedelta(days=offset)
        listed = set(action_list(plan=plan, filters=ActionFilters(overdue=True), today=on))
        assert listed == {a for a in (month, dayed) if a.is_overdue(on)}, on


def test_plan_state_without_history_gives_the_same_ratings_and_latest_updates(plan, actions):
    from inclusion.plans.selectors import plan_actions_as_of

    for on in (dt.date(2019, 7, 1), dt.date(2019, 12, 31), TODAY):
        full = plan_actions_as_of(plan, on)
        light = plan_actions_as_of(plan, on, history=False)
        assert [(s.rag, s.latest_update, s.overdue) for _, s in full] == [
            (s.rag, s.latest_update, s.overdue) for _, s in light
        ]


def test_the_changes_summary_counts_what_the_full_list_holds(plan, actions):
    """The overview's SQL counts and the board report's full list are one rule."""
    from inclusion.plans.selectors import plan_changes_summary

    a, b, c = actions
    progress_update_add(action=a, date=day(2020, 6, 1), text="Slipped.", rag="red", rationale="r")
    progress_update_add(action=a, date=day(2020, 6, 2), text="Still red.", rag="red")
    progress_update_add(action=c, date=day(2020, 6, 3), text="First rating.", rag="amber")
    deadline_change_add(
        action=b,
        new_date=parse_partial_date("March 2021"),
        reason="r",
        changed_on=dt.date(2020, 5, 1),
    )
    for since in (
        dt.date(2019, 1, 1),
        dt.date(2019, 8, 31),
        dt.date(2020, 3, 1),
        dt.date(2020, 6, 1),
    ):
        full = plan_changes_since(plan, since, TODAY)
        summary = plan_changes_summary(plan, since, TODAY, limit=2)
        assert summary.update_count == len(full.updates), since
        assert summary.rag_change_count == len(full.rag_changes), since
        assert summary.deadline_change_count == len(full.deadline_changes), since
        expected = sorted(
            ((ch.update.pk, ch.old_rag, ch.new_rag) for ch in full.rag_changes), key=str
        )
        got = [(ch.update.pk, ch.old_rag, ch.new_rag) for ch in summary.rag_changes]
        assert len(got) == min(2, len(expected)) and set(got) <= set(expected), since
