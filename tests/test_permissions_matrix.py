"""Who may reach what: every URL pattern, as anonymous, as each role, and as another partnership.

The routes come from the URL resolver (tests/browser/routes.py), so a new route fails
`test_the_matrix_names_every_route` until a row for it is added to MATRIX below. The
objects in URLs are the demo partnership's (`load_demo`, Lincolnshire); the other
partnership's user is the demo's Rutland admin. The rules (docs/adr/0011-permissions.md):

- anonymous: sent to sign in (the API: 401/403), except on PUBLIC routes;
- each role of the partnership: what MATRIX allows, 403 otherwise;
- another partnership's user: 404 (or 403) for every URL naming our objects, and never
  a byte of our non-public data (a marker put in their titles) in any response.

Each request runs in a transaction that is rolled back, so a POST that applies an import
or signs out cannot change what the next request sees. Requests carry no form data (except
BODIES): an allowed POST answers a form with errors (200) or 400, and nothing is kept.
"""

import io
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.management import call_command
from django.db import transaction
from django.db.models import F, Value
from django.db.models.functions import Concat
from django.http import HttpResponse
from django.test import Client
from django.urls import reverse

from inclusion.accounts.models import Organisation, Partnership, Role, User
from inclusion.plans.models import Action, ActionLead, Area, Plan
from tests import app_routes
from tests.browser.routes import Route, all_routes, route_url, unnamed_patterns

pytestmark = pytest.mark.django_db

ALL = frozenset(Role.values)
EDITORS = frozenset({Role.ADMIN, Role.PLAN_EDITOR})
# An action lead adds updates to the actions they (or their organisation) lead; the URL
# names such an action (see `world`).
UPDATERS = EDITORS | {Role.ACTION_LEAD}

# Route name -> HTTP method -> the roles allowed. Methods not listed are not requested.
MATRIX: dict[str, dict[str, frozenset[str]]] = {
    # accounts
    "home": {"get": ALL},
    "login": {"get": ALL, "post": ALL},
    "logout_confirm": {"get": ALL},
    "logout": {"post": ALL},
    "accessibility": {"get": ALL},
    # plans: pages
    "plans:plan_list": {"get": ALL},
    "plans:plan_detail": {"get": ALL},
    "plans:plan_report": {"get": ALL},
    "plans:action_list": {"get": ALL},
    "plans:action_detail": {"get": ALL},
    "plans:update_add": {"get": UPDATERS, "post": UPDATERS},
    "plans:action_edit": {"get": EDITORS, "post": EDITORS},
    "plans:plan_report_date": {"get": EDITORS, "post": EDITORS},
    "plans:deadline_change": {"get": EDITORS, "post": EDITORS},
    "plans:import_upload": {"get": EDITORS, "post": EDITORS},
    "plans:import_detail": {"get": EDITORS},
    "plans:import_apply": {"post": EDITORS},
    "plans:import_discard": {"post": EDITORS},
    "plans:public_plans": {"get": ALL},
    # API
    "api-schema": {"get": ALL},
    "api-plan-list": {"get": ALL},
    "api-plan-detail": {"get": ALL, "patch": EDITORS},
    "api-plan-areas": {"get": ALL, "post": EDITORS},
    "api-plan-export": {"get": ALL},
    "api-action-list": {"get": ALL, "post": EDITORS},
    "api-action-detail": {"get": ALL, "patch": EDITORS},
    "api-action-updates": {"get": ALL, "post": UPDATERS},
    "api-action-deadline-changes": {"get": ALL, "post": EDITORS},
    # other apps: their own modules (tests/app_routes/)
    **(app_routes.merged("MATRIX") or {}),
}
# Routes anyone may use without signing in (every method of their row).
PUBLIC = {
    "login",
    "accessibility",
    "plans:public_plans",
    # drf-spectacular serves the schema to anyone (its SERVE_PERMISSIONS default): it
    # describes the API and holds no partnership's data. Remove it from here if the
    # settings make it sign-in only.
    "api-schema",
    *(app_routes.merged("PUBLIC") or set()),
}

# A request body for routes whose permission follows from what the body names (a new
# action's area decides its plan, so its plan's permission): route -> method -> body.
BODIES: dict[str, dict[str, Callable[[Partnership], dict[str, Any]]]] = {
    "api-action-list": {
        "post": lambda p: {
            "area": str(Area.objects.filter(plan__partnership=p, plan__is_public=False).first().pk),
            "how": "Check the permissions matrix",
        }
    },
    **(app_routes.merged("BODIES") or {}),
}

# Put into the titles of the demo partnership's non-public plan, areas and actions.
MARKER = "Zq7-LINCS-PRIVATE-marker"
# Allowed: the page, a redirect elsewhere than sign-in, or a form/API validation error
# (the requests carry no data). 405 is never allowed: it means the row names a wrong method.
ALLOWED_STATUSES = {200, 201, 204, 301, 302, 303, 400}


@dataclass(frozen=True)
class Outcome:
    route: str
    method: str
    url: str
    status: int
    location: str

    def __str__(self) -> str:
        where = f" -> {self.location}" if self.location else ""
        return f"{self.method.upper()} {self.url} ({self.route}): {self.status}{where}"


