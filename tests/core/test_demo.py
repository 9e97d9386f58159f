"""`manage.py load_demo` and the demo registry in `inclusion.core.demo`."""

import importlib.util
from io import StringIO

import pytest
from django.apps import apps
from django.contrib.auth import authenticate
from django.core.management import call_command

from inclusion.accounts.demo import DEMO_PASSWORD, LINCOLNSHIRE_USERS
from inclusion.accounts.models import Organisation, Partnership, Role, User
from inclusion.core import demo
from inclusion.core.models import AuditLog
from inclusion.plans.demo import DEMO_DATA
from inclusion.plans.models import Plan
from tests.conftest import SEED_ACTION_PLAN, SEED_INCLUSION_PLAN

pytestmark = pytest.mark.django_db

IMPORTERS_EXIST = importlib.util.find_spec("inclusion.plans.services.imports") is not None


def row_counts() -> dict[str, int]:
    return {model._meta.label: model._default_manager.count() for model in apps.get_models()}


@pytest.fixture
def extra_loader():
    """Register loaders for one test only, leaving the registry as it was."""
    added: list[str] = []

    def add(name, loader, order):
        demo.register_demo(name, loader, order)
        added.append(name)

    yield add
    for name in added:
        demo.unregister_demo(name)


def test_load_demo_twice_changes_nothing_the_second_time():
    call_command("load_demo", stdout=StringIO())
    counts = row_counts()
    audit_rows = AuditLog.objects.count()

    call_command("load_demo", stdout=StringIO())

    assert row_counts() == counts
    assert AuditLog.objects.count() == audit_rows


def test_load_demo_audits_every_row_it_creates_as_the_command():
    call_command("load_demo", stdout=StringIO())

    created = AuditLog.objects.filter(operation=AuditLog.Operation.CREATE)
    assert set(created.values_list("actor_label", flat=True)) == {demo.DEMO_VIA}
    for model in (Partnership, Organisation, User):
        logged = set(
            created.filter(object_type=model._meta.label_lower).values_list("object_id", flat=True)
        )
        assert logged == {str(pk) for pk in model.objects.values_list("pk", flat=True)}


def test_users_audit_rows_do_not_copy_the_password_hash():
    call_command("load_demo", stdout=StringIO())

    for row in AuditLog.objects.filter(object_type="accounts.user"):
        assert "password" not in row.snapshot
        assert "password" not in row.changes


def test_every_demo_login_signs_in_with_the_printed_password_and_its_role():
    out = StringIO()
    call_command("load_demo", stdout=out)

    assert DEMO_PASSWORD in out.getvalue()
    lincolnshire = Partnership.objects.get(slug="lincolnshire")
    roles = set()
    for username, *_rest, role in LINCOLNSHIRE_USERS:
        assert username in out.getvalue()
        user = authenticate(username=username, password=DEMO_PASSWORD)
        assert user is not None, username
        assert user.role == role
        assert user.partnership == lincolnshire
        roles.add(user.role)
    assert roles == set(Role.values)


def test_a_second_partnership_has_its_own_admin_to_show_scoping():
    call_command("load_demo", stdout=StringIO())

    outsider = authenticate(username="rutland-admin", password=DEMO_PASSWORD)
    assert outsider is not None
    assert outsider.role == Role.ADMIN
    assert outsider.partnership.slug == "rutland"


def test_lincolnshire_has_the_partner_organisations_its_plans_name():
    call_command("load_demo", stdout=StringIO())

    lincolnshire = Partnership.objects.get(slug="lincolnshire")
    assert (lincolnshire.old_la_code, lincolnshire.new_la_code) == ("925", "E10000019")
    by_short_name = {
        o.short_name: o.kind for o in lincolnshire.organisations.exclude(short_name="")
    }
    assert by_short_name == {
        "LCC": Organisation.Kind.LOCAL_AUTHORITY,
        "ICB": Organisation.Kind.ICB,
        "LCHS": Organisation.Kind.NHS_TRUST,
        "LPFT": Organisation.Kind.NHS_TRUST,
        "LPCF": Organisation.Kind.PARENT_CARER_FORUM,
    }
    kinds = set(lincolnshire.organisations.values_list("kind", flat=True))
    assert {Organisation.Kind.SCHOOL, Organisation.Kind.AP_PROVIDER} <= kinds


def test_a_loader_that_fails_leaves_the_database_as_it_was(extra_loader):
    def broken():
        raise RuntimeError("demo loader failed half-way")

    extra_loader("test: broken", broken, order=15)  # after accounts (10) has written its rows

    with pytest.raises(RuntimeError, match="half-way"):
        call_command("load_demo", stdout=StringIO())

    assert not Partnership.objects.exists()
    assert not AuditLog.objects.exists()


def test_loaders_run_in_order_and_their_messages_are_printed(extra_loader):
    ran = []
    extra_loader("test: late", lambda: ran.append("late") or ["late loader ran"], order=1000)
    extra_loader("test: early", lambda: ran.append("early") or None, order=-1)

    out = StringIO()
    call_command("load_demo", stdout=out)

    assert ran == ["early", "late"]
    assert "late loader ran" in out.getvalue()


def test_apps_demo_modules_are_found_without_editing_core():
    names = [entry.name for entry in demo.demo_loaders()]

    assert names[0].startswith("accounts:")
    assert any(name.startswith("plans:") for name in names)


def test_demo_plans_are_byte_for_byte_copies_of_the_seed_documents():
    assert (
        DEMO_DATA / "action-plan-update-august-2019.txt"
    ).read_bytes() == SEED_ACTION_PLAN.read_bytes()
    assert (
        DEMO_DATA / "send-ap-inclusion-plan.txt"
    ).read_bytes() == SEED_INCLUSION_PLAN.read_bytes()


@pytest.mark.skipif(
    not IMPORTERS_EXIST, reason="inclusion.plans.services.imports is not written yet"
)
def test_load_demo_imports_both_seed_plans_through_the_importers():
    call_command("load_demo", stdout=StringIO())

    plans = Plan.objects.filter(partnership__slug="lincolnshire")
    kinds = set(plans.values_list("kind", flat=True))
    assert {Plan.Kind.INCLUSION, Plan.Kind.INSPECTION_ACTION} <= kinds
    action_plan = plans.get(kind=Plan.Kind.INSPECTION_ACTION)
    assert action_plan.actions.count() > 5
    assert action_plan.actions.exclude(rag="").exists()
    assert not Plan.objects.filter(partnership__slug="rutland").exists()
