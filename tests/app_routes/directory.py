"""Route-walk rows of the Local Offer (app `directory`): the public site, the editors' pages
and the Open Referral UK API. Shared by the two engineers of the app: keep edits small.
"""

from typing import Any

from inclusion.accounts.models import Role
from inclusion.directory import selectors
from tests.app_routes import ALL, EDITORS

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

# ------------------------------------------------------------------ the public site
# No sign-in (login_not_required): the Local Offer is published for families.
PUBLIC_PAGES = [
    "directory:home",
    "directory:search",
    "directory:service_detail",
    "directory:pathway_list",
    "directory:pathway_detail",
    "directory:guide",
    "directory:feedback_thanks",
    "directory:booklet",
    "directory:booklet_download",
]
# ------------------------------------------------------------------ the editors' pages
# Local authority editors (the demo's admin and editor work for the county council) do
# everything; providers' staff (the demo's action lead works for the ICB, which provides
# the virtual autism hub; the viewer for the parent carer forum) see their own services and
# propose changes (inclusion/directory/rules.py).
PROVIDER_OF_PICKED = EDITORS | {Role.ACTION_LEAD}

MATRIX: dict[str, dict[str, frozenset[str]]] = {
    **{name: {"get": ALL} for name in ORUK_ROUTES},
    **{name: {"get": ALL} for name in PUBLIC_PAGES},
    "directory:feedback": {"post": ALL},
    "directory:editor_home": {"get": ALL},
    "directory:editor_service_list": {"get": ALL},
    "directory:editor_service": {"get": PROVIDER_OF_PICKED},
    "directory:service_edit": {"get": PROVIDER_OF_PICKED, "post": PROVIDER_OF_PICKED},
    "directory:service_assure": {"post": EDITORS},
    "directory:assurance_list": {"get": EDITORS},
    "directory:change_list": {"get": EDITORS},
    "directory:change_detail": {"get": EDITORS, "post": EDITORS},
    "directory:feedback_list": {"get": EDITORS},
    "directory:feedback_detail": {"get": EDITORS, "post": EDITORS},
    # Any other path under /api/oruk/: a JSON 404 with CORS, by design, so no request of the
    # matrix (which expects an answer) is made to it; tests/directory/api checks it.
    "oruk-not-found": {},
}

PUBLIC = {*ORUK_ROUTES, "oruk-not-found", *PUBLIC_PAGES, "directory:feedback"}

NOT_PAGES = {
    "directory:feedback": "POST only: keeps the answer and redirects to the thank-you page",
    "directory:booklet_download": "a PDF or Word download",
    "directory:service_assure": "POST only: records the check and redirects to the service",
}


def _provided_service(partnership: Any) -> dict[str, Any]:
    """The demo service whose provider's staff sign in (the virtual autism hub, the ICB's)."""
    services = selectors.services_in(partnership).filter(
        organization__account_organisation__users__role=Role.ACTION_LEAD
    )
    return {"service_id": services.order_by("name").first().pk}


ROUTE_KWARGS = {
    "oruk-not-found": lambda partnership: {"rest": "organizations"},
    "directory:pathway_detail": lambda partnership: {"slug": "preparing-for-adulthood"},
    "directory:editor_service": _provided_service,
    "directory:service_edit": _provided_service,
    "directory:service_assure": _provided_service,
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
        "change": lambda: selectors.pending_changes(partnership).first(),
        "feedback": lambda: selectors.feedback_for(partnership).first(),
    }
