"""The measures pages lead editors to the management pages, and nobody else."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.fixture
def local_measure(partnership):
    from inclusion.measures.services import measure_create, partnership_measure_set

    measure = measure_create(
        partnership=partnership,
        code="parents_confident",
        title="Parents more confident after workshops",
        unit="percentage",
        polarity="higher",
    )
    partnership_measure_set(partnership=partnership, measure=measure)
    return measure


def test_editors_see_links_to_manage_and_viewers_do_not(client, users, local_measure):
    manage = reverse("measures:manage_measure", kwargs={"code": local_measure.code})
    detail = reverse("measures:measure_detail", kwargs={"code": local_measure.code})

    client.force_login(users["plan_editor"])
    assert manage in client.get(detail).content.decode()
    assert (
        reverse("measures:manage_index")
        in client.get(reverse("measures:dashboard")).content.decode()
    )

    client.force_login(users["viewer"])
    assert manage not in client.get(detail).content.decode()
    assert (
        reverse("measures:manage_index")
        not in client.get(reverse("measures:dashboard")).content.decode()
    )


def test_only_admins_are_offered_the_upload_and_neighbour_pages(client, users):
    client.force_login(users["admin"])
    page = client.get(reverse("measures:dashboard")).content.decode()
    assert reverse("measures:upload_list") in page
    assert reverse("measures:manage_neighbours") in page

    client.force_login(users["plan_editor"])
    page = client.get(reverse("measures:dashboard")).content.decode()
    assert reverse("measures:upload_list") not in page
