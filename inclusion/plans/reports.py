"""The board report ("Action Plan Update as of <date>") in every format.

`board_report_data` builds one presentation-ready tree from the selectors (business time:
the RAG, progress and by-when of each action as they stood on the as-of date, and what changed
in a window); `plan_report_render` turns it into Word, PDF/UA, HTML, Markdown, Excel or the JSON
interchange file, and records the export in the audit log. docs/adr/0008-reports.md has the
decisions (column order from the seed 004, what a month-precision by-when becomes in Excel...).
"""

import datetime as dt
import json
from dataclasses import dataclass
from itertools import groupby
from typing import Any

from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import slugify
from docx.shared import Mm

from inclusion.core import audit
from inclusion.core.evidence import EvidenceLine
from inclusion.core.models import AuditLog
from inclusion.core.partial_dates import PartialDate
from inclusion.core.presenters import format_date, paragraphs
from inclusion.plans import selectors
from inclusion.plans.interchange import plan_to_dict
from inclusion.plans.models import Action, Plan, Rag
from inclusion.plans.presenters import overdue_text, rag_colour, rag_label
from inclusion.reporting import docx as docx_out
from inclusion.reporting import rendered
from inclusion.reporting import xlsx as xlsx_out
from inclusion.reporting.colours import DEFAULT_TAG, TAG_COLOURS, tag_colours
from inclusion.reporting.pdf import FONT_STACK, html_to_pdf
from inclusion.reporting.rendered import RenderedFile

FORMATS = ("docx", "pdf", "html", "md", "xlsx", "json")
LANGUAGE = "en-GB"
TITLE_PREFIX = "Action Plan Update"
# The columns of the seed 004 board report, in its order; the progress column names the date.
AREA, HOW, BY_WHEN, LEAD, RAG_RATING = (
    "Area for improvement",
    "How",
    "By when",
    "Lead",
    "RAG rating",
)
HOW_LATE = "How late"
PROGRESS_SECTION = "Progress on each action"
LATEST_UPDATE_NOTE = f"Latest update: see “{PROGRESS_SECTION}”."
OVERDUE_TAG = "govuk-tag--red"
# The order a board reads the summary in: the worst first, "not rated" last.
SUMMARY_ORDER = (Rag.RED, Rag.AMBER, Rag.GREEN, Rag.BLUE, Rag.NOT_RATED)


def progress_header(as_of: dt.date) -> str:
    return f"Where are we now? Progress at {format_date(as_of)}"


def report_columns(as_of: dt.date) -> tuple[str, ...]:
    return (AREA, HOW, BY_WHEN, LEAD, progress_header(as_of), RAG_RATING)


# ---------------------------------------------------------------- the data


@dataclass(frozen=True)
class ReportRow:
    """One action as it stood on the as-of date."""

    action: Action
    area_title: str
    how: str
    by_when: PartialDate | None
    by_when_text: str  # as written: "31 August 2020" or "April 2020"
    lead: str  # as the plan writes it: "Kate Capel/Health DCO"
    progress: tuple[str, ...]  # paragraphs of the latest update on or before the as-of date
    progress_date: PartialDate | None
    rag: str
    rag_label: str
    rag_class: str
    overdue: bool
    overdue_text: str
    complete: bool


@dataclass(frozen=True)
class RagCount:
    rag: str
    label: str
    rag_class: str
    count: int


@dataclass(frozen=True)
class RagSummary:
    red: int
    amber: int
    green: int
    complete: int
    not_rated: int

    @property
    def total(self) -> int:
        return self.red + self.amber + self.green + self.complete + self.not_rated

    @property
    def items(self) -> tuple[RagCount, ...]:
        counts = {
            Rag.RED: self.red,
            Rag.AMBER: self.amber,
            Rag.GREEN: self.green,
            Rag.BLUE: self.complete,
            Rag.NOT_RATED: self.not_rated,
        }
        return tuple(
            RagCount(r.value, rag_label(r), rag_colour(r), counts[r]) for r in SUMMARY_ORDER
        )


