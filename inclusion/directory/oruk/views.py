"""The Open Referral UK 3.0 API: the Local Offer for other councils, DfE Family Hubs and NHS
directories (docs/directory/oruk.md).

Public, read-only, JSON: no sign-in, no session (so no CSRF), `Access-Control-Allow-Origin: *`
on every response, errors and 404s included. Which partnership's directory it serves is
`selectors.directory_partnership()` (the `DIRECTORY_PARTNERSHIP` setting, docs/adr/0020).
Only active services are published, and only what hangs off them.

Views parse the parameters (`params`), ask `search.search_services` (the one search of the
site and the API) or a selector, and render with `render`.
"""

import uuid
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404, HttpResponse
from django.urls import reverse
from rest_framework.exceptions import MethodNotAllowed, NotFound
from rest_framework.permissions import AllowAny
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from inclusion.accounts.models import Partnership
from inclusion.directory import postcodes, selectors
from inclusion.directory.models import Schedule, Service
from inclusion.directory.oruk import cache, params, render
from inclusion.directory.oruk.spec import patched_openapi
from inclusion.directory.search import SearchError, SearchResult, search_services

VERSION = "HSDS-UK-3.0"
PROFILE_URL = "https://openreferraluk.org/"

CORS_HEADERS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Allow-Methods": "GET, HEAD, OPTIONS",
    "Access-Control-Allow-Headers": "*",
}


class OrukView(APIView):
    """Public JSON with CORS everywhere; bad parameters are 400s naming the parameter."""

    authentication_classes: list[Any] = []
    permission_classes = [AllowAny]
    renderer_classes = [JSONRenderer]
    throttle_classes: list[Any] = []
    # Our own OpenAPI document is the ORUK one (`/openapi.json`), not drf-spectacular's.
    schema = None

    def partnership(self) -> Partnership:
        found = selectors.directory_partnership()
        if found is None:
            raise NotFound("No Local Offer is published here")
        return found

    def handle_exception(self, exc: Exception) -> Response:
        if isinstance(exc, params.ParameterError):
            return Response({"detail": str(exc), "parameter": exc.name}, status=400)
        if isinstance(exc, SearchError):
            return Response(
                {"detail": str(exc), **({"parameter": exc.field} if exc.field else {})},
                status=400,
            )
        if isinstance(exc, Http404):
            exc = NotFound(str(exc) or "Not found")
        return super().handle_exception(exc)

    def finalize_response(
        self, request: Request, response: Response, *args: Any, **kwargs: Any
    ) -> Response:
        response = super().finalize_response(request, response, *args, **kwargs)
        for name, value in CORS_HEADERS.items():
            response[name] = value
        return response


def _not_found(what: str, value: Any) -> NotFound:
    return NotFound(f"No {what} with id {value!s:.80} is published here")


# ------------------------------------------------------------------ /


class RootView(OrukView):
    def get(self, request: Request) -> Response:
        return Response(
            {
                "version": VERSION,
                "profile": PROFILE_URL,
                "openapi_url": request.build_absolute_uri(reverse("oruk-openapi")),
            }
        )


class OpenApiView(OrukView):
    """The profile's OpenAPI document, with its listed defects fixed (oruk/spec.py)."""

    def get(self, request: Request) -> Response:
        return Response(
            patched_openapi(server_url=request.build_absolute_uri(reverse("oruk-root")))
        )


# ------------------------------------------------------------------ services


def _schedule_filter(query: params.ServiceQuery) -> Q | None:
    """Services open on `day`, from `start_time`, until `end_time` (any of their schedules,
    their own or at one of their places)."""
    if not (query.day or query.start_time or query.end_time):
        return None
    schedules = Q()
    if query.day:
        schedules &= Q(byday__contains=query.day)
    if query.start_time:
        schedules &= Q(opens_at__gte=query.start_time)
    if query.end_time:
        schedules &= Q(closes_at__lte=query.end_time)
    matching = Schedule.objects.filter(schedules)
    return Q(pk__in=matching.values("service_id")) | Q(
        pk__in=matching.values("service_at_location__service_id")
    )


