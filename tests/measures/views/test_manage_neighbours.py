"""Choosing the statistical neighbours: local authorities by old or new code, in order;
a bad code named with its line; each change audited; admins only."""

import datetime as dt

import pytest
from django.urls import reverse

from inclusion.core.models import AuditLog
from inclusion.measures.models import ComparatorArea, Geography

pytestmark = pytest.mark.django_db

URL = "/measures/manage/neighbours/"


@pytest.fixture
def areas(db):
    """England, two regions and their councils, as an import of published statistics leaves them."""
    england = Geography.objects.create(code="E92000001", name="England", level="national")
    east_midlands = Geography.objects.create(
        code="E12000004", name="East Midlands", level="regional", parent=england
    )
    south_east = Geography.objects.create(
        code="E12000008", name="South East", level="regional", parent=england
    )

    def la(code, old, name, region, end=dt.date(2024, 12, 31)):
        return Geography.objects.create(
            code=code,
            old_la_code=old,
            name=name,
            level="local_authority",
            parent=region,
            last_period_end=end,
        )

    return {
        "england": england,
        "lincolnshire": la("E10000019", "925", "Lincolnshire", east_midlands),
        "nottinghamshire": la("E10000024", "891", "Nottinghamshire", east_midlands),
        "derbyshire": la("E10000007", "830", "Derbyshire", east_midlands),
        # 825 was Buckinghamshire county until 2019, then the unitary council (ADR 0013).
        "bucks_county": la(
            "E10000002", "825", "Buckinghamshire", south_east, dt.date(2019, 12, 31)
        ),
        "bucks": la("E06000060", "825", "Buckinghamshire", south_east),
    }


def chosen(partnership) -> list[tuple[int, str]]:
    return [
        (row.rank, row.geography.code)
        for row in ComparatorArea.objects.filter(partnership=partnership).order_by("rank")
    ]


def test_an_admin_chooses_neighbours_by_old_or_new_code_in_order(admin_client, partnership, areas):
    response = admin_client.post(URL, {"codes": "891\nE10000007  # Derbyshire\n\n825\n"})

    assert response.status_code == 302
    # An old number two councils have carried means the latest of them.
    assert chosen(partnership) == [(1, "E10000024"), (2, "E10000007"), (3, "E06000060")]
    assert list(
        AuditLog.objects.filter(object_type="measures.comparatorarea").values_list(
            "operation", flat=True
        )
    ) == ["create", "create", "create"]

    page = admin_client.get(URL)
    assert "E10000024  # Nottinghamshire" in page.text  # the form shows the set, in order
    assert "<summary" in page.text and "East Midlands (3)" in page.text


def test_reordering_and_removing_neighbours_audits_each_change(admin_client, partnership, areas):
    admin_client.post(URL, {"codes": "891\n830\n825"})
    AuditLog.objects.all().delete()

    response = admin_client.post(URL, {"codes": "830\n891"})

    assert response.status_code == 302
    assert chosen(partnership) == [(1, "E10000007"), (2, "E10000024")]
    ops = AuditLog.objects.filter(object_type="measures.comparatorarea").order_by("id")
    assert sorted((a.operation, a.changes.get("rank")) for a in ops) == [
        ("delete", [3, None]),
        ("update", [1, 2]),
        ("update", [2, 1]),
    ]


@pytest.mark.parametrize(
    "codes, message",
    [
        ("891\n9999\n", "Line 2: there is no local authority with the code &#39;9999&#39;"),
        ("891\nE10000099", "Line 2: there is no local authority with the code &#39;E10000099&#39;"),
        ("E92000001", "England (E92000001) is not a local authority"),
        ("925", "Lincolnshire (E10000019) is the partnership&#39;s own local authority"),
        ("891\nE10000024", "Nottinghamshire (E10000024) is chosen twice"),
    ],
)
def test_a_bad_code_is_named_and_nothing_changes(admin_client, partnership, areas, codes, message):
    admin_client.post(URL, {"codes": "830"})
    before = AuditLog.objects.count()

    response = admin_client.post(URL, {"codes": codes})

    assert response.status_code == 400
    assert message in response.text
    assert '<a href="#codes">' in response.text
    assert chosen(partnership) == [(1, "E10000007")]
    assert AuditLog.objects.count() == before


def test_every_bad_line_is_listed_at_once(admin_client, partnership, areas):
    response = admin_client.post(URL, {"codes": "111\n891\n222"})

    assert "Line 1: there is no local authority with the code &#39;111&#39;" in response.text
    assert "Line 3: there is no local authority with the code &#39;222&#39;" in response.text


def test_an_empty_list_removes_every_neighbour(admin_client, partnership, areas):
    admin_client.post(URL, {"codes": "891"})

    assert admin_client.post(URL, {"codes": ""}).status_code == 302
    assert chosen(partnership) == []


def test_without_published_statistics_the_page_says_where_areas_come_from(admin_client):
    response = admin_client.get(URL)

    assert response.status_code == 200
    assert "There are no local authorities to choose from yet" in response.text
    assert reverse("measures:upload_create") in response.text


@pytest.mark.parametrize("role", ["plan_editor", "viewer", "action_lead"])
def test_only_admins_choose_neighbours(client, users, areas, role):
    client.force_login(users[role])

    assert client.get(URL).status_code == 403
    assert client.post(URL, {"codes": "891"}).status_code == 403
    assert ComparatorArea.objects.count() == 0


def test_another_partnerships_admin_changes_only_their_own(client, outsider, partnership, areas):
    client.force_login(outsider)

    client.post(URL, {"codes": "891"})

    assert chosen(partnership) == []
    assert ComparatorArea.objects.get().partnership == outsider.partnership
