"""Every page of the service passes axe-core's WCAG 2.2 AA checks in chromium.

The pages are found by walking the URL resolver, so a new page is checked without
editing this file: public pages as an anonymous visitor, the rest as the demo admin,
with URL arguments naming the demo partnership's objects (tests/browser/routes.py).
A route that is not a page (a download, an API, a POST-only action) must be listed
in NOT_PAGES with the reason.
"""

import pytest
from django.urls import reverse

from inclusion.accounts.models import Partnership, User
from tests import app_routes
from tests.browser.conftest import accessibility_problems
from tests.browser.routes import MissingFiller, Route, all_routes, route_url

pytestmark = pytest.mark.browser

# Route name -> why it is not an HTML page a person visits with GET.
NOT_PAGES = {
    "logout": "POST only: signs the user out (Django's LogoutView); its page is logout_confirm",
    "api-schema": "the OpenAPI schema, YAML for programs",
    "plans:import_apply": "POST only: applies a checked upload; its page is plans:import_detail",
    "plans:import_discard": "POST only: discards an upload; its page is plans:import_detail",
    # other apps: their own modules (tests/app_routes/)
    **(app_routes.merged("NOT_PAGES") or {}),
}
# Everything under /api/ answers JSON to programs (the permissions matrix covers it).


def pages() -> list[Route]:
    return [route for route in all_routes() if route.name not in NOT_PAGES and not route.is_api]


def check_pages(
    page, routes: list[Route], base_url: str, partnership: Partnership
) -> dict[str, str]:
    """Visit each route; return route name -> what is wrong (nothing for a good page)."""
    problems: dict[str, str] = {}
    for route in routes:
        try:
            url = route_url(route, partnership)
        except MissingFiller as error:
            problems[route.name] = str(error)
            continue
        page.js_errors.clear()
        try:
            response = page.goto(base_url + url)
        except Exception as error:  # a download, a crash: Playwright says which
            problems[route.name] = f"{url}: {error}. Not a page? List it in NOT_PAGES with why."
            continue
        content_type = response.headers.get("content-type", "") if response else ""
        if response is None or response.status != 200 or "text/html" not in content_type:
            status = response.status if response else "no response"
            problems[route.name] = (
                f"{url} answered {status} {content_type!r}, not an HTML page. "
                "If it is not a page, list it in NOT_PAGES with why."
            )
            continue
        if found := accessibility_problems(page):
            problems[route.name] = f"{url}\n{found}"
    return problems


def report(problems: dict[str, str]) -> str:
    return "\n\n".join(f"{name}: {problem}" for name, problem in sorted(problems.items()))


def test_every_public_page_is_accessible_to_an_anonymous_visitor(demo, live_server, anonymous_page):
    public = [route for route in pages() if route.is_public]
    assert public, "expected at least the sign-in and accessibility pages to be public"
    lincolnshire = Partnership.objects.get(slug="lincolnshire")

    problems = check_pages(anonymous_page, public, live_server.url, lincolnshire)

    assert not problems, report(problems)


def test_every_signed_in_page_is_accessible_to_the_admin(demo, live_server, page_for):
    private = [route for route in pages() if not route.is_public]
    assert private, "expected signed-in pages"
    admin_page = page_for(User.objects.get(username="admin"))
    lincolnshire = Partnership.objects.get(slug="lincolnshire")

    problems = check_pages(admin_page, private, live_server.url, lincolnshire)

    assert not problems, report(problems)


def test_sign_in_with_a_wrong_password_shows_an_accessible_error(
    demo, live_server, anonymous_page, assert_accessible
):
    page = anonymous_page
    page.goto(live_server.url + reverse("login"))
    page.get_by_label("Username").fill("admin")
    page.get_by_label("Password", exact=True).fill("not-the-password")
    page.get_by_role("button", name="Sign in").click()

    assert page.get_by_role("alert").get_by_text("There is a problem").is_visible()
    assert_accessible(page)


def test_every_route_not_checked_here_is_listed_with_a_reason():
    names = {route.name for route in all_routes()}

    stale = set(NOT_PAGES) - names
    assert not stale, f"NOT_PAGES lists routes that no longer exist: {sorted(stale)}"
    assert all(reason.strip() for reason in NOT_PAGES.values())
