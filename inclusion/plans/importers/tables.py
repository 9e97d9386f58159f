"""Action plans written as tables: Markdown and HTML readers, and the one interpreter.

Every table reader (Markdown, HTML, Word in `docx.py`) produces a `TableDocument`:
the lines of text before the first table and the raw tables, each cell a list of
paragraphs. `interpret_action_tables` turns that into a `ParsedPlan`, so the rules
for columns, page-split rows and dates are written once (docs/adr/0007-plan-import.md):

- Columns are found by their header words (`values.HEADER_ROLES`), not positions.
- A table that starts with an empty header row, or with no header, carries on the
  previous table's columns (a table split across pages).
- A row whose by-when, lead and RAG cells are empty, and whose How cell is empty
  (or which is the first row of a carried-on table), continues the row above: its
  area, how and progress text join the previous row's (`values.join_continuation`).
- A row with its own how/by-when/lead is a new action: in a new area when its area
  cell has text (or the area of that title already read), else in the area above.
- Progress is dated by a date in the progress column's header, else in the
  document's title, else by the date the caller gives (--update-date).
"""

import re
from dataclasses import dataclass, field

from bs4 import BeautifulSoup, NavigableString, Tag

from inclusion.core.partial_dates import PartialDate, PartialDateError
from inclusion.plans.importers import values
from inclusion.plans.importers.problems import PlanImportError, ProblemCollector
from inclusion.plans.importers.types import (
    ParsedAction,
    ParsedArea,
    ParsedPlan,
    ParsedUpdate,
    Source,
)


@dataclass
class RawRow:
    cells: list[list[str]]  # each cell: its paragraphs
    row: int  # the line (Markdown, HTML) or the row within its table (Word)
    table: int | None = None  # Word: the table's number in the document

    def text(self, index: int) -> str:
        return " ".join(self.cells[index]) if index < len(self.cells) else ""

    @property
    def empty(self) -> bool:
        return not any(p for cell in self.cells for p in cell)


@dataclass
class RawTable:
    rows: list[RawRow]
    # Markdown marks its first row as a header with the |---| line; HTML with <th>/<thead>.
    has_header_row: bool = False


@dataclass
class TableDocument:
    title_lines: list[str]  # text before the first table, first is the title
    tables: list[RawTable] = field(default_factory=list)
    title: str = ""  # set when the format marks a title (Word's Title style, <h1>, "# ")

    @property
    def document_title(self) -> str:
        if self.title:
            return self.title
        return self.title_lines[0] if self.title_lines else ""


# ------------------------------------------------------------------ Markdown

_SEPARATOR_CELL = re.compile(r"^\s*:?-+:?\s*$")
_HTML_IN_CELL = re.compile(r"<\s*/?\s*(p|br|div|li|ul|ol|span|strong|em|b|i|u)\b[^>]*>", re.I)
_PIPE = re.compile(r"(?<!\\)\|")
_HEADING = re.compile(r"^\s*#{1,6}\s+")


def _split_markdown_row(line: str) -> tuple[list[str], bool]:
    """The cells of a `| a | b |` line, and whether it was closed with a final pipe."""
    body = line.strip()
    closed = body.endswith("|") and not body.endswith("\\|") and len(body) > 1
    body = body[1:]
    if closed:
        body = body[:-1]
    return _PIPE.split(body), closed


def _is_separator(cells: list[str]) -> bool:
    return bool(cells) and all(_SEPARATOR_CELL.match(c) for c in cells)


def cell_paragraphs_from_markup(markup: str) -> list[str]:
    """A cell written in Markdown with HTML inside (`<p>`, `<br>`): its paragraphs."""
    markup = markup.replace("\\|", "|")
    if _HTML_IN_CELL.search(markup) or "&" in markup:
        soup = BeautifulSoup(f"<div>{markup}</div>", "html.parser")
        return html_paragraphs(soup.div)
    return values.clean_paragraphs([markup])


def _strip_inline_markdown(text: str) -> str:
    return values.clean(re.sub(r"(\*\*|__)(.+?)\1", r"\2", _HEADING.sub("", text)))


