"""Who may edit the Local Offer (issue #6: "local authority staff for everything, providers
for their own services, with provider edits approved by the local authority").

- Local authority editors: a user of an organisation whose kind is *local authority*, with
  the role admin or plan editor. The Local Offer is the local authority's statutory
  publication (Children and Families Act 2014, section 30), so its own SEND staff keep it;
  a council viewer or action lead reads plans but does not edit the directory. They edit
  any service of the partnership directly, decide on providers' changes, read and act on
  feedback, and see the services not assured for 12 months.
- Providers: any user of the partner organisation linked to a directory organisation
  (`Organization.account_organisation`; `selectors.user_is_service_provider`). They propose
  changes to their own services only; nothing is published until a local authority editor
  approves (`services.service_change_approve`).
- Everyone only within their own partnership.
"""

from typing import Any

import rules

from inclusion.accounts.models import Organisation, Role
from inclusion.core.permissions import is_member, same_partnership
from inclusion.directory.permissions import DirectoryPermission
from inclusion.directory.selectors import services_of_provider, user_is_service_provider

LOCAL_AUTHORITY_EDITOR_ROLES = frozenset({Role.ADMIN, Role.PLAN_EDITOR})


@rules.predicate
def is_local_authority_editor(user: Any) -> bool:
    if not is_member(user):
        return False
    return (
        user.organisation.kind == Organisation.Kind.LOCAL_AUTHORITY
        and user.role in LOCAL_AUTHORITY_EDITOR_ROLES
    )


@rules.predicate
def provides_service(user: Any, service: Any) -> bool:
    return service is not None and is_member(user) and user_is_service_provider(user, service)


@rules.predicate
def is_provider(user: Any) -> bool:
    """Works for an organisation that provides at least one service of the directory."""
    return is_member(user) and services_of_provider(user).exists()


rules.add_perm(DirectoryPermission.MANAGE, is_local_authority_editor)
rules.add_perm(DirectoryPermission.USE_EDITOR_PAGES, is_local_authority_editor | is_provider)
rules.add_perm(
    DirectoryPermission.EDIT_SERVICE,
    same_partnership & (is_local_authority_editor | provides_service),
)
rules.add_perm(DirectoryPermission.PROPOSE_CHANGE, same_partnership & provides_service)
