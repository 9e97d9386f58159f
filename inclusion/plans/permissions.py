"""Permission codenames for plans; the predicates behind them are in `rules.py`."""

from enum import StrEnum


class PlanPermission(StrEnum):
    VIEW = "plans.view_plan"
    EDIT = "plans.edit_plan"  # plan, areas, actions, deadlines
    IMPORT = "plans.import_plan"
    EXPORT = "plans.export_plan"
    ADD_UPDATE = "plans.add_progress_update"  # on an action
    EDIT_ACTION = "plans.edit_action"