@dataclass(frozen=True)
class UpdateItem:
    date: PartialDate
    date_text: str
    area_title: str
    how: str
    rag: str
    rag_label: str
    rag_class: str
    paragraphs: tuple[str, ...]
    author: str
    # The action's latest update on the report date: its text is in the progress table, so
    # printed formats do not repeat it.
    is_latest: bool


@dataclass(frozen=True)
class RagChangeItem:
    date: PartialDate
    date_text: str
    area_title: str
    how: str
    old_rag: str
    old_label: str
    old_class: str
    new_rag: str
    new_label: str
    new_class: str
    rationale: str


@dataclass(frozen=True)
class DeadlineChangeItem:
    changed_on: dt.date
    changed_on_text: str
    area_title: str
    how: str
    old: PartialDate | None
    old_text: str
    new: PartialDate | None
    new_text: str
    reason: str


@dataclass(frozen=True)
class ReportChanges:
    """What changed after `since`, up to and including the as-of date."""

    since: dt.date
    until: dt.date
    heading: str
    updates: tuple[UpdateItem, ...]
    rag_changes: tuple[RagChangeItem, ...]
    deadline_changes: tuple[DeadlineChangeItem, ...]

    @property
    def empty(self) -> bool:
        return not (self.updates or self.rag_changes or self.deadline_changes)


@dataclass(frozen=True)
class MeasureItem:
    """What one measure linked to the plan says (ADR 0015): the figures as held when the
    report is made, not as they stood on the report date."""

    code: str
    title: str
    latest: str  # "40.3% (2024)", or "No figure yet"
    target: str  # "60% by 31 March 2026", or "No target set"
    summary: str  # the sentence: against the target, the trend, SPC
    suggested_rag: str  # "red" | "amber" | "green" | ""
    suggested_label: str  # "Red", or "No rating"
    suggested_class: str


@dataclass(frozen=True)
class EvidenceDifferenceItem:
    """A rated action whose rating on the report date its measures do not bear out."""

    area_title: str
    how: str
    rag: str
    rag_label: str
    rag_class: str
    suggested_rag: str
    suggested_label: str
    suggested_class: str
    message: str  # "RAG given: Amber. The measures suggest Red: ..."
    evidence: tuple[MeasureItem, ...]


@dataclass(frozen=True)
class BoardReport:
    plan: Plan
    partnership_name: str
    as_of: dt.date
    as_of_text: str
    title: str
    columns: tuple[str, ...]
    summary: RagSummary
    rows: tuple[ReportRow, ...]
    overdue: tuple[ReportRow, ...]
    changes: ReportChanges | None
    # The measures section (ADR 0015): empty when no measure is linked to the plan.
    measures: tuple[MeasureItem, ...] = ()
    evidence_differences: tuple[EvidenceDifferenceItem, ...] = ()
    measures_held_on_text: str = ""  # the day the figures were read


def _no_date(value: PartialDate | None) -> str:
    return value.display() if value else "No date set"


def _row(action: Action, state: selectors.ActionState, as_of: dt.date) -> ReportRow:
    latest = state.latest_update
    return ReportRow(
        action=action,
        area_title=action.area.title,
        how=action.how,
        by_when=state.by_when,
        by_when_text=state.by_when.display() if state.by_when else "",
        lead="/".join(lead.name for lead in action.leads.all()),
        progress=tuple(paragraphs(latest.text)) if latest else (),
        progress_date=latest.date_partial if latest else None,
        rag=state.rag,
        rag_label=rag_label(state.rag),
        rag_class=rag_colour(state.rag),
        overdue=state.overdue,
        overdue_text=overdue_text(state.by_when, as_of) if state.overdue else "",
        complete=state.complete,
    )


