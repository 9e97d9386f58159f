"""The Local Offer: a partnership's directory of services, in the shape of Open Referral UK.

The tables follow the Human Services Data Specification UK profile 3.0 (HSDS UK,
`../shared/data/oruk-uk-profile-3.0/schema/`), so the API in `inclusion.directory.oruk`
is a straight rendering and an imported feed a straight load (docs/adr/0020):

partnership → organizations → services → contacts → phones (→ languages)
                                       → schedules, cost options, service areas,
                                         languages, funding, attributes (→ taxonomy terms)
partnership → locations → addresses, accessibility; service ↔ location: service_at_location
taxonomy (shared when `partnership` is empty) → taxonomy terms (a tree)

Every row has a UUID id (BaseModel) which is the id the API publishes, so an imported
feed keeps its ids and a re-import updates rather than duplicates. Every row belongs to
one partnership: directly (organization, service, location, taxonomy) or through its
parent (`partnership_id` properties, which the audit log reads).

Also here, for the public site and the editors' pages: `Feedback` ("was this page
useful?") and `ServiceChange` (a provider's proposed edit, approved or rejected by the
local authority). Writes go through `inclusion.directory.services` only.
"""

import uuid
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone

from inclusion.accounts.models import Organisation, Partnership
from inclusion.core.models import BaseModel

# Ages are in years; HSDS allows fractions ("number"), so 0.5 is six months.
AGE_VALIDATORS = [MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("150"))]


class Taxonomy(BaseModel):
    """A vocabulary of terms: the LGA's esd service types, needs or circumstances, or a
    partnership's own SEND categories. Shared by every directory when `partnership` is empty
    (the national lists), otherwise the partnership's own."""

    class Kind(models.TextChoices):
        # What the public site offers each vocabulary as (a filter by need, by service type...).
        SERVICE_TYPE = "service_type", "Service types"
        NEED = "need", "Needs"
        CIRCUMSTANCE = "circumstance", "Circumstances"
        SEND_CATEGORY = "send_category", "SEND categories"
        OTHER = "other", "Other"

    partnership = models.ForeignKey(
        Partnership,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="directory_taxonomies",
        help_text="Empty for a national vocabulary every directory shares",
    )
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    uri = models.URLField(max_length=500, blank=True)
    version = models.CharField(max_length=50, blank=True)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.OTHER)
    is_demo = models.BooleanField(default=False)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "taxonomies"

    def __str__(self) -> str:
        return self.name


class TaxonomyTerm(BaseModel):
    taxonomy = models.ForeignKey(Taxonomy, on_delete=models.CASCADE, related_name="terms")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="children"
    )
    name = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    # HSDS `term`: the code of the term in its vocabulary (an esd identifier such as "147").
    code = models.CharField(max_length=200, blank=True)
    term_uri = models.URLField(max_length=500, blank=True)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["taxonomy", "position", "name"]
        indexes = [models.Index(fields=["taxonomy", "code"])]

    def __str__(self) -> str:
        return self.name

    @property
    def partnership_id(self) -> uuid.UUID | None:
        return self.taxonomy.partnership_id

    def clean(self) -> None:
        if self.parent_id and self.parent_id == self.id:
            raise ValidationError({"parent": "A term cannot be its own parent"})
        if self.parent_id and self.parent.taxonomy_id != self.taxonomy_id:
            raise ValidationError({"parent": "The parent term is in another taxonomy"})


class Organization(BaseModel):
    """An organisation that delivers services (HSDS `organization`).

    Not `accounts.Organisation` (a partner whose staff sign in): a charity or a nursery in
    the Local Offer usually has no users. `account_organisation` links the two when a
    provider's staff do sign in, so they can propose edits to their own services.
    """

    partnership = models.ForeignKey(
        Partnership, on_delete=models.PROTECT, related_name="directory_organizations"
    )
    account_organisation = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="directory_organizations",
        help_text="The partner organisation whose signed-in users may propose edits to these services",
    )
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="children"
    )
    name = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    email = models.EmailField(blank=True)
    website = models.URLField(max_length=500, blank=True)
    logo = models.URLField(max_length=500, blank=True)
    # A persistent identifier (Open Corporates, a charity register), not the website.
    uri = models.URLField(max_length=500, blank=True)
    is_demo = models.BooleanField(default=False)

    class Meta:
        ordering = ["name"]
        indexes = [models.Index(fields=["partnership", "name"])]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.account_organisation_id and (
            self.account_organisation.partnership_id != self.partnership_id
        ):
            raise ValidationError(
                {"account_organisation": "That organisation belongs to another partnership"}
            )
        if self.parent_id and self.parent.partnership_id != self.partnership_id:
            raise ValidationError({"parent": "The parent organisation is in another partnership"})


