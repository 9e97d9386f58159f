"""The measures app's rows for the route-walking tests (see tests/app_routes/__init__.py).

Shared by the measures pages (dashboards, measure pages, downloads) and the management and
upload pages: each keeps to its own block below.
"""

from typing import Any

from tests.app_routes import ADMINS, ALL, EDITORS


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


# ---------------------------------------------------------------- management and uploads (H2b)


def _demo_target(partnership: Any) -> Any:
    """A target of the demo measure, set through the service if it has none."""
    import datetime as dt

    from inclusion.measures.models import PartnershipMeasure, Target
    from inclusion.measures.services.measures import partnership_measure_set, target_set

    measure = _demo_measure(partnership)
    use = PartnershipMeasure.objects.filter(
        partnership=partnership, measure=measure
    ).first() or partnership_measure_set(partnership=partnership, measure=measure, via="tests")
    return Target.objects.filter(partnership_measure=use).order_by("date").first() or target_set(
        partnership_measure=use, date=dt.date(2026, 3, 31), value="80", via="tests"
    )


def _demo_upload(partnership: Any) -> Any:
    """A checked upload of the demo partnership, made by the upload page's own service from
    England's rows of the shipped release's 20-week timeliness file (small, so quick)."""
    import zipfile

    from inclusion.measures.importers import SHIPPED_RELEASE
    from inclusion.measures.models import StatisticsUpload
    from inclusion.measures.services.uploads import statistics_upload_create

    found = (
        StatisticsUpload.objects.filter(
            partnership=partnership, status=StatisticsUpload.Status.CHECKED
        ).first()
        or StatisticsUpload.objects.filter(partnership=partnership).first()
    )
    if found is not None:
        return found
    with zipfile.ZipFile(SHIPPED_RELEASE) as release:
        lines = release.read("data/timeliness_20_week.csv").decode("utf-8-sig").splitlines()
    england = [line for line in lines[1:] if ",National," in line and "All EHC plans" in line]
    return statistics_upload_create(
        partnership=partnership,
        filename="timeliness_20_week.csv",
        content=("\n".join([lines[0], *england]) + "\n").encode(),
        mapping="ehcp_timeliness",
        via="tests",
    )


def _target_kwargs(partnership: Any) -> dict[str, Any]:
    target = _demo_target(partnership)
    return {"code": target.partnership_measure.measure.code, "target": target.pk}


def _upload_kwargs(partnership: Any) -> dict[str, Any]:
    return {"upload": _demo_upload(partnership).pk}


MATRIX.update(
    {
        "measures:manage_index": {"get": EDITORS},
        "measures:manage_create": {"get": EDITORS, "post": EDITORS},
        "measures:manage_neighbours": {"get": ADMINS, "post": ADMINS},
        "measures:manage_measure": {"get": EDITORS},
        "measures:manage_edit": {"get": EDITORS, "post": EDITORS},
        "measures:manage_use": {"get": EDITORS, "post": EDITORS},
        "measures:manage_target_add": {"get": EDITORS, "post": EDITORS},
        "measures:manage_target_delete": {"post": EDITORS},
        "measures:manage_evidence": {"get": EDITORS, "post": EDITORS},
        "measures:manage_observation_add": {"get": EDITORS, "post": EDITORS},
        "measures:upload_list": {"get": ADMINS},
        "measures:upload_create": {"get": ADMINS, "post": ADMINS},
        "measures:upload_detail": {"get": ADMINS},
        "measures:upload_import": {"post": ADMINS},
        "measures:upload_discard": {"post": ADMINS},
        "measures:upload_retry": {"post": ADMINS},
    }
)
NOT_PAGES.update(
    {
        "measures:manage_target_delete": (
            "POST only: removes a target; its page is measures:manage_measure"
        ),
        "measures:upload_import": "POST only: starts importing a checked upload; its page is measures:upload_detail",
        "measures:upload_discard": "POST only: discards an upload; its page is measures:upload_detail",
        "measures:upload_retry": "POST only: starts a stalled check or import again; its page is measures:upload_detail",
    }
)
ROUTE_KWARGS.update(
    {
        **{
            f"measures:{name}": _measure_code
            for name in (
                "manage_measure",
                "manage_edit",
                "manage_use",
                "manage_target_add",
                "manage_evidence",
                "manage_observation_add",
            )
        },
        "measures:manage_target_delete": _target_kwargs,
        **{
            f"measures:{name}": _upload_kwargs
            for name in ("upload_detail", "upload_import", "upload_discard", "upload_retry")
        },
    }
)
