"""What the plan pages need besides the selectors and services: a few reads scoped to
the user's partnership that only the pages use, and the shaping of records into the
parameters of GOV.UK components (rows, tags, pagination, navigation).

No business rule lives here: RAG, overdue and "as of" come from
`inclusion.plans.selectors`; wording and colours from `inclusion.plans.presenters`.
Views call these so they never query a model themselves (STYLE.md, "thin views").
"""

import datetime as dt
import uuid
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from django.http import Http404, QueryDict
from django.urls import reverse
from django.utils import timezone

from inclusion.accounts.models import Partnership
from inclusion.core import audit, navigation
from inclusion.core import evidence as core_evidence
from inclusion.core.evidence import EvidenceLine
from inclusion.core.partial_dates import PartialDate, PartialDateError, parse_partial_date
from inclusion.core.presenters import format_date, format_datetime, paragraphs
from inclusion.plans import selectors
from inclusion.plans.forms import REPORT_FORMATS
from inclusion.plans.models import Action, Board, Commitment, Plan, PlanImport, Rag, is_overdue
from inclusion.plans.permissions import PlanPermission
from inclusion.plans.presenters import by_when_text, overdue_text, rag_label, rag_tag

PAGE_SIZE = 100


def today() -> dt.date:
    """Today in the service's time zone (tests freeze it with time_machine)."""
    return timezone.localdate()


def end_of_day(day: dt.date) -> dt.datetime:
    """The last moment of `day` in local time: "as it stood on 31 August" includes that day."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time.max))


def _uuid_or_404(value: Any) -> uuid.UUID:
    try:
        return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))
    except ValueError:
        raise Http404("Not found") from None


# ---------------------------------------------------------------- reads only pages need


def partnership_get_by_slug(slug: str) -> Partnership:
    """A partnership for its public page (no login); 404 when there is none."""
    partnership = Partnership.objects.filter(slug=slug).first()
    if partnership is None:
        raise Http404("No such partnership")
    return partnership


@dataclass
class PublicPriority:
    title: str
    description: list[str]
    achieved: list[str]
    next: list[str]


@dataclass
class PublicPlan:
    plan: Plan
    description: list[str]
    priorities: list[PublicPriority]


def public_plan_sections(*, partnership_slug: str) -> list[PublicPlan]:
    """The published plans of a partnership, with each priority's commitments."""
    plans = selectors.public_plans(partnership_slug=partnership_slug).prefetch_related(
        "priorities__commitments"
    )
    sections = []
    for plan in plans:
        priorities = []
        for priority in plan.priorities.all():
            commitments = sorted(priority.commitments.all(), key=lambda c: c.position)
            priorities.append(
                PublicPriority(
                    title=priority.title,
                    description=paragraphs(priority.description),
                    achieved=[c.text for c in commitments if c.kind == Commitment.Kind.ACHIEVED],
                    next=[c.text for c in commitments if c.kind == Commitment.Kind.NEXT],
                )
            )
        sections.append(
            PublicPlan(plan=plan, description=paragraphs(plan.description), priorities=priorities)
        )
    return sections


def plan_import_get_for_user(user: Any, *, import_id: Any) -> PlanImport:
    """An import of the user's own partnership, or 404 (another's is not revealed)."""
    partnership_id = getattr(user, "partnership_id", None)
    if partnership_id is None:
        raise Http404("No such import")
    plan_import = PlanImport.objects.filter(
        partnership_id=partnership_id, pk=_uuid_or_404(import_id)
    ).first()
    if plan_import is None:
        raise Http404("No such import")
    return plan_import


def board_choices(user: Any) -> list[tuple[str, str]]:
    return [(str(board.id), board.name) for board in selectors.boards_for_user(user)]


def board_for_user(user: Any, board_id: str) -> Any:
    """The board the edit form chose (already checked against `board_choices`)."""
    if not board_id:
        return None
    return selectors.boards_for_user(user).filter(pk=_uuid_or_404(board_id)).first()


@dataclass
class LastChange:
    who: str
    at: dt.datetime | None

    @property
    def text(self) -> str:
        when = format_datetime(self.at) if self.at else "an unknown time"
        return f"This action was changed by {self.who} at {when} while you were editing"


