"""Importing plans through the service: all or nothing, idempotent, previewed before applied."""

import datetime as dt

import pytest
import time_machine

from inclusion.core.models import AuditLog
from inclusion.core.partial_dates import PartialDate, Precision
from inclusion.plans.importers.problems import PlanImportError
from inclusion.plans.models import (
    Action,
    ActionLead,
    Area,
    Commitment,
    DeadlineChange,
    Plan,
    PlanImport,
    Priority,
    ProgressUpdate,
    Rag,
)
from inclusion.plans.services.imports import (
    action_plan_import,
    inclusion_plan_import,
    plan_import_apply,
    plan_import_discard,
    plan_import_preview,
)
from tests.conftest import SEED_ACTION_PLAN, SEED_INCLUSION_PLAN
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

SEED = SEED_ACTION_PLAN.read_bytes()


@pytest.fixture(autouse=True)
def today():
    with time_machine.travel(dt.datetime(2019, 9, 10, 12, tzinfo=dt.UTC), tick=False):
        yield


def _rows() -> tuple[int, ...]:
    models = (
        Plan,
        Area,
        Action,
        ActionLead,
        ProgressUpdate,
        DeadlineChange,
        Priority,
        Commitment,
        AuditLog,
    )
    return tuple(m.objects.count() for m in models)


def _import(partnership, content=SEED, **kwargs):
    return action_plan_import(
        partnership=partnership, filename="004.md", content=content, via="test", **kwargs
    )


def test_seed_004_becomes_ten_areas_with_their_actions_updates_and_ratings(partnership):
    result = _import(partnership)
    plan = result.plan
    assert result.message() == (
        "Created plan 'Action Plan Update August 2019': 10 areas, 10 actions, 10 progress updates"
    )
    assert plan.kind == Plan.Kind.INSPECTION_ACTION
    assert plan.areas.count() == 10
    actions = list(Action.objects.filter(plan=plan).order_by("area__position", "position"))
    rags = [a.rag for a in actions]
    assert (rags.count(Rag.AMBER), rags.count(Rag.GREEN), rags.count(Rag.NOT_RATED)) == (8, 1, 1)
    assert actions[0].by_when == dt.date(2020, 8, 31)
    assert actions[7].by_when == dt.date(2020, 4, 1)
    assert actions[7].by_when_precision == Precision.MONTH
    assert [lead.name for lead in actions[2].leads.all()] == ["Kate Capel", "Health DCO"]
    update = actions[5].updates.get()
    assert (update.date, update.date_precision) == (dt.date(2019, 8, 1), Precision.MONTH)
    assert update.text.split("\n\n")[-1].startswith("Note: August 2019")
    assert actions[5].rag_date == dt.date(2019, 8, 1)
    # ADR 0006: a document's rating says where it came from; a row without one has none.
    assert update.rag_rationale == "As rated in 004.md"
    assert actions[6].updates.get().rag_rationale == ""


def test_a_lead_naming_an_organisation_is_linked_to_it(partnership):
    ccg = OrganisationFactory(partnership=partnership, name="Lincolnshire CCG", short_name="CCG")
    _import(partnership)
    linked = set(ActionLead.objects.filter(name="CCG").values_list("organisation", flat=True))
    assert linked == {ccg.pk}


def test_reimporting_the_same_file_changes_nothing_and_audits_nothing(partnership):
    _import(partnership)
    before = _rows()
    result = _import(partnership)
    assert _rows() == before
    assert not result.changed
    assert result.message().startswith("No changes to plan 'Action Plan Update August 2019'")
    assert result.counts["actions_unchanged"] == 10


def test_every_write_is_audited_with_the_via_label(partnership):
    _import(partnership)
    assert set(AuditLog.objects.values_list("actor_label", flat=True)) == {"test"}
    assert AuditLog.objects.filter(operation="import").count() == 1
    updates = AuditLog.objects.filter(operation="create", object_type="plans.progressupdate")
    assert updates.count() == 10


def test_a_later_update_adds_progress_and_moves_the_rating_and_deadline(partnership):
    _import(partnership)
    later = (
        SEED.decode()
        .replace("Progress at August 2019", "Progress at February 2020")
        .replace(
            "for pupils with SEND. | 31.08.20 | Martin Smith | <p>Funding",
            "for pupils with SEND. | 31.12.20 | Martin Smith | <p>Now: Funding",
        )
        .replace("| Amber |", "| Green |", 1)
    )
    with time_machine.travel(dt.datetime(2020, 3, 1, tzinfo=dt.UTC)):
        result = _import(partnership, content=later.encode())
    assert result.counts["updates_new"] == 10
    assert result.counts["actions_changed"] == 1
    assert result.counts["areas_new"] == result.counts["actions_new"] == 0
    first = Action.objects.get(plan=result.plan, area__position=1)
    assert first.rag == Rag.GREEN
    assert first.updates.count() == 2
    change = first.deadline_changes.get()
    assert (change.old_date, change.new_date) == (dt.date(2020, 8, 31), dt.date(2020, 12, 31))
    assert change.changed_on == dt.date(2020, 2, 1)
    assert "004.md" in change.reason


