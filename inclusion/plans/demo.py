"""Demo plans (`manage.py load_demo`): the two seed documents, through the real importers.

Loading through `inclusion.plans.services.imports` rather than building rows by hand
means the demo shows exactly what a partnership gets when it imports its own plans.
"""

import importlib
import importlib.util
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from inclusion.accounts.models import Partnership
from inclusion.core.demo import DEMO_VIA, register_demo
from inclusion.plans.models import Plan, PlanImport

DEMO_DATA = Path(__file__).resolve().parent / "demo_data"
DEMO_PARTNERSHIP_SLUG = "lincolnshire"
IMPORTS_MODULE = "inclusion.plans.services.imports"


@dataclass(frozen=True)
class DemoPlan:
    filename: str
    importer: str  # a function of inclusion.plans.services.imports
    options: dict[str, Any] = field(default_factory=dict)


DEMO_PLANS = [
    DemoPlan(
        "action-plan-update-august-2019.txt",
        "action_plan_import",
        {"plan_title": "Ofsted/CQC inspection action plan"},
    ),
    DemoPlan("send-ap-inclusion-plan.txt", "inclusion_plan_import"),
]


def _already_imported(partnership: Partnership, demo: DemoPlan) -> bool:
    """An earlier run imported this file (what makes a second run change nothing)."""
    title = demo.options.get("plan_title")
    if title and Plan.objects.filter(partnership=partnership, title=title).exists():
        return True
    return (
        PlanImport.objects.filter(partnership=partnership, filename=demo.filename)
        .exclude(status__in=[PlanImport.Status.FAILED, PlanImport.Status.DISCARDED])
        .exists()
    )


def load_plans() -> list[str]:
    # Only a missing module is skipped; an importer that fails to import is a real error.
    if importlib.util.find_spec(IMPORTS_MODULE) is None:
        return [f"WARNING: demo plans skipped: {IMPORTS_MODULE} does not exist yet."]
    imports = importlib.import_module(IMPORTS_MODULE)

    partnership = Partnership.objects.get(slug=DEMO_PARTNERSHIP_SLUG)
    lines = []
    for demo in DEMO_PLANS:
        if _already_imported(partnership, demo):
            continue
        importer: Callable[..., Any] | None = getattr(imports, demo.importer, None)
        if importer is None:
            lines.append(f"WARNING: demo plan {demo.filename} skipped: no imports.{demo.importer}.")
            continue
        importer(
            partnership=partnership,
            filename=demo.filename,
            content=(DEMO_DATA / demo.filename).read_bytes(),
            actor=None,
            via=DEMO_VIA,
            **demo.options,
        )
        lines.append(f"Imported demo plan {demo.filename} into {partnership}.")
    titles = ", ".join(Plan.objects.filter(partnership=partnership).values_list("title", flat=True))
    lines.append(f"Plans of {partnership}: {titles or 'none'}.")
    return lines


# After the partnerships and users (accounts, order 10).
register_demo("plans: the two seed plans, through the importers", load_plans, order=20)
