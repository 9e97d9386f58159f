"""The Local Offer booklet: the whole directory, or the services a search finds, to print.

The action plan (seed 004) promised a refreshed Local Offer booklet and "more written
documentation ... for those without internet access". The booklet is a tagged PDF (PDF/UA-1,
`inclusion.reporting.pdf`) and a Word document (`inclusion.reporting.docx`) with the same
content: a contents list, the services grouped by type (a SEND category, else a service
type, else "Other services"), and for each what a family needs to get in touch.

The services are the ones `search.search_services` finds with the same filters as the search
page, so "print these results" prints exactly what the family saw.
"""

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import slugify

from inclusion.accounts.models import Partnership
from inclusion.core.presenters import format_date
from inclusion.directory import selectors
from inclusion.directory.models import Taxonomy
from inclusion.directory.search import search_services
from inclusion.directory.views.display import ServiceView, service_view
from inclusion.reporting import docx as word
from inclusion.reporting.pdf import FONT_STACK, html_to_pdf
from inclusion.reporting.rendered import DOCX, PDF, RenderedFile

LANGUAGE = "en-GB"
OTHER = "Other services"
FORMATS = ("pdf", "docx")


@dataclass
class Group:
    title: str
    anchor: str
    services: list[ServiceView]


@dataclass
class Booklet:
    partnership: Partnership
    title: str
    made_on: dt.date
    described_as: list[str]
    groups: list[Group]

    @property
    def service_count(self) -> int:
        return sum(len(g.services) for g in self.groups)


def _group_title(view: ServiceView) -> str:
    """A service's section: its first SEND category, else its first service type."""
    by_kind: dict[str, list[str]] = {}
    for attribute in view.service.attributes.all():
        term = attribute.taxonomy_term
        by_kind.setdefault(term.taxonomy.kind, []).append(term.name)
    for kind in (Taxonomy.Kind.SEND_CATEGORY, Taxonomy.Kind.SERVICE_TYPE):
        if by_kind.get(kind):
            return by_kind[kind][0]
    return OTHER


def booklet_data(
    *,
    partnership: Partnership,
    filters: dict[str, Any] | None = None,
    described_as: Sequence[str] = (),
) -> Booklet:
    """The booklet's content: the services the filters find, grouped, in words."""
    result = search_services(partnership=partnership, **(filters or {}))
    services = {
        s.pk: s
        for s in selectors.with_full_record(
            selectors.published_services(partnership).filter(pk__in=result.ids)
        )
    }
    today = timezone.localdate()
    groups: dict[str, list[ServiceView]] = {}
    for service_id in result.ids:
        service = services.get(service_id)
        if service is None:
            continue
        view = service_view(service, today=today)
        groups.setdefault(_group_title(view), []).append(view)
    ordered = sorted(groups, key=lambda title: (title == OTHER, title.lower()))
    return Booklet(
        partnership=partnership,
        title=f"{partnership.name}: Local Offer booklet",
        made_on=today,
        described_as=list(described_as),
        groups=[Group(title, f"group-{slugify(title)}", groups[title]) for title in ordered],
    )


def booklet_pdf(booklet: Booklet) -> bytes:
    html = render_to_string(
        "directory/booklet_pdf.html",
        {
            "booklet": booklet,
            "document_title": booklet.title,
            "language": LANGUAGE,
            "author": booklet.partnership.name,
            "description": "Services for children and young people with SEND and their families",
            "font_stack": FONT_STACK,
            "portrait": True,
            "made_on": format_date(booklet.made_on),
            "count_text": count_text(booklet),
            # The PDF reads the same lines as the Word document.
            "service_lines": service_lines,
        },
    )
    return html_to_pdf(html)


def service_lines(view: ServiceView) -> list[tuple[str, str]]:
    """(label, text) pairs for a service, in the order a family reads them."""
    lines: list[tuple[str, str]] = [("Provided by", view.service.organization.name)]
    lines.append(
        ("Who it is for", view.ages + (f": {', '.join(view.needs)}" if view.needs else ""))
    )
    if view.costs:
        lines.append(("Cost", "; ".join(view.costs)))
    for place in view.places:
        parts = [place.name, *place.address_lines, place.postcode]
        lines.append(("Where", ", ".join(p for p in parts if p)))
        for line in place.opening:
            lines.append(("When", line))
        for line in place.accessibility:
            lines.append(("Access", line))
    if not view.places:
        lines.append(("Where", "Online, by phone or in your home"))
    for line in view.opening:
        lines.append(("When", line))
    for phone in view.phones:
        lines.append(("Phone", phone))
    for email in view.emails:
        lines.append(("Email", email))
    if view.website:
        lines.append(("Website", view.website))
    if view.languages:
        lines.append(("Languages", ", ".join(view.languages)))
    lines.append(("Last checked", view.checked))
    return [(label, text) for label, text in lines if text]


def booklet_docx(booklet: Booklet) -> bytes:
    doc = word.new_document(
        title=booklet.title,
        author=booklet.partnership.name,
        subject="Services for children and young people with SEND and their families",
        language=LANGUAGE,
        font_size=11,
    )
    word.add_heading(doc, booklet.title, 0)
    doc.add_paragraph(f"Made on {format_date(booklet.made_on)}. {count_text(booklet)}")
    if booklet.described_as:
        doc.add_paragraph(f"Services for: {'; '.join(booklet.described_as)}.")
    doc.add_paragraph(
        "Services change: before you travel, phone or email the service to check. "
        "The Local Offer website has the latest information."
    )
    word.add_heading(doc, "Contents", 1)
    for group in booklet.groups:
        doc.add_paragraph(f"{group.title} ({len(group.services)})", style="List Bullet")
    for group in booklet.groups:
        word.add_heading(doc, group.title, 1)
        for view in group.services:
            word.add_heading(doc, view.service.name, 2)
            if view.service.alert:
                doc.add_paragraph(f"Important: {view.service.alert}")
            word.add_paragraphs(doc, view.description)
            for label, text in service_lines(view):
                paragraph = doc.add_paragraph()
                paragraph.add_run(f"{label}: ").bold = True
                paragraph.add_run(text)
    return word.to_bytes(doc)


def count_text(booklet: Booklet) -> str:
    count = booklet.service_count
    return f"{count} {'service' if count == 1 else 'services'}."


def booklet_file(
    *,
    partnership: Partnership,
    file_format: str,
    filters: dict[str, Any] | None = None,
    described_as: Sequence[str] = (),
) -> RenderedFile:
    """The booklet as a download: `file_format` "pdf" or "docx"."""
    if file_format not in FORMATS:
        raise ValueError(f"format must be one of {FORMATS}, not {file_format!r}")
    data = booklet_data(partnership=partnership, filters=filters, described_as=described_as)
    name = f"{slugify(partnership.name)}-local-offer-booklet-{data.made_on.isoformat()}"
    if file_format == "pdf":
        return RenderedFile(booklet_pdf(data), PDF, f"{name}.pdf")
    return RenderedFile(booklet_docx(data), DOCX, f"{name}.docx")
