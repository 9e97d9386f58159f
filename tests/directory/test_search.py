"""The Local Offer's one search: words, needs, ages, distance, and the index kept current."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine

from inclusion.directory import services as directory
from inclusion.directory.models import Service, ServiceAtLocation, Taxonomy
from inclusion.directory.postcodes import distance_m, postcode_place
from inclusion.directory.search import (
    SearchError,
    rebuild_search_index,
    search_services,
    search_words,
)
from tests.factories import PartnershipFactory

pytestmark = pytest.mark.django_db

# Town centres (WGS84) of the places the services are at.
LINCOLN = (53.2307, -0.5406)
BOSTON = (52.9789, -0.0266)
GRANTHAM = (52.9118, -0.6420)
SKEGNESS = (53.1436, 0.3364)


@pytest.fixture
def world(partnership):
    """A small Local Offer: tagged services at known places, plus ones that must never show."""
    needs = directory.taxonomy_create(
        partnership=partnership, name="Needs", kind=Taxonomy.Kind.NEED
    )
    communication = directory.taxonomy_term_create(
        taxonomy=needs, name="Communication and interaction"
    )
    slcn = directory.taxonomy_term_create(
        taxonomy=needs, name="Speech, language and communication needs", parent=communication
    )
    autism = directory.taxonomy_term_create(taxonomy=needs, name="Autism")
    sensory = directory.taxonomy_term_create(taxonomy=needs, name="Sensory processing")
    nhs = directory.organization_create(
        partnership=partnership, name="Lincolnshire Community Health Services NHS Trust"
    )
    council = directory.organization_create(
        partnership=partnership, name="Lincolnshire County Council"
    )

    def service(name, org, terms, places=(), **fields):
        made = directory.service_create(
            partnership=partnership, organization=org, name=name, terms=terms, **fields
        )
        for place_name, (lat, lon) in places:
            location = directory.location_create(
                partnership=partnership, name=place_name, latitude=lat, longitude=lon
            )
            directory.record_create(model=ServiceAtLocation, service=made, location=location)
        return made

    made = {
        "salt": service(
            "Children's speech and language therapy",
            nhs,
            [slcn],
            [("Lincoln clinic", LINCOLN)],
            description="Assessment and therapy for children who find talking hard.",
            minimum_age=0,
            maximum_age=19,
        ),
        "hub": service(
            "Virtual autism hub",
            council,
            [autism],
            description="Autism navigators give advice by phone and online to autistic people of all ages.",
        ),
        "sensory": service(
            "Sensory processing workshops",
            nhs,
            [sensory, autism],
            [("Boston library", BOSTON), ("Skegness family hub", SKEGNESS)],
            description="Online and in-person workshops for parents of children with sensory processing difficulties.",
            minimum_age=2,
            maximum_age=11,
        ),
        "portage": service(
            "Early learning and portage",
            council,
            [communication],
            [("Grantham family hub", GRANTHAM)],
            description="Home visits to play and learn with young children with SEND.",
            minimum_age=0,
            maximum_age=5,
        ),
        "closed": service(
            "Autism drop-in (closed)",
            council,
            [autism],
            [("Lincoln old site", LINCOLN)],
            status=Service.Status.DEFUNCT,
        ),
    }
    elsewhere = PartnershipFactory(name="Elsewhere SEND Partnership", slug="elsewhere")
    other_org = directory.organization_create(partnership=elsewhere, name="Elsewhere Council")
    made["elsewhere"] = directory.service_create(
        partnership=elsewhere, organization=other_org, name="Elsewhere autism hub"
    )
    made["terms"] = {
        "slcn": slcn,
        "communication": communication,
        "autism": autism,
        "sensory": sensory,
    }
    made["needs"] = needs
    return made


def names(world, result):
    by_id = {s.pk: key for key, s in world.items() if isinstance(s, Service)}
    return [by_id[i] for i in result.ids]


# ------------------------------------------------------------------ needs


def test_a_need_term_finds_exactly_the_active_services_tagged_with_it(world, partnership):
    result = search_services(
        partnership=partnership, taxonomy_term_ids=[world["terms"]["autism"].pk]
    )

    assert sorted(names(world, result)) == ["hub", "sensory"]
    assert result.total == 2


def test_a_broad_need_finds_the_services_tagged_with_a_narrower_one(world, partnership):
    result = search_services(
        partnership=partnership, taxonomy_term_ids=[world["terms"]["communication"].pk]
    )

    assert sorted(names(world, result)) == ["portage", "salt"]


def test_two_terms_need_both(world, partnership):
    terms = world["terms"]
    result = search_services(
        partnership=partnership, taxonomy_term_ids=[terms["autism"].pk, terms["sensory"].pk]
    )

    assert names(world, result) == ["sensory"]


def test_a_taxonomy_finds_services_with_any_of_its_terms(world, partnership):
    result = search_services(partnership=partnership, taxonomy_id=world["needs"].pk)

    assert sorted(names(world, result)) == ["hub", "portage", "salt", "sensory"]


def test_a_term_id_that_is_not_an_id_is_a_clear_error(world, partnership):
    with pytest.raises(SearchError, match="not an id") as caught:
        search_services(partnership=partnership, taxonomy_term_ids=["speech"])
    assert caught.value.field == "taxonomy_term_id"


# ------------------------------------------------------------------ ages


def test_the_age_filter_excludes_services_outside_the_age_asked_for(world, partnership):
    """A 15-year-old: not portage (0-5) or the workshops (2-11); open-ended services stay."""
    result = search_services(partnership=partnership, minimum_age=15, maximum_age=15)

    assert sorted(names(world, result)) == ["hub", "salt"]


def test_an_age_range_finds_services_overlapping_it(world, partnership):
    result = search_services(partnership=partnership, minimum_age=12, maximum_age=25)

    assert sorted(names(world, result)) == ["hub", "salt"]
    result = search_services(partnership=partnership, maximum_age=1)
    assert sorted(names(world, result)) == ["hub", "portage", "salt"]


def test_within_mode_reads_open_referral_uks_wording(world, partnership):
    """'a minimum age of at least' and 'a maximum age equal to or below' the values given."""
    result = search_services(
        partnership=partnership, minimum_age=0, maximum_age=11, age_mode="within"
    )

    assert sorted(names(world, result)) == ["portage", "sensory"]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"minimum_age": "seven"}, "minimum_age must be a number"),
        ({"minimum_age": -1}, "minimum_age must be between 0 and 150"),
        ({"minimum_age": 10, "maximum_age": 5}, "minimum age must be the same as or less"),
    ],
)
def test_a_bad_age_is_a_clear_error(world, partnership, kwargs, message):
    with pytest.raises(SearchError, match=message):
        search_services(partnership=partnership, **kwargs)


# ------------------------------------------------------------------ distance


def test_postcode_distance_orders_results_nearest_first(world, partnership):
    """From Boston: the workshops (in Boston) first, then Grantham (42 km) before Lincoln
    (44 km); the online hub, with no location, last. The order and the distances agree
    with great-circle distances."""
    result = search_services(partnership=partnership, postcode="PE21 6XX")

    assert names(world, result) == ["sensory", "portage", "salt", "hub"]
    place = postcode_place("PE21 6XX")
    located = [i for i in result.ids if i in result.distances]
    exact = [
        min(
            distance_m(
                place.latitude, place.longitude, sal.location.latitude, sal.location.longitude
            )
            for sal in ServiceAtLocation.objects.filter(service_id=i).select_related("location")
        )
        for i in located
    ]
    assert exact == sorted(exact)
    for service_id, metres in zip(located, exact, strict=True):
        assert result.distances[service_id] == pytest.approx(metres, rel=0.01)
    assert world["hub"].pk not in result.distances


def test_from_lincoln_the_lincoln_service_comes_first(world, partnership):
    result = search_services(partnership=partnership, postcode="ln1 1yl")

    assert names(world, result)[:3] == ["salt", "portage", "sensory"]
    assert result.place.postcode == "LN1 1YL"


def test_a_service_is_as_near_as_its_nearest_location(world, partnership):
    """The workshops run in Boston and Skegness: from Skegness, they are the nearest."""
    result = search_services(partnership=partnership, latitude=SKEGNESS[0], longitude=SKEGNESS[1])

    assert names(world, result)[0] == "sensory"
    assert result.distances[world["sensory"].pk] < 100


def test_proximity_keeps_only_services_that_near(world, partnership):
    result = search_services(partnership=partnership, postcode="PE21 6XX", proximity=40_000)

    assert names(world, result) == ["sensory"]
    wider = search_services(partnership=partnership, postcode="PE21 6XX", proximity=60_000)
    assert names(world, wider) == ["sensory", "portage", "salt"]


@pytest.mark.parametrize(
    ("postcode", "message"),
    [
        ("not a postcode", "Enter a real postcode, like LN1 1YL"),
        ("BT1 1AA", "We could not find the postcode BT1 1AA"),
    ],
)
def test_a_bad_postcode_is_a_clear_error_naming_the_field(world, partnership, postcode, message):
    with pytest.raises(SearchError, match=message) as caught:
        search_services(partnership=partnership, postcode=postcode)
    assert caught.value.field == "postcode"


def test_proximity_needs_a_place(world, partnership):
    with pytest.raises(SearchError, match="Give a postcode"):
        search_services(partnership=partnership, proximity=1000)


# ------------------------------------------------------------------ words


def test_words_find_services_by_name_and_description(world, partnership):
    result = search_services(partnership=partnership, text="speech therapy")

    assert names(world, result) == ["salt"]


def test_words_match_as_prefixes_and_stems(world, partnership):
    """ "autis" finds autism; "workshop" finds workshops; "therapies" finds therapy."""
    assert sorted(names(world, search_services(partnership=partnership, text="autis"))) == [
        "hub",
        "sensory",
    ]
    assert names(world, search_services(partnership=partnership, text="workshop")) == ["sensory"]
    assert names(world, search_services(partnership=partnership, text="therapies")) == ["salt"]


def test_a_word_in_the_name_ranks_above_a_word_in_the_description(world, partnership):
    """Both mention autism; the hub has it in its name."""
    result = search_services(partnership=partnership, text="autism")

    assert names(world, result) == ["hub", "sensory"]


def test_when_no_service_has_every_word_services_with_some_are_shown(world, partnership):
    result = search_services(partnership=partnership, text="speech therapy grandparents")

    assert not result.matched_all_words
    assert names(world, result)[0] == "salt"


def test_stop_words_are_ignored(world, partnership):
    assert search_words("Services for my son with autism, please!") == ["son", "autism"]
    result = search_services(partnership=partnership, text="help with speech")
    assert names(world, result) == ["salt"]
    assert result.matched_all_words


def test_search_syntax_in_the_words_is_plain_text(world, partnership):
    result = search_services(partnership=partnership, text='"speech" OR NEAR(* -) ^autism')

    assert result.total >= 1


def test_words_and_distance_together_order_by_distance(world, partnership):
    result = search_services(partnership=partnership, text="autism", postcode="PE21 6XX")

    assert names(world, result) == ["sensory", "hub"]


# ------------------------------------------------------------------ scope and index


def test_only_the_partnerships_active_services_are_found(world, partnership):
    everything = search_services(partnership=partnership)

    assert sorted(names(world, everything)) == ["hub", "portage", "salt", "sensory"]
    assert "closed" not in names(world, search_services(partnership=partnership, text="autism"))


def test_the_index_follows_renames_and_deletes(world, partnership):
    salt = world["salt"]
    directory.service_update(
        service=salt, name="Talking and listening clinic", description="For children."
    )

    assert names(world, search_services(partnership=partnership, text="listening")) == ["salt"]
    assert search_services(partnership=partnership, text="hard").ids == []  # the old description
    Service.objects.filter(pk=world["hub"].pk).delete()
    assert search_services(partnership=partnership, text="navigators").ids == []


def test_rebuilding_the_index_finds_the_same(world, partnership):
    before = search_services(partnership=partnership, text="autism").ids

    count = rebuild_search_index()

    assert count == Service.objects.count()
    assert search_services(partnership=partnership, text="autism").ids == before


def test_modified_after_keeps_services_changed_since(world, partnership):
    with time_machine.travel(dt.datetime(2030, 1, 2, 9, tzinfo=dt.UTC)):
        directory.service_update(service=world["portage"], description="New home visit times.")

    result = search_services(
        partnership=partnership, modified_after=dt.datetime(2030, 1, 1, tzinfo=dt.UTC)
    )

    assert names(world, result) == ["portage"]


def test_a_page_of_results_keeps_the_total(world, partnership):
    everything = search_services(partnership=partnership)
    page = search_services(partnership=partnership, offset=2, limit=2)
    past_the_end = search_services(partnership=partnership, offset=40, limit=2)

    assert page.ids == everything.ids[2:4]
    assert page.total == everything.total == 4
    assert past_the_end.ids == [] and past_the_end.total == 4


def test_ages_stored_as_fractions_compare_as_numbers(world, partnership):
    directory.service_update(service=world["portage"], maximum_age=Decimal("4.5"))

    assert "portage" in names(
        world, search_services(partnership=partnership, minimum_age=4, maximum_age=4)
    )
    assert "portage" not in names(
        world, search_services(partnership=partnership, minimum_age=4.75, maximum_age=4.75)
    )


def test_the_full_text_search_uses_the_index(world, partnership):
    """SQLite: the FTS5 table answers the words. PostgreSQL: the words' condition, written
    as the search writes it, can use the GIN expression index (an expression that differs
    from the index's by a cast could not, and every search would read every row)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from inclusion.directory.search import _pg_vector

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute(
                f"EXPLAIN SELECT s.id FROM directory_service s "
                f"WHERE {_pg_vector('s')} @@ to_tsquery('english'::regconfig, %s)",
                ["speech:*"],
            )
            plan = " ".join(str(row) for row in cursor.fetchall())
            assert "directory_service_fulltext" in plan, plan
            return
        with CaptureQueriesContext(connection) as queries:
            search_services(partnership=partnership, text="speech therapy")
        cursor.execute("EXPLAIN QUERY PLAN " + queries.captured_queries[-1]["sql"])
        plan = " ".join(str(row) for row in cursor.fetchall())
    assert "VIRTUAL TABLE" in plan and "directory_service_fts" in plan, plan
