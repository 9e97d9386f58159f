"""Bad files and bad mappings: a clear message naming file, row and column, and nothing saved."""

import io
import zipfile
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from inclusion.core.models import AuditLog
from inclusion.measures.importers.problems import PublishedStatisticsError
from inclusion.measures.models import Geography, Measure, Observation
from inclusion.measures.services.imports import (
    published_statistics_import,
    published_statistics_preview,
)
from tests.measures.helpers import (
    ENGLAND,
    HEADER,
    LINCOLNSHIRE,
    MAPPING,
    STANDARD,
    csv_bytes,
    row,
    write_mapping,
)

GOOD = [
    row("2019", ENGLAND, "All", "All", "53327", "31313", "58.7"),
    row("2019", LINCOLNSHIRE, "All", "All", "747", "559", "74.8"),
]


def import_rows(tmp_path, rows, *, header=HEADER, mapping=MAPPING, filename="timeliness.csv"):
    return published_statistics_import(
        source=csv_bytes(header, rows),
        filename=filename,
        mapping=write_mapping(tmp_path, mapping),
        via="test",
    )


def problems_of(tmp_path, rows, **kwargs) -> list[str]:
    with pytest.raises(PublishedStatisticsError) as caught:
        import_rows(tmp_path, rows, **kwargs)
    return caught.value.lines()


def assert_nothing_saved():
    assert Observation.objects.count() == 0
    assert Measure.objects.count() == 0
    assert Geography.objects.count() == 0
    assert AuditLog.objects.count() == 0


@pytest.mark.django_db
def test_a_good_file_imports_so_the_bad_ones_below_fail_for_their_flaw_alone(tmp_path):
    result = import_rows(tmp_path, GOOD)

    assert result.counts["observations_new"] == 2
    assert Observation.objects.get(geography__code="E10000019").denominator == 747


@pytest.mark.django_db
def test_a_file_without_the_standard_columns_names_them(tmp_path):
    header = [c for c in HEADER if c not in ("time_period", "geographic_level")]
    rows = [[c for i, c in enumerate(r) if HEADER[i] in header] for r in GOOD]

    problems = problems_of(tmp_path, rows, header=header)

    assert "timeliness.csv, row 1, column 'time_period': the file has no such column" in problems[0]
    assert any("column 'geographic_level'" in p for p in problems)
    assert_nothing_saved()


@pytest.mark.django_db
def test_a_mapping_that_names_a_column_the_file_lacks_is_refused(tmp_path):
    mapping = MAPPING.replace('denominator = "issued"', 'denominator = "plans_issued_den"')

    problems = problems_of(tmp_path, GOOD, mapping=mapping)

    assert problems == [
        "timeliness.csv, row 1, column 'plans_issued_den': mapping 'test_mapping' names column "
        "'plans_issued_den' (measures[0].denominator), which the file does not have"
    ]
    assert_nothing_saved()


@pytest.mark.django_db
def test_a_value_that_is_neither_a_number_nor_a_known_code_names_its_cell(tmp_path):
    rows = [*GOOD, row("2020", LINCOLNSHIRE, "All", "All", "1371", "553", "forty")]

    problems = problems_of(tmp_path, rows)

    assert len(problems) == 1
    assert problems[0].startswith(
        "timeliness.csv, row 4, column 'pc_within': 'forty' is not a number"
    )
    assert_nothing_saved()


@pytest.mark.django_db
def test_an_empty_cell_is_an_error_unless_the_mapping_says_what_it_means(tmp_path):
    rows = [*GOOD, row("2020", LINCOLNSHIRE, "All", "All", "1371", "", "40.3")]

    problems = problems_of(tmp_path, rows)
    assert problems[0].startswith("timeliness.csv, row 4, column 'within': is empty")
    assert_nothing_saved()

    result = import_rows(tmp_path, rows, mapping=MAPPING + '\n[codes]\n"" = "not_available"\n')
    blank = Observation.objects.get(period_label="2020")
    assert result.counts["observations_new"] == 3
    assert (blank.value, blank.numerator, blank.status) == (Decimal("40.3"), None, "available")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "geography, column, message",
    [
        (
            ["Local authority district", "E92000001", "England", "", "", "", "", ""],
            "geographic_level",
            "geographic_level 'Local authority district' is not one this system holds",
        ),
        (
            [
                "Local authority",
                "E92000001",
                "England",
                "E12000004",
                "East Midlands",
                "",
                "",
                "Nowhere",
            ],
            "new_la_code",
            "new_la_code is empty: a local authority row needs its new LA code",
        ),
        (
            [
                "Local authority",
                "E92000001",
                "England",
                "E12000004",
                "East Midlands",
                "E10000019",
                "92",
                "Lincolnshire",
            ],
            "old_la_code",
            "old_la_code '92' is not a 3-digit LA number",
        ),
        (
            ["Regional", "E92000001", "England", "East Midlands", "East Midlands", "", "", ""],
            "region_code",
            "region_code 'East Midlands' is not a GSS code",
        ),
    ],
)
def test_a_row_whose_geography_cannot_be_known_is_refused(tmp_path, geography, column, message):
    rows = [*GOOD, row("2019", geography, "All", "All", "10", "5", "50")]

    problems = problems_of(tmp_path, rows)

    assert len(problems) == 1
    assert problems[0].startswith(f"timeliness.csv, row 4, column '{column}': {message}")
    assert_nothing_saved()


