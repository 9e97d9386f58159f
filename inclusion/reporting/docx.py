"""Word documents that a screen reader, a search and Word's own accessibility checker can use.

What makes a Word export accessible (Microsoft, "Make your Word documents accessible to people
with disabilities"; GOV.UK, "Publishing accessible documents"):
- real heading styles (Heading 1, 2, 3), never bold body text, so the navigation pane and screen
  readers can jump between sections;
- tables with a header row marked "Repeat as header row at the top of each page" (`w:tblHeader`):
  Word and screen readers treat that row as the column headers, and it repeats when a long table
  breaks across pages;
- a table title (`w:tblCaption`, Word's "Alt Text" title) saying what the table holds;
- the document's title and language in its properties, and the language on the text (`w:lang`)
  so that spelling and speech use British English.

Nothing in here knows about plans: apps build their documents from these helpers.
"""

import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from docx import Document as new_docx
from docx.document import Document
from docx.enum.section import WD_ORIENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.section import Section
from docx.shared import Length, Mm, Pt
from docx.table import Table, _Cell, _Row
from docx.text.paragraph import Paragraph

DEFAULT_FONT = "Arial"
A4_SHORT = Mm(210)
A4_LONG = Mm(297)


@dataclass(frozen=True)
class Cell:
    """A table cell: one or more paragraphs, optionally shaded and bold.

    Shading must never be the only signal (WCAG 1.4.1): the text says what the colour means.
    """

    paragraphs: Sequence[str] = field(default_factory=tuple)
    fill: str = ""  # "RRGGBB"
    bold: bool = False


CellValue = Cell | str | Sequence[str] | None


def _as_cell(value: CellValue) -> Cell:
    if isinstance(value, Cell):
        return value
    if value is None:
        return Cell(())
    if isinstance(value, str):
        return Cell((value,))
    return Cell(tuple(value))


def _set_language(rpr, language: str) -> None:  # type: ignore[no-untyped-def]
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), language)
    lang.set(qn("w:eastAsia"), language)


def _set_font(style, font: str) -> None:  # type: ignore[no-untyped-def]
    style.font.name = font
    rpr = style.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    # The heading styles name theme fonts; a theme font wins over a named one, so drop them.
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:cstheme", "w:eastAsiaTheme"):
        fonts.attrib.pop(qn(attr), None)
    fonts.set(qn("w:cs"), font)


def new_document(
    *,
    title: str,
    author: str = "",
    subject: str = "",
    keywords: str = "",
    language: str = "en-GB",
    font: str = DEFAULT_FONT,
    font_size: float = 10,
    landscape: bool = False,
) -> Document:
    """An A4 document with its title, author and language set, in one sans-serif font."""
    doc = new_docx()
    props = doc.core_properties
    props.title = title
    props.author = author
    props.last_modified_by = author
    props.subject = subject
    props.keywords = keywords
    props.language = language
    props.comments = ""

    defaults = doc.styles.element.find(qn("w:docDefaults"))
    rpr_default = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    _set_language(rpr_default, language)

    normal = doc.styles["Normal"]
    _set_font(normal, font)
    normal.font.size = Pt(font_size)
    for name in ("Title", "Heading 1", "Heading 2", "Heading 3", "Caption"):
        _set_font(doc.styles[name], font)

    section = doc.sections[0]
    section.page_width, section.page_height = A4_SHORT, A4_LONG
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Mm(15))
    if landscape:
        set_landscape(section)
    return doc


def set_landscape(section: Section) -> None:
    """Turn a section to landscape (wide tables read better); page size swaps with it."""
    if section.orientation == WD_ORIENT.LANDSCAPE:
        return
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = section.page_height, section.page_width


def usable_width(section: Section) -> Length:
    return Length(section.page_width - section.left_margin - section.right_margin)


def add_heading(doc: Document, text: str, level: int) -> Paragraph:
    """A paragraph in the real "Heading N" style (level 0 is "Title")."""
    if not 0 <= level <= 3:
        raise ValueError(f"heading level {level}: use 0 (title) to 3")
    return doc.add_heading(text, level=level)


def add_paragraphs(doc: Document, paragraphs: Iterable[str], style: str | None = None) -> None:
    for text in paragraphs:
        doc.add_paragraph(text, style=style)


