"""The one audit service: every write, export, import and read of a child's record.

Services call these functions inside their transaction, so an audit row exists
exactly when the change it describes was committed.
"""

import datetime as dt
import decimal
import hashlib
import uuid
from typing import Any

from django.db import models
from django.utils import timezone

from inclusion.core.models import AuditLog

# Secrets never reach the audit log, whatever the model.
NEVER_LOGGED = {"password"}


def _json_value(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, dt.timedelta):
        return value.total_seconds()
    if isinstance(value, uuid.UUID | decimal.Decimal):
        return str(value)
    if isinstance(value, bytes | memoryview):
        # File contents are not copied into the log: their size and digest identify them.
        data = bytes(value)
        return {"bytes": len(data), "sha256": hashlib.sha256(data).hexdigest()}
    if isinstance(value, list | tuple):
        return [_json_value(v) for v in value]
    if isinstance(value, dict):
        return {k: _json_value(v) for k, v in value.items()}
    return value


def snapshot(obj: models.Model) -> dict[str, Any]:
    """A JSON-safe dict of the object's concrete fields (foreign keys as ids)."""
    data: dict[str, Any] = {}
    hidden = NEVER_LOGGED | set(getattr(obj, "audit_exclude", ()))
    for field in obj._meta.concrete_fields:
        if field.attname in hidden:
            data[field.attname] = "(not logged)"
            continue
        data[field.attname] = _json_value(getattr(obj, field.attname))
    extra = getattr(obj, "audit_extra", None)
    if callable(extra):
        data.update(_json_value(extra()))
    return data


def _actor_label(actor: Any, via: str) -> str:
    if actor is not None and getattr(actor, "is_authenticated", False):
        return actor.get_username()
    return via or "system"


def _partnership_id(obj: models.Model | None) -> Any:
    if obj is None:
        return None
    return getattr(obj, "partnership_id", None)


def _write(
    *,
    operation: str,
    obj: models.Model | None,
    actor: Any,
    via: str,
    changes: dict[str, Any] | None = None,
    snap: dict[str, Any] | None = None,
    note: str = "",
    object_type: str = "",
    object_id: str = "",
    object_repr: str = "",
    partnership_id: Any = None,
    at: dt.datetime | None = None,
) -> AuditLog:
    user = actor if actor is not None and getattr(actor, "is_authenticated", False) else None
    return AuditLog.objects.create(
        at=at or timezone.now(),
        actor=user,
        actor_label=_actor_label(actor, via),
        operation=operation,
        object_type=object_type or (obj._meta.label_lower if obj is not None else ""),
        object_id=object_id or (str(obj.pk) if obj is not None else ""),
        object_repr=(object_repr or (str(obj) if obj is not None else ""))[:300],
        partnership_id=partnership_id or _partnership_id(obj),
        changes=_json_value(changes or {}),
        snapshot=snap or {},
        note=note,
    )


def log_create(obj: models.Model, *, actor: Any = None, via: str = "", note: str = "") -> AuditLog:
    snap = snapshot(obj)
    return _write(
        operation=AuditLog.Operation.CREATE,
        obj=obj,
        actor=actor,
        via=via,
        changes={k: [None, v] for k, v in snap.items()},
        snap=snap,
        note=note,
    )


def log_update(
    obj: models.Model, *, before: dict[str, Any], actor: Any = None, via: str = "", note: str = ""
) -> AuditLog | None:
    """Log the difference between `before` (a `snapshot`) and the object now; nothing if equal."""
    after = snapshot(obj)
    ignored = {"updated_at", "modified_by_id"}
    changes = {
        k: [before.get(k), v] for k, v in after.items() if before.get(k) != v and k not in ignored
    }
    if not changes:
        return None
    return _write(
        operation=AuditLog.Operation.UPDATE,
        obj=obj,
        actor=actor,
        via=via,
        changes=changes,
        snap=after,
        note=note,
    )


def log_delete(obj: models.Model, *, actor: Any = None, via: str = "", note: str = "") -> AuditLog:
    snap = snapshot(obj)
    return _write(
        operation=AuditLog.Operation.DELETE,
        obj=obj,
        actor=actor,
        via=via,
        changes={k: [v, None] for k, v in snap.items()},
        snap=snap,
        note=note,
    )


def log_event(
    operation: str,
    *,
    actor: Any = None,
    via: str = "",
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str = "",
    object_repr: str = "",
    partnership_id: Any = None,
    note: str = "",
) -> AuditLog:
    """An export, import, login or a read of a child's record."""
    return _write(
        operation=operation,
        obj=obj,
        actor=actor,
        via=via,
        note=note,
        object_type=object_type,
        object_id=object_id,
        object_repr=object_repr,
        partnership_id=partnership_id,
    )


def state_as_of(obj_type: str, obj_id: Any, at: dt.datetime) -> dict[str, Any] | None:
    """The object's fields as they stood at `at`, from the audit snapshots; None if it did not exist."""
    entry = (
        AuditLog.objects.filter(
            object_type=obj_type,
            object_id=str(obj_id),
            at__lte=at,
            operation__in=[
                AuditLog.Operation.CREATE,
                AuditLog.Operation.UPDATE,
                AuditLog.Operation.DELETE,
            ],
        )
        .order_by("-at", "-id")
        .first()
    )
    if entry is None or entry.operation == AuditLog.Operation.DELETE:
        return None
    return entry.snapshot


def history(obj: models.Model) -> models.QuerySet[AuditLog]:
    return AuditLog.objects.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk))
