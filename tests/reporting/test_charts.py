"""SVG charts: well-formed, labelled for assistive technology, drawn to scale, with a summary
and a table, and special causes told apart by shape as well as colour."""

import re
import xml.etree.ElementTree as ET

import pytest
from markupsafe import Markup

from inclusion.measures.funnel import funnel_points
from inclusion.measures.spc import xmr
from inclusion.reporting.charts import (
    COLOURS,
    PLOT_BOTTOM,
    PLOT_HEIGHT,
    Series,
    bar_chart,
    format_percent,
    format_value,
    funnel_chart,
    line_chart,
    nice_scale,
    xmr_chart,
)

SVG = "{http://www.w3.org/2000/svg}"
# The hand-worked baseline of tests/measures/test_spc.py: mean 10, limits 4.68 and 15.32.
BASELINE = [11.0, 9.0] * 8
MONTHS = [f"M{k}" for k in range(1, 40)]


def parse(chart):
    return ET.fromstring(chart.svg)


def by_class(root, name):
    return [el for el in root.iter() if name in (el.get("class") or "").split()]


def assert_accessible(chart):
    """role="img", named by its <title> and <desc> through aria-labelledby, the desc is the
    summary, it scales by viewBox, and nothing runs or is fetched."""
    root = parse(chart)
    assert root.tag == f"{SVG}svg"
    assert root.get("version") == "1.1"
    assert root.get("role") == "img"
    assert re.fullmatch(r"0 0 640 \d+(\.\d)?", root.get("viewBox"))
    title, desc = root.find(f"{SVG}title"), root.find(f"{SVG}desc")
    assert title.text == chart.title
    assert desc.text == chart.summary
    assert root.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
    assert list(root)[:2] == [title, desc]
    assert root.find(f".//{SVG}script") is None
    assert not re.search(
        r"\bon[a-z]+=|href|@import|url\(|https?://(?!www\.w3\.org/2000/svg)", chart.svg
    )
    return root


def held(*after, **options):
    return xmr([*BASELINE, *after], polarity="higher", baseline=16, **options)


# XmR ------------------------------------------------------------------------------------------


def test_an_xmr_chart_is_accessible_svg_with_one_marker_per_value():
    result = held(*[9.5] * 7, None, 9.4)
    chart = xmr_chart(result, labels=MONTHS[:25], title="Timeliness", unit="%")

    root = assert_accessible(chart)
    assert len(by_class(root, "point")) == 24  # 25 periods, one gap


def test_the_mean_and_limits_are_drawn_at_their_values_on_a_known_scale():
    """Values 9 to 11 and limits 4.68 to 15.32 give an axis from 2.5 to 17.5 in steps of 2.5
    (10.64 / 5 = 2.128, rounded up to 2.5). So y = 296 - (v - 2.5) / 15 x 280: the mean, 10,
    at 156; the upper limit, 15.32, at 56.7; the lower, 4.68, at 255.3."""
    assert nice_scale(4.68, 15.32) == (2.5, 17.5, 2.5)
    chart = xmr_chart(xmr(BASELINE, polarity="higher"), labels=MONTHS[:16], title="T")
    root = parse(chart)

    def y_of(css):
        (line,) = by_class(root, css)
        assert line.get("y1") == line.get("y2")
        return float(line.get("y1"))

    def expected(value):
        return PLOT_BOTTOM - (value - 2.5) / 15 * PLOT_HEIGHT

    assert y_of("xmr-mean") == pytest.approx(156, abs=0.05)
    assert y_of("xmr-upper-limit") == pytest.approx(expected(15.32), abs=0.05)
    assert y_of("xmr-lower-limit") == pytest.approx(expected(4.68), abs=0.05)
    assert by_class(root, "xmr-upper-limit")[0].get("stroke-dasharray")  # dashed, not colour
    ticks = [t.text for t in by_class(root, "tick")]
    assert ticks[:7] == ["2.5", "5", "7.5", "10", "12.5", "15", "17.5"]


def test_the_summary_says_latest_mean_and_the_special_cause_in_words():
    result = held(*[9.5] * 6, 9.4, target=12, unit="%")
    chart = xmr_chart(result, labels=MONTHS[:23], title="20-week timeliness", unit="%")

    assert chart.summary == (
        "20-week timeliness, M1 to M23: latest 9.4%, below the mean of 10%; special cause "
        "concern: a run of 8 points below the mean. The target of 12% lies within the process "
        "limits, so it will be hit and missed at random."
    )


