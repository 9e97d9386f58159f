"""The partnership's own local authority: found the one way, created (and audited) only
when no published file has named it."""

import pytest

from inclusion.core.models import AuditLog
from inclusion.measures.areas import geography_for_partnership, partnership_geography
from inclusion.measures.models import Geography

pytestmark = pytest.mark.django_db


def test_a_missing_geography_is_created_from_the_partnerships_codes_and_audited(partnership):
    partnership.new_la_code, partnership.old_la_code = "E10000019", "925"
    assert partnership_geography(partnership) is None

    created = geography_for_partnership(partnership, via="tests")

    assert (created.code, created.old_la_code) == ("E10000019", "925")
    assert AuditLog.objects.filter(
        operation=AuditLog.Operation.CREATE, object_id=str(created.pk), actor_label="tests"
    ).exists()
    assert partnership_geography(partnership) == created
    assert geography_for_partnership(partnership) == created
    assert Geography.objects.count() == 1
