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
