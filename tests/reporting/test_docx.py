"""Word helpers: real heading styles, repeating header rows, table titles, language, landscape."""

import io

import pytest
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from inclusion.reporting import docx as docx_out


def _reopen(doc):
    return Document(io.BytesIO(docx_out.to_bytes(doc)))


def test_a_new_document_carries_its_title_author_and_british_english():
    doc = _reopen(
        docx_out.new_document(title="Quarterly report", author="Lincolnshire SEND Partnership")
    )

    props = doc.core_properties
    assert (props.title, props.author, props.language) == (
        "Quarterly report",
        "Lincolnshire SEND Partnership",
        "en-GB",
    )
    lang = (
        doc.styles.element.find(qn("w:docDefaults"))
        .find(qn("w:rPrDefault"))
        .find(qn("w:rPr"))
        .find(qn("w:lang"))
    )
    assert lang.get(qn("w:val")) == "en-GB"
    assert doc.styles["Normal"].font.name == "Arial"
    assert doc.styles["Heading 1"].font.name == "Arial"


def test_headings_use_the_real_heading_styles():
    doc = docx_out.new_document(title="T")
    docx_out.add_heading(doc, "Report", 1)
    docx_out.add_heading(doc, "Section", 2)
    docx_out.add_heading(doc, "Part", 3)

    styles = [(p.style.name, p.text) for p in _reopen(doc).paragraphs]
    assert styles == [("Heading 1", "Report"), ("Heading 2", "Section"), ("Heading 3", "Part")]
    with pytest.raises(ValueError, match="heading level 5"):
        docx_out.add_heading(doc, "Too deep", 5)


def test_a_table_has_a_repeating_bold_header_row_a_title_and_multi_paragraph_cells():
    doc = docx_out.new_document(title="T")
    docx_out.add_table(
        doc,
        header=["Name", "Progress"],
        rows=[
            ["Kate", ["First.", "Second."]],
            [docx_out.Cell(("Shaded",), fill="#f4cdc6", bold=True), None],
        ],
        caption="Progress by lead",
        widths=[Mm(40), Mm(100)],
    )

    table = _reopen(doc).tables[0]
    header = table.rows[0]
    assert [c.text for c in header.cells] == ["Name", "Progress"]
    assert header._tr.trPr.find(qn("w:tblHeader")) is not None
    assert header._tr.trPr.find(qn("w:cantSplit")) is not None
    assert all(run.bold for cell in header.cells for run in cell.paragraphs[0].runs)
    body_row = table.rows[1]._tr.trPr
    assert body_row.find(qn("w:tblHeader")) is None  # only the first row is the header
    assert body_row.find(qn("w:cantSplit")) is not None  # rows stay whole by default
    first, second = table.rows[1].cells[1].paragraphs
    assert (first.text, second.text) == ("First.", "Second.")
    assert first.paragraph_format.space_after == Pt(4) and second.paragraph_format.space_after == 0
    shading = table.rows[2].cells[0]._tc.tcPr.find(qn("w:shd"))
    assert shading.get(qn("w:fill")) == "F4CDC6"
    assert table._tbl.tblPr.find(qn("w:tblCaption")).get(qn("w:val")) == "Progress by lead"
    assert table.style.name == "Table Grid"
    assert round(table.rows[1].cells[0].width.mm) == 40  # Word stores twips


def test_a_row_of_the_wrong_length_is_refused():
    doc = docx_out.new_document(title="T")
    with pytest.raises(ValueError, match="a table row has 1 cells but the header has 2"):
        docx_out.add_table(doc, header=["A", "B"], rows=[["only"]])


def test_a_landscape_document_is_wider_than_it_is_tall():
    doc = _reopen(docx_out.new_document(title="T", landscape=True))

    section = doc.sections[0]
    # Word stores twips, so millimetres come back rounded.
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (297, 210)
    assert round(docx_out.usable_width(section).mm) == 267
