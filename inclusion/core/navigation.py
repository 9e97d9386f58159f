"""The service navigation: each app adds its sections at start-up, core draws them.

Core imports no domain app (ARCHITECTURE.md), so the apps register here (in their
`AppConfig.ready`) instead of core listing them. A section is shown to a signed-in user
when its `visible(user)` says so, and marked active when `active(resolver_match)` does.
"Sign out" is always last.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.urls import reverse


@dataclass(frozen=True)
class Section:
    key: str
    text: str
    url_name: str
    order: int
    active: Callable[[Any], bool]
    visible: Callable[[Any], bool] = lambda user: True


_SECTIONS: dict[str, Section] = {}


def register_section(
    *,
    key: str,
    text: str,
    url_name: str,
    order: int,
    active: Callable[[Any], bool],
    visible: Callable[[Any], bool] = lambda user: True,
) -> None:
    """Add (or replace, by key) a section of the navigation."""
    _SECTIONS[key] = Section(key, text, url_name, order, active, visible)


def navigation_items(request: HttpRequest) -> list[dict[str, Any]]:
    """Items for the service navigation component, for the signed-in user."""
    user = request.user
    match = getattr(request, "resolver_match", None)
    items = [
        {"href": reverse(section.url_name), "text": section.text, "active": section.active(match)}
        for section in sorted(_SECTIONS.values(), key=lambda s: (s.order, s.key))
        if section.visible(user)
    ]
    items.append({"href": reverse("logout_confirm"), "text": "Sign out"})
    for item in items:
        if item["href"] == request.path:
            item["current"] = True
    return items


def in_namespace(namespace: str, *, except_names: tuple[str, ...] = ()) -> Callable[[Any], bool]:
    """`active` for a section covering a URL namespace (but for some of its pages)."""

    def active(match: Any) -> bool:
        return bool(
            match and match.namespace == namespace and (match.url_name or "") not in except_names
        )

    return active
