"""UK postcodes: checked with clear messages, placed with no internet, distances, imports."""

import csv
import io

import pytest
from django.core.management import CommandError, call_command
from hypothesis import given
from hypothesis import strategies as st

from inclusion.core.models import AuditLog
from inclusion.directory.models import Postcode
from inclusion.directory.postcodes import (
    SHIPPED_CENTROIDS,
    PostcodeError,
    centroid_table,
    centroids,
    check_coordinates,
    distance_m,
    format_distance,
    normalise_postcode,
    postcode_place,
    write_centroid_table,
)

# An ONSPD extract (the columns the import reads, as the ONSPD names them).
ONSPD_HEADER = ["pcds", "doterm", "ctry", "lat", "long"]
ONSPD_ROWS = [
    ["LN1 1YL", "", "E92000001", "53.2300", "-0.5400"],
    ["LN1 1AB", "", "E92000001", "53.2400", "-0.5500"],
    ["LN1 3XX", "", "E92000001", "53.2500", "-0.5600"],
    ["LN1 1ZZ", "201001", "E92000001", "50.0000", "-3.0000"],  # terminated
    ["BT1 1AA", "", "N92000002", "54.6000", "-5.9300"],  # Northern Ireland: another licence
    ["LN2 5AA", "", "E92000001", "99.999999", "0.000000"],  # no grid reference
    ["JE2 3AB", "", "L93000001", "49.1800", "-2.1000"],  # Jersey: not in the UK
]


def onspd_csv(rows=ONSPD_ROWS, header=ONSPD_HEADER) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


# ------------------------------------------------------------------ checking


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("LN1 1YL", "LN1 1YL"),
        ("ln11yl", "LN1 1YL"),
        ("  Ln1   1yL ", "LN1 1YL"),
        ("PE21 6XX", "PE21 6XX"),
        ("SW1A 2AA", "SW1A 2AA"),
        ("W1A 1AA", "W1A 1AA"),
        ("EC1A1BB", "EC1A 1BB"),
        ("ln1", "LN1"),
        ("PE21", "PE21"),
    ],
)
def test_postcodes_are_written_the_way_people_read_them(typed, expected):
    assert normalise_postcode(typed) == expected


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", "Enter a postcode, like LN1 1YL"),
        ("   ", "Enter a postcode, like LN1 1YL"),
        ("Lincoln", "Enter a real postcode, like LN1 1YL"),
        ("LN1 1Y", "Enter a real postcode, like LN1 1YL"),
        ("LN1 1CI", "Enter a real postcode, like LN1 1YL"),  # C and I never end a postcode
        ("QN1 1YL", "Enter a real postcode, like LN1 1YL"),  # no area starts with Q
        ("12345", "Enter a real postcode, like LN1 1YL"),
        ("LN1 1YL; DROP TABLE", "Enter a real postcode, like LN1 1YL"),
    ],
)
def test_a_bad_postcode_gets_a_message_saying_what_to_do(typed, message):
    with pytest.raises(PostcodeError, match=message):
        normalise_postcode(typed)


outward = st.from_regex(r"\A(?:[A-PR-UWYZ][0-9]{1,2}|[A-PR-UWYZ][A-HK-Y][0-9]{1,2})\Z")
inward = st.from_regex(r"\A[0-9][ABD-HJLNP-UW-Z]{2}\Z")


@given(outward, inward, st.sampled_from(["", " ", "  "]), st.booleans())
def test_any_well_formed_postcode_normalises_to_one_spelling_however_typed(out, inw, gap, lower):
    typed = f"{out}{gap}{inw}"
    typed = typed.lower() if lower else typed

    assert normalise_postcode(typed) == f"{out} {inw}"
    assert normalise_postcode(normalise_postcode(typed)) == f"{out} {inw}"


# ------------------------------------------------------------------ placing


@pytest.mark.django_db
def test_a_postcode_is_placed_at_its_sectors_centre():
    place = postcode_place("LN1 1YL")

    assert place.precision == "sector"
    assert (place.latitude, place.longitude) == centroids()["LN1 1"]
    assert distance_m(place.latitude, place.longitude, 53.2307, -0.5406) < 2_000  # Lincoln


@pytest.mark.django_db
def test_an_outward_code_is_placed_at_its_districts_centre():
    place = postcode_place("pe21")

    assert place.postcode == "PE21" and place.precision == "district"
    assert distance_m(place.latitude, place.longitude, 52.9789, -0.0266) < 5_000  # Boston


@pytest.mark.django_db
def test_a_postcode_of_a_sector_newer_than_the_table_falls_back_to_its_district():
    assert "LN1 9" not in centroids()
    place = postcode_place("LN1 9AA")

    assert place.precision == "district"
    assert (place.latitude, place.longitude) == centroids()["LN1"]


@pytest.mark.django_db
@pytest.mark.parametrize("typed", ["BT1 1AA", "ZE9 9ZZ", "LN99 9ZZ"])
def test_a_postcode_the_table_does_not_know_is_not_found_with_a_clear_message(typed):
    with pytest.raises(PostcodeError, match=r"We could not find the postcode .* Check it"):
        postcode_place(typed)


@pytest.mark.django_db
def test_a_postcode_in_the_postcode_table_is_placed_at_its_own_centre():
    Postcode.objects.create(postcode="LN11YL", latitude=53.2331, longitude=-0.5412)

    place = postcode_place("ln1 1yl")

    assert (place.precision, place.latitude, place.longitude) == ("postcode", 53.2331, -0.5412)
    assert postcode_place("LN1 1AB").precision == "sector"


