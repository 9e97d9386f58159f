"""The plan list, a plan's overview and the board report download."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from inclusion.plans.forms import REPORT_FORMATS
from tests.factories import ActionFactory, AreaFactory, PlanFactory, ProgressUpdateFactory
from tests.plans.views.html import main_text, page

TODAY = dt.date(2020, 9, 15)


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(dt.datetime(2020, 9, 15, 12, 0, tzinfo=dt.UTC), tick=False):
        yield TODAY


@pytest.fixture
def rated(plan, action):
    """Three actions: one Red and overdue, one Green due later, one Complete and past due."""
    action.rag = "red"
    action.by_when = dt.date(2020, 8, 31)
    action.save()
    ProgressUpdateFactory(action=action, date=dt.date(2019, 9, 1), rag="red", text="Stuck.")
    area = AreaFactory(plan=plan, title="Second area")
    green = ActionFactory(area=area, how="Green one", by_when=dt.date(2021, 3, 31), rag="green")
    done = ActionFactory(area=area, how="Done one", by_when=dt.date(2020, 1, 31), rag="blue")
    return action, green, done


def test_plan_list_shows_only_our_partnerships_plans_with_their_ratings(
    viewer_client, rated, plan, other_plan
):
    response = viewer_client.get(reverse("plans:plan_list"))
    words = main_text(response)
    assert plan.title in words
    assert other_plan.title not in words
    assert "Red 1" in words and "Green 1" in words and "Complete 1" in words
    assert "1 overdue action" in words


def test_overview_counts_ratings_in_words_and_lists_overdue_actions(viewer_client, rated, plan):
    red, green, done = rated
    response = viewer_client.get(reverse("plans:plan_detail", kwargs={"slug": plan.slug}))
    assert response.status_code == 200
    words = main_text(response)
    assert "3 actions in this plan" in words
    assert "Red 1 action (33%)" in words
    assert "Amber 0 actions (0%)" in words
    overdue = page(response).select_one("#overdue").find_next("table")
    assert red.how in overdue.get_text()
    assert "Overdue by 2 weeks" in overdue.get_text()
    # Complete work is never overdue, and Green due next year is not yet.
    assert done.how not in overdue.get_text()
    assert green.how not in overdue.get_text()


def test_overview_shows_changes_since_the_last_report_date(viewer_client, rated, plan):
    red, _, _ = rated
    ProgressUpdateFactory(action=red, date=dt.date(2019, 7, 1), rag="amber", text="Before.")
    response = viewer_client.get(reverse("plans:plan_detail", kwargs={"slug": plan.slug}))
    words = main_text(response)
    assert "Changes after 31 July 2019" in words
    assert "1 progress update," in words


def test_overview_changes_since_a_chosen_date(viewer_client, rated, plan):
    url = reverse("plans:plan_detail", kwargs={"slug": plan.slug})
    response = viewer_client.get(url, {"since-day": "2", "since-month": "9", "since-year": "2019"})
    words = main_text(response)
    assert "Changes after 2 September 2019" in words
    assert "0 progress updates" in words


def test_overview_refuses_a_changes_date_that_is_not_real(viewer_client, plan):
    url = reverse("plans:plan_detail", kwargs={"slug": plan.slug})
    response = viewer_client.get(url, {"since-day": "31", "since-month": "2", "since-year": "2019"})
    assert response.status_code == 400
    summary = page(response).select_one(".govuk-error-summary")
    assert "Changes since must be a real date" in summary.get_text()
    assert page(response).title.get_text().startswith("Error: ")


def test_overview_without_report_date_asks_for_one(viewer_client, partnership):
    plan = PlanFactory(partnership=partnership, title="New plan", slug="new-plan")
    response = viewer_client.get(reverse("plans:plan_detail", kwargs={"slug": plan.slug}))
    assert "No report date is recorded" in main_text(response)


def test_every_offered_report_format_is_one_the_report_renders():
    from inclusion.plans.reports import FORMATS

    assert {value for value, _ in REPORT_FORMATS} == set(FORMATS)


def test_report_download_gives_the_file(viewer_client, rated, plan):
    url = reverse("plans:plan_report", kwargs={"slug": plan.slug})
    response = viewer_client.get(
        url, {"format": "md", "as_of": "2019-09-30", "since": "2019-07-31"}
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/markdown")
    assert "attachment" in response["Content-Disposition"]
    assert "2019-09-30.md" in response["Content-Disposition"]
    assert "Stuck." in response.content.decode()


def test_report_download_reads_the_date_inputs(viewer_client, rated, plan):
    url = reverse("plans:plan_report", kwargs={"slug": plan.slug})
    query = {"format": "json", "as_of-day": "30", "as_of-month": "9", "as_of-year": "2019"}
    response = viewer_client.get(url, query)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert "2019-09-30" in response["Content-Disposition"]


def test_report_without_a_format_shows_the_download_form(viewer_client, plan):
    response = viewer_client.get(reverse("plans:plan_report", kwargs={"slug": plan.slug}))
    assert response.status_code == 200
    assert page(response).select_one("h1").get_text() == "Download the board report"


@pytest.mark.parametrize(
    "query, message",
    [
        ({"format": "exe"}, "Select a format of the report from the list"),
        ({"format": ""}, "Select the format of the report"),
        ({"format": "md", "as_of": "2020-09-16"}, "Report date must be today or in the past"),
        (
            {"format": "md", "as_of": "2019-08-31", "since": "2019-09-01"},
            "Changes since must be on or before the report date",
        ),
        (
            {"format": "md", "as_of-day": "31", "as_of-month": "", "as_of-year": "2019"},
            "Report date must include a month",
        ),
    ],
)
def test_report_mistakes_are_named_on_the_form(viewer_client, plan, query, message):
    url = reverse("plans:plan_report", kwargs={"slug": plan.slug})
    response = viewer_client.get(url, query)
    assert response.status_code == 400
    assert message in page(response).select_one(".govuk-error-summary").get_text()


def test_plan_list_offers_import_only_to_those_who_may_import(client, users, plan):
    client.force_login(users["plan_editor"])
    assert "Import a plan" in main_text(client.get(reverse("plans:plan_list")))
    client.force_login(users["viewer"])
    assert "Import a plan" not in main_text(client.get(reverse("plans:plan_list")))


def test_overview_links_to_todays_report_with_changes_since_the_last_report(viewer_client, plan):
    response = viewer_client.get(reverse("plans:plan_detail", kwargs={"slug": plan.slug}))
    links = {a.get_text(strip=True): a["href"] for a in page(response).select("#report ~ ul a")}
    word = links["Word document (.docx)"]
    assert word.startswith(reverse("plans:plan_report", kwargs={"slug": plan.slug}))
    assert "format=docx" in word and "as_of=2020-09-15" in word and "since=2019-07-31" in word
    assert len(links) == len(REPORT_FORMATS)
