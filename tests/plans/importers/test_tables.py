"""Markdown and HTML action plan tables, read from the real seed and from small variants."""

import re
from collections import Counter

import pytest

from inclusion.core.partial_dates import PartialDate, Precision
from inclusion.plans.importers.detect import parse_action_plan
from inclusion.plans.importers.problems import PlanImportError
from inclusion.plans.importers.tables import interpret_action_tables, read_html, read_markdown
from inclusion.plans.importers.values import join_continuation, parse_leads, parse_rag
from tests.conftest import SEED_ACTION_PLAN

SEED = SEED_ACTION_PLAN.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def seed_plan():
    return parse_action_plan(filename=SEED_ACTION_PLAN.name, content=SEED.encode())


def _seed_progress_fragments() -> list[str]:
    """The progress column's text, cell by cell, read without the importer's code."""
    fragments = []
    column = None
    for line in SEED.splitlines():
        if not line.startswith("|"):
            continue
        cells = line.strip().strip("|").split("|")
        if column is None and any("Where are we now" in c for c in cells):
            column = next(i for i, c in enumerate(cells) if "Where are we now" in c)
            continue
        if column is None or set("".join(cells)) <= set("-: "):
            continue
        text = re.sub(r"<[^>]+>", " ", cells[column])
        if text.strip():
            fragments.append(text)
    return fragments


def _sentences(text: str) -> list[str]:
    text = " ".join(text.split())
    return [s for s in re.split(r"(?<=[.!?)])\s+(?=[A-Z'(0-9])", text) if s]


def test_seed_gives_ten_areas_each_with_one_action_and_one_update(seed_plan):
    assert seed_plan.title == "Action Plan Update August 2019"
    assert seed_plan.kind == "inspection_action"
    assert len(seed_plan.areas) == 10
    assert [len(area.actions) for area in seed_plan.areas] == [1] * 10
    assert [len(action.updates) for action in seed_plan.actions] == [1] * 10


def test_seed_ratings_are_eight_amber_one_green_one_not_rated(seed_plan):
    assert Counter(action.rag for action in seed_plan.actions) == {"amber": 8, "green": 1, "": 1}
    assert seed_plan.areas[5].actions[0].rag == "green"
    assert seed_plan.areas[6].actions[0].rag == ""


def test_seed_leads_are_split_on_slashes_and_kept_as_written(seed_plan):
    leads = [action.leads for action in seed_plan.actions]
    assert leads[0] == ["Martin Smith"]
    assert leads[2] == ["Kate Capel", "Health DCO"]
    assert leads[5] == ["Sally Savage", "Sheridan Dodsworth"]
    assert leads[9] == ["John Harris", "CCG"]


def test_seed_by_when_keeps_days_and_months(seed_plan):
    by_when = [action.by_when for action in seed_plan.actions]
    assert by_when[0].iso() == "2020-08-31"
    assert by_when[0].precision == Precision.DAY
    assert by_when[7] == PartialDate.month(2020, 4)
    assert by_when[7].iso() == "2020-04"
    assert by_when[9].iso() == "2019-04-30"


def test_seed_updates_are_dated_by_the_progress_column_header(seed_plan):
    assert {u.date for u in seed_plan.updates} == {PartialDate.month(2019, 8)}
    assert "Progress at August 2019" in seed_plan.update_date_from


def test_an_area_title_split_across_pages_is_one_sentence(seed_plan):
    assert seed_plan.areas[1].title.endswith(
        "higher than seen nationally. Focus on developing a shared understanding of this to "
        "ensure that the category of need is being accurately identified and recorded."
    )


def test_every_progress_sentence_of_the_source_appears_exactly_once(seed_plan):
    expected = _sentences(" ".join(_seed_progress_fragments()))
    imported_text = " ".join(u.text.replace("\n\n", " ") for u in seed_plan.updates)
    assert _sentences(imported_text) == expected
    for sentence in expected:
        assert imported_text.count(sentence) == 1, sentence
    assert len(expected) > 50


