"""HTML to PDF/UA-1: tagged, with a title and a language, fetching nothing from outside."""

import base64
import io

import pikepdf
import pytest
from PIL import Image

from inclusion.reporting.pdf import PdfError, html_to_pdf

PAGE = """<!DOCTYPE html><html lang="en-GB"><head><meta charset="utf-8"><title>Board report</title>
<style>html {{ font-family: "Liberation Sans", sans-serif; }}</style></head>
<body><h1>Board report</h1>{body}<table><caption>Counts</caption>
<thead><tr><th scope="col">Rating</th><th scope="col">Actions</th></tr></thead>
<tbody><tr><td>Amber</td><td>3</td></tr></tbody></table></body></html>"""


def _structure_types(pdf):
    found = set()
    stack = [pdf.Root.StructTreeRoot]
    while stack:
        node = stack.pop()
        if isinstance(node, pikepdf.Dictionary):
            if "/S" in node:
                found.add(str(node.S))
            if "/K" in node:
                stack.append(node.K)
        elif isinstance(node, pikepdf.Array):
            stack.extend(node)
    return found


def test_the_pdf_is_tagged_pdf_ua_1_with_title_language_and_table_structure():
    content = html_to_pdf(PAGE.format(body="<p>All well.</p>"))

    with pikepdf.open(io.BytesIO(content)) as pdf:
        assert bool(pdf.Root.MarkInfo.Marked)
        assert str(pdf.Root.Lang) == "en-GB"
        assert str(pdf.docinfo.Title) == "Board report"
        assert str(pdf.open_metadata().get("pdfuaid:part")) == "1"
        assert {"/H1", "/P", "/Table", "/TH", "/TD", "/Caption"} <= _structure_types(pdf)


def test_title_and_language_can_be_given_when_the_html_lacks_them():
    html = "<html><body><p>Hello</p></body></html>"

    content = html_to_pdf(html, title="Given title", language="en-GB")

    with pikepdf.open(io.BytesIO(content)) as pdf:
        assert str(pdf.docinfo.Title) == "Given title"
        assert str(pdf.Root.Lang) == "en-GB"


@pytest.mark.parametrize(
    ("html", "message"),
    [
        ('<html lang="en-GB"><body><p>No title</p></body></html>', "no title"),
        ("<html><head><title>T</title></head><body><p>No lang</p></body></html>", "no language"),
    ],
)
def test_a_pdf_without_a_title_or_language_is_refused(html, message):
    with pytest.raises(PdfError, match=message):
        html_to_pdf(html)


def test_no_external_resource_is_fetched(tmp_path):
    secret = tmp_path / "secret.png"
    Image.new("RGB", (4, 4), "red").save(secret)
    body = f'<img src="file://{secret}" alt="x"><img src="http://127.0.0.1:9/x.png" alt="y">'

    content = html_to_pdf(PAGE.format(body=body))

    with pikepdf.open(io.BytesIO(content)) as pdf:
        images = [name for page in pdf.pages for name in page.get_images()]
    assert images == []


def test_an_image_given_as_a_data_url_is_kept():
    """The guard above is not just a broken image loader: inline images still work."""
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(buffer, format="PNG")
    data = base64.b64encode(buffer.getvalue()).decode()

    content = html_to_pdf(
        PAGE.format(body=f'<img src="data:image/png;base64,{data}" alt="A red square">')
    )

    with pikepdf.open(io.BytesIO(content)) as pdf:
        assert [name for page in pdf.pages for name in page.get_images()]


def test_page_references_are_cached_per_page_count_and_match_pydyf():
    """The cache that keeps PDF/UA tagging linear in pages (ADR 0008) returns what pydyf
    computes, and a page added afterwards is not missed."""
    import pydyf

    html_to_pdf(PAGE.format(body=""))  # installs the cache
    pdf = pydyf.PDF()
    for _ in range(3):
        pdf.add_page(pydyf.Dictionary({"Type": "/Page"}))

    expected = tuple(f"{n} 0 R".encode("ascii") for n in pdf.pages["Kids"][::3])
    first = pdf.page_references
    assert first == expected and len(first) == 3
    assert pdf.page_references is first  # read again: not rebuilt
    pdf.add_page(pydyf.Dictionary({"Type": "/Page"}))
    assert len(pdf.page_references) == 4
    assert pdf.page_references[-1] == f"{pdf.pages['Kids'][-3]} 0 R".encode("ascii")


def test_a_long_document_is_tagged_on_every_page():
    """Each page's content belongs to the structure tree, under the right page, however many
    pages there are."""
    rows = "".join(f"<p>Paragraph {n} of a long report.</p>" for n in range(400))

    content = html_to_pdf(PAGE.format(body=rows))

    with pikepdf.open(io.BytesIO(content)) as pdf:
        assert len(pdf.pages) > 5
        assert all("/StructParents" in page for page in pdf.pages)
        nums = pdf.Root.StructTreeRoot.ParentTree.Nums
        assert [int(nums[i]) for i in range(0, 2 * len(pdf.pages), 2)] == list(
            range(len(pdf.pages))
        )
        # Every marked element on a page names that page (/Pg), not another one.
        for index, page in enumerate(pdf.pages):
            elements = nums[2 * index + 1]
            assert len(elements) > 0
            assert {element.Pg.objgen for element in elements} == {page.objgen}
