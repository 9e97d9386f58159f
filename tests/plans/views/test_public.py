"""The partnership's public page: published inclusion plans, no sign-in."""

from django.urls import reverse

from inclusion.plans.models import Commitment, Priority
from tests.factories import PlanFactory
from tests.plans.views.html import main_text, page


def _published(partnership):
    plan = PlanFactory(
        partnership=partnership,
        kind="inclusion",
        title="SEND and Alternative Provision Inclusion Plan",
        slug="inclusion-plan",
        is_public=True,
    )
    priority = Priority.objects.create(
        plan=plan,
        title="Improving the range and quality of provision",
        description="We aim to ensure there is high quality local provision.",
        position=0,
    )
    Commitment.objects.create(priority=priority, kind="achieved", position=0, text="£100m invested")
    Commitment.objects.create(priority=priority, kind="next", position=0, text="Open two hubs")
    Commitment.objects.create(priority=priority, kind="next", position=1, text="Train SENCOs")
    return plan


def test_public_page_shows_priorities_with_achievements_and_next_steps(client, partnership):
    _published(partnership)
    PlanFactory(partnership=partnership, title="Internal action plan", is_public=False)
    response = client.get(
        reverse("plans:public_plans", kwargs={"partnership_slug": "lincolnshire"})
    )
    assert response.status_code == 200
    words = main_text(response)
    assert "Improving the range and quality of provision" in words
    assert "We aim to ensure there is high quality local provision." in words
    assert "What we have achieved so far £100m invested" in words
    assert "What we will do next Open two hubs Train SENCOs" in words
    assert "Internal action plan" not in words
    # The header carries the partnership's name although nobody is signed in.
    assert "Lincolnshire SEND Partnership" in page(response).select_one("header").get_text()
    assert page(response).title.get_text() == (
        "Our inclusion plans – Lincolnshire SEND Partnership"
    )
    assert not page(response).select(".govuk-service-navigation__list")


def test_public_page_never_shows_another_partnerships_plans(client, partnership, other_partnership):
    _published(other_partnership)
    response = client.get(
        reverse("plans:public_plans", kwargs={"partnership_slug": "lincolnshire"})
    )
    assert "has not published a plan here yet" in main_text(response)
