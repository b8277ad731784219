"""Two-step sign-in: enrolment with a QR code, codes from the app, recovery codes, throttling,
administrator reset, and the session's inactivity and absolute limits."""

import logging
import time

import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import twofactor
from accounts.factories import UserFactory
from accounts.models import Role
from conftest import login

from .conftest import PASSWORD


def _signed_in(user) -> Client:
    client = Client()
    assert client.post(reverse("accounts:login"), {"username": user.username, "password": PASSWORD}).status_code == 302
    return client


def _code(device) -> str:
    return f"{totp(device.bin_key):06d}"


def test_first_sign_in_enrols_an_app_and_hands_out_recovery_codes(user):
    client = _signed_in(user)
    response = client.get(reverse("cases:my_work"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:twofactor"))
    assert client.get(reverse("accounts:twofactor"))["Location"] == reverse("accounts:twofactor_setup")
    setup = client.get(reverse("accounts:twofactor_setup"))
    assert "<svg" in setup.content.decode() and setup.context["secret"]
    assert client.post(reverse("accounts:twofactor_setup"), {"code": "000000"}).status_code == 400
    device = TOTPDevice.objects.get(user=user)
    done = client.post(reverse("accounts:twofactor_setup"), {"code": _code(device)})
    assert done.status_code == 200 and len(done.context["codes"]) == 10
    assert client.get(reverse("cases:my_work")).status_code == 200


def test_a_code_or_a_recovery_code_once(user):
    device = TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    codes = twofactor.recovery_codes_new(user)
    client = _signed_in(user)
    wrong = client.post(reverse("accounts:twofactor"), {"code": "123456", "next": "/mijn-werk/"})
    assert wrong.status_code == 400 and "code" in wrong.context["form"].errors
    device.refresh_from_db()
    device.throttling_failure_count = 0  # the wrong code above throttles; wait it out
    device.save()
    right = client.post(reverse("accounts:twofactor"), {"code": _code(device), "next": "/mijn-werk/"})
    assert right["Location"] == "/mijn-werk/"
    other = _signed_in(user)
    assert other.post(reverse("accounts:twofactor"), {"code": codes[0]}).status_code == 302
    again = _signed_in(user)
    assert again.post(reverse("accounts:twofactor"), {"code": codes[0]}).status_code == 400  # used up


def test_repeated_wrong_codes_are_throttled(user):
    device = TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    client = _signed_in(user)
    # The clock stands still: on a busy machine the four seconds of delay could pass between requests.
    with time_machine.travel(timezone.now(), tick=False):
        for _ in range(3):
            client.post(reverse("accounts:twofactor"), {"code": "111111"})
        response = client.post(reverse("accounts:twofactor"), {"code": _code(device)})
    assert response.status_code == 400  # even the right code waits until the delay has passed


def test_the_api_answers_403_problem_without_the_second_step(user):
    TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    response = _signed_in(user).get(reverse("cases_api:case-list"))
    assert response.status_code == 403 and response["Content-Type"] == "application/problem+json"


def test_a_removed_device_stops_counting_within_a_minute(world):
    client = login(world.worker)
    assert client.get(reverse("cases:my_work")).status_code == 200
    twofactor.remove_devices(user=world.worker)
    session = client.session
    session["wt_second_factor_checked_at"] = 0  # the minute between checks has passed
    session.save()
    assert client.get(reverse("cases:my_work")).status_code == 302


def test_deactivated_account_and_absolute_lifetime_end_the_session(world, settings):
    client = login(world.worker)
    world.worker.is_active = False
    world.worker.save()
    response = client.get(reverse("cases:my_work"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))

    client = login(world.leader)
    session = client.session
    session["wt_signed_in_at"] = int(time.time()) - settings.WIJKTEAM["SESSION_ABSOLUTE_SECONDS"] - 1
    session.save()
    assert client.get(reverse("cases:my_work"))["Location"] == reverse("accounts:login")


def test_idle_timeout_is_fifteen_minutes(settings):
    assert settings.SESSION_COOKIE_AGE == 900 and settings.SESSION_EXPIRE_AT_BROWSER_CLOSE


def test_the_functional_administrator_resets_a_lost_phone(world, user):
    TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    admin = UserFactory(role=Role.ADMINISTRATOR, municipality=world.municipality, is_staff=True, is_superuser=True)
    response = login(admin).post(
        reverse("admin:accounts_user_changelist"), {"action": "reset_second_step", "_selected_action": [user.pk]}
    )
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=user).exists()


# --- another authenticator app (a new phone) -------------------------------------------------------


def _signed_out(client: Client) -> bool:
    response = client.get(reverse("cases:my_work"))
    return response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))


