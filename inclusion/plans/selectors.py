"""Reads of plans and actions: scoping, filters, and the state "as of" a date.

"As of" is business time (docs/adr/0006-rag.md):
- the RAG at date D is the RAG of the latest progress update dated on or before D
  (a month-precision update counts from the first day of its month);
- the by-when at D is the one in force after the deadline changes made on or before D
  (before the first change, that change's old date);
- overdue at D: the by-when's deadline (a month means its last day) is before D and
  the action is not complete (Blue).
"""

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.db.models import F, OuterRef, Prefetch, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import Http404

from inclusion.core import evidence
from inclusion.core.evidence import EvidenceLine
from inclusion.core.partial_dates import PartialDate, from_fields
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
    is_overdue,
)

# ---------------------------------------------------------------- scoping


def plans_for_user(user: Any) -> QuerySet[Plan]:
    """Every plan the user may see: those of their own partnership, nothing else."""
    if not getattr(user, "is_authenticated", False) or not getattr(user, "organisation_id", None):
        return Plan.objects.none()
    return Plan.objects.filter(partnership_id=user.organisation.partnership_id)


def plan_get_for_user(user: Any, *, slug: str) -> Plan:
    """The plan, or 404 (also for another partnership's plan: its existence is not revealed)."""
    plan = plans_for_user(user).filter(slug=slug).first()
    if plan is None:
        raise Http404("No such plan")
    return plan


def actions_for_user(user: Any) -> QuerySet[Action]:
    return Action.objects.filter(plan__in=plans_for_user(user))


def action_get_for_user(user: Any, *, plan: Plan, action_id: Any) -> Action:
    action = (
        actions_for_user(user)
        .filter(plan=plan, pk=action_id)
        .select_related("area", "plan", "board")
        .prefetch_related("leads")
        .first()
    )
    if action is None:
        raise Http404("No such action")
    return action


def areas_for_user(user: Any) -> QuerySet[Area]:
    return Area.objects.filter(plan__in=plans_for_user(user))


def priorities_of_plan(plan: Plan) -> QuerySet[Priority]:
    return Priority.objects.filter(plan=plan).order_by("position")


def boards_for_user(user: Any) -> QuerySet[Board]:
    if not getattr(user, "organisation_id", None):
        return Board.objects.none()
    return Board.objects.filter(partnership_id=user.organisation.partnership_id)


def public_plans(*, partnership_slug: str) -> QuerySet[Plan]:
    """Plans published on the partnership's public page (no login)."""
    return Plan.objects.filter(partnership__slug=partnership_slug, is_public=True)


# ---------------------------------------------------------------- overdue


def overdue_q(today: dt.date) -> Q:
    """Actions overdue on `today`, as a query.

    The same rule as `Action.is_overdue`: a day-precision by-when is overdue after that
    day; a month is overdue once the month is over, i.e. when it starts before today's month.
    """
    first_of_month = today.replace(day=1)
    return (
        (
            Q(by_when_precision="day", by_when__lt=today)
            | Q(by_when_precision="month", by_when__lt=first_of_month)
        )
        & Q(by_when__isnull=False)
        & ~Q(rag=Rag.BLUE)
    )


# ---------------------------------------------------------------- filters


@dataclass
class ActionFilters:
    priority: str = ""  # priority id
    area: str = ""  # area id
    lead: str = ""  # lead name as written
    board: str = ""  # board id
    rag: list[str] = field(default_factory=list)  # values of Rag; "none" for not rated
    overdue: bool = False
    search: str = ""

    @classmethod
    def from_query(cls, query: Any) -> "ActionFilters":
        rag = [r for r in query.getlist("rag") if r in {*Rag.values, "none"} - {""}]
        return cls(
            priority=query.get("priority", "").strip(),
            area=query.get("area", "").strip(),
            lead=query.get("lead", "").strip(),
            board=query.get("board", "").strip(),
            rag=rag,
            overdue=query.get("overdue") in {"1", "true", "on", "yes"},
            search=query.get("q", "").strip(),
        )

    @property
    def active(self) -> bool:
        return bool(
            self.priority
            or self.area
            or self.lead
            or self.board
            or self.rag
            or self.overdue
            or self.search
        )


