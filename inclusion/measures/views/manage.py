"""Managing the partnership's measures: its own definitions, how it uses any measure
(owner, baseline, targets, the plan areas and actions it evidences), entered values, and
the statistical neighbours it is compared with. Thin: parse, authorise, call a selector
or service, render."""

import uuid
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from inclusion.accounts.models import Partnership
from inclusion.core.presenters import format_date
from inclusion.measures import selectors_manage as selectors
from inclusion.measures.evidence import format_measure_value
from inclusion.measures.forms import (
    EvidenceForm,
    MeasureCreateForm,
    MeasureDefinitionForm,
    MeasureUseForm,
    NeighboursForm,
    ObservationForm,
    TargetForm,
    version_of,
)
from inclusion.measures.models import Measure, PartnershipMeasure
from inclusion.measures.permissions import MeasurePermission
from inclusion.measures.services.comparators import comparator_areas_set
from inclusion.measures.services.manage import (
    MeasureConflict,
    local_measure_create,
    local_observation_record,
    measure_definition_update,
    measure_evidence_set,
    measure_use_save,
)
from inclusion.measures.services.measures import target_delete, target_set

VIA = "web"


# ---------------------------------------------------------------- shared by the pages


def render_page(
    request: HttpRequest, template: str, context: dict[str, Any], *, status: int = 200
) -> HttpResponse:
    context.setdefault("format_value", format_measure_value)
    return render(request, template, context, status=status)


def partnership_for(request: HttpRequest, permission: MeasurePermission) -> Partnership:
    """The user's partnership, if the `rules` permission allows this there; else 403."""
    partnership = getattr(request.user, "partnership", None)
    if partnership is None or not request.user.has_perm(permission, partnership):
        raise PermissionDenied
    return partnership


def measure_page_url(code: str) -> str | None:
    """The measure's own page (the measure pages' app), if that page exists."""
    try:
        return reverse("measures:measure_detail", kwargs={"code": code})
    except NoReverseMatch:
        return None


def _measure(partnership: Partnership, code: str) -> Measure:
    measure = selectors.measure_for_partnership(partnership=partnership, code=code)
    if measure is None:
        raise Http404("No such measure")
    return measure


def _local(partnership: Partnership, code: str) -> Measure:
    """A measure the partnership defined itself (published and computed ones are defined
    by their mapping and registry, so they have no page to edit them here)."""
    measure = _measure(partnership, code)
    if measure.partnership_id != partnership.pk:
        raise Http404("Not one of the partnership's own measures")
    return measure


def _manage_url(measure: Measure) -> str:
    return reverse("measures:manage_measure", kwargs={"code": measure.code})


def _use_or_redirect(
    request: HttpRequest, partnership: Partnership, measure: Measure
) -> PartnershipMeasure | HttpResponse:
    use = selectors.measure_use(partnership=partnership, measure=measure)
    if use is None:
        messages.info(request, f"Start using {measure.title} first: say who owns it")
        return redirect("measures:manage_use", code=measure.code)
    return use


# ---------------------------------------------------------------- the list and one measure


@require_GET
def manage_index(request: HttpRequest) -> HttpResponse:
    partnership = partnership_for(request, MeasurePermission.MANAGE)
    return render_page(
        request,
        "measures/manage_index.html",
        {
            "rows": selectors.measures_in_use(partnership=partnership),
            "available": selectors.measures_not_in_use(partnership=partnership),
            "may_choose_neighbours": request.user.has_perm(
                MeasurePermission.CHOOSE_NEIGHBOURS, partnership
            ),
            "may_upload": request.user.has_perm(MeasurePermission.UPLOAD_STATISTICS, partnership),
        },
    )


@require_GET
def manage_measure(request: HttpRequest, code: str) -> HttpResponse:
    partnership = partnership_for(request, MeasurePermission.MANAGE)
    measure = _measure(partnership, code)
    use = selectors.measure_use(partnership=partnership, measure=measure)
    return render_page(
        request,
        "measures/manage_measure.html",
        {
            "measure": measure,
            "use": use,
            "is_own": measure.partnership_id == partnership.pk,
            "targets": list(selectors.targets_of(use=use)) if use else [],
            "evidence": selectors.evidence_of(use=use) if use else [],
            "observations": list(
                selectors.entered_observations(partnership=partnership, measure=measure)
            ),
            "measure_page_url": measure_page_url(measure.code),
        },
    )


# ---------------------------------------------------------------- definitions


