"""What every plan page does the same way: render with the navigation, check a permission."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from inclusion.core.navigation import navigation_items
from inclusion.plans.permissions import PlanPermission


def render_page(
    request: HttpRequest, template: str, context: dict[str, Any], *, status: int = 200
) -> HttpResponse:
    context.setdefault("navigation_items", navigation_items)
    return render(request, template, context, status=status)


def require(request: HttpRequest, permission: PlanPermission, obj: Any) -> None:
    """403 unless the `rules` permission allows it (the one place roles are decided)."""
    if not request.user.has_perm(permission, obj):
        raise PermissionDenied
