"""The states of the pages a URL walk never reaches pass axe too: a form with errors, the
conflict of two editors, the as-of view, applied filters and an import with problems.

Runs in chromium with the lead's browser fixtures (`make test-browser` runs tests marked
`browser`), against the demo partnership.
"""

import pytest
from django.urls import reverse

from inclusion.accounts.models import User
from inclusion.plans.models import Action, Plan
from tests.browser.conftest import (  # noqa: F401 (fixtures)
    anonymous_page,
    assert_accessible,
    browser,
    demo,
    page_for,
)

pytestmark = pytest.mark.browser


def _action_urls(live_server):
    plan = Plan.objects.get(partnership__slug="lincolnshire", title__icontains="inspection")
    action = Action.objects.filter(plan=plan).order_by("area__position", "position").first()
    kwargs = {"slug": plan.slug, "action_id": action.pk}
    return plan, {
        "detail": live_server.url + reverse("plans:action_detail", kwargs=kwargs),
        "update": live_server.url + reverse("plans:update_add", kwargs=kwargs),
        "edit": live_server.url + reverse("plans:action_edit", kwargs=kwargs),
        "deadline": live_server.url + reverse("plans:deadline_change", kwargs=kwargs),
    }


def test_pages_in_their_error_and_earlier_states_are_accessible(request, live_server):
    # Fixtures imported from tests/browser/conftest.py, fetched by name (not parameters)
    # so the imports are not shadowed.
    request.getfixturevalue("demo")
    sign_in = request.getfixturevalue("page_for")
    check = request.getfixturevalue("assert_accessible")
    admin = User.objects.get(username="admin")
    plan, urls = _action_urls(live_server)
    page = sign_in(admin)

    # A progress update changing the rating with no rationale and no date.
    page.goto(urls["update"])
    page.get_by_label("Day").fill("")
    page.get_by_label("Progress made").fill("Moved on.")
    page.get_by_label("Red").check()
    page.get_by_role("button", name="Add the update").click()
    assert page.locator(".govuk-error-summary").is_visible()
    check(page)

    # Two editors: the second save meets the first's change.
    page.goto(urls["edit"])
    other = sign_in(User.objects.get(username="editor"))
    other.goto(urls["edit"])
    other.get_by_label("What will be done").fill("The other editor's wording.")
    other.get_by_role("button", name="Save the action").click()
    page.get_by_label("What will be done").fill("My wording.")
    page.get_by_role("button", name="Save the action").click()
    assert "while you were editing" in page.locator(".govuk-error-summary").inner_text()
    check(page)

    # A by-when that is not a date.
    page.goto(urls["deadline"])
    page.get_by_label("New by-when").fill("soon")
    page.get_by_role("button", name="Change the by-when").click()
    assert page.locator(".govuk-error-summary").is_visible()
    check(page)

    # The action as it stood on a date.
    page.goto(urls["detail"] + "?as_of=2019-08-31")
    assert "as it stood on 31 August 2019" in page.content()
    check(page)

    # Filters applied, and a date that is not real on the overview.
    page.goto(live_server.url + reverse("plans:action_list", kwargs={"slug": plan.slug}))
    page.get_by_label("Amber").check()
    page.get_by_label("Only overdue actions").check()
    page.get_by_role("button", name="Apply filters").click()
    assert "Filtered by" in page.content()
    check(page)
    page.goto(
        live_server.url
        + reverse("plans:plan_detail", kwargs={"slug": plan.slug})
        + "?since-day=31&since-month=2&since-year=2019"
    )
    assert page.locator(".govuk-error-summary").is_visible()
    check(page)

    # An upload with problems, then its page.
    page.goto(live_server.url + reverse("plans:import_upload"))
    page.get_by_label("File of the plan").set_input_files(
        files=[{"name": "junk.md", "mimeType": "text/markdown", "buffer": b"Not a plan.\n"}]
    )
    page.get_by_role("button", name="Upload and check").click()
    assert "Problems in the file" in page.content()
    check(page)