@require_http_methods(["GET", "POST"])
def manage_create(request: HttpRequest) -> HttpResponse:
    partnership = partnership_for(request, MeasurePermission.MANAGE)
    status = 200
    if request.method == "POST":
        form = MeasureCreateForm(request.POST)
        status = 400
        if form.is_valid():
            try:
                use = local_measure_create(
                    partnership=partnership,
                    code=form.cleaned_data["code"],
                    actor=request.user,
                    via=VIA,
                    **form.definition(),
                    **form.use(),
                )
            except ValidationError as error:
                form.add_service_errors(error, {})
            else:
                messages.success(request, f"Measure created: {use.measure.title}")
                return redirect("measures:manage_measure", code=use.measure.code)
    else:
        form = MeasureCreateForm(initial={"frequency": "annually"})
    return render_page(request, "measures/manage_create.html", {"form": form}, status=status)


@require_http_methods(["GET", "POST"])
def manage_edit(request: HttpRequest, code: str) -> HttpResponse:
    partnership = partnership_for(request, MeasurePermission.MANAGE)
    measure = _local(partnership, code)
    conflict = None
    status = 200
    if request.method == "POST":
        form = MeasureDefinitionForm(request.POST)
        status = 400
        if form.is_valid():
            try:
                measure_definition_update(
                    measure=measure,
                    expected_updated_at=form.cleaned_data["version"],
                    actor=request.user,
                    via=VIA,
                    **form.definition(),
                )
            except MeasureConflict as error:
                # Keep what the person typed; only the version moves on, so saving again
                # is a choice to replace the other person's change.
                form, conflict = _conflicting(request, MeasureDefinitionForm, error.current)
                measure = error.current
                status = 409
            except ValidationError as error:
                form.add_service_errors(error, {})
            else:
                messages.success(request, "Definition saved")
                return redirect("measures:manage_measure", code=measure.code)
    else:
        form = MeasureDefinitionForm(initial=MeasureDefinitionForm.initial_for(measure))
    return render_page(
        request,
        "measures/manage_edit.html",
        {"measure": measure, "form": form, "conflict": conflict},
        status=status,
    )


def _conflicting(request: HttpRequest, form_class: Any, current: Any) -> tuple[Any, Any]:
    posted = request.POST.copy()
    posted["version"] = version_of(current)
    form = form_class(posted)
    form.is_valid()
    who = current.modified_by.get_full_name() if current.modified_by_id else ""
    return form, {"who": who or "someone else", "at": current.updated_at, "current": current}


@require_http_methods(["GET", "POST"])
def manage_use(request: HttpRequest, code: str) -> HttpResponse:
    partnership = partnership_for(request, MeasurePermission.MANAGE)
    measure = _measure(partnership, code)
    use = selectors.measure_use(partnership=partnership, measure=measure)
    conflict = None
    status = 200
    if request.method == "POST":
        form = MeasureUseForm(request.POST)
        form.fields["version"].required = use is not None
        status = 400
        if form.is_valid():
            try:
                measure_use_save(
                    partnership=partnership,
                    measure=measure,
                    expected_updated_at=form.cleaned_data["version"],
                    actor=request.user,
                    via=VIA,
                    **form.use(),
                )
            except MeasureConflict as error:
                form, conflict = _conflicting(request, MeasureUseForm, error.current)
                use = error.current
                status = 409
            except ValidationError as error:
                form.add_service_errors(error, {})
            else:
                messages.success(request, "Owner and baseline saved" if use else "Measure in use")
                return redirect("measures:manage_measure", code=measure.code)
    else:
        form = MeasureUseForm(initial=MeasureUseForm.initial_for(use))
    return render_page(
        request,
        "measures/manage_use.html",
        {"measure": measure, "use": use, "form": form, "conflict": conflict},
        status=status,
    )


# ---------------------------------------------------------------- targets


@require_http_methods(["GET", "POST"])
def manage_target_add(request: HttpRequest, code: str) -> HttpResponse:
    partnership = partnership_for(request, MeasurePermission.MANAGE)
    measure = _measure(partnership, code)
    use = _use_or_redirect(request, partnership, measure)
    if isinstance(use, HttpResponse):
        return use
    status = 200
    if request.method == "POST":
        form = TargetForm(request.POST)
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                target_set(
                    partnership_measure=use,
                    date=data["date"],
                    value=data["value"],
                    note=data["note"],
                    actor=request.user,
                    via=VIA,
                )
            except ValidationError as error:
                form.add_service_errors(error, {})
            else:
                value = format_measure_value(data["value"], measure.unit)
                messages.success(request, f"Target saved: {value} by {format_date(data['date'])}")
                return redirect("measures:manage_measure", code=measure.code)
    else:
        form = TargetForm()
    return render_page(
        request,
        "measures/manage_target.html",
        {"measure": measure, "targets": list(selectors.targets_of(use=use)), "form": form},
        status=status,
    )


