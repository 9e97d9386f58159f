"""Action plans as spreadsheets: CSV and XLSX in the documented template.

The template (docs/import-formats.md, docs/templates/action-plan-template.csv) has
one row per progress update: an action with three updates takes three rows. The
area and action cells may be left empty on the rows after an action's first row
("the same as above"); the action's own cells (by_when, leads, partners, board)
need only be on its first row and must agree where repeated.

Row numbers in messages are the spreadsheet's: the header is row 1.
"""

import csv
import datetime as dt
import io
from dataclasses import dataclass

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

TEMPLATE_COLUMNS = [
    "area",
    "how",
    "by_when",
    "leads",
    "partners",
    "board",
    "update_date",
    "update_text",
    "rag",
    "rag_rationale",
    "author_name",
]
# The template's column names and the role each has (header words of other layouts
# are understood through values.HEADER_ROLES).
_CANONICAL = {
    "area": "area",
    "how": "how",
    "by_when": "by_when",
    "leads": "lead",
    "partners": "partners",
    "board": "board",
    "update_date": "update_date",
    "update_text": "progress",
    "rag": "rag",
    "rag_rationale": "rationale",
    "author_name": "author",
}


@dataclass
class Sheet:
    rows: list[tuple[int, list[str]]]  # (spreadsheet row number, cells as text)
    title: str = ""


def read_csv(text: str) -> Sheet:
    first_line = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        records = list(reader)
    except csv.Error as error:
        raise PlanImportError(f"the CSV file cannot be read: {error}") from None
    return Sheet(rows=[(number, row) for number, row in enumerate(records, start=1)])


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def read_xlsx(content: bytes) -> Sheet:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as error:  # noqa: BLE001 - openpyxl raises many kinds on a damaged file
        raise PlanImportError(f"this is not a spreadsheet that can be read ({error})") from None
    try:
        names = workbook.sheetnames
        # A sheet named like the template's wins; otherwise the first sheet.
        name = next((n for n in names if n.strip().lower() in {"actions", "action plan"}), names[0])
        sheet = workbook[name]
        rows = [
            (number, [_cell_text(v) for v in row])
            for number, row in enumerate(sheet.iter_rows(values_only=True), start=1)
        ]
        title = values.clean(workbook.properties.title or "")
    finally:
        workbook.close()
    return Sheet(rows=rows, title=title)


def _header(sheet: Sheet) -> tuple[int, dict[str, int], list[str], str]:
    """The header row's index, the role of each column, the header texts, and a title above it."""
    title = ""
    for index, (_number, cells) in enumerate(sheet.rows[:20]):
        roles: dict[str, int] = {}
        for col, text in enumerate(cells):
            key = values.clean(text).lower().replace(" ", "_")
            role = _CANONICAL.get(key) or values.header_role(text)
            if role and role not in roles:
                roles[role] = col
        if "area" in roles and "how" in roles:
            return index, roles, [values.clean(c) for c in cells], title
        if not title:
            title = next((values.clean(c) for c in cells if values.clean(c)), "")
    raise PlanImportError(
        "no header row found: the first row must name the columns, at least 'area' and 'how' "
        f"(the template's columns are {', '.join(TEMPLATE_COLUMNS)})"
    )


