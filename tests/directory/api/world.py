"""A small Local Offer built through the directory's services, for the API and import tests.

Every kind of row the ORUK renderer writes is here at least once (a service with every
child table filled, one with almost nothing), beside rows the API must never publish (an
inactive service, another partnership's directory).
"""

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from inclusion.accounts.models import Partnership
from inclusion.directory import services as directory
from inclusion.directory.models import (
    Accessibility,
    Address,
    Contact,
    CostOption,
    Funding,
    Language,
    Location,
    Organization,
    OrganizationIdentifier,
    Phone,
    Schedule,
    Service,
    ServiceArea,
    ServiceAtLocation,
    Taxonomy,
    TaxonomyTerm,
)

VIA = "tests"


@dataclass
class World:
    partnership: Partnership
    needs: Taxonomy
    categories: Taxonomy
    autism: TaxonomyTerm
    speech: TaxonomyTerm
    hearing: TaxonomyTerm
    sen_support: TaxonomyTerm
    council: Organization
    charity: Organization
    speech_therapy: Service  # every table filled
    autism_hub: Service
    portage: Service
    forum: Service  # almost nothing but the required fields
    closed: Service  # inactive: never published
    lincoln: Location
    boston: Location
    grantham: Location
    online: Location
    places: dict[str, ServiceAtLocation] = field(default_factory=dict)
    others: dict[str, Any] = field(default_factory=dict)

    @property
    def published(self) -> list[Service]:
        return [self.speech_therapy, self.autism_hub, self.portage, self.forum]


def _add(model: type, **fields: Any) -> Any:
    return directory.record_create(model=model, via=VIA, **fields)


def _location(
    partnership: Partnership, name: str, postcode: str, lat: float, lon: float
) -> Location:
    location = directory.location_create(
        partnership=partnership,
        name=name,
        description=f"{name}, where families come for appointments.",
        latitude=lat,
        longitude=lon,
        external_identifier="10092008082",
        external_identifier_type="UPRN",
        via=VIA,
    )
    _add(
        Address,
        location=location,
        address_1=f"1 {name} Road",
        city=name.split()[0],
        state_province="Lincolnshire",
        postal_code=postcode,
        country="GB",
        address_type=Address.Type.PHYSICAL,
    )
    return location


