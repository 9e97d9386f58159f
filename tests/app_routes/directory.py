"""Route-walk rows of the Local Offer (app `directory`): the public site, the editors' pages
and the Open Referral UK API. Shared by the two engineers of the app: keep edits small.
"""

from typing import Any

from inclusion.directory import selectors
from tests.app_routes import ALL

# ------------------------------------------------------------------ Open Referral UK API
# Public by design (the ORUK standard: "publicly open without any need to register"), for
# every role and anonymous visitors alike; it publishes only active services.
ORUK_ROUTES = [
    "oruk-root",
    "oruk-openapi",
    "oruk-services",
    "oruk-service",
    "oruk-taxonomies",
    "oruk-taxonomy",
    "oruk-taxonomy-terms",
    "oruk-taxonomy-term",
    "oruk-service-at-locations",
    "oruk-service-at-location",
]

MATRIX: dict[str, dict[str, frozenset[str]]] = {
    **{name: {"get": ALL} for name in ORUK_ROUTES},
    # Any other path under /api/oruk/: a JSON 404 with CORS, by design, so no request of the
    # matrix (which expects an answer) is made to it; tests/directory/api checks it.
    "oruk-not-found": {},
}

PUBLIC = {*ORUK_ROUTES, "oruk-not-found"}

ROUTE_KWARGS = {
    "oruk-not-found": lambda partnership: {"rest": "organizations"},
}


def _published(partnership: Any) -> Any:
    """A published demo service of the partnership (any published one if none is marked demo)."""
    services = selectors.published_services(partnership)
    return services.filter(is_demo=True).first() or services.first()


def pickers(partnership: Any) -> dict[str, Any]:
    def service_at_location() -> Any:
        places = selectors.published_service_at_locations(partnership)
        return places.filter(service__is_demo=True).first() or places.first()

    def taxonomy_term() -> Any:
        terms = selectors.taxonomy_terms_for(partnership)
        used = terms.filter(attributes__service__partnership=partnership).distinct()
        return used.first() or terms.first()

    return {
        "service": lambda: _published(partnership),
        "service_at_location": service_at_location,
        "taxonomy": lambda: selectors.taxonomies_for(partnership).order_by("name").first(),
        "taxonomy_term": taxonomy_term,
    }
