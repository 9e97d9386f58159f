"""Small files in DfE's open-data layout, written by the tests that need a particular flaw."""

from pathlib import Path

STANDARD = [
    "time_period",
    "time_identifier",
    "geographic_level",
    "country_code",
    "country_name",
    "region_code",
    "region_name",
    "new_la_code",
    "old_la_code",
    "la_name",
]
ENGLAND = ["National", "E92000001", "England", "", "", "", "", ""]
EAST_MIDLANDS = ["Regional", "E92000001", "England", "E12000004", "East Midlands", "", "", ""]
LINCOLNSHIRE = [
    "Local authority",
    "E92000001",
    "England",
    "E12000004",
    "East Midlands",
    "E10000019",
    "925",
    "Lincolnshire",
]


def csv_bytes(header: list[str], rows: list[list[str]]) -> bytes:
    lines = [",".join(header)] + [",".join(row) for row in rows]
    # DfE's files start with a byte order mark; the reader must not care.
    return ("\ufeff" + "\n".join(lines) + "\n").encode("utf-8")


def row(
    period: str, geography: list[str], *cells: str, identifier: str = "Calendar year"
) -> list[str]:
    return [period, identifier, *geography, *cells]


MAPPING = """
title = "Test timeliness"
file = "timeliness.csv"
data_source = "Test data"

[filters]
breakdown_topic = "All"

[[measures]]
code = "test_20wk"
title = "Plans within 20 weeks"
unit = "percentage"
polarity = "higher"
value = "pc_within"
numerator = "within"
denominator = "issued"
"""

HEADER = [*STANDARD, "breakdown_topic", "breakdown", "issued", "within", "pc_within"]


def write_mapping(tmp_path: Path, text: str = MAPPING, name: str = "test_mapping.toml") -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)
