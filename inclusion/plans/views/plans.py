"""The plan list, a plan's overview and the board report download."""

import datetime as dt

from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

from inclusion.plans import page_helpers, selectors
from inclusion.plans.forms import ChangesSinceForm, ReportForm
from inclusion.plans.models import Plan
from inclusion.plans.permissions import PlanPermission
from inclusion.plans.views.common import render_page, require


@require_GET
def plan_list(request: HttpRequest) -> HttpResponse:
    today = page_helpers.today()
    plans = selectors.plans_for_user(request.user)
    return render_page(
        request,
        "plans/plan_list.html",
        {
            "rows": page_helpers.plan_rows(plans, today),
            "can_import": request.user.has_perm(
                PlanPermission.IMPORT, getattr(request.user, "partnership", None)
            ),
        },
    )


def _report_form(plan: Plan, today: dt.date) -> ReportForm:
    return ReportForm(
        initial={"format": "docx", "as_of": today, "since": plan.last_report_date}, today=today
    )


@require_GET
def plan_detail(request: HttpRequest, slug: str) -> HttpResponse:
    plan = selectors.plan_get_for_user(request.user, slug=slug)
    require(request, PlanPermission.VIEW, plan)
    today = page_helpers.today()
    since_form = ChangesSinceForm(request.GET, today=today)
    valid = since_form.is_valid()
    since = since_form.cleaned_data.get("since") if valid else None
    overview = selectors.plan_overview(plan=plan, today=today, changes_since=since)
    return render_page(
        request,
        "plans/plan_detail.html",
        {
            "plan": plan,
            "overview": overview,
            "overview_limit": selectors.OVERVIEW_LIMIT,
            "rag_counts": page_helpers.rag_counts(overview.rag_counts, overview.total),
            "overdue_rows": page_helpers.action_rows(overview.overdue, today),
            "since_form": since_form,
            "download_form": _report_form(plan, today),
            "report_links": page_helpers.report_links(plan, today),
            "can_export": request.user.has_perm(PlanPermission.EXPORT, plan),
            "today": today,
        },
        status=200 if valid else 400,
    )


@require_GET
def plan_report(request: HttpRequest, slug: str) -> HttpResponse:
    """Download the board report; without a format (or with a mistake) show the form."""
    plan = selectors.plan_get_for_user(request.user, slug=slug)
    require(request, PlanPermission.EXPORT, plan)
    today = page_helpers.today()
    if "format" not in request.GET:
        form = _report_form(plan, today)
        return render_page(request, "plans/plan_report_form.html", {"plan": plan, "form": form})
    form = ReportForm(request.GET, today=today)
    if not form.is_valid():
        return render_page(
            request, "plans/plan_report_form.html", {"plan": plan, "form": form}, status=400
        )
    # Imported here: WeasyPrint takes over a second to import and only downloads need it.
    from inclusion.plans import reports

    rendered = reports.plan_report_render(
        plan=plan,
        fmt=form.cleaned_data["format"],
        as_of=form.cleaned_data["as_of"],
        changes_since=form.cleaned_data["since"],
        actor=request.user,
        via="web",
    )
    return rendered.http_response()