def test_another_app_needs_the_password_and_a_code_and_ends_the_other_sessions(
    user, mailoutbox, django_capture_on_commit_callbacks, caplog
):
    caplog.set_level(logging.INFO)
    user.email = "a.devries@wijkteam.example"
    user.save()
    old = TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    here, elsewhere = login(user), login(user)
    setup = reverse("accounts:twofactor_setup")
    # A session left open is not enough: the page asks to sign in again and shows no new app yet.
    page = here.get(setup)
    assert (
        page.status_code == 200
        and "qr" not in page.context
        and set(page.context["form"].fields)
        == {
            "password",
            "code",
        }
    )
    assert not TOTPDevice.objects.filter(user=user, confirmed=False).exists()
    wrong_password = here.post(setup, {"password": "not-my-password", "code": _code(old)})
    assert wrong_password.status_code == 400 and "password" in wrong_password.context["form"].errors
    wrong_code = here.post(setup, {"password": PASSWORD, "code": "000000"})
    assert wrong_code.status_code == 400 and "code" in wrong_code.context["form"].errors
    TOTPDevice.objects.filter(pk=old.pk).update(throttling_failure_count=0)  # wait out the wrong code
    assert here.post(setup, {"password": PASSWORD, "code": _code(old)})["Location"] == setup
    new = here.get(setup)
    assert new.status_code == 200 and new.context["secret"]
    pending = TOTPDevice.objects.get(user=user, confirmed=False)
    with django_capture_on_commit_callbacks(execute=True):
        done = here.post(setup, {"code": _code(pending)}, follow=False)
    assert done.status_code == 200 and len(done.context["codes"]) == 10
    assert list(TOTPDevice.objects.filter(user=user)) == [pending]
    messages = [str(message) for message in done.context["messages"]]
    assert any("andere sessies zijn beëindigd" in message for message in messages)
    # This session goes on, every other one has ended.
    assert here.get(reverse("cases:my_work")).status_code == 200
    assert _signed_out(elsewhere)
    # An e-mail to the professional; the application log holds the account's id only.
    assert len(mailoutbox) == 1 and mailoutbox[0].to == [user.email]
    assert "Was dit niet jij?" in mailoutbox[0].body
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert f"second factor replaced: user id {user.pk}" in logged
    assert user.email not in logged and user.username not in logged


def test_a_recovery_code_stands_in_for_a_lost_phone(user):
    TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    codes = twofactor.recovery_codes_new(user)
    client = login(user)
    setup = reverse("accounts:twofactor_setup")
    assert client.post(setup, {"password": PASSWORD, "code": codes[3]})["Location"] == setup
    assert "secret" in client.get(setup).context


def test_wrong_passwords_before_another_app_count_towards_the_lockout(user):
    TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    client = login(user)
    for _ in range(5):
        response = client.post(reverse("accounts:twofactor_setup"), {"password": "not-my-password", "code": "1"})
    assert response.status_code == 429 and "geblokkeerd" in response.content.decode()
    signing_in = Client().post(reverse("accounts:login"), {"username": user.username, "password": PASSWORD})
    assert signing_in.status_code == 429
