"""The board report ("Action Plan Update as of <date>"): its data as of a date, and every format."""

import datetime as dt
import io
import json
import zipfile

import pikepdf
import pytest
from bs4 import BeautifulSoup
from docx import Document
from docx.oxml.ns import qn
from markdown_it import MarkdownIt
from openpyxl import load_workbook
from pypdf import PdfReader

from inclusion.core.models import AuditLog
from inclusion.core.partial_dates import PartialDate
from inclusion.plans.models import Rag
from inclusion.plans.reports import (
    FORMATS,
    board_report_data,
    plan_report_render,
    report_columns,
)
from inclusion.plans.services.actions import deadline_change_add
from tests.conftest import SEED_ACTION_PLAN
from tests.factories import (
    ActionFactory,
    ActionLeadFactory,
    AreaFactory,
    PlanFactory,
    ProgressUpdateFactory,
)

AS_OF = dt.date(2019, 8, 31)
SINCE = dt.date(2019, 6, 1)
SEED_COLUMNS = [
    "Area for improvement",
    "How",
    "By when",
    "Lead",
    "Where are we now? Progress at 31 August 2019",
    "RAG rating",
]
ATTAINMENT = "To improve SEN attainment and progress in the primary phase"
IHA = "To increase the timeliness of completion of initial health assessments"
AUTISM = "To reduce the waiting time for neurodevelopmental/autism diagnosis"


def build_report_plan(partnership):
    """A small plan shaped like the seed 004, with every case a board report must show.

    - attainment: amber in March, green in July (a RAG change in the window), red in October
      (after the report date), by 31.08.20;
    - IHA: by 30.04.19, amber since February: overdue on 31 August 2019;
    - autism: by "April 2020" (month precision), two leads, never rated;
    - attainment also had its deadline moved in July (in the window) and once in March (before).
    """
    plan = PlanFactory(
        partnership=partnership,
        title="Action Plan Update August 2019",
        slug="action-plan-2019",
        last_report_date=SINCE,
    )
    attainment_area = AreaFactory(plan=plan, position=0, title=ATTAINMENT)
    iha_area = AreaFactory(plan=plan, position=1, title=IHA)
    autism_area = AreaFactory(plan=plan, position=2, title=AUTISM)

    attainment = ActionFactory(
        area=attainment_area,
        position=0,
        how="Focused work with schools to enhance the support for pupils with SEND.",
        by_when=dt.date(2019, 12, 31),
    )
    ActionLeadFactory(action=attainment, name="Martin Smith", position=0)
    ProgressUpdateFactory(
        action=attainment,
        date=dt.date(2019, 3, 1),
        text="Bid for funding submitted.",
        rag=Rag.AMBER,
    )
    ProgressUpdateFactory(
        action=attainment,
        date=dt.date(2019, 7, 15),
        text="Funding from successful bid for £500k is being used.\n\nThe GAP has reduced from 4.9% to 3.0%.",
        rag=Rag.GREEN,
        rag_rationale="The gap closed.",
    )
    ProgressUpdateFactory(
        action=attainment,
        date=dt.date(2019, 10, 1),
        text="Autumn results are worse than hoped.",
        rag=Rag.RED,
        rag_rationale="Results fell.",
    )
    deadline_change_add(
        action=attainment,
        new_date=PartialDate.day(dt.date(2020, 3, 31)),
        reason="Waiting for the bid outcome.",
        changed_on=dt.date(2019, 3, 10),
    )
    deadline_change_add(
        action=attainment,
        new_date=PartialDate.day(dt.date(2020, 8, 31)),
        reason="Mosaic workflows are being reworked.",
        changed_on=dt.date(2019, 7, 1),
    )

    iha = ActionFactory(
        area=iha_area,
        position=0,
        how="An effective plan to rectify the delays in initial health assessments.",
        by_when=dt.date(2019, 4, 30),
    )
    ActionLeadFactory(action=iha, name="John Harris", position=0)
    ProgressUpdateFactory(
        action=iha,
        date=dt.date(2019, 2, 1),
        date_precision="month",
        text="The LAC Health Steering Group has agreed a revised process.",
        rag=Rag.AMBER,
    )

    autism = ActionFactory(
        area=autism_area,
        position=0,
        how="Develop a new diagnostic and support pathway.",
        by_when=dt.date(2020, 4, 1),
        by_when_precision="month",
    )
    ActionLeadFactory(action=autism, name="Sally Savage", position=0)
    ActionLeadFactory(action=autism, name="CCG", position=1)
    plan.refresh_from_db()
    return plan


