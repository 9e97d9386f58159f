"""The editors' pages of the Local Offer (signed in).

Local authority editors (rules.py) see every service of the partnership, edit any of them,
record that a service was checked, approve or reject providers' changes and act on
feedback. Providers see their own services and propose changes, which wait for approval.
A service not assured for 12 months is flagged wherever editors see it.
"""

import uuid
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from inclusion.directory import selectors
from inclusion.directory import services as directory_services
from inclusion.directory.forms import (
    DecisionForm,
    FeedbackHandleForm,
    ServiceEditForm,
)
from inclusion.directory.models import Feedback, Service, ServiceChange
from inclusion.directory.permissions import DirectoryPermission
from inclusion.directory.views.display import service_view

PAGE_SIZE = 50


def render_editor(
    request: HttpRequest, template: str, context: dict[str, Any], *, status: int = 200
) -> HttpResponse:
    context.setdefault("can_manage", request.user.has_perm(DirectoryPermission.MANAGE))
    return render(request, template, context, status=status)


def require(request: HttpRequest, permission: DirectoryPermission, obj: Any = None) -> None:
    """403 unless the `rules` permission allows it (rules.py decides who)."""
    if not request.user.has_perm(permission, obj):
        raise PermissionDenied


def _editable_services(request: HttpRequest) -> Any:
    """Every service of the partnership for local authority editors; a provider's own otherwise."""
    if request.user.has_perm(DirectoryPermission.MANAGE):
        return selectors.services_in(request.user.partnership_id)
    return selectors.services_of_provider(request.user)


def _service(request: HttpRequest, service_id: uuid.UUID) -> Service:
    """The service, if it is in the user's partnership (404 otherwise, not 403: another
    partnership's ids are not confirmed to exist)."""
    service = selectors.services_in(request.user.partnership_id).filter(pk=service_id).first()
    if service is None:
        raise Http404("No such service")
    return service


def _rows(services: Any) -> list[dict[str, Any]]:
    today = timezone.localdate()
    return [
        {
            "service": s,
            "overdue": selectors.is_assurance_overdue(s, today),
            "checked": s.assured_date,
        }
        for s in services
    ]


@require_GET
def editor_home(request: HttpRequest) -> HttpResponse:
    require(request, DirectoryPermission.USE_EDITOR_PAGES)
    partnership_id = request.user.partnership_id
    today = timezone.localdate()
    services = _editable_services(request)
    context: dict[str, Any] = {
        "service_count": services.count(),
        "overdue_count": selectors.assurance_overdue(services, today).count(),
        "is_manager": request.user.has_perm(DirectoryPermission.MANAGE),
    }
    if context["is_manager"]:
        context["pending_count"] = selectors.pending_changes(partnership_id).count()
        context["new_feedback_count"] = selectors.feedback_for(
            partnership_id, Feedback.Status.NEW
        ).count()
    else:
        context["my_changes"] = selectors.pending_changes(partnership_id).filter(
            proposed_by=request.user
        )
    return render_editor(request, "directory/editor_home.html", context)


@require_GET
def service_list(request: HttpRequest) -> HttpResponse:
    require(request, DirectoryPermission.USE_EDITOR_PAGES)
    services = _editable_services(request).order_by("name")
    only_overdue = request.GET.get("overdue") == "1"
    if only_overdue:
        services = selectors.assurance_overdue(services, timezone.localdate())
    page = Paginator(services, PAGE_SIZE).get_page(request.GET.get("page"))
    return render_editor(
        request,
        "directory/editor_service_list.html",
        {"rows": _rows(page.object_list), "page": page, "only_overdue": only_overdue},
    )


@require_GET
def assurance_list(request: HttpRequest) -> HttpResponse:
    """Services not assured (checked) for 12 months, the longest unchecked first."""
    require(request, DirectoryPermission.MANAGE)
    services = selectors.assurance_overdue(
        selectors.services_in(request.user.partnership_id), timezone.localdate()
    ).order_by("assured_date", "name")
    return render_editor(
        request,
        "directory/assurance_list.html",
        {"rows": _rows(services), "cutoff": selectors.assured_cutoff(timezone.localdate())},
    )


@require_GET
def editor_service(request: HttpRequest, service_id: uuid.UUID) -> HttpResponse:
    service = _service(request, service_id)
    require(request, DirectoryPermission.EDIT_SERVICE, service)
    full = selectors.with_full_record(
        selectors.services_in(service.partnership_id).filter(pk=service.pk)
    ).get()
    return render_editor(
        request,
        "directory/editor_service.html",
        {
            "service": full,
            "view": service_view(full, today=timezone.localdate()),
            "changes": selectors.pending_changes(service.partnership_id).filter(service=service),
            "can_manage": request.user.has_perm(DirectoryPermission.MANAGE),
        },
    )


