"""Import another Open Referral UK 3.0 feed's JSON, so a council can move its Local Offer in.

Accepted (docs/directory/oruk.md): a `/services` page (the pagination envelope, services
in `contents`), a single service (as `/services/{id}` answers it), a JSON list of
services, or a directory of such files (every `*.json` below it, in name order).

- Idempotent by id: every record keeps the feed's UUID, so importing the same files again
  changes nothing, and importing a newer copy updates what changed. A record of a service
  is the feed's: a child table the document carries (`contacts`, `schedules`...) replaces
  the service's rows of that table; a table it leaves out is left as it is (a list page
  has only one-to-one fields).
- All or nothing: one transaction; any problem and nothing is saved. Every problem is
  reported, each naming its file and JSON path (`services.json: contents[3].contacts[0].email:
  Enter a valid email address.`).
- Every write goes through `inclusion.directory.services`, so it is validated and audited;
  one audit event records the import itself.
- Ids must be UUIDs (ORUK 3.0); a record whose id already belongs to another partnership's
  directory is a problem, never taken over.
- Taxonomy terms are found by id, then made in the taxonomy the term names (`taxonomy_id`,
  else `taxonomy` by name, else "Imported terms"); a shared national term is used, never
  changed. Attributes on anything but the service (a location's, a contact's) are not kept.
"""

import datetime as dt
import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.utils.dateparse import parse_date

from inclusion.accounts.models import Partnership
from inclusion.core import audit
from inclusion.core.models import AuditLog
from inclusion.core.writes import save_changes
from inclusion.directory import services as directory
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
Progress = Callable[[int, int], None]  # (services done, services in all)


@dataclass(frozen=True)
class ImportProblem:
    file: str
    path: str
    message: str

    def __str__(self) -> str:
        return (
            f"{self.file}: {self.path}: {self.message}"
            if self.path
            else f"{self.file}: {self.message}"
        )


class OrukImportError(Exception):
    def __init__(self, problems: list[ImportProblem]) -> None:
        super().__init__(f"{len(problems)} problem(s)")
        self.problems = problems

    def lines(self) -> list[str]:
        return [str(p) for p in self.problems]


@dataclass
class ImportResult:
    files: int = 0
    services: int = 0
    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)
    deleted: dict[str, int] = field(default_factory=dict)

    def count(self, kind: dict[str, int], model: type[models.Model]) -> None:
        name = model._meta.verbose_name_plural
        kind[name] = kind.get(name, 0) + 1

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.deleted)

    def message(self) -> str:
        def part(label: str, counts: dict[str, int]) -> str:
            return f"{label} " + ", ".join(f"{n} {name}" for name, n in sorted(counts.items()))

        head = f"{self.services} service{'s' if self.services != 1 else ''} in {self.files} file{'s' if self.files != 1 else ''}"
        if not self.changed:
            return f"{head}: nothing changed"
        parts = [
            part(label, counts)
            for label, counts in (
                ("created", self.created),
                ("updated", self.updated),
                ("deleted", self.deleted),
            )
            if counts
        ]
        return f"{head}: " + "; ".join(parts)


# ------------------------------------------------------------------ reading files


@dataclass(frozen=True)
class ServiceDocument:
    file: str
    path: str  # JSON path of the service in its file: "contents[3]", "" for a whole file
    data: Any


def _json_files(source: Path) -> list[Path]:
    if source.is_dir():
        return sorted(p for p in source.rglob("*.json") if p.is_file())
    return [source]


