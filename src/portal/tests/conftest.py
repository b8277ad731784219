import time

import pytest
from django.test import Client

from portal import session as portal_session
from portal.factories import family as make_family

CLIENT_ID, CLIENT_SECRET = "mijn-wijkteam", "mijn-wijkteam-test-secret"


@pytest.fixture
def family(world):
    return make_family(world)


def resident_client(resident, *, level: str = "substantieel") -> Client:
    """A browser with a resident's session, as ``portal.session.sign_in`` leaves it (the whole
    sign-in through the provider is tested in test_digid.py)."""
    client = Client()
    session = client.session
    now = int(time.time())
    session.update(
        {
            portal_session.RESIDENT: resident.pk,
            portal_session.LOA: level,
            portal_session.SIGNED_IN_AT: now,
            portal_session.LAST_SEEN: now,
        }
    )
    session.save()
    return client


@pytest.fixture
def digid(settings, issuer, db):
    """DigiD through the broker switched on as the environment would: issuer and client; the rest
    from discovery and the defaults (claims bsn and acr, minimum level substantieel)."""
    settings.DIGID = {**settings.DIGID, "ISSUER": issuer, "CLIENT_ID": CLIENT_ID, "CLIENT_SECRET": CLIENT_SECRET}
    return settings
