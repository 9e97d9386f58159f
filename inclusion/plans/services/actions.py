"""Writes to plans, areas, actions, updates and deadlines: the one place for their rules.

Rules kept here (docs/adr/0006-rag.md):
- An action's RAG of record is the RAG of its latest progress update (by date, then
  entry time). Only `progress_update_add` changes it.
- A change of RAG needs a rationale (issue #2: "A change of RAG needs a rationale").
- Two people editing one action: the second save names the version it started from;
  if someone saved in between, `ActionConflict` is raised with the current state and
  nothing is written, so the page can show both and lose nothing.
- A by-when change is never a silent edit: it is a DeadlineChange with a reason.
"""

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.text import slugify

from inclusion.accounts.models import Organisation, Partnership, User
from inclusion.core import audit
from inclusion.core.partial_dates import PartialDate, Precision
from inclusion.core.writes import acting_user, save_changes, save_new
from inclusion.plans.models import (
    Action,
    ActionLead,
    Area,
    Board,
    Commitment,
    DeadlineChange,
    Plan,
    Priority,
    ProgressUpdate,
    Rag,
)


class ActionConflict(Exception):
    """Someone else saved the action after this edit started."""

    def __init__(self, action: Action, expected_version: int):
        self.action = action
        self.expected_version = expected_version
        super().__init__(
            f"This action was changed by someone else (version {action.version}, "
            f"you started from version {expected_version}). Your changes have not been saved yet."
        )


@dataclass(frozen=True)
class _Who:
    actor: Any
    via: str

    @property
    def user(self) -> User | None:
        return acting_user(self.actor)


def _save_new(obj: Any, who: _Who, *, log: bool = True) -> Any:
    return save_new(obj, actor=who.actor, via=who.via, log=log)


def _next_position(queryset: Any) -> int:
    last = queryset.order_by("-position").values_list("position", flat=True).first()
    return 0 if last is None else last + 1


RESERVED_PLAN_SLUGS = {"import"}


def unique_plan_slug(partnership: Partnership, title: str) -> str:
    base = slugify(title)[:100] or "plan"
    slug, n = base, 2
    # "import" is a page under /plans/, not a plan's address.
    while (
        slug in RESERVED_PLAN_SLUGS
        or Plan.objects.filter(partnership=partnership, slug=slug).exists()
    ):
        slug, n = f"{base}-{n}", n + 1
    return slug


@transaction.atomic
def plan_create(
    *,
    partnership: Partnership,
    title: str,
    kind: str,
    actor: Any = None,
    via: str = "",
    **fields: Any,
) -> Plan:
    fields.setdefault("slug", unique_plan_slug(partnership, title))
    plan = Plan(partnership=partnership, title=title, kind=kind, **fields)
    return _save_new(plan, _Who(actor, via))


@transaction.atomic
def plan_update(*, plan: Plan, actor: Any = None, via: str = "", **fields: Any) -> Plan:
    return save_changes(plan, actor=actor, via=via, **fields)


@transaction.atomic
def board_get_or_create(
    *, partnership: Partnership, name: str, description: str = "", actor: Any = None, via: str = ""
) -> Board:
    name = " ".join(name.split())
    board = Board.objects.filter(partnership=partnership, name__iexact=name).first()
    if board:
        return board
    return _save_new(
        Board(partnership=partnership, name=name, description=description), _Who(actor, via)
    )


@transaction.atomic
def priority_create(
    *,
    plan: Plan,
    title: str,
    description: str = "",
    position: int | None = None,
    id: uuid.UUID | None = None,
    actor: Any = None,
    via: str = "",
) -> Priority:
    if position is None:
        position = _next_position(plan.priorities.all())
    priority = Priority(plan=plan, title=title, description=description, position=position)
    if id:
        priority.id = id
    return _save_new(priority, _Who(actor, via))


@transaction.atomic
def commitment_create(
    *,
    priority: Priority,
    kind: str,
    text: str,
    position: int | None = None,
    id: uuid.UUID | None = None,
    actor: Any = None,
    via: str = "",
) -> Commitment:
    if position is None:
        position = _next_position(priority.commitments.filter(kind=kind))
    commitment = Commitment(priority=priority, kind=kind, text=text, position=position)
    if id:
        commitment.id = id
    return _save_new(commitment, _Who(actor, via))


