"""The management and upload pages in the states a URL walk never reaches pass axe too:
forms with errors, two editors' conflict, a bad neighbour code, an upload being checked
(its page not refreshing, as the person chose) and one that failed with problems; and an
upload journey through the real file input, from choosing the file to "Imported".

Runs in chromium with the lead's browser fixtures (`make test-browser` runs tests marked
`browser`), against the demo partnership.
"""

import pytest
from django.urls import reverse

from inclusion.accounts.models import User
from inclusion.measures.models import Observation, StatisticsUpload
from tests.app_routes.measures import _demo_measure
from tests.browser.conftest import (  # noqa: F401 (fixtures)
    anonymous_page,
    assert_accessible,
    browser,
    demo,
    page_for,
)
from tests.measures.helpers import ENGLAND, LINCOLNSHIRE, STANDARD, csv_bytes, row

pytestmark = pytest.mark.browser

ALL = "All EHC plans issued"
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
GOOD = [
    row("2019", ENGLAND, ALL, ALL, "53327", "49519", "31313", "29895", "58.7", "60.4"),
    row("2019", LINCOLNSHIRE, ALL, ALL, "747", "700", "559", "530", "74.8", "75.7"),
]
BAD = [*GOOD, row("2020", LINCOLNSHIRE, ALL, ALL, "1371", "1300", "553", "500", "forty", "x")]


def test_management_pages_in_their_error_states_are_accessible(request, live_server):
    request.getfixturevalue("demo")
    sign_in = request.getfixturevalue("page_for")
    check = request.getfixturevalue("assert_accessible")
    admin = User.objects.get(username="admin")
    measure = _demo_measure(admin.partnership)
    base = live_server.url
    page = sign_in(admin)

    # A new measure with nothing filled in.
    page.goto(base + reverse("measures:manage_create"))
    page.get_by_role("button", name="Create the measure").click()
    assert page.locator(".govuk-error-summary").is_visible()
    check(page)

    # Two editors change one definition: the second meets the first's change.
    edit = base + reverse("measures:manage_edit", kwargs={"code": measure.code})
    page.goto(edit)
    other = sign_in(User.objects.get(username="editor"))
    other.goto(edit)
    other.get_by_label("Title").fill("The other editor's title")
    other.get_by_role("button", name="Save the definition").click()
    page.get_by_label("Title").fill("My title")
    page.get_by_role("button", name="Save the definition").click()
    assert page.locator("#conflict").is_visible()
    check(page)

    # A value with no period and a suppressed value with a number.
    page.goto(base + reverse("measures:manage_observation_add", kwargs={"code": measure.code}))
    page.get_by_label("Suppressed to protect confidentiality").check()
    page.get_by_label("Value", exact=True).fill("12")
    page.get_by_role("button", name="Record the value").click()
    assert page.locator(".govuk-error-summary").is_visible()
    check(page)

    # A neighbour code that names no local authority.
    page.goto(base + reverse("measures:manage_neighbours"))
    page.get_by_label("Local authorities, closest first").fill("9999\nE10000099")
    page.get_by_role("button", name="Save the neighbours").click()
    assert "Line 1: there is no local authority" in page.content()
    check(page)


def test_an_upload_from_the_file_input_to_imported_and_its_other_states(
    request, live_server, tmp_path
):
    request.getfixturevalue("demo")
    sign_in = request.getfixturevalue("page_for")
    check = request.getfixturevalue("assert_accessible")
    admin = User.objects.get(username="admin")
    base = live_server.url
    page = sign_in(admin)

    # The form with nothing chosen.
    page.goto(base + reverse("measures:upload_create"))
    page.get_by_role("button", name="Upload and check").click()
    assert page.locator(".govuk-error-summary").is_visible()
    check(page)

    # A file with a problem: the status page lists it.
    bad = tmp_path / "timeliness_20_week.csv"
    bad.write_bytes(csv_bytes(HEADER, BAD))
    page.get_by_label("File of published statistics").set_input_files(str(bad))
    page.get_by_label("EHC plans issued within 20 weeks", exact=True).check()
    page.get_by_role("button", name="Upload and check").click()
    assert "Failed: nothing was saved" in page.content()
    assert page.locator("#problems").is_visible()
    check(page)

    # A good file: checked, then imported, on the same page.
    good = tmp_path / "good" / "timeliness_20_week.csv"
    good.parent.mkdir()
    good.write_bytes(csv_bytes(HEADER, GOOD))
    page.goto(base + reverse("measures:upload_create"))
    page.get_by_label("File of published statistics").set_input_files(str(good))
    page.get_by_label("EHC plans issued within 20 weeks", exact=True).check()
    page.get_by_label("Refresh the status page by itself every few seconds").uncheck()
    page.get_by_role("button", name="Upload and check").click()
    assert "Checked: ready to import" in page.content()
    check(page)
    page.get_by_role("button", name="Import").click()
    assert page.locator(".govuk-panel--confirmation").is_visible()
    check(page)
    england_2019 = Observation.objects.get(
        measure__code="ehcp_20wk_incl_exceptions",
        geography__code="E92000001",
        period_label="2019",
        partnership__isnull=True,
    )
    assert str(england_2019.value.normalize()) == "58.7"

    # Being checked, as a person who turned the refreshing off sees it (axe reports any
    # page that reloads itself: ADR 0017).
    upload = StatisticsUpload.objects.filter(status=StatisticsUpload.Status.IMPORTED).first()
    StatisticsUpload.objects.filter(pk=upload.pk).update(
        status=StatisticsUpload.Status.CHECKING,
        progress=40,
        progress_text="Checking timeliness_20_week.csv: 0.8 MB of 2.1 MB read",
    )
    page.goto(base + reverse("measures:upload_detail", kwargs={"upload": upload.pk}))
    assert page.locator("progress#progress").get_attribute("value") == "40"
    check(page)

    page.goto(base + reverse("measures:upload_list"))
    check(page)
