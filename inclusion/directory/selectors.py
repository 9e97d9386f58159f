"""Reads of the Local Offer shared by the Open Referral UK API and the public site.

Every query starts from one partnership's directory. Search (words, need, age, distance)
is `inclusion.directory.search`; the plain filters the API offers without search are here.
"""

import datetime as dt
import uuid
from collections.abc import Iterable
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

from django.conf import settings
from django.db.models import Prefetch, Q, QuerySet

from inclusion.accounts.models import Partnership
from inclusion.core import calendar
from inclusion.directory.models import (
    Attribute,
    Contact,
    Feedback,
    Location,
    Phone,
    Service,
    ServiceAtLocation,
    ServiceChange,
    Taxonomy,
    TaxonomyTerm,
)

# Issue #6: "services not assured for 12 months are flagged".
ASSURANCE_MONTHS = 12


# ------------------------------------------------------------------ which directory


def directory_partnership(slug: str | None = None) -> Partnership | None:
    """The partnership whose Local Offer the public site and the API serve.

    `slug`, else the setting `DIRECTORY_PARTNERSHIP` (a partnership's slug), else the only
    partnership that has a directory, else the first of those by name (docs/adr/0020).
    None when there is no such partnership."""
    slug = slug or getattr(settings, "DIRECTORY_PARTNERSHIP", "")
    if slug:
        return Partnership.objects.filter(slug=slug).first()
    with_directory = Partnership.objects.filter(directory_organizations__isnull=False).distinct()
    return with_directory.order_by("name").first() or Partnership.objects.order_by("name").first()


# ------------------------------------------------------------------ services


def services_in(partnership: Partnership | Any) -> QuerySet[Service]:
    """Every service of the partnership's directory, whatever its status (for editors)."""
    # search_text is for the full-text index only: often the longest column, never shown.
    return (
        Service.objects.filter(partnership=partnership)
        .select_related("organization")
        .defer("search_text")
    )


def published_services(partnership: Partnership | Any) -> QuerySet[Service]:
    """The services the public sees: the partnership's active ones."""
    return services_in(partnership).filter(status=Service.Status.ACTIVE)


def published_service(partnership: Partnership | Any, service_id: Any) -> Service | None:
    """One published service with everything its full record shows; None if not published."""
    try:
        pk = uuid.UUID(str(service_id))
    except ValueError:
        return None
    return with_full_record(published_services(partnership).filter(pk=pk)).first()


# A service list item's fields (HSDS compiled service_list.json), and its organisation's.
SUMMARY_FIELDS = (
    "id",
    "organization_id",
    "name",
    "description",
    "url",
    "email",
    "status",
    "fees",
    "accreditations",
    "minimum_age",
    "maximum_age",
    "assured_date",
    "assurer_email",
    "alert",
    "last_modified",
)
ORGANIZATION_SUMMARY_FIELDS = (
    "id",
    "name",
    "description",
    "email",
    "website",
    "logo",
    "uri",
    "parent_id",
)


def published_service_summaries(
    partnership: Partnership | Any, ids: list[uuid.UUID]
) -> list[SimpleNamespace]:
    """The published services `ids`, in that order, as light records of their list fields
    and organisation (attribute access as on the models, so the same renderer serves): a
    list page builds no model instances, a third of its time on a 5,000-service directory."""
    org_keys = [f"organization__{name}" for name in ORGANIZATION_SUMMARY_FIELDS]
    rows = published_services(partnership).filter(pk__in=ids).values(*SUMMARY_FIELDS, *org_keys)
    found: dict[uuid.UUID, SimpleNamespace] = {}
    for row in rows:
        org = {
            name: row.pop(key)
            for name, key in zip(ORGANIZATION_SUMMARY_FIELDS, org_keys, strict=True)
        }
        found[row["id"]] = SimpleNamespace(
            pk=row["id"], **row, organization=SimpleNamespace(pk=org["id"], **org)
        )
    return [found[i] for i in ids if i in found]


def with_card_record(services: QuerySet[Service]) -> QuerySet[Service]:
    """`services` with what a search result shows (organisation, costs, place names): three
    queries whatever the number, and a fraction of the full record's cost."""
    return services.select_related("organization").prefetch_related(
        "cost_options",
        Prefetch(
            "service_at_locations",
            queryset=ServiceAtLocation.objects.select_related("location").only(
                "id", "service_id", "location__id", "location__name"
            ),
        ),
    )


def with_full_record(services: QuerySet[Service]) -> QuerySet[Service]:
    """`services` with every related row of the fully nested record, in a fixed number of
    queries whatever the number of services."""
    return services.select_related("organization").prefetch_related(
        "organization__identifiers",
        Prefetch("schedules", to_attr="own_schedules"),
        "service_areas",
        Prefetch(
            "service_at_locations",
            queryset=ServiceAtLocation.objects.select_related("location").prefetch_related(
                "location__addresses", "location__accessibility", "schedules"
            ),
        ),
        "languages",
        "funding",
        "cost_options",
        Prefetch(
            "contacts",
            queryset=Contact.objects.prefetch_related(
                Prefetch("phones", queryset=Phone.objects.prefetch_related("languages"))
            ),
        ),
        Prefetch("phones", queryset=Phone.objects.prefetch_related("languages")),
        Prefetch(
            "attributes",
            queryset=Attribute.objects.select_related("taxonomy_term__taxonomy").order_by(
                "taxonomy_term__taxonomy__name", "taxonomy_term__position", "taxonomy_term__name"
            ),
        ),
    )


