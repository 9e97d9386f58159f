"""Importing plan files: preview what would change, then apply it in one transaction.

Rules (docs/adr/0007-plan-import.md):
- Nothing is half-saved: a file is parsed and checked whole, and applied inside one
  transaction; any problem raises PlanImportError and rolls everything back.
- Re-importing the same file changes nothing and writes no audit entries. Matching:
  the plan by id, else slug, else title (within the partnership); areas by id, else
  title; actions (within their area) by id, else how, else position; updates by id,
  else (date, text); deadline changes by id, else (changed on, new date); priorities by
  id, else title; commitments by id, else (kind, text).
- An import adds and changes, never deletes: an action missing from the file stays.
  An empty by-when, leads, partners or board cell leaves the value as it is.
- Every row is written through the plan services (services.actions), so the RAG rule,
  the deadline-change rule and the audit trail are the same as for a hand edit.
"""

import datetime as dt
import uuid
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from inclusion.accounts.models import Partnership
from inclusion.core import audit
from inclusion.core.models import AuditLog
from inclusion.core.partial_dates import PartialDate
from inclusion.core.presenters import pluralise
from inclusion.plans.importers.detect import parse_action_plan, parse_inclusion_plan
from inclusion.plans.importers.problems import ImportProblem, PlanImportError
from inclusion.plans.importers.types import (
    ParsedAction,
    ParsedArea,
    ParsedCommitment,
    ParsedDeadlineChange,
    ParsedPlan,
    ParsedPriority,
    ParsedUpdate,
    Source,
)
from inclusion.plans.importers.values import clean
from inclusion.plans.models import (
    Action,
    Area,
    Board,
    Commitment,
    DeadlineChange,
    Plan,
    PlanImport,
    Priority,
    ProgressUpdate,
)
from inclusion.plans.services import actions as plan_services

ACTION_PLAN = "action"
INCLUSION_PLAN = "inclusion"

COUNT_KEYS = (
    "areas_new",
    "actions_new",
    "actions_changed",
    "actions_unchanged",
    "updates_new",
    "deadline_changes_new",
    "priorities_new",
    "commitments_new",
)


@dataclass
class ImportResult:
    plan: Plan
    plan_created: bool
    counts: dict[str, int]
    filename: str = ""

    @property
    def changed(self) -> bool:
        return self.plan_created or any(
            v for k, v in self.counts.items() if k != "actions_unchanged"
        )

    def message(self) -> str:
        """ "Created plan 'Action Plan Update August 2019': 10 areas, 10 actions, 10 progress updates"."""
        return summary_message(
            title=self.plan.title,
            kind=self.plan.kind,
            created=self.plan_created,
            counts=self.counts,
        )


def summary_message(*, title: str, kind: str, created: bool, counts: dict[str, int]) -> str:
    c = counts
    parts: list[str] = []
    if created:
        if kind != Plan.Kind.INCLUSION or c["areas_new"]:
            parts += [
                pluralise(c["areas_new"], "area"),
                pluralise(c["actions_new"], "action"),
                pluralise(c["updates_new"], "progress update"),
            ]
        if c["priorities_new"] or kind == Plan.Kind.INCLUSION:
            parts += [
                pluralise(c["priorities_new"], "priority", "priorities"),
                pluralise(c["commitments_new"], "commitment"),
            ]
        if c["deadline_changes_new"]:
            parts.append(pluralise(c["deadline_changes_new"], "deadline change"))
        return f"Created plan '{title}': {', '.join(parts)}"
    labels = [
        ("areas_new", "new area"),
        ("actions_new", "new action"),
        ("actions_changed", "changed action"),
        ("updates_new", "new progress update"),
        ("deadline_changes_new", "deadline change"),
        ("priorities_new", "new priority"),
        ("commitments_new", "new commitment"),
    ]
    parts = [pluralise(c[key], label) for key, label in labels if c.get(key)]
    if not parts:
        return f"No changes to plan '{title}': everything in the file is already there"
    return f"Updated plan '{title}': {', '.join(parts)}"


# ------------------------------------------------------------------ parsing