def interpret_sheet(
    sheet: Sheet,
    *,
    update_date: PartialDate | None = None,
    plan_title: str | None = None,
) -> ParsedPlan:
    header_index, roles, headers, title_above = _header(sheet)
    problems = ProblemCollector()

    def name(role: str) -> str:
        index = roles.get(role)
        return headers[index] if index is not None and headers[index] else role

    def get(cells: list[str], role: str) -> str:
        index = roles.get(role)
        if index is None or index >= len(cells):
            return ""
        return values.clean(cells[index]) if role != "progress" else _paragraphs(cells[index])

    areas: list[ParsedArea] = []
    area_by_key: dict[str, ParsedArea] = {}
    action_by_key: dict[tuple[str, str], ParsedAction] = {}
    area: ParsedArea | None = None
    action: ParsedAction | None = None
    for number, cells in sheet.rows[header_index + 1 :]:
        if not any(values.clean(c) for c in cells):
            continue
        source = Source(row=number)
        area_title = get(cells, "area")
        how = get(cells, "how")
        if area_title:
            key = area_title.casefold()
            if key not in area_by_key:
                area_by_key[key] = ParsedArea(
                    title=area_title, position=len(areas) + 1, source=source
                )
                areas.append(area_by_key[key])
            if area_by_key[key] is not area:
                area, action = area_by_key[key], None
        elif area is None:
            problems.add(number, name("area"), "the first action needs its area for improvement")
            continue
        if how:
            akey = (area.title.casefold(), how.casefold())
            if akey not in action_by_key:
                action_by_key[akey] = ParsedAction(
                    how=how, by_when=None, leads=[], position=len(area.actions) + 1, source=source
                )
                area.actions.append(action_by_key[akey])
                _set_action_cells(action_by_key[akey], cells, get, name, number, problems, True)
            else:
                _set_action_cells(action_by_key[akey], cells, get, name, number, problems, False)
            action = action_by_key[akey]
        elif action is None:
            problems.add(number, name("how"), "the action has no text saying how")
            continue
        else:
            _set_action_cells(action, cells, get, name, number, problems, False)
        _add_update(action, cells, get, name, number, problems, update_date)
    problems.raise_if_any()
    if not areas:
        raise PlanImportError("the spreadsheet has a header row but no actions under it")
    title = values.clean(plan_title) or sheet.title or title_above
    if not title:
        raise PlanImportError(
            "a spreadsheet has no title line: name the plan (--plan, or the plan title on the "
            "upload page)"
        )
    return ParsedPlan(title=title, kind="inspection_action", areas=areas)


def _paragraphs(text: str) -> str:
    """Spreadsheet cells keep paragraphs as blank lines (Alt+Enter twice)."""
    return "\n\n".join(values.clean_paragraphs(values.split_paragraphs(text.replace("\r", ""))))


def _set_action_cells(action, cells, get, name, number, problems, first):  # type: ignore[no-untyped-def]
    """The action's own cells: read on its first row; on later rows they must agree or be empty."""
    by_when_text = get(cells, "by_when")
    try:
        by_when = values.parse_date_cell(by_when_text)
    except PartialDateError as error:
        problems.add(number, name("by_when"), str(error))
        return
    leads = values.parse_leads(get(cells, "lead"))
    partners = get(cells, "partners")
    board = get(cells, "board")
    if first:
        action.by_when, action.leads, action.partners, action.board = (
            by_when,
            leads,
            partners,
            board,
        )
        return
    for role, new, old in (
        ("by_when", by_when, action.by_when),
        ("lead", leads, action.leads),
        ("partners", partners, action.partners),
        ("board", board, action.board),
    ):
        if new and old and new != old:
            problems.add(
                number,
                name(role),
                f"differs from row {action.source.row} for the same action; give the action's "
                "details once, or the same on every row",
            )
        elif new and not old:
            setattr(action, {"lead": "leads"}.get(role, role), new)


def _add_update(action, cells, get, name, number, problems, default_date) -> None:  # type: ignore[no-untyped-def]
    text = get(cells, "progress")
    rag_text = get(cells, "rag")
    try:
        rag = values.parse_rag(rag_text)
    except ValueError as error:
        problems.add(number, name("rag"), str(error))
        return
    date_text = get(cells, "update_date")
    if not text:
        if rag:
            problems.add(number, name("rag"), "a rating needs its progress text (update_text)")
        elif date_text:
            problems.add(number, name("progress"), "the update has a date but no text")
        return
    try:
        date = values.parse_date_cell(date_text) or default_date
    except PartialDateError as error:
        problems.add(number, name("update_date"), str(error))
        return
    if date is None:
        problems.add(
            number,
            name("update_date"),
            "the update has no date; fill in update_date or give the date of the update "
            "(--update-date)",
        )
        return
    action.updates.append(
        ParsedUpdate(
            date=date,
            text=text,
            rag=rag,
            rationale=get(cells, "rationale"),
            author_name=get(cells, "author"),
            source=Source(row=number),
        )
    )
