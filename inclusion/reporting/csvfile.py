"""CSV that Excel opens correctly and cannot be turned against the person who opens it.

- UTF-8 with a byte order mark: without it Excel reads the file as the local code page and
  mangles "£" and curly quotes.
- CSV (formula) injection: a text cell starting with `=`, `+`, `-` or `@` (and tab or carriage
  return, which Excel also strips before evaluating) is prefixed with `'` so a spreadsheet shows it
  as text instead of running it (OWASP, "CSV Injection"). Numbers are left alone: -5 is a number,
  not a formula.
- Dates are ISO 8601 (`2020-08-31`): unambiguous in every locale.
"""

import csv
import datetime as dt
import decimal
import io
from collections.abc import Iterable, Sequence
from typing import Any

BOM = "\ufeff"
DANGEROUS_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def guard_cell(value: Any) -> str | int | float:
    """The value as a CSV cell: text guarded against formula injection, numbers as numbers."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, int | float):
        return value
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    text = str(value)
    if text.startswith(DANGEROUS_PREFIXES):
        return "'" + text
    return text


def csv_text(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    """The CSV as text (with the byte order mark), rows in the header's order."""
    buffer = io.StringIO()
    buffer.write(BOM)
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([guard_cell(h) for h in header])
    for row in rows:
        if len(row) != len(header):
            raise ValueError(f"a CSV row has {len(row)} cells but the header has {len(header)}")
        writer.writerow([guard_cell(cell) for cell in row])
    return buffer.getvalue()


def csv_bytes(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    return csv_text(header, rows).encode("utf-8")
