"""The booklet: the directory (or a search's results) as a tagged PDF and as Word, for print."""

import io

import pikepdf
import pytest
from docx import Document
from pypdf import PdfReader

from inclusion.directory.booklet import booklet_data, booklet_file
from tests.directory.views.world import make_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(partnership, council):
    return make_world(partnership, council)


def pdf_text(content: bytes) -> str:
    return "".join(
        "".join((p.extract_text() or "").split()) for p in PdfReader(io.BytesIO(content)).pages
    )


def test_the_booklet_groups_the_published_services_by_category(world):
    booklet = booklet_data(partnership=world.partnership)

    assert [(g.title, [v.service.name for v in g.services]) for g in booklet.groups] == [
        ("Advice and support", ["Virtual autism hub"]),
        (
            "Health and therapies",
            ["Children's speech and language therapy", "Sensory processing workshops"],
        ),
    ]
    assert booklet.service_count == 3  # not the closed service


def test_the_booklet_pdf_is_tagged_pdf_ua_in_british_english(world):
    out = booklet_file(partnership=world.partnership, file_format="pdf")

    assert out.content_type == "application/pdf" and out.filename.endswith(".pdf")
    with pikepdf.open(io.BytesIO(out.content)) as pdf:
        assert "/StructTreeRoot" in pdf.Root
        assert bool(pdf.Root.MarkInfo.Marked) is True
        assert str(pdf.Root.Lang) == "en-GB"
        assert bool(pdf.Root.ViewerPreferences.DisplayDocTitle) is True
        assert str(pdf.docinfo.Title) == "Lincolnshire SEND Partnership: Local Offer booklet"
        assert str(pdf.open_metadata().get("pdfuaid:part")) == "1"
    text = pdf_text(out.content)
    for expected in (
        "Contents",
        "Healthandtherapies",
        "Children'sspeechandlanguagetherapy",
        "01632960101",
        "salt@lchs.example",
        "MondaytoFriday,8:30amto4:30pm",
        "Free",
        "Ages0to19",
    ):
        assert expected in text, expected


def test_a_filtered_booklet_has_only_the_services_the_search_finds(world):
    out = booklet_file(
        partnership=world.partnership,
        file_format="pdf",
        filters={"taxonomy_term_ids": [world.slcn.pk]},
        described_as=["Speech, language and communication needs"],
    )

    text = pdf_text(out.content)
    assert "Children'sspeechandlanguagetherapy" in text
    assert "Virtualautismhub" not in text
    assert "Servicesfor:Speech,languageandcommunicationneeds" in text


def test_the_booklet_in_word_has_real_headings_and_every_contact_detail(world):
    out = booklet_file(partnership=world.partnership, file_format="docx")

    doc = Document(io.BytesIO(out.content))
    headings = [
        (p.style.name, p.text)
        for p in doc.paragraphs
        if p.style.name.startswith(("Heading", "Title"))
    ]
    assert headings[0] == ("Title", "Lincolnshire SEND Partnership: Local Offer booklet")
    assert ("Heading 1", "Contents") in headings
    assert ("Heading 1", "Health and therapies") in headings
    assert ("Heading 2", "Virtual autism hub") in headings
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "Phone: 01632 960101" in text and "Email: hub@lcc.example" in text
    assert "Where: Online, by phone or in your home" in text
    assert doc.core_properties.language == "en-GB"


def test_an_unknown_format_is_refused(world):
    with pytest.raises(ValueError, match="format must be one of"):
        booklet_file(partnership=world.partnership, file_format="odt")
