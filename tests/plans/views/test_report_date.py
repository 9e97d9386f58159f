import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from inclusion.core.models import AuditLog
from tests.factories import PlanFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def today():
    with time_machine.travel(dt.datetime(2019, 9, 2, 12, tzinfo=dt.UTC), tick=False):
        yield


@pytest.fixture
def plan(partnership):
    return PlanFactory(partnership=partnership, slug="action-plan")


def url(plan):
    return reverse("plans:plan_report_date", kwargs={"slug": plan.slug})


def test_an_editor_records_the_board_report_date_and_the_overview_uses_it(editor_client, plan):
    response = editor_client.post(
        url(plan), {"report_date-day": "31", "report_date-month": "8", "report_date-year": "2019"}
    )
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.last_report_date == dt.date(2019, 8, 31)
    assert AuditLog.objects.filter(object_id=str(plan.pk), operation="update").exists()
    overview = editor_client.get(reverse("plans:plan_detail", kwargs={"slug": plan.slug}))
    assert "Changes after 31 August 2019" in overview.content.decode()


def test_a_future_or_impossible_date_is_refused_and_nothing_saved(editor_client, plan):
    future = editor_client.post(
        url(plan), {"report_date-day": "1", "report_date-month": "1", "report_date-year": "2020"}
    )
    assert future.status_code == 400
    assert "must be today or in the past" in future.content.decode()
    wrong = editor_client.post(
        url(plan), {"report_date-day": "31", "report_date-month": "13", "report_date-year": "2019"}
    )
    assert wrong.status_code == 400
    plan.refresh_from_db()
    assert plan.last_report_date is None


def test_viewers_cannot_record_it_and_other_partnerships_do_not_find_the_plan(
    client, users, outsider, plan
):
    client.force_login(users["viewer"])
    assert client.get(url(plan)).status_code == 403
    client.force_login(outsider)
    assert client.post(url(plan), {}).status_code == 404
