import pytest

from tests.directory.views.world import make_world


@pytest.fixture
def world(partnership, council, users):
    return make_world(partnership, council)
