from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("v1/", include("inclusion.plans.api.urls")),
    path("oruk/", include("inclusion.directory.api_urls")),
]
