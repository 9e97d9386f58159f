"""The public Local Offer: search, service pages, pathways, the guide, feedback, the booklet.

No sign-in (`login_not_required`), no JavaScript needed. Every page names the partnership
in its header and ends with "Was this page useful?". The directory served is the one
`selectors.directory_partnership()` picks (the `DIRECTORY_PARTNERSHIP` setting, else the
partnership that has one), as the Open Referral UK API does.
"""

import uuid
from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from inclusion.accounts.models import Partnership
from inclusion.core import timescales
from inclusion.core.pagination import pagination
from inclusion.directory import booklet, selectors
from inclusion.directory import services as directory_services
from inclusion.directory.forms import BookletForm, FeedbackForm, SearchForm
from inclusion.directory.models import Taxonomy
from inclusion.directory.postcodes import format_distance
from inclusion.directory.search import SearchError, filter_terms, search_services
from inclusion.directory.views import content
from inclusion.directory.views.display import service_card_view, service_view

PAGE_SIZE = 20


def directory_or_404() -> Partnership:
    partnership = selectors.directory_partnership()
    if partnership is None:
        raise Http404("There is no Local Offer here yet")
    return partnership


def render_public(
    request: HttpRequest,
    template: str,
    context: dict[str, Any],
    *,
    partnership: Partnership,
    status: int = 200,
    service_id: Any = None,
) -> HttpResponse:
    """A public page: the partnership's name in the header, feedback at the foot."""
    context.update(
        {
            "partnership": partnership,
            "page_partnership_name": f"{partnership.name}: Local Offer",
            "page_home_url": reverse("directory:home"),
            "feedback_page": request.get_full_path(),
            "feedback_service": service_id or "",
        }
    )
    context.setdefault("feedback_form", FeedbackForm())
    return render(request, template, context, status=status)


def term_choices(partnership: Partnership) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """(needs, types of service) for the search form: the terms that find something."""
    needs: list[tuple[str, str]] = []
    categories: list[tuple[str, str]] = []
    kinds = [Taxonomy.Kind.NEED, Taxonomy.Kind.SEND_CATEGORY, Taxonomy.Kind.SERVICE_TYPE]
    for term in filter_terms(partnership, kinds):
        target = needs if term.taxonomy.kind == Taxonomy.Kind.NEED else categories
        target.append((str(term.pk), term.name))
    return needs, categories


def search_form(
    request: HttpRequest, partnership: Partnership, form_class: type = SearchForm
) -> Any:
    needs, categories = term_choices(partnership)
    return form_class(request.GET or None, needs=needs, categories=categories)


# ---------------------------------------------------------------- home and search


@login_not_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    partnership = directory_or_404()
    needs, categories = term_choices(partnership)
    form = SearchForm(needs=needs, categories=categories)
    return render_public(
        request,
        "directory/home.html",
        {
            "form": form,
            "needs": needs,
            "pathways": content.PATHWAYS,
            "service_count": selectors.published_services(partnership).count(),
        },
        partnership=partnership,
    )


def _applied(form: SearchForm) -> list[str]:
    """The search in words, to follow "Showing services": "matching “speech”", "for autism",
    "for age 7", "within 5 miles of LN1 1YL"."""
    data = form.cleaned_data
    words = []
    if data.get("q"):
        words.append(f"matching “{data['q']}”")
    choices = {**dict(form.fields["need"].choices), **dict(form.fields["category"].choices)}
    if data.get("need"):
        words.append(f"for {choices.get(data['need'], '')}")
    if data.get("category"):
        words.append(f"in {choices.get(data['category'], '')}")
    if data.get("age") is not None:
        words.append(f"for age {data['age']}")
    if data.get("postcode"):
        if data.get("distance"):
            miles = data["distance"]
            words.append(
                f"within {miles} {'mile' if miles == '1' else 'miles'} of {data['postcode']}"
            )
        else:
            words.append(f"nearest to {data['postcode']} first")
    return words


@login_not_required
@require_GET
def search(request: HttpRequest) -> HttpResponse:
    partnership = directory_or_404()
    form = search_form(request, partnership)
    rows: list[Any] = []
    result = None
    page = None
    status = 200
    if form.is_bound and form.is_valid():
        try:
            number = max(1, int(request.GET.get("page", "1")))
        except ValueError:
            number = 1
        try:
            result = search_services(
                partnership=partnership,
                **form.search_kwargs(),
                offset=(number - 1) * PAGE_SIZE,
                limit=PAGE_SIZE,
            )
        except SearchError as error:
            form.add_error(error.field if error.field in form.fields else None, str(error))
        else:
            page = _page(result.total, number)
            rows = _rows(partnership, result)
    elif not form.is_bound:
        result = search_services(partnership=partnership, limit=PAGE_SIZE)
        page = _page(result.total, 1)
        rows = _rows(partnership, result)
    if form.errors:
        status = 400
    return render_public(
        request,
        "directory/search.html",
        {
            "form": form,
            "result": result,
            "rows": rows,
            "applied": _applied(form) if form.is_bound and not form.errors else [],
            "pagination": _pagination(page, request) if page else None,
            "booklet_query": _booklet_query(request),
        },
        partnership=partnership,
        status=status,
    )


