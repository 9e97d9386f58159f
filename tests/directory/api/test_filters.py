"""The API's filters find the right services, through the one search of the site and the API."""

import datetime as dt

import pytest
import time_machine

from inclusion.directory import services as directory

pytestmark = pytest.mark.django_db


def names(client, path="/services", **params):
    response = client.get(f"/api/oruk{path}", {"per_page": 200, **params})
    assert response.status_code == 200, response.content
    contents = response.json()["contents"]
    if path == "/services":
        return [item["name"] for item in contents]
    return [(item["service"]["name"], item["location"].get("name", "")) for item in contents]


def test_a_need_term_finds_the_services_tagged_with_it_or_a_narrower_term(world, client):
    assert set(names(client, taxonomy_term_id=str(world.autism.pk))) == {
        "Virtual Autism Hub",
        "Portage",
    }
    # Portage is tagged with hearing impairment, a narrower term of speech and language.
    assert set(names(client, taxonomy_term_id=str(world.speech.pk))) == {
        "Children's Speech and Language Therapy",
        "Portage",
    }
    both = f"{world.autism.pk},{world.hearing.pk}"
    assert names(client, taxonomy_term_id=both) == ["Portage"]


def test_a_taxonomy_finds_services_with_any_of_its_terms(world, client):
    assert names(client, taxonomy_id=str(world.categories.pk)) == [
        "Children's Speech and Language Therapy"
    ]


def test_ages_follow_the_profiles_wording(world, client):
    """minimum_age: a minimum age of at least it; maximum_age: a maximum age at or below it."""
    assert set(names(client, minimum_age=5)) == {"Virtual Autism Hub"}
    assert set(names(client, maximum_age=6)) == {"Portage"}
    assert names(client, minimum_age=0, maximum_age=18) == [
        "Children's Speech and Language Therapy",
        "Portage",
    ]


def test_words_find_the_services_that_mention_them(world, client):
    assert set(names(client, search="autism")) == {"Virtual Autism Hub", "Portage"}
    assert names(client, search="speech therapy")[0] == "Children's Speech and Language Therapy"
    assert "Closed Autism Drop-in" not in names(client, search="drop-in")


def test_places_come_nearest_first_from_a_postcode_and_proximity_cuts_them(world, client):
    from_grantham = names(client, "/service_at_locations", postcode="NG31 6PZ")
    assert [place for _service, place in from_grantham[:3]] == [
        "Grantham Hub",
        "Lincoln Children's Centre",
        "Boston Health Clinic",
    ]
    assert from_grantham[-1][1] == "Online"  # no coordinates: last
    near = names(client, "/service_at_locations", postcode="NG31 6PZ", proximity=10000)
    assert near == [("Portage", "Grantham Hub")]
    services = names(client, postcode="NG31 6PZ")
    assert services[0] == "Portage"


def test_modified_after_finds_what_changed_since(world, client):
    with time_machine.travel(dt.datetime(2031, 5, 1, 12, tzinfo=dt.UTC), tick=False):
        directory.service_update(service=world.forum, alert="New meeting dates")
    assert names(client, modified_after="2031-05-01T00:00:00Z") == ["Parent Carer Forum"]
    assert names(client, modified_after="2031-05-01T12:00:00.001Z") == []
    assert names(client, modified_after="2031-05-01") == ["Parent Carer Forum"]


def test_opening_days_and_hours_filter_on_schedules(world, client):
    assert names(client, day="SA") == ["Children's Speech and Language Therapy"]
    assert names(client, day="SU") == []
    assert names(client, start_time="09:00", end_time="17:00") == [
        "Children's Speech and Language Therapy"
    ]
    assert names(client, start_time="09:30") == ["Children's Speech and Language Therapy"]


def test_pages_of_a_filtered_list_follow_the_search_order(world, client):
    everything = names(client, postcode="NG31 6PZ")
    paged = []
    for page in (1, 2, 3, 4):
        body = client.get(
            "/api/oruk/services", {"postcode": "NG31 6PZ", "per_page": 1, "page": page}
        ).json()
        paged += [item["name"] for item in body["contents"]]
        assert body["total_items"] == len(everything)
    assert paged == everything


def test_a_kept_answer_follows_every_change_to_the_directory(world, client, settings):
    """Lists are kept in memory per directory version: a change is seen at once."""
    settings.DIRECTORY_API_CACHE_SIZE = 16
    assert "Portage" in names(client, search="portage")
    directory.service_update(service=world.portage, name="Portage home visiting")
    assert names(client, search="portage") == ["Portage home visiting"]
    directory.service_update(service=world.portage, status="temporarily closed")
    assert names(client, search="portage") == []
    directory.location_update(location=world.lincoln, name="Lincoln Family Hub")
    places = names(client, "/service_at_locations")
    assert ("Children's Speech and Language Therapy", "Lincoln Family Hub") in places
