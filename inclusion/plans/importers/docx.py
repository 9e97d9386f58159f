"""Word (.docx) documents: action plan tables and narrative paragraphs, via python-docx.

Cells are read from the table XML rather than `table.rows[i].cells`, because
python-docx repeats a merged cell's text in every grid position it covers, which
would duplicate text: a horizontally merged cell counts once plus empty columns,
and the continuation of a vertically merged cell is empty.
"""

import io
import zipfile
from dataclasses import dataclass

from docx import Document
from docx.document import Document as DocumentObject
from docx.oxml.ns import qn
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

from inclusion.plans.importers import values
from inclusion.plans.importers.problems import PlanImportError
from inclusion.plans.importers.tables import RawRow, RawTable, TableDocument


def open_docx(content: bytes) -> DocumentObject:
    try:
        return Document(io.BytesIO(content))
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as error:
        raise PlanImportError(f"this is not a Word document that can be read ({error})") from None
    except Exception as error:  # noqa: BLE001 - lxml and python-docx raise many kinds on bad XML
        raise PlanImportError(
            f"this Word document is damaged and cannot be read ({error})"
        ) from None


def _blocks(document: DocumentObject):  # type: ignore[no-untyped-def]
    """Paragraphs and tables of the body, in document order."""
    body = document.element.body
    for child in body.iterchildren():
        if child.tag == qn("w:p"):
            yield Paragraph(child, document)
        elif child.tag == qn("w:tbl"):
            yield Table(child, document)


def _cell_paragraphs(tc, table: Table) -> list[str]:  # type: ignore[no-untyped-def]
    cell = _Cell(tc, table)
    return values.clean_paragraphs([p.text for p in cell.paragraphs])


def _table_rows(table: Table, number: int) -> list[RawRow]:
    rows: list[RawRow] = []
    for row_number, tr in enumerate(table._tbl.tr_lst, start=1):
        cells: list[list[str]] = []
        for tc in tr.tc_lst:
            span = tc.grid_span or 1
            merged = tc.vMerge == "continue"
            cells.append([] if merged else _cell_paragraphs(tc, table))
            cells.extend([] for _ in range(span - 1))
        rows.append(RawRow(cells, row_number, table=number))
    return rows


def read_docx_tables(content: bytes) -> TableDocument:
    document = open_docx(content)
    doc = TableDocument(title_lines=[])
    number = 0
    for block in _blocks(document):
        if isinstance(block, Table):
            number += 1
            rows = _table_rows(block, number)
            if rows:
                doc.tables.append(RawTable(rows=rows, has_header_row=False))
        elif not doc.tables:
            text = values.clean(block.text)
            if not text:
                continue
            style = (block.style.name if block.style is not None else "") or ""
            if not doc.title and style.lower() in {"title", "heading 1"}:
                doc.title = text
            doc.title_lines.append(text)
    if not doc.title and document.core_properties.title:
        doc.title = values.clean(document.core_properties.title)
    return doc


@dataclass
class DocxLine:
    text: str
    level: int | None  # list level (0 = top) when the paragraph is a list item
    heading: int | None  # heading level, or 0 for the Title style
    number: int  # the paragraph's number in the document


def read_docx_lines(content: bytes) -> list[DocxLine]:
    """Every non-empty paragraph (tables' too, in order) with its list and heading level."""
    document = open_docx(content)
    lines: list[DocxLine] = []
    number = 0

    def add(paragraph: Paragraph) -> None:
        nonlocal number
        number += 1
        text = values.clean(paragraph.text)
        if not text:
            return
        style = ((paragraph.style.name if paragraph.style is not None else "") or "").lower()
        heading = None
        if style == "title":
            heading = 0
        elif style.startswith("heading"):
            try:
                heading = int(style.split()[-1])
            except ValueError:
                heading = 1
        level = None
        ppr = paragraph._p.pPr
        if ppr is not None and ppr.numPr is not None:
            ilvl = ppr.numPr.ilvl
            level = int(ilvl.val) if ilvl is not None and ilvl.val is not None else 0
        elif "list" in style:
            digits = "".join(ch for ch in style if ch.isdigit())
            level = int(digits) - 1 if digits else 0
        lines.append(DocxLine(text, level, heading, number))

    for block in _blocks(document):
        if isinstance(block, Table):
            for row in block.rows:
                for tc in row._tr.tc_lst:
                    for paragraph in _Cell(tc, block).paragraphs:
                        add(paragraph)
        else:
            add(block)
    return lines
