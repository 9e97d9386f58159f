"""Viewsets of the plans API: parse, authorise with `rules`, call a selector or a service.

- Every queryset starts from a selector scoped to the user's partnership, so another
  partnership's plan or action is a 404 (its existence is not revealed) and lists are empty.
- Permissions are the same `rules` the pages use (`request.user.has_perm(PlanPermission.X, obj)`).
- Every write goes through `inclusion.plans.services`, which validate, audit and lock;
  their `ValidationError` becomes a 400 naming the API's field, `ActionConflict` a 409.
"""

import datetime as dt
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.http import QueryDict
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import serializers, status, viewsets
from rest_framework.authentication import SessionAuthentication, TokenAuthentication
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.parsers import JSONParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.settings import api_settings

from inclusion.core import audit
from inclusion.core.models import AuditLog
from inclusion.plans.api.serializers import (
    ActionConflictSerializer,
    ActionCreateSerializer,
    ActionFilterSerializer,
    ActionSerializer,
    ActionUpdateSerializer,
    AreaCreateSerializer,
    AreaSerializer,
    DeadlineChangeCreateSerializer,
    DeadlineChangeSerializer,
    PlanDetailSerializer,
    PlanExportQuerySerializer,
    PlanSerializer,
    PlanUpdateSerializer,
    ProgressUpdateCreateSerializer,
    ProgressUpdateSerializer,
)
from inclusion.plans.interchange import plan_to_dict
from inclusion.plans.models import Action, Plan
from inclusion.plans.permissions import PlanPermission
from inclusion.plans.selectors import (
    ActionFilters,
    action_list,
    actions_for_user,
    plans_for_user,
)
from inclusion.plans.services.actions import (
    ActionConflict,
    action_create,
    action_update,
    area_create,
    deadline_change_add,
    plan_update,
    progress_update_add,
)

# Written into the audit log beside the user, so a reader knows the change came by the API.
VIA = "api"

UUID_PATTERN = r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"

_DENIED = {
    PlanPermission.VIEW: "You cannot see this plan",
    PlanPermission.EDIT: "Only plan editors can change plans, areas and actions",
    PlanPermission.EDIT_ACTION: "Only plan editors can change actions and their deadlines",
    PlanPermission.ADD_UPDATE: "Only plan editors and the action's leads can add progress updates",
    PlanPermission.EXPORT: "You cannot export this plan",
}


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()


_ERRORS: dict[int, Any] = {
    401: OpenApiResponse(ErrorSerializer, description="Not signed in: send a token"),
    403: OpenApiResponse(ErrorSerializer, description="Your role does not allow this"),
    404: OpenApiResponse(
        ErrorSerializer, description="No such object in your partnership (others are not revealed)"
    ),
}
_READ_ERRORS = {k: _ERRORS[k] for k in (401, 404)}
_WRITE_ERRORS = {
    400: OpenApiResponse(
        OpenApiTypes.OBJECT,
        description="Field errors: {field: [message, ...]}; nothing was saved",
    ),
    **_ERRORS,
}
_CONFLICT = OpenApiResponse(
    ActionConflictSerializer,
    description="Someone saved the action after your edit started; nothing was saved. "
    "The body holds the action as it now stands: merge and send again with its version.",
)


def _require(request: Request, permission: PlanPermission, obj: Any) -> None:
    if not request.user.has_perm(permission, obj):
        raise PermissionDenied(_DENIED[permission])


def _field_errors(
    exc: DjangoValidationError, rename: dict[str, str] | None = None
) -> ValidationError:
    """A service's ValidationError as a 400, keyed by the API's field names."""
    rename = {NON_FIELD_ERRORS: api_settings.NON_FIELD_ERRORS_KEY, **(rename or {})}
    if hasattr(exc, "error_dict"):
        return ValidationError({rename.get(k, k): v for k, v in exc.message_dict.items()})
    return ValidationError({api_settings.NON_FIELD_ERRORS_KEY: exc.messages})


def _without_blanks(params: QueryDict) -> QueryDict:
    """Query parameters minus empty ones: a form or link that sends `?lead=&rag=red` means no lead filter."""
    kept = QueryDict(mutable=True)
    for key, values in params.lists():
        if values := [v for v in values if v.strip()]:
            kept.setlist(key, values)
    return kept


