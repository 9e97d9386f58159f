"""Schemathesis against the profile's OpenAPI document: generated requests to every
operation find no server error and no answer that breaks the schema.

The document is the official one patched only for its listed defects
(`inclusion/directory/oruk/spec.py`, documented in docs/directory/oruk.md), with the remote
`$ref`s answered from the local copy (no network). Requests go to the Django app in
process (WSGI), against the small directory of `world`. Example counts are kept modest
so the module stays quick; the `{id}` paths are also asked with real ids, since a random
string finds only 404s.
"""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
)

from tests.directory.api.oruk_schema import inlined_openapi

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _keep_the_test_connection_open():
    """Requests here go through the WSGI handler, which closes the database connection when
    a request starts and finishes (`close_old_connections`): inside a test's transaction that closes
    it for real on PostgreSQL (SQLite's in-memory database ignores the close), and every
    later query fails. Django's own test client disconnects the handler the same way."""
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


schema = schemathesis.openapi.from_dict(inlined_openapi())
schema.app = get_wsgi_application()
CHECKS = [not_a_server_error, response_schema_conformance, content_type_conformance]
BASE = "/api/oruk"


@schema.parametrize()
@settings(
    max_examples=10,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
def test_generated_requests_find_no_server_error_and_no_schema_violation(case, world):
    response = case.call(base_url=BASE, headers={"Host": "testserver"})
    case.validate_response(response, checks=CHECKS)
    assert response.headers.get("access-control-allow-origin") == ["*"]


@pytest.mark.parametrize(
    ("path", "ids"),
    [
        ("/services/{id}", lambda w: [s.pk for s in w.published]),
        ("/service_at_locations/{id}", lambda w: [p.pk for p in w.places.values()][:3]),
        ("/taxonomies/{id}", lambda w: [w.needs.pk, w.categories.pk]),
        ("/taxonomy_terms/{id}", lambda w: [w.autism.pk, w.hearing.pk]),
    ],
)
def test_real_ids_pass_the_same_checks(world, path, ids):
    operation = schema[path]["GET"]
    for pk in ids(world):
        case = operation.Case(path_parameters={"id": str(pk)})
        response = case.call(base_url=BASE, headers={"Host": "testserver"})
        assert response.status_code in {200, 404}
        case.validate_response(response, checks=CHECKS)


def test_the_inlined_document_carries_the_official_schemas():
    """Guards against a vacuous run: the schemas schemathesis checks are the profile's."""
    service = schema.raw_schema["paths"]["/services/{id}"]["get"]["responses"]["200"]
    body = service["content"]["application/json"]["schema"]
    assert body["required"] == ["id", "name", "status"]
    assert body["properties"]["id"]["format"] == "uuid"
    place = schema.raw_schema["paths"]["/service_at_locations/{id}"]["get"]["responses"]["200"]
    assert "location" in place["content"]["application/json"]["schema"]["properties"]