def last_change(action: Action) -> LastChange:
    """Who saved the action last, from the audit log (RAG changes do not touch modified_by)."""
    entry = audit.history(action).order_by("-at", "-id").select_related("actor").first()
    if entry is None:
        return LastChange(who="someone else", at=None)
    who = (entry.actor.get_full_name() if entry.actor else "") or entry.actor_label
    return LastChange(who=who or "someone else", at=entry.at)


# ---------------------------------------------------------------- navigation


def _in_plans(match: Any) -> bool:
    return bool(
        match
        and match.namespace == "plans"
        and not (match.url_name or "").startswith("import_")
        and match.url_name != "public_plans"
    )


def _in_import(match: Any) -> bool:
    return bool(
        match and match.namespace == "plans" and (match.url_name or "").startswith("import_")
    )


def _may_import(user: Any) -> bool:
    partnership = getattr(user, "partnership", None)
    return partnership is not None and user.has_perm(PlanPermission.IMPORT, partnership)


def register_navigation() -> None:
    """Plans, and Import for those who may (core draws the navigation)."""
    navigation.register_section(
        key="plans", text="Plans", url_name="plans:plan_list", order=10, active=_in_plans
    )
    navigation.register_section(
        key="plans-import",
        text="Import",
        url_name="plans:import_upload",
        order=90,
        active=_in_import,
        visible=_may_import,
    )


# ---------------------------------------------------------------- rows for tables


@dataclass
class ActionRow:
    action: Action
    area: str
    how: str
    by_when: str
    leads: str
    rag: dict[str, Any]
    overdue: str
    board: str = ""


def action_row(
    action: Action, today: dt.date, *, rag: str | None = None, by_when: Any = "current"
) -> ActionRow:
    deadline = action.by_when_partial if by_when == "current" else by_when
    current_rag = action.rag if rag is None else rag
    overdue = is_overdue(deadline, current_rag, today)
    return ActionRow(
        action=action,
        area=action.area.title,
        how=action.how,
        by_when=by_when_text(deadline),
        leads=", ".join(lead.name for lead in action.leads.all()) or "No lead named",
        rag=rag_tag(current_rag),
        overdue=overdue_text(deadline, today) if overdue else "",
        board=action.board.name if action.board_id and action.board else "",
    )


def action_rows(actions: Any, today: dt.date) -> list[ActionRow]:
    return [action_row(action, today) for action in actions]


@dataclass
class RagCount:
    rag: str
    tag: dict[str, Any]
    count: int
    share: str
    filter_query: str


def rag_counts(counts: dict[str, int], total: int) -> list[RagCount]:
    """One row per rating, with its share in words (the tag is never the only cue)."""
    rows = []
    for rag in Rag:
        count = counts.get(rag.value, 0)
        share = f"{round(100 * count / total)}%" if total else "0%"
        rows.append(
            RagCount(
                rag=rag.value,
                tag=rag_tag(rag.value),
                count=count,
                share=share,
                filter_query=urlencode({"rag": rag.value or "none"}),
            )
        )
    return rows


@dataclass
class PlanRow:
    plan: Plan
    kind: str
    total: int
    overdue: int
    counts: list[RagCount]


def plan_rows(plans: Any, today: dt.date) -> list[PlanRow]:
    rows = []
    for plan in plans:
        counts = selectors.rag_summary(plan.actions.values_list("rag", flat=True))
        total = sum(counts.values())
        overdue = selectors.action_list(
            plan=plan, filters=selectors.ActionFilters(overdue=True), today=today
        ).count()
        rows.append(
            PlanRow(
                plan=plan,
                kind=plan.get_kind_display(),
                total=total,
                overdue=overdue,
                counts=rag_counts(counts, total),
            )
        )
    return rows


def report_links(plan: Plan, today: dt.date) -> list[dict[str, str]]:
    """One-click downloads of today's board report, changes since the last report date."""
    base = reverse("plans:plan_report", kwargs={"slug": plan.slug})
    query = {"as_of": today.isoformat()}
    if plan.last_report_date:
        query["since"] = plan.last_report_date.isoformat()
    return [
        {"text": label, "href": f"{base}?{urlencode({'format': fmt, **query})}"}
        for fmt, label in REPORT_FORMATS
    ]


# ---------------------------------------------------------------- filters and pages


@dataclass
class AppliedFilter:
    label: str
    value: str
    remove_href: str


