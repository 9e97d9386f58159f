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


def test_cell_text_keeps_tabs_and_line_breaks_escapes_markup_and_drops_what_xml_cannot_hold():
    """Rows are written as XML text: text that looks like markup stays text, and a pasted
    control character cannot make the whole document unreadable."""
    doc = docx_out.new_document(title="T")
    docx_out.add_table(
        doc, header=["Text"], rows=[["a\tb\nc <w:p/> & “d”\x0c\x00"], ["  spaced  "], [""]]
    )

    table = _reopen(doc).tables[0]
    (paragraph,) = table.rows[1].cells[0].paragraphs
    assert paragraph.text == "a\tb\nc <w:p/> & “d”"
    run = paragraph.runs[0]._r
    assert run.find(qn("w:tab")) is not None and run.find(qn("w:br")) is not None
    assert table.rows[2].cells[0].text == "  spaced  "
    assert table.rows[3].cells[0].text == ""


def test_a_long_table_keeps_every_row_in_order_with_one_header_row():
    """More rows than are parsed at once (500): none lost, none reordered."""
    doc = docx_out.new_document(title="T")
    docx_out.add_table(
        doc, header=["N", "Square"], rows=([str(n), str(n * n)] for n in range(1, 1202))
    )

    table = _reopen(doc).tables[0]
    assert len(table.rows) == 1202
    assert [table.rows[n].cells[0].text for n in (1, 500, 501, 1000, 1201)] == [
        "1",
        "500",
        "501",
        "1000",
        "1201",
    ]
    assert table.rows[1201].cells[1].text == str(1201 * 1201)
    headers = [row._tr.trPr.find(qn("w:tblHeader")) is not None for row in table.rows]
    assert headers == [True] + [False] * 1201
    assert all(row._tr.trPr.find(qn("w:cantSplit")) is not None for row in table.rows)


def test_column_widths_are_fixed_in_the_grid_and_repeated_on_every_cell():
    """Word lays the table out from the grid without measuring text; LibreOffice reads the
    cells' widths."""
    doc = docx_out.new_document(title="T")
    docx_out.add_table(
        doc, header=["A", "B", "C"], rows=[["1", "2", "3"]] * 3, widths=[Mm(20), Mm(50), Mm(30)]
    )

    table = _reopen(doc).tables[0]
    layout = table._tbl.tblPr.find(qn("w:tblLayout"))
    assert layout is not None and layout.get(qn("w:type")) == "fixed"
    grid = [round(col.w.mm) for col in table._tbl.tblGrid.gridCol_lst]
    assert grid == [20, 50, 30]
    assert all([round(cell.width.mm) for cell in row.cells] == [20, 50, 30] for row in table.rows)


def test_rows_may_break_across_pages_when_asked_but_the_header_never_does():
    doc = docx_out.new_document(title="T")
    docx_out.add_table(doc, header=["A"], rows=[["1"], ["2"]], keep_rows_whole=False)

    table = _reopen(doc).tables[0]
    assert table.rows[0]._tr.trPr.find(qn("w:cantSplit")) is not None
    assert all(row._tr.trPr is None for row in table.rows[1:])


def test_a_cell_fill_that_is_not_a_colour_is_refused():
    doc = docx_out.new_document(title="T")
    with pytest.raises(ValueError, match="cell fill 'red\"/>': use a colour as RRGGBB"):
        docx_out.add_table(doc, header=["A"], rows=[[docx_out.Cell(("x",), fill='red"/>')]])
