"""Shared fixtures: a partnership with a user for each role, and one in another partnership."""

from pathlib import Path

import pytest

from inclusion.accounts.models import Organisation, Role
from inclusion.core import calendar
from tests.factories import OrganisationFactory, PartnershipFactory, UserFactory

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
SEEDS = SHARED / "seeds"
SEED_ACTION_PLAN = SEEDS / "004_e7921fd6a7a48019.txt"
SEED_INCLUSION_PLAN = SEEDS / "000_54c8d9248923dd13.txt"


@pytest.fixture(autouse=True)
def _fresh_calendar():
    """The calendar caches non-working days per process; a one-off day added in a test's
    rolled-back transaction must not stay cached for the next test on that worker."""
    calendar.invalidate()
    yield
    calendar.invalidate()


@pytest.fixture
def partnership(db):
    return PartnershipFactory(
        name="Lincolnshire SEND Partnership",
        slug="lincolnshire",
        old_la_code="925",
        new_la_code="E10000019",
    )


@pytest.fixture
def council(partnership):
    return OrganisationFactory(
        partnership=partnership,
        name="Lincolnshire County Council",
        short_name="LCC",
        kind=Organisation.Kind.LOCAL_AUTHORITY,
    )


@pytest.fixture
def other_partnership(db):
    return PartnershipFactory(name="Elsewhere SEND Partnership", slug="elsewhere")


@pytest.fixture
def users(council):
    """One user for each role in the partnership: users["admin"], users["plan_editor"], ..."""
    return {
        role.value: UserFactory(username=f"{role.value}", organisation=council, role=role)
        for role in Role
    }


@pytest.fixture
def outsider(other_partnership):
    org = OrganisationFactory(partnership=other_partnership, name="Elsewhere Council")
    return UserFactory(username="outsider", organisation=org, role=Role.ADMIN)


@pytest.fixture
def admin_client(client, users):
    client.force_login(users["admin"])
    return client


@pytest.fixture
def editor_client(client, users):
    client.force_login(users["plan_editor"])
    return client


@pytest.fixture
def viewer_client(client, users):
    client.force_login(users["viewer"])
    return client
