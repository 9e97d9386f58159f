"""Importing DfE's real 2025 EHC plan release (the zip in ../shared), read back through
`measure_values`. Figures from the release (NOTICE.md and DOMAIN.md)."""

import csv
import hashlib
import io
import json
import zipfile
from decimal import Decimal
from pathlib import PurePosixPath

import pytest
from django.core.management import call_command

from inclusion.core.models import AuditLog
from inclusion.measures.importers import SHIPPED_RELEASE
from inclusion.measures.importers.mapping import fold, load_mapping, shipped_mappings
from inclusion.measures.models import Geography, Measure, Observation, ValueStatus
from inclusion.measures.services.imports import published_statistics_import
from tests.conftest import SHARED

RELEASE = SHARED / "data/dfe-ehc-plans-2025/education-health-and-care-plans_2025.zip"

# England, plans issued within 20 weeks including / excluding exceptions (DfE).
ENGLAND_20WK = {
    "2019": ("58.7", "60.4"),
    "2020": ("55.6", "58.0"),
    "2021": ("57.9", "59.9"),
    "2022": ("47.7", "49.2"),
    "2023": ("49.1", "50.3"),
    "2024": ("45.9", "46.4"),
}


def values(code: str, area: str) -> list[dict]:
    out = io.StringIO()
    call_command("measure_values", code, "--area", area, "--format", "csv", stdout=out)
    return list(csv.DictReader(io.StringIO(out.getvalue())))


@pytest.fixture
def timeliness(db):
    """Only the timeliness mapping: enough for these figures, and quick."""
    return published_statistics_import(source=RELEASE, mapping="ehcp_timeliness", via="test")


def test_the_release_gives_englands_20_week_timeliness_and_lincolnshires_2019_figure(timeliness):
    incl = {
        o.period_label: o
        for o in Observation.objects.filter(
            measure__code="ehcp_20wk_incl_exceptions", geography__code="E92000001"
        )
    }
    excl = {
        o.period_label: o.value
        for o in Observation.objects.filter(
            measure__code="ehcp_20wk_excl_exceptions", geography__code="E92000001"
        )
    }

    assert {year: (incl[year].value, excl[year]) for year in incl} == {
        year: (Decimal(a), Decimal(b)) for year, (a, b) in ENGLAND_20WK.items()
    }
    assert incl["2024"].denominator == 90392  # plans issued in 2024 (NOTICE.md)
    assert (incl["2019"].period_start.isoformat(), incl["2019"].period_end.isoformat()) == (
        "2019-01-01",
        "2019-12-31",
    )
    lincolnshire = Observation.objects.get(
        measure__code="ehcp_20wk_incl_exceptions", geography__old_la_code="925", period_label="2019"
    )
    assert (lincolnshire.value, lincolnshire.denominator) == (Decimal("74.8"), 747)


def test_measure_values_reads_the_figures_back_by_any_published_code(timeliness):
    england = values("ehcp_20wk_excl_exceptions", "E92000001")
    by_old = values("ehcp_20wk_incl_exceptions", "925")
    by_new = values("ehcp_20wk_incl_exceptions", "E10000019")
    region = values("ehcp_20wk_incl_exceptions", "E12000004")
    out = io.StringIO()
    call_command(
        "measure_values",
        "ehcp_20wk_incl_exceptions",
        "--area",
        "E92000001",
        "--format",
        "json",
        stdout=out,
    )
    document = json.loads(out.getvalue())

    assert [(r["period"], Decimal(r["value"])) for r in england] == [
        (year, Decimal(excl)) for year, (_, excl) in ENGLAND_20WK.items()
    ]
    first = by_old[0]
    assert (first["period"], first["area_code"], first["old_la_code"], first["area_name"]) == (
        "2019",
        "E10000019",
        "925",
        "Lincolnshire",
    )
    assert (first["value"], first["numerator"], first["denominator"], first["status"]) == (
        "74.8",
        "559",
        "747",
        "available",
    )
    assert by_old == by_new
    assert {r["area_name"] for r in region} == {"East Midlands"}
    assert document["measure"]["code"] == "ehcp_20wk_incl_exceptions"
    assert [(o["period"], o["value"]) for o in document["observations"]] == [
        (year, float(incl)) for year, (incl, _) in ENGLAND_20WK.items()
    ]
    assert document["observations"][-1]["denominator"] == 90392


def test_importing_the_release_twice_changes_nothing_and_audits_only_the_first(timeliness):
    before = {
        o.pk: (o.value, o.numerator, o.denominator, o.value_code, o.status, o.updated_at)
        for o in Observation.objects.all()
    }
    audit_rows = AuditLog.objects.count()
    counts = (Measure.objects.count(), Geography.objects.count())

    again = published_statistics_import(source=RELEASE, mapping="ehcp_timeliness", via="test")

    assert not again.changed
    assert again.counts["observations_unchanged"] == len(before) == 1940
    after = {
        o.pk: (o.value, o.numerator, o.denominator, o.value_code, o.status, o.updated_at)
        for o in Observation.objects.all()
    }
    assert after == before
    assert AuditLog.objects.count() == audit_rows
    assert (Measure.objects.count(), Geography.objects.count()) == counts
    # The first import: one event with its counts, and the two measures it defined.
    event = AuditLog.objects.get(operation=AuditLog.Operation.IMPORT)
    assert "observations_new 1940" in event.note and "timeliness_20_week.csv" in event.note
    assert AuditLog.objects.filter(operation="create", object_type="measures.measure").count() == 2


def test_the_release_fills_geographies_and_keeps_its_unavailable_values_as_codes(timeliness):
    lincolnshire = Geography.objects.get(code="E10000019")
    missing = Observation.objects.exclude(status=ValueStatus.AVAILABLE)

    assert (lincolnshire.old_la_code, lincolnshire.level) == ("925", "local_authority")
    assert (lincolnshire.parent.code, lincolnshire.parent.parent.code) == ("E12000004", "E92000001")
    assert missing.exists()
    assert not missing.filter(value__isnull=False).exists()
    assert set(missing.values_list("value_code", flat=True)) <= {"x", "z"}


def test_the_shipped_copy_of_the_release_is_the_shared_zip():
    assert (
        hashlib.sha256(SHIPPED_RELEASE.read_bytes()).hexdigest()
        == hashlib.sha256(RELEASE.read_bytes()).hexdigest()
    )


def test_every_shipped_mapping_names_only_columns_its_file_in_the_release_has():
    """Headers only (fast): a mapping that names a missing column fails here, not in a demo."""
    with zipfile.ZipFile(RELEASE) as archive:
        headers = {}
        for info in archive.infolist():
            if info.filename.endswith(".csv"):
                with archive.open(info) as fh:
                    first = io.TextIOWrapper(fh, encoding="utf-8-sig").readline()
                headers[PurePosixPath(info.filename).name] = {
                    fold(c) for c in next(csv.reader([first]))
                }
    files_read = set()
    for name in shipped_mappings():
        mapping = load_mapping(name)
        header = headers[mapping.file]
        files_read.add(mapping.file)
        named = set(mapping.filters)
        if mapping.breakdown:
            named |= {mapping.breakdown.topic_column, mapping.breakdown.column}
        for spec in mapping.measures:
            for cols in (spec.value, spec.numerator, spec.denominator):
                named |= set(cols.names) if cols else set()
        missing = {c for c in named if fold(c) not in header}
        assert not missing, f"{name} names columns {missing} that {mapping.file} does not have"
    assert files_read == {
        n for n in headers if n != "sen2_dmo_dco.csv" and not n.startswith("SEND")
    }