class ApiViewSet(viewsets.GenericViewSet):
    # Token first: DRF answers an anonymous request with the first class's challenge, so a
    # client without credentials gets 401 + `WWW-Authenticate: Token` rather than a bare 403.
    authentication_classes = [TokenAuthentication, SessionAuthentication]
    permission_classes = [IsAuthenticated]
    # JSON only: leads are a list and dates keep their precision, which forms express badly.
    parser_classes = [JSONParser]
    lookup_value_regex = UUID_PATTERN

    def get_serializer_context(self) -> dict[str, Any]:
        context = super().get_serializer_context()
        context["today"] = timezone.localdate()
        return context

    def _paginated(self, queryset: QuerySet, serializer_class: type) -> Response:
        page = self.paginate_queryset(queryset)
        data = serializer_class(page, many=True, context=self.get_serializer_context()).data
        return self.get_paginated_response(data)


@extend_schema_view(
    list=extend_schema(
        summary="Plans of your partnership",
        responses={200: PlanSerializer(many=True), **_READ_ERRORS},
    ),
    retrieve=extend_schema(
        summary="A plan, with the RAG counts of its actions",
        responses={200: PlanDetailSerializer, **_READ_ERRORS},
    ),
    partial_update=extend_schema(
        summary="Change a plan's title, description, period or last report date (plan editors)",
        request=PlanUpdateSerializer,
        responses={200: PlanDetailSerializer, **_WRITE_ERRORS},
    ),
)
@extend_schema(tags=["plans"])
class PlanViewSet(ApiViewSet):
    serializer_class = PlanSerializer
    queryset = Plan.objects.none()  # the real one is per user: get_queryset

    def get_queryset(self) -> QuerySet[Plan]:
        return plans_for_user(self.request.user)

    def _plan(self, permission: PlanPermission) -> Plan:
        plan = self.get_object()
        _require(self.request, permission, plan)
        return plan

    def list(self, request: Request) -> Response:
        return self._paginated(self.get_queryset(), PlanSerializer)

    def retrieve(self, request: Request, pk: str) -> Response:
        plan = self._plan(PlanPermission.VIEW)
        return Response(PlanDetailSerializer(plan, context=self.get_serializer_context()).data)

    def partial_update(self, request: Request, pk: str) -> Response:
        plan = self._plan(PlanPermission.EDIT)
        serializer = PlanUpdateSerializer(
            plan, data=request.data, context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        try:
            plan = plan_update(plan=plan, actor=request.user, via=VIA, **serializer.validated_data)
        except DjangoValidationError as exc:
            raise _field_errors(exc) from None
        return Response(PlanDetailSerializer(plan, context=self.get_serializer_context()).data)

    @extend_schema(
        summary="Areas for improvement of a plan",
        responses={200: AreaSerializer(many=True), **_READ_ERRORS},
    )
    @action(detail=True, methods=["get"], serializer_class=AreaSerializer)
    def areas(self, request: Request, pk: str) -> Response:
        plan = self._plan(PlanPermission.VIEW)
        return self._paginated(plan.areas.order_by("position"), AreaSerializer)

    @extend_schema(
        summary="Add an area for improvement (plan editors)",
        request=AreaCreateSerializer,
        responses={201: AreaSerializer, **_WRITE_ERRORS},
    )
    @areas.mapping.post
    def areas_create(self, request: Request, pk: str) -> Response:
        plan = self._plan(PlanPermission.EDIT)
        context = {**self.get_serializer_context(), "plan": plan}
        serializer = AreaCreateSerializer(data=request.data, context=context)
        serializer.is_valid(raise_exception=True)
        try:
            area = area_create(plan=plan, actor=request.user, via=VIA, **serializer.validated_data)
        except DjangoValidationError as exc:
            raise _field_errors(exc) from None
        return Response(AreaSerializer(area, context=context).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        operation_id="v1_plans_export",
        summary="The plan in the JSON interchange format (docs/import-formats.md)",
        description=(
            "The same document `export_action_plan --format json` writes and the importer "
            "reads back. With `as_of`, the plan as it stood then (RAG and by-when at that "
            "date, updates and deadline changes up to it). Every export is audited."
        ),
        parameters=[PlanExportQuerySerializer],
        responses={
            200: OpenApiResponse(OpenApiTypes.OBJECT, description="The interchange document"),
            400: OpenApiResponse(OpenApiTypes.OBJECT, description="as_of is not a date"),
            **_ERRORS,
        },
    )
    def export(self, request: Request, pk: str) -> Response:
        plan = self._plan(PlanPermission.EXPORT)
        query = PlanExportQuerySerializer(data=_without_blanks(request.query_params))
        query.is_valid(raise_exception=True)
        as_of = query.validated_data.get("as_of")
        # A month means its last day, as for deadlines (docs/adr/0004-partial-dates.md).
        as_of_day = as_of.deadline if as_of else None
        document = plan_to_dict(plan, as_of=as_of_day)
        note = "JSON interchange" + (f" as of {as_of_day.isoformat()}" if as_of_day else "")
        with transaction.atomic():
            audit.log_event(
                AuditLog.Operation.EXPORT, actor=request.user, via=VIA, obj=plan, note=note
            )
        return Response(document)


def actions_matching(user: Any, *, query: dict[str, Any], today: dt.date) -> QuerySet[Action]:
    """The user's actions that pass the list filters, across their plans or in one plan.

    The filters themselves are `selectors.action_list`'s: one place for each rule.
    """
    plans = plans_for_user(user)
    if query.get("plan"):
        plans = plans.filter(pk=query["plan"])
    filters = ActionFilters(
        priority=str(query.get("priority") or ""),
        area=str(query.get("area") or ""),
        lead=query.get("lead", "").strip(),
        board=str(query.get("board") or ""),
        rag=query.get("rag", []),
        overdue=query.get("overdue", False),
        search=query.get("q", "").strip(),
    )
    return action_list(plan=plans, filters=filters, today=today).order_by(
        "plan__title", "plan_id", "area__position", "position", "id"
    )


@extend_schema_view(
    list=extend_schema(
        summary="Actions of your partnership's plans, filtered",
        parameters=[ActionFilterSerializer],
        responses={200: ActionSerializer(many=True), 400: _WRITE_ERRORS[400], 401: _ERRORS[401]},
    ),
    retrieve=extend_schema(
        summary="An action: leads, by-when, RAG of record, version and whether it is overdue",
        responses={200: ActionSerializer, **_READ_ERRORS},
    ),
    create=extend_schema(
        summary="Add an action to an area for improvement (plan editors)",
        request=ActionCreateSerializer,
        responses={201: ActionSerializer, **_WRITE_ERRORS},
    ),
    partial_update=extend_schema(
        summary="Edit an action (plan editors); the body must carry the version it started from",
        description=(
            "Changes how, leads, partners, board, area (within the plan) or position. "
            "The by-when changes only through deadline-changes and the RAG only through "
            "progress updates. A stale `version` gets 409 with the current action and "
            "saves nothing."
        ),
        request=ActionUpdateSerializer,
        responses={200: ActionSerializer, 409: _CONFLICT, **_WRITE_ERRORS},
    ),
)
@extend_schema(tags=["actions"])
class ActionViewSet(ApiViewSet):
    serializer_class = ActionSerializer
    queryset = Action.objects.none()  # the real one is per user: get_queryset

    def get_queryset(self) -> QuerySet[Action]:
        return (
            actions_for_user(self.request.user)
            .select_related("plan", "area", "board")
            .prefetch_related("leads")
        )

    def _action(self, permission: PlanPermission) -> Action:
        action_ = self.get_object()
        _require(self.request, permission, action_)
        return action_

    def _one(self, action_: Action) -> dict[str, Any]:
        return ActionSerializer(action_, context=self.get_serializer_context()).data

    def _conflict(self, exc: ActionConflict) -> Response:
        body = {"detail": str(exc), "current": self._one(exc.action)}
        return Response(body, status=status.HTTP_409_CONFLICT)

    def list(self, request: Request) -> Response:
        query = ActionFilterSerializer(data=_without_blanks(request.query_params))
        query.is_valid(raise_exception=True)
        actions = actions_matching(
            request.user, query=query.validated_data, today=timezone.localdate()
        )
        return self._paginated(actions, ActionSerializer)

    def retrieve(self, request: Request, pk: str) -> Response:
        return Response(self._one(self._action(PlanPermission.VIEW)))

    def create(self, request: Request) -> Response:
        serializer = ActionCreateSerializer(
            data=request.data, context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        _require(request, PlanPermission.EDIT, data["area"].plan)
        try:
            created = action_create(actor=request.user, via=VIA, **data)
        except DjangoValidationError as exc:
            raise _field_errors(exc) from None
        return Response(
            self._one(self.get_queryset().get(pk=created.pk)), status=status.HTTP_201_CREATED
        )

    def partial_update(self, request: Request, pk: str) -> Response:
        current = self._action(PlanPermission.EDIT_ACTION)
        context = {**self.get_serializer_context(), "action": current}
        serializer = ActionUpdateSerializer(data=request.data, context=context)
        serializer.is_valid(raise_exception=True)
        fields = dict(serializer.validated_data)
        version = fields.pop("version")
        try:
            updated = action_update(
                action=current, expected_version=version, actor=request.user, via=VIA, **fields
            )
        except ActionConflict as exc:
            return self._conflict(exc)
        except DjangoValidationError as exc:
            raise _field_errors(exc) from None
        return Response(self._one(self.get_queryset().get(pk=updated.pk)))

    @extend_schema(
        summary="Progress updates of an action, oldest first",
        responses={200: ProgressUpdateSerializer(many=True), **_READ_ERRORS},
    )
    @action(detail=True, methods=["get"], serializer_class=ProgressUpdateSerializer)
    def updates(self, request: Request, pk: str) -> Response:
        action_ = self._action(PlanPermission.VIEW)
        return self._paginated(
            action_.updates.order_by("date", "created_at"), ProgressUpdateSerializer
        )

    @extend_schema(
        summary="Add a progress update (plan editors, and the action's leads)",
        description=(
            "The action's RAG of record becomes the latest update's; a change of RAG needs "
            "a rationale. A RAG change also moves the action to a new version."
        ),
        request=ProgressUpdateCreateSerializer,
        responses={201: ProgressUpdateSerializer, **_WRITE_ERRORS},
    )
    @updates.mapping.post
    def updates_create(self, request: Request, pk: str) -> Response:
        action_ = self._action(PlanPermission.ADD_UPDATE)
        serializer = ProgressUpdateCreateSerializer(
            data=request.data, context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        try:
            update = progress_update_add(
                action=action_,
                date=data["date"],
                text=data["text"],
                rag=data["rag"] or "",
                rationale=data["rationale"],
                actor=request.user,
                via=VIA,
            )
        except DjangoValidationError as exc:
            raise _field_errors(exc, {"rag_rationale": "rationale"}) from None
        body = ProgressUpdateSerializer(update, context=self.get_serializer_context()).data
        return Response(body, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Deadline changes of an action, oldest first",
        responses={200: DeadlineChangeSerializer(many=True), **_READ_ERRORS},
    )
    @action(
        detail=True,
        methods=["get"],
        url_path="deadline-changes",
        serializer_class=DeadlineChangeSerializer,
    )
    def deadline_changes(self, request: Request, pk: str) -> Response:
        action_ = self._action(PlanPermission.VIEW)
        changes = action_.deadline_changes.order_by("changed_on", "created_at")
        return self._paginated(changes, DeadlineChangeSerializer)

    @extend_schema(
        summary="Move an action's by-when, with the reason (plan editors)",
        request=DeadlineChangeCreateSerializer,
        responses={201: DeadlineChangeSerializer, 409: _CONFLICT, **_WRITE_ERRORS},
    )
    @deadline_changes.mapping.post
    def deadline_changes_create(self, request: Request, pk: str) -> Response:
        action_ = self._action(PlanPermission.EDIT_ACTION)
        serializer = DeadlineChangeCreateSerializer(
            data=request.data, context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        try:
            change = deadline_change_add(
                action=action_,
                new_date=data["by_when"],
                reason=data["reason"],
                expected_version=data.get("version"),
                actor=request.user,
                via=VIA,
            )
        except ActionConflict as exc:
            return self._conflict(exc)
        except DjangoValidationError as exc:
            raise _field_errors(exc, {"new_date": "by_when"}) from None
        body = DeadlineChangeSerializer(change, context=self.get_serializer_context()).data
        return Response(body, status=status.HTTP_201_CREATED)