def _changes(plan: Plan, since: dt.date, until: dt.date, latest_ids: set[Any]) -> ReportChanges:
    found = selectors.plan_changes_since(plan, since, until)
    # The selector's objects come from its own prefetch: their action, area and leads are loaded.
    updates = tuple(
        UpdateItem(
            date=u.date_partial,
            date_text=u.date_partial.display(),
            area_title=u.action.area.title,
            how=u.action.how,
            rag=u.rag,
            rag_label=rag_label(u.rag),
            rag_class=rag_colour(u.rag),
            paragraphs=tuple(paragraphs(u.text)),
            author=u.author_name,
            is_latest=u.pk in latest_ids,
        )
        for u in found.updates
    )
    rag_changes = tuple(
        RagChangeItem(
            date=c.update.date_partial,
            date_text=c.update.date_partial.display(),
            area_title=c.action.area.title,
            how=c.action.how,
            old_rag=c.old_rag,
            old_label=rag_label(c.old_rag),
            old_class=rag_colour(c.old_rag),
            new_rag=c.new_rag,
            new_label=rag_label(c.new_rag),
            new_class=rag_colour(c.new_rag),
            rationale=c.update.rag_rationale,
        )
        for c in found.rag_changes
    )
    deadline_changes = tuple(
        DeadlineChangeItem(
            changed_on=c.changed_on,
            changed_on_text=format_date(c.changed_on),
            area_title=c.action.area.title,
            how=c.action.how,
            old=c.old_partial,
            old_text=_no_date(c.old_partial),
            new=c.new_partial,
            new_text=_no_date(c.new_partial),
            reason=c.reason,
        )
        for c in found.deadline_changes
    )
    return ReportChanges(
        since=since,
        until=until,
        heading=f"Changes since {format_date(since)}",
        updates=updates,
        rag_changes=rag_changes,
        deadline_changes=deadline_changes,
    )


MEASURES_SECTION = "Measures"
DIFFERENCES_SECTION = "Ratings the measures do not bear out"
# Column headings of the measures table. None of them names "how" or an action, so the plan
# importer, which reads Word and Markdown reports back, never takes it for an action table
# (importers/values.py: a header names How and two more known columns).
MEASURE_COLUMNS = ("Measure", "Latest figure", "Target", "In words", "Measures suggest")
NO_RATING = "No rating"


def measures_intro(report: "BoardReport") -> str:
    if not report.measures:
        return "No measure is linked to this plan's areas for improvement or actions."
    return (
        f"What each measure linked to this plan's areas for improvement and actions says, "
        f"with the figures held on {report.measures_held_on_text}: the latest figure against "
        "its target, its trend and, with enough figures, statistical process control (SPC). "
        "The RAG rating given stays the rating of record."
    )


def differences_intro(report: "BoardReport") -> str:
    count = len(report.evidence_differences)
    if not count:
        return (
            f"On {report.as_of_text} no rated action had a rating that differs from what "
            "its measures suggest."
        )
    actions = "1 rated action" if count == 1 else f"{count} rated actions"
    return (
        f"The measures linked to {actions} suggest a different rating from the one given "
        f"on {report.as_of_text}."
    )


def _suggested(rag: str) -> tuple[str, str]:
    if rag in (Rag.RED, Rag.AMBER, Rag.GREEN):
        return rag_label(rag), rag_colour(rag)
    return NO_RATING, rag_colour(Rag.NOT_RATED)


def _measure_item(line: EvidenceLine) -> MeasureItem:
    label, tag_class = _suggested(line.suggested_rag)
    return MeasureItem(
        code=line.code,
        title=line.title,
        latest=line.latest or "No figure yet",
        target=line.target or "No target set",
        summary=line.sentence,
        suggested_rag=line.suggested_rag,
        suggested_label=label,
        suggested_class=tag_class,
    )