def read_service_documents(source: Path) -> tuple[list[ServiceDocument], list[ImportProblem], int]:
    """The services in `source` (a file or a directory), problems reading them, files read."""
    if not source.exists():
        return [], [ImportProblem(str(source), "", "no such file or directory")], 0
    files = _json_files(source)
    if not files:
        return [], [ImportProblem(str(source), "", "no .json files in this directory")], 0
    documents: list[ServiceDocument] = []
    problems: list[ImportProblem] = []
    for file in files:
        name = str(file.relative_to(source)) if source.is_dir() else file.name
        try:
            data = json.loads(file.read_text(encoding="utf-8-sig"))
        except UnicodeDecodeError:
            problems.append(ImportProblem(name, "", "not UTF-8 text: is it a JSON file?"))
            continue
        except json.JSONDecodeError as error:
            problems.append(
                ImportProblem(
                    name,
                    "",
                    f"not valid JSON: {error.msg} at line {error.lineno}, column {error.colno}",
                )
            )
            continue
        if isinstance(data, dict) and isinstance(data.get("contents"), list):
            items = [(f"contents[{n}]", item) for n, item in enumerate(data["contents"])]
        elif isinstance(data, list):
            items = [(f"[{n}]", item) for n, item in enumerate(data)]
        elif isinstance(data, dict) and "id" in data and "name" in data:
            items = [("", data)]
        else:
            problems.append(
                ImportProblem(
                    name,
                    "",
                    "not an Open Referral UK services page (an object with 'contents'), "
                    "a service (an object with 'id' and 'name') or a list of services",
                )
            )
            continue
        documents += [ServiceDocument(name, path, item) for path, item in items]
    return documents, problems, len(files)


# ------------------------------------------------------------------ values


class Problem(Exception):
    """A problem at a JSON path (relative to the service)."""

    def __init__(self, path: str, message: str) -> None:
        super().__init__(message)
        self.path = path
        self.message = message


def _join(path: str, key: str | int) -> str:
    if isinstance(key, int):
        return f"{path}[{key}]"
    return f"{path}.{key}" if path else key


def _object(value: Any, path: str) -> JSON:
    if not isinstance(value, dict):
        raise Problem(path, f"expected an object, found {_kind(value)}")
    return value


def _kind(value: Any) -> str:
    return {
        dict: "an object",
        list: "a list",
        str: "text",
        bool: "true/false",
        int: "a number",
        float: "a number",
        type(None): "null",
    }.get(type(value), type(value).__name__)


def _items(doc: JSON, key: str, path: str) -> list[tuple[str, JSON]] | None:
    """The objects of list `key` with their paths; None when the document leaves it out."""
    if key not in doc or doc[key] is None:
        return None
    value = doc[key]
    if not isinstance(value, list):
        raise Problem(_join(path, key), f"expected a list, found {_kind(value)}")
    return [
        (_join(_join(path, key), n), _object(item, _join(_join(path, key), n)))
        for n, item in enumerate(value)
    ]


def _text(doc: JSON, key: str, path: str, *, required: bool = False) -> str:
    value = doc.get(key)
    if value is None:
        if required:
            raise Problem(_join(path, key), "is required")
        return ""
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise Problem(_join(path, key), f"expected text, found {_kind(value)}")
    text = str(value).strip()
    if required and not text:
        raise Problem(_join(path, key), "is required")
    return text


def _id(doc: JSON, path: str, key: str = "id", *, required: bool = True) -> uuid.UUID | None:
    value = doc.get(key)
    if value in (None, ""):
        if required:
            raise Problem(_join(path, key), "is required (every record has a UUID id)")
        return None
    try:
        return uuid.UUID(str(value))
    except ValueError:
        raise Problem(
            _join(path, key), f"{value!r} is not a UUID (Open Referral UK 3.0 ids are UUIDs)"
        ) from None


def _decimal(doc: JSON, key: str, path: str) -> Decimal | None:
    value = doc.get(key)
    if value in (None, ""):
        return None
    if isinstance(value, bool):
        raise Problem(_join(path, key), "expected a number, found true/false")
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        raise Problem(_join(path, key), f"expected a number, found {value!r}") from None
    if not number.is_finite():
        raise Problem(_join(path, key), f"expected a number, found {value!r}")
    return number


def _float(doc: JSON, key: str, path: str) -> float | None:
    number = _decimal(doc, key, path)
    return None if number is None else float(number)


def _date(doc: JSON, key: str, path: str) -> dt.date | None:
    value = _text(doc, key, path)
    if not value:
        return None
    try:
        parsed = parse_date(value[:10])
    except ValueError:
        parsed = None
    if parsed is None:
        raise Problem(_join(path, key), f"expected a date like 2024-05-01, found {value!r}")
    return parsed


