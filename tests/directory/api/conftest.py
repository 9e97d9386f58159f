"""Fixtures of the Open Referral UK API tests: a small directory built through the services.

The directory is built once per test module (in a transaction rolled back at the module's
end) and each test runs in its own savepoint, so a test that writes changes nothing for
the next and the module stays quick.
"""

import pytest
from django.db import transaction

from tests.directory.api.world import World, build_world
from tests.factories import PartnershipFactory


@pytest.fixture(scope="module")
def module_world(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            partnership = PartnershipFactory(
                name="Lincolnshire SEND Partnership", slug="lincolnshire", new_la_code="E10000019"
            )
            other = PartnershipFactory(name="Elsewhere SEND Partnership", slug="elsewhere")
            yield build_world(partnership, other)
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture
def world(module_world: World, db, settings) -> World:
    settings.DIRECTORY_PARTNERSHIP = module_world.partnership.slug
    return module_world
