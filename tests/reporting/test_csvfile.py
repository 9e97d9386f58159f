"""CSV for Excel: UTF-8 with a byte order mark, formula injection guarded."""

import csv
import datetime as dt
import io

import pytest
from hypothesis import given
from hypothesis import strategies as st

from inclusion.reporting.csvfile import csv_bytes, guard_cell


def _read(content: bytes) -> list[list[str]]:
    assert content.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def test_csv_starts_with_a_byte_order_mark_and_keeps_pound_signs_and_quotes():
    content = csv_bytes(["Name", "Note"], [["Kate Capel", "£500k, “LENS” schools"]])

    assert _read(content) == [["Name", "Note"], ["Kate Capel", "£500k, “LENS” schools"]]


@pytest.mark.parametrize("text", ["=1+1", "+44 1522", "-2", "@SUM(A1)", "\t=cmd", "\r=cmd"])
def test_text_that_a_spreadsheet_would_run_is_prefixed_with_an_apostrophe(text):
    assert guard_cell(text) == "'" + text
    assert _read(csv_bytes(["Cell"], [[text]]))[1] == ["'" + text]


def test_numbers_dates_and_empty_cells_are_written_as_values_not_guarded():
    rows = _read(
        csv_bytes(["A", "B", "C", "D", "E"], [[-5, 2.5, dt.date(2020, 8, 31), None, True]])
    )

    assert rows[1] == ["-5", "2.5", "2020-08-31", "", "Yes"]


def test_a_row_of_the_wrong_length_is_refused():
    with pytest.raises(ValueError, match="a CSV row has 1 cells but the header has 2"):
        csv_bytes(["A", "B"], [["only one"]])


@given(st.text())
def test_no_text_cell_ever_starts_with_a_formula_character(text):
    cell = guard_cell(text)
    assert not str(cell).startswith(("=", "+", "-", "@", "\t", "\r"))
    assert str(cell).removeprefix("'") == text or str(cell) == text