def parse_plan_file(
    *,
    filename: str,
    content: bytes,
    plan_type: str = ACTION_PLAN,
    plan_title: str | None = None,
    update_date: PartialDate | None = None,
) -> ParsedPlan:
    from django.conf import settings

    limit = getattr(settings, "IMPORT_MAX_BYTES", 10 * 1024 * 1024)
    if len(content) > limit:
        raise PlanImportError(
            f"the file is {len(content) // 1024} KB; the largest accepted is {limit // 1024} KB",
            filename=filename,
        )
    if plan_type == INCLUSION_PLAN:
        return parse_inclusion_plan(filename=filename, content=content, plan_title=plan_title)
    return parse_action_plan(
        filename=filename, content=content, update_date=update_date, plan_title=plan_title
    )


# ------------------------------------------------------------------ what would change


def _key(text: str) -> str:
    return clean(text).casefold()


def _text_key(text: str) -> str:
    """Update and commitment text compared with spacing normalised (paragraphs kept)."""
    return "\n\n".join(clean(p) for p in (text or "").split("\n\n") if clean(p)).casefold()


@dataclass
class _ActionChange:
    parsed: ParsedAction
    existing: Action | None
    fields: dict[str, Any] = field(default_factory=dict)  # for action_update
    by_when: PartialDate | None = None  # a new by-when (a deadline change)
    by_when_changed: bool = False
    updates: list[ParsedUpdate] = field(default_factory=list)
    deadline_changes: list[ParsedDeadlineChange] = field(default_factory=list)

    @property
    def status(self) -> str:
        if self.existing is None:
            return "new"
        if self.fields or self.by_when_changed or self.updates or self.deadline_changes:
            return "changed"
        return "unchanged"


@dataclass
class _AreaChange:
    parsed: ParsedArea
    existing: Area | None
    actions: list[_ActionChange] = field(default_factory=list)


@dataclass
class _PriorityChange:
    parsed: ParsedPriority
    existing: Priority | None
    commitments: list[ParsedCommitment] = field(default_factory=list)


@dataclass
class _Changes:
    parsed: ParsedPlan
    plan: Plan | None
    areas: list[_AreaChange]
    priorities: list[_PriorityChange]

    def counts(self) -> dict[str, int]:
        actions = [a for area in self.areas for a in area.actions]
        return {
            "areas_new": sum(1 for a in self.areas if a.existing is None),
            "actions_new": sum(1 for a in actions if a.status == "new"),
            "actions_changed": sum(
                1 for a in actions if a.existing is not None and (a.fields or a.by_when_changed)
            ),
            "actions_unchanged": sum(1 for a in actions if a.status == "unchanged"),
            "updates_new": sum(len(a.updates) for a in actions),
            "deadline_changes_new": sum(len(a.deadline_changes) for a in actions),
            "priorities_new": sum(1 for p in self.priorities if p.existing is None),
            "commitments_new": sum(len(p.commitments) for p in self.priorities),
        }


def _find_plan(partnership: Partnership, parsed: ParsedPlan) -> Plan | None:
    if parsed.id:
        by_id = Plan.objects.filter(pk=parsed.id).first()
        if by_id is not None:
            if by_id.partnership_id != partnership.id:
                raise PlanImportError(
                    f"the plan's id {parsed.id} belongs to another partnership's plan; "
                    "remove the ids from the file to import it as a copy"
                )
            return by_id
    plans = Plan.objects.filter(partnership=partnership)
    slug = parsed.slug or slugify(parsed.title)[:100]
    return (
        plans.filter(slug=slug).first() or plans.filter(title__iexact=clean(parsed.title)).first()
    )


def _owned(model: Any, pk: uuid.UUID | None, **scope: Any) -> Any:
    """The row with this id if it is part of the same parent; an id used elsewhere is an error."""
    if pk is None:
        return None
    row = model.objects.filter(pk=pk).first()
    if row is None:
        return None
    if any(
        getattr(row, f"{name}_id") != getattr(value, "pk", None) for name, value in scope.items()
    ):
        raise PlanImportError(
            f"the id {pk} is already used by a {model._meta.verbose_name} of another plan; "
            "remove the ids from the file to import it as a copy"
        )
    return row


