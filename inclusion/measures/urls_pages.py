"""Routes of views/pages (included by urls.py, namespace "measures", under /measures/).

Downloads take `?table=<name>&format=csv|xlsx`: the partnership dashboard's download then
names no object in its path, so another partnership's user gets their own dashboard's
table, not ours (the permissions matrix reads path arguments as objects).

A measure's page is `/measures/<code>/`, and urls.py lists these routes before the
management pages', so the code converter refuses the first path segments of other measures
pages (`manage/`, `uploads/`, here `download/` and `plans/`): those can never be a measure's
page (tests/measures/views/test_pages_routes.py checks that every route resolves to itself).
"""

from django.urls import path, register_converter

from inclusion.measures.views import pages

# First path segments of other pages under /measures/ (the management form refuses them as
# codes too: forms.RESERVED_CODES).
NOT_CODES = ("manage", "uploads", "download", "plans")


class MeasureCodeConverter:
    """A measure's code (a slug) that is not one of NOT_CODES."""

    regex = r"(?!(?:" + "|".join(NOT_CODES) + r")(?![-a-zA-Z0-9_]))[-a-zA-Z0-9_]+"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(MeasureCodeConverter, "measure_code")

plan = "plans/<uuid:plan>/"
priority = f"{plan}priorities/<uuid:priority>/"
measure = "<measure_code:code>/"

urlpatterns = [
    path("", pages.dashboard, name="dashboard"),
    path("download/", pages.dashboard_download, name="dashboard_download"),
    path(plan, pages.plan_dashboard, name="plan_dashboard"),
    path(f"{plan}download/", pages.plan_dashboard_download, name="plan_dashboard_download"),
    path(priority, pages.priority_dashboard, name="priority_dashboard"),
    path(
        f"{priority}download/",
        pages.priority_dashboard_download,
        name="priority_dashboard_download",
    ),
    path(measure, pages.measure_detail, name="measure_detail"),
    path(f"{measure}download/", pages.measure_download, name="measure_download"),
]