def test_special_causes_differ_by_shape_and_the_legend_names_them():
    result = held(16.0, 10.5, 4.0)  # one improvement (above), one concern (below)
    root = parse(xmr_chart(result, labels=MONTHS[:19], title="T"))

    common = by_class(root, "point-common-cause")
    improvement = by_class(root, "point-improvement")
    concern = by_class(root, "point-concern")
    assert (len(common), len(improvement), len(concern)) == (17, 1, 1)
    assert {el.tag for el in common} == {f"{SVG}circle"}
    assert improvement[0].tag == f"{SVG}rect"
    assert concern[0].tag == f"{SVG}polygon"
    legend = [t.text for t in root.iter(f"{SVG}text")]
    for words in ("Common cause", "Special cause: improvement", "Special cause: concern"):
        assert words in legend
    assert concern[0].find(f"{SVG}title").text == (
        "M19: 4. Concern (low): below the lower process limit"
    )


def test_the_table_holds_every_period_with_its_limits_and_variation():
    chart = xmr_chart(held(16.0), labels=MONTHS[:17], title="T", unit="%")

    assert [c.heading for c in chart.columns] == [
        "Period",
        "Value",
        "Moving range",
        "Mean",
        "Lower process limit",
        "Upper process limit",
        "Variation",
    ]
    assert len(chart.table) == 17
    assert chart.table[-1] == {
        "label": "M17",
        "value": "16%",
        "moving_range": "7%",
        "mean": "10%",
        "lower_limit": "4.7%",
        "upper_limit": "15.3%",
        "variation": "Improvement (high): above the upper process limit",
    }


def test_too_few_points_draw_the_values_and_mean_but_no_limits():
    chart = xmr_chart(xmr([5.0, 6.0, 7.0], polarity="lower"), labels=MONTHS[:3], title="T")
    root = assert_accessible(chart)

    assert by_class(root, "xmr-upper-limit") == []
    assert len(by_class(root, "xmr-mean")) == 1
    assert chart.summary == (
        "T, M1 to M3: latest 7, above the mean of 6; not enough data for process limits "
        "(3 of the 15 points needed)."
    )
    assert chart.table[0]["variation"] == "Too few points for limits"


def test_a_recalculated_chart_draws_each_periods_lines_and_marks_the_break():
    values = BASELINE + [v + 10 for v in BASELINE]
    root = parse(
        xmr_chart(xmr(values, polarity="higher", breaks=[16]), labels=MONTHS[:32], title="T")
    )

    assert len(by_class(root, "xmr-mean")) == 2
    assert len(by_class(root, "xmr-break")) == 1
    # The data line is broken at the recalculation, as the mean is.
    (line,) = by_class(root, "xmr-line")
    assert line.get("d").count("M") == 2


def test_text_is_escaped_so_the_svg_stays_well_formed():
    title = 'Plans <issued> & "finalised"'
    chart = xmr_chart(
        xmr(BASELINE, polarity="higher"), labels=MONTHS[:15] + ["Q1 & Q2"], title=title
    )

    root = assert_accessible(chart)
    assert root.find(f"{SVG}title").text == title
    assert "Q1 & Q2" in [t.text for t in root.iter(f"{SVG}text")]
    assert isinstance(chart.html, Markup) and str(chart.html) == chart.svg


def test_labels_must_match_the_points():
    with pytest.raises(ValueError, match="16 points for 3 labels"):
        xmr_chart(xmr(BASELINE, polarity="higher"), labels=MONTHS[:3], title="T")


# Funnel ---------------------------------------------------------------------------------------


UNITS = [
    ("E1", "Within", 50, 100),
    ("E2", "Between above", 61, 100),
    ("E3", "Outside above", 70, 100),
    ("E4", "Outside below", 30, 100),
    ("E5", "Lincolnshire", 480, 1000),
    ("E6", "No cases", 0, 0),
]


def test_a_funnel_chart_plots_each_unit_with_cases_and_tables_them_all():
    chart = funnel_chart(
        funnel_points(UNITS, target=0.5),
        title="Plans issued within 20 weeks, 2024",
        highlight="E5",
        units_name="local authorities",
    )

    root = assert_accessible(chart)
    assert len(by_class(root, "point")) == 5
    assert by_class(root, "point-highlight")[0].tag == f"{SVG}polygon"
    assert by_class(root, "point-outside-above")[0].tag == f"{SVG}polygon"
    assert by_class(root, "point-within")[0].tag == f"{SVG}circle"
    # Two curves per level, and the target.
    assert len(by_class(root, "funnel-limit")) == 4
    assert len(by_class(root, "funnel-target")) == 1
    assert "Lincolnshire" in [t.text for t in root.iter(f"{SVG}text")]
    assert chart.summary == (
        "Plans issued within 20 weeks, 2024: 5 local authorities compared with a target of 50%; "
        "1 above the 99.8% limit (Outside above); 1 above the 95% limit but within 99.8%; "
        "1 below the 99.8% limit (Outside below); 2 within the 95% limits; "
        "1 with no cases, not plotted. Lincolnshire: 48% (480 of 1,000), within the 95% limits."
    )
    assert len(chart.table) == 6
    assert chart.table[1] == {
        "name": "Between above",
        "code": "E2",
        "numerator": "61",
        "denominator": "100",
        "proportion": "61%",
        "limits_95": "39.7% to 59.3%",
        "limits_99-8": "34.1% to 64.9%",
        "position": "Above the 95% limit (within 99.8%)",
    }
    assert chart.table[5]["position"] == "No cases"


