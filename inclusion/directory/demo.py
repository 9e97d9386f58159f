"""The demo Local Offer (`manage.py load_demo`): Lincolnshire's services from the seed documents.

The content is in `demo_data/local_offer.toml` (what each service is, where, when, who for);
this module turns it into directory records. Every record has a fixed id (a UUID made from
its key), so a second run finds everything and changes nothing. Each new row is validated
(`full_clean`), saved and audited (`audit.log_create`, as `demo_get_or_create` does, but a
model at a time: see `_Batch`), then each new service's `last_modified` and search text are
set by the directory's own `service_touch`, as every write does.

Every demo service meets DfE Family Hubs' "usable service" rules (a UUID id, status active,
a name and a description, a URL that parses, an organisation with an id and a name, an
email): tests/directory/test_demo.py checks each one.
"""

import datetime as dt
import tomllib
import uuid
from decimal import Decimal
from pathlib import Path
from typing import Any, TypeVar

from django.db import models

from inclusion.accounts.models import Organisation, Partnership, User
from inclusion.core import audit
from inclusion.core.demo import DEMO_VIA, register_demo
from inclusion.directory.models import (
    Accessibility,
    Address,
    Attribute,
    CostOption,
    Feedback,
    Language,
    Location,
    Organization,
    Phone,
    Schedule,
    Service,
    ServiceAtLocation,
    ServiceChange,
    Taxonomy,
    TaxonomyTerm,
)
from inclusion.directory.postcodes import postcode_place
from inclusion.directory.services import service_touch

M = TypeVar("M", bound=models.Model)

DEMO_FILE = Path(__file__).resolve().parent / "demo_data" / "local_offer.toml"
PARTNERSHIP_SLUG = "lincolnshire"
# Fixed ids: the same demo record has the same id in every database (and in the API).
NAMESPACE = uuid.UUID("6f1d7c52-3f7e-4a51-9a0e-2d3c4b5a6978")


# Parents before children.
SAVE_ORDER: tuple[type[models.Model], ...] = (
    Taxonomy,
    TaxonomyTerm,
    Organization,
    Location,
    Address,
    Accessibility,
    Service,
    Attribute,
    ServiceAtLocation,
    Phone,
    Schedule,
    CostOption,
    Language,
    ServiceChange,
    Feedback,
)


def demo_id(*parts: str) -> uuid.UUID:
    return uuid.uuid5(NAMESPACE, "/".join(parts))


def load_demo_data() -> dict[str, Any]:
    with DEMO_FILE.open("rb") as handle:
        return tomllib.load(handle)


class _Batch:
    """The demo's records, built in memory with their fixed ids, then saved in one pass per
    model: those already in the database are left exactly as they are (someone may have
    edited them), the others are validated, saved and audited. A handful of queries per
    model instead of several per record keeps `load_demo` quick (the route-walking tests
    load the demo for every test)."""

    def __init__(self) -> None:
        self.objects: dict[type[models.Model], list[models.Model]] = {}

    def add(self, model: type[M], key: tuple[str, ...], **fields: Any) -> M:
        obj = model(id=demo_id(*key), **fields)
        self.objects.setdefault(model, []).append(obj)
        return obj

    def save(self) -> dict[type[models.Model], list[models.Model]]:
        """Save what is missing, parents first; returns the new records by model."""
        created: dict[type[models.Model], list[models.Model]] = {}
        for model in SAVE_ORDER:
            objects = self.objects.get(model, [])
            if not objects:
                continue
            existing = set(
                model._default_manager.filter(pk__in=[o.pk for o in objects]).values_list(
                    "pk", flat=True
                )
            )
            new = [o for o in objects if o.pk not in existing]
            related = [f.name for f in model._meta.concrete_fields if f.is_relation]
            for obj in new:
                # Parents are this batch's own records (validated themselves) or rows just
                # read; ids are fixed and were checked above, so no query per field.
                obj.full_clean(exclude=related, validate_unique=False)
            model._default_manager.bulk_create(new)
            for obj in new:
                audit.log_create(obj, via=DEMO_VIA)
            created[model] = new
        return created


def _time(text: str | None) -> dt.time | None:
    return dt.time.fromisoformat(text) if text else None


def _taxonomies(
    batch: _Batch, partnership: Partnership, data: dict[str, Any]
) -> dict[str, TaxonomyTerm]:
    terms: dict[str, TaxonomyTerm] = {}
    for group, name, kind, description in (
        (
            "needs",
            "Needs",
            Taxonomy.Kind.NEED,
            "The four broad areas of need of the SEND Code of Practice (6.28 to 6.35) and narrower needs within them.",
        ),
        (
            "categories",
            "Local Offer categories",
            Taxonomy.Kind.SEND_CATEGORY,
            "How the Local Offer groups its services.",
        ),
    ):
        taxonomy = batch.add(
            Taxonomy,
            ("taxonomy", group),
            partnership=partnership,
            name=name,
            kind=kind,
            description=description,
            is_demo=True,
        )
        for position, entry in enumerate(data[group]):
            parent = terms.get(entry.get("parent", ""))
            terms[entry["key"]] = batch.add(
                TaxonomyTerm,
                ("term", group, entry["key"]),
                taxonomy=taxonomy,
                parent=parent,
                name=entry["name"],
                code=entry["key"],
                position=position,
            )
    return terms