def _fill_cell(cell: _Cell, content: Cell) -> None:
    paragraphs = list(content.paragraphs) or [""]
    first = cell.paragraphs[0]
    for i, text in enumerate(paragraphs):
        paragraph = first if i == 0 else cell.add_paragraph()
        # A little space between paragraphs of a cell, none after the last (Table Grid has none).
        paragraph.paragraph_format.space_after = Pt(4) if i < len(paragraphs) - 1 else Pt(0)
        run = paragraph.add_run(text)
        if content.bold:
            run.bold = True
    if content.fill:
        shade_cell(cell, content.fill)


def shade_cell(cell: _Cell, fill: str) -> None:
    """A background colour ("RRGGBB") for a cell."""
    tc_pr = cell._tc.get_or_add_tcPr()
    shd = tc_pr.find(qn("w:shd"))
    if shd is None:
        shd = OxmlElement("w:shd")
        tc_pr.append(shd)
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill.lstrip("#").upper())


def _keep_row_whole(row: _Row) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    if tr_pr.find(qn("w:cantSplit")) is None:
        cant_split = OxmlElement("w:cantSplit")
        cant_split.set(qn("w:val"), "true")
        tr_pr.insert(0, cant_split)


def mark_header_row(table: Table, rows: int = 1) -> None:
    """Mark the first rows as the header: repeated on each page and read as column headers."""
    for row in table.rows[:rows]:
        tr_pr = row._tr.get_or_add_trPr()
        if tr_pr.find(qn("w:tblHeader")) is None:
            header = OxmlElement("w:tblHeader")
            header.set(qn("w:val"), "true")
            tr_pr.append(header)
        # A header row split over two pages repeats half a header.
        _keep_row_whole(row)


def set_table_caption(table: Table, caption: str, description: str = "") -> None:
    """Word's table "Alt Text": a title (and a description) a screen reader announces."""
    tbl_pr = table._tbl.tblPr
    for tag, value in (("w:tblCaption", caption), ("w:tblDescription", description)):
        if not value:
            continue
        element = tbl_pr.find(qn(tag))
        if element is None:
            element = OxmlElement(tag)
            tbl_pr.append(element)  # the last children of tblPr in the schema's order
        element.set(qn("w:val"), value[:255])


def add_table(
    doc: Document,
    *,
    header: Sequence[str],
    rows: Iterable[Sequence[CellValue]],
    caption: str = "",
    description: str = "",
    style: str = "Table Grid",
    widths: Sequence[Length] | None = None,
    keep_rows_whole: bool = True,
) -> Table:
    """A table with a bold header row that repeats on each page, one row per item of `rows`.

    `keep_rows_whole` stops a row breaking across pages ("Allow row to break across pages"
    off): a continued row no longer says what it is about (the seed 004 shows it). A row
    taller than a page still breaks.
    """
    if widths is not None and len(widths) != len(header):
        raise ValueError(f"{len(widths)} column widths for {len(header)} columns")
    table = doc.add_table(rows=1, cols=len(header))
    table.style = doc.styles[style]
    if widths is not None:
        # Word reads the grid, LibreOffice the cell widths: set both. Rows added later copy
        # their cell widths from the grid (python-docx's `add_row`).
        table.autofit = False
        for column, width in zip(table.columns, widths, strict=True):
            column.width = width
        for cell, width in zip(table.rows[0].cells, widths, strict=True):
            cell.width = width

    def fill_row(cells: Sequence[_Cell], values: Sequence[Cell]) -> None:
        for cell, value in zip(cells, values, strict=True):
            _fill_cell(cell, value)

    fill_row(table.rows[0].cells, [Cell((text,), bold=True) for text in header])
    mark_header_row(table)
    if caption or description:
        set_table_caption(table, caption, description)
    for values in rows:
        if len(values) != len(header):
            raise ValueError(
                f"a table row has {len(values)} cells but the header has {len(header)}"
            )
        row = table.add_row()
        fill_row(row.cells, [_as_cell(v) for v in values])
        if keep_rows_whole:
            _keep_row_whole(row)
    return table


def to_bytes(doc: Document) -> bytes:
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()
