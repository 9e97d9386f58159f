"""Writes of the directory's records: organisations, services, locations, taxonomies and
every child row (contacts, phones, schedules...). One transaction each, validated and
audited through `inclusion.core.writes`.

Any write that changes what a service publishes (its own fields, a child row, its
organisation, a location it is at, a term it is tagged with) moves the service's
`last_modified` (HSDS: "the datetime when the service, or any related information about
the service, has changed") and rebuilds its `search_text`: `service_touch` does both.
"""

import datetime as dt
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, TypeVar

from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone

from inclusion.accounts.models import Partnership
from inclusion.core import audit
from inclusion.core.writes import save_changes, save_new
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

M = TypeVar("M", bound=models.Model)

# Rows that hang off a service, a location or an organisation: written with
# `record_create/record_update/record_delete`. The parents have their own services.
CHILD_MODELS: tuple[type[models.Model], ...] = (
    OrganizationIdentifier,
    Address,
    Accessibility,
    ServiceAtLocation,
    Contact,
    Phone,
    Schedule,
    CostOption,
    ServiceArea,
    Language,
    Funding,
    Attribute,
)

# Never set through **fields: the services set them.
_MANAGED = {
    "id",
    "created_at",
    "updated_at",
    "created_by",
    "modified_by",
    "last_modified",
    "search_text",
}


def _check_fields(model: type[models.Model], fields: dict[str, Any]) -> None:
    """A misspelt field would otherwise become a plain attribute and be silently dropped."""
    allowed = {f.name for f in model._meta.concrete_fields if f.name not in _MANAGED} | {
        f.attname for f in model._meta.concrete_fields if f.name not in _MANAGED
    }
    unknown = sorted(set(fields) - allowed)
    if unknown:
        raise TypeError(f"{model.__name__} has no field {', '.join(unknown)}")


def _new(model: type[M], id: uuid.UUID | str | None, fields: dict[str, Any]) -> M:
    _check_fields(model, fields)
    obj = model(**fields)
    if id is not None:
        obj.pk = uuid.UUID(str(id))
    return obj


# ------------------------------------------------------------------ last_modified, search


def services_affected_by(obj: models.Model) -> models.QuerySet[Service]:
    """The services whose published record includes `obj`."""
    if isinstance(obj, Service):
        return Service.objects.filter(pk=obj.pk)
    if isinstance(obj, Organization):
        return Service.objects.filter(organization=obj)
    if isinstance(obj, Location):
        return Service.objects.filter(service_at_locations__location=obj).distinct()
    if isinstance(obj, Address | Accessibility):
        return Service.objects.filter(service_at_locations__location_id=obj.location_id).distinct()
    if isinstance(obj, OrganizationIdentifier):
        return Service.objects.filter(organization_id=obj.organization_id)
    if isinstance(obj, Taxonomy):
        return Service.objects.filter(attributes__taxonomy_term__taxonomy=obj).distinct()
    if isinstance(obj, TaxonomyTerm):
        return Service.objects.filter(attributes__taxonomy_term=obj).distinct()
    if isinstance(obj, Phone) and not obj.service_id:
        return Service.objects.filter(contacts__id=obj.contact_id)
    if isinstance(obj, Language) and not obj.service_id:
        return Service.objects.filter(
            Q(phones__id=obj.phone_id) | Q(contacts__phones__id=obj.phone_id)
        ).distinct()
    if isinstance(obj, Schedule) and not obj.service_id:
        return Service.objects.filter(service_at_locations__id=obj.service_at_location_id)
    service_id = getattr(obj, "service_id", None)
    return Service.objects.filter(pk=service_id) if service_id else Service.objects.none()


def service_search_text(service: Service) -> str:
    """The words a search over `service` matches (its `search_text`)."""
    parts: list[str] = [service.name, service.description, service.organization.name]
    parts += (
        TaxonomyTerm.objects.filter(attributes__service=service)
        .order_by()
        .values_list("name", flat=True)
    )
    for name, address_1, city, postcode in (
        Location.objects.filter(service_at_locations__service=service)
        .order_by()
        .values_list("name", "addresses__address_1", "addresses__city", "addresses__postal_code")
    ):
        parts += [name, address_1, city, postcode]
    parts += ServiceArea.objects.filter(service=service).order_by().values_list("name", flat=True)
    parts += Language.objects.filter(service=service).order_by().values_list("name", flat=True)
    seen: dict[str, None] = {}
    for part in parts:
        if part and part.strip():
            seen.setdefault(" ".join(part.split()), None)
    return "\n".join(seen)


