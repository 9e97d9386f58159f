"""The one way a service saves a model: validate, record who, save, audit.

Services call these inside their transaction, so every create and update is
`full_clean()`-ed and leaves exactly one audit row (none for an update that changes
nothing).
"""

from typing import Any

from django.db import models

from inclusion.core import audit


def acting_user(actor: Any) -> Any:
    """The signed-in user behind a write, or None for commands and anonymous callers."""
    return actor if actor is not None and getattr(actor, "is_authenticated", False) else None


def save_new(obj: models.Model, *, actor: Any = None, via: str = "", log: bool = True) -> Any:
    """Create `obj`; `log=False` when the caller logs it later (after its children exist)."""
    user = acting_user(actor)
    if hasattr(obj, "created_by_id"):
        obj.created_by = user
        obj.modified_by = user
    obj.full_clean()
    obj.save()
    if log:
        audit.log_create(obj, actor=actor, via=via)
    return obj


def save_changes(
    obj: models.Model, *, actor: Any = None, via: str = "", note: str = "", **fields: Any
) -> Any:
    """Set `fields` on `obj`, validate, save and log the difference."""
    before = audit.snapshot(obj)
    for name, value in fields.items():
        setattr(obj, name, value)
    if hasattr(obj, "modified_by_id"):
        obj.modified_by = acting_user(actor)
    obj.full_clean()
    obj.save()
    audit.log_update(obj, before=before, actor=actor, via=via, note=note)
    return obj
