"""Word action plans: the same column logic as Markdown, with cells' paragraphs and merged cells."""

import io

import docx
import pytest
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from inclusion.core.partial_dates import PartialDate
from inclusion.plans.importers.detect import parse_action_plan
from inclusion.plans.importers.problems import PlanImportError

HEADER = ["Area for Improvement", "How", "By when", "Lead", "Progress at August 2019", "RAG rating"]


def _table(document, rows):
    table = document.add_table(rows=0, cols=len(HEADER))
    for values in rows:
        cells = table.add_row().cells
        for cell, value in zip(cells, values, strict=True):
            paragraphs = value if isinstance(value, list) else [value]
            cell.paragraphs[0].text = paragraphs[0]
            for text in paragraphs[1:]:
                cell.add_paragraph(text)
    return table


def _docx(build) -> bytes:
    document = docx.Document()
    document.add_paragraph("Action Plan Update August 2019", style="Title")
    document.add_paragraph("Areas of development")
    build(document)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_a_word_table_split_across_pages_is_read_like_the_markdown_one():
    def build(document):
        _table(
            document,
            [
                HEADER,
                ["Improve coding. Focus on a shared", "Accurate census coding", "31.08.20",
                 "Kate Capel/Health DCO", ["Group set up.", "Guidance in draft, using"], "Amber"],
            ],
        )  # fmt: skip
        document.add_paragraph("")
        _table(
            document,
            [
                [""] * 6,
                ["understanding of need.", "", "", "", ["these terms.", "More to do."], ""],
                ["", "Second action", "April 2020", "John Harris /CCG", "Started.", "green"],
            ],
        )

    plan = parse_action_plan(filename="plan.docx", content=_docx(build))
    assert plan.title == "Action Plan Update August 2019"
    [area] = plan.areas
    assert area.title == "Improve coding. Focus on a shared understanding of need."
    first, second = area.actions
    assert first.leads == ["Kate Capel", "Health DCO"]
    assert (
        first.updates[0].text
        == "Group set up.\n\nGuidance in draft, using these terms.\n\nMore to do."
    )
    assert first.updates[0].date == PartialDate.month(2019, 8)
    assert second.by_when == PartialDate.month(2020, 4)
    assert second.leads == ["John Harris", "CCG"]
    assert second.rag == "green"


def test_a_vertically_merged_area_cell_is_not_repeated():
    def build(document):
        table = _table(
            document,
            [HEADER, ["Shared area", "First", "31.08.20", "A", "One.", "Red"],
             ["", "Second", "31.08.20", "B", "Two.", "Amber"]],
        )  # fmt: skip
        top, below = table.cell(1, 0), table.cell(2, 0)
        top.merge(below)

    plan = parse_action_plan(filename="plan.docx", content=_docx(build))
    [area] = plan.areas
    assert area.title == "Shared area"
    assert [a.how for a in area.actions] == ["First", "Second"]


def test_a_bad_date_in_word_names_table_row_and_column():
    def build(document):
        _table(document, [HEADER, ["Area", "How", "31.13.20", "A", "One.", "Red"]])

    with pytest.raises(PlanImportError) as error:
        parse_action_plan(filename="plan.docx", content=_docx(build))
    assert str(error.value) == (
        "plan.docx, table 1, row 2, column 'By when': '31.13.20' has month 13; months run from 1 to 12"
    )


def test_a_damaged_word_file_is_a_clear_error():
    good = _docx(lambda d: _table(d, [HEADER]))
    with pytest.raises(PlanImportError) as error:
        parse_action_plan(filename="plan.docx", content=good[: len(good) // 2])
    assert "plan.docx:" in str(error.value)


def test_grid_span_counts_as_empty_columns():
    def build(document):
        table = _table(document, [HEADER, ["Area", "How", "31.08.20", "A", "One.", "Red"]])
        tc = table.rows[1].cells[4]._tc
        tc_pr = tc.get_or_add_tcPr()
        span = OxmlElement("w:gridSpan")
        span.set(qn("w:val"), "2")
        tc_pr.append(span)
        table.rows[1]._tr.remove(table.rows[1]._tr.tc_lst[5])

    # The spanned progress cell swallows the RAG column: still six columns, RAG empty.
    plan = parse_action_plan(filename="plan.docx", content=_docx(build))
    assert plan.actions[0].updates[0].text == "One."
    assert plan.actions[0].rag == ""
