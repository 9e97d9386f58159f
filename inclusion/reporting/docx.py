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
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from xml.sax.saxutils import escape

from docx import Document as new_docx
from docx.document import Document
from docx.enum.section import WD_ORIENT
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
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


# How many rows are parsed at once: large enough that parsing is not per row, small enough
# that the XML text of a long table is never held in memory all at once.
_ROWS_PER_PARSE = 500
# Row properties: a header row split over two pages would repeat half a header.
_WHOLE_ROW_PROPERTIES = '<w:trPr><w:cantSplit w:val="true"/></w:trPr>'
_HEADER_ROW_PROPERTIES = '<w:trPr><w:cantSplit w:val="true"/><w:tblHeader w:val="true"/></w:trPr>'
# A little space between the paragraphs of a cell, none after the last (Table Grid has none):
# 4 pt is 80 twentieths of a point.
_SPACED = '<w:p><w:pPr><w:spacing w:after="80"/></w:pPr>'
_LAST = '<w:p><w:pPr><w:spacing w:after="0"/></w:pPr>'
_BOLD = "<w:rPr><w:b/></w:rPr>"
_FILL = re.compile(r"[0-9A-F]{6}")
# What XML 1.0 cannot carry (most C0 control characters): a pasted form feed or NUL would
# otherwise make the whole document unreadable.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
# As python-docx's `run.text`: a tab is a tab, a line break a break, within one paragraph.
_RUN_BREAKS = re.compile(r"(\t|\r\n|\r|\n)")
_RUN_BREAK_XML = {"\t": "<w:tab/>", "\n": "<w:br/>", "\r": "<w:br/>", "\r\n": "<w:br/>"}


def _text_xml(text: str) -> str:
    text = _NOT_XML.sub("", text)
    if not _RUN_BREAKS.search(text):
        return f'<w:t xml:space="preserve">{escape(text)}</w:t>' if text else ""
    return "".join(
        _RUN_BREAK_XML[part]
        if i % 2
        else (f'<w:t xml:space="preserve">{escape(part)}</w:t>' if part else "")
        for i, part in enumerate(_RUN_BREAKS.split(text))
    )


def _cell_xml(start: str, content: Cell) -> str:
    parts = [start]
    if content.fill:
        fill = content.fill.lstrip("#").upper()
        if not _FILL.fullmatch(fill):
            raise ValueError(f"cell fill '{content.fill}': use a colour as RRGGBB")
        parts.append(f'<w:shd w:val="clear" w:color="auto" w:fill="{fill}"/>')
    parts.append("</w:tcPr>")
    run_start = "<w:r>" + _BOLD if content.bold else "<w:r>"
    paragraphs = content.paragraphs or ("",)
    last = len(paragraphs) - 1
    for i, text in enumerate(paragraphs):
        parts.append(_LAST if i == last else _SPACED)
        parts.append(f"{run_start}{_text_xml(text)}</w:r></w:p>")
    parts.append("</w:tc>")
    return "".join(parts)


def _row_xml(cell_starts: Sequence[str], cells: Sequence[Cell], properties: str) -> str:
    return (
        "<w:tr>"
        + properties
        + "".join(_cell_xml(s, c) for s, c in zip(cell_starts, cells, strict=True))
        + "</w:tr>"
    )


def _append_rows(table: Table, rows_xml: list[str]) -> None:
    if rows_xml:
        parsed = parse_xml(f"<w:tbl {nsdecls('w')}>{''.join(rows_xml)}</w:tbl>")
        table._tbl.extend(list(parsed))


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

    The rows are written as WordprocessingML text and parsed in bulk rather than built with
    python-docx's cell API, which looks up and inserts every child element in schema order:
    that cost ~3 ms a row, 29 s for a 2,000-action report (docs/adr/0008-reports.md).
    """
    if widths is not None and len(widths) != len(header):
        raise ValueError(f"{len(widths)} column widths for {len(header)} columns")
    table = doc.add_table(rows=0, cols=len(header))
    table.style = doc.styles[style]
    grid = table._tbl.tblGrid.gridCol_lst
    if widths is not None:
        # Fixed layout: Word takes the grid's widths as they are instead of measuring every
        # cell's text to size the columns.
        table.autofit = False
        for column, width in zip(grid, widths, strict=True):
            column.w = width
    if caption or description:
        set_table_caption(table, caption, description)
    # Word reads the grid, LibreOffice the cell widths: every cell repeats its column's.
    cell_starts = [f'<w:tc><w:tcPr><w:tcW w:w="{column.w.twips}" w:type="dxa"/>' for column in grid]
    header_xml = _row_xml(
        cell_starts, [Cell((text,), bold=True) for text in header], _HEADER_ROW_PROPERTIES
    )
    row_properties = _WHOLE_ROW_PROPERTIES if keep_rows_whole else ""
    chunk: list[str] = [header_xml]
    for values in rows:
        if len(values) != len(header):
            raise ValueError(
                f"a table row has {len(values)} cells but the header has {len(header)}"
            )
        chunk.append(_row_xml(cell_starts, [_as_cell(v) for v in values], row_properties))
        if len(chunk) >= _ROWS_PER_PARSE:
            _append_rows(table, chunk)
            chunk = []
    _append_rows(table, chunk)
    return table


def to_bytes(doc: Document) -> bytes:
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()
