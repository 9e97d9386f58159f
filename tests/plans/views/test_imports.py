"""Importing a plan through the pages: upload, check the preview, import or discard."""

import datetime as dt

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from inclusion.plans.models import Plan, PlanImport
from tests.conftest import SEED_ACTION_PLAN
from tests.plans.views.html import main_text, page


@pytest.fixture(autouse=True)
def frozen_today():
    # The seed's updates are dated August 2019: any later day will do.
    with time_machine.travel(dt.datetime(2019, 9, 2, 12, 0, tzinfo=dt.UTC), tick=False):
        yield


def _upload(client, name, content, title=""):
    return client.post(
        reverse("plans:import_upload"),
        {
            "file": SimpleUploadedFile(name, content, content_type="text/markdown"),
            "plan_title": title,
        },
    )


def test_seed_action_plan_is_previewed_then_imported(editor_client, partnership):
    response = _upload(editor_client, "action-plan.md", SEED_ACTION_PLAN.read_bytes())
    assert response.status_code == 302
    plan_import = PlanImport.objects.get(partnership=partnership)
    assert response["Location"] == reverse(
        "plans:import_detail", kwargs={"import_id": plan_import.pk}
    )
    assert not Plan.objects.filter(partnership=partnership).exists()

    preview = editor_client.get(response["Location"])
    assert preview.status_code == 200
    soup = page(preview)
    assert len(soup.select("[data-import-area]")) == 10
    assert "Ready to check" in main_text(preview)
    assert "New areas for improvement 10" in main_text(preview)

    applied = editor_client.post(
        reverse("plans:import_apply", kwargs={"import_id": plan_import.pk})
    )
    plan = Plan.objects.get(partnership=partnership)
    assert applied.status_code == 302
    assert applied["Location"] == reverse("plans:plan_detail", kwargs={"slug": plan.slug})
    assert plan.areas.count() == 10
    plan_import.refresh_from_db()
    assert plan_import.status == PlanImport.Status.APPLIED
    # Applying twice is refused with a message, not an error page.
    again = editor_client.post(reverse("plans:import_apply", kwargs={"import_id": plan_import.pk}))
    assert again.status_code == 400
    assert "only a previewed import can be applied" in main_text(again)


def test_junk_upload_shows_its_errors_and_creates_no_plan(editor_client, partnership):
    response = _upload(editor_client, "junk.md", b"Nothing here looks like a plan.\n")
    plan_import = PlanImport.objects.get(partnership=partnership)
    assert plan_import.status == PlanImport.Status.FAILED
    detail = editor_client.get(response["Location"])
    soup = page(detail)
    assert soup.select_one(".govuk-error-summary")
    assert soup.select_one("#errors + p + div table tbody tr")
    assert "Nothing has been imported" in main_text(detail)
    assert not soup.select("form[action$='/apply/']")
    assert not Plan.objects.filter(partnership=partnership).exists()


def test_discarding_a_preview_keeps_the_plan_untouched(editor_client, partnership):
    response = _upload(editor_client, "action-plan.md", SEED_ACTION_PLAN.read_bytes())
    plan_import = PlanImport.objects.get(partnership=partnership)
    discarded = editor_client.post(
        reverse("plans:import_discard", kwargs={"import_id": plan_import.pk})
    )
    assert discarded.status_code == 302
    plan_import.refresh_from_db()
    assert plan_import.status == PlanImport.Status.DISCARDED
    assert not Plan.objects.filter(partnership=partnership).exists()
    assert response["Location"]


def test_upload_without_a_file_is_refused(editor_client):
    response = editor_client.post(reverse("plans:import_upload"), {"plan_title": ""})
    assert response.status_code == 400
    link = page(response).select_one(".govuk-error-summary a")
    assert link["href"] == "#file" and "Select the file of the plan to import" in link.get_text()


def test_upload_of_an_empty_file_is_refused(editor_client):
    response = _upload(editor_client, "empty.md", b"")
    assert response.status_code == 400
    assert "The selected file is empty" in main_text(response)


def test_upload_larger_than_the_limit_is_refused(editor_client, settings):
    settings.IMPORT_MAX_BYTES = 1024 * 1024
    response = _upload(editor_client, "big.md", b"x" * (1024 * 1024 + 1))
    assert response.status_code == 400
    assert "The selected file must be smaller than 1MB" in main_text(response)
    assert not PlanImport.objects.exists()


def test_upload_page_uses_a_multipart_form_with_labels(editor_client):
    soup = page(editor_client.get(reverse("plans:import_upload")))
    form = soup.select_one("main form")
    assert form["enctype"] == "multipart/form-data"
    for field in form.select("input[type=file], input[type=text]"):
        assert soup.select_one(f"label[for={field['id']}]")