def test_a_paragraph_split_across_pages_is_joined_into_its_own_row(seed_plan):
    local_offer = seed_plan.areas[4].actions[0].updates[0].text
    assert (
        "Communication and promotion has been undertaken with parent groups and schools."
        in (local_offer.split("\n\n"))[-1]
    )
    mld = seed_plan.areas[1].actions[0].updates[0].text.split("\n\n")
    assert (
        "categorisation of need, using these specific terms, is consistent across settings."
        in mld[0]
    )
    assert len(mld) == 3


def test_the_green_row_ends_with_its_note_paragraph(seed_plan):
    text = seed_plan.areas[5].actions[0].updates[0].text
    assert text.split("\n\n")[-1].startswith("Note: August 2019 - Further work is now required")
    assert text.count("Note: August 2019") == 1


def test_a_continuation_that_starts_a_new_sentence_starts_a_new_paragraph(seed_plan):
    jsna = seed_plan.areas[6].actions[0].updates[0].text.split("\n\n")
    assert jsna[-1].startswith("The Designated Clinical Officer (DCO) is working closely")
    assert len(jsna) == 3


def _markdown_tables_to_html(markdown: str) -> str:
    """The seed's tables as HTML, built independently of the importer."""
    out, in_table = [], False
    for line in markdown.splitlines():
        if line.startswith("|"):
            cells = line.strip().strip("|").split("|")
            if set("".join(cells)) <= set("-: "):
                continue
            if not in_table:
                out.append("<table>")
                in_table = True
            out.append("<tr>" + "".join(f"<td>{c.strip()}</td>" for c in cells) + "</tr>")
        else:
            if in_table:
                out.append("</table>")
                in_table = False
            if line.strip():
                out.append(f"<p>{line.strip()}</p>")
    if in_table:
        out.append("</table>")
    return "<html><body>" + "\n".join(out) + "</body></html>"


def test_the_same_tables_as_html_give_the_same_plan(seed_plan):
    html = _markdown_tables_to_html(SEED)
    from_html = parse_action_plan(filename="plan.html", content=html.encode())
    assert [a.title for a in from_html.areas] == [a.title for a in seed_plan.areas]
    assert [u.text for u in from_html.updates] == [u.text for u in seed_plan.updates]
    assert [a.leads for a in from_html.actions] == [a.leads for a in seed_plan.actions]


VARIANT = """# Written Statement of Action: progress

| Actions | Area | Deadline | Responsible officer | Status | Progress at March 2021 |
|---|---|---|---|---|---|
| Publish the new Local Offer | Local Offer is not well known | March 2021 | A. Jones; Comms team | Complete | Site launched. |
| Promote it in schools | | 30/06/2021 | B. Smith | red | Not started yet |
| Review EHC plan quality | EHC plans | 2021-09-30 | QA lead | Not rated | Audit planned. |
| Train caseworkers | EHC plans | 31.12.21 | Training lead |  |  |
"""


def test_columns_are_found_by_their_words_in_any_order():
    plan = parse_action_plan(filename="wsoa.md", content=VARIANT.encode())
    assert plan.title == "Written Statement of Action: progress"
    assert [a.title for a in plan.areas] == ["Local Offer is not well known", "EHC plans"]
    first, second = plan.areas[0].actions
    assert first.how == "Publish the new Local Offer"
    assert first.leads == ["A. Jones", "Comms team"]
    assert first.rag == "blue"
    assert first.by_when == PartialDate.month(2021, 3)
    assert second.how == "Promote it in schools"  # empty area: the area above
    assert second.rag == "red"
    assert {u.date for u in plan.updates} == {PartialDate.month(2021, 3)}


