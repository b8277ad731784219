"""Single sign-on (accounts.sso) against a real OpenID Connect provider: node-oidc-provider, run by
Node from oidc_provider/provider.mjs on a free loopback port (the ``issuer`` fixture in
src/conftest.py). The browser's part of the authorization-code flow is played with ``requests``
against the provider and Django's test client against Wijkteam. Skipped only where ``node`` is not installed."""

import base64
import hashlib
import re
import time
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
import requests
from django.test import Client
from django.urls import reverse

from accounts import services, sso, twofactor
from accounts.factories import UserFactory
from accounts.models import User
from accounts.tests.provider import browse

CLIENT_ID, CLIENT_SECRET = "wijkteam", "wijkteam-test-secret"
OTHER_CLIENT_ID, OTHER_CLIENT_SECRET = "andere-app", "andere-app-test-secret"
CALLBACK = "http://testserver/account/login/sso/terug/"
MFA_ACR = "urn:wijkteam:test:mfa"


@pytest.fixture
def configured(settings, issuer, db):
    """Single sign-on switched on as the environment would: issuer, client, name; the rest from
    discovery and the defaults (the account's e-mail address, amr "mfa")."""
    settings.OIDC_ISSUER = issuer
    settings.OIDC_RP_CLIENT_ID = CLIENT_ID
    settings.OIDC_RP_CLIENT_SECRET = CLIENT_SECRET
    settings.WIJKTEAM = {**settings.WIJKTEAM, "OIDC_NAME": "Gemeente Testwijk"}
    return settings


@pytest.fixture
def marieke(world):
    return UserFactory(username="m.jansen", email="Marieke@gemeente.example", teams=[world.team_a])


def _browse(url: str, *, account: str, amr: str = "", acr: str = "") -> str:
    return browse(url, account=account, callback=CALLBACK, amr=amr, acr=acr)


def sign_in(client: Client, *, account: str, amr: str = "", acr: str = ""):
    """The whole flow: Wijkteam's button, the provider, back to Wijkteam's callback."""
    start = client.get(reverse("accounts:sso"))
    assert start.status_code == 302
    back = _browse(start["Location"], account=account, amr=amr, acr=acr)
    return client.get(back)


def _tokens(issuer: str, *, client_id: str, secret: str, nonce: str, account: str) -> dict:
    """Tokens that the provider issues to ``client_id`` for a flow of its own."""
    verifier = "v" * 50
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    query = {
        "response_type": "code",
        "client_id": client_id,
        "redirect_uri": CALLBACK,
        "scope": "openid email",
        "state": "eigen-state",
        "nonce": nonce,
        "code_challenge": challenge,
        "code_challenge_method": "S256",
    }
    back = _browse(f"{issuer}/auth?{urlencode(query)}", account=account, amr="pwd,mfa")
    code = parse_qs(urlsplit(back).query)["code"][0]
    response = requests.post(
        f"{issuer}/token",
        data={"grant_type": "authorization_code", "code": code, "redirect_uri": CALLBACK, "code_verifier": verifier},
        auth=(client_id, secret),
        timeout=10,
    )
    response.raise_for_status()
    return response.json()


def _signed_in(client: Client) -> int | None:
    value = client.session.get("_auth_user_id")
    return int(value) if value else None


def _error_on_login_page(client: Client) -> str:
    page = client.get(reverse("accounts:login")).content.decode()
    return " ".join(re.findall(r'utrecht-alert--error">\s*<p class="utrecht-paragraph">([^<]*)</p>', page))


# ---------------------------------------------------------------------------------------------


def test_off_by_default_no_button_and_no_route(db):
    page = Client().get(reverse("accounts:login"))
    assert "Inloggen met" not in page.content.decode()
    assert Client().get(reverse("accounts:sso")).status_code == 404
    assert Client().get(reverse("accounts:sso_callback") + "?code=x&state=y").status_code == 404


def test_login_page_offers_the_provider_without_inline_script(configured):
    page = Client().get(reverse("accounts:login") + "?next=/zaken/")
    html = page.content.decode()
    assert "Inloggen met Gemeente Testwijk" in html
    assert f'href="{reverse("accounts:sso")}?next=/zaken/"' in html
    assert not re.search(r"<script(?![^>]*\bsrc=)", html)
    assert "script-src 'self'" in page["Content-Security-Policy"]


def test_start_sends_the_browser_to_the_provider_with_state_nonce_and_pkce(configured, issuer):
    response = Client().get(reverse("accounts:sso"))
    target = urlsplit(response["Location"])
    query = parse_qs(target.query)
    assert f"{target.scheme}://{target.netloc}{target.path}" == f"{issuer}/auth"  # from discovery
    assert query["client_id"] == [CLIENT_ID]
    assert query["redirect_uri"] == [CALLBACK]
    assert query["code_challenge_method"] == ["S256"]
    assert query["state"] and query["nonce"]


