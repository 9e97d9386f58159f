"""The JSON interchange format: its shape, "as of" a date, stability and a lossless round trip."""

import datetime as dt
import json

import pytest
import time_machine

from inclusion.accounts.models import Partnership
from inclusion.core.partial_dates import PartialDate
from inclusion.plans.importers.problems import PlanImportError
from inclusion.plans.interchange import parse_plan_json, plan_to_dict, plan_to_json
from inclusion.plans.models import Board, Plan
from inclusion.plans.services import actions as services
from inclusion.plans.services.imports import action_plan_import

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def today():
    with time_machine.travel(dt.datetime(2021, 1, 15, 12, tzinfo=dt.UTC), tick=False):
        yield


def _build(partnership) -> Plan:
    """A plan using every field the format carries, written through the services."""
    plan = services.plan_create(
        partnership=partnership,
        title="SEND Written Statement of Action",
        kind=Plan.Kind.INSPECTION_ACTION,
        description="After the 2019 inspection.",
        period_start=dt.date(2019, 9, 1),
        period_end=dt.date(2021, 8, 31),
        last_report_date=dt.date(2020, 3, 1),
        is_public=True,
    )
    priority = services.priority_create(
        plan=plan, title="Quality of plans", description="Why.", position=1
    )
    services.commitment_create(priority=priority, kind="achieved", text="Audit done", position=1)
    services.commitment_create(priority=priority, kind="next", text="Train writers", position=1)
    area = services.area_create(plan=plan, title="EHC plan quality", position=1, priority=priority)
    board = services.board_get_or_create(partnership=partnership, name="SEND Health Committee")
    action = services.action_create(
        area=area,
        how="Improve health advice",
        by_when=PartialDate.day(dt.date(2020, 8, 31)),
        leads=["Kate Capel", "Health DCO"],
        partners="LPFT",
        board=board,
        position=1,
    )
    services.progress_update_add(
        action=action, date=PartialDate.month(2019, 8), text="Started with £500k.\n\nAudit booked.",
        rag="amber", author_name="Kate Capel",
    )  # fmt: skip
    services.deadline_change_add(
        action=action, new_date=PartialDate.month(2020, 12), reason="Hub delayed",
        changed_on=dt.date(2019, 10, 1), changed_by_name="SEND board",
    )  # fmt: skip
    services.progress_update_add(
        action=action, date=PartialDate.day(dt.date(2020, 2, 14)), text="Associate DCO in post.",
        rag="green", rationale="Post filled", require_rationale=True,
    )  # fmt: skip
    second = services.area_create(plan=plan, title="Local Offer", position=2)
    services.action_create(area=second, how="Refresh the site", by_when=None, leads=[], position=1)
    return plan


def test_the_shape_others_rely_on(partnership):
    data = plan_to_dict(_build(partnership))
    area = data["areas"][0]
    action = area["actions"][0]
    assert area["title"] == "EHC plan quality"
    assert action["how"] == "Improve health advice"
    assert action["by_when"] == "2020-12"
    assert action["leads"] == ["Kate Capel", "Health DCO"]
    assert action["rag"] == "green"
    assert [(u["date"], u["rag"]) for u in action["updates"]] == [
        ("2019-08", "amber"),
        ("2020-02-14", "green"),
    ]
    assert action["updates"][0]["text"] == "Started with £500k.\n\nAudit booked."
    assert action["deadline_changes"][0]["old_date"] == "2020-08-31"
    assert data["areas"][1]["actions"][0] == {
        **data["areas"][1]["actions"][0],
        "by_when": None,
        "rag": None,
        "leads": [],
        "updates": [],
    }
    assert data["plan"]["partnership"] == "lincolnshire"
    assert data["boards"] == [{"name": "SEND Health Committee"}]
    assert [c["kind"] for c in data["priorities"][0]["commitments"]] == ["achieved", "next"]
    assert area["priority"] == data["priorities"][0]["id"]


