"""A measure's page: definition, what the figures say, charts with their text alternative and
data table, comparisons, the funnel of every local authority, observations, links to the
plan, breakdowns, downloads, and who may see what."""

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from inclusion.measures import evidence
from inclusion.measures.models import Observation
from inclusion.measures.services.measures import measure_evidence_link
from tests.factories import ActionFactory, AreaFactory, PlanFactory
from tests.measures.views.pages_data import (
    NEIGHBOURS,
    choose_neighbours,
    csv_rows,
    import_breakdowns,
    import_timeliness,
    local_measure,
    page_tables,
    soup,
    use,
    words,
)
from tests.measures.views.test_pages_dashboard import assert_downloads_match_the_page


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(dt.datetime(2025, 9, 1, 12, 0, tzinfo=dt.UTC), tick=False):
        yield


@pytest.fixture
def timeliness(partnership):
    """DfE's 20-week timeliness, used with a target and linked to an action of a plan,
    compared with two statistical neighbours."""
    measure = import_timeliness()
    pm = use(partnership, measure, owner="SEND service", targets=[(dt.date(2026, 3, 31), 60)])
    choose_neighbours(partnership)
    plan = PlanFactory(partnership=partnership, title="Written statement of action")
    action = ActionFactory(
        area=AreaFactory(plan=plan, title="Timeliness of EHC plans"),
        how="Clear the backlog of assessments",
    )
    measure_evidence_link(partnership_measure=pm, action=action)
    return measure


def detail(client, code, **query):
    url = reverse("measures:measure_detail", kwargs={"code": code})
    return client.get(url, query)


def section(response, heading_id):
    """The elements after a heading, up to the next heading of the same level."""
    heading = soup(response).select_one(f"#{heading_id}")
    found = []
    for sibling in heading.find_next_siblings():
        if sibling.name == "h2":
            break
        found.append(sibling)
    return found


def assert_chart_has_a_text_alternative_and_a_table(figure, rows: int):
    """The SVG is an image named by its title and described by its summary; the summary is
    the figure's caption too; the table after it has one row per point of the chart."""
    svg = figure.select_one("svg")
    assert svg["role"] == "img"
    title_id, desc_id = svg["aria-labelledby"].split()
    desc = words(svg.select_one(f"#{desc_id}"))
    assert words(svg.select_one(f"#{title_id}"))
    assert desc and words(figure.select_one("figcaption")) == desc
    table = figure.find_next("table")
    assert len(table.select("tbody tr")) == rows
    assert table.find_parent("div").find_next_sibling("p", class_="app-downloads") is not None


def test_published_measure_page_shows_its_charts_each_with_a_summary_and_a_table(
    viewer_client, timeliness
):
    response = detail(viewer_client, timeliness.code)

    assert response.status_code == 200
    page = soup(response)
    figures = page.select("main figure")
    assert len(figures) == 3  # over time, compared, every local authority
    over_time, compared, funnel = figures
    assert_chart_has_a_text_alternative_and_a_table(over_time, rows=6)  # 2019 to 2024
    assert_chart_has_a_text_alternative_and_a_table(compared, rows=6)
    councils = (
        Observation.objects.filter(
            measure=timeliness,
            geography__level="local_authority",
            period_label="2024",
            numerator__isnull=False,
            denominator__isnull=False,
        )
        .values("geography")
        .distinct()
        .count()
    )
    assert_chart_has_a_text_alternative_and_a_table(funnel, rows=councils)
    # Six annual figures are too few for process limits: a line chart, and the page says why
    # as the status does.
    status = evidence.measure_status(partnership_measure=timeliness.uses.get())
    assert status.spc is None
    assert words(over_time.find_next("p")).lower() == status.spc_text.lower() + "."
    assert "Lincolnshire 74.8% in 2019" in words(over_time.select_one("figcaption"))
    assert "England 58.7% in 2019 and 45.9% in 2024" in words(compared.select_one("figcaption"))
    assert "Statistical neighbours' average" in words(compared.select_one("figcaption"))
    # Ours is the large diamond; the neighbours are named in the table.
    assert funnel.select_one(".point-highlight") is not None
    funnel_rows = [words(tr) for tr in funnel.find_next("table").select("tbody tr")]
    lincolnshire = next(r for r in funnel_rows if r.startswith("Lincolnshire "))
    assert lincolnshire.endswith("This partnership")
    neighbours = [r for r in funnel_rows if r.endswith("Statistical neighbour")]
    assert sorted(r.split(" E")[0] for r in neighbours) == sorted(NEIGHBOURS.values())


