"""Inclusion plans and inspection action plans, with their RAG-rated progress.

Shape (docs/adr/0005-plan-model.md):
partnership → plans → priorities → commitments ("achieved" / "will do next")
plan → areas for improvement (optionally under a priority) → actions
action → leads, progress updates (dated narrative + RAG), deadline changes.

Writes go through `inclusion.plans.services` only (audit, optimistic locking).
"""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from inclusion.accounts.models import Organisation, Partnership
from inclusion.core.models import BaseModel
from inclusion.core.partial_dates import PartialDate, Precision, from_fields


class Rag(models.TextChoices):
    """The rating of an action. Blue means complete (docs/adr/0006-rag.md).

    An empty value means "not rated"; exports write it as null.
    """

    RED = "red", "Red"
    AMBER = "amber", "Amber"
    GREEN = "green", "Green"
    BLUE = "blue", "Complete"
    NOT_RATED = "", "Not rated"


def is_overdue(deadline: PartialDate | None, rag: str, on: dt.date) -> bool:
    """The overdue rule (docs/adr/0004, 0006): past the by-when's last day and not complete.

    `selectors.overdue_q` is the same rule as a query; a test keeps the two in step.
    """
    return bool(deadline and rag != Rag.BLUE and deadline.deadline < on)


class PrecisionChoices(models.TextChoices):
    DAY = Precision.DAY.value, "Day"
    MONTH = Precision.MONTH.value, "Month"


class Plan(BaseModel):
    class Kind(models.TextChoices):
        INCLUSION = "inclusion", "Inclusion plan"
        INSPECTION_ACTION = "inspection_action", "Inspection action plan"
        OTHER = "other", "Other plan"

    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="plans")
    kind = models.CharField(max_length=30, choices=Kind.choices, default=Kind.INSPECTION_ACTION)
    title = models.CharField(max_length=300)
    slug = models.SlugField(max_length=120)
    description = models.TextField(blank=True)
    period_start = models.DateField(null=True, blank=True)
    period_end = models.DateField(null=True, blank=True)
    # The date of the last board report: "what changed since" starts here by default.
    last_report_date = models.DateField(null=True, blank=True)
    # Shown on the public (no login) page of the partnership.
    is_public = models.BooleanField(default=False)

    class Meta:
        ordering = ["title"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "slug"], name="plan_unique_slug"),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if self.period_start and self.period_end and self.period_end < self.period_start:
            raise ValidationError(
                {
                    "period_end": f"The period ends ({self.period_end}) before it starts ({self.period_start})"
                }
            )
        if self.last_report_date and self.last_report_date > timezone.localdate():
            raise ValidationError(
                {"last_report_date": "Date of the board report must be today or in the past"}
            )


class Board(BaseModel):
    """A governance board that actions report to (SEND Steering Group, SEND Health Committee...)."""

    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="boards")
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "name"], name="board_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


class Priority(BaseModel):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="priorities")
    position = models.PositiveIntegerField(default=0)
    title = models.CharField(max_length=500)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["plan", "position"]
        verbose_name_plural = "priorities"

    def __str__(self) -> str:
        return self.title

    @property
    def partnership_id(self):  # type: ignore[no-untyped-def]
        return self.plan.partnership_id


class Commitment(BaseModel):
    class Kind(models.TextChoices):
        ACHIEVED = "achieved", "What we have achieved so far"
        NEXT = "next", "What we will do next"

    priority = models.ForeignKey(Priority, on_delete=models.CASCADE, related_name="commitments")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    position = models.PositiveIntegerField(default=0)
    text = models.TextField()

    class Meta:
        ordering = ["priority", "kind", "position"]

    def __str__(self) -> str:
        return self.text[:80]

    @property
    def partnership_id(self):  # type: ignore[no-untyped-def]
        return self.priority.plan.partnership_id


