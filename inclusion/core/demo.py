"""The demo data registry behind `manage.py load_demo`.

Each app that has demo data keeps it in `inclusion/<app>/demo.py`, which calls
`register_demo(...)` when imported; `demo_load` imports those modules for every
installed app (as `rules` autodiscovers `rules.py`), so adding an app's demo never
edits core. Loaders run in `order` inside one transaction: a failure anywhere
leaves the database as it was. Each loader is idempotent (a second run creates,
changes and audits nothing) and returns lines to show the person who ran it,
such as the demo logins or a warning.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from importlib import import_module
from typing import Any, TypeVar

from django.apps import apps
from django.db import models, transaction
from django.utils.module_loading import module_has_submodule

from inclusion.core import audit
from inclusion.core.models import AuditLog

# Names the demo in the audit log's actor column ("command: load_demo").
DEMO_VIA = "command: load_demo"

Loader = Callable[[], Iterable[str] | None]
M = TypeVar("M", bound=models.Model)


@dataclass(frozen=True)
class DemoLoader:
    name: str
    loader: Loader
    order: int


_registry: dict[str, DemoLoader] = {}


def register_demo(name: str, loader: Loader, order: int = 100) -> None:
    """Add (or replace, by name) a demo loader; lower `order` runs first."""
    _registry[name] = DemoLoader(name=name, loader=loader, order=order)


def unregister_demo(name: str) -> None:
    _registry.pop(name, None)


def demo_autodiscover() -> None:
    """Import `<app>.demo` for every installed app that has one."""
    for config in apps.get_app_configs():
        if module_has_submodule(config.module, "demo"):
            import_module(f"{config.name}.demo")


def demo_loaders() -> list[DemoLoader]:
    demo_autodiscover()
    return sorted(_registry.values(), key=lambda entry: (entry.order, entry.name))


def demo_load() -> list[str]:
    """Run every registered loader in order, in one transaction; return their messages."""
    messages: list[str] = []
    with transaction.atomic():
        for entry in demo_loaders():
            messages.extend(entry.loader() or [])
    return messages


def demo_get_or_create(
    model: type[M],
    *,
    lookup: dict[str, Any],
    defaults: dict[str, Any] | None = None,
    lazy_defaults: Callable[[], dict[str, Any]] | None = None,
    audit_snapshot: bool = True,
) -> tuple[M, bool]:
    """Find the object by `lookup`, or validate, save and audit a new one.

    An object that exists is left exactly as it is (someone may have edited it),
    which is what makes a second `load_demo` change nothing. `lazy_defaults` are
    computed only for a new object (a password hash is slow). `audit_snapshot=False`
    audits the creation without copying the fields into the log (a user's password
    hash has no place in it).
    """
    existing = model._default_manager.filter(**lookup).first()
    if existing is not None:
        return existing, False
    obj = model(**lookup, **(defaults or {}), **(lazy_defaults() if lazy_defaults else {}))
    obj.full_clean()
    obj.save()
    if audit_snapshot:
        audit.log_create(obj, via=DEMO_VIA)
    else:
        audit.log_event(AuditLog.Operation.CREATE, obj=obj, via=DEMO_VIA)
    return obj, True
