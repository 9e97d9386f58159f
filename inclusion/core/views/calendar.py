"""The calendar pages: the bank holidays, the one-off non-working days an admin adds or
removes, and when each statutory deadline falls from a date (the `timescales` command's
table, for people). Admins only (`inclusion.core.rules`)."""

import datetime as dt
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from inclusion.core import calendar, navigation, non_working_days, timescales
from inclusion.core.forms import DatePartsField, GovukForm
from inclusion.core.rules import CorePermission


def _require_admin(request: HttpRequest) -> None:
    if not request.user.has_perm(CorePermission.MANAGE_NON_WORKING_DAYS):
        raise PermissionDenied


def _day(value: dt.date) -> str:
    return f"{value:%A} {value.day} {value:%B %Y}"


# ---------------------------------------------------------------- forms


class NonWorkingDayForm(GovukForm):
    date = DatePartsField(label="Date", example="8 5 2023")
    name = forms.CharField(
        max_length=100,
        error_messages={
            "required": "Enter the name of the day, for example Coronation of King Charles III",
            "max_length": "Name must be 100 characters or fewer",
        },
    )
    note = forms.CharField(required=False)


class StartForm(GovukForm):
    start = DatePartsField(label="Start date", example="8 5 2023")


# ---------------------------------------------------------------- pages


def _deadline_rows(start: dt.date) -> list[dict[str, str]]:
    rows = []
    for key, deadline in timescales.all_timescales(start).items():
        reason = calendar.non_working_reason(deadline.due)
        rows.append(
            {
                "key": key,
                "title": deadline.title,
                "due": _day(deadline.due),
                "note": f"Not a working day ({reason})" if reason else "",
                "rule": deadline.rule,
                "source": deadline.source,
            }
        )
    return rows


@require_http_methods(["GET"])
def calendar_overview(request: HttpRequest) -> HttpResponse:
    """Bank holidays this year and next, the one-off days, and deadlines from a date."""
    _require_admin(request)
    today = timezone.localdate()
    start_form = StartForm(
        request.GET if "start" in request.GET or "start-day" in request.GET else None
    )
    rows: list[dict[str, str]] = []
    start = None
    if start_form.is_bound and start_form.is_valid():
        start = start_form.cleaned_data["start"]
        rows = _deadline_rows(start)
    return render(
        request,
        "core/calendar.html",
        {
            "one_off_days": non_working_days.one_off_days(),
            "holidays": non_working_days.holidays_between(
                first=dt.date(today.year, 1, 1), last=dt.date(today.year + 1, 12, 31)
            ),
            "start_form": start_form,
            "start": _day(start) if start else "",
            "start_reason": calendar.non_working_reason(start) if start else None,
            "deadline_rows": rows,
            "today": today,
        },
        status=400 if start_form.is_bound and not start_form.is_valid() else 200,
    )


@require_http_methods(["GET", "POST"])
def non_working_day_add(request: HttpRequest) -> HttpResponse:
    _require_admin(request)
    status = 200
    if request.method == "POST":
        form = NonWorkingDayForm(request.POST)
        status = 400
        if form.is_valid():
            try:
                day = non_working_days.non_working_day_add(
                    date=form.cleaned_data["date"],
                    name=form.cleaned_data["name"],
                    note=form.cleaned_data["note"],
                    actor=request.user,
                    via="web",
                )
            except ValidationError as error:
                form.add_service_errors(error)
            else:
                messages.success(
                    request, f"{day.name} ({_day(day.date)}) added as a non-working day"
                )
                return redirect("core:calendar")
    else:
        form = NonWorkingDayForm()
    return render(request, "core/non_working_day_add.html", {"form": form}, status=status)


@require_http_methods(["GET", "POST"])
def non_working_day_remove(request: HttpRequest) -> HttpResponse:
    """Confirm, then remove, the one-off day named by `date` (the table is national, so
    the day is named in the query or the form, not the path: no partnership owns it)."""
    _require_admin(request)
    data = request.POST if request.method == "POST" else request.GET
    try:
        date = dt.date.fromisoformat(str(data.get("date", "")))
    except ValueError:
        date = None
    day = non_working_days.non_working_day_get(date=date) if date else None
    if day is None:
        if request.method == "POST":
            return render(
                request,
                "core/non_working_day_remove.html",
                {"day": None, "error": "Choose a one-off non-working day to remove from the list"},
                status=400,
            )
        return redirect("core:calendar")
    if request.method == "POST":
        non_working_days.non_working_day_remove(date=day.date, actor=request.user, via="web")
        messages.success(
            request, f"{day.name} ({_day(day.date)}) removed: it is a working day again"
        )
        return redirect("core:calendar")
    return render(
        request, "core/non_working_day_remove.html", {"day": day, "day_text": _day(day.date)}
    )


# ---------------------------------------------------------------- navigation


def _in_calendar(match: Any) -> bool:
    return bool(match and match.namespace == "core")


def _may_manage(user: Any) -> bool:
    return bool(user.has_perm(CorePermission.MANAGE_NON_WORKING_DAYS))


def register_navigation() -> None:
    """ "Calendar", for admins (call from `CoreConfig.ready`)."""
    navigation.register_section(
        key="calendar",
        text="Calendar",
        url_name="core:calendar",
        order=95,
        active=_in_calendar,
        visible=_may_manage,
    )