@pytest.fixture
def plan(partnership):
    return build_report_plan(partnership)


def _rows_by_area(report):
    return {row.area_title: row for row in report.rows}


# ---------------------------------------------------------------- the data


def test_report_shows_each_action_as_it_stood_on_the_as_of_date(plan):
    report = board_report_data(plan=plan, as_of=AS_OF, changes_since=None)

    assert report.title == "Action Plan Update as of 31 August 2019"
    assert list(report.columns) == SEED_COLUMNS
    assert [r.area_title for r in report.rows] == [ATTAINMENT, IHA, AUTISM]
    rows = _rows_by_area(report)
    attainment = rows[ATTAINMENT]
    assert attainment.rag_label == "Green"
    assert attainment.progress == (
        "Funding from successful bid for £500k is being used.",
        "The GAP has reduced from 4.9% to 3.0%.",
    )
    assert attainment.by_when_text == "31 August 2020"
    assert attainment.lead == "Martin Smith"
    autism = rows[AUTISM]
    assert autism.by_when_text == "April 2020"
    assert autism.lead == "Sally Savage/CCG"
    assert autism.rag == Rag.NOT_RATED and autism.rag_label == "Not rated"
    assert autism.progress == ()
    assert report.changes is None


def test_report_counts_ratings_and_lists_overdue_actions_as_of_the_date(plan):
    report = board_report_data(plan=plan, as_of=AS_OF, changes_since=None)

    s = report.summary
    assert (s.red, s.amber, s.green, s.complete, s.not_rated, s.total) == (0, 1, 1, 0, 1, 3)
    assert [i.label for i in s.items] == ["Red", "Amber", "Green", "Complete", "Not rated"]
    assert [r.area_title for r in report.overdue] == [IHA]
    assert report.overdue[0].overdue_text.startswith("Overdue by")


def test_report_as_of_an_earlier_date_shows_the_rating_progress_and_deadline_of_then(plan):
    earlier = board_report_data(plan=plan, as_of=dt.date(2019, 5, 1), changes_since=None)
    today = board_report_data(plan=plan, as_of=dt.date(2019, 11, 30), changes_since=None)

    then = _rows_by_area(earlier)[ATTAINMENT]
    assert then.rag_label == "Amber"
    assert then.progress == ("Bid for funding submitted.",)
    assert then.by_when_text == "31 March 2020"
    assert earlier.columns[4] == "Where are we now? Progress at 1 May 2019"
    now = _rows_by_area(today)[ATTAINMENT]
    assert now.rag_label == "Red"
    assert now.progress == ("Autumn results are worse than hoped.",)


def test_a_month_precision_update_counts_from_the_first_day_of_its_month(plan):
    report = board_report_data(plan=plan, as_of=dt.date(2019, 2, 1), changes_since=None)

    iha = _rows_by_area(report)[IHA]
    assert iha.rag_label == "Amber"
    assert iha.progress_date.display() == "February 2019"


def test_changes_since_lists_updates_rag_changes_and_deadline_changes_in_the_window_only(plan):
    report = board_report_data(plan=plan, as_of=AS_OF, changes_since=SINCE)
    changes = report.changes

    assert changes.heading == "Changes since 1 June 2019"
    assert [(u.date_text, u.rag_label) for u in changes.updates] == [("15 July 2019", "Green")]
    assert [(c.old_label, c.new_label, c.rationale) for c in changes.rag_changes] == [
        ("Amber", "Green", "The gap closed.")
    ]
    assert [
        (d.changed_on_text, d.old_text, d.new_text, d.reason) for d in changes.deadline_changes
    ] == [
        ("1 July 2019", "31 March 2020", "31 August 2020", "Mosaic workflows are being reworked.")
    ]