def _organisations(
    batch: _Batch, partnership: Partnership, data: dict[str, Any]
) -> dict[str, Organization]:
    accounts = {o.name: o for o in Organisation.objects.filter(partnership=partnership)}
    found = {}
    for key, entry in data["organisations"].items():
        found[key] = batch.add(
            Organization,
            ("organization", key),
            partnership=partnership,
            account_organisation=accounts.get(entry.get("account", "")),
            name=entry["name"],
            description=entry["description"],
            website=entry["website"],
            email=entry["email"],
            is_demo=True,
        )
    return found


def _places(batch: _Batch, partnership: Partnership, data: dict[str, Any]) -> dict[str, Location]:
    found = {}
    for key, entry in data["places"].items():
        place = postcode_place(entry["postcode"], units=False)
        location = batch.add(
            Location,
            ("location", key),
            partnership=partnership,
            name=entry["name"],
            latitude=place.latitude,
            longitude=place.longitude,
            is_demo=True,
        )
        batch.add(
            Address,
            ("address", key),
            location=location,
            address_1=entry["address"],
            city=entry["city"],
            state_province="Lincolnshire",
            postal_code=entry["postcode"],
        )
        batch.add(
            Accessibility,
            ("accessibility", key),
            location=location,
            description=entry["access"],
        )
        found[key] = location
    return found


def _service(
    batch: _Batch,
    partnership: Partnership,
    entry: dict[str, Any],
    organisations: dict[str, Organization],
    places: dict[str, Location],
    terms: dict[str, TaxonomyTerm],
) -> Service:
    key = entry["key"]
    service = batch.add(
        Service,
        ("service", key),
        partnership=partnership,
        organization=organisations[entry["organisation"]],
        name=entry["name"],
        description=entry["description"],
        url=entry["url"],
        email=entry["email"],
        status=Service.Status.ACTIVE,
        minimum_age=Decimal(entry["minimum_age"]) if "minimum_age" in entry else None,
        maximum_age=Decimal(entry["maximum_age"]) if "maximum_age" in entry else None,
        assured_date=dt.date.fromisoformat(entry["assured"]),
        assurer_email="localoffer@lincolnshire.example",
        alert=entry.get("alert", ""),
        is_demo=True,
    )
    for group, names in (
        ("needs", entry.get("needs", [])),
        ("categories", entry.get("categories", [])),
    ):
        for name in names:
            batch.add(
                Attribute,
                ("attribute", key, group, name),
                service=service,
                taxonomy_term=terms[name],
                link_type="service",
            )
    for place in entry.get("places", []):
        batch.add(
            ServiceAtLocation,
            ("service_at_location", key, place),
            service=service,
            location=places[place],
        )
    if "phone" in entry:
        batch.add(Phone, ("phone", key), service=service, number=entry["phone"])
    if "days" in entry or "schedule_note" in entry:
        batch.add(
            Schedule,
            ("schedule", key),
            service=service,
            freq=Schedule.Freq.WEEKLY if "days" in entry else "",
            byday=entry.get("days", ""),
            opens_at=_time(entry.get("opens")),
            closes_at=_time(entry.get("closes")),
            description=entry.get("schedule_note", ""),
        )
    if "fee_amount" in entry:
        batch.add(
            CostOption,
            ("cost", key),
            service=service,
            amount=Decimal(entry["fee_amount"]),
            amount_description=entry.get("fee_option", ""),
        )
    elif "cost" in entry:
        is_free = entry["cost"] == "Free"
        batch.add(
            CostOption,
            ("cost", key),
            service=service,
            amount=Decimal(0) if is_free else None,
            amount_description="" if is_free else entry["cost"],
        )
    for language in entry.get("languages", []):
        batch.add(Language, ("language", key, language), service=service, name=language)
    return service


def _for_editors(
    batch: _Batch, partnership: Partnership, data: dict[str, Any], services: dict[str, Service]
) -> None:
    change = data["change"]
    service = services[change["service"]]
    proposer = User.objects.filter(username=change["proposed_by"]).first()
    if proposer is not None:
        batch.add(
            ServiceChange,
            ("change", change["service"]),
            service=service,
            proposed={"alert": change["alert"]},
            original={"alert": service.alert},
            proposed_by=proposer,
            note=change["note"],
        )
    for entry in data["feedback"]:
        page = entry["page"]
        about = services.get(page)
        batch.add(
            Feedback,
            ("feedback", entry["key"]),
            partnership=partnership,
            page_path=f"/local-offer/services/{about.pk}/" if about else page,
            service=about,
            useful=entry["useful"],
            comment=entry["comment"],
        )


def load_local_offer() -> list[str]:
    partnership = Partnership.objects.filter(slug=PARTNERSHIP_SLUG).first()
    if partnership is None:
        return ["Local Offer: no Lincolnshire partnership, so no demo directory"]
    data = load_demo_data()
    batch = _Batch()
    terms = _taxonomies(batch, partnership, data)
    organisations = _organisations(batch, partnership, data)
    places = _places(batch, partnership, data)
    services = {
        entry["key"]: _service(batch, partnership, entry, organisations, places, terms)
        for entry in data["services"]
    }
    _for_editors(batch, partnership, data, services)
    created = batch.save()
    # Services new in this run, and those a new child row was added to.
    touched = {o.pk for o in created.get(Service, [])}
    for model, objects in created.items():
        if model not in (Service, ServiceChange, Feedback):
            touched.update(getattr(o, "service_id", None) for o in objects)
    touched.discard(None)
    if touched:
        service_touch(
            services=list(Service.objects.filter(pk__in=touched).select_related("organization"))
        )
    return [f"Local Offer: {len(services)} demo services at /local-offer/"]


register_demo("directory: the demo Local Offer", load_local_offer, order=40)
