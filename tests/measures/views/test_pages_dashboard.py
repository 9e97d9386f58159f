"""The measures dashboards: the partnership's, a plan's and a priority's, their downloads,
who may see them, and how many queries they take."""

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from inclusion.measures.models import Measure
from inclusion.measures.services.imports import published_statistics_import
from inclusion.measures.services.measures import measure_evidence_link
from inclusion.plans.models import Priority
from tests.factories import ActionFactory, AreaFactory, PlanFactory
from tests.measures.helpers import (
    EAST_MIDLANDS,
    ENGLAND,
    LINCOLNSHIRE,
    STANDARD,
    csv_bytes,
    row,
    write_mapping,
)
from tests.measures.views.pages_data import (
    BREAKDOWN_MAPPING,
    csv_rows,
    import_timeliness,
    local_measure,
    page_tables,
    same_cell,
    soup,
    use,
    words,
    xlsx_rows,
)

TODAY = dt.date(2025, 9, 1)


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(dt.datetime(2025, 9, 1, 12, 0, tzinfo=dt.UTC), tick=False):
        yield TODAY


@pytest.fixture
def timeliness(partnership):
    """DfE's 20-week timeliness, used by the partnership with a 60% target."""
    measure = import_timeliness()
    use(partnership, measure, owner="SEND service", targets=[(dt.date(2026, 3, 31), 60)])
    return measure


def dashboard_row(response, title):
    table = soup(response).select_one("main table")
    for tr in table.select("tbody tr"):
        if title in words(tr.select_one("th")):
            headings = [words(th) for th in table.select("thead th")]
            return dict(zip(headings, [words(c) for c in tr.select("th, td")], strict=True))
    raise AssertionError(f"no row for {title!r}")


def assert_downloads_match_the_page(client, response) -> dict:
    """Every table with download links: its CSV and its XLSX have the page's rows, in the
    page's order, each page column saying the same as the file's column of that heading."""
    tables = page_tables(response)
    assert tables, "the page has tables with downloads"
    for name, table in tables.items():
        got_csv = client.get(table["links"]["csv"])
        got_xlsx = client.get(table["links"]["xlsx"])
        assert got_csv.status_code == 200 and got_csv["Content-Type"].startswith("text/csv")
        assert got_xlsx.status_code == 200
        assert "attachment" in got_csv["Content-Disposition"]
        header, *body = csv_rows(got_csv)
        xl_header, *xl_body = xlsx_rows(got_xlsx)
        assert xl_header == header, name
        assert len(body) == len(xl_body) == len(table["rows"]), name
        columns = [header.index(heading) for heading in table["headings"]]
        for shown, from_csv, from_xlsx in zip(table["rows"], body, xl_body, strict=True):
            for k, column in enumerate(columns):
                numeric = table["numeric"][k]
                assert same_cell(shown[k], from_csv[column], numeric), (name, shown, from_csv)
                assert same_cell(shown[k], from_xlsx[column], numeric), (name, shown, from_xlsx)
    return tables


# ---------------------------------------------------------------- the partnership's dashboard


def test_dashboard_row_gives_the_latest_figure_target_verdict_and_england_and_region(
    viewer_client, timeliness
):
    response = viewer_client.get(reverse("measures:dashboard"))

    assert response.status_code == 200
    row = dashboard_row(response, timeliness.title)
    # Lincolnshire (925) 2024 in the 2025 release: 1,088 of 1,099 plans within 20 weeks.
    assert row["Latest"] == "99%"
    assert row["Period"] == "2024"
    assert row["Target"] == "60% by 31 March 2026"
    assert row["England"] == "45.9% (2024)"
    assert row["East Midlands"] == "38% (2024)"
    assert row["What the figures say"].startswith("99% (2024), meeting the target of 60%")
    link = soup(response).select_one("main table tbody th a")
    assert link["href"] == reverse("measures:measure_detail", kwargs={"code": timeliness.code})


def test_dashboard_lists_the_published_measures_the_partnership_does_not_use(
    viewer_client, timeliness
):
    response = viewer_client.get(reverse("measures:dashboard"))

    other = soup(response).select_one("#other-measures").find_next("ul")
    assert words(other) == "EHC plans issued within 20 weeks, excluding exceptions"
    assert timeliness.title not in words(other)


def test_dashboard_download_has_the_rows_of_the_page(viewer_client, timeliness, partnership):
    local_measure(partnership, months=4)
    use(partnership, partnership.measures.get())
    response = viewer_client.get(reverse("measures:dashboard"))

    tables = assert_downloads_match_the_page(viewer_client, response)

    assert list(tables) == ["measures"]
    assert len(tables["measures"]["rows"]) == 2
    got = csv_rows(viewer_client.get(tables["measures"]["links"]["csv"]))
    header = got[0]
    timeliness_row = next(r for r in got if r[header.index("Code")] == timeliness.code)
    assert timeliness_row[header.index("Latest")] == "99"
    assert timeliness_row[header.index("England period")] == "2024"
    assert timeliness_row[header.index("Target value")] == "60"


