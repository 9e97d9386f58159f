"""Narrative inclusion plans: priorities, descriptions and commitments from text, Markdown and Word."""

import io

import docx
import pytest

from inclusion.plans.importers.detect import parse_inclusion_plan
from inclusion.plans.importers.problems import PlanImportError
from tests.conftest import SEED_INCLUSION_PLAN

SEED = SEED_INCLUSION_PLAN.read_bytes()


@pytest.fixture(scope="module")
def seed_plan():
    return parse_inclusion_plan(filename=SEED_INCLUSION_PLAN.name, content=SEED)


def _count_bullets(kind_heading: str, next_heading: str | None) -> int:
    """Top-level bullets between two headings of the source, counted without the importer."""
    lines = SEED.decode("utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if line.strip().startswith(kind_heading))
    end = (
        next(i for i, line in enumerate(lines) if line.strip().startswith(next_heading))
        if next_heading
        else len(lines)
    )
    return sum(1 for line in lines[start:end] if line.startswith("  •"))


def test_seed_has_one_priority_with_its_title_and_description(seed_plan):
    assert seed_plan.title == "Lincolnshire's SEND and Alternative Provision Inclusion Plan"
    assert seed_plan.kind == "inclusion"
    assert seed_plan.is_public is True
    assert len(seed_plan.priorities) == 1
    priority = seed_plan.priorities[0]
    assert priority.title == "Improving the range and quality of provision in Lincolnshire"
    assert priority.description.startswith("We aim to ensure there is high quality local provision")
    assert priority.description.endswith("through high aspirational focuses.")


def test_seed_has_fifteen_achieved_and_twenty_two_next_commitments(seed_plan):
    """The brief guessed 13 and 21; the file has 15 and 22 top-level bullets."""
    commitments = seed_plan.priorities[0].commitments
    achieved = [c for c in commitments if c.kind == "achieved"]
    next_ = [c for c in commitments if c.kind == "next"]
    assert len(achieved) == _count_bullets("What we have achieved", "What we will do next") == 15
    assert len(next_) == _count_bullets("What we will do next", None) == 22
    assert [c.position for c in achieved] == list(range(1, 16))


def test_seed_first_and_last_commitment_texts(seed_plan):
    commitments = seed_plan.priorities[0].commitments
    achieved = [c.text for c in commitments if c.kind == "achieved"]
    next_ = [c.text for c in commitments if c.kind == "next"]
    assert achieved[0] == (
        "the building communities of specialist provision strategy has seen a £100m investment "
        "in Lincolnshire’s special schools. This has provided over 500 additional special school "
        "places through school refurbishments, expansions and new builds"
    )
    assert achieved[-1].startswith("we have produced an alternative provision guidance")
    assert achieved[-1].endswith("throughout the placement")
    assert next_[0].startswith(
        "the local authority and the ICB will participate in the partnerships"
    )
    assert next_[-1] == (
        "we will monitor, review and evaluate the initial impact of the newly introduced "
        "occupational therapy advice line, pilot project to inform next steps and actions"
    )


def test_sub_bullets_belong_to_their_parent_commitment(seed_plan):
    spd = next(
        c
        for c in seed_plan.priorities[0].commitments
        if "sensory processing difficulties" in c.text
    )
    paragraphs = spd.text.split("\n\n")
    assert paragraphs[0].endswith("highlighted positive impact with parents andcarers:")
    assert paragraphs[1:] == [
        "• 80% felt more confident in supporting their child’s sensory processing needs",
        "• 80% felt they knew enough about SPD and how it impacted their child",
        "• 80% felt they now knew a range of strategies they could implement to help manage their child with SPD",
    ]
    assert not any(c.text.startswith("80%") for c in seed_plan.priorities[0].commitments)


MARKDOWN = """# Our SEND Strategy 2024-2027

Introduction to the strategy.

## Early identification

Children's needs are identified early.
This is the second line of the same paragraph.

Another paragraph.

### What we've achieved

- Trained 200 SENCOs in the
  graduated approach
* Opened two hubs
  ◦ one in the north
  ◦ one in the south

### Next steps

1. Publish the toolkit
2) Review the pathway

## Preparing for adulthood

**What we have achieved so far:**

● Supported internships doubled

What we will do next

o Employment fair every year
"""


def test_markdown_with_headings_variants_and_bullet_styles():
    plan = parse_inclusion_plan(filename="strategy.md", content=MARKDOWN.encode())
    assert plan.title == "Our SEND Strategy 2024-2027"
    assert plan.description == "Introduction to the strategy."
    first, second = plan.priorities
    assert first.title == "Early identification"
    assert first.description == (
        "Children's needs are identified early. This is the second line of the same paragraph."
        "\n\nAnother paragraph."
    )
    assert [(c.kind, c.text) for c in first.commitments] == [
        ("achieved", "Trained 200 SENCOs in the graduated approach"),
        ("achieved", "Opened two hubs\n\n• one in the north\n\n• one in the south"),
        ("next", "Publish the toolkit"),
        ("next", "Review the pathway"),
    ]
    assert second.title == "Preparing for adulthood"
    assert [(c.kind, c.text) for c in second.commitments] == [
        ("achieved", "Supported internships doubled"),
        ("next", "Employment fair every year"),
    ]


def test_word_document_with_list_styles():
    document = docx.Document()
    document.add_paragraph("Inclusion Plan 2025", style="Title")
    document.add_paragraph("Better transitions", style="Heading 1")
    document.add_paragraph("Moving between phases should be smooth.")
    document.add_paragraph("What we have achieved so far", style="Heading 2")
    document.add_paragraph("A transition guide for every school", style="List Bullet")
    document.add_paragraph("Used by 90% of schools", style="List Bullet 2")
    document.add_paragraph("What we will do next", style="Heading 2")
    document.add_paragraph("Extend the guide to post-16", style="List Bullet")
    buffer = io.BytesIO()
    document.save(buffer)
    plan = parse_inclusion_plan(filename="plan.docx", content=buffer.getvalue())
    assert plan.title == "Inclusion Plan 2025"
    [priority] = plan.priorities
    assert priority.title == "Better transitions"
    assert priority.description == "Moving between phases should be smooth."
    assert [(c.kind, c.text) for c in priority.commitments] == [
        ("achieved", "A transition guide for every school\n\n• Used by 90% of schools"),
        ("next", "Extend the guide to post-16"),
    ]


def test_a_document_without_commitment_headings_is_refused():
    with pytest.raises(PlanImportError) as error:
        parse_inclusion_plan(filename="letter.txt", content=b"Dear parent,\n\nThank you.\n")
    assert "letter.txt: no commitments found" in str(error.value)
