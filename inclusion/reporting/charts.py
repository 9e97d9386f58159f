"""Server-rendered SVG charts, each with a text alternative and the table of its data.

Domain-free: charts know numbers, labels and the shapes of an XmR result or a funnel result
(described by the Protocols below), not what a measure is. Every chart is a `Chart`:
- `svg`: SVG 1.1 markup with `role="img"`, a `<title>` and a `<desc>` named by
  `aria-labelledby`, a `viewBox` so it scales, no script, no external font or stylesheet, and
  colours that meet WCAG 2.2 AA non-text contrast (3:1) on white. Special causes and outliers
  differ by marker shape and fill as well as colour, and a legend says what each means.
- `summary`: one or two sentences that say what the chart shows (the text alternative).
- `columns` and `table`: the data behind it, as display text, to render as a table beside it.

Decisions in docs/adr/0014-spc-and-charts.md.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol
from xml.sax.saxutils import escape, quoteattr

from markupsafe import Markup

# Layout of every chart, in viewBox units (the SVG scales to its container).
WIDTH = 640
PLOT_LEFT = 72
PLOT_RIGHT = WIDTH - 24
PLOT_TOP = 16
PLOT_BOTTOM = 296
PLOT_WIDTH = PLOT_RIGHT - PLOT_LEFT
PLOT_HEIGHT = PLOT_BOTTOM - PLOT_TOP
FONT_SIZE = 12
# Arial is what GOV.UK documents ask for; Debian has Liberation Sans, metrically the same
# (ADR 0008). Nothing is fetched: a missing font falls back to the system sans-serif.
FONT_FAMILY = '"Liberation Sans", Arimo, Arial, Helvetica, sans-serif'
# Roughly the width of one character at FONT_SIZE, to space labels without measuring text.
CHAR_WIDTH = 6.6

# GOV.UK Frontend colours. Each one that carries meaning has at least 3:1 contrast on white
# (WCAG 2.2 SC 1.4.11); the test checks it.
COLOURS = {
    "text": "#0b0c0c",
    "line": "#505a5f",  # process limits, axes, the data line
    "common": "#505a5f",
    "improvement": "#1d70b8",  # Making Data Count uses blue for improvement
    "concern": "#b7470b",  # and orange for concern; GOV.UK orange is too light on white
    "neutral": "#4c2c92",  # and purple for special cause with no better direction
    "target": "#d4351c",
    "outlier": "#1d70b8",
    "highlight": "#0b0c0c",
}
GRID = "#e5e6e7"  # decorative: the tick labels carry the values
SERIES_COLOURS = ("#1d70b8", "#b7470b", "#00703c", "#4c2c92", "#505a5f")
SERIES_SHAPES = ("circle", "square", "triangle-up", "diamond", "triangle-down")
SERIES_DASHES = ("", "6 3", "2 3", "8 3 2 3", "1 2")


@dataclass(frozen=True)
class Column:
    key: str
    heading: str
    numeric: bool = False


@dataclass(frozen=True)
class Chart:
    title: str
    svg: str
    summary: str
    columns: tuple[Column, ...]
    table: tuple[dict[str, str], ...]
    chart_id: str = ""

    @property
    def html(self) -> Markup:
        """The SVG for a Jinja template (already escaped where it needs to be)."""
        return Markup(self.svg)  # noqa: S704 - built from escaped parts in this module


# ---------------------------------------------------------------------------------------------
# Numbers as people read them
# ---------------------------------------------------------------------------------------------


def format_value(value: float | None, unit: str = "", places: int = 1) -> str:
    """`45.9%`, `60%`, `1,234`, `12.5 days`: rounded to `places`, trailing zeros dropped."""
    if value is None:
        return ""
    rounded = round(value, places)
    if rounded == 0:
        rounded = 0.0  # no "-0"
    text = f"{rounded:,.{places}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    if not unit:
        return text
    if unit == "%":
        return f"{text}%"
    if unit in ("£", "$", "€"):
        return f"{unit}{text}"
    return f"{text} {unit}"


def format_percent(proportion: float | None, places: int = 1) -> str:
    """A proportion (0 to 1) as a percentage: 0.4642 -> `46.4%`."""
    return "" if proportion is None else format_value(proportion * 100, "%", places)


def nice_scale(low: float, high: float, ticks: int = 5) -> tuple[float, float, float]:
    """An axis from `low` to `high` widened to round numbers: (start, end, step), the step
    1, 2, 2.5 or 5 times a power of ten, about `ticks` steps in all."""
    if math.isclose(low, high):
        pad = abs(low) * 0.1 or 1.0
        low, high = low - pad, high + pad
    raw = (high - low) / ticks
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)
    start = math.floor(low / step + 1e-9) * step
    end = math.ceil(high / step - 1e-9) * step
    return start, end, step


def _places(step: float) -> int:
    """Decimal places enough to tell ticks `step` apart."""
    places = 0
    while places < 6 and not math.isclose(round(step, places), step, rel_tol=1e-9):
        places += 1
    return places


# ---------------------------------------------------------------------------------------------
# SVG building blocks
# ---------------------------------------------------------------------------------------------


def _n(number: float) -> str:
    """A coordinate: one decimal place, no trailing zero."""
    text = f"{number:.1f}"
    return text[:-2] if text.endswith(".0") else text


def _attrs(**attributes: Any) -> str:
    parts = []
    for name, value in attributes.items():
        if value is None or value == "":
            continue
        name = name.rstrip("_").replace("_", "-")
        if isinstance(value, float):
            value = _n(value)
        parts.append(f"{name}={quoteattr(str(value))}")
    return " ".join(parts)


def _element(tag: str, text: str | None = None, **attributes: Any) -> str:
    attrs = _attrs(**attributes)
    opening = f"<{tag} {attrs}" if attrs else f"<{tag}"
    if text is None:
        return opening + "/>"
    return f"{opening}>{escape(text)}</{tag}>"


@dataclass(frozen=True)
class Marker:
    shape: str  # circle, square, diamond, triangle-up, triangle-down
    colour: str
    filled: bool = True
    size: float = 4.0


def _marker(marker: Marker, x: float, y: float, css_class: str, tooltip: str = "") -> str:
    """One data point. Its `<title>` is a tooltip on hover; the chart's text alternative and
    table carry the same information for everyone else."""
    s = marker.size
    paint = {
        "fill": marker.colour if marker.filled else "#ffffff",
        "stroke": marker.colour,
        "stroke_width": 1.5 if marker.filled else 2,
        "class_": css_class,
    }
    if marker.shape == "circle":
        tag, geometry = "circle", {"cx": x, "cy": y, "r": s}
    elif marker.shape == "square":
        tag, geometry = "rect", {"x": x - s, "y": y - s, "width": 2 * s, "height": 2 * s}
    else:
        points = {
            "diamond": [(0, -1.3), (1.3, 0), (0, 1.3), (-1.3, 0)],
            "triangle-up": [(0, -1.4), (1.3, 1), (-1.3, 1)],
            "triangle-down": [(0, 1.4), (1.3, -1), (-1.3, -1)],
        }[marker.shape]
        tag = "polygon"
        geometry = {"points": " ".join(f"{_n(x + dx * s)},{_n(y + dy * s)}" for dx, dy in points)}
    inner = f"<title>{escape(tooltip)}</title>" if tooltip else ""
    attrs = _attrs(**geometry, **paint)
    return f"<{tag} {attrs}>{inner}</{tag}>" if inner else f"<{tag} {attrs}/>"


@dataclass(frozen=True)
class _LegendItem:
    label: str
    marker: Marker | None = None
    stroke: str | None = None
    dash: str = ""


def _legend(items: Sequence[_LegendItem], top: float) -> tuple[list[str], float]:
    """Legend rows below the plot; returns the parts and the height used."""
    parts: list[str] = []
    x, y = float(PLOT_LEFT), top + 10
    for item in items:
        width = 28 + len(item.label) * CHAR_WIDTH + 16
        if x + width > WIDTH - 8 and x > PLOT_LEFT:
            x, y = float(PLOT_LEFT), y + 20
        if item.marker is not None:
            parts.append(_marker(item.marker, x + 10, y, "legend-key"))
        else:
            parts.append(
                _element(
                    "line",
                    x1=x,
                    y1=y,
                    x2=x + 22,
                    y2=y,
                    stroke=item.stroke,
                    stroke_width=2,
                    stroke_dasharray=item.dash,
                    class_="legend-key",
                )
            )
        parts.append(_element("text", item.label, x=x + 28, y=y + 4, fill=COLOURS["text"]))
        x += width
    return parts, (y + 14) - top


def _svg(chart_id: str, title: str, summary: str, height: float, body: list[str]) -> str:
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" version="1.1" '
        f"{_attrs(viewBox=f'0 0 {WIDTH} {_n(height)}', width='100%', role='img')} "
        f"{_attrs(aria_labelledby=f'{chart_id}-title {chart_id}-desc')} "
        f"{_attrs(class_='app-chart', font_family=FONT_FAMILY, font_size=FONT_SIZE)}>"
    )
    return "".join(
        [
            head,
            _element("title", title, id=f"{chart_id}-title"),
            _element("desc", summary, id=f"{chart_id}-desc"),
            _element("rect", x=0, y=0, width=WIDTH, height=height, fill="#ffffff"),
            *body,
            "</svg>",
        ]
    )


def _chart_id(chart_id: str | None, *parts: object) -> str:
    if chart_id:
        return chart_id
    digest = hashlib.sha1(repr(parts).encode("utf-8"), usedforsecurity=False).hexdigest()
    return f"chart-{digest[:10]}"


@dataclass(frozen=True)
class _YScale:
    start: float
    end: float
    step: float

    def __call__(self, value: float) -> float:
        return PLOT_BOTTOM - (value - self.start) / (self.end - self.start) * PLOT_HEIGHT


def _y_scale(values: Sequence[float | None]) -> _YScale:
    present = [v for v in values if v is not None]
    if not present:
        present = [0.0, 1.0]
    return _YScale(*nice_scale(min(present), max(present)))


def _y_axis(scale: _YScale, unit: str) -> list[str]:
    parts = []
    places = _places(scale.step)
    count = round((scale.end - scale.start) / scale.step)
    for k in range(count + 1):
        value = scale.start + k * scale.step
        y = scale(value)
        parts.append(
            _element("line", x1=PLOT_LEFT, y1=y, x2=PLOT_RIGHT, y2=y, stroke=GRID, class_="grid")
        )
        parts.append(
            _element(
                "text",
                format_value(value, unit, places),
                x=PLOT_LEFT - 8,
                y=y + 4,
                text_anchor="end",
                fill=COLOURS["text"],
                class_="tick",
            )
        )
    parts.append(
        _element(
            "line",
            x1=PLOT_LEFT,
            y1=PLOT_BOTTOM,
            x2=PLOT_RIGHT,
            y2=PLOT_BOTTOM,
            stroke=COLOURS["line"],
            class_="axis",
        )
    )
    return parts


def _x_position(index: int, count: int) -> float:
    """Evenly spaced categories, each point in the middle of its slot."""
    return PLOT_LEFT + (index + 0.5) * PLOT_WIDTH / max(count, 1)


def _x_labels(labels: Sequence[str]) -> list[str]:
    """Every k-th label, so that none overlaps; the table has them all. The last is always
    shown, since it is the one a reader looks for."""
    count = len(labels)
    if not count:
        return []
    widest = max(len(str(label)) for label in labels) * CHAR_WIDTH + 12
    slot = PLOT_WIDTH / count
    every = max(1, math.ceil(widest / slot))
    shown = set(range(count - 1, -1, -every))
    parts = []
    for index in sorted(shown):
        parts.append(
            _element(
                "text",
                str(labels[index]),
                x=_x_position(index, count),
                y=PLOT_BOTTOM + 18,
                text_anchor="middle",
                fill=COLOURS["text"],
                class_="tick",
            )
        )
    return parts


def _path(points: Sequence[tuple[float, float] | None], **attributes: Any) -> str:
    """A line through the points, broken where a point is None (a gap in the data)."""
    commands = []
    pen_down = False
    for point in points:
        if point is None:
            pen_down = False
            continue
        commands.append(f"{'L' if pen_down else 'M'}{_n(point[0])} {_n(point[1])}")
        pen_down = True
    if not commands:
        return ""
    return _element("path", d=" ".join(commands), fill="none", **attributes)


def _hline(y: float, x1: float, x2: float, colour: str, css_class: str, dash: str = "") -> str:
    return _element(
        "line",
        x1=x1,
        y1=y,
        x2=x2,
        y2=y,
        stroke=colour,
        stroke_width=2 if not dash else 1.5,
        stroke_dasharray=dash,
        class_=css_class,
    )


def _sentence(text: str) -> str:
    text = text.strip()
    if not text:
        return ""
    text = text[0].upper() + text[1:]
    return text if text.endswith(".") else text + "."


# ---------------------------------------------------------------------------------------------
# Line chart
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Series:
    name: str
    values: Sequence[float | None]


def line_chart(
    *,
    title: str,
    labels: Sequence[str],
    series: Sequence[Series],
    unit: str = "",
    label_heading: str = "Period",
    chart_id: str | None = None,
) -> Chart:
    """One or more series over the same periods, told apart by marker shape, dash and colour."""
    if not series:
        raise ValueError(f"Chart {title!r} has no series to draw.")
    for one in series:
        if len(one.values) != len(labels):
            raise ValueError(
                f"Chart {title!r}: series {one.name!r} has {len(one.values)} values "
                f"for {len(labels)} labels."
            )
    count = len(labels)
    scale = _y_scale([v for one in series for v in one.values])
    body = _y_axis(scale, unit) + _x_labels(labels)
    legend_items = []
    for k, one in enumerate(series):
        colour = SERIES_COLOURS[k % len(SERIES_COLOURS)]
        marker = Marker(SERIES_SHAPES[k % len(SERIES_SHAPES)], colour)
        dash = SERIES_DASHES[k % len(SERIES_DASHES)]
        positions = [
            None if v is None else (_x_position(i, count), scale(v))
            for i, v in enumerate(one.values)
        ]
        body.append(
            _path(
                positions,
                stroke=colour,
                stroke_width=2,
                stroke_dasharray=dash,
                class_=f"series series-{k}",
            )
        )
        for i, v in enumerate(one.values):
            if v is not None:
                body.append(
                    _marker(
                        marker,
                        _x_position(i, count),
                        scale(v),
                        f"point series-{k}",
                        f"{one.name}, {labels[i]}: {format_value(v, unit)}",
                    )
                )
        legend_items.append(_LegendItem(one.name, marker=marker))
    legend, legend_height = _legend(legend_items, PLOT_BOTTOM + 28)
    height = PLOT_BOTTOM + 28 + legend_height + 4

    phrases = []
    for one in series:
        present = [(labels[i], v) for i, v in enumerate(one.values) if v is not None]
        if not present:
            phrases.append(f"{one.name} no data")
        elif len(present) == 1:
            phrases.append(f"{one.name} {format_value(present[0][1], unit)} in {present[0][0]}")
        else:
            (first_label, first), (last_label, last) = present[0], present[-1]
            phrases.append(
                f"{one.name} {format_value(first, unit)} in {first_label} "
                f"and {format_value(last, unit)} in {last_label}"
            )
    span = f"{labels[0]} to {labels[-1]}" if count > 1 else (labels[0] if count else "no data")
    summary = _sentence(f"{title}, {span}: " + "; ".join(phrases))

    columns = (Column("label", label_heading),) + tuple(
        Column(f"series_{k}", one.name, numeric=True) for k, one in enumerate(series)
    )
    table = tuple(
        {"label": str(label)}
        | {f"series_{k}": format_value(one.values[i], unit) for k, one in enumerate(series)}
        for i, label in enumerate(labels)
    )
    chart_id = _chart_id(chart_id, "line", title, summary)
    return Chart(
        title,
        _svg(chart_id, title, summary, height, body + legend),
        summary,
        columns,
        table,
        chart_id,
    )


# ---------------------------------------------------------------------------------------------
# Bar chart
# ---------------------------------------------------------------------------------------------


def bar_chart(
    *,
    title: str,
    labels: Sequence[str],
    values: Sequence[float],
    unit: str = "",
    highlight: str | None = None,
    label_heading: str = "Category",
    value_heading: str = "Value",
    chart_id: str | None = None,
) -> Chart:
    """Horizontal bars, largest first as given; `highlight` (a label) is drawn hatched-dark and
    named in the summary, so "our area among the rest" needs no colour to find."""
    if len(labels) != len(values):
        raise ValueError(f"Chart {title!r} has {len(values)} values for {len(labels)} labels.")
    label_width = min(220, max((len(str(x)) for x in labels), default=0) * CHAR_WIDTH + 16)
    left = max(PLOT_LEFT, label_width)
    right = PLOT_RIGHT - 48  # room for the value after the bar
    row = 24
    top = PLOT_TOP + 4
    low = min(0.0, *values) if values else 0.0
    high = max(0.0, *values) if values else 1.0
    start, end, _ = nice_scale(low, high)

    def x(value: float) -> float:
        return left + (value - start) / (end - start) * (right - left)

    body: list[str] = []
    for k, (label, value) in enumerate(zip(labels, values, strict=True)):
        y = top + k * row
        is_highlight = highlight is not None and str(label) == highlight
        colour = COLOURS["highlight"] if is_highlight else COLOURS["improvement"]
        x0, x1 = sorted((x(0.0), x(value)))
        body.append(
            _element(
                "rect",
                x=x0,
                y=y + 3,
                width=max(x1 - x0, 0.5),
                height=row - 6,
                fill=colour,
                class_="bar bar-highlight" if is_highlight else "bar",
            )
        )
        body.append(
            _element(
                "text",
                str(label),
                x=left - 8,
                y=y + row / 2 + 4,
                text_anchor="end",
                fill=COLOURS["text"],
                font_weight="bold" if is_highlight else None,
            )
        )
        body.append(
            _element(
                "text",
                format_value(value, unit),
                x=x1 + 6,
                y=y + row / 2 + 4,
                fill=COLOURS["text"],
                font_weight="bold" if is_highlight else None,
            )
        )
    height = top + len(labels) * row + 12
    if values:
        order = sorted(range(len(values)), key=lambda k: values[k], reverse=True)
        top_k, bottom_k = order[0], order[-1]
        summary = (
            f"{title}: highest {labels[top_k]} {format_value(values[top_k], unit)}, "
            f"lowest {labels[bottom_k]} {format_value(values[bottom_k], unit)}"
        )
        if highlight is not None and highlight in [str(x) for x in labels]:
            k = [str(x) for x in labels].index(highlight)
            summary += (
                f"; {highlight} {format_value(values[k], unit)}, "
                f"{order.index(k) + 1} of {len(values)}"
            )
    else:
        summary = f"{title}: no data"
    summary = _sentence(summary)
    columns = (Column("label", label_heading), Column("value", value_heading, numeric=True))
    table = tuple(
        {"label": str(label), "value": format_value(value, unit)}
        for label, value in zip(labels, values, strict=True)
    )
    chart_id = _chart_id(chart_id, "bar", title, summary)
    return Chart(
        title, _svg(chart_id, title, summary, height, body), summary, columns, table, chart_id
    )


# ---------------------------------------------------------------------------------------------
# XmR chart (Making Data Count)
# ---------------------------------------------------------------------------------------------


class XmRPeriodLike(Protocol):
    start: int
    end: int
    mean: float | None
    enough_data: bool

    @property
    def upper_limit(self) -> float | None: ...

    @property
    def lower_limit(self) -> float | None: ...


class XmRPointLike(Protocol):
    index: int
    value: float | None
    moving_range: float | None
    period: Any
    point_type: Any  # a StrEnum: common_cause, improvement, concern, neutral, or None

    def describe(self) -> str: ...


class XmRResultLike(Protocol):
    """What `inclusion.measures.spc.xmr()` returns, as far as a chart needs it."""

    target: float | None
    points: Sequence[Any]
    periods: Sequence[Any]
    assurance_text: str

    @property
    def latest(self) -> Any: ...

    @property
    def mean(self) -> float | None: ...

    def describe_latest(self) -> str: ...


XMR_MARKERS = {
    "common_cause": Marker("circle", COLOURS["common"], size=3.5),
    "improvement": Marker("square", COLOURS["improvement"], size=4.5),
    "concern": Marker("triangle-up", COLOURS["concern"], size=5),
    "neutral": Marker("diamond", COLOURS["neutral"], filled=False, size=4.5),
    None: Marker("circle", COLOURS["common"], filled=False, size=3.5),
}
XMR_LEGEND = {
    "common_cause": "Common cause",
    "improvement": "Special cause: improvement",
    "concern": "Special cause: concern",
    "neutral": "Special cause",
    None: "Value (too few points for limits)",
}
LIMIT_DASH = "6 4"
TARGET_DASH = "10 3 2 3"


def xmr_chart(
    result: XmRResultLike,
    *,
    labels: Sequence[str],
    title: str,
    unit: str = "",
    label_heading: str = "Period",
    value_heading: str = "Value",
    chart_id: str | None = None,
) -> Chart:
    """An XmR chart in the Making Data Count style: the values, the mean, the process limits
    (dashed), the target (dash-dot), each period of a recalculated chart with its own lines,
    and special-cause points marked by shape as well as colour."""
    points = list(result.points)
    if len(labels) != len(points):
        raise ValueError(f"Chart {title!r} has {len(points)} points for {len(labels)} labels.")
    count = len(points)
    extents: list[float | None] = [p.value for p in points]
    for period in result.periods:
        extents += [period.mean, period.upper_limit, period.lower_limit]
    extents.append(result.target)
    scale = _y_scale(extents)
    body = _y_axis(scale, unit) + _x_labels(labels)
    slot = PLOT_WIDTH / max(count, 1)

    for k, period in enumerate(result.periods):
        x1, x2 = PLOT_LEFT + period.start * slot, PLOT_LEFT + period.end * slot
        if k > 0:
            body.append(
                _element(
                    "line",
                    x1=x1,
                    y1=PLOT_TOP,
                    x2=x1,
                    y2=PLOT_BOTTOM,
                    stroke=COLOURS["line"],
                    stroke_dasharray="2 3",
                    class_="xmr-break",
                )
            )
        if period.enough_data:
            for value, css in (
                (period.upper_limit, "xmr-upper-limit"),
                (period.lower_limit, "xmr-lower-limit"),
            ):
                body.append(_hline(scale(value), x1, x2, COLOURS["line"], css, LIMIT_DASH))
        if period.mean is not None:
            body.append(_hline(scale(period.mean), x1, x2, COLOURS["text"], "xmr-mean"))
    if result.target is not None:
        body.append(
            _hline(
                scale(result.target),
                PLOT_LEFT,
                PLOT_RIGHT,
                COLOURS["target"],
                "xmr-target",
                TARGET_DASH,
            )
        )

    positions = [
        None if p.value is None else (_x_position(i, count), scale(p.value))
        for i, p in enumerate(points)
    ]
    # The line is broken at a gap and at a recalculation, like the mean it is read against.
    breaks = {period.start for period in list(result.periods)[1:]}
    segments: list[tuple[float, float] | None] = []
    for i, position in enumerate(positions):
        if i in breaks:
            segments.append(None)
        segments.append(position)
    body.append(_path(segments, stroke=COLOURS["line"], stroke_width=1.5, class_="xmr-line"))

    kinds_present: list[Any] = []
    for i, p in enumerate(points):
        if p.value is None:
            continue
        kind = _kind(p.point_type)
        if kind not in kinds_present:
            kinds_present.append(kind)
        body.append(
            _marker(
                XMR_MARKERS[kind],
                _x_position(i, count),
                scale(p.value),
                f"point point-{(kind or 'unrated').replace('_', '-')}",
                f"{labels[i]}: {format_value(p.value, unit)}. {p.describe()}",
            )
        )

    order = ["common_cause", "improvement", "concern", "neutral", None]
    legend_items = [
        _LegendItem(XMR_LEGEND[kind], marker=XMR_MARKERS[kind])
        for kind in order
        if kind in kinds_present
    ]
    legend_items.append(_LegendItem("Mean", stroke=COLOURS["text"]))
    if any(period.enough_data for period in result.periods):
        legend_items.append(_LegendItem("Process limits", stroke=COLOURS["line"], dash=LIMIT_DASH))
    if result.target is not None:
        legend_items.append(_LegendItem("Target", stroke=COLOURS["target"], dash=TARGET_DASH))
    if len(result.periods) > 1:
        legend_items.append(_LegendItem("Recalculated", stroke=COLOURS["line"], dash="2 3"))
    legend, legend_height = _legend(legend_items, PLOT_BOTTOM + 28)
    height = PLOT_BOTTOM + 28 + legend_height + 4

    summary = _xmr_summary(result, labels, title, unit)
    columns = (
        Column("label", label_heading),
        Column("value", value_heading, numeric=True),
        Column("moving_range", "Moving range", numeric=True),
        Column("mean", "Mean", numeric=True),
        Column("lower_limit", "Lower process limit", numeric=True),
        Column("upper_limit", "Upper process limit", numeric=True),
        Column("variation", "Variation"),
    )
    table = tuple(
        {
            "label": str(labels[i]),
            "value": format_value(p.value, unit),
            "moving_range": format_value(p.moving_range, unit),
            "mean": format_value(p.period.mean, unit),
            "lower_limit": format_value(p.period.lower_limit, unit),
            "upper_limit": format_value(p.period.upper_limit, unit),
            "variation": p.describe(),
        }
        for i, p in enumerate(points)
    )
    chart_id = _chart_id(chart_id, "xmr", title, summary)
    return Chart(
        title,
        _svg(chart_id, title, summary, height, body + legend),
        summary,
        columns,
        table,
        chart_id,
    )


def _kind(point_type: Any) -> str | None:
    return None if point_type is None else str(getattr(point_type, "value", point_type))


def _xmr_summary(result: XmRResultLike, labels: Sequence[str], title: str, unit: str) -> str:
    """ "20-week timeliness, 2019 to 2024: latest 45.9%, below the mean of 50.7%; special cause
    concern: a run of 7 points below the mean. The target of 60% will be ...\""""
    latest = result.latest
    if latest is None:
        return _sentence(f"{title}: no data")
    span = f"{labels[0]} to {labels[-1]}" if len(labels) > 1 else str(labels[0])
    text = f"{title}, {span}: latest {format_value(latest.value, unit)}"
    if latest.index != len(labels) - 1:
        text += f" ({labels[latest.index]})"
    mean = result.mean
    if mean is not None:
        if round(latest.value, 6) == round(mean, 6):
            text += f", at the mean of {format_value(mean, unit)}"
        else:
            side = "above" if latest.value > mean else "below"
            text += f", {side} the mean of {format_value(mean, unit)}"
    text += f"; {result.describe_latest()}"
    sentences = [_sentence(text)]
    if result.assurance_text:
        sentences.append(_sentence(result.assurance_text))
    return " ".join(sentences)


# ---------------------------------------------------------------------------------------------
# Funnel plot
# ---------------------------------------------------------------------------------------------


class FunnelResultLike(Protocol):
    """What `inclusion.measures.funnel.funnel_points()` returns, as far as a chart needs it."""

    target: float
    target_is_pooled: bool
    levels: Sequence[float]
    points: Sequence[Any]  # code, name, numerator, denominator, proportion, position, direction
    curve: Sequence[Any]  # denominator, limits (level, lower, upper)


FUNNEL_MARKERS = {
    "within": Marker("circle", COLOURS["common"], size=3.5),
    "between-above": Marker("triangle-up", COLOURS["outlier"], filled=False, size=4.5),
    "between-below": Marker("triangle-down", COLOURS["outlier"], filled=False, size=4.5),
    "outside-above": Marker("triangle-up", COLOURS["neutral"], size=5),
    "outside-below": Marker("triangle-down", COLOURS["neutral"], size=5),
}
HIGHLIGHT_MARKER = Marker("diamond", COLOURS["highlight"], size=6)
LEVEL_DASHES = ("6 4", "2 3", "1 2")


def funnel_chart(
    result: FunnelResultLike,
    *,
    title: str,
    highlight: str | None = None,
    unit_heading: str = "Area",
    units_name: str = "areas",
    denominator_heading: str = "Number of cases",
    chart_id: str | None = None,
) -> Chart:
    """A funnel plot of proportions (shown as percentages) against the denominator, with the
    target and a pair of limit curves per level; units outside the limits are triangles
    pointing the way they lie (hollow between the limits, filled beyond the widest), and
    `highlight` (a unit's code) is a large diamond with its name beside it."""
    levels = sorted(result.levels)
    plotted = [p for p in result.points if p.proportion is not None]
    curve = list(result.curve)
    max_n = max([p.denominator for p in plotted] + [c.denominator for c in curve] + [1])
    x_start, x_end, x_step = nice_scale(0, max_n)
    x_start = 0.0

    def x(n: float) -> float:
        return PLOT_LEFT + (n - x_start) / (x_end - x_start) * PLOT_WIDTH

    # The axis covers the units and the target; the curves are drawn from where they enter it
    # (at small denominators they would stretch it to 0 and 100% and flatten everything else).
    extents = [p.proportion * 100 for p in plotted] + [result.target * 100]
    if plotted:
        smallest = min(p.denominator for p in plotted)
        for c in curve:
            if c.denominator >= smallest:
                for limits in c.limits:
                    extents += [limits.lower * 100, limits.upper * 100]
    start, end, step = nice_scale(min(extents), max(extents))
    scale = _YScale(max(0.0, start), min(100.0, end), step)
    body = _y_axis(scale, "%")

    ticks = round((x_end - x_start) / x_step)
    for k in range(ticks + 1):
        n = x_start + k * x_step
        body.append(
            _element(
                "text",
                format_value(n, "", _places(x_step)),
                x=x(n),
                y=PLOT_BOTTOM + 18,
                text_anchor="middle",
                fill=COLOURS["text"],
                class_="tick",
            )
        )
    body.append(
        _element(
            "text",
            denominator_heading,
            x=(PLOT_LEFT + PLOT_RIGHT) / 2,
            y=PLOT_BOTTOM + 36,
            text_anchor="middle",
            fill=COLOURS["text"],
        )
    )

    def clip(value: float) -> float | None:
        return value if scale.start <= value <= scale.end else None

    for k, level in enumerate(levels):
        dash = LEVEL_DASHES[k % len(LEVEL_DASHES)]
        for side in ("lower", "upper"):
            line = []
            for c in curve:
                limits = next(lim for lim in c.limits if math.isclose(lim.level, level))
                value = clip(getattr(limits, side) * 100)
                line.append(None if value is None else (x(c.denominator), scale(value)))
            body.append(
                _path(
                    line,
                    stroke=COLOURS["line"],
                    stroke_width=1.5,
                    stroke_dasharray=dash,
                    class_=f"funnel-limit funnel-{side} level-{_level_class(level)}",
                )
            )
    body.append(
        _hline(scale(result.target * 100), PLOT_LEFT, PLOT_RIGHT, COLOURS["text"], "funnel-target")
    )

    kinds_present: set[str] = set()
    highlighted = None
    for p in plotted:
        kind = _funnel_kind(p)
        px, py = x(p.denominator), scale(p.proportion * 100)
        tooltip = (
            f"{p.name}: {format_percent(p.proportion)} ({p.numerator:,} of {p.denominator:,}). "
            f"{p.describe()}"
        )
        if highlight is not None and p.code == highlight:
            highlighted = (p, px, py, tooltip)
            continue
        kinds_present.add(kind)
        body.append(_marker(FUNNEL_MARKERS[kind], px, py, f"point point-{kind}", tooltip))
    if highlighted is not None:
        # Drawn last so no other unit hides it.
        p, px, py, tooltip = highlighted
        body.append(_marker(HIGHLIGHT_MARKER, px, py, "point point-highlight", tooltip))
        anchor = "end" if px > PLOT_LEFT + PLOT_WIDTH * 0.7 else "start"
        body.append(
            _element(
                "text",
                p.name,
                x=px - 10 if anchor == "end" else px + 10,
                y=py - 8,
                text_anchor=anchor,
                font_weight="bold",
                fill=COLOURS["text"],
            )
        )

    legend_items = [_LegendItem("Target", stroke=COLOURS["text"])]
    for k, level in enumerate(levels):
        legend_items.append(
            _LegendItem(
                f"{_level_text(level)} limits",
                stroke=COLOURS["line"],
                dash=LEVEL_DASHES[k % len(LEVEL_DASHES)],
            )
        )
    widest = _level_text(levels[-1]) if levels else ""
    narrowest = _level_text(levels[0]) if levels else ""
    names = {
        "within": f"Within {narrowest}",
        "between-above": f"Above {narrowest}",
        "between-below": f"Below {narrowest}",
        "outside-above": f"Above {widest}",
        "outside-below": f"Below {widest}",
    }
    for kind in ("within", "between-above", "between-below", "outside-above", "outside-below"):
        if kind in kinds_present:
            legend_items.append(_LegendItem(names[kind], marker=FUNNEL_MARKERS[kind]))
    if highlighted is not None:
        legend_items.append(_LegendItem(highlighted[0].name, marker=HIGHLIGHT_MARKER))
    legend, legend_height = _legend(legend_items, PLOT_BOTTOM + 44)
    height = PLOT_BOTTOM + 44 + legend_height + 4

    summary = _funnel_summary(result, title, highlight, levels, units_name)
    columns = (
        Column("name", unit_heading),
        Column("code", "Code"),
        Column("numerator", "Number", numeric=True),
        Column("denominator", denominator_heading, numeric=True),
        Column("proportion", "Percentage", numeric=True),
        *(
            Column(f"limits_{_level_class(level)}", f"{_level_text(level)} limits")
            for level in levels
        ),
        Column("position", "Compared with the target"),
    )
    table = tuple(_funnel_row(p, levels) for p in result.points)
    chart_id = _chart_id(chart_id, "funnel", title, summary)
    return Chart(
        title,
        _svg(chart_id, title, summary, height, body + legend),
        summary,
        columns,
        table,
        chart_id,
    )


def _level_text(level: float) -> str:
    return f"{level * 100:.10g}%"


def _level_class(level: float) -> str:
    return f"{level * 100:.10g}".replace(".", "-")


def _funnel_kind(point: Any) -> str:
    position = str(getattr(point.position, "value", point.position))
    if position == "within":
        return "within"
    return f"{position}-{point.direction}"


def _funnel_row(point: Any, levels: Sequence[float]) -> dict[str, str]:
    row = {
        "name": str(point.name),
        "code": str(point.code),
        "numerator": f"{point.numerator:,}",
        "denominator": f"{point.denominator:,}",
        "proportion": format_percent(point.proportion),
        "position": point.describe(),
    }
    for level in levels:
        text = ""
        if point.limits is not None:
            limits = next(lim for lim in point.limits.limits if math.isclose(lim.level, level))
            text = f"{format_percent(limits.lower)} to {format_percent(limits.upper)}"
        row[f"limits_{_level_class(level)}"] = text
    return row


def _funnel_summary(
    result: FunnelResultLike,
    title: str,
    highlight: str | None,
    levels: Sequence[float],
    units_name: str,
) -> str:
    plotted = [p for p in result.points if p.proportion is not None]
    target = format_percent(result.target)
    target_words = f"{target}, the overall rate" if result.target_is_pooled else target
    parts = [f"{title}: {len(plotted)} {units_name} compared with a target of {target_words}"]
    if levels:
        widest, narrowest = _level_text(levels[-1]), _level_text(levels[0])
        for direction in ("above", "below"):
            outside = [p for p in plotted if _funnel_kind(p) == f"outside-{direction}"]
            between = [p for p in plotted if _funnel_kind(p) == f"between-{direction}"]
            if outside:
                named = _names(outside)
                parts.append(f"{len(outside)} {direction} the {widest} limit{named}")
            if between:
                parts.append(
                    f"{len(between)} {direction} the {narrowest} limit but within {widest}"
                )
        within = sum(1 for p in plotted if _funnel_kind(p) == "within")
        parts.append(f"{within} within the {narrowest} limits")
    missing = len(result.points) - len(plotted)
    if missing:
        parts.append(f"{missing} with no cases, not plotted")
    text = "; ".join(parts)
    chosen = next((p for p in result.points if highlight is not None and p.code == highlight), None)
    if chosen is not None and chosen.proportion is not None:
        text += (
            f". {chosen.name}: {format_percent(chosen.proportion)} "
            f"({chosen.numerator:,} of {chosen.denominator:,}), {_lower_first(chosen.describe())}"
        )
    return _sentence(text)


def _names(points: Sequence[Any], most: int = 5) -> str:
    if len(points) > most:
        return ""
    return " (" + ", ".join(str(p.name) for p in points) + ")"


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


__all__ = [
    "Chart",
    "Column",
    "Series",
    "bar_chart",
    "format_percent",
    "format_value",
    "funnel_chart",
    "line_chart",
    "nice_scale",
    "xmr_chart",
]
