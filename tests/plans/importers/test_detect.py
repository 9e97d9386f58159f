"""Choosing the reader: junk, empty and unknown files get clear errors."""

import io
import zipfile

import pytest

from inclusion.plans.importers.detect import parse_action_plan, parse_inclusion_plan, sniff
from inclusion.plans.importers.problems import PlanImportError


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "plan.md: the file is empty"),
        (b"  \n\n ", "plan.md: the file is empty"),
        (bytes(range(256)) * 4, "plan.md: the file is not text (it has binary data)"),
        (b"%PDF-1.7\n...", "plan.md: PDF files cannot be read"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "plan.md: this is an old-style Word"),
        (b"PK\x03\x04broken", "plan.md: the file looks like a zip archive but is damaged"),
        (b"Just a letter, with no table in it.\n", "plan.md: no table found"),
    ],
)
def test_bad_files_give_a_clear_error(content, message):
    with pytest.raises(PlanImportError) as error:
        parse_action_plan(filename="plan.md", content=content)
    assert str(error.value).startswith(message)


def test_a_zip_that_is_not_office_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("photo.jpg", b"x")
    with pytest.raises(PlanImportError) as error:
        parse_action_plan(filename="plan.zip", content=buffer.getvalue())
    assert "zip archive, not a plan" in str(error.value)


@pytest.mark.parametrize(
    ("filename", "content", "kind"),
    [
        ("a.txt", b"Title\n\n| a | b |\n|--|--|\n| 1 | 2 |\n", "markdown"),
        ("a.doc", b"<html><body><table><tr><td>x</td></tr></table></body></html>", "html"),
        ("a.txt", b"<p>Intro</p><table><tr><td>x</td></tr></table>", "html"),
        ("a.csv", b"area,how\nx,y\n", "csv"),
        ("a.dat", b'{"areas": []}', "json"),
        ("a.txt", "Plan\n\n\u2022 a bullet\n".encode(), "text"),
    ],
)
def test_content_decides_the_reader_before_the_extension(filename, content, kind):
    assert sniff(filename, content) == kind


def test_a_spreadsheet_is_not_an_inclusion_plan():
    with pytest.raises(PlanImportError) as error:
        parse_inclusion_plan(filename="plan.csv", content=b"area,how\nx,y\n")
    assert "plan.csv: an inclusion plan is read from text" in str(error.value)


def test_windows_1252_text_is_read():
    text = "Plan \u2013 2020\n\n| Area | How | By when | Lead | Progress at May 2020 | RAG |\n|-|-|-|-|-|-|\n| A | B | 31.08.20 | C | Caf\u00e9 opened. | Green |\n"
    plan = parse_action_plan(filename="p.txt", content=text.encode("cp1252"))
    assert plan.updates[0].text == "Caf\u00e9 opened."
    assert plan.title == "Plan \u2013 2020"
