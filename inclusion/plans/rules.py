"""Who may do what with plans (matrix in docs/adr/0011-permissions.md).

- Viewers and board members read plans and download reports.
- Action leads also add progress updates to the actions they lead (named as a lead,
  or their organisation is).
- Plan editors change plans, actions and deadlines and import plans.
- Admins do everything. Everyone only within their own partnership.
"""

from typing import Any

import rules
from django.db.models import Q

from inclusion.accounts.models import Role
from inclusion.core.permissions import has_role, is_member, same_partnership
from inclusion.plans.permissions import PlanPermission


@rules.predicate
def leads_action(user: Any, action: Any) -> bool:
    if action is None or not is_member(user):
        return False
    return action.leads.filter(
        Q(user_id=user.pk) | Q(organisation_id=user.organisation_id)
    ).exists()


can_edit = has_role(Role.ADMIN, Role.PLAN_EDITOR)

rules.add_perm(PlanPermission.VIEW, is_member & same_partnership)
rules.add_perm(PlanPermission.EXPORT, is_member & same_partnership)
rules.add_perm(PlanPermission.EDIT, can_edit & same_partnership)
rules.add_perm(PlanPermission.IMPORT, can_edit & same_partnership)
rules.add_perm(PlanPermission.EDIT_ACTION, can_edit & same_partnership)
rules.add_perm(
    PlanPermission.ADD_UPDATE,
    same_partnership & (can_edit | (has_role(Role.ACTION_LEAD) & leads_action)),
)
