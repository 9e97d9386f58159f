"""Excel workbooks whose data stays data: real Tables, real dates, text that stays text.

- Rows go in an Excel Table (a ListObject): Excel, Power Query and screen readers know where
  the data and its header are, and filters and sorting come with it.
- The header row is frozen so it stays in view while scrolling.
- Dates are real dates with a display format (sorting and filtering work); a value known only to
  the month is a date shown as "April 2020" (`MONTH_FORMAT`), so it is never shown as a day
  nobody wrote.
- Text starting with "=" is stored as text: openpyxl would otherwise write it as a formula, and a
  cell a user typed must never run in the reader's Excel (OWASP, "CSV Injection").

Nothing in here knows about plans: apps describe their columns and rows.
"""

import datetime as dt
import io
import re
from collections.abc import Iterable, Sequence
from copy import copy
from dataclasses import dataclass
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font
from openpyxl.styles.cell_style import StyleArray
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.table import Table, TableStyleInfo
from openpyxl.worksheet.worksheet import Worksheet

DAY_FORMAT = "d mmmm yyyy"
MONTH_FORMAT = "mmmm yyyy"
DATETIME_FORMAT = "d mmmm yyyy hh:mm"
TABLE_STYLE = "TableStyleMedium2"
_TABLE_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_.]{0,254}$")


@dataclass(frozen=True)
class Column:
    header: str
    width: float = 15  # in characters, as Excel measures column widths
    number_format: str = ""  # for dates the default is DAY_FORMAT
    wrap: bool = False


@dataclass(frozen=True)
class Formatted:
    """A cell value with its own number format (a date known only to the month, say)."""

    value: Any
    number_format: str


def new_workbook(
    *, title: str, author: str = "", subject: str = "", language: str = "en-GB"
) -> Workbook:
    """An empty workbook (its one default sheet removed) with its properties set."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    props = workbook.properties
    props.title = title
    props.creator = author or None
    props.lastModifiedBy = author or None
    props.subject = subject or None
    props.language = language
    return workbook


def _clean(value: Any) -> Any:
    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub("", value)
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        # Excel has no time zones: write the wall-clock time the reader expects.
        return value.replace(tzinfo=None)
    return value


# A cell's look (number format, alignment) is the same for every cell of a column with the
# same format: it is worked out once and copied. Assigning `cell.alignment` and
# `cell.number_format` makes openpyxl hash and look up the style each time, which was most of
# the time of a 70,000-cell workbook (docs/adr/0008-reports.md). Copying `_style`, the
# cell's tuple of style ids, is how openpyxl itself copies styles between cells.
_Looks = dict[tuple[int, str | None], StyleArray]


def _write_cell(
    sheet: Worksheet, row: int, col: int, value: Any, column: Column, looks: _Looks
) -> None:
    number_format = column.number_format
    if isinstance(value, Formatted):
        number_format = value.number_format
        value = value.value
    value = _clean(value)
    cell = sheet.cell(row=row, column=col, value=value)
    if isinstance(value, str) and value.startswith("="):
        cell.data_type = "s"
    if isinstance(value, dt.datetime):
        number_format = number_format or DATETIME_FORMAT
    elif isinstance(value, dt.date):
        number_format = number_format or DAY_FORMAT
    look = looks.get((col, number_format))
    if look is None:
        if number_format:
            cell.number_format = number_format
        cell.alignment = (
            Alignment(wrap_text=True, vertical="top") if column.wrap else Alignment(vertical="top")
        )
        looks[(col, number_format)] = copy(cell._style)
    else:
        cell._style = copy(look)


def write_table(
    workbook: Workbook,
    *,
    sheet_title: str,
    table_name: str,
    columns: Sequence[Column],
    rows: Iterable[Sequence[Any]],
    style: str = TABLE_STYLE,
) -> Worksheet:
    """A new sheet holding `rows` as an Excel Table from A1, header frozen, widths set."""
    if not _TABLE_NAME.match(table_name):
        raise ValueError(f"'{table_name}' is not a valid Excel table name (letters, digits, _)")
    headers = [c.header for c in columns]
    if len(set(headers)) != len(headers):
        raise ValueError(f"an Excel table needs unique column headers: {headers}")
    sheet = workbook.create_sheet(title=sheet_title[:31])
    for col, column in enumerate(columns, start=1):
        cell = sheet.cell(row=1, column=col, value=column.header)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        sheet.column_dimensions[get_column_letter(col)].width = column.width
    last_row = 1
    looks: _Looks = {}
    for values in rows:
        if len(values) != len(columns):
            raise ValueError(
                f"a row has {len(values)} cells but the table has {len(columns)} columns"
            )
        last_row += 1
        for col, (value, column) in enumerate(zip(values, columns, strict=True), start=1):
            _write_cell(sheet, last_row, col, value, column, looks)
    # Excel repairs (and warns about) a table with no data row: keep one empty row.
    ref_last = max(last_row, 2)
    ref = f"A1:{get_column_letter(len(columns))}{ref_last}"
    table = Table(displayName=table_name, ref=ref)
    table.tableStyleInfo = TableStyleInfo(name=style, showRowStripes=True, showColumnStripes=False)
    sheet.add_table(table)
    sheet.freeze_panes = "A2"
    sheet.print_title_rows = "1:1"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    return sheet


def to_bytes(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