def _page(total: int, number: int) -> Any:
    paginator = Paginator(range(total), PAGE_SIZE)
    return paginator.get_page(number)


def _rows(partnership: Partnership, result: Any) -> list[Any]:
    """The page's services, in the search's order, in words."""
    found = {
        s.pk: s
        for s in selectors.with_card_record(
            selectors.published_services(partnership).filter(pk__in=result.ids)
        )
    }
    return [
        service_card_view(
            found[service_id], distance=format_distance(result.distances.get(service_id))
        )
        for service_id in result.ids
        if service_id in found
    ]


def _pagination(page: Any, request: HttpRequest) -> dict[str, Any] | None:
    return pagination(page, request.GET)


def _booklet_query(request: HttpRequest) -> str:
    keep = {k: v for k, v in request.GET.items() if k in SearchForm.base_fields and v}
    return urlencode(keep)


# ---------------------------------------------------------------- a service


@login_not_required
@require_GET
def service_detail(request: HttpRequest, service_id: uuid.UUID) -> HttpResponse:
    partnership = directory_or_404()
    service = selectors.published_service(partnership, service_id)
    if service is None:
        raise Http404("No such service in this Local Offer")
    return render_public(
        request,
        "directory/service.html",
        {"view": service_view(service, today=timezone.localdate())},
        partnership=partnership,
        service_id=service.pk,
    )


# ---------------------------------------------------------------- pathways and guide


@login_not_required
@require_GET
def pathway_list(request: HttpRequest) -> HttpResponse:
    partnership = directory_or_404()
    return render_public(
        request,
        "directory/pathway_list.html",
        {"pathways": content.PATHWAYS},
        partnership=partnership,
    )


@login_not_required
@require_GET
def pathway_detail(request: HttpRequest, slug: str) -> HttpResponse:
    partnership = directory_or_404()
    pathway = content.pathway_by_slug(slug)
    if pathway is None:
        raise Http404("No such pathway")
    return render_public(
        request,
        "directory/pathway_detail.html",
        {"pathway": pathway, "others": [p for p in content.PATHWAYS if p.slug != slug]},
        partnership=partnership,
    )


@login_not_required
@require_GET
def guide(request: HttpRequest) -> HttpResponse:
    partnership = directory_or_404()
    # The time limits the guide quotes come from the one definition of each (core).
    limits = {
        key: f"{deadline.amount} {deadline.unit.label}"
        for key, deadline in timescales.all_timescales(timezone.localdate()).items()
        if deadline.amount is not None
    }
    return render_public(
        request, "directory/guide.html", {"limits": limits}, partnership=partnership
    )


# ---------------------------------------------------------------- feedback


@login_not_required
@require_POST
def feedback(request: HttpRequest) -> HttpResponse:
    """'Was this page useful?': keep the answer, then thank the visitor (no JavaScript)."""
    partnership = directory_or_404()
    form = FeedbackForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        service = None
        if data.get("service"):
            service = selectors.published_service(partnership, data["service"])
        try:
            directory_services.feedback_submit(
                partnership=partnership,
                page_path=data.get("page") or reverse("directory:home"),
                useful=data["useful"] == "yes",
                comment=data.get("comment") or "",
                service=service,
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            query = urlencode({"page": data.get("page") or ""})
            return redirect(f"{reverse('directory:feedback_thanks')}?{query}")
    return render_public(
        request,
        "directory/feedback_error.html",
        {"feedback_form": form, "back": form.cleaned_data.get("page") if form.is_bound else ""},
        partnership=partnership,
        status=400,
    )


@login_not_required
@require_GET
def feedback_thanks(request: HttpRequest) -> HttpResponse:
    partnership = directory_or_404()
    back = request.GET.get("page", "")
    if not back.startswith("/") or back.startswith("//"):
        back = reverse("directory:home")
    return render_public(
        request,
        "directory/feedback_thanks.html",
        {"back": back, "hide_feedback": True},
        partnership=partnership,
    )


# ---------------------------------------------------------------- booklet


@login_not_required
@require_GET
def booklet_page(request: HttpRequest) -> HttpResponse:
    """Choose the booklet: the whole directory or some of it, as PDF or Word."""
    partnership = directory_or_404()
    needs, categories = term_choices(partnership)
    # Filled from the search it was linked from ("print these results"); PDF unless chosen.
    data = request.GET.copy()
    data.setdefault("format", "pdf")
    form = BookletForm(data, needs=needs, categories=categories)
    return render_public(request, "directory/booklet.html", {"form": form}, partnership=partnership)


@login_not_required
@require_GET
def booklet_download(request: HttpRequest) -> HttpResponse:
    partnership = directory_or_404()
    form = search_form(request, partnership, BookletForm)
    if form.is_bound and form.is_valid():
        try:
            made = booklet.booklet_file(
                partnership=partnership,
                file_format=form.cleaned_data["format"],
                filters=form.search_kwargs(),
                described_as=_applied(form),
            )
        except SearchError as error:
            form.add_error(error.field if error.field in form.fields else None, str(error))
        else:
            return made.http_response()
    if not form.is_bound:
        form.is_valid()
    return render_public(
        request, "directory/booklet.html", {"form": form}, partnership=partnership, status=400
    )