class Area(BaseModel):
    """An area for improvement (or of development) that actions answer."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="areas")
    priority = models.ForeignKey(
        Priority, null=True, blank=True, on_delete=models.SET_NULL, related_name="areas"
    )
    position = models.PositiveIntegerField(default=0)
    title = models.TextField()

    class Meta:
        ordering = ["plan", "position"]

    def __str__(self) -> str:
        return self.title[:80]

    @property
    def partnership_id(self):  # type: ignore[no-untyped-def]
        return self.plan.partnership_id


class Action(BaseModel):
    area = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="actions")
    # Denormalised so every query can be scoped and filtered without joins.
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="actions")
    position = models.PositiveIntegerField(default=0)
    how = models.TextField(help_text="What will be done")
    by_when = models.DateField(null=True, blank=True)
    by_when_precision = models.CharField(
        max_length=5, choices=PrecisionChoices.choices, default=PrecisionChoices.DAY
    )
    partners = models.TextField(blank=True)
    board = models.ForeignKey(
        Board, null=True, blank=True, on_delete=models.SET_NULL, related_name="actions"
    )
    # The rating of record: the RAG of the latest progress update (set by the services only).
    rag = models.CharField(max_length=5, choices=Rag.choices, blank=True, default=Rag.NOT_RATED)
    rag_date = models.DateField(null=True, blank=True)
    # Optimistic locking: every edit names the version it started from.
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["plan", "area__position", "position"]
        indexes = [models.Index(fields=["plan", "rag"]), models.Index(fields=["plan", "by_when"])]

    def __str__(self) -> str:
        return self.how[:80]

    @property
    def partnership_id(self):  # type: ignore[no-untyped-def]
        return self.plan.partnership_id

    @property
    def by_when_partial(self) -> PartialDate | None:
        return from_fields(self.by_when, self.by_when_precision)

    @property
    def is_complete(self) -> bool:
        return self.rag == Rag.BLUE

    def is_overdue(self, today: dt.date) -> bool:
        """Past its by-when (a month: past its last day) and not complete."""
        return is_overdue(self.by_when_partial, self.rag, today)

    def audit_extra(self) -> dict:
        return {"leads": [lead.name for lead in self.leads.all()]}


class ActionLead(BaseModel):
    """A lead named as the source writes it ("Kate Capel", "Health DCO", "CCG").

    Linked to a user or organisation when one matches, so a lead can be found and told.
    """

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="leads")
    position = models.PositiveIntegerField(default=0)
    name = models.CharField(max_length=200)
    user = models.ForeignKey(
        "accounts.User",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="led_actions",
    )
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.SET_NULL, related_name="led_actions"
    )

    class Meta:
        ordering = ["action", "position"]

    def __str__(self) -> str:
        return self.name

    @property
    def partnership_id(self):  # type: ignore[no-untyped-def]
        return self.action.plan.partnership_id


class ProgressUpdate(BaseModel):
    """A dated progress narrative with the RAG rating given at that date."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="updates")
    date = models.DateField()
    date_precision = models.CharField(
        max_length=5, choices=PrecisionChoices.choices, default=PrecisionChoices.DAY
    )
    text = models.TextField(help_text="Paragraphs separated by a blank line")
    rag = models.CharField(max_length=5, choices=Rag.choices, blank=True, default=Rag.NOT_RATED)
    rag_rationale = models.TextField(blank=True)
    author = models.ForeignKey(
        "accounts.User",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="progress_updates",
    )
    author_name = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["action", "date", "created_at"]
        # "The update before this one" and "the latest as of a date" seek this index.
        indexes = [models.Index(fields=["action", "date", "created_at"])]

    def __str__(self) -> str:
        return f"{self.date_partial} {self.get_rag_display()}"

    @property
    def date_partial(self) -> PartialDate:
        return PartialDate(self.date, Precision(self.date_precision))

    @property
    def partnership_id(self):  # type: ignore[no-untyped-def]
        return self.action.plan.partnership_id


class DeadlineChange(BaseModel):
    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="deadline_changes")
    changed_on = models.DateField()
    old_date = models.DateField(null=True, blank=True)
    old_precision = models.CharField(
        max_length=5, choices=PrecisionChoices.choices, default=PrecisionChoices.DAY
    )
    new_date = models.DateField(null=True, blank=True)
    new_precision = models.CharField(
        max_length=5, choices=PrecisionChoices.choices, default=PrecisionChoices.DAY
    )
    reason = models.TextField()
    changed_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    changed_by_name = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["action", "changed_on", "created_at"]

    def __str__(self) -> str:
        return f"{self.old_partial} → {self.new_partial}"

    @property
    def old_partial(self) -> PartialDate | None:
        return from_fields(self.old_date, self.old_precision)

    @property
    def new_partial(self) -> PartialDate | None:
        return from_fields(self.new_date, self.new_precision)

    @property
    def partnership_id(self):  # type: ignore[no-untyped-def]
        return self.action.plan.partnership_id


class PlanImport(BaseModel):
    """An uploaded file on its way into a plan: previewed, then applied or discarded.

    The upload page shows its status; nothing reaches the plan until it is applied.
    """

    class Status(models.TextChoices):
        PREVIEWED = "previewed", "Ready to check"
        FAILED = "failed", "Has errors"
        APPLIED = "applied", "Imported"
        DISCARDED = "discarded", "Discarded"

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="plan_imports"
    )
    plan = models.ForeignKey(
        Plan, null=True, blank=True, on_delete=models.SET_NULL, related_name="imports"
    )
    plan_title = models.CharField(max_length=300, blank=True)
    filename = models.CharField(max_length=255)
    content = models.BinaryField()
    status = models.CharField(max_length=10, choices=Status.choices)
    # The parsed preview (what will be created or changed) or the errors.
    summary = models.JSONField(default=dict, blank=True)
    errors = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.filename} ({self.get_status_display()})"
