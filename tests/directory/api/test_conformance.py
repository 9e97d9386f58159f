"""Every answer of the Open Referral UK API validates against the profile's official schemas.

As the official validator does, and more: every page of every list is walked (not only
the first, middle and last), every id of every list is resolved on its `/{id}` endpoint,
an unknown id is a 404, and every answer (404s and 400s included) carries
`Access-Control-Allow-Origin: *` (../shared/data/oruk-uk-profile-3.0/NOTICE.md).
"""

import json
import uuid
from typing import Any

import pytest
from django.test import Client

from inclusion.directory.oruk import spec
from tests.directory.api import oruk_schema
from tests.factories import PartnershipFactory

pytestmark = pytest.mark.django_db

BASE = "/api/oruk"
ENVELOPE = {
    "total_items": int,
    "total_pages": int,
    "page_number": int,
    "size": int,
    "first_page": bool,
    "last_page": bool,
    "empty": bool,
    "contents": list,
}
# list path -> (its spec path, the by-id path)
LISTS = {
    "/services": "/services/{id}",
    "/taxonomies": "/taxonomies/{id}",
    "/taxonomy_terms": "/taxonomy_terms/{id}",
    "/service_at_locations": "/service_at_locations/{id}",
}


def get(client: Client, path: str, **params: Any) -> Any:
    response = client.get(BASE + path, params)
    assert response["Access-Control-Allow-Origin"] == "*", f"{path}: no CORS header"
    assert response["Content-Type"].startswith("application/json"), path
    return response


def valid(path: str, document: Any) -> None:
    problems = oruk_schema.errors(oruk_schema.response_validator(path), document)
    assert not problems, f"{path} breaks the official schema:\n" + "\n".join(problems[:20])


