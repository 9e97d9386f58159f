"""CSV and XLSX action plans in the documented template (docs/import-formats.md)."""

import datetime as dt
import io
from pathlib import Path

import openpyxl
import pytest

from inclusion.core.partial_dates import PartialDate
from inclusion.plans.importers.detect import parse_action_plan
from inclusion.plans.importers.problems import PlanImportError
from inclusion.plans.importers.tabular import TEMPLATE_COLUMNS

TEMPLATE = Path(__file__).resolve().parents[3] / "docs" / "templates" / "action-plan-template.csv"


def _csv(body: str) -> bytes:
    return (",".join(TEMPLATE_COLUMNS) + "\n" + body).encode()


def _xlsx(rows: list[list[object]], title: str = "") -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Actions"
    for row in rows:
        sheet.append(row)
    if title:
        workbook.properties.title = title
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_the_shipped_template_reads_with_one_row_per_update():
    plan = parse_action_plan(
        filename=TEMPLATE.name, content=TEMPLATE.read_bytes(), plan_title="Example"
    )
    assert plan.title == "Example"
    assert [len(area.actions) for area in plan.areas] == [1, 2]
    ehc = plan.areas[0].actions[0]
    assert ehc.leads == ["Kate Capel", "Health DCO"]
    assert ehc.board == "SEND Health Committee"
    assert [(u.date.iso(), u.rag) for u in ehc.updates] == [
        ("2019-08", "amber"),
        ("2020-02", "green"),
    ]
    assert ehc.updates[0].text.split("\n\n")[1].startswith("An independent audit")
    assert ehc.updates[1].rationale == "Associate DCO appointed; audit actions on track."
    assert ehc.rag == "green"
    publish = plan.areas[1].actions[1]
    assert publish.how == "Publish the pathway on the Local Offer."
    assert publish.updates == []
    assert plan.areas[1].actions[0].by_when == PartialDate.month(2020, 4)


def test_the_template_as_xlsx_reads_the_same():
    import csv

    rows = list(csv.reader(io.StringIO(TEMPLATE.read_text(encoding="utf-8"))))
    built = parse_action_plan(filename="template.xlsx", content=_xlsx(rows, title="Example"))
    shipped = parse_action_plan(
        filename="t.xlsx", content=TEMPLATE.with_suffix(".xlsx").read_bytes()
    )
    from_csv = parse_action_plan(
        filename=TEMPLATE.name, content=TEMPLATE.read_bytes(), plan_title="Example action plan"
    )
    assert (shipped.title, shipped.areas) == (from_csv.title, from_csv.areas)
    assert built.areas == from_csv.areas


def test_xlsx_date_cells_and_a_title_row_above_the_header():
    content = _xlsx(
        [
            ["SEND action plan 2021"],
            ["Area", "How", "By when", "Leads", "Update date", "Update text", "RAG"],
            [
                "Area one",
                "Do it",
                dt.datetime(2021, 8, 31),
                "Kate",
                dt.date(2021, 3, 1),
                "Done some.",
                "Red",
            ],
        ]
    )
    plan = parse_action_plan(filename="plan.xlsx", content=content)
    assert plan.title == "SEND action plan 2021"
    action = plan.actions[0]
    assert action.by_when == PartialDate.day(dt.date(2021, 8, 31))
    assert action.updates[0].date == PartialDate.day(dt.date(2021, 3, 1))
    assert action.rag == "red"


def test_errors_name_the_spreadsheet_row_and_column():
    content = _csv(
        "Area,Do it,31.13.20,Kate,,,2020-01,Text,Amber,,\n"
        ",,,,,,,More text,Purple,,\n"
        ",,,,,,,,Red,,\n"
    )
    with pytest.raises(PlanImportError) as error:
        parse_action_plan(filename="plan.csv", content=content, plan_title="P")
    assert error.value.lines() == [
        "plan.csv, row 2, column 'by_when': '31.13.20' has month 13; months run from 1 to 12",
        "plan.csv, row 3, column 'rag': 'Purple' is not a RAG rating; use Red, Amber, Green, "
        "Blue (or Complete), Not rated, or leave it empty",
        "plan.csv, row 4, column 'rag': a rating needs its progress text (update_text)",
    ]


def test_an_update_without_a_date_uses_the_date_given_or_asks_for_one():
    content = _csv("Area,Do it,,Kate,,,,Some progress,Green,,\n")
    with pytest.raises(PlanImportError) as error:
        parse_action_plan(filename="plan.csv", content=content, plan_title="P")
    assert "row 2, column 'update_date'" in str(error.value)
    plan = parse_action_plan(
        filename="plan.csv", content=content, plan_title="P", update_date=PartialDate.month(2020, 1)
    )
    assert plan.updates[0].date == PartialDate.month(2020, 1)


def test_action_cells_that_disagree_between_rows_are_an_error():
    content = _csv("Area,Do it,31.08.20,Kate,,,2020-01,One,Green,,\nArea,Do it,31.09.20,,,,,,,,\n")
    with pytest.raises(PlanImportError) as error:
        parse_action_plan(filename="plan.csv", content=content, plan_title="P")
    assert "row 3, column 'by_when'" in str(error.value)
    content = _csv("Area,Do it,31.08.20,Kate,,,2020-01,One,Green,,\nArea,Do it,31.12.20,,,,,,,,\n")
    with pytest.raises(PlanImportError) as error:
        parse_action_plan(filename="plan.csv", content=content, plan_title="P")
    assert "differs from row 2 for the same action" in str(error.value)


def test_a_spreadsheet_needs_a_title_from_somewhere():
    with pytest.raises(PlanImportError) as error:
        parse_action_plan(filename="plan.csv", content=_csv("Area,Do it,,,,,,,,,\n"))
    assert "name the plan" in str(error.value)


def test_a_header_without_area_and_how_is_refused():
    with pytest.raises(PlanImportError) as error:
        parse_action_plan(filename="plan.csv", content=b"name,phone\nKate,0123\n", plan_title="P")
    assert "no header row found" in str(error.value)


def test_semicolon_separated_csv_from_excel_in_other_locales():
    content = "area;how;by_when;leads\nArea;Do it;31.08.20;Kate/Sam\n".encode("cp1252")
    plan = parse_action_plan(filename="plan.csv", content=content, plan_title="P")
    assert plan.actions[0].leads == ["Kate", "Sam"]