def _measures(
    plan: Plan, ratings: dict[Any, str], rows: tuple["ReportRow", ...]
) -> tuple[tuple[MeasureItem, ...], tuple[EvidenceDifferenceItem, ...]]:
    """The plan's measures and the actions whose rating (on the report date) they do not bear
    out. A plan with no measure linked costs one query."""
    lines = selectors.plan_evidence(plan)
    if not lines:
        return (), ()
    found, _ = selectors.evidence_differences(plan=plan, ratings=ratings)
    differences = []
    for row in rows:
        difference = found.get(row.action.pk)
        if difference is None:
            continue
        label, tag_class = _suggested(difference.suggested)
        differences.append(
            EvidenceDifferenceItem(
                area_title=row.area_title,
                how=row.how,
                rag=row.rag,
                rag_label=row.rag_label,
                rag_class=row.rag_class,
                suggested_rag=difference.suggested,
                suggested_label=label,
                suggested_class=tag_class,
                message=difference.message,
                evidence=tuple(_measure_item(line) for line in difference.reasons),
            )
        )
    return tuple(_measure_item(line) for line in lines), tuple(differences)


def board_report_data(*, plan: Plan, as_of: dt.date, changes_since: dt.date | None) -> BoardReport:
    """The plan as it stood on `as_of`, and what changed after `changes_since` up to `as_of`."""
    if changes_since is not None and changes_since > as_of:
        raise ValueError(
            f"the changes window starts on {format_date(changes_since)}, after the report date "
            f"{format_date(as_of)}"
        )
    pairs = selectors.plan_actions_as_of(plan, as_of, history=False)
    rows = tuple(_row(action, state, as_of) for action, state in pairs)
    counts = selectors.rag_summary(state for _action, state in pairs)
    latest_ids = {state.latest_update.pk for _action, state in pairs if state.latest_update}
    measures, differences = _measures(plan, {row.action.pk: row.rag for row in rows}, rows)
    return BoardReport(
        plan=plan,
        partnership_name=plan.partnership.name,
        as_of=as_of,
        as_of_text=format_date(as_of),
        title=f"{TITLE_PREFIX} as of {format_date(as_of)}",
        columns=report_columns(as_of),
        summary=RagSummary(
            red=counts[Rag.RED],
            amber=counts[Rag.AMBER],
            green=counts[Rag.GREEN],
            complete=counts[Rag.BLUE],
            not_rated=counts[Rag.NOT_RATED],
        ),
        rows=rows,
        overdue=tuple(r for r in rows if r.overdue),
        changes=(
            _changes(plan, changes_since, as_of, latest_ids) if changes_since is not None else None
        ),
        measures=measures,
        evidence_differences=differences,
        measures_held_on_text=format_date(timezone.localdate()),
    )


# ---------------------------------------------------------------- HTML and PDF


HTML_TEMPLATE = "plans/report/board_report.html"
# The PDF's own layout: blocks of labelled fields instead of wide tables (ADR 0008).
PDF_TEMPLATE = "plans/report/board_report_pdf.html"


def _by_area(rows: tuple[ReportRow, ...]) -> list[tuple[str, list[ReportRow]]]:
    """Consecutive rows under the same area for improvement, in the plan's order."""
    return [(area, list(group)) for area, group in groupby(rows, key=lambda r: r.area_title)]


def _tag_css() -> str:
    """One rule per GOV.UK tag class, for documents that cannot load the site's CSS."""
    background, text = DEFAULT_TAG
    rules = [f".tag {{ background: #{background}; color: #{text}; }}"]
    rules += [
        f".tag.{tag_class} {{ background: #{background}; color: #{text}; }}"
        for tag_class, (background, text) in TAG_COLOURS.items()
    ]
    return "\n".join(rules)


