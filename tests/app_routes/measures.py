"""The measures app's rows for the route-walking tests (see tests/app_routes/__init__.py).

Shared by the measures pages (dashboards, measure pages, downloads) and the management and
upload pages: each keeps to its own block below.
"""

from typing import Any

from tests.app_routes import ALL


def _demo_measure(partnership: Any) -> Any:
    """A local measure of the demo partnership (another partnership's admin must get a 404
    for its pages), made through the services if the demo has none."""
    from inclusion.measures.models import Measure, Polarity, Unit
    from inclusion.measures.services.measures import measure_create, partnership_measure_set

    measure = (
        Measure.objects.filter(partnership=partnership, kind=Measure.Kind.LOCAL)
        .order_by("code")
        .first()
    )
    if measure is None:
        measure = measure_create(
            partnership=partnership,
            code=f"{partnership.slug}_route_walk",
            title="Parents more confident after workshops",
            unit=Unit.PERCENTAGE,
            polarity=Polarity.HIGHER,
            via="tests",
        )
        partnership_measure_set(partnership=partnership, measure=measure, via="tests")
    return measure


def _measure_code(partnership: Any) -> dict[str, Any]:
    return {"code": _demo_measure(partnership).code}


# ---------------------------------------------------------------- measures pages (H2a)
MATRIX: dict[str, dict[str, frozenset[str]]] = {
    "measures:dashboard": {"get": ALL},
    "measures:dashboard_download": {"get": ALL},
    "measures:plan_dashboard": {"get": ALL},
    "measures:plan_dashboard_download": {"get": ALL},
    "measures:priority_dashboard": {"get": ALL},
    "measures:priority_dashboard_download": {"get": ALL},
    "measures:measure_detail": {"get": ALL},
    "measures:measure_download": {"get": ALL},
}

NOT_PAGES = {
    "measures:dashboard_download": "a CSV or XLSX file of a table of the dashboard",
    "measures:plan_dashboard_download": "a CSV or XLSX file of a table of a plan's dashboard",
    "measures:priority_dashboard_download": (
        "a CSV or XLSX file of a table of a priority's dashboard"
    ),
    "measures:measure_download": "a CSV or XLSX file of a table of a measure's page",
}

ROUTE_KWARGS = {
    # A measure's code is not an object key the name rules can fill (no slug field).
    "measures:measure_detail": _measure_code,
    "measures:measure_download": _measure_code,
}


def pickers(partnership: Any) -> dict[str, Any]:
    return {"measure": lambda: _demo_measure(partnership)}