@pytest.mark.parametrize(
    ("amr", "acr", "accepted_acr", "by_provider"),
    [
        ("pwd", "", [], False),
        ("pwd,mfa", "", [], True),
        ("pwd,otp", "", [], False),  # only the configured values count
        ("pwd", MFA_ACR, [MFA_ACR], True),
        ("pwd", MFA_ACR, [], False),
    ],
)
def test_existing_account_signs_in_and_second_step_follows_the_token(
    configured, marieke, amr, acr, accepted_acr, by_provider
):
    configured.WIJKTEAM = {**configured.WIJKTEAM, "OIDC_MFA_ACR": accepted_acr}
    client = Client()
    response = sign_in(client, account="marieke", amr=amr, acr=acr)
    assert response.status_code == 302
    assert _signed_in(client) == marieke.pk
    work = client.get(reverse("cases:my_work"))
    if by_provider:
        assert work.status_code == 200
    else:
        assert work.status_code == 302
        assert work["Location"].startswith(reverse("accounts:twofactor"))


def test_without_mfa_the_totp_step_is_asked_and_passes_with_a_code(configured, marieke):
    from django_otp.oath import totp

    device = twofactor.demo_enrol(marieke)
    client = Client()
    sign_in(client, account="marieke", amr="pwd")
    assert client.get(reverse("cases:my_work")).status_code == 302
    response = client.post(reverse("accounts:twofactor"), {"code": f"{totp(device.bin_key):06d}"})
    assert response.status_code == 302
    assert client.get(reverse("cases:my_work")).status_code == 200


def test_unknown_subject_is_refused_and_nothing_is_created(configured, marieke):
    users = User.objects.count()
    client = Client()
    response = sign_in(client, account="onbekend", amr="pwd,mfa")
    assert response["Location"] == reverse("accounts:login")
    assert _signed_in(client) is None
    assert User.objects.count() == users
    assert _error_on_login_page(client) == (
        "Er is geen actief Wijkteam-account voor de gebruiker waarmee je bij Gemeente Testwijk bent ingelogd. "
        "Vraag je functioneel beheerder."
    )


def test_inactive_account_is_refused(configured, marieke):
    services.account_deactivate(user=marieke)
    client = Client()
    sign_in(client, account="marieke", amr="pwd,mfa")
    assert _signed_in(client) is None
    assert "Er is geen actief Wijkteam-account" in _error_on_login_page(client)


def test_matching_on_username_with_a_claim_of_the_id_token(configured, marieke):
    marieke.username = "marieke"
    marieke.save()
    configured.WIJKTEAM = {**configured.WIJKTEAM, "OIDC_CLAIM": "sub", "OIDC_MATCH": "username"}
    client = Client()
    sign_in(client, account="marieke", amr="mfa")
    assert _signed_in(client) == marieke.pk


@pytest.mark.parametrize("names_itself", [True, False])
def test_token_from_another_issuer_is_refused(configured, issuer, marieke, names_itself):
    """The real provider's endpoints, but Wijkteam expects another issuer: refused by the issuer in
    the answer (RFC 9207) or, from a provider that does not send it, by the ID token's iss."""
    configured.OIDC_ISSUER = "https://login.andere-gemeente.example"
    configured.OIDC_OP_AUTHORIZATION_ENDPOINT = f"{issuer}/auth"
    configured.OIDC_OP_TOKEN_ENDPOINT = f"{issuer}/token"
    configured.OIDC_OP_USER_ENDPOINT = f"{issuer}/me"
    configured.OIDC_OP_JWKS_ENDPOINT = f"{issuer}/jwks"
    client = Client()
    back = _browse(client.get(reverse("accounts:sso"))["Location"], account="marieke", amr="pwd,mfa")
    query = parse_qs(urlsplit(back).query)
    assert query["iss"] == [issuer]
    if not names_itself:
        del query["iss"]
    response = client.get(CALLBACK + "?" + urlencode(query, doseq=True))
    assert response["Location"] == reverse("accounts:login")
    assert _signed_in(client) is None
    assert _error_on_login_page(client) == (
        "Inloggen met Gemeente Testwijk is niet gelukt. Probeer het opnieuw, of log in met je wachtwoord."
    )


@pytest.mark.parametrize(
    ("client_id", "secret", "same_nonce"),
    [
        (OTHER_CLIENT_ID, OTHER_CLIENT_SECRET, True),  # the ID token is for another application
        (CLIENT_ID, CLIENT_SECRET, False),  # the ID token belongs to another sign-in
    ],
)
def test_substituted_id_token_is_refused(configured, issuer, marieke, monkeypatch, client_id, secret, same_nonce):
    """The token endpoint's answer swapped for real tokens of the same provider that do not belong
    to this sign-in: another audience, or another nonce."""
    client = Client()
    state = parse_qs(urlsplit(client.get(reverse("accounts:sso"))["Location"]).query)["state"][0]
    nonce = client.session["oidc_states"][state]["nonce"] if same_nonce else "een-andere-nonce"
    tokens = _tokens(issuer, client_id=client_id, secret=secret, nonce=nonce, account="marieke")
    monkeypatch.setattr(sso.Backend, "get_token", lambda self, payload: tokens)
    response = client.get(f"{CALLBACK}?{urlencode({'code': 'ingewisseld', 'state': state})}")
    assert response["Location"] == reverse("accounts:login")
    assert _signed_in(client) is None


