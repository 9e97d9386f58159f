"""The editors' pages: local authority editors change anything and decide on providers'
changes; providers propose changes to their own services only; services not checked for
12 months are flagged; feedback is read and acted on. Every page within one partnership."""

from decimal import Decimal

import pytest
from django.urls import reverse

from inclusion.core.models import AuditLog
from inclusion.directory.forms import ServiceEditForm
from inclusion.directory.models import Feedback, Service, ServiceChange
from inclusion.directory.services import feedback_submit, service_change_propose

pytestmark = pytest.mark.django_db


def form_for(service, **changes):
    """The edit form as the page fills it for `service`, with some fields changed."""
    service = Service.objects.get(pk=service.pk)
    values = {
        name: "" if value is None else str(value)
        for name, value in ServiceEditForm.initial_for(service).items()
    }
    return {**values, **changes}


def edit_url(service):
    return reverse("directory:service_edit", kwargs={"service_id": service.pk})


def test_the_editors_pages_need_sign_in(client, world):
    response = client.get(reverse("directory:editor_home"))

    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_a_local_authority_editor_changes_a_service_at_once(client, users, world):
    client.force_login(users["plan_editor"])

    response = client.post(edit_url(world.salt), form_for(world.salt, maximum_age="25"))

    assert response.status_code == 302
    world.salt.refresh_from_db()
    assert world.salt.maximum_age == 25
    assert not ServiceChange.objects.exists()
    entry = AuditLog.objects.filter(object_id=str(world.salt.pk), operation="update").last()
    assert entry.actor == users["plan_editor"] and Decimal(entry.changes["maximum_age"][1]) == 25


def test_a_provider_proposes_and_nothing_is_published_until_approved(client, users, world):
    client.force_login(world.provider_user)

    response = client.post(
        edit_url(world.salt),
        form_for(world.salt, maximum_age="25", note="We now see young people to 25."),
    )

    assert response.status_code == 302
    world.salt.refresh_from_db()
    assert world.salt.maximum_age == 19  # unchanged until approved
    change = ServiceChange.objects.get()
    assert change.proposed == {"maximum_age": 25} and change.proposed_by == world.provider_user
    assert change.status == ServiceChange.Status.PENDING

    client.force_login(users["admin"])
    page = client.get(reverse("directory:change_detail", kwargs={"change_id": change.pk}))
    assert "We now see young people to 25." in page.content.decode()
    response = client.post(
        reverse("directory:change_detail", kwargs={"change_id": change.pk}), {"decision": "approve"}
    )

    assert response.status_code == 302
    world.salt.refresh_from_db()
    change.refresh_from_db()
    assert world.salt.maximum_age == 25
    assert change.status == ServiceChange.Status.APPROVED and change.decided_by == users["admin"]


def test_a_rejection_needs_a_reason_and_changes_nothing(client, users, world):
    change = service_change_propose(
        service=world.salt, proposed_by=world.provider_user, values={"name": "SALT"}
    )
    client.force_login(users["admin"])
    url = reverse("directory:change_detail", kwargs={"change_id": change.pk})

    response = client.post(url, {"decision": "reject"})
    assert response.status_code == 400
    assert "Say why the change is rejected" in response.content.decode()

    response = client.post(url, {"decision": "reject", "note": "Keep the full name for families."})
    assert response.status_code == 302
    change.refresh_from_db()
    world.salt.refresh_from_db()
    assert change.status == ServiceChange.Status.REJECTED
    assert world.salt.name == "Children's speech and language therapy"


def test_a_provider_sees_and_edits_only_its_own_services(client, world):
    client.force_login(world.provider_user)

    listing = client.get(reverse("directory:editor_service_list")).content.decode()
    assert "speech and language therapy" in listing and "Sensory processing" in listing
    assert "Virtual autism hub" not in listing
    assert client.get(edit_url(world.hub)).status_code == 403
    assert client.get(reverse("directory:change_list")).status_code == 403
    assert client.get(reverse("directory:feedback_list")).status_code == 403


def test_a_provider_does_not_choose_the_status(client, world):
    client.force_login(world.provider_user)

    page = client.get(edit_url(world.salt)).content.decode()

    assert 'name="status"' not in page
    assert "Send the change for approval" in page