def test_a_bad_row_at_the_end_saves_nothing(partnership):
    bad = SEED.decode().replace(
        "| 30.04.19 | John Harris /CCG |", "| 31.13.20 | John Harris /CCG |"
    )
    before = _rows()
    with pytest.raises(PlanImportError) as error:
        _import(partnership, content=bad.encode())
    assert _rows() == before
    assert str(error.value).startswith("004.md, row ")
    assert "column 'By when': '31.13.20' has month 13" in str(error.value)


def test_a_problem_only_the_services_see_rolls_everything_back(partnership):
    """A future-dated update is refused by progress_update_add, after other rows were written."""
    text = SEED.decode().replace("Progress at August 2019", "Progress at August 2031")
    before = _rows()
    with pytest.raises(PlanImportError) as error:
        _import(partnership, content=text.encode())
    assert _rows() == before
    assert (
        "004.md, row 9, column 'date': the progress update: Date of the update must be today"
        in str(error.value)
    )


def test_preview_records_what_would_happen_and_writes_nothing_to_plans(partnership, users):
    before = _rows()
    preview = plan_import_preview(
        partnership=partnership, filename="004.md", content=SEED, actor=users["plan_editor"]
    )
    assert preview.status == PlanImport.Status.PREVIEWED
    assert _rows()[:-1] == before[:-1]  # only the audit log grew: the upload's own entry
    summary = preview.summary
    assert summary["plan_title"] == "Action Plan Update August 2019"
    assert summary["plan_exists"] is False
    assert summary["counts"]["areas_new"] == summary["counts"]["actions_new"] == 10
    assert summary["counts"]["updates_new"] == 10
    assert summary["areas"][7]["actions"][0] == {
        "how": "Develop a new diagnostic and support pathway for neurodevelopmental delay disorders "
        "for CYP to improve timeliness of autism diagnosis",
        "by_when": "2020-04",
        "leads": ["Sally Savage", "CCG"],
        "rag": "amber",
        "updates_new": 1,
        "status": "new",
    }
    plan = plan_import_apply(plan_import=preview, actor=users["plan_editor"])
    preview.refresh_from_db()
    assert preview.status == PlanImport.Status.APPLIED
    assert preview.plan == plan
    assert plan.areas.count() == 10
    assert AuditLog.objects.filter(actor=users["plan_editor"], operation="create").exists()
    with pytest.raises(PlanImportError):
        plan_import_apply(plan_import=preview)


def test_preview_of_the_same_file_again_shows_everything_unchanged(partnership):
    _import(partnership)
    preview = plan_import_preview(partnership=partnership, filename="004.md", content=SEED)
    assert preview.summary["plan_exists"] is True
    statuses = {a["status"] for area in preview.summary["areas"] for a in area["actions"]}
    assert statuses == {"unchanged"}
    assert preview.summary["message"].startswith("No changes")


def test_a_failed_preview_lists_errors_with_row_and_column(partnership):
    bad = SEED.decode().replace("| 31.12.18 |", "| 31.13.20 |").replace("| Green |", "| Purple |")
    preview = plan_import_preview(partnership=partnership, filename="004.md", content=bad.encode())
    assert preview.status == PlanImport.Status.FAILED
    assert [(e["column"], e["message"][:10]) for e in preview.errors] == [
        ("By when", "'31.13.20'"),
        ("RAG rating", "'Purple' i"),
    ]
    assert all(isinstance(e["row"], int) for e in preview.errors)
    assert Plan.objects.count() == 0
    with pytest.raises(PlanImportError):
        plan_import_apply(plan_import=preview)


def test_a_preview_can_be_discarded(partnership):
    preview = plan_import_preview(partnership=partnership, filename="004.md", content=SEED)
    plan_import_discard(plan_import=preview)
    assert PlanImport.objects.get().status == PlanImport.Status.DISCARDED


def test_the_plan_title_given_names_a_new_plan(partnership):
    result = _import(partnership, plan_title="WSOA progress")
    assert result.plan.title == "WSOA progress"
    assert result.plan.slug == "wsoa-progress"


def test_the_date_given_is_used_when_the_file_has_none(partnership):
    text = (
        "Our plan\n\n| Area | How | By when | Lead | Progress | RAG |\n|-|-|-|-|-|-|\n"
        "| A | B | 31.08.20 | C | Done. | Blue |\n"
    )
    result = _import(partnership, content=text.encode(), update_date=PartialDate.month(2019, 7))
    update = ProgressUpdate.objects.get(action__plan=result.plan)
    assert (update.date, update.rag) == (dt.date(2019, 7, 1), Rag.BLUE)


def test_seed_000_gives_one_priority_and_its_commitments_and_reimport_is_a_no_op(partnership):
    content = SEED_INCLUSION_PLAN.read_bytes()
    result = inclusion_plan_import(
        partnership=partnership, filename="000.txt", content=content, via="t"
    )
    plan = result.plan
    assert (plan.kind, plan.is_public) == (Plan.Kind.INCLUSION, True)
    assert plan.title == "Lincolnshire's SEND and Alternative Provision Inclusion Plan"
    priority = plan.priorities.get()
    assert priority.title == "Improving the range and quality of provision in Lincolnshire"
    assert priority.commitments.filter(kind="achieved").count() == 15
    assert priority.commitments.filter(kind="next").count() == 22
    before = _rows()
    again = inclusion_plan_import(
        partnership=partnership, filename="000.txt", content=content, via="t"
    )
    assert _rows() == before
    assert not again.changed