def test_as_of_shows_only_what_was_known_then(partnership):
    plan = _build(partnership)
    before_move = plan_to_dict(plan, as_of=dt.date(2019, 9, 30))["areas"][0]["actions"][0]
    assert before_move["by_when"] == "2020-08-31"
    assert before_move["rag"] == "amber"
    assert [u["date"] for u in before_move["updates"]] == ["2019-08"]
    assert before_move["deadline_changes"] == []
    later = plan_to_dict(plan, as_of=dt.date(2020, 3, 1))["areas"][0]["actions"][0]
    assert (later["by_when"], later["rag"], len(later["updates"])) == ("2020-12", "green", 2)
    nothing_yet = plan_to_dict(plan, as_of=dt.date(2019, 7, 31))["areas"][0]["actions"][0]
    assert nothing_yet["rag"] is None and nothing_yet["updates"] == []


def test_json_is_stable_and_readable(partnership):
    plan = _build(partnership)
    text = plan_to_json(plan)
    assert text == plan_to_json(Plan.objects.get(pk=plan.pk))
    assert text.startswith('{\n  "format": "send-inclusion-plan",')
    assert "Started with £500k." in text  # ensure_ascii=False: readable, not \u00a3
    assert json.loads(text) == plan_to_dict(plan)


def _empty_the_database() -> None:
    for plan in Plan.objects.all():
        plan.delete()
    Board.objects.all().delete()
    Partnership.objects.all().delete()


def _round_trip(partnership) -> tuple[str, str]:
    first = plan_to_json(_build(partnership))
    _empty_the_database()
    fresh = Partnership.objects.create(name="Lincolnshire SEND Partnership", slug="lincolnshire")
    result = action_plan_import(partnership=fresh, filename="plan.json", content=first.encode())
    return first, plan_to_json(result.plan)


def _without_ids(text: str) -> str:
    def strip(value):
        if isinstance(value, dict):
            return {k: strip(v) for k, v in value.items() if k not in {"id", "priority"}}
        if isinstance(value, list):
            return [strip(v) for v in value]
        return value

    return json.dumps(strip(json.loads(text)), indent=2, ensure_ascii=False)


def test_export_import_into_an_empty_database_keeps_every_value(partnership):
    first, second = _round_trip(partnership)
    assert _without_ids(second) == _without_ids(first)


def test_export_import_export_is_byte_identical(partnership):
    first, second = _round_trip(partnership)
    assert second == first


def test_reimporting_the_export_changes_nothing(partnership):
    plan = _build(partnership)
    text = plan_to_json(plan)
    result = action_plan_import(
        partnership=partnership, filename="plan.json", content=text.encode()
    )
    assert result.plan == plan
    assert not result.changed
    assert plan_to_json(plan) == text


def test_bad_values_are_named_by_their_path():
    data = {
        "plan": {"title": "P", "kind": "inspection_action"},
        "areas": [
            {
                "title": "A",
                "actions": [
                    {
                        "how": "H",
                        "by_when": "31.13.20",
                        "leads": "Kate",
                        "rag": None,
                        "updates": [{"date": "2020-01", "text": "T", "rag": "purple"}],
                    }
                ],
            }
        ],
    }
    with pytest.raises(PlanImportError) as error:
        parse_plan_json(json.dumps(data))
    columns = [p.column for p in error.value.problems]
    assert columns == [
        "areas[0].actions[0].leads",
        "areas[0].actions[0].by_when",
        "areas[0].actions[0].updates[0].rag",
    ]
    assert "'31.13.20' has month 13" in str(error.value)


def test_a_minimal_hand_written_file_reads():
    parsed = parse_plan_json(
        json.dumps(
            {
                "plan": {"title": "Plan"},
                "areas": [
                    {
                        "title": "Area",
                        "actions": [
                            {
                                "how": "Do",
                                "by_when": "2020-04",
                                "leads": ["A"],
                                "rag": "red",
                                "updates": [{"date": "2020-01-31", "text": "Late", "rag": "red"}],
                            }
                        ],
                    }
                ],
            }
        )
    )
    assert parsed.actions[0].by_when == PartialDate.month(2020, 4)
    assert parsed.actions[0].rag == "red"


def test_broken_json_says_where():
    with pytest.raises(PlanImportError) as error:
        parse_plan_json('{"areas": [')
    assert "line 1" in str(error.value)
