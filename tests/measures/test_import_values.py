"""What an import stores: codes instead of numbers, breakdowns, revisions, geographies."""

import csv
import io
import zipfile
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from inclusion.core.models import AuditLog
from inclusion.measures.importers.opendata import CellError, parse_cell
from inclusion.measures.importers.problems import PublishedStatisticsError
from inclusion.measures.models import Geography, Measure, Observation, ValueStatus
from inclusion.measures.services.imports import published_statistics_import
from tests.measures.helpers import (
    EAST_MIDLANDS,
    ENGLAND,
    HEADER,
    LINCOLNSHIRE,
    MAPPING,
    csv_bytes,
    row,
    write_mapping,
)


def run(tmp_path, rows, mapping=MAPPING, filename="timeliness.csv"):
    return published_statistics_import(
        source=csv_bytes(HEADER, rows),
        filename=filename,
        mapping=write_mapping(tmp_path, mapping),
        via="test",
    )


def printed(code, *args):
    out = io.StringIO()
    call_command("measure_values", code, *args, stdout=out)
    return list(csv.DictReader(io.StringIO(out.getvalue())))


@pytest.mark.django_db
def test_suppression_codes_are_kept_with_their_code_and_meaning_never_as_zero(tmp_path):
    rows = [
        row("2019", ENGLAND, "All", "All", "53327", "31313", "58.7"),
        row("2020", ENGLAND, "All", "All", "c", "c", "c"),
        row("2021", ENGLAND, "All", "All", "61269", "x", "x"),
        row("2022", ENGLAND, "All", "All", "65512", "31226", "low"),
        row("2023", ENGLAND, "All", "All", "z", "z", "z"),
        row("2024", ENGLAND, "All", "All", "90392", "41448", "u"),
    ]

    result = run(tmp_path, rows)

    stored = {o.period_label: o for o in Observation.objects.all()}
    assert {year: (o.value, o.value_code, o.status) for year, o in stored.items()} == {
        "2019": (Decimal("58.7"), "", ValueStatus.AVAILABLE),
        "2020": (None, "c", ValueStatus.CONFIDENTIAL),
        "2021": (None, "x", ValueStatus.NOT_AVAILABLE),
        "2022": (None, "low", ValueStatus.LOW),
        "2023": (None, "z", ValueStatus.NOT_APPLICABLE),
        "2024": (None, "u", ValueStatus.LOW_RELIABILITY),
    }
    assert (
        stored["2021"].numerator,
        stored["2021"].numerator_code,
        stored["2021"].denominator,
    ) == (
        None,
        "x",
        61269,
    )
    assert result.counts["observations_without_value"] == 5
    lines = {
        r["period"]: (r["value"], r["status"], r["code"], r["meaning"])
        for r in printed("test_20wk")
    }
    assert lines["2020"] == ("", "confidential", "c", "confidential: suppressed to protect people")
    assert lines["2022"] == ("", "low", "low", "rounds to zero, but is not zero")
    assert lines["2021"] == ("", "not_available", "x", "not available")


@pytest.mark.parametrize(
    "cell, expected",
    [
        ("58.7", (Decimal("58.7"), "", "available")),
        (" 747 ", (Decimal("747"), "", "available")),
        ("-3.5", (Decimal("-3.5"), "", "available")),
        ("0", (Decimal("0"), "", "available")),
        ("X", (None, "X", "not_available")),
        ("[c]", (None, "[c]", "confidential")),
        ("~", (None, "~", "low")),
        (":", (None, ":", "not_available")),
        ("..", (None, "..", "not_available")),
    ],
)
def test_a_cell_is_a_number_or_a_known_code(cell, expected):
    assert parse_cell(cell, {}) == expected


@pytest.mark.parametrize("cell", ["", "1,234", "NaN", "Infinity", "1e5", "five", "--"])
def test_anything_else_in_a_cell_is_an_error(cell):
    with pytest.raises(CellError):
        parse_cell(cell, {})


@pytest.mark.django_db
def test_a_revised_value_is_updated_in_place_and_audited_once(tmp_path):
    run(tmp_path, [row("2019", ENGLAND, "All", "All", "53327", "31313", "58.7")])
    first = Observation.objects.get()

    result = run(
        tmp_path,
        [
            row("2019", ENGLAND, "All", "All", "53328", "31314", "58.8"),
            row("2020", ENGLAND, "All", "All", "59097", "32863", "55.6"),
        ],
        filename="timeliness-revised.csv",
    )

    revised = Observation.objects.get(period_label="2019")
    assert (result.counts["observations_changed"], result.counts["observations_new"]) == (1, 1)
    assert revised.pk == first.pk
    assert (revised.value, revised.denominator) == (Decimal("58.8"), 53328)
    assert revised.source_reference == "timeliness-revised.csv"
    assert AuditLog.objects.filter(operation=AuditLog.Operation.IMPORT).count() == 2


