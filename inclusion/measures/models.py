"""Measures of a SEND partnership's plan and the observations that evidence them.

Shape (docs/adr/0013-measures-model.md):
- `Geography`: England, a region, a local authority, keyed by its published code
  (E92000001, E12000004, E10000019; old LA code 925 beside it), loaded from the
  published files as they are imported.
- `Measure`: a definition (code, unit, polarity, numerator and denominator...). Shared
  by every partnership when it comes from published statistics or the computed-measure
  registry (`partnership` empty); a partnership's own otherwise.
- `PartnershipMeasure`: how one partnership uses a measure: owner, baseline, `Target`s
  over time, and the plan areas and actions it evidences (`MeasureEvidence`).
- `Observation`: one value for a period, a geography and (optionally) a breakdown.
  Published observations (`partnership` empty) are open data every partnership reads;
  entered and computed ones belong to one partnership.

Writes go through `inclusion.measures.services` only. This app imports no domain app:
the links to plan areas and actions are string references ("plans.Area").
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from inclusion.accounts.models import Partnership
from inclusion.core.models import BaseModel
from inclusion.measures import spc
from inclusion.measures.periods import Period, PeriodType

# 18 digits, 6 after the point: counts into the millions and percentages to 6 places.
VALUE_DIGITS = {"max_digits": 18, "decimal_places": 6}


class Unit(models.TextChoices):
    PERCENTAGE = "percentage", "Percentage"
    COUNT = "count", "Count"
    DAYS = "days", "Days"
    WEEKS = "weeks", "Weeks"
    RATE_PER_10000 = "rate_per_10000", "Rate per 10,000"


class Polarity(models.TextChoices):
    """Which way is better. "Neutral" for context measures (caseload, need mix), as the NHS
    Making Data Count icons have a neutral variation colour for them; the values are the
    ones `spc.Polarity` reads."""

    # The values are spc.Polarity's (one source); these add the labels people read.
    HIGHER = spc.Polarity.HIGHER.value, "Higher is better"
    LOWER = spc.Polarity.LOWER.value, "Lower is better"
    NEUTRAL = spc.Polarity.NEUTRAL.value, "Neither higher nor lower is better"


class Frequency(models.TextChoices):
    MONTHLY = "monthly", "Monthly"
    QUARTERLY = "quarterly", "Quarterly"
    TERMLY = "termly", "Termly"
    ANNUALLY = "annually", "Annually"


class ValueStatus(models.TextChoices):
    """Whether a value is there, and if not why: the GSS symbols DfE publishes
    (importers/codes.py maps each code to one of these)."""

    AVAILABLE = "available", "Available"
    NOT_AVAILABLE = "not_available", "Not available"
    NOT_APPLICABLE = "not_applicable", "Not applicable"
    CONFIDENTIAL = "confidential", "Suppressed to protect confidentiality"
    LOW = "low", "Rounds to zero, but is not zero"
    LOW_RELIABILITY = "low_reliability", "Withheld: low reliability"


class Geography(BaseModel):
    """A place figures are published for, by its published (GSS) code."""

    class Level(models.TextChoices):
        NATIONAL = "national", "National"
        REGIONAL = "regional", "Regional"
        LOCAL_AUTHORITY = "local_authority", "Local authority"

    code = models.CharField(max_length=9, unique=True)  # E92000001, E12000004, E10000019
    # DfE's 3-digit LA number (925). Not unique: a reorganised council may keep it
    # (825 was Buckinghamshire county E10000002, then the unitary E06000060).
    old_la_code = models.CharField(max_length=3, blank=True, db_index=True)
    name = models.CharField(max_length=200)
    level = models.CharField(max_length=20, choices=Level.choices)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="children"
    )
    # The end of the latest period a file published it for: the name and parent of the
    # latest period win, and an old code shared by two councils means the latest first.
    last_period_end = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["level", "name"]
        verbose_name_plural = "geographies"

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class Measure(BaseModel):
    class Kind(models.TextChoices):
        PUBLISHED = "published", "Published statistics"
        COMPUTED = "computed", "Computed from the system's records"
        LOCAL = "local", "Entered by the partnership"

    # Empty for shared definitions (published statistics, computed measures).
    partnership = models.ForeignKey(
        Partnership, null=True, blank=True, on_delete=models.PROTECT, related_name="measures"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.LOCAL)
    code = models.SlugField(max_length=80, unique=True, allow_unicode=False)
    title = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    unit = models.CharField(max_length=20, choices=Unit.choices)
    polarity = models.CharField(max_length=10, choices=Polarity.choices)
    numerator_definition = models.TextField(blank=True)
    denominator_definition = models.TextField(blank=True)
    frequency = models.CharField(
        max_length=10, choices=Frequency.choices, default=Frequency.ANNUALLY
    )
    data_source = models.TextField(blank=True, help_text="Who publishes or records it, and where")
    # The published-statistics mapping that first defined it ("ehcp_timeliness"), if any.
    mapping = models.CharField(max_length=100, blank=True)

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return self.title


class PartnershipMeasure(BaseModel):
    """A partnership's use of a measure: who owns it, where it started, the plan it evidences."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.PROTECT, related_name="measure_uses"
    )
    measure = models.ForeignKey(Measure, on_delete=models.PROTECT, related_name="uses")
    owner = models.CharField(max_length=200, blank=True, help_text="A person, team or board")
    baseline_value = models.DecimalField(null=True, blank=True, **VALUE_DIGITS)
    baseline_date = models.DateField(null=True, blank=True)
    baseline_note = models.TextField(blank=True)

    class Meta:
        ordering = ["measure__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "measure"], name="partnership_measure_unique"
            ),
            models.CheckConstraint(
                condition=Q(baseline_value__isnull=True) | Q(baseline_date__isnull=False),
                name="partnership_measure_baseline_dated",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.measure} ({self.partnership})"

    def clean(self) -> None:
        if self.baseline_value is not None and self.baseline_date is None:
            raise ValidationError({"baseline_date": "A baseline needs the date it was measured"})
        if (
            self.measure_id
            and self.measure.partnership_id
            and self.measure.partnership_id != self.partnership_id
        ):
            raise ValidationError({"measure": "That measure belongs to another partnership"})


