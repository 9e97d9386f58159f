"""The demo Local Offer: realistic, marked as demo, usable by DfE's rules, and idempotent."""

import io
import uuid
from urllib.parse import urlparse

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.validators import EmailValidator, URLValidator

from inclusion.core.models import AuditLog
from inclusion.directory import demo
from inclusion.directory.models import (
    Feedback,
    Location,
    Organization,
    Service,
    ServiceChange,
    Taxonomy,
)
from inclusion.directory.postcodes import postcode_place
from inclusion.directory.search import search_services

pytestmark = pytest.mark.django_db

# Lincolnshire, generously: every demo place must be inside it.
LINCOLNSHIRE_BOX = {"lat": (52.6, 53.65), "lon": (-0.85, 0.4)}


@pytest.fixture
def loaded():
    call_command("load_demo", stdout=io.StringIO())
    return Service.objects.filter(partnership__slug="lincolnshire")


def test_the_demo_names_the_services_the_seed_documents_name(loaded):
    names = " ".join(loaded.values_list("name", flat=True)).lower()

    for wanted in (
        "speech and language therapy",
        "occupational therapy advice line",
        "virtual autism hub",
        "kooth",
        "mental health access team",
        "portage",
        "health visiting",
        "special school",
        "send hub",
        "parent carer forum",
        "sensory processing workshops",
        "eclips",
    ):
        assert wanted in names, wanted
    assert loaded.count() >= 25


def test_every_demo_service_meets_dfe_family_hubs_usable_service_rules(loaded):
    """A UUID id, status active, a name and a description, a URL that parses, an
    organisation with an id and a name, an email."""
    urls, emails = URLValidator(), EmailValidator()
    problems = []
    for service in loaded.select_related("organization"):
        try:
            assert isinstance(service.pk, uuid.UUID)
            assert service.status == Service.Status.ACTIVE
            assert service.name.strip() and service.description.strip()
            urls(service.url)
            assert urlparse(service.url).scheme == "https" and urlparse(service.url).netloc
            assert service.organization.pk and service.organization.name.strip()
            emails(service.email)
        except (AssertionError, ValidationError) as error:
            problems.append(f"{service.name}: {error!r}")

    assert not problems, problems


def test_every_demo_record_is_marked_as_demo(loaded):
    assert not loaded.filter(is_demo=False).exists()
    assert not Organization.objects.filter(partnership__slug="lincolnshire", is_demo=False).exists()
    assert not Location.objects.filter(partnership__slug="lincolnshire", is_demo=False).exists()
    assert not Taxonomy.objects.filter(partnership__slug="lincolnshire", is_demo=False).exists()


def test_every_demo_place_is_in_lincolnshire_at_its_postcode(loaded):
    for location in Location.objects.filter(partnership__slug="lincolnshire").prefetch_related(
        "addresses"
    ):
        address = location.addresses.get()
        place = postcode_place(address.postal_code, units=False)
        assert (location.latitude, location.longitude) == (place.latitude, place.longitude)
        assert LINCOLNSHIRE_BOX["lat"][0] < location.latitude < LINCOLNSHIRE_BOX["lat"][1]
        assert LINCOLNSHIRE_BOX["lon"][0] < location.longitude < LINCOLNSHIRE_BOX["lon"][1]


def test_distance_works_on_the_demo_with_no_internet(loaded):
    """From a Skegness postcode the services at the Skegness family hub come first."""
    partnership = loaded.first().partnership
    result = search_services(partnership=partnership, postcode="PE25 3AA")

    first = Service.objects.get(pk=result.ids[0])
    assert first.service_at_locations.filter(location__name="Skegness family hub").exists()
    assert result.distances[result.ids[0]] < 2_000


def test_the_demo_has_something_for_every_editors_page(loaded):
    assert ServiceChange.objects.filter(status=ServiceChange.Status.PENDING).count() == 1
    assert Feedback.objects.filter(status=Feedback.Status.NEW).count() == 2
    assert loaded.filter(organization__account_organisation__isnull=False).exists()
    overdue = [s.name for s in loaded if s.assured_date.year < 2026]
    assert overdue, "the demo shows the 12-month assurance flag"


def test_a_second_load_changes_and_audits_nothing(loaded):
    audit_rows = AuditLog.objects.count()
    stamps = dict(loaded.values_list("pk", "last_modified"))

    call_command("load_demo", stdout=io.StringIO())

    assert AuditLog.objects.count() == audit_rows
    assert dict(loaded.values_list("pk", "last_modified")) == stamps


def test_the_local_offer_loader_is_quick(db, django_assert_max_num_queries):
    """The route-walking tests load the demo for every test: a few hundred queries the first
    time (about half a second), a query per model when everything is there."""
    call_command("load_demo", stdout=io.StringIO())  # the other apps' demo first
    for model in (Feedback, ServiceChange, Service, Location, Organization, Taxonomy):
        model.objects.all().delete()

    with django_assert_max_num_queries(600):
        demo.load_local_offer()
    with django_assert_max_num_queries(20):
        demo.load_local_offer()
    assert Service.objects.count() >= 25