def _check_new_id(model: Any, pk: uuid.UUID | None) -> None:
    """An id for a row to be created must not already belong to another row."""
    if pk is not None and model.objects.filter(pk=pk).exists():
        raise PlanImportError(
            f"the id {pk} is already used by a {model._meta.verbose_name} of another plan; "
            "remove the ids from the file to import it as a copy"
        )


def _plan_changes(partnership: Partnership, parsed: ParsedPlan) -> _Changes:
    plan = _find_plan(partnership, parsed)
    areas = list(plan.areas.order_by("position")) if plan else []
    priorities = list(plan.priorities.order_by("position")) if plan else []
    area_changes: list[_AreaChange] = []
    claimed_areas: set[uuid.UUID] = set()
    for parsed_area in parsed.areas:
        existing = _owned(Area, parsed_area.id, plan=plan) if plan else None
        if existing is None:
            existing = next(
                (
                    a
                    for a in areas
                    if a.pk not in claimed_areas and _key(a.title) == _key(parsed_area.title)
                ),
                None,
            )
        if existing is not None:
            claimed_areas.add(existing.pk)
        else:
            _check_new_id(Area, parsed_area.id)
        change = _AreaChange(parsed_area, existing)
        change.actions = _action_changes(existing, parsed_area, partnership)
        area_changes.append(change)
    priority_changes: list[_PriorityChange] = []
    for parsed_priority in parsed.priorities:
        existing_p = _owned(Priority, parsed_priority.id, plan=plan) if plan else None
        if existing_p is None:
            existing_p = next(
                (p for p in priorities if _key(p.title) == _key(parsed_priority.title)), None
            )
        if existing_p is None:
            _check_new_id(Priority, parsed_priority.id)
        change_p = _PriorityChange(parsed_priority, existing_p)
        current = list(existing_p.commitments.all()) if existing_p else []
        ids = {c.pk for c in current}
        keys = {(c.kind, _text_key(c.text)) for c in current}
        for commitment in parsed_priority.commitments:
            if commitment.id and commitment.id in ids:
                continue
            if (commitment.kind, _text_key(commitment.text)) in keys:
                continue
            _check_new_id(Commitment, commitment.id)
            change_p.commitments.append(commitment)
        priority_changes.append(change_p)
    return _Changes(parsed, plan, area_changes, priority_changes)


def _action_changes(
    area: Area | None, parsed_area: ParsedArea, partnership: Partnership
) -> list[_ActionChange]:
    existing = (
        list(
            area.actions.order_by("position").prefetch_related(
                "leads", "updates", "deadline_changes"
            )
        )
        if area
        else []
    )
    claimed: set[uuid.UUID] = set()
    changes: list[_ActionChange] = []
    # Ids first, then the same how, then the same position, so an edited "how" still matches.
    matches: dict[int, Action] = {}
    for index, parsed in enumerate(parsed_area.actions):
        found = _owned(Action, parsed.id, area=area) if (parsed.id and area) else None
        if found is not None:
            matches[index] = found
            claimed.add(found.pk)
    for index, parsed in enumerate(parsed_area.actions):
        if index in matches:
            continue
        found = next(
            (a for a in existing if a.pk not in claimed and _key(a.how) == _key(parsed.how)), None
        )
        if found is not None:
            matches[index] = found
            claimed.add(found.pk)
    # Positions in files count from 1, in the area's order.
    by_rank = dict(enumerate(existing, start=1))
    for index, parsed in enumerate(parsed_area.actions):
        if index in matches or parsed.position is None:
            continue
        found = by_rank.get(parsed.position)
        if found is not None and found.pk not in claimed:
            matches[index] = found
            claimed.add(found.pk)
    for index, parsed in enumerate(parsed_area.actions):
        changes.append(_compare_action(matches.get(index), parsed))
    return changes