@pytest.fixture
def world(db) -> Partnership:
    """The demo data, with a marker in the private titles and the demo lead leading actions."""
    call_command("load_demo", stdout=io.StringIO())
    lincolnshire = Partnership.objects.get(slug="lincolnshire")
    private = Plan.objects.filter(partnership=lincolnshire, is_public=False)
    assert private.exists(), "the demo needs a non-public plan for the data-leak checks"
    Plan.objects.filter(pk__in=private).update(title=Concat(F("title"), Value(f" {MARKER}")))
    Area.objects.filter(plan__in=private).update(title=Concat(F("title"), Value(f" {MARKER}")))
    Action.objects.filter(plan__in=private).update(how=Concat(F("how"), Value(f" {MARKER}")))
    # The 2019 plan names the CCG, the ICB's predecessor, as a lead; the ICB's alias links
    # those leads to it, so the URLs name an action the demo action lead leads.
    icb = Organisation.objects.get(partnership=lincolnshire, kind=Organisation.Kind.ICB)
    assert ActionLead.objects.filter(
        action__plan__partnership=lincolnshire, name="CCG", organisation=icb
    ).exists()
    assert User.objects.get(username="lead").organisation == icb
    return lincolnshire


def routes() -> list[Route]:
    return [route for route in all_routes() if route.name in MATRIX]


def request(
    user: User | None, route: Route, method: str, url: str, world: Partnership
) -> tuple[Outcome, bytes]:
    client = Client()
    if user is not None:
        client.force_login(user)
    kwargs: dict[str, Any] = {}
    body = BODIES.get(route.name, {}).get(method)
    if route.is_api and method != "get":
        data = json.dumps(body(world) if body else {})
        kwargs = {"content_type": "application/json", "data": data}
    elif body:
        kwargs = {"data": body(world)}
    with transaction.atomic():
        response: HttpResponse = getattr(client, method)(url, **kwargs)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        transaction.set_rollback(True)
    outcome = Outcome(
        route.name, method, url, response.status_code, response.headers.get("Location", "")
    )
    return outcome, body


def sent_to_sign_in(outcome: Outcome) -> bool:
    return (
        outcome.status == 302
        and outcome.location.startswith(reverse("login"))
        and "next=" in outcome.location
    )


def allowed(outcome: Outcome) -> bool:
    return outcome.status in ALLOWED_STATUSES and not sent_to_sign_in(outcome)


def requests_for(world: Partnership) -> Iterator[tuple[Route, str, str]]:
    for route in routes():
        url = route_url(route, world)
        for method in MATRIX[route.name]:
            yield route, method, url


def report(title: str, problems: list[str]) -> str:
    return f"{title} ({len(problems)}):\n" + "\n".join(f"- {problem}" for problem in problems)


def test_the_matrix_names_every_route():
    names = {route.name for route in all_routes()}

    unknown = sorted(names - set(MATRIX))
    assert not unknown, (
        f"New routes {unknown}: add a row for each to MATRIX in tests/test_permissions_matrix.py "
        "(which roles may use which method), and to PUBLIC if anonymous visitors may."
    )
    stale = sorted(set(MATRIX) - names)
    assert not stale, f"MATRIX has rows for routes that no longer exist: {stale}"
    assert PUBLIC <= set(MATRIX)
    assert not unnamed_patterns(), (
        f"Name every URL pattern (the matrix needs it): {unnamed_patterns()}"
    )


def test_anonymous_visitors_are_sent_to_sign_in_except_on_public_routes(world):
    problems = []
    for route, method, url in requests_for(world):
        outcome, body = request(None, route, method, url, world)
        if route.name in PUBLIC:
            if not allowed(outcome):
                problems.append(f"{outcome}: a public route, expected it to answer")
        elif route.is_api:
            if outcome.status not in {401, 403}:
                problems.append(f"{outcome}: expected 401 or 403")
        elif not sent_to_sign_in(outcome):
            problems.append(f"{outcome}: expected a redirect to sign in")
        if MARKER.encode() in body:
            problems.append(f"{outcome}: shows the partnership's private data")

    assert not problems, report("Anonymous access", problems)


@pytest.mark.parametrize("role", Role.values)
def test_each_role_gets_exactly_what_the_matrix_allows(world, role):
    user = User.objects.get(organisation__partnership=world, role=role)
    problems = []
    for route, method, url in requests_for(world):
        outcome, _body = request(user, route, method, url, world)
        expected = role in MATRIX[route.name][method]
        if expected and not allowed(outcome):
            problems.append(f"{outcome}: MATRIX allows {role}")
        elif not expected and outcome.status != 403:
            problems.append(f"{outcome}: MATRIX denies {role}, expected 403")

    assert not problems, report(f"Role {role}", problems)


def test_another_partnerships_user_finds_none_of_our_objects_and_sees_none_of_our_data(world):
    outsider = User.objects.get(username="rutland-admin")
    assert outsider.partnership != world
    problems = []
    for route, method, url in requests_for(world):
        if route.name in PUBLIC:
            continue  # published for anyone, by design
        outcome, body = request(outsider, route, method, url, world)
        if route.has_objects and outcome.status not in {403, 404}:
            problems.append(f"{outcome}: names another partnership's object, expected 404")
        if MARKER.encode() in body:
            problems.append(f"{outcome}: shows another partnership's data")

    assert not problems, report("Another partnership's admin", problems)
