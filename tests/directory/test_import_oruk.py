"""import_oruk: another Open Referral UK feed's JSON into a partnership's Local Offer.

Round trip: what our API publishes imports back to the same API answers. Idempotent by
id, all or nothing, every problem named by file and JSON path.
"""

import copy
import io
import json
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from inclusion.core.models import AuditLog
from inclusion.directory.importers.oruk import OrukImportError, oruk_import
from inclusion.directory.models import (
    Contact,
    Location,
    Organization,
    Service,
    ServiceAtLocation,
    Taxonomy,
    TaxonomyTerm,
)
from tests.conftest import SHARED
from tests.directory.api import oruk_schema
from tests.directory.api.world import build_world

pytestmark = pytest.mark.django_db

EXAMPLES = SHARED / "data" / "oruk-uk-profile-3.0" / "examples"


def published(client: Client) -> dict[str, dict[str, Any]]:
    """Every published service's full record, by id, as the API answers it."""
    listing = client.get("/api/oruk/services", {"per_page": 200}).json()
    return {
        item["id"]: client.get(f"/api/oruk/services/{item['id']}").json()
        for item in listing["contents"]
    }


def without_times(record: Any) -> Any:
    if isinstance(record, dict):
        return {k: without_times(v) for k, v in record.items() if k != "last_modified"}
    if isinstance(record, list):
        return [without_times(v) for v in record]
    return record


def wipe_directory() -> None:
    """Remove the directory's records (a test shortcut: no service deletes a directory)."""
    Service.objects.all().delete()
    Location.objects.all().delete()
    Organization.objects.all().delete()
    TaxonomyTerm.objects.all().delete()
    Taxonomy.objects.all().delete()


def write(path: Path, data: Any) -> Path:
    path.write_text(json.dumps(data, indent=1), encoding="utf-8")
    return path


@pytest.fixture
def exported(partnership, other_partnership, client, settings, tmp_path):
    """Our demo-like directory as ORUK JSON files (one per service), then an empty directory."""
    settings.DIRECTORY_PARTNERSHIP = partnership.slug
    build_world(partnership, other_partnership)
    records = published(client)
    folder = tmp_path / "feed"
    folder.mkdir()
    for n, (_pk, record) in enumerate(sorted(records.items())):
        write(folder / f"service-{n:02}.json", record)
    wipe_directory()
    return folder, records


def test_what_the_api_publishes_imports_back_to_the_same_answers(exported, partnership, client):
    folder, records = exported
    result = oruk_import(partnership=partnership, source=folder, via="tests")
    assert result.services == len(records) == result.files
    again = published(client)
    assert without_times(again) == without_times(records)
    for record in again.values():
        assert not oruk_schema.errors(oruk_schema.response_validator("/services/{id}"), record)


def test_importing_the_same_files_again_changes_nothing(exported, partnership):
    folder, _records = exported
    oruk_import(partnership=partnership, source=folder, via="tests")
    logged = AuditLog.objects.count()
    modified = dict(Service.objects.values_list("pk", "last_modified"))
    result = oruk_import(partnership=partnership, source=folder, via="tests")
    assert not result.changed, result.message()
    assert "nothing changed" in result.message()
    assert AuditLog.objects.count() == logged
    assert dict(Service.objects.values_list("pk", "last_modified")) == modified


def test_a_newer_copy_updates_what_changed_and_removes_what_the_feed_dropped(
    exported, partnership, client
):
    folder, records = exported
    oruk_import(partnership=partnership, source=folder, via="tests")
    file = next(f for f in sorted(folder.iterdir()) if json.loads(f.read_text()).get("contacts"))
    record = json.loads(file.read_text())
    dropped = record["contacts"][0]["id"]
    record["name"] = "Speech and Language Therapy (renamed)"
    record["contacts"] = []
    write(file, record)
    before = Service.objects.get(pk=record["id"]).last_modified
    result = oruk_import(partnership=partnership, source=folder, via="tests")
    assert result.updated == {"services": 1} and result.deleted == {"contacts": 1}
    service = Service.objects.get(pk=record["id"])
    assert service.name == "Speech and Language Therapy (renamed)"
    assert service.last_modified > before
    assert not Contact.objects.filter(pk=dropped).exists()
    assert AuditLog.objects.filter(operation="delete", object_id=dropped).exists()


def test_a_services_page_envelope_and_a_list_are_read_too(partnership, tmp_path, client, settings):
    settings.DIRECTORY_PARTNERSHIP = partnership.slug
    page = json.loads((EXAMPLES / "service_list.json").read_text())
    service = page["contents"][0]
    result = oruk_import(partnership=partnership, source=write(tmp_path / "page.json", page))
    assert result.services == 1 and result.created["services"] == 1
    body = client.get(f"/api/oruk/services/{service['id']}").json()
    assert body["name"] == service["name"] and body["minimum_age"] == 12
    assert body["organization"]["id"] == service["organization"]["id"]
    as_list = write(tmp_path / "list.json", [service])
    assert not oruk_import(partnership=partnership, source=as_list).changed


def test_the_official_full_example_is_refused_for_its_impossible_latitude(partnership, tmp_path):
    """The profile's example puts its location at latitude 100: named, and nothing is saved."""
    source = tmp_path / "service_full.json"
    source.write_text((EXAMPLES / "service_full.json").read_text())
    with pytest.raises(OrukImportError) as raised:
        oruk_import(partnership=partnership, source=source)
    lines = raised.value.lines()
    assert any(
        line.startswith("service_full.json: service_at_locations[0].location.latitude: ")
        for line in lines
    ), lines
    assert not Service.objects.exists() and not Organization.objects.exists()


