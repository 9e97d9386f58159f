"""API fixtures: a plan with an area and two actions, and token-authenticated clients per role."""

import datetime as dt

import pytest
import time_machine
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from inclusion.accounts.models import Role
from tests.factories import (
    ActionFactory,
    ActionLeadFactory,
    AreaFactory,
    PlanFactory,
    ProgressUpdateFactory,
    UserFactory,
)

TODAY = dt.date(2019, 9, 2)


@pytest.fixture(autouse=True)
def frozen_today():
    """Progress updates cannot be dated in the future and overdue depends on today: pin it."""
    with time_machine.travel(dt.datetime(2019, 9, 2, 12, 0, tzinfo=dt.UTC), tick=False):
        yield TODAY


@pytest.fixture
def plan(partnership):
    return PlanFactory(partnership=partnership, title="Action Plan Update August 2019")


@pytest.fixture
def area(plan):
    return AreaFactory(
        plan=plan, title="To improve the quality of Education, Health and Care Plans."
    )


@pytest.fixture
def action(area):
    """An amber action, due 31.08.20, led by Kate Capel (not linked to a user)."""
    action = ActionFactory(
        area=area, how="Specific focus on improving health outcomes in EHC Plans.", rag="amber"
    )
    ActionLeadFactory(action=action, name="Kate Capel")
    ProgressUpdateFactory(action=action, date=dt.date(2019, 8, 1), rag="amber")
    return action


@pytest.fixture
def lead_user(council):
    return UserFactory(
        username="martin",
        first_name="Martin",
        last_name="Smith",
        organisation=council,
        role=Role.ACTION_LEAD,
    )


@pytest.fixture
def led_action(area, lead_user):
    """An action whose lead is linked to `lead_user`."""
    action = ActionFactory(area=area, how="Focused work with schools to enhance SEND support.")
    ActionLeadFactory(action=action, name="Martin Smith", user=lead_user)
    return action


def token_client(user) -> APIClient:
    client = APIClient()
    token, _ = Token.objects.get_or_create(user=user)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


@pytest.fixture
def api():
    """`api(user)`: a client that authenticates as `user` with their API token."""
    return token_client
