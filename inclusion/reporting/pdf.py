"""HTML to tagged, accessible PDF (PDF/UA-1) with WeasyPrint.

PDF/UA-1 (ISO 14289-1) asks for a structure tree (headings, tables, paragraphs tagged), the
document marked as tagged (`/MarkInfo`), a natural language (`/Lang`), a title shown in the
window bar (`DisplayDocTitle`) and the PDF/UA identification in the XMP metadata; WeasyPrint's
`pdf_variant="pdf/ua-1"` writes all of them from the HTML. It takes the title from `<title>`
and the language from `<html lang>`; this module insists on both, because a PDF without them
fails PDF/UA and a screen reader reads it in the wrong voice.

Fonts: the reports ask for Arial; Debian has no Arial, so `FONT_STACK` names its
metric-compatible twin Liberation Sans (Debian package `fonts-liberation2`) first, then
DejaVu Sans, which every WeasyPrint install has (docs/adr/0008-reports.md).

No resource is fetched while rendering except `data:` URLs: report HTML carries its own CSS,
and text typed by users must not make the server fetch addresses.
"""

from collections.abc import Sequence
from typing import Any

PDF_VARIANT = "pdf/ua-1"
FONT_STACK = '"Liberation Sans", Arimo, Arial, Helvetica, "DejaVu Sans", sans-serif'


def _page_references(pdf: Any) -> tuple[bytes, ...]:
    """pydyf's `PDF.page_references`, built once per page count instead of on every call.

    pydyf 0.13 rebuilds the tuple of every page's reference each time it is read, and
    WeasyPrint's PDF/UA tagging reads it once per structure element: O(elements x pages),
    which for a 2,000-page report was most of `write_pdf` (docs/adr/0008-reports.md). The
    pages are all added before tagging starts; the page count is the cache key, so a page
    added later still gets a fresh tuple.
    """
    kids = pdf.pages["Kids"]
    cached = pdf.__dict__.get("_inclusion_page_references")
    if cached is None or cached[0] != len(kids):
        cached = (len(kids), tuple(f"{number} 0 R".encode("ascii") for number in kids[::3]))
        pdf.__dict__["_inclusion_page_references"] = cached
    return cached[1]


def _cache_page_references() -> None:
    import pydyf

    if pydyf.PDF.__dict__["page_references"].fget is not _page_references:
        pydyf.PDF.page_references = property(_page_references)  # type: ignore[method-assign]


class PdfError(ValueError):
    """The HTML cannot make an accessible PDF (no title or no language)."""


def html_to_pdf(
    html: str,
    *,
    title: str | None = None,
    language: str | None = None,
    stylesheets: Sequence[str] = (),
) -> bytes:
    """A PDF/UA-1 PDF of a standalone HTML document.

    `title` and `language` override the document's `<title>` and `<html lang>`; one or the
    other must give each, or PdfError is raised.
    """
    # Imported here: WeasyPrint (Pango, fontconfig) takes over a second to import, and only
    # PDF renders need it, not every page or command that imports a report module.
    from weasyprint import CSS, HTML
    from weasyprint.urls import URLFetcher

    _cache_page_references()

    document = HTML(string=html, url_fetcher=URLFetcher(allowed_protocols=["data"])).render(
        stylesheets=[CSS(string=css) for css in stylesheets] or None,
        pdf_variant=PDF_VARIANT,
        pdf_tags=True,
    )
    if title:
        document.metadata.title = title
    if language:
        document.metadata.lang = language
    if not (document.metadata.title or "").strip():
        raise PdfError("the PDF has no title: give the HTML a <title> or pass title=")
    if not (document.metadata.lang or "").strip():
        raise PdfError(
            'the PDF has no language: give the HTML <html lang="en-GB"> or pass language='
        )
    return document.write_pdf(pdf_variant=PDF_VARIANT)