@pytest.mark.django_db
def test_rows_of_other_geographic_levels_are_fine_when_the_mapping_leaves_them_out(tmp_path):
    district = ["Local authority district", "E92000001", "England", "", "", "", "", ""]
    rows = [*GOOD, row("2019", district, "All", "All", "10", "5", "50")]
    mapping = MAPPING.replace(
        'breakdown_topic = "All"',
        'breakdown_topic = "All"\ngeographic_level = ["National", "Regional", "Local authority"]',
    )

    result = import_rows(tmp_path, rows, mapping=mapping)

    assert result.counts["observations_new"] == 2


@pytest.mark.django_db
def test_the_same_measure_area_and_period_twice_in_a_file_is_refused(tmp_path):
    rows = [*GOOD, row("2019", LINCOLNSHIRE, "All", "All", "750", "560", "74.7")]

    problems = problems_of(tmp_path, rows)

    assert problems == [
        "timeliness.csv, row 4: a second test_20wk for Lincolnshire (E10000019), 2019 (the first "
        "is row 3): filter the rows in the mapping, or keep the breakdown"
    ]
    assert_nothing_saved()


@pytest.mark.django_db
def test_an_unknown_time_identifier_or_a_malformed_period_names_the_column(tmp_path):
    rows = [
        *GOOD,
        row("2020", LINCOLNSHIRE, "All", "All", "10", "5", "50", identifier="Spring term"),
        row("2021/22", LINCOLNSHIRE, "All", "All", "10", "5", "50", identifier="Academic year"),
    ]

    problems = problems_of(tmp_path, rows)

    assert problems[0].startswith(
        "timeliness.csv, row 4, column 'time_identifier': time_identifier 'Spring term' is not supported"
    )
    assert problems[1].startswith(
        "timeliness.csv, row 5, column 'time_period': time_period '2021/22' should be 6 digits"
    )
    assert_nothing_saved()


@pytest.mark.django_db
def test_a_truncated_row_is_refused_not_padded(tmp_path):
    rows = [*GOOD, row("2020", LINCOLNSHIRE, "All", "All", "10")]

    problems = problems_of(tmp_path, rows)

    assert problems == ["timeliness.csv, row 4: has 13 cells; the header has 15"]
    assert_nothing_saved()


@pytest.mark.django_db
def test_every_problem_is_reported_at_once_not_only_the_first(tmp_path):
    rows = [
        *GOOD,
        *[row(str(2000 + i), LINCOLNSHIRE, "All", "All", "10", "5", "?") for i in range(3)],
    ]

    problems = problems_of(tmp_path, rows)

    assert [p.split(":")[0] for p in problems] == [
        "timeliness.csv, row 4, column 'pc_within'",
        "timeliness.csv, row 5, column 'pc_within'",
        "timeliness.csv, row 6, column 'pc_within'",
    ]


@pytest.mark.django_db
def test_a_column_named_twice_in_the_header_cannot_be_read(tmp_path):
    header = [*HEADER, "PC_WITHIN"]
    rows = [[*r, "1"] for r in GOOD]

    problems = problems_of(tmp_path, rows, header=header)

    assert problems[0].startswith(
        "timeliness.csv, row 1, column 'pc_within': appears 2 times in the header (columns 15, 16): mapping 'test_mapping' (measures[0].value) cannot tell which to read"
    )


@pytest.mark.django_db
def test_column_names_are_matched_whatever_their_case(tmp_path):
    header = [h.upper() if h.startswith("pc_") else h for h in HEADER]
    header[0] = "Time_Period"

    result = import_rows(tmp_path, GOOD, header=header)

    assert result.counts["observations_new"] == 2


