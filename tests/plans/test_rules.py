import pytest

from inclusion.accounts.models import Role
from inclusion.plans.permissions import PlanPermission
from inclusion.plans.services.actions import action_create
from tests.factories import AreaFactory, OrganisationFactory, PlanFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(partnership):
    return PlanFactory(partnership=partnership)


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        (Role.ADMIN, {"view", "export", "edit", "import", "edit_action"}),
        (Role.PLAN_EDITOR, {"view", "export", "edit", "import", "edit_action"}),
        (Role.ACTION_LEAD, {"view", "export"}),
        (Role.VIEWER, {"view", "export"}),
    ],
)
def test_each_role_has_exactly_its_plan_permissions(users, plan, role, expected):
    perms = {
        "view": PlanPermission.VIEW,
        "export": PlanPermission.EXPORT,
        "edit": PlanPermission.EDIT,
        "import": PlanPermission.IMPORT,
        "edit_action": PlanPermission.EDIT_ACTION,
    }
    granted = {name for name, perm in perms.items() if users[role].has_perm(perm, plan)}
    assert granted == expected


def test_nobody_from_another_partnership_has_any_permission(plan, outsider):
    assert not any(outsider.has_perm(p, plan) for p in PlanPermission)


def test_an_action_lead_may_update_only_the_actions_they_or_their_organisation_lead(
    partnership, council, plan
):
    lead = UserFactory(
        organisation=council, role=Role.ACTION_LEAD, first_name="Kate", last_name="Capel"
    )
    trust = OrganisationFactory(partnership=partnership, name="Health Trust", short_name="LCHS")
    trust_lead = UserFactory(organisation=trust, role=Role.ACTION_LEAD)
    area = AreaFactory(plan=plan)
    hers = action_create(area=area, how="a", by_when=None, leads=["Kate Capel"])
    trusts = action_create(area=area, how="b", by_when=None, leads=["LCHS"])
    assert lead.has_perm(PlanPermission.ADD_UPDATE, hers)
    assert not lead.has_perm(PlanPermission.ADD_UPDATE, trusts)
    assert trust_lead.has_perm(PlanPermission.ADD_UPDATE, trusts)
    assert not trust_lead.has_perm(PlanPermission.ADD_UPDATE, hers)


def test_anonymous_and_inactive_users_have_no_permission(plan, users):
    from django.contrib.auth.models import AnonymousUser

    assert not AnonymousUser().has_perm(PlanPermission.VIEW, plan)
    users["admin"].is_active = False
    assert not users["admin"].has_perm(PlanPermission.VIEW, plan)