def test_a_funnel_with_a_pooled_target_says_so():
    chart = funnel_chart(funnel_points([("A", "A", 10, 100), ("B", "B", 30, 100)]), title="Rate")

    assert "a target of 20%, the overall rate" in chart.summary


# Line and bar ---------------------------------------------------------------------------------


def test_a_line_chart_breaks_its_line_at_a_gap_and_summarises_each_series():
    chart = line_chart(
        title="EHC plans issued within 20 weeks",
        labels=["2019", "2020", "2021", "2022", "2023", "2024"],
        series=[
            Series("England", [58.7, 58.0, 59.9, 49.1, 50.3, 46.4]),
            Series("Our area", [61.0, None, 55.5, 52.0, 47.5, 45.9]),
        ],
        unit="%",
    )

    root = assert_accessible(chart)
    assert len(by_class(root, "point")) == 11
    ours = by_class(root, "series-1")
    path = next(el for el in ours if el.tag == f"{SVG}path")
    assert path.get("d").count("M") == 2
    # Series differ by marker shape and dash as well as colour.
    assert {el.tag for el in ours if "point" in el.get("class")} == {f"{SVG}rect"}
    assert path.get("stroke-dasharray")
    assert chart.summary == (
        "EHC plans issued within 20 weeks, 2019 to 2024: England 58.7% in 2019 and 46.4% in "
        "2024; Our area 61% in 2019 and 45.9% in 2024."
    )
    assert chart.table[1] == {"label": "2020", "series_0": "58%", "series_1": ""}


def test_a_line_chart_refuses_series_of_the_wrong_length():
    with pytest.raises(ValueError, match="series 'A' has 1 values for 2 labels"):
        line_chart(title="T", labels=["a", "b"], series=[Series("A", [1.0])])


def test_a_bar_chart_names_the_highest_lowest_and_highlighted_bars():
    chart = bar_chart(
        title="Primary need of children with an EHC plan",
        labels=["ASD", "SLCN", "SEMH", "MLD"],
        values=[31.2, 22.1, 18.4, 9.9],
        unit="%",
        highlight="SEMH",
    )

    root = assert_accessible(chart)
    assert len(by_class(root, "bar")) == 4
    assert len(by_class(root, "bar-highlight")) == 1
    assert chart.summary == (
        "Primary need of children with an EHC plan: highest ASD 31.2%, lowest MLD 9.9%; "
        "SEMH 18.4%, 3 of 4."
    )


# Numbers and colours --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "unit", "places", "text"),
    [
        (45.94, "%", 1, "45.9%"),
        (60.0, "%", 1, "60%"),
        (1234.0, "", 1, "1,234"),
        (12.25, "days", 1, "12.2 days"),  # round half to even, as Python does
        (-0.01, "", 1, "0"),
        (3.0, "£", 0, "£3"),
        (None, "%", 1, ""),
    ],
)
def test_values_are_formatted_as_people_write_them(value, unit, places, text):
    assert format_value(value, unit, places) == text


def test_proportions_are_shown_as_percentages():
    assert format_percent(0.4642) == "46.4%"


@pytest.mark.parametrize(
    ("low", "high", "scale"),
    [(0, 100, (0, 100, 20)), (43.2, 61.7, (40, 65, 5)), (5, 5, (4.4, 5.6, 0.2))],
)
def test_axes_run_between_round_numbers(low, high, scale):
    """Steps of 1, 2, 2.5 or 5 times a power of ten; a flat series gets 10% either side."""
    assert nice_scale(low, high) == pytest.approx(scale)


def _luminance(hex_colour):
    channels = [int(hex_colour[k : k + 2], 16) / 255 for k in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


@pytest.mark.parametrize("name", sorted(COLOURS))
def test_every_meaningful_colour_has_3_to_1_contrast_on_white(name):
    """WCAG 2.2 SC 1.4.11 non-text contrast: (L1 + 0.05) / (L2 + 0.05) >= 3 against white."""
    assert (1 + 0.05) / (_luminance(COLOURS[name]) + 0.05) >= 3