@pytest.mark.django_db
def test_a_zip_without_the_mappings_file_says_which_files_it_has(tmp_path):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("data/other.csv", csv_bytes(HEADER, GOOD))

    with pytest.raises(PublishedStatisticsError) as caught:
        published_statistics_import(
            source=buffer.getvalue(), filename="release.zip", mapping=write_mapping(tmp_path)
        )

    assert str(caught.value) == (
        "release.zip: mapping 'test_mapping' reads 'timeliness.csv', which the zip does not have "
        "(it has: other.csv)"
    )


@pytest.mark.django_db
def test_the_command_refuses_a_bad_file_with_every_problem_and_saves_nothing(tmp_path):
    path = tmp_path / "timeliness.csv"
    path.write_bytes(
        csv_bytes(HEADER, [*GOOD, row("2020", LINCOLNSHIRE, "All", "All", "1", "1", "abc")])
    )

    with pytest.raises(CommandError) as caught:
        call_command(
            "import_published_statistics",
            str(path),
            "--mapping",
            write_mapping(tmp_path),
            stdout=io.StringIO(),
        )

    assert str(caught.value).splitlines() == [
        "Nothing was imported: 1 problem",
        "timeliness.csv, row 4, column 'pc_within': 'abc' is not a number or a known code "
        "(x, z, c, low, u, ~, :, ..)",
    ]
    assert_nothing_saved()


@pytest.mark.django_db
def test_a_bad_mapping_file_names_each_wrong_key(tmp_path):
    mapping = MAPPING.replace('unit = "percentage"', 'unit = "percent of plans"').replace(
        'polarity = "higher"', 'polarity = "up"\nvalu = "x"'
    )

    with pytest.raises(PublishedStatisticsError) as caught:
        import_rows(tmp_path, GOOD, mapping=mapping)

    lines = caught.value.lines()
    assert any(
        line.startswith("test_mapping.toml: measures[0].valu: is not a mapping key")
        for line in lines
    )
    assert any("measures[0].unit: 'percent of plans' is not one of" in line for line in lines)
    assert any("measures[0].polarity: 'up' is not one of" in line for line in lines)
    assert_nothing_saved()


@pytest.mark.django_db
def test_an_unknown_shipped_mapping_lists_the_shipped_ones(tmp_path):
    with pytest.raises(PublishedStatisticsError) as caught:
        published_statistics_import(
            source=csv_bytes(HEADER, GOOD), filename="t.csv", mapping="ehcp_nothing"
        )

    assert "no shipped mapping 'ehcp_nothing' (shipped: ehcp_annual_reviews" in str(caught.value)


@pytest.mark.django_db
def test_a_preview_checks_everything_and_saves_nothing(tmp_path):
    result = published_statistics_preview(
        source=csv_bytes(HEADER, GOOD), filename="timeliness.csv", mapping=write_mapping(tmp_path)
    )

    assert result.preview and result.changed
    assert result.counts["observations_new"] == 2
    assert result.message().startswith(
        "Would import timeliness.csv (test_mapping): 2 new observations"
    )
    assert_nothing_saved()


@pytest.mark.django_db
def test_a_file_of_standard_columns_only_names_the_mappings_missing_columns(tmp_path):
    rows = [r[: len(STANDARD)] for r in GOOD]

    problems = problems_of(tmp_path, rows, header=STANDARD)

    assert {p.split(":")[0] for p in problems} == {
        "timeliness.csv, row 1, column 'breakdown_topic'",
        "timeliness.csv, row 1, column 'pc_within'",
        "timeliness.csv, row 1, column 'within'",
        "timeliness.csv, row 1, column 'issued'",
    }


@pytest.mark.django_db
@pytest.mark.parametrize(
    "content, filename, message",
    [
        (b"PK\x03\x04not really a zip", "release.zip", "release.zip: is not a readable zip"),
        (b"", "timeliness.csv", "timeliness.csv: is empty: there is no header row"),
        (b"time_period,\xff\xfe\n", "timeliness.csv", "timeliness.csv, row 1: is not UTF-8 text"),
    ],
)
def test_a_file_that_is_not_a_readable_csv_or_zip_says_so(tmp_path, content, filename, message):
    with pytest.raises(PublishedStatisticsError) as caught:
        published_statistics_import(
            source=content, filename=filename, mapping=write_mapping(tmp_path)
        )

    assert str(caught.value).startswith(message)
    assert_nothing_saved()