def _without(query: QueryDict, key: str, value: str | None = None) -> str:
    remaining = query.copy()
    remaining.pop("page", None)
    if value is None:
        remaining.pop(key, None)
    else:
        remaining.setlist(key, [v for v in remaining.getlist(key) if v != value])
    encoded = remaining.urlencode()
    return f"?{encoded}" if encoded else "?"


def applied_filters(
    filters: selectors.ActionFilters, choices: dict[str, list[tuple[str, str]]], query: QueryDict
) -> list[AppliedFilter]:
    """The filters in force, in words, each with a link that removes it."""

    def named(kind: str, value: str) -> str:
        return dict(choices.get(kind, [])).get(value, value)

    applied = []
    for kind, label in (("priority", "Priority"), ("area", "Area"), ("board", "Board")):
        value = getattr(filters, kind)
        if value:
            applied.append(AppliedFilter(label, named(kind, value), _without(query, kind)))
    if filters.lead:
        applied.append(AppliedFilter("Lead", filters.lead, _without(query, "lead")))
    for rag in filters.rag:
        applied.append(AppliedFilter("Rating", named("rag", rag), _without(query, "rag", rag)))
    if filters.overdue:
        applied.append(AppliedFilter("Overdue", "Only overdue actions", _without(query, "overdue")))
    if filters.search:
        applied.append(AppliedFilter("Words", f"“{filters.search}”", _without(query, "q")))
    return applied


# ---------------------------------------------------------------- the action page


@dataclass
class TimelineEntry:
    kind: str  # "update" or "deadline"
    date: str
    title: str
    rag: dict[str, Any] | None = None
    paragraphs: list[str] = field(default_factory=list)
    who: str = ""
    rationale: list[str] = field(default_factory=list)
    rag_change: str = ""


def timeline(action: Action, *, as_of: dt.date | None = None) -> list[TimelineEntry]:
    """The action's updates and by-when changes, newest first, in words."""
    items = selectors.action_timeline(action, as_of=as_of)
    previous: dict[Any, str] = {}
    last = None
    for item in sorted((i for i in items if i["kind"] == "update"), key=lambda i: i["sort"]):
        update = item["item"]
        previous[update.pk] = last
        last = update.rag
    entries = []
    for item in items:
        obj = item["item"]
        if item["kind"] == "update":
            before = previous.get(obj.pk)
            change = ""
            if before is not None and before != obj.rag:
                change = f"Rating changed from {rag_label(before)} to {rag_label(obj.rag)}"
            who = obj.author_name or (str(obj.author) if obj.author else "")
            entries.append(
                TimelineEntry(
                    kind="update",
                    date=item["date"].display(),
                    title=f"Progress update: {item['date'].display()}",
                    rag=rag_tag(obj.rag),
                    paragraphs=paragraphs(obj.text),
                    who=who,
                    rationale=paragraphs(obj.rag_rationale),
                    rag_change=change,
                )
            )
        else:
            who = obj.changed_by_name or (str(obj.changed_by) if obj.changed_by else "")
            entries.append(
                TimelineEntry(
                    kind="deadline",
                    date=item["date"].display(),
                    title=(
                        f"By-when changed from {by_when_text(obj.old_partial)} "
                        f"to {by_when_text(obj.new_partial)}"
                    ),
                    paragraphs=paragraphs(obj.reason),
                    who=who,
                )
            )
    return entries


@dataclass
class ActionView:
    """What the action page shows: now, or as it stood at the end of a past day."""

    as_of: dt.date | None
    rag: dict[str, Any]
    rag_date: str
    by_when: str
    overdue: str
    how: list[str]
    partners: str
    board: str
    leads: list[str]
    wording_from_history: bool = True

    @property
    def as_of_text(self) -> str:
        return format_date(self.as_of)

    @property
    def headline(self) -> str:
        """The page's heading: what will be done, in the wording shown."""
        return " ".join(self.how[0].split()) if self.how else "Action"


def _given(update: Any) -> str:
    # An update dated only by its month ("August 2019") keeps its month: no made-up day.
    return f"given {update.date_partial.display()}" if update else "no update yet"


