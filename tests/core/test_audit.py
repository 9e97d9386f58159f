import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from inclusion.core import audit
from inclusion.core.models import AuditLog
from tests.factories import PlanFactory


@pytest.mark.django_db
def test_update_logs_only_the_changed_fields_with_old_and_new_values(users):
    plan = PlanFactory(title="Old title")
    before = audit.snapshot(plan)
    plan.title = "New title"
    plan.save()
    entry = audit.log_update(plan, before=before, actor=users["admin"])
    assert entry.changes == {"title": ["Old title", "New title"]}
    assert entry.actor == users["admin"]
    assert entry.actor_label == "admin"
    assert entry.partnership_id == plan.partnership_id


@pytest.mark.django_db
def test_an_update_that_changes_nothing_writes_nothing():
    plan = PlanFactory()
    assert audit.log_update(plan, before=audit.snapshot(plan), via="test") is None
    assert not AuditLog.objects.exists()


@pytest.mark.django_db
def test_state_as_of_rebuilds_the_object_as_it_stood_then():
    tz = dt.UTC
    with time_machine.travel(dt.datetime(2019, 8, 1, 9, tzinfo=tz), tick=False):
        plan = PlanFactory(title="First")
        audit.log_create(plan, via="test")
    with time_machine.travel(dt.datetime(2019, 9, 1, 9, tzinfo=tz), tick=False):
        before = audit.snapshot(plan)
        plan.title = "Second"
        plan.save()
        audit.log_update(plan, before=before, via="test")
    at = dt.datetime
    assert audit.state_as_of("plans.plan", plan.pk, at(2019, 7, 1, tzinfo=tz)) is None
    assert audit.state_as_of("plans.plan", plan.pk, at(2019, 8, 15, tzinfo=tz))["title"] == "First"
    assert audit.state_as_of("plans.plan", plan.pk, timezone.now())["title"] == "Second"


@pytest.mark.django_db
def test_commands_are_named_as_the_actor_when_there_is_no_user():
    plan = PlanFactory()
    entry = audit.log_event(AuditLog.Operation.EXPORT, obj=plan, via="command: export_action_plan")
    assert entry.actor is None
    assert entry.actor_label == "command: export_action_plan"


@pytest.mark.django_db
def test_a_users_password_hash_never_reaches_the_audit_log(users):
    entry = audit.log_create(users["viewer"], via="test")
    assert entry.snapshot["password"] == "(not logged)"
    assert users["viewer"].password not in str(entry.changes)


def test_times_and_durations_are_written_to_the_log_as_json():
    """Opening times (a TimeField) and durations reach the snapshot as JSON values."""
    from inclusion.core.audit import _json_value

    assert _json_value(dt.time(9, 30)) == "09:30:00"
    assert _json_value(dt.timedelta(hours=48)) == 172800.0
    assert _json_value({"opens": dt.time(17, 0)}) == {"opens": "17:00:00"}
