"""Writes through the API: they reach the services, leave audit entries and refuse bad input."""

import datetime as dt

from django.urls import reverse

from inclusion.core.models import AuditLog
from inclusion.plans.models import Action, Area, DeadlineChange, Plan, ProgressUpdate
from tests.factories import BoardFactory, PlanFactory


def _audited(obj, operation, actor):
    return AuditLog.objects.filter(
        object_type=obj._meta.label_lower, object_id=str(obj.pk), operation=operation, actor=actor
    ).exists()


def test_editor_patches_a_plan_through_the_service_and_it_is_audited(api, users, plan):
    editor = users["plan_editor"]
    response = api(editor).patch(
        reverse("api-plan-detail", args=[plan.pk]),
        {"title": "SEND Action Plan", "period_start": "2019-09-01", "last_report_date": "02.09.19"},
        format="json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["title"] == "SEND Action Plan"
    plan.refresh_from_db()
    assert (plan.period_start, plan.last_report_date) == (dt.date(2019, 9, 1), dt.date(2019, 9, 2))
    entry = AuditLog.objects.get(object_id=str(plan.pk), operation="update")
    assert entry.actor == editor and entry.changes["title"][1] == "SEND Action Plan"


def test_plan_dates_must_be_days_and_the_period_must_not_end_before_it_starts(api, users, plan):
    client = api(users["plan_editor"])
    url = reverse("api-plan-detail", args=[plan.pk])
    month = client.patch(url, {"last_report_date": "2019-08"}, format="json")
    assert month.status_code == 400
    assert "is a month" in month.json()["last_report_date"][0]
    backwards = client.patch(
        url, {"period_start": "2020-01-01", "period_end": "2019-01-01"}, format="json"
    )
    assert backwards.status_code == 400 and "period_end" in backwards.json()
    assert Plan.objects.get(pk=plan.pk).period_start is None
    assert not AuditLog.objects.exists()


def test_editor_adds_an_area_with_an_audit_entry(api, users, plan, area):
    response = api(users["plan_editor"]).post(
        reverse("api-plan-areas", args=[plan.pk]),
        {"title": "To increase the completion rate of the 2.5 year review"},
        format="json",
    )
    assert response.status_code == 201, response.content
    created = Area.objects.get(pk=response.json()["id"])
    assert created.plan == plan and created.position == area.position + 1
    assert _audited(created, "create", users["plan_editor"])


def test_an_area_cannot_name_a_priority_of_another_plan(api, users, plan, partnership):
    from inclusion.plans.services.actions import priority_create

    other = priority_create(plan=PlanFactory(partnership=partnership), title="Elsewhere")
    response = api(users["plan_editor"]).post(
        reverse("api-plan-areas", args=[plan.pk]),
        {"title": "An area", "priority": str(other.pk)},
        format="json",
    )
    assert response.status_code == 400 and "priority" in response.json()


def test_by_when_written_as_a_month_round_trips_as_a_month(api, users, area):
    client = api(users["plan_editor"])
    response = client.post(
        reverse("api-action-list"),
        {"area": str(area.pk), "how": "New autism pathway", "by_when": "2020-04", "leads": ["CCG"]},
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["by_when"], body["by_when_precision"]) == ("2020-04", "month")
    stored = Action.objects.get(pk=body["id"])
    assert (stored.by_when, stored.by_when_precision) == (dt.date(2020, 4, 1), "month")
    again = client.get(reverse("api-action-detail", args=[stored.pk])).json()
    assert (again["by_when"], again["by_when_precision"]) == ("2020-04", "month")
    assert again["leads"] == [{"name": "CCG", "user": None, "organisation": None}]
    assert _audited(stored, "create", users["plan_editor"])


def test_a_day_by_when_is_an_iso_date_and_a_uk_date_is_read_too(api, users, area):
    response = api(users["plan_editor"]).post(
        reverse("api-action-list"),
        {"area": str(area.pk), "how": "Review the Local Offer", "by_when": "31.03.20"},
        format="json",
    )
    assert response.status_code == 201, response.content
    assert (response.json()["by_when"], response.json()["by_when_precision"]) == (
        "2020-03-31",
        "day",
    )


def test_a_bad_date_is_a_400_naming_the_field(api, users, area):
    response = api(users["plan_editor"]).post(
        reverse("api-action-list"),
        {"area": str(area.pk), "how": "Something", "by_when": "2020-13"},
        format="json",
    )
    assert response.status_code == 400
    assert response.json() == {"by_when": ["'2020-13' has month 13; months run from 1 to 12"]}
    assert not Action.objects.exists()


def test_an_action_with_no_by_when_has_null_date_and_precision(api, users, area):
    body = (
        api(users["plan_editor"])
        .post(
            reverse("api-action-list"), {"area": str(area.pk), "how": "No date yet"}, format="json"
        )
        .json()
    )
    assert (body["by_when"], body["by_when_precision"], body["rag"], body["overdue"]) == (
        None,
        None,
        None,
        False,
    )


def test_editor_patches_an_action_and_the_version_moves_on(api, users, action, partnership):
    board = BoardFactory(partnership=partnership, name="SEND Health Committee")
    response = api(users["plan_editor"]).patch(
        reverse("api-action-detail", args=[action.pk]),
        {
            "version": 1,
            "how": "Improve health advice",
            "leads": ["Kate Capel", "Health DCO"],
            "board": str(board.pk),
        },
        format="json",
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["version"] == 2 and body["board"] == str(board.pk)
    assert [lead["name"] for lead in body["leads"]] == ["Kate Capel", "Health DCO"]
    assert _audited(action, "update", users["plan_editor"])


def test_a_stale_patch_is_a_409_with_the_current_action_and_saves_nothing(api, users, action):
    client = api(users["plan_editor"])
    url = reverse("api-action-detail", args=[action.pk])
    assert (
        client.patch(url, {"version": 1, "how": "First editor"}, format="json").status_code == 200
    )
    audit_rows = AuditLog.objects.count()

    response = client.patch(url, {"version": 1, "how": "Second editor"}, format="json")

    assert response.status_code == 409
    body = response.json()
    assert "changed by someone else" in body["detail"]
    assert body["current"]["how"] == "First editor" and body["current"]["version"] == 2
    action.refresh_from_db()
    assert (action.how, action.version) == ("First editor", 2)
    assert AuditLog.objects.count() == audit_rows


def test_a_patch_without_version_is_refused(api, users, action):
    response = api(users["plan_editor"]).patch(
        reverse("api-action-detail", args=[action.pk]), {"how": "No version"}, format="json"
    )
    assert response.status_code == 400 and "version" in response.json()


def test_a_patch_cannot_move_the_by_when_or_set_the_rag(api, users, action):
    response = api(users["plan_editor"]).patch(
        reverse("api-action-detail", args=[action.pk]),
        {"version": 1, "by_when": "2021-08", "rag": "green"},
        format="json",
    )
    assert response.status_code == 400
    assert "deadline-changes" in response.json()["by_when"][0]
    assert "updates" in response.json()["rag"][0]
    action.refresh_from_db()
    assert (action.by_when, action.rag, action.version) == (dt.date(2020, 8, 31), "amber", 1)


def test_an_action_moves_only_within_its_plan(api, users, action, partnership):
    from tests.factories import AreaFactory

    elsewhere = AreaFactory(plan=PlanFactory(partnership=partnership))
    response = api(users["plan_editor"]).patch(
        reverse("api-action-detail", args=[action.pk]),
        {"version": 1, "area": str(elsewhere.pk)},
        format="json",
    )
    assert response.status_code == 400 and "area" in response.json()


def test_adding_an_update_sets_the_rag_of_record_and_is_audited(api, users, action):
    editor = users["plan_editor"]
    response = api(editor).post(
        reverse("api-action-updates", args=[action.pk]),
        {
            "date": "2019-09-01",
            "text": "The audit report went to the SEND Health Committee.",
            "rag": "green",
            "rationale": "Audit complete and accepted",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    assert (
        response.json()["rag"] == "green"
        and response.json()["rationale"] == "Audit complete and accepted"
    )
    update = ProgressUpdate.objects.get(pk=response.json()["id"])
    action.refresh_from_db()
    assert action.rag == "green"
    assert _audited(update, "create", editor) and _audited(action, "update", editor)


def test_a_rag_change_without_rationale_is_a_400_and_nothing_is_saved(api, users, action):
    response = api(users["plan_editor"]).post(
        reverse("api-action-updates", args=[action.pk]),
        {"date": "2019-09-01", "text": "Better.", "rag": "green"},
        format="json",
    )
    assert response.status_code == 400
    assert "Amber to Green" in response.json()["rationale"][0]
    assert action.updates.count() == 1
    assert not AuditLog.objects.exists()


def test_an_update_may_be_not_rated_and_dated_by_month(api, users, action):
    client = api(users["plan_editor"])
    response = client.post(
        reverse("api-action-updates", args=[action.pk]),
        {"date": "2019-08", "text": "Rating withheld.", "rag": None, "rationale": "Awaiting data"},
        format="json",
    )
    assert response.status_code == 201, response.content
    assert (response.json()["date"], response.json()["rag"]) == ("2019-08", None)


def test_an_update_must_state_its_rag_even_if_null(api, users, action):
    response = api(users["plan_editor"]).post(
        reverse("api-action-updates", args=[action.pk]),
        {"date": "2019-09-01", "text": "Forgot the rating."},
        format="json",
    )
    assert response.status_code == 400 and "rag" in response.json()


def test_an_update_in_the_future_is_refused_by_the_service(api, users, action):
    response = api(users["plan_editor"]).post(
        reverse("api-action-updates", args=[action.pk]),
        {"date": "2019-10-01", "text": "Tomorrow's news.", "rag": "amber"},
        format="json",
    )
    assert (
        response.status_code == 400 and "must be today or in the past" in response.json()["date"][0]
    )


def test_editor_moves_a_deadline_with_a_reason(api, users, action):
    response = api(users["plan_editor"]).post(
        reverse("api-action-deadline-changes", args=[action.pk]),
        {"by_when": "2020-08", "reason": "Mosaic workflows are being reworked", "version": 1},
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["old_by_when"], body["new_by_when"]) == ("2020-08-31", "2020-08")
    action.refresh_from_db()
    assert (action.by_when_precision, action.version) == ("month", 2)
    change = DeadlineChange.objects.get(pk=body["id"])
    assert _audited(change, "create", users["plan_editor"])


def test_a_deadline_change_needs_a_reason_and_a_new_date(api, users, action):
    client = api(users["plan_editor"])
    url = reverse("api-action-deadline-changes", args=[action.pk])
    assert "reason" in client.post(url, {"by_when": "2021-01"}, format="json").json()
    same = client.post(url, {"by_when": "2020-08-31", "reason": "No change"}, format="json")
    assert same.status_code == 400 and "same as the current" in same.json()["by_when"][0]
    assert not DeadlineChange.objects.exists()


def test_a_stale_deadline_change_is_a_409(api, users, action):
    Action.objects.filter(pk=action.pk).update(version=3)
    response = api(users["plan_editor"]).post(
        reverse("api-action-deadline-changes", args=[action.pk]),
        {"by_when": "2021-01", "reason": "Late", "version": 2},
        format="json",
    )
    assert response.status_code == 409 and response.json()["current"]["version"] == 3
    assert not DeadlineChange.objects.exists()
