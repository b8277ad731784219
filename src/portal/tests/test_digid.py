"""Signing in to Mijn Wijkteam with DigiD through an OpenID Connect broker: the real provider the
tests run (accounts/tests/oidc_provider, the ``issuer`` fixture) plays the broker; an account id of
9 digits is a BSN, and the acr claim carries DigiD's level of assurance."""

import logging
import time
from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import Client
from django.urls import reverse

from accounts.tests.provider import browse
from conftest import login
from portal import digid as portal_digid
from portal import session as portal_session
from portal.factories import BSN_GOVERT

from .conftest import CLIENT_ID, resident_client

CALLBACK = "http://testserver/mijn/inloggen/terug/"
LEVEL = portal_digid.LEVELS


def sign_in(client: Client, *, account: str, acr: str = LEVEL["substantieel"]):
    start = client.get(reverse("portal:start"))
    assert start.status_code == 302
    back = browse(start["Location"], account=account, callback=CALLBACK, acr=acr)
    return client.get(back)


def _resident_of(client: Client):
    return client.session.get(portal_session.RESIDENT)


def test_off_by_default(db):
    client = Client()
    page = client.get(reverse("portal:sign_in")).content.decode()
    assert reverse("portal:start") not in page
    assert "Inloggen met DigiD kan hier nog niet" in page
    assert client.get(reverse("portal:start")).status_code == 404
    assert client.get(reverse("portal:callback") + "?code=x&state=y").status_code == 404


def test_start_sends_the_browser_to_the_broker_with_state_nonce_and_pkce(digid, issuer):
    response = Client().get(reverse("portal:start"))
    target = urlsplit(response["Location"])
    query = parse_qs(target.query)
    assert f"{target.scheme}://{target.netloc}{target.path}" == f"{issuer}/auth"  # from discovery
    assert query["client_id"] == [CLIENT_ID]
    assert query["redirect_uri"] == [CALLBACK]
    assert query["scope"] == ["openid bsn"]
    assert query["code_challenge_method"] == ["S256"]
    assert query["state"] and query["nonce"]


@pytest.mark.parametrize("level", ["substantieel", "hoog"])
def test_a_registered_resident_signs_in_and_sees_the_start_page(digid, family, caplog, level):
    client = Client()
    with caplog.at_level(logging.INFO):
        response = sign_in(client, account=BSN_GOVERT, acr=LEVEL[level])
    assert response["Location"] == reverse("portal:home")
    assert _resident_of(client) == family.govert.pk
    assert client.session[portal_session.LOA] == level
    assert client.session.get("_auth_user_id") is None  # no Django user
    page = client.get(reverse("portal:home"))
    assert page.status_code == 200
    assert "Welkom, Govert Geus" in page.content.decode()
    assert BSN_GOVERT not in caplog.text  # the logs never carry the BSN


@pytest.mark.parametrize("level", ["basis", "midden"])
def test_a_level_below_substantieel_is_refused(digid, family, level):
    client = Client()
    response = sign_in(client, account=BSN_GOVERT, acr=LEVEL[level])
    assert response["Location"] == reverse("portal:level_too_low")
    assert _resident_of(client) is None
    assert client.get(reverse("portal:home")).status_code == 302


def test_without_a_level_is_refused_and_the_minimum_is_configurable(digid, family):
    client = Client()
    assert sign_in(client, account=BSN_GOVERT, acr="")["Location"] == reverse("portal:level_too_low")
    digid.DIGID = {**digid.DIGID, "MIN_LOA": "midden"}
    assert sign_in(client, account=BSN_GOVERT, acr=LEVEL["midden"])["Location"] == reverse("portal:home")
    assert _resident_of(client) == family.govert.pk


def test_an_unknown_bsn_gets_the_kind_page_and_no_session(digid, family, caplog):
    client = Client()
    with caplog.at_level(logging.INFO):
        response = sign_in(client, account="999990019")
    assert response["Location"] == reverse("portal:unknown")
    assert _resident_of(client) is None
    page = client.get(response["Location"]).content.decode()
    assert "We hebben geen dossier van u" in page
    assert "999990019" not in caplog.text


def test_an_account_without_a_bsn_is_refused(digid, family):
    client = Client()
    assert sign_in(client, account="marieke")["Location"] == reverse("portal:unknown")
    assert _resident_of(client) is None


def test_the_state_is_used_once(digid, family):
    client = Client()
    start = client.get(reverse("portal:start"))
    back = browse(start["Location"], account=BSN_GOVERT, callback=CALLBACK, acr=LEVEL["substantieel"])
    assert client.get(back)["Location"] == reverse("portal:home")
    other = Client()
    other.get(reverse("portal:start"))
    assert other.get(back)["Location"] == reverse("portal:sign_in")
    assert _resident_of(other) is None


