"""Every URL pattern of the project, and URL arguments filled from the demo data.

Shared by the accessibility walk (`tests/browser/test_accessibility.py`) and the
permissions matrix (`tests/test_permissions_matrix.py`), so a page added to any
`urls.py` is visited by both without editing either.

A URL argument is filled by its name: `plan`, `plan_id`, `plan_slug` and `plan_pk`
all name a plan (see `KWARG_ALIASES` for other spellings), and a bare `slug` or `pk`
names the object of the path segment before it (`plans/<slug:slug>/`: a plan). The objects come from
the partnership `load_demo` created, picked so that they belong together (an
action's own area and plan), and the converter decides between the slug and the
primary key. A route whose argument has no filler fails the tests with a message
saying where to add one.
"""

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.converters import IntConverter, SlugConverter, UUIDConverter

from inclusion.accounts.models import Organisation, Partnership, Role, User
from inclusion.plans.models import (
    Action,
    ActionLead,
    Area,
    Board,
    Commitment,
    DeadlineChange,
    Plan,
    PlanImport,
    Priority,
    ProgressUpdate,
)
from tests import app_routes


@dataclass(frozen=True)
class Route:
    name: str  # as `reverse` takes it: "plans:plan_list"
    pattern: str  # "plans/<uuid:plan>/"
    kwargs: tuple[str, ...]
    converters: dict[str, Any]
    callback: Any

    @property
    def is_api(self) -> bool:
        return self.pattern.startswith("api/")

    @property
    def is_public(self) -> bool:
        """A page whose view opted out of the login requirement (`@login_not_required`).

        DRF marks every API view so (it authenticates by itself), so the API is never public here.
        """
        return not self.is_api and getattr(self.callback, "login_required", True) is False

    @property
    def has_objects(self) -> bool:
        """Its URL names an object (of some partnership)."""
        return any(kwarg != "format" for kwarg in self.kwargs)


def _walk(
    patterns: list[Any], prefix: str = "", namespace: str = ""
) -> Iterator[tuple[str, URLPattern, str]]:
    for entry in patterns:
        if isinstance(entry, URLResolver):
            ns = namespace
            if entry.namespace:
                ns = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern), ns)
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), entry, namespace


def all_routes() -> list[Route]:
    """One `Route` per route name; unnamed patterns and DRF's `.json` suffix copies are
    reported by `unnamed_patterns` instead."""
    routes: dict[str, Route] = {}
    for pattern, entry, namespace in _walk(get_resolver().url_patterns):
        if not entry.name:
            continue
        name = f"{namespace}:{entry.name}" if namespace else entry.name
        kwargs = tuple(entry.pattern.regex.groupindex)
        if "format" in kwargs:
            continue  # DRF's format-suffix copy of a route we already have
        converters = dict(getattr(entry.pattern, "converters", {}))
        routes.setdefault(name, Route(name, pattern, kwargs, converters, entry.callback))
    return sorted(routes.values(), key=lambda route: route.name)


def unnamed_patterns() -> list[str]:
    return [pattern for pattern, entry, _ns in _walk(get_resolver().url_patterns) if not entry.name]


# ---------------------------------------------------------------------------
# Filling URL arguments from the demo data.

# Other spellings of the same object in URL arguments.
KWARG_ALIASES = {
    "progress_update": "update",
    "progressupdate": "update",
    "import": "plan_import",
    "planimport": "plan_import",
    "upload": "plan_import",
    "deadline": "deadline_change",
    "deadlinechange": "deadline_change",
    "lead": "action_lead",
    "actionlead": "action_lead",
    "area_for_improvement": "area",
    "org": "organisation",
    "organization": "organisation",
    "partnership_slug": "partnership",
    **(app_routes.merged("KWARG_ALIASES") or {}),
}
SUFFIXES = ("_id", "_pk", "_uuid", "_slug")


