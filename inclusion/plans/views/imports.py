"""Importing a plan from a file: upload, check the preview, then import or discard."""

import uuid

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from inclusion.plans import page_helpers
from inclusion.plans.forms import ImportUploadForm
from inclusion.plans.importers.problems import PlanImportError
from inclusion.plans.models import PlanImport
from inclusion.plans.permissions import PlanPermission
from inclusion.plans.services import imports
from inclusion.plans.views.common import require


def _partnership(request: HttpRequest):  # type: ignore[no-untyped-def]
    partnership = getattr(request.user, "partnership", None)
    if partnership is None:
        raise PermissionDenied
    require(request, PlanPermission.IMPORT, partnership)
    return partnership


@require_http_methods(["GET", "POST"])
def import_upload(request: HttpRequest) -> HttpResponse:
    partnership = _partnership(request)
    status = 200
    if request.method == "POST":
        form = ImportUploadForm(request.POST, request.FILES)
        status = 400
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                plan_import = imports.plan_import_preview(
                    partnership=partnership,
                    filename=upload.name,
                    content=upload.read(),
                    plan_title=form.cleaned_data["plan_title"] or None,
                    actor=request.user,
                    via="web",
                )
            except ValidationError as error:
                form.add_service_errors(error, {"content": "file", "filename": "file"})
            else:
                return redirect("plans:import_detail", import_id=plan_import.pk)
    else:
        form = ImportUploadForm()
    return render(request, "plans/import_upload.html", {"form": form}, status=status)


def _import(request: HttpRequest, import_id: uuid.UUID) -> PlanImport:
    plan_import = page_helpers.plan_import_get_for_user(request.user, import_id=import_id)
    require(request, PlanPermission.IMPORT, plan_import)
    return plan_import


def _detail(
    request: HttpRequest, plan_import: PlanImport, *, problem: str = "", status: int = 200
) -> HttpResponse:
    return render(
        request,
        "plans/import_detail.html",
        {
            "plan_import": plan_import,
            "preview": page_helpers.import_preview(plan_import),
            "status_tag": page_helpers.import_status_tag(plan_import),
            "problem": problem,
            "can_apply": plan_import.status == PlanImport.Status.PREVIEWED,
        },
        status=status,
    )


@require_http_methods(["GET"])
def import_detail(request: HttpRequest, import_id: uuid.UUID) -> HttpResponse:
    return _detail(request, _import(request, import_id))


@require_POST
def import_apply(request: HttpRequest, import_id: uuid.UUID) -> HttpResponse:
    plan_import = _import(request, import_id)
    try:
        plan = imports.plan_import_apply(plan_import=plan_import, actor=request.user, via="web")
    except PlanImportError as error:
        return _detail(request, plan_import, problem=str(error), status=400)
    messages.success(request, f"Imported {plan.title}")
    return redirect("plans:plan_detail", slug=plan.slug)


@require_POST
def import_discard(request: HttpRequest, import_id: uuid.UUID) -> HttpResponse:
    plan_import = _import(request, import_id)
    try:
        imports.plan_import_discard(plan_import=plan_import, actor=request.user, via="web")
    except PlanImportError as error:
        return _detail(request, plan_import, problem=str(error), status=400)
    messages.success(request, f"Discarded the import of {plan_import.filename}")
    return redirect("plans:import_upload")
