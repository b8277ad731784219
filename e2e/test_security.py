"""Security in the browser: the strict Content-Security-Policy holds on the pages with scripts
(map, API documentation, admin), the lockout speaks plainly, a password can be changed, the admin
is signed in to through the one sign-in page, another authenticator app needs the password and a
code, and the privacy officer checks the access log's chain.
Every journey also fails on any CSP violation the browser reports (journey.check_security_policy)."""

import base64
import hashlib
import hmac
import re
import struct
import subprocess
from email.utils import parsedate_to_datetime

from playwright.sync_api import expect

from .clock import env_at_our_moment
from .conftest import DEMO
from .journey import DEMO_PASSWORD


def test_the_district_map_draws_under_the_strict_policy(journey):
    journey.login("beleid")
    journey.page.goto(journey.base_url + "/wijken/kaart/")
    # Leaflet drew the districts (SVG paths) from the GeoJSON it fetched: its script and its
    # styles work without 'unsafe-inline'.
    expect(journey.page.locator("#wt-map path.leaflet-interactive").first).to_be_attached()
    assert journey.page.locator("#wt-map path.leaflet-interactive").count() > 5
    # With the map drawn, axe checks the page too (the map is a labelled region: Leaflet's zoom
    # buttons are interactive, so it cannot be an image).
    journey.arrive("district-map")
    journey.page.wait_for_timeout(200)  # console messages arrive asynchronously
    journey.check_security_policy()


def test_api_documentation_and_admin_under_the_strict_policy(journey):
    journey.login("beheer")
    # Third-party pages: the policy is checked, axe is not (they are not our templates).
    journey.page.goto(journey.base_url + "/api/docs/")
    expect(journey.page.locator(".swagger-ui .info .title")).to_contain_text("Wijkteam API")
    journey.page.goto(journey.base_url + "/beheer/admin/")
    expect(journey.page.locator("#site-name")).to_contain_text("Wijkteam")
    journey.page.wait_for_timeout(200)  # console messages arrive asynchronously
    journey.check_security_policy()


def test_repeated_wrong_passwords_lock_signing_in(journey):
    """Five wrong passwords for one name: the form says signing in is blocked, in the same words
    whether or not the name belongs to an account (this one does not)."""
    journey.goto("/account/login/", step="login")
    for attempt in range(5):
        journey.fill("Gebruikersnaam", "niemand-met-deze-naam")
        journey.fill("Wachtwoord", f"verkeerd-wachtwoord-{attempt}")
        journey.submit("Inloggen", step=f"wrong-password-{attempt}")
    expect(journey.page.get_by_role("alert")).to_contain_text("Inloggen is 15 minuten geblokkeerd")


def test_changing_the_password(new_journey, restore_demo_password):
    restore_demo_password("teamleider")
    journey = new_journey("change_password")
    other = new_journey("change_password_other_session")
    other.login("teamleider")
    journey.login("teamleider")
    with journey.task("change password"):
        journey.follow("Wachtwoord wijzigen", step="password-form")
        expect(journey.page.get_by_text("minstens 12 tekens")).to_be_visible()  # the rules, beside the field
        journey.fill("Oud wachtwoord", "wijkteam-demo")
        journey.fill("Nieuw wachtwoord", "Wachtwoord2024!")
        journey.fill("Nieuw wachtwoord bevestigen", "Wachtwoord2024!")
        journey.submit("Wachtwoord wijzigen", step="password-breached", expect_status=400)
        expect(journey.page.get_by_role("alert")).to_contain_text("datalek")
        journey.fill("Oud wachtwoord", "wijkteam-demo")
        journey.fill("Nieuw wachtwoord", "drie vogels op een hek in Huizum")
        journey.fill("Nieuw wachtwoord bevestigen", "drie vogels op een hek in Huizum")
        journey.submit("Wachtwoord wijzigen", step="password-changed")
    expect(journey.page.locator(".wt-messages")).to_contain_text("Je wachtwoord is gewijzigd")
    # The other session of the same account has ended.
    other.goto("/mijn-werk/", step="other-session-ended")
    expect(other.page).to_have_url(re.compile(r"/account/login/"))


