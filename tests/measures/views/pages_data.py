"""Data for the measures page tests, made through the real importer and services, and the
readers that compare a page's tables with their downloads."""

import csv
import datetime as dt
import functools
import io
import re
import zipfile
from decimal import Decimal
from pathlib import Path

import openpyxl
from bs4 import BeautifulSoup

from inclusion.measures.areas import geography_for_partnership
from inclusion.measures.importers import SHIPPED_RELEASE
from inclusion.measures.models import ComparatorArea, Geography, Measure, Polarity, Unit
from inclusion.measures.periods import month
from inclusion.measures.services.imports import published_statistics_import
from inclusion.measures.services.measures import (
    measure_create,
    observation_record,
    partnership_measure_set,
    target_set,
)
from tests.measures.helpers import (
    EAST_MIDLANDS,
    ENGLAND,
    LINCOLNSHIRE,
    STANDARD,
    csv_bytes,
    row,
    write_mapping,
)

TIMELINESS = "ehcp_20wk_incl_exceptions"
# Lincolnshire's statistical neighbours in the tests (codes as in the 2025 release).
NEIGHBOURS = {"E10000024": "Nottinghamshire", "E10000018": "Leicestershire"}


@functools.cache
def timeliness_extract() -> bytes:
    """The rows of the 2025 release's `timeliness_20_week.csv` that the ehcp_timeliness
    mapping reads (all plans issued: England, the regions, every LA, 2019 to 2024), as
    published: the same figures as the zip, read in a tenth of the time."""
    with zipfile.ZipFile(SHIPPED_RELEASE) as archive:
        name = next(n for n in archive.namelist() if n.endswith("timeliness_20_week.csv"))
        lines = archive.read(name).decode("utf-8-sig").splitlines(keepends=True)
    column = next(csv.reader([lines[0]])).index("breakdown_topic")
    kept = [
        line for line in lines[1:] if next(csv.reader([line]))[column] == "All EHC plans issued"
    ]
    assert len(kept) == 970, "the release's all-plans rows (ehcp_timeliness reads 970)"
    return "".join([lines[0], *kept]).encode("utf-8")


def import_timeliness() -> Measure:
    """DfE's 2025 release, 20-week timeliness (England, regions, every LA, 2019 to 2024)."""
    published_statistics_import(
        source=timeliness_extract(),
        filename="timeliness_20_week.csv",
        mapping="ehcp_timeliness",
        via="tests",
    )
    return Measure.objects.get(code=TIMELINESS)


def choose_neighbours(partnership, codes=tuple(NEIGHBOURS)) -> None:
    # The test arranges the neighbours directly: choosing them is the management pages' work.
    for rank, code in enumerate(codes, start=1):
        ComparatorArea.objects.create(
            partnership=partnership, geography=Geography.objects.get(code=code), rank=rank
        )


def use(partnership, measure, *, owner="", targets=()):
    pm = partnership_measure_set(partnership=partnership, measure=measure, owner=owner, via="tests")
    for date, value in targets:
        target_set(partnership_measure=pm, date=date, value=value, via="tests")
    return pm


def local_measure(partnership, *, code="parent_confidence", months=0, start=60, step=1, **fields):
    """A partnership's own monthly measure with `months` entered values from January 2022."""
    measure = measure_create(
        partnership=partnership,
        code=code,
        title=fields.pop("title", "Parents more confident after workshops"),
        unit=fields.pop("unit", Unit.PERCENTAGE),
        polarity=fields.pop("polarity", Polarity.HIGHER),
        via="tests",
        **fields,
    )
    if months:
        geography = geography_for_partnership(partnership)
        for n in range(months):
            year, number = 2022 + n // 12, n % 12 + 1
            observation_record(
                partnership=partnership,
                measure=measure,
                geography=geography,
                period=month(year, number),
                value=Decimal(start) + step * (n % 5) - (2 if n % 3 == 0 else 0),
                via="tests",
            )
    return measure


BREAKDOWN_MAPPING = """
title = "Test timeliness by age"
file = "timeliness.csv"
data_source = "Test data"

[breakdown]
topic_column = "breakdown_topic"
column = "breakdown"
total = "All"

[[measures]]
code = "test_20wk"
title = "Plans within 20 weeks"
unit = "percentage"
polarity = "higher"
value = "pc_within"
numerator = "within"
denominator = "issued"
"""
NOTTINGHAMSHIRE = [
    "Local authority",
    "E92000001",
    "England",
    "E12000004",
    "East Midlands",
    "E10000024",
    "891",
    "Nottinghamshire",
]


