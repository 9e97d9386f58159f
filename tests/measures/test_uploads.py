"""Uploading published statistics through the pages: the file is kept, checked in the
background with progress on its row, shown on a status page in each state, then imported
or discarded; a bad file fails naming file, row and column and writes no observation.

Jobs run inline in tests (JOBS_RUN_INLINE), so a request returns with its job done; the
states a job passes through are set up directly where a test needs to see one."""

import datetime as dt
import io
import logging
import threading
import zipfile
from decimal import Decimal

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from inclusion.core.models import AuditLog
from inclusion.measures.importers import SHIPPED_RELEASE
from inclusion.measures.models import Geography, Measure, Observation, StatisticsUpload
from inclusion.measures.services.uploads import (
    STALLED_AFTER,
    ProgressWriter,
    statistics_upload_create,
)
from tests.measures.helpers import ENGLAND, LINCOLNSHIRE, STANDARD, csv_bytes, row

pytestmark = pytest.mark.django_db

Status = StatisticsUpload.Status
# The columns ehcp_timeliness reads from timeliness_20_week.csv (DfE's names).
HEADER = [
    *STANDARD,
    "breakdown_topic",
    "breakdown",
    "plans_issued_den",
    "plans_issued_den_ex",
    "plans_issued_within_20_weeks",
    "plans_issued_20_weeks_ex",
    "pc_plans_issued_within_20_weeks",
    "PC_plans_issued_20_weeks_ex",
]
ALL = "All EHC plans issued"
GOOD = [
    row("2019", ENGLAND, ALL, ALL, "53327", "49519", "31313", "29895", "58.7", "60.4"),
    row("2019", LINCOLNSHIRE, ALL, ALL, "747", "700", "559", "530", "74.8", "75.7"),
]


