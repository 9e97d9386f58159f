"""factory_boy factories shared by every test module."""

import datetime as dt

import factory
from django.utils.text import slugify

from inclusion.accounts.models import Organisation, Partnership, Role, User
from inclusion.plans.models import Action, ActionLead, Area, Board, Plan, ProgressUpdate


class PartnershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partnership
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Partnership {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    partnership = factory.SubFactory(PartnershipFactory)
    name = factory.Sequence(lambda n: f"Organisation {n}")
    kind = Organisation.Kind.LOCAL_AUTHORITY


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = "Test"
    last_name = factory.Sequence(lambda n: f"User{n}")
    organisation = factory.SubFactory(OrganisationFactory)
    role = Role.VIEWER
    password = factory.PostGenerationMethodCall("set_password", "password")

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):  # noqa: N805
        if create:
            obj.save()


class PlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Plan

    partnership = factory.SubFactory(PartnershipFactory)
    title = factory.Sequence(lambda n: f"Action plan {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.title))
    kind = Plan.Kind.INSPECTION_ACTION


class BoardFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Board

    partnership = factory.SubFactory(PartnershipFactory)
    name = factory.Sequence(lambda n: f"Board {n}")


class AreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Area

    plan = factory.SubFactory(PlanFactory)
    position = factory.Sequence(lambda n: n)
    title = factory.Sequence(lambda n: f"Area for improvement {n}")


class ActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Action

    area = factory.SubFactory(AreaFactory)
    plan = factory.LazyAttribute(lambda o: o.area.plan)
    position = factory.Sequence(lambda n: n)
    how = factory.Sequence(lambda n: f"Do the thing number {n}")
    by_when = dt.date(2020, 8, 31)


class ActionLeadFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ActionLead

    action = factory.SubFactory(ActionFactory)
    name = "Kate Capel"


class ProgressUpdateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProgressUpdate

    action = factory.SubFactory(ActionFactory)
    date = dt.date(2019, 8, 1)
    text = "Progress is being made."
    rag = "amber"
