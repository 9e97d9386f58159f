import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError

from inclusion.core.models import AuditLog
from inclusion.core.partial_dates import PartialDate, parse_partial_date
from inclusion.plans.models import Action, DeadlineChange, ProgressUpdate, Rag
from inclusion.plans.services.actions import (
    ActionConflict,
    action_create,
    action_update,
    deadline_change_add,
    progress_update_add,
)
from tests.factories import AreaFactory, OrganisationFactory, PlanFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def today():
    with time_machine.travel(dt.datetime(2020, 9, 1, 12, tzinfo=dt.UTC), tick=False):
        yield


@pytest.fixture
def action(partnership, users):
    plan = PlanFactory(partnership=partnership)
    area = AreaFactory(plan=plan)
    return action_create(
        area=area,
        how="Improve coding",
        by_when=parse_partial_date("31.08.20"),
        leads=["Kate Capel", "Health DCO"],
        actor=users["plan_editor"],
    )


def test_action_create_keeps_leads_as_written_and_audits_every_row(action, users):
    assert [lead.name for lead in action.leads.all()] == ["Kate Capel", "Health DCO"]
    assert action.by_when == dt.date(2020, 8, 31)
    logged = AuditLog.objects.filter(operation="create").values_list("object_type", flat=True)
    assert sorted(logged) == ["plans.action", "plans.actionlead", "plans.actionlead"]


def test_a_lead_matching_an_organisation_short_name_is_linked_to_it(partnership, users):
    icb = OrganisationFactory(
        partnership=partnership, name="NHS Lincolnshire ICB", short_name="CCG"
    )
    area = AreaFactory(plan=PlanFactory(partnership=partnership))
    action = action_create(area=area, how="x", by_when=None, leads=["John Harris", "CCG"])
    assert [lead.organisation for lead in action.leads.all()] == [None, icb]


def test_the_first_rating_needs_no_rationale_and_becomes_the_rating_of_record(action, users):
    progress_update_add(
        action=action,
        date=PartialDate.day(dt.date(2020, 8, 1)),
        text="Going well.",
        rag="amber",
        actor=users["plan_editor"],
    )
    action.refresh_from_db()
    assert action.rag == Rag.AMBER
    assert action.rag_date == dt.date(2020, 8, 1)


def test_a_change_of_rag_without_a_rationale_is_refused_and_saves_nothing(action, users):
    progress_update_add(
        action=action, date=PartialDate.day(dt.date(2020, 8, 1)), text="Going well.", rag="amber"
    )
    with pytest.raises(ValidationError) as error:
        progress_update_add(
            action=action, date=PartialDate.day(dt.date(2020, 8, 20)), text="Done.", rag="green"
        )
    assert "Explain why the rating changes from Amber to Green" in str(error.value)
    assert ProgressUpdate.objects.filter(action=action).count() == 1
    action.refresh_from_db()
    assert action.rag == Rag.AMBER


def test_a_change_of_rag_with_a_rationale_is_recorded(action):
    progress_update_add(
        action=action, date=PartialDate.day(dt.date(2020, 8, 1)), text="Going well.", rag="amber"
    )
    update = progress_update_add(
        action=action,
        date=PartialDate.day(dt.date(2020, 8, 20)),
        text="Done.",
        rag="blue",
        rationale="Guidance published",
    )
    action.refresh_from_db()
    assert action.rag == Rag.BLUE and action.is_complete
    assert update.rag_rationale == "Guidance published"


def test_an_update_dated_in_the_future_or_empty_or_with_an_unknown_rag_is_refused(action):
    with pytest.raises(ValidationError, match="must be today or in the past"):
        progress_update_add(
            action=action, date=PartialDate.day(dt.date(2020, 9, 2)), text="x", rag="amber"
        )
    with pytest.raises(ValidationError, match="Enter the progress made"):
        progress_update_add(
            action=action, date=PartialDate.day(dt.date(2020, 8, 2)), text="  ", rag="amber"
        )
    with pytest.raises(ValidationError, match="'purple' is not a RAG rating"):
        progress_update_add(
            action=action, date=PartialDate.day(dt.date(2020, 8, 2)), text="x", rag="purple"
        )
    assert not ProgressUpdate.objects.exists()