def _compare_action(action: Action | None, parsed: ParsedAction) -> _ActionChange:
    change = _ActionChange(parsed, action)
    if action is None:
        _check_new_id(Action, parsed.id)
        for update in parsed.updates:
            _check_new_id(ProgressUpdate, update.id)
        for dc in parsed.deadline_changes:
            _check_new_id(DeadlineChange, dc.id)
        change.updates = list(parsed.updates)
        change.deadline_changes = list(parsed.deadline_changes)
        return change
    if _key(action.how) != _key(parsed.how):
        change.fields["how"] = parsed.how
    leads = [lead.name for lead in action.leads.all()]
    if parsed.leads and leads != parsed.leads:
        change.fields["leads"] = parsed.leads
    if parsed.partners and clean(action.partners) != clean(parsed.partners):
        change.fields["partners"] = parsed.partners
    if parsed.board and (action.board is None or _key(action.board.name) != _key(parsed.board)):
        change.fields["board"] = parsed.board  # a name; the board is found or created on apply
    existing_changes = list(action.deadline_changes.all())
    change_ids = {c.pk for c in existing_changes}
    change_keys = {(c.changed_on, c.new_partial) for c in existing_changes}
    for dc in parsed.deadline_changes:
        if (dc.id and dc.id in change_ids) or (dc.changed_on, dc.new_date) in change_keys:
            continue
        _check_new_id(DeadlineChange, dc.id)
        change.deadline_changes.append(dc)
    if not parsed.deadline_changes and parsed.by_when and parsed.by_when != action.by_when_partial:
        change.by_when, change.by_when_changed = parsed.by_when, True
    updates = list(action.updates.all())
    update_ids = {u.pk for u in updates}
    update_keys = {(u.date_partial, _text_key(u.text)) for u in updates}
    for update in parsed.updates:
        if (update.id and update.id in update_ids) or (
            update.date,
            _text_key(update.text),
        ) in update_keys:
            continue
        _check_new_id(ProgressUpdate, update.id)
        change.updates.append(update)
    return change


# ------------------------------------------------------------------ applying


def _with_id(model: Any, pk: uuid.UUID | None) -> dict[str, Any]:
    """Keep the id a file gives a row, unless that id is already taken.

    Ids keep a JSON re-import idempotent and a round trip byte-identical. An id that
    already names a row (say, a file from another partnership's export loaded into
    the same database) is not reused: the row gets a new one.
    """
    if pk is None or model.objects.filter(pk=pk).exists():
        return {}
    return {"id": pk}


def _problem_from(error: ValidationError, source: Source, what: str) -> PlanImportError:
    messages: list[ImportProblem] = []
    if hasattr(error, "message_dict"):
        for name, texts in error.message_dict.items():
            for text in texts:
                messages.append(ImportProblem(source.row, name, f"{what}: {text}", source.table))
    else:
        for text in error.messages:
            messages.append(ImportProblem(source.row, None, f"{what}: {text}", source.table))
    return PlanImportError(messages)


def _apply(
    *,
    partnership: Partnership,
    changes: _Changes,
    filename: str,
    actor: Any,
    via: str,
) -> tuple[Plan, bool]:
    parsed = changes.parsed
    who = {"actor": actor, "via": via}
    plan = changes.plan
    created = plan is None
    if plan is None:
        fields: dict[str, Any] = {
            "description": parsed.description,
            "period_start": parsed.period_start,
            "period_end": parsed.period_end,
            "last_report_date": parsed.last_report_date,
        }
        if parsed.slug:
            fields["slug"] = parsed.slug
        if parsed.is_public is not None:
            fields["is_public"] = parsed.is_public
        if parsed.id:
            fields["id"] = parsed.id
        try:
            plan = plan_services.plan_create(
                partnership=partnership,
                title=clean(parsed.title),
                kind=parsed.kind,
                **fields,
                **who,
            )
        except ValidationError as error:
            raise _problem_from(error, Source(), "the plan") from None
    boards: dict[str, Board] = {}

    def board(name: str) -> Board | None:
        if not name:
            return None
        if _key(name) not in boards:
            boards[_key(name)] = plan_services.board_get_or_create(
                partnership=partnership, name=name, **who
            )
        return boards[_key(name)]

    priorities: dict[Any, Priority] = {}
    for pc in changes.priorities:
        priority = pc.existing
        try:
            if priority is None:
                priority = plan_services.priority_create(
                    plan=plan,
                    title=clean(pc.parsed.title),
                    description=pc.parsed.description,
                    position=pc.parsed.position,
                    **_with_id(Priority, pc.parsed.id),
                    **who,
                )
            for commitment in pc.commitments:
                plan_services.commitment_create(
                    priority=priority,
                    kind=commitment.kind,
                    text=commitment.text,
                    position=commitment.position,
                    **_with_id(Commitment, commitment.id),
                    **who,
                )
        except ValidationError as error:
            raise _problem_from(
                error, pc.parsed.source, f"priority '{pc.parsed.title[:60]}'"
            ) from None
        if pc.parsed.id:
            priorities[pc.parsed.id] = priority
        priorities[_key(pc.parsed.title)] = priority

    today = timezone.localdate()
    for ac in changes.areas:
        area = ac.existing
        if area is None:
            priority = priorities.get(ac.parsed.priority_id) or priorities.get(
                _key(ac.parsed.priority or "")
            )
            try:
                area = plan_services.area_create(
                    plan=plan,
                    title=clean(ac.parsed.title),
                    position=ac.parsed.position,
                    priority=priority,
                    **_with_id(Area, ac.parsed.id),
                    **who,
                )
            except ValidationError as error:
                raise _problem_from(error, ac.parsed.source, "the area") from None
        for change in ac.actions:
            _apply_action(
                change,
                area=area,
                board=board,
                filename=filename,
                source_format=parsed.source_format,
                today=today,
                who=who,
            )
    return plan, created


