"""Uploading published statistics: choose a file and a mapping, watch the check on the
status page, then import or discard. The work runs in the background
(services/uploads.py); these pages only start it and show how it goes. Admins only:
published observations are shared by every partnership (rules.py)."""

import uuid
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from inclusion.accounts.models import Partnership
from inclusion.measures import selectors_manage as selectors
from inclusion.measures.forms import UploadForm
from inclusion.measures.importers.problems import MAX_LISTED
from inclusion.measures.models import StatisticsUpload
from inclusion.measures.permissions import MeasurePermission
from inclusion.measures.services.uploads import (
    RUNNING,
    STALLED_AFTER,
    statistics_upload_create,
    statistics_upload_discard,
    statistics_upload_import,
    statistics_upload_retry,
    statistics_upload_retry_at,
    statistics_upload_stalled,
)
from inclusion.measures.views.manage import VIA, partnership_for, render_page

Status = StatisticsUpload.Status
# Seconds between refreshes of a status page while work runs: often enough to watch, rare
# enough that a screen reader can read the page in between (and it can be turned off).
REFRESH_SECONDS = 5
# The person's choice, kept for the session: WCAG 2.2.1 asks that a time limit (a page
# that reloads itself is one) can be turned off before it is met.
REFRESH_KEY = "measures_upload_refresh"

STATUS_TAGS = {
    Status.WAITING: "govuk-tag--grey",
    Status.CHECKING: "govuk-tag--blue",
    Status.CHECKED: "govuk-tag--turquoise",
    Status.IMPORTING: "govuk-tag--blue",
    Status.IMPORTED: "govuk-tag--green",
    Status.FAILED: "govuk-tag--red",
    Status.DISCARDED: "govuk-tag--grey",
}
COUNT_LABELS = [
    ("observations_new", "New observations"),
    ("observations_changed", "Changed observations"),
    ("observations_unchanged", "Observations already held, unchanged"),
    ("observations_without_value", "Observations with a code instead of a value"),
    ("measures_new", "New measures"),
    ("measures_changed", "Changed measure definitions"),
    ("geographies_new", "New areas (England, regions, local authorities)"),
    ("geographies_changed", "Areas with a new name or region"),
    ("rows_read", "Rows read"),
    ("rows_used", "Rows used"),
]


def _upload(partnership: Partnership, upload_id: uuid.UUID) -> StatisticsUpload:
    upload = selectors.statistics_upload_of(partnership=partnership, upload_id=upload_id)
    if upload is None:
        raise Http404("No such upload")
    return upload


def status_tag(upload: StatisticsUpload) -> dict[str, str]:
    return {"text": upload.get_status_display(), "classes": STATUS_TAGS.get(upload.status, "")}


def count_rows(counts: dict[str, Any]) -> list[dict[str, Any]]:
    rows = [
        {"key": {"text": label}, "value": {"text": f"{counts[key]:,}"}}
        for key, label in COUNT_LABELS
        if key in counts
    ]
    for key, label in (
        ("files", "Files read"),
        ("mappings", "Mappings used"),
        ("skipped_mappings", "Mappings whose file is not in it"),
    ):
        if counts.get(key):
            rows.append({"key": {"text": label}, "value": {"text": ", ".join(counts[key])}})
    return rows


@require_GET
def upload_list(request: HttpRequest) -> HttpResponse:
    partnership = partnership_for(request, MeasurePermission.UPLOAD_STATISTICS)
    uploads = list(selectors.statistics_uploads_of(partnership=partnership)[:100])
    return render_page(
        request,
        "measures/upload_list.html",
        {"uploads": uploads, "status_tag": status_tag},
    )


@require_http_methods(["GET", "POST"])
def upload_create(request: HttpRequest) -> HttpResponse:
    partnership = partnership_for(request, MeasurePermission.UPLOAD_STATISTICS)
    mappings = selectors.mapping_choices()
    status = 200
    if request.method == "POST":
        form = UploadForm(request.POST, request.FILES, mappings=mappings)
        status = 400
        if form.is_valid():
            file = form.cleaned_data["file"]
            request.session[REFRESH_KEY] = form.cleaned_data["refresh"]
            try:
                upload = statistics_upload_create(
                    partnership=partnership,
                    filename=file.name,
                    content=file.read(),
                    mapping=form.cleaned_data["mapping"],
                    actor=request.user,
                    via=VIA,
                )
            except ValidationError as error:
                form.add_service_errors(error, {"content": "file", "filename": "file"})
            else:
                return redirect("measures:upload_detail", upload=upload.pk)
    else:
        form = UploadForm(
            initial={"refresh": request.session.get(REFRESH_KEY, True)}, mappings=mappings
        )
    return render_page(
        request,
        "measures/upload_create.html",
        {"form": form, "max_listed": MAX_LISTED},
        status=status,
    )


def _detail(
    request: HttpRequest, upload: StatisticsUpload, *, problem: str = "", status: int = 200
) -> HttpResponse:
    choice = request.GET.get("refresh")
    if choice in ("on", "off"):
        request.session[REFRESH_KEY] = choice == "on"
    now = timezone.now()
    running = upload.status in RUNNING
    stalled = statistics_upload_stalled(upload, now=now)
    refresh_on = bool(request.session.get(REFRESH_KEY, True))
    return render_page(
        request,
        "measures/upload_detail.html",
        {
            "upload": upload,
            "status_tag": status_tag(upload),
            "running": running,
            "stalled": stalled,
            "retry_at": statistics_upload_retry_at(upload) if running else None,
            "stalled_minutes": int(STALLED_AFTER.total_seconds() // 60),
            "refresh": running and refresh_on and not stalled and not problem,
            "refresh_on": refresh_on,
            "refresh_seconds": REFRESH_SECONDS,
            "count_rows": count_rows(upload.counts or {}),
            "can_import": upload.status == Status.CHECKED,
            "can_discard": upload.status == Status.CHECKED or stalled,
            "problem": problem,
        },
        status=status,
    )


@require_GET
def upload_detail(request: HttpRequest, upload: uuid.UUID) -> HttpResponse:
    partnership = partnership_for(request, MeasurePermission.UPLOAD_STATISTICS)
    return _detail(request, _upload(partnership, upload))


def _act(request: HttpRequest, upload_id: uuid.UUID, service: Any, done: str) -> HttpResponse:
    partnership = partnership_for(request, MeasurePermission.UPLOAD_STATISTICS)
    upload = _upload(partnership, upload_id)
    try:
        service(upload=upload, actor=request.user, via=VIA)
    except ValidationError as error:
        fresh = _upload(partnership, upload_id)
        return _detail(request, fresh, problem=" ".join(error.messages), status=400)
    if done:
        messages.success(request, done.format(filename=upload.filename))
    return redirect("measures:upload_detail", upload=upload.pk)


@require_POST
def upload_import(request: HttpRequest, upload: uuid.UUID) -> HttpResponse:
    return _act(request, upload, statistics_upload_import, "")


@require_POST
def upload_discard(request: HttpRequest, upload: uuid.UUID) -> HttpResponse:
    return _act(request, upload, statistics_upload_discard, "Discarded {filename}")


@require_POST
def upload_retry(request: HttpRequest, upload: uuid.UUID) -> HttpResponse:
    return _act(request, upload, statistics_upload_retry, "")
