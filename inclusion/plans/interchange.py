"""The JSON interchange format of a plan: export, and reading it back for import.

Documented in docs/import-formats.md ("JSON interchange"). Others rely on its shape:
a top-level object whose `areas` list holds areas (`title`, `actions`); each action
has `how`, `by_when` (ISO day "2020-08-31", ISO month "2020-04", or null), `leads`
(names as written), `rag` ("red", "amber", "green", "blue", or null when not rated)
and `updates` (each with `date`, `text`, `rag`). The rest makes it complete enough
to re-import: ids (so re-import is idempotent), the plan's own fields, priorities
with commitments, boards, deadline changes.

Stable: the same database content gives byte-identical JSON (fixed key order, lists
in plan order with ids breaking ties, no timestamps of the export itself).
"""

import datetime as dt
import json
import uuid
from typing import Any

from inclusion.core.partial_dates import PartialDate, PartialDateError, parse_partial_date
from inclusion.plans.importers.problems import PlanImportError, ProblemCollector
from inclusion.plans.importers.types import (
    ParsedAction,
    ParsedArea,
    ParsedBoard,
    ParsedCommitment,
    ParsedDeadlineChange,
    ParsedPlan,
    ParsedPriority,
    ParsedUpdate,
)
from inclusion.plans.models import Action, Commitment, Plan, Rag
from inclusion.plans.selectors import action_state_as_of

FORMAT = "send-inclusion-plan"
VERSION = 1