def test_the_genuine_tokens_of_that_flow_are_accepted(configured, issuer, marieke, monkeypatch):
    """The counterpart of the test above: the same route with this client's tokens and nonce signs in,
    so what is refused there is the audience or the nonce."""
    client = Client()
    state = parse_qs(urlsplit(client.get(reverse("accounts:sso"))["Location"]).query)["state"][0]
    nonce = client.session["oidc_states"][state]["nonce"]
    tokens = _tokens(issuer, client_id=CLIENT_ID, secret=CLIENT_SECRET, nonce=nonce, account="marieke")
    monkeypatch.setattr(sso.Backend, "get_token", lambda self, payload: tokens)
    client.get(f"{CALLBACK}?{urlencode({'code': 'ingewisseld', 'state': state})}")
    assert _signed_in(client) == marieke.pk


def test_state_is_used_once(configured, marieke):
    client = Client()
    start = client.get(reverse("accounts:sso"))
    back = _browse(start["Location"], account="marieke", amr="mfa")
    assert client.get(back).status_code == 302
    client.logout()
    assert client.get(back).status_code in (302, 400)
    assert _signed_in(client) is None
    other = Client()
    other.get(reverse("accounts:sso"))  # a session with states, none of them this one
    assert other.get(back).status_code == 400


def test_a_locked_account_cannot_sign_in_through_the_provider(configured, marieke):
    for _ in range(configured.WIJKTEAM["LOCKOUT_ACCOUNT_FAILURES"]):
        services.sign_in_failed(username=marieke.username, address="192.0.2.7")
    client = Client()
    sign_in(client, account="marieke", amr="mfa")
    assert _signed_in(client) is None
    assert _error_on_login_page(client).startswith("Inloggen is")
    services.sign_in_unlock(user=marieke)
    sign_in(client, account="marieke", amr="mfa")
    assert _signed_in(client) == marieke.pk


def test_sessions_end_and_the_working_day_limit_apply(configured, marieke):
    client = Client()
    sign_in(client, account="marieke", amr="mfa")
    assert client.get(reverse("cases:my_work")).status_code == 200
    assert client.session.get_expiry_age() <= configured.SESSION_COOKIE_AGE
    services.sessions_end(user=marieke)
    assert client.get(reverse("cases:my_work")).status_code == 302
    assert _signed_in(client) is None

    sign_in(client, account="marieke", amr="mfa")
    session = client.session
    session[twofactor.SIGNED_IN_AT] = int(time.time()) - configured.WIJKTEAM["SESSION_ABSOLUTE_SECONDS"] - 1
    session.save()
    assert client.get(reverse("cases:my_work"))["Location"] == reverse("accounts:login")
    assert _signed_in(client) is None


def test_provider_that_cannot_be_reached(configured, db):
    configured.OIDC_ISSUER = "http://127.0.0.1:9"  # discard port: nothing listens
    client = Client()
    response = client.get(reverse("accounts:sso"))
    assert response["Location"] == reverse("accounts:login")
    assert "Gemeente Testwijk is niet bereikbaar" in _error_on_login_page(client)


@pytest.mark.parametrize(
    ("claims", "expected"),
    [
        ({"amr": ["pwd", "mfa"]}, True),
        ({"amr": "mfa"}, True),
        ({"amr": ["pwd"]}, False),
        ({"amr": {"mfa": 1}}, False),
        ({"amr": 3, "acr": ["x"]}, False),
        ({}, False),
    ],
)
def test_second_factor_by_provider_reads_the_claims_strictly(settings, claims, expected):
    assert sso.second_factor_by_provider(claims) is expected


def test_configuration_checks(settings):
    from wijkteam.checks import check_single_sign_on

    assert check_single_sign_on(None) == []  # off
    settings.OIDC_ISSUER = "http://login.gemeente.example"
    settings.OIDC_RP_CLIENT_ID = CLIENT_ID
    assert {e.id for e in check_single_sign_on(None)} == {"wijkteam.E004"}
    settings.OIDC_RP_CLIENT_SECRET = CLIENT_SECRET
    settings.PRODUCTION = True
    settings.WIJKTEAM = {**settings.WIJKTEAM, "OIDC_MATCH": "naam"}
    assert {e.id for e in check_single_sign_on(None)} == {"wijkteam.E005", "wijkteam.E006"}
    settings.OIDC_ISSUER = "https://login.gemeente.example"
    settings.WIJKTEAM = {**settings.WIJKTEAM, "OIDC_MATCH": "username"}
    assert check_single_sign_on(None) == []
