"""Who reaches what: anonymous, each role, an action's lead, another partnership's user."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from inclusion.core.models import AuditLog
from inclusion.plans.models import Action, ProgressUpdate


def _endpoints(plan, action):
    """(method, url, body) of every endpoint; bodies are valid for a plan editor."""
    return [
        ("get", reverse("api-plan-list"), None),
        ("get", reverse("api-plan-detail", args=[plan.pk]), None),
        ("patch", reverse("api-plan-detail", args=[plan.pk]), {"title": "Renamed"}),
        ("get", reverse("api-plan-areas", args=[plan.pk]), None),
        ("post", reverse("api-plan-areas", args=[plan.pk]), {"title": "A new area"}),
        ("get", reverse("api-action-list"), None),
        ("get", reverse("api-action-detail", args=[action.pk]), None),
        (
            "post",
            reverse("api-action-list"),
            {"area": str(action.area_id), "how": "A new action", "leads": []},
        ),
        (
            "patch",
            reverse("api-action-detail", args=[action.pk]),
            {"version": action.version, "how": "Changed"},
        ),
        ("get", reverse("api-action-updates", args=[action.pk]), None),
        (
            "post",
            reverse("api-action-updates", args=[action.pk]),
            {"date": "2019-09-01", "text": "More progress", "rag": "amber"},
        ),
        ("get", reverse("api-action-deadline-changes", args=[action.pk]), None),
        ("get", reverse("api-plan-export", args=[plan.pk]), None),
        (
            "post",
            reverse("api-action-deadline-changes", args=[action.pk]),
            {"by_when": "2020-12", "reason": "Waiting for the Mosaic workflows"},
        ),
    ]


def _writes(plan, action):
    return [e for e in _endpoints(plan, action) if e[0] != "get"]


def _call(client, method, url, body):
    return (
        getattr(client, method)(url, body, format="json") if body else getattr(client, method)(url)
    )


def test_anonymous_gets_401_with_a_token_challenge_on_every_endpoint(plan, action):
    client = APIClient()
    for method, url, body in _endpoints(plan, action):
        response = _call(client, method, url, body)
        assert response.status_code == 401, (method, url)
        assert response["WWW-Authenticate"] == "Token"
    assert not AuditLog.objects.exists()


def test_a_wrong_token_is_refused(plan):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token not-a-real-key")
    assert client.get(reverse("api-plan-list")).status_code == 401


def test_token_authentication_lets_the_user_in(api, users, plan):
    response = api(users["viewer"]).get(reverse("api-plan-list"))
    assert response.status_code == 200
    assert [p["id"] for p in response.json()["results"]] == [str(plan.pk)]


def test_a_signed_in_browser_session_also_reaches_the_api(client, users, plan):
    client.force_login(users["viewer"])
    assert client.get(reverse("api-plan-detail", args=[plan.pk])).status_code == 200


def test_viewer_reads_every_endpoint(api, users, plan, action):
    client = api(users["viewer"])
    for method, url, body in _endpoints(plan, action):
        if method == "get":
            assert _call(client, method, url, body).status_code == 200, url


def test_viewer_cannot_write_anything_and_nothing_is_saved(api, users, plan, action):
    client = api(users["viewer"])
    for method, url, body in _writes(plan, action):
        response = _call(client, method, url, body)
        assert response.status_code == 403, (method, url, response.content)
    assert not AuditLog.objects.exists()
    action.refresh_from_db()
    assert action.how.startswith("Specific focus") and action.version == 1


def test_action_lead_cannot_edit_plans_or_actions(api, lead_user, plan, led_action):
    client = api(lead_user)
    for method, url, body in _writes(plan, led_action):
        if url.endswith("/updates/"):
            continue
        assert _call(client, method, url, body).status_code == 403, (method, url)


def test_action_lead_adds_updates_to_the_action_they_lead(api, lead_user, led_action):
    response = api(lead_user).post(
        reverse("api-action-updates", args=[led_action.pk]),
        {"date": "2019-08", "text": "LENS schools show better gains.", "rag": "green"},
        format="json",
    )
    assert response.status_code == 201, response.content
    assert ProgressUpdate.objects.get(action=led_action).author == lead_user


def test_action_lead_cannot_add_updates_to_an_action_they_do_not_lead(api, lead_user, action):
    response = api(lead_user).post(
        reverse("api-action-updates", args=[action.pk]),
        {"date": "2019-08", "text": "Not mine.", "rag": "amber"},
        format="json",
    )
    assert response.status_code == 403
    assert action.updates.count() == 1


def test_action_lead_of_a_lead_organisation_adds_updates(api, lead_user, council, action):
    """A lead written as an organisation ("LCC") lets that organisation's action leads update."""
    action.leads.update(organisation=council)
    response = api(lead_user).post(
        reverse("api-action-updates", args=[action.pk]),
        {"date": "2019-09-01", "text": "The council's update.", "rag": "amber"},
        format="json",
    )
    assert response.status_code == 201, response.content


def test_another_partnerships_user_gets_404_for_objects_and_empty_lists(
    api, outsider, plan, action
):
    client = api(outsider)  # an admin, but of another partnership
    for method, url, body in _endpoints(plan, action):
        response = _call(client, method, url, body)
        if url in {reverse("api-plan-list"), reverse("api-action-list")} and method == "get":
            assert response.status_code == 200
            assert response.json()["results"] == []
        elif url == reverse("api-action-list"):
            # Creating names an area in the body: one it cannot see is a field error.
            assert response.status_code == 400
            assert "area" in response.json()
        else:
            assert response.status_code == 404, (method, url)
    assert not AuditLog.objects.exists()
    assert Action.objects.count() == 1


def test_filtering_by_another_partnerships_plan_finds_nothing(api, outsider, plan, action):
    response = api(outsider).get(reverse("api-action-list"), {"plan": str(plan.pk)})
    assert response.status_code == 200
    assert response.json()["results"] == []


@pytest.mark.parametrize("role", ["plan_editor", "admin"])
def test_editors_and_admins_may_write_everywhere(api, users, plan, action, role):
    client = api(users[role])
    for method, url, body in _writes(plan, action):
        if url.endswith(f"{action.pk}/"):
            body = {**body, "version": Action.objects.get(pk=action.pk).version}
        response = _call(client, method, url, body)
        assert response.status_code in {200, 201}, (method, url, response.content)