@require_POST
def manage_target_delete(request: HttpRequest, code: str, target: uuid.UUID) -> HttpResponse:
    partnership = partnership_for(request, MeasurePermission.MANAGE)
    measure = _measure(partnership, code)
    found = selectors.target_of(partnership=partnership, measure=measure, target_id=target)
    if found is None:
        raise Http404("No such target")
    target_delete(target=found, actor=request.user, via=VIA)
    value = format_measure_value(found.value, measure.unit)
    messages.success(request, f"Target removed: {value} by {format_date(found.date)}")
    return redirect("measures:manage_measure", code=measure.code)


# ---------------------------------------------------------------- plan areas and actions


@require_http_methods(["GET", "POST"])
def manage_evidence(request: HttpRequest, code: str) -> HttpResponse:
    partnership = partnership_for(request, MeasurePermission.MANAGE)
    measure = _measure(partnership, code)
    use = _use_or_redirect(request, partnership, measure)
    if isinstance(use, HttpResponse):
        return use
    plans = selectors.evidence_choices(partnership=partnership)
    area_ids = [str(a.area.pk) for p in plans for a in p.areas]
    action_ids = [str(action.pk) for p in plans for a in p.areas for action in a.actions]
    status = 200
    if request.method == "POST":
        form = EvidenceForm(request.POST, area_ids=area_ids, action_ids=action_ids)
        status = 400
        if form.is_valid():
            areas, actions = selectors.evidence_targets(
                partnership=partnership,
                area_ids=form.cleaned_data["areas"],
                action_ids=form.cleaned_data["actions"],
            )
            try:
                links = measure_evidence_set(
                    partnership_measure=use,
                    areas=areas,
                    actions=actions,
                    actor=request.user,
                    via=VIA,
                )
            except ValidationError as error:
                form.add_service_errors(error, {})
            else:
                messages.success(request, f"Evidence saved: {_links_text(len(links))}")
                return redirect("measures:manage_measure", code=measure.code)
    else:
        links = selectors.evidence_of(use=use)
        form = EvidenceForm(
            initial={
                "areas": [str(link.area_id) for link in links if link.area_id],
                "actions": [str(link.action_id) for link in links if link.action_id],
            },
            area_ids=area_ids,
            action_ids=action_ids,
        )
    return render_page(
        request,
        "measures/manage_evidence.html",
        {
            "measure": measure,
            "plans": plans,
            "form": form,
            "chosen_areas": form.chosen("areas"),
            "chosen_actions": form.chosen("actions"),
        },
        status=status,
    )


def _links_text(n: int) -> str:
    if n == 0:
        return "linked to no plan area or action"
    return f"linked to {n} plan {'area or action' if n == 1 else 'areas and actions'}"


# ---------------------------------------------------------------- entered values


@require_http_methods(["GET", "POST"])
def manage_observation_add(request: HttpRequest, code: str) -> HttpResponse:
    partnership = partnership_for(request, MeasurePermission.MANAGE)
    measure = _local(partnership, code)
    status = 200
    if request.method == "POST":
        form = ObservationForm(request.POST)
        status = 400
        if form.is_valid():
            try:
                observation = local_observation_record(
                    partnership=partnership,
                    measure=measure,
                    actor=request.user,
                    via=VIA,
                    **form.service_kwargs(),
                )
            except ValidationError as error:
                form.add_service_errors(error, ObservationForm.SERVICE_FIELDS)
            else:
                messages.success(request, f"Value recorded for {observation.period.display()}")
                return redirect("measures:manage_measure", code=measure.code)
    else:
        form = ObservationForm(initial={"status": "available"})
    return render_page(
        request,
        "measures/manage_observation.html",
        {"measure": measure, "form": form},
        status=status,
    )


# ---------------------------------------------------------------- statistical neighbours


@require_http_methods(["GET", "POST"])
def manage_neighbours(request: HttpRequest) -> HttpResponse:
    partnership = partnership_for(request, MeasurePermission.CHOOSE_NEIGHBOURS)
    current = selectors.comparator_areas_of(partnership=partnership)
    status = 200
    if request.method == "POST":
        form = NeighboursForm(request.POST)
        status = 400
        if form.is_valid():
            try:
                rows = comparator_areas_set(
                    partnership=partnership,
                    geographies=form.cleaned_data["codes"],
                    actor=request.user,
                    via=VIA,
                )
            except ValidationError as error:
                for message in error.messages:
                    form.add_error("codes", message)
            else:
                messages.success(
                    request,
                    f"Statistical neighbours saved: {len(rows)} local "
                    f"{'authority' if len(rows) == 1 else 'authorities'}",
                )
                return redirect("measures:manage_neighbours")
    else:
        form = NeighboursForm(initial=NeighboursForm.initial_for(current))
    return render_page(
        request,
        "measures/manage_neighbours.html",
        {
            "form": form,
            "current": current,
            "regions": selectors.local_authorities_by_region(),
            "may_upload": request.user.has_perm(MeasurePermission.UPLOAD_STATISTICS, partnership),
        },
        status=status,
    )