def _valid_uuid(value: str) -> bool:
    import uuid

    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


def action_list(
    *, plan: Plan | QuerySet[Plan], filters: ActionFilters | None = None, today: dt.date
) -> QuerySet[Action]:
    """The actions of a plan (or of several: a queryset of plans), filtered.

    Each comes with its area, board and leads; ordered as in the plan.
    """
    scope = Q(plan__in=plan) if isinstance(plan, QuerySet) else Q(plan=plan)
    qs = (
        Action.objects.filter(scope)
        .select_related("area", "area__priority", "board")
        .prefetch_related(Prefetch("leads", queryset=ActionLead.objects.order_by("position")))
        .order_by("area__position", "position")
    )
    f = filters or ActionFilters()
    if f.priority:
        qs = qs.filter(area__priority_id=f.priority) if _valid_uuid(f.priority) else qs.none()
    if f.area:
        qs = qs.filter(area_id=f.area) if _valid_uuid(f.area) else qs.none()
    if f.board:
        qs = qs.filter(board_id=f.board) if _valid_uuid(f.board) else qs.none()
    if f.lead:
        qs = qs.filter(leads__name__iexact=f.lead).distinct()
    if f.rag:
        wanted = [Rag.NOT_RATED if r == "none" else r for r in f.rag]
        qs = qs.filter(rag__in=wanted)
    if f.overdue:
        qs = qs.filter(overdue_q(today))
    if f.search:
        qs = qs.filter(
            Q(how__icontains=f.search)
            | Q(area__title__icontains=f.search)
            | Q(leads__name__icontains=f.search)
        ).distinct()
    return qs


def filter_choices(*, plan: Plan) -> dict[str, list[tuple[str, str]]]:
    """The options each filter offers (only values the plan uses)."""
    leads = (
        ActionLead.objects.filter(action__plan=plan)
        .values_list("name", flat=True)
        .distinct()
        .order_by("name")
    )
    boards = Board.objects.filter(actions__plan=plan).distinct().order_by("name")
    return {
        "priority": [
            (str(p.id), p.title) for p in Priority.objects.filter(plan=plan).order_by("position")
        ],
        "area": [(str(a.id), a.title) for a in Area.objects.filter(plan=plan).order_by("position")],
        "lead": [(name, name) for name in leads],
        "board": [(str(b.id), b.name) for b in boards],
        "rag": [(r.value or "none", r.label) for r in Rag],
    }


# ---------------------------------------------------------------- as of a date


@dataclass
class ActionState:
    rag: str
    by_when: PartialDate | None
    latest_update: ProgressUpdate | None
    updates: list[ProgressUpdate]
    deadline_changes: list[DeadlineChange]
    overdue: bool
    complete: bool


def _by_when_at(
    action: Action, changes: list[DeadlineChange], as_of: dt.date
) -> PartialDate | None:
    made = [c for c in changes if c.changed_on <= as_of]
    if made:
        last = made[-1]
        return from_fields(last.new_date, last.new_precision)
    if changes:
        first = changes[0]
        return from_fields(first.old_date, first.old_precision)
    return action.by_when_partial


def _state(
    action: Action, updates: list[ProgressUpdate], changes: list[DeadlineChange], as_of: dt.date
) -> ActionState:
    seen = [u for u in updates if u.date <= as_of]
    latest = seen[-1] if seen else None
    rag = latest.rag if latest else Rag.NOT_RATED
    by_when = _by_when_at(action, changes, as_of)
    complete = rag == Rag.BLUE
    return ActionState(
        rag=rag,
        by_when=by_when,
        latest_update=latest,
        updates=seen,
        deadline_changes=[c for c in changes if c.changed_on <= as_of],
        overdue=is_overdue(by_when, rag, as_of),
        complete=complete,
    )


def _ordered_updates(action: Action) -> list[ProgressUpdate]:
    return sorted(action.updates.all(), key=lambda u: (u.date, u.created_at))