def action_view(action: Action, *, today: dt.date, as_of: dt.date | None = None) -> ActionView:
    current_leads = [lead.name for lead in action.leads.all()]
    current_board = action.board.name if action.board_id and action.board else ""
    if as_of is None:
        row = action_row(action, today)
        return ActionView(
            as_of=None,
            rag=row.rag,
            rag_date=_given(action.updates.order_by("-date", "-created_at").first()),
            by_when=row.by_when,
            overdue=row.overdue,
            how=paragraphs(action.how),
            partners=action.partners,
            board=current_board,
            leads=current_leads,
        )
    state = selectors.action_state_as_of(action, as_of)
    latest = state.latest_update
    deadline: PartialDate | None = state.by_when
    # The wording as it stood comes from the audit snapshots; an action imported with
    # its history has none before its import, so the page says it shows today's wording.
    snapshot = audit.state_as_of("plans.action", action.pk, end_of_day(as_of))
    if snapshot:
        board_id = snapshot.get("board_id")
        board = current_board
        if board_id != (str(action.board_id) if action.board_id else None):
            found = None
            if board_id:
                found = Board.objects.filter(
                    partnership_id=action.plan.partnership_id, pk=board_id
                ).first()
            board = found.name if found else ""
        how = paragraphs(snapshot.get("how", action.how))
        partners = snapshot.get("partners", action.partners)
        leads = snapshot.get("leads", current_leads)
    else:
        board, how, partners, leads = (
            current_board,
            paragraphs(action.how),
            action.partners,
            current_leads,
        )
    return ActionView(
        as_of=as_of,
        rag=rag_tag(state.rag),
        rag_date=_given(latest),
        by_when=by_when_text(deadline),
        overdue=overdue_text(deadline, as_of) if state.overdue else "",
        how=how,
        partners=partners,
        board=board,
        leads=leads,
        wording_from_history=bool(snapshot),
    )


# ---------------------------------------------------------------- the import preview


@dataclass
class ImportItem:
    kind: str  # "Area" or "Action"
    text: str
    status: str
    tag: dict[str, str]


_CHANGE_TAGS = {
    "new": {"text": "New", "classes": "govuk-tag--green"},
    "changed": {"text": "Changed", "classes": "govuk-tag--yellow"},
    "unchanged": {"text": "Unchanged", "classes": "govuk-tag--grey"},
    "existing": {"text": "Already in the plan", "classes": "govuk-tag--grey"},
}

# The counts `plan_import_preview` records (inclusion/plans/services/imports.py).
_COUNT_LABELS = {
    "areas_new": "New areas for improvement",
    "actions_new": "New actions",
    "actions_changed": "Changed actions",
    "actions_unchanged": "Unchanged actions",
    "updates_new": "New progress updates",
    "deadline_changes_new": "New by-when changes",
    "priorities_new": "New priorities",
    "commitments_new": "New commitments",
}


def _change_tag(status: Any) -> dict[str, str]:
    key = str(status or "new").lower()
    return _CHANGE_TAGS.get(key, {"text": key.capitalize(), "classes": "govuk-tag--grey"})


_IMPORT_STATUS_TAGS = {
    PlanImport.Status.PREVIEWED: "govuk-tag--blue",
    PlanImport.Status.FAILED: "govuk-tag--red",
    PlanImport.Status.APPLIED: "govuk-tag--green",
    PlanImport.Status.DISCARDED: "govuk-tag--grey",
}


def import_status_tag(plan_import: PlanImport) -> dict[str, str]:
    return {
        "text": plan_import.get_status_display(),
        "classes": _IMPORT_STATUS_TAGS.get(plan_import.status, "govuk-tag--grey"),
    }


@dataclass
class ImportPreview:
    message: str
    counts_rows: list[dict[str, Any]]
    areas: list[dict[str, Any]]
    errors: list[dict[str, str]]


def _count_rows(counts: Any) -> list[dict[str, Any]]:
    rows = []
    if isinstance(counts, dict):
        for key, value in counts.items():
            label = _COUNT_LABELS.get(key) or str(key).replace("_", " ").capitalize()
            if isinstance(value, dict):
                value = ", ".join(f"{n} {k}" for k, n in value.items())
            rows.append({"key": {"text": label}, "value": {"text": str(value)}})
    return rows


def _problem(error: Any) -> dict[str, str]:
    if not isinstance(error, dict):
        return {"table": "", "row": "", "column": "", "message": str(error), "where": ""}
    parts = {
        k: "" if error.get(k) in (None, "") else str(error.get(k))
        for k in ("table", "row", "column")
    }
    where = ", ".join(
        f"{name} {parts[key]}" if key != "column" else f"column '{parts[key]}'"
        for key, name in (("table", "table"), ("row", "row"), ("column", "column"))
        if parts[key]
    )
    message = str(error.get("message") or "")
    return {
        **parts,
        "message": message[:1].upper() + message[1:],
        "where": where[:1].upper() + where[1:],
    }


