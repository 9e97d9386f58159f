"""Shapes of the plans API: what a request may carry and what a response holds.

Serializers validate shape only (types, lengths, which ids the user may name) and read
dates with `parse_partial_date`; every rule about plans lives in
`inclusion.plans.services` and runs when the view calls it (docs/adr/0010-api.md).
"""

import datetime as dt
from typing import Any

from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from inclusion.core.partial_dates import (
    PartialDate,
    PartialDateError,
    Precision,
    parse_partial_date,
)
from inclusion.plans.models import (
    Action,
    ActionLead,
    Area,
    Board,
    DeadlineChange,
    Plan,
    Priority,
    ProgressUpdate,
    Rag,
)
from inclusion.plans.selectors import (
    areas_for_user,
    boards_for_user,
    overdue_q,
    priorities_of_plan,
    rag_summary,
)

RAG_VALUES = [r.value for r in Rag if r.value]  # red, amber, green, blue; null = not rated
PRECISION_VALUES = [p.value for p in Precision]


def _user(serializer: serializers.Serializer) -> Any:
    request = serializer.context.get("request")
    return getattr(request, "user", None)


# ---------------------------------------------------------------- fields


@extend_schema_field(
    {
        "type": "string",
        "pattern": r"^\d{4}-\d{2}(-\d{2})?$",
        "example": "2020-04",
        "description": (
            "An ISO date (2020-08-31) or, when only the month is known, an ISO month (2020-04). "
            "Requests may also write dates as UK plans do (31.08.20, April 2020)."
        ),
    }
)
class PartialDateField(serializers.Field):
    """A day or a month: read with `parse_partial_date`, written as `PartialDate.iso()`.

    A month stays a month (docs/adr/0004-partial-dates.md), so "2020-04" round-trips.
    """

    def to_internal_value(self, data: Any) -> PartialDate:
        if not isinstance(data, str):
            raise serializers.ValidationError(
                "Write the date as text: 2020-08-31 for a day or 2020-04 for a month"
            )
        try:
            return parse_partial_date(data)
        except PartialDateError as exc:
            raise serializers.ValidationError(str(exc)) from None

    def to_representation(self, value: PartialDate) -> str:
        return value.iso()


@extend_schema_field(OpenApiTypes.DATE)
class DayField(PartialDateField):
    """A date that must be a day (plan periods, report dates): a month is refused, not guessed."""

    def to_internal_value(self, data: Any) -> dt.date:  # type: ignore[override]
        value = super().to_internal_value(data)
        if value.precision != Precision.DAY:
            raise serializers.ValidationError(
                f"'{data}' is a month; give the day, such as {value.deadline.isoformat()}"
            )
        return value.value

    def to_representation(self, value: dt.date) -> str:  # type: ignore[override]
        return value.isoformat()


class RagField(serializers.ChoiceField):
    """A RAG rating: red, amber, green, blue (complete) or null (not rated).

    The models store "not rated" as an empty string; the API says null, as exports do.
    """

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("allow_null", True)
        super().__init__(choices=RAG_VALUES, **kwargs)

    def to_representation(self, value: Any) -> str | None:
        return value or None


@extend_schema_field({"type": "string", "enum": PRECISION_VALUES, "nullable": True})
class PrecisionField(serializers.CharField):
    """ "day" or "month"; null when there is no date to be precise about."""

    def __init__(self, *, date_source: str, **kwargs: Any) -> None:
        self.date_source = date_source
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def get_attribute(self, instance: Any) -> Any:
        value = getattr(instance, self.date_source)
        return value.precision.value if value is not None else None


# ---------------------------------------------------------------- plans


class RagCountsSerializer(serializers.Serializer):
    red = serializers.IntegerField()
    amber = serializers.IntegerField()
    green = serializers.IntegerField()
    blue = serializers.IntegerField(help_text="Complete")
    not_rated = serializers.IntegerField()