def _search(
    partnership: Partnership,
    query: params.ServiceQuery,
    *,
    offset: int = 0,
    limit: int | None = None,
) -> SearchResult:
    return search_services(
        partnership=partnership,
        text=query.search,
        taxonomy_term_ids=query.taxonomy_term_ids,
        taxonomy_id=query.taxonomy_id or None,
        minimum_age=query.minimum_age,
        maximum_age=query.maximum_age,
        postcode=query.postcode,
        proximity=query.proximity,
        modified_after=query.modified_after,
        # ORUK's wording: "a minimum age of at least", "a maximum age equal to or below".
        age_mode="within",
        offset=offset,
        limit=limit,
    )


def matching_service_ids(
    partnership: Partnership, query: params.ServiceQuery, paging: params.Paging | None
) -> tuple[list[uuid.UUID], int, SearchResult]:
    """The ids of the matching services in order (one page of them if `paging`) and the total."""
    schedule = _schedule_filter(query)
    if schedule is None and paging is not None:
        result = _search(partnership, query, offset=paging.offset, limit=paging.per_page)
        return result.ids, result.total, result
    result = _search(partnership, query)
    ids = result.ids
    if schedule is not None:
        kept = set(Service.objects.filter(schedule, pk__in=ids).values_list("pk", flat=True))
        ids = [i for i in ids if i in kept]
    total = len(ids)
    if paging is not None:
        ids = ids[paging.offset : paging.offset + paging.per_page]
    return ids, total, result


def _json(body: bytes) -> HttpResponse:
    """A kept answer, already encoded (as DRF's JSONRenderer would: compact, UTF-8)."""
    return HttpResponse(body, content_type="application/json")


def _in_order(items: QuerySet[Any], ids: list[uuid.UUID], key: str = "pk") -> list[Any]:
    by_id = {getattr(item, key): item for item in items}
    return [by_id[i] for i in ids if i in by_id]


class ServiceListView(OrukView):
    def get(self, request: Request) -> Response:
        partnership = self.partnership()
        paging = params.paging(request.query_params)
        query = params.service_query(request.query_params)

        def build() -> dict[str, Any]:
            ids, total, _result = matching_service_ids(partnership, query, paging)
            services = selectors.published_service_summaries(partnership, ids)
            return render.page(
                [render.service_summary(s) for s in services],
                total_items=total,
                page_number=paging.page,
                per_page=paging.per_page,
            )

        return _json(cache.cached(("services", query, paging), partnership, build))


class ServiceDetailView(OrukView):
    def get(self, request: Request, id: str) -> Response:
        service = selectors.published_service(self.partnership(), id)
        if service is None:
            raise _not_found("service", id)
        return Response(render.service_full(service))


# ------------------------------------------------------------------ services at locations


def _place_order(
    partnership: Partnership, query: params.ServiceQuery, paging: params.Paging
) -> tuple[list[uuid.UUID], int]:
    """One page of the matching services' places, and how many there are.

    With no filter, every published place by service and location name. Otherwise the
    places of the matching services, in the services' order; from a postcode each service's
    places nearest first, and with `proximity` only the places that near."""
    places = selectors.published_service_at_locations(partnership)
    if query == params.ServiceQuery():
        ordered = places.order_by("service__name", "service_id", "location__name", "id")
        total = ordered.count()
        page = ordered[paging.offset : paging.offset + paging.per_page].values_list("pk", flat=True)
        return list(page), total
    service_ids, _total, result = matching_service_ids(partnership, query, None)
    rank = {service_id: n for n, service_id in enumerate(service_ids)}
    rows = places.filter(service_id__in=service_ids).values_list(
        "pk", "service_id", "location__name", "location__latitude", "location__longitude"
    )
    place = result.place
    keyed = []
    for pk, service_id, name, lat, lon in rows:
        distance = (
            postcodes.distance_m(place.latitude, place.longitude, lat, lon)
            if place is not None and lat is not None and lon is not None
            else None
        )
        if query.proximity is not None and (distance is None or distance > query.proximity):
            continue
        far = distance if distance is not None else float("inf")
        keyed.append(((rank[service_id], far, name or "", str(pk)), pk))
    keyed.sort(key=lambda pair: pair[0])
    ordered_ids = [pk for _key, pk in keyed]
    return ordered_ids[paging.offset : paging.offset + paging.per_page], len(ordered_ids)