def import_breakdowns(tmp_path: Path) -> Measure:
    """A small file in DfE's layout with an age breakdown and a suppressed value."""
    header = [*STANDARD, "breakdown_topic", "breakdown", "issued", "within", "pc_within"]
    rows = []
    for year, (eng, em, lincs, notts) in {
        "2022": (("1000", "500"), ("100", "60"), ("40", "30"), ("50", "20")),
        "2023": (("1100", "600"), ("110", "70"), ("44", "40"), ("52", "26")),
    }.items():
        for place, (issued, within) in (
            (ENGLAND, eng),
            (EAST_MIDLANDS, em),
            (LINCOLNSHIRE, lincs),
            (NOTTINGHAMSHIRE, notts),
        ):
            pc = f"{100 * int(within) / int(issued):.1f}"
            rows.append(row(year, place, "All", "Total", issued, within, pc))
            rows.append(row(year, place, "Age", "Under 5", "10", "8", "80.0"))
        rows.append(row(year, LINCOLNSHIRE, "Age", "5 to 10", "c", "c", "c"))
        rows.append(row(year, ENGLAND, "Age", "5 to 10", "300", "150", "50.0"))
    published_statistics_import(
        source=csv_bytes(header, rows),
        filename="timeliness.csv",
        mapping=write_mapping(tmp_path, BREAKDOWN_MAPPING),
        via="tests",
    )
    return Measure.objects.get(code="test_20wk")


# ---------------------------------------------------------------- reading pages and files


def soup(response) -> BeautifulSoup:
    return BeautifulSoup(response.content.decode(), "html.parser")


def words(node) -> str:
    return " ".join(node.get_text(" ").split())


def page_tables(response) -> dict[str, dict]:
    """Each table with download links, by its name: headings, whether each column is
    numeric, its rows as words, and its download links by format."""
    found = {}
    for table in soup(response).select("table.govuk-table"):
        wrapper = table.find_parent("div", class_="app-table-wrapper")
        downloads = wrapper.find_next_sibling("p", class_="app-downloads") if wrapper else None
        if downloads is None:
            continue
        links = {}
        for link in downloads.select("a"):
            query = dict(part.split("=", 1) for part in link["href"].split("?", 1)[1].split("&"))
            links[query["format"]] = link["href"]
            name = query["table"]
        heads = table.select("thead th")
        found[name] = {
            "caption": words(table.select_one("caption")),
            "headings": [words(th) for th in heads],
            "numeric": ["govuk-table__header--numeric" in th.get("class", []) for th in heads],
            "rows": [[words(c) for c in tr.select("th, td")] for tr in table.select("tbody tr")],
            "links": links,
        }
    return found


def csv_rows(response) -> list[list[str]]:
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff"), "the CSV starts with a byte order mark for Excel"
    return list(csv.reader(io.StringIO(text[1:])))


def xlsx_rows(response) -> list[list]:
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    sheet = workbook.worksheets[0]
    assert sheet.tables, "the rows are an Excel table"
    return [list(r) for r in sheet.iter_rows(values_only=True)]


ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
NUMBER = re.compile(r"-?[\d,]+(?:\.\d+)?")


def shown_number(text: str) -> float | None:
    """The number a page cell shows ("45.9%", "1,088", "12 days", "45.9% (2024)")."""
    match = NUMBER.search(text)
    return float(match.group().replace(",", "")) if match else None


def same_cell(shown: str, held, numeric: bool) -> bool:
    """A page cell and its download cell say the same: numbers equal to the page's rounding,
    codes named on the page, words identical."""
    if held is None or held == "":
        return shown in ("", "No figure", "No figure yet", "No target set")
    if numeric:
        try:
            number = float(held)
        except (TypeError, ValueError):
            return f"({held}" in shown or str(held) in shown  # a code: "Suppressed (c: ...)"
        expected = shown_number(shown)
        return expected is not None and abs(number - expected) < 0.051
    if isinstance(held, str) and ISO_DATE.fullmatch(held):
        held = dt.date.fromisoformat(held)
    if isinstance(held, dt.date | dt.datetime):
        return f"{held.day} {held:%B %Y}" == shown  # GOV.UK style on the page
    return " ".join(str(held).split()) == shown
