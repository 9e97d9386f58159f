"""What every page shares: one h1, the title, breadcrumbs, navigation, labelled inputs."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from tests.plans.views.html import page


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(dt.datetime(2020, 9, 15, 12, 0, tzinfo=dt.UTC), tick=False):
        yield


@pytest.fixture
def urls(plan, action):
    act = {"slug": plan.slug, "action_id": action.pk}
    return [
        reverse("plans:plan_list"),
        reverse("plans:plan_detail", kwargs={"slug": plan.slug}),
        reverse("plans:plan_report", kwargs={"slug": plan.slug}),
        reverse("plans:action_list", kwargs={"slug": plan.slug}),
        reverse("plans:action_detail", kwargs=act),
        reverse("plans:update_add", kwargs=act),
        reverse("plans:action_edit", kwargs=act),
        reverse("plans:deadline_change", kwargs=act),
        reverse("plans:import_upload"),
        reverse("plans:public_plans", kwargs={"partnership_slug": "lincolnshire"}),
    ]


def test_every_page_has_one_h1_a_titled_name_breadcrumbs_and_labelled_inputs(admin_client, urls):
    for url in urls:
        response = admin_client.get(url)
        assert response.status_code == 200, url
        soup = page(response)
        assert len(soup.select("h1")) == 1, url
        assert soup.title.get_text().endswith(" – Lincolnshire SEND Partnership"), url
        assert soup.select_one(".govuk-breadcrumbs"), url
        assert soup.select_one("main#main-content"), url
        for field in soup.select("main input:not([type=hidden]), main select, main textarea"):
            assert soup.select_one(f"label[for='{field['id']}']"), (url, field)
        for form in soup.select("main form"):
            assert form.has_attr("novalidate"), url
            if form.get("method") == "post":
                assert form.select_one("input[name=csrfmiddlewaretoken]"), url
        # No GOV.UK crown or logo: the header is the partnership's.
        assert not soup.select(".govuk-header__logotype, svg.govuk-header__logotype"), url


def _navigation(client, user) -> list[str]:
    client.force_login(user)
    nav = page(client.get(reverse("plans:plan_list"))).select_one(".govuk-service-navigation__list")
    return [a.get_text(strip=True) for a in nav.select("a")]


def test_navigation_offers_import_only_to_those_who_may_import(client, users):
    """Other apps add their sections (Measures, Local Offer...); Plans stays first, Sign
    out last, and Import is there for editors only."""
    editor = _navigation(client, users["plan_editor"])
    viewer = _navigation(client, users["viewer"])

    assert editor[0] == viewer[0] == "Plans"
    assert editor[-1] == viewer[-1] == "Sign out"
    assert "Import" in editor
    assert "Import" not in viewer
    assert "Measures" in editor and "Measures" in viewer


def test_current_section_is_marked_in_the_navigation(admin_client):
    soup = page(admin_client.get(reverse("plans:import_upload")))
    current = soup.select_one(".govuk-service-navigation__item--active a")
    assert current.get_text(strip=True) == "Import"
    assert current["aria-current"] == "page"


def test_ratings_are_never_colour_alone(admin_client, plan, action):
    soup = page(admin_client.get(reverse("plans:plan_detail", kwargs={"slug": plan.slug})))
    for tag in soup.select(".govuk-tag"):
        assert tag.get_text(strip=True), tag


def test_sign_in_mistake_is_summarised_and_named_on_the_field(client, users):
    response = client.post(reverse("login"), {"username": "viewer", "password": "wrong"})
    soup = page(response)
    assert soup.title.get_text().startswith("Error: Sign in")
    assert soup.select_one(".govuk-error-summary a")["href"] == "#id_username"
    assert (
        "Enter a correct username and password" in soup.select_one("#id_username-error").get_text()
    )
    assert soup.select_one("#id_username")["value"] == "viewer"


def test_signed_in_pages_of_accounts_use_the_same_frame(admin_client):
    for name in ("logout_confirm", "accessibility"):
        soup = page(admin_client.get(reverse(name)))
        assert len(soup.select("h1")) == 1
        assert soup.select_one(".govuk-service-navigation__list")