def _html(report: BoardReport, template: str = HTML_TEMPLATE) -> str:
    return render_to_string(
        template,
        {
            "report": report,
            "document_title": f"{report.title}: {report.plan.title}",
            "language": LANGUAGE,
            "author": report.partnership_name,
            "description": f"{report.plan.title}, {report.partnership_name}",
            "font_stack": FONT_STACK,
            "tag_css": _tag_css(),
            "overdue_tag": OVERDUE_TAG,
            "progress_section": PROGRESS_SECTION,
            "latest_update_note": LATEST_UPDATE_NOTE,
            "row_groups": _by_area(report.rows),
            "measures_section": MEASURES_SECTION,
            "measure_columns": MEASURE_COLUMNS,
            "differences_section": DIFFERENCES_SECTION,
            "measures_intro": measures_intro(report),
            "differences_intro": differences_intro(report),
            "overdue_groups": _by_area(report.overdue),
        },
    )


# ---------------------------------------------------------------- Word


def _tag_cell(label: str, tag_class: str) -> docx_out.Cell:
    background, _text = tag_colours(tag_class)
    return docx_out.Cell((label,), fill=background, bold=True)


def _docx(report: BoardReport) -> bytes:
    doc = docx_out.new_document(
        title=f"{report.title}: {report.plan.title}",
        author=report.partnership_name,
        subject=report.plan.title,
        keywords="SEND; action plan; board report",
        language=LANGUAGE,
        landscape=True,
    )
    docx_out.add_heading(doc, report.title, 1)
    doc.add_paragraph(f"{report.plan.title}. {report.partnership_name}.")
    if report.plan.description:
        docx_out.add_paragraphs(doc, paragraphs(report.plan.description))

    docx_out.add_heading(doc, "Summary", 2)
    docx_out.add_table(
        doc,
        header=[RAG_RATING, "Actions"],
        rows=[[_tag_cell(i.label, i.rag_class), str(i.count)] for i in report.summary.items]
        + [
            [
                docx_out.Cell(("Total",), bold=True),
                docx_out.Cell((str(report.summary.total),), bold=True),
            ]
        ],
        caption=f"Actions by RAG rating as of {report.as_of_text}",
        widths=[Mm(40), Mm(25)],
    )

    _docx_measures(doc, report)

    docx_out.add_heading(doc, f"Overdue actions as of {report.as_of_text}", 2)
    if report.overdue:
        docx_out.add_table(
            doc,
            header=[AREA, HOW, BY_WHEN, HOW_LATE, LEAD, RAG_RATING],
            rows=[
                [
                    r.area_title,
                    r.how,
                    r.by_when_text,
                    r.overdue_text,
                    r.lead,
                    _tag_cell(r.rag_label, r.rag_class),
                ]
                for r in report.overdue
            ],
            caption=f"Overdue actions as of {report.as_of_text}",
            widths=[Mm(70), Mm(80), Mm(30), Mm(32), Mm(30), Mm(25)],
        )
    else:
        doc.add_paragraph(f"No action was overdue on {report.as_of_text}.")

    if report.changes is not None:
        _docx_changes(doc, report.changes)

    docx_out.add_heading(doc, PROGRESS_SECTION, 2)
    docx_out.add_table(
        doc,
        header=list(report.columns),
        rows=[
            [
                r.area_title,
                r.how,
                r.by_when_text,
                r.lead,
                list(r.progress),
                _tag_cell(r.rag_label, r.rag_class),
            ]
            for r in report.rows
        ],
        caption=f"Progress on each action as of {report.as_of_text}",
        widths=[Mm(45), Mm(50), Mm(24), Mm(28), Mm(98), Mm(22)],
    )
    return docx_out.to_bytes(doc)


