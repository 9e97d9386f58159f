"""Who may do what with core's own pages (the predicates are in `inclusion.core.permissions`).

- Only admins manage the one-off non-working days. The table is national (a one-off bank
  holiday is the same day for every partnership), so it belongs to no partnership: an
  admin of any partnership may change it, and the change moves working-day deadlines
  for everyone, which is why it is admins only and every change is audited
  (docs/adr/0019-calendar-and-timescales.md).
"""

from enum import StrEnum

import rules

from inclusion.accounts.models import Role
from inclusion.core.permissions import has_role, is_member


class CorePermission(StrEnum):
    MANAGE_NON_WORKING_DAYS = "core.manage_non_working_days"


rules.add_perm(CorePermission.MANAGE_NON_WORKING_DAYS, is_member & has_role(Role.ADMIN))