def test_measure_page_shows_the_definition_status_comparators_and_plan_links(
    viewer_client, timeliness
):
    response = detail(viewer_client, timeliness.code)

    definition = words(section(response, "definition")[0])
    for text in (
        "Code ehcp_20wk_incl_exceptions",
        "Unit Percentage",
        "Which way is better Higher is better",
        "Numerator EHC plans issued within 20 weeks, including exceptions",
        "Denominator EHC plans issued in the calendar year, including exceptions",
        "Frequency Annually",
        "Owner SEND service",
        "Data source Department for Education",
        "Targets 60% by 31 March 2026",
    ):
        assert text in definition
    status = words(section(response, "status")[0])
    assert "Latest figure 99% (2024)" in status
    assert "Rating the figures suggest Green: meets its target" in status
    comparators = page_tables(response)["comparators"]
    assert [r[:3] for r in comparators["rows"]] == [
        ["Lincolnshire", "This partnership", "2024"],
        ["England", "England", "2024"],
        ["East Midlands", "Region", "2024"],
        ["Nottinghamshire", "Statistical neighbour (1)", "2024"],
        ["Leicestershire", "Statistical neighbour (2)", "2024"],
        ["Statistical neighbours' average (2 of 2)", "Average", "2024"],
    ]
    links = page_tables(response)["links"]["rows"]
    assert links == [
        [
            "Written statement of action",
            "Timeliness of EHC plans",
            "Clear the backlog of assessments",
        ]
    ]


def test_observations_give_lincolnshires_2019_figure_as_published(viewer_client, timeliness):
    """The issue's check: Lincolnshire (925) 74.8% of 747 plans in 2019."""
    response = detail(viewer_client, timeliness.code)

    observations = page_tables(response)["observations"]
    row = next(r for r in observations["rows"] if r[:2] == ["2019", "Lincolnshire"])
    assert row[2] == "74.8%"
    assert row[4] == "747"
    assert row[5] == "Available"


def test_every_table_of_the_measure_page_downloads_with_the_pages_rows(viewer_client, timeliness):
    response = detail(viewer_client, timeliness.code)

    tables = assert_downloads_match_the_page(viewer_client, response)

    assert set(tables) == {
        "series",
        "comparison",
        "funnel",
        "comparators",
        "observations",
        "targets",
        "links",
    }


def test_a_local_measure_with_enough_months_gets_an_xmr_chart_read_as_its_status_reads_it(
    viewer_client, partnership
):
    measure = local_measure(partnership, months=18)
    pm = use(partnership, measure, targets=[(dt.date(2025, 12, 31), 70)])

    response = detail(viewer_client, measure.code)

    figure = soup(response).select_one("main figure")
    svg = figure.select_one("svg")
    assert svg.select_one(".xmr-mean") is not None
    assert svg.select_one(".xmr-upper-limit") is not None
    assert svg.select_one(".xmr-target") is not None
    assert_chart_has_a_text_alternative_and_a_table(figure, rows=18)
    headings = [words(th) for th in figure.find_next("table").select("thead th")]
    assert headings[-3:] == ["Lower process limit", "Upper process limit", "Variation"]
    status = evidence.measure_status(partnership_measure=pm)
    assert f"SPC variation {status.spc_text}" in words(section(response, "status")[0])
    assert status.assurance_text in words(section(response, "status")[0])
    # A local measure has no England or regional figures: no comparison chart, no funnel.
    assert len(soup(response).select("main figure")) == 1
    assert_downloads_match_the_page(viewer_client, response)


