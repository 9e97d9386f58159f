"""The action list, an action's page, and the three forms that change an action."""

import uuid

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from inclusion.core.pagination import pagination
from inclusion.plans import page_helpers, selectors
from inclusion.plans.forms import (
    ActionEditForm,
    AsOfForm,
    DeadlineChangeForm,
    ProgressUpdateForm,
    rag_to_form,
)
from inclusion.plans.models import Action
from inclusion.plans.permissions import PlanPermission
from inclusion.plans.presenters import rag_label
from inclusion.plans.services.actions import (
    ActionConflict,
    action_update,
    deadline_change_add,
    progress_update_add,
)
from inclusion.plans.views.common import require


def _action(request: HttpRequest, slug: str, action_id: uuid.UUID) -> Action:
    plan = selectors.plan_get_for_user(request.user, slug=slug)
    return selectors.action_get_for_user(request.user, plan=plan, action_id=action_id)


@require_GET
def action_list(request: HttpRequest, slug: str) -> HttpResponse:
    plan = selectors.plan_get_for_user(request.user, slug=slug)
    require(request, PlanPermission.VIEW, plan)
    today = page_helpers.today()
    filters = selectors.ActionFilters.from_query(request.GET)
    actions = selectors.action_list(plan=plan, filters=filters, today=today)
    page = Paginator(actions, page_helpers.PAGE_SIZE).get_page(request.GET.get("page"))
    choices = selectors.filter_choices(plan=plan)
    return render(
        request,
        "plans/action_list.html",
        {
            "plan": plan,
            "filters": filters,
            "choices": choices,
            "applied": page_helpers.applied_filters(filters, choices, request.GET),
            "rows": page_helpers.action_rows(page.object_list, today),
            "page": page,
            "count": page.paginator.count,
            "pagination": pagination(page, request.GET),
        },
    )


@require_GET
def action_detail(request: HttpRequest, slug: str, action_id: uuid.UUID) -> HttpResponse:
    action = _action(request, slug, action_id)
    require(request, PlanPermission.VIEW, action.plan)
    today = page_helpers.today()
    asked = any(key == "as_of" or key.startswith("as_of-") for key in request.GET)
    as_of_form = AsOfForm(request.GET if asked else None, today=today)
    valid = as_of_form.is_valid() if asked else True
    as_of = as_of_form.cleaned_data["as_of"] if asked and valid else None
    return render(
        request,
        "plans/action_detail.html",
        {
            "plan": action.plan,
            "action": action,
            "view": page_helpers.action_view(action, today=today, as_of=as_of),
            "timeline": page_helpers.timeline(action, as_of=as_of),
            "evidence": page_helpers.action_evidence(action, as_of=as_of),
            "as_of_form": as_of_form,
            "can_add_update": request.user.has_perm(PlanPermission.ADD_UPDATE, action),
            "can_edit": request.user.has_perm(PlanPermission.EDIT_ACTION, action),
            "can_change_deadline": request.user.has_perm(PlanPermission.EDIT, action.plan),
        },
        status=200 if valid else 400,
    )


@require_http_methods(["GET", "POST"])
def update_add(request: HttpRequest, slug: str, action_id: uuid.UUID) -> HttpResponse:
    action = _action(request, slug, action_id)
    require(request, PlanPermission.ADD_UPDATE, action)
    today = page_helpers.today()
    if request.method == "POST":
        form = ProgressUpdateForm(request.POST, today=today)
        if form.is_valid():
            try:
                progress_update_add(
                    action=action,
                    **form.service_kwargs(),
                    author=request.user,
                    actor=request.user,
                    via="web",
                )
            except ValidationError as error:
                form.add_service_errors(error, form.SERVICE_FIELDS)
            else:
                messages.success(request, "Progress update added")
                return redirect("plans:action_detail", slug=slug, action_id=action.pk)
        status = 400
    else:
        form = ProgressUpdateForm(
            initial={"date": today, "rag": rag_to_form(action.rag)}, today=today
        )
        status = 200
    return render(
        request,
        "plans/update_add.html",
        {
            "plan": action.plan,
            "action": action,
            "form": form,
            "current_rag": rag_label(action.rag),
        },
        status=status,
    )