@pytest.mark.django_db
def test_an_import_never_deletes_what_a_newer_file_leaves_out(tmp_path):
    run(tmp_path, [row("2019", ENGLAND, "All", "All", "1", "1", "100")])
    run(tmp_path, [row("2020", ENGLAND, "All", "All", "1", "1", "100")])

    assert sorted(Observation.objects.values_list("period_label", flat=True)) == ["2019", "2020"]


BREAKDOWN_MAPPING = MAPPING.replace(
    '[filters]\nbreakdown_topic = "All"',
    '[breakdown]\ntopic_column = "breakdown_topic"\ncolumn = "breakdown"\ntotal = "All"',
)


@pytest.mark.django_db
def test_a_breakdown_keeps_one_observation_per_group_and_the_total_as_the_whole(tmp_path):
    rows = [
        row("2024", ENGLAND, "All", "All", "100", "50", "50"),
        row("2024", ENGLAND, "Sex", "Female", "40", "30", "75"),
        row("2024", ENGLAND, "Sex", "Male", "60", "20", "33.3"),
        row("2024", ENGLAND, "Ethnicity", "Any other ethnic group", "5", "c", "c"),
    ]

    run(tmp_path, rows, mapping=BREAKDOWN_MAPPING)

    stored = {
        (o.breakdown_topic, o.breakdown): o.value for o in Observation.objects.order_by("breakdown")
    }
    assert stored == {
        ("", ""): Decimal("50"),
        ("Sex", "Female"): Decimal("75"),
        ("Sex", "Male"): Decimal("33.3"),
        ("Ethnicity", "Any other ethnic group"): None,
    }
    # The same breakdown twice is still a duplicate.
    with pytest.raises(PublishedStatisticsError, match="a second test_20wk for England"):
        run(
            tmp_path,
            [*rows, row("2024", ENGLAND, "Sex", "Male", "60", "20", "33.3")],
            mapping=BREAKDOWN_MAPPING,
        )


@pytest.mark.django_db
def test_a_denominator_the_file_does_not_publish_can_be_the_sum_of_columns(tmp_path):
    mapping = MAPPING.replace('denominator = "issued"', 'denominator = ["within", "issued"]')

    run(
        tmp_path,
        [
            row("2019", ENGLAND, "All", "All", "10", "5", "50"),
            row("2020", ENGLAND, "All", "All", "x", "5", "50"),
        ],
        mapping=mapping,
    )

    by_year = {
        o.period_label: (o.denominator, o.denominator_code) for o in Observation.objects.all()
    }
    assert by_year == {"2019": (Decimal("15"), ""), "2020": (None, "x")}


@pytest.mark.django_db
def test_periods_are_stored_with_their_dates_and_the_label_as_published(tmp_path):
    rows = [
        row("201819", ENGLAND, "All", "All", "1", "1", "1", identifier="Academic year"),
        row("202324", ENGLAND, "All", "All", "1", "1", "1", identifier="Financial year"),
        row("2024", ENGLAND, "All", "All", "1", "1", "1", identifier="March"),
    ]

    run(tmp_path, rows)

    stored = {
        (o.period_label, o.period_type, o.period_start.isoformat(), o.period_end.isoformat())
        for o in Observation.objects.all()
    }
    assert stored == {
        ("201819", "academic_year", "2018-09-01", "2019-08-31"),
        ("202324", "financial_year", "2023-04-01", "2024-03-31"),
        ("2024", "month", "2024-03-01", "2024-03-31"),
    }