def test_a_backdated_update_does_not_replace_the_latest_rating(action):
    progress_update_add(
        action=action, date=PartialDate.day(dt.date(2020, 8, 1)), text="a", rag="amber"
    )
    progress_update_add(
        action=action,
        date=PartialDate.day(dt.date(2020, 7, 1)),
        text="b",
        rag="red",
        rationale="late entry",
    )
    action.refresh_from_db()
    assert action.rag == Rag.AMBER


def test_the_second_of_two_concurrent_edits_is_refused_and_the_first_is_kept(action, users):
    version = action.version
    action_update(
        action=action,
        expected_version=version,
        how="First editor's text",
        actor=users["plan_editor"],
    )
    with pytest.raises(ActionConflict) as conflict:
        action_update(
            action=action,
            expected_version=version,
            how="Second editor's text",
            actor=users["admin"],
        )
    assert conflict.value.action.how == "First editor's text"
    assert "changed by someone else" in str(conflict.value)
    fresh = Action.objects.get(pk=action.pk)
    assert fresh.how == "First editor's text"
    assert fresh.version == version + 1
    # Saving again from the new version succeeds.
    action_update(action=fresh, expected_version=fresh.version, how="Second editor's text")
    assert Action.objects.get(pk=action.pk).how == "Second editor's text"


def test_action_update_audits_the_change_with_old_and_new_values(action, users):
    action_update(
        action=action,
        expected_version=action.version,
        how="New how",
        leads=["Sally Savage"],
        actor=users["admin"],
    )
    entry = AuditLog.objects.filter(object_type="plans.action", operation="update").latest("id")
    assert entry.changes["how"] == ["Improve coding", "New how"]
    assert entry.changes["leads"] == [["Kate Capel", "Health DCO"], ["Sally Savage"]]
    assert entry.actor == users["admin"]


def test_a_rating_change_makes_an_open_edit_form_stale(action):
    version = action.version
    progress_update_add(
        action=action, date=PartialDate.day(dt.date(2020, 8, 1)), text="a", rag="amber"
    )
    with pytest.raises(ActionConflict):
        action_update(action=action, expected_version=version, how="stale")


def test_a_deadline_change_keeps_the_old_date_and_the_reason(action, users):
    change = deadline_change_add(
        action=action,
        new_date=parse_partial_date("August 2021"),
        reason="Mosaic workflows reworked",
        actor=users["plan_editor"],
    )
    action.refresh_from_db()
    assert action.by_when_partial.iso() == "2021-08"
    assert change.old_partial.iso() == "2020-08-31"
    assert change.changed_on == dt.date(2020, 9, 1)
    with pytest.raises(ValidationError, match="Give the reason"):
        deadline_change_add(action=action, new_date=parse_partial_date("2022-01"), reason=" ")
    assert DeadlineChange.objects.count() == 1


def test_an_action_lead_user_is_linked_by_full_name(partnership, council):
    user = UserFactory(organisation=council, first_name="Kate", last_name="Capel")
    area = AreaFactory(plan=PlanFactory(partnership=partnership))
    action = action_create(area=area, how="x", by_when=None, leads=["kate  capel"])
    assert action.leads.get().user == user


def test_the_creation_snapshot_names_the_leads_so_past_states_show_them(action):
    from django.utils import timezone

    from inclusion.core import audit

    state = audit.state_as_of("plans.action", action.pk, timezone.now())
    assert state["leads"] == ["Kate Capel", "Health DCO"]
    assert state["how"] == "Improve coding"


def test_a_plan_period_cannot_end_before_it_starts(partnership):
    from inclusion.plans.services.actions import plan_create

    with pytest.raises(ValidationError, match="before it starts"):
        plan_create(
            partnership=partnership,
            title="Backwards",
            kind="inclusion",
            period_start=dt.date(2024, 1, 1),
            period_end=dt.date(2023, 1, 1),
        )


def test_a_plan_titled_import_does_not_take_the_import_pages_address(partnership):
    from inclusion.plans.services.actions import plan_create

    assert plan_create(partnership=partnership, title="Import", kind="other").slug == "import-2"


def test_a_board_report_date_in_the_future_is_refused_wherever_it_is_set(partnership):
    from inclusion.plans.services.actions import plan_create, plan_update

    plan = plan_create(partnership=partnership, title="Reported", kind="other")
    with pytest.raises(
        ValidationError, match="Date of the board report must be today or in the past"
    ):
        plan_update(plan=plan, last_report_date=dt.date(2020, 9, 2))
    plan.refresh_from_db()
    assert plan.last_report_date is None
