"""A small Local Offer for the page and booklet tests: built with the directory's own services."""

import datetime as dt
from dataclasses import dataclass
from typing import Any

from inclusion.accounts.models import Organisation, Role
from inclusion.directory import services as directory
from inclusion.directory.models import (
    CostOption,
    Phone,
    Schedule,
    Service,
    ServiceAtLocation,
    Taxonomy,
)
from tests.factories import OrganisationFactory, UserFactory


@dataclass
class World:
    partnership: Any
    salt: Service
    hub: Service
    workshops: Service
    closed: Service
    autism: Any
    slcn: Any
    health: Any
    advice: Any
    provider_user: Any
    provider_viewer: Any


def make_world(partnership: Any, council: Any) -> World:
    needs = directory.taxonomy_create(
        partnership=partnership, name="Needs", kind=Taxonomy.Kind.NEED
    )
    categories = directory.taxonomy_create(
        partnership=partnership, name="Categories", kind=Taxonomy.Kind.SEND_CATEGORY
    )
    autism = directory.taxonomy_term_create(taxonomy=needs, name="Autism")
    slcn = directory.taxonomy_term_create(
        taxonomy=needs, name="Speech, language and communication needs"
    )
    health = directory.taxonomy_term_create(taxonomy=categories, name="Health and therapies")
    advice = directory.taxonomy_term_create(taxonomy=categories, name="Advice and support")

    trust = OrganisationFactory(
        partnership=partnership,
        name="Lincolnshire Community Health Services NHS Trust",
        kind=Organisation.Kind.NHS_TRUST,
    )
    provider_user = UserFactory(username="provider", organisation=trust, role=Role.ACTION_LEAD)
    provider_viewer = UserFactory(username="provider-viewer", organisation=trust, role=Role.VIEWER)
    lchs = directory.organization_create(
        partnership=partnership, name="LCHS children's services", account_organisation=trust
    )
    lcc = directory.organization_create(partnership=partnership, name="Lincolnshire County Council")
    lincoln = directory.location_create(
        partnership=partnership, name="Lincoln clinic", latitude=53.2341, longitude=-0.5498
    )
    boston = directory.location_create(
        partnership=partnership, name="Boston clinic", latitude=52.9773, longitude=-0.0210
    )

    salt = directory.service_create(
        partnership=partnership,
        organization=lchs,
        name="Children's speech and language therapy",
        description="Help for children who find talking hard.\n\nAsk your GP or school to refer.",
        url="https://lchs.example/salt",
        email="salt@lchs.example",
        minimum_age=0,
        maximum_age=19,
        assured_date=dt.date.today() - dt.timedelta(days=30),
        terms=[slcn, health],
    )
    directory.record_create(model=ServiceAtLocation, service=salt, location=lincoln)
    directory.record_create(model=Phone, service=salt, number="01632 960101")
    directory.record_create(
        model=Schedule,
        service=salt,
        freq="WEEKLY",
        byday="MO,TU,WE,TH,FR",
        opens_at=dt.time(8, 30),
        closes_at=dt.time(16, 30),
    )
    directory.record_create(model=CostOption, service=salt, amount=0)
    hub = directory.service_create(
        partnership=partnership,
        organization=lcc,
        name="Virtual autism hub",
        description="Advice by phone and online for autistic people of all ages.",
        url="https://lcc.example/hub",
        email="hub@lcc.example",
        assured_date=dt.date.today() - dt.timedelta(days=800),
        terms=[autism, advice],
    )
    workshops = directory.service_create(
        partnership=partnership,
        organization=lchs,
        name="Sensory processing workshops",
        description="Workshops for parents of autistic children.",
        url="https://lchs.example/sensory",
        email="sensory@lchs.example",
        minimum_age=2,
        maximum_age=11,
        terms=[autism, health],
    )
    directory.record_create(model=ServiceAtLocation, service=workshops, location=boston)
    closed = directory.service_create(
        partnership=partnership,
        organization=lcc,
        name="Closed autism drop-in",
        description="No longer running.",
        status=Service.Status.DEFUNCT,
        terms=[autism],
    )
    return World(
        partnership,
        salt,
        hub,
        workshops,
        closed,
        autism,
        slcn,
        health,
        advice,
        provider_user,
        provider_viewer,
    )
