"""The editors' pages of the Local Offer (signed in)."""

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from inclusion.core.navigation import navigation_items
from inclusion.directory.permissions import DirectoryPermission


@require_GET
def editor_home(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm(DirectoryPermission.USE_EDITOR_PAGES):
        raise PermissionDenied
    return render(request, "directory/editor_home.html", {"navigation_items": navigation_items})