class OrganizationIdentifier(BaseModel):
    """A third-party identifier: company number, charity number..."""

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="identifiers"
    )
    identifier_scheme = models.CharField(max_length=50, blank=True)  # org-id.guide: GB-COH
    identifier_type = models.CharField(max_length=100)
    identifier = models.CharField(max_length=100)

    class Meta:
        ordering = ["organization", "identifier_type"]

    def __str__(self) -> str:
        return f"{self.identifier_type} {self.identifier}"

    @property
    def partnership_id(self) -> uuid.UUID:
        return self.organization.partnership_id


class Service(BaseModel):
    """A service of the Local Offer. Published (in the API and on the public site) when active."""

    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        INACTIVE = "inactive", "Inactive"
        DEFUNCT = "defunct", "Defunct"
        TEMPORARILY_CLOSED = "temporarily closed", "Temporarily closed"

    partnership = models.ForeignKey(
        Partnership, on_delete=models.PROTECT, related_name="directory_services"
    )
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="services"
    )
    name = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    url = models.URLField(max_length=500, blank=True)
    email = models.EmailField(blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.ACTIVE)
    # HSDS deprecates `fees` for cost options but feeds still send it: kept as given.
    fees = models.TextField(blank=True)
    accreditations = models.TextField(blank=True)
    minimum_age = models.DecimalField(
        max_digits=5, decimal_places=2, null=True, blank=True, validators=AGE_VALIDATORS
    )
    maximum_age = models.DecimalField(
        max_digits=5, decimal_places=2, null=True, blank=True, validators=AGE_VALIDATORS
    )
    # When the information was last checked ("assured"); a service not assured for
    # 12 months is flagged to editors.
    assured_date = models.DateField(null=True, blank=True)
    assurer_email = models.EmailField(blank=True)
    alert = models.TextField(blank=True)
    # HSDS: when the service or anything about it last changed. Set by the services on every
    # write to the service or a child row (not `updated_at`, which a child's change misses).
    last_modified = models.DateTimeField(default=timezone.now, db_index=True)
    is_demo = models.BooleanField(default=False)
    # The words a search matches: name, description, organisation, terms, places and
    # postcodes, kept by the services on every write (`services.service_touch`), so a
    # full-text index (FTS5, PostgreSQL tsvector) needs one column and no joins.
    search_text = models.TextField(blank=True, editable=False)

    class Meta:
        ordering = ["name"]
        indexes = [
            models.Index(fields=["partnership", "status", "name"]),
            models.Index(fields=["partnership", "last_modified"]),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.organization_id and self.organization.partnership_id != self.partnership_id:
            errors["organization"] = "The organisation belongs to another partnership"
        if (
            self.minimum_age is not None
            and self.maximum_age is not None
            and self.minimum_age > self.maximum_age
        ):
            errors["maximum_age"] = (
                f"The maximum age ({self.maximum_age}) is below the minimum age ({self.minimum_age})"
            )
        if errors:
            raise ValidationError(errors)


class Location(BaseModel):
    class Type(models.TextChoices):
        PHYSICAL = "physical", "Physical"
        POSTAL = "postal", "Postal"
        VIRTUAL = "virtual", "Virtual"

    partnership = models.ForeignKey(
        Partnership, on_delete=models.PROTECT, related_name="directory_locations"
    )
    location_type = models.CharField(max_length=10, choices=Type.choices, default=Type.PHYSICAL)
    name = models.CharField(max_length=300, blank=True)
    description = models.TextField(blank=True)
    # WGS84 decimal degrees; empty for a virtual location or an unknown place.
    latitude = models.FloatField(
        null=True, blank=True, validators=[MinValueValidator(-90), MaxValueValidator(90)]
    )
    longitude = models.FloatField(
        null=True, blank=True, validators=[MinValueValidator(-180), MaxValueValidator(180)]
    )
    external_identifier = models.CharField(max_length=100, blank=True)  # a UPRN
    external_identifier_type = models.CharField(max_length=50, blank=True)
    is_demo = models.BooleanField(default=False)

    class Meta:
        ordering = ["name"]
        indexes = [models.Index(fields=["partnership", "latitude", "longitude"])]

    def __str__(self) -> str:
        return self.name or str(self.id)

    def clean(self) -> None:
        if (self.latitude is None) != (self.longitude is None):
            raise ValidationError({"longitude": "Give both latitude and longitude, or neither"})


class Address(BaseModel):
    class Type(models.TextChoices):
        PHYSICAL = "physical", "Physical"
        POSTAL = "postal", "Postal"
        VIRTUAL = "virtual", "Virtual"

    location = models.ForeignKey(Location, on_delete=models.CASCADE, related_name="addresses")
    attention = models.CharField(max_length=200, blank=True)
    address_1 = models.CharField(max_length=300)
    city = models.CharField(max_length=100)
    region = models.CharField(max_length=100, blank=True)
    # The county in England (HSDS requires the field).
    state_province = models.CharField(max_length=100, blank=True)
    postal_code = models.CharField(max_length=20)
    country = models.CharField(max_length=2, default="GB")  # ISO 3166-1 alpha-2
    address_type = models.CharField(max_length=10, choices=Type.choices, default=Type.PHYSICAL)

    class Meta:
        ordering = ["location", "address_type"]
        verbose_name_plural = "addresses"
        indexes = [models.Index(fields=["postal_code"])]

    def __str__(self) -> str:
        return ", ".join(p for p in (self.address_1, self.city, self.postal_code) if p)

    @property
    def partnership_id(self) -> uuid.UUID:
        return self.location.partnership_id


class Accessibility(BaseModel):
    """Arrangements at a location for people with disabilities."""

    location = models.ForeignKey(Location, on_delete=models.CASCADE, related_name="accessibility")
    description = models.TextField(blank=True)
    details = models.TextField(blank=True)
    url = models.URLField(max_length=500, blank=True)
    # HSDS UK keeps the older single-text field beside `description`.
    accessibility = models.TextField(blank=True)

    class Meta:
        ordering = ["location", "created_at"]
        verbose_name_plural = "accessibility"

    def __str__(self) -> str:
        return (self.description or self.accessibility)[:80]

    @property
    def partnership_id(self) -> uuid.UUID:
        return self.location.partnership_id


class ServiceAtLocation(BaseModel):
    service = models.ForeignKey(
        Service, on_delete=models.CASCADE, related_name="service_at_locations"
    )
    location = models.ForeignKey(
        Location, on_delete=models.CASCADE, related_name="service_at_locations"
    )

    class Meta:
        ordering = ["service", "location"]
        constraints = [
            models.UniqueConstraint(
                fields=["service", "location"], name="service_at_location_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.service} at {self.location}"

    @property
    def partnership_id(self) -> uuid.UUID:
        return self.service.partnership_id

    def clean(self) -> None:
        if (
            self.service_id
            and self.location_id
            and self.location.partnership_id != self.service.partnership_id
        ):
            raise ValidationError({"location": "The location belongs to another partnership"})


class Contact(BaseModel):
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(max_length=200, blank=True)
    title = models.CharField(max_length=200, blank=True)
    email = models.EmailField(blank=True)

    class Meta:
        ordering = ["service", "name"]

    def __str__(self) -> str:
        return self.name or self.title or str(self.id)

    @property
    def partnership_id(self) -> uuid.UUID:
        return self.service.partnership_id


class Phone(BaseModel):
    """A telephone number of a service, or of one of its contacts."""

    service = models.ForeignKey(
        Service, null=True, blank=True, on_delete=models.CASCADE, related_name="phones"
    )
    contact = models.ForeignKey(
        Contact, null=True, blank=True, on_delete=models.CASCADE, related_name="phones"
    )
    number = models.CharField(max_length=50)
    description = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["created_at", "number"]

    def __str__(self) -> str:
        return self.number

    @property
    def partnership_id(self) -> uuid.UUID | None:
        owner = self.service or (self.contact.service if self.contact_id else None)
        return owner.partnership_id if owner else None

    def clean(self) -> None:
        if not self.service_id and not self.contact_id:
            raise ValidationError("A phone number belongs to a service or to a contact")
        if self.service_id and self.contact_id and self.contact.service_id != self.service_id:
            raise ValidationError({"contact": "The contact is another service's"})


class Schedule(BaseModel):
    """Opening times, as HSDS writes them: an RFC 5545 recurrence (freq, interval, byday...)
    with the hours it opens and closes, or a free-text description."""

    class Freq(models.TextChoices):
        WEEKLY = "WEEKLY", "Weekly"
        MONTHLY = "MONTHLY", "Monthly"
        NONE = "", "Not recurring"

    service = models.ForeignKey(
        Service, null=True, blank=True, on_delete=models.CASCADE, related_name="schedules"
    )
    service_at_location = models.ForeignKey(
        ServiceAtLocation,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="schedules",
    )
    valid_from = models.DateField(null=True, blank=True)
    valid_to = models.DateField(null=True, blank=True)
    dtstart = models.DateField(null=True, blank=True)
    freq = models.CharField(max_length=10, choices=Freq.choices, blank=True, default="")
    interval = models.PositiveSmallIntegerField(null=True, blank=True)
    byday = models.CharField(max_length=50, blank=True)  # "MO,TU,WE"
    bymonthday = models.CharField(max_length=50, blank=True)  # "1,15"
    description = models.TextField(blank=True)
    opens_at = models.TimeField(null=True, blank=True)
    closes_at = models.TimeField(null=True, blank=True)
    schedule_link = models.URLField(max_length=500, blank=True)
    attending_type = models.CharField(max_length=300, blank=True)
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return self.description[:80] or f"{self.byday} {self.opens_at}-{self.closes_at}"

    @property
    def partnership_id(self) -> uuid.UUID | None:
        owner = self.service or (
            self.service_at_location.service if self.service_at_location_id else None
        )
        return owner.partnership_id if owner else None

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if not self.service_id and not self.service_at_location_id:
            errors["service"] = "A schedule belongs to a service or to a service at a location"
        if self.valid_from and self.valid_to and self.valid_to < self.valid_from:
            errors["valid_to"] = (
                f"Valid to ({self.valid_to}) is before valid from ({self.valid_from})"
            )
        if errors:
            raise ValidationError(errors)


class CostOption(BaseModel):
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="cost_options")
    valid_from = models.DateField(null=True, blank=True)
    valid_to = models.DateField(null=True, blank=True)
    option = models.CharField(max_length=300, blank=True)  # "Under 18s"
    amount = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True)
    amount_description = models.CharField(max_length=300, blank=True)  # "per session"

    class Meta:
        ordering = ["service", "created_at"]

    def __str__(self) -> str:
        return f"{self.option} {self.amount}".strip()

    @property
    def partnership_id(self) -> uuid.UUID:
        return self.service.partnership_id


class ServiceArea(BaseModel):
    """The area a service covers: a name, optionally a geometry (`extent`)."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="service_areas")
    name = models.CharField(max_length=300, blank=True)
    service_area = models.TextField(blank=True)
    extent = models.TextField(blank=True)  # GeoJSON, KML or WKT as `extent_type` says
    extent_type = models.CharField(max_length=20, blank=True)
    uri = models.CharField(max_length=500, blank=True)  # e.g. an ONS geography code URI

    class Meta:
        ordering = ["service", "name"]

    def __str__(self) -> str:
        return self.name or self.service_area[:80]

    @property
    def partnership_id(self) -> uuid.UUID:
        return self.service.partnership_id


class Language(BaseModel):
    """A language a service (or one of its phone lines) is delivered in, without interpretation.

    HSDS UK 3.0's language table has only ids; `name`, `code` and `note` are HSDS 3.0's
    own fields, which the UK profile's schemas allow (docs/adr/0020)."""

    service = models.ForeignKey(
        Service, null=True, blank=True, on_delete=models.CASCADE, related_name="languages"
    )
    phone = models.ForeignKey(
        Phone, null=True, blank=True, on_delete=models.CASCADE, related_name="languages"
    )
    name = models.CharField(max_length=100, blank=True)  # "British Sign Language"
    code = models.CharField(max_length=10, blank=True)  # ISO 639: "en", "bfi"
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name or self.code or str(self.id)

    @property
    def partnership_id(self) -> uuid.UUID | None:
        owner = self.service or (self.phone.service if self.phone_id else None)
        return owner.partnership_id if owner else None

    def clean(self) -> None:
        if not self.service_id and not self.phone_id:
            raise ValidationError("A language belongs to a service or to a phone line")


class Funding(BaseModel):
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="funding")
    source = models.TextField()

    class Meta:
        ordering = ["service", "created_at"]
        verbose_name_plural = "funding"

    def __str__(self) -> str:
        return self.source[:80]

    @property
    def partnership_id(self) -> uuid.UUID:
        return self.service.partnership_id