def test_an_answer_naming_another_issuer_is_refused(digid, family):
    client = Client()
    start = client.get(reverse("portal:start"))
    back = browse(start["Location"], account=BSN_GOVERT, callback=CALLBACK, acr=LEVEL["substantieel"])
    tampered = back.replace("iss=", "iss=https%3A%2F%2Fandere-broker.example&was=")
    assert client.get(tampered)["Location"] == reverse("portal:sign_in")
    assert _resident_of(client) is None


def test_a_token_for_the_professionals_client_is_not_a_resident_sign_in(digid, issuer, family, settings):
    """The professionals' client id configured as if it were the portal's: the provider refuses the
    code of the portal's flow for it, nothing signs in."""
    settings.DIGID = {**settings.DIGID, "CLIENT_ID": "wijkteam", "CLIENT_SECRET": "wijkteam-test-secret"}
    client = Client()
    start = client.get(reverse("portal:start"))
    assert "client_id=wijkteam&" in start["Location"]
    assert _resident_of(client) is None


def test_an_idle_session_ends_with_a_clear_page(family, settings):
    client = resident_client(family.govert)
    assert client.get(reverse("portal:home")).status_code == 200
    session = client.session
    session[portal_session.LAST_SEEN] = int(time.time()) - settings.DIGID["IDLE_SECONDS"] - 1
    session.save()
    response = client.get(reverse("portal:home"))
    assert response["Location"] == reverse("portal:signed_out")
    assert "U bent uitgelogd" in client.get(response["Location"]).content.decode()
    assert _resident_of(client) is None


def test_a_request_before_the_timeout_starts_the_idle_timer_again(family, settings):
    client = resident_client(family.govert)
    session = client.session
    almost = int(time.time()) - settings.DIGID["IDLE_SECONDS"] + 30
    session[portal_session.LAST_SEEN] = almost
    session.save()
    assert client.get(reverse("portal:home")).status_code == 200
    assert client.session[portal_session.LAST_SEEN] > almost + 60
    assert client.get(reverse("portal:home")).status_code == 200


def test_an_expired_session_of_this_browser_says_signed_out(family):
    client = resident_client(family.govert)
    assert client.get(reverse("portal:home")).status_code == 200  # sets the cookie without content
    client.session.flush()  # the session store expired it
    client.cookies.pop("sessionid", None)
    assert client.get(reverse("portal:home"))["Location"] == reverse("portal:signed_out")


def test_signing_out(family):
    client = resident_client(family.govert)
    response = client.post(reverse("portal:sign_out"))
    assert response["Location"] == reverse("portal:sign_in")
    assert client.get(reverse("portal:home"))["Location"].startswith(reverse("portal:sign_in"))


def test_a_professionals_session_is_not_a_residents(world, family):
    """A signed-in professional is no resident: the portal sends them to the DigiD sign-in, even with
    a resident's keys left in the session."""
    client = login(world.worker)
    assert client.get(reverse("portal:home"))["Location"].startswith(reverse("portal:sign_in"))
    session = client.session
    session[portal_session.RESIDENT] = family.govert.pk
    session[portal_session.LAST_SEEN] = int(time.time())
    session.save()
    assert client.get(reverse("portal:home"))["Location"].startswith(reverse("portal:sign_in"))


def test_a_residents_session_is_not_a_professionals(family):
    client = resident_client(family.govert)
    for url in (reverse("cases:my_work"), f"/huishoudens/{family.household.pk}/plan/"):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))


def test_a_professional_signing_in_ends_the_residents_session(world, family):
    from accounts.tests.conftest import PASSWORD

    client = resident_client(family.govert)
    world.worker.set_password(PASSWORD)
    world.worker.save()
    client.post(reverse("accounts:login"), {"username": world.worker.username, "password": PASSWORD})
    assert _resident_of(client) is None


def test_signing_in_as_a_resident_ends_a_professionals_session(digid, world, family):
    client = login(world.worker)
    sign_in(client, account=BSN_GOVERT)
    assert client.session.get("_auth_user_id") is None
    assert _resident_of(client) == family.govert.pk


def test_configuration_checks(settings):
    from portal.checks import check_digid

    assert check_digid(None) == []  # off
    settings.DIGID = {**settings.DIGID, "ISSUER": "http://digid-broker.gemeente.example", "MIN_LOA": "laag"}
    assert {e.id for e in check_digid(None)} == {"portal.E001", "portal.E002"}
    settings.DIGID = {**settings.DIGID, "CLIENT_ID": CLIENT_ID, "CLIENT_SECRET": "geheim", "MIN_LOA": "hoog"}
    settings.PRODUCTION = True
    assert {e.id for e in check_digid(None)} == {"portal.E003"}
    settings.DIGID = {**settings.DIGID, "ISSUER": "https://digid-broker.gemeente.example"}
    assert check_digid(None) == []
