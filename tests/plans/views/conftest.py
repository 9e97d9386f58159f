"""A small plan in the test partnership and one in another, for the page tests."""

import datetime as dt

import pytest

from tests.factories import (
    ActionFactory,
    ActionLeadFactory,
    AreaFactory,
    BoardFactory,
    PlanFactory,
)


@pytest.fixture
def plan(partnership):
    return PlanFactory(
        partnership=partnership,
        title="Action Plan Update",
        slug="action-plan",
        last_report_date=dt.date(2019, 7, 31),
    )


@pytest.fixture
def action(plan):
    area = AreaFactory(plan=plan, title="To improve the quality of EHC plans")
    action = ActionFactory(
        area=area, how="Specific focus on improving health outcomes in EHC Plans."
    )
    ActionLeadFactory(action=action, name="Kate Capel")
    return action


@pytest.fixture
def other_plan(other_partnership):
    return PlanFactory(partnership=other_partnership, title="Their plan", slug="their-plan")


@pytest.fixture
def other_action(other_plan):
    return ActionFactory(area=AreaFactory(plan=other_plan))


@pytest.fixture
def board(partnership):
    return BoardFactory(partnership=partnership, name="SEND Health Committee")