def test_dashboard_with_no_figures_and_no_la_code_says_so(client, outsider, other_partnership):
    """The other partnership has no LA code, so no geography, and uses no measure."""
    client.force_login(outsider)
    local_measure(other_partnership, code="their_measure")
    use(other_partnership, other_partnership.measures.get())

    response = client.get(reverse("measures:dashboard"))

    assert response.status_code == 200
    main = words(soup(response).select_one("main"))
    assert "local authority code is not set" in main
    row = dashboard_row(response, "Parents more confident")
    assert row["Latest"] == "No figure yet"
    assert row["England"] == "No figure"


def test_dashboard_download_without_a_table_and_format_says_what_to_ask_for(viewer_client):
    response = viewer_client.get(reverse("measures:dashboard_download"))

    assert response.status_code == 400
    assert "measures" in response.content.decode() and "csv" in response.content.decode()


def test_dashboard_needs_a_sign_in(client):
    response = client.get(reverse("measures:dashboard"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def dashboard_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("measures:dashboard")).status_code == 200
    return len(queries)


def test_dashboard_queries_do_not_grow_with_the_number_of_measures(
    viewer_client, timeliness, partnership
):
    """No query per measure: two more measures with figures and targets, the same count."""
    local_measure(partnership, code="first_local", months=3)
    use(partnership, partnership.measures.get(code="first_local"), targets=[(TODAY, 70)])
    before = dashboard_queries(viewer_client)
    for code in ("second_local", "third_local"):
        measure = local_measure(partnership, code=code, months=3)
        use(partnership, measure, targets=[(TODAY, 70)])

    after = dashboard_queries(viewer_client)

    assert after == before
    # Session, user, organisation and partnership; the places (3); the uses and their targets;
    # the series (with its geography); the latest England and regional figures (2); the
    # other measures; and what the navigation asks to decide which sections to show.
    assert after <= 20


# ---------------------------------------------------------------- a plan's and a priority's


@pytest.fixture
def linked_plan(partnership, timeliness):
    """Two areas in plan order; the first linked as a whole to timeliness, the second (under
    a priority) through one action to timeliness and through another to a local measure."""
    plan = PlanFactory(partnership=partnership, title="Written statement of action")
    priority = Priority.objects.create(plan=plan, title="Timely plans", position=1)
    first = AreaFactory(plan=plan, position=1, title="Identification of need")
    second = AreaFactory(plan=plan, position=2, title="Timeliness of EHC plans", priority=priority)
    quick = ActionFactory(area=second, position=1, how="Clear the backlog of assessments")
    survey = ActionFactory(area=second, position=2, how="Run parent workshops")
    timeliness_use = partnership.measure_uses.get(measure=timeliness)
    local = use(partnership, local_measure(partnership, months=3))
    measure_evidence_link(partnership_measure=timeliness_use, area=first)
    measure_evidence_link(partnership_measure=timeliness_use, action=quick)
    measure_evidence_link(partnership_measure=local, action=survey)
    return plan, priority, (first, second), (quick, survey)


def test_plan_dashboard_groups_the_linked_measures_by_area_with_their_actions(
    viewer_client, linked_plan, timeliness
):
    plan, priority, (first, second), (quick, survey) = linked_plan

    response = viewer_client.get(reverse("measures:plan_dashboard", kwargs={"plan": plan.pk}))

    assert response.status_code == 200
    page = soup(response)
    headings = [words(h) for h in page.select("main h2")]
    assert headings[:2] == ["Identification of need", "Timeliness of EHC plans"]
    first_table, second_table = page.select("main table")[:2]
    assert [words(r.select_one("th")) for r in first_table.select("tbody tr")] == [timeliness.title]
    assert "The area as a whole" in words(first_table)
    second_rows = [words(r.select_one("th")) for r in second_table.select("tbody tr")]
    assert second_rows == ["EHC plans issued within 20 weeks, including exceptions",
                           "Parents more confident after workshops"]  # fmt: skip
    action_links = {a["href"] for a in second_table.select("td a")}
    assert reverse("plans:action_detail", kwargs={"slug": plan.slug, "action_id": quick.pk}) in (
        action_links
    )
    assert "2 measures" in words(page.select_one("main"))
    priority_url = reverse(
        "measures:priority_dashboard", kwargs={"plan": plan.pk, "priority": priority.pk}
    )
    assert page.select_one(f'a[href="{priority_url}"]') is not None


def test_priority_dashboard_shows_only_the_areas_of_the_priority(viewer_client, linked_plan):
    plan, priority, (first, second), _ = linked_plan

    response = viewer_client.get(
        reverse("measures:priority_dashboard", kwargs={"plan": plan.pk, "priority": priority.pk})
    )

    assert response.status_code == 200
    headings = [words(h) for h in soup(response).select("main h2")]
    assert second.title in headings
    assert first.title not in headings


def test_plan_dashboard_downloads_have_the_rows_of_the_page_and_all_areas_in_one(
    viewer_client, linked_plan
):
    plan, *_ = linked_plan
    response = viewer_client.get(reverse("measures:plan_dashboard", kwargs={"plan": plan.pk}))

    tables = assert_downloads_match_the_page(viewer_client, response)

    assert len(tables) == 2  # one per area
    everything = soup(response).select_one("#download").find_next("p")
    csv_link = next(a["href"] for a in everything.select("a") if "format=csv" in a["href"])
    header, *rows = csv_rows(viewer_client.get(csv_link))
    assert [r[header.index("Area for improvement")] for r in rows] == [
        "Identification of need",
        "Timeliness of EHC plans",
        "Timeliness of EHC plans",
    ]
    assert rows[1][header.index("Evidences")] == "Clear the backlog of assessments"


def test_another_partnerships_plan_and_priority_are_not_found(client, outsider, linked_plan):
    plan, priority, *_ = linked_plan
    client.force_login(outsider)

    for url in (
        reverse("measures:plan_dashboard", kwargs={"plan": plan.pk}),
        reverse("measures:plan_dashboard_download", kwargs={"plan": plan.pk})
        + "?table=measures&format=csv",
        reverse("measures:priority_dashboard", kwargs={"plan": plan.pk, "priority": priority.pk}),
    ):
        assert client.get(url).status_code == 404, url


def test_a_priority_of_another_plan_is_not_found(viewer_client, linked_plan, partnership):
    _, priority, *_ = linked_plan
    other_plan = PlanFactory(partnership=partnership, title="Inclusion plan")

    response = viewer_client.get(
        reverse(
            "measures:priority_dashboard", kwargs={"plan": other_plan.pk, "priority": priority.pk}
        )
    )

    assert response.status_code == 404


def test_plan_with_no_linked_measures_says_so(viewer_client, partnership):
    plan = PlanFactory(partnership=partnership)

    response = viewer_client.get(reverse("measures:plan_dashboard", kwargs={"plan": plan.pk}))

    assert response.status_code == 200
    assert "No measure is linked" in words(soup(response).select_one("main"))


def test_plan_dashboard_queries_do_not_grow_with_the_links(viewer_client, linked_plan, partnership):
    plan, _, (first, second), _ = linked_plan
    url = reverse("measures:plan_dashboard", kwargs={"plan": plan.pk})
    with CaptureQueriesContext(connection) as before:
        viewer_client.get(url)
    for code in ("more_a", "more_b"):
        extra = use(partnership, local_measure(partnership, code=code, months=2))
        measure_evidence_link(partnership_measure=extra, area=first)
        measure_evidence_link(
            partnership_measure=extra, action=ActionFactory(area=second, how=f"Do {code}")
        )

    with CaptureQueriesContext(connection) as after:
        response = viewer_client.get(url)

    assert response.status_code == 200
    assert len(after) == len(before) <= 20


def test_england_is_shown_for_the_partnerships_latest_period_when_it_has_one(
    viewer_client, partnership, tmp_path
):
    """Like with like: Lincolnshire's latest is 2023, so England's 2023 is beside it, not
    England's 2024; the region has no 2023 figure, so its own latest is shown, with its year."""
    header = [*STANDARD, "breakdown_topic", "breakdown", "issued", "within", "pc_within"]
    rows = [
        row("2022", ENGLAND, "All", "Total", "100", "50", "50.0"),
        row("2023", ENGLAND, "All", "Total", "100", "55", "55.0"),
        row("2024", ENGLAND, "All", "Total", "100", "60", "60.0"),
        row("2022", EAST_MIDLANDS, "All", "Total", "100", "40", "40.0"),
        row("2022", LINCOLNSHIRE, "All", "Total", "10", "7", "70.0"),
        row("2023", LINCOLNSHIRE, "All", "Total", "10", "8", "80.0"),
    ]
    published_statistics_import(
        source=csv_bytes(header, rows),
        filename="timeliness.csv",
        mapping=write_mapping(tmp_path, BREAKDOWN_MAPPING),
        via="tests",
    )
    measure = Measure.objects.get(code="test_20wk")
    use(partnership, measure)

    response = viewer_client.get(reverse("measures:dashboard"))

    shown = dashboard_row(response, measure.title)
    assert (shown["Latest"], shown["Period"]) == ("80%", "2023")
    assert shown["England"] == "55% (2023)"
    assert shown["East Midlands"] == "40% (2022)"
