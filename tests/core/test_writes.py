import pytest
from django.core.exceptions import ValidationError

from inclusion.core.models import AuditLog
from inclusion.core.writes import acting_user, save_changes, save_new
from inclusion.plans.models import Plan

pytestmark = pytest.mark.django_db


def test_save_new_records_who_validates_and_audits_once(partnership, users):
    plan = save_new(
        Plan(partnership=partnership, title="P", slug="p", kind="other"),
        actor=users["admin"],
        via="test",
    )
    assert plan.created_by == users["admin"] and plan.modified_by == users["admin"]
    assert AuditLog.objects.filter(object_id=str(plan.pk), operation="create").count() == 1


def test_save_new_refuses_an_invalid_object_and_saves_nothing(partnership):
    with pytest.raises(ValidationError):
        save_new(Plan(partnership=partnership, title="", slug="p", kind="other"))
    assert not Plan.objects.exists() and not AuditLog.objects.exists()


def test_save_changes_logs_the_difference_and_nothing_when_nothing_changed(partnership, users):
    plan = save_new(Plan(partnership=partnership, title="P", slug="p", kind="other"), log=False)
    save_changes(plan, actor=users["plan_editor"], via="test", title="P")
    assert not AuditLog.objects.exists()
    save_changes(plan, actor=users["plan_editor"], via="test", title="Q", note="why")
    entry = AuditLog.objects.get()
    assert entry.changes == {"title": ["P", "Q"]} and entry.note == "why"
    assert plan.modified_by == users["plan_editor"]


def test_commands_and_anonymous_callers_have_no_acting_user():
    from django.contrib.auth.models import AnonymousUser

    assert acting_user(None) is None and acting_user(AnonymousUser()) is None