def test_a_measure_with_no_figures_says_so_and_draws_nothing(viewer_client, partnership):
    measure = local_measure(partnership)

    response = detail(viewer_client, measure.code)

    assert response.status_code == 200
    page = soup(response)
    assert page.select("main svg") == []
    assert "No figure for the partnership's local authority yet" in words(page.select_one("main"))
    assert "No observation of this measure" in words(page.select_one("main"))
    download = reverse("measures:measure_download", kwargs={"code": measure.code})
    header, *rows = csv_rows(
        viewer_client.get(download, {"table": "observations", "format": "csv"})
    )
    assert header[:2] == ["Period", "Period start"] and rows == []


def test_another_partnerships_local_measure_is_not_found(client, outsider, partnership):
    measure = local_measure(partnership, months=2)
    client.force_login(outsider)

    assert detail(client, measure.code).status_code == 404
    download = reverse("measures:measure_download", kwargs={"code": measure.code})
    assert client.get(download, {"table": "observations", "format": "csv"}).status_code == 404


def test_a_published_measure_shows_another_partnership_none_of_our_targets_or_links(
    client, outsider, timeliness
):
    client.force_login(outsider)

    response = detail(client, timeliness.code)

    assert response.status_code == 200
    main = words(soup(response).select_one("main"))
    assert "The partnership does not use this measure" in main
    for ours in ("60% by 31 March 2026", "SEND service", "Clear the backlog", "Written statement"):
        assert ours not in main
    assert "England 58.7% in 2019 and 45.9% in 2024" in main


def test_breakdown_chooser_shows_the_groups_and_a_suppressed_value_with_its_meaning(
    viewer_client, partnership, tmp_path
):
    measure = import_breakdowns(tmp_path)

    response = detail(viewer_client, measure.code)

    options = [words(o) for o in soup(response).select("select#breakdown option")]
    assert options == ["Everyone (no breakdown)", "Age: 5 to 10", "Age: Under 5"]
    chosen = detail(viewer_client, measure.code, breakdown="Age::5 to 10")
    assert chosen.status_code == 200
    page = soup(chosen)
    assert words(page.select_one("select#breakdown option[selected]")) == "Age: 5 to 10"
    observations = page_tables(chosen)["observations"]["rows"]
    lincolnshire = [r for r in observations if r[1] == "Lincolnshire"]
    assert [r[0] for r in lincolnshire] == ["2023", "2022"]
    assert lincolnshire[0][2].startswith("Suppressed to protect confidentiality (c:")
    assert "0%" not in lincolnshire[0][2]
    # The downloads keep the chosen group, and the code, not a number.
    link = page_tables(chosen)["observations"]["links"]["csv"]
    assert "breakdown=Age" in link
    header, *rows = csv_rows(viewer_client.get(link))
    values = [r[header.index("Value")] for r in rows if r[header.index("Area")] == "Lincolnshire"]
    assert values == ["c", "c"]
    assert_downloads_match_the_page(viewer_client, chosen)


def test_an_unknown_breakdown_shows_everyone(viewer_client, partnership, tmp_path):
    measure = import_breakdowns(tmp_path)

    response = detail(viewer_client, measure.code, breakdown="Nonsense::Nobody")

    assert response.status_code == 200
    selected = soup(response).select_one("select#breakdown option[selected]")
    assert words(selected) == "Everyone (no breakdown)"


def test_measure_page_reads_in_a_bounded_number_of_queries(viewer_client, timeliness):
    with CaptureQueriesContext(connection) as queries:
        assert detail(viewer_client, timeliness.code).status_code == 200

    assert len(queries) <= 30