# Services whose touch is put off to the end of a `deferred_touch` block (None: not in one).
_deferred: ContextVar[set[uuid.UUID] | None] = ContextVar("directory_deferred_touch", default=None)


@contextmanager
def deferred_touch() -> Iterator[None]:
    """Touch each affected service once, at the end, rather than after every write: for
    many writes in a row (an import, the demo). Nested blocks join the outer one."""
    if _deferred.get() is not None:
        yield
        return
    pending: set[uuid.UUID] = set()
    token = _deferred.set(pending)
    try:
        yield
    finally:
        _deferred.reset(token)
    touched = Service.objects.filter(pk__in=pending).select_related("organization")
    service_touch(services=list(touched))


def service_touch(*, services: Iterable[Service], at: dt.datetime | None = None) -> None:
    """Record that the services' published records changed: `last_modified` and `search_text`.

    Not logged on its own: the write that caused it is."""
    at = at or timezone.now()
    pending = _deferred.get()
    for service in services:
        if pending is not None:
            pending.add(service.pk)
            continue
        Service.objects.filter(pk=service.pk).update(
            last_modified=at, search_text=service_search_text(service)
        )
        service.last_modified = at


def _touch_for(obj: models.Model) -> None:
    affected = services_affected_by(obj)
    if _deferred.get() is None:
        affected = affected.select_related("organization")
    else:
        affected = affected.only("pk")
    service_touch(services=list(affected))


# ------------------------------------------------------------------ organisations


def organization_create(
    *,
    partnership: Partnership,
    name: str,
    actor: Any = None,
    via: str = "",
    id: uuid.UUID | str | None = None,
    **fields: Any,
) -> Organization:
    with transaction.atomic():
        org = _new(Organization, id, {"partnership": partnership, "name": name, **fields})
        return save_new(org, actor=actor, via=via)


def organization_update(
    *, organization: Organization, actor: Any = None, via: str = "", **fields: Any
) -> Organization:
    _check_fields(Organization, fields)
    fields.pop("partnership", None)  # an organisation never moves partnership
    with transaction.atomic():
        save_changes(organization, actor=actor, via=via, **fields)
        _touch_for(organization)
        return organization


# ------------------------------------------------------------------ services


def service_create(
    *,
    partnership: Partnership,
    organization: Organization,
    name: str,
    actor: Any = None,
    via: str = "",
    id: uuid.UUID | str | None = None,
    terms: Iterable[TaxonomyTerm] = (),
    **fields: Any,
) -> Service:
    """A new service of `organization`, tagged with `terms`."""
    with transaction.atomic():
        service = _new(
            Service,
            id,
            {"partnership": partnership, "organization": organization, "name": name, **fields},
        )
        service.last_modified = timezone.now()
        save_new(service, actor=actor, via=via)
        for term in terms:
            record_create(
                model=Attribute,
                service=service,
                taxonomy_term=term,
                link_type="service",
                actor=actor,
                via=via,
            )
        service_touch(services=[service])
        return service


def service_update(
    *, service: Service, actor: Any = None, via: str = "", note: str = "", **fields: Any
) -> Service:
    _check_fields(Service, fields)
    fields.pop("partnership", None)
    with transaction.atomic():
        save_changes(service, actor=actor, via=via, note=note, **fields)
        service_touch(services=[service])
        return service


def service_assure(
    *, service: Service, actor: Any = None, via: str = "", on: dt.date | None = None
) -> Service:
    """Record that the service's information was checked today (or `on`), and by whom."""
    email = getattr(actor, "email", "") if actor is not None else ""
    return service_update(
        service=service,
        actor=actor,
        via=via,
        assured_date=on or timezone.localdate(),
        assurer_email=email or service.assurer_email,
    )


