"""The demo Local Offer as the API publishes it: every answer valid against the official
schemas, and every service usable by DfE Family Hubs.

Family Hubs' "usable service" rules (DfE's Connect families to support / Find support for
your family, which read councils' Open Referral UK feeds): the id is a UUID, the status
active, the name and description not empty, the URL one that parses, the organisation has
an id and a name, and there is an email.
"""

import io
import uuid
from urllib.parse import urlparse

import pytest
from django.core.management import call_command

from inclusion.directory.models import Service
from tests.directory.api import oruk_schema
from tests.directory.api.test_conformance import LISTS, get, valid, walk

pytest.importorskip("inclusion.directory.demo", reason="the demo Local Offer is not there yet")

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """`load_demo` once for the module (rolled back at its end)."""
    from django.db import transaction

    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            call_command("load_demo", stdout=io.StringIO())
            yield
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture
def feed(demo, db, settings):
    settings.DIRECTORY_PARTNERSHIP = "lincolnshire"


def usable_service_problems(service: dict) -> list[str]:
    problems = []
    try:
        uuid.UUID(service.get("id", ""))
    except ValueError:
        problems.append("id is not a UUID")
    if service.get("status") != "active":
        problems.append(f"status is {service.get('status')!r}")
    for key in ("name", "description", "email"):
        if not str(service.get(key, "")).strip():
            problems.append(f"no {key}")
    url = urlparse(service.get("url", ""))
    if url.scheme not in {"http", "https"} or not url.netloc:
        problems.append(f"url {service.get('url')!r} does not parse as a web address")
    organization = service.get("organization") or {}
    if not organization.get("id") or not str(organization.get("name", "")).strip():
        problems.append("no organisation with an id and a name")
    return problems


def test_every_demo_service_is_a_usable_service_for_family_hubs(feed, client):
    services = walk(client, "/services", 50)
    demo_services = Service.objects.filter(partnership__slug="lincolnshire", is_demo=True)
    assert len(services) >= 10, "the demo Local Offer should hold the seed's services"
    assert {s["id"] for s in services} >= {
        str(pk) for pk in demo_services.filter(status="active").values_list("pk", flat=True)
    }
    problems = {}
    for item in services:
        full = get(client, f"/services/{item['id']}").json()
        valid("/services/{id}", full)
        if found := usable_service_problems(full):
            problems[full["name"]] = found
    assert not problems, problems


@pytest.mark.parametrize("list_path", list(LISTS))
def test_every_page_of_the_demo_feed_validates_and_every_id_resolves(feed, client, list_path):
    items = walk(client, list_path, 7)
    assert items, f"{list_path} is empty in the demo"
    for item in items:
        path = LISTS[list_path].replace("{id}", item["id"])
        response = get(client, path)
        assert response.status_code == 200, path
        problems = oruk_schema.errors(
            oruk_schema.response_validator(LISTS[list_path]), response.json()
        )
        assert not problems, (path, problems[:5])