class ServiceAtLocationListView(OrukView):
    def get(self, request: Request) -> Response:
        partnership = self.partnership()
        paging = params.paging(request.query_params)
        query = params.service_query(request.query_params)

        def build() -> dict[str, Any]:
            ids, total = _place_order(partnership, query, paging)
            places = _in_order(
                selectors.published_service_at_locations(partnership).filter(pk__in=ids), ids
            )
            return render.page(
                [render.service_at_location_summary(p) for p in places],
                total_items=total,
                page_number=paging.page,
                per_page=paging.per_page,
            )

        return _json(cache.cached(("places", query, paging), partnership, build))


class ServiceAtLocationDetailView(OrukView):
    def get(self, request: Request, id: str) -> Response:
        place = selectors.published_service_at_location(self.partnership(), id)
        if place is None:
            raise _not_found("service at location", id)
        return Response(render.service_at_location_full(place))


# ------------------------------------------------------------------ taxonomies


def _page_of(items: QuerySet[Any], paging: params.Paging, to_json: Any) -> dict[str, Any]:
    total = items.count()
    rows = items[paging.offset : paging.offset + paging.per_page]
    return render.page(
        [to_json(row) for row in rows],
        total_items=total,
        page_number=paging.page,
        per_page=paging.per_page,
    )


class TaxonomyListView(OrukView):
    def get(self, request: Request) -> Response:
        paging = params.paging(request.query_params)
        taxonomies = selectors.taxonomies_for(self.partnership()).order_by("name", "id")
        return Response(_page_of(taxonomies, paging, render.taxonomy))


class TaxonomyDetailView(OrukView):
    def get(self, request: Request, id: str) -> Response:
        taxonomy = _by_id(selectors.taxonomies_for(self.partnership()), id)
        if taxonomy is None:
            raise _not_found("taxonomy", id)
        terms = list(taxonomy.terms.select_related("taxonomy").order_by("position", "name", "id"))
        return Response(render.taxonomy(taxonomy, terms))


class TaxonomyTermListView(OrukView):
    def get(self, request: Request) -> Response:
        paging = params.paging(request.query_params)
        terms = selectors.taxonomy_terms_for(self.partnership())
        # Not in the profile's spec, but cheap and what a reader of one vocabulary needs.
        taxonomy_id = request.query_params.get("taxonomy_id", "").strip()
        if taxonomy_id:
            terms = terms.filter(taxonomy_id=_uuid_or_none(taxonomy_id))
        terms = terms.order_by("taxonomy__name", "taxonomy_id", "position", "name", "id")
        return Response(_page_of(terms, paging, render.taxonomy_term))


class TaxonomyTermDetailView(OrukView):
    def get(self, request: Request, id: str) -> Response:
        term = _by_id(selectors.taxonomy_terms_for(self.partnership()), id)
        if term is None:
            raise _not_found("taxonomy term", id)
        return Response(render.taxonomy_term(term))


def _uuid_or_none(value: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(value)
    except ValueError:
        return None


def _by_id(items: QuerySet[Any], value: str) -> Any:
    pk = _uuid_or_none(value)
    return None if pk is None else items.filter(pk=pk).first()


# ------------------------------------------------------------------ anything else


class NotFoundView(OrukView):
    """Any other path under the API: a JSON 404, with CORS like every other answer."""

    def get(self, request: Request, rest: str = "") -> Response:
        raise NotFound(f"The Open Referral UK API has no endpoint /{rest:.100}")

    def http_method_not_allowed(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        raise MethodNotAllowed(request.method)