def test_a_repeated_area_title_adds_to_the_same_area():
    plan = parse_action_plan(filename="wsoa.md", content=VARIANT.encode())
    ehc = plan.areas[1]
    assert [a.how for a in ehc.actions] == ["Review EHC plan quality", "Train caseworkers"]
    assert ehc.actions[1].updates == []
    assert [a.position for a in ehc.actions] == [1, 2]


NO_DATE = """Our action plan

| Area | How | By when | Lead | Progress | RAG |
|--|--|--|--|--|--|
| Area one | Do it | 31.08.20 | Kate | Going well. | Amber |
"""


def test_without_a_date_for_the_updates_the_error_asks_for_one():
    with pytest.raises(PlanImportError) as error:
        parse_action_plan(filename="plan.md", content=NO_DATE.encode())
    assert "--update-date" in str(error.value)
    assert str(error.value).startswith("plan.md: ")


def test_the_date_given_dates_updates_when_the_file_has_none():
    plan = parse_action_plan(
        filename="plan.md", content=NO_DATE.encode(), update_date=PartialDate.month(2020, 9)
    )
    assert plan.updates[0].date == PartialDate.month(2020, 9)


def _bad(row: str) -> str:
    return NO_DATE.replace("| Area one | Do it | 31.08.20 | Kate | Going well. | Amber |", row)


def test_an_impossible_date_names_file_row_column_and_month():
    with pytest.raises(PlanImportError) as error:
        parse_action_plan(
            filename="plan.md",
            content=_bad("| Area one | Do it | 31.13.20 | Kate | Going well. | Amber |").encode(),
            update_date=PartialDate.month(2020, 9),
        )
    assert str(error.value) == (
        "plan.md, row 5, column 'By when': '31.13.20' has month 13; months run from 1 to 12"
    )
    assert error.value.problems[0].row == 5


def test_an_unknown_rag_word_is_named():
    with pytest.raises(PlanImportError) as error:
        parse_action_plan(
            filename="plan.md",
            content=_bad("| Area one | Do it | 31.08.20 | Kate | Going well. | Purple |").encode(),
            update_date=PartialDate.month(2020, 9),
        )
    assert "row 5, column 'RAG': 'Purple' is not a RAG rating" in str(error.value)


def test_every_problem_is_reported_not_only_the_first():
    rows = (
        "| Area one | Do it | 31.13.20 | Kate | Going well. | Purple |\n"
        "| Area two | Do more | 32.01.20 | Kate | Fine. | Green |"
    )
    with pytest.raises(PlanImportError) as error:
        parse_action_plan(
            filename="plan.md", content=_bad(rows).encode(), update_date=PartialDate.month(2020, 9)
        )
    assert [(p.row, p.column) for p in error.value.problems] == [
        (5, "By when"),
        (5, "RAG"),
        (6, "By when"),
    ]


def test_a_row_with_fewer_cells_than_the_header_is_a_truncated_table():
    with pytest.raises(PlanImportError) as error:
        parse_action_plan(
            filename="plan.md",
            content=_bad("| Area one | Do it | 31.08.20 | Kate |").encode(),
            update_date=PartialDate.month(2020, 9),
        )
    assert "row 5" in str(error.value)
    assert "4 cells but its table has 6 columns" in str(error.value)


def test_a_file_cut_off_mid_row_is_an_error():
    cut = SEED[: SEED.index("This process is seeing progress improve.")]
    with pytest.raises(PlanImportError) as error:
        parse_action_plan(filename="cut.md", content=cut.encode())
    assert "truncated" in str(error.value)


def test_a_file_starting_with_a_continuation_row_has_no_row_to_carry_on():
    text = (
        "Plan August 2019\n\n| Area | How | By when | Lead | Progress | RAG |\n|--|--|--|--|--|--|\n"
        "| | | | | carried on from a page we do not have | |\n"
    )
    with pytest.raises(PlanImportError) as error:
        parse_action_plan(filename="cut.md", content=text.encode())
    assert str(error.value) == (
        "cut.md, row 5: this row carries on the text of a row above, but there is none "
        "(is the file cut off?)"
    )


