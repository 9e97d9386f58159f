"""Routes of the plans API, mounted at /api/v1/ by `inclusion.config.api_urls`."""

from django.urls import path
from rest_framework.renderers import JSONRenderer
from rest_framework.routers import SimpleRouter

from inclusion.plans.api.views import ActionViewSet, PlanViewSet

# SimpleRouter: no browsable root and no format-suffix routes (".json" is taken by the export).
router = SimpleRouter()
router.register("plans", PlanViewSet, basename="api-plan")
router.register("actions", ActionViewSet, basename="api-action")

urlpatterns = [
    *router.urls,
    # The name ends in .json, as a download would, so it is routed by hand without a slash.
    path(
        "plans/<uuid:pk>/export.json",
        PlanViewSet.as_view({"get": "export"}, renderer_classes=[JSONRenderer]),
        name="api-plan-export",
    ),
]