def _years(value: float | Decimal | None) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def service_filter(
    services: QuerySet[Service],
    *,
    taxonomy_term_ids: Iterable[Any] = (),
    taxonomy_id: Any = None,
    minimum_age: float | Decimal | None = None,
    maximum_age: float | Decimal | None = None,
    modified_after: dt.datetime | None = None,
) -> QuerySet[Service]:
    """The services matching every filter given (the API's filters that need no search).

    Ages: a service matches when its age range overlaps the range asked for; a service
    with no minimum (maximum) age is open to any age below (above)."""
    term_ids = list(taxonomy_term_ids)
    if term_ids:
        for term_id in term_ids:
            services = services.filter(attributes__taxonomy_term_id=term_id)
    if taxonomy_id:
        services = services.filter(attributes__taxonomy_term__taxonomy_id=taxonomy_id)
    low, high = _years(minimum_age), _years(maximum_age)
    if low is not None:
        services = services.filter(Q(maximum_age__isnull=True) | Q(maximum_age__gte=low))
    if high is not None:
        services = services.filter(Q(minimum_age__isnull=True) | Q(minimum_age__lte=high))
    if modified_after is not None:
        services = services.filter(last_modified__gte=modified_after)
    return services.distinct() if (term_ids or taxonomy_id) else services


# ------------------------------------------------------------------ services at locations


def published_service_at_locations(partnership: Partnership | Any) -> QuerySet[ServiceAtLocation]:
    """Where the published services are given."""
    return ServiceAtLocation.objects.filter(
        service__partnership=partnership, service__status=Service.Status.ACTIVE
    ).select_related("service__organization", "location")


def published_service_at_location(
    partnership: Partnership | Any, service_at_location_id: Any
) -> ServiceAtLocation | None:
    try:
        pk = uuid.UUID(str(service_at_location_id))
    except ValueError:
        return None
    found = published_service_at_locations(partnership).filter(pk=pk).first()
    if found is None:
        return None
    # The nested service is the full record (HSDS compiled service_at_location).
    found.service = with_full_record(Service.objects.filter(pk=found.service_id)).get()
    return found


def locations_in(partnership: Partnership | Any) -> QuerySet[Location]:
    return Location.objects.filter(partnership=partnership).prefetch_related(
        "addresses", "accessibility"
    )


# ------------------------------------------------------------------ taxonomies


def taxonomies_for(partnership: Partnership | Any) -> QuerySet[Taxonomy]:
    """The vocabularies a directory uses: the shared national ones and its own."""
    return Taxonomy.objects.filter(Q(partnership=partnership) | Q(partnership__isnull=True))


def taxonomy_terms_for(partnership: Partnership | Any) -> QuerySet[TaxonomyTerm]:
    return TaxonomyTerm.objects.filter(
        Q(taxonomy__partnership=partnership) | Q(taxonomy__partnership__isnull=True)
    ).select_related("taxonomy")


# ------------------------------------------------------------------ providers and editors


def user_is_service_provider(user: Any, service: Service) -> bool:
    """The user works for the organisation that provides the service (its directory
    organisation is linked to the user's organisation), in the same partnership."""
    org_id = getattr(user, "organisation_id", None)
    if not getattr(user, "is_authenticated", False) or org_id is None:
        return False
    return (
        service.organization.account_organisation_id == org_id
        and user.partnership_id == service.partnership_id
    )


def services_of_provider(user: Any) -> QuerySet[Service]:
    """The services a provider's user may propose edits to."""
    if not getattr(user, "is_authenticated", False) or user.organisation_id is None:
        return Service.objects.none()
    return services_in(user.partnership_id).filter(
        organization__account_organisation_id=user.organisation_id
    )


def assured_cutoff(on: dt.date) -> dt.date:
    """Services last assured before this date are overdue on `on` (12 months earlier; a
    day the month lacks, such as 29 February, falls on its last day)."""
    return calendar.add_months(on, -ASSURANCE_MONTHS)


def is_assurance_overdue(service: Service, on: dt.date) -> bool:
    """Not checked in the last 12 months (or never). `assurance_overdue` is the same as a query."""
    return service.assured_date is None or service.assured_date < assured_cutoff(on)


def assurance_overdue(services: QuerySet[Service], on: dt.date) -> QuerySet[Service]:
    return services.filter(Q(assured_date__isnull=True) | Q(assured_date__lt=assured_cutoff(on)))


def pending_changes(partnership: Partnership | Any) -> QuerySet[ServiceChange]:
    """Provider edits waiting for the local authority, oldest first."""
    return (
        ServiceChange.objects.filter(
            service__partnership=partnership, status=ServiceChange.Status.PENDING
        )
        .select_related("service__organization", "proposed_by")
        .order_by("created_at")
    )


def feedback_for(partnership: Partnership | Any, status: str | None = None) -> QuerySet[Feedback]:
    found = Feedback.objects.filter(partnership=partnership).select_related("service")
    return found.filter(status=status) if status else found
