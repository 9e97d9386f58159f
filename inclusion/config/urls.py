from django.urls import include, path

urlpatterns = [
    path("", include("inclusion.accounts.urls")),
    path("", include("inclusion.plans.urls")),
    path("measures/", include("inclusion.measures.urls")),
    path("local-offer/", include("inclusion.directory.urls")),
    path("calendar/", include("inclusion.core.urls")),
    path("api/", include("inclusion.config.api_urls")),
]
