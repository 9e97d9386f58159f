"""The board report's measures section in every format: each measure linked to the plan (latest
figure, target, trend and SPC in words, the rating it suggests) and the actions whose rating
on the report date the measures do not bear out (issue #3, ADR 0015)."""

import datetime as dt
import io
import json

import pytest
import time_machine
from bs4 import BeautifulSoup
from django.db import connection
from django.test.utils import CaptureQueriesContext
from docx import Document
from openpyxl import load_workbook
from pypdf import PdfReader

from inclusion.measures.evidence import status_cache_clear
from inclusion.plans.importers.detect import parse_action_plan
from inclusion.plans.interchange import plan_to_json
from inclusion.plans.reports import (
    DIFFERENCES_SECTION,
    FORMATS,
    MEASURE_COLUMNS,
    MEASURES_SECTION,
    board_report_data,
    plan_report_render,
)
from tests.factories import ActionFactory, AreaFactory, PlanFactory
from tests.plans.test_evidence_pages import TIMELINESS, linked_measure, rate

AS_OF = dt.date(2025, 5, 31)
TODAY = dt.date(2025, 6, 2)
BY_WHEN = dt.date(2026, 3, 31)
BACKLOG = "Clear the backlog of assessments"
MESSAGE = "RAG given: Amber. The measures suggest Red: EHC plans issued within 20 weeks: 40.3%"


def at_today():
    return time_machine.travel(dt.datetime.combine(TODAY, dt.time(12), tzinfo=dt.UTC), tick=False)


@pytest.fixture
def plan(partnership):
    """Two areas. Timeliness (linked to its area) is red: 40.3%, below 60% and falling.
    - the backlog action: amber on the report date, red after it (the report flags amber);
    - coordinators: red (agrees, not flagged); publishing: complete (never flagged);
    - workshops, in the other area, with its own measure meeting its target: green (agrees).
    None is overdue, so the Word and Markdown reports read back through the importer."""
    with at_today():
        plan = PlanFactory(partnership=partnership, title="Inclusion plan", slug="inclusion-plan")
        timeliness_area = AreaFactory(plan=plan, title="Timeliness of EHC plans", position=1)
        confidence_area = AreaFactory(plan=plan, title="Parents' confidence", position=2)
        backlog = ActionFactory(area=timeliness_area, how=BACKLOG, position=1, by_when=BY_WHEN)
        rate(backlog, "amber", dt.date(2025, 5, 1))
        rate(backlog, "red", dt.date(2025, 6, 1))
        rate(
            ActionFactory(
                area=timeliness_area, how="Recruit coordinators", position=2, by_when=BY_WHEN
            ),
            "red",
        )
        rate(
            ActionFactory(
                area=timeliness_area, how="Publish the figures", position=3, by_when=BY_WHEN
            ),
            "blue",
        )
        rate(
            ActionFactory(area=confidence_area, how="Run workshops", position=1, by_when=BY_WHEN),
            "green",
        )
        linked_measure(
            partnership,
            code="ehcp_20wk_local",
            title=TIMELINESS,
            values=[50, 48, 45, 40.3],
            target=60,
            area=timeliness_area,
        )
        linked_measure(
            partnership,
            code="parent_confidence",
            title="Parents more confident after workshops",
            values=[70, 80],
            target=75,
            area=confidence_area,
        )
    return plan


def render(plan, fmt):
    with at_today():
        return plan_report_render(plan=plan, fmt=fmt, as_of=AS_OF, changes_since=None)


def test_the_report_data_lists_the_plans_measures_and_the_ratings_they_do_not_bear_out(plan):
    with at_today():
        report = board_report_data(plan=plan, as_of=AS_OF, changes_since=None)

    assert [(m.title, m.latest, m.target, m.suggested_label) for m in report.measures] == [
        (TIMELINESS, "40.3% (2024)", "60% by 31 March 2026", "Red"),
        ("Parents more confident after workshops", "80% (2022)", "75% by 31 March 2026", "Green"),
    ]
    assert "falling for 3 periods" in report.measures[0].summary
    # SPC said in words even when it cannot be drawn: 4 figures are too few for limits.
    assert "SPC: too few figures for process limits (4 of the 15 needed)" in (
        report.measures[0].summary
    )
    (difference,) = report.evidence_differences
    # The rating on the report date (amber), not today's (red, which agrees).
    assert (difference.how, difference.rag_label, difference.suggested_label) == (
        BACKLOG,
        "Amber",
        "Red",
    )
    assert difference.message.startswith(MESSAGE)
    assert [m.title for m in difference.evidence] == [TIMELINESS]
    assert report.measures_held_on_text == "2 June 2025"