def test_printed_changes_do_not_repeat_the_text_of_an_update_shown_in_the_progress_table(plan):
    """The July update is the latest on 31 August (its text is in the progress table); on
    30 November October's is, so July's text is printed under the changes."""
    august = board_report_data(plan=plan, as_of=AS_OF, changes_since=SINCE)
    november = board_report_data(plan=plan, as_of=dt.date(2019, 11, 30), changes_since=SINCE)

    assert [u.is_latest for u in august.changes.updates] == [True]
    assert [(u.date_text, u.is_latest) for u in november.changes.updates] == [
        ("15 July 2019", False),
        ("1 October 2019", True),
    ]
    html = plan_report_render(
        plan=plan, fmt="html", as_of=dt.date(2019, 11, 30), changes_since=SINCE
    ).content.decode()
    soup = BeautifulSoup(html, "html.parser")
    updates = next(
        t for t in soup.find_all("table") if t.caption.get_text().startswith("Progress updates")
    )
    cells = [
        row.find_all("td")[-1].get_text(" ", strip=True) for row in updates.tbody.find_all("tr")
    ]
    assert cells[0].startswith("Funding from successful bid")
    assert cells[1] == "Latest update: see “Progress on each action”."


def test_changes_since_a_date_after_the_report_date_is_refused(plan):
    with pytest.raises(ValueError, match="after the report date"):
        board_report_data(plan=plan, as_of=AS_OF, changes_since=dt.date(2019, 9, 1))


def test_report_data_reads_the_plan_in_a_few_queries(plan, django_assert_max_num_queries):
    with django_assert_max_num_queries(12):
        report = board_report_data(plan=plan, as_of=AS_OF, changes_since=SINCE)
        assert len(report.rows) == 3 and report.changes.updates


# ---------------------------------------------------------------- the formats


def _render(plan, fmt, **kwargs):
    kwargs.setdefault("as_of", AS_OF)
    kwargs.setdefault("changes_since", SINCE)
    return plan_report_render(plan=plan, fmt=fmt, **kwargs)


def test_docx_has_real_headings_a_repeating_header_row_and_the_seed_columns(plan):
    out = _render(plan, "docx")

    assert out.filename == "action-plan-2019-action-plan-update-2019-08-31.docx"
    assert out.content_type.endswith("wordprocessingml.document")
    doc = Document(io.BytesIO(out.content))
    styles = {p.style.name for p in doc.paragraphs}
    assert {"Heading 1", "Heading 2", "Heading 3"} <= styles
    assert [p.text for p in doc.paragraphs if p.style.name == "Heading 1"] == [
        "Action Plan Update as of 31 August 2019"
    ]
    assert doc.core_properties.title.startswith("Action Plan Update as of 31 August 2019")
    assert doc.core_properties.language == "en-GB"
    (main,) = [t for t in doc.tables if [c.text for c in t.rows[0].cells] == SEED_COLUMNS]
    first_row_properties = main.rows[0]._tr.trPr
    assert first_row_properties.find(qn("w:tblHeader")) is not None
    body = [[c.text for c in row.cells] for row in main.rows[1:]]
    assert [r[0] for r in body] == [ATTAINMENT, IHA, AUTISM]
    assert "The GAP has reduced from 4.9% to 3.0%." in body[0][4]
    assert body[2][2] == "April 2020" and body[2][5] == "Not rated"
    assert body[1][2] == "30 April 2019"  # as written: overdue actions have their own table
    section = doc.sections[0]
    assert section.page_width > section.page_height  # landscape