def _rationale(update: ParsedUpdate, source_format: str, filename: str) -> str:
    """A document records a rating without saying why: say where it came from (ADR 0006).

    The JSON format carries each update's own rationale, kept as it is (even empty), so
    an export imported again is the same.
    """
    if update.rationale or not update.rag or source_format == "json":
        return update.rationale
    return f"As rated in {filename}"


def _apply_action(
    change: _ActionChange,
    *,
    area: Area,
    board: Any,
    filename: str,
    source_format: str,
    today: dt.date,
    who: dict,
) -> None:
    parsed = change.parsed
    try:
        action = change.existing
        if action is None:
            ordered = sorted(parsed.deadline_changes, key=lambda c: c.changed_on)
            # Created with the first by-when, then moved by each change, so history is kept.
            first_by_when = ordered[0].old_date if ordered else parsed.by_when
            action = plan_services.action_create(
                area=area,
                how=parsed.how,
                by_when=first_by_when,
                leads=parsed.leads,
                partners=parsed.partners,
                board=board(parsed.board),
                position=parsed.position,
                **_with_id(Action, parsed.id),
                **who,
            )
        elif change.fields:
            fields = dict(change.fields)
            if "board" in fields:
                fields["board"] = board(fields["board"])
            action = plan_services.action_update(
                action=action, expected_version=action.version, **fields, **who
            )
        for dc in sorted(change.deadline_changes, key=lambda c: c.changed_on):
            plan_services.deadline_change_add(
                action=action,
                new_date=dc.new_date,
                reason=dc.reason,
                changed_on=dc.changed_on,
                changed_by_name=dc.changed_by_name,
                **_with_id(DeadlineChange, dc.id),
                **who,
            )
            action.refresh_from_db()
        if change.by_when_changed:
            dated = [u.date.starts for u in parsed.updates]
            plan_services.deadline_change_add(
                action=action,
                new_date=change.by_when,
                reason=f"By-when changed in the imported file {filename}",
                changed_on=min(max(dated), today) if dated else today,
                **who,
            )
            action.refresh_from_db()
        for update in change.updates:
            try:
                plan_services.progress_update_add(
                    action=action,
                    date=update.date,
                    text=update.text,
                    rag=update.rag,
                    rationale=_rationale(update, source_format, filename),
                    author_name=update.author_name,
                    # Documents record ratings without rationales; the import is the record.
                    require_rationale=False,
                    **_with_id(ProgressUpdate, update.id),
                    **who,
                )
            except ValidationError as error:
                raise _problem_from(error, update.source, "the progress update") from None
            action.refresh_from_db()
    except ValidationError as error:
        raise _problem_from(error, parsed.source, f"the action '{parsed.how[:60]}'") from None
    except plan_services.ActionConflict as error:
        raise PlanImportError(
            [ImportProblem(parsed.source.row, None, str(error), parsed.source.table)]
        ) from None