def _docx_measures(doc: Any, report: BoardReport) -> None:
    """The measures table, then each action whose rating they do not bear out as paragraphs
    (a table of actions there would be read back as actions by the plan importer)."""
    docx_out.add_heading(doc, MEASURES_SECTION, 2)
    doc.add_paragraph(measures_intro(report))
    if not report.measures:
        return
    docx_out.add_table(
        doc,
        header=list(MEASURE_COLUMNS),
        rows=[
            [
                m.title,
                m.latest,
                m.target,
                m.summary,
                _tag_cell(m.suggested_label, m.suggested_class),
            ]
            for m in report.measures
        ],
        caption=f"Measures linked to this plan, figures held on {report.measures_held_on_text}",
        widths=[Mm(55), Mm(30), Mm(35), Mm(110), Mm(27)],
    )
    docx_out.add_heading(doc, DIFFERENCES_SECTION, 3)
    doc.add_paragraph(differences_intro(report))
    for item in report.evidence_differences:
        title = doc.add_paragraph()
        title.add_run(item.how).bold = True
        doc.add_paragraph(f"Area for improvement: {item.area_title}")
        doc.add_paragraph(item.message)


def _docx_changes(doc: Any, changes: ReportChanges) -> None:
    docx_out.add_heading(doc, changes.heading, 2)
    docx_out.add_heading(doc, "New progress updates", 3)
    if changes.updates:
        docx_out.add_table(
            doc,
            header=["Date", AREA, HOW, RAG_RATING, "Update"],
            rows=[
                [
                    u.date_text,
                    u.area_title,
                    u.how,
                    _tag_cell(u.rag_label, u.rag_class),
                    [LATEST_UPDATE_NOTE] if u.is_latest else list(u.paragraphs),
                ]
                for u in changes.updates
            ],
            caption=f"Progress updates since {format_date(changes.since)}",
            widths=[Mm(27), Mm(55), Mm(55), Mm(22), Mm(108)],
        )
    else:
        doc.add_paragraph("No progress update in this period.")
    docx_out.add_heading(doc, "RAG rating changes", 3)
    if changes.rag_changes:
        docx_out.add_table(
            doc,
            header=["Date", AREA, HOW, "From", "To", "Why"],
            rows=[
                [
                    c.date_text,
                    c.area_title,
                    c.how,
                    _tag_cell(c.old_label, c.old_class),
                    _tag_cell(c.new_label, c.new_class),
                    c.rationale,
                ]
                for c in changes.rag_changes
            ],
            caption=f"RAG rating changes since {format_date(changes.since)}",
            widths=[Mm(27), Mm(60), Mm(60), Mm(22), Mm(22), Mm(76)],
        )
    else:
        doc.add_paragraph("No RAG rating changed in this period.")
    docx_out.add_heading(doc, "Deadline changes", 3)
    if changes.deadline_changes:
        docx_out.add_table(
            doc,
            header=["Changed on", AREA, HOW, "From", "To", "Reason"],
            rows=[
                [c.changed_on_text, c.area_title, c.how, c.old_text, c.new_text, c.reason]
                for c in changes.deadline_changes
            ],
            caption=f"Deadline changes since {format_date(changes.since)}",
            widths=[Mm(27), Mm(55), Mm(55), Mm(27), Mm(27), Mm(76)],
        )
    else:
        doc.add_paragraph("No deadline changed in this period.")


# ---------------------------------------------------------------- Excel


def _by_when_value(value: PartialDate | None) -> Any:
    """A real date; a month is its deadline (last day) shown as "April 2020" (ADR 0008)."""
    if value is None:
        return None
    if value.precision == "month":
        return xlsx_out.Formatted(value.deadline, xlsx_out.MONTH_FORMAT)
    return value.value


def _event_date_value(value: PartialDate | None) -> Any:
    """The date of an event: a month is its first day (ADR 0004) shown as "August 2019"."""
    if value is None:
        return None
    if value.precision == "month":
        return xlsx_out.Formatted(value.value, xlsx_out.MONTH_FORMAT)
    return value.value