def test_pdf_is_tagged_pdf_ua_with_language_title_and_the_area_titles(plan):
    out = _render(plan, "pdf")

    assert out.content.startswith(b"%PDF-") and out.content_type == "application/pdf"
    with pikepdf.open(io.BytesIO(out.content)) as pdf:
        root = pdf.Root
        assert "/StructTreeRoot" in root
        assert bool(root.MarkInfo.Marked) is True
        assert str(root.Lang) == "en-GB"
        assert bool(root.ViewerPreferences.DisplayDocTitle) is True
        assert str(pdf.docinfo.Title).startswith("Action Plan Update as of 31 August 2019")
        meta = pdf.open_metadata()
        assert str(meta.get("pdfuaid:part")) == "1"
        fonts = {str(font.BaseFont) for page in pdf.pages for font in page.Resources.Font.values()}
    # Arial's metric twin (Debian fonts-liberation2), not a fallback.
    assert any("LiberationSans" in f.replace("-", "") for f in fonts), (
        f"fonts used: {fonts}; install fonts-liberation2"
    )
    # Compared without spaces: text extraction puts line breaks where the cell wrapped.
    text = "".join(
        "".join((page.extract_text() or "").split())
        for page in PdfReader(io.BytesIO(out.content)).pages
    )
    for title in (ATTAINMENT, IHA, AUTISM, "Changes since 1 June 2019", "The GAP has reduced"):
        assert "".join(title.split()) in text


def _struct_elements(node):
    """The structure tree's elements in reading order (depth first)."""
    if isinstance(node, pikepdf.Array):
        for item in node:
            yield from _struct_elements(item)
    elif isinstance(node, pikepdf.Dictionary):
        if "/S" in node:
            yield node
        if "/K" in node:
            yield from _struct_elements(node.K)


def test_pdf_lays_each_action_out_as_a_labelled_block_under_its_area_heading(plan):
    """The PDF's own layout (ADR 0008): blocks, not a six-column table, and every block says
    what each value is, so a block read alone or on a screen reader makes sense."""
    out = _render(plan, "pdf", as_of=dt.date(2019, 11, 30))

    with pikepdf.open(io.BytesIO(out.content)) as pdf:
        kinds = [str(e.S) for e in _struct_elements(pdf.Root.StructTreeRoot.K)]
    headings = [int(k[2]) for k in kinds if k in {"/H1", "/H2", "/H3", "/H4"}]
    assert headings[0] == 1 and headings.count(1) == 1
    assert all(b - a <= 1 for a, b in zip(headings, headings[1:], strict=False)), headings
    assert kinds.count("/Table") == 1  # only the summary is a table
    text = "".join(
        "".join((page.extract_text() or "").split())
        for page in PdfReader(io.BytesIO(out.content)).pages
    )
    progress = text[text.rindex("Progressoneachaction") :]  # the heading, after the notes
    expected = [
        ATTAINMENT,
        "Focused work with schools to enhance the support for pupils with SEND.",
        "By when: 31 August 2020",
        "Lead: Martin Smith",
        "RAG rating: Red",
        "Where are we now? Autumn results are worse than hoped.",
        IHA,
        "By when: 30 April 2019 Overdue by",
        AUTISM,
        "By when: April 2020",
        "Lead: Sally Savage/CCG",
        "RAG rating: Not rated",
        "Where are we now? No progress update yet.",
    ]
    positions = [progress.find("".join(e.split())) for e in expected]
    assert -1 not in positions, [e for e, p in zip(expected, positions, strict=True) if p < 0]
    assert positions == sorted(positions)
    changes = text[text.index("Changessince1June2019") : text.rindex("Progressoneachaction")]
    for line in (
        "15 July 2019 · RAG rating: Green",
        f"Area for improvement: {ATTAINMENT}",
        "Update: Funding from successful bid",
        "Update: Latest update: see “Progress on each action”.",
        "From Amber to Green",
        "Why: The gap closed.",
        "Changed on 1 July 2019 · From 31 March 2020 to 31 August 2020",
        "Reason: Mosaic workflows are being reworked.",
    ):
        assert "".join(line.split()) in changes, line