def test_the_admin_is_signed_in_to_through_the_one_sign_in_page(journey):
    journey.page.goto(journey.base_url + "/beheer/admin/")
    expect(journey.page).to_have_url(re.compile(r"/account/login/\?next=/beheer/admin/"))
    journey.fill("Gebruikersnaam", "beheer")
    journey.fill("Wachtwoord", DEMO_PASSWORD)
    journey.submit("Inloggen", step="admin-second-step")
    journey.second_step(step="admin-signed-in")
    expect(journey.page.locator("#site-name")).to_contain_text("Wijkteam")


RESTORE_DEMO_APP = """
from accounts import twofactor
from accounts.models import User
user = User.objects.get(username={username!r})
twofactor.remove_devices(user=user)
twofactor.demo_enrol(user)
"""


def _totp(secret: str, now: float) -> str:
    """The code an authenticator app shows for ``secret`` at ``now`` (RFC 6238: SHA-1, 30 s, 6 digits)."""
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    digest = hmac.new(key, struct.pack(">Q", int(now) // 30), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    return f"{(struct.unpack('>I', digest[offset : offset + 4])[0] & 0x7FFFFFFF) % 1_000_000:06d}"


def test_another_authenticator_app_after_signing_in_again(new_journey, live_server_url):
    journey, other = new_journey("another_app"), new_journey("another_app_other_session")
    other.login("beleid")
    journey.login("beleid")
    try:
        with journey.task("set up another authenticator app"):
            journey.goto("/account/tweede-stap/instellen/", step="sign-in-again")
            journey.fill("Wachtwoord", DEMO_PASSWORD)
            journey.fill("Code", journey.demo_code())
            journey.submit("Doorgaan", step="new-app")
            secret = journey.page.locator("code").inner_text().replace(" ", "")
            # The phone's clock is the server's (a test run may run it at a fixed moment): its Date.
            now = parsedate_to_datetime(journey.page.request.get(live_server_url + "/healthz").headers["date"])
            journey.fill("Code", _totp(secret, now.timestamp()))
            journey.submit("Aanzetten", step="new-recovery-codes")
        expect(journey.page.locator(".wt-messages")).to_contain_text("Je andere sessies zijn beëindigd")
        other.goto("/mijn-werk/", step="other-session-ended")
        expect(other.page).to_have_url(re.compile(r"/account/login/"))
    finally:
        script = RESTORE_DEMO_APP.format(username="beleid")
        subprocess.run([*DEMO["manage"], "shell", "-c", script], env=env_at_our_moment(DEMO["env"]), check=True)  # noqa: S603


def test_the_privacy_officer_checks_the_access_log_chain(journey):
    journey.login("privacy")
    with journey.task("check the access log's chain"):
        journey.follow("Toegangslog controleren", step="log-check")
        journey.submit("Keten nu controleren", step="log-checked")
    expect(journey.page.get_by_role("status")).to_contain_text("De keten is heel")


def test_the_functional_administrator_issues_and_revokes_a_partner_key(journey):
    """The key is shown once; the partner's system can use it at once, and not after it is revoked."""
    journey.login("beheer")
    with journey.task("issue a partner API key"):
        journey.follow("API-sleutels van partners", step="partner-keys")
        journey.choose("Partnerorganisatie", "Huisartsenpraktijk Huizum")
        journey.fill("Systeem", "HIS Medicom")
        journey.submit("Sleutel uitgeven", step="partner-key-issued", expect_status=201)
    key = journey.page.locator("code.wt-key").inner_text().strip()
    api = journey.base_url + "/api/v1/verwijzingen/"
    assert journey.page.request.get(api, headers={"Authorization": f"Token {key}"}).status == 200
    journey.page.goto(journey.base_url + "/beheer/partnersleutels/")
    assert key not in journey.page.content()  # shown once
    journey.submit(f"{key[:8]}… intrekken", step="partner-key-revoked")
    expect(journey.page.locator(".wt-messages")).to_contain_text("is ingetrokken")
    assert journey.page.request.get(api, headers={"Authorization": f"Token {key}"}).status == 401
