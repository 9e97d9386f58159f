"""Excel helpers: a real Table, frozen header, widths, real dates, text that stays text."""

import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from inclusion.reporting import xlsx as xlsx_out

COLUMNS = [
    xlsx_out.Column("Name", 30, wrap=True),
    xlsx_out.Column("Due", 16),
    xlsx_out.Column("Count", 8, number_format="0"),
]


def _reopen(workbook):
    return load_workbook(io.BytesIO(xlsx_out.to_bytes(workbook)))


def test_rows_become_an_excel_table_with_a_frozen_header_and_column_widths():
    workbook = xlsx_out.new_workbook(title="Actions", author="Partnership")
    xlsx_out.write_table(
        workbook,
        sheet_title="Actions",
        table_name="Actions",
        columns=COLUMNS,
        rows=[["One", dt.date(2020, 8, 31), 3], ["Two", None, 0]],
    )

    book = _reopen(workbook)
    assert book.sheetnames == ["Actions"]
    assert book.properties.title == "Actions" and book.properties.language == "en-GB"
    sheet = book["Actions"]
    table = sheet.tables["Actions"]
    assert table.ref == "A1:C3"
    assert [c.name for c in table.tableColumns] == ["Name", "Due", "Count"]
    assert sheet.freeze_panes == "A2"
    assert sheet.column_dimensions["A"].width == 30
    assert (
        sheet["B2"].value == dt.datetime(2020, 8, 31) and sheet["B2"].number_format == "d mmmm yyyy"
    )
    assert sheet["B2"].is_date
    assert sheet["A2"].alignment.wrap_text


def test_a_month_is_a_date_shown_as_the_month():
    workbook = xlsx_out.new_workbook(title="T")
    xlsx_out.write_table(
        workbook,
        sheet_title="S",
        table_name="T1",
        columns=COLUMNS,
        rows=[["One", xlsx_out.Formatted(dt.date(2020, 4, 30), xlsx_out.MONTH_FORMAT), 1]],
    )

    cell = _reopen(workbook)["S"]["B2"]
    assert cell.is_date and cell.number_format == "mmmm yyyy"


def test_text_starting_with_equals_stays_text_and_never_becomes_a_formula():
    workbook = xlsx_out.new_workbook(title="T")
    xlsx_out.write_table(
        workbook,
        sheet_title="S",
        table_name="T1",
        columns=COLUMNS,
        rows=[['=HYPERLINK("http://example.invalid","click")', None, 1]],
    )

    cell = _reopen(workbook)["S"]["A2"]
    assert cell.data_type == "s"
    assert cell.value == '=HYPERLINK("http://example.invalid","click")'


def test_control_characters_that_excel_refuses_are_dropped():
    workbook = xlsx_out.new_workbook(title="T")
    xlsx_out.write_table(
        workbook, sheet_title="S", table_name="T1", columns=COLUMNS, rows=[["a\x00b\x1fc", None, 1]]
    )

    assert _reopen(workbook)["S"]["A2"].value == "abc"


def test_an_empty_table_keeps_one_empty_row_so_excel_opens_it_without_repair():
    workbook = xlsx_out.new_workbook(title="T")
    xlsx_out.write_table(workbook, sheet_title="S", table_name="T1", columns=COLUMNS, rows=[])

    assert _reopen(workbook)["S"].tables["T1"].ref == "A1:C2"


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"table_name": "Has space"}, "not a valid Excel table name"),
        ({"columns": [xlsx_out.Column("A"), xlsx_out.Column("A")]}, "unique column headers"),
        ({"rows": [["only one"]]}, "a row has 1 cells but the table has 3 columns"),
    ],
)
def test_bad_tables_are_refused(kwargs, message):
    arguments = {"sheet_title": "S", "table_name": "T1", "columns": COLUMNS, "rows": []} | kwargs
    with pytest.raises(ValueError, match=message):
        xlsx_out.write_table(xlsx_out.new_workbook(title="T"), **arguments)


def test_every_row_keeps_its_columns_alignment_and_its_own_date_format():
    """Cell formats are worked out once per column and format and copied (ADR 0008): a day,
    a month and an empty cell in one column each keep their own format, row after row."""
    workbook = xlsx_out.new_workbook(title="T")
    month = xlsx_out.Formatted(dt.date(2020, 4, 30), xlsx_out.MONTH_FORMAT)
    rows = [[f"Row {n}", (dt.date(2020, 8, 31), month, None)[n % 3], n] for n in range(30)]
    xlsx_out.write_table(workbook, sheet_title="S", table_name="T1", columns=COLUMNS, rows=rows)

    sheet = _reopen(workbook)["S"]
    for n in range(30):
        name, due, count = sheet[n + 2]
        assert name.value == f"Row {n}"
        assert name.alignment.wrap_text and name.alignment.vertical == "top"
        assert not due.alignment.wrap_text and due.alignment.vertical == "top"
        assert due.number_format == ("d mmmm yyyy", "mmmm yyyy", "General")[n % 3]
        assert count.value == n and count.number_format == "0"
