import pytest

from perspectief.accounts.actor import actor_for

from ..factories import OrganisationFactory


@pytest.fixture
def manager(world, make_member):
    """The region's programme manager, who records its action plan."""
    return actor_for(make_member("programmamanager"))


@pytest.fixture
def gemeente(world):
    return OrganisationFactory(kind="gemeente", municipality=world.amsterdam, region=world.am18)