def read_markdown(text: str) -> TableDocument:
    """Pipe tables (GitHub style) with the quirks of documents converted from Word or PDF.

    A row with fewer or more cells than its table's header, or a line cut before its
    closing pipe at the end of the file, is a problem (a truncated file), never padded.
    """
    problems = ProblemCollector()
    doc = TableDocument(title_lines=[])
    lines = text.splitlines()
    current: RawTable | None = None
    width = 0
    for number, line in enumerate(lines, start=1):
        stripped = line.strip()
        if not stripped.startswith("|"):
            current = None
            if stripped and not doc.tables:
                if not doc.title and _HEADING.match(stripped) and stripped.startswith("# "):
                    doc.title = _strip_inline_markdown(stripped)
                doc.title_lines.append(_strip_inline_markdown(stripped))
            continue
        cells, closed = _split_markdown_row(stripped)
        if _is_separator(cells):
            if current is not None and len(current.rows) == 1 and not current.has_header_row:
                current.has_header_row = True
            continue
        if current is None:
            current = RawTable(rows=[])
            doc.tables.append(current)
            width = len(cells)
        elif len(cells) != width:
            problem = f"this row has {len(cells)} cells but its table has {width} columns" + (
                " (the line is cut off: is the file truncated?)" if not closed else ""
            )
            problems.add(number, None, problem)
            continue
        elif not closed and number == len(lines):
            problems.add(number, None, "the last row is cut off before its closing '|'")
            continue
        current.rows.append(RawRow([cell_paragraphs_from_markup(c) for c in cells], number))
    problems.raise_if_any()
    return doc


# ------------------------------------------------------------------ HTML

_BLOCKS = {
    "p", "div", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "table",
    "blockquote", "section", "article", "header", "footer", "pre",
}  # fmt: skip


def html_paragraphs(element: Tag | None) -> list[str]:
    """The paragraphs of an element: <p>, <li>, <div> and <br> each end one."""
    if element is None:
        return []
    paragraphs: list[str] = []
    buffer: list[str] = []

    def flush() -> None:
        text = values.clean("".join(buffer))
        if text:
            paragraphs.append(text)
        buffer.clear()

    def walk(node: Tag) -> None:
        for child in node.children:
            if isinstance(child, NavigableString):
                if type(child) is NavigableString:  # not comments, doctype, CDATA
                    buffer.append(str(child))
            elif isinstance(child, Tag):
                if child.name == "br":
                    flush()
                elif child.name in _BLOCKS:
                    flush()
                    walk(child)
                    flush()
                elif child.name not in {"script", "style"}:
                    walk(child)

    walk(element)
    flush()
    return paragraphs


def _own_rows(table: Tag) -> list[Tag]:
    return [tr for tr in table.find_all("tr") if tr.find_parent("table") is table]


def read_html(text: str) -> TableDocument:
    soup = BeautifulSoup(text, "html.parser")
    doc = TableDocument(title_lines=[])
    h1 = soup.find("h1")
    if h1 is not None and (h1.find_previous("table") is None):
        doc.title = values.clean(h1.get_text(" "))
    body = soup.body or soup
    first_table = body.find("table")
    # Text before the first table: block elements (and loose text) in document order.
    for element in body.descendants:
        if element is first_table:
            break
        if isinstance(element, Tag) and element.name in {"h1", "h2", "h3", "h4", "h5", "h6", "p"}:
            if element.find_parent("table") is None:
                text_ = values.clean(element.get_text(" "))
                if text_:
                    doc.title_lines.append(text_)
    if not doc.title_lines and soup.title is not None:
        doc.title_lines.append(values.clean(soup.title.get_text()))
    for table in soup.find_all("table"):
        if table.find_parent("table") is not None:
            continue  # a table inside a cell is that cell's text
        rows: list[RawRow] = []
        has_header = False
        for tr in _own_rows(table):
            cells: list[list[str]] = []
            for cell in tr.find_all(["td", "th"], recursive=False):
                if cell.name == "th" or cell.find_parent("thead") is not None:
                    has_header = has_header or not rows
                cells.append(html_paragraphs(cell))
                try:
                    span = int(cell.get("colspan", 1))
                except (TypeError, ValueError):
                    span = 1
                cells.extend([] for _ in range(max(0, min(span, 50) - 1)))
            rows.append(RawRow(cells, tr.sourceline or 0))
        if rows:
            doc.tables.append(RawTable(rows=rows, has_header_row=has_header))
    return doc