class PlanSerializer(serializers.ModelSerializer):
    class Meta:
        model = Plan
        fields = [
            "id",
            "kind",
            "title",
            "slug",
            "description",
            "period_start",
            "period_end",
            "last_report_date",
            "is_public",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class PlanDetailSerializer(PlanSerializer):
    """A plan with how its actions stand today."""

    action_count = serializers.SerializerMethodField()
    rag_counts = serializers.SerializerMethodField()
    overdue_count = serializers.SerializerMethodField()

    class Meta(PlanSerializer.Meta):
        fields = [*PlanSerializer.Meta.fields, "action_count", "rag_counts", "overdue_count"]
        read_only_fields = fields

    def _counts(self, plan: Plan) -> dict[str, int]:
        cache = self.context.setdefault("_rag_counts", {})
        if plan.pk not in cache:
            cache[plan.pk] = rag_summary(plan.actions.values_list("rag", flat=True))
        return cache[plan.pk]

    def get_action_count(self, plan: Plan) -> int:
        return sum(self._counts(plan).values())

    @extend_schema_field(RagCountsSerializer)
    def get_rag_counts(self, plan: Plan) -> dict[str, int]:
        counts = self._counts(plan)
        return {
            "red": counts[Rag.RED],
            "amber": counts[Rag.AMBER],
            "green": counts[Rag.GREEN],
            "blue": counts[Rag.BLUE],
            "not_rated": counts[Rag.NOT_RATED],
        }

    def get_overdue_count(self, plan: Plan) -> int:
        today = self.context.get("today") or timezone.localdate()
        return plan.actions.filter(overdue_q(today)).count()


class PlanUpdateSerializer(serializers.Serializer):
    """The parts of a plan an editor may change through the API."""

    title = serializers.CharField(max_length=300, required=False)
    description = serializers.CharField(allow_blank=True, required=False)
    period_start = DayField(allow_null=True, required=False)
    period_end = DayField(allow_null=True, required=False)
    last_report_date = DayField(allow_null=True, required=False)
    # The period's order is Plan.clean's rule; plan_update's full_clean applies it.


# ---------------------------------------------------------------- areas


class AreaSerializer(serializers.ModelSerializer):
    class Meta:
        model = Area
        fields = ["id", "plan", "priority", "position", "title", "created_at", "updated_at"]
        read_only_fields = fields


class AreaCreateSerializer(serializers.Serializer):
    title = serializers.CharField()
    position = serializers.IntegerField(min_value=0, required=False)
    priority = serializers.PrimaryKeyRelatedField(
        queryset=Priority.objects.none(),
        pk_field=serializers.UUIDField(),
        allow_null=True,
        required=False,
        help_text="A priority of the same plan",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        plan = self.context.get("plan")
        if plan is not None:
            self.fields["priority"].queryset = priorities_of_plan(plan)


# ---------------------------------------------------------------- actions


class ActionLeadSerializer(serializers.ModelSerializer):
    class Meta:
        model = ActionLead
        fields = ["name", "user", "organisation"]
        read_only_fields = fields


class ActionSerializer(serializers.ModelSerializer):
    by_when = PartialDateField(source="by_when_partial", read_only=True, allow_null=True)
    by_when_precision = PrecisionField(date_source="by_when_partial")
    leads = ActionLeadSerializer(many=True, read_only=True)
    rag = RagField(read_only=True)
    overdue = serializers.SerializerMethodField()

    class Meta:
        model = Action
        fields = [
            "id",
            "plan",
            "area",
            "position",
            "how",
            "by_when",
            "by_when_precision",
            "leads",
            "partners",
            "board",
            "rag",
            "rag_date",
            "overdue",
            "version",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def get_overdue(self, action: Action) -> bool:
        return action.is_overdue(self.context.get("today") or timezone.localdate())


class ActionConflictSerializer(serializers.Serializer):
    """The 409 answer to a stale edit: what went wrong and the action as it now stands."""

    detail = serializers.CharField()
    current = ActionSerializer()


def _scoped_fields(serializer: serializers.Serializer) -> None:
    """Let `area` and `board` name only things of the user's own partnership."""
    user = _user(serializer)
    if "area" in serializer.fields:
        serializer.fields["area"].queryset = areas_for_user(user)
    if "board" in serializer.fields:
        serializer.fields["board"].queryset = boards_for_user(user)


# Where an edit must go instead (each has its own rule and audit trail).
_NOT_HERE = {
    "by_when": "Change the by-when with POST .../deadline-changes/, which keeps the reason",
    "by_when_precision": "Change the by-when with POST .../deadline-changes/, which keeps the reason",
    "rag": "The rating comes from the latest progress update: POST .../updates/",
    "rag_date": "The rating comes from the latest progress update: POST .../updates/",
}


def _board_field(**kwargs: Any) -> serializers.PrimaryKeyRelatedField:
    return serializers.PrimaryKeyRelatedField(
        queryset=Board.objects.none(),  # scoped to the user's partnership in __init__
        pk_field=serializers.UUIDField(),
        allow_null=True,
        help_text="A board of the partnership the action reports to",
        **kwargs,
    )


def _leads_field(**kwargs: Any) -> serializers.ListField:
    return serializers.ListField(
        child=serializers.CharField(max_length=200),
        help_text="Lead names as the plan writes them; each is linked to a user or "
        "organisation of the partnership when one matches",
        **kwargs,
    )


class ActionCreateSerializer(serializers.Serializer):
    area = serializers.PrimaryKeyRelatedField(
        queryset=Area.objects.none(),  # scoped to the user's partnership in __init__
        pk_field=serializers.UUIDField(),
        help_text="The area for improvement the action answers; the plan follows from it",
    )
    how = serializers.CharField(help_text="What will be done")
    by_when = PartialDateField(allow_null=True, required=False, default=None)
    leads = _leads_field(required=False, default=list)
    partners = serializers.CharField(allow_blank=True, required=False, default="")
    board = _board_field(required=False, default=None)
    position = serializers.IntegerField(min_value=0, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _scoped_fields(self)


class ActionUpdateSerializer(serializers.Serializer):
    """A partial edit; `version` is the version the edit started from (optimistic locking)."""

    version = serializers.IntegerField(
        min_value=1, help_text="The action's version when this edit started"
    )
    area = serializers.PrimaryKeyRelatedField(
        queryset=Area.objects.none(),  # scoped to the user's partnership in __init__
        pk_field=serializers.UUIDField(),
        required=False,
        help_text="Another area of the same plan",
    )
    how = serializers.CharField(required=False, help_text="What will be done")
    leads = _leads_field(required=False)
    partners = serializers.CharField(allow_blank=True, required=False)
    board = _board_field(required=False)
    position = serializers.IntegerField(min_value=0, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _scoped_fields(self)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        errors = {name: msg for name, msg in _NOT_HERE.items() if name in self.initial_data}
        if errors:
            raise serializers.ValidationError(errors)
        area = attrs.get("area")
        action: Action | None = self.context.get("action")
        if area is not None and action is not None and area.plan_id != action.plan_id:
            raise serializers.ValidationError(
                {"area": "An action can move only to another area of its own plan"}
            )
        return attrs


# ---------------------------------------------------------------- progress updates


class ProgressUpdateSerializer(serializers.ModelSerializer):
    # The ISO form carries the precision ("2019-08" is a month), so no separate field here;
    # only the action's by_when has one, which the page filters and sorts by.
    date = PartialDateField(source="date_partial", read_only=True)
    rag = RagField(read_only=True)
    rationale = serializers.CharField(source="rag_rationale", read_only=True)

    class Meta:
        model = ProgressUpdate
        fields = [
            "id",
            "action",
            "date",
            "text",
            "rag",
            "rationale",
            "author_name",
            "created_at",
        ]
        read_only_fields = fields


class ProgressUpdateCreateSerializer(serializers.Serializer):
    date = PartialDateField(help_text="The date of the progress (a day, or a month)")
    text = serializers.CharField(help_text="The progress made; paragraphs split by a blank line")
    rag = RagField(help_text="The rating at that date; null for not rated")
    rationale = serializers.CharField(
        allow_blank=True,
        required=False,
        default="",
        help_text="Why the rating changes; required when it differs from the previous update's",
    )


# ---------------------------------------------------------------- deadline changes


class DeadlineChangeSerializer(serializers.ModelSerializer):
    old_by_when = PartialDateField(source="old_partial", read_only=True, allow_null=True)
    new_by_when = PartialDateField(source="new_partial", read_only=True, allow_null=True)

    class Meta:
        model = DeadlineChange
        fields = [
            "id",
            "action",
            "changed_on",
            "old_by_when",
            "new_by_when",
            "reason",
            "changed_by_name",
            "created_at",
        ]
        read_only_fields = fields


class DeadlineChangeCreateSerializer(serializers.Serializer):
    by_when = PartialDateField(allow_null=True, help_text="The new by-when; null removes it")
    reason = serializers.CharField(help_text="Why the deadline moves")
    version = serializers.IntegerField(
        min_value=1,
        required=False,
        help_text="The action's version when this change started; a stale one gets 409",
    )


# ---------------------------------------------------------------- list filters


class ActionFilterSerializer(serializers.Serializer):
    """Query parameters of GET /api/v1/actions/ (the same filters as the action list page)."""

    plan = serializers.UUIDField(required=False, help_text="Only this plan's actions")
    rag = serializers.ListField(
        child=serializers.ChoiceField(choices=[*RAG_VALUES, "none"]),
        required=False,
        help_text="Repeat for several; none = not rated",
    )
    lead = serializers.CharField(required=False, help_text="A lead's name as written")
    overdue = serializers.BooleanField(required=False, help_text="Only overdue actions")
    board = serializers.UUIDField(required=False)
    priority = serializers.UUIDField(required=False)
    area = serializers.UUIDField(required=False)
    q = serializers.CharField(required=False, help_text="Words in the action, area or leads")


class PlanExportQuerySerializer(serializers.Serializer):
    as_of = PartialDateField(
        required=False,
        help_text="The plan as it stood at the end of this day; a month means its last day",
    )