def zip_of(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in files.items():
            archive.writestr(f"data/{name}", content)
    return buffer.getvalue()


@pytest.mark.django_db
def test_two_files_of_one_import_that_disagree_about_a_value_are_refused(tmp_path):
    first = write_mapping(tmp_path, MAPPING, "first.toml")
    second = write_mapping(
        tmp_path, MAPPING.replace("timeliness.csv", "revised.csv"), "second.toml"
    )
    agree = zip_of(
        {
            "timeliness.csv": csv_bytes(
                HEADER, [row("2019", ENGLAND, "All", "All", "10", "5", "50")]
            ),
            "revised.csv": csv_bytes(HEADER, [row("2019", ENGLAND, "All", "All", "10", "5", "50")]),
        }
    )
    disagree = zip_of(
        {
            "timeliness.csv": csv_bytes(
                HEADER, [row("2019", ENGLAND, "All", "All", "10", "5", "50")]
            ),
            "revised.csv": csv_bytes(HEADER, [row("2019", ENGLAND, "All", "All", "10", "6", "60")]),
        }
    )

    with pytest.raises(PublishedStatisticsError) as caught:
        published_statistics_import(source=disagree, filename="r.zip", mapping=[first, second])
    result = published_statistics_import(source=agree, filename="r.zip", mapping=[first, second])

    assert str(caught.value) == (
        "revised.csv, row 2: test_20wk for England (E92000001), 2019 differs from timeliness.csv "
        "row 2: import the files separately, the newer last"
    )
    assert result.counts["observations_new"] == 1


@pytest.mark.django_db
def test_an_old_la_number_two_councils_have_carried_finds_both(tmp_path):
    county = [
        "Local authority",
        "E92000001",
        "England",
        "E12000008",
        "South East",
        "E10000002",
        "825",
        "Buckinghamshire",
    ]
    unitary = [
        "Local authority",
        "E92000001",
        "England",
        "E12000008",
        "South East",
        "E06000060",
        "825",
        "Buckinghamshire",
    ]
    run(
        tmp_path,
        [
            row("2019", county, "All", "All", "10", "5", "50"),
            row("2020", unitary, "All", "All", "10", "6", "60"),
        ],
    )

    rows = printed("test_20wk", "--area", "825")

    assert [(r["area_code"], r["period"]) for r in rows] == [
        ("E06000060", "2020"),
        ("E10000002", "2019"),
    ]
    assert [
        g.code for g in Geography.objects.filter(old_la_code="825").order_by("-last_period_end")
    ] == [
        "E06000060",
        "E10000002",
    ]


@pytest.mark.django_db
def test_a_councils_newer_name_wins_and_an_older_file_does_not_undo_it(tmp_path):
    old_name = [*LINCOLNSHIRE[:7], "Lincs"]
    run(tmp_path, [row("2024", LINCOLNSHIRE, "All", "All", "10", "5", "50")])
    run(tmp_path, [row("2019", old_name, "All", "All", "10", "5", "50")])

    assert Geography.objects.get(code="E10000019").name == "Lincolnshire"


@pytest.mark.django_db
def test_a_london_borough_sits_under_london_and_inner_london_under_london_too(tmp_path):
    inner = ["Regional", "E92000001", "England", "E13000001", "Inner London", "", "", ""]
    london = ["Regional", "E92000001", "England", "E12000007", "London", "", "", ""]
    camden = [
        "Local authority",
        "E92000001",
        "England",
        "E12000007",
        "London",
        "E09000007",
        "202",
        "Camden",
    ]

    run(
        tmp_path,
        [
            row("2024", ENGLAND, "All", "All", "1", "1", "1"),
            row("2024", london, "All", "All", "1", "1", "1"),
            row("2024", inner, "All", "All", "1", "1", "1"),
            row("2024", camden, "All", "All", "1", "1", "1"),
            row("2024", EAST_MIDLANDS, "All", "All", "1", "1", "1"),
        ],
    )

    assert Geography.objects.get(code="E09000007").parent.code == "E12000007"
    assert Geography.objects.get(code="E13000001").parent.code == "E12000007"
    assert Geography.objects.get(code="E12000004").parent.code == "E92000001"


@pytest.mark.django_db
def test_measure_values_says_clearly_when_the_measure_or_area_is_unknown(tmp_path):
    run(tmp_path, [row("2019", ENGLAND, "All", "All", "1", "1", "1")])

    with pytest.raises(
        CommandError, match="No measure with the code 'nope' \\(measures: test_20wk\\)"
    ):
        printed("nope")
    with pytest.raises(CommandError, match="No area with the code 'E99999999'"):
        printed("test_20wk", "--area", "E99999999")
    with pytest.raises(CommandError, match="No area with the code 'Lincs'"):
        printed("test_20wk", "--area", "Lincs")


@pytest.mark.django_db
def test_a_mappings_measure_cannot_take_the_code_of_a_partnerships_own_measure(
    tmp_path, partnership
):
    Measure.objects.create(
        partnership=partnership,
        kind=Measure.Kind.LOCAL,
        code="test_20wk",
        title="Ours",
        unit="count",
        polarity="higher",
    )

    with pytest.raises(PublishedStatisticsError, match="measure code 'test_20wk' is already used"):
        run(tmp_path, [row("2019", ENGLAND, "All", "All", "1", "1", "1")])

    assert Observation.objects.count() == 0


@pytest.mark.django_db
def test_a_measure_two_mappings_share_is_not_changed_by_importing_either(tmp_path):
    first = write_mapping(tmp_path, MAPPING, "first.toml")
    second = write_mapping(tmp_path, MAPPING, "second.toml")
    source = csv_bytes(HEADER, [row("2019", ENGLAND, "All", "All", "10", "5", "50")])

    published_statistics_import(source=source, filename="timeliness.csv", mapping=first)
    later = published_statistics_import(source=source, filename="timeliness.csv", mapping=second)

    assert (later.changed, later.counts["measures_changed"]) == (False, 0)
    assert Measure.objects.get().mapping == "first"
    assert not AuditLog.objects.filter(operation="update").exists()