def test_a_rating_without_progress_text_is_an_error():
    with pytest.raises(PlanImportError) as error:
        parse_action_plan(
            filename="plan.md",
            content=_bad("| Area one | Do it | 31.08.20 | Kate | | Red |").encode(),
            update_date=PartialDate.month(2020, 9),
        )
    assert "no progress text" in str(error.value)


def test_a_table_without_the_needed_columns_is_no_action_plan():
    text = "Title\n\n| Name | Phone |\n|--|--|\n| Kate | 0123 |\n"
    with pytest.raises(PlanImportError) as error:
        parse_action_plan(filename="contacts.md", content=text.encode())
    assert "no action table found" in str(error.value)


def test_a_repeated_header_row_on_each_page_is_skipped():
    header = "| Area | How | By when | Lead | Progress at May 2020 | RAG |\n|--|--|--|--|--|--|\n"
    text = (
        "Plan\n\n" + header + "| Area one | Do it | 31.08.20 | Kate | The work started and is "
        "going | Amber |\n\n" + header + "| | | | | well. | |\n"
    )
    plan = parse_action_plan(filename="p.md", content=text.encode())
    assert plan.updates[0].text == "The work started and is going well."


def test_html_tables_with_header_cells_and_colspan():
    html = """<html><head><title>Ignored</title></head><body><h1>SEND WSOA update May 2021</h1>
    <table><thead><tr><th>Area for improvement</th><th>How</th><th>Target date</th>
    <th>Owner</th><th>Update</th><th>RAG status</th></tr></thead>
    <tbody><tr><td>Timeliness</td><td><p>Recruit caseworkers</p></td><td>June 2021</td>
    <td>Head of SEND<br>HR</td><td><p>Two posts filled.</p><p>One to go.</p></td><td>green</td></tr>
    <tr><td colspan="6"></td></tr></tbody></table></body></html>"""
    plan = read_html(html)
    parsed = interpret_action_tables(plan)
    action = parsed.actions[0]
    assert parsed.title == "SEND WSOA update May 2021"
    assert action.leads == ["Head of SEND", "HR"]
    assert action.updates[0].text == "Two posts filled.\n\nOne to go."
    assert action.updates[0].date == PartialDate.month(2021, 5)


def test_markdown_reader_keeps_paragraphs_of_html_cells():
    doc = read_markdown(
        "T\n\n| a | b |\n|--|--|\n| <p>one</p> <p>two &amp; three</p> | x \\| y |\n"
    )
    assert doc.tables[0].rows[1].cells == [["one", "two & three"], ["x | y"]]


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("Kate Capel/Health DCO", ["Kate Capel", "Health DCO"]),
        ("John Harris /CCG", ["John Harris", "CCG"]),
        ("A. Jones; Comms team\nHR", ["A. Jones", "Comms team", "HR"]),
        ("  Sally  Savage ", ["Sally Savage"]),
        ("", []),
    ],
)
def test_leads_split_on_slash_semicolon_and_new_line(text, names):
    assert parse_leads(text) == names


@pytest.mark.parametrize(
    ("word", "rag"),
    [
        ("Amber", "amber"),
        ("GREEN", "green"),
        ("complete", "blue"),
        ("Not rated", ""),
        ("", ""),
        ("red.", "red"),
    ],
)
def test_rag_words(word, rag):
    assert parse_rag(word) == rag


def test_join_continuation_joins_mid_sentence_and_keeps_new_paragraphs():
    assert join_continuation(["It was agreed to"], ["streamline it.", "Next."]) == [
        "It was agreed to streamline it.",
        "Next.",
    ]
    assert join_continuation(["Done."], ["Note: more."]) == ["Done.", "Note: more."]
    assert join_continuation(["Done."], ["and more."]) == ["Done. and more."]
    assert join_continuation([], ["x"]) == ["x"]
