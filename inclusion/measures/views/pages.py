"""The measures dashboards, a measure's page and the downloads of their tables.

Thin (STYLE.md): parse, authorise (`MeasurePermission.VIEW` on the user's partnership), call
`inclusion.measures.dashboard` for the reads and `presenters` for the shaping, render. A plan,
priority or measure the partnership cannot see is a 404, never a hint that it exists.
"""

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from inclusion.accounts.models import Partnership
from inclusion.measures import dashboard as reads
from inclusion.measures import presenters
from inclusion.measures.permissions import MeasurePermission
from inclusion.measures.selectors import MeasureNotFound


def _partnership(request: HttpRequest) -> Partnership:
    """The user's partnership, if they may read its measures (403 otherwise)."""
    partnership = getattr(request.user, "partnership", None)
    if partnership is None or not request.user.has_perm(MeasurePermission.VIEW, partnership):
        raise PermissionDenied
    return partnership


def _download(
    request: HttpRequest, tables: Mapping[str, presenters.DataTable], stem: str
) -> HttpResponse:
    """`?table=<name>&format=csv|xlsx`; a 400 naming the choices for anything else."""
    fmt, key = request.GET.get("format", ""), request.GET.get("table", "")
    if fmt not in presenters.FORMATS or key not in tables:
        return HttpResponseBadRequest(
            f"Choose a table ({', '.join(tables)}) and a format ({', '.join(presenters.FORMATS)}),"
            " for example ?table=" + next(iter(tables), "") + "&format=csv",
            content_type="text/plain; charset=utf-8",
        )
    return presenters.table_file(tables[key], fmt, f"{stem}-{key}").http_response()


@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    partnership = _partnership(request)
    data = reads.dashboard(partnership=partnership, today=timezone.localdate())
    return render(
        request,
        "measures/dashboard.html",
        {
            "data": data,
            "table": presenters.dashboard_tables(data)["measures"],
            "may_manage": request.user.has_perm(MeasurePermission.MANAGE, partnership),
            "may_upload": request.user.has_perm(MeasurePermission.UPLOAD_STATISTICS, partnership),
            "may_choose": request.user.has_perm(MeasurePermission.CHOOSE_NEIGHBOURS, partnership),
        },
    )


@require_GET
def dashboard_download(request: HttpRequest) -> HttpResponse:
    partnership = _partnership(request)
    data = reads.dashboard(partnership=partnership, today=timezone.localdate())
    return _download(request, presenters.dashboard_tables(data), "measures")


def _plan_dashboard(request: HttpRequest, plan: Any, priority: Any = None) -> reads.PlanDashboard:
    partnership = _partnership(request)
    try:
        return reads.plan_dashboard(
            partnership=partnership,
            plan_id=plan,
            priority_id=priority,
            today=timezone.localdate(),
        )
    except reads.PlanNotFound:
        raise Http404("No such plan") from None


def _plan_page(request: HttpRequest, data: reads.PlanDashboard) -> HttpResponse:
    tables = presenters.plan_tables(data)
    return render(
        request,
        "measures/plan_dashboard.html",
        {
            "data": data,
            "everything": tables["measures"],
            "groups": [tables[f"area-{group.id}"] for group in data.groups],
        },
    )


@require_GET
def plan_dashboard(request: HttpRequest, plan: Any) -> HttpResponse:
    return _plan_page(request, _plan_dashboard(request, plan))


@require_GET
def priority_dashboard(request: HttpRequest, plan: Any, priority: Any) -> HttpResponse:
    return _plan_page(request, _plan_dashboard(request, plan, priority))


@require_GET
def plan_dashboard_download(request: HttpRequest, plan: Any) -> HttpResponse:
    data = _plan_dashboard(request, plan)
    return _download(request, presenters.plan_tables(data), f"measures-{data.plan.slug}")


@require_GET
def priority_dashboard_download(request: HttpRequest, plan: Any, priority: Any) -> HttpResponse:
    data = _plan_dashboard(request, plan, priority)
    return _download(request, presenters.plan_tables(data), f"measures-{data.plan.slug}-priority")


def _measure_data(request: HttpRequest, code: str) -> reads.MeasurePage:
    partnership = _partnership(request)
    try:
        measure = reads.measure_for_partnership(partnership=partnership, code=code)
    except MeasureNotFound:
        raise Http404("No such measure") from None
    return reads.measure_page(
        partnership=partnership,
        measure=measure,
        breakdown=presenters.parse_breakdown(request.GET.get("breakdown", "")),
        today=timezone.localdate(),
    )


@require_GET
def measure_detail(request: HttpRequest, code: str) -> HttpResponse:
    view = presenters.measure_page_view(_measure_data(request, code))
    may_manage = request.user.has_perm(MeasurePermission.MANAGE, request.user.partnership)
    return render(
        request,
        "measures/measure_detail.html",
        {"view": view, "data": view.data, "may_manage": may_manage},
    )


@require_GET
def measure_download(request: HttpRequest, code: str) -> HttpResponse:
    data = _measure_data(request, code)
    return _download(request, presenters.measure_tables(data), data.measure.code)