@transaction.atomic
def area_create(
    *,
    plan: Plan,
    title: str,
    position: int | None = None,
    priority: Priority | None = None,
    id: uuid.UUID | None = None,
    actor: Any = None,
    via: str = "",
) -> Area:
    if position is None:
        position = _next_position(plan.areas.all())
    area = Area(plan=plan, title=title, position=position, priority=priority)
    if id:
        area.id = id
    return _save_new(area, _Who(actor, via))


def _match_lead(partnership_id: Any, name: str) -> tuple[User | None, Organisation | None]:
    """Link a lead written as text to a user or organisation of the partnership, if one matches."""
    key = " ".join(name.split()).lower()
    for org in Organisation.objects.filter(partnership_id=partnership_id):
        if key in org.known_names:
            return None, org
    for user in User.objects.filter(organisation__partnership_id=partnership_id, is_active=True):
        if user.get_full_name().lower() == key:
            return user, None
    return None, None


def _set_leads(action: Action, names: list[str], who: _Who) -> None:
    names = [" ".join(n.split()) for n in names if n and n.strip()]
    current = list(action.leads.all())
    if [lead.name for lead in current] == names:
        return
    for lead in current:
        audit.log_delete(lead, actor=who.actor, via=who.via)
        lead.delete()
    for position, name in enumerate(names):
        user, org = _match_lead(action.plan.partnership_id, name)
        _save_new(
            ActionLead(action=action, position=position, name=name, user=user, organisation=org),
            who,
        )


@transaction.atomic
def action_create(
    *,
    area: Area,
    how: str,
    by_when: PartialDate | None,
    leads: list[str],
    partners: str = "",
    board: Board | None = None,
    position: int | None = None,
    id: uuid.UUID | None = None,
    actor: Any = None,
    via: str = "",
) -> Action:
    who = _Who(actor, via)
    if position is None:
        position = _next_position(area.actions.all())
    action = Action(
        area=area,
        plan=area.plan,
        position=position,
        how=how,
        by_when=by_when.value if by_when else None,
        by_when_precision=by_when.precision if by_when else Precision.DAY,
        partners=partners,
        board=board,
    )
    if id:
        action.id = id
    # Logged after its leads exist, so the creation snapshot names them.
    _save_new(action, who, log=False)
    _set_leads(action, leads, who)
    audit.log_create(action, actor=actor, via=via)
    return action


ACTION_EDITABLE = {"how", "partners", "board", "leads", "area", "position"}


@transaction.atomic
def action_update(
    *, action: Action, expected_version: int, actor: Any = None, via: str = "", **fields: Any
) -> Action:
    """Edit an action's text, partners, board or leads, refusing a stale edit.

    The version check and increment happen in one UPDATE, so two saves racing each
    other cannot both succeed (the database decides, not Python).
    """
    unknown = set(fields) - ACTION_EDITABLE
    if unknown:
        raise ValueError(f"action_update cannot change {', '.join(sorted(unknown))}")
    who = _Who(actor, via)
    bumped = Action.objects.filter(pk=action.pk, version=expected_version).update(
        version=F("version") + 1
    )
    if not bumped:
        raise ActionConflict(Action.objects.get(pk=action.pk), expected_version)
    fresh = Action.objects.select_for_update().get(pk=action.pk)
    before = audit.snapshot(fresh)
    before["version"] = expected_version
    leads = fields.pop("leads", None)
    for name, value in fields.items():
        setattr(fresh, name, value)
    if "area" in fields:
        fresh.plan = fresh.area.plan
    fresh.modified_by = who.user
    fresh.full_clean()
    fresh.save()
    if leads is not None:
        _set_leads(fresh, leads, who)
    audit.log_update(fresh, before=before, actor=actor, via=via)
    return fresh


def _latest_update(action: Action) -> ProgressUpdate | None:
    return action.updates.order_by("-date", "-created_at").first()


