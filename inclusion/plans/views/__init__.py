"""The plan tracker's pages (docs/adr/0009-pages.md).

Each view parses, authorises with `rules` (`request.user.has_perm`), calls a selector
or service and renders; none queries a model itself.
"""

from inclusion.plans.views.actions import (
    action_detail,
    action_edit,
    action_list,
    deadline_change,
    update_add,
)
from inclusion.plans.views.imports import import_apply, import_detail, import_discard, import_upload
from inclusion.plans.views.plans import plan_detail, plan_list, plan_report, plan_report_date
from inclusion.plans.views.public import public_plans

__all__ = [
    "action_detail",
    "action_edit",
    "action_list",
    "deadline_change",
    "import_apply",
    "import_detail",
    "import_discard",
    "import_upload",
    "plan_detail",
    "plan_list",
    "plan_report",
    "plan_report_date",
    "public_plans",
    "update_add",
]