def _xlsx(report: BoardReport) -> bytes:
    C = xlsx_out.Column  # noqa: N806
    workbook = xlsx_out.new_workbook(
        title=f"{report.title}: {report.plan.title}",
        author=report.partnership_name,
        subject=report.plan.title,
        language=LANGUAGE,
    )
    xlsx_out.write_table(
        workbook,
        sheet_title="Actions",
        table_name="Actions",
        columns=[
            C(AREA, 40, wrap=True),
            C(HOW, 45, wrap=True),
            C(BY_WHEN, 16),
            C(LEAD, 22, wrap=True),
            C(report.columns[4], 80, wrap=True),
            C(RAG_RATING, 12),
            C("By when precision", 12),
            C("Overdue", 10),
            C("Progress dated", 16),
        ],
        rows=[
            [
                r.area_title,
                r.how,
                _by_when_value(r.by_when),
                r.lead,
                "\n\n".join(r.progress),
                r.rag_label,
                r.by_when.precision.value if r.by_when else "",
                "Yes" if r.overdue else "No",
                _event_date_value(r.progress_date),
            ]
            for r in report.rows
        ],
    )
    xlsx_out.write_table(
        workbook,
        sheet_title="Summary",
        table_name="RagSummary",
        columns=[C(RAG_RATING, 16), C("Actions", 10, number_format="0")],
        rows=[[i.label, i.count] for i in report.summary.items],
    )
    if report.changes is not None:
        c = report.changes
        change_rows: list[list[Any]] = []
        change_rows += [
            [
                _event_date_value(u.date),
                "Progress update",
                u.area_title,
                u.how,
                "",
                u.rag_label,
                "\n\n".join(u.paragraphs),
            ]
            for u in c.updates
        ]
        change_rows += [
            [
                _event_date_value(r.date),
                "RAG rating change",
                r.area_title,
                r.how,
                r.old_label,
                r.new_label,
                r.rationale,
            ]
            for r in c.rag_changes
        ]
        change_rows += [
            [d.changed_on, "Deadline change", d.area_title, d.how, d.old_text, d.new_text, d.reason]
            for d in c.deadline_changes
        ]
        xlsx_out.write_table(
            workbook,
            sheet_title=f"Changes since {c.since.isoformat()}",
            table_name="Changes",
            columns=[
                C("Date", 16),
                C("Change", 18),
                C(AREA, 40, wrap=True),
                C(HOW, 45, wrap=True),
                C("From", 16, wrap=True),
                C("To", 16, wrap=True),
                C("Detail", 80, wrap=True),
            ],
            rows=change_rows,
        )
    xlsx_out.write_table(
        workbook,
        sheet_title=MEASURES_SECTION,
        table_name="Measures",
        columns=[
            C("Code", 24),
            C(MEASURE_COLUMNS[0], 40, wrap=True),
            C(MEASURE_COLUMNS[1], 16),
            C(MEASURE_COLUMNS[2], 22, wrap=True),
            C(MEASURE_COLUMNS[3], 80, wrap=True),
            C(MEASURE_COLUMNS[4], 14),
            C("Figures held on", 16),
        ],
        rows=[
            [
                m.code,
                m.title,
                m.latest,
                m.target,
                m.summary,
                m.suggested_label,
                timezone.localdate(),
            ]
            for m in report.measures
        ],
    )
    xlsx_out.write_table(
        workbook,
        sheet_title="Ratings and measures",
        table_name="RatingsAndMeasures",
        columns=[
            C(AREA, 40, wrap=True),
            C(HOW, 45, wrap=True),
            C(RAG_RATING, 12),
            C(MEASURE_COLUMNS[4], 14),
            C("Evidence", 80, wrap=True),
        ],
        rows=[
            [d.area_title, d.how, d.rag_label, d.suggested_label, d.message]
            for d in report.evidence_differences
        ],
    )
    return xlsx_out.to_bytes(workbook)


# ---------------------------------------------------------------- JSON