@transaction.atomic
def progress_update_add(
    *,
    action: Action,
    date: PartialDate,
    text: str,
    rag: str,
    rationale: str = "",
    author: User | None = None,
    author_name: str = "",
    id: uuid.UUID | None = None,
    actor: Any = None,
    via: str = "",
    require_rationale: bool = True,
) -> ProgressUpdate:
    """Record dated progress with the RAG given at that date.

    Refuses a change of RAG without a rationale, an update dated in the future, and an
    empty narrative. The action's RAG of record becomes the latest update's.
    """
    if rag not in Rag.values:
        raise ValidationError(
            {
                "rag": f"'{rag}' is not a RAG rating; use red, amber, green, blue (complete) or leave it empty (not rated)"
            }
        )
    if not text or not text.strip():
        raise ValidationError({"text": "Enter the progress made"})
    today = timezone.localdate()
    if date.starts > today:
        raise ValidationError(
            {"date": f"Date of the update must be today or in the past, not {date.display()}"}
        )
    previous = _latest_update(action)
    previous_rag = previous.rag if previous else action.rag
    rag_changes = previous is not None and rag != previous_rag
    if require_rationale and rag_changes and not rationale.strip():
        raise ValidationError(
            {
                "rag_rationale": f"Explain why the rating changes from {Rag(previous_rag).label} to {Rag(rag).label}"
            }
        )
    who = _Who(actor, via)
    update = ProgressUpdate(
        action=action,
        date=date.value,
        date_precision=date.precision,
        text=text.strip(),
        rag=rag,
        rag_rationale=rationale.strip(),
        author=author or who.user,
        author_name=author_name or (str(who.user) if who.user else ""),
    )
    if id:
        update.id = id
    _save_new(update, who)
    _refresh_rag(action, who)
    return update


def _refresh_rag(action: Action, who: _Who) -> None:
    latest = _latest_update(action)
    rag = latest.rag if latest else Rag.NOT_RATED
    rag_date = latest.date if latest else None
    if (action.rag, action.rag_date) == (rag, rag_date):
        return
    before = audit.snapshot(action)
    # A RAG change bumps the version too, so an edit form opened before it is refused.
    Action.objects.filter(pk=action.pk).update(rag=rag, rag_date=rag_date, version=F("version") + 1)
    action.refresh_from_db()
    audit.log_update(action, before=before, actor=who.actor, via=who.via)


@transaction.atomic
def deadline_change_add(
    *,
    action: Action,
    new_date: PartialDate | None,
    reason: str,
    changed_on: dt.date | None = None,
    id: uuid.UUID | None = None,
    actor: Any = None,
    via: str = "",
    changed_by_name: str = "",
    expected_version: int | None = None,
) -> DeadlineChange:
    """Move an action's by-when, keeping the old date and the reason."""
    if not reason or not reason.strip():
        raise ValidationError({"reason": "Give the reason the deadline changes"})
    who = _Who(actor, via)
    if expected_version is not None:
        if not Action.objects.filter(pk=action.pk, version=expected_version).exists():
            raise ActionConflict(Action.objects.get(pk=action.pk), expected_version)
    old = action.by_when_partial
    if old == new_date:
        raise ValidationError({"new_date": "The new date is the same as the current one"})
    change = DeadlineChange(
        action=action,
        changed_on=changed_on or timezone.localdate(),
        old_date=old.value if old else None,
        old_precision=old.precision if old else Precision.DAY,
        new_date=new_date.value if new_date else None,
        new_precision=new_date.precision if new_date else Precision.DAY,
        reason=reason.strip(),
        changed_by=who.user,
        changed_by_name=changed_by_name or (str(who.user) if who.user else ""),
    )
    if id:
        change.id = id
    _save_new(change, who)
    before = audit.snapshot(action)
    Action.objects.filter(pk=action.pk).update(
        by_when=change.new_date, by_when_precision=change.new_precision, version=F("version") + 1
    )
    action.refresh_from_db()
    audit.log_update(action, before=before, actor=actor, via=via)
    return change