def test_the_shipped_table_covers_great_britain_and_not_northern_ireland():
    table = centroids()
    assert len(table) > 13_000
    assert not [code for code in table if code.startswith("BT")]
    for code in ("LN1", "LN1 1", "PE21 6", "NG31 6", "DN21 2", "PE25 2", "SW1A", "EH1 1", "CF10 1"):
        assert code in table
    for latitude, longitude in table.values():
        assert 49.8 < latitude < 60.9 and -8.7 < longitude < 1.8
    notice = (SHIPPED_CENTROIDS.parent / "NOTICE.md").read_text()
    assert "Open Government Licence" in notice and "Contains OS data" in notice


# ------------------------------------------------------------------ distances


def test_distances_are_great_circle_metres():
    assert distance_m(53.0, -0.5, 54.0, -0.5) == pytest.approx(111_195, rel=1e-4)
    assert distance_m(53.2307, -0.5406, 53.2307, -0.5406) == 0
    # Lincoln to Boston: about 28 miles as the crow flies.
    assert distance_m(53.2307, -0.5406, 52.9789, -0.0266) == pytest.approx(44_100, rel=0.02)


@pytest.mark.parametrize(
    ("metres", "text"),
    [
        (None, ""),
        (50, "less than 1 mile"),
        (800, "less than 1 mile"),
        (1609.344, "1 mile"),
        (4_000, "2 miles"),
        (40_000, "25 miles"),
    ],
)
def test_distances_read_in_whole_miles(metres, text):
    assert format_distance(metres) == text


@pytest.mark.parametrize(
    ("latitude", "longitude", "message"),
    [
        ("north", 0, "Latitude must be a number"),
        (91, 0, "Latitude must be between -90 and 90"),
        (53, 181, "Longitude must be between -180 and 180"),
        (53, float("nan"), "Longitude must be between"),
    ],
)
def test_coordinates_are_checked(latitude, longitude, message):
    with pytest.raises(PostcodeError, match=message):
        check_coordinates(latitude, longitude)


# ------------------------------------------------------------------ building the tables


def test_sector_and_district_centres_are_the_mean_of_live_gb_postcodes():
    table = centroid_table(csv.DictReader(io.StringIO(onspd_csv())))

    assert set(table) == {"LN1", "LN1 1", "LN1 3"}
    assert table["LN1 1"] == pytest.approx((53.235, -0.545, 2))
    assert table["LN1"] == pytest.approx((53.24, -0.55, 3))


def test_the_centre_table_is_written_in_the_shipped_layout():
    out = io.StringIO()
    write_centroid_table(centroid_table(csv.DictReader(io.StringIO(onspd_csv()))), out)

    assert out.getvalue().splitlines() == [
        "code,latitude,longitude,postcodes",
        "LN1,53.2400,-0.5500,3",
        "LN1 1,53.2350,-0.5450,2",
        "LN1 3,53.2500,-0.5600,1",
    ]
    assert SHIPPED_CENTROIDS.read_text().splitlines()[0] == "code,latitude,longitude,postcodes"


def test_a_row_that_cannot_be_read_is_named():
    rows = [*ONSPD_ROWS[:2], ["LN1 1QQ", "", "E92000001", "north", "-0.5"]]
    with pytest.raises(PostcodeError, match="the file, row 4, column lat or long: not a number"):
        centroid_table(csv.DictReader(io.StringIO(onspd_csv(rows))))
    with pytest.raises(PostcodeError, match="row 2, column pcds: 'Lincoln' is not a postcode"):
        centroid_table(csv.DictReader(io.StringIO(onspd_csv([["Lincoln", "", "", "53", "0"]]))))


def test_a_file_without_the_columns_says_what_it_should_be():
    with pytest.raises(
        PostcodeError, match="has no column lat, long: is it the ONS Postcode Directory"
    ):
        centroid_table(csv.DictReader(io.StringIO("pcds,latitude\nLN1 1YL,53\n")))


@pytest.mark.django_db
def test_import_postcodes_writes_centres_and_loads_every_postcode(tmp_path):
    source = tmp_path / "ONSPD_TEST.csv"
    source.write_text(onspd_csv(), encoding="utf-8")
    output = tmp_path / "centres.csv"

    call_command(
        "import_postcodes", str(source), "--output", str(output), "--units", stdout=io.StringIO()
    )

    assert output.read_text().splitlines()[1] == "LN1,53.2400,-0.5500,3"
    assert sorted(Postcode.objects.values_list("postcode", flat=True)) == [
        "LN11AB",
        "LN11YL",
        "LN13XX",
    ]
    assert (
        AuditLog.objects.filter(object_type="directory.postcode", operation="import").count() == 1
    )


@pytest.mark.django_db
def test_import_postcodes_keeps_the_old_table_when_a_row_is_bad(tmp_path):
    Postcode.objects.create(postcode="LN11YL", latitude=53.2, longitude=-0.5)
    source = tmp_path / "bad.csv"
    source.write_text(
        onspd_csv([*ONSPD_ROWS, ["LN1 1QQ", "", "E92000001", "x", "y"]]), encoding="utf-8"
    )

    with pytest.raises(CommandError, match="bad.csv, row 9, column lat or long"):
        call_command("import_postcodes", str(source), "--units", stdout=io.StringIO())

    assert list(Postcode.objects.values_list("postcode", "latitude")) == [("LN11YL", 53.2)]


def test_import_postcodes_needs_something_to_make(tmp_path):
    with pytest.raises(CommandError, match="Say what to make"):
        call_command("import_postcodes", str(tmp_path / "x.csv"))
