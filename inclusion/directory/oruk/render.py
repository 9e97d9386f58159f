"""Directory records as Open Referral UK 3.0 JSON (HSDS UK profile 3.0).

Shapes follow the profile's compiled schemas (`schema/compiled/` in
`../shared/data/oruk-uk-profile-3.0/`): a list item is the record's one-to-one fields
(`service_list.json`, `service_at_location_list.json`), a record by id is fully nested
(`service.json`, `service_at_location.json`). Rules (NOTICE.md, docs/directory/oruk.md):

- ids are the records' UUIDs, as strings;
- an optional field with no value is left out, never sent as null or "" (a required one
  is always sent, as "" when the record has no text for it);
- numbers are JSON numbers (an age of 5 is `5`, 1.5 is `1.5`), dates `YYYY-MM-DD`,
  times `HH:MM:SS`, `last_modified` UTC to the millisecond with a `Z`;
- where the UK profile's tables have only ids (languages) or drop a core HSDS 3.0
  field (contact and service phones, contact email), the HSDS 3.0 field is added: the
  profile's schemas allow additional properties (docs/adr/0020).

Callers pass records fetched with `selectors.with_full_record` (and the list selectors),
so rendering makes no queries of its own.
"""

import datetime as dt
from decimal import Decimal
from typing import Any

