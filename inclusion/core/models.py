"""Base models and the audit log.

Every domain model inherits `BaseModel`: a UUID primary key (records leave the
system through the API and exports) and who/when columns. The audit log is
written only by `inclusion.core.audit` (signals miss bulk and raw operations).
"""

import uuid

from django.conf import settings
from django.db import models


class BaseModel(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    modified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        abstract = True


class AuditLog(models.Model):
    """One row per write (create, update, delete), export, import or read of a child's record."""

    class Operation(models.TextChoices):
        CREATE = "create", "Created"
        UPDATE = "update", "Updated"
        DELETE = "delete", "Deleted"
        EXPORT = "export", "Exported"
        IMPORT = "import", "Imported"
        VIEW = "view", "Viewed"
        LOGIN = "login", "Signed in"

    id = models.BigAutoField(primary_key=True)
    at = models.DateTimeField(db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Kept even if the user is later deleted; also names commands ("command: load_demo").
    actor_label = models.CharField(max_length=200)
    operation = models.CharField(max_length=10, choices=Operation.choices)
    object_type = models.CharField(max_length=100, db_index=True)  # "plans.action"
    object_id = models.CharField(max_length=64, blank=True, db_index=True)
    object_repr = models.CharField(max_length=300, blank=True)
    partnership_id = models.UUIDField(null=True, blank=True, db_index=True)
    # {"field": [old, new]} for updates; every field for creates and deletes.
    changes = models.JSONField(default=dict, blank=True)
    # The whole object after the write (before, for deletes): rebuilds any past state.
    snapshot = models.JSONField(default=dict, blank=True)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["object_type", "object_id", "at"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.operation} {self.object_type} {self.object_id}"


class NonWorkingDay(BaseModel):
    """A one-off bank holiday the `holidays` package does not know yet (England and Wales).

    The calendar (`inclusion.core.calendar`) adds these to the package's bank holidays.
    They are national days, proclaimed under the Banking and Financial Dealings Act 1971,
    so they belong to no partnership; a local closure is not one
    (docs/adr/0019-calendar-and-timescales.md). Written only by
    `inclusion.core.non_working_days`, which audits every change.
    """

    date = models.DateField(unique=True)
    name = models.CharField(max_length=100)
    note = models.TextField(blank=True, help_text="Where it was announced, for example")

    class Meta:
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.name} ({self.date:%d %B %Y})"


def _non_working_days_changed(**_kwargs: object) -> None:
    # Any save or delete, however made (a service, a fixture, a shell), clears the cached
    # calendar at once; imported here because the calendar reads this model.
    from inclusion.core import calendar

    calendar.invalidate()


models.signals.post_save.connect(
    _non_working_days_changed, sender=NonWorkingDay, dispatch_uid="non-working-day-saved"
)
models.signals.post_delete.connect(
    _non_working_days_changed, sender=NonWorkingDay, dispatch_uid="non-working-day-deleted"
)
