"""The Local Offer's data model, its write services and shared selectors."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from inclusion.accounts.models import Organisation, Role
from inclusion.core.models import AuditLog
from inclusion.directory import selectors
from inclusion.directory import services as directory
from inclusion.directory.models import (
    Attribute,
    Contact,
    Feedback,
    Location,
    Phone,
    Service,
    ServiceChange,
    Taxonomy,
)
from tests.directory.api.world import build_world
from tests.factories import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(partnership, other_partnership, settings):
    settings.DIRECTORY_PARTNERSHIP = ""
    return build_world(partnership, other_partnership)


@pytest.fixture
def provider(world, partnership):
    """A signed-in user of the forum, whose directory organisation is linked to it."""
    forum = OrganisationFactory(
        partnership=partnership,
        name="Parent Carer Forum",
        kind=Organisation.Kind.PARENT_CARER_FORUM,
    )
    directory.organization_update(organization=world.charity, account_organisation=forum)
    return UserFactory(username="forum-user", organisation=forum, role=Role.VIEWER)


# ------------------------------------------------------------------ validation


def test_a_service_cannot_belong_to_another_partnerships_organisation(world, other_partnership):
    with pytest.raises(ValidationError) as raised:
        directory.service_create(
            partnership=other_partnership, organization=world.council, name="Crossed wires"
        )
    assert "organization" in raised.value.message_dict


def test_the_maximum_age_cannot_be_below_the_minimum(world):
    with pytest.raises(ValidationError) as raised:
        directory.service_update(
            service=world.portage, minimum_age=Decimal("6"), maximum_age=Decimal("5")
        )
    assert raised.value.message_dict["maximum_age"] == [
        "The maximum age (5) is below the minimum age (6)"
    ]


def test_a_location_needs_both_coordinates_or_neither(partnership):
    with pytest.raises(ValidationError):
        directory.location_create(partnership=partnership, name="Half a place", latitude=53.2)
    assert not Location.objects.filter(name="Half a place").exists()


def test_a_service_may_use_shared_terms_but_not_another_partnerships(world):
    directory.service_set_terms(service=world.forum, terms=[world.autism])  # shared: fine
    with pytest.raises(ValidationError):
        directory.record_create(
            model=Attribute, service=world.forum, taxonomy_term=world.others["term"]
        )


def test_a_phone_belongs_to_a_service_or_a_contact(world):
    with pytest.raises(ValidationError):
        directory.record_create(model=Phone, number="01522 000000")


def test_the_generic_child_services_refuse_parents_and_unknown_fields(world):
    with pytest.raises(TypeError, match="own create and update services"):
        directory.record_create(model=Service, name="Sneaky")
    with pytest.raises(TypeError, match="Contact has no field nmae"):
        directory.record_create(model=Contact, service=world.forum, nmae="Typo")


# ------------------------------------------------------------------ audit and last_modified


def test_every_directory_row_has_its_creation_audited(world):
    from django.apps import apps

    logged = set(
        AuditLog.objects.filter(operation="create").values_list("object_type", "object_id")
    )
    missing = [
        f"{model._meta.label_lower} {pk}"
        for model in apps.get_app_config("directory").get_models()
        for pk in model.objects.values_list("pk", flat=True)
        if (model._meta.label_lower, str(pk)) not in logged
    ]
    assert not missing, missing[:10]
    service_log = AuditLog.objects.get(operation="create", object_id=str(world.portage.pk))
    assert service_log.partnership_id == world.partnership.pk


def test_a_change_to_anything_a_service_publishes_moves_its_last_modified(world):
    cases = [
        ("a contact added", lambda: directory.record_create(
            model=Contact, service=world.portage, name="New contact")),
        ("its location renamed", lambda: directory.location_update(
            location=world.grantham, name="Grantham Family Hub")),
        ("a term renamed", lambda: directory.taxonomy_term_update(
            term=world.hearing, name="Deaf or hearing impaired")),
        ("its organisation's email", lambda: directory.organization_update(
            organization=world.council, email="info@lincolnshire.gov.uk")),
    ]  # fmt: skip
    moment = dt.datetime(2030, 1, 1, 9, tzinfo=dt.UTC)  # after the world was built
    for label, write in cases:
        moment += dt.timedelta(hours=1)
        with time_machine.travel(moment, tick=False):
            write()
        assert Service.objects.get(pk=world.portage.pk).last_modified == moment, label
    # Another partnership's service and an unrelated one did not move.
    assert Service.objects.get(pk=world.forum.pk).last_modified.year < 2030


def test_search_text_holds_the_words_of_terms_places_and_postcodes(world):
    directory.location_update(location=world.grantham, name="Grantham Family Hub")
    text = Service.objects.get(pk=world.portage.pk).search_text
    for words in ("Portage", "Lincolnshire County Council", "Autism", "Hearing impairment",
                  "Grantham Family Hub", "NG31 6PZ"):  # fmt: skip
        assert words in text


def test_deferred_touch_moves_each_service_once_at_the_end(world):
    with time_machine.travel(dt.datetime(2030, 2, 1, 9, tzinfo=dt.UTC), tick=False):
        with directory.deferred_touch():
            directory.record_create(model=Contact, service=world.forum, name="A")
            directory.record_create(model=Contact, service=world.forum, name="B")
            assert Service.objects.get(pk=world.forum.pk).last_modified.year < 2030
        forum = Service.objects.get(pk=world.forum.pk)
    assert forum.last_modified == dt.datetime(2030, 2, 1, 9, tzinfo=dt.UTC)


def test_removing_a_child_row_is_audited_and_moves_the_service(world):
    contact = world.speech_therapy.contacts.first()
    pk = contact.pk
    with time_machine.travel(dt.datetime(2030, 3, 1, 9, tzinfo=dt.UTC), tick=False):
        directory.record_delete(obj=contact)
    assert not Contact.objects.filter(pk=pk).exists()
    assert AuditLog.objects.filter(operation="delete", object_id=str(pk)).exists()
    assert Service.objects.get(pk=world.speech_therapy.pk).last_modified.year == 2030


def test_assuring_a_service_records_the_day_and_who(world, users):
    editor = users["plan_editor"]
    editor.email = "editor@lincolnshire.gov.uk"
    directory.service_assure(service=world.forum, actor=editor, on=dt.date(2026, 3, 2))
    forum = Service.objects.get(pk=world.forum.pk)
    assert forum.assured_date == dt.date(2026, 3, 2)
    assert forum.assurer_email == "editor@lincolnshire.gov.uk"


# ------------------------------------------------------------------ provider changes


def test_only_the_services_own_provider_may_propose_a_change(world, provider, users):
    with pytest.raises(PermissionDenied):
        directory.service_change_propose(
            service=world.portage, proposed_by=provider, values={"name": "Mine now"}
        )
    with pytest.raises(PermissionDenied):
        directory.service_change_propose(
            service=world.forum, proposed_by=users["viewer"], values={"name": "Not mine"}
        )
    assert selectors.user_is_service_provider(provider, world.forum)
    assert list(selectors.services_of_provider(provider)) == [world.closed, world.forum]


def test_a_proposed_change_waits_for_approval_then_applies_through_the_service(
    world, provider, users
):
    change = directory.service_change_propose(
        service=world.forum,
        proposed_by=provider,
        values={
            "description": "Parents supporting parents.",
            "minimum_age": "0",
            "name": "Parent Carer Forum",
        },
        note="We wrote a description",
    )
    # Only the fields that change are kept, with the values they replace.
    assert change.proposed == {"description": "Parents supporting parents.", "minimum_age": 0}
    assert change.original == {"description": "", "minimum_age": None}
    assert Service.objects.get(pk=world.forum.pk).description == ""
    assert list(selectors.pending_changes(world.partnership)) == [change]

    directory.service_change_approve(change=change, decided_by=users["plan_editor"], note="Thanks")
    forum = Service.objects.get(pk=world.forum.pk)
    assert forum.description == "Parents supporting parents." and forum.minimum_age == 0
    change.refresh_from_db()
    assert (
        change.status == ServiceChange.Status.APPROVED and change.decided_by == users["plan_editor"]
    )
    log = AuditLog.objects.filter(object_id=str(forum.pk), operation="update").latest("id")
    assert log.note == f"Approved provider change {change.pk}"
    assert log.actor == users["plan_editor"]
    with pytest.raises(ValidationError, match="already approved"):
        directory.service_change_reject(change=change, decided_by=users["plan_editor"], note="No")


def test_a_bad_proposal_is_refused_field_by_field(world, provider):
    with pytest.raises(ValidationError) as raised:
        directory.service_change_propose(
            service=world.forum,
            proposed_by=provider,
            values={"email": "nope", "minimum_age": "old", "status": "defunct"},
        )
    assert set(raised.value.message_dict) == {"email", "minimum_age", "status"}
    with pytest.raises(ValidationError, match="changes nothing"):
        directory.service_change_propose(
            service=world.forum, proposed_by=provider, values={"name": "Parent Carer Forum"}
        )


def test_a_rejection_needs_a_reason_and_leaves_the_service_alone(world, provider, users, outsider):
    change = directory.service_change_propose(
        service=world.forum, proposed_by=provider, values={"name": "The Forum"}
    )
    with pytest.raises(ValidationError):
        directory.service_change_reject(change=change, decided_by=users["plan_editor"], note=" ")
    with pytest.raises(PermissionDenied):
        directory.service_change_approve(change=change, decided_by=outsider)
    directory.service_change_reject(
        change=change, decided_by=users["plan_editor"], note="Keep the registered name"
    )
    assert Service.objects.get(pk=world.forum.pk).name == "Parent Carer Forum"
    change.refresh_from_db()
    assert change.status == ServiceChange.Status.REJECTED
    assert change.decision_note == "Keep the registered name"


def test_approval_checks_the_proposal_again_against_the_service_as_it_now_is(
    world, provider, users
):
    change = directory.service_change_propose(
        service=world.forum, proposed_by=provider, values={"maximum_age": 4}
    )
    directory.service_update(service=world.forum, minimum_age=Decimal("5"))
    with pytest.raises(ValidationError):
        directory.service_change_approve(change=change, decided_by=users["plan_editor"])
    change.refresh_from_db()
    assert change.status == ServiceChange.Status.PENDING


# ------------------------------------------------------------------ feedback


def test_feedback_is_kept_anonymously_and_handled_by_an_editor(world, users):
    feedback = directory.feedback_submit(
        partnership=world.partnership,
        page_path="/local-offer/services/x/",
        useful=False,
        comment="  The phone number is wrong  ",
        service=world.portage,
    )
    assert feedback.comment == "The phone number is wrong" and feedback.status == "new"
    assert AuditLog.objects.get(object_id=str(feedback.pk)).actor_label == "public site"
    directory.feedback_handle(
        feedback=feedback, status="actioned", actor=users["plan_editor"], editor_note="Fixed"
    )
    feedback.refresh_from_db()
    assert feedback.handled_by == users["plan_editor"] and feedback.handled_at is not None
    assert list(selectors.feedback_for(world.partnership, "actioned")) == [feedback]


def test_feedback_refuses_a_long_comment_and_another_directorys_service(world):
    with pytest.raises(ValidationError):
        directory.feedback_submit(
            partnership=world.partnership, page_path="/", useful=True, comment="x" * 2001
        )
    with pytest.raises(ValidationError):
        directory.feedback_submit(
            partnership=world.partnership,
            page_path="/",
            useful=True,
            service=world.others["service"],
        )
    assert not Feedback.objects.exists()


# ------------------------------------------------------------------ selectors


@pytest.mark.parametrize(
    ("on", "cutoff"),
    [
        (dt.date(2026, 11, 23), dt.date(2025, 11, 23)),
        (dt.date(2028, 2, 29), dt.date(2027, 2, 28)),
        (dt.date(2026, 1, 31), dt.date(2025, 1, 31)),
    ],
)
def test_assurance_is_overdue_after_twelve_months(on, cutoff):
    assert selectors.assured_cutoff(on) == cutoff


def test_the_overdue_rule_and_its_query_agree(world):
    on = dt.date(2026, 8, 31)
    services = selectors.services_in(world.partnership)
    by_query = set(selectors.assurance_overdue(services, on))
    by_rule = {s for s in services if selectors.is_assurance_overdue(s, on)}
    assert by_query == by_rule
    assert world.speech_therapy not in by_rule  # assured on 1 September 2025
    assert world.speech_therapy in set(selectors.assurance_overdue(services, dt.date(2026, 9, 2)))
    assert world.forum in by_rule  # never assured


def test_the_served_directory_is_the_setting_else_the_first_with_one(
    world, settings, other_partnership
):
    settings.DIRECTORY_PARTNERSHIP = ""
    # Both have a directory: "Elsewhere" comes first by name.
    assert selectors.directory_partnership() == other_partnership
    settings.DIRECTORY_PARTNERSHIP = world.partnership.slug
    assert selectors.directory_partnership() == world.partnership
    settings.DIRECTORY_PARTNERSHIP = "nowhere"
    assert selectors.directory_partnership() is None


def test_published_services_are_the_active_ones_with_their_full_record_in_few_queries(
    world, django_assert_max_num_queries
):
    published = selectors.published_services(world.partnership)
    assert set(published) == set(world.published)
    with django_assert_max_num_queries(20):
        services = list(selectors.with_full_record(published))
        for service in services:
            list(service.contacts.all())
            list(service.attributes.all())
    assert set(selectors.taxonomies_for(world.partnership)) == {world.needs, world.categories}
    assert not Taxonomy.objects.filter(pk=world.needs.pk, partnership__isnull=False).exists()