def _iso(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


def _partial(value: PartialDate | None) -> str | None:
    return value.iso() if value else None


def _rag(value: str) -> str | None:
    return value or None


def _action_dict(action: Action, as_of: dt.date | None) -> dict[str, Any]:
    updates = sorted(action.updates.all(), key=lambda u: (u.date, u.created_at, str(u.id)))
    changes = sorted(
        action.deadline_changes.all(), key=lambda c: (c.changed_on, c.created_at, str(c.id))
    )
    if as_of is None:
        rag, by_when = action.rag, action.by_when_partial
    else:
        # The rule for "as it stood then" is the selectors' (docs/adr/0006-rag.md).
        state = action_state_as_of(action, as_of)
        rag, by_when = state.rag, state.by_when
        updates = [u for u in updates if u.date <= as_of]
        changes = [c for c in changes if c.changed_on <= as_of]
    return {
        "id": str(action.id),
        "position": action.position,
        "how": action.how,
        "by_when": _partial(by_when),
        "leads": [
            lead.name for lead in sorted(action.leads.all(), key=lambda x: (x.position, str(x.id)))
        ],
        "rag": _rag(rag),
        "partners": action.partners,
        "board": action.board.name if action.board_id else None,
        "updates": [
            {
                "id": str(u.id),
                "date": u.date_partial.iso(),
                "text": u.text,
                "rag": _rag(u.rag),
                "rag_rationale": u.rag_rationale,
                "author_name": u.author_name,
            }
            for u in updates
        ],
        "deadline_changes": [
            {
                "id": str(c.id),
                "changed_on": c.changed_on.isoformat(),
                "old_date": _partial(c.old_partial),
                "new_date": _partial(c.new_partial),
                "reason": c.reason,
                "changed_by_name": c.changed_by_name,
            }
            for c in changes
        ],
    }


def plan_to_dict(plan: Plan, *, as_of: dt.date | None = None) -> dict[str, Any]:
    """The plan as the interchange format; with `as_of`, as it stood at the end of that day."""
    priorities = plan.priorities.prefetch_related("commitments").order_by("position", "id")
    areas = plan.areas.order_by("position", "id").prefetch_related(
        "actions__leads", "actions__updates", "actions__deadline_changes", "actions__board"
    )
    boards = sorted(
        {action.board.name for action in plan.actions.select_related("board") if action.board_id}
    )
    kind_order = {value: i for i, value in enumerate(Commitment.Kind.values)}
    return {
        "format": FORMAT,
        "version": VERSION,
        "as_of": _iso(as_of),
        "plan": {
            "id": str(plan.id),
            "title": plan.title,
            "slug": plan.slug,
            "kind": plan.kind,
            "description": plan.description,
            "period_start": _iso(plan.period_start),
            "period_end": _iso(plan.period_end),
            "last_report_date": _iso(plan.last_report_date),
            "is_public": plan.is_public,
            "partnership": plan.partnership.slug,
        },
        "boards": [{"name": name} for name in boards],
        "priorities": [
            {
                "id": str(p.id),
                "position": p.position,
                "title": p.title,
                "description": p.description,
                "commitments": [
                    {"id": str(c.id), "kind": c.kind, "position": c.position, "text": c.text}
                    for c in sorted(
                        p.commitments.all(),
                        key=lambda c: (kind_order.get(c.kind, 99), c.position, str(c.id)),
                    )
                ],
            }
            for p in priorities
        ],
        "areas": [
            {
                "id": str(area.id),
                "position": area.position,
                "title": area.title,
                "priority": str(area.priority_id) if area.priority_id else None,
                "actions": [
                    _action_dict(action, as_of)
                    for action in sorted(area.actions.all(), key=lambda a: (a.position, str(a.id)))
                ],
            }
            for area in areas
        ],
    }


def plan_to_json(plan: Plan, *, as_of: dt.date | None = None) -> str:
    return json.dumps(plan_to_dict(plan, as_of=as_of), indent=2, ensure_ascii=False) + "\n"


# ------------------------------------------------------------------ reading


class _Reader:
    """Reads the JSON with a problem for each bad value, named by its path in the file."""

    def __init__(self) -> None:
        self.problems = ProblemCollector()

    def problem(self, path: str, message: str) -> None:
        self.problems.add(None, path, message)

    def obj(self, value: Any, path: str) -> dict[str, Any]:
        if not isinstance(value, dict):
            self.problem(path, "should be an object ({...})")
            return {}
        return value

    def items(self, data: dict[str, Any], key: str, path: str) -> list[Any]:
        value = data.get(key, [])
        if value is None:
            return []
        if not isinstance(value, list):
            self.problem(f"{path}{key}", "should be a list ([...])")
            return []
        return value

    def text(self, data: dict[str, Any], key: str, path: str, *, required: bool = False) -> str:
        value = data.get(key)
        if value is None:
            if required:
                self.problem(f"{path}{key}", "is missing")
            return ""
        if not isinstance(value, str):
            self.problem(f"{path}{key}", f"should be text, not {json.dumps(value)[:40]}")
            return ""
        if required and not value.strip():
            self.problem(f"{path}{key}", "is empty")
        return value

    def number(self, data: dict[str, Any], key: str, path: str) -> int | None:
        value = data.get(key)
        if value is None:
            return None
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            self.problem(f"{path}{key}", f"should be a whole number, not {json.dumps(value)}")
            return None
        return value

    def uid(self, data: dict[str, Any], key: str, path: str) -> uuid.UUID | None:
        value = data.get(key)
        if value is None:
            return None
        try:
            return uuid.UUID(str(value))
        except ValueError:
            self.problem(f"{path}{key}", f"'{value}' is not an id (a UUID)")
            return None

    def partial(
        self, data: dict[str, Any], key: str, path: str, *, required: bool = False
    ) -> PartialDate | None:
        value = data.get(key)
        if value is None or value == "":
            if required:
                self.problem(f"{path}{key}", "is missing")
            return None
        try:
            return parse_partial_date(str(value))
        except PartialDateError as error:
            self.problem(f"{path}{key}", str(error))
            return None

    def day(
        self, data: dict[str, Any], key: str, path: str, *, required: bool = False
    ) -> dt.date | None:
        value = data.get(key)
        if value is None:
            if required:
                self.problem(f"{path}{key}", "is missing")
            return None
        try:
            return dt.date.fromisoformat(str(value))
        except ValueError:
            self.problem(f"{path}{key}", f"'{value}' is not a date written as YYYY-MM-DD")
            return None

    def rag(self, data: dict[str, Any], key: str, path: str) -> str:
        value = data.get(key)
        if value is None:
            return ""
        if value not in Rag.values or value == "":
            self.problem(
                f"{path}{key}",
                f'{json.dumps(value)} is not a rating; use "red", "amber", "green", "blue" or null',
            )
            return ""
        return str(value)


def parse_plan_json(text: str) -> ParsedPlan:
    """A ParsedPlan from the interchange format; PlanImportError lists every bad value by path."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise PlanImportError(
            f"the JSON cannot be read: {error.msg} at line {error.lineno}, column {error.colno}"
        ) from None
    r = _Reader()
    data = r.obj(data, "the file")
    if "areas" not in data and "priorities" not in data:
        raise PlanImportError("this JSON is not a plan: it has no 'areas' (or 'priorities') list")
    if data.get("format", FORMAT) != FORMAT:
        r.problem("format", f"'{data.get('format')}' is not this system's plan format ('{FORMAT}')")
    plan = r.obj(data.get("plan", {}), "plan")
    kind = plan.get("kind") or "inspection_action"
    if kind not in Plan.Kind.values:
        r.problem("plan.kind", f"'{kind}' is not a kind of plan ({', '.join(Plan.Kind.values)})")
    is_public = plan.get("is_public")
    if is_public is not None and not isinstance(is_public, bool):
        r.problem("plan.is_public", "should be true or false")
        is_public = None
    parsed = ParsedPlan(
        title=r.text(plan, "title", "plan.") or str(data.get("title") or ""),
        kind=kind,
        slug=r.text(plan, "slug", "plan."),
        description=r.text(plan, "description", "plan."),
        period_start=r.day(plan, "period_start", "plan."),
        period_end=r.day(plan, "period_end", "plan."),
        last_report_date=r.day(plan, "last_report_date", "plan."),
        is_public=is_public,
        partnership_slug=r.text(plan, "partnership", "plan."),
        id=r.uid(plan, "id", "plan."),
        update_date_from="the dates in the file",
    )
    for i, raw in enumerate(r.items(data, "boards", "")):
        board = r.obj(raw, f"boards[{i}]")
        name = r.text(board, "name", f"boards[{i}].", required=True)
        if name:
            parsed.boards.append(
                ParsedBoard(name=name, description=r.text(board, "description", f"boards[{i}]."))
            )
    for i, raw in enumerate(r.items(data, "priorities", "")):
        path = f"priorities[{i}]."
        p = r.obj(raw, path[:-1])
        priority = ParsedPriority(
            title=r.text(p, "title", path, required=True),
            description=r.text(p, "description", path),
            position=r.number(p, "position", path),
            id=r.uid(p, "id", path),
        )
        for j, raw_c in enumerate(r.items(p, "commitments", path)):
            cpath = f"{path}commitments[{j}]."
            c = r.obj(raw_c, cpath[:-1])
            ckind = c.get("kind")
            if ckind not in Commitment.Kind.values:
                r.problem(f"{cpath}kind", f'{json.dumps(ckind)} is not "achieved" or "next"')
            priority.commitments.append(
                ParsedCommitment(
                    kind=str(ckind),
                    text=r.text(c, "text", cpath, required=True),
                    position=r.number(c, "position", cpath),
                    id=r.uid(c, "id", cpath),
                )
            )
        parsed.priorities.append(priority)
    for i, raw in enumerate(r.items(data, "areas", "")):
        path = f"areas[{i}]."
        a = r.obj(raw, path[:-1])
        area = ParsedArea(
            title=r.text(a, "title", path, required=True),
            position=r.number(a, "position", path),
            id=r.uid(a, "id", path),
        )
        ref = a.get("priority")
        if ref is not None:
            try:
                area.priority_id = uuid.UUID(str(ref))
            except ValueError:
                area.priority = str(ref)  # a priority named by its title
        for j, raw_action in enumerate(r.items(a, "actions", path)):
            area.actions.append(_read_action(r, raw_action, f"{path}actions[{j}]."))
        parsed.areas.append(area)
    if not parsed.title.strip():
        r.problem("plan.title", "is missing")
    r.problems.raise_if_any()
    return parsed


def _read_action(r: _Reader, raw: Any, path: str) -> ParsedAction:
    a = r.obj(raw, path[:-1])
    leads = a.get("leads") or []
    if not isinstance(leads, list) or not all(isinstance(x, str) for x in leads):
        r.problem(f"{path}leads", "should be a list of names")
        leads = []
    board = a.get("board")
    action = ParsedAction(
        how=r.text(a, "how", path, required=True),
        by_when=r.partial(a, "by_when", path),
        leads=[" ".join(x.split()) for x in leads if x.strip()],
        partners=r.text(a, "partners", path),
        board=board if isinstance(board, str) else "",
        position=r.number(a, "position", path),
        id=r.uid(a, "id", path),
    )
    for k, raw_u in enumerate(r.items(a, "updates", path)):
        upath = f"{path}updates[{k}]."
        u = r.obj(raw_u, upath[:-1])
        date = r.partial(u, "date", upath, required=True)
        text = r.text(u, "text", upath, required=True)
        if date is None:
            continue
        action.updates.append(
            ParsedUpdate(
                date=date,
                text=text,
                rag=r.rag(u, "rag", upath),
                rationale=r.text(u, "rag_rationale", upath),
                author_name=r.text(u, "author_name", upath),
                id=r.uid(u, "id", upath),
            )
        )
    for k, raw_c in enumerate(r.items(a, "deadline_changes", path)):
        cpath = f"{path}deadline_changes[{k}]."
        c = r.obj(raw_c, cpath[:-1])
        changed_on = r.day(c, "changed_on", cpath, required=True)
        if changed_on is None:
            continue
        action.deadline_changes.append(
            ParsedDeadlineChange(
                changed_on=changed_on,
                old_date=r.partial(c, "old_date", cpath),
                new_date=r.partial(c, "new_date", cpath),
                reason=r.text(c, "reason", cpath, required=True),
                changed_by_name=r.text(c, "changed_by_name", cpath),
                id=r.uid(c, "id", cpath),
            )
        )
    rag = r.rag(a, "rag", path)
    if action.updates and rag != action.rag:
        r.problem(
            f"{path}rag",
            f"is {json.dumps(rag or None)} but the latest update's rating is "
            f"{json.dumps(action.rag or None)}; an action's rating is its latest update's",
        )
    elif rag and not action.updates:
        r.problem(
            f"{path}rag", "an action's rating comes from its updates: add the update that gives it"
        )
    if action.deadline_changes:
        ordered = sorted(action.deadline_changes, key=lambda c: c.changed_on)
        if action.by_when != ordered[-1].new_date:
            r.problem(
                f"{path}by_when",
                f"is {json.dumps(_partial(action.by_when))} but the last deadline change moved it to "
                f"{json.dumps(_partial(ordered[-1].new_date))}",
            )
    return action