@require_http_methods(["GET", "POST"])
def service_edit(request: HttpRequest, service_id: uuid.UUID) -> HttpResponse:
    """Editors change the service; its provider proposes the change for approval."""
    service = _service(request, service_id)
    require(request, DirectoryPermission.EDIT_SERVICE, service)
    is_manager = request.user.has_perm(DirectoryPermission.MANAGE)
    if request.method == "POST":
        form = ServiceEditForm(request.POST, editor=is_manager)
        if form.is_valid():
            values = form.changed_values(service)
            try:
                if not values:
                    raise ValidationError("You have not changed anything")
                if is_manager:
                    directory_services.service_update(
                        service=service, actor=request.user, via="web", **values
                    )
                    messages.success(request, "Service saved")
                else:
                    directory_services.service_change_propose(
                        service=service,
                        proposed_by=request.user,
                        values=values,
                        note=form.cleaned_data.get("note") or "",
                        via="web",
                    )
                    messages.success(
                        request,
                        "Change sent to the local authority: it will be published when they approve it",
                    )
            except ValidationError as error:
                form.add_service_errors(error)
            else:
                return redirect("directory:editor_service", service_id=service.pk)
        status = 400
    else:
        form = ServiceEditForm(initial=ServiceEditForm.initial_for(service), editor=is_manager)
        status = 200
    return render_editor(
        request,
        "directory/service_edit.html",
        {"service": service, "form": form, "is_manager": is_manager},
        status=status,
    )


@require_POST
def service_assure(request: HttpRequest, service_id: uuid.UUID) -> HttpResponse:
    """Record that the service's information was checked today."""
    service = _service(request, service_id)
    require(request, DirectoryPermission.MANAGE)
    require(request, DirectoryPermission.EDIT_SERVICE, service)
    directory_services.service_assure(service=service, actor=request.user, via="web")
    messages.success(request, "Service marked as checked today")
    return redirect("directory:editor_service", service_id=service.pk)


# ---------------------------------------------------------------- providers' changes


@require_GET
def change_list(request: HttpRequest) -> HttpResponse:
    require(request, DirectoryPermission.MANAGE)
    return render_editor(
        request,
        "directory/change_list.html",
        {"changes": selectors.pending_changes(request.user.partnership_id)},
    )


def _change(request: HttpRequest, change_id: uuid.UUID) -> ServiceChange:
    """A change waiting for a decision, in the user's partnership (decided ones are history:
    the service's audit log keeps them)."""
    change = selectors.pending_changes(request.user.partnership_id).filter(pk=change_id).first()
    if change is None:
        raise Http404("No such change")
    return change


@require_http_methods(["GET", "POST"])
def change_detail(request: HttpRequest, change_id: uuid.UUID) -> HttpResponse:
    """A provider's change beside the service as it is now: approve or reject it."""
    require(request, DirectoryPermission.MANAGE)
    change = _change(request, change_id)
    status = 200
    form = DecisionForm()
    if request.method == "POST":
        form = DecisionForm(request.POST)
        if form.is_valid():
            note = form.cleaned_data.get("note") or ""
            try:
                if form.cleaned_data["decision"] == "approve":
                    directory_services.service_change_approve(
                        change=change, decided_by=request.user, note=note, via="web"
                    )
                    messages.success(request, "Change approved and published")
                else:
                    directory_services.service_change_reject(
                        change=change, decided_by=request.user, note=note, via="web"
                    )
                    messages.success(request, "Change rejected")
            except ValidationError as error:
                form.add_service_errors(error)
            else:
                return redirect("directory:change_list")
        status = 400
    fields = {f.name: f.verbose_name for f in Service._meta.fields}
    rows = [
        {
            "label": str(fields.get(name, name)).capitalize(),
            "was": change.original.get(name),
            "now": getattr(change.service, name),
            "proposed": value,
        }
        for name, value in change.proposed.items()
    ]
    return render_editor(
        request,
        "directory/change_detail.html",
        {"change": change, "rows": rows, "form": form},
        status=status,
    )


# ---------------------------------------------------------------- feedback


@require_GET
def feedback_list(request: HttpRequest) -> HttpResponse:
    require(request, DirectoryPermission.MANAGE)
    status = request.GET.get("status", Feedback.Status.NEW)
    if status not in {*Feedback.Status.values, "all"}:
        status = Feedback.Status.NEW
    feedback = selectors.feedback_for(
        request.user.partnership_id, None if status == "all" else status
    )
    page = Paginator(feedback, PAGE_SIZE).get_page(request.GET.get("page"))
    return render_editor(
        request,
        "directory/feedback_list.html",
        {
            "page": page,
            "status": status,
            "statuses": [*Feedback.Status.choices, ("all", "All")],
        },
    )


@require_http_methods(["GET", "POST"])
def feedback_detail(request: HttpRequest, feedback_id: uuid.UUID) -> HttpResponse:
    require(request, DirectoryPermission.MANAGE)
    item = selectors.feedback_for(request.user.partnership_id).filter(pk=feedback_id).first()
    if item is None:
        raise Http404("No such feedback")
    status = 200
    if request.method == "POST":
        form = FeedbackHandleForm(request.POST)
        if form.is_valid():
            try:
                directory_services.feedback_handle(
                    feedback=item,
                    status=form.cleaned_data["status"],
                    editor_note=form.cleaned_data.get("editor_note") or "",
                    actor=request.user,
                    via="web",
                )
            except ValidationError as error:
                form.add_service_errors(error)
            else:
                messages.success(request, "Feedback updated")
                return redirect("directory:feedback_list")
        status = 400
    else:
        form = FeedbackHandleForm(initial={"status": item.status, "editor_note": item.editor_note})
    return render_editor(
        request, "directory/feedback_detail.html", {"item": item, "form": form}, status=status
    )