def build_world(partnership: Partnership, other: Partnership | None = None) -> World:
    needs = directory.taxonomy_create(
        partnership=None,
        name="esd Needs",
        description="The LGA's list of needs",
        uri="http://id.esd.org.uk/list/needs",
        version="4.0",
        kind=Taxonomy.Kind.NEED,
        via=VIA,
    )
    autism = directory.taxonomy_term_create(
        taxonomy=needs,
        name="Autism",
        description="Autistic spectrum condition",
        code="4",
        term_uri="http://id.esd.org.uk/need/4",
        via=VIA,
    )
    speech = directory.taxonomy_term_create(
        taxonomy=needs, name="Speech, language and communication", code="9", via=VIA
    )
    hearing = directory.taxonomy_term_create(
        taxonomy=needs, name="Hearing impairment", code="5", parent=speech, via=VIA
    )
    categories = directory.taxonomy_create(
        partnership=partnership,
        name="SEND categories",
        description="",
        kind=Taxonomy.Kind.SEND_CATEGORY,
        via=VIA,
    )
    sen_support = directory.taxonomy_term_create(
        taxonomy=categories, name="SEN support", description="", via=VIA
    )

    council = directory.organization_create(
        partnership=partnership,
        name="Lincolnshire County Council",
        description="The local authority.",
        email="send@lincolnshire.gov.uk",
        website="https://www.lincolnshire.gov.uk",
        uri="https://www.lincolnshire.gov.uk",
        via=VIA,
    )
    _add(
        OrganizationIdentifier,
        organization=council,
        identifier_scheme="GB-LAE",
        identifier_type="Local authority code",
        identifier="LIN",
    )
    charity = directory.organization_create(
        partnership=partnership, name="Lincolnshire Parent Carer Forum", via=VIA
    )

    lincoln = _location(partnership, "Lincoln Children's Centre", "LN1 1YL", 53.2307, -0.5406)
    boston = _location(partnership, "Boston Health Clinic", "PE21 6QR", 52.9789, -0.0266)
    grantham = _location(partnership, "Grantham Hub", "NG31 6PZ", 52.9118, -0.6426)
    online = directory.location_create(
        partnership=partnership, location_type=Location.Type.VIRTUAL, name="Online", via=VIA
    )
    _add(
        Accessibility,
        location=lincoln,
        description="Step-free entrance and a hearing loop.",
        details="Ask at reception for the loop.",
        url="https://example.org/access",
        accessibility="Step-free entrance and a hearing loop.",
    )

    speech_therapy = directory.service_create(
        partnership=partnership,
        organization=council,
        name="Children's Speech and Language Therapy",
        description="Assessment and therapy for children with speech, language and communication needs.",
        url="https://www.lincolnshire.gov.uk/slt",
        email="slt@lincolnshire.gov.uk",
        fees="Free",
        accreditations="HCPC registered therapists",
        minimum_age=Decimal("0"),
        maximum_age=Decimal("18"),
        assured_date=dt.date(2025, 9, 1),
        assurer_email="assurer@lincolnshire.gov.uk",
        alert="Waiting times are about 12 weeks.",
        terms=[speech, sen_support],
        is_demo=True,
        via=VIA,
    )
    places = {
        "slt-lincoln": _add(ServiceAtLocation, service=speech_therapy, location=lincoln),
        "slt-boston": _add(ServiceAtLocation, service=speech_therapy, location=boston),
    }
    contact = _add(
        Contact,
        service=speech_therapy,
        name="Ann Persona",
        title="Team lead",
        email="ann@lincolnshire.gov.uk",
    )
    contact_phone = _add(Phone, contact=contact, number="01522 555000", description="Direct line")
    _add(Language, phone=contact_phone, name="Polish", code="pl")
    _add(Phone, service=speech_therapy, number="01522 555111")
    _add(
        Schedule,
        service=speech_therapy,
        freq=Schedule.Freq.WEEKLY,
        interval=1,
        byday="MO,TU,WE,TH,FR",
        opens_at=dt.time(9, 0),
        closes_at=dt.time(17, 0),
        valid_from=dt.date(2025, 1, 1),
        valid_to=dt.date(2026, 12, 31),
        dtstart=dt.date(2025, 1, 6),
        description="Weekdays 9am to 5pm",
        schedule_link="https://example.org/times",
        attending_type="In person or by video",
        notes="Closed on bank holidays",
    )
    _add(
        Schedule,
        service_at_location=places["slt-boston"],
        freq=Schedule.Freq.WEEKLY,
        byday="SA",
        opens_at=dt.time(10, 0),
        closes_at=dt.time(12, 0),
        description="Saturday drop-in at Boston",
    )
    _add(
        CostOption,
        service=speech_therapy,
        option="Everyone",
        amount=Decimal("0"),
        amount_description="Free",
        valid_from=dt.date(2025, 1, 1),
    )
    _add(CostOption, service=speech_therapy, option="Private report", amount=Decimal("12.50"))
    _add(
        ServiceArea,
        service=speech_therapy,
        name="Lincolnshire",
        service_area="Lincolnshire",
        extent_type="geojson",
        uri="http://statistics.data.gov.uk/id/statistical-geography/E10000019",
    )
    _add(Language, service=speech_therapy, name="English", code="en")
    _add(
        Language,
        service=speech_therapy,
        name="British Sign Language",
        code="bfi",
        note="On request",
    )
    _add(Funding, service=speech_therapy, source="NHS Lincolnshire ICB")

    autism_hub = directory.service_create(
        partnership=partnership,
        organization=council,
        name="Virtual Autism Hub",
        description="Online advice and workshops for families of autistic children.",
        url="https://www.lincolnshire.gov.uk/autism-hub",
        email="autismhub@lincolnshire.gov.uk",
        minimum_age=Decimal("5"),
        maximum_age=Decimal("25"),
        terms=[autism],
        via=VIA,
    )
    places["hub-online"] = _add(ServiceAtLocation, service=autism_hub, location=online)
    portage = directory.service_create(
        partnership=partnership,
        organization=council,
        name="Portage",
        description="Home visiting for pre-school children with SEND.",
        email="portage@lincolnshire.gov.uk",
        url="https://www.lincolnshire.gov.uk/portage",
        minimum_age=Decimal("0"),
        maximum_age=Decimal("5.5"),
        terms=[autism, hearing],
        via=VIA,
    )
    places["portage-grantham"] = _add(ServiceAtLocation, service=portage, location=grantham)
    forum = directory.service_create(
        partnership=partnership, organization=charity, name="Parent Carer Forum", via=VIA
    )
    closed = directory.service_create(
        partnership=partnership,
        organization=charity,
        name="Closed Autism Drop-in",
        description="No longer runs.",
        status=Service.Status.DEFUNCT,
        terms=[autism],
        via=VIA,
    )
    places["closed-lincoln"] = _add(ServiceAtLocation, service=closed, location=lincoln)

    world = World(
        partnership=partnership,
        needs=needs,
        categories=categories,
        autism=autism,
        speech=speech,
        hearing=hearing,
        sen_support=sen_support,
        council=council,
        charity=charity,
        speech_therapy=speech_therapy,
        autism_hub=autism_hub,
        portage=portage,
        forum=forum,
        closed=closed,
        lincoln=lincoln,
        boston=boston,
        grantham=grantham,
        online=online,
        places=places,
    )
    if other is not None:
        other_org = directory.organization_create(
            partnership=other, name="Elsewhere Council", via=VIA
        )
        other_tax = directory.taxonomy_create(
            partnership=other, name="Elsewhere categories", via=VIA
        )
        other_term = directory.taxonomy_term_create(
            taxonomy=other_tax, name="Elsewhere term", via=VIA
        )
        other_location = _location(other, "Elsewhere Centre", "LE15 6HP", 52.67, -0.73)
        other_service = directory.service_create(
            partnership=other,
            organization=other_org,
            name="Elsewhere Autism Service",
            description="Another partnership's autism service.",
            terms=[autism, other_term],
            via=VIA,
        )
        world.others = {
            "service": other_service,
            "taxonomy": other_tax,
            "term": other_term,
            "place": _add(ServiceAtLocation, service=other_service, location=other_location),
        }
    return world
