"""/api/oruk/...: the Open Referral UK 3.0 API (docs/directory/oruk.md).

Paths as the profile writes them, without a trailing slash (one is accepted too). Anything
else under /api/oruk/ is a JSON 404 with CORS, like every other answer of the API.
"""

from django.urls import path, re_path

from inclusion.directory.oruk import views

ID = r"(?P<id>[^/]+)"

urlpatterns = [
    path("", views.RootView.as_view(), name="oruk-root"),
    re_path(r"^openapi\.json$", views.OpenApiView.as_view(), name="oruk-openapi"),
    re_path(r"^services/?$", views.ServiceListView.as_view(), name="oruk-services"),
    re_path(rf"^services/{ID}/?$", views.ServiceDetailView.as_view(), name="oruk-service"),
    re_path(r"^taxonomies/?$", views.TaxonomyListView.as_view(), name="oruk-taxonomies"),
    re_path(rf"^taxonomies/{ID}/?$", views.TaxonomyDetailView.as_view(), name="oruk-taxonomy"),
    re_path(
        r"^taxonomy_terms/?$", views.TaxonomyTermListView.as_view(), name="oruk-taxonomy-terms"
    ),
    re_path(
        rf"^taxonomy_terms/{ID}/?$",
        views.TaxonomyTermDetailView.as_view(),
        name="oruk-taxonomy-term",
    ),
    re_path(
        r"^service_at_locations/?$",
        views.ServiceAtLocationListView.as_view(),
        name="oruk-service-at-locations",
    ),
    re_path(
        rf"^service_at_locations/{ID}/?$",
        views.ServiceAtLocationDetailView.as_view(),
        name="oruk-service-at-location",
    ),
    re_path(r"^(?P<rest>.*)$", views.NotFoundView.as_view(), name="oruk-not-found"),
]