def _time(doc: JSON, key: str, path: str) -> dt.time | None:
    value = _text(doc, key, path)
    if not value:
        return None
    try:
        return dt.time.fromisoformat(value).replace(tzinfo=None)
    except ValueError:
        raise Problem(_join(path, key), f"expected a time like 09:30:00, found {value!r}") from None


# ------------------------------------------------------------------ the import


class _Importer:
    def __init__(
        self, *, partnership: Partnership, actor: Any, via: str, result: ImportResult
    ) -> None:
        self.partnership = partnership
        self.actor = actor
        self.via = via
        self.result = result
        self.parents: list[tuple[Organization, uuid.UUID, str]] = []
        self.term_parents: list[tuple[TaxonomyTerm, uuid.UUID, str]] = []
        self.seen: dict[uuid.UUID, str] = {}  # service id -> where first seen

    # -------------------------------------------------------------- generic upsert

    def _owned(self, obj: models.Model, path: str) -> None:
        owner = getattr(obj, "partnership_id", None)
        if owner is not None and owner != self.partnership.pk:
            raise Problem(
                _join(path, "id"),
                f"{obj.pk} is a record of another partnership's directory ({type(obj)._meta.verbose_name})",
            )

    def _upsert(
        self,
        model: type[models.Model],
        pk: uuid.UUID,
        fields: dict[str, Any],
        path: str,
        *,
        create: Callable[..., Any] | None = None,
        update: Callable[..., Any] | None = None,
    ) -> Any:
        existing = model.objects.filter(pk=pk).first()
        try:
            if existing is None:
                if create is not None:
                    obj = create(id=pk, actor=self.actor, via=self.via, **fields)
                else:
                    obj = directory.record_create(
                        model=model, id=pk, actor=self.actor, via=self.via, **fields
                    )
                self.result.count(self.result.created, model)
                return obj
            self._owned(existing, path)
            changed = {
                name: value
                for name, value in fields.items()
                if getattr(existing, name if not isinstance(value, models.Model) else f"{name}_id")
                != (value.pk if isinstance(value, models.Model) else value)
            }
            if changed:
                if update is not None:
                    update(existing, changed)
                else:
                    directory.record_update(obj=existing, actor=self.actor, via=self.via, **changed)
                self.result.count(self.result.updated, model)
            return existing
        except ValidationError as error:
            raise _from_validation(error, path) from None

    def _sync(self, current: models.QuerySet, kept: set[uuid.UUID]) -> None:
        """Delete the rows of a child table the feed no longer has."""
        for obj in current.exclude(pk__in=kept):
            directory.record_delete(obj=obj, actor=self.actor, via=self.via)
            self.result.count(self.result.deleted, type(obj))

    # -------------------------------------------------------------- organisations

    def organization(self, doc: JSON, path: str) -> Organization:
        pk = _id(doc, path)
        fields = {
            "name": _text(doc, "name", path, required=True),
            "description": _text(doc, "description", path),
            "email": _text(doc, "email", path),
            "website": _text(doc, "website", path),
            "logo": _text(doc, "logo", path),
            "uri": _text(doc, "uri", path),
        }
        org = self._upsert(
            Organization,
            pk,
            fields,
            path,
            create=lambda **kw: directory.organization_create(partnership=self.partnership, **kw),
            update=lambda obj, changed: directory.organization_update(
                organization=obj, actor=self.actor, via=self.via, **changed
            ),
        )
        parent = _id(doc, path, "parent_organization_id", required=False)
        if parent is not None:
            self.parents.append((org, parent, _join(path, "parent_organization_id")))
        identifiers = _items(doc, "organization_identifiers", path)
        if identifiers is not None:
            kept = set()
            for where, item in identifiers:
                kept.add(
                    self._upsert(
                        OrganizationIdentifier,
                        _id(item, where),
                        {
                            "organization": org,
                            "identifier_scheme": _text(item, "identifier_scheme", where),
                            "identifier_type": _text(item, "identifier_type", where, required=True),
                            "identifier": _text(item, "identifier", where, required=True),
                        },
                        where,
                    ).pk
                )
            self._sync(org.identifiers.all(), kept)
        return org

    # -------------------------------------------------------------- taxonomy

    def taxonomy_for(self, doc: JSON, path: str) -> Taxonomy:
        available = Taxonomy.objects.filter(
            Q(partnership=self.partnership) | Q(partnership__isnull=True)
        )
        taxonomy_id = _id(doc, path, "taxonomy_id", required=False)
        name = _text(doc, "taxonomy", path) or "Imported terms"
        if taxonomy_id is not None:
            found = Taxonomy.objects.filter(pk=taxonomy_id).first()
            if found is not None:
                self._owned(found, _join(path, "taxonomy_id"))
                return found
            self.result.count(self.result.created, Taxonomy)
            return directory.taxonomy_create(
                partnership=self.partnership,
                name=name,
                id=taxonomy_id,
                actor=self.actor,
                via=self.via,
            )
        found = available.filter(name=name).order_by("partnership_id").first()
        if found is not None:
            return found
        self.result.count(self.result.created, Taxonomy)
        return directory.taxonomy_create(
            partnership=self.partnership, name=name, actor=self.actor, via=self.via
        )

    def term(self, doc: JSON, path: str) -> TaxonomyTerm:
        pk = _id(doc, path)
        existing = TaxonomyTerm.objects.select_related("taxonomy").filter(pk=pk).first()
        if existing is not None and existing.taxonomy.partnership_id is None:
            return existing  # a shared national term: used, never changed by an import
        fields = {
            "name": _text(doc, "name", path, required=True),
            "description": _text(doc, "description", path),
            "code": _text(doc, "term", path),
            "term_uri": _text(doc, "term_uri", path),
        }
        if existing is None:
            fields["taxonomy"] = self.taxonomy_for(doc, path)
        term = self._upsert(
            TaxonomyTerm,
            pk,
            fields,
            path,
            create=lambda **kw: directory.taxonomy_term_create(**kw),
            update=lambda obj, changed: directory.taxonomy_term_update(
                term=obj, actor=self.actor, via=self.via, **changed
            ),
        )
        parent = _id(doc, path, "parent_id", required=False)
        if parent is not None:
            self.term_parents.append((term, parent, _join(path, "parent_id")))
        return term

    # -------------------------------------------------------------- locations

    def location(self, doc: JSON, path: str) -> Location:
        pk = _id(doc, path)
        fields = {
            "location_type": _text(doc, "location_type", path) or Location.Type.PHYSICAL,
            "name": _text(doc, "name", path),
            "description": _text(doc, "description", path),
            "latitude": _float(doc, "latitude", path),
            "longitude": _float(doc, "longitude", path),
            "external_identifier": _text(doc, "external_identifier", path),
            "external_identifier_type": _text(doc, "external_identifier_type", path),
        }
        location = self._upsert(
            Location,
            pk,
            fields,
            path,
            create=lambda **kw: directory.location_create(partnership=self.partnership, **kw),
            update=lambda obj, changed: directory.location_update(
                location=obj, actor=self.actor, via=self.via, **changed
            ),
        )
        addresses = _items(doc, "addresses", path)
        if addresses is not None:
            kept = set()
            for where, item in addresses:
                kept.add(
                    self._upsert(
                        Address,
                        _id(item, where),
                        {
                            "location": location,
                            "attention": _text(item, "attention", where),
                            "address_1": _text(item, "address_1", where, required=True),
                            "city": _text(item, "city", where, required=True),
                            "region": _text(item, "region", where),
                            "state_province": _text(item, "state_province", where),
                            "postal_code": _text(item, "postal_code", where, required=True),
                            "country": (_text(item, "country", where) or "GB").upper(),
                            "address_type": _text(item, "address_type", where)
                            or Address.Type.PHYSICAL,
                        },
                        where,
                    ).pk
                )
            self._sync(location.addresses.all(), kept)
        accessibility = _items(doc, "accessibility", path)
        if accessibility is not None:
            kept = set()
            for where, item in accessibility:
                kept.add(
                    self._upsert(
                        Accessibility,
                        _id(item, where),
                        {
                            "location": location,
                            "description": _text(item, "description", where),
                            "details": _text(item, "details", where),
                            "url": _text(item, "url", where),
                            "accessibility": _text(item, "accessibility", where),
                        },
                        where,
                    ).pk
                )
            self._sync(location.accessibility.all(), kept)
        return location

    # -------------------------------------------------------------- services

    def service(self, doc: JSON, path: str) -> Service:
        pk = _id(doc, path)
        if pk in self.seen:
            raise Problem(_join(path, "id"), f"the service {pk} is also at {self.seen[pk]}")
        self.seen[pk] = path or "(the file)"
        organization = self._service_organization(doc, path)
        fields = {
            "organization": organization,
            "name": _text(doc, "name", path, required=True),
            "description": _text(doc, "description", path),
            "url": _text(doc, "url", path),
            "email": _text(doc, "email", path),
            "status": _text(doc, "status", path) or Service.Status.ACTIVE,
            "fees": _text(doc, "fees", path),
            "accreditations": _text(doc, "accreditations", path),
            "minimum_age": _decimal(doc, "minimum_age", path),
            "maximum_age": _decimal(doc, "maximum_age", path),
            "assured_date": _date(doc, "assured_date", path),
            "assurer_email": _text(doc, "assurer_email", path),
            "alert": _text(doc, "alert", path),
        }
        service = self._upsert(
            Service,
            pk,
            fields,
            path,
            create=lambda **kw: directory.service_create(partnership=self.partnership, **kw),
            update=lambda obj, changed: directory.service_update(
                service=obj, actor=self.actor, via=self.via, **changed
            ),
        )
        places = self._places(service, doc, path)
        self._children(service, doc, path, places)
        return service

    def _service_organization(self, doc: JSON, path: str) -> Organization:
        if isinstance(doc.get("organization"), dict):
            return self.organization(doc["organization"], _join(path, "organization"))
        org_id = _id(doc, path, "organization_id", required=False)
        if org_id is None:
            raise Problem(
                _join(path, "organization"), "is required: every service has an organisation"
            )
        found = Organization.objects.filter(pk=org_id).first()
        if found is None:
            raise Problem(
                _join(path, "organization_id"),
                f"no organisation {org_id}: give the service's 'organization' object",
            )
        self._owned(found, _join(path, "organization_id"))
        return found

    def _places(self, service: Service, doc: JSON, path: str) -> dict[uuid.UUID, ServiceAtLocation]:
        items = _items(doc, "service_at_locations", path)
        if items is None:
            return {p.pk: p for p in service.service_at_locations.all()}
        places: dict[uuid.UUID, ServiceAtLocation] = {}
        for where, item in items:
            if isinstance(item.get("location"), dict):
                location = self.location(item["location"], _join(where, "location"))
            else:
                location_id = _id(item, where, "location_id")
                location = Location.objects.filter(
                    pk=location_id, partnership=self.partnership
                ).first()
                if location is None:
                    raise Problem(
                        _join(where, "location"),
                        f"no location {location_id}: give the 'location' object",
                    )
            place = self._upsert(
                ServiceAtLocation,
                _id(item, where),
                {"service": service, "location": location},
                where,
            )
            places[place.pk] = place
        self._sync(service.service_at_locations.all(), set(places))
        return places

    def _children(
        self, service: Service, doc: JSON, path: str, places: dict[uuid.UUID, ServiceAtLocation]
    ) -> None:
        rows: dict[
            str, tuple[type[models.Model], Callable[[JSON, str], dict[str, Any]], models.QuerySet]
        ] = {
            "service_areas": (
                ServiceArea,
                lambda d, w: {
                    "service": service,
                    "name": _text(d, "name", w),
                    "service_area": _text(d, "service_area", w),
                    "extent": _text(d, "extent", w),
                    "extent_type": _text(d, "extent_type", w),
                    "uri": _text(d, "uri", w),
                },
                service.service_areas.all(),
            ),
            "languages": (
                Language,
                lambda d, w: {
                    "service": service,
                    "name": _text(d, "name", w),
                    "code": _text(d, "code", w),
                    "note": _text(d, "note", w),
                },
                service.languages.all(),
            ),
            "funding": (
                Funding,
                lambda d, w: {"service": service, "source": _text(d, "source", w, required=True)},
                service.funding.all(),
            ),
            "cost_options": (
                CostOption,
                lambda d, w: {
                    "service": service,
                    "valid_from": _date(d, "valid_from", w),
                    "valid_to": _date(d, "valid_to", w),
                    "option": _text(d, "option", w),
                    "amount": _decimal(d, "amount", w),
                    "amount_description": _text(d, "amount_description", w),
                },
                service.cost_options.all(),
            ),
        }
        for key, (model, to_fields, current) in rows.items():
            items = _items(doc, key, path)
            if items is None:
                continue
            kept = {
                self._upsert(model, _id(item, where), to_fields(item, where), where).pk
                for where, item in items
            }
            self._sync(current, kept)
        self._schedules(service, doc, path, places)
        self._contacts(service, doc, path)
        phones = _items(doc, "phones", path)
        if phones is not None:
            kept = {self._phone(item, where, service=service).pk for where, item in phones}
            self._sync(service.phones.all(), kept)
        attributes = _items(doc, "attributes", path)
        if attributes is not None:
            kept = set()
            for where, item in attributes:
                if isinstance(item.get("taxonomy_term"), dict):
                    term = self.term(item["taxonomy_term"], _join(where, "taxonomy_term"))
                else:
                    term_id = _id(item, where, "taxonomy_term_id")
                    term = TaxonomyTerm.objects.filter(pk=term_id).first()
                    if term is None:
                        raise Problem(
                            _join(where, "taxonomy_term"),
                            f"no term {term_id}: give the 'taxonomy_term' object",
                        )
                pk = _id(item, where)
                same_term = service.attributes.filter(taxonomy_term=term).exclude(pk=pk).first()
                if same_term is not None:
                    # The same tag under another id (a feed re-keyed its attributes): kept as is.
                    kept.add(same_term.pk)
                    continue
                fields = {
                    "service": service,
                    "taxonomy_term": term,
                    "link_type": _text(item, "link_type", where) or "service",
                }
                kept.add(self._upsert(Attribute, pk, fields, where).pk)
            self._sync(service.attributes.all(), kept)

    def _schedules(
        self, service: Service, doc: JSON, path: str, places: dict[uuid.UUID, ServiceAtLocation]
    ) -> None:
        items = _items(doc, "schedules", path)
        if items is None:
            return
        kept = set()
        for where, item in items:
            place_id = _id(item, where, "service_at_location_id", required=False)
            place = places.get(place_id) if place_id else None
            if place_id and place is None:
                raise Problem(
                    _join(where, "service_at_location_id"),
                    f"{place_id} is not one of this service's service_at_locations",
                )
            freq = _text(item, "freq", where).upper()
            interval = _decimal(item, "interval", where)
            fields = {
                "service": None if place else service,
                "service_at_location": place,
                "valid_from": _date(item, "valid_from", where),
                "valid_to": _date(item, "valid_to", where),
                "dtstart": _date(item, "dtstart", where),
                "freq": freq,
                "interval": int(interval) if interval is not None else None,
                "byday": _text(item, "byday", where),
                "bymonthday": _text(item, "bymonthday", where),
                "description": _text(item, "description", where),
                "opens_at": _time(item, "opens_at", where),
                "closes_at": _time(item, "closes_at", where),
                "schedule_link": _text(item, "schedule_link", where),
                "attending_type": _text(item, "attending_type", where),
                "notes": _text(item, "notes", where),
            }
            kept.add(self._upsert(Schedule, _id(item, where), fields, where).pk)
        current = Schedule.objects.filter(
            Q(service=service) | Q(service_at_location__service=service)
        )
        self._sync(current, kept)

    def _phone(
        self,
        doc: JSON,
        path: str,
        *,
        service: Service | None = None,
        contact: Contact | None = None,
    ) -> Phone:
        phone = self._upsert(
            Phone,
            _id(doc, path),
            {
                "service": service,
                "contact": contact,
                "number": _text(doc, "number", path, required=True),
                "description": _text(doc, "description", path),
            },
            path,
        )
        languages = _items(doc, "languages", path)
        if languages is not None:
            kept = {
                self._upsert(
                    Language,
                    _id(item, where),
                    {
                        "phone": phone,
                        "name": _text(item, "name", where),
                        "code": _text(item, "code", where),
                        "note": _text(item, "note", where),
                    },
                    where,
                ).pk
                for where, item in languages
            }
            self._sync(phone.languages.all(), kept)
        return phone

    def _contacts(self, service: Service, doc: JSON, path: str) -> None:
        items = _items(doc, "contacts", path)
        if items is None:
            return
        kept = set()
        for where, item in items:
            contact = self._upsert(
                Contact,
                _id(item, where),
                {
                    "service": service,
                    "name": _text(item, "name", where),
                    "title": _text(item, "title", where),
                    "email": _text(item, "email", where),
                },
                where,
            )
            kept.add(contact.pk)
            phones = _items(item, "phones", where)
            if phones is not None:
                phone_ids = {self._phone(p, w, contact=contact).pk for w, p in phones}
                self._sync(contact.phones.all(), phone_ids)
        self._sync(service.contacts.all(), kept)

    # -------------------------------------------------------------- links made last

    def link_parents(self) -> None:
        """Parents named by id, once every record of the import exists (a parent may come
        later in the files than its child); a parent not in the directory is left out."""
        for org, parent_id, _where in self.parents:
            parent = Organization.objects.filter(pk=parent_id, partnership=self.partnership).first()
            if parent is not None and org.parent_id != parent.pk and parent.pk != org.pk:
                save_changes(org, actor=self.actor, via=self.via, parent=parent)
        for term, parent_id, _where in self.term_parents:
            parent = TaxonomyTerm.objects.filter(pk=parent_id, taxonomy_id=term.taxonomy_id).first()
            if parent is not None and term.parent_id != parent.pk and parent.pk != term.pk:
                save_changes(term, actor=self.actor, via=self.via, parent=parent)


