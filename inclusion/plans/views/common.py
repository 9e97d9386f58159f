"""What every plan page does the same way: check a permission.

(Pages render with `django.shortcuts.render`; the layout draws the navigation from the
Jinja2 global `navigation_items`, inclusion/core/navigation.py.)"""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from inclusion.plans.permissions import PlanPermission


def require(request: HttpRequest, permission: PlanPermission, obj: Any) -> None:
    """403 unless the `rules` permission allows it (the one place roles are decided)."""
    if not request.user.has_perm(permission, obj):
        raise PermissionDenied