def _ordered_changes(action: Action) -> list[DeadlineChange]:
    return sorted(action.deadline_changes.all(), key=lambda c: (c.changed_on, c.created_at))


def action_state_as_of(action: Action, as_of: dt.date) -> ActionState:
    return _state(action, _ordered_updates(action), _ordered_changes(action), as_of)


def plan_actions_as_of(
    plan: Plan, as_of: dt.date, *, history: bool = True
) -> list[tuple[Action, ActionState]]:
    """Every action of the plan with its state at `as_of`, in plan order (4 queries).

    With `history=False` only each action's latest update on or before `as_of` is read
    (a board report needs no more), so the cost follows the number of actions, not of
    updates; the state's `updates` then holds that one update.
    """
    updates = ProgressUpdate.objects.order_by("date", "created_at")
    if not history:
        latest = (
            ProgressUpdate.objects.filter(action=OuterRef("action_id"), date__lte=as_of)
            .order_by("-date", "-created_at")
            .values("pk")[:1]
        )
        updates = updates.filter(date__lte=as_of, pk=Subquery(latest))
    actions = (
        Action.objects.filter(plan=plan)
        .select_related("area", "area__priority", "board")
        .prefetch_related(
            Prefetch("leads", queryset=ActionLead.objects.order_by("position")),
            Prefetch("updates", queryset=updates),
            Prefetch(
                "deadline_changes",
                queryset=DeadlineChange.objects.order_by("changed_on", "created_at"),
            ),
        )
        .order_by("area__position", "position")
    )
    return [(a, action_state_as_of(a, as_of)) for a in actions]


def rag_summary(states: Any) -> dict[str, int]:
    """Counts keyed red, amber, green, blue and "" (not rated); accepts states or actions."""
    counts = Counter(getattr(s, "rag", s) for s in states)
    return {r.value: counts.get(r.value, 0) for r in Rag}


# ---------------------------------------------------------------- what changed


@dataclass
class RagChange:
    action: Action
    date: dt.date
    old_rag: str
    new_rag: str
    update: ProgressUpdate


@dataclass
class PlanChanges:
    since: dt.date
    until: dt.date
    updates: list[ProgressUpdate]
    rag_changes: list[RagChange]
    deadline_changes: list[DeadlineChange]

    @property
    def empty(self) -> bool:
        return not (self.updates or self.rag_changes or self.deadline_changes)


def plan_changes_since(plan: Plan, since: dt.date, until: dt.date) -> PlanChanges:
    """Updates, RAG changes and deadline changes dated after `since`, up to `until`.

    Reads only the updates in the window, plus each action's rating just before it
    (one subquery), so its cost follows the size of the window, not of the plan.
    """
    rating_before = (
        ProgressUpdate.objects.filter(action=OuterRef("action_id"), date__lte=since)
        .order_by("-date", "-created_at")
        .values("rag")[:1]
    )
    updates = list(
        ProgressUpdate.objects.filter(action__plan=plan, date__gt=since, date__lte=until)
        .select_related("action", "action__area")
        .annotate(rating_before=Subquery(rating_before))
        .order_by("action__area__position", "action__position", "date", "created_at")
    )
    rag_changes: list[RagChange] = []
    previous: dict[Any, str] = {}
    for update in updates:
        before = previous.get(update.action_id, update.rating_before or Rag.NOT_RATED)
        if update.rag != before:
            rag_changes.append(RagChange(update.action, update.date, before, update.rag, update))
        previous[update.action_id] = update.rag
    deadlines = list(
        DeadlineChange.objects.filter(
            action__plan=plan, changed_on__gt=since, changed_on__lte=until
        )
        .select_related("action", "action__area")
        .order_by("changed_on", "created_at")
    )
    updates.sort(key=lambda u: (u.date, u.created_at))
    rag_changes.sort(key=lambda c: c.date)
    return PlanChanges(
        since=since,
        until=until,
        updates=updates,
        rag_changes=rag_changes,
        deadline_changes=deadlines,
    )


@dataclass
class ChangesSummary:
    """What changed in a window, counted in the database, with only the latest few listed."""

    since: dt.date
    until: dt.date
    update_count: int
    rag_change_count: int
    deadline_change_count: int
    rag_changes: list[RagChange]  # the latest `limit`, newest first
    deadline_changes: list[DeadlineChange]  # the latest `limit`, newest first