def upload_file(rows=GOOD, header=HEADER, name="timeliness_20_week.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, csv_bytes(header, rows), content_type="text/csv")


def post_upload(client, file=None, mapping="ehcp_timeliness", refresh="on"):
    data = {"file": file or upload_file(), "mapping": mapping}
    if refresh:
        data["refresh"] = refresh
    return client.post(reverse("measures:upload_create"), data)


def detail_url(upload) -> str:
    return reverse("measures:upload_detail", kwargs={"upload": upload.pk})


def nothing_imported():
    assert Observation.objects.count() == 0
    assert Measure.objects.count() == 0
    assert Geography.objects.count() == 0


def upload_audit() -> list[tuple[str, str]]:
    return [
        (entry.operation, (entry.changes.get("status") or [None, None])[1] or "")
        for entry in AuditLog.objects.filter(object_type="measures.statisticsupload").order_by("id")
    ]


# ---------------------------------------------------------------- the happy path


def test_an_upload_is_kept_checked_and_shown_ready_to_import(admin_client, users, partnership):
    response = post_upload(admin_client)

    upload = StatisticsUpload.objects.get()
    assert response.status_code == 302
    assert response.url == detail_url(upload)
    content = csv_bytes(HEADER, GOOD)
    assert (upload.filename, upload.size, bytes(upload.content)) == (
        "timeliness_20_week.csv",
        len(content),
        content,
    )
    import hashlib

    assert upload.sha256 == hashlib.sha256(content).hexdigest()
    assert (upload.status, upload.progress, upload.partnership) == (
        Status.CHECKED,
        100,
        partnership,
    )
    assert upload.counts["observations_new"] == 4
    nothing_imported()  # a check writes nothing

    page = admin_client.get(response.url)
    assert page.status_code == 200
    assert "Checked: ready to import" in page.text
    assert "Would import timeliness_20_week.csv (ehcp_timeliness): 4 new observations" in page.text
    assert "New observations" in page.text
    assert reverse("measures:upload_import", kwargs={"upload": upload.pk}) in page.text
    assert reverse("measures:upload_discard", kwargs={"upload": upload.pk}) in page.text
    assert 'http-equiv="refresh"' not in page.text  # nothing is running
    # Audited: created (the file by its size and digest), then checked.
    assert upload_audit() == [("create", "waiting"), ("update", "checked")]
    created = AuditLog.objects.get(object_type="measures.statisticsupload", operation="create")
    assert created.changes["content"][1] == {"bytes": len(content), "sha256": upload.sha256}
    assert created.actor == users["admin"]


def test_import_ends_on_the_status_page_with_the_outcome(admin_client, users):
    post_upload(admin_client)
    upload = StatisticsUpload.objects.get()

    response = admin_client.post(reverse("measures:upload_import", kwargs={"upload": upload.pk}))

    assert response.status_code == 302
    assert response.url == detail_url(upload)
    upload.refresh_from_db()
    assert upload.status == Status.IMPORTED
    assert upload.content is None  # the observations and the log keep what it said
    assert upload.finished_at is not None
    england = Observation.objects.get(
        measure__code="ehcp_20wk_incl_exceptions", geography__code="E92000001"
    )
    assert england.value == Decimal("58.7")
    page = admin_client.get(response.url)
    assert "Imported timeliness_20_week.csv (ehcp_timeliness): 4 new observations" in page.text
    assert "govuk-panel--confirmation" in page.text
    assert upload_audit() == [
        ("create", "waiting"),
        ("update", "checked"),
        ("update", "importing"),
        ("update", "imported"),
    ]
    imported = AuditLog.objects.get(operation="import")
    assert imported.actor == users["admin"]


def test_the_real_release_zip_through_the_page_ends_imported(admin_client):
    """The 2025 release with one mapping: England's 20-week timeliness and Lincolnshire's 2019
    figure, as issue #3 gives them."""
    file = SimpleUploadedFile(SHIPPED_RELEASE.name, SHIPPED_RELEASE.read_bytes())

    post_upload(admin_client, file=file, mapping="ehcp_timeliness")
    upload = StatisticsUpload.objects.get()
    assert upload.status == Status.CHECKED, upload.message
    admin_client.post(reverse("measures:upload_import", kwargs={"upload": upload.pk}))

    upload.refresh_from_db()
    assert upload.status == Status.IMPORTED
    assert upload.counts["files"] == ["data/timeliness_20_week.csv"]
    values = dict(
        Observation.objects.filter(
            measure__code="ehcp_20wk_incl_exceptions", geography__code="E92000001"
        ).values_list("period_label", "value")
    )
    assert values["2019"] == Decimal("58.7") and values["2024"] == Decimal("45.9")
    lincolnshire = Observation.objects.get(
        measure__code="ehcp_20wk_incl_exceptions", geography__old_la_code="925", period_label="2019"
    )
    assert (lincolnshire.value, lincolnshire.denominator) == (Decimal("74.8"), Decimal("747"))
    assert (
        "Imported education-health-and-care-plans_2025.zip"
        in admin_client.get(detail_url(upload)).text
    )


def test_a_second_upload_of_the_same_file_would_change_nothing(admin_client):
    post_upload(admin_client)
    first = StatisticsUpload.objects.get()
    admin_client.post(reverse("measures:upload_import", kwargs={"upload": first.pk}))

    post_upload(admin_client)

    second = StatisticsUpload.objects.exclude(pk=first.pk).get()
    assert second.status == Status.CHECKED
    assert second.message.startswith("No changes from timeliness_20_week.csv")


def test_discarding_drops_the_file_and_imports_nothing(admin_client):
    post_upload(admin_client)
    upload = StatisticsUpload.objects.get()

    response = admin_client.post(reverse("measures:upload_discard", kwargs={"upload": upload.pk}))

    assert response.status_code == 302
    upload.refresh_from_db()
    assert (upload.status, upload.content) == (Status.DISCARDED, None)
    nothing_imported()
    page = admin_client.get(detail_url(upload))
    assert "Discarded: nothing from timeliness_20_week.csv was imported" in page.text
    assert upload_audit()[-1] == ("update", "discarded")


def test_an_upload_cannot_be_imported_twice(admin_client):
    post_upload(admin_client)
    upload = StatisticsUpload.objects.get()
    admin_client.post(reverse("measures:upload_import", kwargs={"upload": upload.pk}))

    again = admin_client.post(reverse("measures:upload_import", kwargs={"upload": upload.pk}))
    discard = admin_client.post(reverse("measures:upload_discard", kwargs={"upload": upload.pk}))

    assert again.status_code == 400
    assert "timeliness_20_week.csv cannot be imported: it is imported" in again.text
    assert discard.status_code == 400
    assert AuditLog.objects.filter(operation="import").count() == 1


def test_the_list_shows_past_uploads_newest_first(admin_client):
    post_upload(admin_client, file=upload_file(name="first.csv"))
    post_upload(admin_client, file=upload_file(name="second.csv"))

    page = admin_client.get(reverse("measures:upload_list"))

    assert page.status_code == 200
    assert page.text.index("second.csv") < page.text.index("first.csv")
    assert page.text.count("Checked: ready to import") == 2


# ---------------------------------------------------------------- bad files


def problems_page(client, rows, header=HEADER):
    post_upload(client, file=upload_file(rows, header))
    upload = StatisticsUpload.objects.get()
    assert upload.status == Status.FAILED
    nothing_imported()
    return upload, client.get(detail_url(upload)).text


def test_a_file_missing_a_column_fails_naming_it(admin_client):
    header = [c for c in HEADER if c != "plans_issued_den"]
    rows = [
        [c for c, name in zip(r, HEADER, strict=True) if name != "plans_issued_den"] for r in GOOD
    ]

    upload, page = problems_page(admin_client, rows, header)

    assert upload.problems[0] == {
        "file": "timeliness_20_week.csv",
        "row": 1,
        "column": "plans_issued_den",
        "message": "mapping 'ehcp_timeliness' names column 'plans_issued_den' "
        "(measures[0].denominator), which the file does not have",
    }
    assert "Failed: nothing was saved" in page
    assert "Nothing was saved: the file has 1 problem." in page
    assert '<a href="#problems">' in page  # in the error summary
    assert '<td class="govuk-table__cell">plans_issued_den</td>' in page
    assert upload.content is None
    assert upload_audit() == [("create", "waiting"), ("update", "failed")]


def test_a_value_that_is_not_a_number_fails_naming_its_row_and_column(admin_client):
    rows = [
        *GOOD,
        row("2020", LINCOLNSHIRE, ALL, ALL, "1371", "1300", "553", "500", "forty", "38.5"),
    ]

    upload, page = problems_page(admin_client, rows)

    (problem,) = upload.problems
    assert (problem["row"], problem["column"]) == (4, "pc_plans_issued_within_20_weeks")
    assert problem["message"].startswith("'forty' is not a number")
    assert "&#39;forty&#39; is not a number" in page


def test_an_unknown_geography_fails_naming_its_row_and_column(admin_client):
    nowhere = [
        "Local authority",
        "E92000001",
        "England",
        "E12000004",
        "East Midlands",
        "X1",
        "925",
        "Nowhere",
    ]
    rows = [*GOOD, row("2020", nowhere, ALL, ALL, "1", "1", "1", "1", "100", "100")]

    upload, page = problems_page(admin_client, rows)

    (problem,) = upload.problems
    assert (problem["row"], problem["column"]) == (4, "new_la_code")
    assert "is not a GSS code" in problem["message"]


def test_only_the_first_50_problems_are_listed_with_the_total(admin_client):
    rows = [
        row(str(2000 + i % 20), LINCOLNSHIRE, ALL, f"Group {i}", "x", "x", "x", "x", "bad", "x")
        for i in range(70)
    ]
    upload, page = problems_page(admin_client, rows)

    assert len(upload.problems) == 50
    assert upload.problem_count >= 70
    assert f"The first 50 of {upload.problem_count:,} problems." in page


def test_a_file_that_is_not_a_zip_or_csv_is_refused_before_anything_is_kept(admin_client):
    response = post_upload(admin_client, file=SimpleUploadedFile("plan.docx", b"PK\x03\x04junk"))

    assert response.status_code == 400
    assert '<a href="#file">The selected file must be a zip or a CSV file</a>' in response.text
    assert StatisticsUpload.objects.count() == 0


def test_the_upload_form_names_what_is_missing(admin_client):
    response = admin_client.post(reverse("measures:upload_create"), {})

    assert response.status_code == 400
    assert '<a href="#file">Select the zip or CSV file of published statistics</a>' in response.text
    assert '<a href="#mapping">Select the mapping that reads the file</a>' in response.text


def test_a_damaged_zip_fails_on_the_status_page(admin_client):
    post_upload(admin_client, file=SimpleUploadedFile("release.zip", b"PK\x03\x04 not really"))

    upload = StatisticsUpload.objects.get()
    assert upload.status == Status.FAILED
    assert "is not a readable zip" in upload.problems[0]["message"]


def test_mapping_all_reads_each_file_a_shipped_mapping_knows(admin_client):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("data/timeliness_20_week.csv", csv_bytes(HEADER, GOOD))
    post_upload(
        admin_client, file=SimpleUploadedFile("release.zip", buffer.getvalue()), mapping="all"
    )

    upload = StatisticsUpload.objects.get()
    assert upload.status == Status.CHECKED, upload.problems
    # Two shipped mappings read that file: all, and by age, sex and ethnicity.
    assert upload.counts["mappings"] == ["ehcp_timeliness", "ehcp_timeliness_by_characteristic"]
    assert set(upload.counts["files"]) == {"data/timeliness_20_week.csv"}
    assert "ehcp_caseload" in upload.counts["skipped_mappings"]


# ---------------------------------------------------------------- while it runs


@pytest.fixture
def waiting(settings, partnership, users):
    """An upload whose check has not started: jobs wait for a commit a test never makes."""
    settings.JOBS_RUN_INLINE = False
    upload = statistics_upload_create(
        partnership=partnership,
        filename="timeliness_20_week.csv",
        content=csv_bytes(HEADER, GOOD),
        mapping="ehcp_timeliness",
        actor=users["admin"],
    )
    settings.JOBS_RUN_INLINE = True
    return upload


def test_a_waiting_upload_refreshes_its_page_by_itself(admin_client, waiting):
    page = admin_client.get(detail_url(waiting))

    assert waiting.status == Status.WAITING
    assert '<meta http-equiv="refresh" content="5">' in page.text
    assert "Waiting to be checked" in page.text
    assert '<progress id="progress"' in page.text
    assert "Stop refreshing by itself" in page.text


def test_a_check_under_way_shows_how_far_it_has_read(admin_client, waiting):
    StatisticsUpload.objects.filter(pk=waiting.pk).update(
        status=Status.CHECKING,
        progress=40,
        progress_text="Checking timeliness_20_week.csv: 0.8 MB of 2.1 MB read",
    )

    page = admin_client.get(detail_url(waiting)).text

    assert (
        '<progress id="progress" class="govuk-!-width-two-thirds" max="100" value="40">40%</progress>'
        in page
    )
    assert (
        '<label class="govuk-label" for="progress">Checking timeliness_20_week.csv: 0.8 MB of 2.1 MB read</label>'
        in page
    )
    assert "40% done" in page
    assert 'http-equiv="refresh"' in page
    assert "you can start it again after" in page


def test_refreshing_by_itself_can_be_turned_off_before_and_on_the_page(admin_client, waiting):
    """WCAG 2.2.1: a page that reloads itself is a time limit a person can turn off."""
    off = admin_client.get(detail_url(waiting) + "?refresh=off").text
    later = admin_client.get(detail_url(waiting)).text
    on = admin_client.get(detail_url(waiting) + "?refresh=on").text

    assert 'http-equiv="refresh"' not in off and "Refresh the page" in off
    assert 'http-equiv="refresh"' not in later  # remembered for the session
    assert 'http-equiv="refresh"' in on

    post_upload(admin_client, refresh="")  # unticked on the upload form
    assert 'http-equiv="refresh"' not in admin_client.get(detail_url(waiting)).text


def test_an_import_under_way_shows_its_progress_and_no_buttons(admin_client, waiting):
    StatisticsUpload.objects.filter(pk=waiting.pk).update(
        status=Status.IMPORTING, progress=90, progress_text="Importing: comparing"
    )

    page = admin_client.get(detail_url(waiting)).text

    assert '<h2 class="govuk-heading-m">Importing</h2>' in page
    assert 'value="90"' in page
    assert reverse("measures:upload_import", kwargs={"upload": waiting.pk}) not in page


def test_a_stalled_check_is_offered_again_after_the_stated_time(admin_client, waiting):
    """A restarted server ends its threads: the row says "checking" for good."""
    StatisticsUpload.objects.filter(pk=waiting.pk).update(status=Status.CHECKING, progress=30)
    retry_url = reverse("measures:upload_retry", kwargs={"upload": waiting.pk})

    early = admin_client.post(retry_url)
    assert early.status_code == 400
    assert "is not stalled" in early.text

    with time_machine.travel(timezone.now() + STALLED_AFTER + dt.timedelta(seconds=1)):
        page = admin_client.get(detail_url(waiting)).text
        assert "This has not moved for more than 10 minutes" in page
        assert retry_url in page and "Check it again" in page
        assert 'http-equiv="refresh"' not in page

        response = admin_client.post(retry_url)

    assert response.status_code == 302
    waiting.refresh_from_db()
    assert waiting.status == Status.CHECKED
    assert AuditLog.objects.filter(note="Started again: it had stalled").count() == 1


def test_a_stalled_import_runs_again_and_imports_once(admin_client, partnership, users):
    post_upload(admin_client)
    upload = StatisticsUpload.objects.get()
    StatisticsUpload.objects.filter(pk=upload.pk).update(status=Status.IMPORTING)

    with time_machine.travel(timezone.now() + STALLED_AFTER + dt.timedelta(minutes=1)):
        page = admin_client.get(detail_url(upload)).text
        assert "Import it again" in page
        admin_client.post(reverse("measures:upload_retry", kwargs={"upload": upload.pk}))

    upload.refresh_from_db()
    assert upload.status == Status.IMPORTED
    assert Observation.objects.count() == 4


def test_an_unexpected_error_marks_the_upload_failed_and_is_logged(admin_client, waiting, caplog):
    """Not a problem in the file (here the kept file has gone): the row says so, the log has it."""
    StatisticsUpload.objects.filter(pk=waiting.pk).update(content=None)

    with time_machine.travel(timezone.now() + STALLED_AFTER + dt.timedelta(minutes=1)):
        with caplog.at_level(logging.ERROR, logger="inclusion.core.jobs"):
            admin_client.post(reverse("measures:upload_retry", kwargs={"upload": waiting.pk}))

    waiting.refresh_from_db()
    assert waiting.status == Status.FAILED
    assert "stopped with an unexpected error (TypeError" in waiting.message
    assert "Background job _check_job failed" in caplog.text
    assert "the error is in its log" in admin_client.get(detail_url(waiting)).text
    nothing_imported()


def test_progress_runs_over_every_file_and_is_written_at_most_twice_a_second(waiting):
    """Two files of 100 and 300 bytes: reading reaches 90%, the rest is comparing."""
    writer = ProgressWriter(waiting.pk, Status.WAITING, "Checking", total_bytes=400)

    def stored():
        waiting.refresh_from_db()
        return waiting.progress, waiting.progress_text

    writer("a.csv", 50, 100)
    assert stored() == (11, "Checking a.csv: 0.0 MB of 0.0 MB read")
    writer("a.csv", 100, 100)  # a file's end is always written
    assert stored()[0] == 22
    writer("b.csv", 150, 300)  # too soon after the last write: skipped
    assert stored()[0] == 22
    writer.last_write = 0
    writer("b.csv", 150, 300)
    assert stored()[0] == 56
    writer("b.csv", 300, 300)
    assert stored() == (90, "Checking: comparing with the figures already stored")


def test_progress_counts_a_file_read_twice_twice(waiting):
    """Two mappings may read one file ("all": timeliness, and timeliness by characteristic)."""
    writer = ProgressWriter(waiting.pk, Status.WAITING, "Checking", total_bytes=200)

    writer("t.csv", 100, 100)
    writer.last_write = 0
    writer("t.csv", 50, 100)  # the second mapping starts the file again

    waiting.refresh_from_db()
    assert waiting.progress == 67  # 150 of 200 bytes, of the 90% reading takes


@pytest.mark.django_db(transaction=True)
def test_in_a_thread_the_check_runs_after_the_commit_and_its_row_shows_the_outcome(
    settings, partnership, users
):
    """The real path: no inline setting, the job in its own thread and database connection."""
    settings.JOBS_RUN_INLINE = False

    upload = statistics_upload_create(
        partnership=partnership,
        filename="timeliness_20_week.csv",
        content=csv_bytes(HEADER, GOOD),
        mapping="ehcp_timeliness",
        actor=users["admin"],
        via="test",
    )
    for thread in threading.enumerate():
        if thread.name.startswith("job: "):
            thread.join(30)

    upload.refresh_from_db()
    assert upload.status == Status.CHECKED, upload.message
    assert upload.counts["observations_new"] == 4


# ---------------------------------------------------------------- who may


UPLOAD_ROUTES = ["upload_list", "upload_create"]


@pytest.mark.parametrize("role", ["plan_editor", "viewer", "action_lead"])
def test_only_admins_upload_published_statistics(client, users, waiting, role):
    client.force_login(users[role])

    for name in UPLOAD_ROUTES:
        assert client.get(reverse(f"measures:{name}")).status_code == 403
    assert client.get(detail_url(waiting)).status_code == 403
    for action in ("upload_import", "upload_discard", "upload_retry"):
        url = reverse(f"measures:{action}", kwargs={"upload": waiting.pk})
        assert client.post(url).status_code == 403
    assert post_upload(client).status_code == 403
    assert StatisticsUpload.objects.count() == 1


def test_another_partnerships_admin_finds_none_of_our_uploads(client, outsider, waiting):
    client.force_login(outsider)

    assert client.get(detail_url(waiting)).status_code == 404
    for action in ("upload_import", "upload_discard", "upload_retry"):
        url = reverse(f"measures:{action}", kwargs={"upload": waiting.pk})
        assert client.post(url).status_code == 404
    assert "timeliness_20_week.csv" not in client.get(reverse("measures:upload_list")).text
