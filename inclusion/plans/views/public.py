"""The partnership's public inclusion plan page: no sign-in, published plans only."""

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from inclusion.plans import page_helpers


@login_not_required
@require_GET
def public_plans(request: HttpRequest, partnership_slug: str) -> HttpResponse:
    partnership = page_helpers.partnership_get_by_slug(partnership_slug)
    return render(
        request,
        "plans/public_plans.html",
        {
            "partnership": partnership,
            "page_partnership_name": partnership.name,
            "page_home_url": request.path,
            "sections": page_helpers.public_plan_sections(partnership_slug=partnership.slug),
        },
    )