def plan_changes_summary(
    plan: Plan, since: dt.date, until: dt.date, *, limit: int
) -> ChangesSummary:
    """`plan_changes_since` for a page: counts, and the latest `limit` of each kind.

    A rating change is an update whose rating differs from the one before it (the
    previous update of the same action, or "not rated"), found in SQL, so the cost
    does not grow with how much changed.
    """
    window = ProgressUpdate.objects.filter(action__plan=plan, date__gt=since, date__lte=until)
    before = (
        ProgressUpdate.objects.filter(action=OuterRef("action_id"))
        .filter(
            Q(date__lt=OuterRef("date"))
            | Q(date=OuterRef("date"), created_at__lt=OuterRef("created_at"))
        )
        .order_by("-date", "-created_at")
        .values("rag")[:1]
    )
    changed = window.annotate(
        rating_before=Coalesce(Subquery(before), Value(Rag.NOT_RATED))
    ).exclude(rag=F("rating_before"))
    latest_changed = changed.select_related("action").order_by("-date", "-created_at")[:limit]
    deadlines = DeadlineChange.objects.filter(
        action__plan=plan, changed_on__gt=since, changed_on__lte=until
    )
    return ChangesSummary(
        since=since,
        until=until,
        update_count=window.count(),
        rag_change_count=changed.count(),
        deadline_change_count=deadlines.count(),
        rag_changes=[
            RagChange(u.action, u.date, u.rating_before, u.rag, u) for u in latest_changed
        ],
        deadline_changes=list(
            deadlines.select_related("action").order_by("-changed_on", "-created_at")[:limit]
        ),
    )


# How many overdue actions or changes a page lists before pointing to the full list.
OVERVIEW_LIMIT = 25


@dataclass
class PlanOverview:
    plan: Plan
    today: dt.date
    rag_counts: dict[str, int]
    total: int
    overdue: list[Action]  # the first OVERVIEW_LIMIT, most overdue first
    overdue_count: int
    changes: ChangesSummary | None


def plan_overview(
    *, plan: Plan, today: dt.date, changes_since: dt.date | None = None
) -> PlanOverview:
    """RAG counts, the most overdue actions and what changed since the last report date.

    The overview lists at most OVERVIEW_LIMIT overdue actions (the longest overdue);
    the filtered action list has them all.
    """
    actions = Action.objects.filter(plan=plan)
    counts = rag_summary(actions.values_list("rag", flat=True))
    overdue_qs = action_list(plan=plan, filters=ActionFilters(overdue=True), today=today)
    overdue_count = overdue_qs.count()
    overdue = list(overdue_qs.order_by("by_when", "area__position", "position")[:OVERVIEW_LIMIT])
    since = changes_since or plan.last_report_date
    changes = plan_changes_summary(plan, since, today, limit=OVERVIEW_LIMIT) if since else None
    return PlanOverview(
        plan=plan,
        today=today,
        rag_counts=counts,
        total=sum(counts.values()),
        overdue=overdue,
        overdue_count=overdue_count,
        changes=changes,
    )


def action_timeline(action: Action, *, as_of: dt.date | None = None) -> list[dict[str, Any]]:
    """Updates and deadline changes of an action, newest first, for its page."""
    items: list[dict[str, Any]] = []
    for u in action.updates.select_related("author").order_by("date", "created_at"):
        if as_of is None or u.date <= as_of:
            items.append(
                {
                    "kind": "update",
                    "date": u.date_partial,
                    "sort": (u.date, u.created_at),
                    "item": u,
                }
            )
    for c in action.deadline_changes.select_related("changed_by").order_by(
        "changed_on", "created_at"
    ):
        if as_of is None or c.changed_on <= as_of:
            items.append(
                {
                    "kind": "deadline",
                    "date": PartialDate.day(c.changed_on),
                    "sort": (c.changed_on, c.created_at),
                    "item": c,
                }
            )
    items.sort(key=lambda i: i["sort"], reverse=True)
    return items


