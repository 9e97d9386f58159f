"""What reads return: plan RAG counts, action fields and the list filters."""

import datetime as dt

from django.urls import reverse

from tests.factories import ActionFactory, ActionLeadFactory, AreaFactory, BoardFactory, PlanFactory


def _ids(response):
    assert response.status_code == 200, response.content
    return {a["id"] for a in response.json()["results"]}


def test_plan_detail_counts_actions_by_rag_and_overdue(api, users, plan, area, action):
    ActionFactory(area=area, rag="red", by_when=dt.date(2019, 4, 30))  # overdue on 2 Sept 2019
    ActionFactory(area=area, rag="blue", by_when=dt.date(2019, 4, 30))  # complete: not overdue
    ActionFactory(area=area, rag="", by_when=dt.date(2019, 8, 1), by_when_precision="month")
    body = api(users["viewer"]).get(reverse("api-plan-detail", args=[plan.pk])).json()
    assert body["rag_counts"] == {"red": 1, "amber": 1, "green": 0, "blue": 1, "not_rated": 1}
    assert (body["action_count"], body["overdue_count"]) == (4, 2)


def test_action_detail_carries_leads_version_rag_and_overdue(api, users, council, action):
    action.leads.update(organisation=council)
    body = api(users["viewer"]).get(reverse("api-action-detail", args=[action.pk])).json()
    assert body["leads"] == [{"name": "Kate Capel", "user": None, "organisation": str(council.pk)}]
    assert (body["by_when"], body["by_when_precision"]) == ("2020-08-31", "day")
    assert (body["rag"], body["version"], body["overdue"]) == ("amber", 1, False)


def test_updates_list_oldest_first(api, users, action):
    from inclusion.core.partial_dates import PartialDate
    from inclusion.plans.services.actions import progress_update_add

    progress_update_add(
        action=action, date=PartialDate.month(2019, 9), text="September.", rag="amber"
    )
    body = api(users["viewer"]).get(reverse("api-action-updates", args=[action.pk])).json()
    assert [u["date"] for u in body["results"]] == ["2019-08-01", "2019-09"]


def test_action_filters(api, users, partnership, plan, area, action):
    board = BoardFactory(partnership=partnership, name="SEND Steering Group")
    red = ActionFactory(area=area, rag="red", board=board, by_when=dt.date(2019, 4, 30))
    ActionLeadFactory(action=red, name="John Harris")
    unrated = ActionFactory(
        area=area, rag="", by_when=dt.date(2020, 4, 1), by_when_precision="month"
    )
    other_plan_action = ActionFactory(area=AreaFactory(plan=PlanFactory(partnership=partnership)))
    client = api(users["viewer"])
    url = reverse("api-action-list")

    assert _ids(client.get(url)) == {str(a.pk) for a in (action, red, unrated, other_plan_action)}
    assert _ids(client.get(url, {"plan": str(plan.pk)})) == {
        str(a.pk) for a in (action, red, unrated)
    }
    assert _ids(client.get(url, {"rag": ["red", "none"]})) == {
        str(red.pk),
        str(unrated.pk),
        str(other_plan_action.pk),
    }
    assert _ids(client.get(url, {"overdue": "true"})) == {str(red.pk)}
    assert _ids(client.get(url, {"lead": "john harris"})) == {str(red.pk)}
    assert _ids(client.get(url, {"board": str(board.pk)})) == {str(red.pk)}
    assert _ids(client.get(url, {"area": str(area.pk), "rag": "amber"})) == {str(action.pk)}
    assert _ids(client.get(url, {"q": "health outcomes"})) == {str(action.pk)}


def test_action_filter_by_priority(api, users, plan, area, action):
    from inclusion.plans.services.actions import priority_create

    priority = priority_create(plan=plan, title="Health")
    area.priority = priority
    area.save()
    ActionFactory(area=AreaFactory(plan=plan))
    response = api(users["viewer"]).get(reverse("api-action-list"), {"priority": str(priority.pk)})
    assert _ids(response) == {str(action.pk)}


def test_a_bad_filter_value_is_a_400_naming_the_parameter(api, users, action):
    client = api(users["viewer"])
    assert "rag" in client.get(reverse("api-action-list"), {"rag": "purple"}).json()
    assert "plan" in client.get(reverse("api-action-list"), {"plan": "not-a-uuid"}).json()


def test_lists_are_paginated(api, users, area):
    for _ in range(3):
        ActionFactory(area=area)
    body = api(users["viewer"]).get(reverse("api-action-list")).json()
    assert body["count"] == 3 and body["next"] is None and len(body["results"]) == 3


def test_export_json_is_the_interchange_document_and_is_audited(api, users, plan, action):
    from inclusion.core.models import AuditLog
    from inclusion.plans.interchange import plan_to_dict

    response = api(users["viewer"]).get(reverse("api-plan-export", args=[plan.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == plan_to_dict(plan)
    entry = AuditLog.objects.get(operation="export")
    assert (entry.object_id, entry.actor) == (str(plan.pk), users["viewer"])


def test_export_as_of_a_month_shows_the_plan_at_its_last_day(api, users, plan, action):
    """The update of 1 August 2019 counts in "2019-08"; by "2019-07" the action was not rated."""
    client = api(users["viewer"])
    url = reverse("api-plan-export", args=[plan.pk])
    august = client.get(url, {"as_of": "2019-08"}).json()
    july = client.get(url, {"as_of": "2019-07"}).json()
    assert august["as_of"] == "2019-08-31" and august["areas"][0]["actions"][0]["rag"] == "amber"
    assert july["areas"][0]["actions"][0]["rag"] is None
    assert "as_of" in client.get(url, {"as_of": "yesterday"}).json()


def test_export_is_404_for_another_partnership(api, outsider, plan):
    response = api(outsider).get(reverse("api-plan-export", args=[plan.pk]))
    assert response.status_code == 404


def test_empty_filter_parameters_are_ignored(api, users, action):
    response = api(users["viewer"]).get(
        reverse("api-action-list"), {"lead": "", "plan": "", "rag": ""}
    )
    assert _ids(response) == {str(action.pk)}