def test_an_edit_that_changes_nothing_says_so(client, users, world):
    client.force_login(users["admin"])
    response = client.post(edit_url(world.salt), form_for(world.salt))

    assert response.status_code == 400
    assert "You have not changed anything" in response.content.decode()


def test_form_errors_are_named_and_nothing_is_saved(client, users, world):
    client.force_login(users["admin"])

    response = client.post(
        edit_url(world.salt), form_for(world.salt, name="", minimum_age="20", email="nope")
    )

    body = response.content.decode()
    assert response.status_code == 400
    assert "Enter the service&#39;s name" in body
    assert "Maximum age must be the same as or more than the minimum age" in body
    assert "Enter an email address in the right format" in body
    world.salt.refresh_from_db()
    assert world.salt.minimum_age == 0


def test_council_staff_who_are_not_editors_cannot_edit(client, users, world):
    for role in ("viewer", "action_lead"):
        client.force_login(users[role])
        assert client.get(edit_url(world.salt)).status_code == 403
        assert client.get(reverse("directory:editor_home")).status_code == 403


def test_services_not_checked_for_12_months_are_flagged(client, users, world):
    client.force_login(users["admin"])

    assurance = client.get(reverse("directory:assurance_list")).content.decode()
    assert "Virtual autism hub" in assurance and "Closed autism drop-in" in assurance
    assert "speech and language therapy" not in assurance
    listing = client.get(reverse("directory:editor_service_list")).content.decode()
    assert listing.count("Not checked for 12 months") == 3  # hub, workshops (never), closed
    home = client.get(reverse("directory:editor_home")).content.decode()
    assert "3 services" in home


def test_marking_a_service_checked_clears_the_flag(client, users, world):
    client.force_login(users["plan_editor"])

    response = client.post(reverse("directory:service_assure", kwargs={"service_id": world.hub.pk}))

    assert response.status_code == 302
    assurance = client.get(reverse("directory:assurance_list")).content.decode()
    assert "Virtual autism hub" not in assurance


def test_a_provider_cannot_mark_a_service_checked(client, world):
    client.force_login(world.provider_user)

    response = client.post(
        reverse("directory:service_assure", kwargs={"service_id": world.salt.pk})
    )

    assert response.status_code == 403


def test_feedback_is_read_and_marked_actioned_with_a_note(client, users, world):
    item = feedback_submit(
        partnership=world.partnership,
        page_path="/local-offer/search/?q=respite",
        useful=False,
        comment="Nothing for respite.",
    )
    client.force_login(users["admin"])

    inbox = client.get(reverse("directory:feedback_list")).content.decode()
    assert "Nothing for respite." in inbox
    response = client.post(
        reverse("directory:feedback_detail", kwargs={"feedback_id": item.pk}),
        {"status": "actioned", "editor_note": "Added 'respite' to the short breaks service."},
    )

    assert response.status_code == 302
    item.refresh_from_db()
    assert item.status == Feedback.Status.ACTIONED and item.handled_by == users["admin"]
    assert (
        "Nothing for respite."
        not in client.get(reverse("directory:feedback_list")).content.decode()
    )
    assert (
        "Nothing for respite."
        in client.get(reverse("directory:feedback_list"), {"status": "actioned"}).content.decode()
    )


def test_another_partnerships_admin_finds_none_of_our_objects(client, outsider, world):
    change = service_change_propose(
        service=world.salt, proposed_by=world.provider_user, values={"name": "SALT"}
    )
    item = feedback_submit(partnership=world.partnership, page_path="/local-offer/", useful=True)
    client.force_login(outsider)

    for url in (
        reverse("directory:editor_service", kwargs={"service_id": world.salt.pk}),
        edit_url(world.salt),
        reverse("directory:change_detail", kwargs={"change_id": change.pk}),
        reverse("directory:feedback_detail", kwargs={"feedback_id": item.pk}),
    ):
        assert client.get(url).status_code == 404, url
    listing = client.get(reverse("directory:editor_service_list"))
    assert "speech and language" not in listing.content.decode()


def test_the_navigation_shows_the_local_offer_to_its_editors_only(client, users, world):
    client.force_login(users["plan_editor"])
    assert (
        f'href="{reverse("directory:editor_home")}"'
        in client.get(reverse("plans:plan_list")).content.decode()
    )
    client.force_login(users["viewer"])
    assert (
        f'href="{reverse("directory:editor_home")}"'
        not in client.get(reverse("plans:plan_list")).content.decode()
    )