# ---------------------------------------------------------------- what the measures say
# Issue #3 and docs/adr/0015-evidence-against-rag.md: plans asks core, never the measures
# app, so a plan works the same with no measures installed (every action has no evidence).


@dataclass
class EvidenceDifference:
    """A rated action whose measures suggest another rating (`evidence.rag_differs`)."""

    action: Action
    rag: str  # the rating of record
    suggested: str  # what the measures suggest: the worst of `lines`
    lines: list[EvidenceLine]

    @property
    def reasons(self) -> list[EvidenceLine]:
        """The lines that make the suggestion (those suggesting the worst rating)."""
        return [line for line in self.lines if line.suggested_rag == self.suggested]

    @property
    def message(self) -> str:
        return evidence_difference_message(self.rag, self.lines)


def evidence_difference_message(rag: str, lines: list[EvidenceLine]) -> str:
    """Issue #3's wording, the same on the pages and in every report format: "RAG given:
    Amber. The measures suggest Red: <measure>: <what it says>"."""
    suggested = evidence.suggested_rag(lines)
    reasons = " ".join(
        f"{line.title}: {line.sentence}" for line in lines if line.suggested_rag == suggested
    )
    return f"RAG given: {Rag(rag).label}. The measures suggest {Rag(suggested).label}: {reasons}"


def action_evidence(action: Action) -> list[EvidenceLine]:
    """What the measures linked to the action, or to its area, say (direct links first)."""
    found = evidence.evidence_for_actions(
        partnership=action.plan.partnership, action_ids=[action.pk]
    )
    return found.get(action.pk, [])


def plan_evidence(plan: Plan) -> list[EvidenceLine]:
    """Every measure linked to the plan's areas or actions, once each."""
    return evidence.evidence_for_plan(partnership=plan.partnership, plan_id=plan.pk)


def evidence_differences(
    *, plan: Plan, ratings: dict[Any, str]
) -> tuple[dict[Any, EvidenceDifference], int]:
    """The actions whose rating (`ratings`: action id -> rag, e.g. as of a report date) the
    evidence does not bear out, keyed by action id (the `action` field left None for the
    caller to fill), and how many rated actions have any evidence. One question to core for
    the whole plan; complete and not-rated actions are never asked about."""
    rated = [pk for pk, rag in ratings.items() if rag in (Rag.RED, Rag.AMBER, Rag.GREEN)]
    if not rated:
        return {}, 0
    found = evidence.evidence_for_actions(partnership=plan.partnership, action_ids=rated)
    differences = {
        pk: EvidenceDifference(
            action=None,  # type: ignore[arg-type]
            rag=ratings[pk],
            suggested=evidence.suggested_rag(lines),
            lines=lines,
        )
        for pk, lines in found.items()
        if evidence.rag_differs(ratings[pk], lines)
    }
    return differences, sum(1 for lines in found.values() if lines)


@dataclass
class PlanEvidenceDifferences:
    differences: list[EvidenceDifference]  # in plan order
    with_evidence: int  # rated actions that have any measure linked


def plan_evidence_differences(*, plan: Plan) -> PlanEvidenceDifferences:
    """Today's ratings against the evidence, for the plan overview (4 queries and the
    provider's few, whatever the plan's size). A plan with no measure linked is answered by
    the first question (most plans, and the benchmark's: no action ids are read)."""
    if not plan_evidence(plan):
        return PlanEvidenceDifferences(differences=[], with_evidence=0)
    ratings = dict(
        Action.objects.filter(plan=plan, rag__in=[Rag.RED, Rag.AMBER, Rag.GREEN]).values_list(
            "pk", "rag"
        )
    )
    found, with_evidence = evidence_differences(plan=plan, ratings=ratings)
    actions = (
        Action.objects.filter(plan=plan, pk__in=list(found))
        .select_related("area")
        .order_by("area__position", "position")
        if found
        else []
    )
    differences = []
    for action in actions:
        difference = found[action.pk]
        difference.action = action
        differences.append(difference)
    return PlanEvidenceDifferences(differences=differences, with_evidence=with_evidence)