def _import(
    *,
    partnership: Partnership,
    parsed: ParsedPlan,
    filename: str,
    actor: Any,
    via: str,
) -> ImportResult:
    try:
        with transaction.atomic():
            return _import_in_transaction(
                partnership=partnership, parsed=parsed, filename=filename, actor=actor, via=via
            )
    except PlanImportError as error:
        raise error.with_filename(filename) from None


def _import_in_transaction(
    *, partnership: Partnership, parsed: ParsedPlan, filename: str, actor: Any, via: str
) -> ImportResult:
    changes = _plan_changes(partnership, parsed)
    counts = changes.counts()
    plan, created = _apply(
        partnership=partnership, changes=changes, filename=filename, actor=actor, via=via
    )
    result = ImportResult(plan=plan, plan_created=created, counts=counts, filename=filename)
    if result.changed:
        audit.log_event(
            AuditLog.Operation.IMPORT,
            obj=plan,
            actor=actor,
            via=via,
            note=f"{filename}: {result.message()}",
        )
    return result


def _partnership_check(partnership: Partnership) -> None:
    if partnership is None:
        raise PlanImportError("no partnership given to import the plan into")


def action_plan_import(
    *,
    partnership: Partnership,
    filename: str,
    content: bytes,
    plan_title: str | None = None,
    update_date: PartialDate | None = None,
    actor: Any = None,
    via: str = "",
) -> ImportResult:
    """Import an action plan (any accepted format) in one transaction; PlanImportError on any problem."""
    _partnership_check(partnership)
    parsed = parse_plan_file(
        filename=filename, content=content, plan_title=plan_title, update_date=update_date
    )
    return _import(partnership=partnership, parsed=parsed, filename=filename, actor=actor, via=via)


def inclusion_plan_import(
    *,
    partnership: Partnership,
    filename: str,
    content: bytes,
    plan_title: str | None = None,
    actor: Any = None,
    via: str = "",
) -> ImportResult:
    """Import a narrative inclusion plan (priorities and commitments) in one transaction."""
    _partnership_check(partnership)
    parsed = parse_plan_file(
        filename=filename, content=content, plan_type=INCLUSION_PLAN, plan_title=plan_title
    )
    return _import(partnership=partnership, parsed=parsed, filename=filename, actor=actor, via=via)


# ------------------------------------------------------------------ upload page


class _TrialOver(Exception):
    """Raised to roll back the trial run of a preview."""


def _summary(
    changes: _Changes, parsed: ParsedPlan, *, update_date: PartialDate | None
) -> dict[str, Any]:
    counts = changes.counts()
    return {
        "plan_title": clean(parsed.title),
        "plan_kind": parsed.kind,
        "plan_exists": changes.plan is not None,
        "plan_id": str(changes.plan.pk) if changes.plan else None,
        "update_date": update_date.iso() if update_date else None,
        "update_date_from": parsed.update_date_from,
        "counts": counts,
        "message": summary_message(
            title=clean(parsed.title),
            kind=parsed.kind,
            created=changes.plan is None,
            counts=counts,
        ),
        "areas": [
            {
                "title": ac.parsed.title,
                "status": "new" if ac.existing is None else "existing",
                "actions": [
                    {
                        "how": a.parsed.how,
                        "by_when": a.parsed.by_when.iso() if a.parsed.by_when else None,
                        "leads": a.parsed.leads,
                        "rag": a.parsed.rag or None,
                        "updates_new": len(a.updates),
                        "status": a.status,
                    }
                    for a in ac.actions
                ],
            }
            for ac in changes.areas
        ],
        "priorities": [
            {
                "title": pc.parsed.title,
                "status": "new" if pc.existing is None else "existing",
                "commitments_new": len(pc.commitments),
            }
            for pc in changes.priorities
        ],
    }