def _from_validation(error: ValidationError, path: str) -> Problem:
    if hasattr(error, "error_dict"):
        name, messages = next(iter(error.message_dict.items()))
        where = path if name == "__all__" else _join(path, name)
        return Problem(where, " ".join(messages))
    return Problem(path, " ".join(error.messages))


def oruk_import(
    *,
    partnership: Partnership,
    source: Path | str,
    actor: Any = None,
    via: str = "",
    dry_run: bool = False,
    progress: Progress | None = None,
) -> ImportResult:
    """Import the services in `source` (a file or a directory of ORUK JSON) into the
    partnership's directory, all or nothing. Raises OrukImportError listing every problem.

    `dry_run`: check and count everything, then save nothing."""
    source = Path(source)
    documents, problems, files = read_service_documents(source)
    result = ImportResult(files=files, services=len(documents))
    if problems:
        raise OrukImportError(problems)
    with transaction.atomic():
        with directory.deferred_touch():
            importer = _Importer(partnership=partnership, actor=actor, via=via, result=result)
            for n, document in enumerate(documents, start=1):
                try:
                    # A savepoint each, so one service's problem still lets the others be
                    # checked (every problem is reported) before everything is rolled back.
                    with transaction.atomic():
                        importer.service(_object(document.data, document.path), document.path)
                except Problem as problem:
                    problems.append(ImportProblem(document.file, problem.path, problem.message))
                if progress:
                    progress(n, len(documents))
            if problems:
                raise OrukImportError(problems)
            importer.link_parents()
        if result.changed:
            audit.log_event(
                AuditLog.Operation.IMPORT,
                actor=actor,
                via=via,
                object_type="directory.service",
                partnership_id=partnership.pk,
                note=f"Open Referral UK import of {source.name}: {result.message()}",
            )
        if dry_run:
            transaction.set_rollback(True)
    return result