def test_xlsx_has_an_excel_table_with_the_seed_header_and_real_dates(plan):
    out = _render(plan, "xlsx")

    workbook = load_workbook(io.BytesIO(out.content))
    assert workbook.properties.title.startswith("Action Plan Update as of 31 August 2019")
    sheet = workbook["Actions"]
    table = sheet.tables["Actions"]
    assert table.ref == "A1:I4"
    header = [c.value for c in sheet[1]]
    assert header[:6] == SEED_COLUMNS
    assert sheet.freeze_panes == "A2"
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert [r[0] for r in rows] == [ATTAINMENT, IHA, AUTISM]
    assert rows[0][2] == dt.datetime(2020, 8, 31)
    assert sheet["C2"].number_format == "d mmmm yyyy"
    # "April 2020" is a date (its deadline, 30 April) shown as the month, never as a made-up day.
    assert rows[2][2] == dt.datetime(2020, 4, 30)
    assert sheet["C4"].number_format == "mmmm yyyy"
    assert rows[2][6] == "month"
    assert rows[1][7] == "Yes" and rows[0][7] == "No"
    assert rows[2][5] == "Not rated"
    assert "The GAP has reduced" in rows[0][4]
    changes = workbook[f"Changes since {SINCE.isoformat()}"].tables["Changes"]
    assert changes.ref == "A1:G4"  # one update, one RAG change, one deadline change


def test_html_is_a_standalone_document_with_one_h1_scoped_headers_and_a_language(plan):
    out = _render(plan, "html")

    soup = BeautifulSoup(out.content.decode("utf-8"), "html.parser")
    assert soup.html["lang"] == "en-GB"
    assert soup.title.string.startswith("Action Plan Update as of 31 August 2019")
    assert len(soup.find_all("h1")) == 1
    levels = [int(h.name[1]) for h in soup.find_all(["h1", "h2", "h3", "h4"])]
    assert all(b - a <= 1 for a, b in zip(levels, levels[1:], strict=False)), levels
    assert not soup.find_all(["script", "link"])
    for table in soup.find_all("table"):
        assert table.caption and table.caption.get_text(strip=True)
    headers = soup.find_all("th")
    assert headers and all(th.get("scope") in {"col", "row"} for th in headers)
    main = next(
        t
        for t in soup.find_all("table")
        if t.caption.get_text(strip=True).startswith("Progress on each")
    )
    assert [th.get_text(strip=True) for th in main.thead.find_all("th")] == SEED_COLUMNS
    assert "@page" in soup.style.string


def test_markdown_has_a_pipe_table_with_the_seed_columns(plan):
    out = _render(plan, "md")

    text = out.content.decode("utf-8")
    assert text.startswith("# Action Plan Update as of 31 August 2019\n")
    assert "| " + " | ".join(SEED_COLUMNS) + " |" in text
    tokens = MarkdownIt("commonmark").enable("table").parse(text)
    inline = [t.content for t in tokens if t.type == "inline"]
    assert "Where are we now? Progress at 31 August 2019" in inline
    assert any(c.startswith("<p>Funding from successful bid") for c in inline)
    assert "April 2020" in inline and "Not rated" in inline


def test_markdown_cells_cannot_break_the_table():
    from inclusion.plans.report_markdown import md_paragraphs, md_text

    assert md_text("a | b\nc <script>") == "a \\| b c &lt;script&gt;"
    assert md_paragraphs(["one", "two"]) == "<p>one</p> <p>two</p>"
    assert md_paragraphs(["only"]) == "only"


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_render_writes_one_audit_export_entry(plan, users, fmt):
    before = AuditLog.objects.filter(operation=AuditLog.Operation.EXPORT).count()

    _render(plan, fmt, actor=users["viewer"], via="web")

    entries = AuditLog.objects.filter(operation=AuditLog.Operation.EXPORT)
    assert entries.count() == before + 1
    entry = entries.last()
    assert entry.object_id == str(plan.pk) and entry.object_type == "plans.plan"
    assert entry.actor == users["viewer"]
    assert entry.partnership_id == plan.partnership_id
    window = "" if fmt == "json" else ", changes since 2019-06-01"  # JSON has no window
    assert entry.note == f"board report {fmt} as of 2019-08-31{window}"


