"""Who may open each page: anonymous users sign in first, roles are checked by `rules`,
and another partnership's plan, action or import is a 404 (its existence is not revealed)."""

import pytest
from django.test import Client
from django.urls import reverse

from inclusion.plans.models import PlanImport
from tests.factories import ActionLeadFactory, UserFactory


@pytest.fixture
def plan_import(partnership):
    return PlanImport.objects.create(
        partnership=partnership, filename="plan.md", content=b"x", status="previewed"
    )


@pytest.fixture
def other_import(other_partnership):
    return PlanImport.objects.create(
        partnership=other_partnership, filename="theirs.md", content=b"x", status="previewed"
    )


def _urls(plan, action, plan_import):
    slug = {"slug": plan.slug}
    act = {"slug": plan.slug, "action_id": action.pk}
    imp = {"import_id": plan_import.pk}
    return {
        "plan_list": ("get", reverse("plans:plan_list")),
        "plan_detail": ("get", reverse("plans:plan_detail", kwargs=slug)),
        "plan_report": ("get", reverse("plans:plan_report", kwargs=slug)),
        "action_list": ("get", reverse("plans:action_list", kwargs=slug)),
        "action_detail": ("get", reverse("plans:action_detail", kwargs=act)),
        "update_add": ("get", reverse("plans:update_add", kwargs=act)),
        "action_edit": ("get", reverse("plans:action_edit", kwargs=act)),
        "deadline_change": ("get", reverse("plans:deadline_change", kwargs=act)),
        "import_upload": ("get", reverse("plans:import_upload")),
        "import_detail": ("get", reverse("plans:import_detail", kwargs=imp)),
        "import_apply": ("post", reverse("plans:import_apply", kwargs=imp)),
        "import_discard": ("post", reverse("plans:import_discard", kwargs=imp)),
    }


LOGIN_ONLY = [
    "plan_list",
    "plan_detail",
    "plan_report",
    "action_list",
    "action_detail",
    "update_add",
    "action_edit",
    "deadline_change",
    "import_upload",
    "import_detail",
    "import_apply",
    "import_discard",
]
# Pages a viewer (board member) may not open: they change the plan.
EDITING = ["update_add", "action_edit", "deadline_change"]
IMPORTING = ["import_upload", "import_detail", "import_apply", "import_discard"]
# Pages naming an object of a partnership.
WITH_OBJECT = [name for name in LOGIN_ONLY if name not in {"plan_list", "import_upload"}]


@pytest.mark.parametrize("name", LOGIN_ONLY)
def test_anonymous_user_is_sent_to_sign_in(client, plan, action, plan_import, name):
    method, url = _urls(plan, action, plan_import)[name]
    response = getattr(client, method)(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("name", EDITING + IMPORTING)
def test_viewer_is_refused_pages_that_change_the_plan(
    viewer_client, plan, action, plan_import, name
):
    method, url = _urls(plan, action, plan_import)[name]
    assert getattr(viewer_client, method)(url).status_code == 403


@pytest.mark.parametrize("name", ["action_edit", "deadline_change", *IMPORTING])
def test_action_lead_may_not_edit_actions_or_import(client, users, plan, action, plan_import, name):
    client.force_login(users["action_lead"])
    method, url = _urls(plan, action, plan_import)[name]
    assert getattr(client, method)(url).status_code == 403


def test_action_lead_adds_updates_only_to_actions_they_lead(client, users, plan, action):
    client.force_login(users["action_lead"])
    url = reverse("plans:update_add", kwargs={"slug": plan.slug, "action_id": action.pk})
    assert client.get(url).status_code == 403
    ActionLeadFactory(action=action, name="Their name", user=users["action_lead"])
    assert client.get(url).status_code == 200


@pytest.mark.parametrize(
    "name", ["plan_list", "plan_detail", "plan_report", "action_list", "action_detail"]
)
def test_viewer_reads_the_plan(viewer_client, plan, action, plan_import, name):
    method, url = _urls(plan, action, plan_import)[name]
    assert getattr(viewer_client, method)(url).status_code == 200


@pytest.mark.parametrize("name", WITH_OBJECT)
def test_another_partnerships_admin_gets_not_found(
    client, outsider, plan, action, plan_import, name
):
    client.force_login(outsider)
    method, url = _urls(plan, action, plan_import)[name]
    assert getattr(client, method)(url).status_code == 404


@pytest.mark.parametrize("name", WITH_OBJECT)
def test_our_admin_cannot_reach_another_partnerships_objects(
    admin_client, other_plan, other_action, other_import, name
):
    method, url = _urls(other_plan, other_action, other_import)[name]
    assert getattr(admin_client, method)(url).status_code == 404


def test_an_action_is_only_found_under_its_own_plan(admin_client, partnership, plan, action):
    from tests.factories import PlanFactory

    second = PlanFactory(partnership=partnership, title="Second plan", slug="second")
    url = reverse("plans:action_detail", kwargs={"slug": second.slug, "action_id": action.pk})
    assert admin_client.get(url).status_code == 404


def test_user_without_an_organisation_sees_no_plans_and_cannot_import(db, plan):
    client = Client()
    client.force_login(UserFactory(organisation=None, role="admin"))
    assert plan.title not in client.get(reverse("plans:plan_list")).content.decode()
    assert client.get(reverse("plans:plan_detail", kwargs={"slug": plan.slug})).status_code == 404
    assert client.get(reverse("plans:import_upload")).status_code == 403


def test_public_page_needs_no_sign_in(client, partnership):
    url = reverse("plans:public_plans", kwargs={"partnership_slug": partnership.slug})
    assert client.get(url).status_code == 200


def test_public_page_of_an_unknown_partnership_is_not_found(client, db):
    url = reverse("plans:public_plans", kwargs={"partnership_slug": "nowhere"})
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("name", ["import_apply", "import_discard"])
def test_import_decisions_are_posted_not_linked(admin_client, plan, action, plan_import, name):
    _, url = _urls(plan, action, plan_import)[name]
    assert admin_client.get(url).status_code == 405