def test_a_plan_without_measures_says_so_in_one_query(partnership):
    empty = PlanFactory(partnership=partnership, title="No measures", slug="no-measures")
    ActionFactory(area=AreaFactory(plan=empty), how="Something")
    with at_today():
        report = board_report_data(plan=empty, as_of=AS_OF, changes_since=None)
        with CaptureQueriesContext(connection) as queries:
            from inclusion.plans import selectors

            selectors.plan_evidence(empty)

    assert report.measures == () and report.evidence_differences == ()
    assert len(queries) <= 2  # the links (and the plan's partnership when not yet read)


def test_the_measures_section_costs_the_same_queries_for_a_bigger_plan(plan):
    def queries_for(p):
        status_cache_clear()  # the same work each time, not a kept answer the second
        with at_today(), CaptureQueriesContext(connection) as captured:
            board_report_data(plan=p, as_of=AS_OF, changes_since=None)
        return len(captured)

    before = queries_for(plan)
    area = plan.areas.get(position=1)
    with at_today():
        for n in range(30):
            rate(ActionFactory(area=area, how=f"More work {n}", position=10 + n), "amber")

    assert queries_for(plan) == before


def test_word_has_the_measures_table_and_each_flagged_action(plan):
    doc = Document(io.BytesIO(render(plan, "docx").content))

    headings = [p.text for p in doc.paragraphs if p.style.name.startswith("Heading")]
    assert headings.index(MEASURES_SECTION) < headings.index(DIFFERENCES_SECTION)
    assert headings.index(DIFFERENCES_SECTION) < headings.index("Overdue actions as of 31 May 2025")
    (table,) = [t for t in doc.tables if [c.text for c in t.rows[0].cells] == list(MEASURE_COLUMNS)]
    first = [c.text for c in table.rows[1].cells]
    assert first[:3] == [TIMELINESS, "40.3% (2024)", "60% by 31 March 2026"]
    assert first[4] == "Red"
    texts = [p.text for p in doc.paragraphs]
    assert BACKLOG in texts
    assert any(t.startswith(MESSAGE) for t in texts)
    assert "Recruit coordinators" not in texts


def test_the_pdf_has_the_measures_and_the_flagged_action(plan):
    content = render(plan, "pdf").content

    text = "".join(
        "".join((page.extract_text() or "").split())
        for page in PdfReader(io.BytesIO(content)).pages
    )
    for expected in (
        MEASURES_SECTION,
        TIMELINESS,
        "Latest figure: 40.3% (2024) · Target: 60% by 31 March 2026 · Measures suggest: Red",
        DIFFERENCES_SECTION,
        BACKLOG,
        MESSAGE,
    ):
        assert "".join(expected.split()) in text, expected


def test_html_has_the_measures_table_and_a_list_of_flagged_actions(plan):
    soup = BeautifulSoup(render(plan, "html").content.decode(), "html.parser")

    section = soup.find(id="measures-heading").parent
    table = section.find("table")
    assert [th.get_text(strip=True) for th in table.thead.find_all("th")] == list(MEASURE_COLUMNS)
    row = table.tbody.find("tr")
    assert row.th.get_text(strip=True) == TIMELINESS
    assert [td.get_text(strip=True) for td in row.find_all("td")][-1] == "Red"
    items = section.select("ol.differences li")
    assert len(items) == 1
    words = " ".join(items[0].get_text().split())
    assert BACKLOG in words and MESSAGE in words
    levels = [int(h.name[1]) for h in soup.find_all(["h1", "h2", "h3", "h4"])]
    assert all(b - a <= 1 for a, b in zip(levels, levels[1:], strict=False)), levels


