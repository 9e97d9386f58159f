"""Who may do what with measures (roles as in docs/adr/0011-permissions.md).

- Every member of a partnership reads its dashboards and measure pages and downloads
  their tables: the figures are the plan's evidence, read by board members and action
  leads alike, and most are published statistics. The object checked is the partnership
  (a published measure belongs to none; the selectors scope what a page shows).
"""

import rules

from inclusion.core.permissions import is_member, same_partnership
from inclusion.measures.permissions import MeasurePermission

rules.add_perm(MeasurePermission.VIEW, is_member & same_partnership)
