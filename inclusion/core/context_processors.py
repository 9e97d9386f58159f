from typing import Any

from django.conf import settings
from django.http import HttpRequest


def service(request: HttpRequest) -> dict[str, Any]:
    """The service header names the user's partnership, or the configured service name."""
    user = getattr(request, "user", None)
    partnership = getattr(user, "partnership", None) if user and user.is_authenticated else None
    return {
        "service_name": settings.SERVICE_NAME,
        "partnership_name": partnership.name if partnership else "",
    }
