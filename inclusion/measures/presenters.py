"""How the measures pages show what `dashboard` reads: tables (each also a CSV and an Excel
download), charts with their text summaries, and the wording of figures and codes.

No rule lives here: what a measure says (against target, trend, SPC) comes from
`inclusion.measures.evidence`, the XmR reading from `spc`, the funnel limits from `funnel`.
A table is built once, as `DataTable`, and both the page and its downloads are made from
that one object, so a download has exactly the rows the page shows.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from django.urls import reverse

from inclusion.core.presenters import format_date
from inclusion.measures import dashboard as reads
from inclusion.measures.evidence import UNIT_SUFFIX, MeasureStatus, format_measure_value
from inclusion.measures.funnel import funnel_points
from inclusion.measures.importers.codes import code_meaning
from inclusion.measures.models import Measure, Observation, ValueStatus
from inclusion.measures.periods import Period
from inclusion.reporting import charts, csvfile, xlsx
from inclusion.reporting.rendered import CSV, XLSX, RenderedFile

FORMATS = {"csv": "CSV", "xlsx": "Excel (XLSX)"}

# ---------------------------------------------------------------------------------------------
# Tables
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TableColumn:
    key: str
    heading: str
    numeric: bool = False
    on_page: bool = True  # False: a column only the downloads have (a code, a raw date)
    width: float = 16  # in characters, for Excel


@dataclass(frozen=True)
class Cell:
    """What a page shows (`text`, a link when `href`) and what a download holds (`value`: a
    number, a date or text; the text when not given)."""

    text: str
    value: Any = None
    href: str = ""

    @property
    def data(self) -> Any:
        return self.text if self.value is None else self.value


EMPTY = Cell("")


@dataclass
class DataTable:
    key: str  # the table's name in its download URL ("observations")
    caption: str
    columns: tuple[TableColumn, ...]
    rows: list[dict[str, Cell]]
    downloads: list[dict[str, str]] = field(default_factory=list)  # {"text", "href", "format"}
    empty: str = "Nothing to show yet."

    @property
    def page_columns(self) -> tuple[TableColumn, ...]:
        return tuple(c for c in self.columns if c.on_page)

    def cell(self, row: dict[str, Cell], key: str) -> Cell:
        return row.get(key, EMPTY)

    def with_downloads(self, base: str, query: dict[str, str] | None = None) -> DataTable:
        """Links to this table as CSV and XLSX (`base` is the page's download URL)."""
        self.downloads = [
            {
                "format": fmt,
                "text": label,
                "href": f"{base}?{urlencode({**(query or {}), 'table': self.key, 'format': fmt})}",
            }
            for fmt, label in FORMATS.items()
        ]
        return self


def plain(number: Decimal | float | None) -> int | float | None:
    """A stored number for a download: 747, not 747.000000; 58.7, not 58.700000."""
    if number is None:
        return None
    if isinstance(number, Decimal):
        if number == number.to_integral_value():
            return int(number)
        return float(number)
    return int(number) if float(number).is_integer() else float(number)


def _sheet_name(caption: str) -> str:
    """Excel sheet names: at most 31 characters, none of []:*?/\\."""
    return re.sub(r"[\[\]:*?/\\]", " ", caption)[:31].strip() or "Table"


def _table_name(key: str) -> str:
    name = re.sub(r"[^A-Za-z0-9_]", "_", key)
    return name if re.match(r"^[A-Za-z_]", name) else f"t_{name}"


def table_file(table: DataTable, fmt: str, filename: str, *, title: str = "") -> RenderedFile:
    """The table as a CSV (UTF-8 with a byte order mark, formula-safe) or an Excel workbook
    (a real Excel table with a frozen header), through the shared reporting helpers."""
    header = [c.heading for c in table.columns]
    rows = [[table.cell(row, c.key).data for c in table.columns] for row in table.rows]
    if fmt == "csv":
        return RenderedFile(csvfile.csv_bytes(header, rows), CSV, f"{filename}.csv")
    if fmt == "xlsx":
        workbook = xlsx.new_workbook(title=title or table.caption, subject=table.caption)
        xlsx.write_table(
            workbook,
            sheet_title=_sheet_name(table.caption),
            table_name=_table_name(table.key),
            columns=[
                xlsx.Column(c.heading, width=40 if not c.numeric and c.width == 16 else c.width)
                for c in table.columns
            ],
            rows=rows,
        )
        return RenderedFile(xlsx.to_bytes(workbook), XLSX, f"{filename}.xlsx")
    raise ValueError(f"No download format '{fmt}': use one of {', '.join(FORMATS)}")


# ---------------------------------------------------------------------------------------------
# Figures in words
# ---------------------------------------------------------------------------------------------


def unit_suffix(measure: Measure) -> str:
    return UNIT_SUFFIX.get(measure.unit, "")


def status_words(status: str, code: str) -> str:
    """ "Available", or why there is no value: "Suppressed to protect confidentiality (c:
    confidential: suppressed to protect people)". A code is never shown as a 0."""
    if status == ValueStatus.AVAILABLE:
        return "Available"
    label = ValueStatus(status).label if status in ValueStatus.values else status
    if not code:
        return label
    meaning = code_meaning(code)
    return f"{label} ({code}: {meaning})" if meaning else f"{label} ({code})"


def figure_cell(figure: reads.Figure | None, unit: str, *, with_period: bool = False) -> Cell:
    """A figure for a table: the number (a download gets the number itself), or the code
    published instead with what it means (a download gets the code)."""
    if figure is None:
        return Cell("No figure", "")
    if figure.value is None:
        words = status_words(figure.status, figure.code)
        text = f"{words}, {figure.period.display()}" if with_period else words
        return Cell(text, figure.code or ValueStatus(figure.status).label)
    text = format_measure_value(figure.value, unit)
    if with_period:
        text = f"{text} ({figure.period.display()})"
    return Cell(text, plain(figure.value))


def number_cell(number: Decimal | None) -> Cell:
    return Cell("" if number is None else f"{plain(number):,}", plain(number))


SOURCE_WORDS = dict(Observation.Source.choices)


def source_words(source: str) -> str:
    return SOURCE_WORDS.get(source, source)


# ---------------------------------------------------------------------------------------------
# Dashboards
# ---------------------------------------------------------------------------------------------


_CODE = "measure-code-placeholder"


def _measure_url(code: str) -> str:
    # Reversed once and filled in: a dashboard has a link per measure, 200 in the benchmark.
    return _measure_url_pattern().replace(_CODE, code)


@functools.cache
def _measure_url_pattern() -> str:
    return reverse("measures:measure_detail", kwargs={"code": _CODE})


def summary_columns(places: reads.Places) -> tuple[TableColumn, ...]:
    region = places.region.name if places.region else "Region"
    return (
        TableColumn("measure", "Measure", width=45),
        TableColumn("code", "Code", on_page=False, width=30),
        TableColumn("latest", "Latest", numeric=True),
        TableColumn("period", "Period"),
        TableColumn("target", "Target", width=25),
        TableColumn("target_value", "Target value", numeric=True, on_page=False),
        TableColumn("target_date", "Target date", on_page=False),
        TableColumn("england", "England", numeric=True),
        TableColumn("england_period", "England period", on_page=False),
        TableColumn("region", region, numeric=True),
        TableColumn("region_period", f"{region} period", on_page=False),
        TableColumn("says", "What the figures say", width=80),
        TableColumn("trend", "Trend", on_page=False, width=25),
        TableColumn("variation", "SPC variation", on_page=False, width=50),
        TableColumn("assurance", "SPC assurance", on_page=False, width=50),
        TableColumn("suggested", "Rating the figures suggest", on_page=False),
    )


def _comparator_cells(figure: reads.Figure | None, unit: str, key: str) -> dict[str, Cell]:
    cell = figure_cell(figure, unit, with_period=True)
    period = figure.period.display() if figure is not None else ""
    return {key: cell, f"{key}_period": Cell(period)}


RAG_WORDS = {"red": "Red", "amber": "Amber", "green": "Green", "": ""}


def summary_cells(summary: reads.MeasureSummary) -> dict[str, Cell]:
    measure, status = summary.measure, summary.status
    latest_text = format_measure_value(status.latest_value, measure.unit)
    if status.latest_value is None:
        latest = Cell("No figure yet", "")
    else:
        latest = Cell(latest_text, plain(status.latest_value))
    return {
        "measure": Cell(measure.title, measure.title, href=_measure_url(measure.code)),
        "code": Cell(measure.code),
        "latest": latest,
        "period": Cell(status.latest_period.display() if status.latest_period else ""),
        "target": Cell(status.target or "No target set", status.target or ""),
        "target_value": Cell(
            "", plain(status.target_value) if status.target_value is not None else ""
        ),
        "target_date": Cell("", status.target_date or ""),
        **_comparator_cells(summary.england, measure.unit, "england"),
        **_comparator_cells(summary.region, measure.unit, "region"),
        "says": Cell(status.sentence),
        "trend": Cell(status.trend),
        "variation": Cell(status.spc_text),
        "assurance": Cell(status.assurance_text),
        "suggested": Cell(RAG_WORDS.get(status.suggested_rag, status.suggested_rag)),
    }


def dashboard_table(data: reads.Dashboard) -> DataTable:
    return DataTable(
        key="measures",
        caption="The partnership's measures",
        columns=summary_columns(data.places),
        rows=[summary_cells(row) for row in data.rows],
        empty="The partnership uses no measure yet.",
    )


def dashboard_tables(data: reads.Dashboard) -> dict[str, DataTable]:
    base = reverse("measures:dashboard_download")
    table = dashboard_table(data).with_downloads(base)
    return {table.key: table}


def _plan_links(plan: reads.PlanRef, area_id: Any, row: reads.LinkedMeasure) -> Cell:
    """ "The area; 2 actions: ..." for a page, the same in words for a download."""
    parts, links = [], []
    if row.area_linked:
        parts.append("The area as a whole")
        links.append(
            {
                "text": "The area as a whole",
                "href": reverse("plans:action_list", kwargs={"slug": plan.slug})
                + "?"
                + urlencode({"area": str(area_id)}),
            }
        )
    for action in row.actions:
        how = " ".join(action.how.split())
        parts.append(how)
        links.append(
            {
                "text": how,
                "href": reverse(
                    "plans:action_detail", kwargs={"slug": plan.slug, "action_id": action.id}
                ),
            }
        )
    return LinksCell("; ".join(parts), links=links)


@dataclass(frozen=True)
class LinksCell(Cell):
    """A cell holding several links (the actions a measure evidences)."""

    links: list[dict[str, str]] = field(default_factory=list)


def plan_columns(places: reads.Places) -> tuple[TableColumn, ...]:
    return (
        TableColumn("area", "Area for improvement", on_page=False, width=60),
        *summary_columns(places)[:-5],
        TableColumn("evidences", "Evidences", width=60),
        *summary_columns(places)[-5:],
    )


def plan_tables(data: reads.PlanDashboard) -> dict[str, DataTable]:
    """One table per area on the page; the download ("measures") is all of them in one,
    with the area in a column."""
    columns = plan_columns(data.places)
    groups = []
    every_row: list[dict[str, Cell]] = []
    for group in data.groups:
        rows = []
        for linked in group.rows:
            row = {
                "area": Cell(group.title),
                **summary_cells(linked.summary),
                "evidences": _plan_links(data.plan, group.id, linked),
            }
            rows.append(row)
            every_row.append(row)
        groups.append(
            DataTable(key=f"area-{group.id}", caption=group.title, columns=columns, rows=rows)
        )
    if data.priority is not None:
        base = reverse(
            "measures:priority_dashboard_download",
            kwargs={"plan": data.plan.id, "priority": data.priority.id},
        )
    else:
        base = reverse("measures:plan_dashboard_download", kwargs={"plan": data.plan.id})
    everything = DataTable(
        key="measures",
        caption=f"Measures of {data.priority.title if data.priority else data.plan.title}",
        columns=columns,
        rows=every_row,
        empty="No measure is linked to this plan's areas or actions yet.",
    ).with_downloads(base)
    for table in groups:
        table.with_downloads(base)
    return {"measures": everything, **{t.key: t for t in groups}}


# ---------------------------------------------------------------------------------------------
# A measure's page
# ---------------------------------------------------------------------------------------------


@dataclass
class ChartBlock:
    """A chart, its text summary and its data table (the same rows the download holds)."""

    chart: charts.Chart
    table: DataTable
    note: str = ""


@dataclass
class MeasurePageView:
    data: reads.MeasurePage
    definition: list[dict[str, Any]]  # govukSummaryList rows
    status_rows: list[dict[str, Any]]
    tables: dict[str, DataTable]
    series_chart: ChartBlock | None
    comparison_chart: ChartBlock | None
    funnel_chart: ChartBlock | None
    funnel_note: str
    breakdown_items: list[dict[str, Any]]  # govukSelect items
    breakdown_text: str  # "All EHC plans issued" or "Age: Under 5"


def breakdown_value(breakdown: tuple[str, str]) -> str:
    return "" if breakdown == reads.WHOLE else f"{breakdown[0]}::{breakdown[1]}"


def parse_breakdown(value: str) -> tuple[str, str]:
    """The chooser's value ("Age::Under 5") as (topic, group); the whole population if empty."""
    if not value or "::" not in value:
        return reads.WHOLE
    topic, group = value.split("::", 1)
    return (topic, group)


def breakdown_words(breakdown: tuple[str, str]) -> str:
    if breakdown == reads.WHOLE:
        return "everyone (no breakdown)"
    topic, group = breakdown
    return f"{topic}: {group}" if topic else group


def _definition(data: reads.MeasurePage) -> list[dict[str, Any]]:
    m, use = data.measure, data.use

    def row(key: str, text: str) -> dict[str, Any]:
        return {"key": {"text": key}, "value": {"text": text or "Not given"}}

    baseline = ""
    if use is not None and use.baseline_value is not None:
        baseline = format_measure_value(use.baseline_value, m.unit)
        if use.baseline_date:
            baseline += f" on {format_date(use.baseline_date)}"
        if use.baseline_note:
            baseline += f". {use.baseline_note}"
    targets = "; ".join(
        f"{format_measure_value(t.value, m.unit)} by {format_date(t.date)}" for t in data.targets
    )
    return [
        row("Code", m.code),
        row("Kind", m.get_kind_display()),
        row("Description", m.description),
        row("Unit", m.get_unit_display()),
        row("Which way is better", m.get_polarity_display()),
        row("Numerator", m.numerator_definition),
        row("Denominator", m.denominator_definition),
        row("Frequency", m.get_frequency_display()),
        row("Owner", use.owner if use else "The partnership does not use this measure"),
        row("Data source", m.data_source),
        row("Baseline", baseline),
        row("Targets", targets if use else "The partnership does not use this measure"),
    ]


def _status_rows(status: MeasureStatus, used: bool) -> list[dict[str, Any]]:
    def row(key: str, text: str) -> dict[str, Any]:
        return {"key": {"text": key}, "value": {"text": text or "Nothing to say"}}

    rows = [
        row("In a sentence", status.sentence),
        row("Latest figure", status.latest or "No figure yet"),
        row("Target in force", status.target or ("No target set" if used else "")),
        row("Trend", status.trend or "Too few figures for a trend"),
        row("SPC variation", status.spc_text),
    ]
    if status.assurance_text:
        rows.append(row("SPC assurance", status.assurance_text))
    if used:
        suggested = RAG_WORDS.get(status.suggested_rag, "") or "None"
        rows.append(row("Rating the figures suggest", f"{suggested}: {status.rag_reason}"))
    return rows


def _chart_table(
    chart: charts.Chart,
    key: str,
    caption: str,
    raw: Sequence[dict[str, Any]] | None = None,
    extra: Sequence[tuple[TableColumn, Callable[[int], Cell]]] = (),
) -> DataTable:
    """The chart's own table (its words, `charts` formats them) with the numbers behind
    them for the downloads (`raw`, by row and column key)."""
    columns = tuple(TableColumn(c.key, c.heading, numeric=c.numeric) for c in chart.columns)
    rows = []
    for i, shown in enumerate(chart.table):
        values = raw[i] if raw is not None else {}
        row = {c.key: Cell(shown.get(c.key, ""), values.get(c.key)) for c in chart.columns}
        for column, make in extra:
            row[column.key] = make(i)
        rows.append(row)
    return DataTable(
        key=key,
        caption=caption,
        columns=columns + tuple(column for column, _ in extra),
        rows=rows,
    )


def _period_labels(periods: Iterable[Period]) -> list[str]:
    return [p.display() for p in periods]


def _series_chart(data: reads.MeasurePage) -> ChartBlock | None:
    """The partnership's own figures over time: an XmR chart (the same result the status
    reads, with the target in force) when there are enough points, else a line chart."""
    measure, status, own = data.measure, data.status, data.places.own
    unit = unit_suffix(measure)
    name = own.name if own else "This local authority"
    title = f"{measure.title}: {name}"
    if data.breakdown == reads.WHOLE:
        periods = [p.period for p in status.points]
        values = [p.value for p in status.points]
        result = status.spc
    else:
        chosen = reads.by_period(data.figures_of(own))
        ordered = sorted(chosen.values(), key=lambda f: (f.period.end, f.period.start))
        periods = [f.period for f in ordered]
        values = [None if f.value is None else float(f.value) for f in ordered]
        result = None
        title += f" ({breakdown_words(data.breakdown)})"
    if not any(v is not None for v in values):
        return None
    labels = _period_labels(periods)
    if result is not None:
        chart = charts.xmr_chart(
            result, labels=labels, title=title, unit=unit, chart_id="chart-series"
        )
        raw = [
            {
                "value": p.value,
                "moving_range": p.moving_range,
                "mean": p.period.mean,
                "lower_limit": p.period.lower_limit,
                "upper_limit": p.period.upper_limit,
            }
            for p in result.points
        ]
        table = _chart_table(chart, "series", f"{name}: the figures, mean and process limits", raw)
        return ChartBlock(chart, table)
    chart = charts.line_chart(
        title=title,
        labels=labels,
        series=[charts.Series(name, values)],
        unit=unit,
        chart_id="chart-series",
    )
    raw = [{"series_0": v} for v in values]
    note = (
        status.spc_text[:1].upper() + status.spc_text[1:] + "."
        if data.breakdown == reads.WHOLE
        else ""
    )
    return ChartBlock(chart, _chart_table(chart, "series", f"{name}: the figures", raw), note)


def _comparison_chart(data: reads.MeasurePage) -> ChartBlock | None:
    """The partnership's figures beside England's, the region's and the neighbours' average."""
    measure, places = data.measure, data.places
    lines: list[tuple[str, dict[tuple[str, dt.date, dt.date], float | None]]] = []
    periods: dict[tuple[str, dt.date, dt.date], Period] = {}
    for place in (places.own, places.england, places.region):
        if place is None:
            continue
        chosen = reads.by_period(data.figures_of(place))
        for key, figure in chosen.items():
            periods[key] = figure.period
        values = {k: (None if f.value is None else float(f.value)) for k, f in chosen.items()}
        if any(v is not None for v in values.values()):
            lines.append((place.name, values))
    note = ""
    if places.neighbours:
        averages = data.neighbour_averages
        for key in averages:
            periods.setdefault(key, data.periods[key])
        if averages:
            lines.append(
                ("Statistical neighbours' average", {k: a.value for k, a in averages.items()})
            )
            partial = sorted(
                (periods[k] for k, a in averages.items() if a.count < a.of),
                key=lambda p: (p.end, p.start),
            )
            note = (
                f"The neighbours' average is the unweighted mean of the "
                f"{len(places.neighbours)} statistical neighbours' figures"
            )
            if partial:
                note += (
                    "; some neighbours have no figure for "
                    + ", ".join(p.display() for p in partial)
                    + ", and the average there is of those that do"
                )
            note += "."
    # The partnership's own line alone is the chart above; anything else is worth drawing.
    if not lines or (len(lines) == 1 and places.own is not None and lines[0][0] == places.own.name):
        return None
    ordered = sorted(periods, key=lambda k: (k[2], k[1]))
    labels = [periods[k].display() for k in ordered]
    series = [charts.Series(name, [values.get(k) for k in ordered]) for name, values in lines]
    title = f"{measure.title}: compared with England, the region and neighbours"
    if data.breakdown != reads.WHOLE:
        title += f" ({breakdown_words(data.breakdown)})"
    chart = charts.line_chart(
        title=title,
        labels=labels,
        series=series,
        unit=unit_suffix(measure),
        chart_id="chart-comparison",
    )
    raw = [{f"series_{n}": values.get(k) for n, (_, values) in enumerate(lines)} for k in ordered]
    table = _chart_table(chart, "comparison", "The figures compared, by period", raw)
    return ChartBlock(chart, table, note)


def _funnel_chart(data: reads.MeasurePage) -> tuple[ChartBlock | None, str]:
    funnel = data.funnel
    if funnel is None:
        return None, ""
    try:
        result = funnel_points([(u.code, u.name, u.numerator, u.denominator) for u in funnel.units])
    except ValueError as error:
        return None, f"No funnel plot for {funnel.period.display()}: {error}"
    measure, places = data.measure, data.places
    own_code = places.own.code if places.own else None
    neighbour_codes = {n.code for n in places.neighbours}
    denominator = measure.denominator_definition.strip()
    if not denominator or len(denominator) > 60:
        denominator = "Number of cases"
    title = f"{measure.title}: every local authority, {funnel.period.display()}"
    if data.breakdown != reads.WHOLE:
        title += f" ({breakdown_words(data.breakdown)})"
    chart = charts.funnel_chart(
        result,
        title=title,
        highlight=own_code,
        unit_heading="Local authority",
        units_name="local authorities",
        denominator_heading=denominator,
        chart_id="chart-funnel",
    )
    raw = [
        {
            "numerator": p.numerator,
            "denominator": p.denominator,
            "proportion": None if p.proportion is None else p.proportion * 100,
        }
        for p in result.points
    ]

    def compared_as(i: int) -> Cell:
        code = result.points[i].code
        if code == own_code:
            return Cell("This partnership")
        if code in neighbour_codes:
            return Cell("Statistical neighbour")
        return EMPTY

    table = _chart_table(
        chart,
        "funnel",
        f"Every local authority, {funnel.period.display()}",
        raw,
        extra=[(TableColumn("compared_as", "Compared as"), compared_as)],
    )
    neighbours = [p for p in result.points if p.code in neighbour_codes]
    notes = []
    if neighbours:
        notes.append(
            "The statistical neighbours: "
            + "; ".join(
                f"{p.name} {charts.format_percent(p.proportion)}, {p.describe().lower()}"
                for p in neighbours
            )
            + "."
        )
    if funnel.left_out:
        notes.append(
            f"{funnel.left_out} local {'authority has' if funnel.left_out == 1 else 'authorities have'} "
            "no published number and base for this period (suppressed or not available) and "
            "are not plotted."
        )
    notes.append(
        "Limits are exact binomial limits around the overall rate of the local authorities "
        "shown (Spiegelhalter 2005); very small authorities can fall outside them more readily."
    )
    return ChartBlock(chart, table, " ".join(notes)), ""


_ROLE_WORDS = {
    reads.Role.OWN: "This partnership",
    reads.Role.ENGLAND: "England",
    reads.Role.REGION: "Region",
    reads.Role.NEIGHBOUR: "Statistical neighbour",
}


def _role_words(place: reads.Place) -> str:
    if place.role == reads.Role.NEIGHBOUR and place.rank:
        return f"Statistical neighbour ({place.rank})"
    return _ROLE_WORDS[place.role]


def observations_table(data: reads.MeasurePage) -> DataTable:
    """Every stored observation of the compared areas for the breakdown: each area in turn,
    newest period first, suppressed values with their code and its meaning."""
    unit = data.measure.unit
    rows = []
    for place in data.places.compared:
        figures = sorted(
            data.figures_of(place), key=lambda f: (f.period.end, f.period.start), reverse=True
        )
        for figure in figures:
            rows.append(
                {
                    "period": Cell(figure.period.display()),
                    "period_start": Cell("", figure.period.start),
                    "period_end": Cell("", figure.period.end),
                    "area": Cell(place.name),
                    "area_code": Cell(place.code),
                    "value": figure_cell(figure, unit),
                    "numerator": number_cell(figure.numerator),
                    "denominator": number_cell(figure.denominator),
                    "status": Cell(status_words(figure.status, figure.code)),
                    "source": Cell(source_words(figure.source)),
                }
            )
    return DataTable(
        key="observations",
        caption="Observations of the compared areas",
        columns=(
            TableColumn("period", "Period"),
            TableColumn("period_start", "Period start", on_page=False),
            TableColumn("period_end", "Period end", on_page=False),
            TableColumn("area", "Area", width=30),
            TableColumn("area_code", "Area code", on_page=False),
            TableColumn("value", "Value", numeric=True),
            TableColumn("numerator", "Numerator", numeric=True),
            TableColumn("denominator", "Denominator", numeric=True),
            TableColumn("status", "Status", width=50),
            TableColumn("source", "Source", width=30),
        ),
        rows=rows,
        empty="No observation of this measure for these areas yet.",
    )


def comparators_table(data: reads.MeasurePage) -> DataTable:
    """Each compared area's latest figure, and the neighbours' average for the latest period
    the partnership has."""
    unit = data.measure.unit
    rows = []
    for place in data.places.compared:
        chosen = reads.by_period(data.figures_of(place))
        latest = max(chosen.values(), key=lambda f: (f.period.end, f.period.start), default=None)
        rows.append(
            {
                "area": Cell(place.name),
                "area_code": Cell(place.code),
                "compared_as": Cell(_role_words(place)),
                "period": Cell(latest.period.display() if latest else ""),
                "value": figure_cell(latest, unit),
                "numerator": number_cell(latest.numerator if latest else None),
                "denominator": number_cell(latest.denominator if latest else None),
            }
        )
    if data.places.neighbours:
        averages = data.neighbour_averages
        if averages:
            key = max(averages, key=lambda k: (k[2], k[1]))
            average = averages[key]
            period = data.periods[key]
            rows.append(
                {
                    "area": Cell(
                        f"Statistical neighbours' average ({average.count} of {average.of})"
                    ),
                    "area_code": EMPTY,
                    "compared_as": Cell("Average"),
                    "period": Cell(period.display()),
                    "value": Cell(format_measure_value(average.value, unit), average.value),
                    "numerator": EMPTY,
                    "denominator": EMPTY,
                }
            )
    return DataTable(
        key="comparators",
        caption="Compared areas: the latest figure of each",
        columns=(
            TableColumn("area", "Area", width=40),
            TableColumn("area_code", "Area code", on_page=False),
            TableColumn("compared_as", "Compared as", width=25),
            TableColumn("period", "Latest period"),
            TableColumn("value", "Value", numeric=True),
            TableColumn("numerator", "Numerator", numeric=True),
            TableColumn("denominator", "Denominator", numeric=True),
        ),
        rows=rows,
        empty="No area to compare: the partnership's local authority code is not set.",
    )


def targets_table(data: reads.MeasurePage) -> DataTable:
    unit = data.measure.unit
    return DataTable(
        key="targets",
        caption="Targets",
        columns=(
            TableColumn("date", "By"),
            TableColumn("value", "Target", numeric=True),
            TableColumn("note", "Note", width=60),
        ),
        rows=[
            {
                "date": Cell(format_date(t.date), t.date),
                "value": Cell(format_measure_value(t.value, unit), plain(t.value)),
                "note": Cell(t.note),
            }
            for t in data.targets
        ],
        empty="No target set."
        if data.use
        else "The partnership does not use this measure, so it has no targets.",
    )


def links_table(data: reads.MeasurePage) -> DataTable:
    rows = []
    for link in data.links:
        area_href = (
            reverse("plans:action_list", kwargs={"slug": link.plan_slug})
            + "?"
            + urlencode({"area": str(link.area_id)})
        )
        action = EMPTY
        if link.action_id is not None:
            how = " ".join(link.action_how.split())
            action = Cell(
                how,
                href=reverse(
                    "plans:action_detail",
                    kwargs={"slug": link.plan_slug, "action_id": link.action_id},
                ),
            )
        rows.append(
            {
                "plan": Cell(
                    link.plan_title,
                    href=reverse("plans:plan_detail", kwargs={"slug": link.plan_slug}),
                ),
                "area": Cell(" ".join(link.area_title.split()), href=area_href),
                "action": action if link.action_id else Cell("The area as a whole"),
            }
        )
    return DataTable(
        key="links",
        caption="Plan areas and actions this measure evidences",
        columns=(
            TableColumn("plan", "Plan", width=30),
            TableColumn("area", "Area for improvement", width=60),
            TableColumn("action", "Action", width=80),
        ),
        rows=rows,
        empty="Not linked to any area or action of the partnership's plans.",
    )


class LazyTables(Mapping[str, DataTable]):
    """Tables by name, each built when first asked for: a download builds only its own table
    (a funnel's limits for 150 local authorities are not worked out for the targets table)."""

    def __init__(self, builders: dict[str, Callable[[], DataTable | None]]):
        self._builders = builders
        self._built: dict[str, DataTable | None] = {}

    def __getitem__(self, key: str) -> DataTable:
        if key not in self._built:
            build = self._builders[key]  # KeyError for a name that is no table
            self._built[key] = build()
        table = self._built[key]
        if table is None:
            raise KeyError(key)
        return table

    def __iter__(self) -> Iterator[str]:
        return iter(self._builders)

    def __len__(self) -> int:
        return len(self._builders)


def _download_base(data: reads.MeasurePage) -> tuple[str, dict[str, str]]:
    base = reverse("measures:measure_download", kwargs={"code": data.measure.code})
    query = {"breakdown": breakdown_value(data.breakdown)} if data.breakdown != reads.WHOLE else {}
    return base, query


def measure_tables(data: reads.MeasurePage) -> LazyTables:
    """Every table of a measure's page, by its download name."""
    base, query = _download_base(data)

    def table_of(block: ChartBlock | None) -> DataTable | None:
        return block.table.with_downloads(base, query) if block is not None else None

    return LazyTables(
        {
            "series": lambda: table_of(_series_chart(data)),
            "comparison": lambda: table_of(_comparison_chart(data)),
            "funnel": lambda: table_of(_funnel_chart(data)[0]),
            "observations": lambda: observations_table(data).with_downloads(base, query),
            "comparators": lambda: comparators_table(data).with_downloads(base, query),
            "targets": lambda: targets_table(data).with_downloads(base, query),
            "links": lambda: links_table(data).with_downloads(base, query),
        }
    )


def measure_page_view(data: reads.MeasurePage) -> MeasurePageView:
    base, query = _download_base(data)
    series = _series_chart(data)
    comparison = _comparison_chart(data)
    funnel, funnel_note = _funnel_chart(data)
    tables: dict[str, DataTable] = {}
    for block in (series, comparison, funnel):
        if block is not None:
            tables[block.table.key] = block.table.with_downloads(base, query)
    for table in (
        observations_table(data),
        comparators_table(data),
        targets_table(data),
        links_table(data),
    ):
        tables[table.key] = table.with_downloads(base, query)
    items = [
        {"value": "", "text": "Everyone (no breakdown)", "selected": data.breakdown == reads.WHOLE}
    ]
    for breakdown in data.breakdowns:
        items.append(
            {
                "value": breakdown_value(breakdown),
                "text": breakdown_words(breakdown),
                "selected": breakdown == data.breakdown,
            }
        )
    return MeasurePageView(
        data=data,
        definition=_definition(data),
        status_rows=_status_rows(data.status, data.use is not None),
        tables=tables,
        series_chart=series,
        comparison_chart=comparison,
        funnel_chart=funnel,
        funnel_note=funnel_note,
        breakdown_items=items,
        breakdown_text=breakdown_words(data.breakdown),
    )
