"""Editing an action: two people editing at once lose nothing; a by-when changes only
with a reason."""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from inclusion.core.partial_dates import PartialDate
from inclusion.plans.models import DeadlineChange
from tests.plans.views.html import main_text, page


@pytest.fixture
def editors(users):
    """Two signed-in editors, each with a browser of their own."""
    first, second = Client(), Client()
    first.force_login(users["plan_editor"])
    second.force_login(users["admin"])
    return first, second


def _edit_url(plan, action):
    return reverse("plans:action_edit", kwargs={"slug": plan.slug, "action_id": action.pk})


def _version_on_page(response) -> str:
    return page(response).select_one("input[name=version]")["value"]


def _form(version, **fields):
    data = {"how": "", "partners": "", "board": "", "leads": "Kate Capel", "version": version}
    data.update(fields)
    return data


def test_edit_form_is_filled_with_the_action(editor_client, plan, action, board):
    response = editor_client.get(_edit_url(plan, action))
    soup = page(response)
    assert soup.select_one("#how").get_text() == action.how
    assert soup.select_one("#leads").get_text().strip() == "Kate Capel"
    assert _version_on_page(response) == str(action.version)
    assert [o.get_text() for o in soup.select("#board option")] == [
        "No board",
        "SEND Health Committee",
    ]


def test_saving_changes_the_action_and_its_leads(editor_client, plan, action, board):
    response = editor_client.post(
        _edit_url(plan, action),
        _form(
            action.version,
            how="New wording.",
            board=str(board.pk),
            leads="Kate Capel\r\n  Health   DCO \r\n\r\n",
        ),
    )
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.how == "New wording."
    assert action.board == board
    assert [lead.name for lead in action.leads.all()] == ["Kate Capel", "Health DCO"]


def test_second_editor_gets_the_conflict_and_keeps_their_words(editors, users, plan, action):
    first, second = editors
    url = _edit_url(plan, action)
    version = _version_on_page(first.get(url))
    assert _version_on_page(second.get(url)) == version

    saved = first.post(url, _form(version, how="First editor's wording.", partners="Schools"))
    assert saved.status_code == 302

    clash = second.post(url, _form(version, how="Second editor's wording.", leads="Health DCO"))
    assert clash.status_code == 409
    soup = page(clash)
    summary = soup.select_one(".govuk-error-summary").get_text()
    assert "This action was changed by" in summary
    assert users["plan_editor"].get_full_name() in summary
    assert "while you were editing" in summary
    # Their own words are still in the form, and the other person's saved values are shown.
    assert soup.select_one("#how").get_text() == "Second editor's wording."
    assert soup.select_one("#leads").get_text() == "Health DCO"
    assert "First editor's wording." in soup.select_one("#conflict").get_text()
    # The first editor's change is intact.
    action.refresh_from_db()
    assert action.how == "First editor's wording."
    assert action.partners == "Schools"
    # A fresh version lets them save again, deliberately.
    fresh = _version_on_page(clash)
    assert fresh == str(action.version) and fresh != version
    again = second.post(url, _form(fresh, how="Second editor's wording.", leads="Health DCO"))
    assert again.status_code == 302
    action.refresh_from_db()
    assert action.how == "Second editor's wording."
    assert [lead.name for lead in action.leads.all()] == ["Health DCO"]


def test_a_progress_update_in_between_also_counts_as_a_change(editors, plan, action):
    first, second = editors
    url = _edit_url(plan, action)
    version = _version_on_page(second.get(url))
    from inclusion.plans.services.actions import progress_update_add

    progress_update_add(
        action=action, date=PartialDate.day(dt.date(2019, 8, 1)), text="Started.", rag="amber"
    )
    clash = second.post(url, _form(version, how="Edited."))
    assert clash.status_code == 409


def test_edit_without_what_will_be_done_is_refused(editor_client, plan, action):
    response = editor_client.post(_edit_url(plan, action), _form(action.version, how=" "))
    assert response.status_code == 400
    link = page(response).select_one(".govuk-error-summary a")
    assert link["href"] == "#how" and "Enter what will be done" in link.get_text()
    action.refresh_from_db()
    assert action.how.startswith("Specific focus")


def test_a_board_of_another_partnership_cannot_be_chosen(editor_client, plan, action):
    from tests.factories import BoardFactory, PartnershipFactory

    theirs = BoardFactory(partnership=PartnershipFactory(name="Other", slug="other"))
    response = editor_client.post(
        _edit_url(plan, action), _form(action.version, how="X", board=str(theirs.pk))
    )
    assert response.status_code == 400
    assert "Select a board from the list" in main_text(response)
    action.refresh_from_db()
    assert action.board is None


# ---------------------------------------------------------------- the by-when


def _deadline_url(plan, action):
    return reverse("plans:deadline_change", kwargs={"slug": plan.slug, "action_id": action.pk})


@pytest.mark.parametrize(
    "typed, stored, precision",
    [
        ("31.08.21", dt.date(2021, 8, 31), "day"),
        ("April 2021", dt.date(2021, 4, 1), "month"),
    ],
)
def test_by_when_changes_with_a_reason_as_a_day_or_a_month(
    editor_client, plan, action, typed, stored, precision
):
    response = editor_client.post(
        _deadline_url(plan, action),
        {"new_date": typed, "reason": "Workflows are reworked.", "version": action.version},
    )
    assert response.status_code == 302
    action.refresh_from_db()
    assert (action.by_when, action.by_when_precision) == (stored, precision)
    change = DeadlineChange.objects.get(action=action)
    assert change.old_date == dt.date(2020, 8, 31)
    assert change.reason == "Workflows are reworked."


@pytest.mark.parametrize(
    "data, field_id, message",
    [
        ({"new_date": "31.13.21", "reason": "R"}, "new_date", "has month 13"),
        (
            {"new_date": "soon", "reason": "R"},
            "new_date",
            "Enter the new by-when as a day or a month",
        ),
        ({"new_date": "", "reason": "R"}, "new_date", "Enter the new by-when date"),
        ({"new_date": "April 2021", "reason": " "}, "reason", "Enter why the by-when changes"),
        ({"new_date": "31.08.20", "reason": "R"}, "new_date", "The new date is the same"),
    ],
)
def test_by_when_mistakes_are_named_and_nothing_is_saved(
    editor_client, plan, action, data, field_id, message
):
    response = editor_client.post(_deadline_url(plan, action), {**data, "version": action.version})
    assert response.status_code == 400
    link = page(response).select_one(".govuk-error-summary a")
    assert link["href"] == f"#{field_id}" and message in link.get_text()
    assert not DeadlineChange.objects.filter(action=action).exists()
    assert page(response).select_one("#reason").get_text() == data["reason"]


def test_by_when_change_on_a_stale_page_is_refused_then_allowed(editor_client, plan, action):
    stale = action.version
    editor_client.post(
        _deadline_url(plan, action),
        {"new_date": "April 2021", "reason": "First.", "version": stale},
    )
    clash = editor_client.post(
        _deadline_url(plan, action), {"new_date": "May 2021", "reason": "Second.", "version": stale}
    )
    assert clash.status_code == 409
    assert "while you were editing" in main_text(clash)
    assert "April 2021" in main_text(clash)  # the by-when now, shown fresh
    fresh = _version_on_page(clash)
    again = editor_client.post(
        _deadline_url(plan, action), {"new_date": "May 2021", "reason": "Second.", "version": fresh}
    )
    assert again.status_code == 302
    assert DeadlineChange.objects.filter(action=action).count() == 2
