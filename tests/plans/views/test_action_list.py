"""The action list: each filter narrows it, the filters in force are shown, and long
lists are paged."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from inclusion.plans.models import Priority
from tests.factories import ActionFactory, ActionLeadFactory, AreaFactory
from tests.plans.views.html import main_text, page


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(dt.datetime(2020, 9, 15, 12, 0, tzinfo=dt.UTC), tick=False):
        yield


@pytest.fixture
def actions(plan, board):
    """Four actions that differ in every way a filter can tell."""
    priority = Priority.objects.create(plan=plan, title="Improving provision", position=0)
    first_area = AreaFactory(plan=plan, title="Attainment in primary", priority=priority)
    second_area = AreaFactory(plan=plan, title="Quality of EHC plans")
    reading = ActionFactory(
        area=first_area, how="Focused reading work", rag="amber", by_when=dt.date(2020, 8, 31)
    )
    coding = ActionFactory(
        area=first_area,
        how="Accurate census coding",
        rag="red",
        by_when=dt.date(2021, 8, 31),
        board=board,
    )
    health = ActionFactory(
        area=second_area, how="Health outcomes in plans", rag="blue", by_when=dt.date(2020, 1, 31)
    )
    unrated = ActionFactory(
        area=second_area,
        how="Audit of plans",
        rag="",
        by_when=dt.date(2020, 9, 1),
        by_when_precision="month",
    )
    ActionLeadFactory(action=reading, name="Martin Smith")
    ActionLeadFactory(action=coding, name="Kate Capel")
    ActionLeadFactory(action=health, name="Health DCO")
    ActionLeadFactory(action=unrated, name="Kate Capel")
    return {
        "reading": reading,
        "coding": coding,
        "health": health,
        "unrated": unrated,
        "priority": priority,
        "first_area": first_area,
    }


def _listed(client, plan, query):
    response = client.get(reverse("plans:action_list", kwargs={"slug": plan.slug}), query)
    assert response.status_code == 200
    table = page(response).select_one("main table")
    listed = set()
    if table:
        for link in table.select("tbody a"):
            listed.add(link.get_text().strip())
    return listed, response


def test_without_filters_every_action_is_listed(viewer_client, plan, actions):
    listed, response = _listed(viewer_client, plan, {})
    assert len(listed) == 4
    assert "4 actions found" in main_text(response)


def test_priority_filter(viewer_client, plan, actions):
    listed, _ = _listed(viewer_client, plan, {"priority": str(actions["priority"].pk)})
    assert listed == {"Focused reading work", "Accurate census coding"}


def test_area_filter(viewer_client, plan, actions):
    listed, _ = _listed(viewer_client, plan, {"area": str(actions["first_area"].pk)})
    assert listed == {"Focused reading work", "Accurate census coding"}


def test_lead_filter(viewer_client, plan, actions):
    listed, _ = _listed(viewer_client, plan, {"lead": "Kate Capel"})
    assert listed == {"Accurate census coding", "Audit of plans"}


def test_board_filter(viewer_client, plan, actions, board):
    listed, response = _listed(viewer_client, plan, {"board": str(board.pk)})
    assert listed == {"Accurate census coding"}
    assert "Board: SEND Health Committee" in main_text(response)


def test_rating_filter_takes_several_ratings_including_not_rated(viewer_client, plan, actions):
    listed, response = _listed(viewer_client, plan, {"rag": ["red", "none"]})
    assert listed == {"Accurate census coding", "Audit of plans"}
    words = main_text(response)
    assert "Rating: Red" in words and "Rating: Not rated" in words
    checked = {box["value"] for box in page(response).select("input[name=rag][checked]")}
    assert checked == {"red", "none"}


def test_overdue_filter_uses_today_and_spares_complete_and_current_month(
    viewer_client, plan, actions
):
    # Today is 15 September 2020: reading (31 August) is overdue; health is past due but
    # complete; the audit is due "September 2020", which has not ended yet.
    listed, response = _listed(viewer_client, plan, {"overdue": "1"})
    assert listed == {"Focused reading work"}
    assert "Overdue by 2 weeks" in main_text(response)


def test_words_filter_searches_how_area_and_leads(viewer_client, plan, actions):
    assert _listed(viewer_client, plan, {"q": "census"})[0] == {"Accurate census coding"}
    assert _listed(viewer_client, plan, {"q": "EHC"})[0] == {
        "Health outcomes in plans",
        "Audit of plans",
    }
    assert _listed(viewer_client, plan, {"q": "martin"})[0] == {"Focused reading work"}


def test_filters_combine(viewer_client, plan, actions):
    listed, _ = _listed(viewer_client, plan, {"lead": "Kate Capel", "rag": "red"})
    assert listed == {"Accurate census coding"}


def test_each_applied_filter_has_a_link_that_removes_it(viewer_client, plan, actions):
    _, response = _listed(viewer_client, plan, {"rag": ["red", "amber"], "q": "a"})
    links = {a.get_text(" ", strip=True): a["href"] for a in page(response).select("main ul a")}
    remove_red = next(href for text, href in links.items() if "Rating: Red" in text)
    assert "rag=amber" in remove_red and "rag=red" not in remove_red and "q=a" in remove_red


def test_no_match_says_so(viewer_client, plan, actions):
    listed, response = _listed(viewer_client, plan, {"q": "nothing like this"})
    assert listed == set()
    assert "No action matches" in main_text(response)


def test_more_than_a_hundred_actions_are_paged_keeping_the_filters(viewer_client, plan):
    area = AreaFactory(plan=plan, title="Many")
    ActionFactory.create_batch(101, area=area, rag="amber")
    listed, response = _listed(viewer_client, plan, {"rag": "amber"})
    assert len(listed) == 100
    assert "Showing 1 to 100 of 101" in main_text(response)
    next_link = page(response).select_one(".govuk-pagination__next a")["href"]
    assert "rag=amber" in next_link and "page=2" in next_link
    listed, _ = _listed(viewer_client, plan, {"rag": "amber", "page": "2"})
    assert len(listed) == 1
