"""Who may do what with measures (roles as in docs/adr/0011-permissions.md).

- Every member of a partnership reads its dashboards and measure pages and downloads
  their tables: the figures are the plan's evidence, read by board members and action
  leads alike, and most are published statistics. The object checked is the partnership
  (a published measure belongs to none; the selectors scope what a page shows).
- Plan editors and admins manage the partnership's measures: definitions of its own,
  owners, baselines, targets, the areas and actions a measure evidences, entered values.
- Only admins choose the statistical neighbours (they shape every comparison the
  partnership's pages and board reports make) and upload published statistics: those
  observations are open data shared by every partnership in the system, so an upload
  changes what other partnerships read too (docs/adr/0017-measure-management-and-uploads.md).
"""

import rules

from inclusion.accounts.models import Role
from inclusion.core.permissions import has_role, is_member, same_partnership
from inclusion.measures.permissions import MeasurePermission

rules.add_perm(MeasurePermission.VIEW, is_member & same_partnership)
rules.add_perm(MeasurePermission.MANAGE, has_role(Role.ADMIN, Role.PLAN_EDITOR) & same_partnership)
rules.add_perm(MeasurePermission.CHOOSE_NEIGHBOURS, has_role(Role.ADMIN) & same_partnership)
rules.add_perm(MeasurePermission.UPLOAD_STATISTICS, has_role(Role.ADMIN) & same_partnership)