class Target(BaseModel):
    """The value a partnership aims for by a date; a measure may have several over time."""

    partnership_measure = models.ForeignKey(
        PartnershipMeasure, on_delete=models.CASCADE, related_name="targets"
    )
    date = models.DateField(help_text="The date by which the value should be reached")
    value = models.DecimalField(**VALUE_DIGITS)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["partnership_measure", "date"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership_measure", "date"], name="target_unique_date"
            )
        ]

    def __str__(self) -> str:
        return f"{self.value} by {self.date}"

    @property
    def partnership_id(self):  # type: ignore[no-untyped-def]
        return self.partnership_measure.partnership_id


class MeasureEvidence(BaseModel):
    """A plan area or action a measure evidences (the many-to-many, kept in this app).

    String references keep `measures` free of any import of the plans app (ARCHITECTURE.md).
    """

    partnership_measure = models.ForeignKey(
        PartnershipMeasure, on_delete=models.CASCADE, related_name="evidence"
    )
    area = models.ForeignKey(
        "plans.Area", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    action = models.ForeignKey(
        "plans.Action", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )

    class Meta:
        verbose_name_plural = "measure evidence"
        constraints = [
            models.CheckConstraint(
                condition=(Q(area__isnull=False) & Q(action__isnull=True))
                | (Q(area__isnull=True) & Q(action__isnull=False)),
                name="measure_evidence_area_or_action",
            ),
            models.UniqueConstraint(
                fields=["partnership_measure", "area"],
                condition=Q(area__isnull=False),
                name="measure_evidence_unique_area",
            ),
            models.UniqueConstraint(
                fields=["partnership_measure", "action"],
                condition=Q(action__isnull=False),
                name="measure_evidence_unique_action",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.partnership_measure.measure.code} → {self.area or self.action}"

    @property
    def partnership_id(self):  # type: ignore[no-untyped-def]
        return self.partnership_measure.partnership_id


class Observation(BaseModel):
    class Source(models.TextChoices):
        ENTERED = "entered", "Entered"
        IMPORTED = "imported", "Imported from published statistics"
        COMPUTED = "computed", "Computed from the system's records"

    measure = models.ForeignKey(Measure, on_delete=models.PROTECT, related_name="observations")
    # Empty for published statistics (open data every partnership reads).
    partnership = models.ForeignKey(
        Partnership,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="observations",
    )
    geography = models.ForeignKey(Geography, on_delete=models.PROTECT, related_name="observations")
    period_type = models.CharField(max_length=20, choices=PeriodType.choices)
    period_start = models.DateField()
    period_end = models.DateField()
    period_label = models.CharField(max_length=40, help_text="As published: 2019, 201819")
    # Both empty: the whole population. Otherwise e.g. "Ethnicity" / "Any other ethnic group".
    breakdown_topic = models.CharField(max_length=200, blank=True)
    breakdown = models.CharField(max_length=200, blank=True)
    value = models.DecimalField(null=True, blank=True, **VALUE_DIGITS)
    numerator = models.DecimalField(null=True, blank=True, **VALUE_DIGITS)
    denominator = models.DecimalField(null=True, blank=True, **VALUE_DIGITS)
    # The symbol published instead of a number ("x", "c", "low"), exactly as written.
    value_code = models.CharField(max_length=10, blank=True)
    numerator_code = models.CharField(max_length=10, blank=True)
    denominator_code = models.CharField(max_length=10, blank=True)
    status = models.CharField(
        max_length=20, choices=ValueStatus.choices, default=ValueStatus.AVAILABLE
    )
    source = models.CharField(max_length=10, choices=Source.choices)
    # Where it came from: "education-health-and-care-plans_2025.zip: timeliness_20_week.csv".
    source_reference = models.CharField(max_length=300, blank=True)
    note = models.TextField(blank=True)

    class Meta:
        # No default ordering: selectors order explicitly, and bulk reads need none.
        constraints = [
            models.UniqueConstraint(
                fields=[
                    "measure",
                    "geography",
                    "period_type",
                    "period_start",
                    "period_end",
                    "breakdown_topic",
                    "breakdown",
                ],
                condition=Q(partnership__isnull=True),
                name="observation_unique_published",
            ),
            models.UniqueConstraint(
                fields=[
                    "partnership",
                    "measure",
                    "geography",
                    "period_type",
                    "period_start",
                    "period_end",
                    "breakdown_topic",
                    "breakdown",
                ],
                condition=Q(partnership__isnull=False),
                name="observation_unique_local",
            ),
            # A missing value is never stored as a number (never a 0 for "suppressed").
            models.CheckConstraint(
                condition=(Q(status=ValueStatus.AVAILABLE) & Q(value__isnull=False))
                | (~Q(status=ValueStatus.AVAILABLE) & Q(value__isnull=True)),
                name="observation_value_matches_status",
            ),
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")),
                name="observation_period_in_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.measure_id} {self.geography_id} {self.period_label}: {self.value}"

    @property
    def period(self) -> Period:
        return Period(self.period_start, self.period_end, self.period_type, self.period_label)

    def clean(self) -> None:
        if self.period_end and self.period_start and self.period_end < self.period_start:
            raise ValidationError({"period_end": "The period ends before it starts"})
        if self.status == ValueStatus.AVAILABLE and self.value is None:
            raise ValidationError({"value": "Enter the value, or say why it is not available"})
        if self.status != ValueStatus.AVAILABLE and self.value is not None:
            raise ValidationError(
                {"value": f"A value that is '{self.get_status_display()}' has no number"}
            )


class ComparatorArea(BaseModel):
    """A local authority a partnership compares itself with: its statistical neighbours,
    chosen by an admin (DfE's children's services statistical neighbour benchmarking tool
    lists ten per council; a partnership may choose its own set). England and the
    partnership's region are always compared and need no row here."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="comparator_areas"
    )
    geography = models.ForeignKey(Geography, on_delete=models.PROTECT, related_name="+")
    rank = models.PositiveSmallIntegerField(default=0, help_text="1 is the closest neighbour")

    class Meta:
        ordering = ["partnership", "rank", "geography__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "geography"], name="comparator_area_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.geography} for {self.partnership}"

    def clean(self) -> None:
        if self.geography_id and self.geography.level != Geography.Level.LOCAL_AUTHORITY:
            raise ValidationError({"geography": "A statistical neighbour is a local authority"})


class StatisticsUpload(BaseModel):
    """A published-statistics file uploaded through the page, and how its import went.

    The file is kept until the import is applied or discarded, so a person can check the
    preview first and nothing is read twice from their computer; the status page reads
    `status`, `progress` and `message` while the work runs.
    """

    class Status(models.TextChoices):
        WAITING = "waiting", "Waiting to be checked"
        CHECKING = "checking", "Being checked"
        CHECKED = "checked", "Checked: ready to import"
        IMPORTING = "importing", "Importing"
        IMPORTED = "imported", "Imported"
        FAILED = "failed", "Failed: nothing was saved"
        DISCARDED = "discarded", "Discarded"

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="statistics_uploads"
    )
    filename = models.CharField(max_length=255)
    content = models.BinaryField(null=True, blank=True)
    size = models.PositiveBigIntegerField(default=0)
    sha256 = models.CharField(max_length=64, blank=True)
    mapping = models.CharField(max_length=100, help_text="A shipped mapping's name, or all")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.WAITING)
    # 0 to 100 while checking or importing, with what is being read.
    progress = models.PositiveSmallIntegerField(default=0)
    progress_text = models.CharField(max_length=300, blank=True)
    message = models.TextField(blank=True, help_text="The outcome, in a sentence")
    # Each problem: {"file", "row", "column", "message"} (as PublishedStatisticsError lists).
    problems = models.JSONField(default=list, blank=True)
    problem_count = models.PositiveIntegerField(default=0)
    counts = models.JSONField(default=dict, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.filename} ({self.get_status_display()})"