def _json(plan: Plan, as_of: dt.date) -> bytes:
    """The interchange file as the plan stood on `as_of` (the importer reads it back), with
    the board report's measures section after it: `measures` and `evidence_differences`,
    which the importer does not read. Formatted as `interchange.plan_to_json` is."""
    data = plan_to_dict(plan, as_of=as_of)
    data.update(_json_measures(plan, as_of))
    return (json.dumps(data, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def _json_measure(m: MeasureItem) -> dict[str, Any]:
    return {
        "code": m.code,
        "title": m.title,
        "latest": m.latest,
        "target": m.target,
        "summary": m.summary,
        "suggested_rag": m.suggested_rag or None,
    }


def _json_measures(plan: Plan, as_of: dt.date) -> dict[str, Any]:
    lines = selectors.plan_evidence(plan)
    differences: list[dict[str, Any]] = []
    if lines:
        pairs = selectors.plan_actions_as_of(plan, as_of, history=False)
        found, _ = selectors.evidence_differences(
            plan=plan, ratings={action.pk: state.rag for action, state in pairs}
        )
        for action, _state in pairs:
            difference = found.get(action.pk)
            if difference is None:
                continue
            differences.append(
                {
                    "action_id": str(action.pk),
                    "area": action.area.title,
                    "how": action.how,
                    "rag": difference.rag,
                    "suggested_rag": difference.suggested,
                    "message": difference.message,
                    "evidence": [_json_measure(_measure_item(line)) for line in difference.reasons],
                }
            )
    return {
        "measures_held_on": timezone.localdate().isoformat(),
        "measures": [_json_measure(_measure_item(line)) for line in lines],
        "evidence_differences": differences,
    }


# ---------------------------------------------------------------- the entry point


_CONTENT_TYPES = {
    "docx": rendered.DOCX,
    "pdf": rendered.PDF,
    "html": rendered.HTML,
    "md": rendered.MARKDOWN,
    "xlsx": rendered.XLSX,
    "json": rendered.JSON,
}


def report_filename(plan: Plan, as_of: dt.date, fmt: str) -> str:
    return f"{plan.slug or slugify(plan.title)}-action-plan-update-{as_of.isoformat()}.{fmt}"


def plan_report_render(
    *,
    plan: Plan,
    fmt: str,
    as_of: dt.date | None = None,
    changes_since: dt.date | None = None,
    actor: Any = None,
    via: str = "",
) -> RenderedFile:
    """The board report of `plan` as of a date (default today) in `fmt`, export audited.

    The caller has already checked the actor may see the plan (views scope with
    `selectors.plan_get_for_user`; commands name the partnership). The export is logged only
    once the file is made, so a failed render leaves no "exported" entry behind.
    """
    fmt = fmt.lower().lstrip(".")
    if fmt not in FORMATS:
        raise ValueError(f"'{fmt}' is not a report format; use one of {', '.join(FORMATS)}")
    as_of = as_of or timezone.localdate()
    if fmt == "json":
        content = _json(plan, as_of)
    else:
        report = board_report_data(plan=plan, as_of=as_of, changes_since=changes_since)
        if fmt == "html":
            content = _html(report).encode("utf-8")
        elif fmt == "pdf":
            content = html_to_pdf(_html(report, PDF_TEMPLATE))
        elif fmt == "docx":
            content = _docx(report)
        elif fmt == "xlsx":
            content = _xlsx(report)
        else:
            # Imported here: the Markdown module builds on this module's dataclasses.
            from inclusion.plans.report_markdown import board_report_markdown

            content = board_report_markdown(report).encode("utf-8")
    note = f"board report {fmt} as of {as_of.isoformat()}"
    if changes_since is not None and fmt != "json":
        note += f", changes since {changes_since.isoformat()}"
    with transaction.atomic():
        audit.log_event(AuditLog.Operation.EXPORT, actor=actor, via=via, obj=plan, note=note)
    return RenderedFile(
        content=content,
        content_type=_CONTENT_TYPES[fmt],
        filename=report_filename(plan, as_of, fmt),
    )
