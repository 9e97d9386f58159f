"""The plan list, a plan's overview and the board report download."""

import datetime as dt

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from inclusion.plans import page_helpers, selectors
from inclusion.plans.forms import ChangesSinceForm, ReportDateForm, ReportForm
from inclusion.plans.models import Plan
from inclusion.plans.permissions import PlanPermission
from inclusion.plans.services.actions import plan_update
from inclusion.plans.views.common import require


@require_GET
def plan_list(request: HttpRequest) -> HttpResponse:
    today = page_helpers.today()
    plans = selectors.plans_for_user(request.user)
    return render(
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
    return render(
        request,
        "plans/plan_detail.html",
        {
            "plan": plan,
            "overview": overview,
            "overview_limit": selectors.OVERVIEW_LIMIT,
            "rag_counts": page_helpers.rag_counts(overview.rag_counts, overview.total),
            "overdue_rows": page_helpers.action_rows(overview.overdue, today),
            "evidence": page_helpers.plan_evidence_differences(plan),
            "since_form": since_form,
            "download_form": _report_form(plan, today),
            "report_links": page_helpers.report_links(plan, today),
            "can_export": request.user.has_perm(PlanPermission.EXPORT, plan),
            "can_edit": request.user.has_perm(PlanPermission.EDIT, plan),
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
        return render(request, "plans/plan_report_form.html", {"plan": plan, "form": form})
    form = ReportForm(request.GET, today=today)
    if not form.is_valid():
        return render(
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


@require_http_methods(["GET", "POST"])
def plan_report_date(request: HttpRequest, slug: str) -> HttpResponse:
    """Record the date of the last board report, where "what changed since" starts."""
    plan = selectors.plan_get_for_user(request.user, slug=slug)
    require(request, PlanPermission.EDIT, plan)
    today = page_helpers.today()
    status = 200
    if request.method == "POST":
        form = ReportDateForm(request.POST, today=today)
        status = 400
        if form.is_valid():
            try:
                plan_update(
                    plan=plan,
                    last_report_date=form.cleaned_data["report_date"],
                    actor=request.user,
                    via="web",
                )
            except ValidationError as error:
                form.add_service_errors(error, {"last_report_date": "report_date"})
            else:
                messages.success(request, "Board report date recorded")
                return redirect("plans:plan_detail", slug=plan.slug)
    else:
        form = ReportDateForm(initial={"report_date": plan.last_report_date or today}, today=today)
    return render(
        request, "plans/plan_report_date.html", {"plan": plan, "form": form}, status=status
    )
