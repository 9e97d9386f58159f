"""Shared `rules` predicates: roles and partnership scoping.

Domain apps build their permissions from these in their own `rules.py`, behind a
`StrEnum` of codenames, so a view asks `user.has_perm(PlanPermission.EDIT, obj)`.
"""

from typing import Any

import rules


def has_role(*roles: str) -> Any:
    @rules.predicate(name=f"has_role({','.join(roles)})")
    def predicate(user: Any) -> bool:
        return bool(
            user
            and user.is_authenticated
            and user.is_active
            and getattr(user, "role", None) in roles
        )

    return predicate


@rules.predicate
def is_member(user: Any) -> bool:
    """Signed in, active, and in an organisation of some partnership."""
    return bool(
        user and user.is_authenticated and user.is_active and getattr(user, "organisation_id", None)
    )


@rules.predicate
def same_partnership(user: Any, obj: Any) -> bool:
    """The object (anything with `partnership_id`) belongs to the user's partnership."""
    if obj is None or not is_member(user):
        return False
    return getattr(obj, "partnership_id", None) == user.organisation.partnership_id