from inclusion.directory.models import (
    Accessibility,
    Address,
    Attribute,
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

JSON = dict[str, Any]


def _number(value: Decimal | float | int) -> int | float:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def _value(value: Any) -> Any:
    if isinstance(value, Decimal | float) and not isinstance(value, bool):
        return _number(value)
    if isinstance(value, dt.datetime):
        return timestamp(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dt.time):
        return value.strftime("%H:%M:%S")
    return value


def timestamp(value: dt.datetime) -> str:
    """HSDS `last_modified`: UTC, millisecond accuracy ("2023-03-15T10:30:45.123Z")."""
    return value.astimezone(dt.UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _obj(required: tuple[str, ...] = ("id",), /, **fields: Any) -> JSON:
    """A JSON object in the order given: `required` keys always (None as ""), the others
    only when they have a value."""
    out: JSON = {}
    for key, value in fields.items():
        if key in required:
            out[key] = "" if value is None else _value(value)
        elif not (value is None or value == "" or value == []):
            out[key] = _value(value)
    return out


def _id(value: Any) -> str | None:
    return None if value is None else str(value)


# ------------------------------------------------------------------ taxonomy


def taxonomy_term(term: TaxonomyTerm) -> JSON:
    return _obj(
        ("id", "name", "description"),
        id=_id(term.pk),
        name=term.name,
        description=term.description,
        parent_id=_id(term.parent_id),
        taxonomy=term.taxonomy.name,
        taxonomy_id=_id(term.taxonomy_id),
        term_uri=term.term_uri,
        term=term.code,
    )


def taxonomy(tax: Taxonomy, terms: list[TaxonomyTerm] | None = None) -> JSON:
    """A taxonomy; with `terms` (the full record) its terms nested as `taxonomy_terms`."""
    return _obj(
        ("id", "name", "description"),
        id=_id(tax.pk),
        name=tax.name,
        description=tax.description,
        uri=tax.uri,
        version=tax.version,
        taxonomy_terms=[taxonomy_term(t) for t in terms] if terms else None,
    )


def attribute(attr: Attribute) -> JSON:
    return _obj(
        ("id",),
        id=_id(attr.pk),
        link_id=_id(attr.service_id),
        link_type=attr.link_type,
        taxonomy_term_id=_id(attr.taxonomy_term_id),
        taxonomy_term=taxonomy_term(attr.taxonomy_term),
    )


# ------------------------------------------------------------------ organisations


def organization_summary(org: Organization) -> JSON:
    """The organisation's one-to-one fields (as nested in a service list item)."""
    return _obj(
        ("id", "name", "description"),
        id=_id(org.pk),
        name=org.name,
        description=org.description,
        email=org.email,
        website=org.website,
        logo=org.logo,
        uri=org.uri,
        parent_organization_id=_id(org.parent_id),
    )


def organization_identifier(ident: OrganizationIdentifier) -> JSON:
    return _obj(
        ("id", "identifier_type", "identifier"),
        id=_id(ident.pk),
        identifier_type=ident.identifier_type,
        identifier=ident.identifier,
        identifier_scheme=ident.identifier_scheme,
    )


def organization_full(org: Organization) -> JSON:
    return {
        **organization_summary(org),
        **_obj(
            organization_identifiers=[organization_identifier(i) for i in org.identifiers.all()]
        ),
    }


# ------------------------------------------------------------------ locations


def address(addr: Address) -> JSON:
    return _obj(
        ("id", "address_1", "city", "state_province", "postal_code", "country", "address_type"),
        id=_id(addr.pk),
        address_1=addr.address_1,
        city=addr.city,
        state_province=addr.state_province,
        postal_code=addr.postal_code,
        country=addr.country,
        address_type=addr.address_type,
        attention=addr.attention,
        region=addr.region,
    )


def accessibility(acc: Accessibility) -> JSON:
    return _obj(
        ("id",),
        id=_id(acc.pk),
        description=acc.description,
        details=acc.details,
        url=acc.url,
        accessibility=acc.accessibility,
    )


def location_summary(loc: Location) -> JSON:
    return _obj(
        ("id", "location_type"),
        id=_id(loc.pk),
        location_type=loc.location_type,
        name=loc.name,
        description=loc.description,
        latitude=loc.latitude,
        longitude=loc.longitude,
        external_identifier=loc.external_identifier,
        external_identifier_type=loc.external_identifier_type,
    )


def location_full(loc: Location) -> JSON:
    return {
        **location_summary(loc),
        **_obj(
            addresses=[address(a) for a in loc.addresses.all()],
            accessibility=[accessibility(a) for a in loc.accessibility.all()],
        ),
    }


# ------------------------------------------------------------------ a service's rows


def schedule(sch: Schedule) -> JSON:
    return _obj(
        ("id",),
        id=_id(sch.pk),
        service_id=_id(sch.service_id),
        service_at_location_id=_id(sch.service_at_location_id),
        valid_from=sch.valid_from,
        valid_to=sch.valid_to,
        dtstart=sch.dtstart,
        freq=sch.freq,
        interval=sch.interval,
        byday=sch.byday,
        bymonthday=sch.bymonthday,
        description=sch.description,
        opens_at=sch.opens_at,
        closes_at=sch.closes_at,
        schedule_link=sch.schedule_link,
        attending_type=sch.attending_type,
        notes=sch.notes,
    )


def service_area(area: ServiceArea) -> JSON:
    return _obj(
        ("id",),
        id=_id(area.pk),
        name=area.name,
        service_area=area.service_area,
        extent=area.extent,
        extent_type=area.extent_type,
        uri=area.uri,
    )


def language(lang: Language) -> JSON:
    return _obj(id=_id(lang.pk), name=lang.name, code=lang.code, note=lang.note)


def phone(ph: Phone) -> JSON:
    return _obj(
        ("id", "number"),
        id=_id(ph.pk),
        number=ph.number,
        description=ph.description,
        languages=[language(lang) for lang in ph.languages.all()],
    )


def contact(con: Contact) -> JSON:
    return _obj(
        ("id",),
        id=_id(con.pk),
        name=con.name,
        title=con.title,
        email=con.email,
        phones=[phone(p) for p in con.phones.all()],
    )


def cost_option(cost: CostOption) -> JSON:
    return _obj(
        ("id",),
        id=_id(cost.pk),
        valid_from=cost.valid_from,
        valid_to=cost.valid_to,
        option=cost.option,
        amount=cost.amount,
        amount_description=cost.amount_description,
    )


def funding(fund: Funding) -> JSON:
    return _obj(id=_id(fund.pk), source=fund.source)


# ------------------------------------------------------------------ services


def service_summary(service: Service) -> JSON:
    """A service list item (`compiled/service_list.json`): one-to-one fields and its organisation."""
    return _obj(
        ("id", "name", "status"),
        id=_id(service.pk),
        organization_id=_id(service.organization_id),
        name=service.name,
        description=service.description,
        url=service.url,
        email=service.email,
        status=service.status,
        fees=service.fees,
        accreditations=service.accreditations,
        minimum_age=service.minimum_age,
        maximum_age=service.maximum_age,
        assured_date=service.assured_date,
        assurer_email=service.assurer_email,
        alert=service.alert,
        last_modified=service.last_modified,
    ) | {"organization": organization_summary(service.organization)}


def _schedules(service: Service, places: list[ServiceAtLocation]) -> list[JSON]:
    """The service's own schedules, then each place's (marked by `service_at_location_id`):
    the UK profile nests schedules only under the service."""
    own = getattr(service, "own_schedules", None)
    rows = list(own if own is not None else service.schedules.all())
    for place in places:
        rows += place.schedules.all()
    return [schedule(s) for s in rows]


def _service_rows(service: Service, places: list[ServiceAtLocation]) -> JSON:
    return _obj(
        schedules=_schedules(service, places),
        service_areas=[service_area(a) for a in service.service_areas.all()],
        languages=[language(lang) for lang in service.languages.all()],
        funding=[funding(f) for f in service.funding.all()],
        cost_options=[cost_option(c) for c in service.cost_options.all()],
        contacts=[contact(c) for c in service.contacts.all()],
        phones=[phone(p) for p in service.phones.all()],
        attributes=[attribute(a) for a in service.attributes.all()],
    )


def service_full(service: Service) -> JSON:
    """The fully nested service (`compiled/service.json`)."""
    places = list(service.service_at_locations.all())
    summary = service_summary(service)
    summary["organization"] = organization_full(service.organization)
    rows = _service_rows(service, places)
    nested_places = [
        _obj(id=_id(p.pk), location_id=_id(p.location_id), location=location_full(p.location))
        for p in places
    ]
    return summary | _obj(service_at_locations=nested_places) | rows


# ------------------------------------------------------------------ services at locations


def service_at_location_summary(place: ServiceAtLocation) -> JSON:
    """A list item (`compiled/service_at_location_list.json`)."""
    return _obj(
        ("id",),
        id=_id(place.pk),
        service_id=_id(place.service_id),
        location_id=_id(place.location_id),
    ) | {
        "location": location_summary(place.location),
        "service": service_summary(place.service),
    }


def service_at_location_full(place: ServiceAtLocation) -> JSON:
    """By id (`compiled/service_at_location.json`): the location and the service, nested.

    `place.service` must come from `selectors.with_full_record`."""
    service = place.service
    summary = service_summary(service)
    summary["organization"] = organization_full(service.organization)
    return _obj(
        ("id",),
        id=_id(place.pk),
        service_id=_id(place.service_id),
        location_id=_id(place.location_id),
    ) | {
        "location": location_full(place.location),
        "service": summary | _service_rows(service, [place]),
    }


# ------------------------------------------------------------------ lists


def page(contents: list[JSON], *, total_items: int, page_number: int, per_page: int) -> JSON:
    """The ORUK pagination envelope around one page of `contents`.

    `total_pages` is at least 1 (an empty list is one empty page), so page 1 is always
    both first and last of an empty list."""
    total_pages = max(1, -(-total_items // per_page))
    return {
        "total_items": total_items,
        "total_pages": total_pages,
        "page_number": page_number,
        "size": len(contents),
        "first_page": page_number == 1,
        "last_page": page_number >= total_pages,
        "empty": not contents,
        "contents": contents,
    }
