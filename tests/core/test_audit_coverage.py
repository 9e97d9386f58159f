"""Every row written by the system has its creation in the audit log, and every change after.

Walks every model of the plan tracker after the demo load (real importers) and writes
through the real pages, so a service that forgets to audit fails here.
"""

import datetime as dt
import io

import pytest
import time_machine
from django.apps import apps
from django.core.management import call_command
from django.urls import reverse

from inclusion.core.models import AuditLog
from inclusion.plans.models import Action, Plan

AUDITED_APPS = ["plans", "accounts"]
NOT_AUDITED = {
    # An upload on its way in: its creation and status are logged as events.
    "plans.planimport",
}


@pytest.fixture
def written(db, client):
    with time_machine.travel(dt.datetime(2026, 11, 23, 10, tzinfo=dt.UTC), tick=False):
        call_command("load_demo", stdout=io.StringIO())
        plan = Plan.objects.get(partnership__slug="lincolnshire", kind="inspection_action")
        action = Action.objects.filter(plan=plan).order_by("position").first()
        client.login(username="editor", password="demo-password-2026")
        base = reverse("plans:action_detail", kwargs={"slug": plan.slug, "action_id": action.pk})
        edit = client.post(
            base + "edit/",
            {
                "how": "Rewritten how",
                "partners": "Schools",
                "leads": "Martin Smith",
                "board": "",
                "version": action.version,
            },
        )
        assert edit.status_code == 302, edit.content.decode()[:2000]
        update = client.post(
            base + "updates/new/",
            {
                "date-day": "20",
                "date-month": "11",
                "date-year": "2026",
                "text": "Progress this term.",
                "rag": "green",
                "rag_rationale": "Targets met",
            },
        )
        assert update.status_code == 302, update.content.decode()[:2000]
        return plan, action


def test_every_row_of_every_audited_model_has_its_creation_logged(written):
    logged = set(
        AuditLog.objects.filter(operation="create").values_list("object_type", "object_id")
    )
    missing = []
    for app in AUDITED_APPS:
        for model in apps.get_app_config(app).get_models():
            label = model._meta.label_lower
            if label in NOT_AUDITED:
                continue
            for pk in model.objects.values_list("pk", flat=True):
                if (label, str(pk)) not in logged:
                    missing.append(f"{label} {pk}")
    assert not missing, "rows with no audit entry:\n" + "\n".join(missing[:20])


def test_the_edit_and_the_update_are_logged_with_old_and_new_values(written):
    plan, action = written
    edit = AuditLog.objects.filter(
        object_id=str(action.pk), operation="update", changes__has_key="how"
    )
    assert edit.exists()
    entry = edit.latest("id")
    assert entry.changes["how"][1] == "Rewritten how"
    assert entry.actor_label == "editor"
    rag = AuditLog.objects.filter(
        object_id=str(action.pk), operation="update", changes__has_key="rag"
    ).latest("id")
    assert rag.changes["rag"] == [action.rag, "green"]
