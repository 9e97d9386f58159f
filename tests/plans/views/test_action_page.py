"""An action's page: its details, its timeline, and the action as it stood on a date."""

import datetime as dt

import time_machine
from django.urls import reverse

from inclusion.core.partial_dates import PartialDate
from inclusion.plans.services.actions import (
    action_create,
    action_update,
    deadline_change_add,
    progress_update_add,
)
from tests.factories import ProgressUpdateFactory
from tests.plans.views.html import main_text, page


def _at(day: dt.date):
    return time_machine.travel(dt.datetime.combine(day, dt.time(12), tzinfo=dt.UTC), tick=False)


def _url(plan, action, **query):
    url = reverse("plans:action_detail", kwargs={"slug": plan.slug, "action_id": action.pk})
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def test_action_page_shows_its_details(viewer_client, plan, action, board):
    action.partners = "Schools"
    action.board = board
    action.save()
    with _at(dt.date(2020, 9, 15)):
        response = viewer_client.get(_url(plan, action))
    rows = {
        row.select_one("dt").get_text(strip=True): " ".join(row.select_one("dd").get_text().split())
        for row in page(response).select("main .govuk-summary-list__row")
    }
    assert rows["Area for improvement"] == "To improve the quality of EHC plans"
    assert rows["By when"] == "31 August 2020 Overdue Overdue by 2 weeks"
    assert rows["Leads"] == "Kate Capel"
    assert rows["Partners"] == "Schools"
    assert rows["Board"] == "SEND Health Committee"
    assert rows["Rating"] == "Not rated no update yet"


def test_timeline_is_newest_first_with_the_rationale_of_a_rating_change(
    viewer_client, plan, action
):
    ProgressUpdateFactory(action=action, date=dt.date(2019, 8, 1), rag="amber", text="First.")
    ProgressUpdateFactory(
        action=action,
        date=dt.date(2020, 2, 1),
        rag="green",
        text="Second paragraph one.\n\nSecond paragraph two.",
        rag_rationale="The audit was done.",
        author_name="Kate Capel",
    )
    with _at(dt.date(2020, 3, 1)):
        response = viewer_client.get(_url(plan, action))
    entries = page(response).select("#timeline + ol > li")
    assert [e.select_one("h3").get_text() for e in entries] == [
        "Progress update: 1 February 2020",
        "Progress update: 1 August 2019",
    ]
    newest = " ".join(entries[0].get_text(" ").split())
    assert "Rating: Green (Rating changed from Amber to Green)" in newest
    assert "Why the rating changed The audit was done." in newest
    assert "By Kate Capel" in newest
    assert len(entries[0].select(".app-prose p")) == 2


def test_as_of_view_shows_the_earlier_rating_and_hides_later_updates(viewer_client, plan, action):
    ProgressUpdateFactory(action=action, date=dt.date(2019, 8, 1), rag="amber", text="Early work.")
    ProgressUpdateFactory(action=action, date=dt.date(2020, 2, 1), rag="green", text="Later work.")
    action.rag = "green"
    action.save()
    with _at(dt.date(2020, 3, 1)):
        response = viewer_client.get(_url(plan, action, as_of="2019-08-31"))
    assert response.status_code == 200
    words = main_text(response)
    assert "You are viewing this action as it stood on 31 August 2019" in words
    assert "Early work." in words
    assert "Later work." not in words
    rating = page(response).select("main .govuk-summary-list__row")[-1]
    assert "Amber" in rating.get_text() and "Green" not in rating.get_text()
    # Not overdue yet on 31 August 2019 (due 31 August 2020).
    assert "Overdue" not in words.split("Progress updates and changes")[0]


def test_as_of_view_reads_the_date_input_and_refuses_a_future_date(viewer_client, plan, action):
    with _at(dt.date(2020, 3, 1)):
        ok = viewer_client.get(
            _url(plan, action), {"as_of-day": "1", "as_of-month": "9", "as_of-year": "2019"}
        )
        future = viewer_client.get(_url(plan, action, as_of="2020-03-02"))
        unreal = viewer_client.get(
            _url(plan, action), {"as_of-day": "30", "as_of-month": "2", "as_of-year": "2020"}
        )
    assert "as it stood on 1 September 2019" in main_text(ok)
    assert future.status_code == 400
    assert "Date to view the action on must be today or in the past" in main_text(future)
    assert unreal.status_code == 400
    assert "Date to view the action on must be a real date" in main_text(unreal)


def test_as_of_view_shows_the_wording_and_by_when_as_they_stood(viewer_client, users, plan):
    area = plan.areas.create(title="An area", position=0)
    editor = users["plan_editor"]
    with _at(dt.date(2019, 8, 1)):
        action = action_create(
            area=area,
            how="The original wording.",
            by_when=PartialDate.day(dt.date(2020, 8, 31)),
            leads=["Kate Capel"],
            actor=editor,
        )
        progress_update_add(
            action=action, date=PartialDate.day(dt.date(2019, 8, 1)), text="Started.", rag="amber"
        )
    with _at(dt.date(2019, 10, 1)):
        action.refresh_from_db()
        action_update(
            action=action,
            expected_version=action.version,
            actor=editor,
            how="The new wording.",
            leads=["Health DCO"],
        )
        action.refresh_from_db()
        deadline_change_add(
            action=action,
            new_date=PartialDate.month(2021, 4),
            reason="Mosaic workflows are being reworked.",
            actor=editor,
        )
    with _at(dt.date(2020, 1, 1)):
        then = viewer_client.get(_url(plan, action, as_of="2019-09-01"))
        now = viewer_client.get(_url(plan, action))
    then_words, now_words = main_text(then), main_text(now)
    assert "The original wording." in then_words and "The new wording." not in then_words
    assert "Kate Capel" in then_words and "Health DCO" not in then_words
    assert "31 August 2020" in then_words and "April 2021" not in then_words
    assert "The new wording." in now_words and "Health DCO" in now_words
    assert "By-when changed from 31 August 2020 to April 2021" in now_words
    assert "Mosaic workflows are being reworked." in now_words


def test_as_of_view_says_when_it_has_no_earlier_wording(viewer_client, plan, action):
    with _at(dt.date(2020, 3, 1)):
        response = viewer_client.get(_url(plan, action, as_of="2019-08-31"))
    assert "no earlier record of this action's wording" in main_text(response)


def test_buttons_to_change_the_action_follow_the_permissions(client, users, plan, action):
    # viewer_client and editor_client are one client: sign in as each in turn.
    client.force_login(users["viewer"])
    viewer_words = main_text(client.get(_url(plan, action)))
    client.force_login(users["plan_editor"])
    editor_words = main_text(client.get(_url(plan, action)))
    for button in ("Add a progress update", "Edit the action", "Change the by-when"):
        assert button not in viewer_words
        assert button in editor_words
