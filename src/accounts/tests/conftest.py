import pytest

from accounts.factories import UserFactory
from accounts.models import Role

PASSWORD = "een-lang-wachtwoord-42"


@pytest.fixture
def user(world):
    """A social worker in team A who signs in with ``PASSWORD``."""
    user = UserFactory(role=Role.SOCIAL_WORKER, municipality=world.municipality, teams=[world.team_a])
    user.set_password(PASSWORD)
    user.save()
    return user