# A bare `slug`, `pk` or `id` names the object of the path segment before it:
# "plans/<slug:slug>/" is a plan's slug, "updates/<uuid:pk>/" an update's key.
BARE = {"slug", "pk", "id", "uuid"}


def _segment_before(pattern: str, kwarg: str) -> str:
    match = re.search(rf"([^/<>()]+)/(?:<(?:\w+:)?{kwarg}>|\(\?P<{kwarg}>)", pattern)
    if not match:
        return kwarg
    segment = match.group(1).lstrip("^")
    if segment.endswith("ies"):
        return segment[:-3] + "y"
    return segment.removesuffix("s")


def object_key(kwarg: str, pattern: str = "") -> str:
    base = _segment_before(pattern, kwarg) if kwarg in BARE else kwarg
    for suffix in SUFFIXES:
        if base.endswith(suffix):
            base = base[: -len(suffix)]
            break
    return KWARG_ALIASES.get(base, base)


def _picked_action(partnership: Partnership) -> Action | None:
    """An action of the action plan with progress updates, led (if any is) by the demo lead."""
    actions = Action.objects.filter(plan__partnership=partnership)
    lead = User.objects.filter(organisation__partnership=partnership, role=Role.ACTION_LEAD).first()
    if lead is not None:
        led = actions.filter(
            models.Q(leads__user=lead) | models.Q(leads__organisation_id=lead.organisation_id)
        ).distinct()
        with_updates = led.filter(updates__isnull=False).distinct()
        if picked := with_updates.first() or led.first():
            return picked
    return actions.filter(updates__isnull=False).distinct().first() or actions.first()


def _demo_upload(partnership: Partnership) -> PlanImport:
    """An upload waiting to be checked, made by the upload page's own service (the demo
    imports its plans directly, so it leaves none)."""
    from inclusion.plans.demo import DEMO_DATA, DEMO_PLANS
    from inclusion.plans.services.imports import plan_import_preview

    demo = DEMO_PLANS[0]
    return plan_import_preview(
        partnership=partnership,
        filename=demo.filename,
        content=(DEMO_DATA / demo.filename).read_bytes(),
        via="tests",
        **demo.options,
    )


# Each object, and the parents it implies, so one URL's arguments belong together.
PARENTS: dict[str, Callable[[Any], dict[str, Any]]] = {
    "update": lambda o: {"action": o.action},
    "deadline_change": lambda o: {"action": o.action},
    "action_lead": lambda o: {"action": o.action},
    "action": lambda o: {"area": o.area, "plan": o.plan},
    "area": lambda o: {"plan": o.plan, **({"priority": o.priority} if o.priority_id else {})},
    "commitment": lambda o: {"priority": o.priority},
    "priority": lambda o: {"plan": o.plan},
    "plan_import": lambda o: {"plan": o.plan} if o.plan_id else {},
    "user": lambda o: {"organisation": o.organisation} if o.organisation_id else {},
    **(app_routes.merged("PARENTS") or {}),
}
# The order in which arguments are filled: children first, so parents follow from them.
DEPTH = [
    "update",
    "deadline_change",
    "action_lead",
    "commitment",
    "action",
    "area",
    "priority",
    "plan_import",
    "user",
    *(app_routes.merged("DEPTH") or []),
]


