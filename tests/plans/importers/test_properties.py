"""Property tests: the table reader keeps any cell text, and nothing crashes on junk."""

import string

from hypothesis import given, settings
from hypothesis import strategies as st

from inclusion.plans.importers.detect import parse_action_plan, parse_inclusion_plan
from inclusion.plans.importers.problems import PlanImportError
from inclusion.plans.importers.tables import read_markdown
from inclusion.plans.importers.values import clean

# Cell text as people type it, pipes included (escaped in the table); "<" and "&" are
# left out because a cell with them is read as HTML, and "\\" because it escapes.
CELL_TEXT = st.text(
    alphabet=st.sampled_from(string.ascii_letters + string.digits + " .,;:!?'\"()/|-£%’–\u00a0"),
    max_size=60,
)


def _row(cells: list[str]) -> str:
    return "| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |"


@given(st.lists(st.lists(CELL_TEXT, min_size=3, max_size=3), min_size=1, max_size=6))
@settings(max_examples=150, deadline=None)
def test_any_cell_text_survives_a_markdown_table_round_trip(rows):
    text = "\n".join(["Title", "", _row(["a", "b", "c"]), "|---|---|---|", *map(_row, rows)])
    doc = read_markdown(text)
    read = [[" ".join(cell) for cell in row.cells] for row in doc.tables[0].rows[1:]]
    assert read == [[clean(c) for c in row] for row in rows]


@given(st.binary(max_size=400))
@settings(max_examples=200, deadline=None)
def test_arbitrary_bytes_never_crash_the_readers(content):
    for parse in (parse_action_plan, parse_inclusion_plan):
        try:
            parse(filename="upload.bin", content=content)
        except PlanImportError as error:
            assert error.problems


TABLE_ALPHABET = st.sampled_from(
    list("| -:\n<p>/.abcAB12\t#•*o") + ["31.13.20", "Amber", "How", "Lead", "By when", "Area"]
)


@given(st.lists(TABLE_ALPHABET, max_size=120).map("".join))
@settings(max_examples=200, deadline=None)
def test_table_like_garbage_gives_a_plan_or_a_plan_import_error(text):
    for name in ("plan.md", "plan.csv", "plan.html"):
        try:
            parse_action_plan(filename=name, content=text.encode())
        except PlanImportError as error:
            assert error.problems
