"""The measures routes: none hides another, a measure's code cannot be another page's path,
and every page needs a sign-in."""

import uuid

import pytest
from django.urls import NoReverseMatch, resolve, reverse
from django.urls.converters import IntConverter, UUIDConverter

from inclusion.measures.urls_pages import NOT_CODES
from tests.browser.routes import all_routes

MEASURES = [route for route in all_routes() if route.name.startswith("measures:")]
MY_ROUTES = [
    "measures:dashboard",
    "measures:dashboard_download",
    "measures:plan_dashboard",
    "measures:plan_dashboard_download",
    "measures:priority_dashboard",
    "measures:priority_dashboard_download",
    "measures:measure_detail",
    "measures:measure_download",
]


def sample_kwargs(route) -> dict:
    kwargs = {}
    for name in route.kwargs:
        converter = route.converters.get(name)
        if isinstance(converter, UUIDConverter):
            kwargs[name] = uuid.uuid4()
        elif isinstance(converter, IntConverter):
            kwargs[name] = 1
        else:
            kwargs[name] = "ehcp_20wk_incl_exceptions"
    return kwargs


def test_every_measures_route_resolves_to_itself():
    """A route listed before another (the measure page's `<code>/`) must not swallow it."""
    assert {r.name for r in MEASURES} >= set(MY_ROUTES)
    hidden = []
    for route in MEASURES:
        url = reverse(route.name, kwargs=sample_kwargs(route) or None)
        if resolve(url).view_name != route.name:
            hidden.append(f"{url} ({route.name}) resolves to {resolve(url).view_name}")

    assert not hidden, "\n".join(hidden)


@pytest.mark.parametrize("word", NOT_CODES)
def test_a_measure_cannot_be_given_the_path_of_another_page(word):
    with pytest.raises(NoReverseMatch):
        reverse("measures:measure_detail", kwargs={"code": word})
    # A code that only starts with the word is a code like any other.
    assert resolve(f"/measures/{word}_rate/").view_name == "measures:measure_detail"


@pytest.mark.django_db
@pytest.mark.parametrize("name", MY_ROUTES)
def test_every_measures_page_needs_a_sign_in(client, name):
    route = next(r for r in MEASURES if r.name == name)

    response = client.get(reverse(name, kwargs=sample_kwargs(route) or None))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.django_db
@pytest.mark.parametrize("name", MY_ROUTES)
def test_a_user_outside_any_partnership_is_refused(client, name, django_user_model):
    """No organisation, no partnership: nothing to read (403, not an empty page)."""
    route = next(r for r in MEASURES if r.name == name)
    client.force_login(django_user_model.objects.create_user(username="nobody"))

    response = client.get(reverse(name, kwargs=sample_kwargs(route) or None))

    assert response.status_code == 403
