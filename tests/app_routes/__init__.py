"""Each app's rows for the route-walking tests, one module per app, so that engineers
adding pages to different apps never edit the same file.

A module here (`measures.py`, `directory.py`...) may define any of:

- `MATRIX`: route name -> method -> roles allowed (tests/test_permissions_matrix.py)
- `PUBLIC`: routes anyone may use without signing in
- `BODIES`: route -> method -> function of the partnership giving a request body
- `NOT_PAGES`: route name -> why it is not an HTML page (tests/browser/test_accessibility.py)
- `KWARG_ALIASES`, `PARENTS`, `DEPTH`, `ROUTE_KWARGS`: as in tests/browser/routes.py
- `pickers(partnership) -> dict[key, callable]`: how to find the demo object for a URL
  argument (tests/browser/routes.py `pick_objects`)

`merged(name)` gathers one of them from every module.
"""

import importlib
import pkgutil
from types import ModuleType
from typing import Any

from inclusion.accounts.models import Role

ALL = frozenset(Role.values)
EDITORS = frozenset({Role.ADMIN, Role.PLAN_EDITOR})
ADMINS = frozenset({Role.ADMIN})


def modules() -> list[ModuleType]:
    return [
        importlib.import_module(f"{__name__}.{info.name}")
        for info in sorted(pkgutil.iter_modules(__path__), key=lambda i: i.name)
    ]


def merged(name: str) -> Any:
    """Every module's `name` joined: dicts and sets merged (a key defined twice is an
    error, so two apps cannot silently overwrite each other's rows), lists appended."""
    found: Any = None
    for module in modules():
        value = getattr(module, name, None)
        if value is None:
            continue
        if found is None:
            found = type(value)()
        if isinstance(value, dict):
            clash = set(found) & set(value)
            assert not clash, f"{module.__name__}.{name} redefines {sorted(clash)}"
            found.update(value)
        elif isinstance(value, set | frozenset):
            found = found | value
        else:
            found = found + list(value)
    return found


def pickers(partnership: Any) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for module in modules():
        if hasattr(module, "pickers"):
            found.update(module.pickers(partnership))
    return found
