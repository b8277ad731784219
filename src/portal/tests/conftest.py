import pytest

from portal.factories import family as make_family
from portal.factories import resident_client  # noqa: F401 (the test modules import it from here)

CLIENT_ID, CLIENT_SECRET = "mijn-wijkteam", "mijn-wijkteam-test-secret"


@pytest.fixture
def family(world):
    return make_family(world)


@pytest.fixture
def digid(settings, issuer, db):
    """DigiD through the broker switched on as the environment would: issuer and client; the rest
    from discovery and the defaults (claims bsn and acr, minimum level substantieel)."""
    settings.DIGID = {**settings.DIGID, "ISSUER": issuer, "CLIENT_ID": CLIENT_ID, "CLIENT_SECRET": CLIENT_SECRET}
    return settings