def _conflict_context(fresh: Action, form: ActionEditForm) -> dict:
    """Their saved values beside the user's own, so the user can choose deliberately."""
    board_names = dict(form.fields["board"].choices)
    your_leads = [" ".join(line.split()) for line in str(form.value("leads")).splitlines()]
    fields = [
        ("What will be done", "prose", fresh.how, str(form.value("how"))),
        ("Leads", "lines", [lead.name for lead in fresh.leads.all()], [n for n in your_leads if n]),
        ("Partners", "prose", fresh.partners, str(form.value("partners"))),
        (
            "Board",
            "text",
            fresh.board.name if fresh.board_id else "No board",
            board_names.get(form.value("board"), "No board"),
        ),
    ]

    def same(a: object, b: object) -> bool:
        if isinstance(a, str) and isinstance(b, str):
            return a.split() == b.split()
        return a == b

    return {
        "change": page_helpers.last_change(fresh),
        "rows": [
            {
                "label": label,
                "kind": kind,
                "theirs": theirs,
                "yours": yours,
                "same": same(theirs, yours),
            }
            for label, kind, theirs, yours in fields
        ],
    }


@require_http_methods(["GET", "POST"])
def action_edit(request: HttpRequest, slug: str, action_id: uuid.UUID) -> HttpResponse:
    action = _action(request, slug, action_id)
    require(request, PlanPermission.EDIT_ACTION, action)
    boards = page_helpers.board_choices(request.user)
    conflict = None
    status = 200
    if request.method == "POST":
        form = ActionEditForm(request.POST, boards=boards)
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                action_update(
                    action=action,
                    expected_version=data["version"],
                    actor=request.user,
                    via="web",
                    how=data["how"],
                    partners=data["partners"],
                    board=page_helpers.board_for_user(request.user, data["board"]),
                    leads=data["leads"],
                )
            except ActionConflict as error:
                # Keep every word the user typed; only the version moves on, so saving
                # again is a deliberate choice to replace the other person's change.
                fresh = error.action
                posted = request.POST.copy()
                posted["version"] = str(fresh.version)
                form = ActionEditForm(posted, boards=boards)
                form.is_valid()
                conflict = _conflict_context(fresh, form)
                status = 409
            except ValidationError as error:
                form.add_service_errors(error, form.SERVICE_FIELDS)
            else:
                messages.success(request, "Action saved")
                return redirect("plans:action_detail", slug=slug, action_id=action.pk)
    else:
        form = ActionEditForm(initial=ActionEditForm.initial_for(action), boards=boards)
    return render(
        request,
        "plans/action_edit.html",
        {"plan": action.plan, "action": action, "form": form, "conflict": conflict},
        status=status,
    )


@require_http_methods(["GET", "POST"])
def deadline_change(request: HttpRequest, slug: str, action_id: uuid.UUID) -> HttpResponse:
    action = _action(request, slug, action_id)
    # A by-when is part of the plan, not of the action's wording (permissions.py: EDIT).
    require(request, PlanPermission.EDIT, action.plan)
    conflict = None
    status = 200
    if request.method == "POST":
        form = DeadlineChangeForm(request.POST)
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                deadline_change_add(
                    action=action,
                    new_date=data["new_date"],
                    reason=data["reason"],
                    actor=request.user,
                    via="web",
                    expected_version=data["version"],
                )
            except ActionConflict as error:
                posted = request.POST.copy()
                posted["version"] = str(error.action.version)
                form = DeadlineChangeForm(posted)
                form.is_valid()
                conflict = page_helpers.last_change(error.action)
                action = selectors.action_get_for_user(
                    request.user, plan=action.plan, action_id=action.pk
                )
                status = 409
            except ValidationError as error:
                form.add_service_errors(error, form.SERVICE_FIELDS)
            else:
                messages.success(request, "By-when changed")
                return redirect("plans:action_detail", slug=slug, action_id=action.pk)
    else:
        form = DeadlineChangeForm(initial={"version": action.version})
    return render(
        request,
        "plans/deadline_change.html",
        {
            "plan": action.plan,
            "action": action,
            "form": form,
            "conflict": conflict,
            "current": page_helpers.action_row(action, page_helpers.today()),
        },
        status=status,
    )