def _partial_text(value: Any) -> str:
    if not value:
        return ""
    try:
        return parse_partial_date(str(value)).display()
    except PartialDateError:
        return str(value)


def import_preview(plan_import: PlanImport) -> ImportPreview:
    """The stored preview of an import, shaped for the page.

    `summary` holds counts and the areas with their actions, each marked new, changed
    or unchanged; `errors` holds one entry per problem with its table, row and column.
    """
    summary = plan_import.summary or {}
    areas = []
    for area in summary.get("areas", []) or []:
        actions = []
        for action in area.get("actions") or []:
            leads = action.get("leads") or ""
            actions.append(
                {
                    "text": action.get("how") or action.get("title") or "",
                    "by_when": _partial_text(action.get("by_when")),
                    "leads": ", ".join(leads) if isinstance(leads, list) else str(leads),
                    "tag": _change_tag(action.get("status") or action.get("change")),
                }
            )
        areas.append(
            {
                "title": area.get("title") or "",
                "tag": _change_tag(area.get("status") or area.get("change")),
                "actions": actions,
            }
        )
    errors = [_problem(error) for error in (plan_import.errors or [])]
    return ImportPreview(
        # The importer words its message as done ("Created plan ..."): only true once applied.
        message=str(summary.get("applied_message") or ""),
        counts_rows=_count_rows(summary.get("counts")),
        areas=areas,
        errors=errors,
    )


# ---------------------------------------------------------------- what the measures say


@dataclass
class EvidenceRow:
    """One measure's line on an action page or the overview, ready for a GOV.UK table."""

    title: str
    url: str
    latest: str
    target: str
    sentence: str
    suggested: dict[str, Any]  # govukTag parameters; "No rating" when it suggests none


def _suggested_tag(rag: str) -> dict[str, Any]:
    if rag in (Rag.RED, Rag.AMBER, Rag.GREEN):
        return rag_tag(rag)
    return {"text": "No rating", "classes": "govuk-tag--grey"}


def evidence_rows(lines: list[EvidenceLine]) -> list[EvidenceRow]:
    return [
        EvidenceRow(
            title=line.title,
            url=line.url,
            latest=line.latest or "No figure yet",
            target=line.target or "No target set",
            sentence=line.sentence,
            suggested=_suggested_tag(line.suggested_rag),
        )
        for line in lines
    ]


def difference_text(rag: str, lines: list[EvidenceLine]) -> str:
    return selectors.evidence_difference_message(rag, lines)


@dataclass
class ActionEvidence:
    rows: list[EvidenceRow]
    differs: bool
    difference: str  # the warning's text when it differs
    suggested: dict[str, Any]


def action_evidence(action: Action, *, as_of: dt.date | None = None) -> ActionEvidence:
    """The action page's "What the measures say". The figures are always the latest held,
    so against an earlier view's rating no difference is flagged (the page says so)."""
    lines = selectors.action_evidence(action)
    differs = as_of is None and core_evidence.rag_differs(action.rag, lines)
    return ActionEvidence(
        rows=evidence_rows(lines),
        differs=differs,
        difference=difference_text(action.rag, lines) if differs else "",
        suggested=_suggested_tag(core_evidence.suggested_rag(lines)),
    )


@dataclass
class DifferenceRow:
    action: Action
    area: str
    how: str
    given: dict[str, Any]
    suggested: dict[str, Any]
    text: str


@dataclass
class EvidenceDifferences:
    rows: list[DifferenceRow]  # the first `selectors.OVERVIEW_LIMIT`, in plan order
    count: int  # all of them
    with_evidence: int


def plan_evidence_differences(plan: Plan) -> EvidenceDifferences:
    """The plan overview's list of actions whose rating the measures do not bear out (the
    board report lists them all)."""
    found = selectors.plan_evidence_differences(plan=plan)
    return EvidenceDifferences(
        count=len(found.differences),
        rows=[
            DifferenceRow(
                action=d.action,
                area=d.action.area.title,
                how=d.action.how,
                given=rag_tag(d.rag),
                suggested=_suggested_tag(d.suggested),
                text=d.message,
            )
            for d in found.differences[: selectors.OVERVIEW_LIMIT]
        ],
        with_evidence=found.with_evidence,
    )
