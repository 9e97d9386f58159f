"""The measures pages in the states a URL walk does not reach pass axe's WCAG 2.2 AA checks in
chromium: a published measure with its three charts and the folded table of every local
authority opened, an XmR chart, a chosen breakdown with a suppressed figure, the dashboards
of a plan and a priority with their measures.

Runs with the lead's browser fixtures (`make test-browser` runs tests marked `browser`),
against the demo partnership.
"""

import pytest
from django.urls import reverse

from inclusion.accounts.models import Partnership, User
from inclusion.measures.models import MeasureEvidence
from tests.browser.conftest import (  # noqa: F401 (fixtures)
    assert_accessible,
    browser,
    demo,
    page_for,
)
from tests.measures.views.pages_data import TIMELINESS, import_breakdowns, local_measure, use

pytestmark = pytest.mark.browser


def test_measures_pages_with_charts_tables_and_choices_are_accessible(
    request, live_server, tmp_path
):
    # Fixtures imported from tests/browser/conftest.py, fetched by name (not parameters)
    # so the imports are not shadowed.
    request.getfixturevalue("demo")
    sign_in = request.getfixturevalue("page_for")
    check = request.getfixturevalue("assert_accessible")
    lincolnshire = Partnership.objects.get(slug="lincolnshire")
    xmr = local_measure(lincolnshire, code="browser_xmr_measure", months=18)
    use(lincolnshire, xmr)
    breakdowns = import_breakdowns(tmp_path)
    page = sign_in(User.objects.get(username="viewer"))

    def visit(name, query="", **kwargs):
        page.goto(live_server.url + reverse(name, kwargs=kwargs or None) + query)
        assert page.locator("h1").count() == 1
        check(page)

    visit("measures:dashboard")
    assert page.locator("main table tbody tr").count() >= 10

    visit("measures:measure_detail", code=TIMELINESS)
    assert page.locator("main figure svg[role=img]").count() == 3
    page.get_by_text("the data behind the chart").click()
    assert page.locator("details[open] table").count() == 1
    check(page)

    visit("measures:measure_detail", code=xmr.code)
    assert page.locator("main figure svg .xmr-mean").count() == 1

    visit("measures:measure_detail", "?breakdown=Age::5+to+10", code=breakdowns.code)
    assert page.get_by_text("Suppressed to protect confidentiality").count() >= 1

    link = MeasureEvidence.objects.filter(
        partnership_measure__partnership=lincolnshire, area__isnull=False
    ).first()
    assert link is not None, "the demo links measures to an area of a plan"
    visit("measures:plan_dashboard", plan=link.area.plan_id)
    assert page.locator("main table").count() >= 1
    if link.area.priority_id:
        visit("measures:priority_dashboard", plan=link.area.plan_id, priority=link.area.priority_id)