def check_envelope(body: dict[str, Any], *, page: int, per_page: int) -> None:
    assert set(body) == set(ENVELOPE), sorted(body)
    for key, kind in ENVELOPE.items():
        assert type(body[key]) is kind, f"{key} is {type(body[key]).__name__}"
    total, pages = body["total_items"], body["total_pages"]
    assert pages == max(1, -(-total // per_page))
    assert body["page_number"] == page
    assert body["size"] == len(body["contents"])
    expected_size = max(0, min(per_page, total - (page - 1) * per_page))
    assert body["size"] == expected_size
    assert body["first_page"] is (page == 1)
    assert body["last_page"] is (page >= pages)
    assert body["empty"] is (body["size"] == 0)


def walk(client: Client, list_path: str, per_page: int, **params: Any) -> list[dict[str, Any]]:
    """Every page of a list, each checked; the items in order."""
    items: list[dict[str, Any]] = []
    page, pages = 1, 1
    while page <= pages:
        response = get(client, list_path, page=page, per_page=per_page, **params)
        assert response.status_code == 200, response.content
        body = response.json()
        valid(list_path, body)
        check_envelope(body, page=page, per_page=per_page)
        pages = body["total_pages"]
        items += body["contents"]
        page += 1
    assert len(items) == body["total_items"]
    return items


def test_the_root_names_the_version_profile_and_openapi_document(world, client):
    response = get(client, "/")
    assert response.status_code == 200
    body = response.json()
    valid("/", body)
    assert body["version"] == "HSDS-UK-3.0"
    document = get(client, "/openapi.json")
    assert body["openapi_url"].endswith("/api/oruk/openapi.json")
    served = document.json()
    assert served["paths"].keys() == oruk_schema.published_openapi()["paths"].keys()
    assert served["servers"][0]["url"].endswith("/api/oruk")


def test_the_vendored_openapi_document_is_the_official_one_unchanged():
    assert spec.published_openapi() == oruk_schema.published_openapi()


@pytest.mark.parametrize("per_page", [1, 2, 50])
@pytest.mark.parametrize("list_path", list(LISTS))
def test_every_page_of_every_list_validates_and_every_id_resolves(
    world, client, list_path, per_page
):
    items = walk(client, list_path, per_page)
    assert items, f"{list_path} is empty: the test would prove nothing"
    ids = [item["id"] for item in items]
    assert len(ids) == len(set(ids)), f"{list_path} repeats an item across pages"
    detail_path = LISTS[list_path]
    for item_id in ids:
        response = get(client, detail_path.replace("{id}", item_id))
        assert response.status_code == 200, (detail_path, item_id, response.content)
        valid(detail_path, response.json())
        assert response.json()["id"] == item_id


def test_the_lists_hold_exactly_the_published_records(world, client):
    services = {s["id"] for s in walk(client, "/services", 50)}
    assert services == {str(s.pk) for s in world.published}
    places = {p["id"] for p in walk(client, "/service_at_locations", 50)}
    assert places == {str(p.pk) for k, p in world.places.items() if not k.startswith("closed")}
    taxonomies = {t["id"] for t in walk(client, "/taxonomies", 50)}
    assert taxonomies == {str(world.needs.pk), str(world.categories.pk)}
    terms = {t["id"] for t in walk(client, "/taxonomy_terms", 50)}
    assert str(world.others["term"].pk) not in terms
    assert str(world.autism.pk) in terms and str(world.sen_support.pk) in terms


@pytest.mark.parametrize("detail_path", list(LISTS.values()))
@pytest.mark.parametrize("unknown", [str(uuid.UUID(int=7)), "not-a-uuid", "0" * 40])
def test_an_unknown_id_is_a_json_404_with_cors(world, client, detail_path, unknown):
    response = get(client, detail_path.replace("{id}", unknown))
    assert response.status_code == 404
    assert "detail" in response.json()


def test_unpublished_and_other_partnerships_records_are_404(world, client):
    hidden = [
        ("/services/{id}", world.closed.pk),
        ("/services/{id}", world.others["service"].pk),
        ("/service_at_locations/{id}", world.places["closed-lincoln"].pk),
        ("/service_at_locations/{id}", world.others["place"].pk),
        ("/taxonomies/{id}", world.others["taxonomy"].pk),
        ("/taxonomy_terms/{id}", world.others["term"].pk),
    ]
    for path, pk in hidden:
        assert get(client, path.replace("{id}", str(pk))).status_code == 404, path


def test_other_paths_and_methods_answer_json_with_cors(world, client):
    assert get(client, "/organizations").status_code == 404
    assert get(client, "/services/").status_code == 200  # a trailing slash is accepted
    response = client.post(BASE + "/services", {})
    assert response.status_code == 405
    assert response["Access-Control-Allow-Origin"] == "*"
    options = client.options(BASE + "/services")
    assert options["Access-Control-Allow-Origin"] == "*"


@pytest.mark.parametrize(
    "query",
    [
        {"page": "0"},
        {"page": "two"},
        {"per_page": "-1"},
        {"minimum_age": "old"},
        {"maximum_age": "nan"},
        {"modified_after": "yesterday"},
        {"postcode": "NOT A POSTCODE"},
        {"proximity": "far"},
        {"taxonomy_term_id": "not-an-id"},
        {"day": "Funday"},
        {"start_time": "9 o'clock"},
    ],
)
def test_a_bad_parameter_is_a_400_naming_it_with_cors(world, client, query):
    response = get(client, "/services", **query)
    assert response.status_code == 400, response.content
    body = response.json()
    assert body["detail"]
    assert body.get("parameter") in set(query) | {"", None} or next(iter(query)) in body["detail"]


def test_per_page_above_the_maximum_is_served_at_the_maximum(world, client):
    body = get(client, "/taxonomy_terms", per_page=100000).json()
    assert body["size"] == body["total_items"]


def test_a_page_past_the_end_is_empty_and_last(world, client):
    body = get(client, "/services", page=99, per_page=2).json()
    check_envelope(body, page=99, per_page=2)
    assert body["contents"] == [] and body["total_items"] == 4 and body["empty"] is True


def test_an_empty_directory_is_one_empty_page_and_sees_only_the_shared_vocabularies(
    world, client, settings
):
    empty = PartnershipFactory(name="Empty SEND Partnership", slug="empty")
    settings.DIRECTORY_PARTNERSHIP = empty.slug
    for list_path in ("/services", "/service_at_locations"):
        body = get(client, list_path).json()
        valid(list_path, body)
        assert body["total_items"] == 0 and body["total_pages"] == 1
        assert body["first_page"] and body["last_page"] and body["empty"]
    taxonomies = get(client, "/taxonomies").json()
    assert [t["id"] for t in taxonomies["contents"]] == [str(world.needs.pk)]


def test_no_partnership_to_serve_is_a_404_with_cors(world, client, settings):
    settings.DIRECTORY_PARTNERSHIP = "nowhere"
    response = get(client, "/services")
    assert response.status_code == 404


def test_filtered_lists_validate_too(world, client):
    """The filters change which records come back, never their shape."""
    queries = [
        {"search": "autism"},
        {"taxonomy_term_id": str(world.autism.pk)},
        {"taxonomy_id": str(world.needs.pk)},
        {"minimum_age": "0", "maximum_age": "18"},
        {"postcode": "LN1 1YL"},
        {"postcode": "LN1 1YL", "proximity": "60000"},
        {"modified_after": "2000-01-01T00:00:00Z"},
        {"day": "SA", "start_time": "09:00", "end_time": "13:00"},
    ]
    for query in queries:
        for list_path in ("/services", "/service_at_locations"):
            walk(client, list_path, 1, **query)


def test_no_field_is_null_and_no_optional_field_is_empty(world, client):
    """Optional fields without a value are left out (the profile's rule), and the few
    required strings with no value are "" rather than null."""
    required = {"id", "name", "description", "status", "address_1", "city", "state_province",
                "postal_code", "country", "address_type", "location_type", "number",
                "identifier_type", "identifier"}  # fmt: skip

    def check(node: Any, where: str) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                assert value is not None, f"{where}.{key} is null"
                if value in ("", []) and key not in {"contents"}:
                    assert key in required, f"{where}.{key} is sent empty"
                check(value, f"{where}.{key}")
        elif isinstance(node, list):
            for n, value in enumerate(node):
                check(value, f"{where}[{n}]")

    for service in world.published:
        check(get(client, f"/services/{service.pk}").json(), str(service))
    for place in world.places.values():
        response = get(client, f"/service_at_locations/{place.pk}")
        if response.status_code == 200:
            check(response.json(), str(place))
    check(get(client, "/services").json(), "list")


def test_a_full_service_nests_every_table(world, client):
    body = get(client, f"/services/{world.speech_therapy.pk}").json()
    valid("/services/{id}", body)
    for key in ("organization", "service_at_locations", "schedules", "service_areas",
                "languages", "funding", "cost_options", "contacts", "attributes"):  # fmt: skip
        assert body.get(key), f"{key} missing"
    assert body["minimum_age"] == 0 and body["maximum_age"] == 18
    assert body["last_modified"].endswith("Z") and len(body["last_modified"]) == 24
    costs = {c["option"]: c for c in body["cost_options"]}
    assert costs["Private report"]["amount"] == 12.5 and costs["Everyone"]["amount"] == 0
    saturday = [s for s in body["schedules"] if s.get("byday") == "SA"]
    assert saturday and saturday[0]["service_at_location_id"] == str(world.places["slt-boston"].pk)
    assert saturday[0]["opens_at"] == "10:00:00"
    contact = body["contacts"][0]
    assert contact["phones"][0]["number"] == "01522 555000"
    assert contact["phones"][0]["languages"][0]["name"] == "Polish"
    term = body["attributes"][0]["taxonomy_term"]
    assert {"id", "name", "description", "taxonomy", "taxonomy_id"} <= set(term)
    location = body["service_at_locations"][0]["location"]
    assert location["addresses"][0]["postal_code"]
    # Everything in the answer is valid JSON numbers and strings, not Python reprs.
    assert "Decimal" not in json.dumps(body)


def test_the_formats_are_really_checked(world, client):
    """A bad uuid, uri, email or date-time fails validation: the checker is not a no-op."""
    body = get(client, f"/services/{world.speech_therapy.pk}").json()
    for key, bad in [("id", "42"), ("url", "not a uri"), ("email", "nobody"),
                     ("last_modified", "yesterday")]:  # fmt: skip
        broken = {**body, key: bad}
        problems = oruk_schema.errors(oruk_schema.response_validator("/services/{id}"), broken)
        assert problems, f"a bad {key} passed"


def test_list_items_from_light_records_equal_those_from_the_models(world):
    """The list pages render from `published_service_summaries`, not model instances: the
    JSON must be the same to the byte."""
    from inclusion.directory import selectors
    from inclusion.directory.oruk import render

    ids = [s.pk for s in world.published]
    light = selectors.published_service_summaries(world.partnership, ids)
    models = [selectors.published_services(world.partnership).get(pk=pk) for pk in ids]
    assert [render.service_summary(s) for s in light] == [render.service_summary(m) for m in models]
    assert [s.pk for s in light] == ids
