"""Refusals and missing pages use the service's layout, not Django's bare text."""

from django.template import engines
from django.test import RequestFactory
from django.urls import reverse

from tests.plans.views.html import page


def test_not_found_page_is_a_service_page(admin_client, db):
    response = admin_client.get(reverse("plans:plan_detail", kwargs={"slug": "no-such-plan"}))
    assert response.status_code == 404
    soup = page(response)
    assert soup.select_one("h1").get_text() == "Page not found"
    assert soup.title.get_text() == "Page not found – Lincolnshire SEND Partnership"


def test_forbidden_page_says_what_to_do(viewer_client, db):
    response = viewer_client.get(reverse("plans:import_upload"))
    assert response.status_code == 403
    assert page(response).select_one("h1").get_text() == "You cannot do this"


def test_server_error_page_renders_without_a_request():
    # Django renders 500.html with no request and no context processors.
    html = engines["jinja2"].get_template("500.html").render({})
    assert "Sorry, there is a problem with the service" in html


def test_bad_request_page_renders(rf: RequestFactory):
    html = engines["jinja2"].get_template("400.html").render({}, rf.get("/"))
    assert "there is a problem with the request" in html