def pick_objects(partnership: Partnership) -> dict[str, Callable[[], Any]]:
    """How to find the demo object for each key, within `partnership`."""
    p = partnership

    def action() -> Action | None:
        return _picked_action(p)

    return {
        "partnership": lambda: p,
        "plan": lambda: (
            Plan.objects.filter(partnership=p, kind=Plan.Kind.INSPECTION_ACTION).first()
            or Plan.objects.filter(partnership=p).first()
        ),
        "priority": lambda: Priority.objects.filter(plan__partnership=p).first(),
        "commitment": lambda: Commitment.objects.filter(priority__plan__partnership=p).first(),
        "area": lambda: (
            a.area if (a := action()) else Area.objects.filter(plan__partnership=p).first()
        ),
        "action": action,
        "update": lambda: (
            (a.updates.first() if (a := action()) else None)
            or ProgressUpdate.objects.filter(action__plan__partnership=p).first()
        ),
        "deadline_change": lambda: DeadlineChange.objects.filter(
            action__plan__partnership=p
        ).first(),
        "action_lead": lambda: (
            (a.leads.first() if (a := action()) else None)
            or ActionLead.objects.filter(action__plan__partnership=p).first()
        ),
        "board": lambda: Board.objects.filter(partnership=p).first(),
        "plan_import": lambda: PlanImport.objects.filter(partnership=p).first() or _demo_upload(p),
        "organisation": lambda: Organisation.objects.filter(partnership=p).first(),
        "user": lambda: User.objects.filter(
            organisation__partnership=p, role=Role.ACTION_LEAD
        ).first(),
        **app_routes.pickers(p),
    }


# Routes whose arguments the name rules cannot fill: route name -> function of the
# partnership giving the kwargs. Add one here when a URL argument is not an object
# (a year, a report period...) or is spelled in a way the aliases above do not cover.
ROUTE_KWARGS: dict[str, Callable[[Partnership], dict[str, Any]]] = {
    **(app_routes.merged("ROUTE_KWARGS") or {}),
}


class MissingFiller(LookupError):
    pass


def _url_value(obj: Any, kwarg: str, converter: Any) -> Any:
    if (
        isinstance(converter, UUIDConverter)
        or kwarg.endswith(("_id", "_pk", "_uuid"))
        or kwarg in {"pk", "id"}
    ):
        return obj.pk
    if isinstance(converter, IntConverter):
        return obj.pk
    if isinstance(converter, SlugConverter) or kwarg.endswith("_slug") or kwarg == "slug":
        return obj.slug
    return getattr(obj, "slug", None) or str(obj.pk)


def route_kwargs(route: Route, partnership: Partnership) -> dict[str, Any]:
    """URL arguments for `route` naming demo objects of `partnership`."""
    if route.name in ROUTE_KWARGS:
        return ROUTE_KWARGS[route.name](partnership)
    keys = {kwarg: object_key(kwarg, route.pattern) for kwarg in route.kwargs}
    unknown = [
        kwarg
        for kwarg, key in keys.items()
        if key not in PARENTS and key not in pick_objects(partnership)
    ]
    if unknown:
        raise MissingFiller(
            f"Route {route.name!r} ({route.pattern}) has URL argument(s) {unknown} that "
            "tests/browser/routes.py cannot fill: add an alias to KWARG_ALIASES or an entry "
            "to ROUTE_KWARGS."
        )
    pickers = pick_objects(partnership)
    objects: dict[str, Any] = {}
    wanted = set(keys.values())
    for key in [k for k in DEPTH if k in wanted] + sorted(wanted - set(DEPTH)):
        if key in objects:
            continue
        obj = pickers[key]()
        if obj is None:
            raise MissingFiller(
                f"Route {route.name!r} needs a {key!r} but the demo partnership {partnership} "
                "has none: add one to the demo data (inclusion/<app>/demo.py)."
            )
        objects[key] = obj
        _add_ancestors(objects, key)
    return {
        kwarg: _url_value(objects[key], kwarg, route.converters.get(kwarg))
        for kwarg, key in keys.items()
    }


def _add_ancestors(objects: dict[str, Any], key: str) -> None:
    """Add every ancestor of objects[key] (an update's action, area and plan) not yet chosen."""
    queue = [key]
    while queue:
        current = queue.pop()
        parent_of = PARENTS.get(current)
        if parent_of is None:
            continue
        for parent_key, parent in parent_of(objects[current]).items():
            if parent_key not in objects:
                objects[parent_key] = parent
                queue.append(parent_key)


def route_url(route: Route, partnership: Partnership) -> str:
    return reverse(route.name, kwargs=route_kwargs(route, partnership) or None)
