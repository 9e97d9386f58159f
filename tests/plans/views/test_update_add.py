"""Adding a progress update through the page: the service's rules, shown on the form."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from inclusion.core import audit
from inclusion.plans.models import ProgressUpdate
from tests.factories import ProgressUpdateFactory
from tests.plans.views.html import main_text, page


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(dt.datetime(2019, 9, 2, 12, 0, tzinfo=dt.UTC), tick=False):
        yield


@pytest.fixture
def amber(action):
    ProgressUpdateFactory(action=action, date=dt.date(2019, 8, 1), rag="amber", text="Started.")
    action.rag, action.rag_date = "amber", dt.date(2019, 8, 1)
    action.save()
    return action


def _url(plan, action):
    return reverse("plans:update_add", kwargs={"slug": plan.slug, "action_id": action.pk})


def _post(client, plan, action, **fields):
    data = {
        "date-day": "2",
        "date-month": "9",
        "date-year": "2019",
        "text": "The audit is under way.",
        "rag": "amber",
        "rag_rationale": "",
    }
    data.update(fields)
    return client.post(_url(plan, action), data)


def test_form_starts_with_today_and_the_current_rating(editor_client, plan, amber):
    response = editor_client.get(_url(plan, amber))
    soup = page(response)
    assert soup.select_one("#date-day")["value"] == "2"
    assert soup.select_one("#date-year")["value"] == "2019"
    assert soup.select_one("input[name=rag][checked]")["value"] == "amber"
    assert soup.select_one("form")["novalidate"] is not None
    assert soup.select_one("input[name=csrfmiddlewaretoken]")


def test_update_with_a_new_rating_and_rationale_changes_the_rating_of_record(
    editor_client, users, plan, amber
):
    response = _post(
        editor_client, plan, amber, rag="green", rag_rationale="Audit shows improvement."
    )
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "plans:action_detail", kwargs={"slug": plan.slug, "action_id": amber.pk}
    )
    amber.refresh_from_db()
    assert amber.rag == "green"
    assert amber.rag_date == dt.date(2019, 9, 2)
    update = amber.updates.get(date=dt.date(2019, 9, 2))
    assert update.author == users["plan_editor"]
    assert update.rag_rationale == "Audit shows improvement."
    created = audit.history(update).get()
    assert created.operation == "create" and created.actor == users["plan_editor"]
    assert audit.history(amber).filter(operation="update").exists()
    assert "Progress update added" in main_text(editor_client.get(response["Location"]))


def test_rating_change_without_rationale_is_refused_and_nothing_saved(editor_client, plan, amber):
    response = _post(editor_client, plan, amber, rag="red", text="It slipped.")
    assert response.status_code == 400
    soup = page(response)
    summary = soup.select_one(".govuk-error-summary")
    link = summary.select_one("a")
    assert link["href"] == "#rag_rationale"
    assert "Explain why the rating changes from Amber to Red" in link.get_text()
    assert "Explain why the rating changes" in soup.select_one("#rag_rationale-error").get_text()
    # What was typed is kept.
    assert soup.select_one("#text").get_text() == "It slipped."
    assert soup.select_one("input[name=rag][checked]")["value"] == "red"
    assert soup.title.get_text().startswith("Error: ")
    amber.refresh_from_db()
    assert amber.rag == "amber"
    assert ProgressUpdate.objects.filter(action=amber).count() == 1


def test_same_rating_needs_no_rationale(editor_client, plan, amber):
    assert _post(editor_client, plan, amber, rag="amber").status_code == 302


def test_future_date_is_refused(editor_client, plan, amber):
    response = _post(editor_client, plan, amber, **{"date-day": "3"})
    assert response.status_code == 400
    assert "Date of the update must be today or in the past" in main_text(response)
    assert ProgressUpdate.objects.filter(action=amber).count() == 1


@pytest.mark.parametrize(
    "fields, field_id, message",
    [
        ({"text": "  "}, "text", "Enter the progress made since the last update"),
        ({"rag": ""}, "rag", "Select a RAG rating"),
        ({"date-month": ""}, "date-day", "Date of the update must include a month"),
        (
            {"date-day": "", "date-month": "", "date-year": ""},
            "date-day",
            "Enter the date of the update",
        ),
        (
            {"date-day": "31", "date-month": "6"},
            "date-day",
            "Date of the update must be a real date",
        ),
    ],
)
def test_each_mistake_is_named_against_its_field(
    editor_client, plan, amber, fields, field_id, message
):
    response = _post(editor_client, plan, amber, **fields)
    assert response.status_code == 400
    link = page(response).select_one(".govuk-error-summary a")
    assert link["href"] == f"#{field_id}" and message in link.get_text()
    assert page(response).select_one(f"#{field_id}") is not None


def test_complete_is_offered_as_a_rating(editor_client, plan, amber):
    response = _post(editor_client, plan, amber, rag="blue", rag_rationale="All done.")
    assert response.status_code == 302
    amber.refresh_from_db()
    assert amber.rag == "blue"


def test_not_rated_is_offered_as_a_rating(editor_client, plan, amber):
    response = _post(editor_client, plan, amber, rag="none", rag_rationale="Paused.")
    assert response.status_code == 302
    amber.refresh_from_db()
    assert amber.rag == ""


def test_posting_needs_the_forms_csrf_token(users, plan, amber):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(users["plan_editor"])
    data = {
        "date-day": "2",
        "date-month": "9",
        "date-year": "2019",
        "text": "Progress.",
        "rag": "amber",
    }
    assert client.post(_url(plan, amber), data).status_code == 403
    token = page(client.get(_url(plan, amber))).select_one("input[name=csrfmiddlewaretoken]")
    response = client.post(_url(plan, amber), {**data, "csrfmiddlewaretoken": token["value"]})
    assert response.status_code == 302