def test_the_official_full_example_with_a_real_place_imports_every_table(
    partnership, tmp_path, client, settings
):
    settings.DIRECTORY_PARTNERSHIP = partnership.slug
    record = json.loads((EXAMPLES / "service_full.json").read_text())
    location = record["service_at_locations"][0]["location"]
    location["latitude"], location["longitude"] = 53.2307, -0.5406
    oruk_import(partnership=partnership, source=write(tmp_path / "one.json", record))
    body = client.get(f"/api/oruk/services/{record['id']}").json()
    assert not oruk_schema.errors(oruk_schema.response_validator("/services/{id}"), body)
    for key in ("schedules", "service_areas", "languages", "funding", "cost_options",
                "contacts", "attributes", "service_at_locations"):  # fmt: skip
        assert len(body[key]) == len(record[key]), key
    assert body["organization"]["organization_identifiers"][0]["identifier"] == "1234567"
    assert body["attributes"][0]["taxonomy_term"]["name"] == "name"
    assert body["schedules"][0]["opens_at"] == "10:00:00"


def test_every_problem_is_named_by_file_and_path_and_nothing_is_saved(
    exported, partnership, tmp_path
):
    folder, _records = exported
    files = sorted(folder.iterdir())
    first = json.loads(files[0].read_text())
    first["email"] = "not an email"
    write(files[0], first)
    second = json.loads(files[1].read_text())
    second["id"] = "service-2"
    write(files[1], second)
    (folder / "zz-broken.json").write_text('{"id": "x", "name": ', encoding="utf-8")
    with pytest.raises(OrukImportError) as raised:
        oruk_import(partnership=partnership, source=folder)
    lines = raised.value.lines()
    assert lines == [
        "zz-broken.json: not valid JSON: Expecting value at line 1, column 21",
    ], lines
    (folder / "zz-broken.json").unlink()
    with pytest.raises(OrukImportError) as raised:
        oruk_import(partnership=partnership, source=folder)
    lines = raised.value.lines()
    assert f"{files[0].name}: email: Enter a valid email address." in lines
    assert (
        f"{files[1].name}: id: 'service-2' is not a UUID (Open Referral UK 3.0 ids are UUIDs)"
        in lines
    )
    assert len(lines) == 2
    assert not Service.objects.exists() and not Location.objects.exists()


def test_a_record_of_another_partnership_is_never_taken_over(
    exported, partnership, other_partnership
):
    folder, _records = exported
    oruk_import(partnership=partnership, source=folder)
    with pytest.raises(OrukImportError) as raised:
        oruk_import(partnership=other_partnership, source=folder)
    assert all("another partnership's directory" in line for line in raised.value.lines())
    assert not Service.objects.filter(partnership=other_partnership).exists()


def test_wrong_json_types_are_named(partnership, tmp_path):
    record = {
        "id": "2b0e3c3e-6b43-4a35-9f59-2d1a1cbd8f00",
        "name": "Portage",
        "organization": {"id": "7a4a9b39-05b0-4c07-9d4a-4c1b0f8a8a11", "name": "Council"},
        "minimum_age": "five",
        "contacts": {"name": "not a list"},
    }
    with pytest.raises(OrukImportError) as raised:
        oruk_import(partnership=partnership, source=write(tmp_path / "s.json", record))
    assert raised.value.lines() == ["s.json: minimum_age: expected a number, found 'five'"]
    fixed = {**record, "minimum_age": 5}
    with pytest.raises(OrukImportError) as raised:
        oruk_import(partnership=partnership, source=write(tmp_path / "s.json", fixed))
    assert raised.value.lines() == ["s.json: contacts: expected a list, found an object"]


def test_the_command_imports_reports_and_dry_runs(exported, partnership):
    folder, records = exported
    out = io.StringIO()
    call_command(
        "import_oruk", str(folder), "--partnership", partnership.slug, "--dry-run", stdout=out
    )
    assert out.getvalue().startswith("Dry run, nothing saved: ")
    assert not Service.objects.exists()
    out = io.StringIO()
    call_command("import_oruk", str(folder), "--partnership", partnership.slug, stdout=out)
    assert f"{len(records)} services in {len(records)} files: created" in out.getvalue()
    assert Service.objects.count() == len(records)
    assert AuditLog.objects.filter(operation="import", note__contains="Open Referral UK").exists()


def test_the_command_names_a_missing_source_and_a_bad_file(partnership, tmp_path):
    with pytest.raises(CommandError, match="no such file or directory"):
        call_command("import_oruk", str(tmp_path / "nope.json"), "--partnership", partnership.slug)
    write(tmp_path / "odd.json", {"hello": "world"})
    with pytest.raises(CommandError) as raised:
        call_command("import_oruk", str(tmp_path / "odd.json"), "--partnership", partnership.slug)
    assert str(raised.value).splitlines()[0] == "Nothing was imported: 1 problem"
    assert "odd.json: not an Open Referral UK services page" in str(raised.value)


def test_places_and_terms_are_shared_between_imported_services(exported, partnership):
    folder, _records = exported
    oruk_import(partnership=partnership, source=folder)
    # Lincoln is in two files (a service and its place): one location row.
    assert Location.objects.filter(name="Lincoln Children's Centre").count() == 1
    assert ServiceAtLocation.objects.filter(location__name="Lincoln Children's Centre").count() == 1
    autism = TaxonomyTerm.objects.get(name="Autism")
    assert autism.attributes.count() == 2
    assert copy.deepcopy(autism.taxonomy.name) == "esd Needs"