def test_an_unknown_format_is_refused_and_nothing_is_logged(plan):
    with pytest.raises(ValueError, match="'odt' is not a report format"):
        _render(plan, "odt")
    assert not AuditLog.objects.filter(operation=AuditLog.Operation.EXPORT).exists()


def test_json_export_is_the_interchange_file_as_the_plan_stood_on_the_date(plan, users):
    out = _render(plan, "json", actor=users["admin"])

    assert out.content_type == "application/json"
    assert out.filename.endswith("-2019-08-31.json")
    data = json.loads(out.content)
    assert data["as_of"] == "2019-08-31"
    attainment = data["areas"][0]["actions"][0]
    assert data["areas"][0]["title"] == ATTAINMENT
    assert attainment["rag"] == "green"  # not October's red
    assert [u["date"] for u in attainment["updates"]] == ["2019-03-01", "2019-07-15"]
    entry = AuditLog.objects.get(operation=AuditLog.Operation.EXPORT)
    assert entry.note == "board report json as of 2019-08-31"


def test_an_empty_plan_renders_in_every_format(partnership):
    """A plan with no action yet still makes valid files (Excel needs a data row in a table)."""
    empty = PlanFactory(partnership=partnership, title="New plan", slug="new-plan")
    for fmt in ("docx", "html", "md", "xlsx"):
        out = plan_report_render(plan=empty, fmt=fmt, as_of=AS_OF)
        assert out.content
    with zipfile.ZipFile(
        io.BytesIO(plan_report_render(plan=empty, fmt="xlsx", as_of=AS_OF).content)
    ) as z:
        assert any(name.startswith("xl/tables/") for name in z.namelist())


def test_report_columns_name_the_as_of_date():
    assert report_columns(dt.date(2020, 4, 1))[4] == "Where are we now? Progress at 1 April 2020"


# ---------------------------------------------------------------- the real seed


def test_the_seed_004_imported_exports_every_action_with_its_progress_in_every_format(partnership):
    """The real seed, through the real importer: each row, split across pages in the source,
    comes out whole in every format."""
    from inclusion.plans.services.imports import action_plan_import

    result = action_plan_import(
        partnership=partnership,
        filename=SEED_ACTION_PLAN.name,
        content=SEED_ACTION_PLAN.read_bytes(),
        plan_title="Action Plan Update August 2019",
    )
    imported = result.plan
    report = board_report_data(plan=imported, as_of=AS_OF, changes_since=None)
    assert len(report.rows) == 10
    rows = _rows_by_area(report)
    autism = next(r for title, r in rows.items() if title.startswith("To reduce the waiting time"))
    assert autism.by_when_text == "April 2020"
    mld = next(r for title, r in rows.items() if title.startswith("The proportion of children"))
    assert "understanding of this to ensure" in mld.area_title  # the row split across pages, joined
    assert any("27.6% compared to England figure of 21.6%" in p for p in mld.progress)
    jsna = next(
        r for title, r in rows.items() if title.startswith("Increase understanding of health needs")
    )
    assert jsna.rag_label == "Not rated"
    assert report.summary.amber == 8 and report.summary.green == 1

    texts = {}
    # Not the PDF: its layout is checked on the small plan above, and a PDF takes seconds.
    for fmt in ("docx", "xlsx", "md", "html"):
        out = plan_report_render(plan=imported, fmt=fmt, as_of=AS_OF)
        if fmt == "docx":
            doc = Document(io.BytesIO(out.content))
            texts[fmt] = "\n".join(c.text for t in doc.tables for row in t.rows for c in row.cells)
        elif fmt == "xlsx":
            sheet = load_workbook(io.BytesIO(out.content))["Actions"]
            assert sheet.tables["Actions"].ref == "A1:I11"
            texts[fmt] = "\n".join(
                str(v) for row in sheet.iter_rows(values_only=True) for v in row if v
            )
        else:
            texts[fmt] = out.content.decode("utf-8")
    for fmt, text in texts.items():
        flat = "".join(text.split())
        assert "27.6%comparedtoEnglandfigureof21.6%" in flat, fmt
        assert "SallySavage/SheridanDodsworth" in flat, fmt