class Attribute(BaseModel):
    """A service tagged with a taxonomy term (a service type, a need, a circumstance...)."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="attributes")
    taxonomy_term = models.ForeignKey(
        TaxonomyTerm, on_delete=models.CASCADE, related_name="attributes"
    )
    # HSDS attributes may link any table; here always "service", kept as the feed said it.
    link_type = models.CharField(max_length=50, blank=True)

    class Meta:
        ordering = ["service", "taxonomy_term"]
        constraints = [
            models.UniqueConstraint(
                fields=["service", "taxonomy_term"], name="attribute_unique_term"
            )
        ]
        indexes = [models.Index(fields=["taxonomy_term", "service"])]

    def __str__(self) -> str:
        return f"{self.service}: {self.taxonomy_term}"

    @property
    def partnership_id(self) -> uuid.UUID:
        return self.service.partnership_id

    def clean(self) -> None:
        if self.service_id and self.taxonomy_term_id:
            owner = self.taxonomy_term.taxonomy.partnership_id
            if owner is not None and owner != self.service.partnership_id:
                raise ValidationError({"taxonomy_term": "The term is another partnership's"})


class Feedback(BaseModel):
    """An answer to "was this page useful?" on the public site, for editors to act on."""

    class Status(models.TextChoices):
        NEW = "new", "New"
        ACTIONED = "actioned", "Actioned"
        DISMISSED = "dismissed", "Dismissed"

    partnership = models.ForeignKey(
        Partnership, on_delete=models.PROTECT, related_name="directory_feedback"
    )
    page_path = models.CharField(max_length=500)
    service = models.ForeignKey(
        Service, null=True, blank=True, on_delete=models.SET_NULL, related_name="feedback"
    )
    useful = models.BooleanField()
    comment = models.TextField(blank=True, max_length=2000)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.NEW)
    editor_note = models.TextField(blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    handled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name_plural = "feedback"
        indexes = [models.Index(fields=["partnership", "status", "created_at"])]

    def __str__(self) -> str:
        return f"{'Useful' if self.useful else 'Not useful'}: {self.page_path}"


class ServiceChange(BaseModel):
    """A provider's proposed edit of one of its services, waiting for the local authority.

    `proposed` holds the new values of the fields changed ({field: value}, JSON-safe);
    `original` the values they had when the edit was proposed, so an approver sees what an
    edit would overwrite if the service has changed since."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for approval"
        APPROVED = "approved", "Approved"
        REJECTED = "rejected", "Rejected"

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="changes")
    proposed = models.JSONField(default=dict)
    original = models.JSONField(default=dict)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    note = models.TextField(blank=True)  # the provider's note to the approver
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["service", "status"])]

    def __str__(self) -> str:
        return f"Change to {self.service} ({self.get_status_display()})"

    @property
    def partnership_id(self) -> uuid.UUID:
        return self.service.partnership_id


class Postcode(models.Model):
    """A postcode's centroid, so distance from a postcode works with no internet.

    Filled from an open table (the ONS Postcode Directory or National Statistics Postcode Lookup, OGL) by a
    command; `postcode` is upper case without spaces ("LN11YL"). An outward code alone
    ("LN1") may be a row too, for searches by district."""

    postcode = models.CharField(max_length=8, primary_key=True)
    latitude = models.FloatField()
    longitude = models.FloatField()

    class Meta:
        ordering = ["postcode"]

    def __str__(self) -> str:
        return self.postcode