def test_markdown_has_the_measures_table_and_a_list_of_flagged_actions(plan):
    text = render(plan, "md").content.decode()

    assert f"## {MEASURES_SECTION}\n" in text
    assert "| " + " | ".join(MEASURE_COLUMNS) + " |" in text
    assert f"| {TIMELINESS} | 40.3% (2024) | 60% by 31 March 2026 |" in text
    assert f"### {DIFFERENCES_SECTION}\n" in text
    (item,) = [line for line in text.splitlines() if line.startswith("- **")]
    assert item.startswith(f"- **{BACKLOG}** (area for improvement: Timeliness of EHC plans).")
    assert MESSAGE in item
    assert text.index(MEASURES_SECTION) < text.index("## Overdue actions")


def test_excel_has_a_measures_sheet_and_a_sheet_of_flagged_actions(plan):
    workbook = load_workbook(io.BytesIO(render(plan, "xlsx").content))

    measures = list(workbook[MEASURES_SECTION].iter_rows(values_only=True))
    assert measures[0][:6] == ("Code", *MEASURE_COLUMNS)
    assert measures[1][:4] == (
        "ehcp_20wk_local",
        TIMELINESS,
        "40.3% (2024)",
        "60% by 31 March 2026",
    )
    assert measures[1][5] == "Red"
    assert measures[1][6] == dt.datetime(2025, 6, 2)
    flagged = list(workbook["Ratings and measures"].iter_rows(values_only=True))
    assert len(flagged) == 2
    assert flagged[1][1:4] == (BACKLOG, "Amber", "Red")
    assert flagged[1][4].startswith(MESSAGE)


def test_json_adds_the_measures_after_the_interchange_and_still_imports(plan):
    content = render(plan, "json").content
    data = json.loads(content)

    assert [m["code"] for m in data["measures"]] == ["ehcp_20wk_local", "parent_confidence"]
    assert data["measures"][0]["suggested_rag"] == "red"
    assert data["measures_held_on"] == "2025-06-02"
    (difference,) = data["evidence_differences"]
    assert (difference["how"], difference["rag"], difference["suggested_rag"]) == (
        BACKLOG,
        "amber",
        "red",
    )
    assert difference["evidence"][0]["title"] == TIMELINESS
    # The interchange part is untouched: the importer reads the same plan from it as from the
    # interchange file itself (it does not read the extra keys).
    interchange = json.loads(plan_to_json(plan, as_of=AS_OF))
    assert {k: v for k, v in data.items() if k in interchange} == interchange
    assert list(data)[: len(interchange)] == list(interchange)

    def read(content):
        parsed = parse_action_plan(filename="plan.json", content=content)
        return [
            (a.title, [(x.how, x.rag, len(x.updates)) for x in a.actions]) for a in parsed.areas
        ]

    assert read(content) == read(plan_to_json(plan, as_of=AS_OF).encode())


@pytest.mark.parametrize("fmt", ["md", "docx", "html"])
def test_the_measures_section_does_not_change_what_the_importer_reads_back(plan, fmt):
    """Word and Markdown reports read back through the plan importer (ADR 0008): the measures
    table and the flagged actions must not be taken for actions."""
    from inclusion.measures.models import MeasureEvidence

    with_measures = render(plan, fmt).content
    MeasureEvidence.objects.all().delete()
    without = render(plan, fmt).content

    def actions(content):
        parsed = parse_action_plan(
            filename=f"report.{fmt}", content=content, update_date=None, plan_title="Plan"
        )
        return [
            (area.title, [(a.how, [(u.rag, u.text) for u in a.updates]) for a in area.actions])
            for area in parsed.areas
        ]

    assert with_measures != without
    assert [title for title, _ in actions(with_measures)] == [
        "Timeliness of EHC plans",
        "Parents' confidence",
    ]
    assert actions(with_measures) == actions(without)


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_format_renders_a_plan_with_measures(plan, fmt):
    assert render(plan, fmt).content