def service_set_terms(
    *, service: Service, terms: Iterable[TaxonomyTerm], actor: Any = None, via: str = ""
) -> None:
    """Tag the service with exactly `terms` (adding and removing attributes)."""
    wanted = {t.pk: t for t in terms}
    with transaction.atomic():
        current = {a.taxonomy_term_id: a for a in service.attributes.all()}
        for term_id, attribute in current.items():
            if term_id not in wanted:
                audit.log_delete(attribute, actor=actor, via=via)
                attribute.delete()
        for term_id, term in wanted.items():
            if term_id not in current:
                save_new(
                    Attribute(service=service, taxonomy_term=term, link_type="service"),
                    actor=actor,
                    via=via,
                )
        service_touch(services=[service])


# ------------------------------------------------------------------ locations


def location_create(
    *,
    partnership: Partnership,
    actor: Any = None,
    via: str = "",
    id: uuid.UUID | str | None = None,
    **fields: Any,
) -> Location:
    with transaction.atomic():
        location = _new(Location, id, {"partnership": partnership, **fields})
        return save_new(location, actor=actor, via=via)


def location_update(
    *, location: Location, actor: Any = None, via: str = "", **fields: Any
) -> Location:
    _check_fields(Location, fields)
    fields.pop("partnership", None)
    with transaction.atomic():
        save_changes(location, actor=actor, via=via, **fields)
        _touch_for(location)
        return location


# ------------------------------------------------------------------ taxonomies


def taxonomy_create(
    *,
    partnership: Partnership | None,
    name: str,
    actor: Any = None,
    via: str = "",
    id: uuid.UUID | str | None = None,
    **fields: Any,
) -> Taxonomy:
    """A vocabulary: the partnership's own, or (partnership None) shared by every directory."""
    with transaction.atomic():
        taxonomy = _new(Taxonomy, id, {"partnership": partnership, "name": name, **fields})
        return save_new(taxonomy, actor=actor, via=via)


def taxonomy_update(
    *, taxonomy: Taxonomy, actor: Any = None, via: str = "", **fields: Any
) -> Taxonomy:
    _check_fields(Taxonomy, fields)
    fields.pop("partnership", None)
    with transaction.atomic():
        save_changes(taxonomy, actor=actor, via=via, **fields)
        _touch_for(taxonomy)
        return taxonomy


def taxonomy_term_create(
    *,
    taxonomy: Taxonomy,
    name: str,
    actor: Any = None,
    via: str = "",
    id: uuid.UUID | str | None = None,
    **fields: Any,
) -> TaxonomyTerm:
    with transaction.atomic():
        term = _new(TaxonomyTerm, id, {"taxonomy": taxonomy, "name": name, **fields})
        return save_new(term, actor=actor, via=via)


def taxonomy_term_update(
    *, term: TaxonomyTerm, actor: Any = None, via: str = "", **fields: Any
) -> TaxonomyTerm:
    _check_fields(TaxonomyTerm, fields)
    with transaction.atomic():
        save_changes(term, actor=actor, via=via, **fields)
        _touch_for(term)
        return term


# ------------------------------------------------------------------ child rows


def _check_child(model: type[models.Model]) -> None:
    if model not in CHILD_MODELS:
        raise TypeError(f"{model.__name__} has its own create and update services")


def record_create(
    *,
    model: type[M],
    actor: Any = None,
    via: str = "",
    id: uuid.UUID | str | None = None,
    **fields: Any,
) -> M:
    """A child row (a contact, a phone, a schedule, a service at a location...)."""
    _check_child(model)
    with transaction.atomic():
        obj = save_new(_new(model, id, fields), actor=actor, via=via)
        _touch_for(obj)
        return obj


def record_update(*, obj: M, actor: Any = None, via: str = "", **fields: Any) -> M:
    _check_child(type(obj))
    _check_fields(type(obj), fields)
    with transaction.atomic():
        before = list(services_affected_by(obj))
        save_changes(obj, actor=actor, via=via, **fields)
        # A row moved to another service changes both the old and the new one.
        service_touch(services={*before, *services_affected_by(obj).select_related("organization")})
        return obj


def record_delete(*, obj: models.Model, actor: Any = None, via: str = "") -> None:
    _check_child(type(obj))
    with transaction.atomic():
        affected = list(services_affected_by(obj).select_related("organization"))
        audit.log_delete(obj, actor=actor, via=via)
        obj.delete()
        service_touch(services=affected)
