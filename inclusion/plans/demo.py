"""Demo plans (`manage.py load_demo`): the two seed documents, through the real importers.

Loading through `inclusion.plans.services.imports` rather than building rows by hand
means the demo shows exactly what a partnership gets when it imports its own plans,
and a second run relies on the importers' own rule that re-importing the same file
changes nothing (docs/adr/0007-plan-import.md).
"""

import importlib
import importlib.util
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from inclusion.accounts.models import Partnership
from inclusion.core.demo import DEMO_VIA, register_demo

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


def load_plans() -> list[str]:
    # Only a missing module is skipped; an importer that fails to import is a real error.
    if importlib.util.find_spec(IMPORTS_MODULE) is None:
        return [f"WARNING: demo plans skipped: {IMPORTS_MODULE} does not exist yet."]
    imports = importlib.import_module(IMPORTS_MODULE)

    partnership = Partnership.objects.get(slug=DEMO_PARTNERSHIP_SLUG)
    lines = []
    for demo in DEMO_PLANS:
        result = getattr(imports, demo.importer)(
            partnership=partnership,
            filename=demo.filename,
            content=(DEMO_DATA / demo.filename).read_bytes(),
            actor=None,
            via=DEMO_VIA,
            **demo.options,
        )
        if result.changed:
            lines.append(f"{demo.filename}: {result.message()}")
    return lines


# After the partnerships and users (accounts, order 10).
register_demo("plans: the two seed plans, through the importers", load_plans, order=20)