@transaction.atomic
def plan_import_preview(
    *,
    partnership: Partnership,
    filename: str,
    content: bytes,
    plan_title: str | None = None,
    update_date: PartialDate | None = None,
    plan_type: str = ACTION_PLAN,
    actor: Any = None,
    via: str = "",
) -> PlanImport:
    """Check the whole file and record what importing it would do; nothing reaches the plan.

    The check includes a trial run of the import through the real services, rolled
    back, so a preview that says "ready" cannot fail on apply for the same data.
    """
    summary: dict[str, Any] = {"plan_type": plan_type}
    errors: list[dict[str, Any]] = []
    title = clean(plan_title or "")
    try:
        parsed = parse_plan_file(
            filename=filename,
            content=content,
            plan_type=plan_type,
            plan_title=plan_title,
            update_date=update_date,
        )
        changes = _plan_changes(partnership, parsed)
        summary |= _summary(changes, parsed, update_date=update_date)
        title = summary["plan_title"]
        try:
            with transaction.atomic():
                _apply(
                    partnership=partnership,
                    changes=changes,
                    filename=filename,
                    actor=actor,
                    via=via,
                )
                raise _TrialOver
        except _TrialOver:
            pass
    except PlanImportError as error:
        error.with_filename(filename)
        errors = error.as_list()
    plan_import = PlanImport(
        partnership=partnership,
        plan=None,
        plan_title=title[:300],
        filename=filename[:255],
        content=content,
        status=PlanImport.Status.FAILED if errors else PlanImport.Status.PREVIEWED,
        summary=summary,
        errors=errors,
    )
    if summary.get("plan_id"):
        plan_import.plan_id = summary["plan_id"]
    user = actor if getattr(actor, "is_authenticated", False) else None
    plan_import.created_by = plan_import.modified_by = user
    plan_import.full_clean()
    plan_import.save()
    _log_plan_import(plan_import, AuditLog.Operation.CREATE, actor=actor, via=via)
    return plan_import


def _log_plan_import(plan_import: PlanImport, operation: str, *, actor: Any, via: str) -> None:
    # Not audit.log_create/log_update: their snapshot cannot hold the file's bytes, and
    # the file itself stays on the PlanImport row; the log says what happened to it.
    audit.log_event(
        operation,
        obj=plan_import,
        actor=actor,
        via=via,
        note=f"{plan_import.filename}: {plan_import.get_status_display()}"
        + (f" ({len(plan_import.errors)} problems)" if plan_import.errors else ""),
    )


@transaction.atomic
def plan_import_apply(*, plan_import: PlanImport, actor: Any = None, via: str = "") -> Plan:
    """Apply a previewed import in one transaction: the stored file is parsed and checked again."""
    plan_import = PlanImport.objects.select_for_update().get(pk=plan_import.pk)
    if plan_import.status != PlanImport.Status.PREVIEWED:
        raise PlanImportError(
            f"this import is {plan_import.get_status_display().lower()}; only a previewed import "
            "can be applied",
            filename=plan_import.filename,
        )
    summary = plan_import.summary or {}
    update_date = None
    if summary.get("update_date"):
        from inclusion.core.partial_dates import parse_partial_date

        update_date = parse_partial_date(summary["update_date"])
    parsed = parse_plan_file(
        filename=plan_import.filename,
        content=bytes(plan_import.content),
        plan_type=summary.get("plan_type", ACTION_PLAN),
        plan_title=plan_import.plan_title or None,
        update_date=update_date,
    )
    result = _import(
        partnership=plan_import.partnership,
        parsed=parsed,
        filename=plan_import.filename,
        actor=actor,
        via=via,
    )
    plan_import.status = PlanImport.Status.APPLIED
    plan_import.plan = result.plan
    plan_import.summary = {
        **summary,
        "applied_counts": result.counts,
        "applied_message": result.message(),
    }
    plan_import.modified_by = actor if getattr(actor, "is_authenticated", False) else None
    plan_import.full_clean()
    plan_import.save()
    _log_plan_import(plan_import, AuditLog.Operation.UPDATE, actor=actor, via=via)
    return result.plan


@transaction.atomic
def plan_import_discard(*, plan_import: PlanImport, actor: Any = None, via: str = "") -> PlanImport:
    """Drop a preview the user does not want; the upload is kept as discarded, not deleted."""
    if plan_import.status == PlanImport.Status.APPLIED:
        raise PlanImportError(
            "an applied import cannot be discarded", filename=plan_import.filename
        )
    plan_import.status = PlanImport.Status.DISCARDED
    plan_import.full_clean()
    plan_import.save()
    _log_plan_import(plan_import, AuditLog.Operation.UPDATE, actor=actor, via=via)
    return plan_import