# ------------------------------------------------------------------ interpreting


@dataclass
class _Columns:
    roles: dict[str, int]
    headers: list[str]
    width: int

    def name(self, role: str) -> str:
        index = self.roles.get(role)
        if index is not None and self.headers[index]:
            return self.headers[index]
        return values.ROLE_NAMES[role]

    def text(self, row: RawRow, role: str) -> str:
        index = self.roles.get(role)
        return row.text(index) if index is not None else ""

    def paragraphs(self, row: RawRow, role: str) -> list[str]:
        index = self.roles.get(role)
        if index is None or index >= len(row.cells):
            return []
        return list(row.cells[index])


@dataclass
class _Pending:
    """The action being read: its cells may still be carried on by the next rows."""

    area: ParsedArea
    area_paragraphs: list[str]
    how: list[str]
    by_when: PartialDate | None
    leads: list[str]
    progress: list[str]
    rag: str
    source: Source
    area_is_new: bool


def interpret_action_tables(
    doc: TableDocument,
    *,
    update_date: PartialDate | None = None,
    plan_title: str | None = None,
) -> ParsedPlan:
    problems = ProblemCollector()
    columns: _Columns | None = None
    areas: list[ParsedArea] = []
    by_title: dict[str, ParsedArea] = {}
    pending: _Pending | None = None
    progress_header = ""

    def finish() -> None:
        nonlocal pending
        if pending is None:
            return
        p = pending
        if p.area_is_new:
            # The title may have been carried on since the area was keyed by its first part.
            by_title.pop(_title_key(p.area.title), None)
            p.area.title = " ".join(p.area_paragraphs)
            by_title[_title_key(p.area.title)] = p.area
        how = "\n\n".join(p.how)
        if not how:
            problems.add(p.source.row, columns.name("how") if columns else "How",
                         "the action has no text saying how", table=p.source.table)  # fmt: skip
        action = ParsedAction(
            how=how,
            by_when=p.by_when,
            leads=p.leads,
            position=len(p.area.actions) + 1,
            source=p.source,
        )
        text = "\n\n".join(p.progress)
        if text:
            action.updates.append(
                ParsedUpdate(date=_NO_DATE, text=text, rag=p.rag, source=p.source)
            )
        elif p.rag:
            problems.add(p.source.row, columns.name("rag") if columns else "RAG",
                         f"the rating '{p.rag}' has no progress text to go with it",
                         table=p.source.table)  # fmt: skip
        p.area.actions.append(action)
        pending = None

    for table in doc.tables:
        rows = list(table.rows)
        if not rows:
            continue
        first = rows[0]
        first_texts = [first.text(i) for i in range(len(first.cells))]
        carried_on = False
        if values.looks_like_header(first_texts):
            finish_needed = columns is not None
            roles = values.header_roles(first_texts)
            missing = [r for r in ("area", "how") if r not in roles]
            if missing:
                problems.add(first.row, None,
                             "the table's header has no column for "
                             + " or ".join(values.ROLE_NAMES[m] for m in missing),
                             table=first.table)  # fmt: skip
                continue
            if finish_needed and columns is not None and columns.width == len(first_texts):
                carried_on = True  # the header repeated at the top of each page
            columns = _Columns(roles, [values.clean(t) for t in first_texts], len(first_texts))
            if "progress" in roles and not progress_header:
                progress_header = columns.headers[roles["progress"]]
            rows = rows[1:]
        elif columns is None:
            continue  # a table before the action table (a key, a contents table)
        else:
            if len(first.cells) != columns.width:
                problems.add(first.row, None,
                             f"this table has {len(first.cells)} columns but the action table "
                             f"has {columns.width}", table=first.table)  # fmt: skip
                continue
            carried_on = True
            if table.has_header_row and first.empty:
                rows = rows[1:]  # the empty header row of a table carried on to a new page
        for index, row in enumerate(rows):
            if len(row.cells) != columns.width:
                problems.add(row.row, None,
                             f"this row has {len(row.cells)} cells but the table has "
                             f"{columns.width} columns (is the table truncated?)",
                             table=row.table)  # fmt: skip
                continue
            if row.empty:
                continue
            by_when_text = columns.text(row, "by_when")
            lead_text = columns.text(row, "lead")
            rag_text = columns.text(row, "rag")
            how = columns.paragraphs(row, "how")
            area_text = columns.paragraphs(row, "area")
            progress = columns.paragraphs(row, "progress")
            at_table_start = carried_on and index == 0
            is_continuation = (
                not values.clean(by_when_text)
                and not values.clean(lead_text)
                and not values.clean(rag_text)
                and (not how or at_table_start)
            )
            if is_continuation:
                if pending is None:
                    problems.add(row.row, None,
                                 "this row carries on the text of a row above, but there is none "
                                 "(is the file cut off?)", table=row.table)  # fmt: skip
                    continue
                if area_text:
                    if pending.area_is_new:
                        pending.area_paragraphs = values.join_continuation(
                            pending.area_paragraphs, area_text
                        )
                    else:
                        problems.add(row.row, columns.name("area"),
                                     "this row carries on an area's title, but the action above "
                                     "belongs to an area named earlier", table=row.table)  # fmt: skip
                pending.how = values.join_continuation(pending.how, how)
                pending.progress = values.join_continuation(pending.progress, progress)
                continue
            finish()
            try:
                by_when = values.parse_date_cell(by_when_text)
            except PartialDateError as error:
                problems.add(row.row, columns.name("by_when"), str(error), table=row.table)
                by_when = None
            try:
                rag = values.parse_rag(rag_text)
            except ValueError as error:
                problems.add(row.row, columns.name("rag"), str(error), table=row.table)
                rag = ""
            source = Source(row=row.row, table=row.table)
            if area_text:
                title = " ".join(area_text)
                key = _title_key(title)
                if key in by_title:
                    area, is_new = by_title[key], False
                else:
                    area = ParsedArea(title=title, position=len(areas) + 1, source=source)
                    areas.append(area)
                    by_title[key] = area
                    is_new = True
            elif areas:
                area, is_new = areas[-1], False
            else:
                problems.add(row.row, columns.name("area"),
                             "this action has no area for improvement, and there is no area "
                             "above it", table=row.table)  # fmt: skip
                continue
            pending = _Pending(
                area=area,
                area_paragraphs=area_text if is_new else [area.title],
                how=how,
                by_when=by_when,
                leads=values.parse_leads("\n".join(columns.paragraphs(row, "lead"))),
                progress=progress,
                rag=rag,
                source=source,
                area_is_new=is_new,
            )
    finish()
    if columns is None:
        problems.add(None, None,
                     "no action table found: the file needs a table whose header names at "
                     "least How and two of Area for improvement, By when, Lead, Progress, "
                     "RAG rating")  # fmt: skip
    problems.raise_if_any()

    title = values.clean(plan_title) or doc.document_title
    if not title:
        raise PlanImportError("the document has no title line before its table; name the plan")
    date, date_from = _update_date(progress_header, doc, update_date)
    if date is None and any(a.updates for a in (x for area in areas for x in area.actions)):
        raise PlanImportError(
            "the progress updates have no date: neither the progress column's header "
            f"('{progress_header}') nor the document's title gives one; give the date of "
            "the update (--update-date, e.g. 2019-08)"
        )
    for area in areas:
        for action in area.actions:
            for update in action.updates:
                update.date = date  # type: ignore[assignment]
    description = "\n\n".join(line for line in doc.title_lines if line != title)
    return ParsedPlan(
        title=title,
        kind="inspection_action",
        areas=areas,
        description=description,
        update_date_from=date_from,
    )


_NO_DATE = PartialDate.month(1900, 1)


def _title_key(title: str) -> str:
    return values.clean(title).casefold()


def _update_date(
    progress_header: str, doc: TableDocument, given: PartialDate | None
) -> tuple[PartialDate | None, str]:
    found = values.find_date(progress_header)
    if found:
        return found, f"the progress column's header ('{progress_header}')"
    for line in [doc.document_title, *doc.title_lines]:
        found = values.find_date(line)
        if found:
            return found, f"the document's title ('{line}')"
    if given:
        return given, "the date given for the update"
    return None, ""
